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

// sharedFiles builds three files that contacted the same two addresses,
// linked the way VirusTotal draws them, through one relationship node.
func sharedFiles(t *testing.T) (*vtgraph.Graph, []string) {
	t.Helper()
	g := vtgraph.NewGraph("shared")
	files := []string{"f1" + hooliFile[2:], "f2" + hooliFile[2:], "f3" + hooliFile[2:]}
	for _, f := range files {
		g.AddNode(f, vtgraph.NodeTypeFile)
	}
	g.AddNode("198.51.100.7", vtgraph.NodeTypeIPAddress)
	g.AddNode("203.0.113.9", vtgraph.NodeTypeIPAddress)
	rel, err := g.AddSharedLinks(files, []string{"198.51.100.7", "203.0.113.9"}, "contacted_ips")
	require.NoError(t, err)
	assert.Equal(t, vtgraph.RelationshipNodeID("contacted_ips", files[0]), rel.EntityID, "named after the first source, as vt-graph-api does")
	require.NoError(t, g.Validate())
	return g, files
}

func TestAddSharedLinks(t *testing.T) {
	t.Parallel()
	g, files := sharedFiles(t)
	rel := vtgraph.RelationshipNodeID("contacted_ips", files[0])
	assert.Len(t, g.Nodes, 6)
	assert.Equal(t, []linkEnds{
		{files[0], rel, "contacted_ips"}, {files[1], rel, "contacted_ips"}, {files[2], rel, "contacted_ips"},
		{rel, "198.51.100.7", "contacted_ips"}, {rel, "203.0.113.9", "contacted_ips"},
	}, stripped(g.Links))
	for _, f := range files {
		assert.Equal(t, []string{"198.51.100.7", "203.0.113.9"}, relatedIDs(g, f), "every source reaches every target")
	}

	again, err := g.AddSharedLinks(files, []string{"198.51.100.7", "192.0.2.1"}, "contacted_ips")
	require.Error(t, err, "192.0.2.1 is no node")
	assert.Nil(t, again)
	g.AddNode("192.0.2.1", vtgraph.NodeTypeIPAddress)
	again, err = g.AddSharedLinks([]string{files[2], files[1], files[0]}, []string{"198.51.100.7", "192.0.2.1"}, "contacted_ips")
	require.NoError(t, err)
	assert.Equal(t, rel, again.EntityID, "the same sources get the same node")
	assert.Len(t, g.Links, 6, "one new target")

	// An AddLink from one of the sources is there already.
	require.NoError(t, g.AddLink(files[1], "203.0.113.9", "contacted_ips"))
	assert.Len(t, g.Links, 6)

	tests := []struct {
		name              string
		sources, targets  []string
		connType, message string
	}{
		{"manual", files, []string{"192.0.2.1"}, vtgraph.ConnectionManual, `connection type "manual" does not go through a relationship node`},
		{"no sources", nil, []string{"192.0.2.1"}, "contacted_ips", "no sources"},
		{"no targets", files, nil, "contacted_ips", "no targets"},
		{"missing source", []string{"nope"}, []string{"192.0.2.1"}, "contacted_ips", `source node "nope" does not exist`},
		{"self", files, []string{files[0]}, "similar_files", `node "` + files[0] + `" cannot link to itself`},
	}
	for _, tt := range tests {
		_, err := g.AddSharedLinks(tt.sources, tt.targets, tt.connType)
		require.Error(t, err, tt.name)
		assert.Equal(t, "vtgraph: add shared links: "+tt.message, err.Error(), tt.name)
	}
	require.NoError(t, g.Validate())
}

func TestRemoveLinkOfASharedRelationshipNode(t *testing.T) {
	t.Parallel()
	g, files := sharedFiles(t)
	shared := vtgraph.RelationshipNodeID("contacted_ips", files[0])

	require.True(t, g.RemoveLink(files[1], "198.51.100.7", "contacted_ips"))
	require.NoError(t, g.Validate())
	assert.Equal(t, []string{"203.0.113.9"}, relatedIDs(g, files[1]), "the other target stays")
	for _, f := range []string{files[0], files[2]} {
		assert.ElementsMatch(t, []string{"198.51.100.7", "203.0.113.9"}, relatedIDs(g, f), "the other sources keep both")
	}
	own := vtgraph.RelationshipNodeID("contacted_ips", files[1])
	require.NotNil(t, g.Node(own), "the remaining target is reached through a node of its own")
	assert.Equal(t, []vtgraph.Neighbour{{Node: g.Node(own), ConnectionType: "contacted_ips", Outgoing: true}}, g.Neighbours(files[1]))

	require.True(t, g.RemoveLink(files[1], "203.0.113.9", "contacted_ips"))
	assert.Nil(t, g.Node(own), "its own node goes with its last target")
	assert.Empty(t, g.Neighbours(files[1]))
	assert.False(t, g.RemoveLink(files[1], "203.0.113.9", "contacted_ips"))

	require.True(t, g.RemoveLink(files[0], "198.51.100.7", "contacted_ips"))
	require.True(t, g.RemoveLink(files[2], "198.51.100.7", "contacted_ips"))
	require.NoError(t, g.Validate())
	assert.Equal(t, []string{"203.0.113.9"}, relatedIDs(g, files[0]))
	assert.Equal(t, []string{"203.0.113.9"}, relatedIDs(g, files[2]))
	assert.NotNil(t, g.Node(shared), "two sources share what is left of it")
	require.NoError(t, g.Validate())
}

