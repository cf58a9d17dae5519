package vtgraphtest_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// checked starts a server whose every request and response is validated
// against the spec, with the demo users and a client for each.
func checked(t *testing.T, opts ...vtgraphtest.Option) *fixture {
	t.Helper()
	return setup(t, append([]vtgraphtest.Option{vtgraphtest.WithMiddleware(contract.ForTest(t).Handler)}, opts...)...)
}

const (
	sha256A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	sha256B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	md5A    = "0123456789abcdef0123456789abcdef"
)

// smallUniverse is a file contacting a domain that resolves to two
// addresses, and a URL on that domain.
const smallUniverse = `{"entities": [
 {"type": "file", "id": "` + sha256A + `",
  "attributes": {"md5": "` + md5A + `", "type_tag": "peexe", "size": 1024, "names": ["a.exe"], "future": {"x": 12345678901234567890}},
  "relationships": {"contacted_domains": [{"type": "domain", "id": "Acme.Example.", "context_attributes": {"first_seen": 1}}]}},
 {"type": "domain", "id": "acme.example", "attributes": {"tld": "example"},
  "relationships": {"resolutions": [{"type": "ip_address", "id": "192.0.2.1"}, {"type": "ip_address", "id": "2001:0db8::0001"}]}},
 {"type": "url", "id": "https://acme.example/login", "attributes": {"title": "Sign in"},
  "relationships": {"network_location": [{"type": "domain", "id": "acme.example"}]}}
]}`

func loadSmall(t *testing.T) *vtgraphtest.Universe {
	t.Helper()
	u, err := vtgraphtest.LoadUniverse(strings.NewReader(smallUniverse))
	require.NoError(t, err)
	return u
}

func TestLoadUniverse(t *testing.T) {
	t.Parallel()
	f := checked(t, vtgraphtest.WithUniverse(loadSmall(t)))
	ctx := t.Context()

	t.Run("file by any hash", func(t *testing.T) {
		for _, id := range []string{sha256A, strings.ToUpper(md5A), md5A} {
			resp, err := f.alice.GetFileWithResponse(ctx, id, nil)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
			assert.Equal(t, sha256A, resp.JSON200.Data.Id, "the id is the SHA-256 whatever the lookup")
			assert.Equal(t, sha256A, *resp.JSON200.Data.Attributes.Sha256)
			assert.Equal(t, int64(1024), *resp.JSON200.Data.Attributes.Size)
		}
		assert.Contains(t, string(mustGet(t, f, "/files/"+sha256A)), `"future":{"x":12345678901234567890}`, "numbers keep every digit")
	})
	t.Run("URL by URL, URL id and SHA-256", func(t *testing.T) {
		id := base64.RawURLEncoding.EncodeToString([]byte("https://acme.example/login"))
		resp, err := f.alice.GetUrlWithResponse(ctx, id, nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
		assert.Equal(t, "https://acme.example/login", *resp.JSON200.Data.Attributes.Url)
		sha := resp.JSON200.Data.Id
		assert.Len(t, sha, 64)
		again, err := f.alice.GetUrlWithResponse(ctx, sha, nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, again.StatusCode())
	})
	t.Run("ids are normalised", func(t *testing.T) {
		for _, id := range []string{"acme.example", "ACME.example"} {
			resp, err := f.alice.GetDomainWithResponse(ctx, id, nil)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode(), id)
		}
		resp, err := f.alice.GetIpAddressWithResponse(ctx, "2001:db8:0::1", nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode(), "a target of a relationship exists as an entity")
		assert.Equal(t, "2001:db8::1", resp.JSON200.Data.Id)
	})
	t.Run("ways back", func(t *testing.T) {
		files := relatedIDs(t, f, "/domains/acme.example/communicating_files")
		assert.Equal(t, []string{"file:" + sha256A}, files, "a contacted domain lists the file among its communicating files")
		domains := relatedIDs(t, f, "/ip_addresses/192.0.2.1/resolutions")
		assert.Equal(t, []string{"resolution:192.0.2.1acme.example"}, domains)
		urls := relatedIDs(t, f, "/domains/acme.example/urls")
		assert.Len(t, urls, 1, "a URL's network location lists the URL")
	})
	t.Run("context attributes", func(t *testing.T) {
		body := mustGet(t, f, "/files/"+sha256A+"/contacted_domains")
		assert.Contains(t, string(body), `"context_attributes":{"first_seen":1}`)
	})
}

