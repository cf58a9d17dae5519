package vtgraph

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// ConflictKind says what the two sides of a merge did to the same part of a
// graph. Each kind has one rule, given below, for what the merged graph
// holds.
type ConflictKind string

// The conflicts [MergeGraphs] reports.
const (
	// BothChanged: both sides changed the same value (a graph attribute, a
	// node's type or label, one of its entity attributes or Extra keys, or
	// one of a link's Extra keys) to different values, or added the same
	// node with different ones. Unresolved: the merged graph holds the
	// remote value.
	BothChanged ConflictKind = "both_changed"
	// BothMoved: both sides moved the same node to different positions.
	// The local side wins: the layout is that of whoever is saving.
	BothMoved ConflictKind = "both_moved"
	// RemovedChanged: one side removed a node the other changed.
	// Unresolved: the merged graph holds the remote version, the node or
	// its absence.
	RemovedChanged ConflictKind = "removed_changed"
	// RemovedMoved: one side removed a node the other only moved. The
	// side that removed it wins, since a position says nothing about the
	// entity.
	RemovedMoved ConflictKind = "removed_moved"
	// LinkToRemoved: one side added a link to or from a node the other
	// removed. Unresolved: the merged graph holds the remote version, so a
	// link added remotely keeps the node it needs, and a link added locally
	// is left out with the node.
	LinkToRemoved ConflictKind = "link_to_removed"
	// CutOff: the removals of the two sides together left a relationship
	// node without a source or without a target, although each side kept
	// both, and one side changed the node or added one of its remaining
	// links. Unresolved: the merged graph holds the node as the merge left
	// it, cut off, for the caller to remove or link again. Without such a
	// change the node is simply removed with its remaining links, as
	// [Graph.RemoveNode] prunes one, and no conflict is reported.
	CutOff ConflictKind = "cut_off"
)

// ConflictResolution says which side's version of a conflicting value the merged
// graph holds, or that the merge left the choice to the caller.
type ConflictResolution string

// The resolutions of a [Conflict].
const (
	// LocalWins: the merged graph holds the local version.
	LocalWins ConflictResolution = "local"
	// RemoteWins: the merged graph holds the remote version.
	RemoteWins ConflictResolution = "remote"
	// Unresolved: the merge cannot choose. The merged graph holds what the
	// conflict's kind says, and [MergeOnConflict] does not save it.
	Unresolved ConflictResolution = "unresolved"
)

// Conflict is one place where the local and remote sides of a merge both
// changed a graph. EntityID or Link locates it in a node or a link; neither
// is set for a graph attribute.
type Conflict struct {
	// Kind says what the two sides did.
	Kind ConflictKind `json:"kind"`
	// Resolution says what the merged graph holds.
	Resolution ConflictResolution `json:"resolution"`
	// EntityID is the node's entity id, for a conflict on a node.
	EntityID string `json:"entity_id,omitempty"`
	// Link is the link's key, for a conflict on a link.
	Link *LinkKey `json:"link,omitempty"`
	// Path names the value, as in [Change.Path]; it is empty for a
	// conflict on a whole node or link.
	Path string `json:"path,omitempty"`
	// Base, Local and Remote are each side's version as raw JSON, nil
	// where that side has none: the value for a changed value, the node for
	// a whole node, the [NodePosition] for a move, and the number of copies
	// for a link.
	Base   json.RawMessage `json:"base,omitempty"`
	Local  json.RawMessage `json:"local,omitempty"`
	Remote json.RawMessage `json:"remote,omitempty"`
}

