package stix

import "encoding/json"

// Import reads a bundle by splitting the JSON, which json.Valid has checked
// already, into the spans of its objects' properties: decoding every object
// into a map with encoding/json would cost several times the rest of the
// import. The spans share the bundle's memory.

// members returns the properties of the JSON object in b, or false when b
// holds another kind of value. b must be valid JSON.
func members(b []byte) (map[string]json.RawMessage, bool) {
	props, _, ok := readObject(b, skipSpace(b, 0))
	return props, ok
}

// readObject reads the JSON object that starts at b[i] and returns its
// properties and where it ends, or false when the value at b[i] is not an
// object.
func readObject(b []byte, i int) (map[string]json.RawMessage, int, bool) {
	if i == len(b) || b[i] != '{' {
		return nil, valueEnd(b, i), false
	}
	props := map[string]json.RawMessage{}
	for i = skipSpace(b, i+1); i < len(b) && b[i] != '}'; {
		end := valueEnd(b, i)
		key, _ := jsonString(b[i:end])
		i = skipSpace(b, end)
		i = skipSpace(b, i+1) // the colon
		end = valueEnd(b, i)
		props[key] = b[i:end]
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return props, i + 1, true
}

// eachObject calls f with the position and the properties of every element
// of the JSON list in b, nil for an element that is not an object. b must
// be a valid JSON list.
func eachObject(b []byte, f func(int, map[string]json.RawMessage)) {
	n := 0
	for i := skipSpace(b, skipSpace(b, 0)+1); i < len(b) && b[i] != ']'; n++ {
		props, end, _ := readObject(b, i)
		f(n, props)
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the end of the JSON value that starts at b[i].
func valueEnd(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if depth == 0 {
				return min(i+1, len(b))
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i
			}
			if depth--; depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}
