package vtgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Diff is what changes from one graph to another, as [DiffGraphs] finds
// it: the graph attributes, nodes and links the second graph adds, removes
// or changes against the first. Moved nodes are listed apart from changed
// ones, so that a layout edit does not read as a content edit.
//
// Its String method prints it one change per line; encoded as JSON it is
// one object whose lists are always arrays, empty when nothing changed.
type Diff struct {
	// Graph lists the graph attributes that differ: the name
	// (graph_data.description), the other graph_data keys, private and the
	// Extra attributes. The server's read-only attributes (dates and
	// counts) and the graph id are not compared.
	Graph []Change `json:"graph"`
	// AddedNodes are the nodes only the second graph has, in its order.
	AddedNodes []Node `json:"added_nodes"`
	// RemovedNodes are the nodes only the first graph has, in its order.
	RemovedNodes []Node `json:"removed_nodes"`
	// ChangedNodes are the nodes both graphs have whose type, label, entity
	// attributes or Extra keys differ, in the first graph's order.
	ChangedNodes []NodeChange `json:"changed_nodes"`
	// MovedNodes are the nodes both graphs have at different positions or
	// pins, in the first graph's order. A node can be moved and changed.
	MovedNodes []NodeMove `json:"moved_nodes"`
	// AddedLinks are the links the second graph has more copies of.
	AddedLinks []LinkCount `json:"added_links"`
	// RemovedLinks are the links the second graph has fewer copies of.
	RemovedLinks []LinkCount `json:"removed_links"`
	// ChangedLinks are the links both graphs have whose Extra keys differ.
	// The copies of a repeated link are compared in graph order, and each
	// changed copy is listed.
	ChangedLinks []LinkChange `json:"changed_links"`
}

// Change is one value that differs between two versions of a graph, a node
// or a link.
type Change struct {
	// Path names the value within its object as the API's JSON does:
	// "graph_data.description", "private" or "position" for a graph;
	// "type", "text" or "entity_attributes.country" for a node; an Extra key
	// for a node or a link.
	Path string `json:"path"`
	// From is the first version's value as raw JSON, nil when it had none.
	From json.RawMessage `json:"from,omitempty"`
	// To is the second version's value as raw JSON, nil when it has none.
	To json.RawMessage `json:"to,omitempty"`
}

// NodeChange lists what differs in a node both graphs have.
type NodeChange struct {
	// EntityID identifies the node.
	EntityID string `json:"entity_id"`
	// Changes are the values that differ, in a fixed order: type, text,
	// then entity attributes and Extra keys by name.
	Changes []Change `json:"changes"`
}

// NodeMove is a node both graphs have at different positions.
type NodeMove struct {
	// EntityID identifies the node.
	EntityID string `json:"entity_id"`
	// From is where the first graph has it.
	From NodePosition `json:"from"`
	// To is where the second graph has it.
	To NodePosition `json:"to"`
}

// NodePosition is where a node is drawn: its last position and, when pinned,
// the point it is pinned at.
type NodePosition struct {
	// X and Y are the node's last drawn position.
	X float64 `json:"x"`
	Y float64 `json:"y"`
	// FX and FY are the pin, nil when the node is not pinned.
	FX *float64 `json:"fx,omitempty"`
	FY *float64 `json:"fy,omitempty"`
}

// LinkKey identifies a link: VirusTotal keeps repeated links, so several
// links of a graph can share a key.
type LinkKey struct {
	// Source is the entity id of the node the link starts from.
	Source string `json:"source"`
	// Target is the entity id of the node the link ends at.
	Target string `json:"target"`
	// ConnectionType is the link's connection type, such as "resolutions".
	ConnectionType string `json:"connection_type"`
}

// LinkCount is a link added or removed, with the number of its copies.
type LinkCount struct {
	LinkKey
	// Count is how many copies of the link were added or removed.
	Count int `json:"count"`
}

// LinkChange lists what differs in one copy of a link both graphs have.
type LinkChange struct {
	LinkKey
	// Changes are the Extra keys that differ, by name.
	Changes []Change `json:"changes"`
}

