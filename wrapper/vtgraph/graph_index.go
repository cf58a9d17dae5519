package vtgraph

import (
	"hash/maphash"
	"math/bits"
	"slices"
	"sync"
	"unsafe"
)

// graphIndex finds a graph's nodes by entity id and each node's links, so
// that the builder and the queries cost constant time per call instead of a
// scan of every node and link.
//
// Nodes and Links are plain slices that callers may change between calls,
// so every call first brings the index in step with them (sync): nodes and
// links appended in place since the last call are indexed; a slice that is
// shorter, was reallocated or replaced, or was reordered as far as its
// first, middle and last elements show, is indexed again from scratch,
// which costs about what the change itself did. A node found under an id it
// no longer has is indexed again from scratch too, when it is looked up.
//
// Nodes are known by handles, which stay the same while a node moves in
// Nodes. The links a node starts and those it ends are on two intrusive
// lists kept in arrays, so that they cost no allocation per node.
type graphIndex struct {
	// mu lets queries run at the same time: even they bring the index in
	// step.
	mu sync.Mutex

	built bool
	// gen counts full rebuilds, which invalidate every handle, so that a
	// call holding handles can tell.
	gen int

	// The slices the index was last in step with, and the ids it saw at
	// the positions nodesIntact and linksIntact check: the first, the
	// last, and one in the middle, which stays where it is while the
	// slices grow, so that checking it costs no cache miss.
	nodesData  *Node
	nodesLen   int
	midNode    int
	probes     [3]string
	linksData  *Link
	linksLen   int
	midLink    int
	linkProbes [3][2]string

	// Nodes are found by a hash of their id in table, which gives their
	// position, and checked against the node. Like the other arrays of the
	// index, the table holds no pointers for the garbage collector to
	// follow.
	seed  maphash.Seed
	table posTable
	nodes []nodeEntry // by handle
	at    []int32     // by node position: its handle
	free  []int32     // handles not in use
	links []linkEntry // by link position
	// dups counts nodes whose id an earlier node has; removing a node then
	// needs a rebuild, so that the next one with the id takes its place.
	dups int
	// dangling counts, for each id that is no node's, the link ends naming
	// it; adding a node with such an id indexes the links again.
	dangling map[string]int32
	// groupLinks counts the links of type "group"; without any, no node is
	// in a group and group copies need no looking for.
	groupLinks int
	// connTypes numbers the connection types of the links indexed.
	connTypes map[string]int32
	// recent holds the last nodes lookup found; nextRecent is the entry to
	// replace next.
	recent     [4]recentNode
	nextRecent int
}

// nodeEntry is what the index knows of the node with one handle. kind is
// what the node was when indexed: changing a node's type or
// relationship_type in place is not seen.
type nodeEntry struct {
	hash          uint64 // of the id the node had when indexed
	pos           int32  // position in Nodes; -1 when the handle is free
	out, in       int32  // first link the node starts and ends; -1: none
	outDeg, inDeg int32
	kind          nodeClass
}

// linkEntry is what the index knows of the link at one position.
type linkEntry struct {
	src, dst         int32 // handles of the ends; -1 when an end is no node
	nextOut, prevOut int32 // neighbours on the list of the source's links
	nextIn, prevIn   int32 // neighbours on the list of the target's links
	// ct numbers the connection type (see connTypes), so that walking a
	// list reads no Link.
	ct int32
}

// sync brings x in step with g's slices.
func (x *graphIndex) sync(g *Graph) {
	if !x.built || !x.nodesIntact(g) {
		x.rebuild(g)
		return
	}
	relink := false
	for i := x.nodesLen; i < len(g.Nodes); i++ {
		relink = x.indexNode(g, i, x.hash(g.Nodes[i].EntityID)) || relink
	}
	x.sawNodes(g)
	if relink || !x.linksIntact(g) {
		x.rebuildLinks(g)
		return
	}
	for p := x.linksLen; p < len(g.Links); p++ {
		x.indexLink(g, p)
	}
	x.sawLinks(g)
}

