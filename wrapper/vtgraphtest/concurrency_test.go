package vtgraphtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// TestConcurrentUse runs writers, readers and ACL changes at once and checks
// that no write is lost. Run it with -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	f := setup(t)
	hub := create(t, f.alice, named("hub", false))
	const workers = 60
	users := []*vtapi.ClientWithResponses{f.alice, f.bob, f.carol}

	var wg sync.WaitGroup
	ids := make([]string, workers)
	for i := range workers {
		wg.Go(func() {
			c := users[i%len(users)]
			ctx := t.Context()
			resp, err := c.CreateGraphsWithBodyWithResponse(ctx, "application/json",
				strings.NewReader(`{"data":{"type":"graph","attributes":`+named(fmt.Sprintf("w%d", i), i%2 == 0)+`}}`))
			if !assert.NoError(t, err) || !assert.Equal(t, http.StatusOK, resp.StatusCode()) {
				return
			}
			id := resp.JSON200.Data.Id
			ids[i] = id
			upd, err := c.GraphsUpdateWithBodyWithResponse(ctx, id, "application/json",
				strings.NewReader(fmt.Sprintf(`{"data":{"type":"graph","attributes":{"worker":%d}}}`, i)))
			if assert.NoError(t, err) {
				assert.Equal(t, http.StatusOK, upd.StatusCode())
			}
			cm, err := c.PostGraphsCommentsWithResponse(ctx, hub, comment(fmt.Sprintf("from %d", i)))
			if assert.NoError(t, err) {
				assert.Equal(t, http.StatusOK, cm.StatusCode())
			}
			_, err = c.GraphsInfoWithResponse(ctx, hub, nil)
			assert.NoError(t, err)
			_, err = c.GraphsWithResponse(ctx, &vtapi.GraphsParams{Filter: ptr("name:w"), Limit: ptr(int32(40))})
			assert.NoError(t, err)
			_, err = c.GraphsAddViewerWithResponse(ctx, id, vtapi.PrincipalListRequest{Data: []vtapi.PrincipalDescriptor{userRef("alice")}})
			assert.NoError(t, err)
		})
	}
	wg.Wait()

	g, ok := f.srv.Graph(hub)
	require.True(t, ok)
	assert.Equal(t, int64(workers), *g.Attributes.CommentsCount)
	assert.Equal(t, int64(workers), *g.Attributes.ViewsCount)

	seen := map[string]bool{}
	for i, id := range ids {
		require.NotEmpty(t, id)
		assert.False(t, seen[id], "ids are unique")
		seen[id] = true
		g, ok := f.srv.Graph(id)
		require.True(t, ok)
		assert.Equal(t, float64(i), g.Attributes.AdditionalProperties["worker"])
		assert.Equal(t, fmt.Sprintf("w%d", i), *g.Attributes.GraphData.Description)
	}

	// Every graph is now shared with alice, so she finds them all.
	resp, err := f.alice.GraphsWithResponse(t.Context(), &vtapi.GraphsParams{Filter: ptr("name:w")})
	require.NoError(t, err)
	assert.Equal(t, int64(workers), *resp.JSON200.Meta.Count)
	assert.Len(t, f.srv.Requests(), 1+workers*6+1)
}
