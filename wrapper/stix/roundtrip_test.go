package stix_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// entities lists a graph's nodes other than relationship nodes as "type
// entity id", with a custom node's custom type as its type, so that the old
// form {"type":"victim"} and {"type":"custom",…,"custom_type":"victim"}
// compare equal.
func entities(g *vtgraph.Graph) []string {
	var out []string
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.IsRelationship() {
			continue
		}
		t := string(n.Type)
		if ct, ok := n.Attributes.String("custom_type"); ok && n.Type == vtgraph.NodeTypeCustom {
			t = ct
		}
		out = append(out, t+" "+n.EntityID)
	}
	return out
}

// assertRoundTrip exports g, imports the bundle and exports the graph it
// gave: the two bundles must be the same bytes, and the entities the same.
func assertRoundTrip(t *testing.T, g *vtgraph.Graph) {
	t.Helper()
	first, _ := export(t, g)
	back, rep, err := stix.Import(first)
	require.NoError(t, err)
	assert.Empty(t, rep.Dropped, "nothing of our own bundle is dropped")
	assert.Empty(t, rep.Properties, "every property of our own bundle is read")
	second, _, err := stix.Export(back)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(second))
	assert.Equal(t, entities(g), entities(back))
	assert.Equal(t, g.Description, back.Description)
	assert.Equal(t, g.ID, back.ID)
	assert.Equal(t, g.Private, back.Private)
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	unsaved := demoGraph(t)
	unsaved.ID = ""
	unsaved.CreationDate, unsaved.LastModifiedDate = time.Time{}, time.Time{}
	unsaved.AddNode("campaign-node", vtgraph.NodeTypeCustom).Attributes["custom_type"] = json.RawMessage(`"campaign"`)
	unsaved.AddNode("tool-node", vtgraph.NodeTypeCustom).Attributes["custom_type"] = json.RawMessage(`"threat-actor"`)
	unsaved.Node("tool-node").Text = "labelled"
	require.NoError(t, unsaved.AddLink("campaign-node", demoDomain, "uses"))
	tests := []struct {
		name string
		g    *vtgraph.Graph
	}{
		{"demo", demoGraph(t)},
		{"shapes", shapes(t)},
		{"never saved", unsaved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertRoundTrip(t, tt.g)
		})
	}
}

// TestRoundTripRealGraphs runs the round trip on the graphs VirusTotal's
// own graph library loads and saves.
func TestRoundTripRealGraphs(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(sharedDir(t), "fixtures", "real")
	bodies := map[string]json.RawMessage{}
	for _, name := range []string{"vtgraphapi_graph_get.json", "vtgraphapi_graph_get_2019.json"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		require.NoError(t, json.Unmarshal(raw, &env))
		bodies[name] = env.Data
	}
	sent, err := filepath.Glob(filepath.Join(dir, "generated", "vtgraphapi_sent_*.json"))
	require.NoError(t, err)
	for _, path := range sent {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		var rec struct {
			Requests []struct {
				Method, Path string
				Body         struct {
					Data json.RawMessage `json:"data"`
				}
			}
		}
		require.NoError(t, json.Unmarshal(raw, &rec))
		for _, r := range rec.Requests {
			if r.Method == "POST" && r.Path == "/graphs" {
				bodies[filepath.Base(path)] = r.Body.Data
			}
		}
	}
	require.GreaterOrEqual(t, len(bodies), 6)
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := new(vtgraph.Graph)
			require.NoError(t, json.Unmarshal(body, g))
			require.NotEmpty(t, g.Nodes)
			assertRoundTrip(t, g)
		})
	}
}
