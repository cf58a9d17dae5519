package vtgraph

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// graphJSON is a graph object as the API returns it, with read-only
// attributes, a graph_data extra, an unmodelled attribute and a repeated
// node index.
const graphJSON = `{"type":"graph","id":"` + testGraphID + `","attributes":{` +
	`"comments_count":2,"creation_date":1530006951,` +
	`"graph_data":{"description":"Hooli","version":"2","theme":"dark"},` +
	`"last_modified_date":1530007000,` +
	`"links":[{"connection_type":"manual","source":"hooli.com","target":"8.8.8.8"}],` +
	`"nodes":[{"entity_id":"hooli.com","index":1,"type":"domain","x":1,"y":2},{"entity_id":"8.8.8.8","index":1,"type":"ip_address","x":3,"y":4}],` +
	`"position":{"scale":"1","x":897},"private":true,"views_count":7},` +
	`"links":{"self":"https://www.virustotal.com/api/v3/graphs/` + testGraphID + `"}}`

// builtGraph returns a graph made with the builder: a domain resolving to an
// IP address through a relationship node.
func builtGraph(t *testing.T) *Graph {
	t.Helper()
	g := NewGraph("demo")
	g.AddNode("hooli.com", NodeTypeDomain)
	g.AddNode("8.8.8.8", NodeTypeIPAddress)
	require.NoError(t, g.AddLink("hooli.com", "8.8.8.8", "resolutions"))
	return g
}

// builtGraphAttributes is the attributes object of builtGraph.
const builtGraphAttributes = `{"graph_data":{"description":"demo"},` +
	`"links":[{"connection_type":"resolutions","source":"hooli.com","target":"relationships_resolutions_hoolicom"},` +
	`{"connection_type":"resolutions","source":"relationships_resolutions_hoolicom","target":"8.8.8.8"}],` +
	`"nodes":[{"entity_attributes":{},"entity_id":"hooli.com","index":0,"text":"","type":"domain","x":0,"y":0},` +
	`{"entity_attributes":{},"entity_id":"8.8.8.8","index":1,"text":"","type":"ip_address","x":120,"y":0},` +
	`{"entity_attributes":{},"entity_id":"relationships_resolutions_hoolicom","index":2,"text":"","type":"relationship","x":60,"y":0}],` +
	`"private":false}`

func loadedGraph(t *testing.T) *Graph {
	t.Helper()
	var g Graph
	require.NoError(t, json.Unmarshal([]byte(graphJSON), &g))
	return &g
}

func checkLoadedGraph(t *testing.T, result any) {
	t.Helper()
	g, ok := result.(*Graph)
	require.True(t, ok, "result is %T", result)
	assert.Equal(t, testGraphID, g.ID)
	assert.Equal(t, "Hooli", g.Description)
	assert.Equal(t, "2", g.Version)
	assert.True(t, g.Private)
	assert.Len(t, g.Nodes, 2)
	assert.Len(t, g.Links, 1)
	assert.JSONEq(t, `{"scale":"1","x":897}`, string(g.Extra["position"]))
	assert.Equal(t, int64(7), g.ViewsCount)
}

func ptr[T any](v T) *T { return &v }

