package vtgraphtest_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

const preloadID = "g0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// preloaded is a graph object as GET /graphs/{id} returns it, with a
// position attribute the server does not model and exact coordinates.
const preloaded = `{"type":"graph","id":"` + preloadID + `","attributes":{
	"graph_data":{"description":"Saved investigation","version":"5.0.0"},
	"private":true,"creation_date":1599060646,"last_modified_date":1599117623,
	"views_count":99,"comments_count":7,"position":{"x":0.1234567890123,"y":2},
	"nodes":[{"entity_id":"hooli.example","type":"domain","x":10.5,"y":-3}],"links":[]}}`

func TestAddGraph(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t)
	id, err := srv.AddGraph("alice", []byte(preloaded))
	require.NoError(t, err)
	assert.Equal(t, preloadID, id, "the id is kept")

	alice, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	g, err := alice.GetGraph(context.Background(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, "Saved investigation", g.Description)
	assert.True(t, g.Private)
	assert.Equal(t, int64(1599060646), g.CreationDate.Unix())
	assert.Equal(t, int64(1599117623), g.LastModifiedDate.Unix())
	assert.Equal(t, int64(1), g.ViewsCount, "server-owned counts start afresh; this GET is the first view")
	assert.Zero(t, g.CommentsCount)
	assert.JSONEq(t, `{"x":0.1234567890123,"y":2}`, string(g.Extra["position"]))
	assert.Equal(t, "alice", ownerOf(t, srv, id))

	// Private to alice: carol gets the 404 of a graph that does not exist.
	carol, err := vtgraph.New(vtgraphtest.CarolKey, vtgraph.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	_, err = carol.GetGraph(context.Background(), id, nil)
	assert.ErrorIs(t, err, vtgraph.ErrNotFound)

	// Without an id the server gives one.
	other, err := srv.AddGraph("bob", []byte(`{"attributes":{"graph_data":{"description":"Bob's"}}}`))
	require.NoError(t, err)
	assert.True(t, vtgraph.ValidGraphID(other), other)
	assert.NotEqual(t, id, other)
	page, err := alice.SearchGraphs(context.Background(), &vtgraph.SearchOptions{Filter: vtgraph.FilterOwner("bob")})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "a preloaded graph is searchable")
	assert.Equal(t, other, page.Items[0].ID)
}

// ownerOf reads the owner relationship of a graph through the API.
func ownerOf(t *testing.T, srv *vtgraphtest.Server, id string) string {
	t.Helper()
	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	owner, err := c.GetOwner(context.Background(), id)
	require.NoError(t, err)
	return owner.ID
}

func TestAddGraphRejects(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t)
	_, err := srv.AddGraph("alice", []byte(preloaded))
	require.NoError(t, err)
	for _, tc := range []struct {
		name, owner, object, err string
	}{
		{"unknown owner", "mallory", `{"attributes":{}}`, `unknown user "mallory"`},
		{"a group as owner", vtgraphtest.DefaultGroup, `{"attributes":{}}`, `unknown user "threat-intel"`},
		{"taken id", "bob", preloaded, "graph " + preloadID + " already exists"},
		{"bad id", "alice", `{"id":"g123","attributes":{}}`, `"g123" is not a graph id`},
		{"not a graph", "alice", `{"type":"comment","attributes":{}}`, `type must be "graph", got "comment"`},
		{"no attributes", "alice", `{"type":"graph"}`, "no attributes"},
		{"not JSON", "alice", `{"type":`, "unexpected end of JSON input"},
		{"node without id", "alice", `{"attributes":{"nodes":[{"type":"file"}]}}`, "nodes[0].entity_id: empty"},
	} {
		_, err := srv.AddGraph(tc.owner, json.RawMessage(tc.object))
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.err, tc.name)
	}
}
