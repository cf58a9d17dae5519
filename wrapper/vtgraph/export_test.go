package vtgraph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// trickyGraph has entity ids and labels with every character DOT and
// Mermaid treat specially.
func trickyGraph(t *testing.T) *vtgraph.Graph {
	t.Helper()
	g := buildInvestigation(t)
	g.ID = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"
	n := g.AddNode(`http://evil.example/a"b\c?d=<e>&f|g#h`+"`", vtgraph.NodeTypeCustom)
	n.Text = "two\nlines \"quoted\" \\"
	require.NoError(t, g.AddLink(hooliURL, n.EntityID, "redirects_to"))
	return g
}

func TestDOTGolden(t *testing.T) {
	t.Parallel()
	assertGraphGolden(t, "investigation.golden.dot", []byte(trickyGraph(t).DOT()))
}

func TestMermaidGolden(t *testing.T) {
	t.Parallel()
	assertGraphGolden(t, "investigation.golden.mmd", []byte(trickyGraph(t).Mermaid()))
}

// TestDOTRendersWithGraphviz proves the DOT output, escapes included, is
// accepted by Graphviz itself.
func TestDOTRendersWithGraphviz(t *testing.T) {
	t.Parallel()
	dot, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("graphviz dot is required in CI: %v", err)
		}
		t.Skip("graphviz dot not installed")
	}
	tests := []struct {
		name string
		g    *vtgraph.Graph
	}{
		{"tricky", trickyGraph(t)},
		{"spec example", decodeGraph(t, readGraphFile(t, "spec_create_request.json"))},
		{"empty", vtgraph.NewGraph("")},
		{"shared relationship node", graphJSON(t, sharedRelationshipJSON)},
	}
	for _, name := range realGraphs {
		if g := readRealGraph(t, name); g != nil {
			tests = append(tests, struct {
				name string
				g    *vtgraph.Graph
			}{name, g})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			cmd := exec.CommandContext(ctx, dot, "-Tsvg")
			cmd.Stdin = bytes.NewReader([]byte(tt.g.DOT()))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			require.NoError(t, err, stderr.String())
			assert.Empty(t, stderr.String(), "dot warnings")
			assert.Contains(t, string(out), "<svg")
		})
	}
}

// realGraphs are the graphs VirusTotal's own Python library has in its
// tests, in the shared fixtures beside the module when they are there.
var realGraphs = []string{"vtgraphapi_graph_get.json", "vtgraphapi_graph_get_2019.json"}

// readRealGraph decodes one of realGraphs, or returns nil when the shared
// fixtures are not beside the module.
func readRealGraph(t *testing.T, name string) *vtgraph.Graph {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "real", name))
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(raw, &env))
	return decodeGraph(t, env.Data)
}

// TestDOTRealGraphs draws what VirusTotal saved: five files sharing one
// contacted_ips relationship node, a group expanded through it, and
// commonality and retrohunt nodes.
func TestDOTRealGraphs(t *testing.T) {
	t.Parallel()
	g := readRealGraph(t, realGraphs[0])
	if g == nil {
		t.Skip("the shared fixtures are not beside the module")
	}
	dot := g.DOT()
	assert.Equal(t, 1, strings.Count(dot, `label="contacted_ips"`), "six hops, one label on the link out:\n%s", dot)
	assert.Equal(t, 1, strings.Count(dot, `label="communicating_files"`), dot)
	assert.Contains(t, dot, `"relationships_group_123456789" [label="group", shape=tab,`)
	assert.Contains(t, dot, `[label="5504e040…ab91\n45 detections", shape=note,`)
	assert.Contains(t, dot, `"relationships_commonality_1670398662" [label="commonality", shape=hexagon,`)
	mmd := g.Mermaid()
	assert.Equal(t, 6, strings.Count(mmd, `-->|"contacted_ips"|`), mmd)
}

