package vtgraphtest_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// investigation has what real graphs carry beyond the schema: unknown
// attributes, doubles with every digit, and integers past float64 precision.
const investigation = `{
	"graph_data": {"description": "Hooli.com investigation", "version": "5.0.0"},
	"position": {"x": 897, "y": 388, "scale": "1"},
	"representation": "tree",
	"private": false,
	"creation_date": 1, "last_modified_date": 2, "views_count": 99, "comments_count": 7,
	"nodes": [
		{"entity_id": "www.hooli.com", "type": "domain", "index": 0, "text": "Root Node", "x": -18, "y": 65},
		{"entity_id": "relationships_resolutions_wwwhoolicom", "type": "relationship", "index": 1, "x": -27.425258029385414, "y": -19.198748008541706},
		{"entity_id": "8.8.8.8", "type": "ip_address", "index": 2, "entity_attributes": {"has_detections": 1, "big": 12345678901234567890}}
	],
	"links": [
		{"source": "www.hooli.com", "target": "relationships_resolutions_wwwhoolicom", "connection_type": "resolutions"},
		{"source": "relationships_resolutions_wwwhoolicom", "target": "8.8.8.8", "connection_type": "resolutions"}
	]
}`

var graphIDPattern = regexp.MustCompile(`^g[0-9a-f]{64}$`)

