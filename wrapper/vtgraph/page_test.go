package vtgraph

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"testing"
)

func TestNextCursor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, meta, next, want string
	}{
		{"meta cursor", "CuAB", "", "CuAB"},
		{"meta cursor wins over links.next", "CuAB", "https://www.virustotal.com/api/v3/graphs?cursor=other", "CuAB"},
		{"links.next only", "", "https://www.virustotal.com/api/v3/graphs?limit=10&cursor=Cu%2BAB%3D%3D", "Cu+AB=="},
		{"relative links.next", "", "/api/v3/graphs?cursor=abc", "abc"},
		{"links.next without cursor", "", "https://www.virustotal.com/api/v3/graphs?limit=10", ""},
		{"unparsable links.next", "", "http://[::1", ""},
		{"last page", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := nextCursor(tt.meta, tt.next); got != tt.want {
				t.Errorf("nextCursor(%q, %q) = %q, want %q", tt.meta, tt.next, got, tt.want)
			}
		})
	}
}

func TestNewPage(t *testing.T) {
	t.Parallel()
	three := 3
	tests := []struct {
		name       string
		meta       string
		next       string
		wantCursor string
		wantCount  *int
		wantErr    bool
	}{
		{name: "cursor and count", meta: `{"cursor":"CuAB","count":3}`, wantCursor: "CuAB", wantCount: &three},
		{name: "no meta", meta: `null`},
		{name: "null members", meta: `{"cursor":null,"count":null}`},
		{name: "cursor from links.next", meta: `{}`, next: "https://x/graphs?cursor=n1", wantCursor: "n1"},
		{name: "cursor of the wrong type", meta: `{"cursor":7}`, wantErr: true},
		{name: "count of the wrong type", meta: `{"count":"many"}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var meta map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tt.meta), &meta); err != nil {
				t.Fatal(err)
			}
			p, err := newPage([]string{"a", "b"}, meta, tt.next)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("newPage = %+v, want an error", p)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.NextCursor != tt.wantCursor || p.HasMore() != (tt.wantCursor != "") {
				t.Errorf("NextCursor = %q, HasMore = %v; want %q", p.NextCursor, p.HasMore(), tt.wantCursor)
			}
			if (p.Meta.Count == nil) != (tt.wantCount == nil) || (p.Meta.Count != nil && *p.Meta.Count != *tt.wantCount) {
				t.Errorf("Meta.Count = %v, want %v", p.Meta.Count, tt.wantCount)
			}
			if !slices.Equal(p.Items, []string{"a", "b"}) || len(p.Meta.Raw) != len(meta) {
				t.Errorf("page = %+v", p)
			}
		})
	}
	var nilPage *Page[int]
	if nilPage.HasMore() {
		t.Error("a nil page has more")
	}
}

func TestListOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    ListOptions
		want    url.Values
		wantErr string
	}{
		{name: "defaults", opts: ListOptions{}, want: url.Values{}},
		{name: "smallest limit", opts: ListOptions{Limit: 1}, want: url.Values{"limit": {"1"}}},
		{name: "largest limit", opts: ListOptions{Limit: 40, Cursor: "CuAB"}, want: url.Values{"limit": {"40"}, "cursor": {"CuAB"}}},
		{name: "limit too large", opts: ListOptions{Limit: 41}, wantErr: "vtgraph: invalid parameters: limit: must be between 1 and 40, got 41"},
		{name: "negative limit", opts: ListOptions{Limit: -5}, wantErr: "vtgraph: invalid parameters: limit: must be between 1 and 40, got -5"},
		{
			name:    "every problem at once",
			opts:    ListOptions{Limit: 99, Cursor: "a\nb"},
			wantErr: "vtgraph: invalid parameters: limit: must be between 1 and 40, got 99; cursor: must not contain control characters",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := tt.opts.params()
			if tt.wantErr != "" {
				var pe *ParamError
				if !errors.As(err, &pe) || err.Error() != tt.wantErr {
					t.Fatalf("params error = %v, want %s", err, tt.wantErr)
				}
				if verr := tt.opts.Validate(); verr == nil || verr.Error() != tt.wantErr {
					t.Errorf("Validate = %v, want %s", verr, tt.wantErr)
				}
				return
			}
			if err != nil || q.Encode() != tt.want.Encode() {
				t.Errorf("params = %v, %v; want %v", q, err, tt.want)
			}
		})
	}
}

// params validates o and returns the query parameters a list call sends.
func (o ListOptions) params() (url.Values, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	q := url.Values{}
	o.set(q)
	return q, nil
}

// set writes o's query parameters into q, leaving out the unset ones, as the
// generated request builders do with the parameters pageParams returns.
func (o ListOptions) set(q url.Values) {
	limit, cursor := pageParams(o)
	if limit != nil {
		q.Set("limit", strconv.Itoa(int(*limit)))
	}
	if cursor != nil {
		q.Set("cursor", *cursor)
	}
}
