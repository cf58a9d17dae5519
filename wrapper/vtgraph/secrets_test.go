package vtgraph_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The secrets tests drive every error path with a recognisable, made-up
// key and search for it in every error (in each fmt form and down its
// chain), every log record (a Debug handler that prints all attributes) and
// every panic value.

// secKey is made up; finding it anywhere in output is a leak.
const secKey = "vtgraph-test-secret-9f8e7d"

// secLog captures every record a logger emits, as text with all attributes
// and groups, at Debug level.
type secLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *secLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *secLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *secLog) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// secHandlerFunc is a slog.Handler that passes each record to a function.
type secHandlerFunc func(slog.Record)

func (f secHandlerFunc) Enabled(context.Context, slog.Level) bool      { return true }
func (f secHandlerFunc) Handle(_ context.Context, r slog.Record) error { f(r); return nil }
func (f secHandlerFunc) WithAttrs([]slog.Attr) slog.Handler            { return f }
func (f secHandlerFunc) WithGroup(string) slog.Handler                 { return f }

// secLeaks returns the forms of v that hold the key or its distinctive
// tail: fmt's %v, %+v, %#v and, for an error, the message of every error in
// its chain.
func secLeaks(v any) []string {
	forms := []string{fmt.Sprint(v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v)}
	if err, ok := v.(error); ok {
		var walk func(error)
		walk = func(err error) {
			if err == nil {
				return
			}
			forms = append(forms, err.Error())
			switch u := err.(type) {
			case interface{ Unwrap() error }:
				walk(u.Unwrap())
			case interface{ Unwrap() []error }:
				for _, e := range u.Unwrap() {
					walk(e)
				}
			}
		}
		walk(err)
	}
	var leaks []string
	for _, s := range forms {
		if strings.Contains(s, secKey) || strings.Contains(s, secKey[len(secKey)-13:]) {
			leaks = append(leaks, s)
		}
	}
	return leaks
}

func secAssertNoKey(t *testing.T, what string, v any) {
	t.Helper()
	for _, leak := range secLeaks(v) {
		t.Errorf("%s shows the key: %s", what, leak)
	}
}

// TestKeyNotInFaultErrors runs the whole fault matrix with the key and a
// Debug logger.
func TestKeyNotInFaultErrors(t *testing.T) {
	t.Parallel()
	var log secLog
	logger := log.logger()
	t.Run("cells", func(t *testing.T) {
		for _, f := range relFaults() {
			for _, op := range relOps() {
				t.Run(f.name+"/"+op.name, func(t *testing.T) {
					t.Parallel()
					res := relRunCell(t, secKey, logger, op, f)
					require.Nil(t, res.panicked)
					if _, kind := relWant(op, f); kind != relOK {
						require.Error(t, res.err)
					}
					secAssertNoKey(t, "the error", res.err)
					assert.Empty(t, res.otherKey, "headers that took the key to another host")
				})
			}
		}
	})
	out := log.String()
	require.NotEmpty(t, out, "the logger recorded nothing")
	assert.NotContains(t, out, secKey, "a log record")
}

