package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// editedSides returns the generated graph with n nodes and two edited
// copies of it, as two analysts leave a shared graph: each relabels,
// moves and tags 1% of the nodes, removes 0.5% with their links and adds
// as many, with links into the graph; the second side touches nodes of its
// own, so that the merge has no conflict to report.
func editedSides(b *testing.B, n int) (base, local, remote *vtgraph.Graph) {
	b.Helper()
	base = new(vtgraph.Graph)
	if err := json.Unmarshal(graphFixture(n).object, base); err != nil {
		b.Fatal(err)
	}
	local, remote = base.Clone(), base.Clone()
	edit := func(g *vtgraph.Graph, side string, offset int) {
		step := 100
		var gone []string
		for i := offset; i < len(g.Nodes); i += step {
			nd := &g.Nodes[i]
			nd.Text = side + " note " + strconv.Itoa(i)
			nd.X += 15
			nd.Attributes["tag_"+side] = json.RawMessage(`"seen"`)
			if i%(2*step) == offset {
				gone = append(gone, nd.EntityID)
			}
		}
		drop := make(map[string]bool, len(gone))
		for _, id := range gone {
			drop[id] = true
		}
		kept := g.Nodes[:0]
		for _, nd := range g.Nodes {
			if !drop[nd.EntityID] {
				kept = append(kept, nd)
			}
		}
		g.Nodes = kept
		links := g.Links[:0]
		for _, l := range g.Links {
			if !drop[l.Source] && !drop[l.Target] {
				links = append(links, l)
			}
		}
		g.Links = links
		for i := range gone {
			id := fmt.Sprintf("%s-%d.example", side, i)
			g.AddNode(id, vtgraph.NodeTypeDomain)
			// From a node neither side touches, so that no link goes to a
			// node the other side removed.
			from := base.Nodes[(25+i*step)%len(base.Nodes)].EntityID
			g.Links = append(g.Links, vtgraph.Link{Source: from, Target: id, ConnectionType: vtgraph.ConnectionManual})
		}
	}
	edit(local, "local", 0)
	edit(remote, "remote", 50)
	return base, local, remote
}

// BenchmarkMerge merges the two edited sides of a generated graph with
// their common base, as a save that met a concurrent one does.
func BenchmarkMerge(b *testing.B) {
	for _, n := range codecSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			base, local, remote := editedSides(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, conflicts := vtgraph.MergeGraphs(base, local, remote); len(conflicts) > 0 {
					b.Fatalf("%d conflicts, the first %v", len(conflicts), conflicts[0])
				}
			}
		})
	}
}

// BenchmarkDiff compares a generated graph with one side's edits of it.
func BenchmarkDiff(b *testing.B) {
	for _, n := range codecSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			base, local, _ := editedSides(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if vtgraph.DiffGraphs(base, local).Empty() {
					b.Fatal("no difference")
				}
			}
		})
	}
}

// saveDoer answers a save from memory: the check's GET with a graph holding
// only its last_modified_date, as the API does for an attribute selection,
// and the PATCH with the whole graph.
type saveDoer struct {
	check, saved memDoer
}

func (d saveDoer) Do(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet && strings.Contains(req.URL.RawQuery, "attributes=last_modified_date") {
		return d.check.Do(req)
	}
	return d.saved.Do(req)
}

// BenchmarkSaveGraph saves a loaded graph of 1,000 nodes with the check
// against a concurrent save and, for comparison, with Overwrite, which
// sends the PATCH alone. Both are answered from memory, so the figures are
// the client's own work: the check adds a request and a small decode to
// encoding the graph and decoding the server's copy.
func BenchmarkSaveGraph(b *testing.B) {
	const n = 1_000
	fx := graphFixture(n)
	var g vtgraph.Graph
	if err := json.Unmarshal(fx.object, &g); err != nil {
		b.Fatal(err)
	}
	check := fmt.Sprintf(`{"data":{"type":"graph","id":%q,"attributes":{"last_modified_date":%d}}}`, g.ID, g.LastModifiedDate.Unix())
	c, err := vtgraph.New("bench-key", vtgraph.WithDoer(saveDoer{check: memDoer{body: []byte(check)}, saved: memDoer{body: fx.body}}), vtgraph.WithoutRetries())
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		opts []vtgraph.SaveOption
	}{{"check=on", nil}, {"check=off", []vtgraph.SaveOption{vtgraph.Overwrite()}}} {
		b.Run(sizeName(n)+"/"+mode.name, func(b *testing.B) {
			ctx := context.Background()
			// Start both from a collected heap, so that the first one run
			// does not pay for the garbage of decoding the fixture.
			runtime.GC()
			b.SetBytes(int64(len(fx.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.SaveGraph(ctx, &g, mode.opts...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
