package bench

import (
	"encoding/json"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// stixSizes are the graph sizes of the STIX benchmarks: the codec's two
// smaller ones, enough to show how the conversion scales.
var stixSizes = []int{1_000, 10_000}

// BenchmarkSTIX converts the generated graphs to a STIX bundle (export) and
// that bundle back to a graph (import). For reference, impl=map writes and
// reads the same bundle as map[string]any with encoding/json, which is
// what handling STIX without a converter costs before any of the
// conversion's work.
func BenchmarkSTIX(b *testing.B) {
	for _, n := range stixSizes {
		var g vtgraph.Graph
		if err := json.Unmarshal(graphFixture(n).object, &g); err != nil {
			b.Fatal(err)
		}
		bundle, _, err := stix.Export(&g)
		if err != nil {
			b.Fatal(err)
		}
		var generic map[string]any
		if err := json.Unmarshal(bundle, &generic); err != nil {
			b.Fatal(err)
		}
		ops := []struct {
			name string
			op   func() error
		}{
			{"op=export/impl=stix", func() error { _, _, err := stix.Export(&g); return err }},
			{"op=export/impl=map", func() error { _, err := json.MarshalIndent(generic, "", "  "); return err }},
			{"op=import/impl=stix", func() error { _, _, err := stix.Import(bundle); return err }},
			{"op=import/impl=map", func() error { var m map[string]any; return json.Unmarshal(bundle, &m) }},
		}
		for _, o := range ops {
			b.Run(sizeName(n)+"/"+o.name, func(b *testing.B) {
				b.SetBytes(int64(len(bundle)))
				b.ReportAllocs()
				for b.Loop() {
					if err := o.op(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestSTIXFixture checks that the STIX benchmarks convert the whole graph:
// nothing is dropped either way, and the bundle reads back to the same.
func TestSTIXFixture(t *testing.T) {
	var g vtgraph.Graph
	if err := json.Unmarshal(graphFixture(1_000).object, &g); err != nil {
		t.Fatal(err)
	}
	bundle, rep, err := stix.Export(&g)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Dropped) > 0 {
		t.Fatalf("the export leaves things out:\n%s", rep)
	}
	back, rep, err := stix.Import(bundle)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Dropped) > 0 {
		t.Fatalf("the import leaves things out:\n%s", rep)
	}
	again, _, err := stix.Export(back)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(bundle) {
		t.Fatal("export → import → export changes the bundle")
	}
}
