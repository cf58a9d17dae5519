// Package spec_test checks the OpenAPI descriptions kept in this directory:
// that the upstream copy is the received seed with only its indentation
// restored, that the corrected spec is valid and carries every correction, and
// that every example in it validates against the schema it illustrates.
package spec_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func load(t *testing.T, path string) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	require.NoError(t, err)
	return doc
}

func TestUpstreamCopyIsTheSeedReindented(t *testing.T) {
	t.Parallel()
	seed, err := os.ReadFile("upstream.flattened.yaml.txt")
	require.NoError(t, err)
	copied, err := os.ReadFile("upstream.yaml")
	require.NoError(t, err)

	seedLines := strings.Split(strings.TrimSuffix(string(seed), "\n"), "\n")
	copyLines := strings.Split(strings.TrimSuffix(string(copied), "\n"), "\n")
	require.Len(t, copyLines, len(seedLines), "the copy must keep every line of the seed")
	for i := range seedLines {
		require.Equal(t, seedLines[i], strings.TrimLeft(copyLines[i], " "), "line %d differs beyond indentation", i+1)
	}

	// The seed does not parse; the copy does, and every scalar of the seed's
	// key/value lines is a scalar of the parsed copy.
	var node yaml.Node
	require.Error(t, yaml.Unmarshal(seed, &node), "the seed itself is expected not to parse")
	require.NoError(t, yaml.Unmarshal(copied, &node))
	scalars := map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			scalars[n.Value] = true
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&node)
	plain := regexp.MustCompile(`^-? ?([A-Za-z0-9_$/{}.-]+): ([A-Za-z0-9][A-Za-z0-9 ._/#:-]*)$`)
	checked := 0
	for _, l := range seedLines {
		if m := plain.FindStringSubmatch(l); m != nil {
			assert.True(t, scalars[m[1]], "key %q of the seed is missing", m[1])
			assert.True(t, scalars[m[2]], "value %q of the seed is missing", m[2])
			checked++
		}
	}
	assert.Greater(t, checked, 400, "the scalar check must cover the seed's plain key/value lines")
}

func TestCorrectedSpecIsValid(t *testing.T) {
	t.Parallel()
	doc := load(t, "openapi.yaml")
	require.Equal(t, "3.0.3", doc.OpenAPI)
	require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
}

type opRef struct{ method, path string }

func operations(doc *openapi3.T) map[string]opRef {
	out := map[string]opRef{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out[op.OperationID] = opRef{method, path}
		}
	}
	return out
}

// addedOperations are the operations the additions (A2-A5) bring in.
var addedOperations = map[string]opRef{
	"getFile":                             {http.MethodGet, "/files/{id}"},
	"getFileRelationship":                 {http.MethodGet, "/files/{id}/{relationship}"},
	"getFileRelationshipDescriptors":      {http.MethodGet, "/files/{id}/relationships/{relationship}"},
	"getUrl":                              {http.MethodGet, "/urls/{id}"},
	"getUrlRelationship":                  {http.MethodGet, "/urls/{id}/{relationship}"},
	"getUrlRelationshipDescriptors":       {http.MethodGet, "/urls/{id}/relationships/{relationship}"},
	"getDomain":                           {http.MethodGet, "/domains/{domain}"},
	"getDomainRelationship":               {http.MethodGet, "/domains/{domain}/{relationship}"},
	"getDomainRelationshipDescriptors":    {http.MethodGet, "/domains/{domain}/relationships/{relationship}"},
	"getIpAddress":                        {http.MethodGet, "/ip_addresses/{ip}"},
	"getIpAddressRelationship":            {http.MethodGet, "/ip_addresses/{ip}/{relationship}"},
	"getIpAddressRelationshipDescriptors": {http.MethodGet, "/ip_addresses/{ip}/relationships/{relationship}"},
	"intelligenceSearch":                  {http.MethodGet, "/intelligence/search"},
	"graphsOwner":                         {http.MethodGet, "/graphs/{id}/owner"},
	"graphsGroup":                         {http.MethodGet, "/graphs/{id}/group"},
}

