package vtgraphtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func Example() {
	// In a test: srv := vtgraphtest.NewServer(t)
	srv, err := vtgraphtest.Start(vtgraphtest.WithClock(func() time.Time {
		return time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	}))
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	alice, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	g := vtgraph.NewGraph("demo")
	g.Private = true
	g.AddNode("hooli.example", vtgraph.NodeTypeDomain)
	id, err := alice.CreateGraph(ctx, g)
	if err != nil {
		panic(err)
	}
	got, err := alice.GetGraph(ctx, id, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(got.Description, got.CreationDate.Unix(), len(got.Nodes))

	// Bob may not see alice's private graph.
	bob, err := vtgraph.New(vtgraphtest.BobKey, vtgraph.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	_, err = bob.GetGraph(ctx, id, nil)
	fmt.Println(errors.Is(err, vtgraph.ErrNotFound))
	// Output:
	// demo 1709251200 1
	// true
}

func ExampleServer_AddFault() {
	srv, err := vtgraphtest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	// The next search fails as if the service were overloaded.
	srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs", Status: http.StatusServiceUnavailable, Times: 1, RetryAfter: 2 * time.Second})

	c, err := vtgraph.New(vtgraphtest.CarolKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries())
	if err != nil {
		panic(err)
	}
	for range 2 {
		_, err := c.SearchGraphs(context.Background(), nil)
		var apiErr *vtgraph.APIError
		if errors.As(err, &apiErr) {
			fmt.Println(apiErr.StatusCode, apiErr.RetryAfter)
			continue
		}
		fmt.Println(err)
	}
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path, r.Status)
	}
	// Output:
	// 503 2s
	// <nil>
	// GET /api/v3/graphs 503
	// GET /api/v3/graphs 200
}
