package contract_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
)

func loadSpec(t *testing.T) *contract.Validator {
	t.Helper()
	path, err := contract.SpecPath()
	require.NoError(t, err)
	v, err := contract.Load(path)
	require.NoError(t, err)
	return v
}

func TestLoad(t *testing.T) {
	t.Parallel()
	v := loadSpec(t)
	assert.Equal(t, "/api/v3", v.BasePath())
	assert.Len(t, v.OperationIDs(), 32)
	assert.Contains(t, v.OperationIDs(), "graphsInfo")
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	invalid := filepath.Join(dir, "invalid.yaml")
	// A path parameter that is not required breaks the OpenAPI rules.
	require.NoError(t, os.WriteFile(invalid, []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x/{id}:
    get:
      parameters: [{name: id, in: path, schema: {type: string}}]
      responses: {"200": {description: ok}}
`), 0o600))
	tests := []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "absent.yaml"), "loading"},
		{"invalid document", invalid, "not a valid OpenAPI document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := contract.Load(tt.path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestSpecPath(t *testing.T) {
	t.Parallel()
	path, err := contract.SpecPath()
	require.NoError(t, err)
	assert.Equal(t, filepath.FromSlash(contract.SpecFile), filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path)))
	_, err = os.Stat(filepath.Join(filepath.Dir(filepath.Dir(path)), "go.mod"))
	assert.NoError(t, err, "the spec's parent directory is the module root")
}

func TestOperation(t *testing.T) {
	t.Parallel()
	v := loadSpec(t)
	tests := []struct {
		method, url, want string
	}{
		{http.MethodGet, "https://www.virustotal.com/api/v3/graphs", "graphs"},
		{http.MethodGet, "http://127.0.0.1:1/api/v3/graphs/" + graphID + "/comments", "getGraphComments"},
		{http.MethodGet, "/api/v3/graphs/" + graphID + "/owner", "graphsOwner"},
		{http.MethodGet, "/api/v3/graphs/" + graphID + "/group", "graphsGroup"},
		{http.MethodGet, "/api/v3/graphs/" + graphID + "/items", "graphsRelationships"},
		{http.MethodGet, "/api/v3/files/" + fileSHA256, "getFile"},
		{http.MethodGet, "/api/v3/files/" + fileSHA256 + "/contacted_domains", "getFileRelationship"},
		{http.MethodGet, "/api/v3/files/" + fileSHA256 + "/relationships/contacted_domains", "getFileRelationshipDescriptors"},
		{http.MethodGet, "/api/v3/ip_addresses/2001:db8::1/resolutions", "getIpAddressRelationship"},
		{http.MethodGet, "/api/v3/intelligence/search?query=x", "intelligenceSearch"},
		{http.MethodGet, "/api/v3/graphs/" + graphID + "/relationships/owner", "graphsRelationshipsIds"},
		{http.MethodGet, "/api/v3/graphs/" + graphID + "/relationships/viewers", "graphsViewers"},
		{http.MethodDelete, "/api/v3/graphs/" + graphID + "/relationships/editors/someone", "graphsDeleteEditor"},
		{http.MethodGet, "/graphs", ""},
		{http.MethodPut, "/api/v3/graphs", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.url, func(t *testing.T) {
			t.Parallel()
			got, err := v.Operation(httptest.NewRequest(tt.method, tt.url, nil))
			if tt.want == "" {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// exchangeCase is one request sent to a server, and the violations the
// check must report for it.
type exchangeCase struct {
	name    string
	method  string
	path    string // below the server's URL
	body    string
	noKey   bool
	handler http.Handler // nil means fakeAPI()
	want    []contract.Part
}

var exchangeCases = []exchangeCase{
	// Exchanges that follow the spec.
	{name: "search graphs", method: "GET", path: "/api/v3/graphs?filter=owner:someone&limit=10&order=name"},
	{name: "get graph", method: "GET", path: "/api/v3/graphs/" + graphID},
	{name: "create graph", method: "POST", path: "/api/v3/graphs", body: `{"data":{"type":"graph","attributes":{"graph_data":{"description":"demo"},"private":true}}}`},
	{name: "list comments", method: "GET", path: "/api/v3/graphs/" + graphID + "/comments?limit=40&cursor=abc"},
	{name: "owner", method: "GET", path: "/api/v3/graphs/" + graphID + "/owner"},
	{name: "null group", method: "GET", path: "/api/v3/graphs/" + graphID + "/group"},
	{name: "graph items", method: "GET", path: "/api/v3/graphs/" + graphID + "/items?limit=40"},
	{name: "domain with relationships", method: "GET", path: "/api/v3/domains/acme.example?relationships=resolutions,parent"},
	{name: "single related object", method: "GET", path: "/api/v3/urls/aHR0cDovL2EuZXhhbXBsZS8/last_serving_ip_address"},
	{name: "intelligence search", method: "GET", path: "/api/v3/intelligence/search?query=type:peexe&limit=300&descriptors_only=true"},
	{name: "check editor", method: "GET", path: "/api/v3/graphs/" + graphID + "/relationships/editors/someone"},
	{name: "delete graph", method: "DELETE", path: "/api/v3/graphs/" + graphID},
	{name: "missing key answered 401", method: "GET", path: "/api/v3/graphs/" + graphID, noKey: true},

	// Exchanges that break the spec on purpose.
	{
		name: "undocumented status", method: "GET", path: "/api/v3/graphs/" + graphID,
		handler: respond(http.StatusTeapot, "application/json", graphJSON),
		want:    []contract.Part{contract.PartResponse},
	},
	{
		name: "body violates schema", method: "GET", path: "/api/v3/graphs/" + graphID,
		handler: respond(http.StatusOK, "application/json", `{"data": {"type":"graph","attributes":{"nodes":[{"entity_id":1}]}}}`),
		want:    []contract.Part{contract.PartResponse},
	},
	{
		name: "undocumented content type", method: "GET", path: "/api/v3/graphs/" + graphID,
		handler: respond(http.StatusOK, "text/html", "<p>hello</p>"),
		want:    []contract.Part{contract.PartResponse},
	},
	{
		name: "error body violates schema", method: "GET", path: "/api/v3/graphs/" + graphID,
		handler: respond(http.StatusNotFound, "application/json", `{"message":"no"}`),
		want:    []contract.Part{contract.PartResponse},
	},
	{
		name: "limit below minimum", method: "GET", path: "/api/v3/graphs/" + graphID + "/comments?limit=0",
		want: []contract.Part{contract.PartRequest},
	},
	{
		name: "null owner", method: "GET", path: "/api/v3/graphs/" + graphID + "/owner",
		handler: respond(http.StatusOK, "application/json", groupJSON),
		want:    []contract.Part{contract.PartResponse},
	},
	{
		name: "file id that is no hash", method: "GET", path: "/api/v3/files/invoice.docx",
		handler: respond(http.StatusNotFound, "application/json", errorJSON),
		want:    []contract.Part{contract.PartRequest},
	},
	{
		name: "relationship page above 40", method: "GET", path: "/api/v3/domains/acme.example/resolutions?limit=41",
		handler: respond(http.StatusOK, "application/json", itemsJSON),
		want:    []contract.Part{contract.PartRequest},
	},
	{
		name: "search page above 300", method: "GET", path: "/api/v3/intelligence/search?query=x&limit=301",
		want: []contract.Part{contract.PartRequest},
	},
	{
		name: "search without a query", method: "GET", path: "/api/v3/intelligence/search",
		handler: respond(http.StatusBadRequest, "application/json", errorJSON),
		want:    []contract.Part{contract.PartRequest},
	},
	{
		name: "domain attribute of the wrong type", method: "GET", path: "/api/v3/domains/acme.example",
		handler: respond(http.StatusOK, "application/json", `{"data":{"type":"domain","id":"acme.example","attributes":{"creation_date":"yesterday"}}}`),
		want:    []contract.Part{contract.PartResponse},
	},
	{
		name: "create body of the wrong type", method: "POST", path: "/api/v3/graphs",
		body: `{"data":{"type":"comment","attributes":{}}}`,
		want: []contract.Part{contract.PartRequest},
	},
	{
		name: "graph id not matching its pattern", method: "GET", path: "/api/v3/graphs/not-a-graph-id",
		handler: respond(http.StatusBadRequest, "application/json", errorJSON),
		want:    []contract.Part{contract.PartRequest},
	},
	{
		name: "unknown path", method: "GET", path: "/api/v3/teapots",
		handler: respond(http.StatusNotFound, "application/json", errorJSON),
		want:    []contract.Part{contract.PartRoute},
	},
	{
		name: "path without the base path", method: "GET", path: "/graphs/" + graphID,
		want: []contract.Part{contract.PartRoute},
	},
	{
		name: "undocumented method", method: "PUT", path: "/api/v3/graphs", body: `{}`,
		want: []contract.Part{contract.PartRoute},
	},
	{
		name: "missing key answered 200", method: "GET", path: "/api/v3/graphs/" + graphID, noKey: true,
		handler: respond(http.StatusOK, "application/json", graphJSON),
		want:    []contract.Part{contract.PartRequest},
	},
}

// tee records the request body a server received and the response body it
// wrote, so a test can check that validation passed both through intact.
type tee struct {
	next         http.Handler
	got, written bytes.Buffer
}

func (s *tee) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(&s.got, r.Body)
	r.Body = io.NopCloser(bytes.NewReader(s.got.Bytes()))
	s.next.ServeHTTP(teeWriter{w, &s.written}, r)
}

type teeWriter struct {
	http.ResponseWriter
	buf *bytes.Buffer
}

func (w teeWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	return w.ResponseWriter.Write(p)
}

func TestExchanges(t *testing.T) {
	t.Parallel()
	v := loadSpec(t)
	sides := []struct {
		name string
		// wrap returns the server handler and the client for one case.
		wrap func(h http.Handler, report func(error)) (http.Handler, *http.Client)
	}{
		{"middleware", func(h http.Handler, report func(error)) (http.Handler, *http.Client) {
			return v.Middleware(h, report), &http.Client{}
		}},
		{"transport", func(h http.Handler, report func(error)) (http.Handler, *http.Client) {
			return h, &http.Client{Transport: v.Transport(nil, report)}
		}},
	}
	for _, side := range sides {
		for _, tc := range exchangeCases {
			t.Run(side.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				h := tc.handler
				if h == nil {
					h = fakeAPI()
				}
				var got violations
				server := &tee{next: h}
				handler, client := side.wrap(server, got.report)
				srv := httptest.NewServer(handler)
				defer srv.Close()

				var body io.Reader
				if tc.body != "" {
					body = strings.NewReader(tc.body)
				}
				req, err := http.NewRequestWithContext(t.Context(), tc.method, srv.URL+tc.path, body)
				require.NoError(t, err)
				if tc.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				if !tc.noKey {
					req.Header.Set("x-apikey", apiKey)
				}
				resp, err := client.Do(req)
				require.NoError(t, err)
				read, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				require.NoError(t, resp.Body.Close())
				// Close waits for the handler, and so for the middleware's
				// response check, to finish.
				srv.Close()

				assert.Equal(t, tc.want, got.parts(), "violations: %v", got.all())
				assert.Equal(t, tc.body, server.got.String(), "the server got the request body intact")
				assert.Equal(t, server.written.String(), string(read), "the client got the response body intact")
			})
		}
	}
}

func TestViolationError(t *testing.T) {
	t.Parallel()
	cause := errors.New("status is not supported")
	tests := []struct {
		v    contract.Violation
		want string
	}{
		{
			contract.Violation{Part: contract.PartResponse, Method: "GET", Path: "/api/v3/graphs", Operation: "graphs", Status: 418, Err: cause},
			"contract: response 418 to GET /api/v3/graphs (graphs): status is not supported",
		},
		{
			contract.Violation{Part: contract.PartRoute, Method: "GET", Path: "/x", Err: cause},
			"contract: route to GET /x: status is not supported",
		},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.v.Error())
		assert.ErrorIs(t, &tt.v, cause)
	}
}

// recordingTB is a testing.TB that records failures instead of failing.
type recordingTB struct {
	testing.TB
	mu       sync.Mutex
	failures []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *recordingTB) recorded() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.failures...)
}

// TestForTestFailsTheTest shows that a test breaking the contract on purpose
// fails through ForTest, on both the server and the client side.
func TestForTestFailsTheTest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.Handler
		want    string
	}{
		{"valid", fakeAPI(), ""},
		{"teapot", respond(http.StatusTeapot, "application/json", graphJSON), "response 418 to GET /api/v3/graphs/" + graphID + " (graphsInfo)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, side := range []string{"handler", "client"} {
				rec := &recordingTB{TB: t}
				check := contract.ForTest(rec)
				handler, client := tt.handler, http.DefaultClient
				if side == "handler" {
					handler = check.Handler(handler)
				} else {
					client = check.Client()
				}
				srv := httptest.NewServer(handler)
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/api/v3/graphs/"+graphID, nil)
				require.NoError(t, err)
				req.Header.Set("x-apikey", apiKey)
				resp, err := client.Do(req)
				require.NoError(t, err)
				require.NoError(t, resp.Body.Close())
				srv.Close()

				failures := rec.recorded()
				if tt.want == "" {
					assert.Empty(t, failures, side)
					continue
				}
				require.Len(t, failures, 1, side)
				assert.Contains(t, failures[0], tt.want, side)
			}
		})
	}
}

func TestTransportKeepsCallerRequest(t *testing.T) {
	t.Parallel()
	v := loadSpec(t)
	srv := httptest.NewServer(fakeAPI())
	defer srv.Close()
	var got violations
	client := &http.Client{Transport: v.Transport(nil, got.report)}

	const body = `{"data":{"type":"graph","attributes":{}}}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/api/v3/graphs", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-apikey", apiKey)
	before := req.Header.Clone()

	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Same(t, req, resp.Request)
	assert.Equal(t, before, req.Header, "the caller's headers are unchanged")
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.JSONEq(t, createdJSON, string(data))
	assert.Empty(t, got.all())
}
