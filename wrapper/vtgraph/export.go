package vtgraph

import (
	"encoding/json"
	"html"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// GraphURL returns the page of graph id in the VirusTotal UI.
func GraphURL(id string) string {
	return "https://www.virustotal.com/graph/" + url.PathEscape(id)
}

// EmbedHTML returns the iframe snippet that embeds graph id in a web page,
// the same the UI's share dialog gives. The id is escaped, so a hostile id
// cannot break out of the attribute.
func EmbedHTML(id string) string {
	src := "https://www.virustotal.com/graph/embed/" + url.PathEscape(id)
	return `<iframe src="` + html.EscapeString(src) + `" width="800" height="600"></iframe>`
}

// JSON returns the graph in the VirusTotal object form, indented for
// reading and diffing.
func (g *Graph) JSON() ([]byte, error) {
	return json.MarshalIndent(g, "", "  ")
}

// DOT returns the graph in the Graphviz DOT language, laid out left to
// right, for "dot -Tsvg" or "dot -Tpng":
//
//   - each entity type has a shape and a colour of its own, and a legend
//     shows the types drawn;
//   - an entity with detections is outlined in red and says how many;
//   - a node shows its text, else its entity id shortened; the full id is
//     in the tooltip;
//   - the relationship node of a typed link is a small point, and each hop
//     through it, from a source to a target, names the relationship once;
//   - search and group nodes (commonality, intelligence, hunting,
//     retrohunt, group) are drawn as nodes joined to their members by
//     dashed lines;
//   - nodes linked to nothing are packed in a grid beside the rest.
//
// Links to nodes that do not exist are left out; [Graph.Validate] reports
// them.
func (g *Graph) DOT() string {
	d := newDrawing(g)
	var b strings.Builder
	// A node's line is about 250 bytes and a link's 150; growing once
	// spares copying a large graph's text over and over.
	b.Grow(1024 + 250*len(g.Nodes) + 150*len(g.Links))
	b.WriteString("digraph " + dotQuote(g.ID) + " {\n  graph [")
	if g.Description != "" {
		b.WriteString("label=" + dotQuote(g.Description) + ", labelloc=t, ")
	}
	b.WriteString("rankdir=LR, fontname=" + dotQuote(dotFont) + ", fontsize=14, nodesep=0.2, ranksep=0.35")
	b.WriteString("];\n")
	b.WriteString("  node [fontname=" + dotQuote(dotFont) + ", fontsize=10, style=filled, margin=\"0.1,0.04\", height=0.3];\n")
	b.WriteString("  edge [fontname=" + dotQuote(dotFont) + ", fontsize=9, color=\"#607D8B\", fontcolor=\"#37474F\", arrowsize=0.6];\n")
	// Nodes and links, the bulk of a large graph's text, are written
	// piece by piece, without building each line first.
	for i := range d.nodes {
		dn := &d.nodes[i]
		b.WriteString("  ")
		writeDOTQuoted(&b, dn.n.EntityID)
		switch dn.kind {
		case drawnPoint:
			b.WriteString(" [shape=point, width=0.07, color=\"#607D8B\", tooltip=")
			writeDOTQuoted(&b, dn.label)
		default:
			b.WriteString(" [label=")
			label := dn.label
			if dn.detect != "" {
				label += "\n" + dn.detect
			}
			writeDOTQuoted(&b, label)
			writeDOTStyle(&b, dn.style, dn.detect != "")
			b.WriteString(", tooltip=")
			tip := dn.n.EntityID
			if dn.kind == drawnEntity {
				tip = string(dn.typ) + " " + tip
			}
			writeDOTQuoted(&b, tip)
		}
		b.WriteString("];\n")
	}
	for _, e := range d.edges {
		b.WriteString("  ")
		writeDOTQuoted(&b, e.link.Source)
		b.WriteString(" -> ")
		writeDOTQuoted(&b, e.link.Target)
		sep := " ["
		if e.label != "" {
			b.WriteString(sep + "label=")
			writeDOTQuoted(&b, e.label)
			sep = ", "
		}
		switch e.kind {
		case edgeInto:
			b.WriteString(sep + "arrowhead=none")
			sep = ", "
		case edgeMember:
			b.WriteString(sep + "style=dashed, arrowhead=none")
			sep = ", "
		}
		if sep == ", " {
			b.WriteString("]")
		}
		b.WriteString(";\n")
	}
	writeDOTGrid(&b, d)
	writeDOTLegend(&b, d)
	b.WriteString("}\n")
	return b.String()
}

// dotFont is a font list every Graphviz build resolves to a sans-serif face.
const dotFont = "Helvetica,Arial,sans-serif"

// writeDOTStyle writes a node's shape and colours.
func writeDOTStyle(b *strings.Builder, s nodeStyle, detected bool) {
	b.WriteString(", shape=")
	b.WriteString(s.shape)
	if s.style != "" {
		b.WriteString(", style=")
		writeDOTQuoted(b, s.style+",filled")
	}
	b.WriteString(", fillcolor=")
	writeDOTQuoted(b, s.fill)
	b.WriteString(", color=")
	if detected {
		writeDOTQuoted(b, detectedColor)
		b.WriteString(", penwidth=2.5")
	} else {
		writeDOTQuoted(b, s.stroke)
	}
}

// writeDOTGrid lines up the nodes linked to nothing in rows joined by
// invisible edges, so that they fill a block about as high as it is wide
// instead of one column as long as their number. Labels are about four times
// as wide as they are high, hence the few columns. (Graphviz's own pack
// option would do this, but dot then drops edge labels.)
func writeDOTGrid(b *strings.Builder, d *drawing) {
	var lone []*Node
	for i := range d.nodes {
		if dn := &d.nodes[i]; dn.kind != drawnPoint && !dn.linked {
			lone = append(lone, dn.n)
		}
	}
	cols := int(math.Ceil(math.Sqrt(float64(len(lone)) / 4)))
	for i := range lone {
		if (i+1)%cols != 0 && i+1 < len(lone) {
			b.WriteString("  " + dotQuote(lone[i].EntityID) + " -> " + dotQuote(lone[i+1].EntityID) + " [style=invis];\n")
		}
	}
}

// writeDOTLegend draws one sample of each kind of node the picture holds.
func writeDOTLegend(b *strings.Builder, d *drawing) {
	type entry struct {
		name     string
		style    nodeStyle
		detected bool
	}
	var entries []entry
	for _, t := range d.types {
		entries = append(entries, entry{name: string(t), style: styleOf(t)})
	}
	if d.searches {
		entries = append(entries, entry{name: "search", style: searchStyle})
	}
	if d.grouping {
		entries = append(entries, entry{name: "group", style: groupStyle})
	}
	if d.detected {
		entries = append(entries, entry{name: "has detections", style: nodeStyle{shape: "box", fill: "#FFFFFF"}, detected: true})
	}
	if len(entries) == 0 {
		return
	}
	// The samples are chained left to right, so the legend is one row.
	b.WriteString("  subgraph cluster_legend {\n")
	b.WriteString("    label=\"Legend\"; fontsize=10; style=\"rounded,dashed\"; color=\"#B0BEC5\";\n")
	for _, e := range entries {
		b.WriteString("    " + dotQuote("legend: "+e.name) + " [label=" + dotQuote(e.name))
		writeDOTStyle(b, e.style, e.detected)
		b.WriteString("];\n")
	}
	for i := 1; i < len(entries); i++ {
		b.WriteString("    " + dotQuote("legend: "+entries[i-1].name) + " -> " + dotQuote("legend: "+entries[i].name) + " [style=invis];\n")
	}
	b.WriteString("  }\n")
}

// Mermaid returns the graph as a Mermaid flowchart, laid out left to right.
// Mermaid ids cannot hold the characters entity ids contain, so nodes get
// positional ids (n0, n1…). Each entity type has a shape and a class
// (type_file, type_domain…) with its colours, entities with detections have
// the class detected, and search and group nodes the classes search and
// group. Labels are as in [Graph.DOT]. Relationship nodes of typed links are
// not drawn: each hop through one becomes an arrow from the source to the
// target, named by the relationship.
func (g *Graph) Mermaid() string {
	d := newDrawing(g)
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for i := range d.nodes {
		dn := &d.nodes[i]
		if dn.kind == drawnPoint {
			continue
		}
		label := dn.label
		if dn.detect != "" {
			label += "\n" + dn.detect
		}
		b.WriteString("  " + mermaidID(i) + dn.style.mOpen + mermaidQuote(label) + dn.style.mClose + "\n")
	}
	arrow := func(from, to int, label string) {
		b.WriteString("  " + mermaidID(from) + " -->")
		if label != "" {
			b.WriteString("|" + mermaidQuote(label) + "|")
		}
		b.WriteString(" " + mermaidID(to) + "\n")
	}
	for _, e := range d.edges {
		switch e.kind {
		case edgeDirect:
			arrow(e.from, e.to, e.label)
		case edgeMember:
			b.WriteString("  " + mermaidID(e.from) + " -.- " + mermaidID(e.to) + "\n")
		case edgeInto:
			// Each link into a point makes one hop per link out of it. A
			// chain of points, which the UI never saves, has no entity at
			// one end to draw an arrow from or to.
			if d.nodes[e.from].kind == drawnPoint {
				continue
			}
			for _, out := range d.nodes[e.to].out {
				if to := d.edges[out].to; d.nodes[to].kind != drawnPoint {
					arrow(e.from, to, e.link.ConnectionType)
				}
			}
		}
	}
	writeMermaidClasses(&b, d)
	return b.String()
}

func mermaidID(i int) string { return "n" + strconv.Itoa(i) }

// writeMermaidClasses defines a class for each kind of node drawn and
// assigns it, in the order the kinds first appear.
func writeMermaidClasses(b *strings.Builder, d *drawing) {
	var (
		order   []string
		members = map[string][]string{}
		styles  = map[string]nodeStyle{}
		flagged []string
	)
	for i := range d.nodes {
		dn := &d.nodes[i]
		if dn.kind == drawnPoint {
			continue
		}
		name := dn.style.className
		if _, ok := styles[name]; !ok {
			order = append(order, name)
			styles[name] = dn.style
		}
		members[name] = append(members[name], mermaidID(i))
		if dn.detect != "" {
			flagged = append(flagged, mermaidID(i))
		}
	}
	for _, name := range order {
		s := styles[name]
		b.WriteString("  classDef " + name + " fill:" + s.fill + ",stroke:" + s.stroke + ",color:#212121\n")
		b.WriteString("  class " + strings.Join(members[name], ",") + " " + name + "\n")
	}
	if len(flagged) > 0 {
		b.WriteString("  classDef detected stroke:" + detectedColor + ",stroke-width:3px\n")
		b.WriteString("  class " + strings.Join(flagged, ",") + " detected\n")
	}
}

// dotQuote makes a DOT double-quoted string. Backslashes are doubled because
// DOT gives \n, \l and others meaning inside labels.
func dotQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	writeDOTQuoted(&b, s)
	return b.String()
}

// writeDOTQuoted writes s to b as dotQuote quotes it.
func writeDOTQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	// Most ids and labels need no escape: they are written as they are.
	if !strings.ContainsAny(s, "\"\\\n\r") && utf8.ValidString(s) {
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// mermaidQuote makes a Mermaid quoted label. Mermaid has no backslash
// escapes; it takes HTML-like entity codes written #name; instead.
func mermaidQuote(s string) string {
	if !strings.ContainsAny(s, "\"#<>&|`\n\r") && utf8.ValidString(s) {
		return `"` + s + `"`
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '|':
			b.WriteString("#124;")
		case '`':
			b.WriteString("#96;")
		case '\n':
			b.WriteString("<br>")
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
