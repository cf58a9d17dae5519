package vtgraph

import (
	"errors"
	"strings"
	"testing"
)

func TestOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		order Order
		want  string
	}{
		{Order{}, ""},
		{OrderName.Asc(), "name+"},
		{OrderOwner.Desc(), "owner-"},
		{OrderCreationDate.Desc(), "creation_date-"},
		{OrderCreationDate.Asc(), "creation_date+"},
		{OrderLastModifiedDate.Desc(), "last_modified_date-"},
		{OrderViewsCount.Desc(), "views_count-"},
		{OrderCommentsCount.Asc(), "comments_count+"},
		{Order{Field: OrderViewsCount, Descending: true}, "views_count-"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := tt.order.String(); got != tt.want {
				t.Errorf("String = %q, want %q", got, tt.want)
			}
			var p paramProblems
			tt.order.check(&p)
			if err := p.err(); err != nil {
				t.Errorf("check: %v", err)
			}
		})
	}
}

func TestOrderUnknownField(t *testing.T) {
	t.Parallel()
	var p paramProblems
	OrderField("size").Desc().check(&p)
	var pe *ParamError
	if err := p.err(); !errors.As(err, &pe) || pe.Problems[0].Path != "order" || !strings.Contains(err.Error(), `"size"`) {
		t.Errorf("check = %v, want an order problem naming the field", err)
	}
}