// TestDOTDetections checks the detection line of a node's label for each
// form has_detections takes, a count written as a float included, as the
// CLI's tables read it.
func TestDOTDetections(t *testing.T) {
	t.Parallel()
	tests := []struct{ raw, want string }{
		{`45`, `\n45 detections"`},
		{`1`, `\n1 detection"`},
		{`3.0`, `\n3 detections"`},
		{`1e2`, `\n100 detections"`},
		{`true`, `\ndetected"`},
	}
	for _, tt := range tests {
		g := vtgraph.NewGraph("g")
		g.AddNode("acme.example", vtgraph.NodeTypeDomain).Attributes["has_detections"] = json.RawMessage(tt.raw)
		assert.Contains(t, g.DOT(), tt.want, "has_detections %s", tt.raw)
	}
	for _, raw := range []string{`0`, `false`} {
		g := vtgraph.NewGraph("g")
		g.AddNode("acme.example", vtgraph.NodeTypeDomain).Attributes["has_detections"] = json.RawMessage(raw)
		assert.NotContains(t, g.DOT(), "detect", "has_detections %s", raw)
	}
}

func TestGraphURL(t *testing.T) {
	t.Parallel()
	const id = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"
	assert.Equal(t, "https://www.virustotal.com/graph/"+id, vtgraph.GraphURL(id))
	assert.Equal(t, "https://www.virustotal.com/graph/a%2Fb%22", vtgraph.GraphURL(`a/b"`))
	assert.Equal(t, `<iframe src="https://www.virustotal.com/graph/embed/`+id+`" width="800" height="600"></iframe>`, vtgraph.EmbedHTML(id))
	assert.Equal(t, `<iframe src="https://www.virustotal.com/graph/embed/%22%3E%3Cscript%3E" width="800" height="600"></iframe>`, vtgraph.EmbedHTML(`"><script>`))
}

func TestJSONExport(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	out, err := g.JSON()
	require.NoError(t, err)
	back := decodeGraph(t, out)
	again, err := back.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(out), string(again))
	assert.Contains(t, string(out), "\n  \"attributes\": {")
}

// graphJSON decodes a graph object written out in a test.
func graphJSON(t *testing.T, s string) *vtgraph.Graph {
	t.Helper()
	return decodeGraph(t, []byte(s))
}

// sharedRelationshipJSON is the shape VirusTotal saves when several files
// contacted one address: five sources share one relationship node, which
// leads to one target, and the address's communicating files fan out again.
const sharedRelationshipJSON = `{"type":"graph","attributes":{"graph_data":{"description":"shared"},"nodes":[
	{"entity_id":"f1","type":"file"},{"entity_id":"f2","type":"file"},{"entity_id":"f3","type":"file"},
	{"entity_id":"f4","type":"file"},{"entity_id":"f5","type":"file"},
	{"entity_id":"198.51.100.7","type":"ip_address"},
	{"entity_id":"relationships_contacted_ips_f1","type":"relationship"},
	{"entity_id":"relationships_communicating_files_198511007","type":"relationship"},
	{"entity_id":"f6","type":"file"},{"entity_id":"f7","type":"file"}],
	"links":[
	{"source":"f1","target":"relationships_contacted_ips_f1","connection_type":"contacted_ips"},
	{"source":"f2","target":"relationships_contacted_ips_f1","connection_type":"contacted_ips"},
	{"source":"f3","target":"relationships_contacted_ips_f1","connection_type":"contacted_ips"},
	{"source":"f4","target":"relationships_contacted_ips_f1","connection_type":"contacted_ips"},
	{"source":"f5","target":"relationships_contacted_ips_f1","connection_type":"contacted_ips"},
	{"source":"relationships_contacted_ips_f1","target":"198.51.100.7","connection_type":"contacted_ips"},
	{"source":"198.51.100.7","target":"relationships_communicating_files_198511007","connection_type":"communicating_files"},
	{"source":"relationships_communicating_files_198511007","target":"f6","connection_type":"communicating_files"},
	{"source":"relationships_communicating_files_198511007","target":"f7","connection_type":"communicating_files"}]}}`

func TestDOTNamesEachHopOnce(t *testing.T) {
	t.Parallel()
	g := graphJSON(t, sharedRelationshipJSON)
	dot := g.DOT()
	// Five hops through contacted_ips share the one link out of the
	// relationship node; two hops through communicating_files share the one
	// link into theirs.
	assert.Equal(t, 1, strings.Count(dot, `label="contacted_ips"`), dot)
	assert.Contains(t, dot, `"relationships_contacted_ips_f1" -> "198.51.100.7" [label="contacted_ips"];`)
	assert.Contains(t, dot, `"f3" -> "relationships_contacted_ips_f1" [arrowhead=none];`)
	assert.Equal(t, 1, strings.Count(dot, `label="communicating_files"`), dot)
	assert.Contains(t, dot, `"198.51.100.7" -> "relationships_communicating_files_198511007" [label="communicating_files", arrowhead=none];`)
	assert.Contains(t, dot, `"relationships_contacted_ips_f1" [shape=point, width=0.07, color="#607D8B", tooltip="contacted_ips"];`,
		"a relationship node is a small point, not a labelled shape")

	mmd := g.Mermaid()
	assert.Equal(t, 5, strings.Count(mmd, `-->|"contacted_ips"| n5`), "one arrow a hop:\n%s", mmd)
	assert.Contains(t, mmd, `n5 -->|"communicating_files"| n8`)
	assert.Contains(t, mmd, `n5 -->|"communicating_files"| n9`)
	assert.NotContains(t, mmd, "n6", "relationship nodes are not drawn")
}

