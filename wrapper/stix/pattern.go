package stix

import "strings"

// comparison is one `object-path = 'value'` of an indicator's pattern.
type comparison struct {
	objectType string
	// property is the property path after the colon, with quotes removed:
	// value, or hashes.SHA-256.
	property string
	value    string
}

// parsePattern reads the patterns that name observables: one or more
// observation expressions joined by OR, each a list of equality
// comparisons joined by OR, such as
//
//	[domain-name:value = 'a.example' OR ipv4-addr:value = '198.51.100.1']
//
// Every observable in such a pattern matches it, so each is a node. A
// pattern with AND, another operator or a qualifier describes something a
// set of nodes cannot, and is refused.
func parsePattern(p string) ([]comparison, bool) {
	s := &patternScanner{s: p}
	var out []comparison
	for {
		s.space()
		if !s.take("[") {
			return nil, false
		}
		for {
			c, ok := s.comparison()
			if !ok {
				return nil, false
			}
			out = append(out, c)
			s.space()
			if s.take("]") {
				break
			}
			if !s.keyword("OR") {
				return nil, false
			}
		}
		s.space()
		if s.done() {
			return out, true
		}
		if !s.keyword("OR") {
			return nil, false
		}
	}
}

type patternScanner struct {
	s string
	i int
}

func (s *patternScanner) done() bool { return s.i == len(s.s) }

func (s *patternScanner) space() {
	for s.i < len(s.s) && strings.IndexByte(" \t\r\n", s.s[s.i]) >= 0 {
		s.i++
	}
}

func (s *patternScanner) take(tok string) bool {
	if strings.HasPrefix(s.s[s.i:], tok) {
		s.i += len(tok)
		return true
	}
	return false
}

// keyword takes a keyword surrounded by space or brackets.
func (s *patternScanner) keyword(kw string) bool {
	s.space()
	if !s.take(kw) {
		return false
	}
	if s.i < len(s.s) && strings.IndexByte(" \t\r\n[", s.s[s.i]) < 0 {
		return false
	}
	s.space()
	return true
}

// comparison reads type:path = 'value'.
func (s *patternScanner) comparison() (comparison, bool) {
	s.space()
	var c comparison
	start := s.i
	for s.i < len(s.s) && (isLower(s.s[s.i]) || isDigit(s.s[s.i]) || s.s[s.i] == '-') {
		s.i++
	}
	c.objectType = s.s[start:s.i]
	if c.objectType == "" || !s.take(":") {
		return c, false
	}
	var path []string
	for {
		part, ok := s.pathPart()
		if !ok {
			return c, false
		}
		path = append(path, part)
		if !s.take(".") {
			break
		}
	}
	c.property = strings.Join(path, ".")
	s.space()
	if !s.take("=") {
		return c, false
	}
	s.space()
	v, ok := s.quoted()
	c.value = v
	return c, ok
}

// pathPart reads a property name or a quoted dictionary key.
func (s *patternScanner) pathPart() (string, bool) {
	if s.i < len(s.s) && s.s[s.i] == '\'' {
		return s.quoted()
	}
	start := s.i
	for s.i < len(s.s) && (isLower(s.s[s.i]) || isDigit(s.s[s.i]) || s.s[s.i] == '_' || s.s[s.i] == '-' ||
		(s.s[s.i] >= 'A' && s.s[s.i] <= 'Z')) {
		s.i++
	}
	return s.s[start:s.i], s.i > start
}

// quoted reads a single-quoted string, in which \' and \\ stand for a
// quote and a backslash.
func (s *patternScanner) quoted() (string, bool) {
	if !s.take("'") {
		return "", false
	}
	var b strings.Builder
	for s.i < len(s.s) {
		c := s.s[s.i]
		s.i++
		switch c {
		case '\'':
			return b.String(), true
		case '\\':
			if s.i == len(s.s) || (s.s[s.i] != '\'' && s.s[s.i] != '\\') {
				return "", false
			}
			b.WriteByte(s.s[s.i])
			s.i++
		default:
			b.WriteByte(c)
		}
	}
	return "", false
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
