package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// coEditors is an in-memory server whose clock stands still, so every save
// happens in the same second, with a graph alice owns and bob may edit.
type coEditors struct {
	srv        *vtgraphtest.Server
	alice, bob *Client
	id         string
}

func newCoEditors(t *testing.T) *coEditors {
	t.Helper()
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := vtgraphtest.NewServer(t, vtgraphtest.WithClock(func() time.Time { return now }),
		vtgraphtest.WithMiddleware(contract.ForTest(t).Handler))
	e := &coEditors{srv: srv}
	var err error
	e.alice, err = New(vtgraphtest.AliceKey, WithBaseURL(srv.URL()), WithoutRetries())
	require.NoError(t, err)
	e.bob, err = New(vtgraphtest.BobKey, WithBaseURL(srv.URL()), WithoutRetries())
	require.NoError(t, err)
	e.id, err = e.alice.CreateGraph(t.Context(), builtGraph(t))
	require.NoError(t, err)
	_, err = e.alice.AddEditors(t.Context(), e.id, User("bob"))
	require.NoError(t, err)
	return e
}

// load gets the graph for one editor, with the clone a merge needs.
func (e *coEditors) load(t *testing.T, c *Client) (g, base *Graph) {
	t.Helper()
	g, err := c.GetGraph(t.Context(), e.id, nil)
	require.NoError(t, err)
	return g, g.Clone()
}

// stored is the graph as the server holds it.
func (e *coEditors) stored(t *testing.T) *Graph {
	t.Helper()
	g, err := e.alice.GetGraph(t.Context(), e.id, nil)
	require.NoError(t, err)
	return g
}

// since returns the requests after the first n, as "METHOD path?query".
func (e *coEditors) since(n int) []string {
	var out []string
	for _, r := range e.srv.Requests()[n:] {
		s := r.Method + " " + strings.TrimPrefix(r.Path, "/api/v3")
		if r.RawQuery != "" {
			s += "?" + r.RawQuery
		}
		out = append(out, s)
	}
	return out
}

// addIP adds an address resolved by hooli.com.
func addIP(t *testing.T, g *Graph, ip string) {
	t.Helper()
	g.AddNode(ip, NodeTypeIPAddress)
	require.NoError(t, g.AddLink("hooli.com", ip, "resolutions"))
}

func TestSaveGraphRefusesAConcurrentSave(t *testing.T) {
	t.Parallel()
	e := newCoEditors(t)
	ctx := t.Context()
	mine, base := e.load(t, e.alice)
	theirs, _ := e.load(t, e.bob)

	addIP(t, theirs, "8.8.4.4")
	savedTheirs, err := e.bob.SaveGraph(ctx, theirs)
	require.NoError(t, err)
	require.True(t, savedTheirs.LastModifiedDate.After(mine.LastModifiedDate), "the same second, yet a later date")

	addIP(t, mine, "1.1.1.1")
	before := len(e.srv.Requests())
	_, err = e.alice.SaveGraph(ctx, mine)
	require.ErrorIs(t, err, ErrConflict)
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, e.id, ce.GraphID)
	assert.Equal(t, base.LastModifiedDate, ce.LoadedDate, "the date alice loaded")
	assert.Equal(t, savedTheirs.LastModifiedDate, ce.ServerDate, "the date of bob's save")
	assert.Nil(t, ce.Conflicts)
	assert.Equal(t, []string{"GET /graphs/" + e.id + "?attributes=last_modified_date"}, e.since(before), "nothing written")
	assert.Equal(t, base.LastModifiedDate, mine.LastModifiedDate, "a refused save leaves the graph as it was")

	stored := e.stored(t)
	assert.NotNil(t, stored.Node("8.8.4.4"), "bob's node is still there")
	assert.Nil(t, stored.Node("1.1.1.1"))

	before = len(e.srv.Requests())
	merged, err := e.alice.SaveGraph(ctx, mine, MergeOnConflict(base))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"GET /graphs/" + e.id + "?attributes=last_modified_date",
		"GET /graphs/" + e.id,
		"GET /graphs/" + e.id + "?attributes=last_modified_date",
		"PATCH /graphs/" + e.id,
	}, e.since(before), "check, fetch, merge, check again, write")
	for _, g := range []*Graph{merged, e.stored(t)} {
		assert.NotNil(t, g.Node("8.8.4.4"), "bob's node")
		assert.NotNil(t, g.Node("1.1.1.1"), "alice's node")
		assert.Len(t, g.Related("hooli.com"), 3, "both sides' links through the shared relationship node")
	}
	assert.True(t, merged.LastModifiedDate.After(savedTheirs.LastModifiedDate))
	assert.Equal(t, base.LastModifiedDate, mine.LastModifiedDate, "after a merge, carry on from the returned graph")
}

