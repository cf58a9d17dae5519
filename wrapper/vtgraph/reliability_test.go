package vtgraph_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// The fault matrix sends each kind of request (GET, POST, PATCH, DELETE)
// to a local server that misbehaves in one way per row, over real sockets,
// and asserts what the client does: how often the request went out, the
// typed error and its status, no panic and no response body left open. The
// test prints the matrix; docs/RELIABILITY.md shows it and is checked
// against it, so the document cannot go stale:
//
//	go test -v -run '^TestFaultMatrix$' ./wrapper
//	VTGRAPH_RELIABILITY_OUT=docs/RELIABILITY.md go test -run '^TestFaultMatrix$' ./wrapper

// relGraphID is a well-formed graph id, the one in the API documentation.
const relGraphID = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"

// relKey is the made-up key of the matrix; secrets_test.go runs the same
// cells with its own key.
const relKey = "vt-matrix-key-0000"

// relPolicy retries like the default policy, in milliseconds rather than
// seconds since the sockets are real. MaxRetryAfter sits below one second so
// that a "Retry-After: 1" is above it.
var relPolicy = vtgraph.RetryPolicy{
	MaxAttempts:   3,
	BaseDelay:     time.Millisecond,
	MaxDelay:      5 * time.Millisecond,
	MaxRetryAfter: 5 * time.Millisecond,
}

// relSlowDeadline is the caller's deadline in the slow-server row.
const relSlowDeadline = 150 * time.Millisecond

// relOp is one kind of request: a client call and where it must arrive.
type relOp struct {
	name    string // column header
	method  string
	path    string // escaped path the server must receive
	retried bool   // the client's policy retries it: idempotent by method, or marked so
	call    func(ctx context.Context, c *vtgraph.Client) error
}

func relOps() []relOp {
	graph := "/api/v3/graphs/" + relGraphID
	return []relOp{
		{"GET graph", http.MethodGet, graph, true, func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.GetGraph(ctx, relGraphID, nil)
			return err
		}},
		{"POST graph", http.MethodPost, "/api/v3/graphs", false, func(ctx context.Context, c *vtgraph.Client) error {
			g := vtgraph.NewGraph("matrix")
			g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
			_, err := c.CreateGraph(ctx, g)
			return err
		}},
		{"POST comment", http.MethodPost, graph + "/comments", false, func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.AddComment(ctx, relGraphID, "seen in the matrix")
			return err
		}},
		// Granting is a POST and, like every POST, is sent once.
		{"POST viewers", http.MethodPost, graph + "/relationships/viewers", false, func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.AddViewers(ctx, relGraphID, vtgraph.User("bob"))
			return err
		}},
		// Every value an update sends is absolute, so the client retries it.
		{"PATCH graph", http.MethodPatch, graph, true, func(ctx context.Context, c *vtgraph.Client) error {
			private := true
			_, err := c.UpdateGraph(ctx, relGraphID, &vtgraph.GraphUpdate{Private: &private})
			return err
		}},
		{"DELETE graph", http.MethodDelete, graph, true, func(ctx context.Context, c *vtgraph.Client) error {
			return c.DeleteGraph(ctx, relGraphID)
		}},
	}
}

// relKind classifies an outcome.
type relKind int

const (
	relOK        relKind = iota
	relAPIError          // *vtgraph.APIError with a status
	relDecode            // *vtgraph.DecodeError of a 2xx response
	relTransport         // no response: the transport's error, wrapped
	relDeadline          // the caller's context.DeadlineExceeded
	relRefused           // a redirect of a write to another origin, not followed
)

// relFault is one way the server misbehaves.
type relFault struct {
	name string // row header
	// retryable: the policy retries an idempotent request on it.
	retryable bool
	// bodyOnly: the status is 2xx and only the body is wrong, which a
	// DELETE, having nothing to decode, does not notice.
	bodyOnly bool
	// cutBody: the 2xx body is cut off by the network, which the policy
	// retries for an idempotent request whose answer is decoded: not a
	// DELETE.
	cutBody bool
	// redirect, when not nil, has the server send the request to the path
	// it returns on another host, with a 307 or 308 (redirectStatus).
	redirect       func(r *http.Request) string
	redirectStatus int
	// slow: the server outlasts the caller's deadline, relSlowDeadline.
	slow  bool
	serve func(w http.ResponseWriter, r *http.Request)

	kind       relKind
	status     int                           // for relAPIError and relDecode
	code       vtgraph.ErrorCode             // matched with errors.Is when set
	retryAfter time.Duration                 // APIError.RetryAfter
	check      func(t *testing.T, err error) // extra checks, may be nil
}

