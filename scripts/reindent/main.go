// Command reindent restores the indentation of an OpenAPI 3.0 document whose
// leading whitespace was stripped, so that it parses again.
//
// The flattened document is still unambiguous to a reader who knows the
// OpenAPI grammar: every key belongs to the innermost open object that can
// hold it. reindent applies that rule mechanically. It keeps a stack of open
// objects, and for each line pops until it finds one whose grammar accepts the
// key (respecting duplicate keys, `required` lists that name the object's own
// properties, and name-keyed maps that yield to their parent's keywords). It
// only ever adds leading spaces: every output line, stripped of its
// indentation, equals the input line. It fails loudly on a line it cannot
// place instead of guessing.
//
// Usage: go run ./scripts/reindent < flattened.yaml > reindented.yaml
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	out, err := reindent(string(in))
	if err != nil {
		fail(err)
	}
	w := bufio.NewWriter(os.Stdout)
	_, _ = w.WriteString(out)
	if err := w.Flush(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "reindent:", err)
	os.Exit(1)
}

const (
	scalar  = "scalar"
	anyName = "*"
)

// grammar maps an object kind to the keys it holds and the kind of each
// key's value. A "list:" prefix means the value is a block sequence of that
// kind. The key anyName stands for names chosen by the author (paths,
// property names, media types...).
var grammar = map[string]map[string]string{
	"root": {"openapi": scalar, "info": "info", "servers": "list:server", "security": "list:secreq",
		"tags": "list:tag", "paths": "paths", "components": "components", "externalDocs": "extdocs"},
	"info":            {"title": scalar, "version": scalar, "description": scalar, "termsOfService": scalar, "contact": "contact", "license": "license"},
	"contact":         {"name": scalar, "url": scalar, "email": scalar},
	"license":         {"name": scalar, "url": scalar},
	"extdocs":         {"url": scalar, "description": scalar},
	"server":          {"url": scalar, "description": scalar},
	"secreq":          {anyName: scalar},
	"tag":             {"name": scalar, "description": scalar},
	"paths":           {anyName: "pathitem"},
	"pathitem":        {"get": "operation", "put": "operation", "post": "operation", "delete": "operation", "patch": "operation", "head": "operation", "options": "operation", "summary": scalar, "description": scalar, "parameters": "list:parameter"},
	"operation":       {"tags": "list:scalar", "summary": scalar, "description": scalar, "operationId": scalar, "deprecated": scalar, "parameters": "list:parameter", "requestBody": "requestBody", "responses": "responses", "security": "list:secreq"},
	"parameter":       {"name": scalar, "in": scalar, "description": scalar, "required": scalar, "deprecated": scalar, "example": scalar, "schema": "schema"},
	"requestBody":     {"description": scalar, "required": scalar, "content": "content"},
	"content":         {anyName: "mediatype"},
	"mediatype":       {"schema": "schema", "example": "any", "examples": "examples"},
	"examples":        {anyName: "example"},
	"example":         {"summary": scalar, "description": scalar, "value": "any"},
	"responses":       {anyName: "response"},
	"response":        {"description": scalar, "content": "content", "headers": "any"},
	"components":      {"schemas": "schemas", "securitySchemes": "securitySchemes", "parameters": "any", "responses": "any"},
	"schemas":         {anyName: "schema"},
	"securitySchemes": {anyName: "securityScheme"},
	"securityScheme":  {"type": scalar, "in": scalar, "name": scalar, "description": scalar, "scheme": scalar, "bearerFormat": scalar},
	"schema": {"type": scalar, "format": scalar, "description": scalar, "title": scalar, "default": scalar, "$ref": scalar,
		"nullable": scalar, "readOnly": scalar, "writeOnly": scalar, "deprecated": scalar, "pattern": scalar,
		"minimum": scalar, "maximum": scalar, "minLength": scalar, "maxLength": scalar, "minItems": scalar, "maxItems": scalar,
		"example": "any", "enum": "list:scalar", "required": "list:scalar", "items": "schema", "properties": "properties",
		"additionalProperties": "schema", "allOf": "list:schema", "oneOf": "list:schema", "anyOf": "list:schema"},
	"properties": {anyName: "schema"},
	"any":        {anyName: "any"},
}

