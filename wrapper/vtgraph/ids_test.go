package vtgraph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// idsOtherGraph is a well-formed graph id other than testGraphID.
const idsOtherGraph = "g" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// TestAnswersMustIdentifyTheirObjects answers every call with a 2xx body
// whose object lacks its id or carries one of the wrong form: the call
// returns a *DecodeError rather than an object that cannot be referred to,
// or that is another than the one asked for. A graph fetched or saved by id
// may omit its id, as test doubles and VirusTotal's own library's fixtures
// do, and then takes the id asked for.
func TestAnswersMustIdentifyTheirObjects(t *testing.T) {
	t.Parallel()
	graph := func(id string) string {
		return `{"type":"graph",` + id + `"attributes":{"graph_data":{"description":"x"},"nodes":[],"links":[]}}`
	}
	private := true
	getGraph := func(ctx context.Context, c *Client) (any, error) { return c.GetGraph(ctx, testGraphID, nil) }
	updateGraph := func(ctx context.Context, c *Client) (any, error) {
		return c.UpdateGraph(ctx, testGraphID, &GraphUpdate{Private: &private})
	}
	saveGraph := func(ctx context.Context, c *Client) (any, error) {
		g := NewGraph("x")
		g.ID = testGraphID
		return c.SaveGraph(ctx, g)
	}
	createGraph := func(ctx context.Context, c *Client) (any, error) { return c.CreateGraph(ctx, NewGraph("x")) }
	search := func(ctx context.Context, c *Client) (any, error) { return c.SearchGraphs(ctx, nil) }
	bob := User("bob")
	tests := []struct {
		name    string
		call    func(ctx context.Context, c *Client) (any, error)
		body    string
		wantErr string // in the DecodeError; empty: the call succeeds
		check   func(t *testing.T, result any)
	}{
		{name: "GetGraph of {}", call: getGraph, body: `{"data":{}}`, check: graphIDIs(testGraphID)},
		{name: "GetGraph without id", call: getGraph, body: `{"data":` + graph(``) + `}`, check: graphIDIs(testGraphID)},
		{name: "GetGraph with its id", call: getGraph, body: `{"data":` + graph(`"id":"`+testGraphID+`",`) + `}`, check: graphIDIs(testGraphID)},
		{name: "GetGraph with another graph's id", call: getGraph, body: `{"data":` + graph(`"id":"`+idsOtherGraph+`",`) + `}`, wantErr: "data: the graph's id is not the one requested"},
		{name: "GetGraph with a path as id", call: getGraph, body: `{"data":` + graph(`"id":"../../evil",`) + `}`, wantErr: "data: the graph's id is not a graph id"},
		{name: "GetGraph with an empty id", call: getGraph, body: `{"data":` + graph(`"id":"",`) + `}`, wantErr: "data: the graph's id is not a graph id"},
		{name: "UpdateGraph without id", call: updateGraph, body: `{"data":` + graph(``) + `}`, check: graphIDIs(testGraphID)},
		{name: "UpdateGraph with another graph's id", call: updateGraph, body: `{"data":` + graph(`"id":"`+idsOtherGraph+`",`) + `}`, wantErr: "the graph's id is not the one requested"},
		{name: "SaveGraph without id", call: saveGraph, body: `{"data":` + graph(``) + `}`, check: graphIDIs(testGraphID)},
		{name: "SaveGraph with a path as id", call: saveGraph, body: `{"data":` + graph(`"id":"../../evil",`) + `}`, wantErr: "the graph's id is not a graph id"},
		{name: "CreateGraph", call: createGraph, body: `{"data":{"type":"graph","id":"` + idsOtherGraph + `"}}`, check: func(t *testing.T, got any) {
			if got != idsOtherGraph {
				t.Errorf("id = %v", got)
			}
		}},
		{name: "CreateGraph with a path as id", call: createGraph, body: `{"data":{"type":"graph","id":"../../evil"}}`, wantErr: "data: the created graph's id is not a graph id"},
		{name: "CreateGraph with an upper-case id", call: createGraph, body: `{"data":{"type":"graph","id":"` + strings.ToUpper(idsOtherGraph) + `"}}`, wantErr: "is not a graph id"},
		{name: "CreateGraph without id", call: createGraph, body: `{"data":{"type":"graph"}}`, wantErr: "data: the created graph has no id"},
		{name: "SearchGraphs item without id", call: search, body: `{"data":[` + graph(`"id":"`+idsOtherGraph+`",`) + `,` + graph(``) + `]}`, wantErr: "data[1]: the graph's id is not a graph id"},
		{name: "SearchGraphs item with a path as id", call: search, body: `{"data":[` + graph(`"id":"../x",`) + `]}`, wantErr: "data[0]: the graph's id is not a graph id"},
		{name: "ListComments item without id", call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListComments(ctx, testGraphID, nil)
		}, body: `{"data":[{"type":"comment","attributes":{"text":"x"}}]}`, wantErr: "data[0]: the comment has no id"},
		{name: "AddComment answer without id", call: func(ctx context.Context, c *Client) (any, error) {
			return c.AddComment(ctx, testGraphID, "x")
		}, body: `{"data":{"type":"comment","id":"","attributes":{"text":"x"}}}`, wantErr: "data: the comment has no id"},
		{name: "ListRelated item without id", call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListRelated(ctx, testGraphID, RelationItems, nil)
		}, body: `{"data":[{"type":"domain","id":"hooli.com"},{"type":"domain","attributes":{}}]}`, wantErr: "data[1]: the object has no id"},
		{name: "ListRelatedDescriptors item without id", call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListRelatedDescriptors(ctx, testGraphID, RelationItems, nil)
		}, body: `{"data":[{"type":"domain"}]}`, wantErr: "data[0]: the object has no id"},
		{name: "GetOwner without id", call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetOwner(ctx, testGraphID)
		}, body: `{"data":{"type":"user","attributes":{}}}`, wantErr: "data: the user or group has no id"},
		{name: "GetGroup of a graph in none", call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetGroup(ctx, testGraphID)
		}, body: `{"data":null}`, check: func(t *testing.T, got any) {
			if got.(*Principal) != nil {
				t.Errorf("group = %+v, want nil", got)
			}
		}},
		{name: "ListViewers item without id", call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListViewers(ctx, testGraphID, nil)
		}, body: `{"data":[{"type":"group"}]}`, wantErr: "data[0]: the user or group has no id"},
		{name: "AddEditors answer without id", call: func(ctx context.Context, c *Client) (any, error) {
			return c.AddEditors(ctx, testGraphID, bob)
		}, body: `{"data":[{"type":"user","id":""}]}`, wantErr: "data[0]: the user or group has no id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newFakeClient(t, doerFunc(func(r *http.Request) (*http.Response, error) {
				resp, _ := fakeResponse(r, http.StatusOK, tt.body, "Content-Type", "application/json")
				return resp, nil
			}), WithoutRetries())
			got, err := tt.call(t.Context(), c)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				tt.check(t, got)
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, %v; want a *DecodeError", got, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q lacks %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "evil") && !strings.Contains(de.Excerpt, "evil") {
				t.Errorf("the excerpt %q does not show the bad id", de.Excerpt)
			}
		})
	}
}

func graphIDIs(id string) func(t *testing.T, result any) {
	return func(t *testing.T, result any) {
		t.Helper()
		if g := result.(*Graph); g.ID != id {
			t.Errorf("graph id = %q, want %q", g.ID, id)
		}
	}
}

// TestCreateGraphKeepsTheIDOfABadAnswer checks that a create whose answer
// is refused leaves the graph's ID alone.
func TestCreateGraphKeepsTheIDOfABadAnswer(t *testing.T) {
	t.Parallel()
	c := newFakeClient(t, doerFunc(func(r *http.Request) (*http.Response, error) {
		resp, _ := fakeResponse(r, http.StatusOK, `{"data":{"type":"graph","id":"../../evil"}}`)
		return resp, nil
	}), WithoutRetries())
	g := NewGraph("x")
	if _, err := c.CreateGraph(t.Context(), g); err == nil {
		t.Fatal("a malformed id was accepted")
	}
	if g.ID != "" {
		t.Errorf("g.ID = %q, want it unset", g.ID)
	}
}