func relJSON(status int, body string, header ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func relErrorBody(code, message string) string {
	return `{"error":{"code":"` + code + `","message":"` + message + `"}}`
}

// relHijack takes the connection over once the request body is read:
// closing a socket with unread input makes the kernel send a reset, which
// only the reset row wants.
func relHijack(w http.ResponseWriter, r *http.Request) net.Conn {
	_, _ = io.Copy(io.Discard, r.Body)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(fmt.Sprintf("hijack: %v", err))
	}
	return conn
}

// relStall waits until the client hangs up, or 10 s at most.
func relStall(r *http.Request) {
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	select {
	case <-r.Context().Done():
	case <-timer.C:
	}
}

const relNginx502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// relTruncated is the start of a graph response, cut inside the nodes.
const relTruncated = `{"data":{"type":"graph","id":"` + relGraphID + `","attributes":{"nodes":[{"entity_id":"hooli.com","type":"dom`

func relFaults() []relFault {
	return []relFault{
		{
			name:  "429, Retry-After: 1 (above MaxRetryAfter)",
			serve: relJSON(http.StatusTooManyRequests, relErrorBody("QuotaExceededError", "Quota exceeded"), "Retry-After", "1"),
			kind:  relAPIError, status: 429, code: vtgraph.ErrQuotaExceeded, retryAfter: time.Second,
		},
		{
			name: "429, Retry-After: 0", retryable: true,
			serve: relJSON(http.StatusTooManyRequests, relErrorBody("QuotaExceededError", "Quota exceeded"), "Retry-After", "0"),
			kind:  relAPIError, status: 429, code: vtgraph.ErrQuotaExceeded,
		},
		{
			name: "429 TooManyRequestsError without Retry-After", retryable: true,
			serve: relJSON(http.StatusTooManyRequests, relErrorBody("TooManyRequestsError", "Slow down")),
			kind:  relAPIError, status: 429, code: vtgraph.ErrTooManyRequests,
		},
		{
			// A daily quota: no backoff outlasts it.
			name:  "429 QuotaExceededError without Retry-After",
			serve: relJSON(http.StatusTooManyRequests, relErrorBody("QuotaExceededError", "Daily quota exceeded")),
			kind:  relAPIError, status: 429, code: vtgraph.ErrQuotaExceeded,
		},
		{
			name:  "500",
			serve: relJSON(http.StatusInternalServerError, relErrorBody("InternalError", "Something went wrong")),
			kind:  relAPIError, status: 500, code: "InternalError",
		},
		{
			name: "502 with an HTML page",
			serve: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadGateway)
				_, _ = io.WriteString(w, relNginx502)
			},
			kind: relAPIError, status: 502,
			check: func(t *testing.T, err error) {
				var apiErr *vtgraph.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Empty(t, apiErr.Code, "an HTML page has no code")
				assert.Contains(t, err.Error(), "502 Bad Gateway")
			},
		},
		{
			name: "503", retryable: true,
			serve: relJSON(http.StatusServiceUnavailable, relErrorBody("TransientError", "Try again later")),
			kind:  relAPIError, status: 503, code: vtgraph.ErrTransient,
		},
		{
			name: "504", retryable: true,
			serve: relJSON(http.StatusGatewayTimeout, relErrorBody("DeadlineExceededError", "Deadline exceeded")),
			kind:  relAPIError, status: 504, code: vtgraph.ErrDeadlineExceeded,
		},
		{
			name: "connection reset before the response", retryable: true,
			serve: func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err != nil {
					panic(fmt.Sprintf("hijack: %v", err))
				}
				_ = conn.(*net.TCPConn).SetLinger(0) // close with RST
				_ = conn.Close()
			},
			kind: relTransport,
		},
		{
			name: "connection closed half way through the body", bodyOnly: true, cutBody: true,
			serve: func(w http.ResponseWriter, r *http.Request) {
				conn := relHijack(w, r)
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n"+relTruncated)
				_ = conn.Close()
			},
			kind: relDecode, status: 200,
			check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			},
		},
		{
			// No length announced, as for a gzip-encoded answer.
			name: "connection closed half way through a chunked body", bodyOnly: true, cutBody: true,
			serve: func(w http.ResponseWriter, r *http.Request) {
				conn := relHijack(w, r)
				_, _ = fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", len(relTruncated), relTruncated)
				_ = conn.Close()
			},
			kind: relDecode, status: 200,
			check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			},
		},
		{
			name: "truncated JSON", bodyOnly: true,
			serve: relJSON(http.StatusOK, relTruncated),
			kind:  relDecode, status: 200,
		},
		{
			name: "empty 200 body", bodyOnly: true,
			serve: relJSON(http.StatusOK, ""),
			kind:  relDecode, status: 200,
			check: func(t *testing.T, err error) {
				assert.Contains(t, err.Error(), "the body is empty")
			},
		},
		{
			name: "wrong content type (text/html 200)", bodyOnly: true,
			serve: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				_, _ = io.WriteString(w, "<html><body>Sign in to the guest Wi-Fi</body></html>")
			},
			kind: relDecode, status: 200,
			check: func(t *testing.T, err error) {
				var de *vtgraph.DecodeError
				require.ErrorAs(t, err, &de)
				assert.Contains(t, de.Excerpt, "guest Wi-Fi")
			},
		},
		{
			name: "500 whose body stalls past the context deadline", slow: true,
			serve: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = io.WriteString(w, `{"error":{"code":"InternalError","message":"Some`)
				_ = http.NewResponseController(w).Flush()
				relStall(r)
			},
			kind: relAPIError, status: 500,
			check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, context.DeadlineExceeded, "the deadline passed while the body was read")
			},
		},
		{
			name: "server slower than the context deadline", slow: true,
			serve: func(w http.ResponseWriter, r *http.Request) {
				// Reading the body first lets the server notice the client
				// hanging up.
				_, _ = io.Copy(io.Discard, r.Body)
				relStall(r)
			},
			kind: relDeadline,
		},
		{
			// net/http quotes a Location it cannot parse in its error.
			name: "302 whose Location is not a URL and holds the key",
			serve: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Location", "http://[::1"+r.Header.Get("X-Apikey")+"/")
				w.WriteHeader(http.StatusFound)
			},
			kind: relTransport,
			check: func(t *testing.T, err error) {
				assert.Contains(t, err.Error(), "failed to parse Location header")
				assert.Contains(t, err.Error(), "[redacted]", "the key is taken out of the quoted header")
			},
		},
		{
			name:     "307 to another host",
			redirect: func(r *http.Request) string { return r.URL.Path }, redirectStatus: http.StatusTemporaryRedirect,
			kind: relAPIError, status: 401, code: vtgraph.ErrAuthenticationRequired,
		},
		{
			// The redirecting server knows the key and may put it anywhere.
			name: "308 to another host, the key in its path",
			redirect: func(r *http.Request) string {
				return "/echo/" + r.Header.Get("X-Apikey") + r.URL.Path
			},
			redirectStatus: http.StatusPermanentRedirect,
			kind:           relAPIError, status: 401, code: vtgraph.ErrAuthenticationRequired,
		},
	}
}