// String describes the conflict on one line, such as
//
//	node hooli.com text: changed on both sides (base "", local "C2", remote "sinkhole"); unresolved
func (c Conflict) String() string {
	var b strings.Builder
	switch {
	case c.Link != nil:
		b.WriteString("link " + c.Link.String())
	case c.EntityID != "":
		b.WriteString("node " + displayID(c.EntityID))
	default:
		b.WriteString("graph")
	}
	if c.Path != "" {
		b.WriteString(" " + visible(c.Path))
	}
	b.WriteString(": ")
	switch c.Kind {
	case BothChanged:
		b.WriteString("changed on both sides")
	case BothMoved:
		b.WriteString("moved on both sides")
	case RemovedChanged, RemovedMoved:
		what := "changed"
		if c.Kind == RemovedMoved {
			what = "moved"
		}
		if c.Local == nil {
			b.WriteString("removed locally, " + what + " remotely")
		} else {
			b.WriteString(what + " locally, removed remotely")
		}
	case LinkToRemoved:
		if countOf(c.Local) > countOf(c.Base) {
			b.WriteString("added locally to a node removed remotely")
		} else {
			b.WriteString("added remotely to a node removed locally")
		}
	case CutOff:
		b.WriteString("cut off by the removals of both sides")
	default:
		b.WriteString(visible(string(c.Kind)))
	}
	if c.Kind == BothChanged || c.Kind == BothMoved {
		b.WriteString(" (base " + printedValue(c.Base) + ", local " + printedValue(c.Local) + ", remote " + printedValue(c.Remote) + ")")
	}
	switch c.Resolution {
	case LocalWins:
		b.WriteString("; local wins")
	case RemoteWins:
		b.WriteString("; remote wins")
	default:
		b.WriteString("; " + visible(string(c.Resolution)))
	}
	return b.String()
}

func countOf(raw json.RawMessage) int {
	n, _ := strconv.Atoi(string(raw))
	return n
}

// MergeGraphs merges the changes two sides made to the same graph: base is
// the graph as both sides loaded it, local the one being saved, and remote
// the one the server holds now. It returns the merged graph and the
// conflicts, in graph order: graph attributes, nodes, links.
//
// Every change of one side that the other did not touch is kept: graph
// attributes, graph_data keys, and node entity attributes and Extra keys
// merge key by key; a node's type, label and position merge each on their
// own, so that one side's move and the other's relabelling are both kept;
// nodes are matched by entity id. Links merge as a multiset of (source,
// target, connection type): each copy one side added or removed is added or
// removed, except that when both sides add copies of the same link, or both
// remove copies, the larger change counts once, since both drew or erased
// the same link. A link one side removed disappears, and the links the
// other side kept through a shared relationship node stay; a relationship
// node that the removals of both sides together leave without a source or
// a target goes with its remaining links (see [CutOff]). The ids in a
// group node's entity_attributes.grouped_node_ids merge as a set.
//
// Where both sides changed the same thing, a [Conflict] says so and how it
// was resolved: see the [ConflictKind] constants for the rule of each. The
// merged graph can be saved as it is only when no conflict is [Unresolved];
// otherwise change it as wanted first.
//
// The merged graph has remote's id, dates and counts, so that saving it with
// [Client.SaveGraph] checks that the server still holds remote. It shares
// nothing with the three inputs, which are left unchanged. A nil graph is
// an empty one.
func MergeGraphs(base, local, remote *Graph) (*Graph, []Conflict) {
	m := merger{base: orEmptyGraph(base), local: orEmptyGraph(local), remote: orEmptyGraph(remote)}
	out := m.graph()
	return out, m.conflicts
}

func orEmptyGraph(g *Graph) *Graph {
	if g == nil {
		return &Graph{}
	}
	return g
}

// anyUnresolved reports whether any of the conflicts is left to the caller.
func anyUnresolved(cs []Conflict) bool {
	return slices.ContainsFunc(cs, func(c Conflict) bool { return c.Resolution == Unresolved })
}

type merger struct {
	base, local, remote *Graph
	sides               [3]*Graph // indexed by sideBase, sideLocal and sideRemote
	ids                 map[string]int32
	refs                []nodeRef  // by ids
	lt                  *linkTable // the links of the three sides
	conflicts           []Conflict
	slots               []nodeSlot
}

// The sides of a merge, as indexes of merger.sides and of its link table.
const (
	sideBase = iota
	sideLocal
	sideRemote
)

// nodeRef is where an entity id is: the position of its first node on each
// side, -1 where the side lacks it, and its slot in the merge, -1 when the
// merge placed none.
type nodeRef struct {
	pos  [3]int32
	slot int32
}

