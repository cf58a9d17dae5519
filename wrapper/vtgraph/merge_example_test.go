package vtgraph_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// Two editors load the same graph; bob saves first. Alice's plain save is
// refused, and her merging save keeps both sides' nodes.
func ExampleMergeOnConflict() {
	srv := startServer()
	defer srv.Close()
	alice, bob := newClient(srv, vtgraphtest.AliceKey), newClient(srv, vtgraphtest.BobKey)
	ctx := context.Background()
	id := createGraph(alice, "Hooli", true)
	if _, err := alice.AddEditors(ctx, id, vtgraph.User("bob")); err != nil {
		log.Fatal(err)
	}

	mine, err := alice.GetGraph(ctx, id, nil)
	if err != nil {
		log.Fatal(err)
	}
	base := mine.Clone() // the graph as loaded, for the merge
	theirs, err := bob.GetGraph(ctx, id, nil)
	if err != nil {
		log.Fatal(err)
	}

	theirs.AddNode("8.8.4.4", vtgraph.NodeTypeIPAddress)
	if err := theirs.AddLink("hooli.com", "8.8.4.4", "resolutions"); err != nil {
		log.Fatal(err)
	}
	if _, err := bob.SaveGraph(ctx, theirs); err != nil {
		log.Fatal(err)
	}

	mine.AddNode("hooli.net", vtgraph.NodeTypeDomain).Text = "typo-squat"
	_, err = alice.SaveGraph(ctx, mine)
	var conflict *vtgraph.ConflictError
	if errors.As(err, &conflict) {
		fmt.Println("refused:", errors.Is(err, vtgraph.ErrConflict), conflict.ServerDate.After(conflict.LoadedDate))
	}

	saved, err := alice.SaveGraph(ctx, mine, vtgraph.MergeOnConflict(base))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(saved.Node("8.8.4.4") != nil, saved.Node("hooli.net").Text)
	// Output:
	// refused: true true
	// true typo-squat
}

func ExampleDiffGraphs() {
	g := vtgraph.NewGraph("Hooli")
	g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	if err := g.AddLink("hooli.com", "8.8.8.8", "resolutions"); err != nil {
		log.Fatal(err)
	}

	edited := g.Clone()
	edited.Node("hooli.com").Text = "root"
	edited.Node("8.8.8.8").Pin(300, 40)
	edited.AddNode("8.8.4.4", vtgraph.NodeTypeIPAddress)
	if err := edited.AddLink("hooli.com", "8.8.4.4", "resolutions"); err != nil {
		log.Fatal(err)
	}

	d := vtgraph.DiffGraphs(g, edited)
	fmt.Print(d)
	moves, err := json.Marshal(d.MovedNodes)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(moves))
	// Output:
	// + node 8.8.4.4 (ip_address)
	// ~ node hooli.com text: "" -> "root"
	// > node 8.8.8.8 (120, 0) -> (300, 40) pinned
	// + link relationships_resolutions_hoolicom -> 8.8.4.4 (resolutions)
	// [{"entity_id":"8.8.8.8","from":{"x":120,"y":0},"to":{"x":300,"y":40,"fx":300,"fy":40}}]
}

func ExampleMergeGraphs() {
	base := vtgraph.NewGraph("Hooli")
	base.AddNode("hooli.com", vtgraph.NodeTypeDomain)
	base.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)

	local, remote := base.Clone(), base.Clone()
	local.Node("hooli.com").Text = "C2"
	local.Node("8.8.8.8").Text = "resolver"
	remote.Node("hooli.com").Text = "sinkhole"
	remote.Node("8.8.8.8").X = 500

	merged, conflicts := vtgraph.MergeGraphs(base, local, remote)
	for _, c := range conflicts {
		fmt.Println(c)
	}
	n := merged.Node("8.8.8.8")
	fmt.Println(n.Text, n.X)
	// Output:
	// node hooli.com text: changed on both sides (base "", local "C2", remote "sinkhole"); unresolved
	// resolver 500
}
