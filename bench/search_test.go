package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The iteration benchmark lists searchGraphs graphs, searchPageSize to a
// page, from the in-memory server answering after searchLatency, while the
// caller spends searchWork on each page.
const (
	searchGraphs   = 10_000
	searchPageSize = 40
	searchLatency  = 20 * time.Millisecond
	searchWork     = 20 * time.Millisecond
)

var (
	searchOnce sync.Once
	searchSrv  *vtgraphtest.Server
	searchErr  error
)

// searchServer returns the in-memory server holding searchGraphs graphs of
// alice's. It is filled once per process, through the API since the server
// has no bulk load, by parallel creates over loopback without latency.
func searchServer(b *testing.B) *vtgraphtest.Server {
	b.Helper()
	searchOnce.Do(func() {
		srv, err := vtgraphtest.Start()
		if err != nil {
			searchErr = err
			return
		}
		c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries())
		if err != nil {
			searchErr = err
			return
		}
		const workers = 8
		errs := make(chan error, workers)
		for w := range workers {
			go func() {
				var err error
				for i := w; i < searchGraphs && err == nil; i += workers {
					_, err = c.CreateGraph(context.Background(), seedGraph(i))
				}
				errs <- err
			}()
		}
		for range workers {
			if err := <-errs; err != nil && searchErr == nil {
				searchErr = err
			}
		}
		searchSrv = srv
	})
	if searchErr != nil {
		b.Fatalf("seeding the search server: %v", searchErr)
	}
	return searchSrv
}

// seedGraph is a small investigation: a domain, the IP addresses it
// resolved to, and a file that talked to it.
func seedGraph(i int) *vtgraph.Graph {
	g := vtgraph.NewGraph(fmt.Sprintf("Investigation %d", i))
	domain := fmt.Sprintf("host%d.example.com", i)
	g.AddNode(domain, vtgraph.NodeTypeDomain)
	for k := range 2 {
		ip := fmt.Sprintf("10.%d.%d.%d", i>>8&0xff, i&0xff, k+1)
		g.AddNode(ip, vtgraph.NodeTypeIPAddress)
		if err := g.AddLink(domain, ip, "resolutions"); err != nil {
			panic(err)
		}
	}
	file := fmt.Sprintf("%064x", i)
	g.AddNode(file, vtgraph.NodeTypeFile).SetHasDetections(i%3 == 0)
	if err := g.AddLink(file, domain, "contacted_domains"); err != nil {
		panic(err)
	}
	return g
}

// BenchmarkSearchAll ranges over every graph with SearchGraphsIter, with and
// without prefetching the next page while the caller works on the current
// one. Run it with -benchtime=1x: one iteration takes seconds.
func BenchmarkSearchAll(b *testing.B) {
	srv := searchServer(b)
	srv.SetLatency(searchLatency)
	defer srv.SetLatency(0)
	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries())
	if err != nil {
		b.Fatal(err)
	}
	for _, prefetch := range []bool{false, true} {
		name := "prefetch=off"
		if prefetch {
			name = "prefetch=on"
		}
		b.Run(name, func(b *testing.B) {
			opts := &vtgraph.SearchOptions{ListOptions: vtgraph.ListOptions{Limit: searchPageSize}}
			it := &vtgraph.IterOptions{Prefetch: prefetch}
			for b.Loop() {
				n := 0
				for _, err := range c.SearchGraphsIter(context.Background(), opts, it) {
					if err != nil {
						b.Fatal(err)
					}
					n++
					if n%searchPageSize == 0 {
						time.Sleep(searchWork) // the caller's work on the page
					}
				}
				if n != searchGraphs {
					b.Fatalf("listed %d graphs, want %d", n, searchGraphs)
				}
			}
			b.ReportMetric(float64(searchGraphs/searchPageSize), "pages/op")
		})
	}
}
