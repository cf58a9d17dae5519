package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func (r *runner) getCommand() *cobra.Command {
	var attrs string
	cmd := &cobra.Command{
		Use:   "get [flags] ID",
		Short: "Show a graph: its details, entities and relationships.",
		Long: `
The table lists the graph's entities (files, domains, IP addresses, URLs…) and
the relationships between them, looking through the intermediate
relationship nodes the VirusTotal UI draws. --json prints the graph object as
the API returns it.`,
		Example: examples(
			"vtgraph get $ID",
			"vtgraph get $ID --json | jq '.attributes.nodes | length'",
		),
		Args:              exactArgs(1),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			c, err := r.client()
			if err != nil {
				return err
			}
			g, err := c.GetGraph(ctx, args[0], &vtgraph.GetGraphOptions{Attributes: splitList(attrs)})
			if err != nil {
				return err
			}
			if r.g.json {
				return writeJSON(r.stdout, g)
			}
			return writeGraph(r.stdout, g)
		}),
	}
	cmd.Flags().StringVar(&attrs, "attributes", "", "comma-separated `LIST` of attributes to fetch (default: all)")
	completeAttributes(cmd, "attributes")
	return cmd
}

// writeGraph prints a graph's details, its entities and the relationships
// between them.
func writeGraph(w io.Writer, g *vtgraph.Graph) error {
	if err := writeGraphSummary(w, g); err != nil {
		return err
	}
	var entities []*vtgraph.Node
	for i := range g.Nodes {
		if !g.Nodes[i].IsRelationship() {
			entities = append(entities, &g.Nodes[i])
		}
	}
	if len(entities) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := newTable(w, "TYPE", "ENTITY", "LABEL")
	for _, n := range entities {
		row(tw, string(n.Type), n.EntityID, n.Text)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeRelationships(w, g)
}

// relationship is one hop between two entities of a graph, looking through
// the relationship node the VirusTotal UI draws between them.
type relationship struct {
	Source, Type, Target string
}

// relationships lists the hops between g's entities, in the order of the
// entities they start from.
func relationships(g *vtgraph.Graph) []relationship {
	var rels []relationship
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.IsRelationship() {
			continue
		}
		for _, m := range g.Related(n.EntityID) {
			rels = append(rels, relationship{Source: n.EntityID, Type: m.ConnectionType, Target: m.Node.EntityID})
		}
	}
	return rels
}

// writeRelationships prints the relationships table of g after a blank
// line, or nothing when its entities are not related.
func writeRelationships(w io.Writer, g *vtgraph.Graph) error {
	rels := relationships(g)
	if len(rels) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := newTable(w, "SOURCE", "RELATIONSHIP", "TARGET")
	for _, rel := range rels {
		row(tw, rel.Source, rel.Type, rel.Target)
	}
	return tw.Flush()
}

// writeGraphSummary prints a graph's fields as a two-column table.
func writeGraphSummary(w io.Writer, g *vtgraph.Graph) error {
	entities := len(entityNodeIDs(g))
	tw := newTable(w, "ID", g.ID)
	row(tw, "NAME", g.Description)
	if owner := g.Owner(); owner != "" {
		row(tw, "OWNER", owner)
	}
	row(tw, "PRIVATE", yesNo(g.Private))
	row(tw, "NODES", fmt.Sprintf("%d (%s)", len(g.Nodes), plural(entities, "entity")))
	row(tw, "LINKS", itoa(int64(len(g.Links))))
	row(tw, "VIEWS", itoa(g.ViewsCount))
	row(tw, "COMMENTS", itoa(g.CommentsCount))
	row(tw, "CREATED", timeText(g.CreationDate))
	row(tw, "MODIFIED", timeText(g.LastModifiedDate))
	row(tw, "URL", g.URL())
	return tw.Flush()
}

