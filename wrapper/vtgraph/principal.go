package vtgraph

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// PrincipalType says whether a principal is a user or a group.
type PrincipalType string

// The principal types graphs are shared with.
const (
	// PrincipalUser is a VirusTotal user account.
	PrincipalUser PrincipalType = "user"
	// PrincipalGroup is a VirusTotal group of users.
	PrincipalGroup PrincipalType = "group"
)

// PrincipalRef names a user or a group, for granting access to a graph.
type PrincipalRef struct {
	// Type is PrincipalUser or PrincipalGroup.
	Type PrincipalType
	// ID is the user or group id, such as "alice" or "threat-intel".
	ID string
}

// User returns a reference to the user with the given id.
func User(id string) PrincipalRef { return PrincipalRef{Type: PrincipalUser, ID: id} }

// Group returns a reference to the group with the given id.
func Group(id string) PrincipalRef { return PrincipalRef{Type: PrincipalGroup, ID: id} }

// String returns the reference in the form ParsePrincipal reads, such as
// "user:alice".
func (r PrincipalRef) String() string { return string(r.Type) + ":" + r.ID }

// ParsePrincipal reads a principal written as "user:NAME" or "group:NAME",
// the form command lines and configuration files use. It returns a
// *ParamError when the prefix is missing or unknown or the name is not a
// valid id.
func ParsePrincipal(s string) (PrincipalRef, error) {
	var p paramProblems
	kind, id, ok := strings.Cut(s, ":")
	ref := PrincipalRef{Type: PrincipalType(kind), ID: id}
	switch {
	case !ok:
		p.addf("principal", "%s is not of the form user:NAME or group:NAME", strconv.Quote(truncateValue(s)))
	case ref.Type != PrincipalUser && ref.Type != PrincipalGroup:
		p.addf("principal", "unknown type %s, want user or group", strconv.Quote(truncateValue(kind)))
	default:
		checkPrincipalID(&p, "principal", id)
	}
	if err := p.err(); err != nil {
		return PrincipalRef{}, err
	}
	return ref, nil
}

// check reports the problems of r under path, such as "principal[1]".
func (r PrincipalRef) check(p *paramProblems, path string) {
	if r.Type != PrincipalUser && r.Type != PrincipalGroup {
		p.addf(path+".type", "must be user or group, got %s", strconv.Quote(truncateValue(string(r.Type))))
	}
	checkPrincipalID(p, path+".id", r.ID)
}

// Principal is a user or a group as the API describes it: the owner or group
// of a graph, or one of its viewers or editors. Users have the personal
// fields; a group has only what Attributes holds.
type Principal struct {
	// Type is PrincipalUser or PrincipalGroup; other values may appear if
	// VirusTotal adds kinds of principals.
	Type PrincipalType
	// ID is the user or group id.
	ID string
	// FirstName is a user's first name.
	FirstName string
	// LastName is a user's last name.
	LastName string
	// ProfilePhrase is a user's self-description.
	ProfilePhrase string
	// Status is the account status, such as "active".
	Status string
	// Reputation is the user's community reputation.
	Reputation int64
	// UserSince is when the account was created, to the second; zero when
	// the API did not say.
	UserSince time.Time
	// Attributes holds every attribute as sent, including those decoded
	// into the fields above.
	Attributes map[string]json.RawMessage
}

// Ref returns a reference to the principal, for granting it access.
func (p *Principal) Ref() PrincipalRef { return PrincipalRef{Type: p.Type, ID: p.ID} }

// decodePrincipal decodes a user or group object:
// {"type": "user", "id": "…", "attributes": {…}, "links": {…}}.
func decodePrincipal(data []byte) (*Principal, error) {
	var obj struct {
		Type       string                     `json:"type"`
		ID         string                     `json:"id"`
		Attributes map[string]json.RawMessage `json:"attributes"`
	}
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	p := &Principal{Type: PrincipalType(obj.Type), ID: obj.ID, Attributes: obj.Attributes}
	var userSince int64
	fields := []struct {
		key string
		dst any
	}{
		{"first_name", &p.FirstName},
		{"last_name", &p.LastName},
		{"profile_phrase", &p.ProfilePhrase},
		{"status", &p.Status},
		{"reputation", &p.Reputation},
		{"user_since", &userSince},
	}
	for _, f := range fields {
		raw, ok := obj.Attributes[f.key]
		if !ok || string(raw) == "null" {
			continue
		}
		if err := json.Unmarshal(raw, f.dst); err != nil {
			return nil, &pathError{path: "attributes." + f.key, err: err}
		}
	}
	if userSince != 0 {
		p.UserSince = time.Unix(userSince, 0).UTC()
	}
	return p, nil
}
