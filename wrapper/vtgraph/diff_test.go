package vtgraph_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// sketch builds a graph for the diff and merge tables: nodes as
// space-separated "id:type" at the builder's positions, and links as
// "source>target:connection type", repeated ones kept. Relationship nodes
// are plain nodes here, so that a table can share one between sources.
func sketch(t testing.TB, nodes string, links ...string) *vtgraph.Graph {
	t.Helper()
	g := vtgraph.NewGraph("case")
	for _, n := range strings.Fields(nodes) {
		id, typ, ok := strings.Cut(n, ":")
		require.True(t, ok, "node %q", n)
		g.AddNode(id, vtgraph.NodeType(typ))
	}
	for _, l := range links {
		g.Links = append(g.Links, parseLink(t, l))
	}
	return g
}

func parseLink(t testing.TB, s string) vtgraph.Link {
	t.Helper()
	ends, ct, ok := strings.Cut(s, ":")
	require.True(t, ok, "link %q", s)
	src, dst, ok := strings.Cut(ends, ">")
	require.True(t, ok, "link %q", s)
	return vtgraph.Link{Source: src, Target: dst, ConnectionType: ct}
}

// linkStrings lists a graph's links in the sketch form, in order.
func linkStrings(g *vtgraph.Graph) []string {
	out := []string{}
	for _, l := range g.Links {
		out = append(out, l.Source+">"+l.Target+":"+l.ConnectionType)
	}
	return out
}

// nodeIDs lists a graph's entity ids in order.
func nodeIDs(g *vtgraph.Graph) []string {
	out := []string{}
	for _, n := range g.Nodes {
		out = append(out, n.EntityID)
	}
	return out
}

// sharedRelationship is five files whose contacted_ips hops share one
// relationship node to one address, as VirusTotal saves them.
func sharedRelationship(t testing.TB) *vtgraph.Graph {
	return sketch(t, "f1:file f2:file f3:file f4:file f5:file rel:relationship 8.8.8.8:ip_address",
		"f1>rel:contacted_ips", "f2>rel:contacted_ips", "f3>rel:contacted_ips", "f4>rel:contacted_ips",
		"f5>rel:contacted_ips", "rel>8.8.8.8:contacted_ips")
}

