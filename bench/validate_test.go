package bench

import (
	"encoding/json"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// BenchmarkValidate checks a valid graph, decoded from the same documents
// as BenchmarkDecode so the two compare.
func BenchmarkValidate(b *testing.B) {
	for _, n := range codecSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			var g vtgraph.Graph
			if err := json.Unmarshal(graphFixture(n).object, &g); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := g.Validate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
