package vtgraph

import (
	"errors"
	"net/url"
	"slices"
	"testing"
)

func TestSearchOptionsParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts *SearchOptions
		want string
	}{
		{name: "nil means defaults", opts: nil, want: ""},
		{name: "zero", opts: &SearchOptions{}, want: ""},
		// The documentation's "Attributes selection" example.
		{
			name: "attribute selection",
			opts: &SearchOptions{Filter: FilterOwner("bbunny"), Attributes: []string{"private", "graph_data"}},
			want: "attributes=private%2Cgraph_data&filter=owner%3Abbunny",
		},
		{
			name: "everything",
			opts: &SearchOptions{
				Filter:      FilterAnd(FilterDomain("hooli.com"), FilterCommentsCount(10, CmpGreater)),
				Order:       OrderCreationDate.Desc(),
				ListOptions: ListOptions{Limit: 40, Cursor: "CuAB"},
			},
			want: "cursor=CuAB&filter=domain%3Ahooli.com+comments_count%3A10%2B&limit=40&order=creation_date-",
		},
		{name: "raw filter", opts: &SearchOptions{Filter: FilterRaw("owner:bbunny OR owner:dduck")}, want: "filter=owner%3Abbunny+OR+owner%3Adduck"},
		{name: "empty filter sends none", opts: &SearchOptions{Filter: FilterAnd(FilterRaw(""))}, want: ""},
		{name: "ascending order", opts: &SearchOptions{Order: OrderName.Asc()}, want: "order=name%2B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := tt.opts.params()
			if err != nil {
				t.Fatal(err)
			}
			if got := q.Encode(); got != tt.want {
				t.Errorf("params = %s, want %s", got, tt.want)
			}
			if err := tt.opts.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestSearchOptionsInvalid(t *testing.T) {
	t.Parallel()
	opts := &SearchOptions{
		Filter:      FilterOr(FilterOwner("ok"), FilterLabel("a\nb")),
		Order:       OrderField("size").Asc(),
		Attributes:  []string{"private", "", "a,b", "graph data"},
		ListOptions: ListOptions{Limit: 41},
	}
	before := *opts
	q, err := opts.params()
	var pe *ParamError
	if !errors.As(err, &pe) || q != nil {
		t.Fatalf("params = %v, %v; want a *ParamError", q, err)
	}
	var paths []string
	for _, p := range pe.Problems {
		paths = append(paths, p.Path)
	}
	want := []string{"filter.or[1].label", "order", "attributes[1]", "attributes[2]", "attributes[3]", "limit"}
	if !slices.Equal(paths, want) {
		t.Errorf("paths = %q, want %q", paths, want)
	}
	if opts.Limit != before.Limit || !slices.Equal(opts.Attributes, before.Attributes) {
		t.Error("params changed the options")
	}
}

// params returns the query parameters the search request carries.
func (o *SearchOptions) params() (url.Values, error) {
	p, err := o.graphsParams()
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	for key, v := range map[string]*string{"filter": p.Filter, "order": p.Order, "attributes": p.Attributes} {
		if v != nil {
			q.Set(key, *v)
		}
	}
	ListOptions{Limit: int(deref(p.Limit)), Cursor: deref(p.Cursor)}.set(q)
	return q, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
