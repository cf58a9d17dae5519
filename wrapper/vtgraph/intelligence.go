package vtgraph

import (
	"context"
	"encoding/json"
	"iter"
	"strconv"
	"strings"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// MaxSearchPageSize is the largest page intelligence search serves.
const MaxSearchPageSize = 300

// IntelligenceSearchOptions are the parameters of [Client.SearchIntelligence].
type IntelligenceSearchOptions struct {
	// Query is the search, in the syntax of the VirusTotal Intelligence user
	// interface, such as "type:peexe p:5+" or a hash; it is required.
	Query string
	// Order sorts the results: an attribute followed by "+" (ascending,
	// the default) or "-" (descending), such as "last_submission_date-" or
	// "positives-". Empty leaves the order to VirusTotal.
	Order string
	// DescriptorsOnly returns only the type and id of each result, which is
	// faster when the attributes are not needed.
	DescriptorsOnly bool
	// Limit is the page size, 1 to MaxSearchPageSize; zero leaves it to the
	// server, which gives 10.
	Limit int
	// Cursor continues a search where an earlier page ended: its NextCursor.
	Cursor string
}

// Validate reports every invalid field of o as a *ParamError.
func (o *IntelligenceSearchOptions) Validate() error {
	var p paramProblems
	o.check(&p)
	return p.err()
}

func (o *IntelligenceSearchOptions) check(p *paramProblems) {
	if strings.TrimSpace(o.Query) == "" {
		p.add("query", "empty")
	}
	if strings.ContainsFunc(o.Query, isCtrlRune) {
		p.add("query", "must not contain control characters")
	}
	if o.Order != "" {
		field := strings.TrimSuffix(strings.TrimSuffix(o.Order, "+"), "-")
		if field == "" || strings.ContainsFunc(field, func(r rune) bool { return (r < 'a' || r > 'z') && r != '_' && (r < '0' || r > '9') }) {
			p.addf("order", "%s is not an attribute name followed by an optional + or -", strconv.Quote(truncateValue(o.Order)))
		}
	}
	if o.Limit != 0 && (o.Limit < 1 || o.Limit > MaxSearchPageSize) {
		p.addf("limit", "must be between 1 and %d, got %d", MaxSearchPageSize, o.Limit)
	}
	if strings.ContainsFunc(o.Cursor, isCtrlRune) {
		p.add("cursor", "must not contain control characters")
	}
}

// SearchIntelligence returns one page of the files, URLs, domains and IP
// addresses matching a VirusTotal Intelligence query, with the cursor of the
// next page; Meta.Raw["total_hits"] counts every match, and
// [TotalHits] reads it. opts is checked before sending; a nil opts or an
// empty query is a *ParamError. Intelligence search needs a premium API
// key: without one VirusTotal answers 403, returned as a *PremiumError.
//
// API: GET /intelligence/search
// (https://docs.virustotal.com/reference/intelligence-search).
func (c *Client) SearchIntelligence(ctx context.Context, opts *IntelligenceSearchOptions) (*Page[*Entity], error) {
	var o IntelligenceSearchOptions
	if opts != nil {
		o = *opts
	}
	var p paramProblems
	o.check(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	params := &vtapi.IntelligenceSearchParams{Query: o.Query, Order: optional(o.Order), Cursor: optional(o.Cursor)}
	if o.Limit != 0 {
		n := int32(o.Limit) // checked to be within 1..MaxSearchPageSize
		params.Limit = &n
	}
	if o.DescriptorsOnly {
		params.DescriptorsOnly = &o.DescriptorsOnly
	}
	resp, err := c.api.IntelligenceSearch(ctx, params)
	body := pageBody[*Entity]{decode: scanListedEntity}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, premiumError(err, "", "")
	}
	return body.page, nil
}

// SearchIntelligenceIter returns an iterator over every match of a search,
// page after page; see [Client.SearchGraphsIter] for how iterators behave.
// The options are copied; their Cursor is where the iteration starts.
func (c *Client) SearchIntelligenceIter(ctx context.Context, opts *IntelligenceSearchOptions, it *IterOptions) iter.Seq2[*Entity, error] {
	var o IntelligenceSearchOptions
	if opts != nil {
		o = *opts
	}
	return iterate(ctx, ListOptions{Cursor: o.Cursor}, it, func(ctx context.Context, lo ListOptions) (*Page[*Entity], error) {
		page := o
		page.Cursor = lo.Cursor
		return c.SearchIntelligence(ctx, &page)
	})
}

// TotalHits returns the number of matches a search page reports
// (meta.total_hits), with ok false when the page does not say.
func TotalHits[T any](p *Page[T]) (n int64, ok bool) {
	if p == nil {
		return 0, false
	}
	raw, found := p.Meta.Raw["total_hits"]
	if !found || json.Unmarshal(raw, &n) != nil {
		return 0, false
	}
	return n, true
}
