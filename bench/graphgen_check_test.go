package bench

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// TestFixtures keeps the benchmarks honest: the generated graphs are valid,
// have the size and shape they claim, decode to the same graph in every
// implementation, and every lossless encoder writes back the same
// attributes.
func TestFixtures(t *testing.T) {
	t.Parallel()
	for _, n := range []int{smallGraphNodes, 1_000} {
		f := graphFixture(n)
		if f.nodes != n {
			t.Fatalf("nodes=%d: generated %d nodes", n, f.nodes)
		}
		if r := float64(f.links) / float64(f.nodes); n >= 1_000 && (r < 1.8 || r > 2.2) {
			t.Errorf("nodes=%d: %d links, %.2f per node, want about 2", n, f.links, r)
		}
		if !bytes.Equal(f.object, graphFixture(n).object) {
			t.Fatalf("nodes=%d: the fixture changed between calls", n)
		}

		var g vtgraph.Graph
		if err := json.Unmarshal(f.object, &g); err != nil {
			t.Fatal(err)
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("nodes=%d: %v", n, err)
		}
		if len(g.Nodes) != f.nodes || len(g.Links) != f.links {
			t.Fatalf("nodes=%d: decoded %d nodes and %d links, want %d and %d", n, len(g.Nodes), len(g.Links), f.nodes, f.links)
		}
		var rels, pinned, special int
		for i := range g.Nodes {
			nd := &g.Nodes[i]
			if nd.IsRelationship() {
				rels++
			}
			if nd.RelationshipKind() != "" {
				special++
			}
			if nd.FX != nil {
				pinned++
			}
		}
		if n >= 1_000 && (rels < n/4 || special == 0 || pinned == 0) {
			t.Errorf("nodes=%d: %d relationship nodes, %d special, %d pinned: not the intended mix", n, rels, special, pinned)
		}

		out, err := json.Marshal(&g)
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(t, out, f.object) {
			t.Errorf("nodes=%d: vtgraph round trip changed the graph", n)
		}

		if want := `{"data":` + string(f.object) + `}`; string(f.body) != want {
			t.Fatalf("nodes=%d: the body is not the object in a data envelope", n)
		}
		for _, d := range decoders {
			v, err := d.prepare(f.body)()
			if err != nil {
				t.Fatalf("nodes=%d impl=%s: %v", n, d.impl, err)
			}
			if g, ok := v.(*vtgraph.Graph); ok {
				out, err := json.Marshal(g)
				if err != nil {
					t.Fatal(err)
				}
				if !sameJSON(t, out, f.object) {
					t.Errorf("nodes=%d impl=%s: decoded a different graph", n, d.impl)
				}
			}
		}

		want := attributesOf(t, f.object)
		for _, e := range encoders {
			if e.impl == "struct" || e.impl == "codec" {
				continue // lossy by design; not a request body
			}
			for _, update := range []bool{false, true} {
				encode, err := e.prepare(f.object, update)
				if err != nil {
					t.Fatal(err)
				}
				body, err := encode()
				if err != nil {
					t.Fatal(err)
				}
				var req struct {
					Data struct {
						Type       string          `json:"type"`
						ID         string          `json:"id"`
						Attributes json.RawMessage `json:"attributes"`
					} `json:"data"`
				}
				if err := json.Unmarshal(body, &req); err != nil {
					t.Fatal(err)
				}
				if req.Data.Type != "graph" || (req.Data.ID != "") != update {
					t.Errorf("nodes=%d impl=%s update=%v: type %q, id %q", n, e.impl, update, req.Data.Type, req.Data.ID)
				}
				if !sameJSON(t, req.Data.Attributes, want) {
					t.Errorf("nodes=%d impl=%s update=%v: the attributes differ from the document's", n, e.impl, update)
				}
			}
		}
	}
}

func attributesOf(t *testing.T, object []byte) []byte {
	t.Helper()
	var o struct {
		Attributes json.RawMessage `json:"attributes"`
	}
	if err := json.Unmarshal(object, &o); err != nil {
		t.Fatal(err)
	}
	return o.Attributes
}

// sameJSON compares two documents by value, numbers by their text.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	return reflect.DeepEqual(parseJSON(t, a), parseJSON(t, b))
}

func parseJSON(t *testing.T, data []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
