package vtgraph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Made-up hashes of one file.
const (
	testSHA256 = "42733d3038823324afcb89bc507a7d37e2b3451adbd3eebc8bbc1b8b6e302de0"
	testSHA1   = "69312b12c671b636723bc8473578752063b51df8"
	testMD5    = "0c58dc49280e7f1e1f531301d955b18c"
)

const fileJSON = `{"data":{"type":"file","id":"` + testSHA256 + `","links":{"self":"https://www.virustotal.com/api/v3/files/` + testSHA256 + `"},
	"attributes":{"sha256":"` + testSHA256 + `","sha1":"` + testSHA1 + `","md5":"` + testMD5 + `","size":733184,
	"type_tag":"peexe","type_description":"Win32 EXE","meaningful_name":"update.exe","names":["update.exe","dropper.exe"],
	"times_submitted":8,"first_submission_date":1736467200,"last_submission_date":1738195200,
	"last_analysis_date":1738195200,"last_modification_date":1738281600,"reputation":-55,"tags":["peexe"],
	"last_analysis_stats":{"harmless":0,"malicious":55,"suspicious":1,"undetected":14,"timeout":0,"type-unsupported":2},
	"total_votes":{"harmless":1,"malicious":7},"pe_info":{"imphash":"x"}}}}`

func checkFile(t *testing.T, f *File) {
	t.Helper()
	require.NotNil(t, f)
	assert.Equal(t, NodeTypeFile, f.Type)
	assert.Equal(t, testSHA256, f.ID)
	assert.Equal(t, testSHA256, f.SHA256)
	assert.Equal(t, testSHA1, f.SHA1)
	assert.Equal(t, testMD5, f.MD5)
	assert.Equal(t, int64(733184), f.Size)
	assert.Equal(t, "peexe", f.TypeTag)
	assert.Equal(t, "Win32 EXE", f.TypeDescription)
	assert.Equal(t, "update.exe", f.MeaningfulName)
	assert.Equal(t, []string{"update.exe", "dropper.exe"}, f.Names)
	assert.Equal(t, int64(8), f.TimesSubmitted)
	assert.Equal(t, time.Unix(1736467200, 0).UTC(), f.FirstSubmissionDate)
	assert.Equal(t, time.Unix(1738195200, 0).UTC(), f.LastSubmissionDate)
	assert.Equal(t, time.Unix(1738195200, 0).UTC(), f.LastAnalysisDate)
	assert.Equal(t, time.Unix(1738281600, 0).UTC(), f.LastModificationDate)
	assert.Equal(t, int64(-55), f.Reputation)
	assert.Equal(t, []string{"peexe"}, f.Tags)
	assert.Equal(t, &AnalysisStats{Malicious: 55, Suspicious: 1, Undetected: 14, TypeUnsupported: 2}, f.LastAnalysisStats)
	assert.Equal(t, int64(56), f.LastAnalysisStats.Detections())
	assert.Equal(t, &Votes{Harmless: 1, Malicious: 7}, f.TotalVotes)
	assert.JSONEq(t, `{"imphash":"x"}`, string(f.Attributes["pe_info"]), "every other attribute is kept")
	assert.Equal(t, "https://www.virustotal.com/api/v3/files/"+testSHA256, f.SelfLink)
}

const testURL = "https://acme-login.example/login"

