package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// ExpandOptions say how [Client.Expand] and [Client.ExpandGraph] follow a
// node's relationships. A nil *ExpandOptions takes every relationship, ten
// related objects each, without limits.
type ExpandOptions struct {
	// Relationships are those to follow, in order. Each applies to the
	// node types that have it ([EntityRelationships]): "resolutions" to
	// domains and IP addresses, "contacted_ips" to files and URLs. nil
	// means every relationship of the node's type that leads to something
	// a graph shows: files, URLs, domains, IP addresses, collections,
	// references, whois records and TLS certificates. A name no type has
	// is sent as is, for relationships VirusTotal adds later; a type that
	// turns out not to have it is reported in [ExpandReport.Skipped].
	Relationships []Relationship
	// MaxPerRelationship is the most related objects taken from each
	// relationship of each node, in the order VirusTotal lists them; 0
	// means 10, what the VirusTotal UI loads.
	MaxPerRelationship int
	// MaxNodes is the most entity nodes (nodes other than relationship
	// nodes) the graph may hold, those it had included; 0 means no limit.
	// An expansion that reaches it stops, without an error, and says so in
	// [ExpandReport.NodeLimit].
	MaxNodes int
	// Resume continues the expansion an earlier call reported, on the
	// graph that call returned, exactly where it stopped: with its
	// relationships, depth, starting nodes and MaxPerRelationship (which
	// must then be left unset here), its cache, and this call's budgets.
	// Nothing fetched before is fetched again.
	Resume *ExpandReport

	PivotOptions
}

// ExpandGraphOptions are the options of [Client.ExpandGraph]: those of
// [ExpandOptions], how deep to go, and where to start.
type ExpandGraphOptions struct {
	ExpandOptions
	// Depth is how many levels to expand: 1 expands the starting nodes, 2
	// also the nodes they lead to, and so on. 0 means 1.
	Depth int
	// From are the ids of the nodes to start from, in order; nil means
	// every file, URL, domain and IP address node of the graph, in graph
	// order.
	From []string
}

// defaultMaxPerRelationship is the MaxPerRelationship of a call that sets
// none.
const defaultMaxPerRelationship = 10

// ExpandReport says what an expansion did and what it left. Pass it as
// [ExpandOptions.Resume] to continue an expansion that stopped.
type ExpandReport struct {
	// Expanded lists each relationship expanded that held anything, in
	// the order the expansion took them, the calls it resumed included.
	Expanded []Expansion
	// Pending lists the nodes whose expansion is not finished, in the
	// order a resumed call takes them; empty when the expansion is
	// complete. The first may be half done.
	Pending []PendingNode
	// Skipped lists what could not be expanded, and why.
	Skipped []Skip
	// NodeLimit says the expansion stopped because the graph held
	// [ExpandOptions.MaxNodes] entity nodes.
	NodeLimit bool
	// Requests counts the requests this call sent.
	Requests int

	walk *expandWalk
}

// Done reports whether the expansion is complete: nothing is pending.
func (r *ExpandReport) Done() bool { return len(r.Pending) == 0 }

// Expansion is one relationship of one node, expanded.
type Expansion struct {
	// Node is the id of the node expanded.
	Node string
	// Depth is the node's distance from the starting nodes, 0 for one of
	// them.
	Depth int
	// Relationship is the relationship followed.
	Relationship Relationship
	// Added counts the nodes it added to the graph.
	Added int
	// Linked counts the related objects linked to the node: those added
	// and those the graph had. A node is not linked to itself.
	Linked int
	// More says the relationship may hold more than MaxPerRelationship
	// objects: VirusTotal had another page.
	More bool
}

// PendingNode is a node an expansion has yet to expand.
type PendingNode struct {
	// Node is the node's id.
	Node string
	// Depth is its distance from the starting nodes.
	Depth int
}

