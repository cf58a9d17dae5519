package vtgraph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func entityIDs(nodes []*vtgraph.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.EntityID)
	}
	return out
}

func TestNodeLookup(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	assert.Equal(t, "Root Node", g.Node("www.hooli.com").Text)
	assert.Nil(t, g.Node("nope"))
	g.Node("8.8.8.8").Text = "changed through the pointer"
	assert.Equal(t, "changed through the pointer", g.Nodes[1].Text)
}

func TestNodesByType(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	tests := []struct {
		typ  vtgraph.NodeType
		want []string
	}{
		{vtgraph.NodeTypeIPAddress, []string{"8.8.8.8", "1.1.1.1"}},
		{vtgraph.NodeTypeFile, []string{hooliFile}},
		{vtgraph.NodeTypeRelationship, []string{
			"relationships_resolutions_wwwhoolicom",
			"relationships_communicating_files_8888",
			"relationships_contacted_urls_" + hooliFile,
		}},
		{vtgraph.NodeTypeActor, nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, entityIDs(g.NodesByType(tt.typ)), tt.typ)
	}
}

func TestNeighbours(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	got := g.Neighbours("www.hooli.com")
	assert.Len(t, got, 2)
	assert.Equal(t, "relationships_resolutions_wwwhoolicom", got[0].Node.EntityID)
	assert.True(t, got[0].Outgoing)
	assert.Equal(t, "resolutions", got[0].ConnectionType)
	assert.Equal(t, hooliURL, got[1].Node.EntityID)
	assert.False(t, got[1].Outgoing)
	assert.Equal(t, vtgraph.ConnectionManual, got[1].ConnectionType)
	assert.Empty(t, g.Neighbours("nope"))
}

func TestRelated(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	var got []string
	for _, n := range g.Related("www.hooli.com") {
		got = append(got, n.ConnectionType+" "+n.Node.EntityID)
	}
	assert.Equal(t, []string{"resolutions 8.8.8.8", "resolutions 1.1.1.1"}, got)

	got = nil
	for _, n := range g.Related(hooliURL) {
		got = append(got, n.ConnectionType+" "+n.Node.EntityID)
	}
	assert.Equal(t, []string{"manual www.hooli.com"}, got, "direct links are included")
}

func TestPath(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	g.AddNode("island.example", vtgraph.NodeTypeDomain)
	tests := []struct {
		name, from, to string
		want           []string
	}{
		{"against link direction", "1.1.1.1", hooliFile, []string{
			"1.1.1.1", "relationships_resolutions_wwwhoolicom", "8.8.8.8", "relationships_communicating_files_8888", hooliFile,
		}},
		{"shortest through the manual link", "www.hooli.com", hooliURL, []string{"www.hooli.com", hooliURL}},
		{"to itself", "8.8.8.8", "8.8.8.8", []string{"8.8.8.8"}},
		{"not connected", "8.8.8.8", "island.example", nil},
		{"missing node", "8.8.8.8", "nope", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, entityIDs(g.Path(tt.from, tt.to)))
		})
	}
}
