package vtgraph_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// universe starts an in-memory server with the demo universe, checked
// against the spec on both sides, and returns it with a client for key.
func universe(t *testing.T, key string, opts ...vtgraphtest.Option) (*vtgraphtest.Server, *vtgraph.Client) {
	t.Helper()
	check := contract.ForTest(t)
	srv := vtgraphtest.NewServer(t, append([]vtgraphtest.Option{vtgraphtest.WithMiddleware(check.Handler)}, opts...)...)
	c, err := vtgraph.New(key, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithHTTPClient(check.Client()), vtgraph.WithoutRetries())
	require.NoError(t, err)
	return srv, c
}

// demoIDs are entities of the demo universe.
var (
	demoDomain  = vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: vtgraphtest.DemoDomain}
	demoDropper = vtgraph.EntityRef{Type: vtgraph.NodeTypeFile, ID: vtgraphtest.DemoDropper}
	demoLogin   = vtgraph.EntityRef{Type: vtgraph.NodeTypeURL, ID: "https://acme-login.example/login"}
	demoParking = vtgraph.EntityRef{Type: vtgraph.NodeTypeIPAddress, ID: vtgraphtest.DemoParkingIP}
)

// TestEntityLookupsMemory runs each lookup against the in-memory universe:
// the happy path, an unknown entity (404), a relationship the type does not
// have (400) and a spent quota (429).
func TestEntityLookupsMemory(t *testing.T) {
	t.Parallel()
	lookups := []struct {
		name    string
		known   vtgraph.EntityRef
		unknown vtgraph.EntityRef
		badRel  vtgraph.Relationship // a relationship of another type
		check   func(t *testing.T, e *vtgraph.Entity)
	}{
		{
			name: "file", known: vtgraph.EntityRef{Type: vtgraph.NodeTypeFile, ID: vtgraphtest.DemoDropperMD5},
			unknown: vtgraph.EntityRef{Type: vtgraph.NodeTypeFile, ID: "ffffffffffffffffffffffffffffffff"},
			badRel:  vtgraph.DomainSubdomains,
			check: func(t *testing.T, e *vtgraph.Entity) {
				f, err := e.AsFile()
				require.NoError(t, err)
				assert.Equal(t, vtgraphtest.DemoDropper, f.ID, "found by MD5, answered with the SHA-256")
				assert.Equal(t, "peexe", f.TypeTag)
				assert.Equal(t, "Win32 EXE", f.TypeDescription)
				assert.Equal(t, int64(56), f.LastAnalysisStats.Detections())
			},
		},
		{
			name: "URL", known: demoLogin,
			unknown: vtgraph.EntityRef{Type: vtgraph.NodeTypeURL, ID: "https://nowhere.example/"},
			badRel:  vtgraph.FileDroppedFiles,
			check: func(t *testing.T, e *vtgraph.Entity) {
				u, err := e.AsURL()
				require.NoError(t, err)
				assert.Equal(t, "https://acme-login.example/login", u.URL)
				assert.Equal(t, "Acme Sign-in", u.Title)
				assert.Len(t, u.ID, 64)
			},
		},
		{
			name: "domain", known: demoDomain,
			unknown: vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: "nowhere.example"},
			badRel:  vtgraph.FileContactedIPs,
			check: func(t *testing.T, e *vtgraph.Entity) {
				d, err := e.AsDomain()
				require.NoError(t, err)
				assert.Equal(t, "Example Registrar, Inc.", d.Registrar)
				assert.Equal(t, []string{"phishing"}, d.Tags)
			},
		},
		{
			name: "IP address", known: vtgraph.EntityRef{Type: vtgraph.NodeTypeIPAddress, ID: "2001:db8:0::10"},
			unknown: vtgraph.EntityRef{Type: vtgraph.NodeTypeIPAddress, ID: "192.0.2.254"},
			badRel:  vtgraph.URLRedirectsTo,
			check: func(t *testing.T, e *vtgraph.Entity) {
				ip, err := e.AsIPAddress()
				require.NoError(t, err)
				assert.Equal(t, "2001:db8::10", ip.ID)
				assert.Equal(t, "NL", ip.Country)
				assert.Equal(t, "Example Hosting B.V.", ip.ASOwner)
				assert.Equal(t, int64(64496), ip.ASN)
			},
		},
	}
	for _, tt := range lookups {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, c := universe(t, vtgraphtest.AliceKey)
			ctx := t.Context()
			e, err := c.GetEntity(ctx, tt.known, nil)
			require.NoError(t, err)
			tt.check(t, e)

			_, err = c.GetEntity(ctx, tt.unknown, nil)
			assert.ErrorIs(t, err, vtgraph.ErrNotFound)

			_, err = c.ListEntityRelated(ctx, tt.known, tt.badRel, nil)
			var apiErr *vtgraph.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			assert.ErrorIs(t, err, vtgraph.ErrInvalidArgument)
			_, err = c.GetEntity(ctx, tt.known, &vtgraph.GetEntityOptions{Relationships: []vtgraph.Relationship{tt.badRel}})
			assert.ErrorIs(t, err, vtgraph.ErrInvalidArgument)

			_, limited := universe(t, vtgraphtest.AliceKey, vtgraphtest.WithQuota(vtgraphtest.Quota{PerDay: 1}))
			_, err = limited.GetEntity(ctx, tt.known, nil)
			require.NoError(t, err)
			_, err = limited.GetEntity(ctx, tt.known, nil)
			assert.ErrorIs(t, err, vtgraph.ErrQuotaExceeded)
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
			assert.Greater(t, apiErr.RetryAfter, time.Minute, "the daily quota frees at midnight")
		})
	}
}

