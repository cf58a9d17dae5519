package vtgraphtest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// searchIndex holds what search reads from a graph, computed on each write
// rather than on each search.
type searchIndex struct {
	name    string // graph_data.description, lowercased
	nodes   []node
	strings []string // every string in the attributes, lowercased
}

func indexGraph(g *graph) searchIndex {
	idx := searchIndex{name: strings.ToLower(g.name()), nodes: g.nodes()}
	for _, raw := range g.attrs {
		var v any
		if json.Unmarshal(raw, &v) == nil {
			collectStrings(v, &idx.strings)
		}
	}
	return idx
}

func collectStrings(v any, out *[]string) {
	switch v := v.(type) {
	case string:
		*out = append(*out, strings.ToLower(v))
	case []any:
		for _, e := range v {
			collectStrings(e, out)
		}
	case map[string]any:
		for _, e := range v {
			collectStrings(e, out)
		}
	}
}

// filter is a compiled search query. Callers hold s.mu while evaluating it:
// visible_to_user reads group memberships.
type filter func(*graph) bool

// nodeModifiers are the modifiers matching a graph by one of its nodes: the
// node type equals the modifier (label matches any node's text).
var nodeModifiers = map[string]bool{
	"label": true, "file": true, "domain": true, "ip_address": true, "url": true,
	"actor": true, "victim": true, "email": true, "department": true,
}

var graphModifiers = map[string]bool{
	"id": true, "name": true, "owner": true, "group": true,
	"visible_to_user": true, "visible_to_group": true, "private": true,
	"creation_date": true, "last_modified_date": true,
	"total_nodes": true, "comments_count": true, "views_count": true,
}

type token struct {
	text   string
	quoted bool // started with a quote: free text, never an operator
	op     string
}

// lex splits a query on blanks and parentheses outside quotes, dropping the
// quotes, so label:"Kill switch" is one token.
func lex(q string) []token {
	var toks []token
	var cur strings.Builder
	inQuote, started, quoted := false, false, false
	flush := func() {
		if started {
			t := token{text: cur.String(), quoted: quoted}
			if !quoted && (t.text == "AND" || t.text == "OR" || t.text == "NOT") {
				t.op = t.text
			}
			toks = append(toks, t)
		}
		cur.Reset()
		started, quoted = false, false
	}
	for _, r := range q {
		switch {
		case r == '"':
			if !started {
				quoted = true
			}
			started = true
			inQuote = !inQuote
		case inQuote:
			cur.WriteRune(r)
		case r == '(' || r == ')':
			flush()
			toks = append(toks, token{text: string(r), op: string(r)})
		case r == ' ' || r == '\t' || r == '\n':
			flush()
		default:
			started = true
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

// parser is a recursive descent over
//
//	or   = and { "OR" and }
//	and  = not { ["AND"] not }
//	not  = "NOT" not | "(" or ")" | term
type parser struct {
	s    *Server
	toks []token
	pos  int
}

func (s *Server) parseFilter(q string) (filter, *apiError) {
	p := &parser{s: s, toks: lex(q)}
	if len(p.toks) == 0 {
		return func(*graph) bool { return true }, nil
	}
	f, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, badRequest("InvalidArgumentError", "unexpected %q in filter", p.toks[p.pos].text)
	}
	return f, nil
}

func (p *parser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].op
	}
	return ""
}

func (p *parser) or() (filter, *apiError) {
	f, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek() == "OR" {
		p.pos++
		g, err := p.and()
		if err != nil {
			return nil, err
		}
		a, b := f, g
		f = func(x *graph) bool { return a(x) || b(x) }
	}
	return f, nil
}

func (p *parser) and() (filter, *apiError) {
	f, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.pos < len(p.toks) && p.peek() != "OR" && p.peek() != ")" {
		if p.peek() == "AND" {
			p.pos++
		}
		g, err := p.not()
		if err != nil {
			return nil, err
		}
		a, b := f, g
		f = func(x *graph) bool { return a(x) && b(x) }
	}
	return f, nil
}

func (p *parser) not() (filter, *apiError) {
	if p.pos >= len(p.toks) {
		return nil, badRequest("InvalidArgumentError", "filter ends unexpectedly")
	}
	t := p.toks[p.pos]
	p.pos++
	switch t.op {
	case "NOT":
		f, err := p.not()
		if err != nil {
			return nil, err
		}
		return func(x *graph) bool { return !f(x) }, nil
	case "(":
		f, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, badRequest("InvalidArgumentError", "missing ) in filter")
		}
		p.pos++
		return f, nil
	case "AND", "OR", ")":
		return nil, badRequest("InvalidArgumentError", "unexpected %q in filter", t.text)
	}
	return p.s.term(t)
}

