package vtgraph_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// TestConcurrentClient has 100 goroutines share one client against the
// in-memory server, each creating, updating, commenting on and sharing its
// own graph, commenting on a shared one and searching, then checks through
// the client that every write arrived. Run it with -race.
func TestConcurrentClient(t *testing.T) {
	t.Parallel()
	const workers = 100
	srv := vtgraphtest.NewServer(t)
	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries())
	require.NoError(t, err)
	ctx := t.Context()
	hub, err := c.CreateGraph(ctx, vtgraph.NewGraph("hub"))
	require.NoError(t, err)

	ids := make([]string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			g := vtgraph.NewGraph(fmt.Sprintf("worker %d", i))
			g.AddNode(fmt.Sprintf("host%d.example", i), vtgraph.NodeTypeDomain)
			g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
			if !assert.NoError(t, g.AddLink(fmt.Sprintf("host%d.example", i), "8.8.8.8", "resolutions")) {
				return
			}
			id, err := c.CreateGraph(ctx, g)
			if !assert.NoError(t, err) {
				return
			}
			ids[i] = id
			description := fmt.Sprintf("worker %d, updated", i)
			private := i%2 == 0
			_, err = c.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Description: &description, Private: &private})
			assert.NoError(t, err)
			_, err = c.AddComment(ctx, id, fmt.Sprintf("own comment %d #w%d", i, i))
			assert.NoError(t, err)
			_, err = c.AddComment(ctx, hub, fmt.Sprintf("hub comment %d", i))
			assert.NoError(t, err)
			_, err = c.AddViewers(ctx, id, vtgraph.User("bob"))
			assert.NoError(t, err)
			_, err = c.SearchGraphs(ctx, &vtgraph.SearchOptions{Filter: vtgraph.FilterText("worker"), ListOptions: vtgraph.ListOptions{Limit: 10}})
			assert.NoError(t, err)
			_, err = c.GetGraph(ctx, hub, nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	require.False(t, t.Failed(), "a concurrent call failed")

	seen := map[string]bool{}
	for i, id := range ids {
		require.True(t, vtgraph.ValidGraphID(id), "worker %d's id %q", i, id)
		require.False(t, seen[id], "id %s handed out twice", id)
		seen[id] = true

		g, err := c.GetGraph(ctx, id, nil)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("worker %d, updated", i), g.Description)
		assert.Equal(t, i%2 == 0, g.Private)
		assert.Len(t, g.Nodes, 3)
		assert.EqualValues(t, 1, g.CommentsCount)

		comments, err := c.ListComments(ctx, id, nil)
		require.NoError(t, err)
		if assert.Len(t, comments.Items, 1) {
			assert.Equal(t, fmt.Sprintf("own comment %d #w%d", i, i), comments.Items[0].Text)
		}
		isViewer, err := c.IsViewer(ctx, id, vtgraph.User("bob"))
		require.NoError(t, err)
		assert.True(t, isViewer, "bob was granted worker %d's graph", i)
	}

	var hubComments []string
	for cm, err := range c.ListCommentsIter(ctx, hub, &vtgraph.ListOptions{Limit: 40}, nil) {
		require.NoError(t, err)
		hubComments = append(hubComments, cm.Text)
	}
	assert.Len(t, hubComments, workers, "comments on the shared graph")
	for i := range workers {
		assert.Contains(t, hubComments, fmt.Sprintf("hub comment %d", i))
	}

	found := 0
	for g, err := range c.SearchGraphsIter(ctx, &vtgraph.SearchOptions{Filter: vtgraph.FilterText("worker"), ListOptions: vtgraph.ListOptions{Limit: 40}}, nil) {
		require.NoError(t, err)
		if strings.HasPrefix(g.Description, "worker ") {
			found++
		}
	}
	assert.Equal(t, workers, found, "graphs the search finds")

	// Every call went out exactly once: no retry, no duplicate.
	posts := 0
	reqs := srv.Requests()
	t.Logf("%d goroutines, %d requests in all, no write lost", workers, len(reqs))
	for _, r := range reqs {
		if r.Method == "POST" && r.Path == "/api/v3/graphs" {
			posts++
		}
	}
	assert.Equal(t, workers+1, posts, "graphs created")
}
