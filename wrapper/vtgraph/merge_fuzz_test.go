package vtgraph_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// FuzzMerge builds a graph from the input, makes random edits to two copies
// of it, merges them, and checks the merge against the rules of
// MergeGraphs: every change of either side that no conflict lost is in the
// merged graph, links follow the counting rule, no link dangles, and the
// three inputs are left as they were.
func FuzzMerge(f *testing.F) {
	for _, seed := range []string{
		"",
		"\x01\x01\x01\x01\x01\x01\x01\x01\x05\x00\x01\x02\x03\x04\x05\x06\x07",
		"\x02\x02\x02\x02\x02\x02\x02\x02\x04\x06\x00\x07\x01\x03\x00\x00\x05\x04\x02\x00\x00",
		"\x01\x00\x01\x00\x01\x00\x01\x01\x08" + strings.Repeat("\x04\x0a\x01\x05\x03", 8),
		strings.Repeat("\x07\x03\x01\x09\x00\x02\x0b\x06", 12),
		// e0 and e1 reach 1.1.1.1 through rel0; each side removes one of
		// the two hops.
		"\x01\x01\x00\x01\x00\x01\x00\x00\x03\x00\x02\x01\x01\x01\x01\x03\x02\x01\x01\x07\x00\x00\x01\x07\x00\x01",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &fzMergeInput{data: data}
		base := in.graph()
		local, remote := base.Clone(), base.Clone()
		in.edit(local)
		in.edit(remote)
		before := fzJSON(t, base, local, remote)
		merged, conflicts := vtgraph.MergeGraphs(base, local, remote)
		if after := fzJSON(t, base, local, remote); after != before {
			t.Fatalf("the merge changed its inputs:\n%s\n%s", before, after)
		}
		c := fzMergeCheck{t: t, base: base, merged: merged, conflicts: conflicts}
		c.wellFormed()
		c.genuine(local, remote)
		c.side(local, true)
		c.side(remote, false)
		c.links(local, remote)
		c.notCutOff(local, remote)
	})
}

// fzMergeInput reads the fuzzer's bytes as a stream of small choices; past
// the end, every choice is 0.
type fzMergeInput struct {
	data []byte
}

func (in *fzMergeInput) pick(n int) int {
	if len(in.data) == 0 {
		return 0
	}
	b := in.data[0]
	in.data = in.data[1:]
	return int(b) % n
}

// fzPool are the nodes a graph can have; both sides drawing from it makes
// them add, change and remove the same nodes.
var fzPool = []struct {
	id  string
	typ vtgraph.NodeType
}{
	{"e0.example", vtgraph.NodeTypeDomain}, {"e1.example", vtgraph.NodeTypeDomain}, {"e2.example", vtgraph.NodeTypeDomain},
	{"1.1.1.1", vtgraph.NodeTypeIPAddress}, {"2.2.2.2", vtgraph.NodeTypeIPAddress},
	{"rel0", vtgraph.NodeTypeRelationship}, {"rel1", vtgraph.NodeTypeRelationship},
	{"grp", vtgraph.NodeTypeRelationship},
}

var (
	fzTexts  = []string{"", "a", "b"}
	fzValues = []string{`1`, `"x"`, `[1,2]`, `null`}
	fzConns  = []string{"manual", "resolutions"}
)

func (in *fzMergeInput) graph() *vtgraph.Graph {
	g := vtgraph.NewGraph("base")
	for _, p := range fzPool {
		if in.pick(3) != 0 {
			g.AddNode(p.id, p.typ)
		}
	}
	if n := g.Node("grp"); n != nil {
		n.Attributes["relationship_type"] = json.RawMessage(`"group"`)
		n.Attributes["grouped_node_ids"] = json.RawMessage(`[]`)
	}
	for range in.pick(10) {
		in.addLink(g)
	}
	return g
}

func (in *fzMergeInput) node(g *vtgraph.Graph) *vtgraph.Node {
	if len(g.Nodes) == 0 {
		return nil
	}
	return &g.Nodes[in.pick(len(g.Nodes))]
}

func (in *fzMergeInput) addLink(g *vtgraph.Graph) {
	if len(g.Nodes) < 2 {
		return
	}
	i := in.pick(len(g.Nodes))
	j := (i + 1 + in.pick(len(g.Nodes)-1)) % len(g.Nodes)
	g.Links = append(g.Links, vtgraph.Link{Source: g.Nodes[i].EntityID, Target: g.Nodes[j].EntityID, ConnectionType: fzConns[in.pick(len(fzConns))]})
}

