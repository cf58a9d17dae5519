package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// exportFormats are the formats export writes, in the order help lists
// them; the last three are drawn by Graphviz.
var exportFormats = []string{"dot", "mermaid", "json", "stix", "svg", "png", "html"}

// formatByExtension picks the format from the name of the -o file when
// --format is not given.
var formatByExtension = map[string]string{
	".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".json": "json",
	".svg": "svg", ".png": "png", ".html": "html", ".htm": "html",
}

func (r *runner) exportCommand() *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "export [flags] ID",
		Short: "Export a graph as a picture (SVG, PNG, an HTML page), Graphviz DOT, Mermaid, JSON or STIX 2.1.",
		Long: `
dot is the Graphviz source, mermaid a flowchart for Markdown viewers that
draw them, and json the graph object that 'vtgraph create --from' and
'vtgraph update --from' read back. stix is a STIX 2.1 bundle for MISP,
OpenCTI and other threat-intelligence platforms, which 'vtgraph create
--from-stix' reads back: the entities as cyber-observables, each hop as a
relationship, the graph as a report; what STIX has no place for is listed
on standard error. The same graph always gives the same bundle.
svg, png and html are drawn by Graphviz's
dot command, which must be installed (the graphviz package); html is one
self-contained page with the picture, a table of the entities and their
relationships and a link to the graph in VirusTotal, and loads nothing from
the network.

The pictures are laid out left to right, with a shape and colour per entity
type and a legend; entities with detections are outlined in red, each hop
names its relationship once, and unlinked nodes are packed in a grid.

The format is --format, else the extension of the -o file (.dot, .gv, .mmd,
.json, .svg, .png, .html), else json with --json, else dot. PNG is binary:
it is not written to a terminal.`,
		Example: examples(
			"vtgraph export $ID -o graph.svg",
			"vtgraph export $ID --format html -o graph.html",
			"vtgraph export $ID | dot -Tpdf > graph.pdf",
			"vtgraph export $ID --format mermaid --output graph.mmd",
			"vtgraph export $ID --format json -o backup.json",
			"vtgraph export $ID --format stix -o bundle.json",
		),
		Args:              exactArgs(1),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			format := exportFormat(format, out, r.g.json)
			if !slices.Contains(exportFormats, format) {
				return usagef("--format must be %s, got %q", strings.Join(exportFormats[:len(exportFormats)-1], ", ")+" or "+exportFormats[len(exportFormats)-1], format)
			}
			if format == "png" && out == "" && isTerminal(r.stdout) {
				return usagef("PNG is binary: write it to a file with -o FILE, or redirect standard output")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			g, err := c.GetGraph(ctx, args[0], nil)
			if err != nil {
				return err
			}
			data, err := r.exportGraph(ctx, g, format)
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
		}),
	}
	fs := cmd.Flags()
	fs.StringVar(&format, "format", "", "output `FORMAT`: "+strings.Join(exportFormats, ", ")+" (default: from the -o file's extension, else dot)")
	fs.StringVarP(&out, "output", "o", "", "write to `FILE` instead of standard output")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]cobra.Completion{
		cobra.CompletionWithDesc("dot", "Graphviz source"),
		cobra.CompletionWithDesc("mermaid", "Mermaid flowchart"),
		cobra.CompletionWithDesc("json", "the graph object, for create --from"),
		cobra.CompletionWithDesc("stix", "STIX 2.1 bundle, for create --from-stix"),
		cobra.CompletionWithDesc("svg", "picture, drawn by Graphviz"),
		cobra.CompletionWithDesc("png", "picture, drawn by Graphviz"),
		cobra.CompletionWithDesc("html", "self-contained page with the picture and tables"),
	}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagFilename("output")
	return cmd
}

// exportFormat is the format asked for: --format, else the output file's
// extension, else json with --json, else dot.
func exportFormat(format, out string, json bool) string {
	switch {
	case format != "":
		return format
	case formatByExtension[strings.ToLower(filepath.Ext(out))] != "":
		return formatByExtension[strings.ToLower(filepath.Ext(out))]
	case json:
		return "json"
	}
	return "dot"
}

// exportGraph renders g in one of the export formats.
func (r *runner) exportGraph(ctx context.Context, g *vtgraph.Graph, format string) ([]byte, error) {
	switch format {
	case "mermaid":
		return []byte(g.Mermaid()), nil
	case "json":
		b, err := g.JSON()
		if err != nil {
			return nil, err
		}
		return append(b, '\n'), nil
	case "stix":
		b, rep, err := stix.Export(g)
		if err != nil {
			return nil, err
		}
		if len(rep.Dropped) > 0 {
			fmt.Fprint(r.stderr, "vtgraph: export: STIX has no place for some of the graph: "+rep.String())
		}
		return append(b, '\n'), nil
	case "svg", "png":
		return r.renderDOT(ctx, g.DOT(), format)
	case "html":
		svg, err := r.renderDOT(ctx, g.DOT(), "svg")
		if err != nil {
			return nil, err
		}
		return graphPage(g, svg)
	}
	return []byte(g.DOT()), nil
}
