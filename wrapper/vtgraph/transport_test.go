package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// logRecorder is a slog.Handler that keeps every record as one line holding
// the message and all attributes, however they were attached.
type logRecorder struct {
	mu    *sync.Mutex
	lines *[]string
	attrs []slog.Attr
}

func newLogRecorder() *logRecorder {
	return &logRecorder{mu: new(sync.Mutex), lines: new([]string)}
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Level.String() + " " + r.Message)
	write := func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%+v", a.Key, a.Value.Resolve().Any())
		return true
	}
	for _, a := range h.attrs {
		write(a)
	}
	r.Attrs(write)
	h.mu.Lock()
	defer h.mu.Unlock()
	*h.lines = append(*h.lines, b.String())
	return nil
}

func (h *logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), as...)
	return &c
}

func (h *logRecorder) WithGroup(string) slog.Handler { return h }

func (h *logRecorder) Lines() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), *h.lines...)
}

func get(t *testing.T, ctx context.Context, c *Client, path string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.do(req)
}

func TestPipelineSetsHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		opts       []Option
		accept     string
		wantUA     string
		wantAccept string
	}{
		{name: "defaults", wantUA: defaultUserAgent, wantAccept: "application/json"},
		{name: "custom user agent", opts: []Option{WithUserAgent("my-tool/1.2")}, wantUA: "my-tool/1.2", wantAccept: "application/json"},
		{name: "caller's Accept kept", accept: "application/octet-stream", wantUA: defaultUserAgent, wantAccept: "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t, tt.opts...)
			mux.HandleFunc("GET /graphs/{id}", func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get("x-apikey"); got != testAPIKey {
					t.Errorf("x-apikey = %q", got)
				}
				if got := r.UserAgent(); got != tt.wantUA {
					t.Errorf("User-Agent = %q, want %q", got, tt.wantUA)
				}
				if got := r.Header.Get("Accept"); got != tt.wantAccept {
					t.Errorf("Accept = %q, want %q", got, tt.wantAccept)
				}
				if r.PathValue("id") != "g1" {
					t.Errorf("path = %q", r.URL.Path)
				}
				w.WriteHeader(http.StatusNoContent)
			})
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, c.baseURL()+"/graphs/g1", nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			resp, err := c.do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent {
				t.Errorf("status %d: the handler was not reached through the /api/v3 prefix", resp.StatusCode)
			}
			if req.Header.Get("x-apikey") != "" || req.Header.Get("User-Agent") != "" {
				t.Error("Do modified the caller's request headers")
			}
		})
	}
}

func TestPipelineRefusesOtherOrigins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		sent bool
	}{
		{testBaseURL + "/graphs", true},
		{"https://VT.example.test:443/api/v3/graphs", true},
		{"https://vt.example.test/other/path", true}, // same origin: the prefix is not a boundary
		{"http://vt.example.test/api/v3/graphs", false},
		{"https://vt.example.test:8443/api/v3/graphs", false},
		{"https://evil.example.test/api/v3/graphs", false},
		{"https://vt.example.test.evil.test/api/v3/graphs", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			var sent bool
			c := newFakeClient(t, doerFunc(func(r *http.Request) (*http.Response, error) {
				sent = true
				resp, _ := fakeResponse(r, http.StatusOK, "{}")
				return resp, nil
			}))
			body := &trackedBody{Reader: strings.NewReader("{}")}
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, tt.url, body)
			resp, err := c.do(req)
			if sent != tt.sent {
				t.Fatalf("sent = %v, want %v (err %v)", sent, tt.sent, err)
			}
			if tt.sent {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return
			}
			if err == nil || !strings.Contains(err.Error(), "refusing to send the API key") {
				t.Errorf("err = %v", err)
			}
			if !body.closed.Load() {
				t.Error("the request body was not closed")
			}
		})
	}
}

