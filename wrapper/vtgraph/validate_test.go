package vtgraph_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// validBase is a small valid graph: a domain resolving to an address through
// its relationship node.
func validGraphBase() *vtgraph.Graph {
	g := vtgraph.NewGraph("base")
	g.AddNode("www.hooli.com", vtgraph.NodeTypeDomain)
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	if err := g.AddLink("www.hooli.com", "8.8.8.8", "resolutions"); err != nil {
		panic(err)
	}
	return g
}

const hooliRelID = "relationships_resolutions_wwwhoolicom"

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(g *vtgraph.Graph)
		want []vtgraph.FieldError
	}{
		{
			name: "valid",
			edit: func(*vtgraph.Graph) {},
		},
		{
			name: "bad graph id",
			edit: func(g *vtgraph.Graph) { g.ID = "g123" },
			want: []vtgraph.FieldError{{Path: "id", Message: `"g123" is not a graph id (g followed by 64 lowercase hex characters)`}},
		},
		{
			name: "empty entity id",
			edit: func(g *vtgraph.Graph) { g.Nodes = append(g.Nodes, vtgraph.Node{Type: vtgraph.NodeTypeFile}) },
			want: []vtgraph.FieldError{{Path: "nodes[3].entity_id", Message: "empty"}},
		},
		{
			name: "duplicate entity id",
			edit: func(g *vtgraph.Graph) {
				g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: "8.8.8.8", Type: vtgraph.NodeTypeIPAddress, Index: 9})
			},
			want: []vtgraph.FieldError{{Path: "nodes[3].entity_id", Message: `"8.8.8.8" duplicates nodes[1]`}},
		},
		{
			name: "empty type",
			edit: func(g *vtgraph.Graph) { g.Nodes[0].Type = "" },
			want: []vtgraph.FieldError{{Path: "nodes[0].type", Message: "empty"}},
		},
		{
			name: "unknown type is fine",
			edit: func(g *vtgraph.Graph) { g.Nodes[0].Type = "brand_new_type" },
		},
		{
			name: "index beyond int32",
			edit: func(g *vtgraph.Graph) { g.Nodes[2].Index = math.MaxInt32 + 1 },
			want: []vtgraph.FieldError{{Path: "nodes[2].index", Message: "2147483648 exceeds the int32 range"}},
		},
		{
			name: "repeated indexes are fine",
			edit: func(g *vtgraph.Graph) { g.Nodes[1].Index, g.Nodes[2].Index = 0, 0 },
		},
		{
			name: "non-finite coordinates",
			edit: func(g *vtgraph.Graph) {
				g.Nodes[0].X = math.NaN()
				g.Nodes[0].Y = math.Inf(1)
				g.Nodes[1].Pin(math.Inf(-1), math.NaN())
			},
			want: []vtgraph.FieldError{
				{Path: "nodes[0].x", Message: "NaN is not a finite number"},
				{Path: "nodes[0].y", Message: "+Inf is not a finite number"},
				{Path: "nodes[1].x", Message: "-Inf is not a finite number"},
				{Path: "nodes[1].y", Message: "NaN is not a finite number"},
				{Path: "nodes[1].fx", Message: "-Inf is not a finite number"},
				{Path: "nodes[1].fy", Message: "NaN is not a finite number"},
			},
		},
		{
			name: "malformed has_detections",
			edit: func(g *vtgraph.Graph) { g.Nodes[1].Attributes["has_detections"] = json.RawMessage(`"yes"`) },
			want: []vtgraph.FieldError{{Path: "nodes[1].entity_attributes.has_detections", Message: `must be a bool or a count (a non-negative integer), got "yes"`}},
		},
		{
			name: "has_detections is a count",
			edit: func(g *vtgraph.Graph) {
				g.Nodes[0].SetDetectionCount(45)
				g.Nodes[1].Attributes["has_detections"] = json.RawMessage(`0`)
			},
		},
		{
			name: "has_detections is no count",
			edit: func(g *vtgraph.Graph) {
				g.Nodes[0].SetDetectionCount(-1)
				g.Nodes[1].Attributes["has_detections"] = json.RawMessage(`1.5`)
			},
			want: []vtgraph.FieldError{
				{Path: "nodes[0].entity_attributes.has_detections", Message: `must be a bool or a count (a non-negative integer), got -1`},
				{Path: "nodes[1].entity_attributes.has_detections", Message: `must be a bool or a count (a non-negative integer), got 1.5`},
			},
		},
		{
			name: "blank entity id",
			edit: func(g *vtgraph.Graph) {
				g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: " \t\u00a0", Type: vtgraph.NodeTypeDomain, Index: 3})
			},
			want: []vtgraph.FieldError{{Path: "nodes[3].entity_id", Message: `" \t\u00a0" is only white space`}},
		},
		{
			name: "entity id with spaces around it is fine",
			edit: func(g *vtgraph.Graph) {
				g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: " note ", Type: vtgraph.NodeTypeCustom, Index: 3})
			},
		},
		{
			name: "malformed node types",
			edit: func(g *vtgraph.Graph) {
				g.Nodes[0].Type = "IP Address"
				g.Nodes[1].Type = "file\n"
				g.Nodes[2].Type = "<script>"
			},
			want: []vtgraph.FieldError{
				{Path: "nodes[0].type", Message: `"IP Address" is not a node type, which is a lower-case identifier such as "ip_address"`},
				{Path: "nodes[1].type", Message: `"file\n" is not a node type, which is a lower-case identifier such as "ip_address"`},
				{Path: "nodes[2].type", Message: `"<script>" is not a node type, which is a lower-case identifier such as "ip_address"`},
			},
		},
		{
			name: "capitalised and numbered types",
			edit: func(g *vtgraph.Graph) { g.Nodes[0].Type, g.Nodes[1].Type = "Domain", "9lives" },
			want: []vtgraph.FieldError{
				{Path: "nodes[0].type", Message: `"Domain" is not a node type, which is a lower-case identifier such as "ip_address"`},
				{Path: "nodes[1].type", Message: `"9lives" is not a node type, which is a lower-case identifier such as "ip_address"`},
			},
		},
		{
			name: "unknown well-formed types are fine",
			edit: func(g *vtgraph.Graph) { g.Nodes[0].Type, g.Nodes[1].Type = "attack_technique", "ipv6_range2" },
		},
		{
			name: "custom types in both forms",
			edit: func(g *vtgraph.Graph) {
				g.AddNode("finance", vtgraph.NodeTypeVictim)
				g.AddNode("ta505", "custom").Attributes["custom_type"] = json.RawMessage(`"threat_actor"`)
				g.AddNode("bear", "custom")
				g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: "legacy", Type: vtgraph.NodeTypeVictim, Index: 9})
			},
		},
		{
			name: "malformed custom types",
			edit: func(g *vtgraph.Graph) {
				g.AddNode("finance", vtgraph.NodeTypeCustom).Attributes["custom_type"] = json.RawMessage(`"Finance Dept"`)
				g.AddNode("ops", vtgraph.NodeTypeCustom).Attributes["custom_type"] = json.RawMessage(`7`)
			},
			want: []vtgraph.FieldError{
				{Path: "nodes[3].entity_attributes.custom_type", Message: `"Finance Dept" is not a node type, which is a lower-case identifier such as "victim"`},
				{Path: "nodes[4].entity_attributes.custom_type", Message: `must be a string, got 7`},
			},
		},
		{
			name: "link to a missing node",
			edit: func(g *vtgraph.Graph) {
				g.Links = append(g.Links, vtgraph.Link{Source: "8.8.8.8", Target: "nope", ConnectionType: "manual"})
			},
			want: []vtgraph.FieldError{{Path: "links[2].target", Message: `node "nope" does not exist`}},
		},
		{
			name: "link from a missing node",
			edit: func(g *vtgraph.Graph) {
				g.Links = append(g.Links, vtgraph.Link{Source: "nope", Target: "8.8.8.8", ConnectionType: "manual"})
			},
			want: []vtgraph.FieldError{{Path: "links[2].source", Message: `node "nope" does not exist`}},
		},
		{
			name: "empty link ends",
			edit: func(g *vtgraph.Graph) { g.Links = append(g.Links, vtgraph.Link{}) },
			want: []vtgraph.FieldError{
				{Path: "links[2].source", Message: "empty"},
				{Path: "links[2].target", Message: "empty"},
			},
		},
		{
			name: "self link",
			edit: func(g *vtgraph.Graph) {
				g.Links = append(g.Links, vtgraph.Link{Source: "8.8.8.8", Target: "8.8.8.8", ConnectionType: "manual"})
			},
			want: []vtgraph.FieldError{{Path: "links[2].target", Message: `links node "8.8.8.8" to itself`}},
		},
		{
			// vt-graph-api repeats a shared relationship node's link to its
			// target once per source, and the API's own example of a stored
			// graph repeats a link.
			name: "repeated links are fine",
			edit: func(g *vtgraph.Graph) { g.Links = append(g.Links, g.Links[0], g.Links[1], g.Links[1]) },
		},
		{
			name: "relationship node without incoming link",
			edit: func(g *vtgraph.Graph) { g.Links = g.Links[1:] },
			want: []vtgraph.FieldError{{Path: "nodes[2]", Message: `relationship node "` + hooliRelID + `" has no incoming link`}},
		},
		{
			name: "relationship node without outgoing link",
			edit: func(g *vtgraph.Graph) { g.Links = g.Links[:1] },
			want: []vtgraph.FieldError{{Path: "nodes[2]", Message: `relationship node "` + hooliRelID + `" has no outgoing link`}},
		},
		{
			name: "relationship node without links",
			edit: func(g *vtgraph.Graph) { g.Links = nil },
			want: []vtgraph.FieldError{
				{Path: "nodes[2]", Message: `relationship node "` + hooliRelID + `" has no incoming link`},
				{Path: "nodes[2]", Message: `relationship node "` + hooliRelID + `" has no outgoing link`},
			},
		},
		{
			name: "connection type changes across a relationship node",
			edit: func(g *vtgraph.Graph) { g.Links[1].ConnectionType = "communicating_files" },
			want: []vtgraph.FieldError{{Path: "links[1].connection_type", Message: `"communicating_files" differs from "resolutions" used by the other links of relationship node "` + hooliRelID + `"`}},
		},
		{
			name: "link between relationship nodes",
			edit: func(g *vtgraph.Graph) {
				g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: "relationships_x_y", Type: vtgraph.NodeTypeRelationship, Index: 3})
				g.Links = append(g.Links,
					vtgraph.Link{Source: hooliRelID, Target: "relationships_x_y", ConnectionType: "x"},
					vtgraph.Link{Source: "relationships_x_y", Target: "8.8.8.8", ConnectionType: "x"})
			},
			want: []vtgraph.FieldError{
				{Path: "links[2]", Message: `joins two relationship nodes "` + hooliRelID + `" and "relationships_x_y"`},
				{Path: "nodes[3]", Message: `relationship node "relationships_x_y" has no incoming link`},
			},
		},
		{
			name: "special relationship nodes need no incoming link",
			edit: func(g *vtgraph.Graph) {
				if _, err := g.AddIntelligenceQuery("domain:hooli.com", "www.hooli.com"); err != nil {
					panic(err)
				}
			},
		},
		{
			// As the UI saves some: commonalities, no relationship_type.
			name: "a commonality node without relationship_type",
			edit: func(g *vtgraph.Graph) {
				g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: "relationships_commonality_1", Type: vtgraph.NodeTypeRelationship, Index: 3,
					Attributes: vtgraph.EntityAttributes{"commonalities": json.RawMessage(`[{"commonality":"1670398662"}]`)}})
				g.Links = append(g.Links, vtgraph.Link{Source: "relationships_commonality_1", Target: "8.8.8.8", ConnectionType: "commonality"})
			},
		},
		{
			name: "a relationship node shared by two sources",
			edit: func(g *vtgraph.Graph) {
				g.AddNode("hooli.net", vtgraph.NodeTypeDomain)
				g.Links = append(g.Links, vtgraph.Link{Source: "hooli.net", Target: hooliRelID, ConnectionType: "resolutions"})
			},
		},
		{
			name: "a shared relationship node with another connection type",
			edit: func(g *vtgraph.Graph) {
				g.AddNode("hooli.net", vtgraph.NodeTypeDomain)
				g.Links = append(g.Links, vtgraph.Link{Source: "hooli.net", Target: hooliRelID, ConnectionType: "siblings"})
			},
			want: []vtgraph.FieldError{{Path: "links[2].connection_type", Message: `"siblings" differs from "resolutions" used by the other links of relationship node "` + hooliRelID + `"`}},
		},
		{
			name: "a group as VirusTotal stores it",
			edit: func(g *vtgraph.Graph) {
				g.Nodes = append(g.Nodes, groupNode("relationships_group_1", `["www.hooli.com"]`, 3))
				g.Links = append(g.Links,
					vtgraph.Link{Source: "www.hooli.com", Target: "relationships_group_1", ConnectionType: vtgraph.ConnectionGroup},
					vtgraph.Link{Source: "relationships_group_1", Target: hooliRelID, ConnectionType: "resolutions"},
					vtgraph.Link{Source: hooliRelID, Target: "relationships_group_1", ConnectionType: "resolutions"})
			},
		},
		{
			name: "a node twice in one group is in one group",
			edit: func(g *vtgraph.Graph) {
				g.Nodes = append(g.Nodes, groupNode("relationships_group_1", `["8.8.8.8","8.8.8.8"]`, 3))
			},
		},
		{
			name: "empty groups",
			edit: func(g *vtgraph.Graph) {
				g.Nodes = append(g.Nodes,
					groupNode("relationships_group_1", `[]`, 3),
					groupNode("relationships_group_2", ``, 4))
			},
			want: []vtgraph.FieldError{
				{Path: "nodes[3].entity_attributes.grouped_node_ids", Message: "a group needs at least one member"},
				{Path: "nodes[4].entity_attributes.grouped_node_ids", Message: "a group needs at least one member"},
			},
		},
		{
			name: "bad group members",
			edit: func(g *vtgraph.Graph) {
				g.Nodes = append(g.Nodes,
					groupNode("relationships_group_1", `"www.hooli.com"`, 3),
					groupNode("relationships_group_2", `["nope","`+hooliRelID+`","8.8.8.8"]`, 4),
					groupNode("relationships_group_3", `["www.hooli.com","8.8.8.8"]`, 5))
			},
			want: []vtgraph.FieldError{
				{Path: "nodes[3].entity_attributes.grouped_node_ids", Message: `must be a list of entity ids, got "www.hooli.com"`},
				{Path: "nodes[4].entity_attributes.grouped_node_ids[0]", Message: `node "nope" does not exist`},
				{Path: "nodes[4].entity_attributes.grouped_node_ids[1]", Message: `"` + hooliRelID + `" is a relationship node; only entities are grouped`},
				{Path: "nodes[5].entity_attributes.grouped_node_ids[1]", Message: `node "8.8.8.8" is in the group nodes[4] already`},
			},
		},
		{
			name: "a link from a search node into a relationship node",
			edit: func(g *vtgraph.Graph) {
				if _, err := g.AddIntelligenceQuery("domain:hooli.com", "www.hooli.com"); err != nil {
					panic(err)
				}
				g.Links = append(g.Links, vtgraph.Link{Source: g.Nodes[3].EntityID, Target: hooliRelID, ConnectionType: "intelligence"})
			},
			want: []vtgraph.FieldError{{Path: "links[3]", Message: `joins two relationship nodes "intelligence_2146380457" and "` + hooliRelID + `"`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := validGraphBase()
			tt.edit(g)
			err := g.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			var verr *vtgraph.ValidationError
			require.True(t, errors.As(err, &verr), "got %v", err)
			assert.Equal(t, tt.want, verr.Problems)
			for _, p := range tt.want {
				assert.Contains(t, err.Error(), p.Path+": "+p.Message)
			}
		})
	}
}