func TestEntityRelationshipsMemory(t *testing.T) {
	t.Parallel()
	srv, c := universe(t, vtgraphtest.AliceKey)
	ctx := t.Context()

	t.Run("one request tells which relationships hold anything", func(t *testing.T) {
		d, err := c.GetDomain(ctx, vtgraphtest.DemoDomain, &vtgraph.GetEntityOptions{Relationships: []vtgraph.Relationship{
			vtgraph.DomainResolutions, vtgraph.DomainSubdomains, vtgraph.DomainSiblings, vtgraph.DomainParent,
		}})
		require.NoError(t, err)
		require.Len(t, d.Relationships, 4)
		assert.Len(t, d.Relationships[vtgraph.DomainResolutions].Items, 2)
		assert.Len(t, d.Relationships[vtgraph.DomainSubdomains].Items, 4)
		assert.Empty(t, d.Relationships[vtgraph.DomainSiblings].Items)
		assert.Empty(t, d.Relationships[vtgraph.DomainParent].Items)
	})
	t.Run("resolutions lead to the other end", func(t *testing.T) {
		page, err := c.ListEntityRelatedDescriptors(ctx, demoDomain, vtgraph.DomainResolutions, nil)
		require.NoError(t, err)
		var peers []string
		for _, d := range page.Items {
			peer, ok := vtgraph.ResolutionPeer(demoDomain, d.ID)
			require.True(t, ok, d.ID)
			peers = append(peers, peer.String())
		}
		assert.Equal(t, []string{"ip_address:192.0.2.10", "ip_address:2001:db8::10"}, peers)
	})
	t.Run("a single object", func(t *testing.T) {
		page, err := c.ListEntityRelated(ctx, demoLogin, vtgraph.URLLastServingIPAddress, nil)
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		assert.Equal(t, vtgraph.EntityRef{Type: vtgraph.NodeTypeIPAddress, ID: "192.0.2.10"}, page.Items[0].Ref())
		none, err := c.ListEntityRelatedDescriptors(ctx, demoDomain, vtgraph.DomainParent, nil)
		require.NoError(t, err)
		assert.Empty(t, none.Items)
	})
	t.Run("iterators page with cursors", func(t *testing.T) {
		before := srv.RequestCounts()["GET /ip_addresses/{ip}/{relationship}"]
		var domains []string
		for e, err := range c.ListEntityRelatedIter(ctx, demoParking, vtgraph.IPAddressResolutions, &vtgraph.ListOptions{Limit: 5}, nil) {
			require.NoError(t, err)
			r, err := e.AsResolution()
			require.NoError(t, err)
			domains = append(domains, r.HostName)
		}
		assert.Len(t, domains, 13)
		assert.Equal(t, 3, srv.RequestCounts()["GET /ip_addresses/{ip}/{relationship}"]-before, "13 objects, 5 a page")

		n := 0
		for _, err := range c.ListEntityRelatedDescriptorsIter(ctx, demoParking, vtgraph.IPAddressResolutions, nil, &vtgraph.IterOptions{MaxItems: 11}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 11, n)
	})
	t.Run("MD5 resolved with one lookup", func(t *testing.T) {
		before := srv.RequestCounts()["GET /files/{id}"]
		sha, err := c.ResolveFileHash(ctx, vtgraphtest.DemoDropperMD5)
		require.NoError(t, err)
		assert.Equal(t, vtgraphtest.DemoDropper, sha)
		assert.Equal(t, 1, srv.RequestCounts()["GET /files/{id}"]-before)
	})
	t.Run("intelligence search", func(t *testing.T) {
		page, err := c.SearchIntelligence(ctx, &vtgraph.IntelligenceSearchOptions{Query: "type:peexe", Order: "positives-"})
		require.NoError(t, err)
		require.Len(t, page.Items, 2)
		assert.Equal(t, demoDropper, page.Items[0].Ref())
		hits, ok := vtgraph.TotalHits(page)
		assert.True(t, ok)
		assert.Equal(t, int64(2), hits)

		var parked []string
		for e, err := range c.SearchIntelligenceIter(ctx, &vtgraph.IntelligenceSearchOptions{Query: "parked", Limit: 5, DescriptorsOnly: true}, nil) {
			require.NoError(t, err)
			assert.Nil(t, e.Attributes, "descriptors only")
			parked = append(parked, e.ID)
		}
		assert.Len(t, parked, 12)
	})
}

