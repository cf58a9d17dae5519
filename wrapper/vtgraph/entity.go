package vtgraph

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// EntityRef names a file, URL, domain or IP address: the type and id of a
// graph node, of a [Descriptor] or of an [Entity].
type EntityRef struct {
	// Type is NodeTypeFile, NodeTypeURL, NodeTypeDomain or NodeTypeIPAddress.
	Type NodeType
	// ID is a file's hash, a URL (or its [URLID]), a domain name or an IP
	// address.
	ID string
}

// String returns the reference as "type:id", such as "domain:acme.example".
func (r EntityRef) String() string { return string(r.Type) + ":" + r.ID }

// Entity is an object as VirusTotal returns it for a file, URL, domain or IP
// address, or for whatever a relationship leads to (a DNS resolution, a
// comment, a graph…). The attributes every entity type shares are typed;
// [Entity.AsFile], [Entity.AsURL], [Entity.AsDomain], [Entity.AsIPAddress]
// and [Entity.AsResolution] decode those of one type. Every attribute, typed
// or not, is also kept in Attributes.
type Entity struct {
	// Type is the object type: "file", "url", "domain", "ip_address", or
	// another one for objects that are not entities, such as "resolution".
	Type NodeType
	// ID identifies the object within its type: a file's SHA-256, a URL's
	// SHA-256, a domain name, an IP address.
	ID string
	// LastAnalysisStats counts the engines' verdicts in the last analysis;
	// nil when the object has none.
	LastAnalysisStats *AnalysisStats
	// LastAnalysisDate is when the last analysis ran, to the second.
	LastAnalysisDate time.Time
	// LastModificationDate is when the object last changed, to the second.
	LastModificationDate time.Time
	// Reputation is the community's score of the object.
	Reputation int64
	// Tags are the object's tags, such as "peexe" or "phishing".
	Tags []string
	// TotalVotes counts the community's votes; nil when there are none.
	TotalVotes *Votes
	// Attributes holds every attribute as sent, including those decoded
	// into the fields above.
	Attributes map[string]json.RawMessage
	// ContextAttributes holds what describes the object in the relationship
	// it was listed in, rather than the object itself; usually empty.
	ContextAttributes map[string]json.RawMessage
	// Relationships holds, for each relationship asked for with
	// [GetEntityOptions.Relationships], the descriptors of its first related
	// objects and, when there are more, the cursor of the next page for
	// [Client.ListEntityRelatedDescriptors].
	Relationships map[Relationship]*Page[Descriptor]
	// SelfLink is the API URL of the object (its links.self), or "".
	SelfLink string
}

// Ref returns the type and id of the entity.
func (e *Entity) Ref() EntityRef { return EntityRef{Type: e.Type, ID: e.ID} }

// AnalysisStats counts how many engines gave each verdict in an analysis.
type AnalysisStats struct {
	// Harmless counts the engines that found the object harmless.
	Harmless int64
	// Malicious counts the engines that found it malicious.
	Malicious int64
	// Suspicious counts the engines that found it suspicious.
	Suspicious int64
	// Undetected counts the engines that found nothing.
	Undetected int64
	// Timeout counts the engines that ran out of time.
	Timeout int64
	// ConfirmedTimeout counts the engines whose timeout was confirmed.
	ConfirmedTimeout int64
	// Failure counts the engines that failed.
	Failure int64
	// TypeUnsupported counts the engines that cannot analyse the file type.
	TypeUnsupported int64
}

// Detections returns the number of engines that found the object malicious
// or suspicious: the number a graph node's has_detections attribute holds
// in the VirusTotal graph UI.
func (s AnalysisStats) Detections() int64 { return s.Malicious + s.Suspicious }

// Votes counts the community's votes on an object.
type Votes struct {
	// Harmless counts the votes that it is harmless.
	Harmless int64 `json:"harmless"`
	// Malicious counts the votes that it is malicious.
	Malicious int64 `json:"malicious"`
}

