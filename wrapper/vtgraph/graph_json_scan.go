package vtgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// maxJSONDepth matches encoding/json's nesting limit.
const maxJSONDepth = 10000

// jsonScanner reads JSON from data; it never panics on malformed input.
//
// It reads data in place and never writes to it. Decoded strings are cut
// from data with unsafe.String and raw values are sub-slices of it clipped
// to their length, so decoding allocates nothing per value, and a decoded
// graph holds the one buffer it was decoded from for as long as any part of
// it is reachable. That is sound only while nothing writes to the bytes a
// string was cut from, so data must belong to the scanner: newJSONScanner
// copies its input, which the caller may reuse, and ownedJSONScanner takes a
// buffer that its caller hands over and never touches again, such as a
// response body read for one call.
//
// A caller may still write into a raw value it was given, such as an
// Extra json.RawMessage: every byte of the document is part of one value
// only, so no string shares a byte with a raw value, and the clipped
// capacity stops an append from writing into the bytes that follow.
type jsonScanner struct {
	data []byte
	pos  int
	// floats hands out the FX and FY pointers in blocks.
	floats []float64
	// sizeSlices lets countAhead count: see decodeGraphObject.
	sizeSlices bool
}

// newJSONScanner returns a scanner of a private copy of data.
func newJSONScanner(data []byte) jsonScanner {
	return jsonScanner{data: bytes.Clone(data), sizeSlices: true}
}

// ownedJSONScanner returns a scanner of data itself, which the caller must
// never write to again; see jsonScanner.
func ownedJSONScanner(data []byte) jsonScanner {
	return jsonScanner{data: data, sizeSlices: true}
}

// countAhead returns how many times marker occurs in the rest of the input,
// or 0 when sizeSlices is not set.
func (s *jsonScanner) countAhead(marker []byte) int {
	if !s.sizeSlices {
		return 0
	}
	return bytes.Count(s.data[s.pos:], marker)
}

// inArray reports whether the value at the scanner is an element of an
// array: the last byte before it, white space aside, is '[' or ','.
func (s *jsonScanner) inArray() bool {
	for i := s.pos - 1; i >= 0; i-- {
		switch s.data[i] {
		case ' ', '\t', '\n', '\r':
		case '[', ',':
			return true
		default:
			return false
		}
	}
	return false
}

func (s *jsonScanner) newFloat(v float64) *float64 {
	if len(s.floats) == cap(s.floats) {
		s.floats = make([]float64, 0, 256)
	}
	s.floats = append(s.floats, v)
	return &s.floats[len(s.floats)-1]
}

func (s *jsonScanner) errorf(format string, args ...any) error {
	return &offsetError{
		offset: int64(s.pos),
		err:    fmt.Errorf("offset %d: "+format, append([]any{s.pos}, args...)...),
	}
}

// offsetError is a decoding error at a byte offset of the document, where
// an excerpt of the body shows the problem.
type offsetError struct {
	offset int64
	err    error
}

func (e *offsetError) Error() string { return e.err.Error() }
func (e *offsetError) Unwrap() error { return e.err }

func (s *jsonScanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *jsonScanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *jsonScanner) end() error {
	s.ws()
	if s.pos != len(s.data) {
		return s.errorf("unexpected data after value")
	}
	return nil
}

// object calls fn for each key with the jsonScanner at the value, which fn must
// consume.
func (s *jsonScanner) object(fn func(key []byte) error) error {
	s.ws()
	if s.peek() != '{' {
		return s.errorf("expected an object")
	}
	s.pos++
	s.ws()
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		s.ws()
		key, err := s.key()
		if err != nil {
			return err
		}
		s.ws()
		if s.peek() != ':' {
			return s.errorf("expected ':'")
		}
		s.pos++
		s.ws()
		if err := fn(key); err != nil {
			return err
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.errorf("expected ',' or '}'")
		}
	}
}

// array calls fn for each element with the jsonScanner at the element, which fn
// must consume.
func (s *jsonScanner) array(fn func(i int) error) error {
	s.ws()
	if s.peek() != '[' {
		return s.errorf("expected an array")
	}
	s.pos++
	s.ws()
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		s.ws()
		if err := fn(i); err != nil {
			return err
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.errorf("expected ',' or ']'")
		}
	}
}

// key returns an object key, unescaped.
func (s *jsonScanner) key() ([]byte, error) {
	start := s.pos
	content, plain, err := s.stringSpan()
	if err != nil {
		return nil, err
	}
	if plain {
		return content, nil
	}
	var k string
	if err := json.Unmarshal(s.data[start:s.pos], &k); err != nil {
		return nil, err
	}
	return []byte(k), nil
}

