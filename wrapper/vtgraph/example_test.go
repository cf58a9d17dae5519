package vtgraph_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The examples run against vtgraphtest, an in-memory server; with a real key,
// leave out WithBaseURL.

// startServer starts an in-memory API; in a test, use vtgraphtest.NewServer(t).
func startServer() *vtgraphtest.Server {
	srv, err := vtgraphtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	return srv
}

// newClient returns a client for the user whose (made-up) key is given.
func newClient(srv *vtgraphtest.Server, apiKey string) *vtgraph.Client {
	c, err := vtgraph.New(apiKey, vtgraph.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// createGraph saves a small graph named description and returns its id.
func createGraph(c *vtgraph.Client, description string, private bool) string {
	g := vtgraph.NewGraph(description)
	g.Private = private
	g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	if err := g.AddLink("hooli.com", "8.8.8.8", "resolutions"); err != nil {
		log.Fatal(err)
	}
	id, err := c.CreateGraph(context.Background(), g)
	if err != nil {
		log.Fatal(err)
	}
	return id
}

func ExampleNew() {
	srv := startServer()
	defer srv.Close()

	c, err := vtgraph.New(vtgraphtest.AliceKey,
		vtgraph.WithBaseURL(srv.URL()),
		vtgraph.WithRetryPolicy(vtgraph.RetryPolicy{MaxAttempts: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 5 * time.Second}),
		vtgraph.WithUserAgent("my-tool/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	page, err := c.SearchGraphs(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("graphs:", len(page.Items))

	_, err = vtgraph.New("")
	fmt.Println(err)
	// Output:
	// graphs: 0
	// vtgraph: the API key is empty
}

func ExampleClient_CreateGraph() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	ctx := context.Background()

	g := vtgraph.NewGraph("Hooli investigation")
	g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	if err := g.AddLink("hooli.com", "8.8.8.8", "resolutions"); err != nil {
		log.Fatal(err)
	}
	id, err := c.CreateGraph(ctx, g)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(vtgraph.ValidGraphID(id), id == g.ID)

	got, err := c.GetGraph(ctx, id, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Description, len(got.Nodes), "nodes", len(got.Links), "links")

	// An invalid graph is refused before anything is sent.
	bad := vtgraph.NewGraph("broken")
	bad.Links = append(bad.Links, vtgraph.Link{Source: "a.com", Target: "b.com", ConnectionType: vtgraph.ConnectionManual})
	_, err = c.CreateGraph(ctx, bad)
	var invalid *vtgraph.ValidationError
	if errors.As(err, &invalid) {
		for _, p := range invalid.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// true true
	// Hooli investigation 3 nodes 2 links
	// links[0].source: node "a.com" does not exist
	// links[0].target: node "b.com" does not exist
}

func ExampleClient_SearchGraphsIter() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	for _, name := range []string{"Wannacry", "Emotet", "Hooli", "Pied Piper"} {
		createGraph(c, name, false)
	}

	// Two graphs per request; the iterator follows the cursors.
	opts := &vtgraph.SearchOptions{
		Filter:      vtgraph.FilterOwner("alice"),
		Order:       vtgraph.OrderName.Asc(),
		Attributes:  []string{"graph_data"},
		ListOptions: vtgraph.ListOptions{Limit: 2},
	}
	for g, err := range c.SearchGraphsIter(context.Background(), opts, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(g.Description)
	}
	// Output:
	// Emotet
	// Hooli
	// Pied Piper
	// Wannacry
}

func ExampleClient_SearchGraphs() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	for _, name := range []string{"one", "two", "three"} {
		createGraph(c, name, false)
	}
	ctx := context.Background()

	// One page at a time, keeping the cursor, as a web page would.
	opts := &vtgraph.SearchOptions{Order: vtgraph.OrderCreationDate.Asc(), ListOptions: vtgraph.ListOptions{Limit: 2}}
	for {
		page, err := c.SearchGraphs(ctx, opts)
		if err != nil {
			log.Fatal(err)
		}
		for _, g := range page.Items {
			fmt.Print(g.Description, " ")
		}
		fmt.Println("| more:", page.HasMore())
		if !page.HasMore() {
			break
		}
		opts.Cursor = page.NextCursor
	}
	// Output:
	// one two | more: true
	// three | more: false
}

func ExampleClient_UpdateGraph() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	ctx := context.Background()
	id := createGraph(c, "Hooli", true)

	// Only private is sent, so the nodes and links cannot be lost.
	public := false
	g, err := c.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Private: &public})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("private:", g.Private, "nodes:", len(g.Nodes))

	// Bob, who was not granted access, can read it now.
	bob := newClient(srv, vtgraphtest.BobKey)
	if _, err := bob.GetGraph(ctx, id, nil); err == nil {
		fmt.Println("bob can read it")
	}
	// Output:
	// private: false nodes: 3
	// bob can read it
}

