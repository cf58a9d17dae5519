package vtgraph_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
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
			want: []vtgraph.FieldError{{Path: "nodes[1].entity_attributes.has_detections", Message: `must be a bool or a number, got "yes"`}},
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
			name: "duplicate link",
			edit: func(g *vtgraph.Graph) { g.Links = append(g.Links, g.Links[0]) },
			want: []vtgraph.FieldError{{Path: "links[2]", Message: "duplicates links[0]"}},
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

func TestValidateLinearTime(t *testing.T) {
	t.Parallel()
	g := chainGraph(100_000)
	require.NoError(t, g.Validate())
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
