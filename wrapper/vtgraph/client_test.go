package vtgraph

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// testAPIKey is made up and easy to search for in any output.
const testAPIKey = "vt-fake-key-0123456789abcdef-MUST-NOT-LEAK"

// testBaseURL is the base URL of clients whose doer is a fake, not a server.
const testBaseURL = "https://vt.example.test/api/v3"

// setup returns a client wired to a local test server, and the mux that
// serves it. Handlers are registered without the "/api/v3" prefix, which the
// client keeps in its base URL, for example mux.HandleFunc("GET /graphs/{id}",
// …). Retries are off unless opts turn them on, since a real server means
// real time.
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.Handle("/api/v3/", http.StripPrefix("/api/v3", mux))
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	opts = append([]Option{WithBaseURL(srv.URL + "/api/v3"), WithHTTPClient(srv.Client()), WithoutRetries()}, opts...)
	c, err := New(testAPIKey, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, mux
}

// doerFunc adapts a function to the Doer interface.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// trackedBody is a response body that records whether it was closed.
type trackedBody struct {
	io.Reader
	closed atomic.Bool
}

func (b *trackedBody) Close() error {
	b.closed.Store(true)
	return nil
}

// fakeResponse builds a response to req; header holds name, value pairs.
func fakeResponse(req *http.Request, status int, body string, header ...string) (*http.Response, *trackedBody) {
	tb := &trackedBody{Reader: strings.NewReader(body)}
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: h, Body: tb, Request: req}, tb
}

