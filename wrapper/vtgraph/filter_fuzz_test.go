package vtgraph

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzFilterBuilder builds filters from arbitrary input and checks that the
// builder never panics, that Build either fails with a *ParamError or returns
// a single-line filter, and that a quoted value reads back as the value given.
func FuzzFilterBuilder(f *testing.F) {
	f.Add("Kill switch", "richard_hendricks", int64(10), 1, uint8(0))
	f.Add("a\nb", "", int64(-1), 9, uint8(3))
	f.Add(`say "hi" \o/`, "http://x.com/a", int64(1000), 2, uint8(5))
	f.Add("NOT", "-x", int64(0), 0, uint8(7))
	f.Fuzz(func(t *testing.T, a, b string, n int64, cmp int, op uint8) {
		value := FilterLabel(a)
		var filter Filter
		switch op % 8 {
		case 0:
			filter = value
		case 1:
			filter = FilterModifier(b, a)
		case 2:
			filter = FilterText(a)
		case 3:
			filter = FilterAnd(value, FilterRaw(b), FilterTotalNodes(int(n), Cmp(cmp)))
		case 4:
			filter = FilterOr(FilterNot(value), FilterText(b), FilterAnd())
		case 5:
			filter = FilterNot(FilterOr(FilterRaw(a), FilterRaw(b)))
		case 6:
			filter = FilterAnd(FilterCreationDate(time.Unix(n, 0).UTC(), Cmp(cmp)), FilterOr(value, FilterURL(b)))
		case 7:
			filter = FilterAnd(FilterOr(FilterAnd(value), FilterText(b)), FilterNot(FilterRaw(b)))
		}
		_ = filter.String()
		got, err := filter.Build()
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("Build error %v is not a *ParamError with problems", err)
			}
			return
		}
		if !utf8.ValidString(got) || strings.ContainsFunc(got, isCtrlRune) {
			t.Fatalf("Build = %q holds a control character or invalid UTF-8", got)
		}
		if got != filter.String() {
			t.Fatalf("Build = %q, String = %q", got, filter.String())
		}
		if op%8 == 0 {
			v, ok := strings.CutPrefix(got, "label:")
			if !ok {
				t.Fatalf("Build = %q, want a label modifier", got)
			}
			if back, ok := unquoteFilterValue(v); !ok || back != a {
				t.Fatalf("value %q rendered as %q, reads back as %q (ok=%v)", a, v, back, ok)
			}
		}
	})
}

// unquoteFilterValue reads a rendered modifier value back, the way the
// search syntax is assumed to: plain, or in double quotes with backslash
// escapes.
func unquoteFilterValue(s string) (string, bool) {
	if !strings.HasPrefix(s, `"`) {
		return s, !strings.ContainsAny(s, " \"\\():")
	}
	var b strings.Builder
	escaped := false
	for i, r := range s[1:] {
		switch {
		case escaped:
			b.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		case r == '"':
			return b.String(), i+2 == len(s)
		default:
			b.WriteRune(r)
		}
	}
	return "", false
}
