package bench

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// readCap is the client's bound on a 2xx body, 64 MiB: reading past it ends
// the read with a *vtgraph.DecodeError.
const readCap = 64 << 20

// endlessDoer answers every request with a 200 whose body never ends and
// declares no length, as a gzip-encoded or chunked answer does not.
type endlessDoer struct{}

func (endlessDoer) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(endless{}), ContentLength: -1, Request: req,
	}, nil
}

// endless is a reader that is never done; its bytes are whatever the
// buffer held, since no decoder gets past the cap.
type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }

// BenchmarkReadPastTheCap fetches a graph whose body has no length and
// never ends, so the client reads up to its 64 MiB cap and fails. It
// reports B/cap, the bytes the call allocated divided by the cap: growing
// one buffer by doubling, as bytes.Buffer and io.ReadAll do, spends about
// four times the cap.
func BenchmarkReadPastTheCap(b *testing.B) {
	c, err := vtgraph.New("bench-key", vtgraph.WithDoer(endlessDoer{}), vtgraph.WithoutRetries())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		_, err := c.GetGraph(ctx, benchGraphID, nil)
		var de *vtgraph.DecodeError
		if !errors.As(err, &de) {
			b.Fatalf("got %v, want a *vtgraph.DecodeError for a body past the cap", err)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/readCap, "B/cap")
}

// BenchmarkReadAhead fetches the 10,000-node graph from memory with retries
// on, the default, and off. With retries on, the client reads a 2xx body
// before decoding it, so that a body cut off by the network can be retried
// like a reset; the body it read is handed to the decoder, not copied, so
// the two should cost the same.
func BenchmarkReadAhead(b *testing.B) {
	body := graphFixture(10_000).body
	for _, tc := range []struct {
		name string
		opts []vtgraph.Option
	}{
		{"retries=on", nil},
		{"retries=off", []vtgraph.Option{vtgraph.WithoutRetries()}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c, err := vtgraph.New("bench-key", append([]vtgraph.Option{vtgraph.WithDoer(memDoer{body: body})}, tc.opts...)...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetGraph(ctx, benchGraphID, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
