package vtgraphtest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestURL(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t)
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", u.Hostname())
	assert.Equal(t, "/api/v3", u.Path)
}

func TestStartOutsideTests(t *testing.T) {
	t.Parallel()
	srv, err := vtgraphtest.Start()
	require.NoError(t, err)
	resp, err := client(t, srv, vtgraphtest.BobKey).GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode())
	srv.Close()
	srv.Close()
	_, err = client(t, srv, vtgraphtest.BobKey).GraphsWithResponse(t.Context(), nil)
	assert.Error(t, err, "closed")
}

func TestOptionErrors(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]vtgraphtest.Option{
		"nil clock":       vtgraphtest.WithClock(nil),
		"nil middleware":  vtgraphtest.WithMiddleware(nil),
		"bad user":        vtgraphtest.WithUser("", "k"),
		"duplicate key":   vtgraphtest.WithUser("mallory", vtgraphtest.AliceKey),
		"group is a user": vtgraphtest.WithGroup("alice"),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, err := vtgraphtest.Start(opt)
			assert.Error(t, err)
			assert.Nil(t, srv)
		})
	}
}

func TestWithoutDefaultUsers(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t, vtgraphtest.WithoutDefaultUsers(), vtgraphtest.WithUser("zed", "zed-key"))
	resp, err := client(t, srv, vtgraphtest.AliceKey).GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode())
	resp, err = client(t, srv, "zed-key").GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode())
}

func TestMiddlewareAndRecording(t *testing.T) {
	t.Parallel()
	var order []string
	var seen atomic.Int32
	mw := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				seen.Add(1)
				// A validator reads the body; the server must still get it.
				b, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(b))
				next.ServeHTTP(w, r)
			})
		}
	}
	f := setup(t, vtgraphtest.WithMiddleware(mw("outer")), vtgraphtest.WithMiddleware(mw("inner")))
	id := create(t, f.alice, named("recorded", false))
	_, err := f.bob.GraphsWithResponse(t.Context(), &vtapi.GraphsParams{Filter: ptr("owner:alice")})
	require.NoError(t, err)
	_, err = client(t, f.srv, "").GraphsInfoWithResponse(t.Context(), id, nil)
	require.NoError(t, err)

	assert.Equal(t, []string{"outer", "inner", "outer", "inner", "outer", "inner"}, order)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "/api/v3/graphs", reqs[0].Path)
	assert.Contains(t, string(reqs[0].Body), `"recorded"`)
	assert.Equal(t, vtgraphtest.AliceKey, reqs[0].Header.Get("x-apikey"))
	assert.Equal(t, http.StatusOK, reqs[0].Status)
	assert.Equal(t, "filter=owner%3Aalice", reqs[1].RawQuery)
	assert.Equal(t, "/api/v3/graphs/"+id, reqs[2].Path)
	assert.Equal(t, http.StatusUnauthorized, reqs[2].Status)
}

func TestHandlerCanBeMountedElsewhere(t *testing.T) {
	t.Parallel()
	f := setup(t)
	other := httptest.NewServer(f.srv.Handler())
	t.Cleanup(other.Close)
	c, err := vtapi.NewClientWithResponses(other.URL+"/api/v3", vtapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("x-apikey", vtgraphtest.AliceKey)
		return nil
	}))
	require.NoError(t, err)
	resp, err := c.CreateGraphsWithBodyWithResponse(t.Context(), "application/json", strings.NewReader(`{"data":{"type":"graph","attributes":{}}}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode())
	links := resp.JSON200.Data.AdditionalProperties["links"].(map[string]any)
	assert.True(t, strings.HasPrefix(links["self"].(string), other.URL+"/api/v3/graphs/"), "links follow the host the client used")
}

func TestUnknownRoute(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, path := range []string{"/api/v3/files/abc", "/elsewhere", "/api/v3/graphs/g1/comments/extra"} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, strings.TrimSuffix(f.srv.URL(), "/api/v3")+path, nil)
		require.NoError(t, err)
		req.Header.Set("x-apikey", vtgraphtest.AliceKey)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		assert.Equal(t, "NotFoundError", errorCode(t, body))
	}
}
