package bench

import (
	"encoding/json"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// buildSizes are the graph sizes BenchmarkBuild builds: the graphs of the
// decode benchmarks, whose 100,000 nodes have about 200,000 links.
var buildSizes = []int{1_000, 100_000}

// buildCall is one builder call.
type buildCall struct {
	kind                     byte // 'n' AddNode, 'l' AddLink, 'c' AddCommonality
	source, target, connType string
	nodeType                 vtgraph.NodeType
	members                  []string
}

// buildCalls returns the builder calls that make the generated graph with n
// nodes: AddNode for each entity, AddLink for each link through a
// relationship node and each manual link, and AddCommonality for each
// commonality node. Made from the graph once, so that the benchmark times
// the builder alone.
func buildCalls(n int) []buildCall {
	obj := generateGraph(n, genSeed)
	nodes := obj.Attributes.Nodes
	typeOf := make(map[string]string, len(nodes))
	var calls []buildCall
	for _, nd := range nodes {
		typeOf[nd.EntityID] = nd.Type
		if nd.Type != string(vtgraph.NodeTypeRelationship) {
			calls = append(calls, buildCall{kind: 'n', source: nd.EntityID, nodeType: vtgraph.NodeType(nd.Type)})
		}
	}
	sourceOf := map[string]string{}
	commonalities := map[string][]string{}
	var order []string
	for _, l := range obj.Attributes.Links {
		switch {
		case l.ConnectionType == "commonality":
			if commonalities[l.Source] == nil {
				order = append(order, l.Source)
			}
			commonalities[l.Source] = append(commonalities[l.Source], l.Target)
		case typeOf[l.Target] == string(vtgraph.NodeTypeRelationship):
			sourceOf[l.Target] = l.Source
		case typeOf[l.Source] == string(vtgraph.NodeTypeRelationship):
			calls = append(calls, buildCall{kind: 'l', source: sourceOf[l.Source], target: l.Target, connType: l.ConnectionType})
		default:
			calls = append(calls, buildCall{kind: 'l', source: l.Source, target: l.Target, connType: l.ConnectionType})
		}
	}
	for _, c := range order {
		calls = append(calls, buildCall{kind: 'c', source: c, members: commonalities[c]})
	}
	return calls
}

// replay makes the calls on a new graph.
func replay(calls []buildCall) (*vtgraph.Graph, error) {
	g := vtgraph.NewGraph("built")
	for _, c := range calls {
		switch c.kind {
		case 'n':
			g.AddNode(c.source, c.nodeType)
		case 'l':
			if err := g.AddLink(c.source, c.target, c.connType); err != nil {
				return nil, err
			}
		case 'c':
			// Each commonality gets its own value, and so its own node.
			value, _ := json.Marshal(c.source)
			if _, err := g.AddCommonality([]vtgraph.Commonality{{Commonality: "path", Value: value}}, c.members...); err != nil {
				return nil, err
			}
		}
	}
	return g, nil
}

// BenchmarkBuild builds the generated graph of n nodes with the builder
// alone: 100,000 nodes take about 200,000 links. Adding and finding cost
// amortised constant time, so the time grows with the graph.
func BenchmarkBuild(b *testing.B) {
	for _, n := range buildSizes {
		calls := buildCalls(n)
		b.Run(sizeName(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := replay(calls); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(calls)), "calls/op")
		})
	}
}

// TestBuildCallsRebuildTheGraph checks that the replayed calls make a graph
// of the size BenchmarkBuild claims, valid.
func TestBuildCallsRebuildTheGraph(t *testing.T) {
	t.Parallel()
	n := 1_000
	g, err := replay(buildCalls(n))
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	f := graphFixture(n)
	if len(g.Nodes) != f.nodes || len(g.Links) != f.links {
		t.Fatalf("built %d nodes and %d links, want %d and %d", len(g.Nodes), len(g.Links), f.nodes, f.links)
	}
	for _, id := range []string{g.Nodes[0].EntityID, g.Nodes[len(g.Nodes)-1].EntityID} {
		if g.Node(id) == nil {
			t.Fatalf("node %s not found", id)
		}
	}
}
