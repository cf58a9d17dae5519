package vtgraph

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPosTable inserts, moves and removes positions whose hashes crowd a
// few homes and share a few tags, so that probes run long and wrap around
// the table's end, with positions large enough that the slots give them
// more bits on the way, and checks after each step that every position is
// found under its hash and no removed one is.
func TestPosTable(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	var tab posTable
	tab.reset(0)
	hashes := map[int32]uint64{}
	hashOf := func(pos int32) uint64 {
		h, ok := hashes[pos]
		if !ok {
			t.Fatalf("hash asked of position %d, which holds nothing", pos)
		}
		return h
	}
	newHash := func(pos int32) uint64 {
		// Tags shared by many, homes near the end of the table.
		return uint64(13+pos%5)<<59 | uint64(rng.Uint32())<<20 | (1<<20 - 1 - uint64(pos%3))
	}
	bits := tab.bits
	var live []int32
	next := int32(0)
	for step := range 3000 {
		switch op := rng.IntN(6); {
		case len(live) == 0 || op < 3:
			pos := next
			next += 1 + int32(rng.IntN(8)) // sparse: positions outgrow the slots' bits
			hashes[pos] = newHash(pos)
			tab.insert(hashes[pos], pos, hashOf)
			live = append(live, pos)
		case op < 5:
			i := rng.IntN(len(live))
			pos := live[i]
			hash := hashes[pos]
			tab.remove(hash, pos, hashOf)
			delete(hashes, pos)
			live = slices.Delete(live, i, i+1)
			if tab.where(hash, pos) >= 0 {
				t.Fatalf("step %d: removed position %d is still there", step, pos)
			}
		default:
			// A node moves down into a hole, as the last node does when
			// another is removed.
			i := rng.IntN(len(live))
			from := live[i]
			to := rng.Int32N(from + 1)
			if _, taken := hashes[to]; taken {
				continue
			}
			hash := hashes[from]
			tab.move(hash, from, to)
			hashes[to] = hash
			delete(hashes, from)
			live[i] = to
			if tab.where(hash, from) >= 0 || tab.where(hash, to) < 0 {
				t.Fatalf("step %d: position %d did not move to %d", step, from, to)
			}
		}
		if tab.used != len(live) || 2*tab.used > len(tab.slots) {
			t.Fatalf("step %d: %d slots of %d used, %d positions", step, tab.used, len(tab.slots), len(live))
		}
		for _, pos := range live {
			if !slices.Contains(tab.candidates(hashes[pos]), pos) {
				t.Fatalf("step %d: position %d is not found under its hash", step, pos)
			}
		}
	}
	if tab.bits == bits {
		t.Fatalf("positions up to %d did not need more than %d bits", next, bits)
	}
}

// TestPosTableDense grows a table that holds every position below some n,
// as a graph whose ids are all different makes it, which rehashes from the
// positions in order, past the bits the slots first give positions.
func TestPosTableDense(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	var tab posTable
	tab.reset(0)
	bits := tab.bits
	var hashes []uint64
	hashOf := func(pos int32) uint64 { return hashes[pos] }
	for pos := range int32(5000) {
		hashes = append(hashes, rng.Uint64())
		tab.insert(hashes[pos], pos, hashOf)
		if 2*tab.used > len(tab.slots) {
			t.Fatalf("position %d: %d slots of %d used", pos, tab.used, len(tab.slots))
		}
	}
	for pos, hash := range hashes {
		if tab.where(hash, int32(pos)) < 0 {
			t.Fatalf("position %d is not found under its hash", pos)
		}
	}
	if tab.used != len(hashes) || tab.bits == bits || len(tab.slots) < 2*len(hashes) {
		t.Fatalf("%d positions: %d used, %d bits (from %d), %d slots", len(hashes), tab.used, tab.bits, bits, len(tab.slots))
	}
}

// TestPosTableGrowsAndWidens inserts, into a table that is half full, a
// position too large for its slots' bits: the table both doubles and gives
// positions more bits, so that it stays at most half full.
func TestPosTableGrowsAndWidens(t *testing.T) {
	t.Parallel()
	var tab posTable
	tab.reset(0)
	hashes := map[int32]uint64{}
	hashOf := func(pos int32) uint64 { return hashes[pos] }
	insert := func(pos int32) {
		hashes[pos] = uint64(pos)*0x9e3779b97f4a7c15 + 1
		tab.insert(hashes[pos], pos, hashOf)
	}
	for pos := range int32(len(tab.slots) / 2) {
		insert(pos)
	}
	size, bits := len(tab.slots), tab.bits
	big := int32(1)<<bits - 1
	insert(big)
	if len(tab.slots) != 2*size || tab.bits == bits || 2*tab.used > len(tab.slots) {
		t.Fatalf("%d slots of %d used (were %d), %d bits (were %d)", tab.used, len(tab.slots), size, tab.bits, bits)
	}
	for pos, hash := range hashes {
		if tab.where(hash, pos) < 0 {
			t.Fatalf("position %d is not found under its hash", pos)
		}
	}
}
