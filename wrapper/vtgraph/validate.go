package vtgraph

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FieldError is one problem found by [Graph.Validate], located by a path
// into the graph's JSON attributes such as "nodes[3].entity_id".
type FieldError struct {
	// Path locates the offending field.
	Path string
	// Message says what is wrong with it.
	Message string
}

// Error returns "path: message".
func (e FieldError) Error() string { return e.Path + ": " + e.Message }

// ValidationError lists every problem [Graph.Validate] found, so a user can
// fix them all before trying again rather than one per round trip.
type ValidationError struct {
	// Problems are in graph order: graph fields, then nodes, then links.
	Problems []FieldError
}

// Error lists every problem on one line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("vtgraph: invalid graph: ")
	if len(e.Problems) == 1 {
		b.WriteString("1 problem: ")
	} else {
		b.WriteString(strconv.Itoa(len(e.Problems)) + " problems: ")
	}
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Validate checks the graph before it is sent to VirusTotal and returns a
// *ValidationError listing every problem, or nil. It refuses what the API
// refuses, or what the UI would draw broken, and accepts everything
// VirusTotal and its own tools save (the UI, and the vt-graph-api library's
// graphs and request bodies):
//
//   - the graph id, when set, has the form of one;
//   - every node has an entity id that is not blank, and no two share one:
//     links name their ends by it;
//   - a node's type, and a custom node's custom_type, is a lower-case
//     identifier such as "ip_address" (a type this package does not know
//     is fine): "IP Address", "file\n" or "<script>" name no type;
//   - an index fits in 32 bits and coordinates are finite numbers, which is
//     what the UI reads;
//   - has_detections is a bool or a count (a non-negative integer), the two
//     forms VirusTotal writes;
//   - a group lists its members in grouped_node_ids: at least one, each an
//     entity node of the graph, and none in two groups, as vt-graph-api
//     requires;
//   - a link joins two nodes of the graph, and not a node to itself;
//   - a link joins two relationship nodes only when one is a group, which
//     takes its members' place in their links;
//   - the links of a relationship node (other than a search, commonality
//     or group node, which only point at their members) all have the
//     connection type it stands for, and it has at least one link in and
//     one out. Several sources may share one: it then stands for a link
//     from each source to each target.
//
// Repeated links are not problems: VirusTotal's tools write them, and they
// are sent as they are ([Graph.DedupLinks] removes them). Neither are
// repeated or unordered node indexes: they are renumbered on save (see
// [Graph.RenumberIndexes]). Validate runs in time linear in the number of
// nodes and links.
func (g *Graph) Validate() error {
	var v graphValidator
	if g.ID != "" && !ValidGraphID(g.ID) {
		v.add("id", "%q is not a graph id (g followed by 64 lowercase hex characters)", g.ID)
	}

	ids := newIDTable(g.Nodes)
	// class holds, for each node, what the link checks need to know of it,
	// in an array small enough to stay in cache where the nodes do not.
	class := make([]nodeClass, len(g.Nodes))
	var groups []int
	for i := range g.Nodes {
		n := &g.Nodes[i]
		p := lazyPath{"nodes", i}
		class[i] = classOf(n)
		switch {
		case n.EntityID == "":
			ids.skip(i)
			v.add(p.field("entity_id").String(), "empty")
		case blank(n.EntityID):
			ids.skip(i)
			v.add(p.field("entity_id").String(), "%q is only white space", n.EntityID)
		default:
			if j, dup := ids.insert(n.EntityID, i); dup {
				v.add(p.field("entity_id").String(), "%q duplicates nodes[%d]", n.EntityID, j)
			} else {
				class[i] |= linkable
			}
		}
		switch {
		case n.Type == "":
			v.add(p.field("type").String(), "empty")
		case !n.Type.Known() && !validNodeType(string(n.Type)):
			v.add(p.field("type").String(), "%q is not a node type, which is a lower-case identifier such as %q", truncateValue(string(n.Type)), NodeTypeIPAddress)
		}
		if n.Type == NodeTypeCustom {
			v.customType(p, n)
		}
		if n.Index > math.MaxInt32 {
			v.add(p.field("index").String(), "%d exceeds the int32 range", n.Index)
		}
		v.finite(p, "x", n.X)
		v.finite(p, "y", n.Y)
		if n.FX != nil {
			v.finite(p, "fx", *n.FX)
		}
		if n.FY != nil {
			v.finite(p, "fy", *n.FY)
		}
		if raw, ok := n.Attributes[attrHasDetections]; ok {
			if _, ok := parseDetections(raw); !ok {
				v.add(p.field("entity_attributes.has_detections").String(), "must be a bool or a count (a non-negative integer), got %s", truncateValue(string(raw)))
			}
		}
		if class[i]&kindMask == kindGroup {
			groups = append(groups, i)
		}
	}
	v.groups(g, groups, &ids, class)

	// rels holds the state of each ordinary relationship node: whether it
	// has links in and out, and the first of its links, whose connection
	// type the others must have.
	rels := make([]relState, len(g.Nodes))
	var recent recentIDs
	for i := range g.Links {
		l := &g.Links[i]
		p := lazyPath{"links", i}
		src, srcOK := v.endpoint(p, "source", l.Source, &ids, &recent)
		dst, dstOK := v.endpoint(p, "target", l.Target, &ids, &recent)
		recent.remember(l.Source, src, srcOK, l.Target, dst, dstOK)
		if l.Source != "" && l.Source == l.Target {
			v.add(p.field("target").String(), "links node %q to itself", l.Target)
			continue
		}
		if !srcOK || !dstOK {
			continue
		}
		sk, dk := class[src]&kindMask, class[dst]&kindMask
		if sk != kindEntity && dk != kindEntity && sk != kindGroup && dk != kindGroup {
			v.add(p.String(), "joins two relationship nodes %q and %q", l.Source, l.Target)
			continue
		}
		if sk == kindRelationship {
			v.relLink(g, rels, src, i, false)
		}
		if dk == kindRelationship {
			v.relLink(g, rels, dst, i, true)
		}
	}

	for i := range g.Nodes {
		if class[i] != kindRelationship|linkable {
			continue
		}
		st := &rels[i]
		if !st.in {
			v.add(lazyPath{"nodes", i}.String(), "relationship node %q has no incoming link", g.Nodes[i].EntityID)
		}
		if !st.out {
			v.add(lazyPath{"nodes", i}.String(), "relationship node %q has no outgoing link", g.Nodes[i].EntityID)
		}
	}
	return v.err()
}

