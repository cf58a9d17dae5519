package vtgraph

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// The builder methods edit a graph the way the VirusTotal UI and its
// vt-graph-api library do, so that a graph built or changed in code looks
// in the UI as if drawn there. They keep node indexes increasing and place
// new nodes deterministically, so the same calls always give the same JSON.
//
// Each call costs amortised constant time, however large the graph: an
// index finds nodes by entity id and each node's links. Callers may also
// append to Nodes and Links, shorten or replace them; the next call notices
// and indexes again what changed (see graphIndex). A node's id or a link's
// ends changed in place are not always noticed, as the package
// documentation says. Removing fills the hole with the last node or link,
// so the order of Nodes and Links changes; the node moved takes over the
// index of the one removed, so that indexes stay increasing.
//
// Pointers to nodes returned by these methods point into Graph.Nodes and
// stay valid until the next call that adds or removes a node.

// gridColumns and gridStep lay new entity nodes out on a grid the UI's force
// layout then relaxes; integer positions keep the output identical on every
// platform.
const (
	gridColumns = 8
	gridStep    = 120
)

// lockIndex returns g's index, made when g has none, locked and in step
// with Nodes and Links; the caller unlocks it.
func (g *Graph) lockIndex() *graphIndex {
	if g.index == nil {
		g.index = new(graphIndex)
	}
	x := g.index
	x.mu.Lock()
	x.sync(g)
	return x
}

// AddNode adds an entity node and returns it. If a node with that entity id
// already exists it is returned unchanged, so adding is idempotent. The type
// is stored as [Node.SetEntityType] stores it: a type such as
// [NodeTypeVictim] becomes type "custom" with that custom_type.
func (g *Graph) AddNode(entityID string, typ NodeType) *Node {
	x := g.lockIndex()
	defer x.mu.Unlock()
	h, ok, hash := x.lookupHash(g, entityID)
	if ok {
		return x.node(g, h)
	}
	idx := g.nextIndex()
	n := Node{
		EntityID:   entityID,
		Index:      idx,
		X:          float64(idx % gridColumns * gridStep),
		Y:          float64(idx / gridColumns * gridStep),
		Attributes: EntityAttributes{},
	}
	n.SetEntityType(typ)
	return x.node(g, x.appendNodeHash(g, n, hash))
}

// AddLink links source to target, both of which must already be nodes. A
// typed link goes through the relationship node RelationshipNodeID(
// connectionType, source), which is created on first use and shared by every
// target of the same source and type, as in the UI. An empty or "manual"
// connection type links the nodes directly. Adding a link that exists,
// directly or through any relationship node of the type, is a no-op.
//
// When source or target is in a group, the group gets a copy of the link,
// as VirusTotal's tools store groups (see [Graph.AddGroup]).
func (g *Graph) AddLink(source, target, connectionType string) error {
	x := g.lockIndex()
	defer x.mu.Unlock()
	if err := x.link(g, source, target, connectionType); err != nil {
		return fmt.Errorf("vtgraph: add link: %w", err)
	}
	return nil
}

// link is AddLink on a locked index.
func (x *graphIndex) link(g *Graph, source, target, connectionType string) error {
	for {
		gen := x.gen
		src, dst, err := x.ends(g, source, target)
		if err != nil {
			return err
		}
		if !typedConnection(connectionType) {
			if x.findLink(src, dst, connectionType) < 0 {
				x.linkWithCopies(g, src, dst, connectionType)
			}
			return nil
		}
		linked, rel := x.scanOut(g, src, dst, connectionType)
		if linked {
			return nil
		}
		if rel >= 0 {
			// src links to rel, and rel not to dst.
			x.linkWithCopies(g, rel, dst, connectionType)
			return nil
		}
		rel, id, hash := x.ownRelationship(g, src, connectionType)
		if x.gen != gen {
			continue // a lookup found the index out of step: its handles are void
		}
		if rel < 0 {
			rel = x.appendNodeHash(g, x.newRelationship(g, id, src, dst), hash)
		}
		x.ensure(g, src, rel, connectionType)
		x.ensure(g, rel, dst, connectionType)
		return nil
	}
}

