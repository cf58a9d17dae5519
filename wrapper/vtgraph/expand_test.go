package vtgraph_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// demoExpansionRequests is what a two-level expansion of the demo domain
// sends: a lookup of each of the 11 nodes expanded, and a page of each
// relationship of the second level that holds anything; the first level's
// lookup lists all it holds.
const demoExpansionRequests = 33

// expandDemo expands the demo domain two levels in a graph of its own and
// returns the graph and the report.
func expandDemo(t *testing.T, e *pivotEnv, o vtgraph.ExpandGraphOptions) (*vtgraph.Graph, *vtgraph.ExpandReport, error) {
	t.Helper()
	g := seedGraph(demoDomain)
	r, err := e.c.ExpandGraph(t.Context(), g, twoLevels(o))
	return g, r, err
}

// TestExpandGraphGolden expands the demo domain two levels, with one, four
// and sixteen requests in flight: the graph is the golden one every time,
// valid, drawn as the UI draws expansions, and nothing was fetched twice
// or came back empty.
func TestExpandGraphGolden(t *testing.T) {
	t.Parallel()
	for _, conc := range []int{1, 4, 16} {
		t.Run(fmt.Sprint("concurrency=", conc), func(t *testing.T) {
			t.Parallel()
			e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
			g, r, err := expandDemo(t, e, vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{Concurrency: conc}}})
			require.NoError(t, err)
			require.NoError(t, g.Validate())
			assertGraphGolden(t, "expand_two_levels.golden.json", []byte(sentJSON(t, g)))

			assert.True(t, r.Done())
			assert.Empty(t, r.Skipped)
			assert.Equal(t, demoExpansionRequests, r.Requests)
			assert.Equal(t, demoExpansionRequests, e.total())
			e.requireNoRepeats(t)
			assert.Empty(t, e.pages.emptyPages(), "pages that came back empty")

			// Each relationship expanded is one relationship node, linked
			// from the node and to each related object.
			for _, x := range r.Expanded {
				rel := vtgraph.RelationshipNodeID(string(x.Relationship), x.Node)
				require.NotNil(t, g.Node(rel), "%s", rel)
				assert.Len(t, g.Related(rel), x.Linked, "%s", rel)
			}
			assert.Equal(t, vtgraph.Expansion{Node: vtgraphtest.DemoDomain, Relationship: vtgraph.DomainResolutions, Added: 2, Linked: 2}, r.Expanded[slices.IndexFunc(r.Expanded, func(x vtgraph.Expansion) bool {
				return x.Node == vtgraphtest.DemoDomain && x.Relationship == vtgraph.DomainResolutions
			})])
			// The related entities carry what the UI shows.
			dropper := g.Node(vtgraphtest.DemoDropper)
			require.NotNil(t, dropper)
			n, ok := dropper.Attributes.DetectionCount()
			assert.True(t, ok)
			assert.Equal(t, int64(56), n)
			tag, _ := dropper.Attributes.String("type_tag")
			assert.Equal(t, "peexe", tag)
			country, _ := g.Node("192.0.2.10").Attributes.String("country")
			assert.Equal(t, "NL", country)
			seed, _ := g.Node(vtgraphtest.DemoDomain).Attributes.DetectionCount()
			assert.Equal(t, int64(14), seed, "the node expanded gets its own attributes from its lookup")
		})
	}
}

