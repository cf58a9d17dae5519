package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func (r *runner) expandCommand() *cobra.Command {
	var (
		src    graphSource
		p      pivotFlags
		rels   string
		nodes  []string
		depth  int
		per    int
		maxNod int
	)
	cmd := &cobra.Command{
		Use:   "expand [flags] (ID | INDICATOR... | --from FILE | --indicators FILE)",
		Short: "Expand a graph through VirusTotal: what its nodes lead to, level by level.",
		Long: `
Starts from a graph (its id, or a JSON file as 'vtgraph get --json' writes
it) or from indicators (as arguments, or a list in a file as 'vtgraph create
--indicators' reads it), and follows the relationships of its nodes, as the
VirusTotal UI expands a node: each relationship that holds anything becomes
a relationship node linked to the related entities, which are added with
their detections, a file's type and an address's country. --depth 2 expands
what the first level added too, and so on; --node starts from chosen nodes
rather than all.

Each node expanded costs one lookup, which says which relationships hold
anything, and a page of each that does (short of the last level, and
without --max-nodes, only of those the lookup did not list in full);
nothing is fetched twice and empty relationships are never fetched.
--max-requests (500 by default, a public key's daily quota), --max-nodes
and --per-relationship bound the expansion, which stops at the budget, on
Ctrl-C or when VirusTotal refuses a request for its quota: what was
expanded so far is printed, written and saved all the same, with what was
left, and the exit code says why it stopped.
Relationships that need a premium key are skipped without one.

The result is printed as 'vtgraph get' prints a graph; -o writes it as JSON
for 'vtgraph create --from', --create NAME saves it as a new graph and
--save back to the graph it started from. A progress bar is drawn on
standard error when it is a terminal.`,
		Example: examples(
			"vtgraph expand acme-login.example --depth 2 --create 'Acme phishing'",
			"vtgraph expand $ID --relationships resolutions,contacted_ips --save",
			"vtgraph expand --indicators iocs.txt --max-nodes 200 -o expanded.json",
			"vtgraph expand $ID --node 203.0.113.77 --per-relationship 40 --json",
		),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			if err := p.check(); err != nil {
				return err
			}
			if depth < 1 || per < 1 || maxNod < 0 {
				return usagef("--depth and --per-relationship must be at least 1, --max-nodes not negative")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			g, err := src.load(ctx, r, c, args)
			if err != nil {
				return err
			}
			update, done := r.progressBar("expand")
			opts := &vtgraph.ExpandGraphOptions{
				Depth: depth,
				From:  nodes,
				ExpandOptions: vtgraph.ExpandOptions{
					Relationships:      relationshipList(rels),
					MaxPerRelationship: per,
					MaxNodes:           maxNod,
					PivotOptions:       p.options(update),
				},
			}
			before := len(entityNodeIDs(g))
			report, err := c.ExpandGraph(ctx, g, opts)
			done()
			if report == nil {
				return err
			}
			where, serr := r.store(ctx, c, g, &p)
			writeSkips(r.stderr, "expand", report.Skipped)
			if r.g.json {
				if jerr := writeJSON(r.stdout, expandJSON{stored: where, Graph: g, Report: expandReportJSON(report, err)}); jerr != nil {
					return jerr
				}
			} else if werr := writeExpansion(r.stdout, g, report, before); werr != nil {
				return werr
			} else {
				writeStored(r.stdout, where, &p)
			}
			if err != nil || report.NodeLimit {
				writePending(r.stderr, report)
			}
			return errors.Join(err, serr)
		}),
	}
	fs := cmd.Flags()
	src.define(fs)
	fs.StringVar(&rels, "relationships", "", "follow only the relationships of a comma-separated `LIST`, such as resolutions,contacted_ips (default: all)")
	fs.StringArrayVar(&nodes, "node", nil, "start from the node `ID` rather than from all of them; repeat for more")
	fs.IntVar(&depth, "depth", 1, "expand `N` levels: 1 the nodes themselves, 2 also what they lead to")
	fs.IntVar(&per, "per-relationship", 10, "take at most `N` related entities from each relationship")
	fs.IntVar(&maxNod, "max-nodes", 0, "stop when the graph holds `N` entities; 0 for no limit")
	p.define(fs)
	markFiles(cmd)
	_ = cmd.RegisterFlagCompletionFunc("relationships", completeRelationships)
	return cmd
}

// expandJSON is the --json output of expand.
type expandJSON struct {
	stored
	Graph  *vtgraph.Graph `json:"graph"`
	Report reportJSON     `json:"report"`
}

