package vtgraph_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// renumbered returns data with attributes.nodes[i].index set to i: the one
// change encoding makes to a graph whose indexes are out of order.
func withRenumberedIndexes(t *testing.T, data []byte) []byte {
	t.Helper()
	var obj map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &obj))
	var attrs map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(obj["attributes"], &attrs))
	var nodes []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(attrs["nodes"], &nodes))
	for i, n := range nodes {
		n["index"] = json.RawMessage(jsonInt(i))
	}
	var err error
	attrs["nodes"], err = json.Marshal(nodes)
	require.NoError(t, err)
	obj["attributes"], err = json.Marshal(attrs)
	require.NoError(t, err)
	out, err := json.Marshal(obj)
	require.NoError(t, err)
	return out
}

func jsonInt(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		// renumber is set for the examples whose repeated indexes are
		// renumbered on save.
		renumber bool
	}{
		{file: "spec_create_request.json"},
		{file: "spec_create_response.json"},
		{file: "spec_get_response.json", renumber: true},
		{file: "spec_update_request.json"},
		{file: "spec_update_response.json", renumber: true},
		{file: "unknown_attributes.json"},
		{file: "investigation.golden.json"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			in := readGraphFile(t, tt.file)
			g := decodeGraph(t, in)
			assert.Equal(t, !tt.renumber, g.IndexesOrdered())
			out, err := json.Marshal(g)
			require.NoError(t, err)
			want := in
			if tt.renumber {
				want = withRenumberedIndexes(t, in)
			}
			assertJSONEqual(t, want, out)

			// Encoding is stable: a second round trip changes nothing.
			again, err := json.Marshal(decodeGraph(t, out))
			require.NoError(t, err)
			assert.Equal(t, string(out), string(again))
		})
	}
}

func TestRoundTripKeepsRawValues(t *testing.T) {
	t.Parallel()
	g := decodeGraph(t, readGraphFile(t, "unknown_attributes.json"))
	assert.JSONEq(t, `{"x": 897, "y": 388, "scale": "1"}`, string(g.Extra["position"]))
	assert.Equal(t, `123456789012345678901234567890`, string(g.Extra["future_attribute"]))
	assert.Equal(t, `{"layout": "force", "zoom": 1.0000000000000002}`, string(g.Extra["representation"]))
	assert.Equal(t, `{"dark": true}`, string(g.GraphDataExtra["theme"]))
	assert.Equal(t, `{"shared_with_me": true}`, string(g.ObjectExtra["context_attributes"]))
	assert.Equal(t, `"red"`, string(g.Nodes[0].Extra["color"]))
	assert.Equal(t, `1.23456789012345678901234567890e+300`, string(g.Nodes[0].Attributes["big"]))
	assert.Equal(t, `null`, string(g.Nodes[2].Extra["pinned_by"]))
	assert.Equal(t, `"#ff0000"`, string(g.Links[0].Extra["color"]))
	assert.Equal(t, -27.425258029385414, g.Nodes[0].X)
	assert.Equal(t, 5e-324, g.Nodes[3].Y)
	assert.Equal(t, vtgraph.NodeType("brand_new_type"), g.Nodes[3].Type)
	assert.False(t, g.Nodes[3].Type.Known())
	assert.Equal(t, "Google \"DNS\" <resolver> & \u00e9\u2028", g.Nodes[2].Text)
	require.NotNil(t, g.Nodes[2].FX)
	assert.Equal(t, 0.0, *g.Nodes[2].FX)
	assert.Nil(t, g.Nodes[0].FX)
}