func TestOperationsKeepTheirPathAndMethod(t *testing.T) {
	t.Parallel()
	upstream := operations(load(t, "upstream.yaml"))
	corrected := operations(load(t, "openapi.yaml"))
	require.Len(t, upstream, 17)
	for id, ref := range addedOperations {
		require.Equal(t, ref, corrected[id], "added operation %s", id)
		delete(corrected, id)
	}
	require.Equal(t, upstream, corrected, "the upstream operations, and only the additions besides them")
	want := map[string]opRef{
		"graphs":                 {http.MethodGet, "/graphs"},
		"createGraphs":           {http.MethodPost, "/graphs"},
		"graphsInfo":             {http.MethodGet, "/graphs/{id}"},
		"graphsUpdate":           {http.MethodPatch, "/graphs/{id}"},
		"graphsDelete":           {http.MethodDelete, "/graphs/{id}"},
		"getGraphComments":       {http.MethodGet, "/graphs/{id}/comments"},
		"postGraphsComments":     {http.MethodPost, "/graphs/{id}/comments"},
		"graphsRelationships":    {http.MethodGet, "/graphs/{id}/{relationship}"},
		"graphsRelationshipsIds": {http.MethodGet, "/graphs/{id}/relationships/{relationship}"},
		"graphsViewers":          {http.MethodGet, "/graphs/{id}/relationships/viewers"},
		"graphsAddViewer":        {http.MethodPost, "/graphs/{id}/relationships/viewers"},
		"graphsCheckViewer":      {http.MethodGet, "/graphs/{id}/relationships/viewers/{user_or_group_id}"},
		"graphsDeleteViewer":     {http.MethodDelete, "/graphs/{id}/relationships/viewers/{user_or_group_id}"},
		"graphsEditors":          {http.MethodGet, "/graphs/{id}/relationships/editors"},
		"graphsAddEditor":        {http.MethodPost, "/graphs/{id}/relationships/editors"},
		"graphsCheckEditor":      {http.MethodGet, "/graphs/{id}/relationships/editors/{user_or_group_id}"},
		"graphsDeleteEditor":     {http.MethodDelete, "/graphs/{id}/relationships/editors/{user_or_group_id}"},
	}
	require.Equal(t, want, corrected)
}

// TestUpstreamTextIsKept checks that tags, summaries, descriptions and
// parameters of upstream survive, except where a correction changes them.
func TestUpstreamTextIsKept(t *testing.T) {
	t.Parallel()
	up, fixed := load(t, "upstream.yaml"), load(t, "openapi.yaml")
	for path, item := range up.Paths.Map() {
		for method, op := range item.Operations() {
			got := fixed.Paths.Find(path).GetOperation(method)
			assert.Equal(t, op.Tags, got.Tags, op.OperationID)
			assert.Equal(t, op.Summary, got.Summary, op.OperationID)
			if op.OperationID != "createGraphs" && op.OperationID != "graphs" {
				assert.Equal(t, op.Description, got.Description, op.OperationID)
			}
			added := 0
			if op.OperationID == "graphsInfo" {
				added = 1 // C12: the attributes selection
			}
			require.Len(t, got.Parameters, len(op.Parameters)+added, op.OperationID)
			for i, p := range op.Parameters {
				assert.Equal(t, p.Value.Name, got.Parameters[i].Value.Name, op.OperationID)
				assert.Equal(t, p.Value.In, got.Parameters[i].Value.In, op.OperationID)
				assert.Equal(t, p.Value.Description, got.Parameters[i].Value.Description, op.OperationID)
			}
		}
	}
	assert.Equal(t, up.Info, fixed.Info)
	require.GreaterOrEqual(t, len(fixed.Tags), len(up.Tags))
	assert.Equal(t, up.Tags, fixed.Tags[:len(up.Tags)], "upstream's tags come first, unchanged")
}