// reportJSON is an expansion's report in --json output.
type reportJSON struct {
	Done      bool            `json:"done"`
	Requests  int             `json:"requests"`
	NodeLimit bool            `json:"node_limit"`
	Stopped   string          `json:"stopped,omitempty"`
	Expanded  []expansionJSON `json:"expanded"`
	Pending   []pendingJSON   `json:"pending"`
	Skipped   []skipJSON      `json:"skipped"`
}

type expansionJSON struct {
	Node         string `json:"node"`
	Depth        int    `json:"depth"`
	Relationship string `json:"relationship"`
	Added        int    `json:"added"`
	Linked       int    `json:"linked"`
	More         bool   `json:"more"`
}

type pendingJSON struct {
	Node  string `json:"node"`
	Depth int    `json:"depth"`
}

func expandReportJSON(r *vtgraph.ExpandReport, err error) reportJSON {
	out := reportJSON{Done: r.Done(), Requests: r.Requests, NodeLimit: r.NodeLimit,
		Expanded: []expansionJSON{}, Pending: []pendingJSON{}, Skipped: skipsJSON(r.Skipped)}
	if err != nil {
		out.Stopped = describe(err)
	}
	for _, x := range r.Expanded {
		out.Expanded = append(out.Expanded, expansionJSON{Node: x.Node, Depth: x.Depth, Relationship: string(x.Relationship),
			Added: x.Added, Linked: x.Linked, More: x.More})
	}
	for _, p := range r.Pending {
		out.Pending = append(out.Pending, pendingJSON{Node: p.Node, Depth: p.Depth})
	}
	return out
}

// writeExpansion prints what the expansion did, then the graph's
// entities with their detections and the relationships between them.
func writeExpansion(w io.Writer, g *vtgraph.Graph, r *vtgraph.ExpandReport, before int) error {
	nodes := map[string]bool{}
	for _, x := range r.Expanded {
		nodes[x.Node] = true
	}
	after := len(entityNodeIDs(g))
	fmt.Fprintf(w, "Expanded %s of %s in %s: %s added, %d in all.\n",
		plural(len(r.Expanded), "relationship"), plural(len(nodes), "node"), plural(r.Requests, "request"),
		plural(after-before, "entity"), after)
	if after == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := newTable(w, "TYPE", "ENTITY", "DETECTIONS")
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if !n.IsRelationship() {
			row(tw, string(n.EntityType()), n.EntityID, detectionCount(n))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeRelationships(w, g)
}

// detectionCount is the number of engines that flagged n, for a table, or
// "" when VirusTotal sent no count.
func detectionCount(n *vtgraph.Node) string {
	if d, ok := n.Attributes.DetectionCount(); ok {
		return itoa(d)
	}
	return ""
}

// writePending says on stderr what an expansion left.
func writePending(w io.Writer, r *vtgraph.ExpandReport) {
	if r.Done() {
		return
	}
	ids := make([]string, 0, 5)
	for _, p := range r.Pending[:min(len(r.Pending), 5)] {
		ids = append(ids, p.Node)
	}
	if len(r.Pending) > len(ids) {
		ids = append(ids, "…")
	}
	left := plural(len(r.Pending), "node") + " still to expand: " + strings.Join(ids, ", ")
	if r.NodeLimit {
		fmt.Fprintf(w, "vtgraph: expand: stopped at the --max-nodes limit with %s\n", left)
		return
	}
	fmt.Fprintf(w, "vtgraph: expand: %s\n", left)
}

// entityNodeIDs returns the ids of g's nodes other than relationship nodes.
func entityNodeIDs(g *vtgraph.Graph) []string {
	var out []string
	for i := range g.Nodes {
		if !g.Nodes[i].IsRelationship() {
			out = append(out, g.Nodes[i].EntityID)
		}
	}
	return out
}

// relationshipList reads the comma-separated --relationships of expand
// and connect; empty means all.
func relationshipList(s string) []vtgraph.Relationship {
	var out []vtgraph.Relationship
	for _, name := range splitList(s) {
		out = append(out, vtgraph.Relationship(name))
	}
	return out
}

// completeRelationships offers the relationships of every entity type, for
// comma-separated --relationships.
func completeRelationships(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	done, last := "", toComplete
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		done, last = toComplete[:i+1], toComplete[i+1:]
	}
	var names []string
	for _, t := range []vtgraph.NodeType{vtgraph.NodeTypeFile, vtgraph.NodeTypeURL, vtgraph.NodeTypeDomain, vtgraph.NodeTypeIPAddress} {
		for _, info := range vtgraph.EntityRelationships(t) {
			if n := string(info.Name); strings.HasPrefix(n, last) && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	slices.Sort(names)
	out := make([]cobra.Completion, len(names))
	for i, n := range names {
		out[i] = done + n
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}
