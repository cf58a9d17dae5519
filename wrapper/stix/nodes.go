package stix

import "github.com/vtgraphs/vtgraphs/wrapper/vtgraph"

// Entity attribute keys this package reads or writes besides those of the
// generic x_vt_ properties.
const (
	attrCustomType       = "custom_type"
	attrRelationshipType = "relationship_type"
	attrGroupedNodeIDs   = "grouped_node_ids"
	attrCommonalities    = "commonalities"
)

// entityType returns the type a node stands for: the custom_type of a
// custom node, saved as {"type":"custom","entity_attributes":
// {"custom_type":"victim"}}, and the type itself otherwise, so that the
// older form {"type":"victim"} reads the same.
func entityType(n *vtgraph.Node) vtgraph.NodeType {
	if n.Type == vtgraph.NodeTypeCustom {
		if t, ok := n.Attributes.String(attrCustomType); ok && t != "" {
			return vtgraph.NodeType(t)
		}
	}
	return n.Type
}

// specialKind returns the kind of a special relationship node (a group, a
// commonality, a search or a hunt), or "" for the relationship node of a
// typed link and for entity nodes. The UI has saved commonality nodes
// without relationship_type; their commonalities attribute tells them
// apart.
func specialKind(n *vtgraph.Node) vtgraph.RelationshipKind {
	if !n.IsRelationship() {
		return ""
	}
	if k := n.RelationshipKind(); k != "" {
		return k
	}
	if _, ok := n.Attributes[attrCommonalities]; ok {
		return vtgraph.RelationshipCommonality
	}
	return ""
}

// isLink reports whether n is the relationship node of typed links, which
// becomes relationship objects rather than an object of its own.
func isLink(n *vtgraph.Node) bool { return n.IsRelationship() && specialKind(n) == "" }