func op(t *testing.T, doc *openapi3.T, id string) *openapi3.Operation {
	t.Helper()
	for _, item := range doc.Paths.Map() {
		for _, o := range item.Operations() {
			if o.OperationID == id {
				return o
			}
		}
	}
	t.Fatalf("no operation %s", id)
	return nil
}

func bodySchema(t *testing.T, o *openapi3.Operation) *openapi3.Schema {
	t.Helper()
	require.NotNil(t, o.RequestBody, o.OperationID)
	mt := o.RequestBody.Value.Content.Get("application/json")
	require.NotNil(t, mt, o.OperationID)
	return mt.Schema.Value
}

func okSchema(t *testing.T, o *openapi3.Operation) *openapi3.Schema {
	t.Helper()
	r := o.Responses.Status(200)
	require.NotNil(t, r, o.OperationID)
	mt := r.Value.Content.Get("application/json")
	require.NotNil(t, mt, "%s: 200 must be JSON", o.OperationID)
	return mt.Schema.Value
}

func visit(s *openapi3.Schema, js string) error {
	var v any
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		return err
	}
	return s.VisitJSON(v, openapi3.MultiErrors())
}

func TestCorrections(t *testing.T) {
	t.Parallel()
	doc := load(t, "openapi.yaml")
	graph := doc.Components.Schemas["Graph"].Value
	attrs := doc.Components.Schemas["GraphAttributes"].Value

	t.Run("C1 create example has no double comma", func(t *testing.T) {
		assert.NotContains(t, op(t, doc, "createGraphs").Description, "},,")
	})
	t.Run("C2 create body is a graph sharing the Graph attributes", func(t *testing.T) {
		s := bodySchema(t, op(t, doc, "createGraphs"))
		assert.NotContains(t, s.Properties, "RAW_BODY")
		data := s.Properties["data"].Value
		assert.Equal(t, []any{"graph"}, data.Properties["type"].Value.Enum)
		assert.Same(t, attrs, data.Properties["attributes"].Value)
		assert.Same(t, attrs, graph.Properties["attributes"].Value)
		for _, name := range []string{"nodes", "links", "graph_data", "private"} {
			assert.Contains(t, attrs.Properties, name)
		}
		assert.True(t, op(t, doc, "createGraphs").RequestBody.Value.Required)
	})
	t.Run("C3 update body is the data envelope, every attribute optional, id optional", func(t *testing.T) {
		s := bodySchema(t, op(t, doc, "graphsUpdate"))
		data := s.Properties["data"].Value
		assert.NotContains(t, data.Required, "id")
		assert.Contains(t, data.Properties, "id")
		assert.Empty(t, data.Properties["attributes"].Value.Required)
		assert.NoError(t, visit(s, `{"data":{"type":"graph","attributes":{"private":true}}}`))
		assert.Error(t, visit(s, `{"private":true}`), "a bare attributes object is not what the API takes")
	})
	t.Run("C4 comment body is a comment object", func(t *testing.T) {
		s := bodySchema(t, op(t, doc, "postGraphsComments"))
		assert.NoError(t, visit(s, `{"data":{"type":"comment","attributes":{"text":"hi"}}}`))
		assert.Error(t, visit(s, `{"data":"{\"type\": \"comment\"}"}`))
	})
	t.Run("C5 add viewer and editor take a list of descriptors", func(t *testing.T) {
		for _, id := range []string{"graphsAddViewer", "graphsAddEditor"} {
			s := bodySchema(t, op(t, doc, id))
			assert.NoError(t, visit(s, `{"data":[{"type":"user","id":"gilfoyle"},{"type":"group","id":"piedpiper"}]}`), id)
			assert.Error(t, visit(s, `{"data":[{"type":"file","id":"x"}]}`), id)
		}
	})
	t.Run("C6 limit is an integer 1..40 and cursor a string on list endpoints", func(t *testing.T) {
		for _, id := range []string{"getGraphComments", "graphsRelationships", "graphsRelationshipsIds", "graphsViewers", "graphsEditors"} {
			o := op(t, doc, id)
			limit := o.Parameters.GetByInAndName("query", "limit").Schema.Value
			cursor := o.Parameters.GetByInAndName("query", "cursor").Schema.Value
			assert.True(t, limit.Type.Is("integer"), id)
			assert.Equal(t, 1.0, *limit.Min, id)
			assert.Equal(t, 40.0, *limit.Max, id)
			assert.True(t, cursor.Type.Is("string"), id)
			assert.Empty(t, cursor.Format, id)
		}
	})
	t.Run("C7 every success response has a real JSON schema", func(t *testing.T) {
		want := map[string]string{
			"graphs": "GraphListResponse", "createGraphs": "GraphCreateResponse", "graphsInfo": "GraphResponse",
			"graphsUpdate": "GraphResponse", "graphsDelete": "EmptyResponse", "getGraphComments": "CommentListResponse",
			"postGraphsComments": "CommentResponse", "graphsRelationships": "RelatedObjectsResponse",
			"graphsRelationshipsIds": "RelatedDescriptorsResponse", "graphsViewers": "UserOrGroupListResponse",
			"graphsAddViewer": "UserOrGroupListResponse", "graphsEditors": "UserOrGroupListResponse",
			"graphsAddEditor": "UserOrGroupListResponse", "graphsCheckViewer": "BooleanResponse",
			"graphsCheckEditor": "BooleanResponse", "graphsDeleteViewer": "EmptyResponse", "graphsDeleteEditor": "EmptyResponse",
		}
		for id, name := range want {
			o := op(t, doc, id)
			assert.Same(t, doc.Components.Schemas[name].Value, okSchema(t, o), id)
			assert.Nil(t, o.Responses.Status(200).Value.Content.Get("text/plain"), id)
		}
		rel := doc.Components.Schemas["RelatedObjectsResponse"].Value
		assert.NoError(t, visit(rel, `{"data":{"type":"user","id":"hendricks","attributes":{}}}`), "owner is a single object")
		assert.NoError(t, visit(rel, `{"data":[{"type":"file","id":"abc"}],"meta":{"cursor":"x"}}`), "items is a list")
		assert.NoError(t, visit(rel, `{"data":null}`), "a graph without a group")
		check := doc.Components.Schemas["BooleanResponse"].Value
		assert.NoError(t, visit(check, `{"data":false}`))
		assert.Error(t, visit(check, `{"data":"false"}`))
		list := doc.Components.Schemas["GraphListResponse"].Value
		assert.Contains(t, list.Properties["meta"].Value.Properties, "cursor")
		assert.Contains(t, list.Properties["links"].Value.Properties, "next")
	})
	t.Run("C8 coordinates and other numbers round-trip exactly", func(t *testing.T) {
		node := doc.Components.Schemas["GraphNode"].Value
		for _, name := range []string{"x", "y", "fx", "fy"} {
			assert.Equal(t, "double", node.Properties[name].Value.Format, name)
		}
		for _, name := range []string{"creation_date", "last_modified_date", "comments_count", "views_count"} {
			assert.Equal(t, "int64", attrs.Properties[name].Value.Format, name)
		}
		assert.Equal(t, "int64", node.Properties["index"].Value.Format)
	})
	t.Run("C9 every documented error response", func(t *testing.T) {
		for _, item := range doc.Paths.Map() {
			for _, o := range item.Operations() {
				for _, code := range []int{400, 401, 403, 404, 409, 424, 429, 503, 504} {
					r := o.Responses.Status(code)
					if assert.NotNil(t, r, "%s %d", o.OperationID, code) {
						assert.Same(t, doc.Components.Schemas["ErrorResponse"].Value,
							r.Value.Content.Get("application/json").Schema.Value, "%s %d", o.OperationID, code)
					}
				}
			}
		}
	})
	t.Run("C10 search curl examples use GET", func(t *testing.T) {
		d := op(t, doc, "graphs").Description
		assert.NotContains(t, d, "--request POST")
		assert.Equal(t, 4, strings.Count(d, "--request GET"))
	})
	t.Run("C11 graph ids are g plus 64 hex characters", func(t *testing.T) {
		checked := 0
		for path, item := range doc.Paths.Map() {
			if !strings.HasPrefix(path, "/graphs/") {
				continue
			}
			for _, o := range item.Operations() {
				p := o.Parameters.GetByInAndName("path", "id")
				require.NotNil(t, p, o.OperationID)
				assert.Equal(t, `^g[0-9a-f]{64}$`, p.Schema.Value.Pattern, o.OperationID)
				checked++
			}
		}
		assert.Equal(t, 17, checked, "every graph route but the search and the creation")
	})
	t.Run("C12 GET /graphs/{id} selects attributes", func(t *testing.T) {
		p := op(t, doc, "graphsInfo").Parameters.GetByInAndName("query", "attributes")
		require.NotNil(t, p)
		assert.True(t, p.Schema.Value.Type.Is("string"))
	})
	t.Run("tolerance: unknown attributes and integer has_detections", func(t *testing.T) {
		assert.NoError(t, visit(graph, `{"type":"graph","attributes":{"position":{"x":1,"scale":"1"},"representation":"x",
			"nodes":[{"entity_id":"a","type":"file","entity_attributes":{"has_detections":1},"future":true}],
			"links":[{"source":"a","target":"a","weight":2}]}}`))
		assert.NoError(t, visit(graph, `{"type":"graph","attributes":{"nodes":[{"entity_id":"a","type":"file","entity_attributes":{"has_detections":true}}]}}`))
	})
}

