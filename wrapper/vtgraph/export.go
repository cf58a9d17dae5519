package vtgraph

import (
	"encoding/json"
	"html"
	"net/url"
	"strconv"
	"strings"
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

// DOT returns the graph in the Graphviz DOT language. Relationship nodes are
// drawn as small points labelled with their connection type so the output
// reads like the VirusTotal UI.
func (g *Graph) DOT() string {
	var b strings.Builder
	b.WriteString("digraph ")
	b.WriteString(dotQuote(g.ID))
	b.WriteString(" {\n")
	if g.Description != "" {
		b.WriteString("  label=" + dotQuote(g.Description) + ";\n")
	}
	b.WriteString("  node [shape=box, style=rounded];\n")
	for i := range g.Nodes {
		n := &g.Nodes[i]
		b.WriteString("  " + dotQuote(n.EntityID) + " [")
		if n.IsRelationship() {
			b.WriteString("shape=ellipse, style=dashed, label=" + dotQuote(relationshipLabel(g, n)))
		} else {
			b.WriteString("label=" + dotQuote(nodeLabel(n)))
		}
		b.WriteString(", tooltip=" + dotQuote(string(n.Type)) + "];\n")
	}
	for i := range g.Links {
		l := &g.Links[i]
		b.WriteString("  " + dotQuote(l.Source) + " -> " + dotQuote(l.Target))
		if l.ConnectionType != "" {
			b.WriteString(" [label=" + dotQuote(l.ConnectionType) + "]")
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// Mermaid returns the graph as a Mermaid flowchart. Mermaid ids cannot hold
// the characters entity ids contain, so nodes get positional ids (n0, n1…)
// and show their entity id as the label.
func (g *Graph) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	ids := make(map[string]string, len(g.Nodes))
	for i := range g.Nodes {
		n := &g.Nodes[i]
		mid := "n" + strconv.Itoa(i)
		if _, dup := ids[n.EntityID]; !dup {
			ids[n.EntityID] = mid
		}
		if n.IsRelationship() {
			b.WriteString("  " + mid + "([" + mermaidQuote(relationshipLabel(g, n)) + "])\n")
		} else {
			b.WriteString("  " + mid + "[" + mermaidQuote(nodeLabel(n)) + "]\n")
		}
	}
	for i := range g.Links {
		l := &g.Links[i]
		src, ok1 := ids[l.Source]
		dst, ok2 := ids[l.Target]
		if !ok1 || !ok2 {
			// A dangling link has nothing to point at; Validate reports it.
			continue
		}
		b.WriteString("  " + src + " -->")
		if l.ConnectionType != "" {
			b.WriteString("|" + mermaidQuote(l.ConnectionType) + "|")
		}
		b.WriteString(" " + dst + "\n")
	}
	return b.String()
}

// nodeLabel shows the user's label above the entity id when there is one.
func nodeLabel(n *Node) string {
	if n.Text != "" && n.Text != n.EntityID {
		return n.Text + "\n" + n.EntityID
	}
	return n.EntityID
}

// relationshipLabel names a relationship node by what it stands for.
func relationshipLabel(g *Graph, n *Node) string {
	if n.Text != "" {
		return n.Text
	}
	if kind := n.RelationshipKind(); kind != "" {
		return string(kind)
	}
	for i := range g.Links {
		if l := &g.Links[i]; (l.Source == n.EntityID || l.Target == n.EntityID) && l.ConnectionType != "" {
			return l.ConnectionType
		}
	}
	return n.EntityID
}

// dotQuote makes a DOT double-quoted string. Backslashes are doubled because
// DOT gives \n, \l and others meaning inside labels.
func dotQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
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
	return b.String()
}

// mermaidQuote makes a Mermaid quoted label. Mermaid has no backslash
// escapes; it takes HTML-like entity codes written #name; instead.
func mermaidQuote(s string) string {
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