// TestExpandGraphLimits checks that each limit holds exactly, and where it
// cuts.
func TestExpandGraphLimits(t *testing.T) {
	t.Parallel()
	full := func(t *testing.T) (*vtgraph.Graph, *vtgraph.ExpandReport) {
		e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
		g, r, err := expandDemo(t, e, vtgraph.ExpandGraphOptions{})
		require.NoError(t, err)
		return g, r
	}
	tests := []struct {
		name  string
		opts  vtgraph.ExpandGraphOptions
		check func(t *testing.T, e *pivotEnv, g *vtgraph.Graph, r *vtgraph.ExpandReport, err error)
	}{
		{
			name: "per relationship",
			opts: vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{MaxPerRelationship: 2}},
			check: func(t *testing.T, e *pivotEnv, g *vtgraph.Graph, r *vtgraph.ExpandReport, err error) {
				require.NoError(t, err)
				more := false
				for _, x := range r.Expanded {
					assert.LessOrEqual(t, x.Linked, 2, "%s %s", x.Node, x.Relationship)
					assert.LessOrEqual(t, len(g.Related(vtgraph.RelationshipNodeID(string(x.Relationship), x.Node))), 2)
					more = more || x.More
				}
				assert.True(t, more, "some relationship holds more than 2")
				e.requireNoRepeats(t)
			},
		},
		{
			name: "nodes",
			opts: vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{MaxNodes: 12, PivotOptions: vtgraph.PivotOptions{Concurrency: 8}}},
			check: func(t *testing.T, e *pivotEnv, g *vtgraph.Graph, r *vtgraph.ExpandReport, err error) {
				require.NoError(t, err, "the node limit is no error")
				assert.True(t, r.NodeLimit)
				assert.False(t, r.Done())
				whole, _ := full(t)
				assert.Equal(t, entityNodes(whole)[:12], entityNodes(g), "the first 12 nodes of the whole expansion")
				require.NoError(t, g.Validate())
			},
		},
		{
			name: "requests",
			opts: vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{MaxRequests: 9, Concurrency: 1}}},
			check: func(t *testing.T, e *pivotEnv, g *vtgraph.Graph, r *vtgraph.ExpandReport, err error) {
				var be *vtgraph.BudgetError
				require.ErrorAs(t, err, &be)
				assert.Equal(t, 9, be.MaxRequests)
				assert.Equal(t, 9, r.Requests)
				assert.Equal(t, 9, e.total(), "not one request more reached the server")
				assert.NotEmpty(t, r.Pending)
				assert.Greater(t, len(g.Nodes), 1, "the graph as far as it got")
				require.NoError(t, g.Validate())

				// Resumed, it ends as the whole expansion does, sending
				// what it had not.
				r2, err := e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{Resume: r}})
				require.NoError(t, err)
				assert.True(t, r2.Done())
				assert.Equal(t, demoExpansionRequests-9, r2.Requests)
				whole, wr := full(t)
				assert.Equal(t, sentJSON(t, whole), sentJSON(t, g))
				assert.Equal(t, wr.Expanded, r2.Expanded)
				e.requireNoRepeats(t)
			},
		},
		{
			name: "requests with concurrency",
			opts: vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{MaxRequests: 20, Concurrency: 8}}},
			check: func(t *testing.T, e *pivotEnv, g *vtgraph.Graph, r *vtgraph.ExpandReport, err error) {
				var be *vtgraph.BudgetError
				require.ErrorAs(t, err, &be)
				assert.Equal(t, 20, e.total())
				_, err = e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{Resume: r}})
				require.NoError(t, err)
				whole, _ := full(t)
				assert.Equal(t, sentJSON(t, whole), sentJSON(t, g))
				assert.Equal(t, demoExpansionRequests, e.total())
			},
		},
		{
			name: "depth 1",
			opts: vtgraph.ExpandGraphOptions{Depth: 1},
			check: func(t *testing.T, e *pivotEnv, g *vtgraph.Graph, r *vtgraph.ExpandReport, err error) {
				require.NoError(t, err)
				for _, x := range r.Expanded {
					assert.Equal(t, vtgraphtest.DemoDomain, x.Node)
				}
				assert.Len(t, entityNodes(g), 11)
			},
		},
		{
			name: "relationships",
			opts: vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{Relationships: []vtgraph.Relationship{vtgraph.DomainResolutions, vtgraph.FileContactedIPs}}},
			check: func(t *testing.T, e *pivotEnv, g *vtgraph.Graph, r *vtgraph.ExpandReport, err error) {
				require.NoError(t, err)
				for _, x := range r.Expanded {
					assert.Equal(t, vtgraph.DomainResolutions, x.Relationship, "%s: files are not reached", x.Node)
				}
				// The domain, its two addresses, and the domains they
				// resolve: one relationship each, asked for directly.
				assert.Equal(t, 3, e.total())
				assert.Len(t, entityNodes(g), 8)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
			g, r, err := expandDemo(t, e, tt.opts)
			require.NotNil(t, r)
			tt.check(t, e, g, r, err)
		})
	}
}

