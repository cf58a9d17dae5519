package vtgraphtest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
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

	c, err := vtapi.NewClientWithResponses(srv.URL(), vtapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("x-apikey", vtgraphtest.AliceKey)
		return nil
	}))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	created, err := c.CreateGraphsWithBodyWithResponse(ctx, "application/json", strings.NewReader(
		`{"data":{"type":"graph","attributes":{"private":true,"graph_data":{"description":"demo"},
		"nodes":[{"entity_id":"hooli.com","type":"domain"}]}}}`))
	if err != nil {
		panic(err)
	}
	id := created.JSON200.Data.Id
	got, err := c.GraphsInfoWithResponse(ctx, id, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(got.StatusCode(), *got.JSON200.Data.Attributes.GraphData.Description, *got.JSON200.Data.Attributes.CreationDate)

	// Bob may not see alice's private graph.
	other, err := vtapi.NewClientWithResponses(srv.URL(), vtapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("x-apikey", vtgraphtest.BobKey)
		return nil
	}))
	if err != nil {
		panic(err)
	}
	hidden, err := other.GraphsInfoWithResponse(ctx, id, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(hidden.StatusCode(), hidden.JSON404.Error.Code)
	// Output:
	// 200 demo 1709251200
	// 404 NotFoundError
}

func ExampleServer_AddFault() {
	srv, err := vtgraphtest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	// The next search fails as if the service were overloaded.
	srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs", Status: http.StatusServiceUnavailable, Times: 1, RetryAfter: 2 * time.Second})

	c, err := vtapi.NewClientWithResponses(srv.URL(), vtapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("x-apikey", vtgraphtest.CarolKey)
		return nil
	}))
	if err != nil {
		panic(err)
	}
	for range 2 {
		resp, err := c.GraphsWithResponse(context.Background(), nil)
		if err != nil {
			panic(err)
		}
		fmt.Println(resp.StatusCode(), resp.HTTPResponse.Header.Get("Retry-After"))
	}
	// Output:
	// 503 2
	// 200
}
