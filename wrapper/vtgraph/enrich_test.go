package vtgraph_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// enrichGraph is a graph of demo entities as a list of indicators gives
// them: no attributes, a file by its MD5, in a group, linked both ways.
func enrichGraph(t *testing.T) *vtgraph.Graph {
	t.Helper()
	g := seedGraph(
		vtgraph.EntityRef{Type: vtgraph.NodeTypeFile, ID: vtgraphtest.DemoDropperMD5},
		vtgraph.EntityRef{Type: vtgraph.NodeTypeIPAddress, ID: "192.0.2.10"},
		demoDomain,
		demoLogin,
		vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: "nowhere.example"},
	)
	g.AddNode("Victim Corp", vtgraph.NodeTypeVictim)
	require.NoError(t, g.AddLink(vtgraphtest.DemoDropperMD5, "192.0.2.10", "contacted_ips"))
	require.NoError(t, g.AddLink(vtgraphtest.DemoDomain, vtgraphtest.DemoDropperMD5, "communicating_files"))
	_, err := g.AddGroup("infra", vtgraphtest.DemoDropperMD5, "192.0.2.10")
	require.NoError(t, err)
	return g
}

func TestEnrich(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	g := enrichGraph(t)
	r, err := e.c.Enrich(t.Context(), g, nil)
	require.NoError(t, err)
	require.NoError(t, g.Validate())

	assert.Equal(t, 5, r.Requests, "one lookup per entity; the victim is not one")
	assert.Equal(t, 5, e.srv.RequestCounts()["GET /files/{id}"]+e.srv.RequestCounts()["GET /ip_addresses/{ip}"]+
		e.srv.RequestCounts()["GET /domains/{domain}"]+e.srv.RequestCounts()["GET /urls/{id}"])
	assert.Equal(t, []vtgraph.Rename{{From: vtgraphtest.DemoDropperMD5, To: vtgraphtest.DemoDropper}}, r.Renamed)
	assert.Equal(t, []string{vtgraphtest.DemoDropper, "192.0.2.10", vtgraphtest.DemoDomain, "https://acme-login.example/login"}, r.Enriched)
	require.Len(t, r.Skipped, 1)
	assert.Equal(t, "nowhere.example", r.Skipped[0].Node)
	assert.ErrorIs(t, r.Skipped[0].Err, vtgraph.ErrNotFound)
	assert.Empty(t, r.Pending)

	attrs := func(id string) map[string]string {
		n := g.Node(id)
		require.NotNil(t, n, id)
		out := map[string]string{}
		for k, v := range n.Attributes {
			out[k] = string(v)
		}
		return out
	}
	assert.Equal(t, map[string]string{"has_detections": "56", "type_tag": `"peexe"`}, attrs(vtgraphtest.DemoDropper))
	assert.Equal(t, map[string]string{"has_detections": "6", "country": `"NL"`}, attrs("192.0.2.10"))
	assert.Equal(t, map[string]string{"has_detections": "14"}, attrs(vtgraphtest.DemoDomain))
	assert.Equal(t, map[string]string{"has_detections": "10"}, attrs("https://acme-login.example/login"))
	assert.Empty(t, attrs("nowhere.example"))

	// The file's links, its relationship node and its group followed it.
	assert.Nil(t, g.Node(vtgraphtest.DemoDropperMD5))
	rel := vtgraph.RelationshipNodeID("contacted_ips", vtgraphtest.DemoDropper)
	require.NotNil(t, g.Node(rel))
	assert.Equal(t, "192.0.2.10", g.Related(vtgraphtest.DemoDropper)[0].Node.EntityID)
	assert.Equal(t, vtgraphtest.DemoDropper, g.Related(vtgraphtest.DemoDomain)[0].Node.EntityID)
	var group string
	for i := range g.Nodes {
		if g.Nodes[i].IsGroup() {
			group = g.Nodes[i].EntityID
		}
	}
	assert.Equal(t, []string{vtgraphtest.DemoDropper, "192.0.2.10"}, g.GroupMembers(group))
}

// TestEnrichBudget checks that a request budget enriches the first nodes
// in order, however many requests are in flight, and that the rest is
// reported pending.
func TestEnrichBudget(t *testing.T) {
	t.Parallel()
	for _, conc := range []int{1, 4} {
		e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
		g := enrichGraph(t)
		r, err := e.c.Enrich(t.Context(), g, &vtgraph.EnrichOptions{PivotOptions: vtgraph.PivotOptions{MaxRequests: 2, Concurrency: conc}})
		var be *vtgraph.BudgetError
		require.ErrorAs(t, err, &be)
		assert.Equal(t, 2, e.total())
		assert.Equal(t, []string{vtgraphtest.DemoDropper, "192.0.2.10"}, r.Enriched)
		assert.Equal(t, []string{vtgraphtest.DemoDomain, "https://acme-login.example/login", "nowhere.example"}, r.Pending)
		assert.NotNil(t, g.Node(vtgraphtest.DemoDropper), "what was looked up is applied")
	}
}

// TestEnrichSharesTheCache checks that an expansion's answers spare the
// enrichment their lookups: only the entities the expansion reached
// through DNS resolutions, whose attributes are the resolution's, are
// looked up.
func TestEnrichSharesTheCache(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	cache := new(vtgraph.PivotCache)
	g := seedGraph(demoDomain)
	_, err := e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: 2, ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{Cache: cache}}})
	require.NoError(t, err)
	_, ok := g.Node("192.0.2.11").Attributes.String("country")
	assert.False(t, ok, "a resolution does not say where its address is")
	r, err := e.c.Enrich(t.Context(), g, &vtgraph.EnrichOptions{PivotOptions: vtgraph.PivotOptions{Cache: cache}})
	require.NoError(t, err)
	assert.Equal(t, 4, r.Requests, "192.0.2.11 and the three domains 192.0.2.10 resolves")
	assert.Len(t, r.Enriched, len(entityNodes(g)))
	country, _ := g.Node("192.0.2.11").Attributes.String("country")
	assert.Equal(t, "NL", country)
	e.requireNoRepeats(t)
}

// TestEnrichStops checks a stop on a spent daily quota and on
// cancellation.
func TestEnrichStops(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil, vtgraphtest.WithQuota(vtgraphtest.Quota{PerDay: 3}))
	g := enrichGraph(t)
	r, err := e.c.Enrich(t.Context(), g, &vtgraph.EnrichOptions{PivotOptions: vtgraph.PivotOptions{Concurrency: 1}})
	var apiErr *vtgraph.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
	assert.Greater(t, apiErr.RetryAfter, time.Minute)
	assert.Len(t, r.Enriched, 3)
	assert.Len(t, r.Pending, 2)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r, err = e.c.Enrich(ctx, enrichGraph(t), nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, r.Pending, 5)
}

func TestEnrichRejectsBadOptions(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	g := enrichGraph(t)
	_, err := e.c.Enrich(t.Context(), g, &vtgraph.EnrichOptions{Nodes: []string{"Victim Corp", "gone.example"}, PivotOptions: vtgraph.PivotOptions{Concurrency: -1}})
	var pe *vtgraph.ParamError
	require.ErrorAs(t, err, &pe)
	var paths []string
	for _, p := range pe.Problems {
		paths = append(paths, p.Path)
	}
	assert.Equal(t, []string{"concurrency", "nodes[0]", "nodes[1]"}, paths)
	_, err = e.c.Enrich(t.Context(), nil, nil)
	require.ErrorAs(t, err, &pe)
	assert.Zero(t, e.total())
}
