package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestGetTable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "get", id)
	requireOK(t, r)
	golden(t, "get.txt", r.stdout)
}

func TestGetJSON(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "get", id, "--json")
	requireOK(t, r)
	golden(t, "get.json", f.normalize(r.stdout))

	var g vtgraph.Graph
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &g), "the output is a graph object")
	assert.Equal(t, id, g.ID)
	assert.Len(t, g.Nodes, 5)
}

func TestGetAttributes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(true)
	r := f.run(vtgraphtest.AliceKey, "get", id, "--attributes", "private,graph_data")
	requireOK(t, r)
	reqs := f.srv.Requests()
	assert.Equal(t, "attributes=private%2Cgraph_data", reqs[len(reqs)-1].RawQuery)
}

var createdLine = regexp.MustCompile(`^Created graph (g[0-9a-f]{64}) with (\d+) nodes\.\nhttps://www\.virustotal\.com/graph/(g[0-9a-f]{64})\n$`)

func TestCreateFromIndicators(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	iocs := strings.Join([]string{
		"# Lantern indicators",
		"login-lantern.example",
		"203.0.113.77   # first C2",
		"",
		"5F2B7C1E9A0D4C3B8E6F1A2D7C9B0E4F3A6D8C1B2E5F7A9C0D3B6E8F1A4C7D2E",
		"https://login-lantern.example/verify#step2",
		"login-lantern.example",
	}, "\n")
	r := f.runIn(vtgraphtest.AliceKey, iocs, "create", "--name", "Lantern IOCs", "--indicators", "-", "--private")
	requireOK(t, r)
	m := createdLine.FindStringSubmatch(r.stdout)
	require.NotNil(t, m, "output: %q", r.stdout)
	assert.Equal(t, "4", m[2], "the repeated domain is added once")
	assert.Equal(t, m[1], m[3])

	_, stored := f.srv.Graph(m[1])
	require.True(t, stored)
	got, err := f.client(vtgraphtest.AliceKey).GetGraph(context.Background(), m[1], nil)
	require.NoError(t, err)
	assert.True(t, got.Private)
	assert.Equal(t, "Lantern IOCs", got.Description)
	var types []string
	for _, n := range got.Nodes {
		types = append(types, string(n.Type)+" "+n.EntityID)
	}
	assert.Equal(t, []string{
		"domain login-lantern.example",
		"ip_address 203.0.113.77",
		"file " + testFile,
		"url https://login-lantern.example/verify#step2",
	}, types)
}

func TestCreateJSON(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "iocs.txt")
	require.NoError(t, os.WriteFile(path, []byte("example.com\n198.51.100.1\n"), 0o600))
	r := f.run(vtgraphtest.AliceKey, "create", "--json", "--name", "Two", "--indicators", path)
	requireOK(t, r)
	var out createdJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	assert.True(t, vtgraph.ValidGraphID(out.ID), out.ID)
	assert.Equal(t, vtgraph.GraphURL(out.ID), out.URL)
	assert.Equal(t, 2, out.Nodes)
}

func TestCreateFromFileRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	path := filepath.Join(t.TempDir(), "graph.json")
	requireOK(t, f.run(vtgraphtest.AliceKey, "export", id, "--format", "json", "-o", path))

	r := f.run(vtgraphtest.BobKey, "create", "--from", path, "--name", "Bob's copy")
	requireOK(t, r)
	m := createdLine.FindStringSubmatch(r.stdout)
	require.NotNil(t, m, r.stdout)
	assert.NotEqual(t, id, m[1])
	copied, err := f.client(vtgraphtest.BobKey).GetGraph(context.Background(), m[1], nil)
	require.NoError(t, err)
	assert.Equal(t, "Bob's copy", copied.Description)
	assert.Len(t, copied.Nodes, 5)
	assert.Len(t, copied.Links, 4)

	// A {"data": …} envelope, as the API sends, works too, and the name
	// defaults to the file's.
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	r = f.runIn(vtgraphtest.BobKey, `{"data":`+string(b)+`}`, "create", "--from", "-")
	requireOK(t, r)
	assert.Contains(t, r.stdout, "with 5 nodes")
}

