package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// syncBuffer is a stderr that serve's goroutines and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// served is a running "vtgraph serve".
type served struct {
	banner  string
	baseURL string
	stderr  *syncBuffer
	stop    func() int
}

var baseURLLine = regexp.MustCompile(`(?m)^Base URL: (http://127\.0\.0\.1:\d+/api/v3)$`)

// startServe runs serve in the test's process until the returned stop is
// called; it returns once the banner has been printed.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	out, w := io.Pipe()
	s := &served{stderr: &syncBuffer{}}
	done := make(chan int, 1)
	go func() {
		code := Run(ctx, append([]string{"serve", "--port", "0"}, args...), func(string) string { return "" }, strings.NewReader(""), w, s.stderr)
		_ = w.Close()
		done <- code
	}()
	var banner strings.Builder
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		banner.WriteString(sc.Text() + "\n")
		if sc.Text() == "Press Ctrl-C to stop." || strings.HasPrefix(sc.Text(), "}") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	s.banner = banner.String()
	if m := baseURLLine.FindStringSubmatch(s.banner); m != nil {
		s.baseURL = m[1]
	}
	var once sync.Once
	code := -1
	s.stop = func() int {
		once.Do(func() {
			cancel()
			code = <-done
		})
		return code
	}
	t.Cleanup(func() { s.stop() })
	return s
}

// cli runs a vtgraph command against the served API as the key's user.
func (s *served) cli(t *testing.T, key string, args ...string) result {
	t.Helper()
	return runCommand(t, map[string]string{EnvAPIKey: key, EnvBaseURL: s.baseURL}, "", args...)
}

func TestServe(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	require.NotEmpty(t, s.baseURL, "banner:\n%s", s.banner)
	golden(t, "serve.txt", strings.ReplaceAll(s.banner, s.baseURL, "http://127.0.0.1:PORT/api/v3"))

	r := runCommand(t, map[string]string{EnvAPIKey: vtgraphtest.AliceKey, EnvBaseURL: s.baseURL}, "example.com\n198.51.100.7\n",
		"create", "--name", "Served", "--indicators", "-", "--json")
	requireOK(t, r)
	var created createdJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &created))
	r = s.cli(t, vtgraphtest.BobKey, "search", "--filter", "owner:alice", "--json")
	requireOK(t, r)
	assert.Contains(t, r.stdout, created.ID, "bob sees alice's public graph")

	u, err := url.Parse(s.baseURL)
	require.NoError(t, err)
	code := s.stop()
	assert.Equal(t, ExitOK, code, "Ctrl-C is the normal way to stop: %s", s.stderr)
	assert.Equal(t, "vtgraph serve: stopped\n", s.stderr.String())
	_, err = net.Dial("tcp", u.Host)
	assert.Error(t, err, "the port is closed")
}

func TestServeJSONAndVerbose(t *testing.T) {
	t.Parallel()
	s := startServe(t, "--json", "--verbose")
	var banner serveJSON
	require.NoError(t, json.Unmarshal([]byte(s.banner), &banner), s.banner)
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/api/v3$`, banner.BaseURL)
	assert.Equal(t, serveUsers, banner.Users)
	s.baseURL = banner.BaseURL

	requireOK(t, s.cli(t, vtgraphtest.CarolKey, "search"))
	assert.Equal(t, ExitOK, s.stop())
	log := s.stderr.String()
	assert.Contains(t, log, "msg=request method=GET path=/api/v3/graphs status=200 duration=")
	assert.NotContains(t, log, vtgraphtest.CarolKey, "the key is never logged")
}

// TestServeData preloads one private and one public graph.
func TestServeData(t *testing.T) {
	t.Parallel()
	const private = "g0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	path := filepath.Join(t.TempDir(), "graphs.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"graphs": [
		{"owner": "alice", "type": "graph", "id": "`+private+`", "attributes": {
			"graph_data": {"description": "Alice's private notes"}, "private": true,
			"nodes": [{"entity_id": "login-lantern.example", "type": "domain"}], "links": []}},
		{"owner": "bob", "type": "graph", "attributes": {"graph_data": {"description": "Bob's public graph"}}}
	]}`), 0o600))
	s := startServe(t, "--data", path)
	assert.Contains(t, s.banner, "Loaded 2 graphs from "+path+".\n")

	r := s.cli(t, vtgraphtest.AliceKey, "get", private)
	requireOK(t, r)
	assert.Contains(t, r.stdout, "NAME      Alice's private notes")
	assert.Contains(t, r.stdout, "PRIVATE   yes")
	assert.Equal(t, ExitNotFound, s.cli(t, vtgraphtest.CarolKey, "get", private).code, "private to alice")
	r = s.cli(t, vtgraphtest.CarolKey, "search", "--filter", "owner:bob")
	requireOK(t, r)
	assert.Contains(t, r.stdout, "Bob's public graph")
}

