package contract_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/internal/contract"
)

// prismCall drives one operation through the generated client and returns
// the status and whether the typed 200 body decoded.
type prismCall func(ctx context.Context, c *vtapi.ClientWithResponses) (status int, decoded bool, err error)

// result turns a generated response into what the test checks.
func result[T any](status int, json200 *T, err error) (int, bool, error) {
	return status, json200 != nil, err
}

func ptr[T any](v T) *T { return &v }

const member = "someone"

// prismCases holds one valid request per operation of the spec, keyed by
// operationId.
var prismCases = map[string]prismCall{
	"graphs": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsWithResponse(ctx, &vtapi.GraphsParams{Filter: ptr("owner:someone"), Limit: ptr[int32](10), Order: ptr("name")})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"createGraphs": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		body := vtapi.CreateGraphsJSONRequestBody{Data: vtapi.GraphCreateRequest_Data{
			Type: vtapi.GraphCreateRequestDataTypeGraph,
			Attributes: vtapi.GraphAttributes{
				GraphData: &vtapi.GraphData{Description: ptr("demo")},
				Nodes:     &[]vtapi.GraphNode{{EntityId: "example.com", Type: "domain"}},
				Links:     &[]vtapi.GraphLink{},
				Private:   ptr(true),
			},
		}}
		r, err := c.CreateGraphsWithResponse(ctx, body)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsDelete": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsDeleteWithResponse(ctx, graphID)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsInfo": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsInfoWithResponse(ctx, graphID, nil)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsUpdate": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		var body vtapi.GraphsUpdateJSONRequestBody
		body.Data.Type = vtapi.GraphUpdateRequestDataTypeGraph
		body.Data.Id = ptr(vtapi.GraphID(graphID))
		body.Data.Attributes = vtapi.GraphAttributes{Private: ptr(false)}
		r, err := c.GraphsUpdateWithResponse(ctx, graphID, body)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getGraphComments": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetGraphCommentsWithResponse(ctx, graphID, &vtapi.GetGraphCommentsParams{Limit: ptr[int32](40), Cursor: ptr("abc")})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"postGraphsComments": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		var body vtapi.PostGraphsCommentsJSONRequestBody
		body.Data.Type = vtapi.CommentCreateRequestDataTypeComment
		body.Data.Attributes.Text = "#demo a made-up comment"
		r, err := c.PostGraphsCommentsWithResponse(ctx, graphID, body)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsRelationshipsIds": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsRelationshipsIdsWithResponse(ctx, graphID, "owner", &vtapi.GraphsRelationshipsIdsParams{Limit: ptr[int32](1)})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsRelationships": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsRelationshipsWithResponse(ctx, graphID, "items", &vtapi.GraphsRelationshipsParams{Limit: ptr[int32](1)})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsEditors": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsEditorsWithResponse(ctx, graphID, &vtapi.GraphsEditorsParams{Limit: ptr[int32](10)})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsAddEditor": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		body := vtapi.GraphsAddEditorJSONRequestBody{Data: []vtapi.PrincipalDescriptor{{Type: vtapi.PrincipalDescriptorTypeUser, Id: member}}}
		r, err := c.GraphsAddEditorWithResponse(ctx, graphID, body)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsDeleteEditor": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsDeleteEditorWithResponse(ctx, graphID, member)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsCheckEditor": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsCheckEditorWithResponse(ctx, graphID, member)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsViewers": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsViewersWithResponse(ctx, graphID, &vtapi.GraphsViewersParams{Cursor: ptr("abc")})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsAddViewer": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		body := vtapi.GraphsAddViewerJSONRequestBody{Data: []vtapi.PrincipalDescriptor{{Type: vtapi.PrincipalDescriptorTypeGroup, Id: "some-group"}}}
		r, err := c.GraphsAddViewerWithResponse(ctx, graphID, body)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsDeleteViewer": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsDeleteViewerWithResponse(ctx, graphID, member)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsCheckViewer": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsCheckViewerWithResponse(ctx, graphID, member)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsOwner": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsOwnerWithResponse(ctx, graphID)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"graphsGroup": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GraphsGroupWithResponse(ctx, graphID)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getFile": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetFileWithResponse(ctx, fileSHA256, &vtapi.GetFileParams{Relationships: ptr("contacted_domains,contacted_ips")})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getFileRelationship": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetFileRelationshipWithResponse(ctx, fileMD5, "contacted_domains", &vtapi.GetFileRelationshipParams{Limit: ptr[int32](40), Cursor: ptr("abc")})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getFileRelationshipDescriptors": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetFileRelationshipDescriptorsWithResponse(ctx, fileSHA256, "itw_urls", &vtapi.GetFileRelationshipDescriptorsParams{Limit: ptr[int32](1)})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getUrl": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetUrlWithResponse(ctx, urlID, nil)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getUrlRelationship": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetUrlRelationshipWithResponse(ctx, urlID, "last_serving_ip_address", nil)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getUrlRelationshipDescriptors": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetUrlRelationshipDescriptorsWithResponse(ctx, fileSHA256, "network_location", nil)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getDomain": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetDomainWithResponse(ctx, "acme.example", &vtapi.GetDomainParams{Relationships: ptr("resolutions")})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getDomainRelationship": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetDomainRelationshipWithResponse(ctx, "acme.example", "resolutions", &vtapi.GetDomainRelationshipParams{Limit: ptr[int32](10)})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getDomainRelationshipDescriptors": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetDomainRelationshipDescriptorsWithResponse(ctx, "acme.example", "subdomains", &vtapi.GetDomainRelationshipDescriptorsParams{Cursor: ptr("abc")})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getIpAddress": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetIpAddressWithResponse(ctx, "192.0.2.1", nil)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getIpAddressRelationship": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetIpAddressRelationshipWithResponse(ctx, "2001:db8::1", "communicating_files", &vtapi.GetIpAddressRelationshipParams{Limit: ptr[int32](5)})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"getIpAddressRelationshipDescriptors": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.GetIpAddressRelationshipDescriptorsWithResponse(ctx, "192.0.2.1", "resolutions", nil)
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
	"intelligenceSearch": func(ctx context.Context, c *vtapi.ClientWithResponses) (int, bool, error) {
		r, err := c.IntelligenceSearchWithResponse(ctx, &vtapi.IntelligenceSearchParams{
			Query: "type:peexe p:5+", Limit: ptr[int32](300), Order: ptr("positives-"), DescriptorsOnly: ptr(true),
		})
		if err != nil {
			return 0, false, err
		}
		return result(r.StatusCode(), r.JSON200, nil)
	},
}

