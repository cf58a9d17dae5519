package vtgraph_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// mergeBase is the graph both sides of most merge cases loaded: a domain
// resolving to an address through a relationship node, and a file linked to
// the domain by hand.
func mergeBase(t *testing.T) *vtgraph.Graph {
	return sketch(t, "hooli.com:domain rel:relationship 8.8.8.8:ip_address f1:file",
		"hooli.com>rel:resolutions", "rel>8.8.8.8:resolutions", "f1>hooli.com:manual")
}

// without removes nodes and every link touching them, as a user deleting
// them in the UI does.
func without(g *vtgraph.Graph, ids ...string) {
	g.Nodes = slices.DeleteFunc(g.Nodes, func(n vtgraph.Node) bool { return slices.Contains(ids, n.EntityID) })
	g.Links = slices.DeleteFunc(g.Links, func(l vtgraph.Link) bool {
		return slices.Contains(ids, l.Source) || slices.Contains(ids, l.Target)
	})
}

// link appends links in the sketch form.
func link(t *testing.T, g *vtgraph.Graph, links ...string) {
	for _, l := range links {
		g.Links = append(g.Links, parseLink(t, l))
	}
}

// unlink removes the first copy of a link in the sketch form.
func unlink(t *testing.T, g *vtgraph.Graph, l string) {
	want := parseLink(t, l)
	i := slices.IndexFunc(g.Links, func(l vtgraph.Link) bool {
		return l.Source == want.Source && l.Target == want.Target && l.ConnectionType == want.ConnectionType
	})
	require.GreaterOrEqual(t, i, 0, "no link %s", l)
	g.Links = slices.Delete(g.Links, i, i+1)
}

func conflictStrings(cs []vtgraph.Conflict) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