// TestRoundTripAfterChange is the get → change → update cycle: what the
// change does not touch must come back unchanged.
func TestRoundTripAfterChange(t *testing.T) {
	t.Parallel()
	in := readGraphFile(t, "unknown_attributes.json")
	g := decodeGraph(t, in)
	g.Description = "renamed"
	g.Nodes[0].Text = "Root"
	g.AddNode("1.1.1.1", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink("www.hooli.com", "1.1.1.1", "resolutions"))

	out, err := json.Marshal(g)
	require.NoError(t, err)

	var want, got map[string]any
	require.NoError(t, json.Unmarshal(in, &want))
	require.NoError(t, json.Unmarshal(out, &got))
	wantAttrs, gotAttrs := want["attributes"].(map[string]any), got["attributes"].(map[string]any)
	for _, k := range []string{"position", "representation", "future_attribute", "creation_date", "private"} {
		assert.Equal(t, wantAttrs[k], gotAttrs[k], k)
	}
	for _, k := range []string{"context_attributes", "relationships", "links", "future_object_key"} {
		assert.Equal(t, want[k], got[k], k)
	}
	assert.Equal(t, "renamed", gotAttrs["graph_data"].(map[string]any)["description"])
	assert.Equal(t, map[string]any{"dark": true}, gotAttrs["graph_data"].(map[string]any)["theme"])

	nodes := gotAttrs["nodes"].([]any)
	require.Len(t, nodes, 5)
	root := nodes[0].(map[string]any)
	assert.Equal(t, "Root", root["text"])
	assert.Equal(t, "red", root["color"])
	assert.Equal(t, 3.0, root["entity_attributes"].(map[string]any)["has_detections"])
	added := nodes[4].(map[string]any)
	assert.Equal(t, "1.1.1.1", added["entity_id"])
	assert.Equal(t, 8.0, added["index"], "continues after the highest index")
	links := gotAttrs["links"].([]any)
	require.Len(t, links, 3, "the relationship node is reused")
	assert.Equal(t, "relationships_resolutions_wwwhoolicom", links[2].(map[string]any)["source"])
}

func TestNodeFieldPresence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		edit func(*vtgraph.Node)
		want string
	}{
		{
			name: "absent fields stay absent",
			in:   `{"entity_id":"a"}`,
			want: `{"entity_id":"a"}`,
		},
		{
			name: "zero values stay present",
			in:   `{"entity_id":"a","text":"","x":0,"y":0,"index":0,"type":"","entity_attributes":{},"fx":0,"fy":0}`,
			want: `{"entity_id":"a","text":"","x":0,"y":0,"index":0,"type":"","entity_attributes":{},"fx":0,"fy":0}`,
		},
		{
			name: "a field set after decoding appears",
			in:   `{"entity_id":"a"}`,
			edit: func(n *vtgraph.Node) { n.Text = "label"; n.X = 2.5 },
			want: `{"entity_id":"a","text":"label","x":2.5}`,
		},
		{
			name: "a present field set to zero stays",
			in:   `{"entity_id":"a","text":"old"}`,
			edit: func(n *vtgraph.Node) { n.Text = "" },
			want: `{"entity_id":"a","text":""}`,
		},
		{
			name: "null is kept",
			in:   `{"entity_id":"a","text":null,"entity_attributes":null}`,
			want: `{"entity_id":"a","text":null,"entity_attributes":null}`,
		},
		{
			name: "a null field set after decoding is written once",
			in:   `{"entity_id":"a","text":null}`,
			edit: func(n *vtgraph.Node) { n.Text = "now" },
			want: `{"entity_id":"a","text":"now"}`,
		},
		{
			name: "escaped keys are recognised",
			in:   `{"entity\u005fid":"a","\u0078":1}`,
			want: `{"entity_id":"a","x":1}`,
		},
		{
			name: "integral numbers written as floats are integers",
			in:   `{"entity_id":"a","index":2.0}`,
			want: `{"entity_id":"a","index":2}`,
		},
		{
			name: "pinning adds fx and fy",
			in:   `{"entity_id":"a","x":1,"y":1}`,
			edit: func(n *vtgraph.Node) { n.Pin(0, -3) },
			want: `{"entity_id":"a","x":0,"y":-3,"fx":0,"fy":-3}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n vtgraph.Node
			require.NoError(t, json.Unmarshal([]byte(tt.in), &n))
			if tt.edit != nil {
				tt.edit(&n)
			}
			out, err := json.Marshal(n)
			require.NoError(t, err)
			assertJSONEqual(t, []byte(tt.want), out)
		})
	}
}

func TestBuiltValuesHaveFullShape(t *testing.T) {
	t.Parallel()
	out, err := json.Marshal(vtgraph.Node{EntityID: "www.hooli.com", Type: vtgraph.NodeTypeDomain})
	require.NoError(t, err)
	assert.JSONEq(t, `{"entity_attributes":{},"entity_id":"www.hooli.com","index":0,"text":"","type":"domain","x":0,"y":0}`, string(out))

	out, err = json.Marshal(vtgraph.Link{Source: "a", Target: "b"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"connection_type":"","source":"a","target":"b"}`, string(out))

	out, err = json.Marshal(vtgraph.NewGraph("Hooli"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"graph","attributes":{"graph_data":{"description":"Hooli"},"links":[],"nodes":[],"private":false}}`, string(out))

	attrs, err := vtgraph.NewGraph("Hooli").AttributesJSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"graph_data":{"description":"Hooli"},"links":[],"nodes":[],"private":false}`, string(attrs))
}