// scanOut looks, in one pass over src's links, for what AddLink needs:
// whether src reaches dst by the connection type already, directly or
// through an ordinary relationship node, its own or one it shares; and if
// not, the relationship node of its own it links to, or -1.
func (x *graphIndex) scanOut(g *Graph, src, dst int32, connectionType string) (linked bool, own int32) {
	own = -1
	ct, ok := x.connType(connectionType)
	if !ok {
		return false, -1
	}
	for p := x.nodes[src].out; p >= 0; p = x.links[p].nextOut {
		r := x.links[p].dst
		if r < 0 || x.links[p].ct != ct {
			continue
		}
		if r == dst {
			return true, -1
		}
		if !x.ordinaryRelationship(r) {
			continue
		}
		if x.findLink(r, dst, connectionType) >= 0 {
			return true, -1
		}
		if own < 0 && x.soleSource(g, r, src) {
			own = r
		}
	}
	return false, own
}

// typedConnection reports whether a link of this connection type goes
// through a relationship node.
func typedConnection(connectionType string) bool {
	return connectionType != "" && connectionType != ConnectionManual
}

// ends returns the handles of a link's ends, which must be two nodes.
func (x *graphIndex) ends(g *Graph, source, target string) (src, dst int32, err error) {
	for {
		gen := x.gen
		src, ok := x.lookup(g, source)
		if !ok {
			return -1, -1, fmt.Errorf("source node %q does not exist", source)
		}
		dst, ok := x.lookup(g, target)
		if !ok {
			return -1, -1, fmt.Errorf("target node %q does not exist", target)
		}
		if source == target {
			return -1, -1, fmt.Errorf("node %q cannot link to itself", source)
		}
		if x.gen == gen {
			return src, dst, nil
		}
	}
}

// ownRelationship returns the relationship node through which src's typed
// links of the connection type are to go when src links to none yet: the
// one with the id VirusTotal gives it, when no other source links to it, or
// else -1 and the id to create it under. That id is
// RelationshipNodeID(connectionType, source), with a numbered suffix when
// it is taken by another node (two sources can differ only by dots) or by a
// relationship node src shares with others; hash is the new id's.
func (x *graphIndex) ownRelationship(g *Graph, src int32, connectionType string) (rel int32, id string, hash uint64) {
	base := RelationshipNodeID(connectionType, x.id(g, src))
	id = base
	for n := 2; ; n++ {
		h, ok, hash := x.lookupHash(g, id)
		if !ok {
			return -1, id, hash
		}
		if x.ordinaryRelationship(h) && x.soleSource(g, h, src) {
			return h, "", 0
		}
		id = base + "_" + strconv.Itoa(n)
	}
}

// soleSource reports whether every link into relationship node rel comes
// from src, or from src's group, whose links copy its members'.
func (x *graphIndex) soleSource(g *Graph, rel, src int32) bool {
	group := x.groupOf(src)
	for p := x.nodes[rel].in; p >= 0; p = x.links[p].nextIn {
		if s := x.links[p].src; s != src && (s < 0 || s != group) {
			return false
		}
	}
	return true
}

// newRelationship returns a relationship node for a link from src to dst,
// placed half-way between them.
func (x *graphIndex) newRelationship(g *Graph, id string, src, dst int32) Node {
	s, d := x.node(g, src), x.node(g, dst)
	return Node{
		EntityID:   id,
		Type:       NodeTypeRelationship,
		Index:      g.nextIndex(),
		X:          (s.X + d.X) / 2,
		Y:          (s.Y + d.Y) / 2,
		Attributes: EntityAttributes{},
	}
}

// ensure links a to b unless such a link exists.
func (x *graphIndex) ensure(g *Graph, a, b int32, connectionType string) {
	if x.findLink(a, b, connectionType) < 0 {
		x.linkWithCopies(g, a, b, connectionType)
	}
}

// linkWithCopies links a to b, and gives the group of a, or else the group
// of b, a copy of the link: that is how VirusTotal's tools draw a group's
// relationships (vt-graph-api makes the same copies when it saves).
func (x *graphIndex) linkWithCopies(g *Graph, a, b int32, connectionType string) {
	x.appendLink(g, a, b, connectionType)
	if x.groupLinks == 0 {
		return
	}
	if ga := x.groupOf(a); ga >= 0 && ga != b {
		if x.findLink(ga, b, connectionType) < 0 {
			x.appendLink(g, ga, b, connectionType)
		}
	} else if gb := x.groupOf(b); gb >= 0 && gb != a {
		if x.findLink(a, gb, connectionType) < 0 {
			x.appendLink(g, a, gb, connectionType)
		}
	}
}