// term compiles one modifier or free-text word. Text before a colon that is
// not a known modifier stays free text, so URLs can be searched for.
func (s *Server) term(t token) (filter, *apiError) {
	mod, value, ok := strings.Cut(t.text, ":")
	if t.quoted || !ok || (!graphModifiers[mod] && !nodeModifiers[mod]) {
		text := strings.ToLower(t.text)
		return func(g *graph) bool { return freeText(g, text) }, nil
	}
	lower := strings.ToLower(value)
	switch mod {
	case "id":
		return func(g *graph) bool { return g.id == lower }, nil
	case "name":
		return func(g *graph) bool { return strings.Contains(g.index.name, lower) }, nil
	case "owner":
		return func(g *graph) bool { return strings.EqualFold(g.owner, value) }, nil
	case "group":
		return func(g *graph) bool { return strings.EqualFold(g.group, value) }, nil
	case "visible_to_user":
		return func(g *graph) bool {
			u := s.users[value]
			return u != nil && g.role(u) >= roleViewer
		}, nil
	case "visible_to_group":
		return func(g *graph) bool {
			in := func(list []grant) bool {
				for _, p := range list {
					if p.kind == kindGroup && p.id == value {
						return true
					}
				}
				return false
			}
			return g.group == value || in(g.viewers) || in(g.editors)
		}, nil
	case "private":
		want, err := strconv.ParseBool(value)
		if err != nil {
			return nil, badRequest("InvalidArgumentError", "private: want true or false, got %q", value)
		}
		return func(g *graph) bool { return g.private == want }, nil
	case "creation_date", "last_modified_date":
		from, to, err := dateRange(value)
		if err != nil {
			return nil, badRequest("InvalidArgumentError", "%s: %v", mod, err)
		}
		return func(g *graph) bool {
			v := g.created
			if mod == "last_modified_date" {
				v = g.modified
			}
			return v >= from && v < to
		}, nil
	case "total_nodes", "comments_count", "views_count":
		cmp, err := numberTest(value)
		if err != nil {
			return nil, badRequest("InvalidArgumentError", "%s: %v", mod, err)
		}
		return func(g *graph) bool {
			switch mod {
			case "total_nodes":
				return cmp(int64(len(g.index.nodes)))
			case "comments_count":
				return cmp(int64(len(g.comments)))
			}
			return cmp(g.views)
		}, nil
	case "label":
		return func(g *graph) bool {
			for _, n := range g.index.nodes {
				if strings.Contains(strings.ToLower(n.Text), lower) {
					return true
				}
			}
			return false
		}, nil
	}
	return func(g *graph) bool {
		for _, n := range g.index.nodes {
			if n.entityType() == mod && nodeMatches(n, value) {
				return true
			}
		}
		return false
	}, nil
}

// nodeMatches compares with the entity id, the label, and the entity
// attributes, since URL nodes are keyed by a hash of the URL.
func nodeMatches(n node, value string) bool {
	if strings.EqualFold(n.EntityID, value) || strings.EqualFold(n.Text, value) {
		return true
	}
	for _, v := range n.EntityAttributes {
		if s, ok := v.(string); ok && strings.EqualFold(s, value) {
			return true
		}
	}
	return false
}

func freeText(g *graph, text string) bool {
	if strings.Contains(g.id, text) || strings.Contains(strings.ToLower(g.owner), text) {
		return true
	}
	for _, s := range g.index.strings {
		if strings.Contains(s, text) {
			return true
		}
	}
	return false
}

// splitSign separates the + (at least) or - (at most) suffix.
func splitSign(v string) (string, byte) {
	if n := len(v); n > 1 && (v[n-1] == '+' || v[n-1] == '-') {
		return v[:n-1], v[n-1]
	}
	return v, 0
}

func numberTest(v string) (func(int64) bool, error) {
	v, sign := splitSign(v)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("want a number, got %q", v)
	}
	switch sign {
	case '+':
		return func(x int64) bool { return x >= n }, nil
	case '-':
		return func(x int64) bool { return x <= n }, nil
	}
	return func(x int64) bool { return x == n }, nil
}

// dateRange turns a day (YYYY-MM-DD, padded or not, in UTC) or a Unix time,
// with an optional sign, into a half-open range of Unix seconds. Both ends
// are inclusive of the named day, so a range over two days keeps both.
func dateRange(v string) (from, to int64, err error) {
	v, sign := splitSign(v)
	var start, end int64
	if secs, perr := strconv.ParseInt(v, 10, 64); perr == nil {
		start, end = secs, secs+1
	} else {
		day, perr := time.Parse("2006-1-2", v)
		if perr != nil {
			return 0, 0, fmt.Errorf("want a date like 2018-11-1, got %q", v)
		}
		start, end = day.Unix(), day.AddDate(0, 0, 1).Unix()
	}
	switch sign {
	case '+':
		end = 1<<63 - 1
	case '-':
		start = -1 << 63
	}
	return start, end, nil
}