// indexNodes maps every entity id of the three sides to its nodeRef, in one
// map rather than one per side.
func (m *merger) indexNodes() {
	hint := max(len(m.remote.Nodes), len(m.local.Nodes)) + len(m.local.Nodes)/8
	m.ids = make(map[string]int32, hint)
	m.refs = make([]nodeRef, 0, hint)
	for s, g := range m.sides {
		for i := range g.Nodes {
			id := g.Nodes[i].EntityID
			r, ok := m.ids[id]
			if !ok {
				r = int32(len(m.refs))
				m.ids[id] = r
				m.refs = append(m.refs, nodeRef{pos: [3]int32{-1, -1, -1}, slot: -1})
			}
			if ref := &m.refs[r]; ref.pos[s] < 0 {
				ref.pos[s] = int32(i)
			}
		}
	}
}

// ref returns where an entity id is, or nil when no side has it.
func (m *merger) ref(id string) *nodeRef {
	if r, ok := m.ids[id]; ok {
		return &m.refs[r]
	}
	return nil
}

// sideNode returns the side's node standing for ref, or nil.
func (m *merger) sideNode(side int, ref *nodeRef) *Node {
	if ref.pos[side] < 0 {
		return nil
	}
	return &m.sides[side].Nodes[ref.pos[side]]
}

// nodeSlot is a node of the merged graph, or a node of remote that local
// removed, which a link remote added can bring back.
type nodeSlot struct {
	node        Node
	kept        bool
	localRemove bool  // the node is remote's, removed locally
	added       bool  // the node is local's, added locally
	in, out     int32 // the merged links to and from it
}

// locator says where a conflict is: in a node, a link or, with neither, the
// graph.
type locator struct {
	entityID string
	link     LinkKey
	isLink   bool
}

func linkLocator(k LinkKey) locator { return locator{link: k, isLink: true} }

func (m *merger) add(loc locator, kind ConflictKind, res ConflictResolution, path string, base, local, remote json.RawMessage) {
	c := Conflict{Kind: kind, Resolution: res, EntityID: loc.entityID, Path: path, Base: base, Local: local, Remote: remote}
	if loc.isLink {
		k := loc.link
		c.Link = &k
	}
	m.conflicts = append(m.conflicts, c)
}

func (m *merger) graph() *Graph {
	b, l, r := m.base, m.local, m.remote
	out := *r
	// The merged slices are new, so remote's index would only be made to
	// index them in turn with remote's.
	out.index = new(graphIndex)
	var loc locator
	out.Description = m.str(loc, "graph_data.description", b.Description, l.Description, r.Description)
	out.Version = m.str(loc, "graph_data.version", b.Version, l.Version, r.Version)
	out.GraphDataExtra = m.rawMap(loc, "graph_data.", b.GraphDataExtra, l.GraphDataExtra, r.GraphDataExtra)
	if l.Private != b.Private {
		// Two sides cannot change a bool to different values.
		out.Private = l.Private
	}
	out.Extra = m.rawMap(loc, "", b.Extra, l.Extra, r.Extra)
	// Object-level keys (links, relationships, context_attributes) are the
	// server's, and a save never sends them: remote's stay unless only local
	// changed one.
	out.ObjectExtra = mergeQuiet(b.ObjectExtra, l.ObjectExtra, r.ObjectExtra)

	m.sides = [3]*Graph{b, l, r}
	m.indexNodes()
	m.placeNodes()
	links := m.prune(m.links())
	out.Nodes = m.assembleNodes()
	out.Links = links
	return &out
}

// str merges a string value.
func (m *merger) str(loc locator, path, b, l, r string) string {
	switch {
	case l == r || l == b:
		return r
	case r == b:
		return l
	}
	m.add(loc, BothChanged, Unresolved, path, appendString(nil, b), appendString(nil, l), appendString(nil, r))
	return r
}