// TestRedirectDoesNotForwardKey follows redirects between two local servers,
// which differ by port and so by origin.
func TestRedirectDoesNotForwardKey(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]string{} // path → x-apikey received
	record := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path] = r.Header.Get("x-apikey")
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if back := r.URL.Query().Get("back"); back != "" {
			http.Redirect(w, r, back, http.StatusFound)
			return
		}
		record(w, r)
	}))
	t.Cleanup(other.Close)

	var userRedirects sync.Map
	clients := map[string][]Option{
		"setup-client":   nil,
		"plain-client":   {WithHTTPClient(&http.Client{})},
		"client-as-doer": {WithDoer(&http.Client{})},
		"user-check-redirect": {WithHTTPClient(&http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
			userRedirects.Store(req.URL.String(), true)
			return nil
		}})},
	}
	for name, opts := range clients {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t, opts...)
			prefix := strings.TrimSuffix(c.baseURL(), "/api/v3")
			mux.HandleFunc("GET /cross", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/landing-"+name, http.StatusFound)
			})
			mux.HandleFunc("GET /same", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/api/v3/final-"+name, http.StatusMovedPermanently)
			})
			mux.HandleFunc("GET /bounce", func(w http.ResponseWriter, r *http.Request) {
				back := prefix + "/api/v3/back-" + name
				http.Redirect(w, r, other.URL+"/away?back="+url.QueryEscape(back), http.StatusTemporaryRedirect)
			})
			mux.HandleFunc("GET /final-"+name, record)
			mux.HandleFunc("GET /back-"+name, record)

			for _, path := range []string{"/cross", "/same", "/bounce"} {
				resp, err := get(t, t.Context(), c, path)
				if err != nil {
					t.Fatalf("GET %s: %v", path, err)
				}
				resp.Body.Close()
			}
			mu.Lock()
			defer mu.Unlock()
			for path, want := range map[string]string{
				"/landing-" + name: "",         // another host
				"/final-" + name:   testAPIKey, // same origin keeps the key
				"/back-" + name:    "",         // back home after leaving: still stripped, like Authorization
			} {
				got, ok := seen[path]
				if !ok {
					t.Errorf("%s was not reached", path)
				} else if got != want {
					t.Errorf("%s received x-apikey %q, want %q", path, got, want)
				}
			}
		})
	}
	t.Cleanup(func() {
		n := 0
		userRedirects.Range(func(any, any) bool { n++; return true })
		if n == 0 {
			t.Error("the caller's CheckRedirect was never called")
		}
	})
}

