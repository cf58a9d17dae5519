package vtgraph

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Filter is a graph search query, the filter parameter of a graph search.
// Filters are immutable values built with the Filter… functions and combined
// with FilterAnd, FilterOr and FilterNot. The zero Filter is empty: it
// matches every graph and sends no filter parameter.
//
// Rendering follows the search endpoint's documentation:
//   - a modifier is written "name:value"; a value containing white space, a
//     quote, a backslash, a colon or a parenthesis is written in double quotes
//     with quotes and backslashes escaped, so FilterLabel("Kill switch")
//     gives label:"Kill switch" where the documentation's table shows the
//     unquoted label:Kill switch, which the engine would read as the label
//     "Kill" and the free word "switch";
//   - dates are written zero-padded, YYYY-MM-DD, from the time's own calendar
//     day (convert with [time.Time.UTC] first if that is the day you mean);
//     for another form, such as the documentation's 2018-11-1, use
//     FilterModifier;
//   - a comparison adds the documented suffix after the value: "+" for
//     CmpGreater, "-" for CmpLess;
//   - a range is the same modifier twice, FilterAnd(FilterCreationDate(from,
//     CmpGreater), FilterCreationDate(to, CmpLess)), written
//     creation_date:2018-11-01+ creation_date:2018-11-12-;
//   - FilterAnd joins with a space (the engine's implicit AND, as in the
//     documentation's range example), FilterOr with " OR ", FilterNot
//     prefixes "NOT "; a combination nested inside a different operator, and
//     a raw filter of several words combined with anything, is put in
//     parentheses because the documentation does not state the operators'
//     precedence.
type Filter struct {
	e *filterExpr
}

// Cmp chooses how a date or number modifier compares with its value.
type Cmp int

const (
	// CmpEqual matches the value exactly; it adds no suffix.
	CmpEqual Cmp = iota
	// CmpGreater matches values greater than the value; it adds "+".
	CmpGreater
	// CmpLess matches values less than the value; it adds "-".
	CmpLess
)

func (c Cmp) suffix() (string, bool) {
	switch c {
	case CmpEqual:
		return "", true
	case CmpGreater:
		return "+", true
	case CmpLess:
		return "-", true
	}
	return "", false
}

type filterKind uint8

const (
	fkTerm filterKind = iota
	fkText
	fkRaw
	fkAnd
	fkOr
	fkNot
)

type filterExpr struct {
	kind filterKind
	// name is the modifier of a term.
	name string
	// value is a term's value before quoting, a free text, or a raw filter.
	value string
	// typed marks a value this package formatted itself (date, number,
	// boolean); it needs neither checks nor quoting.
	typed bool
	// suffix is a term's comparison suffix, written after any quoting.
	suffix string
	// bad holds a problem found when the filter was built, reported by Build.
	bad  string
	kids []Filter
}

func filterTerm(name, value string) Filter {
	return Filter{&filterExpr{kind: fkTerm, name: name, value: value}}
}

func filterDate(name string, t time.Time, c Cmp) Filter {
	e := &filterExpr{kind: fkTerm, name: name, typed: true}
	if t.IsZero() {
		e.bad = "date must not be the zero time"
	}
	e.value = t.Format(time.DateOnly)
	e.suffix = filterCmpSuffix(e, c)
	return Filter{e}
}

func filterNumber(name string, n int, c Cmp) Filter {
	e := &filterExpr{kind: fkTerm, name: name, typed: true, value: strconv.Itoa(n)}
	if n < 0 {
		e.bad = "must not be negative, got " + e.value
	}
	e.suffix = filterCmpSuffix(e, c)
	return Filter{e}
}

func filterCmpSuffix(e *filterExpr, c Cmp) string {
	s, ok := c.suffix()
	if !ok && e.bad == "" {
		e.bad = "unknown comparison " + strconv.Itoa(int(c))
	}
	return s
}

// FilterID matches the graph with the given identifier (id:).
func FilterID(id string) Filter { return filterTerm("id", id) }

// FilterName matches graphs by name (name:).
func FilterName(name string) Filter { return filterTerm("name", name) }

// FilterOwner matches graphs owned by the user (owner:).
func FilterOwner(user string) Filter { return filterTerm("owner", user) }

// FilterGroup matches graphs owned by the group (group:).
func FilterGroup(group string) Filter { return filterTerm("group", group) }

