package vtgraph

import (
	"encoding/json"
	"strconv"
	"strings"
)

// NodeType is the kind of entity a graph node stands for. Values outside the
// listed constants are valid: VirusTotal adds types over time, and a graph
// holding one must still load and save unchanged.
type NodeType string

// Node types known to the VirusTotal graph UI.
const (
	NodeTypeFile         NodeType = "file"
	NodeTypeURL          NodeType = "url"
	NodeTypeDomain       NodeType = "domain"
	NodeTypeIPAddress    NodeType = "ip_address"
	NodeTypeRelationship NodeType = "relationship"
	NodeTypeWhois        NodeType = "whois"
	NodeTypeSSLCert      NodeType = "ssl_cert"
	NodeTypeCollection   NodeType = "collection"
	NodeTypeReference    NodeType = "reference"
	NodeTypeActor        NodeType = "actor"
	NodeTypeVictim       NodeType = "victim"
	NodeTypeEmail        NodeType = "email"
	NodeTypeDepartment   NodeType = "department"
	NodeTypeCustom       NodeType = "custom"
)

// Known reports whether t is one of the NodeType constants of this package.
func (t NodeType) Known() bool {
	switch t {
	case NodeTypeFile, NodeTypeURL, NodeTypeDomain, NodeTypeIPAddress,
		NodeTypeRelationship, NodeTypeWhois, NodeTypeSSLCert, NodeTypeCollection,
		NodeTypeReference, NodeTypeActor, NodeTypeVictim, NodeTypeEmail,
		NodeTypeDepartment, NodeTypeCustom:
		return true
	}
	return false
}

// RelationshipKind is the value of entity_attributes.relationship_type on a
// relationship node that does not stand for a typed link but for a search or
// grouping made in the VirusTotal UI.
type RelationshipKind string

// Special relationship kinds. Commonality, intelligence and hunting appear in
// the API documentation; retrohunt and group follow the same scheme.
const (
	RelationshipCommonality  RelationshipKind = "commonality"
	RelationshipIntelligence RelationshipKind = "intelligence"
	RelationshipHunting      RelationshipKind = "hunting"
	RelationshipRetrohunt    RelationshipKind = "retrohunt"
	RelationshipGroup        RelationshipKind = "group"
)

// Entity attribute keys read and written by the accessors. They are kept as
// raw JSON in EntityAttributes so that their exact form survives a round trip.
const (
	attrHasDetections     = "has_detections"
	attrRelationshipType  = "relationship_type"
	attrCommonalities     = "commonalities"
	attrIntelligenceQuery = "intelligence_query"
	attrRulesetID         = "ruleset_id"
	attrRetrohuntJobID    = "retrohunt_job_id"
)

// Node is one vertex of a graph.
//
// Fields decoded from JSON remember whether they were present, so a node
// that came without "text" or "x" is written back without them. A Node built
// in code (not decoded) is written in the full shape the VirusTotal UI uses.
type Node struct {
	// EntityID identifies the entity: a SHA-256 for a file, the domain name,
	// the IP address, the URL identifier, or a generated id for a
	// relationship node.
	EntityID string
	// Type is the entity type; see the NodeType constants.
	Type NodeType
	// Index is the node's position number in the UI. See Graph.RenumberIndexes.
	Index int
	// X and Y are the node's last drawn position.
	X, Y float64
	// FX and FY pin the node at a fixed position; nil means not pinned, which
	// is different from being pinned at 0.
	FX, FY *float64
	// Text is the label the user gave the node.
	Text string
	// Attributes holds entity_attributes as raw JSON values so that every
	// attribute, known or not, keeps its exact form. Use the accessor methods
	// for the attributes this package understands.
	Attributes EntityAttributes
	// Extra holds node keys this package does not model, as raw JSON.
	Extra map[string]json.RawMessage

	// present records which fields were in the decoded JSON; zero means the
	// node was built in code.
	present fieldSet
}

// fieldSet records which known JSON keys were present on decode.
type fieldSet uint16

const (
	fDecoded fieldSet = 1 << iota
	fEntityID
	fType
	fIndex
	fX
	fY
	fText
	fAttributes
	fSource
	fTarget
	fConnectionType
)

func (s fieldSet) has(f fieldSet) bool { return s&f != 0 }

// EntityAttributes is a node's entity_attributes object, one raw JSON value
// per key. Keeping raw values is what makes unknown and future attributes,
// and numbers of any precision, survive a round trip.
type EntityAttributes map[string]json.RawMessage