// File is a file as VirusTotal describes it.
type File struct {
	Entity
	// SHA256 is the file's SHA-256, also its ID.
	SHA256 string
	// SHA1 is the file's SHA-1.
	SHA1 string
	// MD5 is the file's MD5.
	MD5 string
	// Size is the file's size in bytes.
	Size int64
	// TypeTag is the short file type the graph UI draws the node with, such
	// as "peexe" or "docx".
	TypeTag string
	// TypeDescription is the file type, such as "Win32 EXE".
	TypeDescription string
	// MeaningfulName is the name that best describes the file.
	MeaningfulName string
	// Names are the names the file was submitted with.
	Names []string
	// TimesSubmitted counts the file's submissions.
	TimesSubmitted int64
	// FirstSubmissionDate is when the file was first submitted.
	FirstSubmissionDate time.Time
	// LastSubmissionDate is when the file was last submitted.
	LastSubmissionDate time.Time
}

// URL is a URL as VirusTotal describes it. Its ID is the SHA-256 VirusTotal
// computes from the canonical URL; [URLID] gives the other id it accepts.
type URL struct {
	Entity
	// URL is the URL as submitted.
	URL string
	// LastFinalURL is where the URL led after redirects at the last
	// analysis.
	LastFinalURL string
	// Title is the title of the page.
	Title string
	// LastHTTPResponseCode is the HTTP status the URL answered with at the
	// last analysis.
	LastHTTPResponseCode int64
	// TimesSubmitted counts the URL's submissions.
	TimesSubmitted int64
	// FirstSubmissionDate is when the URL was first submitted.
	FirstSubmissionDate time.Time
	// LastSubmissionDate is when the URL was last submitted.
	LastSubmissionDate time.Time
}

// Domain is a domain as VirusTotal describes it.
type Domain struct {
	Entity
	// Registrar is the domain's registrar.
	Registrar string
	// TLD is the domain's top-level domain, such as "com".
	TLD string
	// Categories holds the category each categorisation service gives the
	// domain, by service name.
	Categories map[string]string
	// CreationDate is when the domain was registered, from whois.
	CreationDate time.Time
}

// IPAddress is an IP address as VirusTotal describes it.
type IPAddress struct {
	Entity
	// Country is the ISO 3166 code of the address's country, such as "NL".
	Country string
	// Continent is the code of the address's continent, such as "EU".
	Continent string
	// ASOwner is the owner of the autonomous system announcing the address.
	ASOwner string
	// ASN is the number of that autonomous system.
	ASN int64
	// Network is the announced network, such as "192.0.2.0/24".
	Network string
	// RegionalInternetRegistry is the registry the address belongs to, such
	// as "RIPE NCC".
	RegionalInternetRegistry string
}

// Resolution is a DNS resolution: what the resolutions relationship of a
// domain or an IP address leads to, a domain and an IP address at once. Its
// ID is the IP address followed by the domain; see [ResolutionPeer].
type Resolution struct {
	Entity
	// IPAddress is the address the domain resolved to.
	IPAddress string
	// HostName is the domain.
	HostName string
	// Date is when the resolution was seen.
	Date time.Time
	// Resolver is where the resolution was seen.
	Resolver string
	// IPAddressStats are the address's last analysis stats; nil when not
	// sent.
	IPAddressStats *AnalysisStats
	// HostNameStats are the domain's last analysis stats; nil when not sent.
	HostNameStats *AnalysisStats
}

