package vtgraphtest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

const (
	defaultLimit = 10
	maxLimit     = 40
)

// pageKey is where an item sits in a listing's order. Cursors carry the key
// of the last item served rather than an offset, so items added or removed
// while a client pages are neither repeated nor skipped.
type pageKey struct {
	S string `json:"s,omitempty"`
	N int64  `json:"n,omitempty"`
	Q int64  `json:"q"` // the item's sequence number, a unique tie-break
}

func compareKeys(a, b pageKey, desc bool) int {
	c := strings.Compare(a.S, b.S)
	if c == 0 {
		c = cmp.Compare(a.N, b.N)
	}
	if c == 0 {
		c = cmp.Compare(a.Q, b.Q)
	}
	if desc {
		return -c
	}
	return c
}

// listLimit checks a limit for the routes whose spec bounds it to 1..40.
func listLimit(limit *int32) (int, *apiError) {
	if limit == nil {
		return defaultLimit, nil
	}
	if *limit < 1 || *limit > maxLimit {
		return 0, badRequest("InvalidArgumentError", "limit must be between 1 and %d, got %d", maxLimit, *limit)
	}
	return int(*limit), nil
}

// paginate returns the page of items after the cursor in the order of
// their keys, and the cursor of the page after it, empty on the last page.
// It reads each item's key once and keeps the first limit items past the
// cursor in a bounded heap, so a page of n items costs O(n log limit)
// rather than a sort of all n: listing 10,000 graphs 40 at a time does
// not sort them 250 times. The items are not reordered.
func paginate[T any](items []T, key func(T) pageKey, desc bool, cursor *string, limit int) ([]T, string, *apiError) {
	var after pageKey
	hasAfter := cursor != nil && *cursor != ""
	if hasAfter {
		var err *apiError
		if after, err = decodeCursor(*cursor); err != nil {
			return nil, "", err
		}
	}
	limit = max(limit, 1) // the callers check limits; a page holds an item
	type keyed struct {
		item T
		key  pageKey
	}
	less := func(a, b keyed) bool { return compareKeys(a.key, b.key, desc) < 0 }
	// top is a max-heap of the limit smallest items seen so far.
	top := make([]keyed, 0, min(limit, len(items)))
	more := false
	siftDown := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(top) {
				return
			}
			if r := l + 1; r < len(top) && less(top[l], top[r]) {
				l = r
			}
			if !less(top[i], top[l]) {
				return
			}
			top[i], top[l] = top[l], top[i]
			i = l
		}
	}
	for _, it := range items {
		k := keyed{it, key(it)}
		if hasAfter && compareKeys(k.key, after, desc) <= 0 {
			continue
		}
		switch {
		case len(top) < limit:
			top = append(top, k)
			for i := len(top) - 1; i > 0; {
				parent := (i - 1) / 2
				if !less(top[parent], top[i]) {
					break
				}
				top[parent], top[i] = top[i], top[parent]
				i = parent
			}
		case less(k, top[0]):
			top[0] = k
			siftDown(0)
			more = true
		default:
			more = true
		}
	}
	slices.SortFunc(top, func(a, b keyed) int { return compareKeys(a.key, b.key, desc) })
	page := make([]T, len(top))
	for i, k := range top {
		page[i] = k.item
	}
	if !more {
		return page, "", nil
	}
	return page, encodeCursor(top[len(top)-1].key), nil
}

// pageInOrder pages a listing that is already in its order, each item keyed
// by its position i as pageKey{Q: i}: it returns the bounds of the page
// after the cursor and the cursor of the page after it, empty on the last
// page, exactly as paginate would, but without building a slice of keys for
// a relationship or a search result that merely needs slicing.
func pageInOrder(n int, cursor *string, limit int) (start, end int, next string, err *apiError) {
	if cursor != nil && *cursor != "" {
		after, err := decodeCursor(*cursor)
		if err != nil {
			return 0, 0, "", err
		}
		start = sort.Search(n, func(i int) bool { return compareKeys(pageKey{Q: int64(i)}, after, false) > 0 })
	}
	end = min(start+max(limit, 1), n)
	if end < n {
		next = encodeCursor(pageKey{Q: int64(end - 1)})
	}
	return start, end, next, nil
}

func encodeCursor(k pageKey) string {
	b, _ := json.Marshal(k)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string) (pageKey, *apiError) {
	var k pageKey
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		err = json.Unmarshal(b, &k)
	}
	if err != nil {
		return k, badRequest("InvalidArgumentError", "invalid cursor %q", c)
	}
	return k, nil
}

// pageInfo builds links and meta the way VirusTotal does: self always, next
// and meta.cursor only when there is a next page.
func pageInfo(c *call, next string, total int) (*vtapi.ListLinks, *vtapi.ListMeta) {
	self := c.origin + c.path
	if c.query != "" {
		self += "?" + c.query
	}
	links := &vtapi.ListLinks{Self: &self}
	count := int64(total)
	meta := &vtapi.ListMeta{Count: &count}
	if next != "" {
		q, _ := url.ParseQuery(c.query)
		q.Set("cursor", next)
		n := c.origin + c.path + "?" + q.Encode()
		links.Next = &n
		meta.Cursor = &next
	}
	return links, meta
}
