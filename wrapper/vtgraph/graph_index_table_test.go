package vtgraph

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestHandleTable inserts and removes handles whose hashes crowd a few
// homes, so that probes run long and wrap around the table's end, and
// checks after each step that every handle is found under its hash and no
// removed one is.
func TestHandleTable(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	var tab handleTable
	tab.reset(0)
	hashOf := func(h int32) uint64 {
		// Homes near the end of the table, low halves shared by many.
		return uint64(rng.Uint32())<<32 | uint64(13+h%5)<<28 | uint64(len(tab.slots)-1-int(h%3))
	}
	hashes := map[int32]uint64{}
	var live []int32
	for step := range 1200 {
		if len(live) == 0 || rng.IntN(3) > 0 {
			h := int32(step)
			hashes[h] = hashOf(h)
			tab.insert(hashes[h], h)
			live = append(live, h)
		} else {
			i := rng.IntN(len(live))
			h := live[i]
			tab.remove(hashes[h], h)
			live = slices.Delete(live, i, i+1)
			for _, c := range tab.candidates(hashes[h]) {
				if c == h {
					t.Fatalf("step %d: removed handle %d is still there", step, h)
				}
			}
		}
		if tab.used != len(live) {
			t.Fatalf("step %d: %d slots used, %d handles", step, tab.used, len(live))
		}
		for _, h := range live {
			if !slices.Contains(tab.candidates(hashes[h]), h) {
				t.Fatalf("step %d: handle %d is not found under its hash", step, h)
			}
		}
	}
}
