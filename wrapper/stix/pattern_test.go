package stix

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParsePattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		want    []comparison
		ok      bool
	}{
		{"[ipv4-addr:value = '198.51.100.1']", []comparison{{typeIPv4, "value", "198.51.100.1"}}, true},
		{"[ ipv4-addr:value = '10.0.0.0' ]", []comparison{{typeIPv4, "value", "10.0.0.0"}}, true},
		{"[domain-name:value = 'a.example' OR ipv4-addr:value = '198.51.100.2']",
			[]comparison{{typeDomain, "value", "a.example"}, {typeIPv4, "value", "198.51.100.2"}}, true},
		{"[url:value = 'http://a.example/'] OR [email-addr:value = 'x@a.example']",
			[]comparison{{typeURL, "value", "http://a.example/"}, {typeEmail, "value", "x@a.example"}}, true},
		{"[file:hashes.'SHA-256' = 'ab'] OR[file:hashes.MD5 = 'cd']",
			[]comparison{{typeFile, "hashes.SHA-256", "ab"}, {typeFile, "hashes.MD5", "cd"}}, true},
		{`[file:name = 'it\'s \\ here']`, []comparison{{typeFile, "name", `it's \ here`}}, true},
		{"[x509-certificate:issuer = 'CN=A' AND x509-certificate:serial_number = '01']", nil, false},
		{"[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'a']", nil, false},
		{"[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS", nil, false},
		{"[network-traffic:dst_port = 443]", nil, false},
		{"[email-message:subject MATCHES '^x']", nil, false},
		{"[domain-name:value != 'a']", nil, false},
		{"[domain-name:value = 'a'", nil, false},
		{"[domain-name:value = 'a]", nil, false},
		{`[domain-name:value = 'a\x']`, nil, false},
		{"[domain-name:value = 'a' ORdomain-name:value = 'b']", nil, false},
		{"[:value = 'a']", nil, false},
		{"[domain-name: = 'a']", nil, false},
		{"", nil, false},
		{"[]", nil, false},
	}
	for _, tt := range tests {
		got, ok := parsePattern(tt.pattern)
		assert.Equal(t, tt.ok, ok, "%s", tt.pattern)
		assert.Equal(t, tt.want, got, "%s", tt.pattern)
	}
}
