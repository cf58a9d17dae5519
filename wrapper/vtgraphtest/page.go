package vtgraphtest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
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

// paginate sorts the items and returns the page after the cursor, and the
// cursor of the page after it, empty on the last page.
func paginate[T any](items []T, key func(T) pageKey, desc bool, cursor *string, limit int) ([]T, string, *apiError) {
	slices.SortFunc(items, func(a, b T) int { return compareKeys(key(a), key(b), desc) })
	start := 0
	if cursor != nil && *cursor != "" {
		after, err := decodeCursor(*cursor)
		if err != nil {
			return nil, "", err
		}
		start, _ = slices.BinarySearchFunc(items, after, func(item T, k pageKey) int {
			if compareKeys(key(item), k, desc) <= 0 {
				return -1
			}
			return 1
		})
	}
	end := min(start+limit, len(items))
	page := items[start:end]
	if end == len(items) {
		return page, "", nil
	}
	return page, encodeCursor(key(page[len(page)-1])), nil
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
