package stix

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
)

// object writes one STIX object as compact JSON with its properties in the
// order they are added, so that the output is the same on every run.
type object struct {
	b []byte
}

// objectSize is room for most objects, so that writing one seldom grows it.
const objectSize = 512

func newObject(typ, id string) *object {
	o := &object{b: append(make([]byte, 0, objectSize), `{"type":`...)}
	o.b = appendJCSString(o.b, typ)
	if typ != typeBundle {
		o.b = append(o.b, `,"spec_version":"2.1"`...)
	}
	o.b = append(o.b, `,"id":`...)
	o.b = appendJCSString(o.b, id)
	return o
}

// newObjectBody starts an object without type and id, such as an external
// reference.
func newObjectBody() *object { return &object{b: []byte{'{'}} }

func (o *object) key(k string) {
	if len(o.b) > 1 {
		o.b = append(o.b, ',')
	}
	o.b = appendJCSString(o.b, k)
	o.b = append(o.b, ':')
}

// str adds a string property.
func (o *object) str(k, v string) {
	o.key(k)
	o.b = appendJCSString(o.b, v)
}

// raw adds a property whose value is JSON already in compact form.
func (o *object) raw(k string, v []byte) {
	o.key(k)
	o.b = append(o.b, v...)
}

// strs adds a list of strings.
func (o *object) strs(k string, vs []string) {
	o.key(k)
	o.b = append(o.b, '[')
	for i, v := range vs {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendJCSString(o.b, v)
	}
	o.b = append(o.b, ']')
}

// bytes closes the object and returns it.
func (o *object) bytes() []byte { return append(o.b, '}') }

// rawObject writes a JSON object of raw values with its keys sorted.
func rawObject(m map[string][]byte) []byte {
	b := []byte{'{'}
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJCSString(b, k)
		b = append(b, ':')
		b = append(b, m[k]...)
	}
	return append(b, '}')
}

// compact returns raw JSON without insignificant space, and an error when it
// is not JSON.
func compact(raw []byte) ([]byte, error) {
	if len(raw) > 0 && !bytes.ContainsAny(raw, " \t\r\n") && json.Valid(raw) {
		return raw, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// indent returns compact JSON this package wrote with two-space
// indentation, byte for byte as json.Indent gives it, without scanning it
// for errors again: that check costs more than the writing.
func indent(src []byte) []byte {
	dst := make([]byte, 0, len(src)+len(src)/2)
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' {
					j++
				}
			}
			dst = append(dst, src[i:min(j+1, len(src))]...)
			i = j
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