// nodeClass is what Validate's link checks need to know of a node: its
// kind, and whether links can name it (its id is neither blank nor taken).
type nodeClass uint8

const (
	kindEntity nodeClass = iota
	// kindRelationship is the relationship node of typed links.
	kindRelationship
	// kindSpecial is a search or commonality node.
	kindSpecial
	kindGroup
	kindMask nodeClass = 3

	linkable nodeClass = 4
)

func classOf(n *Node) nodeClass {
	if !n.IsRelationship() {
		return kindEntity
	}
	switch n.RelationshipKind() {
	case "":
		return kindRelationship
	case RelationshipGroup:
		return kindGroup
	}
	return kindSpecial
}

// relState is what Validate has seen of an ordinary relationship node's
// links; first is the position of its first link plus one.
type relState struct {
	in, out bool
	first   int32
}

// relLink records link i at relationship node rel, which it ends when in is
// set.
func (v *graphValidator) relLink(g *Graph, rels []relState, rel, i int, in bool) {
	st := &rels[rel]
	if st.first == 0 {
		st.first = int32(i + 1)
	} else if first := &g.Links[st.first-1]; first.ConnectionType != g.Links[i].ConnectionType {
		v.add(lazyPath{"links", i}.field("connection_type").String(), "%q differs from %q used by the other links of relationship node %q",
			g.Links[i].ConnectionType, first.ConnectionType, g.Nodes[rel].EntityID)
	}
	if in {
		st.in = true
	} else {
		st.out = true
	}
}

// blank reports whether id is only white space, which names no entity.
func blank(id string) bool {
	if c := id[0]; c > ' ' && c < utf8.RuneSelf {
		return false
	}
	return strings.TrimSpace(id) == ""
}

// customType checks the custom_type of a custom node: the type it stands
// for, under the same rule as a node's type.
func (v *graphValidator) customType(p lazyPath, n *Node) {
	raw, ok := n.Attributes[attrCustomType]
	if !ok {
		return
	}
	path := p.field("entity_attributes.custom_type").String
	var t string
	if json.Unmarshal(raw, &t) != nil {
		v.add(path(), "must be a string, got %s", truncateValue(string(raw)))
	} else if !validNodeType(t) {
		v.add(path(), "%q is not a node type, which is a lower-case identifier such as %q", truncateValue(t), NodeTypeVictim)
	}
}

// groups checks the members of the group nodes at the given positions.
func (v *graphValidator) groups(g *Graph, groups []int, ids *idTable, class []nodeClass) {
	var groupOf map[int]int // member position → group position
	for _, i := range groups {
		n := &g.Nodes[i]
		p := lazyPath{"nodes", i}.field("entity_attributes.grouped_node_ids")
		members, ok := n.groupedNodeIDs()
		switch {
		case !ok && n.Attributes[attrGroupedNodeIDs] != nil:
			v.add(p.String(), "must be a list of entity ids, got %s", truncateValue(string(n.Attributes[attrGroupedNodeIDs])))
			continue
		case len(members) == 0:
			v.add(p.String(), "a group needs at least one member")
			continue
		}
		for k, id := range members {
			mp := lazyPath{p.String(), k}
			j, found := ids.lookup(id)
			switch {
			case !found:
				v.add(mp.String(), "node %q does not exist", id)
			case class[j]&kindMask != kindEntity:
				v.add(mp.String(), "%q is a relationship node; only entities are grouped", id)
			default:
				if groupOf == nil {
					groupOf = make(map[int]int)
				}
				if other, in := groupOf[j]; in && other != i {
					v.add(mp.String(), "node %q is in the group nodes[%d] already", id, other)
				} else {
					groupOf[j] = i
				}
			}
		}
	}
}