func TestSaveGraphChecksWithTheLightestRead(t *testing.T) {
	t.Parallel()
	e := newCoEditors(t)
	g, _ := e.load(t, e.alice)
	g.Nodes[0].Text = "root"
	before := len(e.srv.Requests())
	_, err := e.alice.SaveGraph(t.Context(), g)
	require.NoError(t, err)
	assert.Equal(t, []string{"GET /graphs/" + e.id + "?attributes=last_modified_date", "PATCH /graphs/" + e.id}, e.since(before))
	check := e.srv.Requests()[before]
	assert.Empty(t, check.Body, "the check sends no body")
}

func TestSaveGraphTwiceInARow(t *testing.T) {
	t.Parallel()
	e := newCoEditors(t)
	g, _ := e.load(t, e.alice)
	loaded := g.LastModifiedDate
	g.Nodes[0].Text = "first"
	saved, err := e.alice.SaveGraph(t.Context(), g)
	require.NoError(t, err)
	assert.Equal(t, saved.LastModifiedDate, g.LastModifiedDate, "g now stands for the version it saved")
	assert.True(t, g.LastModifiedDate.After(loaded))
	g.Nodes[0].Text = "second"
	_, err = e.alice.SaveGraph(t.Context(), g)
	require.NoError(t, err, "a save is not a conflict with the one before it")
	assert.Equal(t, "second", e.stored(t).Nodes[0].Text)
}

// TestUpdateGraphUnmodifiedSince shows the conditional update: refused,
// with nothing written, once someone saved since; sent when nobody did; and
// a rename reads the date with the graph_data it needs anyway.
func TestUpdateGraphUnmodifiedSince(t *testing.T) {
	t.Parallel()
	e := newCoEditors(t)
	ctx := t.Context()
	mine, _ := e.load(t, e.alice)
	loaded := mine.LastModifiedDate
	addIP(t, mine, "1.1.1.1")
	update := &GraphUpdate{Nodes: mine.Nodes, Links: mine.Links, UnmodifiedSince: loaded}

	before := len(e.srv.Requests())
	updated, err := e.alice.UpdateGraph(ctx, e.id, update)
	require.NoError(t, err, "nobody saved since")
	assert.Equal(t, []string{"GET /graphs/" + e.id + "?attributes=last_modified_date", "PATCH /graphs/" + e.id}, e.since(before))
	assert.NotNil(t, updated.Node("1.1.1.1"))

	// The update moved the date: the same condition is now stale, as it
	// is after bob's rename.
	theirs, _ := e.load(t, e.bob)
	name := "renamed by bob"
	_, err = e.bob.UpdateGraph(ctx, e.id, &GraphUpdate{Description: &name, UnmodifiedSince: theirs.LastModifiedDate})
	require.NoError(t, err)
	assert.Equal(t, "GET /graphs/"+e.id+"?attributes=graph_data%2Clast_modified_date", e.since(len(e.srv.Requests()) - 2)[0],
		"the rename's read checks the date too")

	before = len(e.srv.Requests())
	private := true
	_, err = e.alice.UpdateGraph(ctx, e.id, &GraphUpdate{Private: &private, UnmodifiedSince: updated.LastModifiedDate})
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	assert.ErrorIs(t, err, ErrConflict)
	assert.Equal(t, updated.LastModifiedDate, ce.LoadedDate)
	assert.True(t, ce.ServerDate.After(ce.LoadedDate), "the date of bob's rename")
	assert.Equal(t, []string{"GET /graphs/" + e.id + "?attributes=last_modified_date"}, e.since(before), "nothing written")
	stored := e.stored(t)
	assert.False(t, stored.Private)
	assert.Equal(t, name, stored.Description)
}

func TestSaveGraphOverwrite(t *testing.T) {
	t.Parallel()
	e := newCoEditors(t)
	mine, _ := e.load(t, e.alice)
	theirs, _ := e.load(t, e.bob)
	addIP(t, theirs, "8.8.4.4")
	_, err := e.bob.SaveGraph(t.Context(), theirs)
	require.NoError(t, err)

	before := len(e.srv.Requests())
	mine.Nodes[0].Text = "mine"
	saved, err := e.alice.SaveGraph(t.Context(), mine, Overwrite())
	require.NoError(t, err)
	assert.Equal(t, []string{"PATCH /graphs/" + e.id}, e.since(before), "no check")
	assert.Nil(t, saved.Node("8.8.4.4"), "bob's save is overwritten, as asked")
	assert.Equal(t, saved.LastModifiedDate, mine.LastModifiedDate)
}

