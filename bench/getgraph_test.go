package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// BenchmarkGetGraph fetches one small graph from a loopback server that
// answers every request with the same body, through the client and through
// the code a user would write instead: net/http and encoding/json into a
// struct with the same fields. Both use net/http's default transport, so
// both reuse one connection. The server sends Content-Length, as an API
// server that knows its body's length does.
func BenchmarkGetGraph(b *testing.B) {
	body := smallGraphBody()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	ctx := context.Background()

	b.Run("impl=client", func(b *testing.B) {
		c, err := vtgraph.New("bench-key", vtgraph.WithBaseURL(srv.URL), vtgraph.WithoutRetries())
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.GetGraph(ctx, benchGraphID, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=raw", func(b *testing.B) {
		hc := &http.Client{}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rawGetGraph(ctx, hc, srv.URL, "bench-key", benchGraphID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// rawGetGraph is GET /graphs/{id} written with the standard library alone.
func rawGetGraph(ctx context.Context, hc *http.Client, baseURL, key, id string) (*plainGraph, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/graphs/"+id, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("x-apikey", key)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /graphs/%s: %s", id, resp.Status)
	}
	var r plainResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	return &r.Data, nil
}