// rawMap merges a map of raw values key by key, with prefix before the key
// in the path of a conflict. The result is a new map, nil when it would be
// empty and remote's is nil.
func (m *merger) rawMap(loc locator, prefix string, b, l, r map[string]json.RawMessage) map[string]json.RawMessage {
	switch {
	case sameRawMap(l, b):
		return maps.Clone(r)
	case sameRawMap(r, b), sameRawMap(l, r):
		return maps.Clone(l)
	}
	out := make(map[string]json.RawMessage, max(len(l), len(r)))
	for _, k := range unionKeys(b, l, r) {
		vb, okb := b[k]
		vl, okl := l[k]
		vr, okr := r[k]
		v, ok := vr, okr
		switch {
		case sameEntry(vl, okl, vr, okr) || sameEntry(vl, okl, vb, okb):
		case sameEntry(vr, okr, vb, okb):
			v, ok = vl, okl
		default:
			if merged, done := mergeIDSet(prefix+k, vb, vl, okl, vr, okr); done {
				v, ok = merged, true
				break
			}
			m.add(loc, BothChanged, Unresolved, prefix+k, presentRaw(vb, okb), presentRaw(vl, okl), presentRaw(vr, okr))
		}
		if ok {
			out[k] = v
		}
	}
	if len(out) == 0 && r == nil {
		return nil
	}
	return out
}

func sameEntry(a json.RawMessage, oka bool, b json.RawMessage, okb bool) bool {
	return oka == okb && (!oka || sameRaw(a, b))
}

// mergeQuiet merges raw maps key by key without reporting conflicts: local's
// value where only local changed one, remote's otherwise.
func mergeQuiet(b, l, r map[string]json.RawMessage) map[string]json.RawMessage {
	if sameRawMap(l, b) || sameRawMap(l, r) {
		return maps.Clone(r)
	}
	out := maps.Clone(r)
	if out == nil {
		out = make(map[string]json.RawMessage, len(l))
	}
	for _, k := range unionKeys(b, l) {
		vb, okb := b[k]
		vl, okl := l[k]
		vr, okr := r[k]
		if sameEntry(vl, okl, vb, okb) || !sameEntry(vr, okr, vb, okb) {
			continue
		}
		if okl {
			out[k] = vl
		} else {
			delete(out, k)
		}
	}
	return out
}

// groupMembersPath is where a group node lists its members.
const groupMembersPath = "entity_attributes.grouped_node_ids"

