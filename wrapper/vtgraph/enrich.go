package vtgraph

import (
	"context"
	"fmt"
	"strconv"
)

// EnrichOptions say which nodes [Client.Enrich] looks up, within which
// limits. A nil *EnrichOptions enriches every file, URL, domain and IP
// address node.
type EnrichOptions struct {
	// Nodes are the ids of the nodes to enrich, in order; nil means every
	// file, URL, domain and IP address node of the graph, in graph order.
	Nodes []string

	PivotOptions
}

// EnrichReport says what [Client.Enrich] did and what it left.
type EnrichReport struct {
	// Enriched lists the nodes whose attributes were filled in, in order,
	// by the ids they have afterwards.
	Enriched []string
	// Renamed lists the file nodes named by an MD5 or a SHA-1 that took
	// their SHA-256 as id.
	Renamed []Rename
	// Skipped lists the nodes VirusTotal could not look up, such as those
	// it does not know.
	Skipped []Skip
	// Pending lists the nodes not looked up when the call stopped.
	Pending []string
	// Requests counts the requests the call sent.
	Requests int
}

// Enrich fills in the attributes the VirusTotal UI shows on the file, URL,
// domain and IP address nodes of g, from VirusTotal: has_detections, the
// number of engines that flagged the entity (AnalysisStats.Detections of
// its last analysis); a file's type_tag, which the UI draws it by; an IP
// address's country. Other attributes are kept. A file node named by an
// MD5 or a SHA-1 is renamed to the file's SHA-256, the id graphs key files
// by, with its links, its relationship nodes and its group membership
// kept ([Graph.RenameNode]).
//
// It sends one request per node, a lookup, at most, none for an entity a
// call sharing [PivotOptions.Cache] fetched already (an expansion fetches
// the attributes of what it adds), within [PivotOptions] limits: with a
// request budget, the nodes looked up are the first ones in order, however
// many requests are in flight at once. Nodes VirusTotal does not know are
// left as they are and listed in [EnrichReport.Skipped]. On the budget, on
// cancellation or on an error such as a spent quota, it stops with what
// it has applied and the nodes left in [EnrichReport.Pending], and returns
// a *BudgetError, the context's error or the *APIError, wrapped. The
// report is nil only when the arguments are invalid, a *ParamError sent
// before anything.
func (c *Client) Enrich(ctx context.Context, g *Graph, opts *EnrichOptions) (*EnrichReport, error) {
	var o EnrichOptions
	if opts != nil {
		o = *opts
	}
	var p paramProblems
	if g == nil {
		p.add("graph", "nil")
	}
	o.PivotOptions.check(&p)
	ids := o.Nodes
	if ids == nil && g != nil {
		for i := range g.Nodes {
			if n := &g.Nodes[i]; entityType(n.EntityType()) {
				ids = append(ids, n.EntityID)
			}
		}
	} else {
		for i, id := range ids {
			checkEntityNode(&p, g, "nodes["+strconv.Itoa(i)+"]", id)
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	ids = uniq(ids)
	refs := make([]EntityRef, len(ids))
	for i, id := range ids {
		refs[i] = EntityRef{Type: g.Node(id).EntityType(), ID: id}
	}
	cache := o.Cache
	if cache == nil {
		cache = new(PivotCache)
	}
	f := newFetcher(ctx, c, &o.PivotOptions, cache)
	tasks := make([]*task, len(refs))
	for i, ref := range refs {
		if ce, ok := cache.lookup(ref); !ok || ce.entity == nil && !ce.missing {
			tasks[i] = f.lookupEntity(ref, nil, priority{0, 0, i}, nil)
		}
	}
	var err error
	for _, t := range tasks {
		if t == nil {
			continue
		}
		if err = f.await(t); err != nil {
			break
		}
	}
	if err != nil {
		f.stop(err)
		err = f.haltErr()
	} else {
		f.close()
	}

	report := &EnrichReport{Requests: f.requests()}
	var renames []Rename
	for _, ref := range refs {
		ce, ok := cache.lookup(ref)
		switch {
		case !ok || ce.entity == nil && !ce.missing:
			report.Pending = append(report.Pending, ref.ID)
			continue
		case ce.missing:
			report.Skipped = append(report.Skipped, Skip{Node: ref.ID, Type: ref.Type, Err: ce.missingErr})
			continue
		}
		fillAttributes(g.Node(ref.ID), ce.entity)
		id := ref.ID
		if sha := ce.entity.ID; ref.Type == NodeTypeFile && (len(id) == 32 || len(id) == 40) && len(sha) == 64 {
			renames = append(renames, Rename{From: id, To: sha})
			id = sha
		}
		report.Enriched = append(report.Enriched, id)
	}
	if len(renames) > 0 {
		g.renameNodes(renames)
		report.Renamed = renames
	}
	if err != nil {
		err = redactKey(fmt.Errorf("vtgraph: the enrichment stopped with %s pending: %w", plural(len(report.Pending), "node"), err), c.pipe.key.reveal())
	}
	return report, err
}