func TestValidationErrorListsEveryProblem(t *testing.T) {
	t.Parallel()
	g := validGraphBase()
	g.Nodes[0].EntityID = ""
	g.Nodes[1].Type = ""
	err := g.Validate()
	require.Error(t, err)
	assert.Equal(t, `vtgraph: invalid graph: 4 problems: nodes[0].entity_id: empty; nodes[1].type: empty; `+
		`links[0].source: node "www.hooli.com" does not exist; nodes[2]: relationship node "`+hooliRelID+`" has no incoming link`, err.Error())

	one := &vtgraph.ValidationError{Problems: []vtgraph.FieldError{{Path: "id", Message: "bad"}}}
	assert.Equal(t, "vtgraph: invalid graph: 1 problem: id: bad", one.Error())
}

// TestValidateSpecExamples pins down what Validate says about the API's own
// examples: the get example is valid once its indexes are renumbered, and
// the create example refers to nodes it does not contain.
func TestValidateSpecExamples(t *testing.T) {
	t.Parallel()
	require.NoError(t, decodeGraph(t, readGraphFile(t, "spec_get_response.json")).Validate())
	require.NoError(t, decodeGraph(t, readGraphFile(t, "spec_update_response.json")).Validate())

	err := decodeGraph(t, readGraphFile(t, "spec_create_request.json")).Validate()
	var verr *vtgraph.ValidationError
	require.ErrorAs(t, err, &verr)
	var paths []string
	for _, p := range verr.Problems {
		paths = append(paths, p.Path)
	}
	assert.Equal(t, []string{
		"links[0].source", "links[0].target", "links[2].target", "links[3].source",
		"links[4].target", "links[5].source", "links[5].target", "nodes[1]",
	}, paths, err.Error())
}

