package vtgraphtest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

func TestSearchPagination(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for i := range 45 {
		create(t, f.alice, named(fmt.Sprintf("graph %02d", i), false))
	}

	seen := map[string]bool{}
	var sizes []int
	var cursor *string
	for {
		resp, err := f.alice.GraphsWithResponse(t.Context(), &vtapi.GraphsParams{Limit: ptr(int32(10)), Cursor: cursor, Order: ptr("name")})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
		page := resp.JSON200
		sizes = append(sizes, len(page.Data))
		for _, g := range page.Data {
			assert.False(t, seen[*g.Id], "graph served twice")
			seen[*g.Id] = true
		}
		require.NotNil(t, page.Links.Self)
		assert.Equal(t, int64(45), *page.Meta.Count)
		if page.Meta.Cursor == nil {
			assert.Nil(t, page.Links.Next, "no next link on the last page")
			break
		}
		next, err := url.Parse(*page.Links.Next)
		require.NoError(t, err)
		assert.Equal(t, *page.Meta.Cursor, next.Query().Get("cursor"))
		assert.Equal(t, "10", next.Query().Get("limit"), "the next link keeps the query")
		cursor = page.Meta.Cursor
	}
	assert.Equal(t, []int{10, 10, 10, 10, 5}, sizes)
	assert.Len(t, seen, 45)

	t.Run("limit capped at 40", func(t *testing.T) {
		t.Parallel()
		resp, err := f.alice.GraphsWithResponse(t.Context(), &vtapi.GraphsParams{Limit: ptr(int32(1000))})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
		assert.Len(t, resp.JSON200.Data, 40)
		assert.NotNil(t, resp.JSON200.Meta.Cursor)
	})
	t.Run("default limit", func(t *testing.T) {
		t.Parallel()
		resp, err := f.alice.GraphsWithResponse(t.Context(), nil)
		require.NoError(t, err)
		assert.Len(t, resp.JSON200.Data, 10)
	})
	t.Run("bad limit and cursor", func(t *testing.T) {
		t.Parallel()
		for _, p := range []vtapi.GraphsParams{{Limit: ptr(int32(0))}, {Cursor: ptr("%%%")}, {Cursor: ptr("bm90IGpzb24")}} {
			resp, err := f.alice.GraphsWithResponse(t.Context(), &p)
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode())
			assert.Equal(t, "InvalidArgumentError", errorCode(t, resp.Body))
		}
	})
}

// Cursors point after the last item served, so a graph created between two
// pages neither repeats an item nor skips one.
func TestPaginationStableUnderInserts(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for i := range 6 {
		create(t, f.alice, named(fmt.Sprintf("g%d", i), false))
	}
	first, err := f.alice.GraphsWithResponse(t.Context(), &vtapi.GraphsParams{Limit: ptr(int32(3))})
	require.NoError(t, err)
	create(t, f.alice, named("newcomer", false))
	second, err := f.alice.GraphsWithResponse(t.Context(), &vtapi.GraphsParams{Limit: ptr(int32(3)), Cursor: first.JSON200.Meta.Cursor})
	require.NoError(t, err)

	var names []string
	for _, page := range []*vtapi.GraphListResponse{first.JSON200, second.JSON200} {
		for _, g := range page.Data {
			names = append(names, *g.Attributes.GraphData.Description)
		}
	}
	assert.Equal(t, []string{"g5", "g4", "g3", "g2", "g1", "g0"}, names)
	assert.Nil(t, second.JSON200.Meta.Cursor)
}

func TestListLimits(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, named("limits", false))
	for _, limit := range []int32{0, 41} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			cm, err := f.alice.GetGraphCommentsWithResponse(ctx, id, &vtapi.GetGraphCommentsParams{Limit: &limit})
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadRequest, cm.StatusCode())
			assert.Equal(t, "InvalidArgumentError", errorCode(t, cm.Body))
			v, err := f.alice.GraphsViewersWithResponse(ctx, id, &vtapi.GraphsViewersParams{Limit: &limit})
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadRequest, v.StatusCode())
			r, err := f.alice.GraphsRelationshipsWithResponse(ctx, id, "items", &vtapi.GraphsRelationshipsParams{Limit: &limit})
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadRequest, r.StatusCode())
		})
	}
	t.Run("not a number", func(t *testing.T) {
		t.Parallel()
		resp, err := f.alice.GraphsWithResponse(t.Context(), nil, func(_ context.Context, r *http.Request) error {
			r.URL.RawQuery = "limit=ten"
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode())
		assert.Equal(t, "InvalidArgumentError", errorCode(t, resp.Body))
	})
}