// nodesIntact reports whether the nodes x indexed are still where it saw
// them: the slice is the same array, no shorter, and its first, middle and
// last indexed nodes have the ids they had. A slice that was reallocated,
// or replaced, is indexed again, which costs about what copying it did.
func (x *graphIndex) nodesIntact(g *Graph) bool {
	n := x.nodesLen
	switch {
	case unsafe.SliceData(g.Nodes) != x.nodesData || len(g.Nodes) < n:
		return false
	case n == 0:
		return true
	}
	return g.Nodes[0].EntityID == x.probes[0] && g.Nodes[x.midNode].EntityID == x.probes[1] && g.Nodes[n-1].EntityID == x.probes[2]
}

// sawNodes records the state of Nodes the index is now in step with.
func (x *graphIndex) sawNodes(g *Graph) {
	x.nodesData, x.nodesLen = unsafe.SliceData(g.Nodes), len(g.Nodes)
	if n := len(g.Nodes); n > 0 {
		if x.midNode >= n || x.midNode < n/4 {
			x.midNode = n / 2
		}
		x.probes = [3]string{g.Nodes[0].EntityID, g.Nodes[x.midNode].EntityID, g.Nodes[n-1].EntityID}
	}
}

// linksIntact is nodesIntact for links.
func (x *graphIndex) linksIntact(g *Graph) bool {
	n := x.linksLen
	switch {
	case unsafe.SliceData(g.Links) != x.linksData || len(g.Links) < n:
		return false
	case n == 0:
		return true
	}
	same := func(p, k int) bool {
		return g.Links[p].Source == x.linkProbes[k][0] && g.Links[p].Target == x.linkProbes[k][1]
	}
	return same(0, 0) && same(x.midLink, 1) && same(n-1, 2)
}

// sawLinks records the state of Links the index is now in step with.
func (x *graphIndex) sawLinks(g *Graph) {
	x.linksData, x.linksLen = unsafe.SliceData(g.Links), len(g.Links)
	if n := len(g.Links); n > 0 {
		if x.midLink >= n || x.midLink < n/4 {
			x.midLink = n / 2
		}
		for k, p := range [3]int{0, x.midLink, n - 1} {
			x.linkProbes[k] = [2]string{g.Links[p].Source, g.Links[p].Target}
		}
	}
}

// rebuild indexes g from scratch.
func (x *graphIndex) rebuild(g *Graph) {
	if !x.built {
		x.seed = maphash.MakeSeed()
	}
	x.built = true
	x.gen++
	x.recent = [len(x.recent)]recentNode{}
	x.table.reset(len(g.Nodes))
	x.nodes = x.nodes[:0]
	x.at = x.at[:0]
	x.free = x.free[:0]
	x.dups = 0
	for i := range g.Nodes {
		x.indexNode(g, i, x.hash(g.Nodes[i].EntityID))
	}
	x.sawNodes(g)
	x.rebuildLinks(g)
}

// rebuildLinks indexes g's links from scratch.
func (x *graphIndex) rebuildLinks(g *Graph) {
	for h := range x.nodes {
		e := &x.nodes[h]
		e.out, e.in, e.outDeg, e.inDeg = -1, -1, 0, 0
	}
	x.links = x.links[:0]
	x.dangling = nil
	x.groupLinks = 0
	for p := range g.Links {
		x.indexLink(g, p)
	}
	x.sawLinks(g)
}

// indexNode gives the node at position i, whose id has the given hash, a
// handle, and reports whether links name its id without a node to join.
func (x *graphIndex) indexNode(g *Graph, i int, hash uint64) (relink bool) {
	n := &g.Nodes[i]
	e := nodeEntry{pos: int32(i), out: -1, in: -1, kind: classOf(n)}
	var h int32
	if k := len(x.free); k > 0 {
		h = x.free[k-1]
		x.free = x.free[:k-1]
		x.nodes[h] = e
	} else {
		h = int32(len(x.nodes))
		x.nodes = append(grow(x.nodes), e)
	}
	x.at = append(grow(x.at), h)
	x.nodes[h].hash = hash
	for _, other := range x.table.candidates(hash) {
		if g.Nodes[other].EntityID == n.EntityID {
			x.dups++
			return false
		}
	}
	x.table.insert(hash, int32(i), x.hashAt)
	return x.dangling[n.EntityID] > 0
}