// TestValidateLargeChain validates a chain of 100,000 entities through
// relationship nodes, and the same chain with its last link naming a node
// that is not there: the whole graph is checked, so the problems at its far
// end are the ones reported, the link and the relationship node it leaves
// with no target. What validation costs at that size is held by the
// benchmarks (docs/BENCHMARKS.md), not timed here.
func TestValidateLargeChain(t *testing.T) {
	t.Parallel()
	g := chainGraph(100_000)
	require.NoError(t, g.Validate())

	last := len(g.Links) - 1
	rel := slices.IndexFunc(g.Nodes, func(n vtgraph.Node) bool { return n.EntityID == g.Links[last].Source })
	g.Links[last].Target = "absent.example"
	var verr *vtgraph.ValidationError
	require.ErrorAs(t, g.Validate(), &verr)
	var paths []string
	for _, p := range verr.Problems {
		paths = append(paths, p.Path)
	}
	assert.Equal(t, []string{fmt.Sprintf("links[%d].target", last), fmt.Sprintf("nodes[%d]", rel)}, paths, verr.Error())
}

// groupNode returns a group node listing the given grouped_node_ids, or
// none when members is empty.
func groupNode(id, members string, index int) vtgraph.Node {
	attrs := vtgraph.EntityAttributes{"relationship_type": json.RawMessage(`"group"`)}
	if members != "" {
		attrs["grouped_node_ids"] = json.RawMessage(members)
	}
	return vtgraph.Node{EntityID: id, Type: vtgraph.NodeTypeRelationship, Index: index, Attributes: attrs}
}

// chainGraph returns a valid graph of n entity nodes chained by typed links.
func chainGraph(n int) *vtgraph.Graph {
	g := &vtgraph.Graph{Nodes: make([]vtgraph.Node, 0, 2*n), Links: make([]vtgraph.Link, 0, 2*n)}
	prev := ""
	for i := range n {
		id := fmt.Sprintf("host%d.example", i)
		if prev != "" {
			rel := vtgraph.RelationshipNodeID("siblings", prev)
			g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: rel, Type: vtgraph.NodeTypeRelationship, Index: len(g.Nodes)})
			g.Links = append(g.Links,
				vtgraph.Link{Source: prev, Target: rel, ConnectionType: "siblings"},
				vtgraph.Link{Source: rel, Target: id, ConnectionType: "siblings"})
		}
		g.Nodes = append(g.Nodes, vtgraph.Node{EntityID: id, Type: vtgraph.NodeTypeDomain, Index: len(g.Nodes)})
		prev = id
	}
	return g
}