// AddSharedLinks links every source to every target through one
// relationship node of the connection type, the shape VirusTotal gives
// sources that have the same targets (vt-graph-api names the node after the
// first source, RelationshipNodeID(connectionType, sources[0]), as this
// method does when the id is free). It returns the relationship node.
// Calling it again with the same sources adds the targets that are new to
// the same node.
//
// Every source reaches every target through the node, so removing one
// source's link ([Graph.RemoveLink]) leaves the others'. The connection type
// must be a typed one, such as "contacted_ips".
func (g *Graph) AddSharedLinks(sources, targets []string, connectionType string) (*Node, error) {
	x := g.lockIndex()
	defer x.mu.Unlock()
	rel, err := x.sharedLinks(g, uniq(sources), uniq(targets), connectionType)
	if err != nil {
		return nil, fmt.Errorf("vtgraph: add shared links: %w", err)
	}
	return x.node(g, rel), nil
}

func (x *graphIndex) sharedLinks(g *Graph, sources, targets []string, connectionType string) (int32, error) {
	switch {
	case !typedConnection(connectionType) || connectionType == ConnectionGroup:
		return -1, fmt.Errorf("connection type %q does not go through a relationship node", connectionType)
	case len(sources) == 0:
		return -1, errors.New("no sources")
	case len(targets) == 0:
		return -1, errors.New("no targets")
	}
	for {
		gen := x.gen
		srcs, err := x.lookupAll(g, sources, "source")
		if err != nil {
			return -1, err
		}
		dsts, err := x.lookupAll(g, targets, "target")
		if err != nil {
			return -1, err
		}
		for _, t := range targets {
			if slices.Contains(sources, t) {
				return -1, fmt.Errorf("node %q cannot link to itself", t)
			}
		}
		rel, id := x.sharedRelationship(g, srcs, connectionType)
		if x.gen != gen {
			continue
		}
		if rel < 0 {
			rel = x.appendNode(g, x.newRelationship(g, id, srcs[0], dsts[0]))
		}
		for _, s := range srcs {
			x.ensure(g, s, rel, connectionType)
		}
		for _, d := range dsts {
			x.ensure(g, rel, d, connectionType)
		}
		return rel, nil
	}
}

// lookupAll returns the handles of the nodes with the given ids.
func (x *graphIndex) lookupAll(g *Graph, ids []string, role string) ([]int32, error) {
	hs := make([]int32, len(ids))
	for i, id := range ids {
		h, ok := x.lookup(g, id)
		if !ok {
			return nil, fmt.Errorf("%s node %q does not exist", role, id)
		}
		hs[i] = h
	}
	return hs, nil
}

// sharedRelationship returns the relationship node of the connection type
// whose sources are exactly srcs, in any order, or -1 and a free id for
// one.
func (x *graphIndex) sharedRelationship(g *Graph, srcs []int32, connectionType string) (int32, string) {
	want := sortedHandles(srcs)
	for p := x.nodes[srcs[0]].out; p >= 0; p = x.links[p].nextOut {
		r := x.links[p].dst
		if r >= 0 && g.Links[p].ConnectionType == connectionType && x.ordinaryRelationship(r) &&
			slices.Equal(x.realSources(g, r), want) {
			return r, ""
		}
	}
	base := RelationshipNodeID(connectionType, x.id(g, srcs[0]))
	id := base
	for n := 2; ; n++ {
		if _, taken := x.lookup(g, id); !taken {
			return -1, id
		}
		id = base + "_" + strconv.Itoa(n)
	}
}

// realSources returns the distinct sources of the links into h, sorted,
// leaving out groups, whose links copy their members'.
func (x *graphIndex) realSources(g *Graph, h int32) []int32 {
	var out []int32
	for p := x.nodes[h].in; p >= 0; p = x.links[p].nextIn {
		if s := x.links[p].src; s >= 0 && !x.isGroup(s) {
			out = append(out, s)
		}
	}
	return sortedHandles(out)
}

func sortedHandles(hs []int32) []int32 {
	hs = slices.Clone(hs)
	slices.Sort(hs)
	return slices.Compact(hs)
}

