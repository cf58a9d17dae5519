package vtgraph

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// MaxPageSize is the largest page size the list endpoints accept; asking for
// more is rejected locally so the caller learns about it before a round trip.
const MaxPageSize = 40

// Page is one page of a list endpoint: the items it holds, the cursor of the
// page after it, and the page's metadata.
type Page[T any] struct {
	// Items holds the page's objects in the order the API returned them.
	Items []T
	// NextCursor is the cursor that fetches the following page; it is empty on
	// the last page.
	NextCursor string
	// Meta is the page's "meta" object.
	Meta PageMeta
}

// HasMore reports whether a page follows this one.
func (p *Page[T]) HasMore() bool { return p != nil && p.NextCursor != "" }

// PageMeta is the "meta" object of a list response. The API documents it only
// as "cursors, counts, etc.", so the raw members are kept for whatever the
// typed fields do not cover.
type PageMeta struct {
	// Cursor is meta.cursor as sent; it is empty when the API sent none.
	Cursor string
	// Count is meta.count, the total number of matches, when the API reports
	// it; nil means the API did not say, which is not the same as zero.
	Count *int
	// Raw holds every member of the meta object, undecoded.
	Raw map[string]json.RawMessage
}

// ListOptions are the paging parameters every list endpoint takes. The zero
// value asks for the first page at the server's default size.
type ListOptions struct {
	// Limit is the page size, 1 to MaxPageSize; zero leaves it to the server.
	Limit int
	// Cursor continues a listing where an earlier page ended; it is the
	// NextCursor of that page.
	Cursor string
}

// Validate reports every invalid field of o as a *ParamError.
func (o ListOptions) Validate() error {
	var p paramProblems
	o.check(&p)
	return p.err()
}

func (o ListOptions) check(p *paramProblems) {
	if o.Limit != 0 && (o.Limit < 1 || o.Limit > MaxPageSize) {
		p.addf("limit", "must be between 1 and %d, got %d", MaxPageSize, o.Limit)
	}
	if strings.ContainsFunc(o.Cursor, isCtrlRune) {
		p.add("cursor", "must not contain control characters")
	}
}

// nextCursor picks the cursor of the next page from a list envelope.
// meta.cursor is the documented source; some responses carry only links.next,
// whose cursor query parameter is the same value.
func nextCursor(metaCursor, linksNext string) string {
	if metaCursor != "" {
		return metaCursor
	}
	if linksNext == "" {
		return ""
	}
	u, err := url.Parse(linksNext)
	if err != nil {
		return ""
	}
	return u.Query().Get("cursor")
}

// newPage assembles a Page from the parts of a decoded list envelope: its
// data items, its raw meta object and its links.next.
func newPage[T any](items []T, meta map[string]json.RawMessage, linksNext string) (*Page[T], error) {
	pm := PageMeta{Raw: meta}
	if raw, ok := meta["cursor"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &pm.Cursor); err != nil {
			return nil, fmt.Errorf("vtgraph: decoding meta.cursor: %w", err)
		}
	}
	if raw, ok := meta["count"]; ok && string(raw) != "null" {
		var n int
		if err := json.Unmarshal(raw, &n); err != nil {
			return nil, fmt.Errorf("vtgraph: decoding meta.count: %w", err)
		}
		pm.Count = &n
	}
	return &Page[T]{
		Items:      items,
		NextCursor: nextCursor(pm.Cursor, linksNext),
		Meta:       pm,
	}, nil
}

// ParamError reports every invalid query parameter or iteration option of a
// call at once, so a caller can fix them all in one go. It is returned before
// any request is sent.
type ParamError struct {
	// Problems lists the invalid fields in the order they were checked. A
	// path names the field as the API spells it ("limit",
	// "filter.or[1].owner"), or as the Go field for options that never reach
	// the API ("IterOptions.MaxItems").
	Problems []FieldError
}

// Error lists every problem as "path: message".
func (e *ParamError) Error() string {
	var b strings.Builder
	b.WriteString("vtgraph: invalid parameters: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// paramProblems collects problems while a set of options is checked.
type paramProblems []FieldError

func (p *paramProblems) add(path, msg string) {
	*p = append(*p, FieldError{Path: path, Message: msg})
}

func (p *paramProblems) addf(path, format string, args ...any) {
	p.add(path, fmt.Sprintf(format, args...))
}

func (p paramProblems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ParamError{Problems: p}
}

func isCtrlRune(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
}