// edit makes up to 7 random edits.
func (in *fzMergeInput) edit(g *vtgraph.Graph) {
	for range in.pick(8) {
		op := in.pick(13)
		n := in.node(g)
		switch {
		case op == 0 && n != nil:
			n.Text = fzTexts[in.pick(len(fzTexts))]
		case op == 1 && n != nil:
			n.Attributes["k"+strconv.Itoa(in.pick(2))] = json.RawMessage(fzValues[in.pick(len(fzValues))])
		case op == 2 && n != nil:
			delete(n.Attributes, "k"+strconv.Itoa(in.pick(2)))
		case op == 3 && n != nil:
			n.X, n.Y = float64(in.pick(3)*10), float64(in.pick(2)*10)
			if in.pick(2) == 1 {
				n.Pin(n.X, n.Y)
			}
		case op == 4 && n != nil:
			without(g, n.EntityID)
		case op == 5:
			p := fzPool[in.pick(len(fzPool))]
			if g.Node(p.id) == nil {
				g.AddNode(p.id, p.typ).Text = fzTexts[in.pick(len(fzTexts))]
			}
		case op == 6:
			in.addLink(g)
		case op == 7 && len(g.Links) > 0:
			i := in.pick(len(g.Links))
			g.Links = append(g.Links[:i], g.Links[i+1:]...)
		case op == 8:
			switch in.pick(3) {
			case 0:
				g.Description = []string{"base", "L", "R"}[in.pick(3)]
			case 1:
				g.Private = !g.Private
			default:
				if g.Extra == nil {
					g.Extra = map[string]json.RawMessage{}
				}
				g.Extra["position"] = json.RawMessage(fzValues[in.pick(len(fzValues))])
			}
		case op == 9 && len(g.Links) > 0:
			l := &g.Links[in.pick(len(g.Links))]
			l.Extra = map[string]json.RawMessage{"w": json.RawMessage(fzValues[in.pick(len(fzValues))])}
		case op == 10 && n != nil:
			n.Type = []vtgraph.NodeType{vtgraph.NodeTypeDomain, vtgraph.NodeTypeURL}[in.pick(2)]
		case op == 11 && n != nil:
			n.Extra = map[string]json.RawMessage{"color": json.RawMessage(fzValues[in.pick(len(fzValues))])}
		case op == 12:
			if grp, member := g.Node("grp"), in.node(g); grp != nil && member != nil && member.EntityID != "grp" {
				var ids []string
				_ = json.Unmarshal(grp.Attributes["grouped_node_ids"], &ids)
				ids = append(ids, member.EntityID)
				raw, _ := json.Marshal(ids)
				grp.Attributes["grouped_node_ids"] = raw
			}
		}
	}
}

func fzJSON(t *testing.T, gs ...*vtgraph.Graph) string {
	var b strings.Builder
	for _, g := range gs {
		raw, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
		b.WriteByte('\n')
	}
	return b.String()
}

type fzMergeCheck struct {
	t         *testing.T
	base      *vtgraph.Graph
	merged    *vtgraph.Graph
	conflicts []vtgraph.Conflict
}

// wellFormed checks that node ids are unique and every link joins two
// nodes: the inputs are so, and merging must keep them so.
func (c *fzMergeCheck) wellFormed() {
	seen := map[string]bool{}
	for _, n := range c.merged.Nodes {
		if seen[n.EntityID] {
			c.t.Fatalf("node %s twice in the merge", n.EntityID)
		}
		seen[n.EntityID] = true
	}
	for _, l := range c.merged.Links {
		if !seen[l.Source] || !seen[l.Target] {
			c.t.Fatalf("link %s -> %s dangles in the merge; conflicts %v", l.Source, l.Target, c.conflicts)
		}
	}
}