// TestExpandGraphStopsAndResumes stops an expansion on a spent quota, per
// minute and per day, and on cancellation: the graph holds what was done,
// the error says why, and a resumed call ends with the whole expansion
// without fetching anything twice.
func TestExpandGraphStopsAndResumes(t *testing.T) {
	t.Parallel()
	frozen := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		quota  vtgraphtest.Quota
		cancel bool
		check  func(t *testing.T, err error)
	}{
		{name: "minute quota", quota: vtgraphtest.Quota{PerMinute: 10}, check: func(t *testing.T, err error) {
			var apiErr *vtgraph.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
			assert.ErrorIs(t, err, vtgraph.ErrQuotaExceeded)
			assert.Equal(t, time.Minute, apiErr.RetryAfter)
		}},
		{name: "daily quota", quota: vtgraphtest.Quota{PerDay: 15}, check: func(t *testing.T, err error) {
			assert.ErrorIs(t, err, vtgraph.ErrQuotaExceeded)
		}},
		{name: "cancellation", cancel: true, check: func(t *testing.T, err error) {
			assert.ErrorIs(t, err, context.Canceled)
		}},
	}
	for _, tt := range tests {
		for _, conc := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s/concurrency=%d", tt.name, conc), func(t *testing.T) {
				t.Parallel()
				e := newPivotEnv(t, vtgraphtest.AliceKey, nil,
					vtgraphtest.WithQuota(tt.quota), vtgraphtest.WithClock(func() time.Time { return frozen }))
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				var seen []vtgraph.Progress
				o := vtgraph.ExpandGraphOptions{Depth: 2, ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{
					Concurrency: conc,
					Progress: func(p vtgraph.Progress) {
						seen = append(seen, p)
						if tt.cancel && p.Done >= 12 {
							cancel()
						}
					},
				}}}
				g := seedGraph(demoDomain)
				r, err := e.c.ExpandGraph(ctx, g, &o)
				require.Error(t, err)
				tt.check(t, err)
				require.NotNil(t, r)
				assert.NotEmpty(t, r.Pending)
				assert.Greater(t, len(entityNodes(g)), 1, "the graph as far as it got")
				require.NoError(t, g.Validate())
				for i := 1; i < len(seen); i++ {
					assert.GreaterOrEqual(t, seen[i].Done, seen[i-1].Done, "progress never goes back")
				}

				require.NoError(t, e.srv.SetQuota(vtgraphtest.Quota{}))
				var last vtgraph.Progress
				r2, err := e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{
					Resume: r, PivotOptions: vtgraph.PivotOptions{Concurrency: conc, Progress: func(p vtgraph.Progress) { last = p }},
				}})
				require.NoError(t, err)
				assert.True(t, r2.Done())
				assert.Equal(t, vtgraph.Progress{Done: r2.Requests}, last, "nothing pending at the end")
				assertGraphGolden(t, "expand_two_levels.golden.json", []byte(sentJSON(t, g)))
				assert.Len(t, e.answered(), demoExpansionRequests, "every request answered, across both calls")
				repeated := 0
				for _, n := range e.answered() {
					repeated += n - 1
				}
				if tt.cancel {
					// The server may have answered requests cancelled in
					// flight, which the expansion never got.
					assert.LessOrEqual(t, repeated, conc)
				} else {
					assert.Zero(t, repeated, "nothing answered was fetched again")
				}
			})
		}
	}
}