// TestKeyNotInEchoedErrors has the server quote the key it received back in
// its answer, as a debugging proxy or a verbose error page may: the client
// must not pass it on in the error it builds from that answer.
func TestKeyNotInEchoedErrors(t *testing.T) {
	t.Parallel()
	pad := strings.Repeat("x", 240)
	echoes := []struct {
		name   string
		status int
		ctype  string
		body   string // $KEY is replaced by the key the server received
	}{
		{"401 message", 401, "application/json", `{"error":{"code":"WrongCredentialsError","message":"Wrong API key $KEY"}}`},
		{"400 code", 400, "application/json", `{"error":{"code":"$KEY","message":"bad"}}`},
		{"502 page listing the headers", 502, "text/html", `<html><pre>X-Apikey: $KEY</pre></html>`},
		{"200 echo of the request", 200, "application/json", `{"headers":{"X-Apikey":"$KEY"}}`},
		{"200 page with the key across the excerpt's end", 200, "text/html", "<" + pad + "$KEY" + pad + ">"},
		{"200 key at the point of the syntax error", 200, "application/json", `{"data":` + pad + `$KEY}`},
	}
	for _, e := range echoes {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", e.ctype)
				w.WriteHeader(e.status)
				_, _ = io.WriteString(w, strings.ReplaceAll(e.body, "$KEY", r.Header.Get("X-Apikey")))
			}))
			t.Cleanup(srv.Close)
			var log secLog
			c, err := vtgraph.New(secKey, vtgraph.WithBaseURL(srv.URL+"/api/v3"), vtgraph.WithoutRetries(), vtgraph.WithLogger(log.logger()))
			require.NoError(t, err)
			_, err = c.GetGraph(t.Context(), relGraphID, nil)
			require.Error(t, err)
			secAssertNoKey(t, "the error", err)
			var de *vtgraph.DecodeError
			if errors.As(err, &de) {
				// Not even the part of the key inside the excerpt's window.
				assert.NotContains(t, de.Excerpt, secKey[:6], "the excerpt")
				assert.NotContains(t, de.Excerpt, secKey[len(secKey)-6:], "the excerpt")
			}
			var apiErr *vtgraph.APIError
			if errors.As(err, &apiErr) {
				assert.Equal(t, e.status, apiErr.StatusCode)
			}
			assert.NotContains(t, log.String(), secKey)
		})
	}
}

// TestKeyNotInLocationErrors has the server answer with a redirect whose
// Location holds the key it received: net/http quotes a Location it cannot
// parse in its error, and names the URL of a redirect it could not follow,
// and neither the error nor the log record may pass the key on.
func TestKeyNotInLocationErrors(t *testing.T) {
	t.Parallel()
	for _, loc := range []string{
		"http://[::1$KEY/",
		`http://h\\x$KEY/`,
		"%zz$KEY",
		"http://127.0.0.1:99999/$KEY",
	} {
		for _, op := range relOps() {
			t.Run(loc+"/"+op.name, func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body)
					w.Header().Set("Location", strings.ReplaceAll(loc, "$KEY", r.Header.Get("X-Apikey")))
					w.WriteHeader(http.StatusFound)
				}))
				t.Cleanup(srv.Close)
				var log secLog
				c, err := vtgraph.New(secKey, vtgraph.WithBaseURL(srv.URL+"/api/v3"), vtgraph.WithLogger(log.logger()),
					vtgraph.WithRetryPolicy(vtgraph.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
				require.NoError(t, err)
				err = op.call(t.Context(), c)
				require.Error(t, err)
				secAssertNoKey(t, "the error", err)
				assert.Contains(t, err.Error(), "vtgraph: "+op.method+" "+op.path+": ", "the error names the request")
				if !strings.Contains(err.Error(), "refusing to follow") { // a write to another origin is not followed at all
					assert.Contains(t, err.Error(), "[redacted]", "the error says something was taken out")
				}
				out := log.String()
				require.NotEmpty(t, out)
				assert.NotContains(t, out, secKey, "a log record")
			})
		}
	}
}

// secCall is one call of the client, with arguments that pass its checks.
type secCall func(ctx context.Context, c *vtgraph.Client) error

