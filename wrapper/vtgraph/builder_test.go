package vtgraph_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

const (
	hooliFile = "131f95c51cc819465fa1797f6ccacf9d494aaaff46fa3eac73ae63ffbdfd8267"
	hooliURL  = "1a0556926f7e76419d12e4c6ad52f10388af11f2689f6c0fb6111a2b85f131de"
)

// investigation builds a three-hop investigation: a domain resolving to two
// addresses, a file talking to one of them, a URL the file contacted, and a
// hand-drawn link closing the loop.
func buildInvestigation(t *testing.T) *vtgraph.Graph {
	t.Helper()
	g := vtgraph.NewGraph("Hooli.com investigation")
	g.AddNode("www.hooli.com", vtgraph.NodeTypeDomain).Text = "Root Node"
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	g.AddNode("1.1.1.1", vtgraph.NodeTypeIPAddress)
	g.AddNode(hooliFile, vtgraph.NodeTypeFile).SetHasDetections(true)
	g.AddNode(hooliURL, vtgraph.NodeTypeURL)
	require.NoError(t, g.AddLink("www.hooli.com", "8.8.8.8", "resolutions"))
	require.NoError(t, g.AddLink("www.hooli.com", "1.1.1.1", "resolutions"))
	require.NoError(t, g.AddLink("8.8.8.8", hooliFile, "communicating_files"))
	require.NoError(t, g.AddLink(hooliFile, hooliURL, "contacted_urls"))
	require.NoError(t, g.AddLink(hooliURL, "www.hooli.com", vtgraph.ConnectionManual))
	return g
}

func TestBuilderGolden(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	require.NoError(t, g.Validate())
	out, err := json.MarshalIndent(map[string]any{"data": g}, "", "  ")
	require.NoError(t, err)
	assertGraphGolden(t, "investigation.golden.json", append(out, '\n'))

	// The same calls give the same bytes.
	again, err := json.MarshalIndent(map[string]any{"data": buildInvestigation(t)}, "", "  ")
	require.NoError(t, err)
	assert.Equal(t, string(out), string(again))
}

func TestAddLink(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	rel := g.Node("relationships_resolutions_wwwhoolicom")
	require.NotNil(t, rel, "the id VirusTotal uses, dots dropped")
	assert.Equal(t, vtgraph.NodeTypeRelationship, rel.Type)
	assert.Len(t, g.NodesByType(vtgraph.NodeTypeRelationship), 3, "one per source and type, reused for 1.1.1.1")
	assert.Len(t, g.Links, 8)

	nodes, links := len(g.Nodes), len(g.Links)
	require.NoError(t, g.AddLink("www.hooli.com", "8.8.8.8", "resolutions"))
	require.NoError(t, g.AddLink(hooliURL, "www.hooli.com", vtgraph.ConnectionManual))
	assert.Len(t, g.Nodes, nodes, "adding an existing link is a no-op")
	assert.Len(t, g.Links, links)

	require.NoError(t, g.AddLink("8.8.8.8", "1.1.1.1", ""))
	assert.Equal(t, vtgraph.Link{Source: "8.8.8.8", Target: "1.1.1.1"}, g.Links[len(g.Links)-1], "empty type links directly")
	assert.Len(t, g.Nodes, nodes)
}

func TestAddLinkErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, source, target, want string
	}{
		{"missing source", "nope", "8.8.8.8", `source node "nope" does not exist`},
		{"missing target", "8.8.8.8", "nope", `target node "nope" does not exist`},
		{"self link", "8.8.8.8", "8.8.8.8", `node "8.8.8.8" cannot link to itself`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := buildInvestigation(t)
			err := g.AddLink(tt.source, tt.target, "resolutions")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestAddLinkRelationshipIDClash covers two sources that differ only by
// dots, which VirusTotal's naming maps to the same relationship id.
func TestAddLinkRelationshipIDClash(t *testing.T) {
	t.Parallel()
	g := vtgraph.NewGraph("clash")
	g.AddNode("a.b", vtgraph.NodeTypeDomain)
	g.AddNode("ab", vtgraph.NodeTypeDomain)
	g.AddNode("1.2.3.4", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink("a.b", "1.2.3.4", "resolutions"))
	require.NoError(t, g.AddLink("ab", "1.2.3.4", "resolutions"))
	assert.NotNil(t, g.Node("relationships_resolutions_ab"))
	assert.NotNil(t, g.Node("relationships_resolutions_ab_2"))
	require.NoError(t, g.Validate())
}

func TestAddNodeIsIdempotent(t *testing.T) {
	t.Parallel()
	g := vtgraph.NewGraph("x")
	a := g.AddNode("a", vtgraph.NodeTypeDomain)
	a.Text = "kept"
	b := g.AddNode("a", vtgraph.NodeTypeFile)
	assert.Equal(t, "kept", b.Text)
	assert.Equal(t, vtgraph.NodeTypeDomain, b.Type)
	assert.Len(t, g.Nodes, 1)
}

func TestAddNodeContinuesIndexes(t *testing.T) {
	t.Parallel()
	g := decodeGraph(t, readGraphFile(t, "spec_create_request.json"))
	n := g.AddNode("new.example", vtgraph.NodeTypeDomain)
	assert.Equal(t, 162, n.Index, "after the highest index, 161")
	assert.True(t, g.IndexesOrdered())
}

func TestRemoveNode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		remove      []string
		wantGone    []string
		wantKept    []string
		wantLinks   int
		wantRemoved bool
	}{
		{
			name:        "a source takes its relationship node",
			remove:      []string{"www.hooli.com"},
			wantGone:    []string{"www.hooli.com", "relationships_resolutions_wwwhoolicom"},
			wantKept:    []string{"8.8.8.8", "1.1.1.1"},
			wantLinks:   4,
			wantRemoved: true,
		},
		{
			name:        "a relationship node with targets left stays",
			remove:      []string{"1.1.1.1"},
			wantGone:    []string{"1.1.1.1"},
			wantKept:    []string{"relationships_resolutions_wwwhoolicom"},
			wantLinks:   7,
			wantRemoved: true,
		},
		{
			name:        "the last target takes the relationship node",
			remove:      []string{"1.1.1.1", "8.8.8.8"},
			wantGone:    []string{"relationships_resolutions_wwwhoolicom", "relationships_communicating_files_8888"},
			wantKept:    []string{"www.hooli.com", hooliFile},
			wantLinks:   3,
			wantRemoved: true,
		},
		{
			name:      "an unknown node",
			remove:    []string{"nope"},
			wantKept:  []string{"www.hooli.com"},
			wantLinks: 8,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := buildInvestigation(t)
			removed := false
			for _, id := range tt.remove {
				removed = g.RemoveNode(id)
			}
			assert.Equal(t, tt.wantRemoved, removed)
			for _, id := range tt.wantGone {
				assert.Nil(t, g.Node(id), id)
			}
			for _, id := range tt.wantKept {
				assert.NotNil(t, g.Node(id), id)
			}
			assert.Len(t, g.Links, tt.wantLinks)
			assert.True(t, g.IndexesOrdered())
			require.NoError(t, g.Validate())
		})
	}
}

func TestRemoveLink(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	assert.True(t, g.RemoveLink("www.hooli.com", "1.1.1.1", "resolutions"))
	assert.NotNil(t, g.Node("relationships_resolutions_wwwhoolicom"), "8.8.8.8 still hangs on it")
	assert.True(t, g.RemoveLink("www.hooli.com", "8.8.8.8", "resolutions"))
	assert.Nil(t, g.Node("relationships_resolutions_wwwhoolicom"))
	assert.True(t, g.RemoveLink(hooliURL, "www.hooli.com", vtgraph.ConnectionManual))
	assert.False(t, g.RemoveLink(hooliURL, "www.hooli.com", vtgraph.ConnectionManual))
	assert.NotNil(t, g.Node("1.1.1.1"), "entities stay")
	require.NoError(t, g.Validate())
	assert.Len(t, g.Links, 4)
}