func TestDOTEntityTypesAndDetections(t *testing.T) {
	t.Parallel()
	g := graphJSON(t, `{"type":"graph","attributes":{"nodes":[
		{"entity_id":"`+hooliFile+`","type":"file","entity_attributes":{"has_detections":45}},
		{"entity_id":"www.hooli.com","type":"domain","text":"Root Node","entity_attributes":{"has_detections":true}},
		{"entity_id":"8.8.8.8","type":"ip_address","entity_attributes":{"has_detections":0}},
		{"entity_id":"`+hooliURL+`","type":"url","entity_attributes":{"has_detections":false}},
		{"entity_id":"badguy","type":"custom","entity_attributes":{"custom_type":"victim"}},
		{"entity_id":"oldguy","type":"victim"},
		{"entity_id":"Lantern","type":"actor"},
		{"entity_id":"thing","type":"custom"},
		{"entity_id":"https://login-lantern.example/a/very/long/path/that/goes/on","type":"something_new"}],"links":[]}}`)
	dot := g.DOT()
	for _, want := range []string{
		`"` + hooliFile + `" [label="131f95c5…8267\n45 detections", shape=note, fillcolor="#E3F2FD", color="#C62828", penwidth=2.5, tooltip="file ` + hooliFile + `"];`,
		`"www.hooli.com" [label="Root Node\ndetected", shape=ellipse, fillcolor="#FFF3E0", color="#C62828", penwidth=2.5, tooltip="domain www.hooli.com"];`,
		`"8.8.8.8" [label="8.8.8.8", shape=cylinder, fillcolor="#F3E5F5", color="#6A1B9A", tooltip="ip_address 8.8.8.8"];`,
		`"` + hooliURL + `" [label="1a055692…31de", shape=box, style="rounded,filled", fillcolor="#E8F5E9", color="#2E7D32",`,
		`"badguy" [label="badguy", shape=invhouse, fillcolor="#E8EAF6", color="#283593", tooltip="victim badguy"];`,
		`"oldguy" [label="oldguy", shape=invhouse,`,
		`"Lantern" [label="Lantern", shape=house,`,
		`"thing" [label="thing", shape=box, fillcolor="#F5F5F5", color="#616161", tooltip="custom thing"];`,
		`[label="https://login-lantern.example/a…", shape=box, fillcolor="#F5F5F5"`,
		"rankdir=LR",
	} {
		assert.Contains(t, dot, want)
	}
	// The legend shows each type drawn once, the victim under its custom
	// type, and the detection mark.
	legend := dot[strings.Index(dot, "subgraph cluster_legend"):]
	for _, name := range []string{"file", "domain", "ip_address", "url", "victim", "actor", "custom", "something_new", "has detections"} {
		assert.Equal(t, 1, strings.Count(legend, `"legend: `+name+`" [label=`), name)
	}
	assert.NotContains(t, legend, "legend: search")
	assert.NotContains(t, legend, "legend: group")

	mmd := g.Mermaid()
	for _, want := range []string{
		`n0["131f95c5…8267<br>45 detections"]`,
		`n1(["Root Node<br>detected"])`,
		`n2[("8.8.8.8")]`,
		`n4[\"badguy"/]`,
		"classDef type_file fill:#E3F2FD,stroke:#1565C0,color:#212121\n  class n0 type_file\n",
		"class n4,n5 type_victim\n",
		"class n8 type_something_new\n",
		"classDef detected stroke:#C62828,stroke-width:3px\n  class n0,n1 detected\n",
	} {
		assert.Contains(t, mmd, want)
	}
}