// secFirstErr returns the first error an iterator yields, if any.
func secFirstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// secCalls holds every method of Client that sends a request, by name.
// TestKeyNotInAnyCall fails when a method is missing, so that a new call
// cannot escape the secrets tests.
func secCalls() map[string]secCall {
	id := relGraphID
	bob := vtgraph.User("bob")
	graph := func() *vtgraph.Graph {
		g := vtgraph.NewGraph("secrets")
		g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
		return g
	}
	opts := &vtgraph.ListOptions{Limit: 2}
	domain := vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: "hooli.com"}
	return map[string]secCall{
		"SearchGraphs": func(ctx context.Context, c *vtgraph.Client) error { _, err := c.SearchGraphs(ctx, nil); return err },
		"SearchGraphsIter": func(ctx context.Context, c *vtgraph.Client) error {
			return secFirstErr(c.SearchGraphsIter(ctx, nil, nil))
		},
		"GetGraph":    func(ctx context.Context, c *vtgraph.Client) error { _, err := c.GetGraph(ctx, id, nil); return err },
		"CreateGraph": func(ctx context.Context, c *vtgraph.Client) error { _, err := c.CreateGraph(ctx, graph()); return err },
		"UpdateGraph": func(ctx context.Context, c *vtgraph.Client) error {
			private := true
			_, err := c.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Private: &private})
			return err
		},
		"SaveGraph": func(ctx context.Context, c *vtgraph.Client) error {
			g := graph()
			g.ID = id
			_, err := c.SaveGraph(ctx, g)
			return err
		},
		"DeleteGraph": func(ctx context.Context, c *vtgraph.Client) error { return c.DeleteGraph(ctx, id) },
		"CopyGraph": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.CopyGraph(ctx, id, "copy")
			return err
		},
		"ListComments": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.ListComments(ctx, id, opts)
			return err
		},
		"ListCommentsIter": func(ctx context.Context, c *vtgraph.Client) error {
			return secFirstErr(c.ListCommentsIter(ctx, id, opts, nil))
		},
		"AddComment": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.AddComment(ctx, id, "seen")
			return err
		},
		"GetOwner": func(ctx context.Context, c *vtgraph.Client) error { _, err := c.GetOwner(ctx, id); return err },
		"GetGroup": func(ctx context.Context, c *vtgraph.Client) error { _, err := c.GetGroup(ctx, id); return err },
		"ListRelated": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.ListRelated(ctx, id, vtgraph.RelationItems, opts)
			return err
		},
		"ListRelatedIter": func(ctx context.Context, c *vtgraph.Client) error {
			return secFirstErr(c.ListRelatedIter(ctx, id, vtgraph.RelationItems, opts, nil))
		},
		"ListRelatedDescriptors": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.ListRelatedDescriptors(ctx, id, vtgraph.RelationItems, opts)
			return err
		},
		"ListRelatedDescriptorsIter": func(ctx context.Context, c *vtgraph.Client) error {
			return secFirstErr(c.ListRelatedDescriptorsIter(ctx, id, vtgraph.RelationItems, opts, nil))
		},
		"ListViewers": func(ctx context.Context, c *vtgraph.Client) error { _, err := c.ListViewers(ctx, id, opts); return err },
		"ListViewersIter": func(ctx context.Context, c *vtgraph.Client) error {
			return secFirstErr(c.ListViewersIter(ctx, id, opts, nil))
		},
		"AddViewers":   func(ctx context.Context, c *vtgraph.Client) error { _, err := c.AddViewers(ctx, id, bob); return err },
		"RemoveViewer": func(ctx context.Context, c *vtgraph.Client) error { return c.RemoveViewer(ctx, id, bob) },
		"IsViewer":     func(ctx context.Context, c *vtgraph.Client) error { _, err := c.IsViewer(ctx, id, bob); return err },
		"ListEditors":  func(ctx context.Context, c *vtgraph.Client) error { _, err := c.ListEditors(ctx, id, opts); return err },
		"ListEditorsIter": func(ctx context.Context, c *vtgraph.Client) error {
			return secFirstErr(c.ListEditorsIter(ctx, id, opts, nil))
		},
		"AddEditors":   func(ctx context.Context, c *vtgraph.Client) error { _, err := c.AddEditors(ctx, id, bob); return err },
		"RemoveEditor": func(ctx context.Context, c *vtgraph.Client) error { return c.RemoveEditor(ctx, id, bob) },
		"IsEditor":     func(ctx context.Context, c *vtgraph.Client) error { _, err := c.IsEditor(ctx, id, bob); return err },
		"GetFile": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.GetFile(ctx, secMD5, &vtgraph.GetEntityOptions{Relationships: []vtgraph.Relationship{vtgraph.FileContactedIPs}})
			return err
		},
		"GetURL": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.GetURL(ctx, "http://hooli.com/", nil)
			return err
		},
		"GetDomain": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.GetDomain(ctx, "hooli.com", nil)
			return err
		},
		"GetIPAddress": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.GetIPAddress(ctx, "192.0.2.1", nil)
			return err
		},
		"GetEntity": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.GetEntity(ctx, domain, nil)
			return err
		},
		"ResolveFileHash": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.ResolveFileHash(ctx, secMD5)
			return err
		},
		"ListEntityRelated": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.ListEntityRelated(ctx, domain, vtgraph.DomainResolutions, opts)
			return err
		},
		"ListEntityRelatedIter": func(ctx context.Context, c *vtgraph.Client) error {
			return secFirstErr(c.ListEntityRelatedIter(ctx, domain, vtgraph.DomainResolutions, opts, nil))
		},
		"ListEntityRelatedDescriptors": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.ListEntityRelatedDescriptors(ctx, domain, vtgraph.DomainSubdomains, opts)
			return err
		},
		"ListEntityRelatedDescriptorsIter": func(ctx context.Context, c *vtgraph.Client) error {
			return secFirstErr(c.ListEntityRelatedDescriptorsIter(ctx, domain, vtgraph.DomainSubdomains, opts, nil))
		},
		"SearchIntelligence": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.SearchIntelligence(ctx, &vtgraph.IntelligenceSearchOptions{Query: "type:peexe", Limit: 2})
			return err
		},
		"SearchIntelligenceIter": func(ctx context.Context, c *vtgraph.Client) error {
			return secFirstErr(c.SearchIntelligenceIter(ctx, &vtgraph.IntelligenceSearchOptions{Query: "type:peexe"}, nil))
		},
		"Expand": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.Expand(ctx, graph(), "hooli.com", nil)
			return err
		},
		"ExpandGraph": func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.ExpandGraph(ctx, graph(), &vtgraph.ExpandGraphOptions{Depth: 2})
			return err
		},
		"Enrich": func(ctx context.Context, c *vtgraph.Client) error {
			g := graph()
			g.AddNode(secMD5, vtgraph.NodeTypeFile)
			_, err := c.Enrich(ctx, g, nil)
			return err
		},
		"Connect": func(ctx context.Context, c *vtgraph.Client) error {
			g := graph()
			g.AddNode("192.0.2.1", vtgraph.NodeTypeIPAddress)
			_, err := c.Connect(ctx, g, "hooli.com", "192.0.2.1", nil)
			return err
		},
	}
}