func (r *runner) createCommand() *cobra.Command {
	var (
		name, from, fromSTIX, indicators string
		private                          bool
	)
	cmd := &cobra.Command{
		Use:   "create [flags] --name NAME (--from FILE | --from-stix FILE | --indicators FILE)",
		Short: "Create a graph from a JSON file, a STIX 2.1 bundle or a list of indicators.",
		Long: `
--from reads a graph in the API's JSON object form (what 'vtgraph get --json'
or 'vtgraph export --format json' prints, with or without a {"data": …}
envelope). --from-stix reads a STIX 2.1 bundle, such as one another
platform exported: observables become nodes, relationships typed links
through relationship nodes; what a graph has no place for is counted and
listed on standard error, never dropped in silence. The name is --name, else
the bundle's report or grouping. --indicators reads one indicator a line,
"#" starting a comment: an MD5, SHA-1 or SHA-256 becomes a file node, an
IPv4 or IPv6 address an ip_address node, an http(s) URL a url node,
anything else that looks like a host name a domain node. "-" reads standard
input.

The graph is checked before it is sent; every problem is reported at once
(exit code 6). The new graph's id and its page in the VirusTotal UI are
printed.`,
		Example: examples(
			"vtgraph create --name 'Campaign 42' --indicators iocs.txt --private",
			"grep -v '^$' feed.txt | vtgraph create --name 'Feed import' --indicators -",
			"vtgraph create --from saved-graph.json --name 'Copy of the investigation'",
			"vtgraph create --from-stix opencti-export.json --private",
		),
		Args:              exactArgs(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, _ []string) error {
			var (
				g      *vtgraph.Graph
				report *stix.Report
			)
			given := 0
			for _, f := range []string{from, fromSTIX, indicators} {
				if f != "" {
					given++
				}
			}
			switch {
			case given != 1:
				return usagef("give exactly one of --from, --from-stix and --indicators")
			case fromSTIX != "":
				b, err := readInputFile(fromSTIX, r.stdin)
				if err != nil {
					return err
				}
				if g, report, err = stix.Import(b); err != nil {
					return inputErrorf("%s: %s", inputName(fromSTIX), describe(err))
				}
				g.ID = ""
				if name != "" {
					g.Description = name
				}
				if g.Description == "" {
					return usagef("--name is required: the bundle names no report or grouping")
				}
				fmt.Fprint(r.stderr, "vtgraph: create: from STIX: "+report.String())
			case from != "":
				var err error
				if g, err = readGraphFile(from, r.stdin); err != nil {
					return err
				}
				g.ID = ""
				if name != "" {
					g.Description = name
				}
				if g.Description == "" {
					return usagef("--name is required: the file has no description")
				}
			default:
				if name == "" {
					return usagef("--name is required with --indicators")
				}
				in, closeIn, err := openInput(indicators, r.stdin)
				if err != nil {
					return err
				}
				inds, err := ParseIndicators(in)
				closeIn()
				if err != nil {
					return fmt.Errorf("%s: %w", inputName(indicators), err)
				}
				g = graphFromIndicators(name, inds)
			}
			if private {
				g.Private = true
			}
			if err := g.Validate(); err != nil {
				return err
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			id, err := c.CreateGraph(ctx, g)
			if err != nil {
				return err
			}
			if r.g.json {
				return writeJSON(r.stdout, createdJSON{ID: id, URL: vtgraph.GraphURL(id), Nodes: len(g.Nodes), STIX: stixReportJSON(report)})
			}
			fmt.Fprintf(r.stdout, "Created graph %s with %s.\n%s\n", id, plural(len(g.Nodes), "node"), vtgraph.GraphURL(id))
			return nil
		}),
	}
	fs := cmd.Flags()
	fs.StringVar(&name, "name", "", "the graph's `NAME` (its description in the API)")
	fs.StringVar(&from, "from", "", "read the graph from a JSON `FILE` (- for stdin)")
	fs.StringVar(&fromSTIX, "from-stix", "", "build the graph from a STIX 2.1 bundle in `FILE` (- for stdin)")
	fs.StringVar(&indicators, "indicators", "", "read indicators from `FILE`, one a line (- for stdin)")
	fs.BoolVar(&private, "private", false, "make the graph private: visible only to you and whom you share it with")
	_ = cmd.MarkFlagFilename("from", "json")
	_ = cmd.MarkFlagFilename("from-stix", "json")
	_ = cmd.MarkFlagFilename("indicators")
	return cmd
}

// createdJSON is the --json output of create.
type createdJSON struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Nodes int    `json:"nodes"`
	// STIX is what --from-stix kept and dropped of the bundle.
	STIX *stixJSON `json:"stix,omitempty"`
}

// stixJSON is a stix.Report in the --json output.
type stixJSON struct {
	Kept       map[string]int      `json:"kept"`
	Dropped    []stixDroppedJSON   `json:"dropped"`
	Properties map[string][]string `json:"properties_not_kept"`
}

type stixDroppedJSON struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Reason string `json:"reason"`
}

// stixReportJSON is rep for --json; nil for no report.
func stixReportJSON(rep *stix.Report) *stixJSON {
	if rep == nil {
		return nil
	}
	out := &stixJSON{Kept: rep.Kept, Dropped: []stixDroppedJSON{}, Properties: rep.Properties}
	for _, d := range rep.Dropped {
		out.Dropped = append(out.Dropped, stixDroppedJSON(d))
	}
	return out
}

