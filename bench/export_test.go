package bench

import (
	"encoding/json"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// BenchmarkDOT draws a graph as Graphviz DOT, decoded from the same
// documents as BenchmarkDecode so the two compare: the picture of a graph
// should cost no more than loading it, and grow with it linearly.
func BenchmarkDOT(b *testing.B) {
	for _, n := range codecSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			var g vtgraph.Graph
			if err := json.Unmarshal(graphFixture(n).object, &g); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if len(g.DOT()) == 0 {
					b.Fatal("empty DOT")
				}
			}
		})
	}
}
