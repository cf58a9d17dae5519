package vtgraph

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The helpers in this file serve the operation tests: a stub that records
// what the test server received, and a table runner that checks, for every
// operation, the request on the wire, the decoded result and the error path.

// testGraphID is a well-formed graph id, the one in the API documentation.
const testGraphID = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"

// apiPath is the escaped path a request for route reaches the server with.
func apiPath(route string) string { return "/api/v3" + route }

// received is one request as the test server saw it.
type received struct {
	Method string
	// Path is the escaped path as sent, /api/v3 prefix included.
	Path   string
	Query  url.Values
	Header http.Header
	Body   string
	// Values holds the pattern's wildcards, decoded by the server.
	Values map[string]string
}

// stub answers the requests of one mux pattern and records them.
type stub struct {
	mu   sync.Mutex
	reqs []received
}

var wildcardRE = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(?:\.\.\.)?\}`)

// handle registers pattern on mux, answering with status and body (JSON).
func handle(mux *http.ServeMux, pattern string, status int, body string) *stub {
	return handleFunc(mux, pattern, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, status, body)
	})
}

// handleFunc registers pattern on mux, recording each request before h
// answers it.
func handleFunc(mux *http.ServeMux, pattern string, h http.HandlerFunc) *stub {
	s := &stub{}
	names := wildcardRE.FindAllStringSubmatch(pattern, -1)
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec := received{
			Method: r.Method,
			Path:   strings.SplitN(r.RequestURI, "?", 2)[0],
			Query:  r.URL.Query(),
			Header: r.Header.Clone(),
			Body:   string(body),
			Values: map[string]string{},
		}
		for _, n := range names {
			rec.Values[n[1]] = r.PathValue(n[1])
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, rec)
		s.mu.Unlock()
		h(w, r)
	})
	return s
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (s *stub) requests() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.reqs...)
}

// only returns the single request the stub received, failing the test when
// there were none or several.
func (s *stub) only(t *testing.T) received {
	t.Helper()
	reqs := s.requests()
	require.Len(t, reqs, 1, "requests received")
	return reqs[0]
}

// catchAll records every request that no other pattern of mux matches, to
// show that a call sent nothing.
func catchAll(mux *http.ServeMux) *stub {
	return handle(mux, "/", http.StatusNotFound, `{"error":{"code":"NotFoundError","message":"no such route"}}`)
}

// opCase is one operation under test: the route it must use, a canned
// response, the call, and what must go on the wire.
type opCase struct {
	name    string
	pattern string // mux pattern without the /api/v3 prefix
	status  int    // of the canned response; zero means 200
	resp    string // canned response body
	call    func(ctx context.Context, c *Client) (any, error)

	method string
	path   string     // escaped path, /api/v3 prefix included
	query  url.Values // nil means no query parameters
	body   string     // exact JSON body, or "" for none

	check func(t *testing.T, result any) // inspects the decoded result
}

// runHappyPaths runs every case against a fresh test server and asserts the
// method, path, query, headers and body the server received, then the result.
func runHappyPaths(t *testing.T, cases []opCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			status := tc.status
			if status == 0 {
				status = http.StatusOK
			}
			s := handle(mux, tc.pattern, status, tc.resp)
			result, err := tc.call(t.Context(), c)
			require.NoError(t, err)
			got := s.only(t)
			assertRequest(t, got, tc.method, tc.path, tc.query, tc.body)
			if tc.check != nil {
				tc.check(t, result)
			}
		})
	}
}

// assertRequest checks one received request.
func assertRequest(t *testing.T, got received, method, path string, query url.Values, body string) {
	t.Helper()
	assert.Equal(t, method, got.Method, "method")
	assert.Equal(t, path, got.Path, "path")
	if query == nil {
		query = url.Values{}
	}
	assert.Equal(t, query, got.Query, "query")
	assert.Equal(t, testAPIKey, got.Header.Get("x-apikey"), "x-apikey")
	assert.Equal(t, "application/json", got.Header.Get("Accept"), "Accept")
	assert.Equal(t, defaultUserAgent, got.Header.Get("User-Agent"), "User-Agent")
	if body == "" {
		assert.Empty(t, got.Body, "body")
		assert.Empty(t, got.Header.Get("Content-Type"), "Content-Type without a body")
		return
	}
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"), "Content-Type")
	assert.JSONEq(t, body, got.Body, "body")
	assert.Equal(t, body, got.Body, "body, byte for byte")
}

// runErrorPaths runs every case against a server that answers 404
// NotFoundError and asserts the typed error.
func runErrorPaths(t *testing.T, cases []opCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			s := handle(mux, tc.pattern, http.StatusNotFound, `{"error":{"code":"NotFoundError","message":"Graph not found"}}`)
			_, err := tc.call(t.Context(), c)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrNotFound)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
			assert.Equal(t, tc.method, apiErr.Method)
			assert.Equal(t, tc.path, apiErr.Path)
			assert.Equal(t, "Graph not found", apiErr.Message)
			assert.Len(t, s.requests(), 1)
		})
	}
}

// runDecodeErrors runs every case against a server whose 200 body is not
// the expected JSON and asserts a *DecodeError keeping the status.
func runDecodeErrors(t *testing.T, cases []opCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			handle(mux, tc.pattern, http.StatusOK, `<html>maintenance</html>`)
			_, err := tc.call(t.Context(), c)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, http.StatusOK, de.StatusCode)
			assert.Equal(t, tc.method, de.Method)
			assert.Equal(t, tc.path, de.Path)
			assert.Contains(t, de.Excerpt, "maintenance")
		})
	}
}

// runCancellation runs every case against a handler that blocks until the
// request's context ends, cancels the call once the request arrived, and
// asserts that the call returns the context's error.
func runCancellation(t *testing.T, cases []opCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			arrived := make(chan struct{})
			var once sync.Once
			handleFunc(mux, tc.pattern, func(_ http.ResponseWriter, r *http.Request) {
				once.Do(func() { close(arrived) })
				<-r.Context().Done()
			})
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			go func() {
				select {
				case <-arrived:
				case <-ctx.Done(): // the call failed before the request arrived
				}
				cancel()
			}()
			_, err := tc.call(ctx, c)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.Canceled)
			var apiErr *APIError
			assert.False(t, errors.As(err, &apiErr), "a cancelled call is not an API error: %v", err)
		})
	}
}

// assertSentNothing checks that a call failed validation locally.
func assertSentNothing(t *testing.T, s *stub) {
	t.Helper()
	assert.Empty(t, s.requests(), "the server received a request")
}

// paramPaths returns the paths of a *ParamError's problems, failing the test
// when err is not one.
func paramPaths(t *testing.T, err error) []string {
	t.Helper()
	var pe *ParamError
	require.ErrorAs(t, err, &pe)
	paths := make([]string, len(pe.Problems))
	for i, p := range pe.Problems {
		paths[i] = p.Path
	}
	return paths
}

// handlerDoer serves requests with h in memory, without a network, so that a
// test inside a synctest bubble can use an http.Handler.
func handlerDoer(h http.Handler) Doer {
	return doerFunc(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		resp := rec.Result()
		resp.Request = r
		return resp, nil
	})
}