func (r *runner) updateCommand() *cobra.Command {
	var (
		name, from string
		force      bool
		private    optionalBool
	)
	cmd := &cobra.Command{
		Use:   "update [flags] ID",
		Short: "Change a graph's name, visibility or content.",
		Long: `
Only what is given is sent: --private=false alone makes the graph public and
leaves its name, nodes and links as they are. --name keeps the other keys of
graph_data (such as the UI version) by reading graph_data first, so a rename
takes two requests: a GET of graph_data alone, then the PATCH. --from
replaces the nodes and links with those of a JSON file (the file's name and
visibility are not used). The updated graph's details are printed.

A file written by 'vtgraph get --json' or 'vtgraph export --format json'
carries the graph's last_modified_date. If someone saved the graph since,
--from refuses to overwrite their change: nothing is written, both dates
are printed, and the exit code is 9. Compare the two with 'vtgraph diff ID
FILE', or give --force to overwrite anyway. A file without the date cannot
be checked, which a note on stderr says.`,
		Example: examples(
			"vtgraph update $ID --private",
			"vtgraph update $ID --private=false --name 'Campaign 42 (public)'",
			"vtgraph update $ID --from edited.json",
			"vtgraph update $ID --from edited.json --force",
		),
		Args:              exactArgs(1),
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	fs := cmd.Flags()
	optionalBoolVar(fs, &private, "private", "make the graph private (--private) or public (--private=false)")
	fs.StringVar(&name, "name", "", "rename the graph to `TEXT` (two requests: graph_data is read first)")
	fs.StringVar(&from, "from", "", "replace nodes and links with those of a JSON `FILE` (- for stdin)")
	fs.BoolVar(&force, "force", false, "with --from, overwrite the graph even if someone saved it since the file was written")
	_ = cmd.MarkFlagFilename("from", "json")
	cmd.RunE = r.action(func(ctx context.Context, args []string) error {
		named := fs.Changed("name")
		if !private.set && !named && from == "" {
			return usagef("nothing to update: give --private, --name or --from")
		}
		if force && from == "" {
			return usagef("--force applies to --from only")
		}
		u := &vtgraph.GraphUpdate{}
		if private.set {
			u.Private = &private.value
		}
		if named {
			u.Description = &name
		}
		if from != "" {
			g, err := readGraphFile(from, r.stdin)
			if err != nil {
				return err
			}
			g.ID = ""
			if err := g.Validate(); err != nil {
				return err
			}
			g.RenumberIndexes()
			u.Nodes, u.Links = g.Nodes, g.Links
			switch {
			case force:
			case g.LastModifiedDate.IsZero():
				fmt.Fprintf(r.stderr, "vtgraph: update: note: %s has no last_modified_date, so a save made since it was written cannot be detected\n", inputName(from))
			default:
				u.UnmodifiedSince = g.LastModifiedDate
			}
		}
		c, err := r.client()
		if err != nil {
			return err
		}
		g, err := c.UpdateGraph(ctx, args[0], u)
		if err != nil {
			return err
		}
		if r.g.json {
			return writeJSON(r.stdout, g)
		}
		return writeGraphSummary(r.stdout, g)
	})
	return cmd
}

func (r *runner) deleteCommand() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete [flags] ID",
		Short: "Delete a graph. Only its owner may.",
		Long: `
Deleting cannot be undone. On a terminal the command asks first; elsewhere,
as in a script, it needs --yes.`,
		Example: examples(
			"vtgraph delete $ID",
			"vtgraph delete $ID --yes --json",
		),
		Args:              exactArgs(1),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			if err := r.confirm(ctx, yes, fmt.Sprintf("Delete graph %s? It cannot be undone.", args[0])); err != nil {
				return err
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			if err := c.DeleteGraph(ctx, args[0]); err != nil {
				return err
			}
			if r.g.json {
				return writeJSON(r.stdout, map[string]any{"id": args[0], "deleted": true})
			}
			fmt.Fprintf(r.stdout, "Deleted graph %s.\n", args[0])
			return nil
		}),
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "delete without asking; needed when not on a terminal")
	return cmd
}

// openInput opens a file, or stdin for "-". The returned function closes
// it.
func openInput(path string, stdin io.Reader) (io.Reader, func(), error) {
	if path == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { _ = f.Close() }, nil
}

// inputName names a file argument in messages.
func inputName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// maxGraphFile bounds a graph file read into memory; real graphs are a few
// MiB at most.
const maxGraphFile = 64 << 20

// readGraphFile reads a graph in the API's object form, bare or in a
// {"data": …} envelope.
func readGraphFile(path string, stdin io.Reader) (*vtgraph.Graph, error) {
	b, err := readInputFile(path, stdin)
	if err != nil {
		return nil, err
	}
	var envelope struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(b, &envelope) == nil && len(envelope.Data) > 0 && !bytes.Equal(envelope.Data, []byte("null")) {
		b = envelope.Data
	}
	var g vtgraph.Graph
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, inputErrorf("%s is not a graph: %s", inputName(path), describe(err))
	}
	return &g, nil
}

// readInputFile reads a file, or standard input for "-", of at most
// maxGraphFile bytes.
func readInputFile(path string, stdin io.Reader) ([]byte, error) {
	in, closeIn, err := openInput(path, stdin)
	if err != nil {
		return nil, err
	}
	defer closeIn()
	b, err := io.ReadAll(io.LimitReader(in, maxGraphFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", inputName(path), err)
	}
	if len(b) > maxGraphFile {
		return nil, inputErrorf("%s: larger than %d MiB", inputName(path), maxGraphFile>>20)
	}
	return b, nil
}