// newFakeClient returns a client on testBaseURL whose requests go to d, with
// jitter off so waits are exact.
func newFakeClient(t *testing.T, d Doer, opts ...Option) *Client {
	t.Helper()
	c, err := New(testAPIKey, append([]Option{WithBaseURL(testBaseURL), WithDoer(d)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.pipe.jitter = func(d time.Duration) time.Duration { return d }
	return c
}

func TestNewRejectsBadKeys(t *testing.T) {
	t.Parallel()
	for name, key := range map[string]string{
		"empty":        "",
		"newline":      testAPIKey + "\n",
		"space inside": "vt fake",
		"non-ASCII":    "vt-fake-ключ",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := New(key)
			if err == nil || c != nil {
				t.Fatalf("New(%q) = %v, %v; want an error", key, c, err)
			}
			if key != "" && strings.Contains(err.Error(), key) {
				t.Errorf("the error shows the key: %v", err)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	c, err := New(testAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.baseURL(); got != DefaultBaseURL {
		t.Errorf("baseURL() = %q, want %q", got, DefaultBaseURL)
	}
	if c.pipe.retry != DefaultRetryPolicy() {
		t.Errorf("retry policy = %+v, want the default", c.pipe.retry)
	}
	if c.pipe.limiter != nil || c.pipe.logger != nil {
		t.Error("a default client has a rate limiter or a logger")
	}
	if c.pipe.userAgent != defaultUserAgent {
		t.Errorf("user agent = %q", c.pipe.userAgent)
	}
	hc, ok := c.pipe.next.(*http.Client)
	if !ok || hc.CheckRedirect == nil {
		t.Fatalf("the default doer is %T without a redirect policy", c.pipe.next)
	}
	// Requests sent in parallel, up to MaxConcurrency, reuse their
	// connections: net/http's default transport keeps two idle per host.
	if tr, ok := hc.Transport.(*http.Transport); !ok || tr.MaxIdleConnsPerHost != MaxConcurrency {
		t.Errorf("the default transport is %T keeping %v idle connections per host, want %d", hc.Transport, hc.Transport, MaxConcurrency)
	}
	other, err := New(testAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	if other.pipe.next.(*http.Client).Transport != hc.Transport {
		t.Error("two default clients have transports of their own; they share connections as net/http's default does")
	}
}

func TestWithBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string // want "" means an error
	}{
		{"https://www.virustotal.com/api/v3", "https://www.virustotal.com/api/v3"},
		{"https://www.virustotal.com/api/v3/", "https://www.virustotal.com/api/v3"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"https://proxy.example/vt/api/v3", "https://proxy.example/vt/api/v3"},
		{"", ""},
		{"/api/v3", ""},
		{"www.virustotal.com/api/v3", ""},
		{"ftp://www.virustotal.com/api/v3", ""},
		{"https://", ""},
		{"https://user:pass@www.virustotal.com/api/v3", ""},
		{"https://www.virustotal.com/api/v3?x=1", ""},
		{"https://www.virustotal.com/api/v3?", ""},
		{"https://www.virustotal.com/api/v3#frag", ""},
		{"https://www.virustotal.com/%zz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			c, err := New(testAPIKey, WithBaseURL(tt.in))
			if tt.want == "" {
				if err == nil {
					t.Fatalf("WithBaseURL(%q) accepted, base %q", tt.in, c.baseURL())
				}
				if !strings.Contains(err.Error(), "WithBaseURL") {
					t.Errorf("error %q does not name the option", err)
				}
				if strings.Contains(err.Error(), "pass") && strings.Contains(tt.in, "pass") {
					t.Errorf("error %q shows the credentials", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("WithBaseURL(%q): %v", tt.in, err)
			}
			if got := c.baseURL(); got != tt.want {
				t.Errorf("baseURL() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOptionsRejectBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  Option
		want string
	}{
		{"nil HTTP client", WithHTTPClient(nil), "WithHTTPClient"},
		{"nil doer", WithDoer(nil), "WithDoer"},
		{"nil *http.Client doer", WithDoer((*http.Client)(nil)), "WithDoer"},
		{"empty user agent", WithUserAgent(" "), "WithUserAgent"},
		{"user agent with newline", WithUserAgent("a\r\nX-Evil: 1"), "WithUserAgent"},
		{"negative attempts", WithRetryPolicy(RetryPolicy{MaxAttempts: -1}), "MaxAttempts"},
		{"no base delay", WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MaxDelay: time.Second}), "BaseDelay"},
		{"max below base", WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: 2 * time.Second, MaxDelay: time.Second}), "MaxDelay"},
		{"negative retry-after cap", WithRetryPolicy(RetryPolicy{MaxRetryAfter: -1}), "MaxRetryAfter"},
		{"zero rate", WithRateLimit(0, 1), "limit"},
		{"negative rate", WithRateLimit(-1, 1), "limit"},
		{"NaN rate", WithRateLimit(rate.Limit(math.NaN()), 1), "limit"},
		{"zero burst", WithRateLimit(1, 0), "burst"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(testAPIKey, tt.opt)
			if err == nil || c != nil {
				t.Fatalf("New accepted the option")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestNewReportsAllErrorsAtOnce(t *testing.T) {
	t.Parallel()
	_, err := New("", WithBaseURL("ftp://x"), nil, WithUserAgent(""), WithRetryPolicy(RetryPolicy{MaxAttempts: -1, BaseDelay: -1}))
	if err == nil {
		t.Fatal("New accepted everything")
	}
	for _, want := range []string{"API key is empty", "WithBaseURL", "WithUserAgent", "MaxAttempts", "BaseDelay"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestOptionsLastWins(t *testing.T) {
	t.Parallel()
	var used atomic.Int32
	d := doerFunc(func(r *http.Request) (*http.Response, error) {
		used.Add(1)
		resp, _ := fakeResponse(r, http.StatusNoContent, "")
		return resp, nil
	})
	c, err := New(testAPIKey, WithBaseURL("https://a.test"), WithBaseURL(testBaseURL),
		WithHTTPClient(http.DefaultClient), WithDoer(d), WithoutRetries(), WithRetryPolicy(DefaultRetryPolicy()))
	if err != nil {
		t.Fatal(err)
	}
	if c.baseURL() != testBaseURL || c.pipe.retry != DefaultRetryPolicy() {
		t.Errorf("base %q, policy %+v: the later options did not win", c.baseURL(), c.pipe.retry)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, c.baseURL()+"/graphs", nil)
	resp, err := c.do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if used.Load() != 1 {
		t.Error("the later WithDoer was not used")
	}
}

func TestWithHTTPClientDoesNotModifyTheCallersClient(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	c, err := New(testAPIKey, WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil {
		t.Error("the caller's client got a CheckRedirect")
	}
	if c.pipe.next == Doer(hc) {
		t.Error("the client uses the caller's *http.Client itself, not a copy")
	}
}

func TestClientFormattingHidesKey(t *testing.T) {
	t.Parallel()
	c, err := New(testAPIKey, WithBaseURL(testBaseURL))
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v %+v %#v":   fmt.Sprintf("%v %+v %#v", c, c, c),
		"%s %q %x %d":  fmt.Sprintf("%s %q %x %d", c, c, c, c),
		"value %+v":    fmt.Sprintf("%+v", *c),
		"value %#v":    fmt.Sprintf("%#v", *c),
		"pipeline %#v": fmt.Sprintf("%#v %+v", *c.pipe, *c.pipe),
		"secret":       fmt.Sprintf("%v %+v %#v %s %q %x", c.pipe.key, c.pipe.key, c.pipe.key, c.pipe.key, c.pipe.key, c.pipe.key),
		"String":       c.String() + c.GoString(),
		"wrapped":      fmt.Sprintf("%+v", struct{ C *Client }{c}),
	}
	for name, out := range outputs {
		if strings.Contains(out, testAPIKey) {
			t.Errorf("%s shows the key: %s", name, out)
		}
	}
	if s := fmt.Sprint(c); !strings.Contains(s, testBaseURL) || !strings.Contains(s, redacted) {
		t.Errorf("fmt.Sprint(c) = %q, want the base URL and %q", s, redacted)
	}
	var nilClient *Client
	if got := fmt.Sprintf("%v %#v", nilClient, nilClient); got != "<nil> (*vtgraph.Client)(nil)" {
		t.Errorf("nil client prints %q", got)
	}
}

// do sends req through the client's pipeline, as the operations do through
// the generated client. req must target the base URL's host.
func (c *Client) do(req *http.Request) (*http.Response, error) { return c.pipe.Do(req) }