var graphCases = []opCase{
	{
		name:    "SearchGraphs",
		pattern: "GET /graphs",
		resp:    `{"data":[` + graphJSON + `],"meta":{"cursor":"c2","count":3},"links":{"self":"x","next":"https://www.virustotal.com/api/v3/graphs?cursor=c2"}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.SearchGraphs(ctx, &SearchOptions{
				Filter:      FilterAnd(FilterOwner("alice"), FilterCommentsCount(10, CmpGreater)),
				Order:       OrderName.Desc(),
				Attributes:  []string{"private", "graph_data"},
				ListOptions: ListOptions{Limit: 5, Cursor: "c1"},
			})
		},
		method: http.MethodGet,
		path:   apiPath("/graphs"),
		query: url.Values{
			"filter":     {"owner:alice comments_count:10+"},
			"order":      {"name-"},
			"attributes": {"private,graph_data"},
			"limit":      {"5"},
			"cursor":     {"c1"},
		},
		check: func(t *testing.T, result any) {
			page := result.(*Page[*Graph])
			require.Len(t, page.Items, 1)
			checkLoadedGraph(t, page.Items[0])
			assert.Equal(t, "c2", page.NextCursor)
			require.NotNil(t, page.Meta.Count)
			assert.Equal(t, 3, *page.Meta.Count)
		},
	},
	{
		name:    "GetGraph",
		pattern: "GET /graphs/{id}",
		resp:    `{"data":` + graphJSON + `}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetGraph(ctx, testGraphID, &GetGraphOptions{Attributes: []string{"graph_data", "nodes"}})
		},
		method: http.MethodGet,
		path:   apiPath("/graphs/" + testGraphID),
		query:  url.Values{"attributes": {"graph_data,nodes"}},
		check:  checkLoadedGraph,
	},
	{
		name:    "CreateGraph",
		pattern: "POST /graphs",
		resp:    `{"data":{"type":"graph","id":"` + testGraphID + `"}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			g := NewGraph("demo")
			g.AddNode("hooli.com", NodeTypeDomain)
			g.AddNode("8.8.8.8", NodeTypeIPAddress)
			if err := g.AddLink("hooli.com", "8.8.8.8", "resolutions"); err != nil {
				return nil, err
			}
			id, err := c.CreateGraph(ctx, g)
			return [2]string{id, g.ID}, err
		},
		method: http.MethodPost,
		path:   apiPath("/graphs"),
		body:   `{"data":{"type":"graph","attributes":` + builtGraphAttributes + `}}`,
		check: func(t *testing.T, result any) {
			assert.Equal(t, [2]string{testGraphID, testGraphID}, result, "the returned id and g.ID")
		},
	},
	{
		name:    "UpdateGraph",
		pattern: "PATCH /graphs/{id}",
		resp:    `{"data":` + graphJSON + `}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.UpdateGraph(ctx, testGraphID, &GraphUpdate{Private: ptr(true)})
		},
		method: http.MethodPatch,
		path:   apiPath("/graphs/" + testGraphID),
		body:   `{"data":{"type":"graph","id":"` + testGraphID + `","attributes":{"private":true}}}`,
		check:  checkLoadedGraph,
	},
	{
		name:    "SaveGraph",
		pattern: "PATCH /graphs/{id}",
		resp:    `{"data":` + graphJSON + `}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			var g Graph
			if err := json.Unmarshal([]byte(graphJSON), &g); err != nil {
				return nil, err
			}
			// Overwrite leaves the PATCH alone on the wire; the check
			// before it is tested in save_conflict_test.go.
			return c.SaveGraph(ctx, &g, Overwrite())
		},
		method: http.MethodPatch,
		path:   apiPath("/graphs/" + testGraphID),
		// Everything but the read-only attributes, with the indexes renumbered.
		body: `{"data":{"type":"graph","id":"` + testGraphID + `","attributes":{` +
			`"graph_data":{"description":"Hooli","version":"2","theme":"dark"},` +
			`"links":[{"connection_type":"manual","source":"hooli.com","target":"8.8.8.8"}],` +
			`"nodes":[{"entity_id":"hooli.com","index":0,"type":"domain","x":1,"y":2},{"entity_id":"8.8.8.8","index":1,"type":"ip_address","x":3,"y":4}],` +
			`"private":true,"position":{"scale":"1","x":897}}}}`,
		check: checkLoadedGraph,
	},
	{
		name:    "DeleteGraph",
		pattern: "DELETE /graphs/{id}",
		resp:    `{"data":null}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return nil, c.DeleteGraph(ctx, testGraphID)
		},
		method: http.MethodDelete,
		path:   apiPath("/graphs/" + testGraphID),
	},
}

func TestGraphOperations(t *testing.T) {
	t.Parallel()
	runHappyPaths(t, graphCases)
}

func TestGraphOperationsNotFound(t *testing.T) {
	t.Parallel()
	runErrorPaths(t, graphCases)
}

func TestGraphOperationsCancelled(t *testing.T) {
	t.Parallel()
	runCancellation(t, graphCases)
}

func TestGraphOperationsUndecodableBody(t *testing.T) {
	t.Parallel()
	var decoding []opCase
	for _, tc := range graphCases {
		if tc.name != "DeleteGraph" { // its body is not read
			decoding = append(decoding, tc)
		}
	}
	runDecodeErrors(t, decoding)
}

