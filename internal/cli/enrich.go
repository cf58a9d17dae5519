package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func (r *runner) enrichCommand() *cobra.Command {
	var (
		src graphSource
		p   pivotFlags
	)
	cmd := &cobra.Command{
		Use:   "enrich [flags] (ID | INDICATOR... | --from FILE | --indicators FILE)",
		Short: "Fill in a graph's detections, file types and countries from VirusTotal.",
		Long: `
Looks up each file, URL, domain and IP address of the graph, one request
each, and fills in what the VirusTotal UI shows: has_detections (the engines
that flagged the entity in its last analysis), a file's type_tag and an IP
address's country. A file named by an MD5 or a SHA-1 takes its SHA-256, the
id graphs key files by, with its links, relationship nodes and group kept.
Entities VirusTotal does not know are left as they are and listed on
standard error.

The graph comes from its id, a JSON file or indicators, as for 'vtgraph
expand'; so does the result go to -o, --create or --save. --max-requests
(500 by default) enriches the first nodes in order and stops, reporting the
rest, as Ctrl-C and a spent quota do.`,
		Example: examples(
			"vtgraph enrich $ID --save",
			"vtgraph enrich --indicators iocs.txt --create 'Campaign 42'",
			"vtgraph enrich --from graph.json -o enriched.json --json",
		),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			if err := p.check(); err != nil {
				return err
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			g, err := src.load(ctx, r, c, args)
			if err != nil {
				return err
			}
			update, done := r.progressBar("enrich")
			report, err := c.Enrich(ctx, g, &vtgraph.EnrichOptions{PivotOptions: p.options(update)})
			done()
			if report == nil {
				return err
			}
			where, serr := r.store(ctx, c, g, &p)
			writeSkips(r.stderr, "enrich", report.Skipped)
			if len(report.Pending) > 0 {
				fmt.Fprintf(r.stderr, "vtgraph: enrich: stopped with %s not looked up\n", plural(len(report.Pending), "node"))
			}
			if r.g.json {
				out := enrichJSON{stored: where, Graph: g, Requests: report.Requests, Enriched: report.Enriched,
					Renamed: []renameJSON{}, Pending: report.Pending, Skipped: skipsJSON(report.Skipped)}
				if out.Enriched == nil {
					out.Enriched = []string{}
				}
				if out.Pending == nil {
					out.Pending = []string{}
				}
				for _, rn := range report.Renamed {
					out.Renamed = append(out.Renamed, renameJSON(rn))
				}
				if err != nil {
					out.Stopped = describe(err)
				}
				if jerr := writeJSON(r.stdout, out); jerr != nil {
					return jerr
				}
			} else if werr := writeEnrichment(r.stdout, g, report); werr != nil {
				return werr
			} else {
				writeStored(r.stdout, where, &p)
			}
			return errors.Join(err, serr)
		}),
	}
	fs := cmd.Flags()
	src.define(fs)
	p.define(fs)
	markFiles(cmd)
	return cmd
}

// enrichJSON is the --json output of enrich.
type enrichJSON struct {
	stored
	Graph    *vtgraph.Graph `json:"graph"`
	Requests int            `json:"requests"`
	Stopped  string         `json:"stopped,omitempty"`
	Enriched []string       `json:"enriched"`
	Renamed  []renameJSON   `json:"renamed"`
	Pending  []string       `json:"pending"`
	Skipped  []skipJSON     `json:"skipped"`
}

type renameJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// writeEnrichment prints the nodes enriched with what they show, and the
// files renamed.
func writeEnrichment(w io.Writer, g *vtgraph.Graph, r *vtgraph.EnrichReport) error {
	fmt.Fprintf(w, "Enriched %s in %s.\n", plural(len(r.Enriched), "node"), plural(r.Requests, "request"))
	for _, rn := range r.Renamed {
		fmt.Fprintf(w, "Renamed %s to %s.\n", rn.From, rn.To)
	}
	if len(r.Enriched) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := newTable(w, "TYPE", "ENTITY", "DETECTIONS", "FILE TYPE", "COUNTRY")
	for _, id := range r.Enriched {
		n := g.Node(id)
		if n == nil {
			continue
		}
		tag, _ := n.Attributes.String("type_tag")
		country, _ := n.Attributes.String("country")
		row(tw, string(n.Type), n.EntityID, detectionCount(n), tag, country)
	}
	return tw.Flush()
}
