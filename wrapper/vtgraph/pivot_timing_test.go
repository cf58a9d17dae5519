package vtgraph_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The timing tests run the client inside a synctest bubble, against the
// server's handler called in process with a latency of the bubble's clock,
// so that they see when each request is sent without sleeping for real.

// bubbleDoer serves requests with a handler after a latency, recording
// when each was sent and how many were in flight at once.
type bubbleDoer struct {
	h       http.Handler
	latency time.Duration

	mu   sync.Mutex
	sent []time.Time
	now  int
	peak int
}

func (d *bubbleDoer) Do(req *http.Request) (*http.Response, error) {
	d.mu.Lock()
	d.sent = append(d.sent, time.Now())
	d.now++
	d.peak = max(d.peak, d.now)
	d.mu.Unlock()
	time.Sleep(d.latency)
	rec := httptest.NewRecorder()
	d.h.ServeHTTP(rec, req)
	d.mu.Lock()
	d.now--
	d.mu.Unlock()
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// bubbleClient returns a client of srv sending through d, with opts.
func bubbleClient(t *testing.T, d *bubbleDoer, opts ...vtgraph.Option) *vtgraph.Client {
	t.Helper()
	c, err := vtgraph.New(vtgraphtest.AliceKey, append([]vtgraph.Option{
		vtgraph.WithBaseURL("http://127.0.0.1/api/v3"), vtgraph.WithDoer(d), vtgraph.WithoutRetries(),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

// TestExpandGraphConcurrencyLimit checks that no more requests are in
// flight than Concurrency allows, and that the expansion does keep that
// many in flight.
func TestExpandGraphConcurrencyLimit(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t)
	for _, conc := range []int{1, 3, 8} {
		t.Run(fmt.Sprint(conc), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				d := &bubbleDoer{h: srv.Handler(), latency: 20 * time.Millisecond}
				c := bubbleClient(t, d)
				g := seedGraph(demoDomain)
				r, err := c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: 2, ExpandOptions: vtgraph.ExpandOptions{
					PivotOptions: vtgraph.PivotOptions{Concurrency: conc},
				}})
				require.NoError(t, err)
				assert.Equal(t, demoExpansionRequests, r.Requests)
				assert.Equal(t, conc, d.peak)
			})
		})
	}
}

// TestExpandGraphKeepsToTheRateLimit checks that the client's rate limit
// spaces the requests of an expansion, whatever its concurrency.
func TestExpandGraphKeepsToTheRateLimit(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t)
	synctest.Test(t, func(t *testing.T) {
		const every = 100 * time.Millisecond
		d := &bubbleDoer{h: srv.Handler(), latency: time.Millisecond}
		c := bubbleClient(t, d, vtgraph.WithRateLimit(rate.Every(every), 1))
		g := seedGraph(demoDomain)
		_, err := c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: 2, ExpandOptions: vtgraph.ExpandOptions{
			PivotOptions: vtgraph.PivotOptions{Concurrency: 8},
		}})
		require.NoError(t, err)
		require.Len(t, d.sent, demoExpansionRequests)
		for i := 1; i < len(d.sent); i++ {
			assert.GreaterOrEqual(t, d.sent[i].Sub(d.sent[i-1]), every, "request %d", i)
		}
	})
}

// TestExpandGraphWaitsOutAMinuteQuota expands under a quota of 10 requests
// a minute with the default retry policy, which waits out the Retry-After
// of a per-minute quota: the expansion takes minutes, on the bubble's
// clock, and ends with the whole graph, no request answered twice.
func TestExpandGraphWaitsOutAMinuteQuota(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t, vtgraphtest.WithQuota(vtgraphtest.Quota{PerMinute: 10}))
	synctest.Test(t, func(t *testing.T) {
		d := &bubbleDoer{h: srv.Handler(), latency: 20 * time.Millisecond}
		c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL("http://127.0.0.1/api/v3"), vtgraph.WithDoer(d))
		require.NoError(t, err)
		g := seedGraph(demoDomain)
		start := time.Now()
		r, err := c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: 2})
		require.NoError(t, err)
		assert.Equal(t, demoExpansionRequests, r.Requests, "retries are not requests of the expansion's")
		assert.GreaterOrEqual(t, time.Since(start), 3*time.Minute, "33 requests at 10 a minute")
		assertGraphGolden(t, "expand_two_levels.golden.json", []byte(sentJSON(t, g)))
		answered := map[string]int{}
		for _, req := range srv.Requests() {
			if req.Status == http.StatusOK {
				answered[req.Path+"?"+req.RawQuery]++
			}
		}
		assert.Len(t, answered, demoExpansionRequests)
		for req, n := range answered {
			assert.Equal(t, 1, n, req)
		}
	})
}