// Skip is something a pivoting call could not use, and why.
type Skip struct {
	// Node is the node concerned, or "" for every node of Type.
	Node string
	// Type is the node's type.
	Type NodeType
	// Relationship is the relationship refused, or "" when the node
	// itself could not be looked up.
	Relationship Relationship
	// Err is VirusTotal's answer: a *PremiumError for a premium
	// relationship asked for without a premium key, or an *APIError
	// matching ErrNotFound for an entity it does not know, or
	// ErrInvalidArgument for a relationship the type does not have.
	Err error
}

// Expand follows the relationships of one node of g, as the VirusTotal UI
// expands a node: for each relationship that holds anything, it adds a
// relationship node named [RelationshipNodeID](relationship, node) linked
// from the node, and links it to each related object, adding those the
// graph lacks with the attributes the UI shows (see [Client.Enrich]); an
// entity reached through a DNS resolution gets its detections from the
// resolution, and the rest from Enrich. A node looked up to learn which of
// its relationships hold anything gets its own attributes from the answer.
// It is ExpandGraph from that node alone, one level deep; see there for the
// requests it sends, its limits and how it stops.
func (c *Client) Expand(ctx context.Context, g *Graph, nodeID string, opts *ExpandOptions) (*ExpandReport, error) {
	var o ExpandGraphOptions
	if opts != nil {
		o.ExpandOptions = *opts
	}
	if o.Resume == nil {
		var p paramProblems
		checkEntityNode(&p, g, "node", nodeID)
		if err := p.err(); err != nil {
			return nil, err
		}
		o.From = []string{nodeID}
	}
	return c.ExpandGraph(ctx, g, &o)
}

// ExpandGraph expands g breadth first, from chosen nodes or from all of
// them, to a depth: each node as [Client.Expand] does, then the nodes that
// added, and so on. A node is expanded once and added once: a related
// object the graph has is linked, not added again, a node is never linked
// to itself, and a cycle ends where it closes.
//
// Requests: one lookup of each node to expand, asking which of its
// relationships hold anything (the relationships are included in the
// answer with their first related objects,
// [GetEntityOptions.Relationships]), and the pages of related objects,
// with their attributes, of those that do. Short of the last level, and
// without a node limit, a relationship whose objects the lookup listed
// all of needs no page: the next level looks each of them up. A node
// expanded through one relationship gets its page directly. Nothing is
// fetched twice, not across levels, and not across calls sharing
// [PivotOptions.Cache]; empty relationships are never fetched. Up to
// [PivotOptions.Concurrency] requests are in flight at once, all through
// the client and its rate limit.
//
// The graph comes out the same whatever the concurrency and timing: nodes
// and links are added level by level, in the order of the nodes expanded,
// of their relationships, and of the objects VirusTotal lists. The limits
// hold exactly: [ExpandOptions.MaxPerRelationship] objects per
// relationship, [ExpandOptions.MaxNodes] entity nodes, and
// [PivotOptions.MaxRequests] requests; the node limit cuts the expansion
// at the same node every time. Which requests fit in a request budget
// depends on timing when more than one is in flight at once (answers
// arriving sooner show sooner what else to fetch); with Concurrency 1 the
// cut is the same every time, and a resumed expansion ends with the same
// graph either way.
//
// Relationships that need a premium API key are skipped without one, and
// entities VirusTotal does not know are not expanded; both are listed in
// [ExpandReport.Skipped]. On the request budget, on cancellation, or when
// VirusTotal refuses a request for the quota (a QuotaExceededError that
// the retry policy does not wait out) or for any other reason, it stops
// and returns g as far as it got, the report, and an error: a
// *BudgetError, the context's error, or the *APIError wrapped; resume
// with the report. The report is nil only when the arguments are invalid,
// a *ParamError sent before anything.
func (c *Client) ExpandGraph(ctx context.Context, g *Graph, opts *ExpandGraphOptions) (*ExpandReport, error) {
	var o ExpandGraphOptions
	if opts != nil {
		o = *opts
	}
	w, err := newExpandWalk(g, &o)
	if err != nil {
		return nil, err
	}
	w.speculate = o.MaxNodes == 0
	f := newFetcher(ctx, c, &o.PivotOptions, w.cache)
	err = w.run(g, f, o.MaxNodes)
	if err != nil {
		// Answers to requests in flight may still take the walk further.
		f.stop(err)
		err = w.run(g, f, o.MaxNodes)
	} else {
		f.close()
	}
	report := w.report()
	report.Requests = f.requests()
	if err != nil {
		err = redactKey(fmt.Errorf("vtgraph: the expansion stopped with %s pending: %w", plural(len(report.Pending), "node"), err), c.pipe.key.reveal())
	}
	return report, err
}