// Kinds whose objects also accept specification extensions (x-...).
var extensible = map[string]bool{"root": true, "info": true, "operation": true, "pathitem": true, "tag": true, "server": true}

type frame struct {
	kind   string
	indent int
	list   bool // a block sequence: holds "- " items only
	seen   map[string]bool
	// For schema frames: the property names declared so far and the type.
	props map[string]bool
	typ   string
	owner *frame // for a properties frame: the schema that owns it
}

var (
	keyRe    = regexp.MustCompile(`^('[^']*'|"[^"]*"|[^\s:'"#][^:]*?|[^\s:'"#]*):(?: (.*))?$`)
	statusRe = regexp.MustCompile(`^'\d{3}'$`)
)

type line struct {
	text  string
	key   string
	value string
	item  bool // starts with "- "
}

// reindent re-indents src with two spaces per level.
func reindent(src string) (string, error) {
	raw := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	// Group physical lines into logical lines: a quoted scalar may span several.
	type logical struct {
		first int
		cont  []string
	}
	var logicals []logical
	for i := 0; i < len(raw); i++ {
		l := logical{first: i}
		open, q := openQuote(raw[i])
		for open && i+1 < len(raw) {
			i++
			l.cont = append(l.cont, raw[i])
			open = stillOpen(raw[i], q)
		}
		if open {
			return "", fmt.Errorf("line %d: unterminated quoted scalar", l.first+1)
		}
		logicals = append(logicals, l)
	}

	parsed := make([]line, len(logicals))
	for i, l := range logicals {
		t := raw[l.first]
		p := line{text: t}
		body := t
		if t == "-" || strings.HasPrefix(t, "- ") {
			p.item = true
			body = strings.TrimPrefix(strings.TrimPrefix(t, "-"), " ")
		}
		if m := keyRe.FindStringSubmatch(body); m != nil {
			p.key, p.value = m[1], m[2]
		} else if !p.item {
			return "", fmt.Errorf("line %d: neither a key nor a list item: %q", l.first+1, t)
		}
		parsed[i] = p
	}

	var out strings.Builder
	stack := []*frame{{kind: "root", seen: map[string]bool{}}}
	emit := func(indent int, text string, cont []string) {
		out.WriteString(strings.Repeat(" ", indent) + text + "\n")
		for _, c := range cont {
			out.WriteString(strings.Repeat(" ", indent+2) + c + "\n")
		}
	}
	for i, p := range parsed {
		lineNo := logicals[i].first + 1
		nextIsList := i+1 < len(parsed) && parsed[i+1].item
		var listItems []string
		for j := i + 1; j < len(parsed) && parsed[j].item; j++ {
			listItems = append(listItems, strings.TrimPrefix(strings.TrimPrefix(parsed[j].text, "-"), " "))
		}
		if p.item {
			for len(stack) > 1 && !stack[len(stack)-1].list {
				stack = stack[:len(stack)-1]
			}
			lf := stack[len(stack)-1]
			if !lf.list {
				return "", fmt.Errorf("line %d: list item outside a list", lineNo)
			}
			emit(lf.indent, p.text, logicals[i].cont)
			if lf.kind == scalar || p.key == "" {
				continue
			}
			item := newFrame(lf.kind, lf.indent+2)
			stack = append(stack, item)
			if err := place(item, p, nextIsList, &stack); err != nil {
				return "", fmt.Errorf("line %d: %w", lineNo, err)
			}
			continue
		}
		placed := false
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			var parent *frame
			if len(stack) > 1 {
				parent = stack[len(stack)-2]
			}
			if !top.list && accepts(top, parent, p, nextIsList, listItems) {
				emit(top.indent, p.text, logicals[i].cont)
				if err := place(top, p, nextIsList, &stack); err != nil {
					return "", fmt.Errorf("line %d: %w", lineNo, err)
				}
				placed = true
				break
			}
			if len(stack) == 1 {
				break
			}
			stack = stack[:len(stack)-1]
		}
		if !placed {
			return "", fmt.Errorf("line %d: no open object accepts key %q", lineNo, p.key)
		}
	}
	return out.String(), nil
}