// DiffGraphs returns what changes from graph a to graph b. Nodes are matched
// by entity id, the first node of each id standing for it, and links by
// source, target and connection type, counting repeated copies. Node indexes
// are not compared: saving renumbers them. A nil graph is an empty one.
func DiffGraphs(a, b *Graph) *Diff {
	if a == nil {
		a = &Graph{}
	}
	if b == nil {
		b = &Graph{}
	}
	d := &Diff{Graph: diffGraphAttributes(a, b)}

	an, bn := nodeIndex(a.Nodes), nodeIndex(b.Nodes)
	for i := range a.Nodes {
		na := &a.Nodes[i]
		if an[na.EntityID] != i {
			continue
		}
		j, ok := bn[na.EntityID]
		if !ok {
			d.RemovedNodes = append(d.RemovedNodes, cloneNode(na))
			continue
		}
		nb := &b.Nodes[j]
		if cs := diffNode(na, nb); len(cs) > 0 {
			d.ChangedNodes = append(d.ChangedNodes, NodeChange{EntityID: na.EntityID, Changes: cs})
		}
		if !samePosition(na, nb) {
			d.MovedNodes = append(d.MovedNodes, NodeMove{EntityID: na.EntityID, From: positionOf(na), To: positionOf(nb)})
		}
	}
	for i := range b.Nodes {
		nb := &b.Nodes[i]
		if _, ok := an[nb.EntityID]; !ok && bn[nb.EntityID] == i {
			d.AddedNodes = append(d.AddedNodes, cloneNode(nb))
		}
	}

	lt := newLinkTable(a.Links, b.Links)
	var ca, cb []int32
	for _, grp := range lt.order[0] {
		k := lt.keys[grp]
		ca, cb = lt.positions(0, grp, ca), lt.positions(1, grp, cb)
		if len(ca) > len(cb) {
			d.RemovedLinks = append(d.RemovedLinks, LinkCount{LinkKey: k, Count: len(ca) - len(cb)})
		}
		for i := range min(len(ca), len(cb)) {
			if cs := diffRawMaps(nil, "", a.Links[ca[i]].Extra, b.Links[cb[i]].Extra); len(cs) > 0 {
				d.ChangedLinks = append(d.ChangedLinks, LinkChange{LinkKey: k, Changes: cs})
			}
		}
	}
	for _, grp := range lt.order[1] {
		if added := lt.count(1, grp) - lt.count(0, grp); added > 0 {
			d.AddedLinks = append(d.AddedLinks, LinkCount{LinkKey: lt.keys[grp], Count: added})
		}
	}
	return d
}

// Empty reports whether the two graphs compared the same: nothing added,
// removed, changed or moved.
func (d *Diff) Empty() bool {
	return d == nil || len(d.Graph)+len(d.AddedNodes)+len(d.RemovedNodes)+len(d.ChangedNodes)+
		len(d.MovedNodes)+len(d.AddedLinks)+len(d.RemovedLinks)+len(d.ChangedLinks) == 0
}

