package bench

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// buildSizes are the graph sizes BenchmarkBuild builds: the graphs of the
// decode benchmarks, whose 100,000 nodes have about 200,000 links.
var buildSizes = []int{1_000, 100_000}

// buildCall is one builder call. Its strings are spans of one arena,
// so that the calls of a large graph are one object without pointers,
// which the garbage collector does not scan while the builder runs.
type buildCall struct {
	kind           byte // 'n' AddNode, 'l' AddLink, 'c' AddCommonality
	source, target span
	connType       span
	nodeType       span
	members        span // of callList.members
}

// span is a string of buildCalls' arena.
type span struct{ start, end int32 }

// callList is the calls that build one graph.
type callList struct {
	arena   string
	calls   []buildCall
	members []span
}

func (c *callList) str(s span) string { return c.arena[s.start:s.end] }

// buildCalls returns the builder calls that make the generated graph with n
// nodes: AddNode for each entity, AddLink for each link through a
// relationship node and each manual link, and AddCommonality for each
// commonality node. Made from the graph once, so that the benchmark times
// the builder alone.
func buildCalls(n int) *callList {
	obj := generateGraph(n, genSeed)
	var arena strings.Builder
	spans := map[string]span{}
	str := func(s string) span {
		if sp, ok := spans[s]; ok {
			return sp
		}
		start := int32(arena.Len())
		arena.WriteString(s)
		sp := span{start, int32(arena.Len())}
		spans[s] = sp
		return sp
	}
	nodes := obj.Attributes.Nodes
	typeOf := make(map[string]string, len(nodes))
	var calls []buildCall
	for _, nd := range nodes {
		typeOf[nd.EntityID] = nd.Type
		if nd.Type != string(vtgraph.NodeTypeRelationship) {
			calls = append(calls, buildCall{kind: 'n', source: str(nd.EntityID), nodeType: str(nd.Type)})
		}
	}
	sourceOf := map[string]string{}
	commonalities := map[string][]span{}
	var order []string
	for _, l := range obj.Attributes.Links {
		switch {
		case l.ConnectionType == "commonality":
			if commonalities[l.Source] == nil {
				order = append(order, l.Source)
			}
			commonalities[l.Source] = append(commonalities[l.Source], str(l.Target))
		case typeOf[l.Target] == string(vtgraph.NodeTypeRelationship):
			sourceOf[l.Target] = l.Source
		case typeOf[l.Source] == string(vtgraph.NodeTypeRelationship):
			calls = append(calls, buildCall{kind: 'l', source: str(sourceOf[l.Source]), target: str(l.Target), connType: str(l.ConnectionType)})
		default:
			calls = append(calls, buildCall{kind: 'l', source: str(l.Source), target: str(l.Target), connType: str(l.ConnectionType)})
		}
	}
	var members []span
	for _, c := range order {
		start := int32(len(members))
		members = append(members, commonalities[c]...)
		calls = append(calls, buildCall{kind: 'c', source: str(c), members: span{start, int32(len(members))}})
	}
	return &callList{arena: arena.String(), calls: calls, members: members}
}

// replay makes the calls on a new graph.
func replay(c *callList) (*vtgraph.Graph, error) {
	g := vtgraph.NewGraph("built")
	for i := range c.calls {
		call := &c.calls[i]
		switch call.kind {
		case 'n':
			g.AddNode(c.str(call.source), vtgraph.NodeType(c.str(call.nodeType)))
		case 'l':
			if err := g.AddLink(c.str(call.source), c.str(call.target), c.str(call.connType)); err != nil {
				return nil, err
			}
		case 'c':
			// Each commonality gets its own value, and so its own node.
			value, _ := json.Marshal(c.str(call.source))
			spans := c.members[call.members.start:call.members.end]
			members := make([]string, len(spans))
			for k, m := range spans {
				members[k] = c.str(m)
			}
			if _, err := g.AddCommonality([]vtgraph.Commonality{{Commonality: "path", Value: value}}, members...); err != nil {
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
			b.ReportMetric(float64(len(calls.calls)), "calls/op")
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
