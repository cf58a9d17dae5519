package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

const graphID = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"

const (
	graphBody = `{"data":{"type":"graph","id":"` + graphID + `","attributes":{"private":false,
		"graph_data":{"description":"Hooli"},"nodes":[{"entity_id":"8.8.8.8","type":"ip_address","x":-27.425258029385414,"y":0,"index":0,
		"entity_attributes":{"has_detections":1}}],"links":[],"creation_date":1530006951}}}`
	usersBody   = `{"data":[{"type":"user","id":"gilfoyle","attributes":{"first_name":"Bertram","user_since":1530008602}}],"links":{"self":"x"}}`
	commentBody = `{"type":"comment","id":"` + graphID + `-1","attributes":{"text":"hi","date":1}}`
	sha256      = "131f95c51cc819465fa1797f6ccacf9d494aaaff46fa3eac73ae63ffbdfd8267"
	fileBody    = `{"data":{"type":"file","id":"` + sha256 + `","attributes":{"size":1024,"type_tag":"peexe","names":["a.exe"],
		"last_analysis_stats":{"malicious":5,"undetected":60},"future":{"x":1}}}}`
	related  = `{"data":[{"type":"domain","id":"acme.example","attributes":{"tld":"example"}}],"meta":{"cursor":"c2"}}`
	relIDs   = `{"data":[{"type":"resolution","id":"192.0.2.1acme.example"}]}`
	single   = `{"data":{"type":"ip_address","id":"192.0.2.1","attributes":{"country":"NL"}}}`
	noObject = `{"data":null}`
)

