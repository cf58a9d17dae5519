package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func (r *runner) connectCommand() *cobra.Command {
	var (
		graphID, from string
		p             pivotFlags
		rels          string
		hops, per     int
	)
	cmd := &cobra.Command{
		Use:   "connect [flags] A B",
		Short: "Search VirusTotal for a path between two indicators and add it to a graph.",
		Long: `
A and B are indicators (hashes, IP addresses, URLs, domains) or the ids of
nodes of the graph given with --graph or --from; without either, the path
goes into a new graph of the two. The search follows VirusTotal's
relationships from both ends at once, breadth first, for a path of at most
--max-hops relationships (3 by default): one request per entity explored,
within --max-requests (500 by default). The path found, a shortest one, is
added through relationship nodes, with the attributes the UI shows on the
entities it passes through, and printed hop by hop; an arrow shows which
way VirusTotal relates each pair.

No path within the hops is not an error: the command says so and exits 0
('"found": false' with --json). The result goes to -o, --create or --save
as for 'vtgraph expand'.`,
		Example: examples(
			"vtgraph connect acme-login.example acme-update.example --create 'Phishing to C2'",
			"vtgraph connect --graph $ID 203.0.113.77 cdn-lantern-sync.example --save",
			"vtgraph connect 0c58dc49280e7f1e1f531301d955b18c 192.0.2.10 --max-hops 2 --json",
		),
		Args:              exactArgs(2),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			if err := p.check(); err != nil {
				return err
			}
			if hops < 1 || per < 1 {
				return usagef("--max-hops and --per-relationship must be at least 1")
			}
			if graphID != "" && from != "" {
				return usagef("give --graph or --from, not both")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			g := vtgraph.NewGraph("")
			switch {
			case graphID != "":
				g, err = c.GetGraph(ctx, graphID, nil)
			case from != "":
				g, err = readGraphFile(from, r.stdin)
			}
			if err != nil {
				return err
			}
			ends := [2]string{}
			for i, a := range args {
				if ends[i], err = endNode(g, a); err != nil {
					return err
				}
			}
			update, done := r.progressBar("connect")
			report, err := c.Connect(ctx, g, ends[0], ends[1], &vtgraph.ConnectOptions{
				MaxHops: hops, Relationships: relationshipList(rels), MaxPerRelationship: per, PivotOptions: p.options(update),
			})
			done()
			if report == nil {
				return err
			}
			where, serr := r.store(ctx, c, g, &p)
			writeSkips(r.stderr, "connect", report.Skipped)
			if r.g.json {
				out := connectJSON{stored: where, Found: report.Path != nil, Path: []hopJSON{}, Requests: report.Requests,
					Explored: report.Explored, Skipped: skipsJSON(report.Skipped), Graph: g}
				for _, h := range report.Path {
					out.Path = append(out.Path, hopJSON{From: h.From, To: h.To, Relationship: string(h.Relationship), Reverse: h.Reverse})
				}
				if err != nil {
					out.Stopped = describe(err)
				}
				if jerr := writeJSON(r.stdout, out); jerr != nil {
					return jerr
				}
			} else if err == nil || report.Path != nil {
				if werr := writePath(r.stdout, ends, hops, report); werr != nil {
					return werr
				}
				writeStored(r.stdout, where, &p)
			}
			return errors.Join(err, serr)
		}),
	}
	fs := cmd.Flags()
	fs.StringVar(&graphID, "graph", "", "add the path to the graph `ID`")
	fs.StringVar(&from, "from", "", "add the path to the graph in a JSON `FILE` (- for stdin)")
	fs.IntVar(&hops, "max-hops", 3, "search paths of at most `N` relationships")
	fs.StringVar(&rels, "relationships", "", "follow only the relationships of a comma-separated `LIST`, such as resolutions,contacted_ips (default: all)")
	fs.IntVar(&per, "per-relationship", 10, "follow at most `N` related entities of each relationship")
	p.define(fs)
	_ = cmd.MarkFlagFilename("from", "json")
	_ = cmd.MarkFlagFilename("output", "json")
	_ = cmd.RegisterFlagCompletionFunc("relationships", completeRelationships)
	return cmd
}

// endNode returns the node of g an end of the path names: a node id of g,
// or an indicator, added to g when it has no node for it.
func endNode(g *vtgraph.Graph, arg string) (string, error) {
	if n := g.Node(arg); n != nil {
		return arg, nil
	}
	ind, err := ParseIndicator(arg)
	if err != nil {
		return "", inputErrorf("%v; give an indicator or the id of a node of the graph", err)
	}
	g.AddNode(ind.Value, ind.Type)
	return ind.Value, nil
}

// connectJSON is the --json output of connect.
type connectJSON struct {
	stored
	Found    bool           `json:"found"`
	Path     []hopJSON      `json:"path"`
	Requests int            `json:"requests"`
	Explored int            `json:"explored"`
	Stopped  string         `json:"stopped,omitempty"`
	Skipped  []skipJSON     `json:"skipped"`
	Graph    *vtgraph.Graph `json:"graph"`
}

type hopJSON struct {
	From         string `json:"from"`
	To           string `json:"to"`
	Relationship string `json:"relationship"`
	Reverse      bool   `json:"reverse"`
}

// writePath prints the path found, hop by hop, or says there is none.
func writePath(w io.Writer, ends [2]string, hops int, r *vtgraph.ConnectReport) error {
	if r.Path == nil {
		fmt.Fprintf(w, "No path of at most %s between %s and %s (%s, %s explored).\n",
			plural(hops, "hop"), ends[0], ends[1], plural(r.Requests, "request"), plural(r.Explored, "entity"))
		return nil
	}
	fmt.Fprintf(w, "A path of %s from %s to %s (%s, %s explored):\n\n",
		plural(len(r.Path), "hop"), ends[0], ends[1], plural(r.Requests, "request"), plural(r.Explored, "entity"))
	tw := newTable(w, "FROM", "RELATIONSHIP", "TO")
	for _, h := range r.Path {
		row(tw, h.From, hopRelationship(h), h.To)
	}
	return tw.Flush()
}

// hopRelationship names a hop's relationship with an arrow pointing the
// way VirusTotal relates the two: → when From lists To, ← when To lists
// From.
func hopRelationship(h vtgraph.Hop) string {
	if h.Reverse {
		return "← " + string(h.Relationship)
	}
	return string(h.Relationship) + " →"
}