var entityCases = []opCase{
	{
		name:    "GetFile by MD5",
		pattern: "GET /files/{id}",
		resp:    fileJSON,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetFile(ctx, testMD5, nil)
		},
		method: http.MethodGet,
		path:   apiPath("/files/" + testMD5),
		check:  func(t *testing.T, result any) { checkFile(t, result.(*File)) },
	},
	{
		name:    "GetURL by URL",
		pattern: "GET /urls/{id}",
		resp: `{"data":{"type":"url","id":"591efacac43ba969d148d998f564b46c358870b470dbabd0feedd9f377581d63","attributes":{
			"url":"` + testURL + `","last_final_url":"` + testURL + `?r=1","title":"Acme Sign-in","last_http_response_code":200,
			"times_submitted":2,"first_submission_date":1736985600,"last_submission_date":1737849600}}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetURL(ctx, testURL, nil)
		},
		method: http.MethodGet,
		path:   apiPath("/urls/aHR0cHM6Ly9hY21lLWxvZ2luLmV4YW1wbGUvbG9naW4"),
		check: func(t *testing.T, result any) {
			u := result.(*URL)
			assert.Equal(t, "591efacac43ba969d148d998f564b46c358870b470dbabd0feedd9f377581d63", u.ID)
			assert.Equal(t, testURL, u.URL)
			assert.Equal(t, testURL+"?r=1", u.LastFinalURL)
			assert.Equal(t, "Acme Sign-in", u.Title)
			assert.Equal(t, int64(200), u.LastHTTPResponseCode)
			assert.Equal(t, int64(2), u.TimesSubmitted)
			assert.Equal(t, time.Unix(1736985600, 0).UTC(), u.FirstSubmissionDate)
			assert.Equal(t, time.Unix(1737849600, 0).UTC(), u.LastSubmissionDate)
			assert.Nil(t, u.LastAnalysisStats, "no stats sent")
		},
	},
	{
		name:    "GetDomain with relationships",
		pattern: "GET /domains/{domain}",
		resp: `{"data":{"type":"domain","id":"acme-login.example","attributes":{"registrar":"Example Registrar, Inc.",
			"tld":"example","categories":{"Example Labs":"phishing"},"creation_date":1735948800},
			"relationships":{
			 "resolutions":{"data":[{"type":"resolution","id":"192.0.2.10acme-login.example"}],"meta":{"cursor":"r2"},
			  "links":{"self":"s","related":"r","next":"https://www.virustotal.com/api/v3/domains/acme-login.example/relationships/resolutions?cursor=r2"}},
			 "parent":{"data":null},
			 "immediate_parent":{"data":{"type":"domain","id":"example"}}}}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetDomain(ctx, "acme-login.example", &GetEntityOptions{Relationships: []Relationship{DomainResolutions, DomainParent, DomainImmediateParent}})
		},
		method: http.MethodGet,
		path:   apiPath("/domains/acme-login.example"),
		query:  url.Values{"relationships": {"resolutions,parent,immediate_parent"}},
		check: func(t *testing.T, result any) {
			d := result.(*Domain)
			assert.Equal(t, "Example Registrar, Inc.", d.Registrar)
			assert.Equal(t, "example", d.TLD)
			assert.Equal(t, map[string]string{"Example Labs": "phishing"}, d.Categories)
			assert.Equal(t, time.Unix(1735948800, 0).UTC(), d.CreationDate)
			require.Len(t, d.Relationships, 3)
			res := d.Relationships[DomainResolutions]
			assert.Equal(t, []Descriptor{{Type: "resolution", ID: "192.0.2.10acme-login.example"}}, res.Items)
			assert.Equal(t, "r2", res.NextCursor)
			assert.Empty(t, d.Relationships[DomainParent].Items, "null: no parent")
			assert.Equal(t, []Descriptor{{Type: "domain", ID: "example"}}, d.Relationships[DomainImmediateParent].Items)
		},
	},
	{
		name:    "GetIPAddress in canonical form",
		pattern: "GET /ip_addresses/{ip}",
		resp: `{"data":{"type":"ip_address","id":"2001:db8::10","attributes":{"country":"NL","continent":"EU",
			"as_owner":"Example Hosting B.V.","asn":64496,"network":"2001:db8::/32","regional_internet_registry":"RIPE NCC"}}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetIPAddress(ctx, "2001:0DB8:0:0::10", nil)
		},
		method: http.MethodGet,
		path:   apiPath("/ip_addresses/2001:db8::10"),
		check: func(t *testing.T, result any) {
			assert.Equal(t, &IPAddress{
				Entity:  Entity{Type: NodeTypeIPAddress, ID: "2001:db8::10", Attributes: result.(*IPAddress).Attributes},
				Country: "NL", Continent: "EU", ASOwner: "Example Hosting B.V.", ASN: 64496,
				Network: "2001:db8::/32", RegionalInternetRegistry: "RIPE NCC",
			}, result)
		},
	},
	{
		name:    "GetEntity",
		pattern: "GET /files/{id}",
		resp:    fileJSON,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetEntity(ctx, EntityRef{Type: NodeTypeFile, ID: testSHA256}, nil)
		},
		method: http.MethodGet,
		path:   apiPath("/files/" + testSHA256),
		check: func(t *testing.T, result any) {
			e := result.(*Entity)
			f, err := e.AsFile()
			require.NoError(t, err)
			checkFile(t, f)
		},
	},
	{
		name:    "ListEntityRelated",
		pattern: "GET /domains/{domain}/{relationship}",
		resp: `{"data":[{"type":"resolution","id":"192.0.2.10acme-login.example","attributes":{"ip_address":"192.0.2.10",
			"host_name":"acme-login.example","date":1700000000,"resolver":"203.0.113.53",
			"ip_address_last_analysis_stats":{"malicious":6}}}],"meta":{"cursor":"c2","count":2}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListEntityRelated(ctx, EntityRef{Type: NodeTypeDomain, ID: "acme-login.example"}, DomainResolutions, &ListOptions{Limit: 1, Cursor: "c1"})
		},
		method: http.MethodGet,
		path:   apiPath("/domains/acme-login.example/resolutions"),
		query:  url.Values{"limit": {"1"}, "cursor": {"c1"}},
		check: func(t *testing.T, result any) {
			page := result.(*Page[*Entity])
			require.Len(t, page.Items, 1)
			assert.Equal(t, "c2", page.NextCursor)
			r, err := page.Items[0].AsResolution()
			require.NoError(t, err)
			assert.Equal(t, "192.0.2.10", r.IPAddress)
			assert.Equal(t, "acme-login.example", r.HostName)
			assert.Equal(t, time.Unix(1700000000, 0).UTC(), r.Date)
			assert.Equal(t, "203.0.113.53", r.Resolver)
			assert.Equal(t, &AnalysisStats{Malicious: 6}, r.IPAddressStats)
			assert.Nil(t, r.HostNameStats)
		},
	},
	{
		name:    "ListEntityRelated, a single object",
		pattern: "GET /urls/{id}/{relationship}",
		resp:    `{"data":{"type":"ip_address","id":"192.0.2.10","attributes":{"country":"NL"},"context_attributes":{"seen":1}}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListEntityRelated(ctx, EntityRef{Type: NodeTypeURL, ID: URLID(testURL)}, URLLastServingIPAddress, nil)
		},
		method: http.MethodGet,
		path:   apiPath("/urls/" + URLID(testURL) + "/last_serving_ip_address"),
		check: func(t *testing.T, result any) {
			page := result.(*Page[*Entity])
			require.Len(t, page.Items, 1)
			ip, err := page.Items[0].AsIPAddress()
			require.NoError(t, err)
			assert.Equal(t, "NL", ip.Country)
			assert.JSONEq(t, `1`, string(ip.ContextAttributes["seen"]), "context attributes are kept")
			assert.False(t, page.HasMore())
		},
	},
	{
		name:    "ListEntityRelatedDescriptors",
		pattern: "GET /files/{id}/relationships/{relationship}",
		resp:    `{"data":[{"type":"domain","id":"acme-update.example"},{"type":"domain","id":"x.example","context_attributes":{"k":1}}]}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListEntityRelatedDescriptors(ctx, EntityRef{Type: NodeTypeFile, ID: testSHA256}, FileContactedDomains, &ListOptions{Limit: 40})
		},
		method: http.MethodGet,
		path:   apiPath("/files/" + testSHA256 + "/relationships/contacted_domains"),
		query:  url.Values{"limit": {"40"}},
		check: func(t *testing.T, result any) {
			assert.Equal(t, []Descriptor{
				{Type: "domain", ID: "acme-update.example"},
				{Type: "domain", ID: "x.example", ContextAttributes: map[string]json.RawMessage{"k": json.RawMessage(`1`)}},
			}, result.(*Page[Descriptor]).Items)
		},
	},
	{
		name:    "ListEntityRelatedDescriptors, an unknown relationship name",
		pattern: "GET /ip_addresses/{ip}/relationships/{relationship}",
		resp:    `{"data":[]}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListEntityRelatedDescriptors(ctx, EntityRef{Type: NodeTypeIPAddress, ID: "192.0.2.1"}, Relationship("added_in_2030"), nil)
		},
		method: http.MethodGet,
		path:   apiPath("/ip_addresses/192.0.2.1/relationships/added_in_2030"),
		check: func(t *testing.T, result any) {
			assert.Empty(t, result.(*Page[Descriptor]).Items)
		},
	},
	{
		name:    "SearchIntelligence",
		pattern: "GET /intelligence/search",
		resp: `{"data":[{"type":"file","id":"` + testSHA256 + `"},{"type":"domain","id":"acme.example","attributes":{"tld":"example"}}],
			"meta":{"total_hits":12,"cursor":"s2"},"links":{"next":"n"}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.SearchIntelligence(ctx, &IntelligenceSearchOptions{Query: "type:peexe p:5+", Order: "positives-", DescriptorsOnly: true, Limit: 300, Cursor: "s1"})
		},
		method: http.MethodGet,
		path:   apiPath("/intelligence/search"),
		query: url.Values{"query": {"type:peexe p:5+"}, "order": {"positives-"}, "descriptors_only": {"true"},
			"limit": {"300"}, "cursor": {"s1"}},
		check: func(t *testing.T, result any) {
			page := result.(*Page[*Entity])
			require.Len(t, page.Items, 2)
			assert.Equal(t, EntityRef{Type: NodeTypeFile, ID: testSHA256}, page.Items[0].Ref())
			assert.Equal(t, "s2", page.NextCursor)
			n, ok := TotalHits(page)
			assert.True(t, ok)
			assert.Equal(t, int64(12), n)
		},
	},
	{
		name:    "ResolveFileHash of a SHA-1",
		pattern: "GET /files/{id}",
		resp:    fileJSON,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.ResolveFileHash(ctx, strings.ToUpper(testSHA1))
		},
		method: http.MethodGet,
		path:   apiPath("/files/" + strings.ToUpper(testSHA1)),
		check:  func(t *testing.T, result any) { assert.Equal(t, testSHA256, result) },
	},
}