// stringSpan consumes a string and returns its content; plain reports that
// the content needs no unescaping or UTF-8 repair.
func (s *jsonScanner) stringSpan() (content []byte, plain bool, err error) {
	if s.peek() != '"' {
		return nil, false, s.errorf("expected a string")
	}
	s.pos++
	start := s.pos
	plain = true
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			content = s.data[start:s.pos]
			s.pos++
			if !plain && !bytes.ContainsRune(content, '\\') && utf8.Valid(content) {
				plain = true
			}
			return content, plain, nil
		case c == '\\':
			plain = false
			s.pos++
			switch s.peek() {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos++
			case 'u':
				s.pos++
				for k := 0; k < 4; k++ {
					if !isHex(s.peek()) {
						return nil, false, s.errorf("invalid \\u escape")
					}
					s.pos++
				}
			default:
				return nil, false, s.errorf("invalid escape")
			}
		case c < 0x20:
			return nil, false, s.errorf("control character in string")
		case c >= utf8.RuneSelf:
			plain = false
			s.pos++
		default:
			s.pos++
		}
	}
	return nil, false, s.errorf("unterminated string")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func (s *jsonScanner) str() (string, error) {
	start := s.pos
	_, plain, err := s.stringSpan()
	if err != nil {
		return "", err
	}
	if plain {
		if n := s.pos - 1 - (start + 1); n > 0 {
			return unsafe.String(&s.data[start+1], n), nil
		}
		return "", nil
	}
	var v string
	err = json.Unmarshal(s.data[start:s.pos], &v)
	return v, err
}

// numberSpan consumes a number following the JSON grammar.
func (s *jsonScanner) numberSpan() ([]byte, error) {
	start := s.pos
	if s.peek() == '-' {
		s.pos++
	}
	switch c := s.peek(); {
	case c == '0':
		s.pos++
	case '1' <= c && c <= '9':
		s.digits()
	default:
		return nil, s.errorf("expected a number")
	}
	if s.peek() == '.' {
		s.pos++
		if !s.digits() {
			return nil, s.errorf("expected a digit")
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if !s.digits() {
			return nil, s.errorf("expected a digit")
		}
	}
	return s.data[start:s.pos], nil
}

func (s *jsonScanner) digits() bool {
	start := s.pos
	for s.pos < len(s.data) && '0' <= s.data[s.pos] && s.data[s.pos] <= '9' {
		s.pos++
	}
	return s.pos > start
}

func (s *jsonScanner) float() (float64, error) {
	num, err := s.numberSpan()
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil {
		return 0, fmt.Errorf("number %s out of range", num)
	}
	return f, nil
}

// integer accepts integral numbers written with a fraction or exponent too
// (1.0, 1e3), as encoding/json into float64 would.
func (s *jsonScanner) integer() (int64, error) {
	num, err := s.numberSpan()
	if err != nil {
		return 0, err
	}
	if i, err := strconv.ParseInt(string(num), 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, fmt.Errorf("number %s is not an integer", num)
	}
	return int64(f), nil
}

func (s *jsonScanner) unixTime() (time.Time, error) {
	sec, err := s.integer()
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(sec, 0).UTC(), nil
}

func (s *jsonScanner) literal(lit string) bool {
	if bytes.HasPrefix(s.data[s.pos:], []byte(lit)) {
		s.pos += len(lit)
		return true
	}
	return false
}

func (s *jsonScanner) boolean() (bool, error) {
	switch {
	case s.literal("true"):
		return true, nil
	case s.literal("false"):
		return false, nil
	}
	return false, s.errorf("expected true or false")
}

// null reports whether the value at the jsonScanner is null, without consuming it.
func (s *jsonScanner) null() bool {
	return bytes.HasPrefix(s.data[s.pos:], []byte("null"))
}

// raw consumes any value and returns it as a sub-slice of the input.
func (s *jsonScanner) raw() (json.RawMessage, error) {
	start := s.pos
	if err := s.skip(0); err != nil {
		return nil, err
	}
	return json.RawMessage(s.data[start:s.pos:s.pos]), nil
}

// keepRaw stores the value at the jsonScanner in *m under key.
func (s *jsonScanner) keepRaw(m *map[string]json.RawMessage, key []byte) error {
	raw, err := s.raw()
	if err != nil {
		return pathPrefix(string(key), err)
	}
	if *m == nil {
		*m = make(map[string]json.RawMessage, 2)
	}
	(*m)[string(key)] = raw
	return nil
}

// skip consumes and validates one value.
func (s *jsonScanner) skip(depth int) error {
	if depth > maxJSONDepth {
		return s.errorf("exceeded max depth")
	}
	switch c := s.peek(); {
	case c == '{':
		return s.object(func([]byte) error { return s.skip(depth + 1) })
	case c == '[':
		return s.array(func(int) error { return s.skip(depth + 1) })
	case c == '"':
		_, _, err := s.stringSpan()
		return err
	case c == '-' || '0' <= c && c <= '9':
		_, err := s.numberSpan()
		return err
	case s.literal("true"), s.literal("false"), s.literal("null"):
		return nil
	}
	return s.errorf("expected a value")
}