// TestExpandSharesTheCache checks that calls sharing a cache send nothing
// twice: a one-level expansion, then a two-level one, then the same again.
func TestExpandSharesTheCache(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	cache := new(vtgraph.PivotCache)
	g := seedGraph(demoDomain)
	r, err := e.c.Expand(t.Context(), g, vtgraphtest.DemoDomain, &vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{Cache: cache}})
	require.NoError(t, err)
	first := e.srv.RequestCounts()
	assert.Equal(t, map[string]int{
		"GET /domains/{domain}":                1, // which of 20 relationships hold anything
		"GET /domains/{domain}/{relationship}": 5, // the five that do
	}, first)
	assert.Equal(t, 6, r.Requests)

	from := []string{vtgraphtest.DemoDomain}
	r, err = e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: 2, From: from, ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{Cache: cache}}})
	require.NoError(t, err)
	// All it needs but the domain's lookup; the pages the first call
	// fetched, it has, and does not need.
	assert.Equal(t, demoExpansionRequests-1, r.Requests)
	assert.Equal(t, 6+demoExpansionRequests-1, e.total())
	assertGraphGolden(t, "expand_two_levels.golden.json", []byte(sentJSON(t, g)))

	again := seedGraph(demoDomain)
	r, err = e.c.ExpandGraph(t.Context(), again, &vtgraph.ExpandGraphOptions{Depth: 2, From: from, ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{Cache: cache}}})
	require.NoError(t, err)
	assert.Zero(t, r.Requests)
	assert.Equal(t, sentJSON(t, g), sentJSON(t, again))
	e.requireNoRepeats(t)
}

// TestExpandSelfLinksAndCycles expands a universe where a domain is its
// own sibling and two domains are each other's: no node links to itself,
// each is expanded once, and the cycle closes with a link back.
func TestExpandSelfLinksAndCycles(t *testing.T) {
	t.Parallel()
	u := vtgraphtest.NewUniverse()
	require.NoError(t, u.Add(vtgraphtest.Entity{Type: "domain", ID: "a.example", Relationships: map[string][]vtgraphtest.Ref{
		"siblings": {{Type: "domain", ID: "a.example"}, {Type: "domain", ID: "b.example"}},
	}}))
	require.NoError(t, u.Add(vtgraphtest.Entity{Type: "domain", ID: "b.example", Relationships: map[string][]vtgraphtest.Ref{
		"resolutions": {{Type: "ip_address", ID: "192.0.2.1"}},
	}}))
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil, vtgraphtest.WithUniverse(u))
	g := seedGraph(vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: "a.example"})
	r, err := e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: 5})
	require.NoError(t, err)
	require.NoError(t, g.Validate())
	for _, l := range g.Links {
		assert.NotEqual(t, l.Source, l.Target)
	}
	for _, n := range g.Related("a.example") {
		assert.NotEqual(t, "a.example", n.Node.EntityID, "a.example is not linked to itself")
	}
	assert.Equal(t, []string{"a.example", "b.example", "192.0.2.1"}, entityNodes(g))
	var back bool
	for _, n := range g.Related("b.example") {
		back = back || n.Node.EntityID == "a.example"
	}
	assert.True(t, back, "the cycle closes: b.example links back to a.example")
	expanded := map[string]int{}
	for _, x := range r.Expanded {
		expanded[x.Node+" "+string(x.Relationship)]++
	}
	assert.Equal(t, map[string]int{
		"a.example siblings": 1, "b.example resolutions": 1, "b.example siblings": 1, "192.0.2.1 resolutions": 1,
	}, expanded)
	assert.Equal(t, 1, r.Expanded[0].Linked, "a.example's self link is not counted")
	e.requireNoRepeats(t)
}

// TestExpandPaging takes more related objects than a page holds: pages of
// 40 and then of what is left, and no more.
func TestExpandPaging(t *testing.T) {
	t.Parallel()
	var refs []vtgraphtest.Ref
	for i := range 50 {
		refs = append(refs, vtgraphtest.Ref{Type: "domain", ID: fmt.Sprintf("d%02d.example", i)})
	}
	u := vtgraphtest.NewUniverse()
	require.NoError(t, u.Add(vtgraphtest.Entity{Type: "ip_address", ID: "192.0.2.1", Relationships: map[string][]vtgraphtest.Ref{"resolutions": refs}}))
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil, vtgraphtest.WithUniverse(u))
	g := seedGraph(vtgraph.EntityRef{Type: vtgraph.NodeTypeIPAddress, ID: "192.0.2.1"})
	r, err := e.c.Expand(t.Context(), g, "192.0.2.1", &vtgraph.ExpandOptions{
		Relationships: []vtgraph.Relationship{vtgraph.IPAddressResolutions}, MaxPerRelationship: 45,
	})
	require.NoError(t, err)
	assert.Equal(t, []vtgraph.Expansion{{Node: "192.0.2.1", Relationship: vtgraph.IPAddressResolutions, Added: 45, Linked: 45, More: true}}, r.Expanded)
	reqs := e.srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "limit=40", reqs[0].RawQuery)
	assert.Regexp(t, `^limit=5&cursor=[^&]+$`, reqs[1].RawQuery)
	assert.Equal(t, 2, r.Requests)
}

