package vtgraphtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Universe is a set of VirusTotal entities (files, URLs, domains and IP
// addresses) with their attributes and relationships, for a [Server] to
// serve on the object, relationship and intelligence search routes. Build
// one with [NewUniverse] and [Universe.Add], read one with [LoadUniverse],
// or start from [DemoUniverse].
//
// A Universe is a description: [WithUniverse] and [Server.SetUniverse] take
// a snapshot of it, so changing it afterwards does not change what a server
// serves. A Universe is not safe for concurrent use.
type Universe struct {
	entities []Entity
	index    map[entityKey]int
	urls     map[string]string // URL ids to the URLs they were given as
}

// Entity is one file, URL, domain or IP address of a [Universe]. In the JSON
// form [LoadUniverse] reads, its fields are "type", "id", "attributes" and
// "relationships".
type Entity struct {
	// Type is "file", "url", "domain" or "ip_address".
	Type string `json:"type"`
	// ID identifies the entity as VirusTotal does: a file's SHA-256, a
	// domain name, an IP address. A URL may be given as the URL itself
	// ("https://…"), whose SHA-256 becomes its id, or as that SHA-256 with
	// the URL in the url attribute.
	ID string `json:"id"`
	// Attributes are served as the object's attributes, as given. The
	// attributes the spec types (size, names, last_analysis_stats, country,
	// dates…) must have the spec's JSON types. A file's sha256 is set to its
	// id, and its md5 and sha1, when given, also find it on /files/{id}.
	Attributes map[string]any `json:"attributes,omitempty"`
	// Relationships lists the entities each relationship leads to, by
	// relationship name, in the order they are served. Only relationships
	// VirusTotal documents for the type are accepted, leading to entities
	// of the types it documents for them.
	Relationships map[string][]Ref `json:"relationships,omitempty"`
}

// Ref is the target of a relationship: an entity of the universe, which is
// added without attributes when it is not described on its own.
type Ref struct {
	// Type is the target's type, such as "ip_address".
	Type string `json:"type"`
	// ID is the target's id, written as for [Entity.ID].
	ID string `json:"id"`
	// ContextAttributes are served as the related object's
	// context_attributes: what describes it in this relationship only.
	ContextAttributes map[string]any `json:"context_attributes,omitempty"`
}

// universeFile is the JSON form of a Universe.
type universeFile struct {
	Entities []Entity `json:"entities"`
}

type entityKey struct {
	typ, id string
}

// NewUniverse returns an empty universe.
func NewUniverse() *Universe {
	return &Universe{index: map[entityKey]int{}, urls: map[string]string{}}
}

// LoadUniverse reads a universe from JSON of the form
//
//	{"entities": [
//	  {"type": "domain", "id": "login.acme.example",
//	   "attributes": {"registrar": "Example Registrar"},
//	   "relationships": {"resolutions": [{"type": "ip_address", "id": "192.0.2.10"}]}}
//	]}
//
// and checks it as [Universe.Add] does, reporting every problem at once with
// the path of the value at fault, such as
// "entities[2].relationships.resolutions[0].type". Unknown members are
// errors, so that a misspelt "relationship" is not silently ignored.
func LoadUniverse(r io.Reader) (*Universe, error) {
	d := json.NewDecoder(r)
	d.UseNumber()
	d.DisallowUnknownFields()
	var f universeFile
	if err := d.Decode(&f); err != nil {
		return nil, fmt.Errorf("vtgraphtest: reading the universe: %w", err)
	}
	if d.More() {
		return nil, errors.New("vtgraphtest: reading the universe: data after the JSON document")
	}
	u := NewUniverse()
	var errs []error
	for i, e := range f.Entities {
		if err := u.add(e); err != nil {
			errs = append(errs, prefixErrors(fmt.Sprintf("entities[%d]", i), err)...)
		}
	}
	if len(errs) == 0 {
		if _, err := u.compile(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("vtgraphtest: invalid universe: %w", errors.Join(errs...))
	}
	return u, nil
}

// LoadUniverseFile reads a universe from a JSON file, as [LoadUniverse]
// does.
func LoadUniverseFile(path string) (*Universe, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("vtgraphtest: %w", err)
	}
	defer f.Close()
	return LoadUniverse(f)
}

// Add adds an entity. It checks the entity and reports every problem at once:
// an unknown type, an id that is not one of its type (a file's id must be a
// SHA-256), a typed attribute of the wrong JSON type, a relationship the
// type does not have or a target of a type the relationship does not lead
// to, and an entity added twice.
func (u *Universe) Add(e Entity) error {
	if err := u.add(e); err != nil {
		return fmt.Errorf("vtgraphtest: Universe.Add: %w", err)
	}
	return nil
}

// Len returns the number of entities added, not counting the targets that
// exist only as the end of a relationship.
func (u *Universe) Len() int { return len(u.entities) }

func (u *Universe) add(e Entity) error {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	id, url, err := normalizeID(e.Type, e.ID)
	if err != nil {
		fail(pathOf("type", "id", err), "%v", err)
		return errors.Join(errs...)
	}
	out := Entity{Type: e.Type, ID: id, Attributes: map[string]any{}, Relationships: map[string][]Ref{}}
	for k, v := range e.Attributes {
		out.Attributes[k] = v
	}
	if url != "" {
		if given, ok := out.Attributes["url"]; ok && given != url {
			fail("attributes.url", "%v differs from the id %s", given, strconv.Quote(url))
		}
		out.Attributes["url"] = url
	}
	if e.Type == typeFile {
		if given, ok := out.Attributes["sha256"].(string); ok && strings.ToLower(given) != id {
			fail("attributes.sha256", "%s differs from the id", strconv.Quote(given))
		}
		out.Attributes["sha256"] = id
	}
	errs = append(errs, checkAttributes(e.Type, out.Attributes)...)
	rels := entityRelationships[e.Type]
	refURLs := map[string]string{}
	for _, name := range sortedKeys(e.Relationships) {
		info, ok := rels[name]
		if !ok {
			fail("relationships."+name, "%s objects have no relationship %s", e.Type, strconv.Quote(name))
			continue
		}
		refs := e.Relationships[name]
		if info.single && len(refs) > 1 {
			fail("relationships."+name, "holds at most one object, got %d", len(refs))
		}
		for i, r := range refs {
			path := fmt.Sprintf("relationships.%s[%d]", name, i)
			if !slices.Contains(info.targets, r.Type) {
				fail(path+".type", "%s leads to %s, not %s", name, strings.Join(info.targets, " or "), strconv.Quote(r.Type))
				continue
			}
			rid, rurl, err := normalizeID(r.Type, r.ID)
			if err != nil {
				fail(path+".id", "%v", err)
				continue
			}
			if rurl != "" {
				refURLs[rid] = rurl
			}
			if _, err := json.Marshal(r.ContextAttributes); err != nil {
				fail(path+".context_attributes", "%v", err)
				continue
			}
			out.Relationships[name] = append(out.Relationships[name], Ref{Type: r.Type, ID: rid, ContextAttributes: r.ContextAttributes})
		}
	}
	key := entityKey{e.Type, id}
	if _, dup := u.index[key]; dup {
		fail("id", "%s %s is already in the universe", e.Type, strconv.Quote(id))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	u.index[key] = len(u.entities)
	u.entities = append(u.entities, out)
	if url != "" {
		u.urls[id] = url
	}
	for id, url := range refURLs {
		u.urls[id] = url
	}
	return nil
}

// pathOf names the field an id error is about: an unknown type is the
// type's fault, anything else the id's.
func pathOf(typePath, idPath string, err error) string {
	if errors.Is(err, errUnknownType) {
		return typePath
	}
	return idPath
}

var errUnknownType = errors.New("the type must be file, url, domain or ip_address")

// normalizeID returns the id VirusTotal gives an entity of type typ known
// as id: hashes in lowercase, a URL's SHA-256 (and the URL, when id is one),
// a domain in lowercase without a final dot, an IP address in its canonical
// form.
func normalizeID(typ, id string) (norm, url string, err error) {
	if id == "" {
		if !slices.Contains([]string{typeFile, typeURL, typeDomain, typeIPAddress}, typ) {
			return "", "", fmt.Errorf("%w, got %s", errUnknownType, strconv.Quote(typ))
		}
		return "", "", errors.New("empty")
	}
	switch typ {
	case typeFile:
		h := strings.ToLower(id)
		if !isHex(h, 64) {
			return "", "", fmt.Errorf("%s is not a SHA-256", strconv.Quote(id))
		}
		return h, "", nil
	case typeURL:
		if strings.Contains(id, "://") {
			return urlSHA256(id), id, nil
		}
		h := strings.ToLower(id)
		if !isHex(h, 64) {
			return "", "", fmt.Errorf("%s is neither a URL nor the SHA-256 of one", strconv.Quote(id))
		}
		return h, "", nil
	case typeDomain:
		d := strings.TrimSuffix(strings.ToLower(id), ".")
		if d == "" || strings.ContainsFunc(d, func(r rune) bool {
			return r <= ' ' || r == '/' || r == '?' || r == '#' || r == '%' || r == '\\' || r == ':'
		}) {
			return "", "", fmt.Errorf("%s is not a domain name", strconv.Quote(id))
		}
		return d, "", nil
	case typeIPAddress:
		a, err := netip.ParseAddr(id)
		if err != nil || a.Zone() != "" {
			return "", "", fmt.Errorf("%s is not an IP address", strconv.Quote(id))
		}
		return a.Unmap().String(), "", nil
	}
	return "", "", fmt.Errorf("%w, got %s", errUnknownType, strconv.Quote(typ))
}

// urlSHA256 is the id of a URL object. VirusTotal hashes the URL after
// canonicalising it; the universe takes the URL as given to be canonical.
func urlSHA256(url string) string {
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:])
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// attrKind is the JSON type the spec gives a typed attribute.
type attrKind int

const (
	kindString attrKind = iota
	kindInteger
	kindStrings
	kindCounts    // an object of integers: last_analysis_stats, total_votes
	kindStringMap // an object of strings: categories
)

var commonAttributes = map[string]attrKind{
	"tags": kindStrings, "reputation": kindInteger,
	"last_analysis_date": kindInteger, "last_modification_date": kindInteger,
	"last_analysis_stats": kindCounts, "total_votes": kindCounts,
}

// typedAttributes are the attributes the spec types, per entity type.
var typedAttributes = map[string]map[string]attrKind{
	typeFile: {
		"sha256": kindString, "sha1": kindString, "md5": kindString, "size": kindInteger,
		"type_tag": kindString, "type_description": kindString, "meaningful_name": kindString,
		"names": kindStrings, "times_submitted": kindInteger,
		"first_submission_date": kindInteger, "last_submission_date": kindInteger,
	},
	typeURL: {
		"url": kindString, "last_final_url": kindString, "title": kindString,
		"last_http_response_code": kindInteger, "times_submitted": kindInteger,
		"first_submission_date": kindInteger, "last_submission_date": kindInteger,
	},
	typeDomain: {
		"registrar": kindString, "tld": kindString, "categories": kindStringMap, "creation_date": kindInteger,
	},
	typeIPAddress: {
		"country": kindString, "continent": kindString, "as_owner": kindString, "asn": kindInteger,
		"network": kindString, "regional_internet_registry": kindString,
	},
}

// checkAttributes reports the typed attributes whose JSON type is not the
// spec's, and hashes of a file that are not hashes, so that a universe
// cannot make the server break its own contract.
func checkAttributes(typ string, attrs map[string]any) []error {
	var errs []error
	for _, k := range sortedKeys(attrs) {
		kind, ok := typedAttributes[typ][k]
		if !ok {
			kind, ok = commonAttributes[k]
		}
		raw, err := json.Marshal(attrs[k])
		if err != nil {
			errs = append(errs, fmt.Errorf("attributes.%s: %v", k, err))
			continue
		}
		if !ok {
			continue
		}
		if !hasKind(raw, kind) {
			errs = append(errs, fmt.Errorf("attributes.%s: must be %s, got %s", k, kind, raw))
		}
	}
	if typ == typeFile {
		for k, n := range map[string]int{"md5": 32, "sha1": 40} {
			if v, ok := attrs[k].(string); ok && !isHex(strings.ToLower(v), n) {
				errs = append(errs, fmt.Errorf("attributes.%s: %s is not a hash of %d hex digits", k, strconv.Quote(v), n))
			}
		}
	}
	return errs
}

func (k attrKind) String() string {
	switch k {
	case kindInteger:
		return "an integer"
	case kindStrings:
		return "a list of strings"
	case kindCounts:
		return "an object of integers"
	case kindStringMap:
		return "an object of strings"
	}
	return "a string"
}

func hasKind(raw []byte, kind attrKind) bool {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return false
	}
	isInt := func(v any) bool {
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	}
	switch kind {
	case kindString:
		_, ok := v.(string)
		return ok
	case kindInteger:
		return isInt(v)
	case kindStrings:
		list, ok := v.([]any)
		for _, e := range list {
			if _, isString := e.(string); !isString {
				return false
			}
		}
		return ok
	case kindCounts, kindStringMap:
		m, ok := v.(map[string]any)
		for _, e := range m {
			if _, isString := e.(string); kind == kindStringMap && !isString || kind == kindCounts && !isInt(e) {
				return false
			}
		}
		return ok
	}
	return false
}

func prefixErrors(prefix string, err error) []error {
	var out []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			out = append(out, fmt.Errorf("%s.%w", prefix, e))
		}
		return out
	}
	return []error{fmt.Errorf("%s.%w", prefix, err)}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// SetUniverse replaces the entities the server serves, while it runs, with
// a snapshot of u. Requests under way finish with the universe they
// started with.
func (s *Server) SetUniverse(u *Universe) error {
	if u == nil {
		return errors.New("vtgraphtest: SetUniverse: nil universe")
	}
	w, err := u.compile()
	if err != nil {
		return fmt.Errorf("vtgraphtest: SetUniverse: %w", err)
	}
	s.world.Store(w)
	return nil
}