// TestAdditions checks the routes added beside upstream's (A1-A5 in
// spec/README.md).
func TestAdditions(t *testing.T) {
	t.Parallel()
	doc := load(t, "openapi.yaml")
	schema := func(name string) *openapi3.Schema {
		t.Helper()
		s := doc.Components.Schemas[name]
		require.NotNil(t, s, name)
		return s.Value
	}
	sha256 := strings.Repeat("ab", 32)

	t.Run("A1 entity objects type what a node needs and keep the rest", func(t *testing.T) {
		for name, typ := range map[string]string{"FileObject": "file", "URLObject": "url", "DomainObject": "domain", "IPAddressObject": "ip_address"} {
			s := schema(name)
			assert.Equal(t, []any{typ}, s.Properties["type"].Value.Enum, name)
			assert.NoError(t, visit(s, `{"type":"`+typ+`","id":"x","attributes":{"future_attribute":{"a":[1]}}}`), name)
			assert.NoError(t, visit(s, `{"type":"`+typ+`","id":"x"}`), "%s: a descriptor from descriptors_only", name)
			assert.Error(t, visit(s, `{"type":"comment","id":"x"}`), name)
			attrs := s.Properties["attributes"].Value
			for _, k := range []string{"last_analysis_stats", "last_analysis_date", "last_modification_date", "reputation", "tags"} {
				assert.Contains(t, attrs.Properties, k, "%s.%s", name, k)
			}
			assert.Equal(t, "int64", attrs.Properties["last_modification_date"].Value.Format, name)
		}
		file := schema("FileAttributes")
		for _, k := range []string{"type_tag", "type_description", "names", "meaningful_name", "md5", "sha1", "sha256", "size", "first_submission_date"} {
			assert.Contains(t, file.Properties, k)
		}
		ip := schema("IPAddressAttributes")
		for _, k := range []string{"country", "as_owner", "asn", "network"} {
			assert.Contains(t, ip.Properties, k)
		}
		assert.Error(t, visit(file, `{"size":"big"}`))
		assert.Error(t, visit(ip, `{"last_analysis_stats":{"malicious":"many"}}`))
		rel := schema("ObjectRelationships")
		assert.Same(t, rel, schema("Object").Properties["relationships"].Value, "related objects carry the same relationships")
		assert.NoError(t, visit(rel, `{"resolutions":{"data":[{"type":"resolution","id":"192.0.2.1a.example"}],"meta":{"cursor":"c"},"links":{"next":"n"}},
			"parent":{"data":null},"network_location":{"data":{"type":"domain","id":"a.example"}}}`))
	})
	t.Run("A2 object routes take the relationships to include", func(t *testing.T) {
		for _, id := range []string{"getFile", "getUrl", "getDomain", "getIpAddress"} {
			o := op(t, doc, id)
			p := o.Parameters.GetByInAndName("query", "relationships")
			require.NotNil(t, p, id)
			assert.NoError(t, p.Schema.Value.VisitJSON("resolutions,contacted_domains"), id)
			assert.Error(t, p.Schema.Value.VisitJSON("resolutions, subdomains"), id)
		}
		fileID := op(t, doc, "getFile").Parameters.GetByInAndName("path", "id").Schema.Value
		for _, h := range []string{strings.Repeat("a", 32), strings.Repeat("B", 40), sha256} {
			assert.NoError(t, fileID.VisitJSON(h), h)
		}
		for _, h := range []string{"", strings.Repeat("a", 33), "g" + sha256[1:]} {
			assert.Error(t, fileID.VisitJSON(h), h)
		}
		urlID := op(t, doc, "getUrl").Parameters.GetByInAndName("path", "id").Schema.Value
		assert.NoError(t, urlID.VisitJSON("aHR0cDovL2EuZXhhbXBsZS8"))
		assert.Error(t, urlID.VisitJSON("aHR0cDovL2EuZXhhbXBsZS8="), "URL ids are unpadded")
		assert.Equal(t, "FileResponse", okSchemaName(t, doc, "getFile"))
		assert.Equal(t, "IPAddressResponse", okSchemaName(t, doc, "getIpAddress"))
	})
	t.Run("A3 relationship routes page 1..40 with string cursors", func(t *testing.T) {
		for id := range addedOperations {
			if !strings.HasSuffix(id, "Relationship") && !strings.HasSuffix(id, "RelationshipDescriptors") {
				continue
			}
			o := op(t, doc, id)
			limit := o.Parameters.GetByInAndName("query", "limit").Schema.Value
			assert.Equal(t, 1.0, *limit.Min, id)
			assert.Equal(t, 40.0, *limit.Max, id)
			assert.True(t, o.Parameters.GetByInAndName("query", "cursor").Schema.Value.Type.Is("string"), id)
			rel := o.Parameters.GetByInAndName("path", "relationship").Schema.Value
			assert.NoError(t, rel.VisitJSON("urls_for_embedded_js"), id)
			assert.Error(t, rel.VisitJSON("../items"), id)
			want := "RelatedObjectsResponse"
			if strings.HasSuffix(id, "Descriptors") {
				want = "RelatedDescriptorsResponse"
			}
			assert.Equal(t, want, okSchemaName(t, doc, id), id)
		}
	})
	t.Run("A4 intelligence search", func(t *testing.T) {
		o := op(t, doc, "intelligenceSearch")
		query := o.Parameters.GetByInAndName("query", "query")
		require.NotNil(t, query)
		assert.True(t, query.Required)
		assert.Equal(t, 300.0, *o.Parameters.GetByInAndName("query", "limit").Schema.Value.Max)
		assert.True(t, o.Parameters.GetByInAndName("query", "descriptors_only").Schema.Value.Type.Is("boolean"))
		assert.NotNil(t, o.Parameters.GetByInAndName("query", "order"))
		assert.NotNil(t, o.Parameters.GetByInAndName("query", "cursor"))
		res := schema("IntelligenceSearchResponse")
		assert.NoError(t, visit(res, `{"data":[{"type":"file","id":"`+sha256+`"},{"type":"domain","id":"a.example","attributes":{"tld":"example"}}],"meta":{"total_hits":2,"cursor":"c"}}`))
		assert.Error(t, visit(res, `{"data":[{"type":"graph","id":"g1"}]}`), "search finds files, URLs, domains and IP addresses")
	})
	t.Run("A5 owner is one object, group one object or null", func(t *testing.T) {
		owner, group := schema("GraphOwnerResponse"), schema("GraphGroupResponse")
		user := `{"data":{"type":"user","id":"hendricks","attributes":{"first_name":"Richard"}}}`
		assert.NoError(t, visit(owner, user))
		assert.Error(t, visit(owner, `{"data":null}`))
		assert.Error(t, visit(owner, `{"data":[{"type":"user","id":"hendricks"}]}`))
		assert.NoError(t, visit(group, `{"data":{"type":"group","id":"threat-intel"}}`))
		assert.NoError(t, visit(group, `{"data":null}`))
		assert.Error(t, visit(group, `{"data":[]}`))
		assert.Equal(t, "GraphOwnerResponse", okSchemaName(t, doc, "graphsOwner"))
		assert.Equal(t, "GraphGroupResponse", okSchemaName(t, doc, "graphsGroup"))
	})
}

