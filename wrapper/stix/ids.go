package stix

import (
	"crypto/sha1"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// scoNamespace is the UUIDv5 namespace STIX 2.1 (section 2.9, "Identifier")
// gives for the ids of cyber-observable objects, so that every producer
// gives the same observable the same id.
var scoNamespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")

// objectNamespace is the UUIDv5 namespace of the ids of the domain objects,
// groupings and relationships made here, which section 2.9 forbids to take
// from scoNamespace. It is itself the UUIDv5 of the graph URL prefix in the
// URL namespace of RFC 4122, so that it is derived rather than made up.
var objectNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://www.virustotal.com/graph/"))

// property is one ID contributing property of an observable: its name and
// its value as canonical JSON.
type property struct {
	name  string
	value []byte
}

// observableID returns the id STIX 2.1 prescribes for an observable of type
// typ with the given ID contributing properties (those present; at least
// one): the UUIDv5, in scoNamespace, of the properties as a JSON object
// serialized by RFC 8785 (JCS). The caller picks the properties: for a file
// only one hash, the first of MD5, SHA-1, SHA-256 and SHA-512 it has.
func observableID(typ string, props ...property) string {
	// The names are ASCII, for which the UTF-16 order RFC 8785 sorts keys
	// in is byte order.
	slices.SortFunc(props, func(a, b property) int { return strings.Compare(a.name, b.name) })
	name := []byte{'{'}
	for i, p := range props {
		if i > 0 {
			name = append(name, ',')
		}
		name = appendJCSString(name, p.name)
		name = append(name, ':')
		name = append(name, p.value...)
	}
	name = append(name, '}')
	return typ + "--" + uuid.NewSHA1(scoNamespace, name).String()
}

// stringValue is a string property value in canonical JSON.
func stringValue(s string) []byte { return appendJCSString(nil, s) }

// hashesValue is a hashes dictionary holding one hash, in canonical JSON.
func hashesValue(algorithm, hash string) []byte {
	b := append([]byte{'{'}, appendJCSString(nil, algorithm)...)
	b = append(b, ':')
	b = appendJCSString(b, hash)
	return append(b, '}')
}

// objectID returns a deterministic id for a domain object, grouping,
// relationship or bundle: the UUIDv5, in objectNamespace, of the type and
// the parts, each preceded by its length so that no two lists of parts give
// the same name, and objects of two types never share a UUID.
func objectID(typ string, parts ...string) string {
	size := len(typ) + 4
	for _, p := range parts {
		size += len(p) + 4
	}
	name := make([]byte, 0, size)
	for _, p := range append([]string{typ}, parts...) {
		name = strconv.AppendInt(name, int64(len(p)), 10)
		name = append(name, ':')
		name = append(name, p...)
	}
	return typ + "--" + uuid.NewSHA1(objectNamespace, name).String()
}

// bundleID returns the id of the bundle of the given objects, the UUIDv5
// of the list in objectNamespace: the same objects, the same id. The names
// objectID hashes start with a digit, never with the list's '[', so the
// two never meet.
func bundleID(objects []byte) string {
	return typeBundle + "--" + uuid.NewHash(sha1.New(), objectNamespace, objects, 5).String()
}

// appendJCSString appends s as a JSON string in the form RFC 8785 gives it:
// only the quotation mark, the backslash and control characters are
// escaped, with the short forms where JSON has one and lowercase \u00xx
// otherwise. Every other character, U+2028 and HTML's <, > and & included,
// is written as it is. Bytes that are not UTF-8 become U+FFFD, as the JSON
// decoders of STIX consumers read them.
func appendJCSString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	// Runs of characters written as they are are copied at once.
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, s[start:i]...)
				b = utf8.AppendRune(b, utf8.RuneError)
				start = i + n
			}
			i += n
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