func TestMergeGraphs(t *testing.T) {
	t.Parallel()
	baseLinks := []string{"hooli.com>rel:resolutions", "rel>8.8.8.8:resolutions", "f1>hooli.com:manual"}
	tests := []struct {
		name          string
		base          func(t *testing.T) *vtgraph.Graph // mergeBase when nil
		local, remote func(t *testing.T, g *vtgraph.Graph)
		nodes         []string // nil: the base's
		links         []string // nil: the base's
		conflicts     []string
		check         func(t *testing.T, m *vtgraph.Graph)
		// remoteOrder says the merge keeps an order of remote's, so that
		// swapping the sides changes the order of some values.
		remoteOrder bool
	}{
		{
			name: "additions on both sides",
			local: func(t *testing.T, g *vtgraph.Graph) {
				g.AddNode("8.8.4.4", vtgraph.NodeTypeIPAddress)
				link(t, g, "rel>8.8.4.4:resolutions")
			},
			remote: func(t *testing.T, g *vtgraph.Graph) {
				g.AddNode("evil.example", vtgraph.NodeTypeDomain)
				link(t, g, "f1>evil.example:manual")
			},
			nodes: []string{"hooli.com", "rel", "8.8.8.8", "f1", "evil.example", "8.8.4.4"},
			links: append(slices.Clone(baseLinks), "f1>evil.example:manual", "rel>8.8.4.4:resolutions"),
			check: func(t *testing.T, m *vtgraph.Graph) {
				assert.Equal(t, 4, m.Node("evil.example").Index, "remote's nodes keep their indexes")
				assert.Equal(t, 5, m.Node("8.8.4.4").Index, "local's new nodes come after them")
			},
		},
		{
			name:   "a node relabelled on one side and moved on the other keeps both",
			local:  func(_ *testing.T, g *vtgraph.Graph) { g.Node("hooli.com").Text = "root" },
			remote: func(_ *testing.T, g *vtgraph.Graph) { g.Node("hooli.com").Pin(50, 60) },
			check: func(t *testing.T, m *vtgraph.Graph) {
				n := m.Node("hooli.com")
				assert.Equal(t, "root", n.Text)
				assert.Equal(t, [2]float64{50, 60}, [2]float64{n.X, n.Y})
				require.NotNil(t, n.FX)
				assert.Equal(t, 50.0, *n.FX)
			},
		},
		{
			name:      "a conflict on one node's label",
			local:     func(_ *testing.T, g *vtgraph.Graph) { g.Node("hooli.com").Text = "C2" },
			remote:    func(_ *testing.T, g *vtgraph.Graph) { g.Node("hooli.com").Text = "sinkhole" },
			conflicts: []string{`node hooli.com text: changed on both sides (base "", local "C2", remote "sinkhole"); unresolved`},
			check: func(t *testing.T, m *vtgraph.Graph) {
				assert.Equal(t, "sinkhole", m.Node("hooli.com").Text, "an unresolved value is remote's")
			},
		},
		{
			name:   "the same label on both sides is no conflict",
			local:  func(_ *testing.T, g *vtgraph.Graph) { g.Node("hooli.com").Text = "C2" },
			remote: func(_ *testing.T, g *vtgraph.Graph) { g.Node("hooli.com").Text = "C2" },
			check:  func(t *testing.T, m *vtgraph.Graph) { assert.Equal(t, "C2", m.Node("hooli.com").Text) },
		},
		{
			name:      "a node moved on both sides goes where local put it",
			local:     func(_ *testing.T, g *vtgraph.Graph) { g.Node("hooli.com").X = 1 },
			remote:    func(_ *testing.T, g *vtgraph.Graph) { g.Node("hooli.com").X = 2 },
			conflicts: []string{`node hooli.com: moved on both sides (base {"x":0,"y":0}, local {"x":1,"y":0}, remote {"x":2,"y":0}); local wins`},
			check:     func(t *testing.T, m *vtgraph.Graph) { assert.Equal(t, 1.0, m.Node("hooli.com").X) },
		},
		{
			name: "entity attributes and Extra keys merge key by key",
			local: func(_ *testing.T, g *vtgraph.Graph) {
				n := g.Node("8.8.8.8")
				n.Attributes["country"] = json.RawMessage(`"US"`)
				n.Extra = map[string]json.RawMessage{"color": json.RawMessage(`"red"`)}
			},
			remote: func(_ *testing.T, g *vtgraph.Graph) {
				g.Node("8.8.8.8").Attributes["has_detections"] = json.RawMessage(`3`)
				g.Links[1].Extra = map[string]json.RawMessage{"weight": json.RawMessage(`2`)}
			},
			check: func(t *testing.T, m *vtgraph.Graph) {
				n := m.Node("8.8.8.8")
				assert.Equal(t, vtgraph.EntityAttributes{"country": json.RawMessage(`"US"`), "has_detections": json.RawMessage(`3`)}, n.Attributes)
				assert.Equal(t, `"red"`, string(n.Extra["color"]))
				assert.Equal(t, `2`, string(m.Links[1].Extra["weight"]))
			},
		},
		{
			name:      "a node removed locally and changed remotely stays",
			local:     func(_ *testing.T, g *vtgraph.Graph) { without(g, "f1") },
			remote:    func(_ *testing.T, g *vtgraph.Graph) { g.Node("f1").Text = "dropper" },
			links:     baseLinks[:2],
			conflicts: []string{"node f1: removed locally, changed remotely; unresolved"},
			check:     func(t *testing.T, m *vtgraph.Graph) { assert.Equal(t, "dropper", m.Node("f1").Text) },
		},
		{
			name:      "a node changed locally and removed remotely goes",
			local:     func(_ *testing.T, g *vtgraph.Graph) { g.Node("f1").Text = "dropper" },
			remote:    func(_ *testing.T, g *vtgraph.Graph) { without(g, "f1") },
			nodes:     []string{"hooli.com", "rel", "8.8.8.8"},
			links:     baseLinks[:2],
			conflicts: []string{"node f1: changed locally, removed remotely; unresolved"},
		},
		{
			name:      "a node removed on one side and moved on the other goes",
			local:     func(_ *testing.T, g *vtgraph.Graph) { without(g, "f1") },
			remote:    func(_ *testing.T, g *vtgraph.Graph) { g.Node("f1").X = 99 },
			nodes:     []string{"hooli.com", "rel", "8.8.8.8"},
			links:     baseLinks[:2],
			conflicts: []string{"node f1: removed locally, moved remotely; local wins"},
		},
		{
			name:  "one source leaves a shared relationship node while another joins",
			base:  func(t *testing.T) *vtgraph.Graph { return sharedRelationship(t) },
			local: func(_ *testing.T, g *vtgraph.Graph) { without(g, "f1") },
			remote: func(t *testing.T, g *vtgraph.Graph) {
				g.AddNode("f6", vtgraph.NodeTypeFile)
				link(t, g, "f6>rel:contacted_ips")
			},
			nodes: []string{"f2", "f3", "f4", "f5", "rel", "8.8.8.8", "f6"},
			links: []string{"f2>rel:contacted_ips", "f3>rel:contacted_ips", "f4>rel:contacted_ips", "f5>rel:contacted_ips",
				"rel>8.8.8.8:contacted_ips", "f6>rel:contacted_ips"},
		},
		{
			name: "sources of a shared relationship node leave on both sides",
			base: func(t *testing.T) *vtgraph.Graph { return sharedRelationship(t) },
			local: func(t *testing.T, g *vtgraph.Graph) {
				without(g, "f1")
				unlink(t, g, "f2>rel:contacted_ips")
			},
			remote: func(_ *testing.T, g *vtgraph.Graph) { without(g, "f3") },
			nodes:  []string{"f2", "f4", "f5", "rel", "8.8.8.8"},
			links:  []string{"f4>rel:contacted_ips", "f5>rel:contacted_ips", "rel>8.8.8.8:contacted_ips"},
		},
		{
			name: "the last sources of a relationship node leave, one on each side",
			base: func(t *testing.T) *vtgraph.Graph {
				return sketch(t, "f1:file f2:file rel:relationship 8.8.8.8:ip_address",
					"f1>rel:contacted_ips", "f2>rel:contacted_ips", "rel>8.8.8.8:contacted_ips")
			},
			local:  func(_ *testing.T, g *vtgraph.Graph) { without(g, "f1") },
			remote: func(_ *testing.T, g *vtgraph.Graph) { without(g, "f2") },
			nodes:  []string{"8.8.8.8"},
			links:  []string{},
		},
		{
			name: "a relationship node cut off that a side changed is left for the caller",
			base: func(t *testing.T) *vtgraph.Graph {
				return sketch(t, "f1:file f2:file rel:relationship 8.8.8.8:ip_address",
					"f1>rel:contacted_ips", "f2>rel:contacted_ips", "rel>8.8.8.8:contacted_ips")
			},
			local: func(_ *testing.T, g *vtgraph.Graph) { without(g, "f1") },
			remote: func(_ *testing.T, g *vtgraph.Graph) {
				without(g, "f2")
				g.Node("rel").Text = "C2 traffic"
			},
			nodes:     []string{"rel", "8.8.8.8"},
			links:     []string{"rel>8.8.8.8:contacted_ips"},
			conflicts: []string{"node rel: cut off by the removals of both sides; unresolved"},
		},
		{
			name: "repeated links: a copy removed here and one added there",
			base: func(t *testing.T) *vtgraph.Graph {
				return sketch(t, "a.example:domain b.example:domain", "a.example>b.example:manual", "a.example>b.example:manual")
			},
			local:  func(t *testing.T, g *vtgraph.Graph) { unlink(t, g, "a.example>b.example:manual") },
			remote: func(t *testing.T, g *vtgraph.Graph) { link(t, g, "a.example>b.example:manual") },
			nodes:  []string{"a.example", "b.example"},
			links:  []string{"a.example>b.example:manual", "a.example>b.example:manual"},
		},
		{
			name: "repeated links: the same copy drawn on both sides counts once",
			base: func(t *testing.T) *vtgraph.Graph {
				return sketch(t, "a.example:domain b.example:domain", "a.example>b.example:manual", "a.example>b.example:manual")
			},
			local: func(t *testing.T, g *vtgraph.Graph) { link(t, g, "a.example>b.example:manual") },
			remote: func(t *testing.T, g *vtgraph.Graph) {
				link(t, g, "a.example>b.example:manual", "a.example>b.example:manual")
			},
			nodes: []string{"a.example", "b.example"},
			links: []string{"a.example>b.example:manual", "a.example>b.example:manual", "a.example>b.example:manual", "a.example>b.example:manual"},
		},
		{
			name: "repeated links: the same copy erased on both sides counts once",
			base: func(t *testing.T) *vtgraph.Graph {
				return sketch(t, "a.example:domain b.example:domain", "a.example>b.example:manual", "a.example>b.example:manual")
			},
			local:  func(t *testing.T, g *vtgraph.Graph) { unlink(t, g, "a.example>b.example:manual") },
			remote: func(t *testing.T, g *vtgraph.Graph) { unlink(t, g, "a.example>b.example:manual") },
			nodes:  []string{"a.example", "b.example"},
			links:  []string{"a.example>b.example:manual"},
		},
		{
			name:      "a link added locally to a node removed remotely is left out",
			local:     func(t *testing.T, g *vtgraph.Graph) { link(t, g, "f1>8.8.8.8:manual") },
			remote:    func(_ *testing.T, g *vtgraph.Graph) { without(g, "f1") },
			nodes:     []string{"hooli.com", "rel", "8.8.8.8"},
			links:     baseLinks[:2],
			conflicts: []string{"link f1 -> 8.8.8.8 (manual): added locally to a node removed remotely; unresolved"},
		},
		{
			name:      "a link added remotely brings back a node removed locally",
			local:     func(_ *testing.T, g *vtgraph.Graph) { without(g, "f1") },
			remote:    func(t *testing.T, g *vtgraph.Graph) { link(t, g, "f1>8.8.8.8:manual") },
			links:     []string{"hooli.com>rel:resolutions", "rel>8.8.8.8:resolutions", "f1>8.8.8.8:manual"},
			conflicts: []string{"link f1 -> 8.8.8.8 (manual): added remotely to a node removed locally; unresolved"},
		},
		{
			name: "a group's members merge as a set",
			base: func(t *testing.T) *vtgraph.Graph {
				g := sketch(t, "a.example:domain b.example:domain c.example:domain grp:relationship", "grp>a.example:group")
				g.Node("grp").Attributes["relationship_type"] = json.RawMessage(`"group"`)
				g.Node("grp").Attributes["grouped_node_ids"] = json.RawMessage(`["a.example"]`)
				return g
			},
			local: func(t *testing.T, g *vtgraph.Graph) {
				g.Node("grp").Attributes["grouped_node_ids"] = json.RawMessage(`["a.example","b.example"]`)
				link(t, g, "grp>b.example:group")
			},
			remote: func(t *testing.T, g *vtgraph.Graph) {
				g.Node("grp").Attributes["grouped_node_ids"] = json.RawMessage(`["c.example","a.example"]`)
				link(t, g, "grp>c.example:group")
			},
			links:       []string{"grp>a.example:group", "grp>c.example:group", "grp>b.example:group"},
			remoteOrder: true,
			check: func(t *testing.T, m *vtgraph.Graph) {
				assert.Equal(t, `["c.example","a.example","b.example"]`, string(m.Node("grp").Attributes["grouped_node_ids"]))
			},
		},
		{
			name: "graph attributes merge, and the other side's Extra survive",
			local: func(_ *testing.T, g *vtgraph.Graph) {
				g.Description = "Hooli, renamed"
				g.Extra = map[string]json.RawMessage{"position": json.RawMessage(`{"x":1}`)}
			},
			remote: func(_ *testing.T, g *vtgraph.Graph) {
				g.Private = true
				g.GraphDataExtra = map[string]json.RawMessage{"theme": json.RawMessage(`"dark"`)}
				g.ObjectExtra = map[string]json.RawMessage{"links": json.RawMessage(`{"self":"x"}`)}
			},
			check: func(t *testing.T, m *vtgraph.Graph) {
				assert.Equal(t, "Hooli, renamed", m.Description)
				assert.True(t, m.Private)
				assert.Equal(t, `{"x":1}`, string(m.Extra["position"]))
				assert.Equal(t, `"dark"`, string(m.GraphDataExtra["theme"]))
				assert.Equal(t, `{"self":"x"}`, string(m.ObjectExtra["links"]))
			},
		},
		{
			name:      "a conflict on the name",
			local:     func(_ *testing.T, g *vtgraph.Graph) { g.Description = "A" },
			remote:    func(_ *testing.T, g *vtgraph.Graph) { g.Description = "B" },
			conflicts: []string{`graph graph_data.description: changed on both sides (base "case", local "A", remote "B"); unresolved`},
		},
		{
			name: "a node added on both sides merges its attributes",
			local: func(_ *testing.T, g *vtgraph.Graph) {
				g.AddNode("8.8.4.4", vtgraph.NodeTypeIPAddress).Text = "dns"
			},
			remote: func(_ *testing.T, g *vtgraph.Graph) {
				g.AddNode("8.8.4.4", vtgraph.NodeTypeIPAddress).Attributes["country"] = json.RawMessage(`"US"`)
			},
			nodes: []string{"hooli.com", "rel", "8.8.8.8", "f1", "8.8.4.4"},
			check: func(t *testing.T, m *vtgraph.Graph) {
				n := m.Node("8.8.4.4")
				assert.Equal(t, "dns", n.Text)
				assert.Equal(t, `"US"`, string(n.Attributes["country"]))
			},
		},
		{
			name:      "a node added on both sides with different types",
			local:     func(_ *testing.T, g *vtgraph.Graph) { g.AddNode("x", vtgraph.NodeTypeDomain) },
			remote:    func(_ *testing.T, g *vtgraph.Graph) { g.AddNode("x", vtgraph.NodeTypeURL) },
			nodes:     []string{"hooli.com", "rel", "8.8.8.8", "f1", "x"},
			conflicts: []string{`node x type: changed on both sides (base "", local "domain", remote "url"); unresolved`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			newBase := tt.base
			if newBase == nil {
				newBase = mergeBase
			}
			base := newBase(t)
			local, remote := base.Clone(), base.Clone()
			tt.local(t, local)
			tt.remote(t, remote)
			merged, conflicts := vtgraph.MergeGraphs(base, local, remote)
			wantNodes, wantLinks := tt.nodes, tt.links
			if wantNodes == nil {
				wantNodes = nodeIDs(base)
			}
			if wantLinks == nil {
				wantLinks = linkStrings(base)
			}
			assert.Equal(t, wantNodes, nodeIDs(merged), "nodes")
			assert.Equal(t, wantLinks, linkStrings(merged), "links")
			want := tt.conflicts
			if want == nil {
				want = []string{}
			}
			assert.Equal(t, want, conflictStrings(conflicts), "conflicts")
			if tt.check != nil {
				tt.check(t, merged)
			}

			// Swapping the sides gives the same graph where nothing
			// conflicts.
			if len(conflicts) == 0 && !tt.remoteOrder {
				swapped, again := vtgraph.MergeGraphs(base, remote, local)
				assert.Empty(t, again)
				assert.ElementsMatch(t, nodeIDs(merged), nodeIDs(swapped))
				assert.ElementsMatch(t, linkStrings(merged), linkStrings(swapped))
				d := vtgraph.DiffGraphs(merged, swapped)
				assert.True(t, d.Empty(), "the same graph, in another order: %s", d)
			}
		})
	}
}