// uniq returns ids without repeats, in their first order.
func uniq(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// RemoveNode removes the node with the given entity id, every link touching
// it, and any relationship node this leaves without a source or without
// targets. A removed member leaves its group's grouped_node_ids, and a group
// left empty goes too. It reports whether the node existed.
func (g *Graph) RemoveNode(entityID string) bool {
	x := g.lockIndex()
	defer x.mu.Unlock()
	if _, ok := x.lookup(g, entityID); !ok {
		return false
	}
	x.cascade(g, []string{entityID})
	return true
}

// RemoveLink undoes AddLink: afterwards source no longer reaches target by
// connectionType, directly or through a relationship node, and nothing else
// changes. A relationship node source alone links to loses the link to
// target, and goes when no target is left. One that source shares with
// other sources (see [Graph.AddSharedLinks]) stays as it is for them:
// source's link to it goes, and source keeps its other targets through a
// relationship node of its own. Group copies of the links removed go too.
// It reports whether a link was removed.
func (g *Graph) RemoveLink(source, target, connectionType string) bool {
	x := g.lockIndex()
	defer x.mu.Unlock()
	return x.unlink(g, source, target, connectionType)
}

func (x *graphIndex) unlink(g *Graph, source, target, connectionType string) bool {
	src, dst, err := x.ends(g, source, target)
	if err != nil {
		return false
	}
	removed := false
	if direct := x.linksBetween(src, dst, connectionType); len(direct) > 0 {
		x.removeLinks(g, direct)
		x.dropStaleCopies(g, src, dst, connectionType)
		x.cascade(g, x.prunable(g, src, dst))
		removed = true
		if src, dst, err = x.ends(g, source, target); err != nil {
			return removed
		}
	}
	if !typedConnection(connectionType) {
		return removed
	}
	var rels []string
	for _, p := range x.outLinks(src) {
		r := x.links[p].dst
		if r >= 0 && g.Links[p].ConnectionType == connectionType && x.ordinaryRelationship(r) &&
			x.findLink(r, dst, connectionType) >= 0 && !slices.Contains(rels, x.id(g, r)) {
			rels = append(rels, x.id(g, r))
		}
	}
	for _, id := range rels {
		// Handles are looked up again each time: removing nodes may
		// rebuild the index.
		src, dst, err = x.ends(g, source, target)
		rel, ok := x.lookup(g, id)
		if err != nil || !ok {
			break
		}
		removed = true
		if x.soleSource(g, rel, src) {
			x.removeLinks(g, x.linksBetween(rel, dst, connectionType))
			x.dropStaleCopies(g, rel, dst, connectionType)
			x.cascade(g, x.prunable(g, rel))
			continue
		}
		var others []string
		for _, p := range x.outLinks(rel) {
			if t := x.links[p].dst; t >= 0 && t != dst && !x.isGroup(t) && !slices.Contains(others, x.id(g, t)) {
				others = append(others, x.id(g, t))
			}
		}
		x.removeLinks(g, x.linksBetween(src, rel, connectionType))
		x.dropStaleCopies(g, src, rel, connectionType)
		for _, t := range others {
			if err := x.link(g, source, t, connectionType); err != nil {
				break
			}
		}
	}
	return removed
}

// prunable returns the ids of the relationship nodes among hs that have
// lost what they need: an ordinary one its sources or its targets (links
// from or to groups, which copy their members' links, do not count), a
// search or commonality node its targets. A group goes when its last member
// does, not with its links.
func (x *graphIndex) prunable(g *Graph, hs ...int32) []string {
	var ids []string
	for _, h := range hs {
		if !x.alive(h) {
			continue
		}
		n := x.node(g, h)
		if !n.IsRelationship() {
			continue
		}
		var gone bool
		switch n.RelationshipKind() {
		case "":
			gone = !x.hasRealLink(g, h, true) || !x.hasRealLink(g, h, false)
		case RelationshipGroup:
		default:
			gone = x.nodes[h].outDeg == 0
		}
		if gone {
			ids = append(ids, n.EntityID)
		}
	}
	return ids
}

// hasRealLink reports whether h has an outgoing (or incoming) link whose
// other end is not a group.
func (x *graphIndex) hasRealLink(g *Graph, h int32, outgoing bool) bool {
	if outgoing {
		for p := x.nodes[h].out; p >= 0; p = x.links[p].nextOut {
			if d := x.links[p].dst; d < 0 || !x.isGroup(d) {
				return true
			}
		}
		return false
	}
	for p := x.nodes[h].in; p >= 0; p = x.links[p].nextIn {
		if s := x.links[p].src; s < 0 || !x.isGroup(s) {
			return true
		}
	}
	return false
}

// dropStaleCopies removes the group copies of links from a to b that no
// member link backs any more, after links from a to b were removed.
func (x *graphIndex) dropStaleCopies(g *Graph, a, b int32, connectionType string) {
	if x.groupLinks == 0 {
		return
	}
	x.dropCopies(g, x.groupOf(a), b, connectionType, true)
	x.dropCopies(g, x.groupOf(b), a, connectionType, false)
}

// dropCopies removes the links between group and other (from the group when
// outgoing) unless a member of group still has such a link with other.
func (x *graphIndex) dropCopies(g *Graph, group, other int32, connectionType string, outgoing bool) {
	if group < 0 || group == other {
		return
	}
	for _, m := range x.members(group) {
		if outgoing && x.findLink(m, other, connectionType) >= 0 || !outgoing && x.findLink(other, m, connectionType) >= 0 {
			return
		}
	}
	if outgoing {
		x.removeLinks(g, x.linksBetween(group, other, connectionType))
	} else {
		x.removeLinks(g, x.linksBetween(other, group, connectionType))
	}
}

// members returns the handles of the nodes linked to group by a "group"
// link.
func (x *graphIndex) members(group int32) []int32 {
	var hs []int32
	ct, _ := x.connType(ConnectionGroup)
	for p := x.nodes[group].in; p >= 0; p = x.links[p].nextIn {
		if e := &x.links[p]; e.src >= 0 && e.ct == ct {
			hs = append(hs, e.src)
		}
	}
	return hs
}

// cascade removes the nodes with the given ids and their links, then the
// relationship nodes and groups this leaves without what they need, until
// none is left. It works by id, since removing may rebuild the index.
func (x *graphIndex) cascade(g *Graph, queue []string) {
	for len(queue) > 0 {
		h, ok := x.lookup(g, queue[0])
		queue = queue[1:]
		if !ok {
			continue
		}
		group := x.groupOf(h)
		type end struct {
			other    int32
			otherID  string
			connType string
			outgoing bool
		}
		var ends []end
		ps := append(x.outLinks(h), x.inLinks(h)...)
		for _, p := range ps {
			e := x.links[p]
			if e.src == h && e.dst >= 0 && e.dst != h {
				ends = append(ends, end{e.dst, x.id(g, e.dst), g.Links[p].ConnectionType, true})
			} else if e.dst == h && e.src >= 0 && e.src != h {
				ends = append(ends, end{e.src, x.id(g, e.src), g.Links[p].ConnectionType, false})
			}
		}
		x.removeLinks(g, ps)
		if group >= 0 && x.leaveGroup(g, group, x.id(g, h)) {
			queue = append(queue, x.id(g, group))
		}
		others := make([]int32, 0, len(ends))
		for _, e := range ends {
			if e.other != group {
				x.dropCopies(g, group, e.other, e.connType, e.outgoing)
			}
			others = append(others, e.other)
		}
		gen := x.gen
		x.removeNode(g, h)
		if x.gen != gen {
			// The other ends' handles are void; they are checked by id
			// as the queue reaches them.
			for _, e := range ends {
				if h, ok := x.lookup(g, e.otherID); ok {
					queue = append(queue, x.prunable(g, h)...)
				}
			}
			continue
		}
		queue = append(queue, x.prunable(g, others...)...)
	}
}

// leaveGroup takes id out of group's grouped_node_ids and reports whether
// the group is left without members.
func (x *graphIndex) leaveGroup(g *Graph, group int32, id string) (empty bool) {
	n := x.node(g, group)
	ids, ok := n.groupedNodeIDs()
	if !ok {
		return false
	}
	kept := slices.DeleteFunc(ids, func(m string) bool { return m == id })
	n.setAttr(attrGroupedNodeIDs, appendStrings(nil, kept))
	return len(kept) == 0
}

// appendStrings appends ss as a JSON array of strings.
func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// DedupLinks removes repeated links, those with the same source, target and
// connection type as an earlier one (whatever other keys they have), and
// returns how many it removed; the order of the others is kept. Repeated
// links are valid, and sent as they are: VirusTotal's own tools write them
// (vt-graph-api repeats a relationship node's link to a target once for
// every source sharing the node), so removing them is left to the caller.
func (g *Graph) DedupLinks() int {
	x := g.lockIndex()
	defer x.mu.Unlock()
	type key struct{ source, target, connType string }
	seen := make(map[key]bool, len(g.Links))
	kept := g.Links[:0]
	for _, l := range g.Links {
		k := key{l.Source, l.Target, l.ConnectionType}
		if seen[k] {
			continue
		}
		seen[k] = true
		kept = append(kept, l)
	}
	removed := len(g.Links) - len(kept)
	clear(g.Links[len(kept):])
	g.Links = kept
	if removed > 0 {
		x.rebuildLinks(g)
	}
	return removed
}

// nextIndex continues the existing numbering so that adding a node never
// forces the others to be renumbered.
func (g *Graph) nextIndex() int {
	if len(g.Nodes) == 0 {
		return 0
	}
	return max(g.Nodes[len(g.Nodes)-1].Index+1, len(g.Nodes))
}
