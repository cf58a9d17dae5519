package vtgraphtest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestLatencyDelaysEachResponse drives the handler in a synctest bubble, so
// the injected latency passes on the bubble's clock: the answer comes after
// exactly the latency, concurrent requests wait in parallel, not in turn,
// and SetLatency changes the delay of the requests that follow.
func TestLatencyDelaysEachResponse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const latency = 20 * time.Millisecond
		s, err := newServer(WithLatency(latency))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		serve := func(n int) (done func() int) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			answered := 0
			for range n {
				wg.Go(func() {
					req := httptest.NewRequest(http.MethodGet, apiRoot+"/domains/"+DemoDomain, nil)
					req.Header.Set("x-apikey", AliceKey)
					rec := httptest.NewRecorder()
					s.Handler().ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						t.Errorf("status %d: %s", rec.Code, rec.Body)
					}
					mu.Lock()
					answered++
					mu.Unlock()
				})
			}
			return func() int {
				synctest.Wait()
				mu.Lock()
				defer mu.Unlock()
				return answered
			}
		}

		start := time.Now()
		answered := serve(8)
		time.Sleep(latency - time.Nanosecond)
		if n := answered(); n != 0 {
			t.Fatalf("%d requests answered before the latency passed", n)
		}
		time.Sleep(time.Nanosecond)
		if n := answered(); n != 8 {
			t.Fatalf("%d of 8 requests answered after the latency", n)
		}
		if elapsed := time.Since(start); elapsed != latency {
			t.Errorf("8 concurrent requests took %v, want %v", elapsed, latency)
		}

		s.SetLatency(0)
		if n := serve(1)(); n != 1 {
			t.Fatal("a request waited without latency")
		}
	})
}