func TestDiffGraphs(t *testing.T) {
	t.Parallel()
	base := func(t *testing.T) *vtgraph.Graph {
		g := sketch(t, "hooli.com:domain rel:relationship 8.8.8.8:ip_address",
			"hooli.com>rel:resolutions", "rel>8.8.8.8:resolutions")
		g.Node("8.8.8.8").Attributes["country"] = json.RawMessage(`"US"`)
		return g
	}
	tests := []struct {
		name string
		a    func(t *testing.T) *vtgraph.Graph
		edit func(g *vtgraph.Graph)
		want string
	}{
		{name: "identical", a: base, edit: func(*vtgraph.Graph) {}},
		{
			name: "a moved node is not a changed one",
			a:    base,
			edit: func(g *vtgraph.Graph) { g.Node("8.8.8.8").Pin(10, 20.5) },
			want: "> node 8.8.8.8 (240, 0) -> (10, 20.5) pinned\n",
		},
		{
			name: "a relabelled node is changed, not moved",
			a:    base,
			edit: func(g *vtgraph.Graph) { g.Node("hooli.com").Text = "root" },
			want: `~ node hooli.com text: "" -> "root"` + "\n",
		},
		{
			name: "moved and changed",
			a:    base,
			edit: func(g *vtgraph.Graph) {
				n := g.Node("hooli.com")
				n.Text, n.X = "root", -5
				n.FX = new(float64)
			},
			want: `~ node hooli.com text: "" -> "root"` + "\n" +
				"> node hooli.com (0, 0) -> (-5, 0) pinned at (0, -)\n",
		},
		{
			name: "type, entity attributes and Extra keys",
			a:    base,
			edit: func(g *vtgraph.Graph) {
				n := g.Node("8.8.8.8")
				n.Type = vtgraph.NodeTypeCustom
				n.Attributes["custom_type"] = json.RawMessage(`"resolver"`)
				delete(n.Attributes, "country")
				n.Extra = map[string]json.RawMessage{"color": json.RawMessage(`"red"`)}
			},
			want: `~ node 8.8.8.8 type: "ip_address" -> "custom"` + "\n" +
				`~ node 8.8.8.8 entity_attributes.country: "US" -> absent` + "\n" +
				`~ node 8.8.8.8 entity_attributes.custom_type: absent -> "resolver"` + "\n" +
				`~ node 8.8.8.8 color: absent -> "red"` + "\n",
		},
		{
			name: "whitespace in a raw value is no change",
			a:    base,
			edit: func(g *vtgraph.Graph) { g.Node("8.8.8.8").Attributes["country"] = json.RawMessage(` "US" `) },
		},
		{
			name: "added and removed nodes and their links",
			a:    base,
			edit: func(g *vtgraph.Graph) {
				g.Links = g.Links[:1]
				g.Nodes = g.Nodes[:2]
				g.AddNode("8.8.4.4", vtgraph.NodeTypeIPAddress).Text = "dns"
				g.Links = append(g.Links, vtgraph.Link{Source: "rel", Target: "8.8.4.4", ConnectionType: "resolutions"})
			},
			want: `+ node 8.8.4.4 (ip_address) "dns"` + "\n" +
				"- node 8.8.8.8 (ip_address)\n" +
				"+ link rel -> 8.8.4.4 (resolutions)\n" +
				"- link rel -> 8.8.8.8 (resolutions)\n",
		},
		{
			name: "repeated links are counted",
			a: func(t *testing.T) *vtgraph.Graph {
				return sketch(t, "a.example:domain b.example:domain", "a.example>b.example:manual", "a.example>b.example:manual")
			},
			edit: func(g *vtgraph.Graph) {
				g.Links = append(g.Links[:1], vtgraph.Link{Source: "b.example", Target: "a.example", ConnectionType: "manual"},
					vtgraph.Link{Source: "b.example", Target: "a.example", ConnectionType: "manual"})
			},
			want: "+ link b.example -> a.example (manual) x2\n" +
				"- link a.example -> b.example (manual)\n",
		},
		{
			name: "one source of a shared relationship node leaves",
			a:    func(t *testing.T) *vtgraph.Graph { return sharedRelationship(t) },
			edit: func(g *vtgraph.Graph) {
				g.Nodes = g.Nodes[1:]
				g.Links = g.Links[1:]
			},
			want: "- node f1 (file)\n- link f1 -> rel (contacted_ips)\n",
		},
		{
			name: "a link's Extra keys",
			a:    base,
			edit: func(g *vtgraph.Graph) {
				g.Links[1].Extra = map[string]json.RawMessage{"weight": json.RawMessage(`2`)}
			},
			want: "~ link rel -> 8.8.8.8 (resolutions) weight: absent -> 2\n",
		},
		{
			name: "graph attributes, not the read-only ones",
			a:    base,
			edit: func(g *vtgraph.Graph) {
				g.Description, g.Version, g.Private = "renamed", "5.0.0", true
				g.GraphDataExtra = map[string]json.RawMessage{"theme": json.RawMessage(`"dark"`)}
				g.Extra = map[string]json.RawMessage{"position": json.RawMessage(`{"x":1}`), "views_count": json.RawMessage(`null`)}
				g.ViewsCount, g.CommentsCount, g.ID = 9, 3, "g1"
			},
			want: `~ graph graph_data.description: "case" -> "renamed"` + "\n" +
				`~ graph graph_data.version: "" -> "5.0.0"` + "\n" +
				`~ graph graph_data.theme: absent -> "dark"` + "\n" +
				"~ graph private: false -> true\n" +
				`~ graph position: absent -> {"x":1}` + "\n",
		},
		{
			name: "indexes are not compared",
			a:    base,
			edit: func(g *vtgraph.Graph) {
				for i := range g.Nodes {
					g.Nodes[i].Index = 10 - i
				}
			},
		},
		{
			name: "a group's members",
			a: func(t *testing.T) *vtgraph.Graph {
				g := sketch(t, "a.example:domain b.example:domain grp:relationship", "grp>a.example:group")
				g.Node("grp").Attributes["relationship_type"] = json.RawMessage(`"group"`)
				g.Node("grp").Attributes["grouped_node_ids"] = json.RawMessage(`["a.example"]`)
				return g
			},
			edit: func(g *vtgraph.Graph) {
				g.Node("grp").Attributes["grouped_node_ids"] = json.RawMessage(`["a.example","b.example"]`)
				g.Links = append(g.Links, vtgraph.Link{Source: "grp", Target: "b.example", ConnectionType: "group"})
			},
			want: `~ node grp entity_attributes.grouped_node_ids: ["a.example"] -> ["a.example","b.example"]` + "\n" +
				"+ link grp -> b.example (group)\n",
		},
		{
			name: "control characters are escaped and odd ids quoted",
			a:    base,
			edit: func(g *vtgraph.Graph) {
				g.AddNode("evil id", vtgraph.NodeTypeDomain).Text = "\x1b[2Jgone"
				g.Node("hooli.com").Attributes["note"] = json.RawMessage(`"\u0085"`)
			},
			want: `+ node "evil id" (domain) "\x1b[2Jgone"` + "\n" +
				`~ node hooli.com entity_attributes.note: absent -> "\u0085"` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := tt.a(t)
			b := a.Clone()
			tt.edit(b)
			d := vtgraph.DiffGraphs(a, b)
			assert.Equal(t, tt.want, d.String())
			assert.Equal(t, tt.want == "", d.Empty(), "Empty")
			assert.True(t, vtgraph.DiffGraphs(b, b).Empty(), "a graph against itself")
		})
	}
}

