package vtgraphtest

import (
	"bytes"
	_ "embed"
	"sync"
)

// demoUniverse is the built-in data set, in the format LoadUniverse reads.
//
//go:embed demo_universe.json
var demoUniverse []byte

// The demo universe's entities that its documentation and examples start
// from.
const (
	// DemoDomain is the phishing domain the demo campaign starts from. Its
	// relationships reach more than 20 entities within two levels.
	DemoDomain = "acme-login.example"
	// DemoC2Domain is the command-and-control domain, three relationships
	// away from DemoDomain and no fewer: DemoDomain resolves to
	// 192.0.2.10, which DemoDropper contacts, and DemoDropper contacts
	// DemoC2Domain.
	DemoC2Domain = "acme-update.example"
	// DemoDropper is the SHA-256 of the dropper (update.exe, a Win32 EXE).
	DemoDropper = "42733d3038823324afcb89bc507a7d37e2b3451adbd3eebc8bbc1b8b6e302de0"
	// DemoDropperMD5 is the MD5 of DemoDropper, which /files/{id} also
	// accepts.
	DemoDropperMD5 = "0c58dc49280e7f1e1f531301d955b18c"
	// DemoParkingIP hosts twelve parked domains, more than one page of
	// resolutions at the default page size.
	DemoParkingIP = "203.0.113.5"
)

// DemoUniverse returns a fresh copy of the built-in demo universe: a small
// phishing and malware campaign made of documentation IP ranges
// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), .example
// domains and made-up hashes, with 45 entities. A phishing domain
// ([DemoDomain]) resolves to shared hosting and to an IPv6 address, has four
// subdomains, a sign-in page, a phishing kit naming it and an Android app
// and a PowerShell loader talking to it; a macro document drops a dropper
// ([DemoDropper]) that talks to a command-and-control domain
// ([DemoC2Domain]) and drops a DLL; the loader is served from a bare IP
// address; a parking IP address ([DemoParkingIP]) resolves twelve domains.
// It serves two-level expansions from [DemoDomain], a three-hop connection
// from [DemoDomain] to [DemoC2Domain], paging, premium relationships and
// intelligence searches such as "type:peexe" or "p:20+". The data set is
// demo_universe.json in this package, in the format [LoadUniverse] reads.
func DemoUniverse() *Universe {
	u, err := LoadUniverse(bytes.NewReader(demoUniverse))
	if err != nil {
		panic("vtgraphtest: the built-in universe is invalid: " + err.Error()) // TestDemoUniverse keeps it valid
	}
	return u
}

// demoWorld is the compiled demo universe, built once and shared: a world
// is never changed once compiled.
var demoWorld = sync.OnceValues(func() (*world, error) { return DemoUniverse().compile() })
