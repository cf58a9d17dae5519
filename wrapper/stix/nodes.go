package stix

import "github.com/vtgraphs/vtgraphs/wrapper/vtgraph"

// Entity attribute keys this package reads or writes besides those of the
// generic x_vt_ properties.
const (
	attrCustomType       = "custom_type"
	attrRelationshipType = "relationship_type"
	attrGroupedNodeIDs   = "grouped_node_ids"
)

// isLink reports whether n is the relationship node of typed links, which
// becomes relationship objects rather than an object of its own.
func isLink(n *vtgraph.Node) bool { return n.IsRelationship() && n.RelationshipKind() == "" }