func TestTransportErrorHidesQuery(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL + "/api/v3"
	srv.Close() // every request now fails to connect
	c, err := New(testAPIKey, WithBaseURL(base), WithoutRetries())
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(t, t.Context(), c, "/intelligence/search?query=secret-search-term")
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	if strings.Contains(err.Error(), "secret-search-term") {
		t.Errorf("the error shows the query: %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || !strings.HasSuffix(ue.URL, "/api/v3/intelligence/search") {
		t.Errorf("want a *url.Error with the path, got %#v", err)
	}
	if !strings.HasPrefix(err.Error(), "vtgraph: GET /api/v3/intelligence/search: ") {
		t.Errorf("err = %v", err)
	}
}

func TestHandBuiltRequests(t *testing.T) {
	t.Parallel()
	var got http.Header
	c := newFakeClient(t, doerFunc(func(r *http.Request) (*http.Response, error) {
		got = r.Header
		resp, _ := fakeResponse(r, http.StatusNoContent, "")
		return resp, nil
	}))
	u, _ := url.Parse(testBaseURL + "/graphs")
	resp, err := c.do((&http.Request{Method: http.MethodGet, URL: u}).WithContext(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got.Get("x-apikey") != testAPIKey {
		t.Error("a request without a Header map got no key")
	}
	if _, err := c.do((&http.Request{Method: http.MethodGet}).WithContext(t.Context())); err == nil {
		t.Error("a request without a URL was accepted")
	}
}

func TestDoerWithoutResponseOrError(t *testing.T) {
	t.Parallel()
	c := newFakeClient(t, doerFunc(func(*http.Request) (*http.Response, error) { return nil, nil }), WithoutRetries())
	resp, err := get(t, t.Context(), c, "/graphs")
	if err == nil || resp != nil {
		t.Fatalf("got %v, %v; want an error", resp, err)
	}
}

func TestLoggingRecordsAttempts(t *testing.T) {
	t.Parallel()
	rec := newLogRecorder()
	c, mux := setup(t, WithLogger(slog.New(rec)))
	mux.HandleFunc("GET /graphs", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	resp, err := get(t, t.Context(), c, "/graphs?filter=secret-search-term")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	lines := rec.Lines()
	if len(lines) != 1 {
		t.Fatalf("got %d records, want 1: %q", len(lines), lines)
	}
	for _, want := range []string{"DEBUG vtgraph: request", "method=GET", "path=/api/v3/graphs", "attempt=1", "status=418", "duration="} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("record %q lacks %q", lines[0], want)
		}
	}
	for _, banned := range []string{"secret-search-term", testAPIKey, "apikey", "User-Agent"} {
		if strings.Contains(lines[0], banned) {
			t.Errorf("record %q contains %q", lines[0], banned)
		}
	}
}

// TestKeyNeverLeaks drives every failure path with a recognisable key and
// searches all errors, in every fmt form, and all log records for it.
func TestKeyNeverLeaks(t *testing.T) {
	t.Parallel()
	rec := newLogRecorder()
	c, mux := setup(t, WithLogger(slog.New(rec)), WithRateLimit(rate.Every(time.Hour), 4))
	mux.HandleFunc("GET /unauthorized", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error": {"code": "WrongCredentialsError", "message": "Wrong API key"}}`)
	})
	mux.HandleFunc("GET /proxy-page", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body>Bad gateway</body></html>")
	})
	mux.HandleFunc("GET /garbage", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>not json</html>")
	})
	mux.HandleFunc("GET /redirect-away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:1/unreachable", http.StatusFound)
	})

	var errs []error
	collect := func(err error) {
		if err == nil {
			t.Error("an expected failure returned no error")
			return
		}
		errs = append(errs, err)
	}
	for _, path := range []string{"/unauthorized", "/proxy-page"} {
		resp, err := get(t, t.Context(), c, path)
		if err != nil {
			t.Fatal(err)
		}
		collect(checkResponse(resp))
	}
	resp, err := get(t, t.Context(), c, "/garbage")
	if err != nil {
		t.Fatal(err)
	}
	collect(decodeJSON(resp, new(map[string]any)))

	_, err = get(t, t.Context(), c, "/redirect-away")
	collect(err)

	// Another origin on a closed local port: if the guard ever broke, the
	// request would fail at once rather than leave the machine.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1:1/api/v3/graphs", nil)
	_, err = c.do(req)
	collect(err)

	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = get(t, canceled, c, "/graphs")
	collect(err)

	// The four requests above used the burst; the next token is an hour
	// away, past the deadline, so the limiter refuses at once.
	short, cancelShort := context.WithTimeout(t.Context(), time.Minute)
	defer cancelShort()
	_, err = get(t, short, c, "/graphs")
	collect(err)

	for _, err := range errs {
		out := fmt.Sprintf("%v | %+v | %#v | %s", err, err, err, err.Error())
		if strings.Contains(out, testAPIKey) {
			t.Errorf("an error shows the key: %s", out)
		}
	}
	lines := rec.Lines()
	if len(lines) < 4 {
		t.Errorf("only %d log records: the test would prove nothing", len(lines))
	}
	for _, line := range lines {
		if strings.Contains(line, testAPIKey) {
			t.Errorf("a log record shows the key: %s", line)
		}
	}
}

