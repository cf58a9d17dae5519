package vtgraph

import (
	"maps"
	"slices"
)

// Clone returns a copy of g that shares no slice, map or pointer with it, so
// that editing one leaves the other as it was: keep a clone of a graph as
// loaded to merge with later (see [MergeOnConflict]). The raw JSON values
// in the attribute and Extra maps are shared, since nothing in this package
// changes a raw value in place; replace a value rather than editing its
// bytes.
func (g *Graph) Clone() *Graph {
	if g == nil {
		return nil
	}
	c := *g
	// The clone's slices are its own, so sharing g's index would make
	// every call on one graph after a call on the other index it again.
	c.index = new(graphIndex)
	c.Extra = maps.Clone(g.Extra)
	c.GraphDataExtra = maps.Clone(g.GraphDataExtra)
	c.ObjectExtra = maps.Clone(g.ObjectExtra)
	c.Nodes = slices.Clone(g.Nodes)
	for i := range c.Nodes {
		c.Nodes[i] = cloneNode(&g.Nodes[i])
	}
	c.Links = slices.Clone(g.Links)
	for i := range c.Links {
		c.Links[i].Extra = maps.Clone(g.Links[i].Extra)
	}
	return &c
}

// cloneNode copies n, its maps and its pin coordinates.
func cloneNode(n *Node) Node {
	c := *n
	c.Attributes = maps.Clone(n.Attributes)
	c.Extra = maps.Clone(n.Extra)
	c.FX, c.FY = cloneFloat(n.FX), cloneFloat(n.FY)
	return c
}

func cloneFloat(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
