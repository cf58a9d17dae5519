package cli

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"strings"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// Indicator is one line of an indicator list: an entity id and the node type
// it was recognised as.
type Indicator struct {
	// Value is the entity id: a lowercase hash, a canonical IP address, the
	// URL as written, or a lowercase domain.
	Value string
	// Type is the node type: file, ip_address, url or domain.
	Type vtgraph.NodeType
}

// ParseIndicator recognises one indicator of compromise: an MD5, SHA-1 or
// SHA-256 hash is a file, an IPv4 or IPv6 address an ip_address, an http or
// https URL a url, and a host name a domain. Anything else is an error.
func ParseIndicator(s string) (Indicator, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Indicator{}, fmt.Errorf("empty indicator")
	case isHash(s):
		return Indicator{Value: strings.ToLower(s), Type: vtgraph.NodeTypeFile}, nil
	}
	if addr, err := netip.ParseAddr(s); err == nil && addr.Zone() == "" {
		return Indicator{Value: addr.Unmap().String(), Type: vtgraph.NodeTypeIPAddress}, nil
	}
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" || strings.ContainsAny(s, " \t") {
			return Indicator{}, fmt.Errorf("%q is not a valid URL", s)
		}
		return Indicator{Value: s, Type: vtgraph.NodeTypeURL}, nil
	}
	if isDomain(lower) {
		return Indicator{Value: strings.TrimSuffix(lower, "."), Type: vtgraph.NodeTypeDomain}, nil
	}
	return Indicator{}, fmt.Errorf("%q is not a hash, IP address, http(s) URL or domain", s)
}

// isHash reports whether s is hex of the length of an MD5 (32), SHA-1 (40)
// or SHA-256 (64) digest.
func isHash(s string) bool {
	switch len(s) {
	case 32, 40, 64:
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// isDomain reports whether s (lowercase) is a host name with at least two
// labels of letters, digits, hyphens and underscores, as VirusTotal stores
// domains. A trailing dot is allowed.
func isDomain(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' {
				return false
			}
		}
	}
	// A top-level label of digits only is a malformed IPv4 address, not a
	// domain.
	tld := labels[len(labels)-1]
	return strings.Trim(tld, "0123456789") != ""
}

// ParseIndicators reads an indicator list: one indicator a line, blank lines
// and comments ignored. A comment starts at a "#" at the start of a line or
// after a space or tab, so a URL's fragment is not one. Repeated indicators are kept once. It
// reports every bad line at once, numbered from 1.
func ParseIndicators(r io.Reader) ([]Indicator, error) {
	var (
		out  []Indicator
		bad  []string
		seen = map[Indicator]bool{}
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := stripComment(sc.Text())
		if strings.TrimSpace(line) == "" {
			continue
		}
		ind, err := ParseIndicator(line)
		if err != nil {
			bad = append(bad, fmt.Sprintf("\n  line %d: %v", n, err))
			continue
		}
		if !seen[ind] {
			seen[ind] = true
			out = append(out, ind)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading indicators: %w", err)
	}
	if len(bad) > 0 {
		return nil, inputErrorf("%s not indicators:%s", plural(len(bad), "line"), strings.Join(bad, ""))
	}
	if len(out) == 0 {
		return nil, inputErrorf("no indicators found")
	}
	return out, nil
}

// graphFromIndicators builds a graph with one node per indicator. Nothing
// links them yet: the analyst draws the relationships in the UI.
func graphFromIndicators(name string, inds []Indicator) *vtgraph.Graph {
	g := vtgraph.NewGraph(name)
	for _, ind := range inds {
		g.AddNode(ind.Value, ind.Type)
	}
	return g
}

// stripComment cuts a "#" comment off a line.
func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}