func TestEntityOperations(t *testing.T) {
	t.Parallel()
	runHappyPaths(t, entityCases)
}

func TestEntityOperationsNotFound(t *testing.T) {
	t.Parallel()
	runErrorPaths(t, entityCases)
}

func TestResolveFileHashOfASHA256SendsNothing(t *testing.T) {
	t.Parallel()
	c, err := New(testAPIKey, WithDoer(doerFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("no request expected")
	})))
	require.NoError(t, err)
	got, err := c.ResolveFileHash(t.Context(), strings.ToUpper(testSHA256))
	require.NoError(t, err)
	assert.Equal(t, testSHA256, got)
}

func TestEntityParamErrors(t *testing.T) {
	t.Parallel()
	c, err := New(testAPIKey, WithDoer(doerFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("nothing may be sent")
	})))
	require.NoError(t, err)
	ctx := t.Context()
	domain := EntityRef{Type: NodeTypeDomain, ID: "acme.example"}
	tests := []struct {
		name string
		call func() error
		want []string // problem paths
	}{
		{"file id that is no hash", func() error { _, err := c.GetFile(ctx, "invoice.docx", nil); return err }, []string{"id"}},
		{"file hash of the wrong length", func() error { _, err := c.GetFile(ctx, testMD5+"0", nil); return err }, []string{"id"}},
		{"URL id with padding", func() error { _, err := c.GetURL(ctx, URLID("http://a.example/")+"=", nil); return err }, []string{"id"}},
		{"empty URL", func() error { _, err := c.GetURL(ctx, "", nil); return err }, []string{"id"}},
		{"domain with a slash", func() error { _, err := c.GetDomain(ctx, "a.example/x", nil); return err }, []string{"id"}},
		{"IP address", func() error { _, err := c.GetIPAddress(ctx, "192.0.2.300", nil); return err }, []string{"id"}},
		{"IP address with a zone", func() error { _, err := c.GetIPAddress(ctx, "fe80::1%eth0", nil); return err }, []string{"id"}},
		{"relationships to include", func() error {
			_, err := c.GetDomain(ctx, "acme.example", &GetEntityOptions{Relationships: []Relationship{"resolutions", "", "Sub domains"}})
			return err
		}, []string{"relationships[1]", "relationships[2]"}},
		{"entity type", func() error { _, err := c.GetEntity(ctx, EntityRef{Type: NodeTypeActor, ID: "x"}, nil); return err }, []string{"type"}},
		{"every problem of a relationship call", func() error {
			_, err := c.ListEntityRelated(ctx, EntityRef{Type: NodeTypeFile, ID: "nope"}, "../items", &ListOptions{Limit: 41})
			return err
		}, []string{"id", "relationship", "limit"}},
		{"descriptors of a relationship with digits first", func() error {
			_, err := c.ListEntityRelatedDescriptors(ctx, domain, "1st", nil)
			return err
		}, []string{"relationship"}},
		{"search", func() error {
			_, err := c.SearchIntelligence(ctx, &IntelligenceSearchOptions{Query: " ", Order: "size desc", Limit: 301, Cursor: "a\nb"})
			return err
		}, []string{"query", "order", "limit", "cursor"}},
		{"search without options", func() error { _, err := c.SearchIntelligence(ctx, nil); return err }, []string{"query"}},
		{"resolving a name", func() error { _, err := c.ResolveFileHash(ctx, "invoice.docx"); return err }, []string{"id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pe *ParamError
			require.ErrorAs(t, tt.call(), &pe)
			var paths []string
			for _, p := range pe.Problems {
				paths = append(paths, p.Path)
			}
			assert.Equal(t, tt.want, paths, pe.Error())
		})
	}
	for _, it := range []func() error{
		func() error {
			for _, err := range c.ListEntityRelatedIter(ctx, domain, "", nil, nil) {
				return err
			}
			return nil
		},
		func() error {
			for _, err := range c.SearchIntelligenceIter(ctx, &IntelligenceSearchOptions{}, nil) {
				return err
			}
			return nil
		},
	} {
		var pe *ParamError
		assert.ErrorAs(t, it(), &pe, "an iterator yields the problem before sending")
	}
}

