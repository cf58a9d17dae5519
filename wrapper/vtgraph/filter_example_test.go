package vtgraph_test

import (
	"fmt"
	"time"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func ExampleFilterAnd() {
	f := vtgraph.FilterAnd(
		vtgraph.FilterOwner("richard_hendricks"),
		vtgraph.FilterLabel("Kill switch"),
		vtgraph.FilterCommentsCount(10, vtgraph.CmpGreater),
	)
	q, err := f.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q)
	// Output: owner:richard_hendricks label:"Kill switch" comments_count:10+
}

// A range is the same modifier used twice.
func ExampleFilterCreationDate() {
	from := time.Date(2018, 11, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2018, 11, 12, 0, 0, 0, 0, time.UTC)
	f := vtgraph.FilterAnd(
		vtgraph.FilterCreationDate(from, vtgraph.CmpGreater),
		vtgraph.FilterCreationDate(to, vtgraph.CmpLess),
	)
	fmt.Println(f)
	// Output: creation_date:2018-11-01+ creation_date:2018-11-12-
}

func ExampleFilterOr() {
	f := vtgraph.FilterOr(
		vtgraph.FilterAnd(vtgraph.FilterDomain("hooli.com"), vtgraph.FilterPrivate(false)),
		vtgraph.FilterNot(vtgraph.FilterText("test graph")),
	)
	fmt.Println(f)
	// Output: (domain:hooli.com private:false) OR NOT "test graph"
}

func ExampleFilter_Build() {
	_, err := vtgraph.FilterOr(vtgraph.FilterOwner(""), vtgraph.FilterName("a\nb")).Build()
	fmt.Println(err)
	// Output: vtgraph: invalid parameters: filter.or[0].owner: must not be empty; filter.or[1].name: must not contain control characters such as a newline
}

func ExampleSearchOptions() {
	opts := &vtgraph.SearchOptions{
		Filter:      vtgraph.FilterOwner("bbunny"),
		Order:       vtgraph.OrderCreationDate.Desc(),
		Attributes:  []string{"private", "graph_data"},
		ListOptions: vtgraph.ListOptions{Limit: 50},
	}
	fmt.Println(opts.Validate())
	// Output: vtgraph: invalid parameters: limit: must be between 1 and 40, got 50
}