// TestExpandSkips checks what an expansion cannot expand: premium
// relationships without a premium key (asked for once, then left out),
// and entities VirusTotal does not know.
func TestExpandSkips(t *testing.T) {
	t.Parallel()
	t.Run("premium", func(t *testing.T) {
		t.Parallel()
		e := newPivotEnv(t, vtgraphtest.CarolKey, nil)
		g, r, err := expandDemo(t, e, vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{PivotOptions: vtgraph.PivotOptions{Concurrency: 1}}})
		require.NoError(t, err)
		require.NoError(t, g.Validate())
		forbidden := 0
		for _, req := range e.srv.Requests() {
			if req.Status == http.StatusForbidden {
				forbidden++
			}
		}
		assert.Equal(t, 1, forbidden, "one lookup learns the key has no premium access")
		var urls *vtgraph.Skip
		for i, s := range r.Skipped {
			var pe *vtgraph.PremiumError
			require.ErrorAs(t, s.Err, &pe, "%+v", s)
			assert.ErrorIs(t, s.Err, vtgraph.ErrForbidden)
			assert.Empty(t, s.Node, "a premium relationship is skipped for every node of the type")
			if s.Type == vtgraph.NodeTypeDomain && s.Relationship == vtgraph.DomainURLs {
				urls = &r.Skipped[i]
			}
		}
		require.NotNil(t, urls)
		assert.Nil(t, g.Node(vtgraph.RelationshipNodeID(string(vtgraph.DomainURLs), vtgraphtest.DemoDomain)))
		e.requireNoRepeats(t)
	})
	t.Run("unknown entity", func(t *testing.T) {
		t.Parallel()
		e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
		g := seedGraph(vtgraph.EntityRef{Type: vtgraph.NodeTypeDomain, ID: "nowhere.example"}, demoDropper)
		r, err := e.c.ExpandGraph(t.Context(), g, nil)
		require.NoError(t, err)
		require.Len(t, r.Skipped, 1)
		assert.Equal(t, "nowhere.example", r.Skipped[0].Node)
		assert.ErrorIs(t, r.Skipped[0].Err, vtgraph.ErrNotFound)
		assert.NotEmpty(t, r.Expanded, "the dropper is expanded all the same")
	})
	t.Run("relationship the type lacks", func(t *testing.T) {
		t.Parallel()
		e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
		g := seedGraph(demoDomain)
		r, err := e.c.Expand(t.Context(), g, vtgraphtest.DemoDomain, &vtgraph.ExpandOptions{
			Relationships: []vtgraph.Relationship{"added_later", vtgraph.DomainSubdomains},
		})
		require.NoError(t, err)
		require.Len(t, r.Skipped, 1)
		assert.Equal(t, vtgraph.Relationship("added_later"), r.Skipped[0].Relationship)
		assert.ErrorIs(t, r.Skipped[0].Err, vtgraph.ErrInvalidArgument)
		assert.Len(t, r.Expanded, 1)
	})
}

// TestExpandFindsNodesByTheirOtherIDs expands from a file node named by
// its MD5: what its relationships lead back to is linked to it, not added
// under the SHA-256.
func TestExpandFindsNodesByTheirOtherIDs(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	g := seedGraph(vtgraph.EntityRef{Type: vtgraph.NodeTypeFile, ID: vtgraphtest.DemoDropperMD5})
	_, err := e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: 2})
	require.NoError(t, err)
	assert.Nil(t, g.Node(vtgraphtest.DemoDropper), "the dropper is its MD5 node")
	require.NoError(t, g.Validate())
}