// TestWritesDoNotFollowRedirectsToOtherOrigins redirects every kind of
// write, with every redirect status, to another origin: the request must
// not reach it (a 307 or 308 would re-send the body there, a 301, 302 or 303
// would turn it into a GET there), and the error must say why without
// showing where the redirect pointed. Retries are on, to show the refusal
// is final.
func TestWritesDoNotFollowRedirectsToOtherOrigins(t *testing.T) {
	t.Parallel()
	var reached sync.Map
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Store(r.URL.Path, true)
	}))
	t.Cleanup(other.Close)
	for _, method := range []string{http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
		for _, status := range []int{301, 302, 303, 307, 308} {
			name := fmt.Sprintf("%s %d", method, status)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var sent atomic.Int32
				landing := fmt.Sprintf("/landing-%s-%d", method, status)
				c, mux := setup(t, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
				mux.HandleFunc("/graphs/{id}", func(w http.ResponseWriter, r *http.Request) {
					sent.Add(1)
					http.Redirect(w, r, other.URL+landing, status)
				})
				body := &trackedBody{Reader: strings.NewReader(`{"data":{}}`)}
				req, _ := http.NewRequestWithContext(withIdempotent(t.Context()), method, c.baseURL()+"/graphs/g1", body)
				req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(`{"data":{}}`)), nil }
				resp, err := c.do(req)
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got status %d, want the redirect refused", resp.StatusCode)
				}
				if _, ok := reached.Load(landing); ok {
					t.Error("the other origin received the request")
				}
				if n := sent.Load(); n != 1 {
					t.Errorf("the API received %d requests, want 1", n)
				}
				msg := err.Error()
				for _, want := range []string{"vtgraph: " + method + " /api/v3/graphs/g1: ", strconv.Itoa(status), "another origin"} {
					if !strings.Contains(msg, want) {
						t.Errorf("error %q lacks %q", msg, want)
					}
				}
				for _, banned := range []string{landing, strings.TrimPrefix(other.URL, "http://")} {
					if strings.Contains(msg, banned) {
						t.Errorf("error %q shows where the redirect pointed (%s)", msg, banned)
					}
				}
			})
		}
	}
}

// TestWritesFollowRedirectsOnTheSameOrigin redirects writes within the API's
// origin: they arrive, body and key included.
func TestWritesFollowRedirectsOnTheSameOrigin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method string
		status int
	}{{http.MethodPost, 307}, {http.MethodPatch, 308}, {http.MethodDelete, 307}} {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("/graphs/{id}", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/api/v3/moved/"+r.PathValue("id"), tc.status)
			})
			var got string
			mux.HandleFunc("/moved/{id}", func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = r.Method + " " + r.Header.Get("x-apikey") + " " + string(b)
				w.WriteHeader(http.StatusNoContent)
			})
			req, _ := http.NewRequestWithContext(t.Context(), tc.method, c.baseURL()+"/graphs/g1", strings.NewReader("payload"))
			resp, err := c.do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if want := tc.method + " " + testAPIKey + " payload"; got != want {
				t.Errorf("the redirect target received %q, want %q", got, want)
			}
		})
	}
}

// TestErrorPathIsTheRequestedOne has the API redirect a read to another
// origin, which answers with an error or a page that is not JSON: the
// error names the path the caller asked for, not the redirect's, which the
// redirecting server chose and could fill with anything.
func TestErrorPathIsTheRequestedOne(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.RawQuery, "status200") {
			fmt.Fprint(w, "<html>not JSON</html>")
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(other.Close)
	c, mux := setup(t)
	mux.HandleFunc("GET /graphs/{id}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/chosen/by/the/server?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
	})
	id := "g" + strings.Repeat("b", 64)
	for _, status := range []string{"401", "200"} {
		_, err := c.GetGraph(t.Context(), id, &GetGraphOptions{Attributes: []string{"status" + status}})
		var (
			apiErr *APIError
			decErr *DecodeError
			path   string
		)
		switch {
		case errors.As(err, &apiErr):
			path = apiErr.Path
		case errors.As(err, &decErr):
			path = decErr.Path
		default:
			t.Fatalf("status %s: got %v, want an *APIError or a *DecodeError", status, err)
		}
		if want := "/api/v3/graphs/" + id; path != want {
			t.Errorf("status %s: Path = %q, want %q", status, path, want)
		}
		if strings.Contains(err.Error(), "chosen") {
			t.Errorf("status %s: the error shows the redirect's path: %v", status, err)
		}
	}
}
