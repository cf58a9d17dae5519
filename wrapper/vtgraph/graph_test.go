package vtgraph_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// updateGraphGolden rewrites the golden files under testdata/graphs.
var updateGraphGolden = flag.Bool("update", false, "rewrite golden files in testdata")

// readGraphFile returns the "data" object of an API envelope in testdata/graphs.
func readGraphFile(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "graphs", name))
	require.NoError(t, err)
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(raw, &env))
	require.NotEmpty(t, env.Data)
	return env.Data
}

// golden compares got with a golden file, rewriting it under -update.
func assertGraphGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "graphs", name)
	if *updateGraphGolden {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got))
}

// canonical decodes JSON keeping numbers exact, so that two documents
// compare equal only when every number has the same value to full
// precision.
func canonicalJSON(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "%s", data)
	return exactJSONNumbers(t, v)
}

func exactJSONNumbers(t *testing.T, v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = exactJSONNumbers(t, e)
		}
	case []any:
		for i, e := range v {
			v[i] = exactJSONNumbers(t, e)
		}
	case json.Number:
		r, ok := new(big.Rat).SetString(string(v))
		require.True(t, ok, "number %s", v)
		return "number:" + r.RatString()
	}
	return v
}

func assertJSONEqual(t *testing.T, want, got []byte) {
	t.Helper()
	assert.Equal(t, canonicalJSON(t, want), canonicalJSON(t, got), "got %s", got)
}

func decodeGraph(t *testing.T, data []byte) *vtgraph.Graph {
	t.Helper()
	var g vtgraph.Graph
	require.NoError(t, json.Unmarshal(data, &g))
	return &g
}

func TestValidGraphID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want bool
	}{
		{"g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44", true},
		{"g0538d03053194c338643183e315b134ec3463a392330430938033934f3be3f37", true},
		{"", false},
		{"g", false},
		{"3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44", false},
		{"G3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44", false},
		{"g3AD78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44", false},
		{"g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef4", false},
		{"g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef444", false},
		{"g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef4z", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, vtgraph.ValidGraphID(tt.id), tt.id)
	}
}

func TestGraphAccessors(t *testing.T) {
	t.Parallel()
	g := decodeGraph(t, readGraphFile(t, "unknown_attributes.json"))
	assert.Equal(t, "richard_hendricks", g.Owner())
	assert.Equal(t, "https://www.virustotal.com/api/v3/graphs/"+g.ID, g.SelfLink())
	assert.Equal(t, "https://www.virustotal.com/graph/"+g.ID, g.URL())
	assert.Equal(t, int64(1599060646), g.CreationDate.Unix())
	assert.Equal(t, int64(1599117623), g.LastModifiedDate.Unix())
	assert.Equal(t, int64(12345678901), g.ViewsCount)
	assert.Equal(t, "5.0.0", g.Version)
	assert.True(t, g.Private)

	empty := vtgraph.NewGraph("new")
	assert.Empty(t, empty.Owner())
	assert.Empty(t, empty.SelfLink())
	assert.Empty(t, empty.URL())
}

func TestRenumberIndexes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		indexes []int
		want    []int
		changed bool
	}{
		{"ordered", []int{0, 1, 2}, []int{0, 1, 2}, false},
		{"gaps are kept", []int{0, 1, 2, 6, 88}, []int{0, 1, 2, 6, 88}, false},
		{"repeated", []int{0, 1, 2, 2, 2}, []int{0, 1, 2, 3, 4}, true},
		{"decreasing", []int{3, 1}, []int{0, 1}, true},
		{"negative", []int{-1, 0}, []int{0, 1}, true},
		{"empty", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var g vtgraph.Graph
			for i, idx := range tt.indexes {
				g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: string(rune('a' + i)), Type: vtgraph.NodeTypeDomain, Index: idx})
			}
			assert.Equal(t, !tt.changed, g.IndexesOrdered())
			assert.Equal(t, tt.changed, g.RenumberIndexes())
			var got []int
			for _, n := range g.Nodes {
				got = append(got, n.Index)
			}
			assert.Equal(t, tt.want, got)
			assert.True(t, g.IndexesOrdered())
		})
	}
}

func TestRepresentation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     vtgraph.Representation
		extra    string
	}{
		{"force graph", `{"type":"graph","attributes":{"representation":"force_graph"}}`, vtgraph.RepresentationForceGraph, ""},
		{"tree", `{"type":"graph","attributes":{"representation":"tree"}}`, vtgraph.RepresentationTree, ""},
		{"another layout", `{"type":"graph","attributes":{"representation":"radial"}}`, "radial", ""},
		{"not a string", `{"type":"graph","attributes":{"representation":{"layout":"force"}}}`, "", `{"layout":"force"}`},
		{"null", `{"type":"graph","attributes":{"representation":null}}`, "", `null`},
		{"absent", `{"type":"graph","attributes":{}}`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := decodeGraph(t, []byte(tt.in))
			assert.Equal(t, tt.want, g.Representation)
			assert.Equal(t, tt.extra, string(g.Extra["representation"]))
			out, err := json.Marshal(g)
			require.NoError(t, err)
			assert.JSONEq(t, tt.in, string(out), "saved as it came")
		})
	}

	g := vtgraph.NewGraph("laid out")
	attrs, err := g.AttributesJSON()
	require.NoError(t, err)
	assert.NotContains(t, string(attrs), "representation", "not sent unless set")
	g.Representation = vtgraph.RepresentationTree
	attrs, err = g.AttributesJSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"graph_data":{"description":"laid out"},"links":[],"nodes":[],"private":false,"representation":"tree"}`, string(attrs))
}