// lazyPath is a path like nodes[3] that is only formatted when a problem is
// found, so validating a large valid graph allocates no strings.
type lazyPath struct {
	list  string
	index int
}

func (p lazyPath) String() string { return p.list + "[" + strconv.Itoa(p.index) + "]" }

func (p lazyPath) field(name string) fieldPath { return fieldPath{p, name} }

// fieldPath is a lazyPath with a field name after it.
type fieldPath struct {
	lazyPath
	name string
}

func (p fieldPath) String() string { return p.lazyPath.String() + "." + p.name }

// idTable maps entity ids to node positions for Validate. At 100,000 nodes
// looking up link ends is most of validation's work, and what costs is
// memory the cache does not hold: a map[string]int of that size misses on
// every probe, and comparing an id with a node's reads the node's id where
// it was decoded, anywhere in the document. The table's 8-byte slots hold
// a hash and a position, so a probe touches one cache line, and the ids are
// compared with a copy of them all, packed together in node order, which
// is small enough to stay in cache.
type idTable struct {
	seed  maphash.Seed
	slots []idSlot
	mask  uint64
	// ids holds every id inserted, back to back; ends[i] is where the id
	// of the node at position i ends, and ends[i-1] (or 0) where it starts.
	ids  []byte
	ends []uint32
}

// idSlot is one entry: the high half of the id's hash, and the node's
// position plus one (zero for an empty slot).
type idSlot struct {
	tag uint32
	pos int32
}

func newIDTable(nodes []Node) idTable {
	size := 8
	for size < 2*len(nodes) {
		size <<= 1
	}
	total := 0
	for i := range nodes {
		total += len(nodes[i].EntityID)
	}
	return idTable{
		seed:  maphash.MakeSeed(),
		slots: make([]idSlot, size),
		mask:  uint64(size - 1),
		ids:   make([]byte, 0, total),
		ends:  make([]uint32, len(nodes)),
	}
}

// id returns the id of the node at position i.
func (t *idTable) id(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.ids[start:t.ends[i]]
}

// insert records that the node at position i has the given id, unless an
// earlier node has it, whose position it then returns. Every node is either
// inserted or skipped, in order.
func (t *idTable) insert(id string, i int) (int, bool) {
	defer t.skip(i)
	h := maphash.String(t.seed, id)
	tag := uint32(h >> 32)
	for j := h & t.mask; ; j = (j + 1) & t.mask {
		s := &t.slots[j]
		if s.pos == 0 {
			*s = idSlot{tag: tag, pos: int32(i + 1)}
			t.ids = append(t.ids, id...)
			return 0, false
		}
		if s.tag == tag && string(t.id(int(s.pos-1))) == id {
			return int(s.pos - 1), true
		}
	}
}

// skip ends the node at position i where the ids end so far: one not
// inserted has none.
func (t *idTable) skip(i int) { t.ends[i] = uint32(len(t.ids)) }

// lookup returns the position of the node with the given id.
func (t *idTable) lookup(id string) (int, bool) {
	h := maphash.String(t.seed, id)
	tag := uint32(h >> 32)
	for j := h & t.mask; ; j = (j + 1) & t.mask {
		s := &t.slots[j]
		if s.pos == 0 {
			return 0, false
		}
		if s.tag == tag && string(t.id(int(s.pos-1))) == id {
			return int(s.pos - 1), true
		}
	}
}

// recentIDs holds the ends of the previous link. Links come in runs that
// share an end (a relationship node's links to its targets, a source's link
// to it just before), so most ends are found here without a lookup.
type recentIDs struct {
	ids [2]string
	pos [2]int
}

func (r *recentIDs) find(id string) (int, bool) {
	for k := range r.ids {
		if r.ids[k] == id && id != "" {
			return r.pos[k], true
		}
	}
	return 0, false
}

func (r *recentIDs) remember(src string, srcPos int, srcOK bool, dst string, dstPos int, dstOK bool) {
	r.ids, r.pos = [2]string{}, [2]int{}
	if srcOK {
		r.ids[0], r.pos[0] = src, srcPos
	}
	if dstOK {
		r.ids[1], r.pos[1] = dst, dstPos
	}
}

// graphValidator collects problems.
type graphValidator struct {
	problems []FieldError
}

func (v *graphValidator) add(path, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	v.problems = append(v.problems, FieldError{Path: path, Message: msg})
}

func (v *graphValidator) finite(p lazyPath, name string, f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		v.add(p.field(name).String(), "%v is not a finite number", f)
	}
}

// endpoint checks one end of a link and returns the node's position.
func (v *graphValidator) endpoint(p lazyPath, name, id string, ids *idTable, recent *recentIDs) (int, bool) {
	if id == "" {
		v.add(p.field(name).String(), "empty")
		return 0, false
	}
	if i, ok := recent.find(id); ok {
		return i, true
	}
	i, ok := ids.lookup(id)
	if !ok {
		v.add(p.field(name).String(), "node %q does not exist", id)
	}
	return i, ok
}

func (v *graphValidator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

// truncate keeps messages readable when a value is large.
func truncateValue(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