// String returns the attribute key as a string and whether it held one.
func (a EntityAttributes) String(key string) (string, bool) {
	raw, ok := a[key]
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// HasDetections returns whether the entity has detections, and whether the
// attribute is present. VirusTotal sends has_detections as a bool or as an
// integer count; any non-zero count means true.
func (a EntityAttributes) HasDetections() (has, ok bool) {
	v, ok := parseDetections(a[attrHasDetections])
	return v, ok
}

// parseDetections accepts the bool and integer forms of has_detections.
func parseDetections(raw json.RawMessage) (has, ok bool) {
	switch s := strings.TrimSpace(string(raw)); s {
	case "":
		return false, false
	case "true":
		return true, true
	case "false":
		return false, true
	default:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f != 0, true
		}
		return false, false
	}
}

// SetHasDetections sets has_detections. An integer value already stored is
// kept when it has the same truth value, so the attribute is written back in
// the form VirusTotal sent it.
func (n *Node) SetHasDetections(has bool) {
	if cur, ok := n.Attributes.HasDetections(); ok && cur == has {
		return
	}
	n.setAttr(attrHasDetections, json.RawMessage(strconv.FormatBool(has)))
}

// setAttr stores one raw attribute, creating the map if needed.
func (n *Node) setAttr(key string, raw json.RawMessage) {
	if n.Attributes == nil {
		n.Attributes = EntityAttributes{}
	}
	n.Attributes[key] = raw
}

// IsRelationship reports whether n is an intermediate relationship node
// rather than an entity.
func (n *Node) IsRelationship() bool { return n.Type == NodeTypeRelationship }

// RelationshipKind returns entity_attributes.relationship_type: the kind of
// a special relationship node, or "" for the relationship node of an ordinary
// typed link and for entity nodes.
func (n *Node) RelationshipKind() RelationshipKind {
	if !n.IsRelationship() {
		return ""
	}
	s, _ := n.Attributes.String(attrRelationshipType)
	return RelationshipKind(s)
}

// Commonality is one shared property of the nodes a commonality node joins,
// such as {"commonality":"path","value":"/"}.
type Commonality struct {
	// Commonality names the shared property.
	Commonality string `json:"commonality"`
	// Value is the shared value, kept raw because it is not always a string.
	Value json.RawMessage `json:"value"`
}

// Commonalities returns the properties a commonality node stands for, and
// false when n is not a commonality node or the attribute is malformed.
func (n *Node) Commonalities() ([]Commonality, bool) {
	if n.RelationshipKind() != RelationshipCommonality {
		return nil, false
	}
	var cs []Commonality
	if err := json.Unmarshal(n.Attributes[attrCommonalities], &cs); err != nil {
		return nil, false
	}
	return cs, true
}

// IntelligenceQuery returns the search query of an intelligence node.
func (n *Node) IntelligenceQuery() (string, bool) {
	return n.specialString(RelationshipIntelligence, attrIntelligenceQuery)
}

// HuntingRulesetID returns the ruleset id of a hunting node.
func (n *Node) HuntingRulesetID() (string, bool) {
	return n.specialString(RelationshipHunting, attrRulesetID)
}

// RetrohuntJobID returns the job id of a retrohunt node.
func (n *Node) RetrohuntJobID() (string, bool) {
	return n.specialString(RelationshipRetrohunt, attrRetrohuntJobID)
}

// IsGroup reports whether n is a group-of-nodes node; its members are the
// targets of its outgoing links (see Graph.Neighbours).
func (n *Node) IsGroup() bool { return n.RelationshipKind() == RelationshipGroup }

func (n *Node) specialString(kind RelationshipKind, key string) (string, bool) {
	if n.RelationshipKind() != kind {
		return "", false
	}
	return n.Attributes.String(key)
}

// Pin fixes the node at (x, y), as dragging it in the UI does.
func (n *Node) Pin(x, y float64) {
	n.X, n.Y = x, y
	n.FX, n.FY = &x, &y
}

// Unpin lets the UI's layout move the node again.
func (n *Node) Unpin() { n.FX, n.FY = nil, nil }

// Link is a directed edge between two nodes, identified by entity id.
type Link struct {
	// Source is the entity id of the node the link starts from.
	Source string
	// Target is the entity id of the node the link ends at.
	Target string
	// ConnectionType is the VirusTotal relationship name, such as
	// "resolutions", or "manual" for a link drawn by hand.
	ConnectionType string
	// Extra holds link keys this package does not model, as raw JSON.
	Extra map[string]json.RawMessage

	present fieldSet
}

// ConnectionManual is the connection type of a link drawn by hand in the UI;
// it joins its nodes directly, without a relationship node.
const ConnectionManual = "manual"

// RelationshipNodeID returns the id VirusTotal gives the relationship node of
// a typed link: relationships_<connection type>_<source id> with the dots of
// the source id dropped, as in relationships_resolutions_wwwhoolicom.
func RelationshipNodeID(connectionType, sourceID string) string {
	return "relationships_" + connectionType + "_" + strings.ReplaceAll(sourceID, ".", "")
}
