package vtgraph

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
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
	_, err := o.graphsParams()
	return err
}

// graphsParams validates o and returns the parameters of the search request,
// leaving the unset ones nil so the server's defaults apply.
func (o *SearchOptions) graphsParams() (*vtapi.GraphsParams, error) {
	params := &vtapi.GraphsParams{}
	if o == nil {
		return params, nil
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
	params.Filter = optional(filter)
	params.Order = optional(o.Order.String())
	params.Attributes = optional(attrs)
	params.Limit, params.Cursor = pageParams(o.ListOptions)
	return params, nil
}

// optional returns a pointer to s, or nil when s is empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
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
