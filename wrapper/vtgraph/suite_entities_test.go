package vtgraph_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The entities the suite looks up: those of the in-memory server's demo
// universe. A stateless backend answers for any well-formed id.
var (
	suiteDropperMD5 = vtgraphtest.DemoDropperMD5
	suiteLoginURL   = "https://acme-login.example/login"
	suiteDomain     = vtgraphtest.DemoDomain
	suiteAddress    = "192.0.2.10"
)

// assertDecodedEntity compares a decoded entity with the object it was
// decoded from.
func assertDecodedEntity(t *testing.T, raw any, e *vtgraph.Entity) {
	t.Helper()
	require.NotNil(t, e)
	assertSame(t, raw, string(e.Type), "type")
	assertSame(t, raw, e.ID, "id")
	assertSame(t, raw, e.SelfLink, "links", "self")
	attrs, _ := jsonAt(raw, "attributes")
	if m, ok := attrs.(map[string]any); ok {
		assert.Len(t, e.Attributes, len(m), "every attribute is kept")
	}
	assertSame(t, raw, e.Reputation, "attributes", "reputation")
	assertSameStrings(t, raw, e.Tags, "attributes", "tags")
	if date, ok := jsonAt(raw, "attributes", "last_modification_date"); ok && date != nil {
		assert.EqualValues(t, date, unixOrZero(e.LastModificationDate), "last_modification_date")
	}
	if stats, ok := jsonAt(raw, "attributes", "last_analysis_stats"); ok && stats != nil {
		require.NotNil(t, e.LastAnalysisStats)
		assertSame(t, stats, e.LastAnalysisStats.Malicious, "malicious")
		assertSame(t, stats, e.LastAnalysisStats.Undetected, "undetected")
	}
	rels, _ := jsonAt(raw, "relationships")
	if m, ok := rels.(map[string]any); ok {
		require.Len(t, e.Relationships, len(m), "relationships")
		for name, rel := range m {
			page := e.Relationships[vtgraph.Relationship(name)]
			require.NotNil(t, page, name)
			data, _ := jsonAt(rel, "data")
			assert.Len(t, page.Items, len(jsonList(data)), name)
		}
	}
}

