package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func TestParseIndicator(t *testing.T) {
	t.Parallel()
	const (
		file   = vtgraph.NodeTypeFile
		ip     = vtgraph.NodeTypeIPAddress
		url    = vtgraph.NodeTypeURL
		domain = vtgraph.NodeTypeDomain
	)
	for _, tc := range []struct {
		in   string
		want string
		typ  vtgraph.NodeType
	}{
		{"d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e", file},                 // MD5
		{"DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709", file}, // SHA-1, lowered
		{"  " + testFile + "\t", testFile, file},                                                       // SHA-256, trimmed
		{"203.0.113.77", "203.0.113.77", ip},
		{"2001:DB8::1", "2001:db8::1", ip},
		{"::ffff:198.51.100.1", "198.51.100.1", ip}, // IPv4-mapped
		{"http://login-lantern.example/a?b=c#frag", "http://login-lantern.example/a?b=c#frag", url},
		{"HTTPS://Example.COM/Path", "HTTPS://Example.COM/Path", url}, // kept as written: paths are case-sensitive
		{"login-lantern.example", "login-lantern.example", domain},
		{"WWW.Example.COM.", "www.example.com", domain},
		{"xn--80ak6aa92e.com", "xn--80ak6aa92e.com", domain},
		{"_dmarc.example.com", "_dmarc.example.com", domain},
		{"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", domain + "x"},
	} {
		got, err := ParseIndicator(tc.in)
		if tc.typ == domain+"x" {
			// 63 hex characters: neither a hash nor a host name.
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, Indicator{Value: tc.want, Type: tc.typ}, got, tc.in)
	}
}

func TestParseIndicatorRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "   ", "localhost", "not an indicator", "10.0.0.300", "1.2.3", "ftp://example.com/file",
		"http://", "http://exa mple.com/", "-example.com", "example-.com", "exa..mple.com",
		"fe80::1%eth0", "example.123", strings.Repeat("a", 64) + ".com" + strings.Repeat(".x", 100),
	} {
		_, err := ParseIndicator(in)
		assert.Error(t, err, "%q", in)
	}
}

func TestParseIndicators(t *testing.T) {
	t.Parallel()
	in := strings.Join([]string{
		"# header comment",
		"example.com   # trailing comment",
		"",
		"   ",
		"https://example.com/#section",
		"EXAMPLE.com",
		"198.51.100.7",
	}, "\n")
	got, err := ParseIndicators(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, []Indicator{
		{"example.com", vtgraph.NodeTypeDomain},
		{"https://example.com/#section", vtgraph.NodeTypeURL},
		{"198.51.100.7", vtgraph.NodeTypeIPAddress},
	}, got, "comments and blank lines skipped, a # inside a URL kept, repeats dropped")

	_, err = ParseIndicators(strings.NewReader("example.com\nbad one\n\nworse\n"))
	require.Error(t, err)
	assert.Equal(t, ExitInvalid, ExitCode(err))
	assert.Equal(t, "2 lines not indicators:\n"+
		"  line 2: \"bad one\" is not a hash, IP address, http(s) URL or domain\n"+
		"  line 4: \"worse\" is not a hash, IP address, http(s) URL or domain", err.Error())

	_, err = ParseIndicators(strings.NewReader("# only comments\n"))
	assert.EqualError(t, err, "no indicators found")
}

func TestGraphFromIndicators(t *testing.T) {
	t.Parallel()
	g := graphFromIndicators("IOCs", []Indicator{{"example.com", vtgraph.NodeTypeDomain}, {"198.51.100.7", vtgraph.NodeTypeIPAddress}})
	assert.Equal(t, "IOCs", g.Description)
	require.Len(t, g.Nodes, 2)
	assert.Equal(t, vtgraph.NodeTypeIPAddress, g.Nodes[1].Type)
	assert.NoError(t, g.Validate())
}