func (x *graphIndex) hash(id string) uint64 { return maphash.String(x.seed, id) }

// id returns the entity id of the node with handle h.
func (x *graphIndex) id(g *Graph, h int32) string { return g.Nodes[x.nodes[h].pos].EntityID }

// find returns the handle of the node with the given id. stale reports a
// node whose id has the same hash as id but is another, which shows that a
// node's id was changed in place (or, with odds near 2^-64, that two ids
// share a hash), which only a rebuild tells apart.
func (x *graphIndex) find(g *Graph, id string, hash uint64) (h int32, ok, stale bool) {
	t := &x.table
	tag := t.tag(hash)
	for j := hash & t.mask; ; j = (j + 1) & t.mask {
		s := t.slots[j]
		if s == 0 {
			return -1, false, stale
		}
		if s>>t.bits != tag {
			continue
		}
		pos := t.pos(s)
		if int(pos) < len(g.Nodes) && g.Nodes[pos].EntityID == id {
			return x.at[pos], true, false
		}
		if int(pos) < len(x.at) && x.nodes[x.at[pos]].hash == hash {
			stale = true
		}
	}
}

// hashAt returns the hash of the id of the node at position pos when it was
// indexed.
func (x *graphIndex) hashAt(pos int32) uint64 { return x.nodes[x.at[pos]].hash }

// indexLink puts the link at position p on the lists of its ends.
func (x *graphIndex) indexLink(g *Graph, p int) {
	l := &g.Links[p]
	x.listLink(g, p, x.handle(g, l.Source), x.handle(g, l.Target))
}

// listLink indexes the link at position p, whose ends have the handles src
// and dst (-1 for an end that is no node).
func (x *graphIndex) listLink(g *Graph, p int, src, dst int32) {
	l := &g.Links[p]
	x.links = append(grow(x.links), linkEntry{src: src, dst: dst, nextOut: -1, prevOut: -1, nextIn: -1, prevIn: -1, ct: x.intern(l.ConnectionType)})
	if l.ConnectionType == ConnectionGroup {
		x.groupLinks++
	}
	if src < 0 {
		x.dangle(l.Source, 1)
	} else {
		e := &x.links[p]
		n := &x.nodes[src]
		e.nextOut = n.out
		if n.out >= 0 {
			x.links[n.out].prevOut = int32(p)
		}
		n.out = int32(p)
		n.outDeg++
	}
	if dst < 0 {
		x.dangle(l.Target, 1)
	} else {
		e := &x.links[p]
		n := &x.nodes[dst]
		e.nextIn = n.in
		if n.in >= 0 {
			x.links[n.in].prevIn = int32(p)
		}
		n.in = int32(p)
		n.inDeg++
	}
}

// intern returns the number of a connection type, giving it one if it has
// none.
func (x *graphIndex) intern(connectionType string) int32 {
	if ct, ok := x.connTypes[connectionType]; ok {
		return ct
	}
	if x.connTypes == nil {
		x.connTypes = make(map[string]int32)
	}
	ct := int32(len(x.connTypes))
	x.connTypes[connectionType] = ct
	return ct
}

// connType returns the number of a connection type, and false when no link
// indexed has it.
func (x *graphIndex) connType(connectionType string) (int32, bool) {
	ct, ok := x.connTypes[connectionType]
	return ct, ok
}

func (x *graphIndex) dangle(id string, delta int32) {
	if x.dangling == nil {
		x.dangling = make(map[string]int32)
	}
	if c := x.dangling[id] + delta; c > 0 {
		x.dangling[id] = c
	} else {
		delete(x.dangling, id)
	}
}