// MarshalJSON encodes the diff with every list as an array, empty rather
// than null when nothing changed, so that a program reading it need not
// tell the two apart. Nodes are in the API's form.
func (d Diff) MarshalJSON() ([]byte, error) {
	type lists Diff // without the method, so that Marshal does not recurse
	l := lists(d)
	l.Graph = orEmpty(l.Graph)
	l.AddedNodes = orEmpty(l.AddedNodes)
	l.RemovedNodes = orEmpty(l.RemovedNodes)
	l.ChangedNodes = orEmpty(l.ChangedNodes)
	l.MovedNodes = orEmpty(l.MovedNodes)
	l.AddedLinks = orEmpty(l.AddedLinks)
	l.RemovedLinks = orEmpty(l.RemovedLinks)
	l.ChangedLinks = orEmpty(l.ChangedLinks)
	return json.Marshal(l)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// String prints the diff one change per line, each marked + (added),
// - (removed), ~ (changed) or > (moved):
//
//	~ graph graph_data.description: "Hooli" -> "Hooli, renamed"
//	+ node hooli.net (domain) "typo-squat"
//	- node 8.8.4.4 (ip_address)
//	~ node hooli.com text: "" -> "root"
//	> node 8.8.8.8 (0, 0) -> (120, 40) pinned
//	+ link hooli.net -> relationships_resolutions_hoolinet (resolutions)
//	- link a.example -> b.example (manual) x2
//
// An empty diff prints as "". Long values are cut short; the JSON form
// keeps them whole.
func (d *Diff) String() string {
	if d == nil {
		return ""
	}
	var b strings.Builder
	for _, c := range d.Graph {
		b.WriteString("~ graph ")
		writeChange(&b, c)
	}
	for i := range d.AddedNodes {
		writeNodeLine(&b, '+', &d.AddedNodes[i])
	}
	for i := range d.RemovedNodes {
		writeNodeLine(&b, '-', &d.RemovedNodes[i])
	}
	for _, nc := range d.ChangedNodes {
		for _, c := range nc.Changes {
			b.WriteString("~ node " + displayID(nc.EntityID) + " ")
			writeChange(&b, c)
		}
	}
	for _, m := range d.MovedNodes {
		b.WriteString("> node " + displayID(m.EntityID) + " " + m.From.String() + " -> " + m.To.String() + "\n")
	}
	for _, l := range d.AddedLinks {
		b.WriteString("+ link " + l.LinkKey.String() + copiesSuffix(l.Count) + "\n")
	}
	for _, l := range d.RemovedLinks {
		b.WriteString("- link " + l.LinkKey.String() + copiesSuffix(l.Count) + "\n")
	}
	for _, lc := range d.ChangedLinks {
		for _, c := range lc.Changes {
			b.WriteString("~ link " + lc.LinkKey.String() + " ")
			writeChange(&b, c)
		}
	}
	return b.String()
}

// String prints the position as "(x, y)", followed by "pinned" when the
// node is pinned where it is and "pinned at (fx, fy)" when elsewhere.
func (p NodePosition) String() string {
	s := "(" + formatCoord(p.X) + ", " + formatCoord(p.Y) + ")"
	if p.FX == nil && p.FY == nil {
		return s
	}
	if p.FX != nil && p.FY != nil && sameFloat(*p.FX, p.X) && sameFloat(*p.FY, p.Y) {
		return s + " pinned"
	}
	return s + " pinned at (" + formatPin(p.FX) + ", " + formatPin(p.FY) + ")"
}

// String prints the link as "source -> target (connection type)".
func (k LinkKey) String() string {
	s := displayID(k.Source) + " -> " + displayID(k.Target)
	if k.ConnectionType != "" {
		s += " (" + displayID(k.ConnectionType) + ")"
	}
	return s
}

func writeNodeLine(b *strings.Builder, mark byte, n *Node) {
	b.WriteByte(mark)
	b.WriteString(" node " + displayID(n.EntityID) + " (" + displayID(string(n.Type)) + ")")
	if n.Text != "" {
		b.WriteString(" " + strconv.Quote(clipUTF8(n.Text, maxPrintedValue)))
	}
	b.WriteByte('\n')
}

func writeChange(b *strings.Builder, c Change) {
	b.WriteString(visible(c.Path) + ": " + printedValue(c.From) + " -> " + printedValue(c.To) + "\n")
}

// maxPrintedValue bounds a value in a printed diff or conflict, so that one
// long attribute does not flood a terminal.
const maxPrintedValue = 120

// printedValue shows a raw value compacted and cut short, or "absent".
func printedValue(raw json.RawMessage) string {
	if raw == nil {
		return "absent"
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) == nil {
		raw = b.Bytes()
	}
	return visible(clipUTF8(string(raw), maxPrintedValue))
}

// visible replaces the control characters of s, which a hostile graph could
// use to rewrite a terminal, with \u escapes.
func visible(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// displayID prints an id or name as it is when that is unambiguous, and
// quoted when it is empty or holds spaces, quotes or control characters.
func displayID(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '"' || !unicode.IsPrint(r)
	}) {
		return s
	}
	return strconv.Quote(s)
}