func TestPremiumErrors(t *testing.T) {
	t.Parallel()
	forbidden := `{"error":{"code":"ForbiddenError","message":"You are not allowed to perform the requested operation"}}`
	tests := []struct {
		name, pattern string
		status        int
		call          func(context.Context, *Client) error
		want          *PremiumError // nil: a plain *APIError
	}{
		{
			name: "premium relationship", pattern: "GET /domains/{domain}/{relationship}", status: http.StatusForbidden,
			call: func(ctx context.Context, c *Client) error {
				_, err := c.ListEntityRelated(ctx, EntityRef{Type: NodeTypeDomain, ID: "a.example"}, DomainURLs, nil)
				return err
			},
			want: &PremiumError{Type: NodeTypeDomain, Relationship: DomainURLs},
		},
		{
			name: "premium descriptors", pattern: "GET /files/{id}/relationships/{relationship}", status: http.StatusForbidden,
			call: func(ctx context.Context, c *Client) error {
				_, err := c.ListEntityRelatedDescriptors(ctx, EntityRef{Type: NodeTypeFile, ID: testMD5}, FileITWURLs, nil)
				return err
			},
			want: &PremiumError{Type: NodeTypeFile, Relationship: FileITWURLs},
		},
		{
			name: "premium relationship included in a lookup", pattern: "GET /domains/{domain}", status: http.StatusForbidden,
			call: func(ctx context.Context, c *Client) error {
				_, err := c.GetDomain(ctx, "a.example", &GetEntityOptions{Relationships: []Relationship{DomainResolutions, DomainURLs}})
				return err
			},
			want: &PremiumError{Type: NodeTypeDomain, Relationship: DomainURLs},
		},
		{
			name: "intelligence search", pattern: "GET /intelligence/search", status: http.StatusForbidden,
			call: func(ctx context.Context, c *Client) error {
				_, err := c.SearchIntelligence(ctx, &IntelligenceSearchOptions{Query: "x"})
				return err
			},
			want: &PremiumError{},
		},
		{
			name: "forbidden, not premium", pattern: "GET /domains/{domain}/{relationship}", status: http.StatusForbidden,
			call: func(ctx context.Context, c *Client) error {
				_, err := c.ListEntityRelated(ctx, EntityRef{Type: NodeTypeDomain, ID: "a.example"}, DomainResolutions, nil)
				return err
			},
		},
		{
			name: "premium relationship, another error", pattern: "GET /domains/{domain}/{relationship}", status: http.StatusNotFound,
			call: func(ctx context.Context, c *Client) error {
				_, err := c.ListEntityRelated(ctx, EntityRef{Type: NodeTypeDomain, ID: "a.example"}, DomainURLs, nil)
				return err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			handle(mux, tt.pattern, tt.status, forbidden)
			err := tt.call(t.Context(), c)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			var pe *PremiumError
			if tt.want == nil {
				assert.False(t, errors.As(err, &pe), "%v", err)
				return
			}
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.want.Type, pe.Type)
			assert.Equal(t, tt.want.Relationship, pe.Relationship)
			assert.Same(t, apiErr, pe.Err)
			assert.ErrorIs(t, err, ErrForbidden)
			assert.Contains(t, err.Error(), "needs a premium API key")
		})
	}
}

func TestEntityDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
	}{
		{"typed attribute of the wrong type", `{"data":{"type":"file","id":"x","attributes":{"size":"big"}}}`, "attributes.size"},
		{"stats of the wrong type", `{"data":{"type":"file","id":"x","attributes":{"last_analysis_stats":{"malicious":"many"}}}}`, "attributes.last_analysis_stats"},
		{"another type", `{"data":{"type":"domain","id":"acme.example","attributes":{}}}`, `not a "file"`},
		{"a broken inline relationship", `{"data":{"type":"file","id":"x","relationships":{"contacted_ips":{"data":"x"}}}}`, "relationships.contacted_ips"},
		{"no data", `{"meta":{}}`, `no "data"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			handle(mux, "GET /files/{id}", http.StatusOK, tt.body)
			_, err := c.GetFile(t.Context(), testSHA256, nil)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, http.StatusOK, de.StatusCode)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestListedEntitiesNeedAnID checks that an object without an id in a
// listing of related entities, of their descriptors or of search matches
// is a *DecodeError, as in every other listing: nothing could look it up
// again or put it in a graph.
func TestListedEntitiesNeedAnID(t *testing.T) {
	t.Parallel()
	const page = `{"data":[{"type":"ip_address","id":"203.0.113.7"},{"type":"ip_address","attributes":{}}]}`
	domain := EntityRef{Type: NodeTypeDomain, ID: "acme.example"}
	tests := []struct {
		name, pattern string
		call          func(*Client) error
	}{
		{"related entities", "GET /domains/{domain}/{relationship}", func(c *Client) error {
			_, err := c.ListEntityRelated(t.Context(), domain, DomainResolutions, nil)
			return err
		}},
		{"related descriptors", "GET /domains/{domain}/relationships/{relationship}", func(c *Client) error {
			_, err := c.ListEntityRelatedDescriptors(t.Context(), domain, DomainResolutions, nil)
			return err
		}},
		{"search matches", "GET /intelligence/search", func(c *Client) error {
			_, err := c.SearchIntelligence(t.Context(), &IntelligenceSearchOptions{Query: "entity:ip"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			handle(mux, tt.pattern, http.StatusOK, page)
			err := tt.call(c)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, err.Error(), "has no id")
		})
	}
}

func TestEntityConversions(t *testing.T) {
	t.Parallel()
	e := &Entity{Type: NodeTypeDomain, ID: "acme.example"}
	_, err := e.AsFile()
	assert.ErrorContains(t, err, "domain:acme.example is a domain, not a file")
	for _, conv := range []func() error{
		func() error { _, err := e.AsURL(); return err },
		func() error { _, err := e.AsIPAddress(); return err },
		func() error { _, err := e.AsResolution(); return err },
	} {
		assert.Error(t, conv())
	}
	d, err := e.AsDomain()
	require.NoError(t, err)
	assert.Equal(t, "acme.example", d.ID)

	bad := &Entity{Type: NodeTypeIPAddress, ID: "192.0.2.1", Attributes: map[string]json.RawMessage{"asn": json.RawMessage(`"AS64496"`)}}
	_, err = bad.AsIPAddress()
	assert.ErrorContains(t, err, "IP address 192.0.2.1: attributes.asn")
}

func TestURLID(t *testing.T) {
	t.Parallel()
	tests := []struct{ url, want string }{
		// What VirusTotal's clients compute: URL-safe base64, no padding.
		{"http://www.example.com/", "aHR0cDovL3d3dy5leGFtcGxlLmNvbS8"},
		{"https://acme-login.example/login", "aHR0cHM6Ly9hY21lLWxvZ2luLmV4YW1wbGUvbG9naW4"},
		{"http://a.example/?q=~~~", "aHR0cDovL2EuZXhhbXBsZS8_cT1-fn4"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, URLID(tt.url), tt.url)
		assert.NotContains(t, URLID(tt.url), "=")
	}
}

func TestResolutionPeer(t *testing.T) {
	t.Parallel()
	domain := EntityRef{Type: NodeTypeDomain, ID: "acme.example"}
	ip := EntityRef{Type: NodeTypeIPAddress, ID: "2001:db8::10"}
	tests := []struct {
		from EntityRef
		id   string
		want EntityRef
		ok   bool
	}{
		{domain, "192.0.2.10acme.example", EntityRef{Type: NodeTypeIPAddress, ID: "192.0.2.10"}, true},
		{ip, "2001:db8::10acme.example", domain, true},
		{domain, "192.0.2.10other.example", EntityRef{}, false},
		{domain, "acme.example", EntityRef{}, false},
		{ip, "2001:db8::11acme.example", EntityRef{}, false},
		{EntityRef{Type: NodeTypeFile, ID: testSHA256}, testSHA256 + "x", EntityRef{}, false},
	}
	for _, tt := range tests {
		got, ok := ResolutionPeer(tt.from, tt.id)
		assert.Equal(t, tt.ok, ok, "%s %s", tt.from, tt.id)
		assert.Equal(t, tt.want, got, "%s %s", tt.from, tt.id)
	}
}

func TestEntityRelationships(t *testing.T) {
	t.Parallel()
	for _, typ := range []NodeType{NodeTypeFile, NodeTypeURL, NodeTypeDomain, NodeTypeIPAddress} {
		infos := EntityRelationships(typ)
		require.NotEmpty(t, infos, typ)
		for i, info := range infos {
			if i > 0 {
				assert.Less(t, infos[i-1].Name, info.Name, "%s: sorted by name", typ)
			}
			got, ok := LookupRelationship(typ, info.Name)
			require.True(t, ok)
			assert.Equal(t, info, got)
			assert.NotEmpty(t, info.Targets, "%s %s", typ, info.Name)
		}
	}
	assert.Nil(t, EntityRelationships(NodeTypeActor))
	_, ok := LookupRelationship(NodeTypeDomain, FileContactedIPs)
	assert.False(t, ok, "a file's relationship is not a domain's")

	res, _ := LookupRelationship(NodeTypeDomain, DomainResolutions)
	assert.Equal(t, RelationshipInfo{Name: "resolutions", Targets: []NodeType{NodeTypeIPAddress}}, res)
	parent, _ := LookupRelationship(NodeTypeDomain, DomainParent)
	assert.True(t, parent.Single)
	urls, _ := LookupRelationship(NodeTypeDomain, DomainURLs)
	assert.True(t, urls.Premium)

	infos := EntityRelationships(NodeTypeURL)
	infos[0].Name = "changed"
	infos[0].Targets[0] = "changed"
	again := EntityRelationships(NodeTypeURL)
	assert.NotEqual(t, Relationship("changed"), again[0].Name, "the caller's copy")
	assert.NotEqual(t, NodeType("changed"), again[0].Targets[0])
}
