package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func exportCommand() *command {
	return &command{
		name:    "export",
		args:    "ID",
		nargs:   1,
		summary: "Export a graph as Graphviz DOT, a Mermaid flowchart or JSON.",
		about: `
DOT renders with Graphviz ('dot -Tsvg'), Mermaid in Markdown viewers that
support it, and JSON is the graph object 'vtgraph create --from' and
'vtgraph update --from' read back. The format defaults to dot, or json with
--json.`,
		example: []string{
			"vtgraph export $ID | dot -Tsvg > graph.svg",
			"vtgraph export $ID --format mermaid -o graph.mmd",
			"vtgraph export $ID --format json -o backup.json",
		},
		setup: func(fs *flag.FlagSet) runFunc {
			var format, out string
			fs.StringVar(&format, "format", "", "`FORMAT`: dot, mermaid or json (default dot)")
			fs.StringVar(&out, "o", "", "write to `FILE` instead of standard output")
			return func(ctx context.Context, r *runner, args []string) error {
				if format == "" {
					format = "dot"
					if r.g.json {
						format = "json"
					}
				}
				if format != "dot" && format != "mermaid" && format != "json" {
					return usagef("--format must be dot, mermaid or json, got %q", format)
				}
				c, err := r.client()
				if err != nil {
					return err
				}
				g, err := c.GetGraph(ctx, args[0], nil)
				if err != nil {
					return err
				}
				data, err := exportGraph(g, format)
				if err != nil {
					return err
				}
				if out == "" {
					_, err = r.stdout.Write(data)
					return err
				}
				if err := os.WriteFile(out, data, 0o644); err != nil {
					return fmt.Errorf("writing the export: %w", err)
				}
				return nil
			}
		},
	}
}

// exportGraph renders g in one of the export formats.
func exportGraph(g *vtgraph.Graph, format string) ([]byte, error) {
	switch format {
	case "mermaid":
		return []byte(g.Mermaid()), nil
	case "json":
		b, err := g.JSON()
		if err != nil {
			return nil, err
		}
		return append(b, '\n'), nil
	}
	return []byte(g.DOT()), nil
}
