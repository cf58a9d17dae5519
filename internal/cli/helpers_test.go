package cli

import (
	"bytes"
	"context"
	"flag"
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

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testNow is the fixed clock of the test servers, so dates in the output
// never change.
var testNow = time.Date(2026, time.February, 3, 14, 30, 0, 0, time.UTC)

// fixture is a test server and the command wired to it.
type fixture struct {
	t   *testing.T
	srv *vtgraphtest.Server
}

func newFixture(t *testing.T, opts ...vtgraphtest.Option) *fixture {
	t.Helper()
	opts = append([]vtgraphtest.Option{vtgraphtest.WithClock(func() time.Time { return testNow })}, opts...)
	return &fixture{t: t, srv: vtgraphtest.NewServer(t, opts...)}
}

// result is what one run of the command produced.
type result struct {
	stdout, stderr string
	code           int
}

// run runs the command as the user owning key, against the fixture's server.
func (f *fixture) run(key string, args ...string) result {
	return f.runIn(key, "", args...)
}

// runIn is run with standard input.
func (f *fixture) runIn(key, stdin string, args ...string) result {
	f.t.Helper()
	env := map[string]string{EnvAPIKey: key, EnvBaseURL: f.srv.URL()}
	return runCommand(f.t, env, stdin, args...)
}

// runCommand runs the command with the given environment.
func runCommand(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &stdout, &stderr)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// client returns a library client for setting up state as the key's user.
func (f *fixture) client(key string) *vtgraph.Client {
	f.t.Helper()
	c, err := vtgraph.New(key, vtgraph.WithBaseURL(f.srv.URL()), vtgraph.WithoutRetries())
	require.NoError(f.t, err)
	return c
}

// investigation creates alice's three-hop graph and returns its id.
func (f *fixture) investigation(private bool) string {
	f.t.Helper()
	g := vtgraph.NewGraph("Operation Lantern")
	g.Private = private
	g.AddNode("login-lantern.example", vtgraph.NodeTypeDomain).Text = "landing page"
	g.AddNode("203.0.113.77", vtgraph.NodeTypeIPAddress)
	g.AddNode(testFile, vtgraph.NodeTypeFile).Text = "dropper.exe"
	require.NoError(f.t, g.AddLink("login-lantern.example", "203.0.113.77", "resolutions"))
	require.NoError(f.t, g.AddLink("203.0.113.77", testFile, "communicating_files"))
	id, err := f.client(vtgraphtest.AliceKey).CreateGraph(context.Background(), g)
	require.NoError(f.t, err)
	return id
}

const testFile = "5f2b7c1e9a0d4c3b8e6f1a2d7c9b0e4f3a6d8c1b2e5f7a9c0d3b6e8f1a4c7d2e"

// normalize replaces the server's random address so output can be compared
// with a golden file.
func (f *fixture) normalize(s string) string {
	return strings.ReplaceAll(s, strings.TrimSuffix(f.srv.URL(), "/api/v3"), "http://SERVER")
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./internal/cli -update to create it")
	assert.Equal(t, string(want), got, "output differs from %s; if the change is intended, run go test ./internal/cli -update", path)
}

// requireOK fails the test with the command's stderr if it did not succeed.
func requireOK(t *testing.T, r result) {
	t.Helper()
	require.Equal(t, ExitOK, r.code, "stderr: %s", r.stderr)
}