// relCell is what one request against one fault did.
type relCell struct {
	sent       int      // requests the faulty server received
	sentOther  int      // requests the other host received
	otherKey   []string // headers of the other host's requests holding the key
	keyMissing bool     // a request to the faulty server lacked the key
	wrongRoute []string // requests the faulty server received elsewhere
	err        error
	panicked   any
	openBodies int64
	elapsed    time.Duration
}

// relBodyTracker counts response bodies opened and not yet closed.
type relBodyTracker struct {
	next http.RoundTripper
	open atomic.Int64
}

func (b *relBodyTracker) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := b.next.RoundTrip(r)
	if resp != nil && resp.Body != nil {
		b.open.Add(1)
		resp.Body = &relTrackedBody{ReadCloser: resp.Body, tracker: b}
	}
	return resp, err
}

type relTrackedBody struct {
	io.ReadCloser
	tracker *relBodyTracker
	once    sync.Once
}

func (b *relTrackedBody) Close() error {
	b.once.Do(func() { b.tracker.open.Add(-1) })
	return b.ReadCloser.Close()
}

// relRunCell runs op against a fresh server misbehaving as f, with a
// client using key and, when not nil, logger.
func relRunCell(t *testing.T, key string, logger *slog.Logger, op relOp, f relFault) relCell {
	t.Helper()
	var (
		mu  sync.Mutex
		res relCell
	)
	var other *httptest.Server
	if f.redirect != nil {
		other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			mu.Lock()
			res.sentOther++
			for name, values := range r.Header {
				for _, v := range values {
					if strings.Contains(v, key) {
						res.otherKey = append(res.otherKey, name)
					}
				}
			}
			mu.Unlock()
			relJSON(http.StatusUnauthorized, relErrorBody("AuthenticationRequiredError", "X-Apikey header is missing"))(w, r)
		}))
		defer other.Close()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		res.sent++
		if got := r.Method + " " + r.URL.EscapedPath(); got != op.method+" "+op.path {
			res.wrongRoute = append(res.wrongRoute, got)
		}
		if r.Header.Get("X-Apikey") != key {
			res.keyMissing = true
		}
		mu.Unlock()
		if f.redirect != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			http.Redirect(w, r, other.URL+f.redirect(r), f.redirectStatus)
			return
		}
		f.serve(w, r)
	}))
	defer srv.Close()

	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	tracker := &relBodyTracker{next: tr}
	opts := []vtgraph.Option{
		vtgraph.WithBaseURL(srv.URL + "/api/v3"),
		vtgraph.WithHTTPClient(&http.Client{Transport: tracker}),
		vtgraph.WithRetryPolicy(relPolicy),
	}
	if logger != nil {
		opts = append(opts, vtgraph.WithLogger(logger))
	}
	c, err := vtgraph.New(key, opts...)
	require.NoError(t, err)

	timeout := 10 * time.Second
	if f.slow {
		timeout = relSlowDeadline
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	start := time.Now()
	func() {
		defer func() { res.panicked = recover() }()
		res.err = op.call(ctx, c)
	}()
	res.elapsed = time.Since(start)
	res.openBodies = tracker.open.Load()

	mu.Lock()
	defer mu.Unlock()
	out := res
	out.wrongRoute = append([]string(nil), res.wrongRoute...)
	out.otherKey = append([]string(nil), res.otherKey...)
	return out
}

