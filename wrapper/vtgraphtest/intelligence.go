package vtgraphtest

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/gen/vtapiserver"
)

// maxSearchLimit is the largest page intelligence search serves.
const maxSearchLimit = 300

// entityFilter is a compiled intelligence search query.
type entityFilter func(*stored) bool

// entityTypes maps the values of the entity: modifier to entity types.
var entityTypes = map[string]string{
	"file": typeFile, "url": typeURL, "domain": typeDomain, "ip": typeIPAddress, "ip_address": typeIPAddress,
}

// parseEntityQuery compiles a query of terms that must all match, separated
// by blanks, with quotes around values holding blanks:
//
//	entity:file|url|domain|ip   the entity type
//	type:peexe                  a file's type_tag
//	tag:phishing                one of the tags
//	p:5+  positives:5-          the malicious verdicts: at least (+), at most (-) or exactly
//	name:invoice                part of a file's meaningful_name or names
//	country:NL                  an IP address's country
//
// Any other word matches an entity whose hash, URL or URL id equals it, or
// whose id, URL, title, names or tags contain it, without regard to case.
func parseEntityQuery(q string) (entityFilter, *apiError) {
	var terms []entityFilter
	for _, tok := range lex(q) {
		if tok.op != "" || tok.text == "(" || tok.text == ")" {
			return nil, badRequest("InvalidArgumentError", "unsupported query syntax %q: the terms of a query are all required", tok.text)
		}
		mod, value, ok := strings.Cut(tok.text, ":")
		if !ok || tok.quoted || strings.HasPrefix(value, "//") || strings.Count(tok.text, ":") > 1 {
			// A URL or an IPv6 address, not a modifier.
			terms = append(terms, matchWord(strings.ToLower(tok.text)))
			continue
		}
		value = strings.ToLower(value)
		switch mod {
		case "entity":
			t, ok := entityTypes[value]
			if !ok {
				return nil, badRequest("InvalidArgumentError", "entity:%s: want file, url, domain or ip", value)
			}
			terms = append(terms, func(e *stored) bool { return e.typ == t })
		case "type":
			terms = append(terms, func(e *stored) bool { return e.typ == typeFile && strings.ToLower(attrString(e, "type_tag")) == value })
		case "tag":
			terms = append(terms, func(e *stored) bool { return slices.Contains(lowered(attrStrings(e, "tags")), value) })
		case "p", "positives":
			f, err := parseCount(mod, value)
			if err != nil {
				return nil, err
			}
			terms = append(terms, func(e *stored) bool { return f(malicious(e)) })
		case "name":
			terms = append(terms, func(e *stored) bool {
				names := append(attrStrings(e, "names"), attrString(e, "meaningful_name"))
				return slices.ContainsFunc(lowered(names), func(n string) bool { return strings.Contains(n, value) })
			})
		case "country":
			terms = append(terms, func(e *stored) bool { return strings.ToLower(attrString(e, "country")) == value })
		default:
			return nil, badRequest("InvalidArgumentError", "unsupported search modifier %q", mod+":")
		}
	}
	if len(terms) == 0 {
		return nil, badRequest("InvalidArgumentError", "the query is empty")
	}
	return func(e *stored) bool {
		for _, t := range terms {
			if !t(e) {
				return false
			}
		}
		return true
	}, nil
}

// parseCount compiles "5", "5+" or "5-".
func parseCount(mod, v string) (func(int64) bool, *apiError) {
	digits := strings.TrimRight(v, "+-")
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || len(v)-len(digits) > 1 {
		return nil, badRequest("InvalidArgumentError", "%s:%s: want a number, optionally followed by + or -", mod, v)
	}
	switch {
	case strings.HasSuffix(v, "+"):
		return func(x int64) bool { return x >= n }, nil
	case strings.HasSuffix(v, "-"):
		return func(x int64) bool { return x <= n }, nil
	}
	return func(x int64) bool { return x == n }, nil
}

func matchWord(w string) entityFilter {
	return func(e *stored) bool {
		exact := []string{e.id, attrString(e, "md5"), attrString(e, "sha1"), attrString(e, "url")}
		if u := attrString(e, "url"); u != "" {
			exact = append(exact, urlID(u))
		}
		if slices.Contains(lowered(exact), w) {
			return true
		}
		text := append([]string{e.id, attrString(e, "url"), attrString(e, "title"), attrString(e, "meaningful_name")},
			append(attrStrings(e, "names"), attrStrings(e, "tags")...)...)
		return slices.ContainsFunc(lowered(text), func(t string) bool { return t != "" && strings.Contains(t, w) })
	}
}

func attrString(e *stored, k string) string {
	var s string
	_ = json.Unmarshal(e.attrs[k], &s)
	return s
}

func attrStrings(e *stored, k string) []string {
	var s []string
	_ = json.Unmarshal(e.attrs[k], &s)
	return s
}

func lowered(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToLower(s)
	}
	return out
}