// TestExpandRejectsBadOptions checks the options before sending anything.
func TestExpandRejectsBadOptions(t *testing.T) {
	t.Parallel()
	e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
	g := seedGraph(demoDomain)
	g.AddNode("Victim Corp", vtgraph.NodeTypeVictim)
	done, err := e.c.ExpandGraph(t.Context(), seedGraph(demoDomain), nil)
	require.NoError(t, err)
	tests := []struct {
		name  string
		call  func() (*vtgraph.ExpandReport, error)
		paths []string
	}{
		{"limits", func() (*vtgraph.ExpandReport, error) {
			return e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: -1, ExpandOptions: vtgraph.ExpandOptions{
				MaxPerRelationship: -1, MaxNodes: -2, PivotOptions: vtgraph.PivotOptions{MaxRequests: -1, Concurrency: vtgraph.MaxConcurrency + 1},
			}})
		}, []string{"max_requests", "concurrency", "max_nodes", "max_per_relationship", "depth"}},
		{"nodes", func() (*vtgraph.ExpandReport, error) {
			return e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{From: []string{"nowhere.example", "Victim Corp", ""}})
		}, []string{"from[0]", "from[1]", "from[2]"}},
		{"one node", func() (*vtgraph.ExpandReport, error) { return e.c.Expand(t.Context(), g, "Victim Corp", nil) }, []string{"node"}},
		{"relationships", func() (*vtgraph.ExpandReport, error) {
			return e.c.Expand(t.Context(), g, vtgraphtest.DemoDomain, &vtgraph.ExpandOptions{Relationships: []vtgraph.Relationship{"Bad Name", "subdomains", "subdomains"}})
		}, []string{"relationships[0]", "relationships[2]"}},
		{"resume with a shape", func() (*vtgraph.ExpandReport, error) {
			return e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{Depth: 3, ExpandOptions: vtgraph.ExpandOptions{Resume: done, PivotOptions: vtgraph.PivotOptions{Cache: new(vtgraph.PivotCache)}}})
		}, []string{"cache", "resume"}},
		{"resume something else", func() (*vtgraph.ExpandReport, error) {
			return e.c.ExpandGraph(t.Context(), g, &vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{Resume: &vtgraph.ExpandReport{}}})
		}, []string{"resume"}},
		{"no graph", func() (*vtgraph.ExpandReport, error) { return e.c.ExpandGraph(t.Context(), nil, nil) }, []string{"graph"}},
	}
	before := e.total()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.call()
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
	assert.Equal(t, before, e.total(), "nothing was sent")
}

// TestExpandStopsOnOtherErrors checks that an error VirusTotal may not
// give another time stops the expansion, wrapped, and that so does a 400
// to a lookup, which asks only for relationships the type has.
func TestExpandStopsOnOtherErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault vtgraphtest.Fault
		is    error
		first bool // the first level is in the graph
	}{
		{vtgraphtest.Fault{Route: "GET /ip_addresses/{ip}", Status: http.StatusServiceUnavailable}, vtgraph.ErrTransient, true},
		{vtgraphtest.Fault{Route: "GET /domains/{domain}", Status: http.StatusBadRequest, Code: "InvalidArgumentError"}, vtgraph.ErrInvalidArgument, false},
	}
	for _, tt := range tests {
		t.Run(tt.fault.Route, func(t *testing.T) {
			t.Parallel()
			e := newPivotEnv(t, vtgraphtest.AliceKey, nil)
			e.srv.AddFault(tt.fault)
			g, r, err := expandDemo(t, e, vtgraph.ExpandGraphOptions{})
			var apiErr *vtgraph.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.ErrorIs(t, err, tt.is)
			assert.False(t, r.Done())
			assert.Equal(t, tt.first, g.Node("192.0.2.10") != nil)
			assert.False(t, errors.Is(err, context.Canceled))
		})
	}
}
