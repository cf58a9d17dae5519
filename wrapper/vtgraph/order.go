package vtgraph

import (
	"slices"
	"strconv"
	"strings"
)

// OrderField is a field graph search results can be sorted by.
type OrderField string

// The fields the search endpoint documents as sortable.
const (
	OrderName             OrderField = "name"
	OrderOwner            OrderField = "owner"
	OrderCreationDate     OrderField = "creation_date"
	OrderLastModifiedDate OrderField = "last_modified_date"
	OrderViewsCount       OrderField = "views_count"
	OrderCommentsCount    OrderField = "comments_count"
)

var orderFields = []OrderField{
	OrderName, OrderOwner, OrderCreationDate, OrderLastModifiedDate, OrderViewsCount, OrderCommentsCount,
}

// Asc sorts by f in ascending order.
func (f OrderField) Asc() Order { return Order{Field: f} }

// Desc sorts by f in descending order.
func (f OrderField) Desc() Order { return Order{Field: f, Descending: true} }

// Order is the sort order of graph search results. The zero Order sends no
// order parameter and leaves the order to the server.
type Order struct {
	// Field is the field to sort by.
	Field OrderField
	// Descending sorts from the largest value down.
	Descending bool
}

// String renders o as the order parameter: the field followed by "-" for
// descending or "+" for ascending. The "+" is written out rather than left
// implicit because the API does not document each field's default direction.
func (o Order) String() string {
	if o.Field == "" {
		return ""
	}
	if o.Descending {
		return string(o.Field) + "-"
	}
	return string(o.Field) + "+"
}

func (o Order) check(p *paramProblems) {
	if o.Field != "" && !slices.Contains(orderFields, o.Field) {
		names := make([]string, len(orderFields))
		for i, f := range orderFields {
			names[i] = string(f)
		}
		p.addf("order", "unknown field %s, want one of %s", strconv.Quote(string(o.Field)), strings.Join(names, ", "))
	}
}
