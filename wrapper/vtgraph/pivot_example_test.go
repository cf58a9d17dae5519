package vtgraph_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The pivot examples start from the demo universe's phishing domain,
// acme-login.example.

func ExampleClient_Expand() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	g := vtgraph.NewGraph("Acme phishing")
	g.AddNode("acme-login.example", vtgraph.NodeTypeDomain)
	r, err := c.Expand(context.Background(), g, "acme-login.example", &vtgraph.ExpandOptions{
		Relationships: []vtgraph.Relationship{vtgraph.DomainResolutions, vtgraph.DomainSubdomains, vtgraph.DomainSiblings},
	})
	if err != nil {
		log.Fatal(err)
	}
	// One lookup said which of the three relationships hold anything, and
	// a page of each of those two gave the related entities.
	fmt.Println(r.Requests, "requests")
	for _, x := range r.Expanded {
		fmt.Println(x.Relationship, "→", vtgraph.RelationshipNodeID(string(x.Relationship), x.Node), "→", x.Linked, "entities")
	}
	// The entities added carry what the UI shows: their detections.
	detections, _ := g.Node("secure.acme-login.example").Attributes.DetectionCount()
	fmt.Println("secure.acme-login.example:", detections, "detections")
	// Output:
	// 3 requests
	// resolutions → relationships_resolutions_acme-loginexample → 2 entities
	// subdomains → relationships_subdomains_acme-loginexample → 4 entities
	// secure.acme-login.example: 7 detections
}

func ExampleClient_ExpandGraph() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	ctx := context.Background()

	g := vtgraph.NewGraph("Acme phishing")
	g.AddNode("acme-login.example", vtgraph.NodeTypeDomain)
	// With one request in flight at a time, a request budget always stops
	// the expansion at the same place.
	opts := &vtgraph.ExpandGraphOptions{Depth: 2, ExpandOptions: vtgraph.ExpandOptions{
		PivotOptions: vtgraph.PivotOptions{MaxRequests: 20, Concurrency: 1},
	}}
	r, err := c.ExpandGraph(ctx, g, opts)
	var budget *vtgraph.BudgetError
	if !errors.As(err, &budget) {
		log.Fatal(err)
	}
	fmt.Println("stopped after", r.Requests, "requests with", len(r.Pending), "nodes pending")

	// The report resumes the expansion where it stopped, fetching only
	// what the first call had not.
	r, err = c.ExpandGraph(ctx, g, &vtgraph.ExpandGraphOptions{ExpandOptions: vtgraph.ExpandOptions{Resume: r}})
	if err != nil {
		log.Fatal(err)
	}
	entities := 0
	for i := range g.Nodes {
		if !g.Nodes[i].IsRelationship() {
			entities++
		}
	}
	fmt.Println("then", r.Requests, "more:", entities, "entities, done:", r.Done())
	// Output:
	// stopped after 20 requests with 10 nodes pending
	// then 13 more: 24 entities, done: true
}

func ExampleClient_Enrich() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	// A graph as a list of indicators makes it: a file by its MD5.
	g := vtgraph.NewGraph("Indicators")
	g.AddNode("0c58dc49280e7f1e1f531301d955b18c", vtgraph.NodeTypeFile)
	g.AddNode("192.0.2.10", vtgraph.NodeTypeIPAddress)
	if err := g.AddLink("0c58dc49280e7f1e1f531301d955b18c", "192.0.2.10", "contacted_ips"); err != nil {
		log.Fatal(err)
	}
	r, err := c.Enrich(context.Background(), g, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Requests, "requests")
	for _, rn := range r.Renamed {
		fmt.Println(rn.From, "→", rn.To)
	}
	file := g.Node(r.Enriched[0]).Attributes
	detections, _ := file.DetectionCount()
	tag, _ := file.String("type_tag")
	country, _ := g.Node("192.0.2.10").Attributes.String("country")
	fmt.Println(detections, tag, country)
	fmt.Println(g.Related("42733d3038823324afcb89bc507a7d37e2b3451adbd3eebc8bbc1b8b6e302de0")[0].Node.EntityID)
	// Output:
	// 2 requests
	// 0c58dc49280e7f1e1f531301d955b18c → 42733d3038823324afcb89bc507a7d37e2b3451adbd3eebc8bbc1b8b6e302de0
	// 56 peexe NL
	// 192.0.2.10
}

func ExampleClient_Connect() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)

	g := vtgraph.NewGraph("Phishing to C2")
	g.AddNode("acme-login.example", vtgraph.NodeTypeDomain)
	g.AddNode("acme-update.example", vtgraph.NodeTypeDomain)
	r, err := c.Connect(context.Background(), g, "acme-login.example", "acme-update.example", &vtgraph.ConnectOptions{MaxHops: 3})
	if err != nil {
		log.Fatal(err)
	}
	if r.Path == nil {
		fmt.Println("no path of at most 3 hops")
		return
	}
	for _, h := range r.Path {
		if h.Reverse {
			fmt.Printf("%.20s ←%s— %.20s\n", h.From, h.Relationship, h.To)
		} else {
			fmt.Printf("%.20s —%s→ %.20s\n", h.From, h.Relationship, h.To)
		}
	}
	fmt.Println(r.Explored, "entities explored,", r.Requests, "requests,", len(g.Nodes), "nodes")
	// Output:
	// acme-login.example —resolutions→ 192.0.2.10
	// 192.0.2.10 ←contacted_ips— 42733d3038823324afcb
	// 42733d3038823324afcb ←communicating_files— acme-update.example
	// 6 entities explored, 7 requests, 7 nodes
}

func ExampleGraph_RenameNode() {
	g := vtgraph.NewGraph("Rename")
	g.AddNode("0c58dc49280e7f1e1f531301d955b18c", vtgraph.NodeTypeFile)
	g.AddNode("192.0.2.10", vtgraph.NodeTypeIPAddress)
	if err := g.AddLink("0c58dc49280e7f1e1f531301d955b18c", "192.0.2.10", "contacted_ips"); err != nil {
		log.Fatal(err)
	}
	if err := g.RenameNode("0c58dc49280e7f1e1f531301d955b18c", "42733d3038823324afcb89bc507a7d37e2b3451adbd3eebc8bbc1b8b6e302de0"); err != nil {
		log.Fatal(err)
	}
	for _, l := range g.Links {
		fmt.Printf("%.24s → %.40s\n", l.Source, l.Target)
	}
	// Output:
	// 42733d3038823324afcb89bc → relationships_contacted_ips_42733d303882
	// relationships_contacted_ → 192.0.2.10
}