// mustGet fetches a path below the API root as alice and returns the 200
// body.
func mustGet(t *testing.T, f *fixture, path string) []byte {
	t.Helper()
	status, body := get(t, f.srv, vtgraphtest.AliceKey, path)
	require.Equal(t, http.StatusOK, status, string(body))
	return body
}

// get sends a GET to a path below the API root with key and returns the
// status and body.
func get(t *testing.T, srv *vtgraphtest.Server, key, path string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL()+path, nil)
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("x-apikey", key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body
}

// listing is a list response, for reading relationship pages.
type listing struct {
	Data []struct {
		Type       string                     `json:"type"`
		ID         string                     `json:"id"`
		Attributes map[string]json.RawMessage `json:"attributes"`
	} `json:"data"`
	Meta struct {
		Cursor    string `json:"cursor"`
		Count     *int   `json:"count"`
		TotalHits *int   `json:"total_hits"`
	} `json:"meta"`
	Links struct {
		Self string `json:"self"`
		Next string `json:"next"`
	} `json:"links"`
}

func list(t *testing.T, f *fixture, path string) listing {
	t.Helper()
	var l listing
	require.NoError(t, json.Unmarshal(mustGet(t, f, path), &l))
	return l
}

// ids lists "type:id" of a page's objects.
func (l listing) ids() []string {
	var out []string
	for _, o := range l.Data {
		out = append(out, o.Type+":"+o.ID)
	}
	return out
}

// relatedIDs lists "type:id" of the objects a relationship route answers with.
func relatedIDs(t *testing.T, f *fixture, path string) []string {
	t.Helper()
	return list(t, f, path).ids()
}

func TestLoadUniverseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
		want []string
	}{
		{"not JSON", `{"entities": [`, []string{"reading the universe"}},
		{"unknown member", `{"entities": [{"type": "domain", "id": "a.example", "relationship": {}}]}`, []string{`unknown field "relationship"`}},
		{"two documents", `{"entities": []} {}`, []string{"data after the JSON document"}},
		{
			"every problem at once",
			`{"entities": [
			 {"type": "domain", "id": "a.example", "relationships": {"resolutionz": [], "subdomains": [{"type": "ip_address", "id": "192.0.2.1"}]}},
			 {"type": "file", "id": "invoice.docx"},
			 {"type": "file", "id": "` + sha256A + `", "attributes": {"size": "big", "names": ["a", 1], "md5": "xyz", "last_analysis_stats": {"malicious": "many"}}},
			 {"type": "actor", "id": "fancy bear"},
			 {"type": "ip_address", "id": "192.0.2.300"},
			 {"type": "url", "id": "not a url"},
			 {"type": "domain", "id": "ok.example"},
			 {"type": "domain", "id": "OK.example."}
			]}`,
			[]string{
				`entities[0].relationships.resolutionz: domain objects have no relationship "resolutionz"`,
				`entities[0].relationships.subdomains[0].type: subdomains leads to domain, not "ip_address"`,
				`entities[1].id: "invoice.docx" is not a SHA-256`,
				`entities[2].attributes.last_analysis_stats: must be an object of integers`,
				`entities[2].attributes.names: must be a list of strings`,
				`entities[2].attributes.size: must be an integer, got "big"`,
				`entities[2].attributes.md5: "xyz" is not a hash of 32 hex digits`,
				`entities[3].type: the type must be file, url, domain or ip_address`,
				`entities[4].id: "192.0.2.300" is not an IP address`,
				`entities[5].id: "not a url" is neither a URL nor the SHA-256 of one`,
				`entities[7].id: domain "ok.example" is already in the universe`,
			},
		},
		{
			"a single relationship given two objects by ways back",
			`{"entities": [
			 {"type": "domain", "id": "a.example", "relationships": {"subdomains": [{"type": "domain", "id": "x.a.example"}]}},
			 {"type": "domain", "id": "b.example", "relationships": {"subdomains": [{"type": "domain", "id": "x.a.example"}]}}
			]}`,
			[]string{`domain "x.a.example": parent holds at most one object, but relationships lead to "a.example" and "b.example"`},
		},
		{
			"a single relationship given two objects",
			`{"entities": [{"type": "url", "id": "http://a.example/", "relationships": {"last_serving_ip_address": [{"type": "ip_address", "id": "192.0.2.1"}, {"type": "ip_address", "id": "192.0.2.2"}]}}]}`,
			[]string{"relationships.last_serving_ip_address: holds at most one object, got 2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := vtgraphtest.LoadUniverse(strings.NewReader(tt.json))
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadUniverseFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "universe.json")
	require.NoError(t, os.WriteFile(path, []byte(smallUniverse), 0o600))
	u, err := vtgraphtest.LoadUniverseFile(path)
	require.NoError(t, err)
	assert.Equal(t, 3, u.Len())
	_, err = vtgraphtest.LoadUniverseFile(filepath.Join(t.TempDir(), "missing.json"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestUniverseBuiltInGo(t *testing.T) {
	t.Parallel()
	u := vtgraphtest.NewUniverse()
	require.NoError(t, u.Add(vtgraphtest.Entity{
		Type: "ip_address", ID: "198.51.100.7",
		Attributes:    map[string]any{"country": "DE", "asn": 64500},
		Relationships: map[string][]vtgraphtest.Ref{"communicating_files": {{Type: "file", ID: sha256B}}},
	}))
	err := u.Add(vtgraphtest.Entity{Type: "ip_address", ID: "198.51.100.7"})
	assert.ErrorContains(t, err, "already in the universe")
	assert.ErrorContains(t, u.Add(vtgraphtest.Entity{Type: "domain", ID: "x.example", Attributes: map[string]any{"bad": func() {}}}), "attributes.bad")

	f := checked(t, vtgraphtest.WithUniverse(u))
	// The server took a snapshot: what is added afterwards is not served.
	require.NoError(t, u.Add(vtgraphtest.Entity{Type: "domain", ID: "later.example"}))
	status, _ := get(t, f.srv, vtgraphtest.AliceKey, "/domains/later.example")
	assert.Equal(t, http.StatusNotFound, status)

	resp, err := f.alice.GetIpAddressWithResponse(t.Context(), "198.51.100.7", nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
	assert.Equal(t, "DE", *resp.JSON200.Data.Attributes.Country)
	assert.Equal(t, []string{"ip_address:198.51.100.7"}, relatedIDs(t, f, "/files/"+sha256B+"/contacted_ips"))

	t.Run("replaced at run time", func(t *testing.T) {
		require.NoError(t, f.srv.SetUniverse(u))
		status, _ := get(t, f.srv, vtgraphtest.AliceKey, "/domains/later.example")
		assert.Equal(t, http.StatusOK, status)
		assert.Error(t, f.srv.SetUniverse(nil))
	})
}

func TestWithUniverseErrors(t *testing.T) {
	t.Parallel()
	_, err := vtgraphtest.Start(vtgraphtest.WithUniverse(nil))
	assert.ErrorContains(t, err, "nil universe")
	u := vtgraphtest.NewUniverse()
	require.NoError(t, u.Add(vtgraphtest.Entity{Type: "domain", ID: "a.example", Relationships: map[string][]vtgraphtest.Ref{
		"subdomains": {{Type: "domain", ID: "x.a.example"}}}}))
	require.NoError(t, u.Add(vtgraphtest.Entity{Type: "domain", ID: "x.a.example", Relationships: map[string][]vtgraphtest.Ref{
		"parent": {{Type: "domain", ID: "b.example"}}}}))
	_, err = vtgraphtest.Start(vtgraphtest.WithUniverse(u))
	assert.ErrorContains(t, err, "parent holds at most one object")
}
