package vtgraph

import "slices"

// The queries return pointers into Graph.Nodes; they stay valid until a node
// is added or removed. They use the index the builder keeps (see
// graphIndex), so a lookup by id costs constant time and a node's
// neighbours cost time in their number. Queries may run at the same time as
// each other, on a graph that is not being changed.

// readIndex returns an index in step with g, and the function that releases
// it. A graph made as a literal has no index: it gets one built for the
// call, so that a query never writes to a graph others may be reading.
func (g *Graph) readIndex() (*graphIndex, func()) {
	if x := g.index; x != nil {
		x.mu.Lock()
		x.sync(g)
		return x, x.mu.Unlock
	}
	x := new(graphIndex)
	x.rebuild(g)
	return x, func() {}
}

// Node returns the node with the given entity id, or nil.
func (g *Graph) Node(entityID string) *Node {
	if g.index == nil {
		for i := range g.Nodes {
			if g.Nodes[i].EntityID == entityID {
				return &g.Nodes[i]
			}
		}
		return nil
	}
	x, done := g.readIndex()
	defer done()
	if h, ok := x.lookup(g, entityID); ok {
		return x.node(g, h)
	}
	return nil
}

// NodesByType returns the nodes of type t in graph order: those whose Type
// is t, and those that stand for an entity of type t in the custom form
// (see [Node.EntityType]), so that NodesByType(NodeTypeVictim) finds victims
// stored either way.
func (g *Graph) NodesByType(t NodeType) []*Node {
	var out []*Node
	for i := range g.Nodes {
		if n := &g.Nodes[i]; n.Type == t || n.EntityType() == t {
			out = append(out, n)
		}
	}
	return out
}

// Neighbour is a node adjacent to another, with the link joining them.
type Neighbour struct {
	// Node is the adjacent node.
	Node *Node
	// ConnectionType is the connection type of the joining link.
	ConnectionType string
	// Outgoing is true when the link points from the queried node to Node.
	Outgoing bool
}

// Neighbours returns the nodes linked to or from entityID, in link order,
// each once per link. Relationship nodes are neighbours like any other; use
// [Graph.Related] to look through them.
func (g *Graph) Neighbours(entityID string) []Neighbour {
	x, done := g.readIndex()
	defer done()
	h, ok := x.lookup(g, entityID)
	if !ok {
		return nil
	}
	return x.neighbours(g, h)
}

func (x *graphIndex) neighbours(g *Graph, h int32) []Neighbour {
	ps := x.outLinks(h)
	for p := x.nodes[h].in; p >= 0; p = x.links[p].nextIn {
		if x.links[p].src != h { // a link to itself is listed once, as outgoing
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	var out []Neighbour
	for _, p := range ps {
		e, l := &x.links[p], &g.Links[p]
		switch {
		case e.src == h && e.dst >= 0:
			out = append(out, Neighbour{Node: x.node(g, e.dst), ConnectionType: l.ConnectionType, Outgoing: true})
		case e.dst == h && e.src >= 0:
			out = append(out, Neighbour{Node: x.node(g, e.src), ConnectionType: l.ConnectionType})
		}
	}
	return out
}

// Related returns the entities entityID reaches through its typed links,
// looking through the relationship nodes in between: for a domain linked by
// "resolutions" to two IP addresses it returns both addresses. A
// relationship node shared by several sources (see [Graph.AddSharedLinks])
// relates each of them to each of its targets. Direct links are included as
// they are. A node's group is not one of its relationships, and neither are
// the copies of its members' links a group holds (see [Graph.AddGroup]); a
// group's own Related are the entities its members' links reach.
func (g *Graph) Related(entityID string) []Neighbour {
	x, done := g.readIndex()
	defer done()
	h, ok := x.lookup(g, entityID)
	if !ok {
		return nil
	}
	var out []Neighbour
	for _, p := range x.outLinks(h) {
		d := x.links[p].dst
		if d < 0 || d == h || g.Links[p].ConnectionType == ConnectionGroup || x.isGroup(d) {
			continue
		}
		if n := x.node(g, d); !n.IsRelationship() {
			out = append(out, Neighbour{Node: n, ConnectionType: g.Links[p].ConnectionType, Outgoing: true})
			continue
		}
		for _, q := range x.outLinks(d) {
			t := x.links[q].dst
			if t < 0 || t == h || x.node(g, t).IsRelationship() {
				continue
			}
			out = append(out, Neighbour{Node: x.node(g, t), ConnectionType: g.Links[q].ConnectionType, Outgoing: true})
		}
	}
	return out
}

// GroupMembers returns the entity ids a group node lists in its
// grouped_node_ids, in their order, or nil when groupID is not a group (see
// [Node.IsGroup]). That list, not the group's links, is what VirusTotal
// reads a group's members from.
func (g *Graph) GroupMembers(groupID string) []string {
	n := g.Node(groupID)
	if n == nil {
		return nil
	}
	ids, _ := n.groupedNodeIDs()
	return ids
}

// Path returns a shortest path from one node to another, following links in
// either direction, as the nodes along it from first to last; nil when
// either node is missing or they are not connected. Ties are broken by link
// order, so the result is deterministic.
func (g *Graph) Path(from, to string) []*Node {
	x, done := g.readIndex()
	defer done()
	start, ok1 := x.lookup(g, from)
	end, ok2 := x.lookup(g, to)
	if !ok1 || !ok2 {
		return nil
	}
	prev := make([]int32, len(x.nodes))
	for i := range prev {
		prev[i] = -1
	}
	prev[start] = start
	queue := []int32{start}
	for len(queue) > 0 && prev[end] < 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, nb := range x.adjacent(cur) {
			if prev[nb] < 0 {
				prev[nb] = cur
				queue = append(queue, nb)
			}
		}
	}
	if prev[end] < 0 {
		return nil
	}
	var path []*Node
	for h := end; ; h = prev[h] {
		path = append(path, x.node(g, h))
		if h == start {
			break
		}
	}
	slices.Reverse(path)
	return path
}

// adjacent returns the handles of the nodes linked to or from h, in the
// order of the links joining them.
func (x *graphIndex) adjacent(h int32) []int32 {
	ps := x.outLinks(h)
	for p := x.nodes[h].in; p >= 0; p = x.links[p].nextIn {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	out := make([]int32, 0, len(ps))
	for _, p := range ps {
		e := &x.links[p]
		if e.src == h && e.dst >= 0 {
			out = append(out, e.dst)
		}
		if e.dst == h && e.src >= 0 {
			out = append(out, e.src)
		}
	}
	return out
}
