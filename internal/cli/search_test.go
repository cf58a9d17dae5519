package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// searchFixture has alice's investigation and three more small graphs.
func searchFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.investigation(false)
	for _, name := range []string{"Beta", "Alpha", "Gamma"} {
		g := vtgraph.NewGraph(name)
		g.AddNode("example.com", vtgraph.NodeTypeDomain)
		_, err := f.client(vtgraphtest.AliceKey).CreateGraph(context.Background(), g)
		require.NoError(t, err)
	}
	return f
}

func TestSearchTable(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	r := f.run(vtgraphtest.AliceKey, "search", "--filter", "owner:alice", "--order", "name")
	requireOK(t, r)
	golden(t, "search.txt", r.stdout)
	assert.Empty(t, r.stderr, "one page and no more: no cursor hint")
}

func TestSearchJSON(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	r := f.run(vtgraphtest.AliceKey, "--json", "search", "--order", "-name", "--attributes", "graph_data,private")
	requireOK(t, r)
	golden(t, "search.json", f.normalize(r.stdout))
	var graphs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &graphs))
	assert.Len(t, graphs, 4)
}

func TestSearchEmptyJSONIsAnArray(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.run(vtgraphtest.AliceKey, "search", "--json", "--filter", "owner:nobody")
	requireOK(t, r)
	assert.Equal(t, "[]\n", r.stdout)
}

func TestSearchOnePagePrintsTheCursor(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	r := f.run(vtgraphtest.AliceKey, "search", "--order", "name", "--limit", "3")
	requireOK(t, r)
	assert.Equal(t, 4, strings.Count(r.stdout, "\n"), "a header and 3 rows:\n%s", r.stdout)
	require.Contains(t, r.stderr, "more results: add --cursor ")
	cursor := strings.Fields(strings.TrimPrefix(r.stderr, "more results: add --cursor "))[0]

	r = f.run(vtgraphtest.AliceKey, "search", "--order", "name", "--limit", "3", "--cursor", cursor)
	requireOK(t, r)
	assert.Contains(t, r.stdout, "Operation Lantern")
	assert.Empty(t, r.stderr)
}

func TestSearchAllWalksEveryPage(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	r := f.run(vtgraphtest.AliceKey, "search", "--order", "name", "--limit", "1", "--all", "--json")
	requireOK(t, r)
	var graphs []struct {
		Attributes struct {
			GraphData struct {
				Description string `json:"description"`
			} `json:"graph_data"`
		} `json:"attributes"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &graphs))
	var names []string
	for _, g := range graphs {
		names = append(names, g.Attributes.GraphData.Description)
	}
	assert.Equal(t, []string{"Alpha", "Beta", "Gamma", "Operation Lantern"}, names)
	assert.Empty(t, r.stderr, "no progress line when stderr is not a terminal")

	searches := 0
	for _, req := range f.srv.Requests() {
		if req.Method == "GET" && req.Path == "/api/v3/graphs" {
			searches++
		}
	}
	assert.Equal(t, 4, searches, "one request a page")
}

func TestSearchMaxCaps(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	r := f.run(vtgraphtest.AliceKey, "search", "--order", "name", "--limit", "1", "--max", "2")
	requireOK(t, r)
	assert.Equal(t, 3, strings.Count(r.stdout, "\n"), "a header and 2 rows:\n%s", r.stdout)
	assert.Contains(t, r.stdout, "Alpha")
	assert.Contains(t, r.stdout, "Beta")
}

// fakeTerminal is a stderr that says it is a terminal.
type fakeTerminal struct{ strings.Builder }

func (*fakeTerminal) IsTerminal() bool { return true }

func TestSearchAllShowsProgressOnATerminal(t *testing.T) {
	t.Parallel()
	f := searchFixture(t)
	var stdout strings.Builder
	var stderr fakeTerminal
	env := map[string]string{EnvAPIKey: vtgraphtest.AliceKey, EnvBaseURL: f.srv.URL()}
	code := Run(t.Context(), []string{"search", "--all", "--limit", "2"}, func(k string) string { return env[k] },
		strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, ExitOK, code, stderr.String())
	progress := stderr.String()
	assert.Contains(t, progress, "search: fetching page 1…")
	assert.Contains(t, progress, "search: 2 graphs so far, fetching page 2…")
	assert.True(t, strings.HasSuffix(progress, "\r\x1b[K"), "the line is cleared at the end: %q", progress)
	assert.Equal(t, 5, strings.Count(stdout.String(), "\n"))
}

func TestSearchRejectsBadOptionsBeforeSending(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--order", "size"}, ExitUsage, `--order: unknown field "size"`},
		{[]string{"--limit", "41"}, ExitUsage, "--limit must be between 1 and 40, got 41"},
		{[]string{"--max", "-1"}, ExitUsage, "--max must not be negative"},
		{[]string{"--attributes", "a b"}, ExitInvalid, `attributes[0]: must be a single attribute name, got "a b"`},
		{[]string{"--filter", "owner:alice\nprivate:true"}, ExitInvalid, "filter.raw: must not contain control characters"},
	} {
		r := f.run(vtgraphtest.AliceKey, append([]string{"search"}, tc.args...)...)
		assert.Equal(t, tc.code, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.msg, tc.args)
		assert.Empty(t, r.stdout)
	}
	assert.Empty(t, f.srv.Requests(), "nothing is sent")
}
