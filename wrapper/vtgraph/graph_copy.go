package vtgraph

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
)

// Copy returns a new graph made from g and named description, ready for
// [Client.CreateGraph], as vt-graph-api's clone_graph makes one: the same
// nodes, links, visibility, version, representation and the attributes and
// graph_data keys this package does not model, without the id, the
// read-only counts and dates, and the object keys (links, relationships)
// that describe g as the API sent it. Nothing is shared with g: changing
// the copy leaves g as it is.
func (g *Graph) Copy(description string) *Graph {
	c := &Graph{
		Description:    description,
		Version:        g.Version,
		Representation: g.Representation,
		Private:        g.Private,
		Nodes:          slices.Clone(g.Nodes),
		Links:          slices.Clone(g.Links),
		Extra:          cloneRaw(g.Extra),
		GraphDataExtra: cloneRaw(g.GraphDataExtra),
		present:        g.present&^(gID|gCommentsCount|gViewsCount|gCreationDate|gLastModifiedDate) | gDescription,
		index:          new(graphIndex),
	}
	for _, k := range readOnlyAttributes {
		delete(c.Extra, k)
	}
	for i := range c.Nodes {
		n := &c.Nodes[i]
		n.Attributes = cloneRaw(n.Attributes)
		n.Extra = cloneRaw(n.Extra)
		n.FX, n.FY = cloneFloat(n.FX), cloneFloat(n.FY)
	}
	for i := range c.Links {
		c.Links[i].Extra = cloneRaw(c.Links[i].Extra)
	}
	return c
}

// cloneRaw copies a map of raw values and the values themselves.
func cloneRaw[M ~map[string]json.RawMessage](m M) M {
	c := maps.Clone(m)
	for k, v := range c {
		c[k] = slices.Clip(bytes.Clone(v))
	}
	return c
}

// CopyGraph creates a new graph from the graph with the given id, named
// description, and returns it with its ID set: what vt-graph-api's
// clone_graph and save_graph do. The copy has the original's nodes, links,
// visibility and layout (see [Graph.Copy]); its owner is the API key's user,
// and it has none of the original's comments, viewers or editors.
//
// It costs two requests, GET /graphs/{id} and POST /graphs; like
// [Client.CreateGraph], the create is never retried.
func (c *Client) CopyGraph(ctx context.Context, id, description string) (*Graph, error) {
	g, err := c.GetGraph(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	cp := g.Copy(description)
	if _, err := c.CreateGraph(ctx, cp); err != nil {
		return nil, err
	}
	return cp, nil
}