func TestCreateRejectsInvalidInputBeforeSending(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dangling := `{"type":"graph","attributes":{"graph_data":{"description":"x"},` +
		`"nodes":[{"entity_id":"a.example","type":"domain"},{"entity_id":"","type":"ip_address"}],` +
		`"links":[{"source":"a.example","target":"b.example","connection_type":"manual"}]}}`
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"dangling link", dangling, []string{"--from", "-"}, ExitInvalid,
			"vtgraph: create: the graph is invalid (2 problems):\n  nodes[1].entity_id: empty\n  links[0].target: node \"b.example\" does not exist\n"},
		{"not JSON", "nodes: []", []string{"--from", "-", "--name", "x"}, ExitInvalid,
			"vtgraph: create: standard input is not a graph: "},
		{"bad indicators", "example.com\nnot an indicator\n10.0.0.300\n", []string{"--indicators", "-", "--name", "x"}, ExitInvalid,
			"vtgraph: create: standard input: 2 lines not indicators:\n  line 2: \"not an indicator\" is not a hash, IP address, http(s) URL or domain\n  line 3: \"10.0.0.300\" is not a hash, IP address, http(s) URL or domain\n"},
		{"no indicators", "# nothing\n\n", []string{"--indicators", "-", "--name", "x"}, ExitInvalid,
			"no indicators found"},
		{"no source", "", []string{"--name", "x"}, ExitUsage, "give exactly one of --from, --from-stix and --indicators"},
		{"two sources", "", []string{"--name", "x", "--from", "a", "--indicators", "b"}, ExitUsage, "give exactly one of --from, --from-stix and --indicators"},
		{"no name", "example.com", []string{"--indicators", "-"}, ExitUsage, "--name is required with --indicators"},
		{"missing file", "", []string{"--name", "x", "--indicators", filepath.Join(t.TempDir(), "none.txt")}, ExitError, "no such file"},
	} {
		r := f.runIn(vtgraphtest.AliceKey, tc.stdin, append([]string{"create"}, tc.args...)...)
		assert.Equal(t, tc.code, r.code, "%s: %s", tc.name, r.stderr)
		assert.Contains(t, r.stderr, tc.stderr, tc.name)
		assert.Empty(t, r.stdout, tc.name)
	}
	assert.Empty(t, f.srv.Requests(), "nothing is sent")
}

func TestUpdateSendsOnlyWhatIsGiven(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "update", id, "--private")
	requireOK(t, r)
	golden(t, "update.txt", r.stdout)
	reqs := f.srv.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "PATCH", last.Method)
	assert.JSONEq(t, `{"data":{"type":"graph","id":"`+id+`","attributes":{"private":true}}}`, string(last.Body))

	r = f.run(vtgraphtest.AliceKey, "update", id, "--private=false", "--name", "Renamed", "--json")
	requireOK(t, r)
	var g vtgraph.Graph
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &g))
	assert.False(t, g.Private)
	assert.Equal(t, "Renamed", g.Description)
	assert.Len(t, g.Nodes, 5, "nodes were not sent and are kept")
}

func TestUpdateFromFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	file := `{"type":"graph","attributes":{"graph_data":{"description":"ignored"},"nodes":[{"entity_id":"only.example","type":"domain"}],"links":[]}}`
	r := f.runIn(vtgraphtest.AliceKey, file, "update", id, "--from", "-")
	requireOK(t, r)
	assert.Contains(t, r.stdout, "NODES     1 (1 entity)")
	assert.Contains(t, r.stdout, "NAME      Operation Lantern")
	assert.Equal(t, "vtgraph: update: note: standard input has no last_modified_date, so a save made since it was written cannot be detected\n", r.stderr)
}

// TestUpdateFromFileRefusesAConcurrentSave: a file saved with get --json
// carries the graph's last_modified_date, and an update from it after
// someone else saved the graph writes nothing unless --force.
func TestUpdateFromFileRefusesAConcurrentSave(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	saved := f.run(vtgraphtest.AliceKey, "get", id, "--json")
	requireOK(t, saved)
	edited := strings.Replace(saved.stdout, `"login-lantern.example"`, `"login-lantern2.example"`, -1)
	require.NotEqual(t, saved.stdout, edited)

	private := true
	_, err := f.client(vtgraphtest.AliceKey).UpdateGraph(t.Context(), id, &vtgraph.GraphUpdate{Private: &private})
	require.NoError(t, err, "a colleague's save")

	before := len(f.srv.Requests())
	r := f.runIn(vtgraphtest.AliceKey, edited, "update", id, "--from", "-")
	assert.Equal(t, ExitConflict, r.code, r.stderr)
	assert.Contains(t, r.stderr, "changed on the server since it was loaded")
	assert.Contains(t, r.stderr, "nothing was saved")
	assert.Contains(t, r.stderr, "vtgraph diff ID FILE")
	for _, req := range f.srv.Requests()[before:] {
		assert.Equal(t, "GET", req.Method, "nothing written: %s %s", req.Method, req.Path)
	}
	g, err := f.client(vtgraphtest.AliceKey).GetGraph(t.Context(), id, nil)
	require.NoError(t, err)
	assert.NotNil(t, g.Node("login-lantern.example"), "the stored graph is unchanged")

	r = f.runIn(vtgraphtest.AliceKey, edited, "update", id, "--from", "-", "--force")
	requireOK(t, r)
	g, err = f.client(vtgraphtest.AliceKey).GetGraph(t.Context(), id, nil)
	require.NoError(t, err)
	assert.NotNil(t, g.Node("login-lantern2.example"), "--force overwrote")

	// A file of the graph as it now is goes through.
	now := f.run(vtgraphtest.AliceKey, "get", id, "--json")
	requireOK(t, now)
	r = f.runIn(vtgraphtest.AliceKey, strings.Replace(now.stdout, `"login-lantern2.example"`, `"login-lantern3.example"`, -1), "update", id, "--from", "-")
	requireOK(t, r)
	assert.Empty(t, r.stderr)
	g, err = f.client(vtgraphtest.AliceKey).GetGraph(t.Context(), id, nil)
	require.NoError(t, err)
	assert.NotNil(t, g.Node("login-lantern3.example"))
}

