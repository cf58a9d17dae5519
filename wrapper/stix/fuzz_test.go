package stix_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
)

// FuzzImport feeds arbitrary bytes to Import. Nothing may panic, every
// object must be counted once, kept or dropped, and the graph must export
// to a bundle that imports and exports again to the same bytes.
func FuzzImport(f *testing.F) {
	for _, name := range []string{"demo.golden.json", "foreign.stix.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	shapesBundle, _, err := stix.Export(shapes(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(shapesBundle)
	f.Add([]byte(`{"type":"indicator","id":"indicator--1","pattern":"[ipv4-addr:value = '198.51.100.1' OR file:hashes.MD5 = '0cc175b9c0f1b6a831c399e269772661']"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, rep, err := stix.Import(data)
		if err != nil {
			return
		}
		if n := countObjectsLenient(data); n >= 0 && rep.KeptCount()+len(rep.Dropped) != n {
			t.Fatalf("%d objects, %d kept and %d dropped:\n%s", n, rep.KeptCount(), len(rep.Dropped), rep)
		}
		out, _, err := stix.Export(g)
		if err != nil {
			t.Fatalf("exporting an imported graph: %v", err)
		}
		g2, _, err := stix.Import(out)
		if err != nil {
			t.Fatalf("importing our own bundle: %v\n%s", err, out)
		}
		again, _, err := stix.Export(g2)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(again) {
			t.Fatalf("export → import → export differs:\n%s\n%s", out, again)
		}
	})
}
