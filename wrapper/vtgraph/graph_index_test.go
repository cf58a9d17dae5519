package vtgraph_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// naiveNeighbours is Graph.Neighbours by a scan of every link, as it was
// computed before the builder kept an index: the reference the index is
// checked against.
func naiveNeighbours(g *vtgraph.Graph, id string) []string {
	first := func(id string) bool {
		return slices.ContainsFunc(g.Nodes, func(n vtgraph.Node) bool { return n.EntityID == id })
	}
	if !first(id) {
		return nil
	}
	var out []string
	for _, l := range g.Links {
		switch id {
		case l.Source:
			if first(l.Target) {
				out = append(out, "out "+l.ConnectionType+" "+l.Target)
			}
		case l.Target:
			if first(l.Source) {
				out = append(out, "in "+l.ConnectionType+" "+l.Source)
			}
		}
	}
	return out
}

func formatNeighbours(ns []vtgraph.Neighbour) []string {
	var out []string
	for _, n := range ns {
		dir := "in"
		if n.Outgoing {
			dir = "out"
		}
		out = append(out, dir+" "+n.ConnectionType+" "+n.Node.EntityID)
	}
	return out
}

// assertIndexAgrees checks every lookup and every node's neighbours against
// a scan of the slices.
func assertIndexAgrees(t *testing.T, g *vtgraph.Graph, step string) {
	t.Helper()
	seen := map[string]bool{}
	for i := range g.Nodes {
		id := g.Nodes[i].EntityID
		if seen[id] {
			continue
		}
		seen[id] = true
		require.Same(t, &g.Nodes[i], g.Node(id), "%s: Node(%q)", step, id)
		require.Equal(t, naiveNeighbours(g, id), formatNeighbours(g.Neighbours(id)), "%s: Neighbours(%q)", step, id)
	}
	require.Nil(t, g.Node("absent.example"), step)
}

// TestIndexFollowsEveryChange makes random builder calls and direct edits
// of Nodes and Links, and after each checks the index against the slices.
func TestIndexFollowsEveryChange(t *testing.T) {
	t.Parallel()
	for seed := range uint64(8) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 13))
			g := vtgraph.NewGraph("random")
			if seed%2 == 1 {
				g = &vtgraph.Graph{} // a literal gets its index on first use
			}
			id := func() string { return "n" + strconv.Itoa(rng.IntN(24)) + ".example" }
			types := []string{"resolutions", "contacted_ips", vtgraph.ConnectionManual, ""}
			entity := func() string {
				var ids []string
				for _, n := range g.Nodes {
					if !n.IsRelationship() {
						ids = append(ids, n.EntityID)
					}
				}
				if len(ids) == 0 {
					return id()
				}
				return ids[rng.IntN(len(ids))]
			}
			for step := range 400 {
				var what string
				switch op := rng.IntN(13); op {
				case 0, 1, 2:
					what = "AddNode"
					g.AddNode(id(), vtgraph.NodeTypeDomain)
				case 3, 4, 5:
					what = "AddLink"
					_ = g.AddLink(entity(), entity(), types[rng.IntN(len(types))])
				case 6:
					what = "AddSharedLinks"
					_, _ = g.AddSharedLinks([]string{entity(), entity()}, []string{entity()}, "contacted_ips")
				case 7:
					what = "RemoveLink"
					g.RemoveLink(entity(), entity(), types[rng.IntN(len(types))])
				case 8:
					what = "RemoveNode"
					g.RemoveNode(entity())
				case 9:
					what = "AddGroup"
					_, _ = g.AddGroup("g", entity())
				case 10:
					what = "append a node"
					g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: id(), Type: vtgraph.NodeTypeIPAddress, Index: 1000 + step})
				case 11:
					what = "append a link"
					g.Links = append(g.Links, vtgraph.Link{Source: entity(), Target: id(), ConnectionType: vtgraph.ConnectionManual})
				case 12:
					switch rng.IntN(4) {
					case 0:
						what = "delete a node"
						if len(g.Nodes) > 0 {
							i := rng.IntN(len(g.Nodes))
							g.Nodes = slices.Delete(g.Nodes, i, i+1)
						}
					case 1:
						what = "delete a link"
						if len(g.Links) > 0 {
							i := rng.IntN(len(g.Links))
							g.Links = slices.Delete(g.Links, i, i+1)
						}
					case 2:
						what = "replace the nodes"
						g.Nodes = slices.Clone(g.Nodes)
						rng.Shuffle(len(g.Nodes), func(i, j int) { g.Nodes[i], g.Nodes[j] = g.Nodes[j], g.Nodes[i] })
					case 3:
						what = "replace the links"
						g.Links = slices.Clone(g.Links)
						rng.Shuffle(len(g.Links), func(i, j int) { g.Links[i], g.Links[j] = g.Links[j], g.Links[i] })
					}
				}
				assertIndexAgrees(t, g, fmt.Sprintf("step %d (%s)", step, what))
			}
		})
	}
}