// assertSameStrings asserts that a decoded list of strings equals the raw
// JSON list at path in raw, when raw has one.
func assertSameStrings(t *testing.T, raw any, decoded []string, path ...string) {
	t.Helper()
	want, ok := jsonAt(raw, path...)
	if !ok || want == nil {
		return
	}
	list := jsonList(want)
	require.Len(t, decoded, len(list), "%v", path)
	for i, v := range list {
		assert.Equal(t, v, decoded[i], "%v[%d]", path, i)
	}
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// assertDecodedEntities compares a page of entities with its envelope.
func assertDecodedEntities(t *testing.T, env map[string]any, page *vtgraph.Page[*vtgraph.Entity]) {
	t.Helper()
	for i, raw := range assertDecodedPage(t, env, page) {
		assertDecodedEntity(t, raw, page.Items[i])
	}
}

// assertDecodedDescriptors compares a page of descriptors with its
// envelope.
func assertDecodedDescriptors(t *testing.T, env map[string]any, page *vtgraph.Page[vtgraph.Descriptor]) {
	t.Helper()
	for i, raw := range assertDecodedPage(t, env, page) {
		assertSame(t, raw, page.Items[i].Type, "type")
		assertSame(t, raw, page.Items[i].ID, "id")
	}
}

// runEntitySuite calls the file, URL, domain, IP address and intelligence
// search operations.
func runEntitySuite(t *testing.T, wire *suiteWire, c *vtgraph.Client, b suiteBackend) {
	ctx := t.Context()
	file := vtgraph.EntityRef{Type: vtgraph.NodeTypeFile, ID: suiteDropperMD5}
	url := vtgraph.EntityRef{Type: vtgraph.NodeTypeURL, ID: suiteLoginURL}
	domain := vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: suiteDomain}
	address := vtgraph.EntityRef{Type: vtgraph.NodeTypeIPAddress, ID: suiteAddress}

	t.Run("getFile", func(t *testing.T) {
		f, err := c.GetFile(ctx, suiteDropperMD5, &vtgraph.GetEntityOptions{Relationships: []vtgraph.Relationship{vtgraph.FileContactedDomains}})
		require.NoError(t, err)
		raw := wire.data(t, "getFile")
		assertDecodedEntity(t, raw, &f.Entity)
		assertSame(t, raw, f.SHA256, "attributes", "sha256")
		assertSame(t, raw, f.TypeTag, "attributes", "type_tag")
		assertSame(t, raw, f.TypeDescription, "attributes", "type_description")
		assertSame(t, raw, f.Size, "attributes", "size")
		assertSameStrings(t, raw, f.Names, "attributes", "names")
		if b.stateful {
			assert.Equal(t, vtgraphtest.DemoDropper, f.ID)
			assert.Equal(t, "peexe", f.TypeTag)
			assert.Equal(t, []vtgraph.Descriptor{{Type: "domain", ID: "acme-update.example"}}, f.Relationships[vtgraph.FileContactedDomains].Items)
		}
	})
	t.Run("getUrl", func(t *testing.T) {
		u, err := c.GetURL(ctx, suiteLoginURL, nil)
		require.NoError(t, err)
		raw := wire.data(t, "getUrl")
		assertDecodedEntity(t, raw, &u.Entity)
		assertSame(t, raw, u.URL, "attributes", "url")
		assertSame(t, raw, u.Title, "attributes", "title")
		if b.stateful {
			assert.Equal(t, suiteLoginURL, u.URL)
		}
	})
	t.Run("getDomain", func(t *testing.T) {
		d, err := c.GetDomain(ctx, suiteDomain, &vtgraph.GetEntityOptions{Relationships: []vtgraph.Relationship{vtgraph.DomainResolutions, vtgraph.DomainParent}})
		require.NoError(t, err)
		raw := wire.data(t, "getDomain")
		assertDecodedEntity(t, raw, &d.Entity)
		assertSame(t, raw, d.Registrar, "attributes", "registrar")
		if b.stateful {
			assert.Len(t, d.Relationships[vtgraph.DomainResolutions].Items, 2)
			assert.Empty(t, d.Relationships[vtgraph.DomainParent].Items)
		}
	})
	t.Run("getIpAddress", func(t *testing.T) {
		ip, err := c.GetIPAddress(ctx, suiteAddress, nil)
		require.NoError(t, err)
		raw := wire.data(t, "getIpAddress")
		assertDecodedEntity(t, raw, &ip.Entity)
		assertSame(t, raw, ip.Country, "attributes", "country")
		assertSame(t, raw, ip.ASOwner, "attributes", "as_owner")
		assertSame(t, raw, ip.ASN, "attributes", "asn")
		if b.stateful {
			assert.Equal(t, "NL", ip.Country)
		}
	})

	relationships := []struct {
		op  string
		ref vtgraph.EntityRef
		rel vtgraph.Relationship
		// want lists "type:id" of the related objects on the demo universe.
		want []string
	}{
		{"getFileRelationship", file, vtgraph.FileContactedIPs, []string{"ip_address:192.0.2.10", "ip_address:198.51.100.23"}},
		{"getUrlRelationship", url, vtgraph.URLLastServingIPAddress, []string{"ip_address:192.0.2.10"}},
		{"getDomainRelationship", domain, vtgraph.DomainSubdomains, []string{
			"domain:cdn.acme-login.example", "domain:mail.acme-login.example", "domain:www.acme-login.example", "domain:secure.acme-login.example"}},
		{"getIpAddressRelationship", address, vtgraph.IPAddressCommunicatingFiles, []string{
			"file:" + vtgraphtest.DemoDropper, "file:6d6803d984b49bad338c159c763f5141ceea6828807850c42c6eb2e6363694d2"}},
	}
	for _, r := range relationships {
		t.Run(r.op, func(t *testing.T) {
			page, err := c.ListEntityRelated(ctx, r.ref, r.rel, &vtgraph.ListOptions{Limit: 10})
			require.NoError(t, err)
			assertDecodedEntities(t, wire.envelope(t, r.op), page)
			if b.stateful {
				var got []string
				for _, e := range page.Items {
					got = append(got, e.Ref().String())
				}
				assert.Equal(t, r.want, got)
			}
		})
		t.Run(r.op+"Descriptors", func(t *testing.T) {
			page, err := c.ListEntityRelatedDescriptors(ctx, r.ref, r.rel, nil)
			require.NoError(t, err)
			assertDecodedDescriptors(t, wire.envelope(t, r.op+"Descriptors"), page)
			var got []string
			for d, err := range c.ListEntityRelatedDescriptorsIter(ctx, r.ref, r.rel, &vtgraph.ListOptions{Limit: 1}, &vtgraph.IterOptions{MaxItems: 5}) {
				if b.listingEnds(t, err) {
					break
				}
				got = append(got, d.Type+":"+d.ID)
			}
			if b.stateful {
				assert.Equal(t, r.want, got, "one a page, the same objects")
			}
		})
	}

	t.Run("intelligenceSearch", func(t *testing.T) {
		page, err := c.SearchIntelligence(ctx, &vtgraph.IntelligenceSearchOptions{Query: "type:peexe", Order: "positives-", Limit: 300})
		require.NoError(t, err)
		env := wire.envelope(t, "intelligenceSearch")
		assertDecodedEntities(t, env, page)
		if hits, ok := jsonAt(env, "meta", "total_hits"); ok {
			n, found := vtgraph.TotalHits(page)
			assert.True(t, found)
			assert.EqualValues(t, hits, n)
		}
		n := 0
		for e, err := range c.SearchIntelligenceIter(ctx, &vtgraph.IntelligenceSearchOptions{Query: "p:1+", DescriptorsOnly: true, Limit: 2}, &vtgraph.IterOptions{MaxItems: 6}) {
			if b.listingEnds(t, err) {
				break
			}
			require.NotNil(t, e)
			n++
		}
		assert.Positive(t, n)
		if b.stateful {
			require.NotEmpty(t, page.Items)
			assert.Equal(t, vtgraphtest.DemoDropper, page.Items[0].ID)
			assert.Equal(t, 6, n)
		}
	})
}
