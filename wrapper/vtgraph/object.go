package vtgraph

import "encoding/json"

// Relation names a relationship of a graph: a set of objects reached from
// it. The constants are the ones VirusTotal documents for graphs; any other
// name of lowercase letters and underscores is sent as is, so relationships
// VirusTotal adds later can be listed without a new release.
type Relation string

// The relationships of a graph.
const (
	// RelationOwner is the user who owns the graph, a single object.
	RelationOwner Relation = "owner"
	// RelationGroup is the group the graph belongs to, a single object or
	// none.
	RelationGroup Relation = "group"
	// RelationItems are the entities the graph shows: files, URLs, domains,
	// IP addresses and so on, without the relationship nodes.
	RelationItems Relation = "items"
	// RelationComments are the comments on the graph.
	RelationComments Relation = "comments"
	// RelationViewers are the users and groups the graph is shared with for
	// reading.
	RelationViewers Relation = "viewers"
	// RelationEditors are the users and groups the graph is shared with for
	// editing.
	RelationEditors Relation = "editors"
)

// Known reports whether r is one of the Relation constants.
func (r Relation) Known() bool {
	switch r {
	case RelationOwner, RelationGroup, RelationItems, RelationComments, RelationViewers, RelationEditors:
		return true
	}
	return false
}

// Object is any VirusTotal object reached through a relationship: a file,
// domain or other entity of the items relationship, a comment, a user or a
// group. Its attributes depend on Type and are kept as raw JSON.
type Object struct {
	// Type is the object type, such as "file", "domain", "comment" or
	// "user".
	Type string
	// ID identifies the object within its type: a SHA-256, a domain name, a
	// user id.
	ID string
	// Attributes holds the object's attributes as sent.
	Attributes map[string]json.RawMessage
	// ContextAttributes holds attributes that describe the object in this
	// relationship rather than the object itself; usually empty.
	ContextAttributes map[string]json.RawMessage
	// SelfLink is the API URL of the object (its links.self), or "".
	SelfLink string
}

// Descriptor identifies an object reached through a relationship without its
// attributes, as the descriptor variants of the relationship calls return
// it.
type Descriptor struct {
	// Type is the object type, such as "file" or "user".
	Type string
	// ID identifies the object within its type.
	ID string
	// ContextAttributes holds attributes that describe the object in this
	// relationship; usually empty.
	ContextAttributes map[string]json.RawMessage
}

// objectJSON is the wire form shared by objects and descriptors.
type objectJSON struct {
	Type              string                     `json:"type"`
	ID                string                     `json:"id"`
	Attributes        map[string]json.RawMessage `json:"attributes"`
	ContextAttributes map[string]json.RawMessage `json:"context_attributes"`
	Links             struct {
		Self string `json:"self"`
	} `json:"links"`
}

func decodeObject(data []byte) (*Object, error) {
	var o objectJSON
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, err
	}
	return &Object{Type: o.Type, ID: o.ID, Attributes: o.Attributes, ContextAttributes: o.ContextAttributes, SelfLink: o.Links.Self}, nil
}

func decodeDescriptor(data []byte) (Descriptor, error) {
	var o objectJSON
	if err := json.Unmarshal(data, &o); err != nil {
		return Descriptor{}, err
	}
	return Descriptor{Type: o.Type, ID: o.ID, ContextAttributes: o.ContextAttributes}, nil
}
