package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func (r *runner) diffCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "diff [flags] A B",
		Short: "Show what changes from one graph to another: nodes and links added, removed, changed or moved.",
		Long: `
A and B are each a graph id, fetched with the key, or a JSON file as 'vtgraph
get --json' or 'vtgraph export --format json' writes it ("-" reads standard
input, for one of them). Nodes are matched by entity id and links by source,
target and connection type, counting repeated links. A node drawn elsewhere
is reported as moved, apart from what changed in it: its label, type or
entity attributes. Read-only attributes (dates, counts) and node indexes are
not compared.

Each line is marked + (added in B), - (removed), ~ (changed) or > (moved);
--json prints the same as one JSON document, every list an array. Nothing
is printed when the graphs compare the same. The exit code is 0 either way.`,
		Example: examples(
			"vtgraph diff $ID before.json",
			"vtgraph get $ID --json > mine.json; vtgraph diff mine.json $ID",
			"vtgraph diff g1.json g2.json --json | jq '.moved_nodes | length'",
		),
		Args:              exactArgs(2),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			if args[0] == "-" && args[1] == "-" {
				return usagef("only one of A and B can be standard input")
			}
			var graphs [2]*vtgraph.Graph
			for i, arg := range args {
				g, err := r.diffSide(ctx, arg)
				if err != nil {
					return err
				}
				graphs[i] = g
			}
			d := vtgraph.DiffGraphs(graphs[0], graphs[1])
			if r.g.json {
				return writeJSON(r.stdout, d)
			}
			_, err := fmt.Fprint(r.stdout, d.String())
			return err
		}),
	}
}

// diffSide loads one side of diff: the graph with that id, or the graph in
// that file. An argument that is a graph id and also the name of a file is
// taken as the id; ./ before it names the file.
func (r *runner) diffSide(ctx context.Context, arg string) (*vtgraph.Graph, error) {
	if !vtgraph.ValidGraphID(arg) {
		return readGraphFile(arg, r.stdin)
	}
	c, err := r.client()
	if err != nil {
		return nil, err
	}
	return c.GetGraph(ctx, arg, nil)
}