// operationRecorder notes the operationId of every request it passes on.
type operationRecorder struct {
	v    *contract.Validator
	next http.RoundTripper

	mu   sync.Mutex
	seen map[string]bool
}

func (o *operationRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if op, err := o.v.Operation(req); err == nil {
		o.mu.Lock()
		o.seen[op] = true
		o.mu.Unlock()
	}
	return o.next.RoundTrip(req)
}

// TestPrismOperations drives every operation through the generated client
// against the Prism mock, which rejects requests that break the spec, and
// validates both directions with the contract check as well.
func TestPrismOperations(t *testing.T) {
	t.Parallel()
	base := contract.PrismURL(t)
	check := contract.ForTest(t)
	ops := &operationRecorder{v: check.Validator(), next: check.Transport(nil), seen: map[string]bool{}}
	client, err := vtapi.NewClientWithResponses(base,
		vtapi.WithHTTPClient(&http.Client{Transport: ops}),
		vtapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("x-apikey", apiKey)
			// Ask Prism for the success response rather than leave the choice
			// to its negotiator.
			req.Header.Set("Prefer", "code=200")
			return nil
		}))
	require.NoError(t, err)
	require.ElementsMatch(t, check.Validator().OperationIDs(), keys(prismCases), "one case per operation of the spec")

	t.Run("operations", func(t *testing.T) {
		for op, call := range prismCases {
			t.Run(op, func(t *testing.T) {
				t.Parallel()
				status, decoded, err := call(t.Context(), client)
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, status)
				assert.True(t, decoded, "the 200 body decodes into the typed JSON200")
			})
		}
	})
	assert.Len(t, ops.seen, len(prismCases), "every request routed to a distinct operation")
}

// TestPrismRejectsInvalidRequests checks that Prism runs with request
// validation on, so that TestPrismOperations passing means something.
func TestPrismRejectsInvalidRequests(t *testing.T) {
	t.Parallel()
	base := contract.PrismURL(t)
	tests := []struct {
		name, path, key string
		want            int
	}{
		{"missing key", "/graphs/" + graphID, "", http.StatusUnauthorized},
		{"limit below minimum", "/graphs/" + graphID + "/comments?limit=0", apiKey, http.StatusBadRequest},
		{"graph id not matching its pattern", "/graphs/not-a-graph-id", apiKey, http.StatusBadRequest},
		{"file id that is no hash", "/files/invoice.docx", apiKey, http.StatusBadRequest},
		{"relationship page above 40", "/domains/acme.example/resolutions?limit=41", apiKey, http.StatusBadRequest},
		{"search without a query", "/intelligence/search", apiKey, http.StatusBadRequest},
		{"unknown path", "/teapots", apiKey, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+tt.path, nil)
			require.NoError(t, err)
			if tt.key != "" {
				req.Header.Set("x-apikey", tt.key)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, tt.want, resp.StatusCode)
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