// genuine checks that every conflict is one: the values it reports are the
// sides' own, and they differ as its kind says. A merge reporting conflicts
// that are not would pass the other checks by excusing everything.
func (c *fzMergeCheck) genuine(local, remote *vtgraph.Graph) {
	t := c.t
	sides := [3]*vtgraph.Graph{c.base, local, remote}
	for _, k := range c.conflicts {
		var nodes [3]*vtgraph.Node
		for i, g := range sides {
			nodes[i] = g.Node(k.EntityID)
		}
		got := [3]json.RawMessage{k.Base, k.Local, k.Remote}
		switch k.Kind {
		case vtgraph.BothChanged:
			if k.Link != nil {
				if !fzLinkExtraConflict(sides, k) {
					t.Fatalf("conflict %v: no copy of the link changed on both sides", k)
				}
				continue
			}
			var want [3]json.RawMessage
			for i, g := range sides {
				switch {
				case k.EntityID == "":
					want[i] = fzGraphValue(g, k.Path)
				case nodes[i] != nil:
					want[i] = fzNodeValue(nodes[i], k.Path)
				case k.Path == "type" || k.Path == "text":
					want[i] = fzString("")
				}
			}
			for i := range want {
				if !fzSame(want[i], got[i]) {
					t.Fatalf("conflict %v reports %s where the side has %s", k, got[i], want[i])
				}
			}
			if fzSame(got[0], got[1]) || fzSame(got[0], got[2]) || fzSame(got[1], got[2]) {
				t.Fatalf("conflict %v: the sides did not both change it", k)
			}
		case vtgraph.BothMoved:
			l, r := nodes[1], nodes[2]
			if l == nil || r == nil || fzSamePosition(l, r) || (nodes[0] != nil && (fzSamePosition(l, nodes[0]) || fzSamePosition(r, nodes[0]))) {
				t.Fatalf("conflict %v: the node did not move on both sides", k)
			}
		case vtgraph.RemovedChanged, vtgraph.RemovedMoved:
			b, kept := nodes[0], nodes[1]
			if kept == nil {
				kept = nodes[2]
			}
			if b == nil || kept == nil || (nodes[1] != nil && nodes[2] != nil) {
				t.Fatalf("conflict %v: not a node one side removed", k)
			}
			one := func(n *vtgraph.Node) *vtgraph.Graph { return &vtgraph.Graph{Nodes: []vtgraph.Node{*n}} }
			content := len(vtgraph.DiffGraphs(one(b), one(kept)).ChangedNodes) > 0
			if k.Kind == vtgraph.RemovedChanged && !content || k.Kind == vtgraph.RemovedMoved && (content || fzSamePosition(b, kept)) {
				t.Fatalf("conflict %v: the other side did not do that", k)
			}
		case vtgraph.LinkToRemoved:
			for i, g := range sides {
				if n := fzLinkCount(g, *k.Link); string(got[i]) != strconv.Itoa(n) {
					t.Fatalf("conflict %v reports %s copies where the side has %d", k, got[i], n)
				}
			}
		case vtgraph.CutOff:
			if c.merged.Node(k.EntityID) == nil {
				t.Fatalf("conflict %v: the node is not in the merge", k)
			}
		default:
			t.Fatalf("conflict of unknown kind %v", k)
		}
	}
}

func fzLinkCount(g *vtgraph.Graph, k vtgraph.LinkKey) int {
	n := 0
	for _, l := range g.Links {
		if l.Source == k.Source && l.Target == k.Target && l.ConnectionType == k.ConnectionType {
			n++
		}
	}
	return n
}

// fzLinkExtraConflict reports whether some copy of the link has the values
// the conflict reports on all three sides, each different.
func fzLinkExtraConflict(sides [3]*vtgraph.Graph, k vtgraph.Conflict) bool {
	var copies [3][]json.RawMessage
	for i, g := range sides {
		for _, l := range g.Links {
			if l.Source == k.Link.Source && l.Target == k.Link.Target && l.ConnectionType == k.Link.ConnectionType {
				copies[i] = append(copies[i], l.Extra[k.Path])
			}
		}
	}
	got := [3]json.RawMessage{k.Base, k.Local, k.Remote}
	for c := range min(len(copies[0]), len(copies[1]), len(copies[2])) {
		if fzSame(copies[0][c], got[0]) && fzSame(copies[1][c], got[1]) && fzSame(copies[2][c], got[2]) &&
			!fzSame(got[0], got[1]) && !fzSame(got[0], got[2]) && !fzSame(got[1], got[2]) {
			return true
		}
	}
	return false
}

// lost reports whether a conflict on the node explains why the side's
// version of what is not in the merge: a conflict on that value, or on the
// whole node, that the side did not win. what is a path, "position" or
// "presence".
func (c *fzMergeCheck) lost(local bool, id, what string) bool {
	for _, k := range c.conflicts {
		won := (k.Resolution == vtgraph.LocalWins) == local
		if won || k.Link != nil || k.EntityID != id {
			continue
		}
		switch k.Kind {
		case vtgraph.RemovedChanged, vtgraph.RemovedMoved, vtgraph.CutOff:
			return true
		case vtgraph.BothMoved:
			if what == "position" {
				return true
			}
		case vtgraph.BothChanged:
			if k.Path == what {
				return true
			}
		}
	}
	return false
}

