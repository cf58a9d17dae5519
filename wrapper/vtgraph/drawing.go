package vtgraph

import (
	"strconv"
	"strings"
)

// A drawing is what Graph.DOT and Graph.Mermaid draw: the nodes worth a
// shape, and the edges between them, worked out once from the nodes and
// links. A relationship node of a typed link is not worth a shape of its
// own: it is a point (DOT) or disappears into its hops (Mermaid), so that a
// path from a source to a target carries the relationship name once.

// drawnKind says how a node is drawn.
type drawnKind uint8

const (
	drawnEntity  drawnKind = iota // a file, domain, IP address…
	drawnPoint                    // the relationship node of typed links
	drawnSpecial                  // a search or group node, or a relationship node with no hop through it
)

// drawnNode is one node of the graph as it is drawn.
type drawnNode struct {
	n       *Node
	kind    drawnKind
	typ     NodeType // the effective entity type, for entities
	style   nodeStyle
	label   string // for points, the relationship, as their tooltip
	detect  string // "" when the entity has no detections
	in, out []int  // for points: the links into and out of it
	linked  bool   // an edge is drawn to or from it
	special string // for special nodes: what joins it to its members
}

// edgeKind says how a link is drawn.
type edgeKind uint8

const (
	edgeDirect edgeKind = iota // between two drawn nodes, labelled with its type
	edgeMember                 // between a search or group node and a member: dashed, no label
	edgeInto                   // from a source into a point
	edgeOutOf                  // from a point to a target
)

// drawnEdge is one link as it is drawn.
type drawnEdge struct {
	link     *Link
	from, to int // positions in drawing.nodes
	kind     edgeKind
	label    string
}

type drawing struct {
	nodes []drawnNode
	edges []drawnEdge
	// types lists the entity types drawn, in the order they first appear,
	// for the legend; searches and groups say whether those appear.
	types              []NodeType
	detected           bool
	searches, grouping bool
}

// newDrawing analyses g. Links to or from a node that does not exist are
// left out: there is nothing to draw them to, and Validate reports them.
func newDrawing(g *Graph) *drawing {
	d := &drawing{nodes: make([]drawnNode, len(g.Nodes))}
	// The first node of an id is the one its links reach, as in Validate.
	// Each link's ends are looked up once, by the first pass; the second
	// reads them back. An end of -1 is a node that does not exist.
	pos := nodeIndex(g.Nodes)
	linkEnds := make([][2]int32, len(g.Links))
	// A relationship node without a kind is a point when some hop passes
	// through it: it has a link in and a link out. The type of its first
	// link names a relationship node that has no text or kind.
	hasIn, hasOut := make([]bool, len(g.Nodes)), make([]bool, len(g.Nodes))
	firstType := make([]string, len(g.Nodes))
	touched := make([]bool, len(g.Nodes))
	for i := range g.Links {
		l := &g.Links[i]
		s, ok1 := pos[l.Source]
		t, ok2 := pos[l.Target]
		if !ok1 || !ok2 {
			linkEnds[i] = [2]int32{-1, -1}
			continue
		}
		linkEnds[i] = [2]int32{int32(s), int32(t)}
		hasOut[s], hasIn[t] = true, true
		for _, e := range [2]int{s, t} {
			if !touched[e] {
				touched[e], firstType[e] = true, l.ConnectionType
			}
		}
	}
	// relName names relationship node i by what it stands for.
	relName := func(i int) string {
		n := &g.Nodes[i]
		switch {
		case n.Text != "":
			return n.Text
		case n.RelationshipKind() != "":
			return string(n.RelationshipKind())
		case firstType[i] != "":
			return firstType[i]
		}
		return n.EntityID
	}
	seen := map[NodeType]bool{}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		dn := drawnNode{n: n}
		switch {
		case n.IsRelationship() && n.RelationshipKind() == "" && hasIn[i] && hasOut[i]:
			dn.kind = drawnPoint
			dn.label = relName(i)
		case n.IsRelationship():
			dn.kind = drawnSpecial
			// What joins a search or group node to its members: its kind,
			// or for an older node without one, the type of its first link.
			dn.special = string(n.RelationshipKind())
			if dn.special == "" {
				dn.special = firstType[i]
			}
			dn.label = clipLabel(relName(i))
			if n.IsGroup() {
				dn.style = groupStyle
				d.grouping = true
			} else {
				dn.style = searchStyle
				d.searches = true
			}
		default:
			dn.kind = drawnEntity
			dn.typ = n.EntityType()
			dn.style = styleOf(dn.typ)
			dn.label = entityLabel(n)
			dn.detect = detectionsText(n)
			if dn.detect != "" {
				d.detected = true
			}
			if !seen[dn.typ] {
				seen[dn.typ] = true
				d.types = append(d.types, dn.typ)
			}
		}
		d.nodes[i] = dn
	}
	for i := range g.Links {
		l := &g.Links[i]
		if linkEnds[i][0] < 0 {
			continue
		}
		s, t := int(linkEnds[i][0]), int(linkEnds[i][1])
		e := drawnEdge{link: l, from: s, to: t}
		src, dst := &d.nodes[s], &d.nodes[t]
		switch {
		case dst.kind == drawnPoint:
			e.kind = edgeInto
			dst.in = append(dst.in, len(d.edges))
		case src.kind == drawnPoint:
			e.kind = edgeOutOf
			src.out = append(src.out, len(d.edges))
		case src.kind == drawnSpecial && l.ConnectionType == src.special,
			dst.kind == drawnSpecial && l.ConnectionType == dst.special:
			e.kind = edgeMember
		default:
			e.kind = edgeDirect
			if l.ConnectionType != ConnectionManual {
				e.label = l.ConnectionType
			}
		}
		src.linked, dst.linked = true, true
		d.edges = append(d.edges, e)
	}
	// Name each hop once: on the links into a point when they are no more
	// than the links out of it, else on the links out.
	for i := range d.nodes {
		p := &d.nodes[i]
		if p.kind != drawnPoint {
			continue
		}
		side := p.in
		if len(p.in) > len(p.out) {
			side = p.out
		}
		for _, e := range side {
			d.edges[e].label = d.edges[e].link.ConnectionType
		}
	}
	return d
}

