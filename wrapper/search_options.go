package vtgraph

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// SearchOptions are the query parameters of a graph search. A nil
// *SearchOptions means the defaults: every graph the key can see, in the
// server's order, first page at the server's page size.
type SearchOptions struct {
	// Filter narrows the search; build it with the Filter… functions, or
	// pass a hand-written query with FilterRaw. The zero Filter matches every
	// graph.
	Filter Filter
	// Order sorts the results; the zero Order leaves it to the server.
	Order Order
	// Attributes selects the graph attributes to return, such as "private"
	// and "graph_data"; empty returns the server's default set.
	Attributes []string

	ListOptions
}

// Validate reports every invalid field of o at once as a *ParamError.
func (o *SearchOptions) Validate() error {
	_, err := o.params()
	return err
}

// params validates o and returns the query parameters of the search request,
// leaving out the unset ones.
func (o *SearchOptions) params() (url.Values, error) {
	q := url.Values{}
	if o == nil {
		return q, nil
	}
	var p paramProblems
	o.Filter.check("filter", &p)
	filter := o.Filter.String()
	o.Order.check(&p)
	attrs := attributesParam(o.Attributes, &p)
	o.ListOptions.check(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	if filter != "" {
		q.Set("filter", filter)
	}
	if s := o.Order.String(); s != "" {
		q.Set("order", s)
	}
	if attrs != "" {
		q.Set("attributes", attrs)
	}
	o.ListOptions.set(q)
	return q, nil
}

// attributesParam renders an attribute selection as the attributes
// parameter, a comma-separated list such as "private,graph_data".
func attributesParam(attrs []string, p *paramProblems) string {
	for i, a := range attrs {
		path := "attributes[" + strconv.Itoa(i) + "]"
		switch {
		case a == "":
			p.add(path, "must not be empty")
		case strings.ContainsFunc(a, func(r rune) bool { return r == ',' || unicode.IsSpace(r) || isCtrlRune(r) }):
			p.addf(path, "must be a single attribute name, got %s", strconv.Quote(a))
		}
	}
	return strings.Join(attrs, ",")
}
