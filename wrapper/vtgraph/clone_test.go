package vtgraph_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func TestCloneSharesNothingEditable(t *testing.T) {
	t.Parallel()
	var g vtgraph.Graph
	require.NoError(t, json.Unmarshal([]byte(`{"type":"graph","id":"g1","attributes":{
		"graph_data":{"description":"Hooli","theme":"dark"},"position":{"x":1},
		"nodes":[{"entity_id":"hooli.com","type":"domain","x":1,"y":2,"fx":1,"fy":2,
			"entity_attributes":{"country":"US"},"color":"red"},
			{"entity_id":"8.8.8.8","type":"ip_address"}],
		"links":[{"source":"hooli.com","target":"8.8.8.8","connection_type":"manual","weight":1}]},
		"links":{"self":"x"}}`), &g))
	before, err := json.Marshal(&g)
	require.NoError(t, err)

	c := g.Clone()
	again, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(again), "a clone encodes as the original does")

	c.Extra["position"] = json.RawMessage(`{"x":2}`)
	c.GraphDataExtra["theme"] = json.RawMessage(`"light"`)
	c.ObjectExtra["links"] = json.RawMessage(`{}`)
	n := &c.Nodes[0]
	n.Attributes["country"] = json.RawMessage(`"GB"`)
	n.Extra["color"] = json.RawMessage(`"blue"`)
	*n.FX, *n.FY = 10, 20
	n.Text = "root"
	c.Links[0].Extra["weight"] = json.RawMessage(`2`)
	c.Links[0].Target = "hooli.com"
	c.AddNode("new.example", vtgraph.NodeTypeDomain)
	after, err := json.Marshal(&g)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "editing the clone leaves the original alone")

	assert.Nil(t, (*vtgraph.Graph)(nil).Clone())
}