// secMD5 is a made-up MD5, which the file lookups resolve by a request.
const secMD5 = "0123456789abcdef0123456789abcdef"

// secHostile are the ways a server that received the key can try to put it
// into the errors and log records of the client. Each writes the answer to
// r, whose x-apikey header holds the key; other is the URL of another
// origin, which answers with an error quoting the path it was asked for.
// What a 2xx body holds is the caller's data, returned as sent: a key there
// shows in the result, and a cursor, which a resume must send back, in an
// iterator's position.
var secHostile = map[string]func(w http.ResponseWriter, r *http.Request, other string){
	"error message": func(w http.ResponseWriter, r *http.Request, _ string) {
		relJSON(http.StatusInternalServerError, relErrorBody("InternalError", "bad key "+r.Header.Get("X-Apikey")))(w, r)
	},
	"429 with the key as Retry-After and code": func(w http.ResponseWriter, r *http.Request, _ string) {
		key := r.Header.Get("X-Apikey")
		relJSON(http.StatusTooManyRequests, relErrorBody(key, key), "Retry-After", key)(w, r)
	},
	"200 page": func(w http.ResponseWriter, r *http.Request, _ string) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>"+r.Header.Get("X-Apikey")+"</html>")
	},
	"200 objects whose ids and types are the key": func(w http.ResponseWriter, r *http.Request, _ string) {
		key := r.Header.Get("X-Apikey")
		obj := `{"type":"` + key + `","id":"` + key + `","attributes":{"` + key + `":1}}`
		body := `{"data":` + obj + `}`
		if r.Method == http.MethodGet && !strings.HasSuffix(r.URL.Path, "/"+relGraphID) && !strings.Contains(r.URL.Path, "/viewers/") && !strings.Contains(r.URL.Path, "/editors/") {
			body = `{"data":[` + obj + `],"meta":{"cursor":"next"}}`
		}
		relJSON(http.StatusOK, body)(w, r)
	},
	"Location that is not a URL": func(w http.ResponseWriter, r *http.Request, _ string) {
		w.Header().Set("Location", "http://[::1"+r.Header.Get("X-Apikey")+"/")
		w.WriteHeader(http.StatusFound)
	},
	"307 to another origin, the key in its path": func(w http.ResponseWriter, r *http.Request, other string) {
		http.Redirect(w, r, other+"/"+r.Header.Get("X-Apikey")+r.URL.Path, http.StatusTemporaryRedirect)
	},
}