// TestRelationshipTablesMatchTheServer checks the relationship constants
// against the in-memory server, which knows VirusTotal's tables on its own:
// every relationship of the package's tables exists there, the premium ones
// refuse a public key with a *PremiumError, and the others do not.
func TestRelationshipTablesMatchTheServer(t *testing.T) {
	t.Parallel()
	_, premium := universe(t, vtgraphtest.AliceKey)
	_, public := universe(t, vtgraphtest.CarolKey)
	ctx := t.Context()
	refs := map[vtgraph.NodeType]vtgraph.EntityRef{
		vtgraph.NodeTypeFile: demoDropper, vtgraph.NodeTypeURL: demoLogin,
		vtgraph.NodeTypeDomain: demoDomain, vtgraph.NodeTypeIPAddress: demoParking,
	}
	for typ, ref := range refs {
		for _, info := range vtgraph.EntityRelationships(typ) {
			_, err := premium.ListEntityRelatedDescriptors(ctx, ref, info.Name, &vtgraph.ListOptions{Limit: 1})
			require.NoError(t, err, "%s %s", typ, info.Name)
			_, err = public.ListEntityRelatedDescriptors(ctx, ref, info.Name, &vtgraph.ListOptions{Limit: 1})
			var pe *vtgraph.PremiumError
			if info.Premium {
				require.ErrorAs(t, err, &pe, "%s %s", typ, info.Name)
				assert.Equal(t, info.Name, pe.Relationship)
			} else {
				assert.NoError(t, err, "%s %s", typ, info.Name)
			}
		}
	}
	_, err := public.SearchIntelligence(ctx, &vtgraph.IntelligenceSearchOptions{Query: "type:peexe"})
	var pe *vtgraph.PremiumError
	require.ErrorAs(t, err, &pe)
	assert.True(t, errors.Is(err, vtgraph.ErrForbidden))
}

// TestIntelligenceSearchErrorsMemory checks the search's error paths: a
// query the server cannot run (400), a spent quota (429), and no file for a
// hash to resolve (404).
func TestIntelligenceSearchErrorsMemory(t *testing.T) {
	t.Parallel()
	_, c := universe(t, vtgraphtest.AliceKey, vtgraphtest.WithQuota(vtgraphtest.Quota{PerMinute: 2}))
	ctx := t.Context()
	_, err := c.SearchIntelligence(ctx, &vtgraph.IntelligenceSearchOptions{Query: "engines:none"})
	assert.ErrorIs(t, err, vtgraph.ErrInvalidArgument)
	_, err = c.ResolveFileHash(ctx, "ffffffffffffffffffffffffffffffffffffffff")
	assert.ErrorIs(t, err, vtgraph.ErrNotFound)
	_, err = c.SearchIntelligence(ctx, &vtgraph.IntelligenceSearchOptions{Query: "type:peexe"})
	assert.ErrorIs(t, err, vtgraph.ErrQuotaExceeded)
	var pe *vtgraph.PremiumError
	assert.False(t, errors.As(err, &pe), "a spent quota is not a premium refusal")
}
