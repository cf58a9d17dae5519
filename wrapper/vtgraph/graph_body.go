package vtgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"
	"unicode/utf8"
)

// graphBody returns the body of a create (id empty) or full save of g:
// {"data":{"type":"graph","id":…,"attributes":{…}}} with the attributes a
// client may write. It is written by the graph's own encoder into one buffer
// sized up front, not wrapped by encoding/json, which for a large graph would
// validate and copy the attributes again and grow its buffer on the way.
//
// The body is the one encoding/json would write: the encoder writes compact,
// HTML-escaped JSON itself, and sendable brings the raw values the graph
// holds, which a caller may have set to anything, to the same form.
func graphBody(g *Graph, id string) ([]byte, error) {
	w, err := sendable(writable(g))
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+len(id)+encodedSizeHint(w))
	b = append(b, `{"data":{"type":"graph",`...)
	if id != "" {
		b = append(b, `"id":`...)
		b = appendString(b, id)
		b = append(b, ',')
	}
	b = append(b, `"attributes":`...)
	if b, err = appendAttributes(b, w); err != nil {
		return nil, err
	}
	return append(b, "}}"...), nil
}

// writable returns a shallow copy of g without the read-only attributes,
// which the server sets and a client has no business sending.
func writable(g *Graph) *Graph {
	w := *g
	w.CommentsCount, w.ViewsCount = 0, 0
	w.CreationDate, w.LastModifiedDate = time.Time{}, time.Time{}
	w.present &^= gCommentsCount | gViewsCount | gCreationDate | gLastModifiedDate
	// A read-only attribute decoded as null lands in Extra.
	for _, k := range readOnlyAttributes {
		if _, ok := w.Extra[k]; ok {
			w.Extra = maps.Clone(w.Extra)
			for _, k := range readOnlyAttributes {
				delete(w.Extra, k)
			}
			break
		}
	}
	return &w
}

// sendable returns w with every raw value in the form encoding/json sends a
// json.RawMessage in: compacted, with <, >, &, U+2028 and U+2029 escaped. It
// replaces w's maps and node and link slices only where a value needs it,
// copying them first, since w shares them with the caller's graph. A raw
// value that is not valid JSON is an error, as it is for encoding/json.
func sendable(w *Graph) (*Graph, error) {
	var err error
	if w.ObjectExtra, err = sendableMap(w.ObjectExtra, fixedPath("")); err != nil {
		return nil, err
	}
	if w.Extra, err = sendableMap(w.Extra, fixedPath("attributes.")); err != nil {
		return nil, err
	}
	if w.GraphDataExtra, err = sendableMap(w.GraphDataExtra, fixedPath("attributes.graph_data.")); err != nil {
		return nil, err
	}
	nodesCopied := false
	for i := range w.Nodes {
		n := &w.Nodes[i]
		attrs, err := sendableMap(n.Attributes, elemPath("attributes.nodes", i, ".entity_attributes."))
		if err != nil {
			return nil, err
		}
		extra, err := sendableMap(n.Extra, elemPath("attributes.nodes", i, "."))
		if err != nil {
			return nil, err
		}
		if sameMap(attrs, n.Attributes) && sameMap(extra, n.Extra) {
			continue
		}
		if !nodesCopied {
			w.Nodes, nodesCopied = slices.Clone(w.Nodes), true
		}
		w.Nodes[i].Attributes, w.Nodes[i].Extra = attrs, extra
	}
	linksCopied := false
	for i := range w.Links {
		extra, err := sendableMap(w.Links[i].Extra, elemPath("attributes.links", i, "."))
		if err != nil {
			return nil, err
		}
		if sameMap(extra, w.Links[i].Extra) {
			continue
		}
		if !linksCopied {
			w.Links, linksCopied = slices.Clone(w.Links), true
		}
		w.Links[i].Extra = extra
	}
	return w, nil
}

// rawPath names where a map of raw values sits, for an error message; it is
// only formatted when a value is invalid.
type rawPath struct {
	list  string
	index int // -1: list is the whole path
	tail  string
}

func fixedPath(p string) rawPath { return rawPath{list: p, index: -1} }

func elemPath(list string, i int, tail string) rawPath { return rawPath{list, i, tail} }

func (p rawPath) String() string {
	if p.index < 0 {
		return p.list
	}
	return lazyPath{p.list, p.index}.String() + p.tail
}

// sendableMap returns m, or a copy of it with the values sendable changes.
func sendableMap[M ~map[string]json.RawMessage](m M, path rawPath) (M, error) {
	var out M
	for k, raw := range m {
		if sendableRaw(raw) {
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return nil, fmt.Errorf("vtgraph: encoding the request body: %s%s: %w", path, k, err)
		}
		var escaped bytes.Buffer
		json.HTMLEscape(&escaped, compact.Bytes())
		if out == nil {
			out = maps.Clone(m)
		}
		out[k] = escaped.Bytes()
	}
	if out == nil {
		return m, nil
	}
	return out, nil
}

// sameMap reports whether a and b are the same map, not merely equal ones.
func sameMap[M ~map[string]json.RawMessage](a, b M) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// sendableRaw reports whether encoding/json would marshal raw as it is:
// empty (the encoder writes null), or valid JSON without whitespace between tokens and
// without the characters it escapes for HTML. Decoded values nearly always
// are: they come from the API's compact JSON.
func sendableRaw(raw json.RawMessage) bool {
	if len(raw) == 0 {
		return true
	}
	inString := false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '"':
			inString = !inString
		case c == '\\':
			i++ // the escaped byte is not a quote that ends the string
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if !inString {
				return false
			}
		case c == '<' || c == '>' || c == '&':
			return false
		case c >= utf8.RuneSelf:
			if r, _ := utf8.DecodeRune(raw[i:]); r == '\u2028' || r == '\u2029' {
				return false
			}
		}
	}
	s := ownedJSONScanner(raw)
	return s.skip(0) == nil && s.end() == nil
}
