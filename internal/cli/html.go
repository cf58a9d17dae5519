package cli

import (
	"bytes"
	"errors"
	"html/template"
	"strings"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// pageTemplate is the --format html page: everything inline, so it opens
// offline and loads nothing from the network.
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem; color: #212121; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.1rem; margin-top: 2rem; }
.meta { color: #546e7a; margin-top: 0; }
figure { margin: 1rem 0; overflow: auto; border: 1px solid #cfd8dc; border-radius: 6px; padding: 0.5rem; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.3rem 0.8rem; border-bottom: 1px solid #eceff1; vertical-align: top; }
th { color: #546e7a; font-weight: 600; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; word-break: break-all; }
.detected { color: #c62828; font-weight: 600; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">{{if .URL}}<a href="{{.URL}}">Open in VirusTotal</a> · {{end}}{{.Summary}}</p>
<figure>
{{.SVG}}
</figure>
<h2>Entities</h2>
<table>
<thead><tr><th>Type</th><th>Entity</th><th>Label</th><th>Detections</th></tr></thead>
<tbody>
{{- range .Entities}}
<tr><td>{{.Type}}</td><td><code>{{.ID}}</code></td><td>{{.Label}}</td><td{{if .Detections}} class="detected"{{end}}>{{.Detections}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if .Relationships}}
<h2>Relationships</h2>
<table>
<thead><tr><th>Source</th><th>Relationship</th><th>Target</th></tr></thead>
<tbody>
{{- range .Relationships}}
<tr><td><code>{{.Source}}</code></td><td>{{.Type}}</td><td><code>{{.Target}}</code></td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
</body>
</html>
`))

type pageEntity struct {
	Type, ID, Label, Detections string
}

// graphPage writes the html export: the SVG Graphviz drew, the entities and
// relationships as tables, and the graph's page in VirusTotal.
func graphPage(g *vtgraph.Graph, svg []byte) ([]byte, error) {
	// dot's SVG starts with an XML declaration and a doctype, which do not
	// belong inside an HTML document.
	i := bytes.Index(svg, []byte("<svg"))
	if i < 0 {
		return nil, errors.New("dot -Tsvg printed no SVG")
	}
	data := struct {
		Title, URL, Summary string
		SVG                 template.HTML
		Entities            []pageEntity
		Relationships       []relationship
	}{
		Title: g.Description,
		URL:   g.URL(),
		// The SVG comes from dot, which escapes every label and tooltip.
		SVG: template.HTML(bytes.TrimSpace(svg[i:])),
	}
	if data.Title == "" {
		data.Title = "Untitled graph"
	}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.IsRelationship() {
			continue
		}
		data.Entities = append(data.Entities, pageEntity{Type: string(n.EntityType()), ID: n.EntityID, Label: n.Text, Detections: detections(n)})
	}
	data.Relationships = relationships(g)
	parts := []string{plural(len(data.Entities), "entity"), plural(len(data.Relationships), "relationship")}
	if g.Private {
		parts = append(parts, "private")
	}
	data.Summary = strings.Join(parts, ", ")
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// detections is the has_detections attribute as the table shows it: the
// count when VirusTotal sent one, "yes" for a bare true, else empty.
func detections(n *vtgraph.Node) string {
	if has, ok := n.Attributes.HasDetections(); !ok || !has {
		return ""
	}
	if count := detectionCount(n); count != "" {
		return count
	}
	return "yes"
}