// TestServeDataEntities replaces the built-in universe with the file's
// entities, which the lookups then answer for.
func TestServeDataEntities(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "entities.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"entities": [
		{"type": "domain", "id": "login.acme.example",
		 "relationships": {"resolutions": [{"type": "ip_address", "id": "192.0.2.10"}]}},
		{"type": "ip_address", "id": "192.0.2.10", "attributes": {"country": "NL"}}
	]}`), 0o600))
	s := startServe(t, "--data", path)
	assert.Contains(t, s.banner, "Loaded 0 graphs from "+path+".\n")
	assert.Contains(t, s.banner, "Lookups answer for 2 entities")

	get := func(path string) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.baseURL+path, nil)
		require.NoError(t, err)
		req.Header.Set("x-apikey", vtgraphtest.AliceKey)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}
	code, body := get("/domains/login.acme.example/resolutions")
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, `"ip_address":"192.0.2.10"`)
	code, body = get("/ip_addresses/192.0.2.10")
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, `"country":"NL"`)
	code, _ = get("/domains/" + vtgraphtest.DemoDomain)
	assert.Equal(t, http.StatusNotFound, code, "the built-in universe is replaced")
}

func TestServeDataErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		name, file string
		code       int
		msg        string
	}{
		{"entities not a list", `{"graphs": [], "entities": {"files": []}}`, ExitInvalid, `reading the universe: json: cannot unmarshal object`},
		{"bad entity", `{"entities": [{"type": "domain", "id": "a.example"}, {"type": "planet", "id": "mars"}]}`, ExitInvalid, `entities[1]`},
		{"no owner", `{"graphs": [{"attributes": {}}]}`, ExitInvalid, `graphs[0]: no "owner": name the user who owns it`},
		{"unknown owner", `{"graphs": [{"owner": "alice", "attributes": {}}, {"owner": "dave", "attributes": {}}]}`, ExitInvalid, `graphs[1]: unknown user "dave"`},
		{"unknown key", `{"graph": []}`, ExitInvalid, `want a JSON object with a "graphs" or an "entities" list: json: unknown field "graph"`},
		{"not JSON", `graphs: []`, ExitInvalid, `want a JSON object with a "graphs" or an "entities" list`},
		{"same id twice", `{"graphs": [{"owner": "alice", "id": "g` + strings.Repeat("a", 64) + `", "attributes": {}}, {"owner": "bob", "id": "g` + strings.Repeat("a", 64) + `", "attributes": {}}]}`, ExitInvalid, "graphs[1]: graph g" + strings.Repeat("a", 64) + " already exists"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
		require.NoError(t, os.WriteFile(path, []byte(tc.file), 0o600))
		r := runCommand(t, nil, "", "serve", "--data", path)
		assert.Equal(t, tc.code, r.code, "%s: %s", tc.name, r.stderr)
		assert.Contains(t, r.stderr, "vtgraph: serve: "+path+": ", tc.name)
		assert.Contains(t, r.stderr, tc.msg, tc.name)
		assert.Empty(t, r.stdout, "%s: nothing listens", tc.name)
	}
	r := runCommand(t, nil, "", "serve", "--data", filepath.Join(dir, "missing.json"))
	assert.Equal(t, ExitError, r.code)
	assert.Contains(t, r.stderr, "vtgraph: serve: --data: open ")
}

func TestServeUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--port", "70000"}, "--port must be between 0 and 65535, got 70000"},
		{[]string{"--latency", "-1s"}, "--latency must not be negative, got -1s"},
		{[]string{"--quota", "-2"}, "--quota must be a positive number of requests, got -2"},
		{[]string{"--quota", "4/hour"}, `--quota: want a budget such as 4/min or 30/min,500/day, got "4/hour"`},
		{[]string{"now"}, `unexpected argument "now"`},
	} {
		r := runCommand(t, nil, "", append([]string{"serve"}, tc.args...)...)
		assert.Equal(t, ExitUsage, r.code, tc.args)
		assert.Contains(t, r.stderr, tc.msg, tc.args)
	}
}

func TestServePortInUse(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	r := runCommand(t, nil, "", "serve", "--port", itoa(int64(port)))
	assert.Equal(t, ExitError, r.code)
	assert.Contains(t, r.stderr, "vtgraph: serve: listening on 127.0.0.1:"+itoa(int64(port))+": ")
	assert.Contains(t, r.stderr, "; choose another --port, or leave it out for a free one\n")
}

// TestServeQuotaAndLatency rehearses an exhausted and a slow API.
func TestServeQuotaAndLatency(t *testing.T) {
	t.Parallel()
	s := startServe(t, "--quota", "1")
	assert.Contains(t, s.banner, "Each key may make 1/min requests, then gets 429 QuotaExceededError.\n")
	requireOK(t, s.cli(t, vtgraphtest.AliceKey, "search"))
	r := s.cli(t, vtgraphtest.AliceKey, "search", "--retries", "0")
	assert.Equal(t, ExitRateLimit, r.code, r.stderr)
	assert.Contains(t, r.stderr, "429 QuotaExceededError")
	requireOK(t, s.cli(t, vtgraphtest.BobKey, "search")) // each key has its own budget

	// A daily budget is not retried: its Retry-After is beyond the client's
	// cap, so the command fails at once, with retries on.
	daily := startServe(t, "--quota", "2/day")
	assert.Contains(t, daily.banner, "Each key may make 2/day requests")
	requireOK(t, daily.cli(t, vtgraphtest.AliceKey, "search"))
	requireOK(t, daily.cli(t, vtgraphtest.AliceKey, "search"))
	r = daily.cli(t, vtgraphtest.AliceKey, "search")
	assert.Equal(t, ExitRateLimit, r.code, r.stderr)

	slow := startServe(t, "--latency", "1m")
	assert.Contains(t, slow.banner, "Every response is delayed by 1m0s.\n")
	r = slow.cli(t, vtgraphtest.AliceKey, "search", "--timeout", "50ms")
	assert.Equal(t, ExitUnavailable, r.code, r.stderr)
	// Stopping does not wait out the latency of a request in flight.
	req, err := http.NewRequest(http.MethodGet, slow.baseURL+"/graphs", nil)
	require.NoError(t, err)
	req.Header.Set("x-apikey", vtgraphtest.AliceKey)
	answered := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	assert.Equal(t, ExitOK, slow.stop())
	assert.Contains(t, []int{0, http.StatusServiceUnavailable}, <-answered)
}