func ExampleClient_SaveGraph() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	ctx := context.Background()
	id := createGraph(c, "Hooli", true)

	// Load, edit, save: attributes this package does not model survive.
	g, err := c.GetGraph(ctx, id, nil)
	if err != nil {
		log.Fatal(err)
	}
	g.AddNode("hooli.net", vtgraph.NodeTypeDomain).Text = "typo-squat"
	if err := g.AddLink("hooli.net", "8.8.8.8", "resolutions"); err != nil {
		log.Fatal(err)
	}
	saved, err := c.SaveGraph(ctx, g)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(saved.Nodes), "nodes", saved.Node("hooli.net").Text)
	// Output:
	// 5 nodes typo-squat
}

func ExampleClient_AddViewers() {
	srv := startServer()
	defer srv.Close()
	alice := newClient(srv, vtgraphtest.AliceKey)
	ctx := context.Background()
	id := createGraph(alice, "Private investigation", true)

	carol := newClient(srv, vtgraphtest.CarolKey)
	_, err := carol.GetGraph(ctx, id, nil)
	fmt.Println("before:", errors.Is(err, vtgraph.ErrNotFound))

	who, err := vtgraph.ParsePrincipal("user:carol")
	if err != nil {
		log.Fatal(err)
	}
	granted, err := alice.AddViewers(ctx, id, who)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("granted:", granted[0].Type, granted[0].ID)

	ok, err := alice.IsViewer(ctx, id, who)
	if err != nil {
		log.Fatal(err)
	}
	_, err = carol.GetGraph(ctx, id, nil)
	fmt.Println("viewer:", ok, "reads:", err == nil)

	for p, err := range alice.ListViewersIter(ctx, id, nil, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("viewer list:", p.Ref())
	}
	// Output:
	// before: true
	// granted: user carol
	// viewer: true reads: true
	// viewer list: user:carol
}

func ExampleClient_AddComment() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	ctx := context.Background()
	id := createGraph(c, "Wannacry", false)

	if _, err := c.AddComment(ctx, id, "Kill switch found #wannacry"); err != nil {
		log.Fatal(err)
	}
	page, err := c.ListComments(ctx, id, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, cm := range page.Items {
		fmt.Println(cm.Text, cm.Tags)
	}
	// Output:
	// Kill switch found #wannacry [wannacry]
}

func ExampleClient_ListRelated() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	ctx := context.Background()
	id := createGraph(c, "Hooli", false)

	owner, err := c.GetOwner(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("owner:", owner.ID)

	page, err := c.ListRelated(ctx, id, vtgraph.RelationItems, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range page.Items {
		fmt.Println(o.Type, o.ID)
	}
	// Output:
	// owner: alice
	// domain hooli.com
	// ip_address 8.8.8.8
}

// Example_errors shows how to tell errors apart: invalid parameters are
// reported before sending, API failures carry the status and code.
func Example_errors() {
	srv := startServer()
	defer srv.Close()
	c := newClient(srv, vtgraphtest.AliceKey)
	ctx := context.Background()

	_, err := c.ListComments(ctx, "not-a-graph-id", &vtgraph.ListOptions{Limit: 100})
	var params *vtgraph.ParamError
	if errors.As(err, &params) {
		for _, p := range params.Problems {
			fmt.Println("invalid", p.Path)
		}
	}

	missing := "g" + fmt.Sprintf("%064x", 42)
	_, err = c.GetGraph(ctx, missing, nil)
	var apiErr *vtgraph.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, errors.Is(err, vtgraph.ErrNotFound))
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.GetGraph(cancelled, missing, nil)
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// invalid id
	// invalid limit
	// 404 NotFoundError true
	// true
}
