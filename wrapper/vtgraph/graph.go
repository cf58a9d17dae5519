package vtgraph

import (
	"encoding/json"
	"time"
)

// Graph is a VirusTotal Threat Graph: the "graph" API object with its nodes
// and links.
//
// A Graph decoded from JSON and encoded again yields the same JSON: keys this
// package does not model are kept in the Extra maps, and a field absent from
// the input stays absent. The one allowed change is Index renumbering; see
// [Graph.RenumberIndexes].
//
// The zero Graph is an empty graph ready to build on; [NewGraph] also sets a
// description.
type Graph struct {
	// ID is the graph id, "g" followed by 64 hex characters; empty before the
	// graph is created.
	ID string
	// Description is graph_data.description, shown as the graph's name.
	Description string
	// Version is graph_data.version, the version of the tool that last
	// saved the graph (the UI, or vt-graph-api such as "2.2.0"). It is sent
	// back unchanged on every save.
	Version string
	// Representation is how the UI lays the graph out; empty means it is
	// not sent, and the UI draws a force graph.
	Representation Representation
	// Private reports whether only the owner and granted users see the graph.
	Private bool
	// Nodes are the graph's vertices.
	Nodes []Node
	// Links are the graph's edges; they refer to nodes by entity id.
	Links []Link
	// CommentsCount is the number of comments on the graph (read-only).
	CommentsCount int64
	// ViewsCount is the number of times the graph was viewed (read-only).
	ViewsCount int64
	// CreationDate is when the graph was created (read-only), to the second.
	CreationDate time.Time
	// LastModifiedDate is when the graph was last saved (read-only), to the
	// second.
	LastModifiedDate time.Time

	// Extra holds attributes this package does not model, such as
	// "position", as raw JSON.
	Extra map[string]json.RawMessage
	// GraphDataExtra holds graph_data keys other than description and
	// version, as raw JSON.
	GraphDataExtra map[string]json.RawMessage
	// ObjectExtra holds object-level keys other than type, id and
	// attributes, such as "links", "relationships" and
	// "context_attributes", as raw JSON.
	ObjectExtra map[string]json.RawMessage

	present graphFields
	// index finds nodes and links by entity id; see graphIndex.
	index *graphIndex
}

// Representation is a graph's attributes.representation: the layout the
// VirusTotal UI draws it in. Other values than the constants load and save
// unchanged.
type Representation string

// The layouts of the VirusTotal UI, as vt-graph-api names them.
const (
	RepresentationForceGraph Representation = "force_graph"
	RepresentationTree       Representation = "tree"
)

// graphFields records which known JSON keys were present on decode.
type graphFields uint16

const (
	gDecoded graphFields = 1 << iota
	gType
	gID
	gAttributes
	gGraphData
	gDescription
	gVersion
	gPrivate
	gNodes
	gLinks
	gCommentsCount
	gViewsCount
	gCreationDate
	gLastModifiedDate
	gRepresentation
)

func (s graphFields) has(f graphFields) bool { return s&f != 0 }

// NewGraph returns an empty graph with the given description.
func NewGraph(description string) *Graph {
	return &Graph{Description: description, index: new(graphIndex)}
}

// URL returns the graph's page in the VirusTotal UI, or "" when the graph
// has no id yet.
func (g *Graph) URL() string {
	if g.ID == "" {
		return ""
	}
	return GraphURL(g.ID)
}

// SelfLink returns the API URL of the graph from the object's "links.self",
// or "" when the API did not send one.
func (g *Graph) SelfLink() string {
	var links struct {
		Self string `json:"self"`
	}
	if json.Unmarshal(g.ObjectExtra["links"], &links) != nil {
		return ""
	}
	return links.Self
}

// Owner returns the id of the graph's owner when the API sent the owner
// relationship, and "" otherwise.
func (g *Graph) Owner() string {
	var rel struct {
		Owner struct {
			Data struct {
				ID string `json:"id"`
			} `json:"data"`
		} `json:"owner"`
	}
	if json.Unmarshal(g.ObjectExtra["relationships"], &rel) != nil {
		return ""
	}
	return rel.Owner.Data.ID
}

// ValidGraphID reports whether id has the form of a VirusTotal graph id: "g"
// followed by 64 lowercase hexadecimal characters.
func ValidGraphID(id string) bool {
	if len(id) != 65 || id[0] != 'g' {
		return false
	}
	for i := 1; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// IndexesOrdered reports whether the node indexes are non-negative and
// strictly increasing in slice order, the form in which they are saved
// unchanged. Gaps are fine: the UI leaves them when nodes are deleted.
func (g *Graph) IndexesOrdered() bool {
	return indexesOrdered(g.Nodes)
}

func indexesOrdered(nodes []Node) bool {
	prev := -1
	for i := range nodes {
		n := &nodes[i]
		if n.present.has(fDecoded) && !n.present.has(fIndex) {
			continue
		}
		if n.Index <= prev {
			return false
		}
		prev = n.Index
	}
	return true
}

// RenumberIndexes sets every node's Index to its position in Nodes when the
// indexes are repeated, negative or out of order, and reports whether it
// changed anything. Encoding a Graph applies the same renumbering to its
// output, so a graph loaded with repeated indexes (the API's own example has
// them) saves consistently; call this before building a request from Nodes
// alone.
func (g *Graph) RenumberIndexes() bool {
	if indexesOrdered(g.Nodes) {
		return false
	}
	for i := range g.Nodes {
		g.Nodes[i].Index = i
		g.Nodes[i].present |= fIndex
	}
	return true
}