// entityLabel is the user's text, or the entity id shortened so that a hash
// or a long URL does not stretch the picture; tooltips carry the full id.
func entityLabel(n *Node) string {
	if n.Text != "" {
		return clipLabel(n.Text)
	}
	return shortID(n.EntityID)
}

// shortID shortens a digest to its first 8 and last 4 hex digits, which
// tell apart digests that share a prefix, and any other id to 32
// characters.
func shortID(id string) string {
	if len(id) >= 32 && allHex(id) {
		return id[:8] + "…" + id[len(id)-4:]
	}
	r := []rune(id)
	if len(r) > 32 {
		return string(r[:31]) + "…"
	}
	return id
}

// clipLabel keeps a label to 40 characters.
func clipLabel(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// detectionsText says how many engines detect the entity, "detected" when
// VirusTotal sent only a bool, or "" for none.
func detectionsText(n *Node) string {
	has, ok := n.Attributes.HasDetections()
	if !ok || !has {
		return ""
	}
	if c, ok := n.Attributes.DetectionCount(); ok && c > 0 {
		if c == 1 {
			return "1 detection"
		}
		return strconv.FormatInt(c, 10) + " detections"
	}
	return "detected"
}

// nodeStyle is how one kind of node looks in both formats: a Graphviz shape
// and style, and a Mermaid shape written as its opening and closing
// brackets.
type nodeStyle struct {
	shape, style  string
	fill, stroke  string
	mOpen, mClose string
	className     string
}

// entityStyles give each entity type the VirusTotal UI knows a shape and a
// colour of its own.
var entityStyles = map[NodeType]nodeStyle{
	NodeTypeFile:       {shape: "note", fill: "#E3F2FD", stroke: "#1565C0", mOpen: "[", mClose: "]"},
	NodeTypeURL:        {shape: "box", style: "rounded", fill: "#E8F5E9", stroke: "#2E7D32", mOpen: "(", mClose: ")"},
	NodeTypeDomain:     {shape: "ellipse", fill: "#FFF3E0", stroke: "#E65100", mOpen: "([", mClose: "])"},
	NodeTypeIPAddress:  {shape: "cylinder", fill: "#F3E5F5", stroke: "#6A1B9A", mOpen: "[(", mClose: ")]"},
	NodeTypeEmail:      {shape: "parallelogram", fill: "#FCE4EC", stroke: "#AD1457", mOpen: "[/", mClose: "/]"},
	NodeTypeWhois:      {shape: "component", fill: "#ECEFF1", stroke: "#455A64", mOpen: "[", mClose: "]"},
	NodeTypeSSLCert:    {shape: "component", fill: "#E0F7FA", stroke: "#00838F", mOpen: "[", mClose: "]"},
	NodeTypeCollection: {shape: "folder", fill: "#FFFDE7", stroke: "#F9A825", mOpen: "[", mClose: "]"},
	NodeTypeReference:  {shape: "folder", fill: "#EFEBE9", stroke: "#5D4037", mOpen: "[", mClose: "]"},
	NodeTypeActor:      {shape: "house", fill: "#FBE9E7", stroke: "#BF360C", mOpen: "[/", mClose: `\]`},
	NodeTypeVictim:     {shape: "invhouse", fill: "#E8EAF6", stroke: "#283593", mOpen: `[\`, mClose: "/]"},
	NodeTypeDepartment: {shape: "box3d", fill: "#F1F8E9", stroke: "#558B2F", mOpen: "[", mClose: "]"},
}

// otherStyle draws custom and future types.
var otherStyle = nodeStyle{shape: "box", fill: "#F5F5F5", stroke: "#616161", mOpen: "[", mClose: "]"}

var (
	searchStyle = nodeStyle{shape: "hexagon", fill: "#FFF8E1", stroke: "#FF8F00", mOpen: "{{", mClose: "}}", className: "search"}
	groupStyle  = nodeStyle{shape: "tab", fill: "#ECEFF1", stroke: "#455A64", mOpen: "[[", mClose: "]]", className: "group"}
)

// detectedColor outlines entities with detections, as the UI marks them red.
const detectedColor = "#C62828"

func styleOf(t NodeType) nodeStyle {
	s, ok := entityStyles[t]
	if !ok {
		s = otherStyle
	}
	s.className = "type_" + className(string(t))
	return s
}

// className makes a Mermaid class name of a type: letters, digits and
// underscores only.
func className(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
