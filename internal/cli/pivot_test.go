package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The pivot commands run against the demo universe of the test server.

func TestExpand(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.run(vtgraphtest.AliceKey, "expand", vtgraphtest.DemoDomain, "--relationships", "resolutions,subdomains")
	requireOK(t, r)
	assert.Empty(t, r.stderr)
	golden(t, "expand.txt", r.stdout)
}

func TestExpandJSONAndOutputFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "expanded.json")
	r := f.run(vtgraphtest.AliceKey, "expand", vtgraphtest.DemoDomain, "--depth", "2", "--json", "-o", out)
	requireOK(t, r)
	var doc struct {
		ID     string          `json:"id"`
		Graph  json.RawMessage `json:"graph"`
		Report struct {
			Done     bool `json:"done"`
			Requests int  `json:"requests"`
			Expanded []struct {
				Node, Relationship string
				Added, Linked      int
			} `json:"expanded"`
			Pending []any `json:"pending"`
			Skipped []any `json:"skipped"`
		} `json:"report"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.Empty(t, doc.ID, "nothing was saved")
	assert.True(t, doc.Report.Done)
	assert.Equal(t, 33, doc.Report.Requests)
	assert.NotEmpty(t, doc.Report.Expanded)
	assert.Equal(t, []any{}, doc.Report.Pending, "lists are arrays, empty or not")
	assert.Equal(t, []any{}, doc.Report.Skipped)

	// The file holds the graph object, which create --from reads back.
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var g vtgraph.Graph
	require.NoError(t, json.Unmarshal(b, &g))
	require.NoError(t, g.Validate())
	assert.Len(t, entityNodeIDs(&g), 24)
	assert.JSONEq(t, string(doc.Graph), string(b))
	r = f.run(vtgraphtest.AliceKey, "create", "--name", "Acme", "--from", out)
	requireOK(t, r)
}

// TestExpandSavesAndCreates checks --save on a graph id and --create on
// indicators.
func TestExpandSavesAndCreates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.client(vtgraphtest.AliceKey)
	g := vtgraph.NewGraph("Acme")
	g.AddNode(vtgraphtest.DemoDomain, vtgraph.NodeTypeDomain)
	id, err := c.CreateGraph(t.Context(), g)
	require.NoError(t, err)

	r := f.run(vtgraphtest.AliceKey, "expand", id, "--save", "--relationships", "resolutions")
	requireOK(t, r)
	assert.Contains(t, r.stdout, "Saved graph "+id+".")
	saved, err := c.GetGraph(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{vtgraphtest.DemoDomain, "192.0.2.10", "2001:db8::10"}, entityNodeIDs(saved))

	r = f.runIn(vtgraphtest.AliceKey, vtgraphtest.DemoDomain+"\n", "expand", "--indicators", "-", "--create", "Acme expanded", "--json")
	requireOK(t, r)
	var doc struct{ ID, URL string }
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	created, err := c.GetGraph(t.Context(), doc.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "Acme expanded", created.Description)
	assert.Equal(t, vtgraph.GraphURL(doc.ID), doc.URL)
	assert.Len(t, entityNodeIDs(created), 11)
}

// TestExpandStopsOnTheBudget checks that a stopped expansion still prints
// and saves what it did, says what it left, and exits with the code of
// the reason.
func TestExpandStopsOnTheBudget(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.run(vtgraphtest.AliceKey, "expand", vtgraphtest.DemoDomain, "--depth", "2", "--max-requests", "10", "--concurrency", "1", "--create", "Partial")
	assert.Equal(t, ExitRateLimit, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Expanded 5 relationships of 1 node in 10 requests")
	assert.Contains(t, r.stdout, "Created graph g")
	assert.Contains(t, r.stderr, "vtgraph: expand: 10 nodes still to expand: ")
	assert.Contains(t, r.stderr, "the budget of 10 requests is spent")
	assert.Contains(t, r.stderr, "hint: raise --max-requests")

	r = f.run(vtgraphtest.AliceKey, "expand", vtgraphtest.DemoDomain, "--depth", "2", "--max-nodes", "5")
	requireOK(t, r)
	assert.Contains(t, r.stderr, "stopped at the --max-nodes limit with ")
	assert.Contains(t, r.stdout, "4 entities added, 5 in all")
}

func TestExpandSkipsPremiumRelationships(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.run(vtgraphtest.CarolKey, "expand", vtgraphtest.DemoDomain)
	requireOK(t, r)
	assert.Contains(t, r.stderr, "vtgraph: expand: skipped the premium relationships of domain nodes, which need a premium API key: ")
	assert.Contains(t, r.stderr, "urls")
	assert.NotContains(t, r.stdout, "70cd72520c2bc9e4")
}

func TestExpandShowsProgressOnATerminal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var stdout strings.Builder
	var stderr fakeTerminal
	env := map[string]string{EnvAPIKey: vtgraphtest.AliceKey, EnvBaseURL: f.srv.URL()}
	code := Run(t.Context(), []string{"expand", vtgraphtest.DemoDomain, "--concurrency", "1"}, func(k string) string { return env[k] },
		strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, ExitOK, code, stderr.String())
	assert.Contains(t, stderr.String(), "expand: [                    ] 0/1 requests")
	assert.Contains(t, stderr.String(), "expand: [####################] 6/6 requests")
	assert.True(t, strings.HasSuffix(stderr.String(), "\r\x1b[K"), "the bar is cleared at the end")
}

func TestPivotUsage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"expand"}, ExitUsage, "give one of a graph id, indicators, --from FILE and --indicators FILE"},
		{[]string{"expand", "acme.example", "--from", "x.json"}, ExitUsage, "give one of"},
		{[]string{"expand", "acme.example", "--save", "--create", "x"}, ExitUsage, "give --save or --create, not both"},
		{[]string{"expand", "acme.example", "--concurrency", "0"}, ExitUsage, "--concurrency must be between 1 and 16"},
		{[]string{"expand", "acme.example", "--depth", "0"}, ExitUsage, "--depth and --per-relationship must be at least 1"},
		{[]string{"expand", "not an indicator"}, ExitInvalid, "give a graph id or indicators"},
		{[]string{"expand", "acme.example", "--node", "other.example"}, ExitInvalid, `from[0]: node "other.example" is not in the graph`},
		{[]string{"expand", "acme.example", "--save"}, ExitUsage, "--save needs a graph that has an id"},
		{[]string{"enrich", "acme.example", "--max-requests", "-1"}, ExitUsage, "--max-requests must not be negative"},
		{[]string{"connect", "acme.example"}, ExitUsage, "missing argument"},
		{[]string{"connect", "a.example", "b.example", "--graph", "g" + strings.Repeat("0", 64), "--from", "x.json"}, ExitUsage, "give --graph or --from, not both"},
		{[]string{"connect", "a.example", "b.example", "--max-hops", "0"}, ExitUsage, "--max-hops and --per-relationship must be at least 1"},
		{[]string{"connect", "a.example", "a.example"}, ExitInvalid, "to: is the node the path starts from"},
	} {
		r := f.run(vtgraphtest.AliceKey, tc.args...)
		assert.Equal(t, tc.code, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.args)
	}
}

func TestEnrich(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.runIn(vtgraphtest.AliceKey, "0c58dc49280e7f1e1f531301d955b18c\n192.0.2.10\nnowhere.example\n", "enrich", "--indicators", "-")
	requireOK(t, r)
	assert.Equal(t, `vtgraph: enrich: skipped nowhere.example: GET /api/v3/domains/nowhere.example: 404 NotFoundError: Domain "nowhere.example" not found`+"\n", r.stderr)
	golden(t, "enrich.txt", r.stdout)

	r = f.runIn(vtgraphtest.AliceKey, "0c58dc49280e7f1e1f531301d955b18c\n", "enrich", "--indicators", "-", "--json")
	requireOK(t, r)
	var doc struct {
		Enriched []string
		Renamed  []struct{ From, To string }
		Requests int
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.Equal(t, []string{vtgraphtest.DemoDropper}, doc.Enriched)
	assert.Equal(t, "0c58dc49280e7f1e1f531301d955b18c", doc.Renamed[0].From)
	assert.Equal(t, 1, doc.Requests)
}

func TestConnect(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.run(vtgraphtest.AliceKey, "connect", vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain)
	requireOK(t, r)
	assert.Empty(t, r.stderr)
	golden(t, "connect.txt", r.stdout)

	r = f.run(vtgraphtest.AliceKey, "connect", vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain, "--max-hops", "2", "--json")
	requireOK(t, r)
	var doc struct {
		Found    bool
		Path     []any
		Requests int
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.False(t, doc.Found, "no path of two hops")
	assert.Equal(t, []any{}, doc.Path)
	assert.Equal(t, 2, doc.Requests)
}

// TestConnectInAGraph adds the path to a saved graph, between one of its
// nodes and an indicator.
func TestConnectInAGraph(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.client(vtgraphtest.AliceKey)
	g := vtgraph.NewGraph("Acme")
	g.AddNode(vtgraphtest.DemoDomain, vtgraph.NodeTypeDomain).Text = "phishing"
	id, err := c.CreateGraph(t.Context(), g)
	require.NoError(t, err)
	r := f.run(vtgraphtest.AliceKey, "connect", "--graph", id, vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain, "--save")
	requireOK(t, r)
	assert.Contains(t, r.stdout, "Saved graph "+id+".")
	saved, err := c.GetGraph(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, "phishing", saved.Node(vtgraphtest.DemoDomain).Text)
	assert.Len(t, saved.Path(vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain), 7)
}

func TestPivotCompletions(t *testing.T) {
	t.Parallel()
	r := runCommand(t, nil, "", "__complete", "expand", "acme.example", "--relationships", "resolutions,contacted_i")
	requireOK(t, r)
	assert.Equal(t, "resolutions,contacted_ips\n:6\n", r.stdout, "the one name completing the last item, no space after it")
	r = runCommand(t, nil, "", "__complete", "connect", "a.example", "b.example", "--relationships", "sub")
	requireOK(t, r)
	assert.Contains(t, r.stdout, "subdomains\n")
	r = runCommand(t, nil, "", "__complete", "enrich", "--from", "")
	requireOK(t, r)
	assert.True(t, strings.HasPrefix(r.stdout, "json\n:8\n"), "--from completes JSON file names: %q", r.stdout)
}

// TestExpandSavesWhatItDidWhenInterrupted checks that Ctrl-C stops the
// expansion and still creates the graph asked for, with what was done.
func TestExpandSavesWhatItDidWhenInterrupted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	env := map[string]string{EnvAPIKey: vtgraphtest.AliceKey, EnvBaseURL: f.srv.URL()}
	var stdout, stderr strings.Builder
	code := Run(ctx, []string{"expand", vtgraphtest.DemoDomain, "--create", "Interrupted", "--json"}, func(k string) string { return env[k] },
		strings.NewReader(""), &stdout, &stderr)
	assert.Equal(t, ExitInterrupted, code, stderr.String())
	var doc struct {
		ID     string
		Report struct{ Stopped string }
	}
	require.NoError(t, json.Unmarshal([]byte(stdout.String()), &doc))
	assert.Contains(t, doc.Report.Stopped, "context canceled")
	g, err := f.client(vtgraphtest.AliceKey).GetGraph(t.Context(), doc.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "Interrupted", g.Description)
}