func TestUpdateUsage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "update", id)
	assert.Equal(t, ExitUsage, r.code)
	assert.Equal(t, "vtgraph: update: nothing to update: give --private, --name or --from\nRun 'vtgraph update --help' for usage.\n", r.stderr)
	r = f.run(vtgraphtest.AliceKey, "update", id, "--private=maybe")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, `invalid boolean value "maybe" for --private`)
	r = f.run(vtgraphtest.AliceKey, "update", id, "--private", "--force")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, "--force applies to --from only")
}

func TestDelete(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	other := f.investigation(false)

	r := f.run(vtgraphtest.AliceKey, "delete", id, "--yes")
	requireOK(t, r)
	assert.Equal(t, "Deleted graph "+id+".\n", r.stdout)
	_, stored := f.srv.Graph(id)
	assert.False(t, stored)

	r = f.run(vtgraphtest.AliceKey, "delete", other, "--json", "--yes")
	requireOK(t, r)
	assert.JSONEq(t, `{"id":"`+other+`","deleted":true}`, r.stdout)

	r = f.run(vtgraphtest.AliceKey, "delete", id, "--yes")
	assert.Equal(t, ExitNotFound, r.code)
}

// TestDeleteNeedsYesOffATerminal: in a script nobody can answer, so
// nothing is deleted and nothing is sent without --yes.
func TestDeleteNeedsYesOffATerminal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	before := len(f.srv.Requests())
	r := f.runIn(vtgraphtest.AliceKey, "y\n", "delete", id)
	assert.Equal(t, ExitUsage, r.code)
	assert.Equal(t, "vtgraph: delete: --yes is required when not running on a terminal\nRun 'vtgraph delete --help' for usage.\n", r.stderr)
	assert.Empty(t, r.stdout)
	assert.Len(t, f.srv.Requests(), before, "nothing sent")
	_, stored := f.srv.Graph(id)
	assert.True(t, stored)
}

// terminalInput is a standard input that says it is a terminal.
type terminalInput struct{ *strings.Reader }

func (terminalInput) IsTerminal() bool { return true }

func TestDeleteAsksOnATerminal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		answer  string
		deleted bool
	}{
		{"y\n", true},
		{"YES\n", true},
		{"n\n", false},
		{"\n", false},
		{"", false}, // end of input
	} {
		id := f.investigation(false)
		var stdout strings.Builder
		var stderr fakeTerminal
		env := map[string]string{EnvAPIKey: vtgraphtest.AliceKey, EnvBaseURL: f.srv.URL()}
		code := Run(t.Context(), []string{"delete", id}, func(k string) string { return env[k] },
			terminalInput{strings.NewReader(tc.answer)}, &stdout, &stderr)
		assert.True(t, strings.HasPrefix(stderr.String(), "Delete graph "+id+"? It cannot be undone. [y/N] "), "%q", stderr.String())
		_, stored := f.srv.Graph(id)
		assert.Equal(t, !tc.deleted, stored, "answer %q", tc.answer)
		if tc.deleted {
			assert.Equal(t, ExitOK, code, stderr.String())
			assert.Equal(t, "Deleted graph "+id+".\n", stdout.String())
		} else {
			assert.Equal(t, ExitError, code)
			assert.Contains(t, stderr.String(), "vtgraph: delete: not confirmed; nothing was changed\n")
			assert.Empty(t, stdout.String())
		}
	}
}
