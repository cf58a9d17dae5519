package vtgraph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// The API and another origin, both answered in memory by fzServer.
const (
	fzAPI   = "https://vt.example.test"
	fzOther = "https://other.example.test"
)

// fzCall is a call of the client that returns what it decoded.
type fzCall struct {
	name string
	call func(ctx context.Context, c *vtgraph.Client) (any, error)
}

// fzCalls are the kinds of call the fuzz target makes: reads, writes, the
// iterator, and each shape of answer (graph, page, object, boolean, none).
func fzCalls() []fzCall {
	graph := func() *vtgraph.Graph {
		g := vtgraph.NewGraph("fuzz")
		g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
		return g
	}
	private := true
	return []fzCall{
		{"GetGraph", func(ctx context.Context, c *vtgraph.Client) (any, error) { return c.GetGraph(ctx, relGraphID, nil) }},
		{"SearchGraphs", func(ctx context.Context, c *vtgraph.Client) (any, error) { return c.SearchGraphs(ctx, nil) }},
		{"CreateGraph", func(ctx context.Context, c *vtgraph.Client) (any, error) { return c.CreateGraph(ctx, graph()) }},
		{"UpdateGraph", func(ctx context.Context, c *vtgraph.Client) (any, error) {
			return c.UpdateGraph(ctx, relGraphID, &vtgraph.GraphUpdate{Private: &private})
		}},
		{"DeleteGraph", func(ctx context.Context, c *vtgraph.Client) (any, error) { return nil, c.DeleteGraph(ctx, relGraphID) }},
		{"AddComment", func(ctx context.Context, c *vtgraph.Client) (any, error) {
			return c.AddComment(ctx, relGraphID, "fuzz")
		}},
		{"ListCommentsIter", func(ctx context.Context, c *vtgraph.Client) (any, error) {
			var got []*vtgraph.Comment
			for cm, err := range c.ListCommentsIter(ctx, relGraphID, nil, &vtgraph.IterOptions{MaxItems: 5}) {
				if err != nil {
					return got, err
				}
				got = append(got, cm)
			}
			return got, nil
		}},
		{"GetOwner", func(ctx context.Context, c *vtgraph.Client) (any, error) { return c.GetOwner(ctx, relGraphID) }},
		{"ListRelated", func(ctx context.Context, c *vtgraph.Client) (any, error) {
			return c.ListRelated(ctx, relGraphID, vtgraph.RelationItems, nil)
		}},
		{"IsViewer", func(ctx context.Context, c *vtgraph.Client) (any, error) {
			return c.IsViewer(ctx, relGraphID, vtgraph.User("bob"))
		}},
		{"AddViewers", func(ctx context.Context, c *vtgraph.Client) (any, error) {
			return c.AddViewers(ctx, relGraphID, vtgraph.User("bob"))
		}},
	}
}

// fzServer answers every request in memory, on either origin, with the
// fuzzed status, headers and body. In each of them "$KEY" becomes the key
// the request carried (none on the other origin, where the client does not
// send it), "$PATH" the path it asked for, and in the Location "$SELF" and
// "$OTHER" the two origins.
type fzServer struct {
	status                      int
	location, retryAfter, ctype string
	body                        []byte
	mu                          sync.Mutex
	first                       string   // "METHOD path" of the first request
	otherWrites                 []string // writes that reached the other origin
	otherKeyed                  bool     // a request to the other origin carried the key
	keyInSuccess                bool     // a 2xx body held the key
	open                        int      // bodies handed out and not closed
	requests                    int
}

