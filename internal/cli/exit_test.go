package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestExitCodeMapping(t *testing.T) {
	t.Parallel()
	api := func(status int, code vtgraph.ErrorCode) error {
		return fmt.Errorf("wrapped: %w", &vtgraph.APIError{StatusCode: status, Code: code})
	}
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("boom"), ExitError},
		{usagef("bad flag"), ExitUsage},
		{api(401, vtgraph.ErrWrongCredentials), ExitAuth},
		{api(401, ""), ExitAuth},
		{api(401, vtgraph.ErrUserNotActive), ExitAuth},
		{api(404, vtgraph.ErrNotFound), ExitNotFound},
		{api(403, vtgraph.ErrForbidden), ExitForbidden},
		{api(400, vtgraph.ErrInvalidArgument), ExitInvalid},
		{api(400, ""), ExitInvalid},
		{&vtgraph.ValidationError{Problems: []vtgraph.FieldError{{Path: "nodes[0].type", Message: "empty"}}}, ExitInvalid},
		{&vtgraph.ParamError{Problems: []vtgraph.FieldError{{Path: "limit", Message: "too big"}}}, ExitInvalid},
		{inputErrorf("not a graph"), ExitInvalid},
		{api(429, vtgraph.ErrQuotaExceeded), ExitRateLimit},
		{api(429, vtgraph.ErrTooManyRequests), ExitRateLimit},
		{fmt.Errorf("expansion stopped: %w", &vtgraph.BudgetError{MaxRequests: 500}), ExitRateLimit},
		{api(503, vtgraph.ErrTransient), ExitUnavailable},
		{api(504, ""), ExitUnavailable},
		{api(502, ""), ExitUnavailable},
		{api(409, vtgraph.ErrAlreadyExists), ExitError},
		{api(500, "InternalError"), ExitError},
		{fmt.Errorf("listing: %w", context.DeadlineExceeded), ExitUnavailable},
		{fmt.Errorf("listing: %w", context.Canceled), ExitInterrupted},
		{&url.Error{Op: "Get", URL: "http://127.0.0.1:1", Err: &net.OpError{Op: "dial", Err: errors.New("refused")}}, ExitUnavailable},
		{io.ErrUnexpectedEOF, ExitUnavailable},
		{&os.PathError{Op: "open", Path: "x", Err: os.ErrNotExist}, ExitError},
	} {
		assert.Equal(t, tc.want, ExitCode(tc.err), "%v", tc.err)
	}
}

func TestExitCodesAreDistinctAndDocumented(t *testing.T) {
	t.Parallel()
	seen := map[int]bool{}
	for _, e := range exitCodes {
		assert.False(t, seen[e.code], "code %d listed twice", e.code)
		seen[e.code] = true
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "CLI.md"))
	require.NoError(t, err)
	for _, e := range exitCodes {
		assert.Contains(t, string(doc), fmt.Sprintf("| %d | %s |", e.code, e.text), "docs/CLI.md lists code %d as help does", e.code)
	}
}

func TestUnauthorized(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	const badKey = "made-up-key-0123456789"
	r := f.run(badKey, "get", id, "--verbose")
	assert.Equal(t, ExitAuth, r.code)
	assert.Contains(t, r.stderr, "vtgraph: get: GET /api/v3/graphs/"+id+": 401 WrongCredentialsError")
	assert.Contains(t, r.stderr, "hint: is VT_API_KEY (or the --api-key-file) set to a valid key?")
	assert.Contains(t, r.stderr, "level=DEBUG", "--verbose logs the request")
	assert.NotContains(t, r.stderr, badKey, "the key is never printed")
	assert.Empty(t, r.stdout)
}

func TestMissingKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.run("", "search")
	assert.Equal(t, ExitUsage, r.code)
	assert.Equal(t, "vtgraph: search: no API key: set VT_API_KEY to your VirusTotal API key, or pass --api-key-file PATH\n"+
		"Run 'vtgraph search --help' for usage.\n", r.stderr)
	assert.Empty(t, f.srv.Requests())
}

func TestAPIKeyFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(true)
	dir := t.TempDir()
	path := filepath.Join(dir, "key")
	require.NoError(t, os.WriteFile(path, []byte(vtgraphtest.AliceKey+"\n"), 0o600))

	// The file wins over the environment, here bob's key.
	r := f.run(vtgraphtest.BobKey, "--api-key-file", path, "get", id)
	requireOK(t, r)

	r = f.run("", "get", id, "--api-key-file", filepath.Join(dir, "missing"))
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, "--api-key-file: open ")

	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))
	r = f.run("", "get", id, "--api-key-file", empty)
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, "is empty")
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	missing := "g" + strings.Repeat("0", 64)
	for _, args := range [][]string{
		{"get", missing},
		{"export", missing},
		{"comments", "list", missing},
		{"related", missing, "items"},
		{"access", missing, "--viewer", "user:bob"},
		{"delete", missing, "--yes"},
	} {
		r := f.run(vtgraphtest.AliceKey, args...)
		assert.Equal(t, ExitNotFound, r.code, "%v: %s", args, r.stderr)
		assert.Contains(t, r.stderr, "404 NotFoundError", args)
		assert.Contains(t, r.stderr, "hint: check the id", args)
	}
}

