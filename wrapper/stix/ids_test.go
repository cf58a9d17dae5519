package stix

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestObservableIDSpecExamples derives the ids of the examples of the
// STIX 2.1 specification. The expected ids are those of the text as
// corrected by Errata 01 (OASIS Standard incorporating Draft 01 of Errata
// 01, 2 April 2025, which recomputed every observable id of its examples);
// the section is the one the example is printed in. Where the original 2021
// text gave another id for the same example, it is in before, and must not
// come out.
func TestObservableIDSpecExamples(t *testing.T) {
	t.Parallel()
	value := func(v string) []property { return []property{{"value", stringValue(v)}} }
	tests := []struct {
		section string
		typ     string
		props   []property
		want    string
		before  string
	}{
		{"2.9 Identifier, examples", typeIPv4, value("198.51.100.3"),
			"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"},
		{"4.14 Observed Data, examples", typeDomain, value("example.com"),
			"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7", "domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5"},
		{"6.5 Email Address Object, examples", typeEmail, value("john@example.com"),
			"email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934", "email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3"},
		{"6.7.2 Archive File Extension, examples", typeFile,
			[]property{{"hashes", hashesValue("SHA-256", "ceafbfd424be2ca4a5f0402cae090dda2fb0526cf521b60b60077c0f622b285a")}},
			"file--70221dbf-52fd-5377-9619-c0ce6b3ffc8c", "file--019fde1c-94ca-5967-8b3c-a906a51d87ac"},
		{"6.7 File Object, examples: hash and name", typeFile,
			[]property{{"name", stringValue("foo.dll")}, {"hashes", hashesValue("SHA-256", "fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db")}},
			"file--949eb97a-da1e-5292-8959-03c4249dc9f3", ""},
		{"6.7 File Object, examples: a name beyond ASCII", typeFile,
			[]property{{"hashes", hashesValue("SHA-256", "841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649")}, {"name", stringValue("quêry.dll")}},
			"file--7d1e3a18-89e7-5bc5-be36-9879f5b7f5c8", ""},
		{"6.8 IPv4 Address Object, examples: CIDR block", typeIPv4, value("198.51.100.0/24"),
			"ipv4-addr--1ea47840-aa39-5aa8-b4a2-cd203eb6662a", ""},
		{"6.9 IPv6 Address Object, examples", typeIPv6, value("2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
			"ipv6-addr--85a85a8c-ee99-5722-946d-3c3a3270fc6f", "ipv6-addr--1e61d36c-a16c-53b7-a80f-2a00161c96b1"},
		{"6.15 URL Object, examples", typeURL, value("https://example.com/research/index.html"),
			"url--47c3cf9a-5027-5bf0-997a-017c7edc7c55", "url--c1477287-23ac-5971-a010-5c287877fa60"},
	}
	for _, tt := range tests {
		t.Run(tt.section, func(t *testing.T) {
			t.Parallel()
			got := observableID(tt.typ, tt.props...)
			assert.Equal(t, tt.want, got)
			if tt.before != "" {
				assert.NotEqual(t, tt.before, got)
			}
		})
	}
}

// TestJCSString checks the string form of RFC 8785 (section 3.2.2.2, as
// ECMAScript's JSON.stringify writes strings): only the quotation mark,
// the backslash and control characters are escaped.
func TestJCSString(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{"a\"b\\c", `"a\"b\\c"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"</script>&", `"</script>&"`},
		{"\u2028\u2029\x7f", "\"\u2028\u2029\x7f\""},
		{"quêry €𝄞", `"quêry €𝄞"`},
		{"bad \xff byte", "\"bad \ufffd byte\""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(appendJCSString(nil, tt.in)), "%q", tt.in)
	}
}

// TestObjectIDs checks that the ids of domain objects depend on every part
// and on the type, and on nothing else.
func TestObjectIDs(t *testing.T) {
	t.Parallel()
	a := objectID(typeThreatActor, "g1", "APT")
	assert.Equal(t, a, objectID(typeThreatActor, "g1", "APT"))
	assert.NotEqual(t, a, objectID(typeThreatActor, "g2", "APT"))
	assert.NotEqual(t, a[len(typeThreatActor):], objectID(typeIdentity, "g1", "APT")[len(typeIdentity):])
	assert.NotEqual(t, objectID(typeRelationship, "ab", "c"), objectID(typeRelationship, "a", "bc"))
	assert.Regexp(t, `^threat-actor--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a)
}