func TestMergeGraphsLeavesItsInputsAlone(t *testing.T) {
	t.Parallel()
	base := mergeBase(t)
	base.Node("8.8.8.8").Attributes["country"] = json.RawMessage(`"US"`)
	base.Node("hooli.com").Pin(1, 2)
	local, remote := base.Clone(), base.Clone()
	local.Node("8.8.8.8").Text = "dns"
	remote.Extra = map[string]json.RawMessage{"position": json.RawMessage(`{"x":1}`)}
	snapshot := func() [3][]byte {
		var out [3][]byte
		for i, g := range []*vtgraph.Graph{base, local, remote} {
			b, err := json.Marshal(g)
			require.NoError(t, err)
			out[i] = b
		}
		return out
	}
	before := snapshot()

	merged, conflicts := vtgraph.MergeGraphs(base, local, remote)
	require.Empty(t, conflicts)
	n := merged.Node("8.8.8.8")
	n.Attributes["country"] = json.RawMessage(`"GB"`)
	*merged.Node("hooli.com").FX = 50
	merged.Extra["position"] = json.RawMessage(`{"x":2}`)
	merged.Links[0].Target = "elsewhere"
	assert.Equal(t, before, snapshot(), "editing the merge changes no input")
}

func TestMergeGraphsTakesRemoteIdentity(t *testing.T) {
	t.Parallel()
	base := mergeBase(t)
	local, remote := base.Clone(), base.Clone()
	remote.ID = "g0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	remote.LastModifiedDate = time.Unix(1_700_000_000, 0)
	remote.ViewsCount = 12
	local.ID, local.LastModifiedDate = "gother", time.Unix(1, 0)
	merged, _ := vtgraph.MergeGraphs(base, local, remote)
	assert.Equal(t, remote.ID, merged.ID)
	assert.Equal(t, remote.LastModifiedDate, merged.LastModifiedDate, "saving the merge checks against remote")
	assert.Equal(t, int64(12), merged.ViewsCount)
}