// TestGeneratedClientSmoke calls each of the 32 generated client methods
// against an httptest server and checks the typed 200 response decodes.
func TestGeneratedClientSmoke(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]bool{}
	routes := map[string]string{
		"GET /api/v3/graphs":                                     `{"data":[` + graphBody[len(`{"data":`):len(graphBody)-1] + `],"meta":{"cursor":"c2"},"links":{"self":"s","next":"n"}}`,
		"POST /api/v3/graphs":                                    `{"data":{"type":"graph","id":"` + graphID + `"}}`,
		"GET /api/v3/graphs/{id}":                                graphBody,
		"PATCH /api/v3/graphs/{id}":                              graphBody,
		"DELETE /api/v3/graphs/{id}":                             `{"data":null}`,
		"GET /api/v3/graphs/{id}/comments":                       `{"data":[` + commentBody + `],"meta":{}}`,
		"POST /api/v3/graphs/{id}/comments":                      `{"data":` + commentBody + `}`,
		"GET /api/v3/graphs/{id}/owner":                          `{"data":{"type":"user","id":"hendricks","attributes":{}}}`,
		"GET /api/v3/graphs/{id}/group":                          noObject,
		"GET /api/v3/graphs/{id}/{rel}":                          `{"data":[{"type":"domain","id":"acme.example","attributes":{}}]}`,
		"GET /api/v3/files/{id}":                                 fileBody,
		"GET /api/v3/files/{id}/{rel}":                           related,
		"GET /api/v3/files/{id}/relationships/{rel}":             relIDs,
		"GET /api/v3/urls/{id}":                                  `{"data":{"type":"url","id":"` + sha256 + `","attributes":{"url":"http://acme.example/","title":"Acme"}}}`,
		"GET /api/v3/urls/{id}/{rel}":                            single,
		"GET /api/v3/urls/{id}/relationships/{rel}":              noObject,
		"GET /api/v3/domains/{id}":                               `{"data":{"type":"domain","id":"acme.example","attributes":{"creation_date":1},"relationships":{"parent":{"data":null}}}}`,
		"GET /api/v3/domains/{id}/{rel}":                         related,
		"GET /api/v3/domains/{id}/relationships/{rel}":           relIDs,
		"GET /api/v3/ip_addresses/{id}":                          `{"data":{"type":"ip_address","id":"192.0.2.1","attributes":{"country":"NL","asn":64496}}}`,
		"GET /api/v3/ip_addresses/{id}/{rel}":                    related,
		"GET /api/v3/ip_addresses/{id}/relationships/{rel}":      relIDs,
		"GET /api/v3/intelligence/search":                        `{"data":[{"type":"file","id":"` + sha256 + `"},{"type":"domain","id":"acme.example","attributes":{}}],"meta":{"total_hits":2}}`,
		"GET /api/v3/graphs/{id}/relationships/{rel}":            `{"data":[{"type":"user","id":"gilfoyle"}]}`,
		"GET /api/v3/graphs/{id}/relationships/viewers":          usersBody,
		"POST /api/v3/graphs/{id}/relationships/viewers":         usersBody,
		"GET /api/v3/graphs/{id}/relationships/viewers/{who}":    `{"data":true}`,
		"DELETE /api/v3/graphs/{id}/relationships/viewers/{who}": `{"data":null}`,
		"GET /api/v3/graphs/{id}/relationships/editors":          usersBody,
		"POST /api/v3/graphs/{id}/relationships/editors":         usersBody,
		"GET /api/v3/graphs/{id}/relationships/editors/{who}":    `{"data":false}`,
		"DELETE /api/v3/graphs/{id}/relationships/editors/{who}": `{"data":null}`,
	}
	mux := http.NewServeMux()
	for pattern, body := range routes {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			assert.Equal(t, "test-key-not-real", r.Header.Get("x-apikey"))
			if r.Body != nil {
				_, _ = io.Copy(io.Discard, r.Body)
			}
			mu.Lock()
			seen[pattern] = true
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	c, err := vtapi.NewClientWithResponses(srv.URL+"/api/v3", vtapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("x-apikey", "test-key-not-real")
		return nil
	}))
	require.NoError(t, err)
	ctx := t.Context()
	limit := int32(10)
	cursor := "c1"

	check := func(name string, status int, decoded any, err error) {
		t.Helper()
		require.NoError(t, err, name)
		require.Equal(t, http.StatusOK, status, name)
		require.NotNil(t, decoded, name)
	}

	r1, err := c.GraphsWithResponse(ctx, &vtapi.GraphsParams{Limit: &limit, Cursor: &cursor})
	check("graphs", r1.StatusCode(), r1.JSON200, err)
	require.Len(t, r1.JSON200.Data, 1)
	require.Equal(t, "c2", *r1.JSON200.Meta.Cursor)

	r2, err := c.CreateGraphsWithResponse(ctx, vtapi.CreateGraphsJSONRequestBody{Data: vtapi.GraphCreateRequest_Data{Type: "graph"}})
	check("createGraphs", r2.StatusCode(), r2.JSON200, err)
	require.Equal(t, graphID, r2.JSON200.Data.Id)

	r3, err := c.GraphsInfoWithResponse(ctx, graphID, nil)
	check("graphsInfo", r3.StatusCode(), r3.JSON200, err)
	nodes := *r3.JSON200.Data.Attributes.Nodes
	require.Equal(t, -27.425258029385414, *nodes[0].X, "coordinates are float64")

	private := true
	r4, err := c.GraphsUpdateWithResponse(ctx, graphID, vtapi.GraphsUpdateJSONRequestBody{Data: struct {
		Attributes vtapi.GraphAttributes            `json:"attributes"`
		Id         *vtapi.GraphID                   `json:"id,omitempty"`
		Type       vtapi.GraphUpdateRequestDataType `json:"type"`
	}{Attributes: vtapi.GraphAttributes{Private: &private}, Type: "graph"}})
	check("graphsUpdate", r4.StatusCode(), r4.JSON200, err)

	r5, err := c.GraphsDeleteWithResponse(ctx, graphID)
	check("graphsDelete", r5.StatusCode(), r5.JSON200, err)

	r6, err := c.GetGraphCommentsWithResponse(ctx, graphID, &vtapi.GetGraphCommentsParams{Limit: &limit, Cursor: &cursor})
	check("getGraphComments", r6.StatusCode(), r6.JSON200, err)

	body := vtapi.PostGraphsCommentsJSONRequestBody{}
	body.Data.Type = "comment"
	body.Data.Attributes.Text = "hi"
	r7, err := c.PostGraphsCommentsWithResponse(ctx, graphID, body)
	check("postGraphsComments", r7.StatusCode(), r7.JSON200, err)

	r8, err := c.GraphsRelationshipsWithResponse(ctx, graphID, "items", nil)
	check("graphsRelationships", r8.StatusCode(), r8.JSON200, err)
	items, err := r8.JSON200.Data.AsRelatedObjectsResponseData1()
	require.NoError(t, err)
	require.Equal(t, "acme.example", items[0].Id)

	owner, err := c.GraphsOwnerWithResponse(ctx, graphID)
	check("graphsOwner", owner.StatusCode(), owner.JSON200, err)
	require.Equal(t, "hendricks", owner.JSON200.Data.Id)
	group, err := c.GraphsGroupWithResponse(ctx, graphID)
	check("graphsGroup", group.StatusCode(), group.JSON200, err)

	r9, err := c.GraphsRelationshipsIdsWithResponse(ctx, graphID, "items", &vtapi.GraphsRelationshipsIdsParams{Limit: &limit})
	check("graphsRelationshipsIds", r9.StatusCode(), r9.JSON200, err)
	ids, err := r9.JSON200.Data.AsRelatedDescriptorsResponseData1()
	require.NoError(t, err)
	require.Equal(t, "gilfoyle", ids[0].Id)

	who := vtapi.PrincipalListRequest{Data: []vtapi.PrincipalDescriptor{{Type: "user", Id: "gilfoyle"}}}
	r10, err := c.GraphsViewersWithResponse(ctx, graphID, nil)
	check("graphsViewers", r10.StatusCode(), r10.JSON200, err)
	r11, err := c.GraphsAddViewerWithResponse(ctx, graphID, who)
	check("graphsAddViewer", r11.StatusCode(), r11.JSON200, err)
	r12, err := c.GraphsCheckViewerWithResponse(ctx, graphID, "gilfoyle")
	check("graphsCheckViewer", r12.StatusCode(), r12.JSON200, err)
	require.True(t, r12.JSON200.Data)
	r13, err := c.GraphsDeleteViewerWithResponse(ctx, graphID, "gilfoyle")
	check("graphsDeleteViewer", r13.StatusCode(), r13.JSON200, err)
	r14, err := c.GraphsEditorsWithResponse(ctx, graphID, nil)
	check("graphsEditors", r14.StatusCode(), r14.JSON200, err)
	r15, err := c.GraphsAddEditorWithResponse(ctx, graphID, who)
	check("graphsAddEditor", r15.StatusCode(), r15.JSON200, err)
	r16, err := c.GraphsCheckEditorWithResponse(ctx, graphID, "gilfoyle")
	check("graphsCheckEditor", r16.StatusCode(), r16.JSON200, err)
	require.False(t, r16.JSON200.Data)
	r17, err := c.GraphsDeleteEditorWithResponse(ctx, graphID, "gilfoyle")
	check("graphsDeleteEditor", r17.StatusCode(), r17.JSON200, err)

	relLimit := &vtapi.GetFileRelationshipParams{Limit: &limit, Cursor: &cursor}
	file, err := c.GetFileWithResponse(ctx, sha256, &vtapi.GetFileParams{Relationships: ptr("contacted_domains")})
	check("getFile", file.StatusCode(), file.JSON200, err)
	require.Equal(t, int64(1024), *file.JSON200.Data.Attributes.Size)
	require.Equal(t, int64(5), *file.JSON200.Data.Attributes.LastAnalysisStats.Malicious)
	require.Contains(t, file.JSON200.Data.Attributes.AdditionalProperties, "future", "unknown attributes are kept")
	fileRel, err := c.GetFileRelationshipWithResponse(ctx, sha256, "contacted_domains", relLimit)
	check("getFileRelationship", fileRel.StatusCode(), fileRel.JSON200, err)
	fileIDs, err := c.GetFileRelationshipDescriptorsWithResponse(ctx, sha256, "contacted_domains", (*vtapi.GetFileRelationshipDescriptorsParams)(relLimit))
	check("getFileRelationshipDescriptors", fileIDs.StatusCode(), fileIDs.JSON200, err)

	url, err := c.GetUrlWithResponse(ctx, "aHR0cDovL2FjbWUuZXhhbXBsZS8", nil)
	check("getUrl", url.StatusCode(), url.JSON200, err)
	require.Equal(t, "Acme", *url.JSON200.Data.Attributes.Title)
	urlRel, err := c.GetUrlRelationshipWithResponse(ctx, sha256, "last_serving_ip_address", nil)
	check("getUrlRelationship", urlRel.StatusCode(), urlRel.JSON200, err)
	ip, err := urlRel.JSON200.Data.AsObject()
	require.NoError(t, err)
	require.Equal(t, "192.0.2.1", ip.Id, "a single-object relationship")
	urlIDs, err := c.GetUrlRelationshipDescriptorsWithResponse(ctx, sha256, "network_location", nil)
	check("getUrlRelationshipDescriptors", urlIDs.StatusCode(), urlIDs.JSON200, err)

	domain, err := c.GetDomainWithResponse(ctx, "acme.example", nil)
	check("getDomain", domain.StatusCode(), domain.JSON200, err)
	require.Contains(t, *domain.JSON200.Data.Relationships, "parent")
	domainRel, err := c.GetDomainRelationshipWithResponse(ctx, "acme.example", "subdomains", nil)
	check("getDomainRelationship", domainRel.StatusCode(), domainRel.JSON200, err)
	domainIDs, err := c.GetDomainRelationshipDescriptorsWithResponse(ctx, "acme.example", "resolutions", nil)
	check("getDomainRelationshipDescriptors", domainIDs.StatusCode(), domainIDs.JSON200, err)

	address, err := c.GetIpAddressWithResponse(ctx, "192.0.2.1", nil)
	check("getIpAddress", address.StatusCode(), address.JSON200, err)
	require.Equal(t, int64(64496), *address.JSON200.Data.Attributes.Asn)
	ipRel, err := c.GetIpAddressRelationshipWithResponse(ctx, "192.0.2.1", "resolutions", nil)
	check("getIpAddressRelationship", ipRel.StatusCode(), ipRel.JSON200, err)
	ipIDs, err := c.GetIpAddressRelationshipDescriptorsWithResponse(ctx, "192.0.2.1", "resolutions", nil)
	check("getIpAddressRelationshipDescriptors", ipIDs.StatusCode(), ipIDs.JSON200, err)

	search, err := c.IntelligenceSearchWithResponse(ctx, &vtapi.IntelligenceSearchParams{Query: "type:peexe", DescriptorsOnly: ptr(true)})
	check("intelligenceSearch", search.StatusCode(), search.JSON200, err)
	hit, err := search.JSON200.Data[0].AsFileObject()
	require.NoError(t, err)
	require.Equal(t, sha256, hit.Id)
	require.Equal(t, int64(2), *search.JSON200.Meta.TotalHits)

	require.Len(t, seen, len(routes), "every route was called")
}

func ptr[T any](v T) *T { return &v }
