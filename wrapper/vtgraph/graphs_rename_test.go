package vtgraph

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// uiGraphData is the graph_data of a graph the VirusTotal UI saved: besides
// the name, the UI's version and its layout.
const uiGraphData = `{"description":"Hooli","version":"5.0.0","layout":{"zoom":1.5,"pinned":true}}`

// TestRenameKeepsGraphData renames a graph whose graph_data holds a version
// and a layout: the PATCH carries them along with the new name, after a GET
// of graph_data, since graph_data is one attribute that a PATCH replaces.
func TestRenameKeepsGraphData(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	get := handle(mux, "GET /graphs/{id}", http.StatusOK, `{"data":{"type":"graph","id":"`+testGraphID+`","attributes":{"graph_data":`+uiGraphData+`}}}`)
	patch := handle(mux, "PATCH /graphs/{id}", http.StatusOK, `{"data":`+graphJSON+`}`)

	_, err := c.UpdateGraph(t.Context(), testGraphID, &GraphUpdate{Description: ptr(`Hooli <"x">`), Private: ptr(true)})
	require.NoError(t, err)
	assertRequest(t, get.only(t), http.MethodGet, apiPath("/graphs/"+testGraphID), url.Values{"attributes": {"graph_data"}}, "")
	var body struct {
		Data struct {
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(patch.only(t).Body), &body))
	assert.Equal(t, []string{"graph_data", "private"}, sortedKeys(body.Data.Attributes), "only what was set")
	assert.JSONEq(t, `{"description":"Hooli <\"x\">","version":"5.0.0","layout":{"zoom":1.5,"pinned":true}}`, string(body.Data.Attributes["graph_data"]))
}

// TestRenameThroughVTGraphTest renames a graph on the in-memory server,
// every request checked against the spec.
func TestRenameThroughVTGraphTest(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t, vtgraphtest.WithMiddleware(contract.ForTest(t).Handler))
	c, err := New(vtgraphtest.AliceKey, WithBaseURL(srv.URL()), WithoutRetries())
	require.NoError(t, err)
	g := builtGraph(t)
	g.GraphDataExtra = map[string]json.RawMessage{"layout": json.RawMessage(`{"zoom":1.5}`)}
	g.Version = "5.0.0"
	id, err := c.CreateGraph(t.Context(), g)
	require.NoError(t, err)

	renamed, err := c.UpdateGraph(t.Context(), id, &GraphUpdate{Description: ptr("Renamed")})
	require.NoError(t, err)
	assert.Equal(t, "Renamed", renamed.Description)
	assert.Equal(t, "5.0.0", renamed.Version)
	assert.JSONEq(t, `{"zoom":1.5}`, string(renamed.GraphDataExtra["layout"]))
	assert.Len(t, renamed.Nodes, 3)
}

func TestRenameOfAMissingGraph(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	handle(mux, "GET /graphs/{id}", http.StatusNotFound, `{"error":{"code":"NotFoundError","message":"no graph"}}`)
	patch := catchAll(mux)
	_, err := c.UpdateGraph(t.Context(), testGraphID, &GraphUpdate{Description: ptr("x")})
	require.ErrorIs(t, err, ErrNotFound)
	assertSentNothing(t, patch)
}
