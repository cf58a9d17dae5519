package vtgraph_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func TestAddNodeStoresCustomTypesAsVirusTotalDoes(t *testing.T) {
	t.Parallel()
	g := vtgraph.NewGraph("custom")
	victim := g.AddNode("finance", vtgraph.NodeTypeVictim)
	assert.Equal(t, vtgraph.NodeTypeCustom, victim.Type)
	assert.Equal(t, vtgraph.NodeTypeVictim, victim.EntityType())
	unknown := g.AddNode("bear", "threat_actor")
	assert.Equal(t, vtgraph.NodeTypeCustom, unknown.Type, "vt-graph-api stores every type the API has no objects for as custom")
	for _, typ := range []vtgraph.NodeType{
		vtgraph.NodeTypeFile, vtgraph.NodeTypeURL, vtgraph.NodeTypeDomain, vtgraph.NodeTypeIPAddress,
		vtgraph.NodeTypeWhois, vtgraph.NodeTypeSSLCert, vtgraph.NodeTypeCollection, vtgraph.NodeTypeReference,
	} {
		n := g.AddNode("an "+string(typ), typ)
		assert.Equal(t, typ, n.Type)
		assert.NotContains(t, n.Attributes, "custom_type")
	}
	out, err := json.Marshal(g.Node("finance"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"entity_attributes":{"custom_type":"victim"},"entity_id":"finance","index":0,"text":"","type":"custom","x":0,"y":0}`, string(out))

	victim = g.Node("finance")
	victim.SetEntityType(vtgraph.NodeTypeDomain)
	assert.Equal(t, vtgraph.NodeTypeDomain, victim.Type)
	assert.NotContains(t, victim.Attributes, "custom_type")
	victim.SetEntityType(vtgraph.NodeTypeActor)
	assert.Equal(t, vtgraph.NodeTypeActor, victim.EntityType())
	require.NoError(t, g.Validate())
}

func TestEntityTypeReadsBothForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want vtgraph.NodeType
	}{
		{`{"entity_id":"a","type":"custom","entity_attributes":{"custom_type":"victim"}}`, vtgraph.NodeTypeVictim},
		{`{"entity_id":"a","type":"victim"}`, vtgraph.NodeTypeVictim},
		{`{"entity_id":"a","type":"custom"}`, vtgraph.NodeTypeCustom},
		{`{"entity_id":"a","type":"custom","entity_attributes":{"custom_type":""}}`, vtgraph.NodeTypeCustom},
		{`{"entity_id":"a","type":"file","entity_attributes":{"custom_type":"victim"}}`, vtgraph.NodeTypeFile},
	}
	for _, tt := range tests {
		var n vtgraph.Node
		require.NoError(t, json.Unmarshal([]byte(tt.in), &n))
		assert.Equal(t, tt.want, n.EntityType(), tt.in)
		out, err := json.Marshal(n)
		require.NoError(t, err)
		assert.JSONEq(t, tt.in, string(out), "an unedited node stays in the form it came in")
	}

	var g vtgraph.Graph
	require.NoError(t, json.Unmarshal([]byte(`{"type":"graph","attributes":{"nodes":[`+
		`{"entity_id":"old","type":"victim"},{"entity_id":"new","type":"custom","entity_attributes":{"custom_type":"victim"}},`+
		`{"entity_id":"corp.example","type":"domain"}]}}`), &g))
	assert.Equal(t, []string{"old", "new"}, entityIDs(g.NodesByType(vtgraph.NodeTypeVictim)))
	assert.Equal(t, []string{"new"}, entityIDs(g.NodesByType(vtgraph.NodeTypeCustom)))
}

func TestDetectionCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw   string
		count int64
		ok    bool
	}{
		{`45`, 45, true},
		{`0`, 0, true},
		{`3.0`, 3, true},
		{`true`, 0, false},
		{`false`, 0, false},
		{`-2`, 0, false},
		{`"7"`, 0, false},
		{``, 0, false},
	}
	for _, tt := range tests {
		attrs := vtgraph.EntityAttributes{}
		if tt.raw != "" {
			attrs["has_detections"] = json.RawMessage(tt.raw)
		}
		count, ok := attrs.DetectionCount()
		assert.Equal(t, tt.count, count, tt.raw)
		assert.Equal(t, tt.ok, ok, tt.raw)
	}

	var n vtgraph.Node
	require.NoError(t, json.Unmarshal([]byte(`{"entity_id":"a","entity_attributes":{"has_detections":45}}`), &n))
	out, err := json.Marshal(n)
	require.NoError(t, err)
	assert.JSONEq(t, `{"entity_id":"a","entity_attributes":{"has_detections":45}}`, string(out), "a count stays a count")
	n.SetHasDetections(true)
	assert.Equal(t, `45`, string(n.Attributes["has_detections"]), "a count that says the same is kept")
	n.SetDetectionCount(3)
	assert.Equal(t, `3`, string(n.Attributes["has_detections"]))
	has, ok := n.Attributes.HasDetections()
	assert.True(t, has && ok)
}