func TestSaveGraphNeverLoadedIsNotChecked(t *testing.T) {
	t.Parallel()
	e := newCoEditors(t)
	g := builtGraph(t)
	g.ID = e.id
	before := len(e.srv.Requests())
	_, err := e.alice.SaveGraph(t.Context(), g)
	require.NoError(t, err)
	assert.Equal(t, []string{"PATCH /graphs/" + e.id}, e.since(before))
	assert.False(t, g.LastModifiedDate.IsZero(), "the next save of g is checked")
}

func TestSaveGraphMergeLeavesConflictsToTheCaller(t *testing.T) {
	t.Parallel()
	e := newCoEditors(t)
	ctx := t.Context()
	mine, base := e.load(t, e.alice)
	theirs, _ := e.load(t, e.bob)
	theirs.Node("hooli.com").Text = "sinkhole"
	addIP(t, theirs, "8.8.4.4")
	savedTheirs, err := e.bob.SaveGraph(ctx, theirs)
	require.NoError(t, err)

	mine.Node("hooli.com").Text = "C2"
	addIP(t, mine, "1.1.1.1")
	before := len(e.srv.Requests())
	_, err = e.alice.SaveGraph(ctx, mine, MergeOnConflict(base))
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	require.ErrorIs(t, err, ErrConflict)
	assert.NotContains(t, e.since(before), "PATCH /graphs/"+e.id, "nothing written")
	assert.Equal(t, savedTheirs.LastModifiedDate, ce.ServerDate)
	require.Len(t, ce.Conflicts, 1)
	c := ce.Conflicts[0]
	assert.Equal(t, Conflict{Kind: BothChanged, Resolution: Unresolved, EntityID: "hooli.com", Path: "text",
		Base: []byte(`""`), Local: []byte(`"C2"`), Remote: []byte(`"sinkhole"`)}, c)
	assert.Contains(t, err.Error(), "the merge left 1 unresolved: node hooli.com text: changed on both sides")

	// The merged graph holds everything else; resolve and save it.
	m := ce.Merged
	require.NotNil(t, m)
	assert.NotNil(t, m.Node("8.8.4.4"))
	assert.NotNil(t, m.Node("1.1.1.1"))
	m.Node("hooli.com").Text = "C2, sinkholed"
	saved, err := e.alice.SaveGraph(ctx, m)
	require.NoError(t, err, "the merged graph carries the date of the version it was merged with")
	assert.Equal(t, "C2, sinkholed", saved.Node("hooli.com").Text)
	assert.NotNil(t, saved.Node("8.8.4.4"))
	assert.NotNil(t, saved.Node("1.1.1.1"))
}

