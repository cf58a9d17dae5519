package vtgraphtest_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestIntelligenceSearch(t *testing.T) {
	t.Parallel()
	f := checked(t)
	search := func(t *testing.T, query string, extra url.Values) listing {
		t.Helper()
		q := url.Values{"query": {query}}
		for k, v := range extra {
			q[k] = v
		}
		return list(t, f, "/intelligence/search?"+q.Encode())
	}
	dropper := "file:" + vtgraphtest.DemoDropper
	const (
		apk        = "2df56d6c7f8f1a8d4ed287a9aeee8791d82f87b43d789e89f4be09ab21774d1d"
		beacon     = "6d6803d984b49bad338c159c763f5141ceea6828807850c42c6eb2e6363694d2"
		invoice    = "ec196acfd8d49854c77728f403ee91f1c48e2e1dcf70ba73e96b5f2d73a6aa4e"
		newsReader = "4519b9437b8239756623571b3798c0d5318a1e2aa8f89029696d523c01627ba6"
	)
	tests := []struct {
		name, query string
		extra       url.Values
		want        []string // a prefix of the results, in order
		hits        int
	}{
		{name: "by SHA-256", query: vtgraphtest.DemoDropper, want: []string{dropper}, hits: 1},
		{name: "by MD5, any case", query: "0C58DC49280E7F1E1F531301D955B18C", want: []string{dropper}, hits: 1},
		{name: "by domain, and the URL holding it", query: vtgraphtest.DemoC2Domain, want: []string{"domain:" + vtgraphtest.DemoC2Domain}, hits: 2},
		{name: "by IPv6 address", query: "2001:db8::10", want: []string{"ip_address:2001:db8::10"}, hits: 1},
		{name: "by URL", query: "https://acme-login.example/login", hits: 1},
		{name: "type", query: "type:peexe", want: []string{dropper}, hits: 2},
		{name: "tag and entity", query: "entity:domain tag:phishing", want: []string{"domain:" + vtgraphtest.DemoDomain}, hits: 1},
		{name: "positives at least", query: "p:50+", want: []string{dropper}, hits: 1},
		{name: "positives at most, ordered", query: "entity:file p:40-", extra: url.Values{"order": {"positives-"}},
			want: []string{"file:" + beacon, "file:" + invoice}, hits: 9},
		{name: "country", query: "entity:ip country:de", hits: 2},
		{name: "name", query: "name:invoice", hits: 1},
		{name: "free text", query: "parked", hits: 12},
		{name: "nothing", query: "entity:url p:99+", hits: 0},
		{name: "order by size, descending", query: "entity:file", extra: url.Values{"order": {"size-"}},
			want: []string{"file:" + apk, "file:" + newsReader, dropper}, hits: 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			page := search(t, tt.query, tt.extra)
			require.NotNil(t, page.Meta.TotalHits)
			assert.Equal(t, tt.hits, *page.Meta.TotalHits)
			assert.Len(t, page.Data, min(tt.hits, 10))
			if len(tt.want) > 0 {
				require.GreaterOrEqual(t, len(page.ids()), len(tt.want))
				assert.Equal(t, tt.want, page.ids()[:len(tt.want)])
			}
		})
	}

	t.Run("descriptors only", func(t *testing.T) {
		t.Parallel()
		page := search(t, "type:peexe", url.Values{"descriptors_only": {"true"}})
		require.Len(t, page.Data, 2)
		assert.Nil(t, page.Data[0].Attributes)
		full := search(t, "type:peexe", nil)
		assert.Contains(t, full.Data[0].Attributes, "type_tag")
	})
	t.Run("pages", func(t *testing.T) {
		t.Parallel()
		var got []string
		cursor := ""
		for {
			extra := url.Values{"limit": {"5"}}
			if cursor != "" {
				extra.Set("cursor", cursor)
			}
			page := search(t, "parked", extra)
			got = append(got, page.ids()...)
			if cursor = page.Meta.Cursor; cursor == "" {
				break
			}
		}
		assert.Len(t, got, 12)
		assert.Equal(t, "domain:parked-01.example", got[0])
		assert.Equal(t, "domain:parked-12.example", got[11])
	})
	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		// Requests the spec refuses go to a server without the check.
		unchecked := setup(t)
		for _, tc := range []struct {
			name, key, query string
			status           int
			code             string
		}{
			{"public key", vtgraphtest.CarolKey, "query=type:peexe", http.StatusForbidden, "ForbiddenError"},
			{"unknown modifier", vtgraphtest.AliceKey, "query=engines:foo", http.StatusBadRequest, "InvalidArgumentError"},
			{"unknown entity", vtgraphtest.AliceKey, "query=entity:graph", http.StatusBadRequest, "InvalidArgumentError"},
			{"bad count", vtgraphtest.AliceKey, "query=p:many", http.StatusBadRequest, "InvalidArgumentError"},
			{"operators", vtgraphtest.AliceKey, "query=a+OR+b", http.StatusBadRequest, "InvalidArgumentError"},
			{"empty query", vtgraphtest.AliceKey, "query=", http.StatusBadRequest, "InvalidArgumentError"},
			{"limit above 300", vtgraphtest.AliceKey, "query=parked&limit=301", http.StatusBadRequest, "InvalidArgumentError"},
		} {
			status, body := get(t, unchecked.srv, tc.key, "/intelligence/search?"+tc.query)
			assert.Equal(t, tc.status, status, tc.name)
			assert.Equal(t, tc.code, errorCode(t, body), tc.name)
		}
		page := list(t, f, "/intelligence/search?query=parked&limit=300")
		assert.Len(t, page.Data, 12)
	})
}
