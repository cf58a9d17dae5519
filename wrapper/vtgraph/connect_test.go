package vtgraph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

var demoC2 = vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: vtgraphtest.DemoC2Domain}

// demoPath is the three hops from the demo domain to its C2, as the search
// finds them: the first from the domain's side, the other two from the
// C2's.
var demoPath = []vtgraph.Hop{
	{From: vtgraphtest.DemoDomain, To: "192.0.2.10", Relationship: vtgraph.DomainResolutions},
	{From: "192.0.2.10", To: vtgraphtest.DemoDropper, Relationship: vtgraph.FileContactedIPs, Reverse: true},
	{From: vtgraphtest.DemoDropper, To: vtgraphtest.DemoC2Domain, Relationship: vtgraph.DomainCommunicatingFiles, Reverse: true},
}

// TestConnect finds the demo's three-hop path at three hops, whatever the
// concurrency, and adds it to the graph through relationship nodes.
func TestConnect(t *testing.T) {
	t.Parallel()
	for _, conc := range []int{1, 4} {
		t.Run(fmt.Sprint(conc), func(t *testing.T) {
			t.Parallel()
			e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
			g := seedGraph(demoDomain, demoC2)
			r, err := e.c.Connect(t.Context(), g, vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain, &vtgraph.ConnectOptions{
				MaxHops: 3, PivotOptions: vtgraph.PivotOptions{Concurrency: conc},
			})
			require.NoError(t, err)
			assert.Equal(t, demoPath, r.Path)
			require.NoError(t, g.Validate())
			// Both ends, the four entities the C2's side explored at its
			// second level, and the address the path meets at, for its
			// attributes.
			assert.Equal(t, 7, r.Requests)
			assert.Equal(t, 6, r.Explored)
			e.requireNoRepeats(t)

			assert.Equal(t, []string{vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain, "192.0.2.10", vtgraphtest.DemoDropper}, entityNodes(g))
			for _, h := range r.Path {
				src, dst := h.From, h.To
				if h.Reverse {
					src, dst = dst, src
				}
				rel := vtgraph.RelationshipNodeID(string(h.Relationship), src)
				require.NotNil(t, g.Node(rel), rel)
				assert.Equal(t, dst, g.Related(rel)[0].Node.EntityID)
			}
			assert.Len(t, g.Path(vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain), 7, "three hops, each through a relationship node")
			country, _ := g.Node("192.0.2.10").Attributes.String("country")
			assert.Equal(t, "NL", country, "the nodes added carry their attributes")
		})
	}
}

// TestConnectLimits checks a search that ends without a path, within its
// hops, and one that stops on its budget.
func TestConnectLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     vtgraph.ConnectOptions
		requests int
		check    func(t *testing.T, r *vtgraph.ConnectReport, err error)
	}{
		{
			name: "two hops", opts: vtgraph.ConnectOptions{MaxHops: 2}, requests: 2,
			check: func(t *testing.T, r *vtgraph.ConnectReport, err error) {
				require.NoError(t, err, "no path is no error")
				assert.Nil(t, r.Path)
			},
		},
		{
			name: "budget", opts: vtgraph.ConnectOptions{PivotOptions: vtgraph.PivotOptions{MaxRequests: 4, Concurrency: 4}}, requests: 4,
			check: func(t *testing.T, r *vtgraph.ConnectReport, err error) {
				var be *vtgraph.BudgetError
				require.ErrorAs(t, err, &be)
				assert.Nil(t, r.Path)
			},
		},
		{
			name: "budget once found", opts: vtgraph.ConnectOptions{PivotOptions: vtgraph.PivotOptions{MaxRequests: 6}}, requests: 6,
			check: func(t *testing.T, r *vtgraph.ConnectReport, err error) {
				var be *vtgraph.BudgetError
				require.ErrorAs(t, err, &be, "the path's address could not be looked up")
				assert.Equal(t, demoPath, r.Path, "the path is found and added all the same")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
			g := seedGraph(demoDomain, demoC2)
			r, err := e.c.Connect(t.Context(), g, vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain, &tt.opts)
			require.NotNil(t, r)
			tt.check(t, r, err)
			assert.Equal(t, tt.requests, e.total())
			assert.Equal(t, tt.requests, r.Requests)
			require.NoError(t, g.Validate())
			if r.Path == nil {
				assert.Len(t, g.Nodes, 2, "nothing added without a path")
			}
		})
	}
}