// handle returns the handle of the node with the given id, or -1: for use
// while indexing, when x is in step.
func (x *graphIndex) handle(g *Graph, id string) int32 {
	h, ok, _ := x.find(g, id, x.hash(id))
	if !ok {
		return -1
	}
	return h
}

// lookup returns the handle of the node with the given id. A hash that
// names a node with another id may show that g changed behind the index's
// back, which is then rebuilt; see gen.
//
// Calls come in runs on the same nodes (a source linked to target after
// target), so the last few nodes found are tried first: that costs a
// string comparison, where the table costs a cache miss or two in a large
// graph. They are checked against Nodes like any other.
func (x *graphIndex) lookup(g *Graph, id string) (int32, bool) {
	h, ok, _ := x.lookupHash(g, id)
	return h, ok
}

// lookupHash is lookup that also returns the hash of an id it did not
// find, which adding a node with the id needs.
func (x *graphIndex) lookupHash(g *Graph, id string) (int32, bool, uint64) {
	for _, r := range x.recent {
		if r.id == id && x.alive(r.h) && g.Nodes[x.nodes[r.h].pos].EntityID == id {
			return r.h, true, x.nodes[r.h].hash
		}
	}
	hash := x.hash(id)
	h, ok, stale := x.find(g, id, hash)
	if stale {
		x.rebuild(g)
		h, ok, _ = x.find(g, id, hash)
	}
	if ok {
		x.recent[x.nextRecent] = recentNode{id, h}
		x.nextRecent = (x.nextRecent + 1) % len(x.recent)
	}
	return h, ok, hash
}

// recentNode is a node lookup found, for lookup to try first.
type recentNode struct {
	id string
	h  int32
}

// node returns the node with handle h.
func (x *graphIndex) node(g *Graph, h int32) *Node { return &g.Nodes[x.nodes[h].pos] }

// grow makes room for one more element, doubling the capacity when there is
// none: append grows large slices by a quarter, which for a graph built
// node by node allocates and copies five times its final size.
func grow[E any](s []E) []E {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s), 8))
}

// appendNode appends n to g.Nodes and returns its handle.
func (x *graphIndex) appendNode(g *Graph, n Node) int32 {
	return x.appendNodeHash(g, n, x.hash(n.EntityID))
}

// appendNodeHash is appendNode given the hash of n's id.
func (x *graphIndex) appendNodeHash(g *Graph, n Node, hash uint64) int32 {
	g.Nodes = append(grow(g.Nodes), n)
	relink := x.indexNode(g, len(g.Nodes)-1, hash)
	x.sawNodes(g)
	if relink {
		x.rebuildLinks(g) // links named the new node before it existed
	}
	return x.at[len(x.at)-1]
}

// appendLink appends a link from handle src to handle dst.
func (x *graphIndex) appendLink(g *Graph, src, dst int32, connectionType string) {
	g.Links = append(grow(g.Links), Link{Source: x.id(g, src), Target: x.id(g, dst), ConnectionType: connectionType})
	x.listLink(g, len(g.Links)-1, src, dst)
	x.sawLinks(g)
}

// removeLinks removes the links at the given positions, which it sorts. Each
// hole is filled with the last link, so removing costs constant time per
// link; going from the highest position down keeps the positions still to
// remove where they are.
func (x *graphIndex) removeLinks(g *Graph, ps []int32) {
	slices.Sort(ps)
	ps = slices.Compact(ps)
	for i := len(ps) - 1; i >= 0; i-- {
		x.removeLink(g, ps[i])
	}
	x.sawLinks(g)
}