func (s *fzServer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	key := r.Header.Get("X-Apikey")
	fill := func(v string) string {
		v = strings.ReplaceAll(v, "$PATH", r.URL.EscapedPath())
		if key != "" {
			v = strings.ReplaceAll(v, "$KEY", key)
		}
		return v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	origin := r.URL.Scheme + "://" + r.URL.Host
	if s.first == "" {
		s.first = r.Method + " " + r.URL.EscapedPath()
	}
	if origin != fzAPI {
		if key != "" {
			s.otherKeyed = true
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.otherWrites = append(s.otherWrites, r.Method+" "+r.URL.EscapedPath())
		}
	}
	h := http.Header{}
	if s.location != "" {
		loc := strings.NewReplacer("$SELF", fzAPI, "$OTHER", fzOther).Replace(s.location)
		h["Location"] = []string{fill(loc)}
	}
	if s.retryAfter != "" {
		h["Retry-After"] = []string{fill(s.retryAfter)}
	}
	if s.ctype != "" {
		h["Content-Type"] = []string{fill(s.ctype)}
	}
	body := []byte(fill(string(s.body)))
	if s.status >= 200 && s.status <= 299 && key != "" && bytes.Contains(body, []byte(key)) {
		s.keyInSuccess = true
	}
	s.open++
	return &http.Response{
		StatusCode: s.status, Status: fmt.Sprintf("%d %s", s.status, http.StatusText(s.status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: &fzBody{Reader: bytes.NewReader(body), srv: s}, ContentLength: -1, Request: r,
	}, nil
}

type fzBody struct {
	io.Reader
	srv  *fzServer
	once sync.Once
}

func (b *fzBody) Close() error {
	b.once.Do(func() {
		b.srv.mu.Lock()
		b.srv.open--
		b.srv.mu.Unlock()
	})
	return nil
}

// FuzzResponseHeaders answers a call of the client with arbitrary statuses,
// Location, Retry-After and Content-Type headers and bodies, following
// redirects within the API's origin and to another one, and checks what
// comes back: no panic; the key in no error (in any fmt form, down the
// chain), no log record, and no result unless a 2xx body the server sent
// held it (nor an iterator's position, which holds a cursor as sent); the path of an *APIError or *DecodeError is the one requested;
// no write reaches the other origin and no request there carries the key;
// every body handed out is closed; the error is valid UTF-8.
func FuzzResponseHeaders(f *testing.F) {
	f.Add(uint8(0), 302, "http://[::1$KEY/", "", "", []byte(""))
	f.Add(uint8(2), 307, "$OTHER/$KEY$PATH", "", "application/json", []byte(`{"data":{}}`))
	f.Add(uint8(0), 308, "$OTHER/x?k=$KEY", "", "", []byte(""))
	f.Add(uint8(3), 301, "$SELF/api/v3/graphs/"+relGraphID, "", "text/html", []byte(`{"error":{"code":"$KEY"}}`))
	f.Add(uint8(1), 429, "", "$KEY", "application/json", []byte(`{"error":{"code":"QuotaExceededError","message":"$KEY"}}`))
	f.Add(uint8(1), 429, "", "0", "application/json", []byte(`{"error":{"code":"TooManyRequestsError"}}`))
	f.Add(uint8(5), 200, "", "", "text/html; charset=$KEY", []byte("<html>$KEY $PATH</html>"))
	f.Add(uint8(2), 201, "", "", "application/json", []byte(`{"data":{"type":"graph","id":"$KEY"}}`))
	f.Add(uint8(6), 200, "", "", "application/json", []byte(`{"data":[{"type":"comment","id":"c","attributes":{}}],"meta":{"cursor":"$KEY"}}`))
	f.Add(uint8(7), 302, "$OTHER$PATH", "", "", []byte(`{"error":{"message":"you asked for $PATH"}}`))
	f.Add(uint8(4), 503, "", "Wed, 21 Oct 2015 07:28:00 GMT", "", []byte(""))
	f.Fuzz(func(t *testing.T, which uint8, status int, location, retryAfter, ctype string, body []byte) {
		if status < 100 || status > 999 {
			status = 100 + int(uint(status)%900)
		}
		calls := fzCalls()
		call := calls[int(which)%len(calls)]
		srv := &fzServer{status: status, location: location, retryAfter: retryAfter, ctype: ctype, body: body}
		var log secLog
		c, err := vtgraph.New(secKey, vtgraph.WithBaseURL(fzAPI+"/api/v3"),
			vtgraph.WithHTTPClient(&http.Client{Transport: srv}), vtgraph.WithLogger(log.logger()),
			vtgraph.WithRetryPolicy(vtgraph.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, MaxRetryAfter: time.Microsecond}))
		if err != nil {
			t.Fatal(err)
		}
		result, err := call.call(t.Context(), c)
		srv.mu.Lock()
		defer srv.mu.Unlock()

		var rc *vtgraph.RepeatedCursorError
		if errors.As(err, &rc) && srv.keyInSuccess {
			// Its Position holds the cursor as the server sent it, which a
			// resume must send back: data, like a result.
			rc = &vtgraph.RepeatedCursorError{}
			err = rc
		}
		if leaks := secLeaks(err); len(leaks) > 0 {
			t.Fatalf("%s: the error shows the key: %s", call.name, leaks[0])
		}
		if out := log.String(); strings.Contains(out, secKey) {
			t.Fatalf("%s: a log record shows the key: %s", call.name, out)
		}
		if out, _ := json.Marshal(result); !srv.keyInSuccess && (bytes.Contains(out, []byte(secKey)) || strings.Contains(fmt.Sprintf("%+v", result), secKey)) {
			t.Fatalf("%s: the result shows the key though no 2xx body held it: %s", call.name, out)
		}
		if len(srv.otherWrites) > 0 {
			t.Fatalf("%s: writes reached the other origin: %q", call.name, srv.otherWrites)
		}
		if srv.otherKeyed {
			t.Fatalf("%s: a request to the other origin carried the key", call.name)
		}
		if srv.open != 0 {
			t.Fatalf("%s: %d of the %d response bodies were left open", call.name, srv.open, srv.requests)
		}
		if err == nil {
			return
		}
		if !utf8.ValidString(err.Error()) {
			t.Fatalf("%s: the error is not UTF-8: %q", call.name, err)
		}
		var (
			apiErr *vtgraph.APIError
			decErr *vtgraph.DecodeError
		)
		_, path, _ := strings.Cut(srv.first, " ")
		if errors.As(err, &apiErr) && apiErr.Path != path {
			t.Fatalf("%s: APIError.Path = %q, want the path requested, %q", call.name, apiErr.Path, path)
		}
		if errors.As(err, &decErr) && decErr.Path != path {
			t.Fatalf("%s: DecodeError.Path = %q, want the path requested, %q", call.name, decErr.Path, path)
		}
	})
}