// checkEntityNode reports a node id that is not one of g's files, URLs,
// domains or IP addresses, the nodes VirusTotal has lookups and
// relationships for.
func checkEntityNode(p *paramProblems, g *Graph, path, id string) {
	if g == nil {
		return
	}
	n := g.Node(id)
	switch {
	case id == "":
		p.add(path, "empty")
	case n == nil:
		p.addf(path, "node %s is not in the graph", strconv.Quote(truncateValue(id)))
	case !entityType(n.EntityType()):
		p.addf(path, "node %s is a %s node, not a file, URL, domain or IP address", strconv.Quote(truncateValue(id)), n.EntityType())
	}
}

// newExpandWalk checks the options and returns the walk to run: a new one,
// or a copy of the one being resumed.
func newExpandWalk(g *Graph, o *ExpandGraphOptions) (*expandWalk, error) {
	var p paramProblems
	if g == nil {
		p.add("graph", "nil")
	}
	o.PivotOptions.check(&p)
	if o.MaxNodes < 0 {
		p.addf("max_nodes", "must not be negative, got %d", o.MaxNodes)
	}
	if r := o.Resume; r != nil {
		switch {
		case r.walk == nil:
			p.add("resume", "not a report of an expansion")
		case o.Cache != nil && o.Cache != r.walk.cache:
			p.add("cache", "differs from the cache of the expansion resumed")
		}
		if o.Relationships != nil || o.MaxPerRelationship != 0 || o.Depth != 0 || o.From != nil {
			p.add("resume", "the relationships, depth, starting nodes and max_per_relationship are those of the expansion resumed; leave them unset")
		}
		if err := p.err(); err != nil {
			return nil, err
		}
		return r.walk.clone(), nil
	}
	if o.MaxPerRelationship < 0 {
		p.addf("max_per_relationship", "must not be negative, got %d", o.MaxPerRelationship)
	}
	if o.Depth < 0 {
		p.addf("depth", "must not be negative, got %d", o.Depth)
	}
	checkRelationships(&p, o.Relationships)
	from := o.From
	if from == nil && g != nil {
		for i := range g.Nodes {
			if n := &g.Nodes[i]; entityType(n.EntityType()) {
				from = append(from, n.EntityID)
			}
		}
	} else {
		for i, id := range from {
			checkEntityNode(&p, g, "from["+strconv.Itoa(i)+"]", id)
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	w := &expandWalk{
		rels:   slices.Clone(o.Relationships),
		depth:  max(o.Depth, 1),
		maxPer: o.MaxPerRelationship,
		cache:  o.Cache,
		seen:   map[string]bool{},
		alias:  map[EntityRef]string{},
		skips:  map[Skip]bool{},
	}
	if w.maxPer == 0 {
		w.maxPer = defaultMaxPerRelationship
	}
	if w.cache == nil {
		w.cache = new(PivotCache)
	}
	w.levels = [][]string{nil}
	for _, id := range from {
		if !w.seen[id] {
			w.seen[id] = true
			w.levels[0] = append(w.levels[0], id)
		}
	}
	return w, nil
}

// errNodeLimit stops the walk when the graph holds MaxNodes entity nodes.
var errNodeLimit = errors.New("the node limit is reached")

// plural writes a count with a noun, "1 node" or "3 nodes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