// FilterVisibleToUser matches graphs the user can see (visible_to_user:).
func FilterVisibleToUser(user string) Filter { return filterTerm("visible_to_user", user) }

// FilterVisibleToGroup matches graphs the group can see (visible_to_group:).
func FilterVisibleToGroup(group string) Filter { return filterTerm("visible_to_group", group) }

// FilterPrivate matches private graphs, or public ones when private is false
// (private:).
func FilterPrivate(private bool) Filter {
	return Filter{&filterExpr{kind: fkTerm, name: "private", typed: true, value: strconv.FormatBool(private)}}
}

// FilterCreationDate matches graphs by the day they were created
// (creation_date:).
func FilterCreationDate(day time.Time, c Cmp) Filter { return filterDate("creation_date", day, c) }

// FilterLastModifiedDate matches graphs by the day they were last modified
// (last_modified_date:).
func FilterLastModifiedDate(day time.Time, c Cmp) Filter {
	return filterDate("last_modified_date", day, c)
}

// FilterTotalNodes matches graphs by their number of nodes (total_nodes:).
func FilterTotalNodes(n int, c Cmp) Filter { return filterNumber("total_nodes", n, c) }

// FilterCommentsCount matches graphs by their number of comments
// (comments_count:).
func FilterCommentsCount(n int, c Cmp) Filter { return filterNumber("comments_count", n, c) }

// FilterViewsCount matches graphs by their number of views (views_count:).
func FilterViewsCount(n int, c Cmp) Filter { return filterNumber("views_count", n, c) }

// FilterLabel matches graphs holding a node with the label (label:).
func FilterLabel(label string) Filter { return filterTerm("label", label) }

// FilterFile matches graphs holding the file, by hash (file:).
func FilterFile(hash string) Filter { return filterTerm("file", hash) }

// FilterDomain matches graphs holding the domain (domain:).
func FilterDomain(domain string) Filter { return filterTerm("domain", domain) }

// FilterIPAddress matches graphs holding the IP address (ip_address:).
func FilterIPAddress(ip string) Filter { return filterTerm("ip_address", ip) }

// FilterURL matches graphs holding the URL (url:).
func FilterURL(u string) Filter { return filterTerm("url", u) }

// FilterActor matches graphs holding the threat actor (actor:).
func FilterActor(actor string) Filter { return filterTerm("actor", actor) }

// FilterVictim matches graphs holding the victim (victim:).
func FilterVictim(victim string) Filter { return filterTerm("victim", victim) }

// FilterEmail matches graphs holding the email address (email:).
func FilterEmail(email string) Filter { return filterTerm("email", email) }

// FilterDepartment matches graphs holding the department (department:).
func FilterDepartment(department string) Filter { return filterTerm("department", department) }

// FilterModifier writes any modifier as name:value, quoting the value like
// the typed constructors do. It covers modifiers this package does not know
// yet and value forms it does not produce, such as
// FilterModifier("creation_date", "2018-11-1+").
func FilterModifier(name, value string) Filter {
	f := filterTerm(name, value)
	if !validModifierName(name) {
		f.e.bad = "modifier name " + strconv.Quote(name) + " must be lower-case letters, digits and underscores"
	}
	return f
}

// FilterText is a free-text search over every field of a graph. Text that is
// more than one plain word, or that could be read as a modifier or operator,
// is quoted and so searched as one phrase; combine several FilterText with
// FilterAnd to search for separate words.
func FilterText(text string) Filter {
	return Filter{&filterExpr{kind: fkText, value: text}}
}

// FilterRaw inserts a filter written by hand, verbatim, for syntax the builder
// does not cover. An empty or blank raw filter is an empty Filter, so a value
// read from configuration can be passed through as is.
func FilterRaw(filter string) Filter {
	if strings.TrimSpace(filter) == "" {
		return Filter{}
	}
	return Filter{&filterExpr{kind: fkRaw, value: filter}}
}

// FilterAnd matches graphs that match every filter. Empty filters are left
// out; with none left the result is empty.
func FilterAnd(filters ...Filter) Filter {
	return Filter{&filterExpr{kind: fkAnd, kids: append([]Filter(nil), filters...)}}
}

// FilterOr matches graphs that match at least one filter. Empty filters are
// left out; with none left the result is empty.
func FilterOr(filters ...Filter) Filter {
	return Filter{&filterExpr{kind: fkOr, kids: append([]Filter(nil), filters...)}}
}