// relWant returns how many requests op must send against f and the
// expected kind of outcome.
func relWant(op relOp, f relFault) (sent int, kind relKind) {
	sent = 1
	if op.retried && (f.retryable || f.cutBody && op.method != http.MethodDelete) {
		sent = relPolicy.MaxAttempts
	}
	if f.bodyOnly && op.method == http.MethodDelete {
		return sent, relOK
	}
	if f.redirect != nil && op.method != http.MethodGet {
		return sent, relRefused
	}
	return sent, f.kind
}

// relCheck asserts the outcome of a cell and describes it for the matrix.
func relCheck(t *testing.T, op relOp, f relFault, res relCell) string {
	t.Helper()
	require.Nil(t, res.panicked, "panic")
	assert.Zero(t, res.openBodies, "response bodies left open")
	assert.Empty(t, res.wrongRoute, "requests on another route")
	assert.False(t, res.keyMissing, "a request to the API lacked the key")

	wantSent, kind := relWant(op, f)
	assert.Equal(t, wantSent, res.sent, "requests sent")
	if op.method == http.MethodPost {
		assert.Equal(t, 1, res.sent, "a POST is sent exactly once")
	}
	err := res.err
	var (
		apiErr    *vtgraph.APIError
		decodeErr *vtgraph.DecodeError
		urlErr    *url.Error
		outcome   string
	)
	switch kind {
	case relOK:
		assert.NoError(t, err)
		outcome = "ok (no body to decode)"
	case relAPIError:
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, f.status, apiErr.StatusCode, "status")
		assert.Equal(t, op.method, apiErr.Method, "method")
		assert.Equal(t, op.path, apiErr.Path, "the path requested, not a redirect's")
		if f.code != "" {
			assert.ErrorIs(t, err, f.code)
		}
		assert.Equal(t, f.retryAfter, apiErr.RetryAfter, "RetryAfter")
		outcome = fmt.Sprintf("APIError %d", apiErr.StatusCode)
		if apiErr.RetryAfter > 0 {
			outcome += fmt.Sprintf(", RetryAfter %v", apiErr.RetryAfter)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			outcome += " + context.DeadlineExceeded"
		}
	case relDecode:
		require.ErrorAs(t, err, &decodeErr)
		assert.Equal(t, f.status, decodeErr.StatusCode, "status")
		assert.Equal(t, op.method, decodeErr.Method, "method")
		assert.Equal(t, op.path, decodeErr.Path, "path")
		assert.False(t, errors.As(err, &apiErr), "a 2xx is not an APIError")
		outcome = fmt.Sprintf("DecodeError %d", decodeErr.StatusCode)
	case relTransport:
		require.Error(t, err)
		assert.False(t, errors.As(err, &apiErr), "no response, no APIError: %v", err)
		assert.False(t, errors.As(err, &decodeErr), "no response, no DecodeError: %v", err)
		assert.False(t, errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled), "not a context error: %v", err)
		assert.ErrorAs(t, err, &urlErr, "the transport's *url.Error is kept")
		assert.True(t, strings.HasPrefix(err.Error(), "vtgraph: "+op.method+" "+op.path+": "), "error %q names the request", err)
		if wantSent > 1 {
			assert.Contains(t, err.Error(), fmt.Sprintf("giving up after %d attempts", wantSent))
		}
		outcome = "transport error"
	case relRefused:
		require.Error(t, err)
		assert.False(t, errors.As(err, &apiErr), "a refused redirect is not an APIError: %v", err)
		assert.False(t, errors.As(err, &urlErr), "the error does not carry the redirect's URL: %v", err)
		assert.Contains(t, err.Error(), fmt.Sprintf("refusing to follow a %d redirect of a %s to another origin", f.redirectStatus, op.method))
		outcome = "redirect refused"
	case relDeadline:
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.False(t, errors.As(err, &apiErr), "a deadline is not an APIError: %v", err)
		assert.Less(t, res.elapsed, relSlowDeadline+2*time.Second, "the call returns promptly after the deadline")
		outcome = "context.DeadlineExceeded"
	}
	if f.check != nil && kind != relOK && kind != relRefused {
		f.check(t, err)
	}
	assert.Empty(t, res.otherKey, "headers that carried the key to the other host")
	if kind == relRefused {
		assert.Zero(t, res.sentOther, "requests the other host received")
	} else if f.redirect != nil {
		assert.Equal(t, 1, res.sentOther, "requests the other host received")
		return fmt.Sprintf("%d× + 1× to the other host, without key → %s", res.sent, outcome)
	}
	return fmt.Sprintf("%d× → %s", res.sent, outcome)
}