func TestSpecialRelationshipNodes(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)

	intel, err := g.AddIntelligenceQuery("entity: url path: blablabla", hooliURL)
	require.NoError(t, err)
	assert.Equal(t, "intelligence_415963833", intel.EntityID, "deterministic")
	q, ok := intel.IntelligenceQuery()
	assert.True(t, ok)
	assert.Equal(t, "entity: url path: blablabla", q)
	assert.Equal(t, "VTI: entity: url path: blablabla", intel.Text)

	com, err := g.AddCommonality([]vtgraph.Commonality{{Commonality: "path", Value: json.RawMessage(`"/"`)}}, hooliFile, hooliURL)
	require.NoError(t, err)
	assert.Equal(t, "path: /", com.Text)
	cs, ok := com.Commonalities()
	assert.True(t, ok)
	assert.Equal(t, []vtgraph.Commonality{{Commonality: "path", Value: json.RawMessage(`"/"`)}}, cs)

	hunt, err := g.AddHuntingRuleset("6533973538739388", hooliFile)
	require.NoError(t, err)
	assert.Equal(t, "relationships_hunting_6533973538739388", hunt.EntityID)
	id, ok := hunt.HuntingRulesetID()
	assert.True(t, ok)
	assert.Equal(t, "6533973538739388", id)

	retro, err := g.AddRetrohuntJob("job1", hooliFile)
	require.NoError(t, err)
	id, ok = retro.RetrohuntJobID()
	assert.True(t, ok)
	assert.Equal(t, "job1", id)

	group, err := g.AddGroup("C2", "8.8.8.8", "1.1.1.1")
	require.NoError(t, err)
	groupID, huntID := group.EntityID, hunt.EntityID
	assert.True(t, group.IsGroup())
	assert.Equal(t, vtgraph.RelationshipGroup, group.RelationshipKind())

	_, err = g.AddGroup("bad", "nope")
	require.Error(t, err)

	require.NoError(t, g.Validate())
	assert.True(t, g.RemoveNode(hooliFile))
	assert.Nil(t, g.Node(huntID), "its only member is gone")
	assert.NotNil(t, g.Node(groupID), "untouched")
	require.NoError(t, g.Validate())
}

func TestSpecialAccessorsOnSpecExample(t *testing.T) {
	t.Parallel()
	g := decodeGraph(t, readGraphFile(t, "spec_create_request.json"))
	q, ok := g.Node("intelligence_-1173580683").IntelligenceQuery()
	assert.True(t, ok)
	assert.Equal(t, "entity: url path: blablabla", q)
	cs, ok := g.Node("relationships_commonality_106438826").Commonalities()
	assert.True(t, ok)
	assert.Equal(t, "path", cs[0].Commonality)
	id, ok := g.Node("relationships_hunting_6533973538739388").HuntingRulesetID()
	assert.True(t, ok)
	assert.Equal(t, "6533973538739388", id)

	file := g.Node("e743cffce9efddfb4f1d7e7dc3c10c6d562e61b5f65e6dd3fd4f28b604fcc2f6")
	_, ok = file.IntelligenceQuery()
	assert.False(t, ok, "not a special node")
	_, ok = file.Commonalities()
	assert.False(t, ok)
	assert.Empty(t, file.RelationshipKind())
	has, ok := file.Attributes.HasDetections()
	assert.True(t, ok)
	assert.True(t, has)
	assert.Equal(t, "OM", mustOK(g.Node("138.133.35.39").Attributes.String("country")))
}

func mustOK[T any](v T, ok bool) T {
	if !ok {
		panic("missing value")
	}
	return v
}