// FilterNot matches graphs that do not match f. Negating an empty filter is an
// error reported by Build, since it would match nothing.
func FilterNot(f Filter) Filter {
	return Filter{&filterExpr{kind: fkNot, kids: []Filter{f}}}
}

// Build checks f and returns the filter parameter. Every problem (an empty
// value, a control character such as a newline, invalid UTF-8, a negative
// count, an unknown comparison) is reported at once in a *ParamError, with
// paths such as "filter.or[1].owner".
func (f Filter) Build() (string, error) {
	var p paramProblems
	f.check("filter", &p)
	if err := p.err(); err != nil {
		return "", err
	}
	return f.String(), nil
}

// String renders f without checking it, which suits logs and debugging; use
// Build for a value to send.
func (f Filter) String() string {
	s, _ := f.render()
	return s
}

func (f Filter) empty() bool {
	s, _ := f.render()
	return s == ""
}

func (f Filter) check(path string, p *paramProblems) {
	e := f.e
	if e == nil {
		return
	}
	switch e.kind {
	case fkTerm:
		path += "." + e.name
		if e.bad != "" {
			p.add(path, e.bad)
		} else if !e.typed {
			checkFilterValue(path, e.value, p)
		}
	case fkText:
		checkFilterValue(path+".text", e.value, p)
	case fkRaw:
		checkFilterValue(path+".raw", e.value, p)
	case fkAnd, fkOr:
		op := "and"
		if e.kind == fkOr {
			op = "or"
		}
		for i, k := range e.kids {
			k.check(path+"."+op+"["+strconv.Itoa(i)+"]", p)
		}
	case fkNot:
		path += ".not"
		if e.kids[0].empty() {
			p.add(path, "must not negate an empty filter")
			return
		}
		e.kids[0].check(path, p)
	}
}

func checkFilterValue(path, v string, p *paramProblems) {
	switch {
	case strings.TrimSpace(v) == "":
		p.add(path, "must not be empty")
	case !utf8.ValidString(v):
		p.add(path, "must be valid UTF-8")
	case strings.ContainsFunc(v, isCtrlRune):
		p.add(path, "must not contain control characters such as a newline")
	}
}

// Binding of a rendered filter, used to decide where parentheses are needed.
const (
	fbAtom = iota // a term, a free text or a one-word raw filter
	fbNot
	fbAnd
	fbOr
	fbOpaque // a raw filter of several words: its structure is unknown
)

func (f Filter) render() (string, int) {
	e := f.e
	if e == nil {
		return "", fbAtom
	}
	switch e.kind {
	case fkTerm:
		v := e.value
		if !e.typed {
			v = quoteIfNeeded(v, false)
		}
		return e.name + ":" + v + e.suffix, fbAtom
	case fkText:
		return quoteIfNeeded(e.value, true), fbAtom
	case fkRaw:
		if strings.ContainsFunc(strings.TrimSpace(e.value), unicode.IsSpace) {
			return e.value, fbOpaque
		}
		return e.value, fbAtom
	case fkNot:
		s, b := e.kids[0].render()
		if s == "" {
			return "", fbAtom
		}
		if b != fbAtom {
			s = "(" + s + ")"
		}
		return "NOT " + s, fbNot
	}
	bind, sep := fbAnd, " "
	if e.kind == fkOr {
		bind, sep = fbOr, " OR "
	}
	var (
		parts    []string
		lone     string
		loneBind int
	)
	for _, k := range e.kids {
		s, b := k.render()
		if s == "" {
			continue
		}
		lone, loneBind = s, b
		if b != fbAtom && b != fbNot && b != bind {
			s = "(" + s + ")"
		}
		parts = append(parts, s)
	}
	switch len(parts) {
	case 0:
		return "", fbAtom
	case 1:
		// A lone operand is not wrapped: it keeps its own binding.
		return lone, loneBind
	}
	return strings.Join(parts, sep), bind
}

// quoteIfNeeded quotes v when the search syntax would otherwise split it or
// read part of it as syntax. Free text is also quoted when it would be read
// as an operator or a negation.
func quoteIfNeeded(v string, freeText bool) string {
	need := strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"\():`, r)
	})
	if freeText && !need {
		switch strings.ToUpper(v) {
		case "AND", "OR", "NOT":
			need = true
		}
		need = need || strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+")
	}
	if !need {
		return v
	}
	var b strings.Builder
	b.Grow(len(v) + 2)
	b.WriteByte('"')
	for _, r := range v {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

func validModifierName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