func TestFaultMatrix(t *testing.T) {
	// Not parallel: the goroutine count below must see no other test.
	before := runtime.NumGoroutine()
	ops, faults := relOps(), relFaults()
	cells := make([][]string, len(faults))
	for i := range cells {
		cells[i] = make([]string, len(ops))
	}
	t.Run("cells", func(t *testing.T) {
		for i, f := range faults {
			for j, op := range ops {
				t.Run(f.name+"/"+op.name, func(t *testing.T) {
					t.Parallel()
					cells[i][j] = relCheck(t, op, f, relRunCell(t, relKey, nil, op, f))
				})
			}
		}
	})
	relAssertGoroutinesSettle(t, before)
	if t.Failed() {
		return
	}
	table := relMatrixMarkdown(ops, faults, cells)
	t.Logf("fault matrix: %d faults × %d kinds of request = %d cells\n%s", len(faults), len(ops), len(faults)*len(ops), table)
	relSyncDoc(t, table)
}

// relAssertGoroutinesSettle fails when, after a bounded wait, more
// goroutines run than before: a transport connection, a timer or a handler
// outlived its request.
func relAssertGoroutinesSettle(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		now := runtime.NumGoroutine()
		if now <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Errorf("%d goroutines before the matrix, %d after:\n%s", before, now, buf[:runtime.Stack(buf, true)])
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func relMatrixMarkdown(ops []relOp, faults []relFault, cells [][]string) string {
	var b strings.Builder
	b.WriteString("| Fault |")
	for _, op := range ops {
		b.WriteString(" " + op.name + " |")
	}
	b.WriteString("\n|---|")
	for range ops {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for i, f := range faults {
		b.WriteString("| " + f.name + " |")
		for j := range ops {
			b.WriteString(" " + cells[i][j] + " |")
		}
		b.WriteString("\n")
	}
	policy := fmt.Sprintf("\n%d faults × %d kinds of request = %d cells; every cell: no panic, no response body left open, "+
		"the request on its intended route with the key; after all cells no goroutine left. "+
		"Retry policy: MaxAttempts %d, BaseDelay %v, MaxDelay %v, MaxRetryAfter %v; slow server: caller's deadline %v.\n",
		len(faults), len(ops), len(faults)*len(ops), relPolicy.MaxAttempts, relPolicy.BaseDelay, relPolicy.MaxDelay, relPolicy.MaxRetryAfter, relSlowDeadline)
	b.WriteString(policy)
	return b.String()
}

const (
	relDocFile    = "docs/RELIABILITY.md"
	relBeginMark  = "<!-- fault-matrix:begin (generated by TestFaultMatrix) -->\n"
	relEndMark    = "<!-- fault-matrix:end -->\n"
	relOutEnvName = "VTGRAPH_RELIABILITY_OUT"
)

// relSyncDoc writes the matrix between the markers of the file named by
// VTGRAPH_RELIABILITY_OUT (relative to the module root), or else checks
// that docs/RELIABILITY.md, when present, shows the matrix as it is.
func relSyncDoc(t *testing.T, table string) {
	t.Helper()
	root := relModuleRoot(t)
	if out := os.Getenv(relOutEnvName); out != "" {
		if !filepath.IsAbs(out) {
			out = filepath.Join(root, out)
		}
		old, err := os.ReadFile(out)
		if errors.Is(err, os.ErrNotExist) {
			old = []byte(relBeginMark + relEndMark)
		} else {
			require.NoError(t, err)
		}
		updated, ok := relReplaceBetween(string(old), table)
		require.True(t, ok, "%s has no fault-matrix markers", out)
		require.NoError(t, os.WriteFile(out, []byte(updated), 0o644))
		t.Logf("wrote the fault matrix to %s", out)
		return
	}
	doc, err := os.ReadFile(filepath.Join(root, relDocFile))
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	require.NoError(t, err)
	updated, ok := relReplaceBetween(string(doc), table)
	if !ok || updated != string(doc) {
		t.Errorf("%s does not show the current fault matrix; regenerate it with\n\t%s=%s go test -run '^TestFaultMatrix$' ./wrapper",
			relDocFile, relOutEnvName, relDocFile)
	}
}

func relReplaceBetween(doc, table string) (string, bool) {
	begin := strings.Index(doc, relBeginMark)
	end := strings.Index(doc, relEndMark)
	if begin < 0 || end < begin {
		return doc, false
	}
	return doc[:begin+len(relBeginMark)] + table + doc[end:], true
}

func relModuleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "no go.mod above the test's directory")
		dir = parent
	}
}