func TestSearchGraphsDefaults(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := handle(mux, "GET /graphs", http.StatusOK, `{"data":[]}`)
	page, err := c.SearchGraphs(t.Context(), nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.False(t, page.HasMore())
	assertRequest(t, s.only(t), http.MethodGet, apiPath("/graphs"), nil, "")
}

func TestSearchGraphsRejectsBadOptions(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := catchAll(mux)
	_, err := c.SearchGraphs(t.Context(), &SearchOptions{
		Order:       Order{Field: "colour"},
		Attributes:  []string{"a,b"},
		ListOptions: ListOptions{Limit: 41},
	})
	assert.Equal(t, []string{"order", "attributes[0]", "limit"}, paramPaths(t, err))
	assertSentNothing(t, s)
}

func TestSearchGraphsIterWalksAllPages(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	// Three pages of two graphs; the cursor names the next page.
	s := handleFunc(mux, "GET /graphs", func(w http.ResponseWriter, r *http.Request) {
		page := 0
		if cur := r.URL.Query().Get("cursor"); cur != "" {
			page, _ = strconv.Atoi(cur[len("p"):])
		}
		var items []string
		for i := range 2 {
			id := graphIDFor(page*2 + i)
			items = append(items, `{"type":"graph","id":"`+id+`","attributes":{"private":false}}`)
		}
		next := ""
		if page < 2 {
			next = `,"meta":{"cursor":"p` + strconv.Itoa(page+1) + `"}`
		}
		writeJSON(w, http.StatusOK, `{"data":[`+items[0]+`,`+items[1]+`]`+next+`}`)
	})
	opts := &SearchOptions{Filter: FilterPrivate(false), ListOptions: ListOptions{Limit: 2}}
	var ids []string
	for g, err := range c.SearchGraphsIter(t.Context(), opts, nil) {
		require.NoError(t, err)
		ids = append(ids, g.ID)
	}
	want := make([]string, 6)
	for i := range want {
		want[i] = graphIDFor(i)
	}
	assert.Equal(t, want, ids)

	reqs := s.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		q := url.Values{"filter": {"private:false"}, "limit": {"2"}}
		if i > 0 {
			q.Set("cursor", "p"+strconv.Itoa(i))
		}
		assertRequest(t, r, http.MethodGet, apiPath("/graphs"), q, "")
	}
	assert.Empty(t, opts.Cursor, "the caller's options are not changed")
}

// graphIDFor returns a distinct valid graph id for n.
func graphIDFor(n int) string {
	id := []byte(testGraphID)
	id[len(id)-1] = "0123456789abcdef"[n%16]
	return string(id)
}

func TestGetGraphRejectsBadInput(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := catchAll(mux)
	_, err := c.GetGraph(t.Context(), "G1", &GetGraphOptions{Attributes: []string{""}})
	assert.Equal(t, []string{"id", "attributes[0]"}, paramPaths(t, err))
	for _, id := range []string{"", "../graphs", testGraphID + "/comments", "g" + testGraphID[1:64] + "G"} {
		_, err := c.GetGraph(t.Context(), id, nil)
		assert.Equal(t, []string{"id"}, paramPaths(t, err), "id %q", id)
	}
	assertSentNothing(t, s)
}

func TestCreateGraphValidatesFirst(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := catchAll(mux)

	_, err := c.CreateGraph(t.Context(), nil)
	assert.Equal(t, []string{"graph"}, paramPaths(t, err))

	g := NewGraph("broken")
	g.AddNode("hooli.com", NodeTypeDomain)
	g.Links = append(g.Links, Link{Source: "hooli.com", Target: "nowhere", ConnectionType: "manual"})
	g.Nodes = append(g.Nodes, Node{EntityID: "", Type: NodeTypeFile})
	id, err := c.CreateGraph(t.Context(), g)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 2, "every problem is reported: %v", err)
	assert.Empty(t, id)
	assert.Empty(t, g.ID)
	assertSentNothing(t, s)
}

func TestCreateGraphWithoutIDInResponse(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	handle(mux, "POST /graphs", http.StatusOK, `{"data":{"type":"graph"}}`)
	g := builtGraph(t)
	_, err := c.CreateGraph(t.Context(), g)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Empty(t, g.ID)
}