func copiesSuffix(n int) string {
	if n == 1 {
		return ""
	}
	return " x" + strconv.Itoa(n)
}

func formatCoord(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func formatPin(p *float64) string {
	if p == nil {
		return "-"
	}
	return formatCoord(*p)
}

// diffGraphAttributes compares the attributes a save writes.
func diffGraphAttributes(a, b *Graph) []Change {
	var cs []Change
	if a.Description != b.Description {
		cs = append(cs, Change{Path: "graph_data.description", From: appendString(nil, a.Description), To: appendString(nil, b.Description)})
	}
	if a.Version != b.Version {
		cs = append(cs, Change{Path: "graph_data.version", From: appendString(nil, a.Version), To: appendString(nil, b.Version)})
	}
	cs = diffRawMaps(cs, "graph_data.", a.GraphDataExtra, b.GraphDataExtra)
	if a.Private != b.Private {
		cs = append(cs, Change{Path: "private", From: boolJSON(a.Private), To: boolJSON(b.Private)})
	}
	return diffRawMaps(cs, "", writableExtra(a.Extra), writableExtra(b.Extra))
}

func boolJSON(v bool) json.RawMessage { return json.RawMessage(strconv.FormatBool(v)) }

// writableExtra leaves out the read-only attributes that a null value put
// in Extra on decode.
func writableExtra(m map[string]json.RawMessage) map[string]json.RawMessage {
	for _, k := range readOnlyAttributes {
		if _, ok := m[k]; ok {
			return writable(&Graph{Extra: m}).Extra
		}
	}
	return m
}

// diffNode compares what a node says, not where it is drawn.
func diffNode(a, b *Node) []Change {
	var cs []Change
	if a.Type != b.Type {
		cs = append(cs, Change{Path: "type", From: appendString(nil, string(a.Type)), To: appendString(nil, string(b.Type))})
	}
	if a.Text != b.Text {
		cs = append(cs, Change{Path: "text", From: appendString(nil, a.Text), To: appendString(nil, b.Text)})
	}
	cs = diffRawMaps(cs, "entity_attributes.", a.Attributes, b.Attributes)
	return diffRawMaps(cs, "", a.Extra, b.Extra)
}

// sameNodeContent reports whether a and b say the same, wherever they are
// drawn.
func sameNodeContent(a, b *Node) bool {
	return a.Type == b.Type && a.Text == b.Text && sameRawMap(a.Attributes, b.Attributes) && sameRawMap(a.Extra, b.Extra)
}

// diffRawMaps appends a change for every key whose value differs between a
// and b, in key order, with prefix before the key.
func diffRawMaps[M ~map[string]json.RawMessage](cs []Change, prefix string, a, b M) []Change {
	if sameRawMap(a, b) {
		return cs
	}
	for _, k := range unionKeys(a, b) {
		va, oka := a[k]
		vb, okb := b[k]
		if oka && okb && sameRaw(va, vb) {
			continue
		}
		cs = append(cs, Change{Path: prefix + k, From: presentRaw(va, oka), To: presentRaw(vb, okb)})
	}
	return cs
}

// presentRaw returns the value of a key that is present, with an empty raw
// value standing for the null it is encoded as, and nil for a missing key.
func presentRaw(v json.RawMessage, ok bool) json.RawMessage {
	switch {
	case !ok:
		return nil
	case len(v) == 0:
		return json.RawMessage("null")
	}
	return v
}

// unionKeys returns the keys of the maps, sorted, each once.
func unionKeys[M ~map[string]json.RawMessage](ms ...M) []string {
	n := 0
	for _, m := range ms {
		n += len(m)
	}
	keys := make([]string, 0, n)
	for _, m := range ms {
		for k := range m {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// sameRawMap reports whether a and b hold the same keys with the same
// values; nil and empty maps are the same.
func sameRawMap[M ~map[string]json.RawMessage](a, b M) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || !sameRaw(va, vb) {
			return false
		}
	}
	return true
}

// sameRaw reports whether two raw values are the same JSON, ignoring
// insignificant whitespace. Values decoded from the API are compact, so
// the byte comparison nearly always decides.
func sameRaw(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	if len(a) == 0 || len(b) == 0 {
		return isNullRaw(a) && isNullRaw(b)
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// isNullRaw reports whether raw encodes as null: empty, or the literal.
func isNullRaw(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

func positionOf(n *Node) NodePosition {
	return NodePosition{X: n.X, Y: n.Y, FX: cloneFloat(n.FX), FY: cloneFloat(n.FY)}
}

// samePosition reports whether two nodes are drawn at the same place with
// the same pins.
func samePosition(a, b *Node) bool {
	return sameFloat(a.X, b.X) && sameFloat(a.Y, b.Y) && samePin(a.FX, b.FX) && samePin(a.FY, b.FY)
}

// sameFloat is == except that a NaN, which only an invalid graph holds,
// equals itself, so that such a node does not always read as moved.
func sameFloat(a, b float64) bool {
	return a == b || math.Float64bits(a) == math.Float64bits(b)
}

func samePin(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return sameFloat(*a, *b)
}

// nodeIndex maps each entity id to the position of its first node.
func nodeIndex(nodes []Node) map[string]int {
	idx := make(map[string]int, len(nodes))
	for i := range nodes {
		if _, dup := idx[nodes[i].EntityID]; !dup {
			idx[nodes[i].EntityID] = i
		}
	}
	return idx
}

// linkTable holds the links of two or three graphs (the sides) by key, in
// one map. Most keys have one copy per side, so the copies of a key are
// chained through their positions rather than kept in a slice per key.
type linkTable struct {
	group  map[LinkKey]int32 // key → group number
	keys   []LinkKey         // group number → key
	groups []linkGroup
	order  [3][]int32 // per side: the groups in the order of their first copy
	next   [3][]int32 // per side: link position → next copy of its key, or -1
}

// linkGroup is where one key's copies are on each side.
type linkGroup struct {
	count, first, last [3]int32
}

func newLinkTable(sides ...[]Link) *linkTable {
	most := 0
	for _, links := range sides {
		most = max(most, len(links))
	}
	t := &linkTable{
		group:  make(map[LinkKey]int32, most),
		keys:   make([]LinkKey, 0, most),
		groups: make([]linkGroup, 0, most),
	}
	for s, links := range sides {
		t.order[s] = make([]int32, 0, len(links))
		next := make([]int32, len(links))
		for i := range links {
			k := keyOf(&links[i])
			pos := int32(i)
			next[i] = -1
			grp, seen := t.group[k]
			if !seen {
				grp = int32(len(t.keys))
				t.group[k] = grp
				t.keys = append(t.keys, k)
				t.groups = append(t.groups, linkGroup{})
			}
			g := &t.groups[grp]
			if g.count[s] == 0 {
				g.first[s] = pos
				t.order[s] = append(t.order[s], grp)
			} else {
				next[g.last[s]] = pos
			}
			g.last[s] = pos
			g.count[s]++
		}
		t.next[s] = next
	}
	return t
}

// count returns the number of copies of group grp on a side.
func (t *linkTable) count(side int, grp int32) int { return int(t.groups[grp].count[side]) }

// positions appends the positions of the copies of group grp on a side to
// buf[:0].
func (t *linkTable) positions(side int, grp int32, buf []int32) []int32 {
	buf = buf[:0]
	if t.groups[grp].count[side] == 0 {
		return buf
	}
	for i := t.groups[grp].first[side]; i >= 0; i = t.next[side][i] {
		buf = append(buf, i)
	}
	return buf
}

func keyOf(l *Link) LinkKey {
	return LinkKey{Source: l.Source, Target: l.Target, ConnectionType: l.ConnectionType}
}