func newFrame(kind string, indent int) *frame {
	return &frame{kind: kind, indent: indent, seen: map[string]bool{}, props: map[string]bool{}}
}

// accepts reports whether frame f can hold the key of line p.
func accepts(f, parent *frame, p line, nextIsList bool, listItems []string) bool {
	if f.seen[p.key] {
		return false
	}
	// A response's description that reads like its status code belongs to
	// the response, never to a schema or example nested inside it.
	if p.key == "description" && statusRe.MatchString(p.value) && f.kind != "response" {
		return false
	}
	g := grammar[f.kind]
	if child, ok := g[p.key]; ok {
		switch {
		case child == scalar || child == "any":
			return child == "any" || p.value != ""
		case strings.HasPrefix(child, "list:"):
			if p.value != "" {
				return p.value == "[]"
			}
			if !nextIsList {
				return false
			}
			if f.kind == "schema" && p.key == "required" {
				for _, name := range listItems {
					if !f.props[name] {
						return false
					}
				}
				return len(f.props) > 0
			}
			return true
		case p.key == "additionalProperties" && f.typ != "" && f.typ != "object":
			return false
		case child == "schema" && p.value != "":
			return p.key == "additionalProperties"
		default:
			return p.value == "" && !nextIsList
		}
	}
	if strings.HasPrefix(p.key, "x-") && extensible[f.kind] {
		return true
	}
	child, ok := g[anyName]
	if !ok {
		return false
	}
	switch f.kind {
	case "paths":
		if !strings.HasPrefix(p.key, "/") {
			return false
		}
	case "content":
		if !strings.Contains(p.key, "/") {
			return false
		}
	case "responses":
		if !statusRe.MatchString(p.key) && p.key != "default" {
			return false
		}
	}
	if f.kind == "secreq" {
		return strings.HasPrefix(p.value, "[")
	}
	if child == scalar {
		return p.value != ""
	}
	if f.kind == "any" {
		return p.value != ""
	}
	if p.value != "" || nextIsList {
		return false
	}
	// A map of author-chosen names yields to its parent's own keywords.
	if parent != nil && f.kind != "any" {
		if _, kw := grammar[parent.kind][p.key]; kw && accepts(parent, nil, p, nextIsList, listItems) {
			return false
		}
	}
	return true
}

// place records the key in f and opens the child object or list it starts.
func place(f *frame, p line, nextIsList bool, stack *[]*frame) error {
	f.seen[p.key] = true
	if f.kind == "properties" && f.owner != nil {
		f.owner.props[p.key] = true
	}
	if f.kind == "schema" && p.key == "type" {
		f.typ = p.value
	}
	if p.value != "" {
		return nil
	}
	child, ok := grammar[f.kind][p.key]
	if !ok {
		if strings.HasPrefix(p.key, "x-") {
			child = "any"
		} else {
			child = grammar[f.kind][anyName]
		}
	}
	if nextIsList {
		*stack = append(*stack, &frame{kind: strings.TrimPrefix(child, "list:"), indent: f.indent + 2, list: true})
		return nil
	}
	nf := newFrame(child, f.indent+2)
	if child == "properties" {
		nf.owner = f
	}
	*stack = append(*stack, nf)
	return nil
}

// openQuote reports whether line t leaves a quoted scalar open, and which quote.
func openQuote(t string) (bool, byte) {
	body := strings.TrimPrefix(strings.TrimPrefix(t, "-"), " ")
	m := keyRe.FindStringSubmatch(body)
	v := body
	if m != nil {
		v = m[2]
	}
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return false, 0
	}
	return stillOpen(v[1:], v[0]), v[0]
}

// stillOpen reports whether a quoted scalar continuing with s is still open
// at the end of s.
func stillOpen(s string, q byte) bool {
	for i := 0; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == q:
			return false
		}
	}
	return true
}