func (x *graphIndex) removeLink(g *Graph, p int32) {
	x.unlist(g, p)
	last := int32(len(g.Links) - 1)
	if p != last {
		g.Links[p] = g.Links[last]
		e := x.links[last]
		x.links[p] = e
		if e.prevOut >= 0 {
			x.links[e.prevOut].nextOut = p
		} else if e.src >= 0 {
			x.nodes[e.src].out = p
		}
		if e.nextOut >= 0 {
			x.links[e.nextOut].prevOut = p
		}
		if e.prevIn >= 0 {
			x.links[e.prevIn].nextIn = p
		} else if e.dst >= 0 {
			x.nodes[e.dst].in = p
		}
		if e.nextIn >= 0 {
			x.links[e.nextIn].prevIn = p
		}
	}
	g.Links[last] = Link{}
	g.Links = g.Links[:last]
	x.links = x.links[:last]
}

// unlist takes the link at p off the lists of its ends.
func (x *graphIndex) unlist(g *Graph, p int32) {
	e := &x.links[p]
	if ct, ok := x.connType(ConnectionGroup); ok && e.ct == ct {
		x.groupLinks--
	}
	if e.src < 0 {
		x.dangle(g.Links[p].Source, -1)
	} else {
		if e.prevOut >= 0 {
			x.links[e.prevOut].nextOut = e.nextOut
		} else {
			x.nodes[e.src].out = e.nextOut
		}
		if e.nextOut >= 0 {
			x.links[e.nextOut].prevOut = e.prevOut
		}
		x.nodes[e.src].outDeg--
	}
	if e.dst < 0 {
		x.dangle(g.Links[p].Target, -1)
	} else {
		if e.prevIn >= 0 {
			x.links[e.prevIn].nextIn = e.nextIn
		} else {
			x.nodes[e.dst].in = e.nextIn
		}
		if e.nextIn >= 0 {
			x.links[e.nextIn].prevIn = e.prevIn
		}
		x.nodes[e.dst].inDeg--
	}
}

// removeNode removes the node with handle h, whose links must be gone. The
// last node fills its place and takes its index, so that indexes stay in
// the increasing order in which they are saved unchanged.
func (x *graphIndex) removeNode(g *Graph, h int32) {
	e := &x.nodes[h]
	pos := e.pos
	removed := &g.Nodes[pos]
	x.table.remove(e.hash, pos, x.hashAt)
	index, present := removed.Index, removed.present&fIndex
	last := int32(len(g.Nodes) - 1)
	if pos != last {
		x.table.move(x.hashAt(last), last, pos)
		g.Nodes[pos] = g.Nodes[last]
		moved := &g.Nodes[pos]
		moved.Index = index
		moved.present = moved.present&^fIndex | present
		x.at[pos] = x.at[last]
		x.nodes[x.at[pos]].pos = pos
	}
	g.Nodes[last] = Node{}
	g.Nodes = g.Nodes[:last]
	x.at = x.at[:last]
	*e = nodeEntry{pos: -1, out: -1, in: -1}
	x.free = append(x.free, h)
	x.sawNodes(g)
	if x.dups > 0 {
		// Another node may have the id; only a rebuild finds it.
		x.rebuild(g)
	}
}

// alive reports whether handle h names a node.
func (x *graphIndex) alive(h int32) bool {
	return h >= 0 && int(h) < len(x.nodes) && x.nodes[h].pos >= 0
}

// findLink returns the position of a link from src to dst of the connection
// type, or -1, walking the shorter of the two nodes' lists, or src's when it
// is not much longer: the builder has just used src's links, which are in
// cache, where each of dst's may cost a cache miss.
func (x *graphIndex) findLink(src, dst int32, connectionType string) int32 {
	ct, ok := x.connType(connectionType)
	if !ok {
		return -1
	}
	if x.nodes[src].outDeg <= 4*x.nodes[dst].inDeg+8 {
		for p := x.nodes[src].out; p >= 0; p = x.links[p].nextOut {
			if e := &x.links[p]; e.dst == dst && e.ct == ct {
				return p
			}
		}
		return -1
	}
	for p := x.nodes[dst].in; p >= 0; p = x.links[p].nextIn {
		if e := &x.links[p]; e.src == src && e.ct == ct {
			return p
		}
	}
	return -1
}