// malicious is the positives count VirusTotal searches on: the engines that
// found the entity malicious in its last analysis.
func malicious(e *stored) int64 {
	var stats struct {
		Malicious int64 `json:"malicious"`
	}
	_ = json.Unmarshal(e.attrs["last_analysis_stats"], &stats)
	return stats.Malicious
}

// sortValue reads the number an order sorts by: positives, or any numeric
// attribute such as last_submission_date or size.
func sortValue(e *stored, field string) (float64, bool) {
	if field == "positives" {
		_, ok := e.attrs["last_analysis_stats"]
		return float64(malicious(e)), ok
	}
	var n float64
	err := json.Unmarshal(e.attrs[field], &n)
	return n, err == nil
}

// searchOrder sorts matches by order ("positives-", "size+", "size"),
// entities without the field last; without an order they keep the
// universe's order.
func searchOrder(matches []*stored, order string) {
	field := strings.TrimRight(order, "+-")
	if field == "" {
		return
	}
	desc := strings.HasSuffix(order, "-")
	slices.SortStableFunc(matches, func(a, b *stored) int {
		va, oka := sortValue(a, field)
		vb, okb := sortValue(b, field)
		switch {
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		case desc:
			return cmp.Compare(vb, va)
		}
		return cmp.Compare(va, vb)
	})
}

func (a *api) IntelligenceSearch(ctx context.Context, req vtapiserver.IntelligenceSearchRequestObject) (vtapiserver.IntelligenceSearchResponseObject, error) {
	resp, err, berr := a.s.intelligenceSearch(ctx, req.Params)
	if err != nil {
		return err.intelligenceSearch(), nil
	}
	return resp, berr
}

// intelligenceSearch answers a search; the error is one building the body.
func (s *Server) intelligenceSearch(ctx context.Context, p vtapi.IntelligenceSearchParams) (vtapiserver.IntelligenceSearch200JSONResponse, *apiError, error) {
	var none vtapiserver.IntelligenceSearch200JSONResponse
	if !s.premiumUser(userFrom(ctx)) {
		return none, forbidden("Intelligence search requires a premium API key"), nil
	}
	limit := defaultLimit
	if p.Limit != nil {
		if *p.Limit < 1 || *p.Limit > maxSearchLimit {
			return none, badRequest("InvalidArgumentError", "limit must be between 1 and %d, got %d", maxSearchLimit, *p.Limit), nil
		}
		limit = int(*p.Limit)
	}
	match, err := parseEntityQuery(p.Query)
	if err != nil {
		return none, err, nil
	}
	w := s.world.Load()
	var matches []*stored
	for _, e := range w.order {
		if match(e) {
			matches = append(matches, e)
		}
	}
	if p.Order != nil {
		searchOrder(matches, *p.Order)
	}
	start, end, next, err := pageInOrder(len(matches), p.Cursor, limit)
	if err != nil {
		return none, err, nil
	}
	c := callFrom(ctx)
	descriptors := p.DescriptorsOnly != nil && *p.DescriptorsOnly
	page := matches[start:end]
	data := make([]vtapi.IntelligenceSearchResponse_Data_Item, len(page))
	for i, e := range page {
		if err := searchItem(&data[i], c.base(), e, descriptors); err != nil {
			return none, nil, err
		}
	}
	links, _ := pageInfo(c, next, len(matches))
	total := int64(len(matches))
	meta := &vtapi.IntelligenceSearchMeta{TotalHits: &total}
	if next != "" {
		meta.Cursor = &next
	}
	return vtapiserver.IntelligenceSearch200JSONResponse{Data: data, Links: links, Meta: meta}, nil, nil
}

// searchItem renders one match as the typed object of its type, with only
// its type and id for descriptors_only.
func searchItem(item *vtapi.IntelligenceSearchResponse_Data_Item, base string, e *stored, descriptorsOnly bool) error {
	self := base + entityPath(e.typ, e.id)
	links := &vtapi.ObjectLinks{Self: &self}
	var attrs map[string]any
	if !descriptorsOnly {
		attrs = entityAttributes(e)
	} else {
		links = nil
	}
	switch e.typ {
	case typeFile:
		o := vtapi.FileObject{Type: typeFile, Id: e.id, Links: links}
		if attrs != nil {
			o.Attributes = &vtapi.FileAttributes{AdditionalProperties: attrs}
		}
		return item.FromFileObject(o)
	case typeURL:
		o := vtapi.URLObject{Type: typeURL, Id: e.id, Links: links}
		if attrs != nil {
			o.Attributes = &vtapi.URLAttributes{AdditionalProperties: attrs}
		}
		return item.FromURLObject(o)
	case typeDomain:
		o := vtapi.DomainObject{Type: typeDomain, Id: e.id, Links: links}
		if attrs != nil {
			o.Attributes = &vtapi.DomainAttributes{AdditionalProperties: attrs}
		}
		return item.FromDomainObject(o)
	}
	o := vtapi.IPAddressObject{Type: typeIPAddress, Id: e.id, Links: links}
	if attrs != nil {
		o.Attributes = &vtapi.IPAddressAttributes{AdditionalProperties: attrs}
	}
	return item.FromIPAddressObject(o)
}
