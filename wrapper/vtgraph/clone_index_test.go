package vtgraph

import "testing"

// TestCloneAndMergeIndexApart checks that a clone and a merged graph each
// get an index of their own: sharing the index of a graph with other
// slices makes every query on one rebuild it for the other.
func TestCloneAndMergeIndexApart(t *testing.T) {
	t.Parallel()
	g := NewGraph("apart")
	g.AddNode("hooli.com", NodeTypeDomain)
	g.AddNode("8.8.8.8", NodeTypeIPAddress)
	if err := g.AddLink("hooli.com", "8.8.8.8", "resolutions"); err != nil {
		t.Fatal(err)
	}
	merged, _ := MergeGraphs(g.Clone(), g.Clone(), g)
	for name, other := range map[string]*Graph{"clone": g.Clone(), "merged graph": merged} {
		if g.Node("hooli.com") == nil {
			t.Fatal("hooli.com not found")
		}
		gen := g.index.gen
		if other.Node("hooli.com") == nil || g.Node("8.8.8.8") == nil {
			t.Fatalf("%s: a node is not found", name)
		}
		if g.index.gen != gen {
			t.Errorf("a query on the %s rebuilt the original's index", name)
		}
		if other.index == g.index {
			t.Errorf("the %s shares the original's index", name)
		}
	}
}