// okSchemaName returns the name of the component schema of an operation's
// 200 response.
func okSchemaName(t *testing.T, doc *openapi3.T, id string) string {
	t.Helper()
	got := okSchema(t, op(t, doc, id))
	for name, s := range doc.Components.Schemas {
		if s.Value == got {
			return name
		}
	}
	return ""
}

// fence matches a fenced JSON example inside a description: ```json Title ... ```.
var fence = regexp.MustCompile("(?s)```json ([^\n]*)\n(.*?)\n```")

func TestEveryExampleValidates(t *testing.T) {
	t.Parallel()
	doc := load(t, "openapi.yaml")
	checked := 0
	for _, item := range doc.Paths.Map() {
		for _, o := range item.Operations() {
			for _, m := range fence.FindAllStringSubmatch(o.Description, -1) {
				title, body := m[1], m[2]
				var schema *openapi3.Schema
				if strings.Contains(strings.ToLower(title), "request") {
					schema = bodySchema(t, o)
				} else {
					schema = okSchema(t, o)
				}
				assert.NoError(t, visit(schema, body), "%s: %q", o.OperationID, title)
				checked++
			}
			if o.RequestBody != nil {
				for _, mt := range o.RequestBody.Value.Content {
					if mt.Example != nil {
						assert.NoError(t, mt.Schema.Value.VisitJSON(mt.Example), o.OperationID)
						checked++
					}
				}
			}
			for code, r := range o.Responses.Map() {
				for _, mt := range r.Value.Content {
					for name, ex := range mt.Examples {
						assert.NoError(t, mt.Schema.Value.VisitJSON(ex.Value.Value), "%s %s %s", o.OperationID, code, name)
						checked++
					}
				}
			}
		}
	}
	// 11 examples in descriptions, 3 request examples added by the
	// corrections and 1 response example.
	assert.Equal(t, 15, checked)
}

func TestSeedExamplesNeededTheCorrections(t *testing.T) {
	t.Parallel()
	// The create example fails to parse as JSON upstream because of C1, which
	// is why the corrected spec is the one examples are checked in.
	up := op(t, load(t, "upstream.yaml"), "createGraphs")
	m := fence.FindStringSubmatch(up.Description)
	require.NotNil(t, m)
	var v any
	assert.Error(t, json.Unmarshal([]byte(m[2]), &v))
	assert.True(t, slices.Contains(strings.Split(m[1], " "), "Request"))
}
