package vtgraphtest

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPaginateMatchesSortedListing pages through random listings, with
// repeated strings and numbers and both orders, and checks that the pages
// put together are the whole listing in the order a full sort gives, each
// item once, with a cursor on every page but the last.
func TestPaginateMatchesSortedListing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := r.IntN(120)
		keys := make([]pageKey, n)
		for i := range keys {
			keys[i] = pageKey{S: string(rune('a' + r.IntN(3))), N: int64(r.IntN(4)), Q: int64(i)}
		}
		r.Shuffle(n, func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		desc := trial%2 == 1
		limit := 1 + r.IntN(45)
		want := slices.Clone(keys)
		slices.SortFunc(want, func(a, b pageKey) int { return compareKeys(a, b, desc) })
		before := slices.Clone(keys)

		var got []pageKey
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > n+1 {
				t.Fatalf("trial %d: no last page after %d pages", trial, pages)
			}
			page, next, err := paginate(keys, func(k pageKey) pageKey { return k }, desc, &cursor, limit)
			if err != nil {
				t.Fatalf("trial %d: %v", trial, err)
			}
			if len(page) > limit || (next != "" && len(page) != limit) {
				t.Fatalf("trial %d: a page of %d items with limit %d and next %q", trial, len(page), limit, next)
			}
			got = append(got, page...)
			if next == "" {
				break
			}
			cursor = next
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d (n=%d, limit=%d, desc=%v): pages\n%v\nwant\n%v", trial, n, limit, desc, got, want)
		}
		if !slices.Equal(keys, before) {
			t.Fatalf("trial %d: paginate reordered its input", trial)
		}
	}
}

// TestPaginateReadsEachKeyOnce checks the cost of a page: one key per item,
// not two per comparison of a sort of the whole listing, which made every
// page of a 10,000-graph search sort all 10,000.
func TestPaginateReadsEachKeyOnce(t *testing.T) {
	const n, limit = 10_000, 40
	items := make([]int, n)
	for i := range items {
		items[i] = (i * 7919) % n // every number once, out of order
	}
	calls := 0
	key := func(i int) pageKey { calls++; return pageKey{Q: int64(i)} }
	cursor := encodeCursor(pageKey{Q: n / 2})
	page, next, err := paginate(items, key, false, &cursor, limit)
	if err != nil {
		t.Fatal(err)
	}
	if calls != n {
		t.Errorf("a page read %d keys of %d items, want each once", calls, n)
	}
	if len(page) != limit || page[0] != n/2+1 || page[limit-1] != n/2+limit || next == "" {
		t.Errorf("page %v…%v (%d items), next %q; want %d…%d and a cursor", page[0], page[len(page)-1], len(page), next, n/2+1, n/2+limit)
	}
}

// TestPageInOrderMatchesPaginate checks that slicing a listing already in
// order gives the pages, and the cursors, that paginate gives for keys
// {Q: position}, for every cursor either could be handed: its own, those of
// other listings (with S or N set) and positions past either end.
func TestPageInOrderMatchesPaginate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		n := r.IntN(60)
		items := make([]int, n)
		for i := range items {
			items[i] = i
		}
		limit := 1 + r.IntN(45)
		var cursor *string
		if trial%10 != 0 {
			k := pageKey{Q: int64(r.IntN(n+4) - 2)}
			switch r.IntN(4) {
			case 0:
				k.S = "x"
			case 1:
				k.N = int64(r.IntN(3) - 1)
			}
			c := encodeCursor(k)
			cursor = &c
		}
		want, wantNext, err := paginate(items, func(i int) pageKey { return pageKey{Q: int64(i)} }, false, cursor, limit)
		if err != nil {
			t.Fatal(err)
		}
		start, end, next, err := pageInOrder(n, cursor, limit)
		if err != nil {
			t.Fatal(err)
		}
		if got := items[start:end]; !slices.Equal(got, want) || next != wantNext {
			t.Fatalf("trial %d (n=%d, limit=%d): page %v next %q, want %v next %q", trial, n, limit, got, next, want, wantNext)
		}
	}
	bad := "!!"
	if _, _, _, err := pageInOrder(3, &bad, 10); err == nil || err.code != "InvalidArgumentError" {
		t.Errorf("an invalid cursor gives %v, want InvalidArgumentError", err)
	}
}
