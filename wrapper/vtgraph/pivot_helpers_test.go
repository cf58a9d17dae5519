package vtgraph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The pivot tests run against the demo universe of vtgraphtest, checked
// against the spec on both sides, and count what reached the server.

// pivotEnv is a server, a client of it and what the server answered.
type pivotEnv struct {
	srv   *vtgraphtest.Server
	c     *vtgraph.Client
	pages *pageLog
}

// newPivotEnv starts a server with the demo universe (or the universe the
// options give) and a client for key without retries, sending requests
// through wrap when it is set.
func newPivotEnv(t *testing.T, key string, wrap func(vtgraph.Doer) vtgraph.Doer, opts ...vtgraphtest.Option) *pivotEnv {
	t.Helper()
	check := contract.ForTest(t)
	pages := &pageLog{}
	srv := vtgraphtest.NewServer(t, append([]vtgraphtest.Option{
		vtgraphtest.WithMiddleware(check.Handler), vtgraphtest.WithMiddleware(pages.record),
	}, opts...)...)
	var d vtgraph.Doer = check.Client()
	if wrap != nil {
		d = wrap(d)
	}
	c, err := vtgraph.New(key, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithDoer(d), vtgraph.WithoutRetries())
	require.NoError(t, err)
	return &pivotEnv{srv: srv, c: c, pages: pages}
}

// answered counts the requests answered 200 by method, path and query:
// each is an (entity, relationship, page), or a lookup.
func (e *pivotEnv) answered() map[string]int {
	out := map[string]int{}
	for _, r := range e.srv.Requests() {
		if r.Status == http.StatusOK {
			out[r.Method+" "+r.Path+"?"+r.RawQuery]++
		}
	}
	return out
}

// total counts the requests the server received.
func (e *pivotEnv) total() int {
	n := 0
	for _, c := range e.srv.RequestCounts() {
		n += c
	}
	return n
}

// requireNoRepeats fails when a request was answered 200 twice.
func (e *pivotEnv) requireNoRepeats(t *testing.T) {
	t.Helper()
	for req, n := range e.answered() {
		require.Equal(t, 1, n, "%s was answered %d times", req, n)
	}
}

// pageLog records the relationship pages that came back empty.
type pageLog struct {
	mu    sync.Mutex
	empty []string
}

func (l *pageLog) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &bodyRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status != 0 && rec.status != http.StatusOK || strings.Count(strings.TrimPrefix(r.URL.Path, "/api/v3/"), "/") < 2 {
			return
		}
		var body struct {
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(rec.body.Bytes(), &body) == nil {
			if d := string(bytes.TrimSpace(body.Data)); d == "[]" || d == "null" {
				l.mu.Lock()
				l.empty = append(l.empty, r.URL.Path)
				l.mu.Unlock()
			}
		}
	})
}

func (l *pageLog) emptyPages() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.empty...)
}

type bodyRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *bodyRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *bodyRecorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// seedGraph returns a graph holding the given entities.
func seedGraph(refs ...vtgraph.EntityRef) *vtgraph.Graph {
	g := vtgraph.NewGraph("pivot")
	for _, r := range refs {
		g.AddNode(r.ID, r.Type)
	}
	return g
}

// entityNodes returns the ids of g's nodes other than relationship nodes, in
// order.
func entityNodes(g *vtgraph.Graph) []string {
	var out []string
	for i := range g.Nodes {
		if !g.Nodes[i].IsRelationship() {
			out = append(out, g.Nodes[i].EntityID)
		}
	}
	return out
}

// sentJSON is g as it would be sent.
func sentJSON(t *testing.T, g *vtgraph.Graph) string {
	t.Helper()
	b, err := g.JSON()
	require.NoError(t, err)
	return string(b)
}

// twoLevels returns o with a depth of 2 unless it sets one.
func twoLevels(o vtgraph.ExpandGraphOptions) *vtgraph.ExpandGraphOptions {
	if o.Depth == 0 {
		o.Depth = 2
	}
	return &o
}