// relCountingBody counts the bytes the client read from a response body.
type relCountingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b relCountingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

type relRoundTripFunc func(*http.Request) (*http.Response, error)

func (f relRoundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestErrorBodyIsReadWithABound has the server stream a 16 MiB error page
// and checks that the client read at most the 1 MiB bound of it.
func TestErrorBodyIsReadWithABound(t *testing.T) {
	t.Parallel()
	const size = 16 << 20
	page := bytes.Repeat([]byte("<p>proxy error</p>\n"), 1<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		for written := 0; written < size; written += len(page) {
			if _, err := w.Write(page); err != nil {
				return // the client hung up once it had enough
			}
		}
	}))
	t.Cleanup(srv.Close)
	var read atomic.Int64
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	counting := relRoundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := tr.RoundTrip(r)
		if resp != nil {
			resp.Body = relCountingBody{ReadCloser: resp.Body, n: &read}
		}
		return resp, err
	})
	c, err := vtgraph.New(relKey, vtgraph.WithBaseURL(srv.URL+"/api/v3"),
		vtgraph.WithHTTPClient(&http.Client{Transport: counting}), vtgraph.WithoutRetries())
	require.NoError(t, err)

	_, err = c.GetGraph(t.Context(), relGraphID, nil)
	var apiErr *vtgraph.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.LessOrEqual(t, read.Load(), int64(1<<20), "bytes of the error body read")
	assert.Less(t, len(err.Error()), 1<<10, "the error stays short")
}

