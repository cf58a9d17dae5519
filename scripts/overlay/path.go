package main

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// segment is one step of a JSONPath target: a child name, a wildcard, or an
// equality filter on a child's field.
type segment struct {
	name        string
	wildcard    bool
	filterKey   string
	filterValue string
}

func (s segment) step(in []match) []match {
	var out []match
	for _, m := range in {
		n := m.node
		switch {
		case s.filterKey != "":
			if n.Kind != yaml.SequenceNode {
				continue
			}
			for i, c := range n.Content {
				if v := lookup(c, s.filterKey); v != nil && v.Kind == yaml.ScalarNode && v.Value == s.filterValue {
					out = append(out, match{node: c, parent: n, index: i})
				}
			}
		case s.wildcard:
			switch n.Kind {
			case yaml.MappingNode:
				for i := 1; i < len(n.Content); i += 2 {
					out = append(out, match{node: n.Content[i], parent: n, index: i})
				}
			case yaml.SequenceNode:
				for i, c := range n.Content {
					out = append(out, match{node: c, parent: n, index: i})
				}
			}
		default:
			if n.Kind != yaml.MappingNode {
				continue
			}
			for i := 0; i < len(n.Content); i += 2 {
				if n.Content[i].Value == s.name {
					out = append(out, match{node: n.Content[i+1], parent: n, index: i + 1})
				}
			}
		}
	}
	return out
}

func lookup(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// parsePath parses the JSONPath subset described in the package comment.
func parsePath(p string) ([]segment, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, fmt.Errorf("target %q does not start with $", p)
	}
	rest := p[1:]
	var segs []segment
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, ".*"):
			segs = append(segs, segment{wildcard: true})
			rest = rest[2:]
		case strings.HasPrefix(rest, "[*]"):
			segs = append(segs, segment{wildcard: true})
			rest = rest[3:]
		case strings.HasPrefix(rest, "."):
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			segs = append(segs, segment{name: rest[1 : end+1]})
			rest = rest[end+1:]
		case strings.HasPrefix(rest, "[?(@."):
			end := strings.Index(rest, ")]")
			if end < 0 {
				return nil, fmt.Errorf("target %q: unterminated filter", p)
			}
			expr := rest[len("[?(@."):end]
			k, v, ok := strings.Cut(expr, "==")
			v = strings.TrimSpace(v)
			if !ok || len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
				return nil, fmt.Errorf("target %q: only [?(@.key == 'value')] filters are supported", p)
			}
			segs = append(segs, segment{filterKey: strings.TrimSpace(k), filterValue: v[1 : len(v)-1]})
			rest = rest[end+2:]
		case strings.HasPrefix(rest, "['"):
			end := strings.Index(rest, "']")
			if end < 0 {
				return nil, fmt.Errorf("target %q: unterminated ['name']", p)
			}
			segs = append(segs, segment{name: rest[2:end]})
			rest = rest[end+2:]
		default:
			return nil, fmt.Errorf("target %q: cannot parse at %q", p, rest)
		}
	}
	return segs, nil
}