func TestCreateAndGet(t *testing.T) {
	t.Parallel()
	f := setup(t)
	resp, err := f.alice.CreateGraphsWithBodyWithResponse(t.Context(), "application/json",
		strings.NewReader(`{"data":{"type":"graph","attributes":`+investigation+`}}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
	id := resp.JSON200.Data.Id
	assert.Regexp(t, graphIDPattern, id)
	created := attrs(t, resp.Body)
	assert.JSONEq(t, `1709294400`, string(created["creation_date"]), "the create response carries the dates")

	f.clock.Advance(time.Hour)
	got, err := f.alice.GraphsInfoWithResponse(t.Context(), id, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, got.StatusCode(), string(got.Body))
	a := attrs(t, got.Body)

	var sent map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(investigation), &sent))
	for _, k := range []string{"graph_data", "position", "representation", "nodes", "links"} {
		assert.JSONEq(t, string(sent[k]), string(a[k]), k)
	}
	body := string(got.Body)
	assert.Contains(t, body, "-27.425258029385414")
	assert.Contains(t, body, "12345678901234567890", "integers keep every digit")

	// Read-only attributes in the body are the server's, not the client's.
	assert.JSONEq(t, `1709294400`, string(a["creation_date"]))
	assert.JSONEq(t, `1709294400`, string(a["last_modified_date"]))
	assert.JSONEq(t, `1`, string(a["views_count"]), "the GET counts itself")
	assert.JSONEq(t, `0`, string(a["comments_count"]))
	assert.JSONEq(t, `false`, string(a["private"]))
	assert.Equal(t, f.srv.URL()+"/graphs/"+id, *got.JSON200.Data.Links.Self)
}

func TestViewsCount(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, named("views", false))
	for _, c := range []*vtapi.ClientWithResponses{f.alice, f.bob, f.carol} {
		resp, err := c.GraphsInfoWithResponse(t.Context(), id, nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
	}
	g, ok := f.srv.Graph(id)
	require.True(t, ok)
	assert.Equal(t, int64(3), *g.Attributes.ViewsCount, "every GET counts, the owner's too")
}

func TestUpdateMerges(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, investigation)
	before, ok := f.srv.Graph(id)
	require.True(t, ok)

	f.clock.Advance(time.Hour)
	resp, err := f.alice.GraphsUpdateWithBodyWithResponse(t.Context(), id, "application/json",
		strings.NewReader(`{"data":{"type":"graph","id":"`+id+`","attributes":{"private":true,"creation_date":5}}}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
	a := attrs(t, resp.Body)
	assert.JSONEq(t, `true`, string(a["private"]))
	assert.JSONEq(t, `1709294400`, string(a["creation_date"]))
	assert.JSONEq(t, `1709298000`, string(a["last_modified_date"]))

	var sent map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(investigation), &sent))
	for _, k := range []string{"graph_data", "position", "representation", "nodes", "links"} {
		assert.JSONEq(t, string(sent[k]), string(a[k]), "%s is untouched by a PATCH without it", k)
	}

	// A new value replaces the attribute as a whole; null removes it.
	resp, err = f.alice.GraphsUpdateWithBodyWithResponse(t.Context(), id, "application/json",
		strings.NewReader(`{"data":{"type":"graph","attributes":{"graph_data":{"description":"renamed"},"representation":null}}}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
	a = attrs(t, resp.Body)
	assert.JSONEq(t, `{"description":"renamed"}`, string(a["graph_data"]))
	assert.NotContains(t, a, "representation")
	assert.JSONEq(t, string(sent["nodes"]), string(a["nodes"]))

	after, ok := f.srv.Graph(id)
	require.True(t, ok)
	assert.Equal(t, before.Attributes.Nodes, after.Attributes.Nodes)
}

func TestUpdateWithTypedClient(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, investigation)
	body := vtapi.GraphUpdateRequest{}
	body.Data.Type = "graph"
	body.Data.Attributes.Private = ptr(true)
	resp, err := f.alice.GraphsUpdateWithResponse(t.Context(), id, body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
	assert.True(t, *resp.JSON200.Data.Attributes.Private)
	require.NotNil(t, resp.JSON200.Data.Attributes.Nodes)
	assert.Len(t, *resp.JSON200.Data.Attributes.Nodes, 3)
	assert.Contains(t, resp.JSON200.Data.Attributes.AdditionalProperties, "position")
}

func TestBadBodies(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, named("target", false))
	tests := []struct {
		name, method, body, code, message string
	}{
		{"malformed JSON", http.MethodPost, `{"data":`, "BadRequestError", ""},
		{"wrong type", http.MethodPost, `{"data":{"type":"file","attributes":{}}}`, "InvalidArgumentError", "data.type"},
		{"wrong attribute type", http.MethodPost, `{"data":{"type":"graph","attributes":{"private":"yes"}}}`, "BadRequestError", "private"},
		{"every node problem at once", http.MethodPost,
			`{"data":{"type":"graph","attributes":{"nodes":[{"type":"domain"},{"entity_id":"x"}],"links":[{"source":"x"}]}}}`,
			"InvalidArgumentError", "nodes[0].entity_id: empty; nodes[1].type: empty; links[0].target: empty"},
		{"patch id mismatch", http.MethodPatch, `{"data":{"type":"graph","id":"g` + strings.Repeat("0", 64) + `","attributes":{}}}`, "InvalidArgumentError", "does not match"},
		{"patch wrong type", http.MethodPatch, `{"data":{"type":"comment","attributes":{}}}`, "InvalidArgumentError", "data.type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var status int
			var body []byte
			if tt.method == http.MethodPost {
				resp, err := f.alice.CreateGraphsWithBodyWithResponse(t.Context(), "application/json", strings.NewReader(tt.body))
				require.NoError(t, err)
				status, body = resp.StatusCode(), resp.Body
			} else {
				resp, err := f.alice.GraphsUpdateWithBodyWithResponse(t.Context(), id, "application/json", strings.NewReader(tt.body))
				require.NoError(t, err)
				status, body = resp.StatusCode(), resp.Body
			}
			assert.Equal(t, http.StatusBadRequest, status, string(body))
			assert.Equal(t, tt.code, errorCode(t, body))
			assert.Contains(t, string(body), tt.message)
		})
	}
	g, ok := f.srv.Graph(id)
	require.True(t, ok)
	assert.Equal(t, "target", *g.Attributes.GraphData.Description, "failed updates change nothing")
}

func TestDelete(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, named("doomed", false))
	resp, err := f.alice.GraphsDeleteWithResponse(t.Context(), id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode())
	assert.JSONEq(t, `{"data":null}`, string(resp.Body))

	got, err := f.alice.GraphsInfoWithResponse(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, got.StatusCode())
	assert.Equal(t, "NotFoundError", errorCode(t, got.Body))
	_, ok := f.srv.Graph(id)
	assert.False(t, ok)
}

func TestDeterministicIDs(t *testing.T) {
	t.Parallel()
	first := func(opts ...vtgraphtest.Option) string {
		f := setup(t, opts...)
		return create(t, f.alice, named("x", false))
	}
	assert.Equal(t, first(), first(), "same seed, same ids")
	assert.NotEqual(t, first(), first(vtgraphtest.WithIDSeed("other")))
}

func TestGraphsAreIndependentPerServer(t *testing.T) {
	t.Parallel()
	a, b := setup(t), setup(t)
	id := create(t, a.alice, named("only on a", false))
	resp, err := b.alice.GraphsInfoWithResponse(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode())
}

func TestGetSelectsAttributes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, named("selected", true))
	resp, err := f.alice.GraphsInfoWithResponse(t.Context(), id, &vtapi.GraphsInfoParams{Attributes: ptr("private, graph_data")})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode())
	got := attrs(t, resp.Body)
	assert.ElementsMatch(t, []string{"private", "graph_data"}, slices.Collect(maps.Keys(got)))
	assert.JSONEq(t, `true`, string(got["private"]))
}
