package vtgraph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

const (
	renameMD5    = "0c58dc49280e7f1e1f531301d955b18c"
	renameSHA256 = "42733d3038823324afcb89bc507a7d37e2b3451adbd3eebc8bbc1b8b6e302de0"
)

// renameGraph is a file named by MD5 with links both ways, a second
// relationship node of a type, and a group.
func renameGraph(t *testing.T) *vtgraph.Graph {
	t.Helper()
	g := vtgraph.NewGraph("rename")
	g.AddNode(renameMD5, vtgraph.NodeTypeFile).Text = "update.exe"
	g.AddNode("192.0.2.10", vtgraph.NodeTypeIPAddress)
	g.AddNode("acme-update.example", vtgraph.NodeTypeDomain)
	g.AddNode("198.51.100.23", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink(renameMD5, "192.0.2.10", "contacted_ips"))
	require.NoError(t, g.AddLink("acme-update.example", renameMD5, "communicating_files"))
	// 198.51.100.23 shares the contacted_ips node, so a second one of
	// the file's own would be numbered; this one is shared.
	_, err := g.AddSharedLinks([]string{"198.51.100.23", renameMD5}, []string{"acme-update.example"}, "resolutions")
	require.NoError(t, err)
	_, err = g.AddGroup("infra", "192.0.2.10", renameMD5)
	require.NoError(t, err)
	require.NoError(t, g.Validate())
	return g
}

func TestRenameNode(t *testing.T) {
	t.Parallel()
	g := renameGraph(t)
	require.NoError(t, g.RenameNode(renameMD5, renameSHA256))
	require.NoError(t, g.Validate())

	assert.Nil(t, g.Node(renameMD5))
	n := g.Node(renameSHA256)
	require.NotNil(t, n)
	assert.Equal(t, "update.exe", n.Text)
	assert.Equal(t, vtgraph.NodeTypeFile, n.Type)

	// Its own relationship node takes its new name; the shared one,
	// named after the other source, stays.
	own := vtgraph.RelationshipNodeID("contacted_ips", renameSHA256)
	assert.NotNil(t, g.Node(own))
	assert.Nil(t, g.Node(vtgraph.RelationshipNodeID("contacted_ips", renameMD5)))
	assert.NotNil(t, g.Node(vtgraph.RelationshipNodeID("resolutions", "198.51.100.23")))
	related := func(id string) []string {
		var out []string
		for _, nb := range g.Related(id) {
			out = append(out, nb.ConnectionType+" "+nb.Node.EntityID)
		}
		return out
	}
	assert.ElementsMatch(t, []string{"contacted_ips 192.0.2.10", "resolutions acme-update.example"}, related(renameSHA256))
	assert.Equal(t, []string{"communicating_files " + renameSHA256}, related("acme-update.example"))

	group := ""
	for i := range g.Nodes {
		if g.Nodes[i].IsGroup() {
			group = g.Nodes[i].EntityID
		}
	}
	assert.Equal(t, []string{"192.0.2.10", renameSHA256}, g.GroupMembers(group))
	for _, l := range g.Links {
		assert.NotEqual(t, renameMD5, l.Source)
		assert.NotEqual(t, renameMD5, l.Target)
	}

	// Adding a link from the new id finds the relationship node renamed.
	before := len(g.Nodes)
	g.AddNode("198.51.100.99", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink(renameSHA256, "198.51.100.99", "contacted_ips"))
	assert.Len(t, g.Nodes, before+1)
	assert.Len(t, g.Related(own), 2)
}

// TestRenameNodeMerges renames a node to the id of another: they are one
// entity, so the links of the first join the second, once each.
func TestRenameNodeMerges(t *testing.T) {
	t.Parallel()
	g := renameGraph(t)
	g.AddNode(renameSHA256, vtgraph.NodeTypeFile).Text = "dropper"
	g.AddNode("192.0.2.11", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink(renameSHA256, "192.0.2.10", "contacted_ips"))
	require.NoError(t, g.AddLink(renameSHA256, "192.0.2.11", "contacted_ips"))
	require.NoError(t, g.AddLink(renameSHA256, renameMD5, "similar_files"))

	require.NoError(t, g.RenameNode(renameMD5, renameSHA256))
	require.NoError(t, g.Validate())
	assert.Nil(t, g.Node(renameMD5))
	assert.Equal(t, "dropper", g.Node(renameSHA256).Text, "the node merged into keeps its own")
	var ips []string
	for _, nb := range g.Related(renameSHA256) {
		if nb.ConnectionType == "contacted_ips" {
			ips = append(ips, nb.Node.EntityID)
		}
	}
	assert.Equal(t, []string{"192.0.2.10", "192.0.2.11"}, ips, "one relationship node, each address once")
	for _, l := range g.Links {
		assert.NotEqual(t, l.Source, l.Target, "the link between the two went with the merge")
	}
	assert.Zero(t, g.DedupLinks(), "no link was made twice")
}

func TestRenameNodeErrors(t *testing.T) {
	t.Parallel()
	g := renameGraph(t)
	assert.Error(t, g.RenameNode("nowhere.example", "x.example"))
	assert.Error(t, g.RenameNode(renameMD5, ""))
	require.NoError(t, g.RenameNode(renameMD5, renameMD5))
	assert.NotNil(t, g.Node(renameMD5))
}