// linkConflict reports whether a conflict names a link touching the node,
// or the link itself when key is set.
func (c *fzMergeCheck) linkConflict(id string, key *vtgraph.LinkKey) bool {
	for _, k := range c.conflicts {
		if k.Link == nil {
			continue
		}
		if (key != nil && *k.Link == *key) || (key == nil && (k.Link.Source == id || k.Link.Target == id)) {
			return true
		}
	}
	return false
}

// side checks that what one side changed is in the merge.
func (c *fzMergeCheck) side(g *vtgraph.Graph, local bool) {
	t, m := c.t, c.merged
	name := map[bool]string{true: "local", false: "remote"}[local]
	d := vtgraph.DiffGraphs(c.base, g)
	for _, ch := range d.Graph {
		if got := fzGraphValue(m, ch.Path); !fzSame(got, ch.To) && !c.lost(local, "", ch.Path) {
			t.Fatalf("%s set %s to %s, the merge has %s; conflicts %v", name, ch.Path, ch.To, got, c.conflicts)
		}
	}
	for _, nc := range d.ChangedNodes {
		n := m.Node(nc.EntityID)
		if n == nil {
			if !c.lost(local, nc.EntityID, "presence") {
				t.Fatalf("%s changed node %s, which the merge lost; conflicts %v", name, nc.EntityID, c.conflicts)
			}
			continue
		}
		for _, ch := range nc.Changes {
			if ch.Path == "entity_attributes.grouped_node_ids" && ch.From != nil && ch.To != nil {
				if got := n.Attributes["grouped_node_ids"]; !fzSetMerged(ch.From, ch.To, got) && !c.lost(local, nc.EntityID, ch.Path) {
					t.Fatalf("%s changed group %s from %s to %s, the merge has %s; conflicts %v", name, nc.EntityID, ch.From, ch.To, got, c.conflicts)
				}
				continue
			}
			if got := fzNodeValue(n, ch.Path); !fzSame(got, ch.To) && !c.lost(local, nc.EntityID, ch.Path) {
				t.Fatalf("%s set node %s %s to %s, the merge has %s; conflicts %v", name, nc.EntityID, ch.Path, ch.To, got, c.conflicts)
			}
		}
	}
	for _, mv := range d.MovedNodes {
		n := m.Node(mv.EntityID)
		if n == nil {
			if !c.lost(local, mv.EntityID, "presence") && g.Node(mv.EntityID).Type != vtgraph.NodeTypeRelationship {
				t.Fatalf("%s moved node %s, which the merge lost; conflicts %v", name, mv.EntityID, c.conflicts)
			}
			continue
		}
		if !fzSamePosition(n, g.Node(mv.EntityID)) && !c.lost(local, mv.EntityID, "position") {
			t.Fatalf("%s moved node %s to %s, the merge has it elsewhere; conflicts %v", name, mv.EntityID, mv.To, c.conflicts)
		}
	}
	for i := range d.AddedNodes {
		added := &d.AddedNodes[i]
		n := m.Node(added.EntityID)
		if n == nil {
			t.Fatalf("%s added node %s, which the merge lost; conflicts %v", name, added.EntityID, c.conflicts)
		}
		for _, path := range fzSetPaths(added) {
			if got, want := fzNodeValue(n, path), fzNodeValue(added, path); !fzSame(got, want) && !c.lost(local, added.EntityID, path) {
				t.Fatalf("%s added node %s with %s %s, the merge has %s; conflicts %v", name, added.EntityID, path, want, got, c.conflicts)
			}
		}
		if !fzSamePosition(n, added) && !c.lost(local, added.EntityID, "position") {
			t.Fatalf("%s added node %s, the merge has it elsewhere; conflicts %v", name, added.EntityID, c.conflicts)
		}
	}
	for _, removed := range d.RemovedNodes {
		if m.Node(removed.EntityID) != nil && !c.lost(local, removed.EntityID, "presence") && !c.linkConflict(removed.EntityID, nil) {
			t.Fatalf("%s removed node %s, which the merge kept; conflicts %v", name, removed.EntityID, c.conflicts)
		}
	}
}