// TestCreateGraphDropsReadOnlyAttributes copies a loaded graph: its counts
// and dates belong to the original and are not sent.
func TestCreateGraphDropsReadOnlyAttributes(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := handle(mux, "POST /graphs", http.StatusOK, `{"data":{"type":"graph","id":"`+graphIDFor(1)+`"}}`)
	g := loadedGraph(t)
	// CreateGraph makes no second graph of one it loaded.
	g.ID = ""
	g.Extra["views_count"] = json.RawMessage("null") // as a null would be kept
	id, err := c.CreateGraph(t.Context(), g)
	require.NoError(t, err)
	assert.Equal(t, graphIDFor(1), id)
	var body struct {
		Data struct {
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.only(t).Body), &body))
	for _, k := range readOnlyAttributes {
		assert.NotContains(t, body.Data.Attributes, k)
	}
	assert.Contains(t, body.Data.Attributes, "position")
}

func TestUpdateGraphSendsOnlyWhatIsSet(t *testing.T) {
	t.Parallel()
	prefix := `{"data":{"type":"graph","id":"` + testGraphID + `","attributes":`
	tests := []struct {
		name   string
		update GraphUpdate
		attrs  string
	}{
		{"private alone", GraphUpdate{Private: ptr(true)}, `{"private":true}`},
		{"public", GraphUpdate{Private: ptr(false)}, `{"private":false}`},
		{"extra attributes", GraphUpdate{Extra: map[string]json.RawMessage{
			"position":   json.RawMessage(`{"x": 1}`),
			"graph_data": json.RawMessage(`{"description":"d","version":"3"}`),
		}}, `{"graph_data":{"description":"d","version":"3"},"position":{"x":1}}`},
		{"nodes and links", GraphUpdate{
			Nodes: []Node{{EntityID: "b.com", Type: NodeTypeDomain, Index: 5}, {EntityID: "a.com", Type: NodeTypeDomain, Index: 5}},
			Links: []Link{{Source: "a.com", Target: "b.com", ConnectionType: ConnectionManual}},
		}, `{"links":[{"connection_type":"manual","source":"a.com","target":"b.com"}],` +
			`"nodes":[{"entity_attributes":{},"entity_id":"b.com","index":0,"text":"","type":"domain","x":0,"y":0},` +
			`{"entity_attributes":{},"entity_id":"a.com","index":1,"text":"","type":"domain","x":0,"y":0}]}`},
		{"clear nodes and links", GraphUpdate{Nodes: []Node{}, Links: []Link{}}, `{"links":[],"nodes":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			s := handle(mux, "PATCH /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)
			_, err := c.UpdateGraph(t.Context(), testGraphID, &tt.update)
			require.NoError(t, err)
			assertRequest(t, s.only(t), http.MethodPatch, apiPath("/graphs/"+testGraphID), nil, prefix+tt.attrs+`}}`)
		})
	}
}

func TestUpdateGraphDoesNotChangeCallersNodes(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	handle(mux, "PATCH /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)
	nodes := []Node{{EntityID: "b.com", Type: NodeTypeDomain, Index: 5}, {EntityID: "a.com", Type: NodeTypeDomain, Index: 5}}
	_, err := c.UpdateGraph(t.Context(), testGraphID, &GraphUpdate{Nodes: nodes, Links: []Link{}})
	require.NoError(t, err)
	assert.Equal(t, 5, nodes[0].Index)
	assert.Equal(t, 5, nodes[1].Index)
}

func TestUpdateGraphValidatesFirst(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		id     string
		update *GraphUpdate
		paths  []string // of the *ParamError; nil means a *ValidationError
	}{
		{"nil update and bad id", "g1", nil, []string{"id", "update"}},
		{"nothing set", testGraphID, &GraphUpdate{Extra: map[string]json.RawMessage{}}, []string{"update"}},
		{"nodes without links", testGraphID, &GraphUpdate{Nodes: []Node{}}, []string{"links"}},
		{"links without nodes", testGraphID, &GraphUpdate{Links: []Link{}}, []string{"nodes"}},
		{"extra problems", testGraphID, &GraphUpdate{Description: ptr("x"), Extra: map[string]json.RawMessage{
			"":               json.RawMessage(`1`),
			"graph_data":     json.RawMessage(`{}`),
			"nodes":          json.RawMessage(`[]`),
			"position":       json.RawMessage(`{"x":`),
			"private":        json.RawMessage(`true`),
			"views_count":    json.RawMessage(`1`),
			"comments_count": json.RawMessage(`1`),
		}}, []string{"attributes", "attributes.comments_count", "attributes.graph_data", "attributes.nodes",
			"attributes.position", "attributes.private", "attributes.views_count"}},
		{"invalid nodes", testGraphID, &GraphUpdate{
			Nodes: []Node{{EntityID: "a.com", Type: NodeTypeDomain}},
			Links: []Link{{Source: "a.com", Target: "gone.com"}},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			s := catchAll(mux)
			_, err := c.UpdateGraph(t.Context(), tt.id, tt.update)
			if tt.paths == nil {
				var ve *ValidationError
				require.ErrorAs(t, err, &ve)
			} else {
				assert.Equal(t, tt.paths, paramPaths(t, err))
			}
			assertSentNothing(t, s)
		})
	}
}

func TestSaveGraphValidatesFirst(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := catchAll(mux)

	_, err := c.SaveGraph(t.Context(), nil)
	assert.Equal(t, []string{"graph"}, paramPaths(t, err))

	_, err = c.SaveGraph(t.Context(), builtGraph(t)) // never created: no id
	assert.Equal(t, []string{"id"}, paramPaths(t, err))

	g := loadedGraph(t)
	g.Nodes[0].EntityID = ""
	_, err = c.SaveGraph(t.Context(), g)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assertSentNothing(t, s)
}

func TestSaveGraphRenumbersIndexes(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	handle(mux, "GET /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)
	handle(mux, "PATCH /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)
	g := loadedGraph(t)
	_, err := c.SaveGraph(t.Context(), g)
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, []int{g.Nodes[0].Index, g.Nodes[1].Index})
	assert.Equal(t, int64(7), g.ViewsCount, "the caller's read-only fields stay")
}

// TestWritesAndRetries shows which writes are retried: creating a graph and
// adding a comment are not, since a retry could make a second one; updating
// and sharing are, like reads. The server fails the first attempt with 503.
func TestWritesAndRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		pattern  string
		okBody   string
		call     func(ctx context.Context, c *Client) error
		attempts int32
	}{
		{"CreateGraph", "POST /graphs", `{"data":{"type":"graph","id":"` + testGraphID + `"}}`,
			func(ctx context.Context, c *Client) error { _, err := c.CreateGraph(ctx, NewGraph("x")); return err }, 1},
		{"AddComment", "POST /graphs/{id}/comments", `{"data":{"type":"comment","id":"c1","attributes":{"text":"hi"}}}`,
			func(ctx context.Context, c *Client) error { _, err := c.AddComment(ctx, testGraphID, "hi"); return err }, 1},
		{"GetGraph", "GET /graphs/{id}", `{"data":` + graphJSON + `}`,
			func(ctx context.Context, c *Client) error { _, err := c.GetGraph(ctx, testGraphID, nil); return err }, 2},
		{"UpdateGraph", "PATCH /graphs/{id}", `{"data":` + graphJSON + `}`,
			func(ctx context.Context, c *Client) error {
				_, err := c.UpdateGraph(ctx, testGraphID, &GraphUpdate{Private: ptr(true)})
				return err
			}, 2},
		{"AddViewers", "POST /graphs/{id}/relationships/viewers", `{"data":[{"type":"user","id":"bob"}]}`,
			func(ctx context.Context, c *Client) error {
				_, err := c.AddViewers(ctx, testGraphID, User("bob"))
				return err
			}, 1},
		{"DeleteGraph", "DELETE /graphs/{id}", `{"data":null}`,
			func(ctx context.Context, c *Client) error { return c.DeleteGraph(ctx, testGraphID) }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var calls atomic.Int32
				var bodies []string
				mux := http.NewServeMux()
				mux.HandleFunc(tt.pattern, func(w http.ResponseWriter, r *http.Request) {
					var b []byte
					if r.Body != nil {
						b, _ = io.ReadAll(r.Body)
					}
					bodies = append(bodies, string(b))
					if calls.Add(1) == 1 {
						writeJSON(w, http.StatusServiceUnavailable, `{"error":{"code":"TransientError","message":"try later"}}`)
						return
					}
					writeJSON(w, http.StatusOK, tt.okBody)
				})
				c := newFakeClient(t, handlerDoer(http.StripPrefix("/api/v3", mux)),
					WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Second}))
				start := time.Now()
				err := tt.call(t.Context(), c)
				assert.Equal(t, tt.attempts, calls.Load(), "attempts")
				if tt.attempts == 1 {
					assert.ErrorIs(t, err, ErrTransient)
					assert.Zero(t, time.Since(start), "no wait without a retry")
				} else {
					require.NoError(t, err)
					assert.Equal(t, time.Second, time.Since(start), "one backoff, in the bubble's time")
					assert.Equal(t, bodies[0], bodies[1], "the retry sends the same body")
				}
			})
		})
	}
}

// TestRoundTripThroughVTGraphTest drives the operations against the
// in-memory server, with every request and response checked against the
// spec.
func TestRoundTripThroughVTGraphTest(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t, vtgraphtest.WithMiddleware(contract.ForTest(t).Handler))
	c, err := New(vtgraphtest.AliceKey, WithBaseURL(srv.URL()), WithoutRetries())
	require.NoError(t, err)
	ctx := t.Context()

	g := builtGraph(t)
	g.Private = true
	id, err := c.CreateGraph(ctx, g)
	require.NoError(t, err)
	require.True(t, ValidGraphID(id))

	sameContent := func(t *testing.T, want, got *Graph) {
		t.Helper()
		assert.Equal(t, want.Description, got.Description)
		assert.Equal(t, want.Private, got.Private)
		wantNodes, err := json.Marshal(want.Nodes)
		require.NoError(t, err)
		gotNodes, err := json.Marshal(got.Nodes)
		require.NoError(t, err)
		assert.JSONEq(t, string(wantNodes), string(gotNodes), "nodes")
		wantLinks, err := json.Marshal(want.Links)
		require.NoError(t, err)
		gotLinks, err := json.Marshal(got.Links)
		require.NoError(t, err)
		assert.JSONEq(t, string(wantLinks), string(gotLinks), "links")
	}
	got, err := c.GetGraph(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, id, got.ID)
	sameContent(t, g, got)

	// Making the graph public sends private alone; the nodes stay.
	updated, err := c.UpdateGraph(ctx, id, &GraphUpdate{Private: ptr(false)})
	require.NoError(t, err)
	assert.False(t, updated.Private)
	reqs := srv.Requests()
	patch := reqs[len(reqs)-1]
	assert.Equal(t, http.MethodPatch, patch.Method)
	assert.JSONEq(t, `{"data":{"type":"graph","id":"`+id+`","attributes":{"private":false}}}`, string(patch.Body))
	got, err = c.GetGraph(ctx, id, nil)
	require.NoError(t, err)
	g.Private = false
	sameContent(t, g, got)

	// Save a loaded graph after an edit.
	got.Nodes[0].Text = "root"
	saved, err := c.SaveGraph(ctx, got)
	require.NoError(t, err)
	assert.Equal(t, "root", saved.Nodes[0].Text)
	assert.Len(t, saved.Nodes, 3)

	selected, err := c.GetGraph(ctx, id, &GetGraphOptions{Attributes: []string{"graph_data"}})
	require.NoError(t, err)
	assert.Equal(t, "demo", selected.Description)

	page, err := c.SearchGraphs(ctx, &SearchOptions{Filter: FilterOwner("alice"), Attributes: []string{"graph_data"}})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, id, page.Items[0].ID)

	// Sharing.
	added, err := c.AddViewers(ctx, id, User("carol"))
	require.NoError(t, err)
	require.Len(t, added, 1)
	assert.Equal(t, User("carol"), added[0].Ref())
	_, err = c.AddEditors(ctx, id, User("bob"))
	require.NoError(t, err)
	isViewer, err := c.IsViewer(ctx, id, User("carol"))
	require.NoError(t, err)
	assert.True(t, isViewer)
	isEditor, err := c.IsEditor(ctx, id, User("carol"))
	require.NoError(t, err)
	assert.False(t, isEditor)
	viewers, err := c.ListViewers(ctx, id, nil)
	require.NoError(t, err)
	require.Len(t, viewers.Items, 1)
	editors, err := c.ListEditors(ctx, id, &ListOptions{Limit: 1})
	require.NoError(t, err)
	require.Len(t, editors.Items, 1)
	assert.Equal(t, "bob", editors.Items[0].ID)
	require.NoError(t, c.RemoveViewer(ctx, id, User("carol")))
	require.NoError(t, c.RemoveEditor(ctx, id, User("bob")))
	isViewer, err = c.IsViewer(ctx, id, User("carol"))
	require.NoError(t, err)
	assert.False(t, isViewer)
	_, err = c.AddViewers(ctx, id, User("nobody"))
	assert.ErrorIs(t, err, ErrNotFound)

	// Comments and relationships.
	cm, err := c.AddComment(ctx, id, "Seen in #wannacry")
	require.NoError(t, err)
	assert.Equal(t, []string{"wannacry"}, cm.Tags)
	comments, err := c.ListComments(ctx, id, nil)
	require.NoError(t, err)
	require.Len(t, comments.Items, 1)
	assert.Equal(t, cm.ID, comments.Items[0].ID)

	owner, err := c.GetOwner(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, User("alice"), owner.Ref())
	group, err := c.GetGroup(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, Group(vtgraphtest.DefaultGroup), group.Ref())
	var items []string
	for o, err := range c.ListRelatedIter(ctx, id, RelationItems, &ListOptions{Limit: 1}, nil) {
		require.NoError(t, err)
		items = append(items, o.Type+":"+o.ID)
	}
	assert.Equal(t, []string{"domain:hooli.com", "ip_address:8.8.8.8"}, items)
	descs, err := c.ListRelatedDescriptors(ctx, id, RelationComments, nil)
	require.NoError(t, err)
	assert.Equal(t, []Descriptor{{Type: "comment", ID: cm.ID}}, descs.Items)
	_, err = c.ListRelated(ctx, id, "no_such_relationship", nil)
	assert.ErrorIs(t, err, ErrNotFound)

	// Carol's graph has no group.
	carol, err := New(vtgraphtest.CarolKey, WithBaseURL(srv.URL()), WithoutRetries())
	require.NoError(t, err)
	carolsID, err := carol.CreateGraph(ctx, NewGraph("carol's"))
	require.NoError(t, err)
	group, err = carol.GetGroup(ctx, carolsID)
	require.NoError(t, err)
	assert.Nil(t, group)
	err = carol.DeleteGraph(ctx, id)
	assert.ErrorIs(t, err, ErrForbidden, "only the owner deletes")

	require.NoError(t, c.DeleteGraph(ctx, id))
	_, err = c.GetGraph(ctx, id, nil)
	assert.ErrorIs(t, err, ErrNotFound)
}

// TestCancelWhileReadingTheBody cancels after the headers arrived, while
// the body is still being read.
func TestCancelWhileReadingTheBody(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	headers := make(chan struct{})
	handleFunc(mux, "GET /graphs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"data":[`)
		w.(http.Flusher).Flush()
		close(headers)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		select {
		case <-headers:
		case <-ctx.Done():
		}
		cancel()
	}()
	_, err := c.SearchGraphs(ctx, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
}

// blockingBody is a response body that blocks until ctx ends and then fails
// with an error that does not mention the context, as a custom Doer's body
// might.
type blockingBody struct{ ctx context.Context }

func (b blockingBody) Read([]byte) (int, error) {
	<-b.ctx.Done()
	return 0, errors.New("stream closed")
}

func (blockingBody) Close() error { return nil }

// TestCancelWithACustomDoer shows that a cancelled call reports the
// context's error even when the Doer's body does not.
func TestCancelWithACustomDoer(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	d := doerFunc(func(r *http.Request) (*http.Response, error) {
		cancel()
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: blockingBody{r.Context()}, Request: r}, nil
	})
	c := newFakeClient(t, d, WithoutRetries())
	_, err := c.GetGraph(ctx, testGraphID, nil)
	assert.ErrorIs(t, err, context.Canceled)
	var de *DecodeError
	assert.ErrorAs(t, err, &de, "the decoding failure is kept")
}