// TestKeyNotInAnyCall runs every call of the client against every hostile
// server: no error it returns and no log record it writes shows the key.
func TestKeyNotInAnyCall(t *testing.T) {
	t.Parallel()
	calls := secCalls()
	client := reflect.TypeFor[*vtgraph.Client]()
	ctxType := reflect.TypeFor[context.Context]()
	for i := range client.NumMethod() {
		m := client.Method(i)
		if m.Type.NumIn() > 1 && m.Type.In(1) == ctxType {
			if _, ok := calls[m.Name]; !ok {
				t.Errorf("Client.%s sends requests but is not in secCalls", m.Name)
			}
		}
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		relJSON(http.StatusUnauthorized, relErrorBody("AuthenticationRequiredError", "no key for "+r.URL.Path))(w, r)
	}))
	t.Cleanup(other.Close)
	for mode, serve := range secHostile {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			serve(w, r, other.URL)
		}))
		t.Cleanup(srv.Close)
		for name, call := range calls {
			t.Run(mode+"/"+name, func(t *testing.T) {
				t.Parallel()
				var log secLog
				c, err := vtgraph.New(secKey, vtgraph.WithBaseURL(srv.URL+"/api/v3"), vtgraph.WithLogger(log.logger()),
					vtgraph.WithRetryPolicy(vtgraph.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
				require.NoError(t, err)
				err = call(t.Context(), c)
				secAssertNoKey(t, "the error", err)
				assert.NotContains(t, log.String(), secKey, "a log record")
			})
		}
	}
}