func TestDiffGraphsIsSymmetric(t *testing.T) {
	t.Parallel()
	a := sharedRelationship(t)
	b := a.Clone()
	b.Nodes = b.Nodes[1:]
	b.Links = b.Links[1:]
	b.Node("8.8.8.8").Text = "dns"
	b.Node("f2").X = 7
	fwd, back := vtgraph.DiffGraphs(a, b), vtgraph.DiffGraphs(b, a)
	assert.Equal(t, fwd.AddedNodes, back.RemovedNodes)
	assert.Equal(t, fwd.RemovedLinks, back.AddedLinks)
	require.Len(t, back.ChangedNodes, 1)
	assert.Equal(t, fwd.ChangedNodes[0].Changes[0].From, back.ChangedNodes[0].Changes[0].To)
	assert.Equal(t, fwd.MovedNodes[0].From, back.MovedNodes[0].To)
}

func TestDiffGraphsNil(t *testing.T) {
	t.Parallel()
	g := sketch(t, "a.example:domain b.example:domain", "a.example>b.example:manual")
	assert.True(t, vtgraph.DiffGraphs(nil, nil).Empty())
	d := vtgraph.DiffGraphs(nil, g)
	assert.Equal(t, []string{"a.example", "b.example"}, []string{d.AddedNodes[0].EntityID, d.AddedNodes[1].EntityID})
	assert.Equal(t, []vtgraph.LinkCount{{LinkKey: vtgraph.LinkKey{Source: "a.example", Target: "b.example", ConnectionType: "manual"}, Count: 1}}, d.AddedLinks)
	assert.Len(t, vtgraph.DiffGraphs(g, nil).RemovedNodes, 2)
	var nilDiff *vtgraph.Diff
	assert.True(t, nilDiff.Empty())
	assert.Empty(t, nilDiff.String())
}

func TestDiffJSON(t *testing.T) {
	t.Parallel()
	a := sketch(t, "hooli.com:domain 8.8.8.8:ip_address", "hooli.com>8.8.8.8:manual")

	empty, err := json.Marshal(vtgraph.DiffGraphs(a, a))
	require.NoError(t, err)
	assert.JSONEq(t, `{"graph":[],"added_nodes":[],"removed_nodes":[],"changed_nodes":[],"moved_nodes":[],`+
		`"added_links":[],"removed_links":[],"changed_links":[]}`, string(empty), "lists are arrays, never null")

	b := a.Clone()
	b.Node("hooli.com").Text = "root"
	b.Node("8.8.8.8").Pin(1, 2)
	b.AddNode("8.8.4.4", vtgraph.NodeTypeIPAddress)
	b.Links = append(b.Links, b.Links[0])
	d := vtgraph.DiffGraphs(a, b)
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	assert.JSONEq(t, `{"graph":[],
		"added_nodes":[{"entity_attributes":{},"entity_id":"8.8.4.4","index":2,"text":"","type":"ip_address","x":240,"y":0}],
		"removed_nodes":[],
		"changed_nodes":[{"entity_id":"hooli.com","changes":[{"path":"text","from":"","to":"root"}]}],
		"moved_nodes":[{"entity_id":"8.8.8.8","from":{"x":120,"y":0},"to":{"x":1,"y":2,"fx":1,"fy":2}}],
		"added_links":[{"source":"hooli.com","target":"8.8.8.8","connection_type":"manual","count":1}],
		"removed_links":[],"changed_links":[]}`, string(raw))

	var back vtgraph.Diff
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, d.String(), back.String(), "the JSON form decodes back to the same diff")
}