// TestSaveGraphMergesABoundedNumberOfTimes saves against a server where
// someone saves again every time the client looks.
func TestSaveGraphMergesABoundedNumberOfTimes(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var checks, fetches, patches atomic.Int32
	mux.HandleFunc("GET /graphs/{id}", func(w http.ResponseWriter, r *http.Request) {
		n := checks.Load()
		if r.URL.Query().Get("attributes") == "last_modified_date" {
			n = checks.Add(1)
		} else {
			fetches.Add(1)
		}
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"data":{"type":"graph","id":%q,"attributes":{"last_modified_date":%d,"nodes":[],"links":[]}}}`,
			r.PathValue("id"), 1_700_000_000+n))
	})
	mux.HandleFunc("PATCH /graphs/{id}", func(w http.ResponseWriter, _ *http.Request) {
		patches.Add(1)
		writeJSON(w, http.StatusOK, `{"data":{"type":"graph"}}`)
	})
	g := loadedGraph(t)
	base := g.Clone()
	g.AddNode("1.1.1.1", NodeTypeIPAddress)
	_, err := c.SaveGraph(t.Context(), g, MergeOnConflict(base))
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Nil(t, ce.Conflicts, "the merges had no conflict; the server kept changing")
	assert.Equal(t, int32(maxMerges+1), checks.Load(), "checks")
	assert.Equal(t, int32(maxMerges), fetches.Load(), "merges")
	assert.Zero(t, patches.Load(), "nothing written")
}

func TestSaveGraphCheckErrors(t *testing.T) {
	t.Parallel()
	t.Run("the check fails", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		handle(mux, "GET /graphs/{id}", http.StatusNotFound, `{"error":{"code":"NotFoundError","message":"Graph not found"}}`)
		patch := handle(mux, "PATCH /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)
		_, err := c.SaveGraph(t.Context(), loadedGraph(t))
		require.ErrorIs(t, err, ErrNotFound)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.MethodGet, apiErr.Method, "the error says which request failed")
		assertSentNothing(t, patch)
	})
	t.Run("the server reports no date", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		handle(mux, "GET /graphs/{id}", http.StatusOK, `{"data":{"type":"graph","id":"`+testGraphID+`","attributes":{}}}`)
		patch := handle(mux, "PATCH /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)
		_, err := c.SaveGraph(t.Context(), loadedGraph(t))
		var ce *ConflictError
		require.ErrorAs(t, err, &ce)
		assert.True(t, ce.ServerDate.IsZero())
		assert.Contains(t, err.Error(), "the server reports no last_modified_date")
		assertSentNothing(t, patch)
	})
	t.Run("a merge needs a base", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		s := catchAll(mux)
		_, err := c.SaveGraph(t.Context(), loadedGraph(t), MergeOnConflict(nil))
		assert.Equal(t, []string{"base"}, paramPaths(t, err))
		_, err = c.SaveGraph(t.Context(), nil, MergeOnConflict(nil))
		assert.Equal(t, []string{"graph", "base"}, paramPaths(t, err), "every problem at once")
		assertSentNothing(t, s)
	})
	t.Run("a merge base must be the graph as loaded", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		s := catchAll(mux)
		g := loadedGraph(t)
		shallow := *g
		stale := g.Clone()
		stale.LastModifiedDate = stale.LastModifiedDate.Add(-time.Hour)
		for name, base := range map[string]*Graph{"itself": g, "a copy sharing its nodes": &shallow, "an older version": stale} {
			_, err := c.SaveGraph(t.Context(), g, MergeOnConflict(base))
			assert.Equal(t, []string{"base"}, paramPaths(t, err), name)
		}
		assertSentNothing(t, s)
	})
	t.Run("a merge that does not validate is not sent", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		var checks atomic.Int32
		mux.HandleFunc("GET /graphs/{id}", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("attributes") != "" {
				checks.Add(1)
			}
			// The server's graph links to a node it does not have.
			writeJSON(w, http.StatusOK, `{"data":{"type":"graph","id":"`+testGraphID+`","attributes":{"last_modified_date":1700000000,`+
				`"nodes":[{"entity_id":"hooli.com","type":"domain"}],"links":[{"source":"hooli.com","target":"gone.example","connection_type":"manual"}]}}}`)
		})
		patch := handle(mux, "PATCH /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)
		g := loadedGraph(t)
		_, err := c.SaveGraph(t.Context(), g, MergeOnConflict(g.Clone()))
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Contains(t, err.Error(), "merging with the server's graph")
		assert.Equal(t, int32(1), checks.Load())
		assertSentNothing(t, patch)
	})
	t.Run("the later option wins", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		s := catchAll(mux)
		patch := handle(mux, "PATCH /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)
		_, err := c.SaveGraph(t.Context(), loadedGraph(t), MergeOnConflict(nil), Overwrite())
		require.NoError(t, err)
		assert.Len(t, patch.requests(), 1)
		assertSentNothing(t, s)
	})
	t.Run("cancelled during the check", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		mux.HandleFunc("GET /graphs/{id}", func(_ http.ResponseWriter, r *http.Request) {
			cancel()
			<-r.Context().Done()
		})
		patch := handle(mux, "PATCH /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)
		_, err := c.SaveGraph(ctx, loadedGraph(t))
		require.ErrorIs(t, err, context.Canceled)
		assertSentNothing(t, patch)
	})
}

func TestConflictError(t *testing.T) {
	t.Parallel()
	e := &ConflictError{
		GraphID:    testGraphID,
		LoadedDate: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC),
		ServerDate: time.Date(2024, 3, 1, 12, 0, 5, 0, time.FixedZone("CET", 3600)),
	}
	assert.Equal(t, "vtgraph: graph "+testGraphID+": changed on the server since it was loaded "+
		"(saved at 2024-03-01T11:00:05Z, loaded version of 2024-03-01T12:00:00Z); nothing was saved", e.Error())
	var err error = fmt.Errorf("saving: %w", e)
	assert.ErrorIs(t, err, ErrConflict)
	assert.False(t, errors.Is(err, ErrAlreadyExists), "not the API's 409")
	assert.False(t, errors.Is(&APIError{StatusCode: http.StatusConflict}, ErrConflict), "nor the other way round")

	e.Conflicts = []Conflict{
		{Kind: BothMoved, Resolution: LocalWins, EntityID: "a"},
		{Kind: BothChanged, Resolution: Unresolved, EntityID: "b", Path: "text", Base: []byte(`""`), Local: []byte(`"x"`), Remote: []byte(`"y"`)},
		{Kind: RemovedChanged, Resolution: Unresolved, EntityID: "c", Remote: []byte(`{}`)},
	}
	assert.True(t, strings.HasSuffix(e.Error(), `; nothing was saved; the merge left 2 unresolved: `+
		`node b text: changed on both sides (base "", local "x", remote "y"); unresolved and 1 more`), e.Error())
}