func TestMergeGraphsNil(t *testing.T) {
	t.Parallel()
	local := sketch(t, "a.example:domain b.example:domain", "a.example>b.example:manual")
	remote := sketch(t, "c.example:domain")
	merged, conflicts := vtgraph.MergeGraphs(nil, local, remote)
	assert.Empty(t, conflicts)
	assert.Equal(t, []string{"c.example", "a.example", "b.example"}, nodeIDs(merged), "without a base, everything is added")
	assert.Equal(t, []string{"a.example>b.example:manual"}, linkStrings(merged))
	merged, _ = vtgraph.MergeGraphs(nil, nil, nil)
	assert.Empty(t, merged.Nodes)
}

func TestConflictJSON(t *testing.T) {
	t.Parallel()
	base := mergeBase(t)
	local, remote := base.Clone(), base.Clone()
	local.Node("hooli.com").Text = "C2"
	remote.Node("hooli.com").Text = "sinkhole"
	link(t, local, "f1>8.8.8.8:manual")
	without(remote, "f1")
	_, conflicts := vtgraph.MergeGraphs(base, local, remote)
	raw, err := json.Marshal(conflicts)
	require.NoError(t, err)
	assert.JSONEq(t, `[
		{"kind":"both_changed","resolution":"unresolved","entity_id":"hooli.com","path":"text","base":"","local":"C2","remote":"sinkhole"},
		{"kind":"link_to_removed","resolution":"unresolved","link":{"source":"f1","target":"8.8.8.8","connection_type":"manual"},"base":0,"local":1,"remote":0}
	]`, string(raw))
}
