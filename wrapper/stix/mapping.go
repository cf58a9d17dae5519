package stix

import (
	"net/netip"
	"net/url"
	"strings"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// The STIX object types this package writes or reads by name.
const (
	typeBundle       = "bundle"
	typeGrouping     = "grouping"
	typeReport       = "report"
	typeRelationship = "relationship"
	typeIndicator    = "indicator"
	typeObservedData = "observed-data"
	typeFile         = "file"
	typeDomain       = "domain-name"
	typeIPv4         = "ipv4-addr"
	typeIPv6         = "ipv6-addr"
	typeURL          = "url"
	typeEmail        = "email-addr"
	typeCertificate  = "x509-certificate"
	typeThreatActor  = "threat-actor"
	typeIdentity     = "identity"
	// typeNode is the custom observable that carries a node STIX has no
	// object for, such as a whois record or a URL known only by its
	// VirusTotal id.
	typeNode = "x-vt-node"
)

// The custom types of the VirusTotal UI that have a STIX object.
const (
	customActor      = "actor"
	customVictim     = "victim"
	customDepartment = "department"
	customEmail      = "email"
)

// domainObjects are the STIX domain objects a custom node of the same name
// becomes: those whose only required property is their name. A node type
// is a lower-case identifier, so the node writes the name with
// underscores: attack_pattern for attack-pattern.
var domainObjects = map[string]bool{
	"attack-pattern": true, "campaign": true, "course-of-action": true, typeIdentity: true,
	"incident": true, "infrastructure": true, "intrusion-set": true, "malware": true,
	typeThreatActor: true, "tool": true, "vulnerability": true,
}

// domainObjectFor returns the STIX domain object a node of type t becomes,
// or "" when there is none.
func domainObjectFor(t vtgraph.NodeType) string {
	switch s := string(t); {
	case s == customActor:
		return typeThreatActor
	case s == customVictim, s == customDepartment:
		return typeIdentity
	case domainObjects[strings.ReplaceAll(s, "_", "-")]:
		return strings.ReplaceAll(s, "_", "-")
	}
	return ""
}

// customTypeFor is the custom_type a STIX object of type stixType becomes
// on import when it does not say otherwise: threat actors become the UI's
// actors, every other type keeps its STIX name, with underscores for its
// hyphens, as a node type is an identifier.
func customTypeFor(stixType string) string {
	if stixType == typeThreatActor {
		return customActor
	}
	return strings.ReplaceAll(stixType, "-", "_")
}

// stixRelationshipTypes are the relationship types STIX 2.1 defines (its
// section 4.1 and Appendix B as corrected by Errata 01). A connection type
// of one of these names, as an imported relationship leaves behind, is
// exported under its own name.
var stixRelationshipTypes = map[string]bool{
	"attributed-to": true, "authored-by": true, "av-analysis-of": true, "based-on": true,
	"beacons-to": true, "belongs-to": true, "characterizes": true, "communicates-with": true,
	"compromises": true, "consists-of": true, "controls": true, "delivers": true,
	"derived-from": true, "downloads": true, "drops": true, "duplicate-of": true,
	"dynamic-analysis-of": true, "exfiltrates-to": true, "exploits": true, "has": true,
	"hosts": true, "impersonates": true, "indicates": true, "investigates": true,
	"located-at": true, "mitigates": true, "originates-from": true, "owns": true,
	"related-to": true, "remediates": true, "resolves-to": true, "static-analysis-of": true,
	"targets": true, "uses": true, "variant-of": true,
}

// relationshipType maps a VirusTotal connection type between objects of
// types src and dst to a STIX relationship type. Only the connections that
// mean what a STIX type means in the same direction are mapped; every other
// one, reverse relations such as communicating_files included, is
// related-to, with the connection type kept in x_vt_connection_type.
func relationshipType(src, dst, connection string) string {
	switch connection {
	case "resolutions":
		if src == typeDomain && (dst == typeIPv4 || dst == typeIPv6) {
			return "resolves-to"
		}
	case "contacted_domains", "contacted_ips", "contacted_urls":
		return "communicates-with"
	case "dropped_files":
		return "drops"
	}
	if stixRelationshipTypes[connection] {
		return connection
	}
	return "related-to"
}

// connectionType maps a STIX relationship that carries no
// x_vt_connection_type back to a connection type, given the node type of
// its target: the inverse of relationshipType, with related-to becoming a
// link drawn by hand and any other relationship type kept as it is.
func connectionType(relType string, target vtgraph.NodeType) string {
	switch relType {
	case "related-to":
		return vtgraph.ConnectionManual
	case "resolves-to":
		if target == vtgraph.NodeTypeIPAddress {
			return "resolutions"
		}
	case "communicates-with":
		switch target {
		case vtgraph.NodeTypeDomain:
			return "contacted_domains"
		case vtgraph.NodeTypeIPAddress:
			return "contacted_ips"
		case vtgraph.NodeTypeURL:
			return "contacted_urls"
		}
	case "drops":
		if target == vtgraph.NodeTypeFile {
			return "dropped_files"
		}
	}
	return relType
}

// hashAlgorithm names the hash an entity id is by its length, or "" when it
// is not a hexadecimal hash.
func hashAlgorithm(id string) string {
	for i := 0; i < len(id); i++ {
		if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return ""
		}
	}
	switch len(id) {
	case 32:
		return "MD5"
	case 40:
		return "SHA-1"
	case 64:
		return "SHA-256"
	case 128:
		return "SHA-512"
	}
	return ""
}

// ipType returns ipv4-addr or ipv6-addr for an address or CIDR block, and
// "" for anything else.
func ipType(s string) string {
	addr, err := netip.ParseAddr(s)
	if err != nil {
		p, perr := netip.ParsePrefix(s)
		if perr != nil {
			return ""
		}
		addr = p.Addr()
	}
	if addr.Is4() {
		return typeIPv4
	}
	return typeIPv6
}

// isURL reports whether s is an absolute URL, which a url object's value
// must be; the VirusTotal UI saves most URL nodes under their VirusTotal id
// instead.
func isURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}