// TestErrorMessageIsClipped answers with a JSON error whose message is
// 512 KiB long.
func TestErrorMessageIsClipped(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 256<<10)
	srv := httptest.NewServer(http.HandlerFunc(relJSON(http.StatusBadRequest, relErrorBody("InvalidArgumentError", long))))
	t.Cleanup(srv.Close)
	c, err := vtgraph.New(relKey, vtgraph.WithBaseURL(srv.URL+"/api/v3"), vtgraph.WithoutRetries())
	require.NoError(t, err)
	_, err = c.GetGraph(t.Context(), relGraphID, nil)
	var apiErr *vtgraph.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, vtgraph.ErrInvalidArgument)
	assert.LessOrEqual(t, len(apiErr.Message), 4<<10+len("…"))
	assert.True(t, strings.HasSuffix(apiErr.Message, "é…"), "clipped on a character boundary")
}

// relBigGraphResponse returns a GET /graphs/{id} response body holding n
// nodes, and the graph object inside it.
func relBigGraphResponse(n int) (body, object []byte) {
	var b bytes.Buffer
	b.WriteString(`{"data":`)
	start := b.Len()
	b.WriteString(`{"type":"graph","id":"` + relGraphID + `","attributes":{"graph_data":{"description":"big"},"private":false,"nodes":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"entity_attributes":{"has_detections":true,"type_tag":"text"},"entity_id":"host%d.example","index":%d,"text":"","type":"domain","x":%d,"y":%d}`, i, i, i%1000, i/1000)
	}
	b.WriteString(`],"links":[]}}`)
	end := b.Len()
	b.WriteString(`}`)
	return b.Bytes(), b.Bytes()[start:end]
}

// relTotalAlloc returns the bytes f allocated.
func relTotalAlloc(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestLargeGraphIsReadOnce measures what GetGraph allocates for a large
// graph beyond what decoding the graph object costs by itself: reading the
// body once is the floor, so the overhead must stay near one body's size. It
// does not run in parallel, so that no other test allocates meanwhile.
func TestLargeGraphIsReadOnce(t *testing.T) {
	body, object := relBigGraphResponse(10_000)
	c, err := vtgraph.New(relKey, vtgraph.WithBaseURL("https://vt.example.test/api/v3"), vtgraph.WithoutRetries(),
		vtgraph.WithDoer(relDoerFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{
				StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r,
			}, nil
		})))
	require.NoError(t, err)

	var g *vtgraph.Graph
	client := relTotalAlloc(func() {
		g, err = c.GetGraph(t.Context(), relGraphID, nil)
	})
	require.NoError(t, err)
	require.Len(t, g.Nodes, 10_000)
	var alone vtgraph.Graph
	decode := relTotalAlloc(func() { err = alone.UnmarshalJSON(object) })
	require.NoError(t, err)

	size := float64(len(body))
	overhead := (float64(client) - float64(decode)) / size
	t.Logf("body %.1f MB: GetGraph allocates %.2f× the body, the graph decoder alone %.2f×; client overhead %.2f×",
		size/1e6, float64(client)/size, float64(decode)/size, overhead)
	// The decoder alone already copies its input once, which the client's
	// path avoids; one extra copy of the body would show as about 1×.
	assert.Less(t, overhead, 0.3, "the client copies the body more than once")
	runtime.KeepAlive(g)
}

type relDoerFunc func(*http.Request) (*http.Response, error)

func (f relDoerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }
