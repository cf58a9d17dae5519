package vtgraph

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
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

// storedAsCustom reports whether VirusTotal's tools store a node of type t
// in the custom form, type "custom" with entity_attributes.custom_type set
// to t: vt-graph-api does so for every type other than those the API has
// objects for, and the relationship and custom types themselves.
func storedAsCustom(t NodeType) bool {
	switch t {
	case NodeTypeFile, NodeTypeURL, NodeTypeDomain, NodeTypeIPAddress, NodeTypeWhois,
		NodeTypeSSLCert, NodeTypeCollection, NodeTypeReference, NodeTypeRelationship, NodeTypeCustom:
		return false
	}
	return t != ""
}

// validNodeType reports whether t is a lower-case identifier, the form of
// every type VirusTotal uses: a letter, then letters, digits and
// underscores.
func validNodeType(t string) bool {
	if t == "" || t[0] < 'a' || t[0] > 'z' {
		return false
	}
	for i := 1; i < len(t); i++ {
		if c := t[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

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
// the API documentation; retrohunt and group are what VirusTotal's own
// tools (the UI and vt-graph-api) save.
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
	attrCustomType        = "custom_type"
	attrGroupedNodeIDs    = "grouped_node_ids"
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
	// Type is the type as stored: "custom" for the types VirusTotal stores
	// in the custom form, whose entity type is then in
	// entity_attributes.custom_type. Read it with [Node.EntityType] and set
	// it with [Node.SetEntityType] to handle both forms.
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
	if content, plain := plainString(raw); plain {
		return string(content), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// plainString returns the content of raw when it is a JSON string that
// needs no unescaping, as nearly every attribute the API sends is, so that
// reading one needs no decoder.
func plainString(raw json.RawMessage) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, false
	}
	content := raw[1 : len(raw)-1]
	for _, c := range content {
		if c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return nil, false
		}
	}
	return content, true
}

// HasDetections returns whether the entity has detections, and whether the
// attribute is present. VirusTotal sends has_detections as a bool or as an
// integer count; any non-zero count means true.
func (a EntityAttributes) HasDetections() (has, ok bool) {
	v, ok := parseDetections(a[attrHasDetections])
	return v, ok
}

// DetectionCount returns has_detections as a count, the number of engines
// that flagged the entity, which is how vt-graph-api and the VirusTotal UI
// store it for files, URLs and addresses. ok is false when the attribute is
// absent or holds a bool, which has no count.
func (a EntityAttributes) DetectionCount() (count int64, ok bool) {
	raw := bytes.TrimSpace(a[attrHasDetections])
	if len(raw) == 0 || raw[0] == 't' || raw[0] == 'f' {
		return 0, false
	}
	return parseCount(raw)
}

// parseCount reads a non-negative integer, also when written with a fraction
// or an exponent (3.0, 1e2), as a JSON number decoded into float64 would be.
func parseCount(raw []byte) (int64, bool) {
	if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return max(n, 0), n >= 0
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || f < 0 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// parseDetections accepts the bool and count forms of has_detections.
func parseDetections(raw json.RawMessage) (has, ok bool) {
	switch s := bytes.TrimSpace(raw); string(s) {
	case "":
		return false, false
	case "true":
		return true, true
	case "false":
		return false, true
	default:
		n, ok := parseCount(s)
		return n != 0, ok
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

// SetDetectionCount stores has_detections as a count, the form VirusTotal's
// tools write; [EntityAttributes.HasDetections] reads any count but 0 as
// true. [Graph.Validate] refuses a negative count.
func (n *Node) SetDetectionCount(count int) {
	n.setAttr(attrHasDetections, strconv.AppendInt(nil, int64(count), 10))
}

// EntityType returns the type of entity n stands for, whichever form it was
// stored in: for a node stored as {"type":"custom","entity_attributes":
// {"custom_type":"victim"}}, as VirusTotal's tools store it, and for one in
// the older form {"type":"victim"}, it returns [NodeTypeVictim]. For a
// custom node without a custom_type, and for every other node, it returns
// n.Type.
func (n *Node) EntityType() NodeType {
	if n.Type == NodeTypeCustom {
		if t, ok := n.Attributes.String(attrCustomType); ok && t != "" {
			return NodeType(t)
		}
	}
	return n.Type
}

// SetEntityType makes n stand for an entity of type t, in the form
// VirusTotal's tools store it: the types the API has objects for (file,
// url, domain, ip_address, whois, ssl_cert, collection and reference), and
// relationship and custom, go in Type; any other type, such as victim or
// actor, is stored as type "custom" with entity_attributes.custom_type set
// to it, which is the only form vt-graph-api reads back. [Graph.AddNode]
// stores types the same way.
func (n *Node) SetEntityType(t NodeType) {
	if storedAsCustom(t) {
		n.Type = NodeTypeCustom
		n.setAttr(attrCustomType, appendString(nil, string(t)))
		return
	}
	n.Type = t
	if t != NodeTypeCustom {
		delete(n.Attributes, attrCustomType)
	}
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
// typed link and for entity nodes. A relationship node with commonalities
// but no relationship_type, as VirusTotal's UI saves some, is a
// commonality node, as vt-graph-api reads it.
func (n *Node) RelationshipKind() RelationshipKind {
	if !n.IsRelationship() || len(n.Attributes) == 0 {
		return ""
	}
	raw, ok := n.Attributes[attrRelationshipType]
	if !ok {
		if _, ok := n.Attributes[attrCommonalities]; ok {
			return RelationshipCommonality
		}
		return ""
	}
	content, plain := plainString(raw)
	if !plain {
		s, _ := n.Attributes.String(attrRelationshipType)
		return RelationshipKind(s)
	}
	// The common kinds are returned as constants, so that reading them
	// allocates nothing.
	switch RelationshipKind(content) {
	case RelationshipCommonality:
		return RelationshipCommonality
	case RelationshipIntelligence:
		return RelationshipIntelligence
	case RelationshipHunting:
		return RelationshipHunting
	case RelationshipRetrohunt:
		return RelationshipRetrohunt
	case RelationshipGroup:
		return RelationshipGroup
	}
	return RelationshipKind(content)
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

// IsGroup reports whether n is a group of nodes: a relationship node with
// relationship_type "group" whose members are listed in
// entity_attributes.grouped_node_ids, each linked to it by a "group" link
// (see [Graph.AddGroup] and [Graph.GroupMembers]).
func (n *Node) IsGroup() bool { return n.RelationshipKind() == RelationshipGroup }

// groupedNodeIDs returns the members a group node lists, and false when n is
// not a group or the list is not an array of strings.
func (n *Node) groupedNodeIDs() ([]string, bool) {
	if !n.IsGroup() {
		return nil, false
	}
	var ids []string
	if err := json.Unmarshal(n.Attributes[attrGroupedNodeIDs], &ids); err != nil {
		return nil, false
	}
	return ids, true
}

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

// ConnectionGroup is the connection type of the link from each member of a
// group to the group node.
const ConnectionGroup = "group"

// RelationshipNodeID returns the id VirusTotal gives the relationship node of
// a typed link: relationships_<connection type>_<source id> with the dots of
// the source id dropped, as in relationships_resolutions_wwwhoolicom.
func RelationshipNodeID(connectionType, sourceID string) string {
	return "relationships_" + connectionType + "_" + strings.ReplaceAll(sourceID, ".", "")
}