func TestDOTSearchAndGroupNodes(t *testing.T) {
	t.Parallel()
	// A group in the current form (members link to it), one in the older
	// form (it links to its members), a group expanded through a typed
	// relationship, and a commonality node without a relationship_type, as
	// VirusTotal saved them.
	g := graphJSON(t, `{"type":"graph","attributes":{"nodes":[
		{"entity_id":"a.example","type":"domain"},{"entity_id":"b.example","type":"domain"},
		{"entity_id":"203.0.113.1","type":"ip_address"},
		{"entity_id":"relationships_group_a","type":"relationship","text":"Group 1","entity_attributes":{"relationship_type":"group","grouped_node_ids":["a.example","b.example"]}},
		{"entity_id":"relationships_group_old","type":"relationship","text":"Old group","entity_attributes":{"relationship_type":"group"}},
		{"entity_id":"relationships_resolutions_aexample","type":"relationship"},
		{"entity_id":"relationships_commonality_1","type":"relationship","entity_attributes":{"commonalities":[{"commonality":"path","value":"/"}]}}],
		"links":[
		{"source":"a.example","target":"relationships_group_a","connection_type":"group"},
		{"source":"b.example","target":"relationships_group_a","connection_type":"group"},
		{"source":"relationships_group_old","target":"b.example","connection_type":"group"},
		{"source":"relationships_group_a","target":"relationships_resolutions_aexample","connection_type":"resolutions"},
		{"source":"relationships_resolutions_aexample","target":"203.0.113.1","connection_type":"resolutions"},
		{"source":"relationships_commonality_1","target":"a.example","connection_type":"commonality"}]}}`)
	dot := g.DOT()
	for _, want := range []string{
		`"relationships_group_a" [label="Group 1", shape=tab,`,
		`"a.example" -> "relationships_group_a" [style=dashed, arrowhead=none];`,
		`"relationships_group_old" -> "b.example" [style=dashed, arrowhead=none];`,
		`"relationships_group_a" -> "relationships_resolutions_aexample" [label="resolutions", arrowhead=none];`,
		`"relationships_resolutions_aexample" -> "203.0.113.1";`,
		`"relationships_commonality_1" [label="commonality", shape=hexagon,`,
		`"relationships_commonality_1" -> "a.example" [style=dashed, arrowhead=none];`,
		`"legend: search" [label="search", shape=hexagon`,
		`"legend: group" [label="group", shape=tab`,
	} {
		assert.Contains(t, dot, want)
	}
	mmd := g.Mermaid()
	for _, want := range []string{
		`n3[["Group 1"]]`, "n0 -.- n3", "n4 -.- n1", `n3 -->|"resolutions"| n2`, `n6{{"commonality"}}`,
		"class n3,n4 group", "class n6 search",
	} {
		assert.Contains(t, mmd, want)
	}
}

func TestDOTPacksUnlinkedNodesInAGrid(t *testing.T) {
	t.Parallel()
	g := vtgraph.NewGraph("Twenty indicators")
	for i := range 20 {
		g.AddNode(fmt.Sprintf("host-%d.example", i), vtgraph.NodeTypeDomain)
	}
	dot := g.DOT()
	// Three columns: rows of three joined by two invisible edges, and a
	// last row of two.
	assert.Equal(t, 20-7, strings.Count(dot, "[style=invis];"), dot)
	assert.Contains(t, dot, `"host-0.example" -> "host-1.example" [style=invis];`)
	assert.NotContains(t, dot, `"host-2.example" -> "host-3.example"`, "a row ends after three")
}

// TestMermaidDrawsNoUndeclaredNode links two relationship nodes to each
// other, which the UI never saves: Mermaid must still refer only to nodes
// it declared.
func TestMermaidDrawsNoUndeclaredNode(t *testing.T) {
	t.Parallel()
	g := graphJSON(t, `{"type":"graph","attributes":{"nodes":[
		{"entity_id":"a.example","type":"domain"},{"entity_id":"r1","type":"relationship"},
		{"entity_id":"r2","type":"relationship"},{"entity_id":"b.example","type":"domain"}],
		"links":[{"source":"a.example","target":"r1","connection_type":"x"},{"source":"r1","target":"r2","connection_type":"x"},
		{"source":"r2","target":"b.example","connection_type":"x"}]}}`)
	mmd := g.Mermaid()
	assert.NotContains(t, mmd, "n1", mmd)
	assert.NotContains(t, mmd, "n2", mmd)
}