// TestKeyNotInEchoesThroughACustomDoer repeats the echo cases with a Doer
// that, unlike *http.Client, returns responses without Request set: the key
// must still be redacted, and the error must still name the method and path.
func TestKeyNotInEchoesThroughACustomDoer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"401 message", 401, `{"error":{"code":"WrongCredentialsError","message":"Wrong API key $KEY"}}`},
		{"200 HTML echo", 200, `<html>$KEY</html>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doer := relDoerFunc(func(r *http.Request) (*http.Response, error) {
				body := strings.ReplaceAll(tc.body, "$KEY", r.Header.Get("X-Apikey"))
				return &http.Response{
					StatusCode: tc.status,
					Header:     http.Header{"Content-Type": {"text/html"}},
					Body:       io.NopCloser(strings.NewReader(body)),
				}, nil
			})
			c, err := vtgraph.New(secKey, vtgraph.WithBaseURL("https://vt.example.test/api/v3"), vtgraph.WithDoer(doer), vtgraph.WithoutRetries())
			require.NoError(t, err)
			_, err = c.GetGraph(t.Context(), relGraphID, nil)
			require.Error(t, err)
			secAssertNoKey(t, "the error", err)
			assert.Contains(t, err.Error(), "GET /api/v3/graphs/"+relGraphID)
		})
	}
}

// TestKeyNotInServerErrors drives the in-memory server's error paths: an
// unknown key, injected faults, a rate limit and a deadline.
func TestKeyNotInServerErrors(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t, vtgraphtest.WithUser("mallory", secKey))
	var log secLog
	c, err := vtgraph.New(secKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithLogger(log.logger()),
		vtgraph.WithRetryPolicy(vtgraph.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	require.NoError(t, err)
	ctx := t.Context()
	id, err := c.CreateGraph(ctx, vtgraph.NewGraph("secret"))
	require.NoError(t, err)

	var errs []error
	collect := func(err error) {
		t.Helper()
		require.Error(t, err)
		errs = append(errs, err)
	}

	stranger, err := vtgraph.New(secKey+"-unknown", vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries())
	require.NoError(t, err)
	_, err = stranger.GetGraph(ctx, id, nil)
	assert.ErrorIs(t, err, vtgraph.ErrWrongCredentials)
	collect(err)

	_, err = c.GetGraph(ctx, "g"+strings.Repeat("0", 64), nil)
	assert.ErrorIs(t, err, vtgraph.ErrNotFound)
	collect(err)

	srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs/{id}", Status: http.StatusServiceUnavailable, Times: 2})
	_, err = c.GetGraph(ctx, id, nil)
	assert.ErrorIs(t, err, vtgraph.ErrTransient)
	collect(err)

	srv.AddFault(vtgraphtest.Fault{Route: "POST /graphs/{id}/comments", Status: http.StatusForbidden, Message: "no", Times: 1})
	_, err = c.AddComment(ctx, id, "hello")
	assert.ErrorIs(t, err, vtgraph.ErrForbidden)
	collect(err)

	srv.RateLimitAfter(0, time.Hour)
	_, err = c.ListComments(ctx, id, nil)
	assert.ErrorIs(t, err, vtgraph.ErrQuotaExceeded)
	collect(err)
	srv.ClearFaults()

	srv.SetLatency(time.Second)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = c.SearchGraphs(short, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	collect(err)
	srv.SetLatency(0)

	for _, err := range errs {
		secAssertNoKey(t, "the error", err)
	}
	assert.NotContains(t, log.String(), secKey, "a log record")
}

// TestKeyNotInBadInputErrors runs the bad-input table with the key.
func TestKeyNotInBadInputErrors(t *testing.T) {
	t.Parallel()
	srv := newBadServer(t)
	var log secLog
	c, err := vtgraph.New(secKey, vtgraph.WithBaseURL(srv.URL), vtgraph.WithoutRetries(), vtgraph.WithLogger(log.logger()))
	require.NoError(t, err)
	for _, bc := range badCases() {
		t.Run(bc.name, func(t *testing.T) {
			secAssertNoKey(t, "the error", runBadCase(t, c, srv, bc))
		})
	}
	assert.NotContains(t, log.String(), secKey, "a log record")
}

// TestKeyNotInPanics checks the panics that cross the client: one raised
// by the HTTP layer in the iterator's prefetch goroutine, which the
// iterator hands back to the caller, and one raised by the loop body.
func TestKeyNotInPanics(t *testing.T) {
	t.Parallel()
	recoverFrom := func(f func()) (v any) {
		defer func() { v = recover() }()
		f()
		return nil
	}
	page := func(r *http.Request, next string) *http.Response {
		body := `{"data":[{"type":"comment","id":"c","attributes":{"text":"x"}}],"meta":{"cursor":"` + next + `"}}`
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: r}
	}
	var calls int
	var mu sync.Mutex
	doer := relDoerFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			return page(r, "next"), nil
		}
		_ = strings.Split(r.URL.Path, "/")[n*100] // a runtime panic: index out of range
		return nil, nil
	})
	c, err := vtgraph.New(secKey, vtgraph.WithBaseURL("https://vt.example.test/api/v3"), vtgraph.WithDoer(doer), vtgraph.WithoutRetries())
	require.NoError(t, err)

	v := recoverFrom(func() {
		for _, err := range c.ListCommentsIter(t.Context(), relGraphID, nil, &vtgraph.IterOptions{Prefetch: true}) {
			require.NoError(t, err)
		}
	})
	require.NotNil(t, v, "the prefetch goroutine's panic reaches the caller")
	secAssertNoKey(t, "the panic value", v)

	mu.Lock()
	calls = 0
	mu.Unlock()
	mine := errors.New("the loop body gave up")
	v = recoverFrom(func() {
		for range c.ListCommentsIter(t.Context(), relGraphID, nil, &vtgraph.IterOptions{Prefetch: true}) {
			panic(mine)
		}
	})
	assert.Same(t, mine, v, "the loop body's panic passes through unchanged")
	secAssertNoKey(t, "the panic value", v)
}

// TestKeyNotInClientFormatting prints the client in every verb, through a
// pointer and as a value.
func TestKeyNotInClientFormatting(t *testing.T) {
	t.Parallel()
	c, err := vtgraph.New(secKey)
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		for _, v := range []any{c, *c, []any{c}, map[string]any{"c": c}} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, secKey, "%s of %T", verb, v)
			assert.NotContains(t, out, fmt.Sprintf("%x", secKey), "%s of %T in hex", verb, v)
		}
	}
}