// TestBuilderCallsKeepGraphsValid makes random builder calls only: the graph
// stays valid after each.
func TestBuilderCallsKeepGraphsValid(t *testing.T) {
	t.Parallel()
	for seed := range uint64(8) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 31))
			g := vtgraph.NewGraph("random")
			id := func() string { return "n" + strconv.Itoa(rng.IntN(16)) + ".example" }
			types := []string{"resolutions", "contacted_ips", vtgraph.ConnectionManual}
			for step := range 300 {
				switch rng.IntN(8) {
				case 0, 1:
					g.AddNode(id(), vtgraph.NodeTypeDomain)
				case 2, 3:
					_ = g.AddLink(id(), id(), types[rng.IntN(len(types))])
				case 4:
					_, _ = g.AddSharedLinks([]string{id(), id(), id()}, []string{id(), id()}, types[rng.IntN(2)])
				case 5:
					g.RemoveLink(id(), id(), types[rng.IntN(len(types))])
				case 6:
					g.RemoveNode(id())
				case 7:
					_, _ = g.AddGroup("g", id(), id())
				}
				require.NoError(t, g.Validate(), "step %d", step)
				require.True(t, g.IndexesOrdered(), "step %d", step)
				assertIndexAgrees(t, g, "step "+strconv.Itoa(step))
			}
		})
	}
}

func TestIndexNoticesDirectEdits(t *testing.T) {
	t.Parallel()
	t.Run("a node renamed in place", func(t *testing.T) {
		t.Parallel()
		g := buildInvestigation(t)
		require.NotNil(t, g.Node("8.8.8.8"))
		g.Nodes[1].EntityID = "9.9.9.9"
		assert.Nil(t, g.Node("8.8.8.8"), "the old id is looked up and found gone")
		assert.Same(t, &g.Nodes[1], g.Node("9.9.9.9"))
		assert.Same(t, g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress), &g.Nodes[len(g.Nodes)-1], "added anew")
	})
	t.Run("links reordered in place", func(t *testing.T) {
		t.Parallel()
		g := buildInvestigation(t)
		require.NotEmpty(t, g.Neighbours("www.hooli.com"))
		slices.Reverse(g.Links)
		assertIndexAgrees(t, g, "reversed")
		require.True(t, g.RemoveNode("www.hooli.com"))
		for _, l := range g.Links {
			assert.NotEqual(t, "www.hooli.com", l.Source)
			assert.NotEqual(t, "www.hooli.com", l.Target)
		}
		require.NoError(t, g.Validate())
	})
	t.Run("a copy of the graph value", func(t *testing.T) {
		t.Parallel()
		g := buildInvestigation(t)
		c := *g
		c.Nodes, c.Links = slices.Clone(g.Nodes), slices.Clone(g.Links)
		require.True(t, c.RemoveNode("8.8.8.8"))
		assertIndexAgrees(t, g, "the original")
		assertIndexAgrees(t, &c, "the copy")
		assert.NotNil(t, g.Node("8.8.8.8"))
		assert.Nil(t, c.Node("8.8.8.8"))
	})
}

// TestQueriesRunConcurrently queries one decoded graph from several
// goroutines: the queries keep the index, under a lock (run with -race).
func TestQueriesRunConcurrently(t *testing.T) {
	t.Parallel()
	g := decodeGraph(t, readGraphFile(t, "vt_tools_response.json"))
	want := formatNeighbours(g.Neighbours(g.Nodes[0].EntityID))
	g = decodeGraph(t, readGraphFile(t, "vt_tools_response.json"))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				for i := range g.Nodes {
					id := g.Nodes[i].EntityID
					_ = g.Node(id)
					_ = g.Related(id)
					_ = g.Path(g.Nodes[0].EntityID, id)
				}
				assert.Equal(t, want, formatNeighbours(g.Neighbours(g.Nodes[0].EntityID)))
			}
		})
	}
	wg.Wait()
}
