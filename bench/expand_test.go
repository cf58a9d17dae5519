package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The expansion benchmarks expand the demo domain of the built-in universe
// two levels, against the in-memory server answering every request after
// expandLatency, as vt-graph-api's expand_n_level was measured.
const (
	expandLatency = 20 * time.Millisecond
	expandDepth   = 2
	// expandRate is the client-side rate limit of the rate-limited run,
	// in requests a second: slow enough that the limiter, not the
	// latency, sets the pace.
	expandRate = 100
)

// wireLog records what reached the server: each request's method, path
// and query, and the connection it came on.
type wireLog struct {
	mu       sync.Mutex
	requests []string
	conns    map[string]bool
}

func (l *wireLog) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.requests = append(l.requests, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
		l.conns[r.RemoteAddr] = true
		l.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// since returns the requests recorded after the first n.
func (l *wireLog) since(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.requests[n:]...)
}

func (l *wireLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.requests)
}

func (l *wireLog) connections() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

// expansionStats are the figures of one expansion, from what reached the
// server.
type expansionStats struct {
	requests int // sent
	distinct int // distinct (entity, relationship, page): lookups and pages
	asked    int // relationships the lookups asked about, each a page a per-relationship expansion would fetch
}

func statsOf(requests []string) expansionStats {
	s := expansionStats{requests: len(requests)}
	seen := map[string]bool{}
	for _, r := range requests {
		if !seen[r] {
			seen[r] = true
			s.distinct++
		}
		path, query, _ := strings.Cut(r, "?")
		if strings.Count(strings.TrimPrefix(path, "GET /api/v3/"), "/") >= 2 {
			s.asked++ // a page, asked for directly
			continue
		}
		q, _ := url.ParseQuery(query)
		if rels := q.Get("relationships"); rels != "" {
			s.asked += strings.Count(rels, ",") + 1
		}
	}
	return s
}

// expandOnce expands the demo domain in a new graph with a new cache, so
// that every run fetches everything.
func expandOnce(b *testing.B, c *vtgraph.Client, concurrency int) *vtgraph.ExpandReport {
	g := vtgraph.NewGraph("bench")
	g.AddNode(vtgraphtest.DemoDomain, vtgraph.NodeTypeDomain)
	r, err := c.ExpandGraph(context.Background(), g, &vtgraph.ExpandGraphOptions{Depth: expandDepth, ExpandOptions: vtgraph.ExpandOptions{
		PivotOptions: vtgraph.PivotOptions{Concurrency: concurrency},
	}})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkExpand expands the demo domain two levels through the client's
// default HTTP transport, and reports, per expansion: the requests sent;
// made/needed, the requests sent ÷ the distinct (entity, relationship,
// page) requests among them, which is 1.00 when nothing is fetched twice;
// asked/op, the relationships the lookups asked about, the pages an
// expansion fetching each relationship would send (most of them empty);
// wall/ideal, the wall time ÷ (ceil(requests ÷ concurrency) × latency),
// how close the pool of workers comes to being busy all the time (the
// schedule is ideal: what the ratio adds is the client's and the server's
// own work); and conns, the TCP connections the whole run opened.
func BenchmarkExpand(b *testing.B) {
	for _, conc := range []int{4, 8} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			wire := &wireLog{conns: map[string]bool{}}
			srv := vtgraphtest.NewServer(b, vtgraphtest.WithLatency(expandLatency), vtgraphtest.WithMiddleware(wire.record))
			c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries())
			if err != nil {
				b.Fatal(err)
			}
			var made, distinct, asked int
			var ideal time.Duration
			for b.Loop() {
				before := wire.len()
				r := expandOnce(b, c, conc)
				s := statsOf(wire.since(before))
				if s.requests != r.Requests {
					b.Fatalf("the server saw %d requests, the report says %d", s.requests, r.Requests)
				}
				made, distinct, asked = made+s.requests, distinct+s.distinct, asked+s.asked
				ideal += time.Duration((s.requests+conc-1)/conc) * expandLatency
			}
			b.ReportMetric(float64(made)/float64(b.N), "requests/op")
			b.ReportMetric(float64(made)/float64(distinct), "made/needed")
			b.ReportMetric(float64(asked)/float64(b.N), "asked/op")
			b.ReportMetric(float64(b.Elapsed())/float64(ideal), "wall/ideal")
			b.ReportMetric(float64(wire.connections()), "conns")
		})
	}
}

// sendLog records when each request left the client, after its rate
// limiter.
type sendLog struct {
	next vtgraph.Doer
	mu   sync.Mutex
	at   []time.Time
}

func (d *sendLog) Do(req *http.Request) (*http.Response, error) {
	d.mu.Lock()
	d.at = append(d.at, time.Now())
	d.mu.Unlock()
	return d.next.Do(req)
}

// BenchmarkExpandRateLimited is BenchmarkExpand with a client rate limit of
// expandRate requests a second, without bursts, and reports rate/limit:
// the highest rate any expansion sent at, (requests - 1) ÷ the time from
// its first request to its last, ÷ the limit. It never exceeds 1.
func BenchmarkExpandRateLimited(b *testing.B) {
	srv := vtgraphtest.NewServer(b, vtgraphtest.WithLatency(expandLatency))
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = vtgraph.MaxConcurrency
	d := &sendLog{next: &http.Client{Transport: tr}}
	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries(),
		vtgraph.WithDoer(d), vtgraph.WithRateLimit(rate.Limit(expandRate), 1))
	if err != nil {
		b.Fatal(err)
	}
	highest := 0.0
	for b.Loop() {
		d.mu.Lock()
		d.at = d.at[:0]
		d.mu.Unlock()
		expandOnce(b, c, 8)
		d.mu.Lock()
		at := d.at
		d.mu.Unlock()
		if span := at[len(at)-1].Sub(at[0]); span > 0 {
			highest = max(highest, float64(len(at)-1)/span.Seconds())
		}
	}
	b.ReportMetric(highest/expandRate, "rate/limit")
	b.ReportMetric(highest, "req/s")
}