// mergeIDSet merges a group's member ids that both sides changed as a set:
// remote's ids in remote's order, without those local removed, and then
// those local added. It reports false when the value is not such a list on
// every side that has it, or either side removed the attribute.
func mergeIDSet(path string, b, l json.RawMessage, okl bool, r json.RawMessage, okr bool) (json.RawMessage, bool) {
	if path != groupMembersPath || !okl || !okr {
		return nil, false
	}
	var bs, ls, rs []string
	if (b != nil && json.Unmarshal(b, &bs) != nil) || json.Unmarshal(l, &ls) != nil || json.Unmarshal(r, &rs) != nil {
		return nil, false
	}
	removed := make(map[string]bool, len(bs))
	for _, id := range bs {
		removed[id] = !slices.Contains(ls, id)
	}
	out := make([]string, 0, len(rs)+len(ls))
	for _, id := range rs {
		if !removed[id] && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, id := range ls {
		if _, inBase := removed[id]; !inBase && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	raw, err := json.Marshal(out)
	return raw, err == nil
}

// placeNodes decides the fate of every node: remote's in remote's order,
// then those only local has.
func (m *merger) placeNodes() {
	l, r := m.local, m.remote
	m.slots = make([]nodeSlot, 0, len(r.Nodes)+len(l.Nodes)/8)
	place := func(ref *nodeRef, s nodeSlot) {
		ref.slot = int32(len(m.slots))
		m.slots = append(m.slots, s)
	}
	for i := range r.Nodes {
		rn := &r.Nodes[i]
		ref := m.ref(rn.EntityID)
		if ref.pos[sideRemote] != int32(i) {
			continue
		}
		bn, ln := m.sideNode(sideBase, ref), m.sideNode(sideLocal, ref)
		loc := locator{entityID: rn.EntityID}
		switch {
		case ln != nil:
			place(ref, nodeSlot{node: m.node(bn, ln, rn), kept: true})
		case bn == nil:
			place(ref, nodeSlot{node: cloneNode(rn), kept: true})
		case !sameNodeContent(bn, rn):
			m.add(loc, RemovedChanged, Unresolved, "", nodeJSON(bn), nil, nodeJSON(rn))
			place(ref, nodeSlot{node: cloneNode(rn), kept: true})
		default:
			if !samePosition(bn, rn) {
				m.add(loc, RemovedMoved, LocalWins, "", nodeJSON(bn), nil, nodeJSON(rn))
			}
			place(ref, nodeSlot{node: cloneNode(rn), localRemove: true})
		}
	}
	for i := range l.Nodes {
		ln := &l.Nodes[i]
		ref := m.ref(ln.EntityID)
		if ref.pos[sideRemote] >= 0 || ref.pos[sideLocal] != int32(i) {
			continue
		}
		bn := m.sideNode(sideBase, ref)
		loc := locator{entityID: ln.EntityID}
		switch {
		case bn == nil:
			place(ref, nodeSlot{node: cloneNode(ln), kept: true, added: true})
		case !sameNodeContent(bn, ln):
			m.add(loc, RemovedChanged, Unresolved, "", nodeJSON(bn), nodeJSON(ln), nil)
		case !samePosition(bn, ln):
			m.add(loc, RemovedMoved, RemoteWins, "", nodeJSON(bn), nodeJSON(ln), nil)
		}
	}
}

// node merges a node both sides have; b is nil when both added it, and an
// absent base then counts as an empty type and label and no attributes.
func (m *merger) node(b, l, r *Node) Node {
	var base Node
	if b != nil {
		base = *b
	}
	loc := locator{entityID: r.EntityID}
	n := *r
	n.Type = NodeType(m.str(loc, "type", string(base.Type), string(l.Type), string(r.Type)))
	n.Text = m.str(loc, "text", base.Text, l.Text, r.Text)
	n.Attributes = m.rawMap(loc, "entity_attributes.", base.Attributes, l.Attributes, r.Attributes)
	n.Extra = m.rawMap(loc, "", base.Extra, l.Extra, r.Extra)
	n.FX, n.FY = cloneFloat(r.FX), cloneFloat(r.FY)

	switch {
	case samePosition(l, r):
		return n
	case b != nil && samePosition(l, b):
		return n
	case b == nil || !samePosition(r, b):
		m.add(loc, BothMoved, LocalWins, "", positionJSON(b), positionJSON(l), positionJSON(r))
	}
	n.X, n.Y, n.FX, n.FY = l.X, l.Y, cloneFloat(l.FX), cloneFloat(l.FY)
	n.present |= l.present & (fX | fY)
	return n
}

func nodeJSON(n *Node) json.RawMessage {
	raw, err := appendNode(nil, n, n.Index, false)
	if err != nil {
		return nil
	}
	return raw
}

func positionJSON(n *Node) json.RawMessage {
	if n == nil {
		return nil
	}
	raw, err := json.Marshal(positionOf(n))
	if err != nil {
		return nil
	}
	return raw
}

// keptSlot returns the slot of a node the merged graph holds, or -1.
func (m *merger) keptSlot(id string) int {
	if ref := m.ref(id); ref != nil && ref.slot >= 0 && m.slots[ref.slot].kept {
		return int(ref.slot)
	}
	return -1
}

// removed reports whether the node is one a side removed: some side has it
// and the merged graph does not. A link to a node no side has is left
// alone.
func (m *merger) removed(id string) bool {
	return m.ref(id) != nil && m.keptSlot(id) < 0
}

// revivable reports whether the node can be brought back: remote has it and
// only local removed it.
func (m *merger) revivable(id string) bool {
	ref := m.ref(id)
	return ref != nil && ref.slot >= 0 && m.slots[ref.slot].localRemove
}

func (m *merger) revive(id string) {
	if ref := m.ref(id); ref != nil && ref.slot >= 0 {
		m.slots[ref.slot].kept = true
	}
}

// mergedCount is the number of copies of a link after merging: one side's
// change counts when the other made none or an opposite one; when both added
// or both removed copies, the larger change counts.
func mergedCount(nb, nl, nr int) int {
	dl, dr := nl-nb, nr-nb
	var d int
	switch {
	case dl >= 0 && dr >= 0:
		d = max(dl, dr)
	case dl <= 0 && dr <= 0:
		d = min(dl, dr)
	default:
		d = dl + dr
	}
	return max(nb+d, 0)
}

// links merges the links, keyed and counted, in remote's order and then
// those only local has, and counts each kept node's links.
func (m *merger) links() []Link {
	b, l, r := m.base, m.local, m.remote
	m.lt = newLinkTable(b.Links, l.Links, r.Links)
	out := make([]Link, 0, max(len(r.Links), len(l.Links)))
	var bc, lc, rc []int32
	merge := func(grp int32) {
		k := m.lt.keys[grp]
		bc, lc, rc = m.lt.positions(sideBase, grp, bc), m.lt.positions(sideLocal, grp, lc), m.lt.positions(sideRemote, grp, rc)
		nb, nl, nr := len(bc), len(lc), len(rc)
		n := mergedCount(nb, nl, nr)
		if n == 0 {
			return
		}
		src, dst := m.keptSlot(k.Source), m.keptSlot(k.Target)
		if (src < 0 && m.removed(k.Source)) || (dst < 0 && m.removed(k.Target)) {
			if n = m.linkToRemoved(k, nb, nl, nr); n == 0 {
				return
			}
			src, dst = m.keptSlot(k.Source), m.keptSlot(k.Target)
		}
		fromRemote := min(n, nr)
		for i := range fromRemote {
			c := r.Links[rc[i]]
			if i < nb && i < nl {
				c.Extra = m.rawMap(linkLocator(k), "", b.Links[bc[i]].Extra, l.Links[lc[i]].Extra, c.Extra)
			} else {
				c.Extra = maps.Clone(c.Extra)
			}
			out = append(out, c)
		}
		for _, i := range lc[nl-(n-fromRemote):] {
			c := l.Links[i]
			c.Extra = maps.Clone(c.Extra)
			out = append(out, c)
		}
		if src >= 0 {
			m.slots[src].out += int32(n)
		}
		if dst >= 0 {
			m.slots[dst].in += int32(n)
		}
	}
	for _, grp := range m.lt.order[sideRemote] {
		merge(grp)
	}
	for _, grp := range m.lt.order[sideLocal] {
		if m.lt.count(sideRemote, grp) == 0 {
			merge(grp)
		}
	}
	return out
}

// linkToRemoved decides a link with copies left whose source or target a
// side removed, and returns how many copies to keep. When remote added
// copies and local removed the node, the node comes back (remote's
// version); copies local added to a node remote removed are left out.
func (m *merger) linkToRemoved(k LinkKey, nb, nl, nr int) int {
	loc := linkLocator(k)
	counts := func() (json.RawMessage, json.RawMessage, json.RawMessage) {
		return json.RawMessage(strconv.Itoa(nb)), json.RawMessage(strconv.Itoa(nl)), json.RawMessage(strconv.Itoa(nr))
	}
	ends := []string{k.Source, k.Target}
	canRevive := !slices.ContainsFunc(ends, func(id string) bool { return m.removed(id) && !m.revivable(id) })
	if nr > nb && canRevive {
		for _, id := range ends {
			if m.removed(id) {
				m.revive(id)
			}
		}
		bc, lc, rc := counts()
		m.add(loc, LinkToRemoved, Unresolved, "", bc, lc, rc)
		return nr
	}
	if nl > nb {
		bc, lc, rc := counts()
		m.add(loc, LinkToRemoved, Unresolved, "", bc, lc, rc)
	}
	return 0
}

// prune removes the relationship nodes that the two sides' removals
// together cut off, and their remaining links, or reports them as CutOff
// when that would lose a change.
func (m *merger) prune(links []Link) []Link {
	cut := make(map[string]bool)
	for i := range m.slots {
		s := &m.slots[i]
		if s.kept && s.node.IsRelationship() && isCutOff(&s.node, s.in, s.out) {
			cut[s.node.EntityID] = true
		}
	}
	if len(cut) == 0 {
		return links
	}
	// A side that cut the node off itself shows the problem when saved.
	for id := range m.cutOffAmong(sideLocal, cut) {
		delete(cut, id)
	}
	for id := range m.cutOffAmong(sideRemote, cut) {
		delete(cut, id)
	}
	added := m.linksAddedTo(cut, links)
	drop := make(map[string]bool, len(cut))
	for i := range m.slots {
		s := &m.slots[i]
		id := s.node.EntityID
		if !s.kept || !cut[id] {
			continue
		}
		if m.changedBySide(id) || added[id] {
			m.add(locator{entityID: id}, CutOff, Unresolved, "", nil, nil, nil)
			continue
		}
		drop[id] = true
		s.kept = false
	}
	if len(drop) == 0 {
		return links
	}
	return slices.DeleteFunc(links, func(l Link) bool { return drop[l.Source] || drop[l.Target] })
}

// isCutOff reports whether a relationship node lacks a side: special nodes
// (searches, groups) only link out, ordinary ones need a link in and out.
func isCutOff(n *Node, in, out int32) bool {
	return out == 0 || (n.RelationshipKind() == "" && in == 0)
}

// cutOffAmong returns those of the nodes in ids that a side has cut off.
func (m *merger) cutOffAmong(side int, ids map[string]bool) map[string]bool {
	type degree struct {
		node    *Node
		in, out int32
	}
	deg := make(map[string]*degree, len(ids))
	for id := range ids {
		if n := m.sideNode(side, m.ref(id)); n != nil {
			deg[id] = &degree{node: n}
		}
	}
	g := m.sides[side]
	for i := range g.Links {
		if d, ok := deg[g.Links[i].Source]; ok {
			d.out++
		}
		if d, ok := deg[g.Links[i].Target]; ok {
			d.in++
		}
	}
	out := make(map[string]bool)
	for id, d := range deg {
		if isCutOff(d.node, d.in, d.out) {
			out[id] = true
		}
	}
	return out
}

// changedBySide reports whether either side added the node or changed what
// it says.
func (m *merger) changedBySide(id string) bool {
	ref := m.ref(id)
	bn := m.sideNode(sideBase, ref)
	if bn == nil {
		return true
	}
	for _, side := range []int{sideLocal, sideRemote} {
		if n := m.sideNode(side, ref); n != nil && !sameNodeContent(bn, n) {
			return true
		}
	}
	return false
}

// linksAddedTo returns those of the nodes in ids that a merged link with
// more copies than base has touches: a link a side added.
func (m *merger) linksAddedTo(ids map[string]bool, links []Link) map[string]bool {
	counts := make(map[LinkKey]int)
	for i := range links {
		if l := &links[i]; ids[l.Source] || ids[l.Target] {
			counts[keyOf(l)]++
		}
	}
	out := make(map[string]bool)
	for k, n := range counts {
		if n > m.lt.count(sideBase, m.lt.group[k]) {
			out[k.Source], out[k.Target] = true, true
		}
	}
	return out
}

// assembleNodes lists the kept nodes, giving those local added the indexes
// after remote's, so that remote's nodes keep theirs.
func (m *merger) assembleNodes() []Node {
	nodes := make([]Node, 0, len(m.slots))
	next := 0
	for i := range m.slots {
		if s := &m.slots[i]; s.kept && !s.added {
			next = max(next, s.node.Index+1)
		}
	}
	for i := range m.slots {
		s := &m.slots[i]
		if !s.kept {
			continue
		}
		if s.added {
			s.node.Index = next
			s.node.present |= fIndex
			next++
		}
		nodes = append(nodes, s.node)
	}
	return nodes
}
