package vtgraphtest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestFaultOnRoute(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, named("faulty", false))
	f.srv.AddFault(vtgraphtest.Fault{Route: "POST /graphs/{id}/comments", Status: http.StatusServiceUnavailable, Times: 2, RetryAfter: 1500 * time.Millisecond})

	for range 2 {
		resp, err := f.alice.PostGraphsCommentsWithResponse(t.Context(), id, comment("hi"))
		require.NoError(t, err)
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode())
		require.NotNil(t, resp.JSON503)
		assert.Equal(t, "TransientError", resp.JSON503.Error.Code)
		assert.Equal(t, "2", resp.HTTPResponse.Header.Get("Retry-After"))
	}
	get, err := f.alice.GetGraphCommentsWithResponse(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, get.StatusCode(), "other methods on the route work")
	resp, err := f.alice.PostGraphsCommentsWithResponse(t.Context(), id, comment("hi"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode(), "the fault is used up")
}

func TestFaultDefaultsAndClear(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.srv.AddFault(vtgraphtest.Fault{Route: "/graphs"})
	f.srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs/", Status: http.StatusNotFound, Message: "gone"})

	search, err := f.alice.GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, search.StatusCode())
	assert.Equal(t, "InternalError", errorCode(t, search.Body))
	search, err = f.alice.GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, search.StatusCode(), "without Times a fault stays")

	get, err := f.alice.GraphsInfoWithResponse(t.Context(), "g0", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, get.StatusCode())
	assert.JSONEq(t, `{"error":{"code":"NotFoundError","message":"gone"}}`, string(get.Body))

	f.srv.ClearFaults()
	search, err = f.alice.GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, search.StatusCode())

	assert.Panics(t, func() { f.srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs/{"}) })
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.srv.RateLimitAfter(3, 30*time.Second)
	var statuses []int
	for range 5 {
		resp, err := f.alice.GraphsWithResponse(t.Context(), nil)
		require.NoError(t, err)
		statuses = append(statuses, resp.StatusCode())
		if resp.StatusCode() == http.StatusTooManyRequests {
			assert.Equal(t, "QuotaExceededError", resp.JSON429.Error.Code)
			assert.NotEmpty(t, resp.HTTPResponse.Header.Get("Retry-After"))
		}
	}
	assert.Equal(t, []int{200, 200, 200, 429, 429}, statuses)

	f.clock.Advance(10 * time.Second)
	resp, err := f.alice.GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode())
	assert.Equal(t, "20", resp.HTTPResponse.Header.Get("Retry-After"), "the wait shrinks as the window passes")

	f.clock.Advance(20 * time.Second)
	resp, err = f.alice.GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode(), "a new window opens")

	f.srv.ClearFaults()
	for range 5 {
		resp, err := f.alice.GraphsWithResponse(t.Context(), nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode())
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	f := setup(t)
	const d = 50 * time.Millisecond
	f.srv.SetLatency(d)
	start := time.Now()
	resp, err := f.alice.GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode())
	assert.GreaterOrEqual(t, time.Since(start), d)

	f.srv.SetLatency(0)
	resp, err = f.alice.GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode())
}

// A canceled client must not leave the server waiting out the latency: the
// server's Close, which waits for handlers, returns promptly.
func TestLatencyHonoursCancellation(t *testing.T) {
	t.Parallel()
	srv, err := vtgraphtest.Start()
	require.NoError(t, err)
	srv.SetLatency(time.Hour)
	c := client(t, srv, vtgraphtest.AliceKey)

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	_, err = c.GraphsWithResponse(ctx, nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), err)

	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for the injected latency")
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.NotEqual(t, http.StatusOK, reqs[0].Status, "the request was never served")
}

func TestFaultsBeforeAuthentication(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs", Status: http.StatusTooManyRequests, Times: 1})
	resp, err := client(t, f.srv, "").GraphsWithResponse(t.Context(), &vtapi.GraphsParams{})
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode())
	assert.Equal(t, "QuotaExceededError", errorCode(t, resp.Body))
}
