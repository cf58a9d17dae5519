package vtgraph_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The graphs VirusTotal's own tools produce must load, validate and save
// unchanged. The real ones, from the tests of VirusTotal's vt-graph-api
// library and the bodies it sends, are read from ../shared/fixtures/real
// (seen from the module root) when it is there; testdata/graphs/vt_tools_*
// reproduce each of their shapes, so the same checks always run.

// realFixtures returns the folder of the real fixtures, or skips the test.
func realFixtures(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no module root above the working directory")
		}
		dir = parent
	}
	real := filepath.Join(dir, "..", "shared", "fixtures", "real")
	if _, err := os.Stat(real); err != nil {
		t.Skipf("the real fixtures are not there: %v", err)
	}
	return real
}

// readOnly are the attributes only the server sets, which a save leaves out.
var readOnly = []string{"comments_count", "creation_date", "last_modified_date", "views_count"}

// assertLoadsValidatesSaves loads a GET /graphs/{id} response body with the
// client, validates the graph, saves it with SaveGraph and checks that the
// attributes sent are those received, less the read-only ones.
func assertLoadsValidatesSaves(t *testing.T, body []byte) {
	t.Helper()
	var mu sync.Mutex
	var sent []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			sent = b
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := vtgraph.New("made-up-key", vtgraph.WithBaseURL(srv.URL+"/api/v3"), vtgraph.WithoutRetries())
	require.NoError(t, err)

	g, err := c.GetGraph(t.Context(), realGraphID, nil)
	require.NoError(t, err)
	require.NoError(t, g.Validate())
	if g.ID == "" { // vt-graph-api's fixtures leave the id out
		g.ID = realGraphID
	}
	_, err = c.SaveGraph(t.Context(), g)
	require.NoError(t, err)

	want := attributesOf(t, body)
	for _, k := range readOnly {
		delete(want, k)
	}
	mu.Lock()
	defer mu.Unlock()
	got := attributesOf(t, sent)
	assert.Equal(t, canonicalJSON(t, mustJSON(t, want)), canonicalJSON(t, mustJSON(t, got)))
}

const realGraphID = "gabababababababababababababababababababababababababababababababab"

// attributesOf returns data.attributes of an API body.
func attributesOf(t *testing.T, body []byte) map[string]json.RawMessage {
	t.Helper()
	var env struct {
		Data struct {
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &env), "%s", body)
	require.NotNil(t, env.Data.Attributes)
	return env.Data.Attributes
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// assertValidatesCreates decodes the body of a POST /graphs, validates the
// graph and creates it on the in-memory server, with the request and the
// response checked against the spec, and checks that the server holds what
// the body held.
func assertValidatesCreates(t *testing.T, body []byte) {
	t.Helper()
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &env))
	var g vtgraph.Graph
	require.NoError(t, json.Unmarshal(env.Data, &g))
	require.NoError(t, g.Validate())

	srv := vtgraphtest.NewServer(t, vtgraphtest.WithMiddleware(contract.ForTest(t).Handler))
	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries())
	require.NoError(t, err)
	id, err := c.CreateGraph(t.Context(), &g)
	require.NoError(t, err)
	stored, err := c.GetGraph(t.Context(), id, nil)
	require.NoError(t, err)
	storedBody, err := json.Marshal(map[string]any{"data": stored})
	require.NoError(t, err)
	got := attributesOf(t, storedBody)
	for k, v := range attributesOf(t, body) {
		assert.Equal(t, canonicalJSON(t, v), canonicalJSON(t, got[k]), "attributes.%s", k)
	}
}

func TestRealGraphResponses(t *testing.T) {
	t.Parallel()
	dir := realFixtures(t)
	names, err := filepath.Glob(filepath.Join(dir, "vtgraphapi_graph_get*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(name)
			require.NoError(t, err)
			if !strings.Contains(name, "_wrong_json") {
				assertLoadsValidatesSaves(t, body)
				return
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(body)
			}))
			t.Cleanup(srv.Close)
			c, err := vtgraph.New("made-up-key", vtgraph.WithBaseURL(srv.URL+"/api/v3"), vtgraph.WithoutRetries())
			require.NoError(t, err)
			_, err = c.GetGraph(t.Context(), realGraphID, nil)
			var de *vtgraph.DecodeError
			require.True(t, errors.As(err, &de), "got %v", err)
		})
	}
}

