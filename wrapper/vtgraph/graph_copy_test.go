package vtgraph

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestCreateGraphOnce(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := catchAll(mux)
	for _, g := range []*Graph{loadedGraph(t), {ID: "not even an id"}} {
		id, err := c.CreateGraph(t.Context(), g)
		assert.Equal(t, []string{"id"}, paramPaths(t, err))
		assert.Contains(t, err.Error(), "the graph was created already")
		assert.Empty(t, id)
	}
	assertSentNothing(t, s)
}

// TestCreateGraphTwice calls CreateGraph twice on the same value: the
// second call is refused instead of making a second graph.
func TestCreateGraphTwice(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := handle(mux, "POST /graphs", http.StatusOK, `{"data":{"type":"graph","id":"`+testGraphID+`"}}`)
	g := builtGraph(t)
	_, err := c.CreateGraph(t.Context(), g)
	require.NoError(t, err)
	_, err = c.CreateGraph(t.Context(), g)
	assert.Equal(t, []string{"id"}, paramPaths(t, err))
	assert.Len(t, s.requests(), 1)
}

func TestCopy(t *testing.T) {
	t.Parallel()
	g := loadedGraph(t)
	g.Nodes[0].Pin(1, 2)
	g.Nodes[0].Attributes = EntityAttributes{"has_detections": json.RawMessage(`3`)}
	g.Links[0].Extra = map[string]json.RawMessage{"color": json.RawMessage(`"red"`)}
	c := g.Copy("Hooli, copied")
	assert.Empty(t, c.ID)
	assert.Equal(t, "Hooli, copied", c.Description)
	assert.Equal(t, g.Version, c.Version)
	assert.Equal(t, g.Private, c.Private)
	assert.Zero(t, c.ViewsCount)
	assert.Zero(t, c.CommentsCount)
	assert.True(t, c.CreationDate.IsZero())
	assert.Empty(t, c.ObjectExtra, "links.self names the original")

	attrs, err := c.AttributesJSON()
	require.NoError(t, err)
	// The repeated indexes are renumbered, as on every save.
	assert.JSONEq(t, `{"graph_data":{"description":"Hooli, copied","version":"2","theme":"dark"},`+
		`"links":[{"color":"red","connection_type":"manual","source":"hooli.com","target":"8.8.8.8"}],`+
		`"nodes":[{"entity_attributes":{"has_detections":3},"entity_id":"hooli.com","fx":1,"fy":2,"index":0,"type":"domain","x":1,"y":2},`+
		`{"entity_id":"8.8.8.8","index":1,"type":"ip_address","x":3,"y":4}],`+
		`"position":{"scale":"1","x":897},"private":true}`, string(attrs))

	// Nothing is shared.
	*c.Nodes[0].FX = 9
	c.Nodes[0].Attributes["has_detections"][0] = '4'
	c.Links[0].Extra["color"] = json.RawMessage(`"blue"`)
	c.Extra["position"][1] = ' '
	c.AddNode("new.example", NodeTypeDomain)
	assert.Equal(t, 1.0, *g.Nodes[0].FX)
	assert.Equal(t, `3`, string(g.Nodes[0].Attributes["has_detections"]))
	assert.Equal(t, `"red"`, string(g.Links[0].Extra["color"]))
	assert.JSONEq(t, `{"scale":"1","x":897}`, string(g.Extra["position"]))
	assert.Len(t, g.Nodes, 2)
	assert.Nil(t, g.Node("new.example"))

	empty := (&Graph{}).Copy("empty")
	assert.Nil(t, empty.Nodes, "no nodes stay no nodes")
	assert.Nil(t, empty.Links)
}

func TestCopyGraph(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t, vtgraphtest.WithMiddleware(contract.ForTest(t).Handler))
	alice, err := New(vtgraphtest.AliceKey, WithBaseURL(srv.URL()), WithoutRetries())
	require.NoError(t, err)
	bob, err := New(vtgraphtest.BobKey, WithBaseURL(srv.URL()), WithoutRetries())
	require.NoError(t, err)
	g := builtGraph(t)
	g.Version = "5.0.0"
	id, err := alice.CreateGraph(t.Context(), g)
	require.NoError(t, err)

	copied, err := bob.CopyGraph(t.Context(), id, "Bob's copy")
	require.NoError(t, err)
	require.True(t, ValidGraphID(copied.ID))
	assert.NotEqual(t, id, copied.ID)
	got, err := bob.GetGraph(t.Context(), copied.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "Bob's copy", got.Description)
	assert.Equal(t, "5.0.0", got.Version)
	assert.Equal(t, entityIDs(g.Nodes), entityIDs(got.Nodes))
	orig, err := alice.GetGraph(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, "demo", orig.Description, "the original stays")
	require.ErrorIs(t, alice.DeleteGraph(t.Context(), copied.ID), ErrForbidden, "bob owns the copy")
	require.NoError(t, bob.DeleteGraph(t.Context(), copied.ID))

	_, err = bob.CopyGraph(t.Context(), graphIDFor(99), "nothing")
	require.ErrorIs(t, err, ErrNotFound)
}

func entityIDs(nodes []Node) []string {
	out := make([]string, len(nodes))
	for i := range nodes {
		out[i] = nodes[i].EntityID
	}
	return out
}
