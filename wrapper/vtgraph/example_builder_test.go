package vtgraph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// Three files contacted the same address: VirusTotal draws them with one
// relationship node. Removing one file's link leaves the others'.
func ExampleGraph_AddSharedLinks() {
	g := vtgraph.NewGraph("Loaders")
	files := []string{
		"fa24fc336bc30e3dd153401d890d26e73f50cbecd551db9a2556870b9207b391",
		"a551296a2b460ac8a9bca11921a0704cf43662bd805c279bf5c93d936fe2c239",
		"b622bbd1a41137ad2c23ba7362cb2a055a5d7c493d416146c5680fd2dd675752",
	}
	for _, f := range files {
		g.AddNode(f, vtgraph.NodeTypeFile)
	}
	g.AddNode("198.51.100.7", vtgraph.NodeTypeIPAddress)
	rel, err := g.AddSharedLinks(files, []string{"198.51.100.7"}, "contacted_ips")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rel.EntityID[:36]+"…", len(g.Links), "links")

	g.RemoveLink(files[1], "198.51.100.7", "contacted_ips")
	for _, f := range files {
		fmt.Println(f[:8], len(g.Related(f)))
	}
	// Output:
	// relationships_contacted_ips_fa24fc33… 4 links
	// fa24fc33 1
	// a551296a 0
	// b622bbd1 1
}

func ExampleGraph_AddGroup() {
	g := vtgraph.NewGraph("Graph test")
	g.AddNode("virustotal.com", vtgraph.NodeTypeDomain)
	g.AddNode("google.com", vtgraph.NodeTypeDomain)
	group, err := g.AddGroup("Group 1", "virustotal.com", "google.com")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(group.Text, g.GroupMembers(group.EntityID))
	fmt.Println(string(group.Attributes["relationship_type"]))
	for _, l := range g.Links {
		fmt.Println(l.Source, "->", l.ConnectionType)
	}

	// As vt-graph-api, a node is in one group at most.
	_, err = g.AddGroup("Group 2", "google.com")
	fmt.Println(err)
	// Output:
	// Group 1 [virustotal.com google.com]
	// "group"
	// virustotal.com -> group
	// google.com -> group
	// vtgraph: add group: node "google.com" is in the group "relationships_group_1169747261" already
}

// Types the API has no objects for are stored as VirusTotal's tools store
// them; EntityType reads both that form and the older one.
func ExampleNode_EntityType() {
	g := vtgraph.NewGraph("Victims")
	n := g.AddNode("finance-dept", vtgraph.NodeTypeVictim)
	out, err := json.Marshal(n)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.Type, n.EntityType())
	fmt.Println(string(out))

	var old vtgraph.Node
	if err := json.Unmarshal([]byte(`{"entity_id":"ta505","type":"actor"}`), &old); err != nil {
		log.Fatal(err)
	}
	fmt.Println(old.Type, old.EntityType())
	// Output:
	// custom victim
	// {"entity_attributes":{"custom_type":"victim"},"entity_id":"finance-dept","index":0,"text":"","type":"custom","x":0,"y":0}
	// actor actor
}

func ExampleGraph_DedupLinks() {
	var g vtgraph.Graph
	if err := json.Unmarshal([]byte(`{"type":"graph","attributes":{
		"nodes":[{"entity_id":"a.example","type":"domain"},{"entity_id":"b.example","type":"domain"}],
		"links":[{"source":"a.example","target":"b.example","connection_type":"manual"},
		         {"source":"a.example","target":"b.example","connection_type":"manual"}]}}`), &g); err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Validate()) // repeated links are valid, and sent as they are
	fmt.Println(g.DedupLinks(), len(g.Links))
	// Output:
	// <nil>
	// 1 1
}

func ExampleClient_CopyGraph() {
	srv := startServer()
	defer srv.Close()
	alice := newClient(srv, vtgraphtest.AliceKey)
	bob := newClient(srv, vtgraphtest.BobKey)
	ctx := context.Background()
	id := createGraph(alice, "Hooli", false)

	// Bob makes a graph of his own from alice's, to work on.
	mine, err := bob.CopyGraph(ctx, id, "Hooli, Bob's notes")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(mine.ID != id, mine.Description, len(mine.Nodes), "nodes")

	// A graph is created once: creating it again is refused.
	_, err = bob.CreateGraph(ctx, mine)
	fmt.Println(err != nil)
	// Output:
	// true Hooli, Bob's notes 3 nodes
	// true
}

// Renaming keeps the rest of graph_data, such as the version of the tool
// that saved the graph.
func ExampleClient_UpdateGraph_rename() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	ctx := context.Background()
	g := vtgraph.NewGraph("Hooli")
	g.Version = "5.0.0"
	g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
	id, err := c.CreateGraph(ctx, g)
	if err != nil {
		log.Fatal(err)
	}

	name := "Hooli, renamed"
	renamed, err := c.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Description: &name})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(renamed.Description, renamed.Version)
	// Output:
	// Hooli, renamed 5.0.0
}