// ResolutionPeer returns the other end of a DNS resolution reached from
// from, with ok false when resolutionID is not a resolution of from. The
// resolutions relationship lists resolution objects, whose id is the IP
// address followed by the domain ("192.0.2.10acme.example"): reached from a
// domain, the peer is the IP address; from an IP address, the domain. This
// is what a descriptor page gives, where AsResolution has no attributes to
// read.
func ResolutionPeer(from EntityRef, resolutionID string) (peer EntityRef, ok bool) {
	switch from.Type {
	case NodeTypeDomain:
		ip, ok := strings.CutSuffix(resolutionID, from.ID)
		if !ok || ip == "" {
			return EntityRef{}, false
		}
		return EntityRef{Type: NodeTypeIPAddress, ID: ip}, true
	case NodeTypeIPAddress:
		domain, ok := strings.CutPrefix(resolutionID, from.ID)
		if !ok || domain == "" {
			return EntityRef{}, false
		}
		return EntityRef{Type: NodeTypeDomain, ID: domain}, true
	}
	return EntityRef{}, false
}

// attrField is a typed attribute and where to decode it.
type attrField struct {
	key string
	dst any
}

// decodeAttrs decodes the typed attributes present in attrs; null leaves a
// field as it is. A value of the wrong JSON type is an error at its path.
func decodeAttrs(attrs map[string]json.RawMessage, fields ...attrField) error {
	for _, f := range fields {
		raw, ok := attrs[f.key]
		if !ok || string(raw) == "null" {
			continue
		}
		if err := json.Unmarshal(raw, f.dst); err != nil {
			return &pathError{path: "attributes." + f.key, err: err}
		}
	}
	return nil
}

// unixTime converts Unix seconds, zero meaning unknown.
func unixTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// statsJSON is the wire form of AnalysisStats.
type statsJSON struct {
	Harmless         int64 `json:"harmless"`
	Malicious        int64 `json:"malicious"`
	Suspicious       int64 `json:"suspicious"`
	Undetected       int64 `json:"undetected"`
	Timeout          int64 `json:"timeout"`
	ConfirmedTimeout int64 `json:"confirmed-timeout"`
	Failure          int64 `json:"failure"`
	TypeUnsupported  int64 `json:"type-unsupported"`
}

// decodeStats decodes an analysis stats attribute, nil when absent.
func decodeStats(attrs map[string]json.RawMessage, key string) (*AnalysisStats, error) {
	raw, ok := attrs[key]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var s statsJSON
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, &pathError{path: "attributes." + key, err: err}
	}
	st := AnalysisStats(s)
	return &st, nil
}

// wrongType reports a conversion to a type the entity is not.
func (e *Entity) wrongType(want NodeType) error {
	if e.Type != want {
		return fmt.Errorf("vtgraph: %s is a %s, not a %s", e.Ref(), e.Type, want)
	}
	return nil
}

// AsFile decodes the file attributes of a file entity. It fails when the
// entity is not a file or an attribute does not have the type VirusTotal
// documents.
func (e *Entity) AsFile() (*File, error) {
	if err := e.wrongType(NodeTypeFile); err != nil {
		return nil, err
	}
	f, err := fileOf(e)
	if err != nil {
		return nil, fmt.Errorf("vtgraph: file %s: %w", e.ID, err)
	}
	return f, nil
}

func fileOf(e *Entity) (*File, error) {
	f := &File{Entity: *e}
	var first, last int64
	err := decodeAttrs(e.Attributes,
		attrField{"sha256", &f.SHA256}, attrField{"sha1", &f.SHA1}, attrField{"md5", &f.MD5},
		attrField{"size", &f.Size}, attrField{"type_tag", &f.TypeTag},
		attrField{"type_description", &f.TypeDescription}, attrField{"meaningful_name", &f.MeaningfulName},
		attrField{"names", &f.Names}, attrField{"times_submitted", &f.TimesSubmitted},
		attrField{"first_submission_date", &first}, attrField{"last_submission_date", &last},
	)
	if err != nil {
		return nil, err
	}
	f.FirstSubmissionDate, f.LastSubmissionDate = unixTime(first), unixTime(last)
	return f, nil
}

// AsURL decodes the URL attributes of a URL entity. It fails when the entity
// is not a URL or an attribute does not have the type VirusTotal documents.
func (e *Entity) AsURL() (*URL, error) {
	if err := e.wrongType(NodeTypeURL); err != nil {
		return nil, err
	}
	u, err := urlOf(e)
	if err != nil {
		return nil, fmt.Errorf("vtgraph: URL %s: %w", e.ID, err)
	}
	return u, nil
}

func urlOf(e *Entity) (*URL, error) {
	u := &URL{Entity: *e}
	var first, last int64
	err := decodeAttrs(e.Attributes,
		attrField{"url", &u.URL}, attrField{"last_final_url", &u.LastFinalURL}, attrField{"title", &u.Title},
		attrField{"last_http_response_code", &u.LastHTTPResponseCode}, attrField{"times_submitted", &u.TimesSubmitted},
		attrField{"first_submission_date", &first}, attrField{"last_submission_date", &last},
	)
	if err != nil {
		return nil, err
	}
	u.FirstSubmissionDate, u.LastSubmissionDate = unixTime(first), unixTime(last)
	return u, nil
}

// AsDomain decodes the domain attributes of a domain entity. It fails when
// the entity is not a domain or an attribute does not have the type
// VirusTotal documents.
func (e *Entity) AsDomain() (*Domain, error) {
	if err := e.wrongType(NodeTypeDomain); err != nil {
		return nil, err
	}
	d, err := domainOf(e)
	if err != nil {
		return nil, fmt.Errorf("vtgraph: domain %s: %w", e.ID, err)
	}
	return d, nil
}

func domainOf(e *Entity) (*Domain, error) {
	d := &Domain{Entity: *e}
	var created int64
	err := decodeAttrs(e.Attributes,
		attrField{"registrar", &d.Registrar}, attrField{"tld", &d.TLD},
		attrField{"categories", &d.Categories}, attrField{"creation_date", &created},
	)
	if err != nil {
		return nil, err
	}
	d.CreationDate = unixTime(created)
	return d, nil
}

// AsIPAddress decodes the IP address attributes of an IP address entity. It
// fails when the entity is not an IP address or an attribute does not have
// the type VirusTotal documents.
func (e *Entity) AsIPAddress() (*IPAddress, error) {
	if err := e.wrongType(NodeTypeIPAddress); err != nil {
		return nil, err
	}
	ip, err := ipAddressOf(e)
	if err != nil {
		return nil, fmt.Errorf("vtgraph: IP address %s: %w", e.ID, err)
	}
	return ip, nil
}

func ipAddressOf(e *Entity) (*IPAddress, error) {
	ip := &IPAddress{Entity: *e}
	err := decodeAttrs(e.Attributes,
		attrField{"country", &ip.Country}, attrField{"continent", &ip.Continent},
		attrField{"as_owner", &ip.ASOwner}, attrField{"asn", &ip.ASN}, attrField{"network", &ip.Network},
		attrField{"regional_internet_registry", &ip.RegionalInternetRegistry},
	)
	if err != nil {
		return nil, err
	}
	return ip, nil
}

// AsResolution decodes the attributes of a DNS resolution, as the
// resolutions relationship of a domain or an IP address lists them. It
// fails when the entity is not a resolution or an attribute does not have
// the expected type.
func (e *Entity) AsResolution() (*Resolution, error) {
	if err := e.wrongType("resolution"); err != nil {
		return nil, err
	}
	r := &Resolution{Entity: *e}
	var date int64
	err := decodeAttrs(e.Attributes,
		attrField{"ip_address", &r.IPAddress}, attrField{"host_name", &r.HostName},
		attrField{"date", &date}, attrField{"resolver", &r.Resolver},
	)
	if err == nil {
		r.IPAddressStats, err = decodeStats(e.Attributes, "ip_address_last_analysis_stats")
	}
	if err == nil {
		r.HostNameStats, err = decodeStats(e.Attributes, "host_name_last_analysis_stats")
	}
	if err != nil {
		return nil, fmt.Errorf("vtgraph: resolution %s: %w", e.ID, err)
	}
	r.Date = unixTime(date)
	return r, nil
}