func TestRemoveLinkTakesRepeatedLinks(t *testing.T) {
	t.Parallel()
	g := validGraphBase()
	g.Links = append(g.Links, g.Links[1], g.Links[0])
	require.True(t, g.RemoveLink("www.hooli.com", "8.8.8.8", "resolutions"))
	assert.Empty(t, g.Links)
	assert.Nil(t, g.Node(hooliRelID))
}

func TestAddGroup(t *testing.T) {
	t.Parallel()
	// vt-graph-api's create_group test: two domains, one group.
	g := vtgraph.NewGraph("Graph test")
	g.AddNode("virustotal.com", vtgraph.NodeTypeDomain)
	g.AddNode("google.com", vtgraph.NodeTypeDomain)
	group, err := g.AddGroup("Group 1", "virustotal.com", "google.com")
	require.NoError(t, err)
	require.NoError(t, g.Validate())
	assert.True(t, group.IsGroup())
	id := group.EntityID
	assert.Equal(t, []string{"virustotal.com", "google.com"}, g.GroupMembers(id))
	out, err := json.Marshal(g)
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"graph","attributes":{"graph_data":{"description":"Graph test"},"private":false,
		"links":[
			{"connection_type":"group","source":"virustotal.com","target":"`+id+`"},
			{"connection_type":"group","source":"google.com","target":"`+id+`"}],
		"nodes":[
			{"entity_attributes":{},"entity_id":"virustotal.com","index":0,"text":"","type":"domain","x":0,"y":0},
			{"entity_attributes":{},"entity_id":"google.com","index":1,"text":"","type":"domain","x":120,"y":0},
			{"entity_attributes":{"grouped_node_ids":["virustotal.com","google.com"],"relationship_type":"group"},
			 "entity_id":"`+id+`","index":2,"text":"Group 1","type":"relationship","x":60,"y":0}]}}`, string(out))

	// A member's typed links are copied to the group, before and after.
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink("virustotal.com", "8.8.8.8", "resolutions"))
	rel := vtgraph.RelationshipNodeID("resolutions", "virustotal.com")
	assert.Contains(t, stripped(g.Links), linkEnds{id, rel, "resolutions"})
	assert.Equal(t, []string{"8.8.8.8"}, relatedIDs(g, "virustotal.com"), "its group is none of its relationships")
	assert.Equal(t, []string{"8.8.8.8"}, relatedIDs(g, id))
	require.NoError(t, g.Validate())

	tests := []struct {
		name    string
		members []string
		message string
	}{
		{"empty", nil, "a group needs at least one member"},
		{"missing", []string{"nope"}, `member node "nope" does not exist`},
		{"relationship", []string{rel}, `node "` + rel + `" is a relationship node; only entities are grouped`},
		{"in another group", []string{"8.8.8.8", "google.com"}, `node "google.com" is in the group "` + id + `" already`},
	}
	for _, tt := range tests {
		_, err := g.AddGroup("bad", tt.members...)
		require.Error(t, err, tt.name)
		assert.Equal(t, "vtgraph: add group: "+tt.message, err.Error(), tt.name)
	}
	assert.Nil(t, g.GroupMembers("virustotal.com"), "not a group")
	assert.Nil(t, g.GroupMembers("nope"))
}

// TestAddGroupCopiesLinks groups the domain of vt-graph-api's
// group_with_typed_link case, whose resolutions link is copied to the group.
func TestAddGroupCopiesLinks(t *testing.T) {
	t.Parallel()
	g := vtgraph.NewGraph("Graph test")
	g.AddNode("virustotal.com", vtgraph.NodeTypeDomain)
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink("virustotal.com", "8.8.8.8", "resolutions"))
	g.AddNode("phish.example", vtgraph.NodeTypeDomain)
	require.NoError(t, g.AddLink("phish.example", "8.8.8.8", "resolutions"))
	group, err := g.AddGroup("Group 1", "8.8.8.8")
	require.NoError(t, err)
	rel := vtgraph.RelationshipNodeID("resolutions", "virustotal.com")
	rel2 := vtgraph.RelationshipNodeID("resolutions", "phish.example")
	assert.Equal(t, []linkEnds{
		{"virustotal.com", rel, "resolutions"}, {rel, "8.8.8.8", "resolutions"},
		{"phish.example", rel2, "resolutions"}, {rel2, "8.8.8.8", "resolutions"},
		{"8.8.8.8", group.EntityID, "group"},
		{rel, group.EntityID, "resolutions"}, {rel2, group.EntityID, "resolutions"},
	}, stripped(g.Links))
	require.NoError(t, g.Validate())

	// The copies go with the member links they copy.
	require.True(t, g.RemoveLink("phish.example", "8.8.8.8", "resolutions"))
	assert.NotContains(t, stripped(g.Links), linkEnds{rel2, group.EntityID, "resolutions"})
	assert.Nil(t, g.Node(rel2))
	require.NoError(t, g.Validate())
}

func TestRemoveNodeLeavesItsGroup(t *testing.T) {
	t.Parallel()
	g := vtgraph.NewGraph("groups")
	for _, d := range []string{"a.example", "b.example", "c.example"} {
		g.AddNode(d, vtgraph.NodeTypeDomain)
	}
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink("a.example", "8.8.8.8", "resolutions"))
	require.NoError(t, g.AddLink("b.example", "8.8.8.8", "resolutions"))
	group, err := g.AddGroup("pair", "a.example", "b.example")
	require.NoError(t, err)
	id := group.EntityID
	relA := vtgraph.RelationshipNodeID("resolutions", "a.example")

	require.True(t, g.RemoveNode("a.example"))
	assert.Equal(t, []string{"b.example"}, g.GroupMembers(id))
	assert.Nil(t, g.Node(relA))
	assert.NotContains(t, stripped(g.Links), linkEnds{id, relA, "resolutions"})
	assert.Equal(t, []string{"8.8.8.8"}, relatedIDs(g, id), "through b.example's copy")
	require.NoError(t, g.Validate())

	require.True(t, g.RemoveNode("b.example"))
	assert.Nil(t, g.Node(id), "an empty group goes, as vt-graph-api drops it")
	assert.ElementsMatch(t, []string{"c.example", "8.8.8.8"}, entityIDsOf(g.Nodes))
	assert.Empty(t, g.Links)
	require.NoError(t, g.Validate())
}

func entityIDsOf(nodes []vtgraph.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.EntityID)
	}
	return out
}

func TestRemoveNodeFillsTheHoleAndKeepsIndexesInOrder(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	last := g.Nodes[len(g.Nodes)-1].EntityID
	index := g.Node("1.1.1.1").Index
	require.True(t, g.RemoveNode("1.1.1.1"))
	assert.Equal(t, last, g.Nodes[2].EntityID, "the last node takes the place")
	assert.Equal(t, index, g.Nodes[2].Index, "and the index")
	assert.True(t, g.IndexesOrdered())
	require.NoError(t, g.Validate())
}

func TestDedupLinks(t *testing.T) {
	t.Parallel()
	g := validGraphBase()
	first := g.Links[0]
	colored := first
	colored.Extra = map[string]json.RawMessage{"color": json.RawMessage(`"red"`)}
	g.Links = append(g.Links, g.Links[1], colored, g.Links[1])
	require.NoError(t, g.Validate(), "repeated links are valid")
	assert.Equal(t, 3, g.DedupLinks())
	assert.Equal(t, []linkEnds{{"www.hooli.com", hooliRelID, "resolutions"}, {hooliRelID, "8.8.8.8", "resolutions"}}, stripped(g.Links))
	assert.Equal(t, 0, g.DedupLinks())
	assert.Equal(t, []string{"8.8.8.8"}, relatedIDs(g, "www.hooli.com"))
}

// TestBuilderIsDeterministic makes the same calls, removals included, twice.
func TestBuilderIsDeterministic(t *testing.T) {
	t.Parallel()
	build := func() []byte {
		g, files := sharedFiles(t)
		require.True(t, g.RemoveLink(files[1], "198.51.100.7", "contacted_ips"))
		_, err := g.AddGroup("loaders", files[0], files[2])
		require.NoError(t, err)
		g.AddNode("evil.example", vtgraph.NodeTypeDomain)
		require.NoError(t, g.AddLink(files[0], "evil.example", "contacted_domains"))
		require.True(t, g.RemoveNode(files[2]))
		out, err := json.Marshal(g)
		require.NoError(t, err)
		return out
	}
	assert.Equal(t, string(build()), string(build()))
}