// TestConnectSharesTheCache connects two nodes of an expanded graph: the
// expansion answered every lookup the search needs but the dropper's, a
// node of its last level, which it did not expand.
func TestConnectSharesTheCache(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	cache := new(vtgraph.PivotCache)
	g := seedGraph(demoDomain)
	_, err := e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: 2, ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{Cache: cache}}})
	require.NoError(t, err)
	r, err := e.c.Connect(t.Context(), g, vtgraphtest.DemoDomain, vtgraphtest.DemoDropper, &vtgraph.ConnectOptions{PivotOptions: vtgraph.PivotOptions{Cache: cache}})
	require.NoError(t, err)
	assert.Equal(t, 1, r.Requests)
	assert.Equal(t, 1, e.srv.RequestCounts()["GET /files/{id}"]-3, "the expansion looked up three files")
	require.Len(t, r.Path, 2)
	e.requireNoRepeats(t)
}

// TestConnectFindsEndsByTheirOtherIDs connects to a file node named by its
// MD5, which VirusTotal's relationships name by its SHA-256.
func TestConnectFindsEndsByTheirOtherIDs(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	md5 := vtgraph.EntityRef{Type: vtgraph.NodeTypeFile, ID: vtgraphtest.DemoDropperMD5}
	g := seedGraph(demoC2, md5)
	r, err := e.c.Connect(t.Context(), g, vtgraphtest.DemoC2Domain, vtgraphtest.DemoDropperMD5, nil)
	require.NoError(t, err)
	assert.Equal(t, []vtgraph.Hop{{From: vtgraphtest.DemoC2Domain, To: vtgraphtest.DemoDropperMD5, Relationship: vtgraph.DomainCommunicatingFiles}}, r.Path)
	assert.Len(t, g.Nodes, 3, "the two ends and one relationship node")
}

func TestConnectStopsOnCancellation(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	g := seedGraph(demoDomain, demoC2)
	r, err := e.c.Connect(ctx, g, vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Nil(t, r.Path)
}

func TestConnectRejectsBadArguments(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	g := seedGraph(demoDomain)
	g.AddNode("Victim Corp", vtgraph.NodeTypeVictim)
	tests := []struct {
		name     string
		from, to string
		opts     *vtgraph.ConnectOptions
		paths    []string
	}{
		{"same node", vtgraphtest.DemoDomain, vtgraphtest.DemoDomain, nil, []string{"to"}},
		{"missing and custom", "gone.example", "Victim Corp", nil, []string{"from", "to"}},
		{"options", vtgraphtest.DemoDomain, "Victim Corp", &vtgraph.ConnectOptions{MaxHops: -1, MaxPerRelationship: -1, Relationships: []vtgraph.Relationship{""}}, []string{"to", "max_hops", "max_per_relationship", "relationships[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.c.Connect(t.Context(), g, tt.from, tt.to, tt.opts)
			assert.Nil(t, r)
			var pe *vtgraph.ParamError
			require.ErrorAs(t, err, &pe)
			var paths []string
			for _, p := range pe.Problems {
				paths = append(paths, p.Path)
			}
			assert.Equal(t, tt.paths, paths)
		})
	}
	assert.Zero(t, e.total())
}

// TestConnectSkips checks what a search cannot follow: a relationship the
// type lacks, named for an entity the search explores on the way.
func TestConnectSkips(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	g := seedGraph(demoDomain, demoC2)
	r, err := e.c.Connect(t.Context(), g, vtgraphtest.DemoDomain, vtgraphtest.DemoC2Domain, &vtgraph.ConnectOptions{
		Relationships: []vtgraph.Relationship{vtgraph.DomainResolutions, "added_later"},
	})
	require.NoError(t, err)
	assert.Nil(t, r.Path, "resolutions alone do not join them")
	var nodes []string
	for _, s := range r.Skipped {
		assert.Equal(t, vtgraph.Relationship("added_later"), s.Relationship)
		assert.ErrorIs(t, s.Err, vtgraph.ErrInvalidArgument)
		nodes = append(nodes, s.Node)
	}
	assert.Contains(t, nodes, "198.51.100.23", "an entity explored on the way is named")
	assert.NotContains(t, nodes, "", "a refusal to one entity is not one to every entity of its type")
}
