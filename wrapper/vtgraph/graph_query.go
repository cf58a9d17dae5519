package vtgraph

// The queries return pointers into Graph.Nodes; they stay valid until a node
// is added or removed. Each query costs O(nodes+links): a Graph keeps no
// index, since its Nodes and Links are plain slices callers may change.

// Node returns the node with the given entity id, or nil.
func (g *Graph) Node(entityID string) *Node {
	if i := g.nodePos(entityID); i >= 0 {
		return &g.Nodes[i]
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
	pos := g.positions()
	var out []Neighbour
	for i := range g.Links {
		l := &g.Links[i]
		switch entityID {
		case l.Source:
			if j, ok := pos[l.Target]; ok {
				out = append(out, Neighbour{Node: &g.Nodes[j], ConnectionType: l.ConnectionType, Outgoing: true})
			}
		case l.Target:
			if j, ok := pos[l.Source]; ok {
				out = append(out, Neighbour{Node: &g.Nodes[j], ConnectionType: l.ConnectionType})
			}
		}
	}
	return out
}

// Related returns the entities entityID reaches through its typed links,
// looking through the relationship nodes in between: for a domain linked by
// "resolutions" to two IP addresses it returns both addresses. Direct links
// are included as they are.
func (g *Graph) Related(entityID string) []Neighbour {
	var out []Neighbour
	for _, n := range g.Neighbours(entityID) {
		if !n.Outgoing || !n.Node.IsRelationship() {
			if n.Outgoing {
				out = append(out, n)
			}
			continue
		}
		for _, m := range g.Neighbours(n.Node.EntityID) {
			if m.Outgoing && m.Node.EntityID != entityID {
				out = append(out, Neighbour{Node: m.Node, ConnectionType: m.ConnectionType, Outgoing: true})
			}
		}
	}
	return out
}

// Path returns a shortest path from one node to another, following links in
// either direction, as the nodes along it from first to last; nil when
// either node is missing or they are not connected. Ties are broken by link
// order, so the result is deterministic.
func (g *Graph) Path(from, to string) []*Node {
	pos := g.positions()
	start, ok1 := pos[from]
	end, ok2 := pos[to]
	if !ok1 || !ok2 {
		return nil
	}
	adj := make([][]int, len(g.Nodes))
	for i := range g.Links {
		s, ok1 := pos[g.Links[i].Source]
		t, ok2 := pos[g.Links[i].Target]
		if ok1 && ok2 {
			adj[s] = append(adj[s], t)
			adj[t] = append(adj[t], s)
		}
	}
	prev := make([]int, len(g.Nodes))
	for i := range prev {
		prev[i] = -1
	}
	prev[start] = start
	queue := []int{start}
	for len(queue) > 0 && prev[end] < 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, next := range adj[cur] {
			if prev[next] < 0 {
				prev[next] = cur
				queue = append(queue, next)
			}
		}
	}
	if prev[end] < 0 {
		return nil
	}
	var path []*Node
	for i := end; ; i = prev[i] {
		path = append(path, &g.Nodes[i])
		if i == start {
			break
		}
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// positions maps entity ids to node positions; the first node wins when ids
// repeat, matching Node.
func (g *Graph) positions() map[string]int {
	pos := make(map[string]int, len(g.Nodes))
	for i := range g.Nodes {
		if _, dup := pos[g.Nodes[i].EntityID]; !dup {
			pos[g.Nodes[i].EntityID] = i
		}
	}
	return pos
}