// linksBetween returns the positions of every link from src to dst of the
// connection type.
func (x *graphIndex) linksBetween(src, dst int32, connectionType string) []int32 {
	ct, ok := x.connType(connectionType)
	if !ok {
		return nil
	}
	var ps []int32
	for p := x.nodes[src].out; p >= 0; p = x.links[p].nextOut {
		if e := &x.links[p]; e.dst == dst && e.ct == ct {
			ps = append(ps, p)
		}
	}
	return ps
}

// outLinks and inLinks return the positions of the links h starts and ends,
// in link order, so that what is built from them does not depend on the
// order the lists were filled in.
func (x *graphIndex) outLinks(h int32) []int32 {
	ps := make([]int32, 0, x.nodes[h].outDeg)
	for p := x.nodes[h].out; p >= 0; p = x.links[p].nextOut {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

func (x *graphIndex) inLinks(h int32) []int32 {
	ps := make([]int32, 0, x.nodes[h].inDeg)
	for p := x.nodes[h].in; p >= 0; p = x.links[p].nextIn {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

// groupOf returns the handle of the group h belongs to, found by its
// "group" link, or -1.
func (x *graphIndex) groupOf(h int32) int32 {
	// Only entities are grouped: a relationship node, which may have
	// thousands of links, has no group link to look for.
	if x.groupLinks == 0 || h < 0 || x.nodes[h].kind != kindEntity {
		return -1
	}
	ct, _ := x.connType(ConnectionGroup)
	for p := x.nodes[h].out; p >= 0; p = x.links[p].nextOut {
		if e := &x.links[p]; e.dst >= 0 && e.ct == ct && x.nodes[e.dst].kind == kindGroup {
			return e.dst
		}
	}
	return -1
}

// isGroup reports whether handle h names a group node.
func (x *graphIndex) isGroup(h int32) bool { return h >= 0 && x.nodes[h].kind == kindGroup }

// ordinaryRelationship reports whether handle h names the relationship node
// of typed links, rather than a search, commonality or group node.
func (x *graphIndex) ordinaryRelationship(h int32) bool { return x.nodes[h].kind == kindRelationship }

// posTable finds nodes by a hash of their id: open addressing with linear
// probing over 4-byte slots, each holding the node's position in Nodes plus
// one in its low bits, and a tag, the top bits of the hash, in the rest;
// zero when empty. In a graph larger than the caches, a lookup costs a
// cache miss for each load that waits on the one before. Slots holding a
// handle would cost three: the slot, the handle's entry (for the position)
// and the node's id. Slots that hold the position cost two, the slot and
// the node's id; the node's handle (at) and entry are read after, off that
// path. And 4-byte slots make the table half as large (1 MiB for 100,000
// nodes).
//
// A slot holds no home of its own, so moving slots (when the table grows,
// or to close the gap a removal leaves) asks hashOf for the hash of the
// node at a position. As positions outgrow the low bits, the table takes
// bits from the tags, which keep at least one: a tag that matches where the
// id does not costs find one more comparison.
type posTable struct {
	slots []uint32
	mask  uint64
	used  int
	bits  uint // the low bits of a slot that hold the position plus one
}

// minPosBits is the fewest bits a slot gives the position.
const minPosBits = 12

func (t *posTable) tag(hash uint64) uint32 { return uint32(hash>>32) >> t.bits }

func (t *posTable) slot(hash uint64, pos int32) uint32 { return t.tag(hash)<<t.bits | uint32(pos+1) }

// pos returns the position slot s holds.
func (t *posTable) pos(s uint32) int32 { return int32(s&(1<<t.bits-1)) - 1 }

// reset empties the table and sizes it for n nodes.
func (t *posTable) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	if cap(t.slots) >= size {
		t.slots = t.slots[:size]
		clear(t.slots)
	} else {
		t.slots = make([]uint32, size)
	}
	t.mask, t.used = uint64(size-1), 0
	t.bits = max(minPosBits, uint(bits.Len(uint(size))))
}

// candidates returns the positions stored under hash's tag, in the order
// they were stored.
func (t *posTable) candidates(hash uint64) []int32 {
	var ps []int32
	tag := t.tag(hash)
	for j := hash & t.mask; t.slots[j] != 0; j = (j + 1) & t.mask {
		if s := t.slots[j]; s>>t.bits == tag {
			ps = append(ps, t.pos(s))
		}
	}
	return ps
}

// insert stores position pos under hash, first doubling the table when it
// is half full, and giving positions more bits when pos does not fit.
func (t *posTable) insert(hash uint64, pos int32, hashOf func(pos int32) uint64) {
	size, posBits := len(t.slots), t.bits
	if 2*(t.used+1) > size {
		size *= 2
	}
	if uint64(pos)+1 >= 1<<posBits {
		posBits = uint(bits.Len32(uint32(pos)+1)) + 1
	}
	if size != len(t.slots) || posBits != t.bits {
		t.rehash(size, posBits, hashOf)
	}
	t.place(hash, t.slot(hash, pos))
	t.used++
}

// rehash places every position stored again, in a table of size slots
// whose positions take posBits bits (at most 31, which leaves a tag bit).
// When the table holds every position below some n, as it does unless two
// nodes share an id, it asks hashOf for them in order, which reads the
// nodes' hashes in order rather than at random.
func (t *posTable) rehash(size int, posBits uint, hashOf func(pos int32) uint64) {
	old, oldBits := t.slots, t.bits
	oldPos := func(s uint32) int32 { return int32(s&(1<<oldBits-1)) - 1 }
	dense := true
	for _, s := range old {
		if s != 0 && int(oldPos(s)) >= t.used {
			dense = false
			break
		}
	}
	t.slots = make([]uint32, size)
	t.mask, t.bits = uint64(size-1), min(posBits, 31)
	place := func(pos int32) {
		hash := hashOf(pos)
		t.place(hash, t.slot(hash, pos))
	}
	if dense {
		for pos := range int32(t.used) {
			place(pos)
		}
		return
	}
	for _, s := range old {
		if s != 0 {
			place(oldPos(s))
		}
	}
}

// place puts slot s, of a node whose id has the given hash, at the first
// free place from its home.
func (t *posTable) place(hash uint64, s uint32) {
	j := hash & t.mask
	for t.slots[j] != 0 {
		j = (j + 1) & t.mask
	}
	t.slots[j] = s
}

// where returns the place of the slot of position pos, stored under hash,
// or -1.
func (t *posTable) where(hash uint64, pos int32) int {
	want := t.slot(hash, pos)
	for j := hash & t.mask; t.slots[j] != 0; j = (j + 1) & t.mask {
		if t.slots[j] == want {
			return int(j)
		}
	}
	return -1
}

// move makes the slot of the node at position from, stored under hash, name
// position to, which is lower, instead: the node moved. A node that has no
// slot (a later node with an id an earlier one has) is left alone.
func (t *posTable) move(hash uint64, from, to int32) {
	if j := t.where(hash, from); j >= 0 {
		t.slots[j] = t.slot(hash, to)
	}
}

// remove takes position pos, stored under hash, out of the table, moving
// back the slots after it that probing would no longer reach; hashOf gives
// their homes.
func (t *posTable) remove(hash uint64, pos int32, hashOf func(pos int32) uint64) {
	j := t.where(hash, pos)
	if j < 0 {
		return
	}
	i := uint64(j)
	for k := i; ; {
		t.slots[i] = 0
		for {
			k = (k + 1) & t.mask
			s := t.slots[k]
			if s == 0 {
				t.used--
				return
			}
			home := hashOf(t.pos(s)) & t.mask
			// s stays when its home is cyclically in (i, k].
			if i <= k && i < home && home <= k || i > k && (i < home || home <= k) {
				continue
			}
			t.slots[i] = s
			i = k
			break
		}
	}
}