func TestForbiddenForAViewer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	requireOK(t, f.run(vtgraphtest.AliceKey, "share", id, "--viewer", "user:bob"))
	r := f.run(vtgraphtest.BobKey, "update", id, "--name", "Bob's now")
	assert.Equal(t, ExitForbidden, r.code)
	assert.Contains(t, r.stderr, "vtgraph: update: PATCH /api/v3/graphs/"+id+": 403 ForbiddenError")
	assert.Contains(t, r.stderr, "hint: only the owner and editors may change or share a graph")

	r = f.run(vtgraphtest.BobKey, "delete", id, "--yes")
	assert.Equal(t, ExitForbidden, r.code, "only the owner deletes")
}

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.run(vtgraphtest.AliceKey, "get", "not-a-graph-id")
	assert.Equal(t, ExitInvalid, r.code)
	assert.Equal(t, "vtgraph: get: invalid parameters:\n  id: \"not-a-graph-id\" is not a graph id (g followed by 64 lowercase hex characters)\n", r.stderr)
	assert.Empty(t, f.srv.Requests(), "rejected before sending")

	// The server's own 400.
	r = f.run(vtgraphtest.AliceKey, "search", "--cursor", "not-a-cursor")
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, "400 InvalidArgumentError")
}

func TestRateLimited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.RateLimitAfter(0, time.Second)
	r := f.run(vtgraphtest.AliceKey, "search", "--retries", "0")
	assert.Equal(t, ExitRateLimit, r.code)
	assert.Contains(t, r.stderr, "429 QuotaExceededError")
	assert.Contains(t, r.stderr, "hint: the API asks to wait 1s before trying again")
}

func TestUnavailable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs", Status: http.StatusServiceUnavailable})
	r := f.run(vtgraphtest.AliceKey, "search", "--retries=0")
	assert.Equal(t, ExitUnavailable, r.code)
	assert.Contains(t, r.stderr, "503 TransientError")
	assert.Contains(t, r.stderr, "hint: the API is busy or unavailable")
}

func TestRetriesRecoverFromATransientError(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs", Status: http.StatusServiceUnavailable, Times: 1, RetryAfter: time.Millisecond})
	requireOK(t, f.run(vtgraphtest.AliceKey, "search", "--retries", "1"))
}

func TestOtherServerError(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs", Status: http.StatusInternalServerError})
	r := f.run(vtgraphtest.AliceKey, "search", "--retries=0")
	assert.Equal(t, ExitError, r.code)
	assert.Contains(t, r.stderr, "vtgraph: search: GET /api/v3/graphs: 500 InternalError")
}

func TestNetworkError(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.Close()
	r := f.run(vtgraphtest.AliceKey, "search", "--retries", "0")
	assert.Equal(t, ExitUnavailable, r.code)
	assert.Contains(t, r.stderr, "connection refused")
	assert.Contains(t, r.stderr, "hint: is the network up and --base-url (or VT_BASE_URL) right?")
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.SetLatency(10 * time.Second)
	start := time.Now()
	r := f.run(vtgraphtest.AliceKey, "search", "--timeout", "50ms")
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, ExitUnavailable, r.code)
	assert.Contains(t, r.stderr, "context deadline exceeded")
	assert.Contains(t, r.stderr, "hint: the command took longer than --timeout")
}

func TestInterrupted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.SetLatency(10 * time.Second)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	var stdout, stderr strings.Builder
	env := map[string]string{EnvAPIKey: vtgraphtest.AliceKey, EnvBaseURL: f.srv.URL()}
	code := Run(ctx, []string{"search"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	assert.Equal(t, ExitInterrupted, code, stderr.String())
}

func TestBadBaseURL(t *testing.T) {
	t.Parallel()
	r := runCommand(t, map[string]string{EnvAPIKey: "made-up"}, "", "--base-url", "ftp://127.0.0.1/api", "search")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, `vtgraph: search: base URL "ftp://127.0.0.1/api": scheme must be http or https`)
}

func TestBaseURLFromFlagBeatsTheEnvironment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	env := map[string]string{EnvAPIKey: vtgraphtest.AliceKey, EnvBaseURL: "http://127.0.0.1:1/api/v3"}
	r := runCommand(t, env, "", "search", "--base-url", f.srv.URL())
	requireOK(t, r)
	assert.Len(t, f.srv.Requests(), 1)
	assert.Equal(t, userAgent, f.srv.Requests()[0].Header.Get("User-Agent"))
}