// TestPartialBodies covers the request bodies the client builds from a
// graph's parts.
func TestPartialBodies(t *testing.T) {
	t.Parallel()
	g := decodeGraph(t, readGraphFile(t, "spec_get_response.json"))
	g.RenumberIndexes()
	body, err := json.Marshal(map[string]any{"data": map[string]any{
		"type":       "graph",
		"attributes": map[string]any{"nodes": g.Nodes, "links": g.Links},
	}})
	require.NoError(t, err)
	var back struct {
		Data struct {
			Attributes struct {
				Nodes []vtgraph.Node `json:"nodes"`
				Links []vtgraph.Link `json:"links"`
			} `json:"attributes"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &back))
	require.Len(t, back.Data.Attributes.Nodes, 5)
	for i, n := range back.Data.Attributes.Nodes {
		assert.Equal(t, i, n.Index)
	}
	assert.Equal(t, g.Links[1].Target, back.Data.Attributes.Links[1].Target)
}

func TestHasDetections(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw       string
		has, ok   bool
		set       bool
		afterJSON string
	}{
		{raw: `true`, has: true, ok: true, set: false, afterJSON: `false`},
		{raw: `false`, has: false, ok: true, set: true, afterJSON: `true`},
		{raw: `0`, has: false, ok: true, set: false, afterJSON: `0`},
		{raw: `3`, has: true, ok: true, set: true, afterJSON: `3`},
		{raw: `3`, has: true, ok: true, set: false, afterJSON: `false`},
		{raw: `1.0`, has: true, ok: true, set: true, afterJSON: `1.0`},
		{raw: `"yes"`, has: false, ok: false, set: true, afterJSON: `true`},
		{raw: ``, has: false, ok: false, set: true, afterJSON: `true`},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			in := `{"entity_id":"a","entity_attributes":{}}`
			if tt.raw != "" {
				in = `{"entity_id":"a","entity_attributes":{"has_detections":` + tt.raw + `}}`
			}
			var n vtgraph.Node
			require.NoError(t, json.Unmarshal([]byte(in), &n))
			has, ok := n.Attributes.HasDetections()
			assert.Equal(t, tt.has, has)
			assert.Equal(t, tt.ok, ok)

			out, err := json.Marshal(n)
			require.NoError(t, err)
			assert.JSONEq(t, in, string(out), "unchanged form")

			n.SetHasDetections(tt.set)
			assert.Equal(t, tt.afterJSON, string(n.Attributes["has_detections"]))
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"not an object", `[]`, "expected an object"},
		{"wrong object type", `{"type":"file","id":"x"}`, `type: type is "file", not "graph"`},
		{"node x is a string", `{"type":"graph","attributes":{"nodes":[{"x":"1"}]}}`, "attributes.nodes[0].x: offset"},
		{"index not integral", `{"type":"graph","attributes":{"nodes":[{},{"index":1.5}]}}`, "attributes.nodes[1].index: number 1.5 is not an integer"},
		{"coordinate overflows", `{"type":"graph","attributes":{"nodes":[{"x":1e999}]}}`, "attributes.nodes[0].x: number 1e999 out of range"},
		{"private is a string", `{"type":"graph","attributes":{"private":"yes"}}`, "attributes.private: offset"},
		{"link source is a number", `{"type":"graph","attributes":{"links":[{"source":1}]}}`, "attributes.links[0].source: offset"},
		{"bad date", `{"type":"graph","attributes":{"creation_date":"2020"}}`, "attributes.creation_date"},
		{"nodes is an object", `{"type":"graph","attributes":{"nodes":{}}}`, "attributes.nodes: offset"},
		{"description is a number", `{"type":"graph","attributes":{"graph_data":{"description":1}}}`, "attributes.graph_data.description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var g vtgraph.Graph
			err := g.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestDecodeRejectsMalformedJSON calls UnmarshalJSON directly, bypassing the
// validation json.Unmarshal does first, so the scanner's own checks run.
func TestDecodeRejectsMalformedJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		``, `{`, `{"type":"graph"`, `{"type":"graph",}`, `{"a":[1,]}`, `{"a":tru}`,
		`{"a":01}`, `{"a":1.}`, `{"a":1e}`, `{"a":-}`, `{"a":"\x"}`, `{"a":"\u12"}`,
		"{\"a\":\"\x01\"}", `{"a":"unterminated}`, `{"a":1} x`, `{"a" 1}`, `{a:1}`,
	} {
		var g vtgraph.Graph
		require.Error(t, g.UnmarshalJSON([]byte(in)), in)
		var n vtgraph.Node
		require.Error(t, n.UnmarshalJSON([]byte(in)), in)
		var l vtgraph.Link
		require.Error(t, l.UnmarshalJSON([]byte(in)), in)
		require.False(t, json.Valid([]byte(in)), "test input %q must be invalid JSON", in)
	}
}

func TestEncodeRejectsNonFinite(t *testing.T) {
	t.Parallel()
	g := vtgraph.NewGraph("x")
	g.AddNode("a", vtgraph.NodeTypeDomain).X = positiveInf()
	_, err := json.Marshal(g)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nodes[0]")
}

func positiveInf() float64 { return math.Inf(1) }

func TestUnmarshalNullLeavesValue(t *testing.T) {
	t.Parallel()
	g := vtgraph.NewGraph("kept")
	require.NoError(t, json.Unmarshal([]byte(`null`), g))
	assert.Equal(t, "kept", g.Description)
	var holder struct {
		Node *vtgraph.Node `json:"node"`
		Link vtgraph.Link  `json:"link"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"node":null,"link":null}`), &holder))
	assert.Nil(t, holder.Node)
}

// TestDecodeSizesSlicesOfOneGraph checks that a graph decoded alone gets
// slices of its size, and that the graphs of a page, which share one body,
// do not get room for each other's nodes and links.
func TestDecodeSizesSlicesOfOneGraph(t *testing.T) {
	t.Parallel()
	graph := func(i int) string {
		return fmt.Sprintf(`{"type":"graph","id":"g%064d","attributes":{"links":[{"source":"a%d","target":"b%d"}],`+
			`"nodes":[{"entity_id":"a%d","type":"domain"},{"entity_id":"b%d","type":"domain"}]}}`, i, i, i, i, i)
	}
	one := decodeGraph(t, []byte(graph(0)))
	assert.Equal(t, 2, cap(one.Nodes))
	assert.Equal(t, 1, cap(one.Links))

	items := make([]string, 20)
	for i := range items {
		items[i] = graph(i)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":[%s]}`, strings.Join(items, ","))
	}))
	t.Cleanup(srv.Close)
	c, err := vtgraph.New("made-up-key", vtgraph.WithBaseURL(srv.URL+"/api/v3"), vtgraph.WithoutRetries())
	require.NoError(t, err)
	page, err := c.SearchGraphs(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 20)
	for _, g := range page.Items {
		assert.LessOrEqual(t, cap(g.Nodes), 4, "room for its own nodes only")
		assert.LessOrEqual(t, cap(g.Links), 2)
	}
}