// links checks each link's count against the counting rule.
func (c *fzMergeCheck) links(local, remote *vtgraph.Graph) {
	counts := func(g *vtgraph.Graph) map[vtgraph.LinkKey]int {
		out := map[vtgraph.LinkKey]int{}
		for _, l := range g.Links {
			out[vtgraph.LinkKey{Source: l.Source, Target: l.Target, ConnectionType: l.ConnectionType}]++
		}
		return out
	}
	cb, cl, cr, cm := counts(c.base), counts(local), counts(remote), counts(c.merged)
	keys := map[vtgraph.LinkKey]bool{}
	for _, m := range []map[vtgraph.LinkKey]int{cb, cl, cr} {
		for k := range m {
			keys[k] = true
		}
	}
	for k := range keys {
		if c.linkConflict("", &k) {
			continue
		}
		want := fzMergedCount(cb[k], cl[k], cr[k])
		if c.merged.Node(k.Source) == nil || c.merged.Node(k.Target) == nil {
			want = 0 // the link went with a node
		}
		if cm[k] != want {
			c.t.Fatalf("link %s: base %d, local %d, remote %d copies; the merge has %d, not %d; conflicts %v",
				k, cb[k], cl[k], cr[k], cm[k], want, c.conflicts)
		}
	}
}

// fzSetMerged reports whether the group members a side added (in to, not
// from) are in got and those it removed are not: members merge as a set.
func fzSetMerged(from, to, got json.RawMessage) bool {
	var f, t, g []string
	if json.Unmarshal(from, &f) != nil || json.Unmarshal(to, &t) != nil || json.Unmarshal(got, &g) != nil {
		return fzSame(to, got)
	}
	for _, id := range t {
		if !slices.Contains(f, id) && !slices.Contains(g, id) {
			return false
		}
	}
	for _, id := range f {
		if !slices.Contains(t, id) && slices.Contains(g, id) {
			return false
		}
	}
	return true
}

// notCutOff checks that the merge leaves a relationship node without a
// source or a target only where a side had it so, or a conflict says.
func (c *fzMergeCheck) notCutOff(local, remote *vtgraph.Graph) {
	cut := func(g *vtgraph.Graph, id string) bool {
		n := g.Node(id)
		if n == nil {
			return false
		}
		in, out := 0, 0
		for _, l := range g.Links {
			in += fzBool(l.Target == id)
			out += fzBool(l.Source == id)
		}
		return out == 0 || (n.RelationshipKind() == "" && in == 0)
	}
	for _, n := range c.merged.Nodes {
		id := n.EntityID
		if !n.IsRelationship() || !cut(c.merged, id) || cut(local, id) || cut(remote, id) || c.linkConflict(id, nil) {
			continue
		}
		if !slices.ContainsFunc(c.conflicts, func(k vtgraph.Conflict) bool { return k.EntityID == id }) {
			c.t.Fatalf("the merge cut relationship node %s off; conflicts %v", id, c.conflicts)
		}
	}
}

func fzBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fzMergedCount is the counting rule MergeGraphs documents.
func fzMergedCount(nb, nl, nr int) int {
	dl, dr := nl-nb, nr-nb
	switch {
	case dl >= 0 && dr >= 0:
		return nb + max(dl, dr)
	case dl <= 0 && dr <= 0:
		return max(nb+min(dl, dr), 0)
	}
	return max(nb+dl+dr, 0)
}

// fzSetPaths are the values an added node sets: a type or label that is
// not empty, and every attribute and Extra key.
func fzSetPaths(n *vtgraph.Node) []string {
	var paths []string
	if n.Type != "" {
		paths = append(paths, "type")
	}
	if n.Text != "" {
		paths = append(paths, "text")
	}
	for k := range n.Attributes {
		paths = append(paths, "entity_attributes."+k)
	}
	for k := range n.Extra {
		paths = append(paths, k)
	}
	return paths
}

func fzNodeValue(n *vtgraph.Node, path string) json.RawMessage {
	switch {
	case path == "type":
		return fzString(string(n.Type))
	case path == "text":
		return fzString(n.Text)
	case strings.HasPrefix(path, "entity_attributes."):
		return n.Attributes[strings.TrimPrefix(path, "entity_attributes.")]
	}
	return n.Extra[path]
}

func fzGraphValue(g *vtgraph.Graph, path string) json.RawMessage {
	switch {
	case path == "graph_data.description":
		return fzString(g.Description)
	case path == "graph_data.version":
		return fzString(g.Version)
	case strings.HasPrefix(path, "graph_data."):
		return g.GraphDataExtra[strings.TrimPrefix(path, "graph_data.")]
	case path == "private":
		return json.RawMessage(strconv.FormatBool(g.Private))
	}
	return g.Extra[path]
}

func fzString(s string) json.RawMessage {
	raw, _ := json.Marshal(s)
	return raw
}

// fzSame compares raw values as JSON; nil is a missing value.
func fzSame(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

func fzSamePosition(a, b *vtgraph.Node) bool {
	pin := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	return a.X == b.X && a.Y == b.Y && pin(a.FX) == pin(b.FX) && pin(a.FY) == pin(b.FY)
}