func TestRealSentBodies(t *testing.T) {
	t.Parallel()
	dir := realFixtures(t)
	names, err := filepath.Glob(filepath.Join(dir, "generated", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(name)
			require.NoError(t, err)
			var rec struct {
				Requests []struct {
					Method string          `json:"method"`
					Path   string          `json:"path"`
					Body   json.RawMessage `json:"body"`
				} `json:"requests"`
			}
			require.NoError(t, json.Unmarshal(raw, &rec))
			i := slices.IndexFunc(rec.Requests, func(r struct {
				Method string          `json:"method"`
				Path   string          `json:"path"`
				Body   json.RawMessage `json:"body"`
			}) bool {
				return r.Method == http.MethodPost && r.Path == "/graphs"
			})
			if i < 0 {
				t.Skip("vt-graph-api sent no graph in this case")
			}
			assertValidatesCreates(t, rec.Requests[i].Body)
		})
	}
}

// TestRealSharedRelationshipNode removes, in turn, each file's link of the
// 2019 fixture, where five files share one relationship node: only that
// file's link to the node goes.
func TestRealSharedRelationshipNode(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile(filepath.Join(realFixtures(t), "vtgraphapi_graph_get_2019.json"))
	require.NoError(t, err)
	assertRemovesOneSourceOnly(t, body, "178.62.125.244", "contacted_ips")
}

// assertRemovesOneSourceOnly finds the relationship node of connType that
// several sources share towards target, and for each source in turn checks
// that removing its link to target removes that source's link to the node,
// and nothing else.
func assertRemovesOneSourceOnly(t *testing.T, body []byte, target, connType string) {
	t.Helper()
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &env))
	load := func() *vtgraph.Graph { return decodeGraph(t, env.Data) }

	g := load()
	var rel string
	var sources []string
	for _, l := range g.Links {
		if l.Target == target && l.ConnectionType == connType && g.Node(l.Source).IsRelationship() {
			rel = l.Source
		}
	}
	require.NotEmpty(t, rel)
	for _, l := range g.Links {
		if l.Target == rel && !g.Node(l.Source).IsRelationship() {
			sources = append(sources, l.Source)
		}
	}
	require.Greater(t, len(sources), 1, "a shared relationship node")

	for _, src := range sources {
		g := load()
		before := slices.Clone(g.Links)
		require.True(t, g.RemoveLink(src, target, connType))
		require.NoError(t, g.Validate())
		gone := linkEnds{src, rel, connType}
		assert.ElementsMatch(t, withoutLink(t, before, gone), stripped(g.Links), "only %s's link to the node goes", src)
		assert.NotContains(t, relatedIDs(g, src), target)
		for _, other := range sources {
			if other != src {
				assert.Contains(t, relatedIDs(g, other), target, "%s still reaches it", other)
			}
		}
	}
}

// linkEnds is a link without its Extra keys, which makes it comparable.
type linkEnds struct{ source, target, connType string }

// withoutLink returns the ends of links less the first equal to gone.
func withoutLink(t *testing.T, links []vtgraph.Link, gone linkEnds) []linkEnds {
	t.Helper()
	out := stripped(links)
	i := slices.Index(out, gone)
	require.GreaterOrEqual(t, i, 0, "link %v", gone)
	return slices.Delete(out, i, i+1)
}

func stripped(links []vtgraph.Link) []linkEnds {
	out := make([]linkEnds, len(links))
	for i, l := range links {
		out[i] = linkEnds{l.Source, l.Target, l.ConnectionType}
	}
	return out
}

func relatedIDs(g *vtgraph.Graph, id string) []string {
	var out []string
	for _, n := range g.Related(id) {
		out = append(out, n.Node.EntityID)
	}
	return out
}

// TestVTToolShapes runs the checks above on the project's own fixtures,
// which reproduce every shape of the real ones: has_detections counts, a
// relationship node shared by three files with a repeated link to its
// target, a commonality node without relationship_type, a retrohunt node, a
// group with copies of its member's links to and from relationship nodes,
// custom nodes in both forms, a representation; and, in the create body, a
// shared node, a group without coordinates over two members, a link
// without a connection type and a manual one.
func TestVTToolShapes(t *testing.T) {
	t.Parallel()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "graphs", name))
		require.NoError(t, err)
		return b
	}
	t.Run("response saves unchanged", func(t *testing.T) {
		t.Parallel()
		assertLoadsValidatesSaves(t, read("vt_tools_response.json"))
	})
	t.Run("create body is created", func(t *testing.T) {
		t.Parallel()
		assertValidatesCreates(t, read("vt_tools_create_request.json"))
	})
	t.Run("removing one source of a shared node", func(t *testing.T) {
		t.Parallel()
		assertRemovesOneSourceOnly(t, read("vt_tools_response.json"), "198.51.100.7", "contacted_ips")
	})
}
