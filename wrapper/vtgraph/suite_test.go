package vtgraph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// The client suite drives every operation of the API through the client
// against a backend, with every request and response checked against the
// spec by the contract transport. Each response body is also compared with
// what the client decoded from it, so a field the client drops or misreads
// fails the suite whatever data the backend sends.
//
// TestClientSuiteMemory runs it against the in-memory server, which keeps
// state, so the suite also checks what the calls did. TestClientSuitePrism
// runs it against Stoplight Prism mocking the spec, which validates each
// request and answers with data generated from the spec.

// suiteBackend is a server the client suite runs against.
type suiteBackend struct {
	// baseURL is the API's base URL, ending in /api/v3.
	baseURL string
	// next sends requests on after the contract check; nil means
	// http.DefaultTransport.
	next http.RoundTripper
	// ownerKey is the API key of owner, the user who creates the suite's
	// graphs.
	ownerKey, owner string
	// user and group are a user other than the owner and a group, both
	// known to the backend, to share the graph with. On a stateful backend
	// group is the owner's first group, to which the owner's graphs belong.
	user, group string
	// graphID replaces the id CreateGraph returned in the calls after it,
	// on a backend that does not keep the graphs it creates.
	graphID string
	// stateful says the backend keeps what the client writes, so the suite
	// checks the effect of each call and not only its shape.
	stateful bool
}

// listingEnds fails the test on an iterator's error, except, on a backend
// that keeps no state, the one for a repeated cursor, which ends the loop:
// such a backend makes every page up, and Prism answers each with the same
// example, whose cursor comes back.
func (b suiteBackend) listingEnds(t *testing.T, err error) bool {
	t.Helper()
	var repeated *vtgraph.RepeatedCursorError
	if !b.stateful && errors.As(err, &repeated) {
		return true
	}
	require.NoError(t, err)
	return false
}

// suiteDocGraphID is the graph id of the API documentation.
const suiteDocGraphID = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"

// suiteFileHash is a made-up SHA-256 for a file node.
const suiteFileHash = "131f95c51cc819465fa1797f6ccacf9d494aaaff46fa3eac73ae63ffbdfd8267"

// suiteWire sits between the client and the contract check. It notes the
// operation each request routes to and keeps the last 2xx body of each
// operation, so the suite can compare what the client decoded with what
// was sent.
type suiteWire struct {
	v    *contract.Validator
	next http.RoundTripper

	mu    sync.Mutex
	calls map[string]int
	last  map[string]suiteExchange
}

// suiteExchange is the status and body of a response.
type suiteExchange struct {
	status int
	body   []byte
}

func newSuiteWire(t *testing.T, next http.RoundTripper) *suiteWire {
	check := contract.ForTest(t)
	return &suiteWire{
		v:     check.Validator(),
		next:  check.Transport(next),
		calls: map[string]int{},
		last:  map[string]suiteExchange{},
	}
}

func (w *suiteWire) RoundTrip(req *http.Request) (*http.Response, error) {
	op, routeErr := w.v.Operation(req)
	resp, err := w.next.RoundTrip(req)
	if err != nil || routeErr != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls[op]++
	w.last[op] = suiteExchange{resp.StatusCode, body}
	return resp, nil
}

// client returns a client for the API key whose requests go through w.
func (w *suiteWire) client(t *testing.T, baseURL, key string) *vtgraph.Client {
	t.Helper()
	c, err := vtgraph.New(key,
		vtgraph.WithBaseURL(baseURL),
		vtgraph.WithHTTPClient(&http.Client{Transport: w}),
		vtgraph.WithoutRetries())
	require.NoError(t, err)
	return c
}

// count returns how many requests routed to op.
func (w *suiteWire) count(op string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.calls[op]
}

// operations returns the operations requests routed to, sorted.
func (w *suiteWire) operations() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var ops []string
	for op := range w.calls {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	return ops
}

// envelope returns the body of the last response to op as generic JSON,
// failing the test unless that response was a success.
func (w *suiteWire) envelope(t *testing.T, op string) map[string]any {
	t.Helper()
	w.mu.Lock()
	last, ok := w.last[op]
	w.mu.Unlock()
	require.True(t, ok, "no response to %s yet", op)
	require.Equal(t, 2, last.status/100, "the last response to %s: %d %s", op, last.status, last.body)
	var env map[string]any
	require.NoError(t, json.Unmarshal(last.body, &env), "the body of %s", op)
	return env
}

// data returns the data member of the last response to op.
func (w *suiteWire) data(t *testing.T, op string) any {
	t.Helper()
	return w.envelope(t, op)["data"]
}

// jsonAt walks generic JSON down a path of object keys.
func jsonAt(v any, path ...string) (any, bool) {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// jsonList returns v as a list: a list as is, null as empty, and any other
// value as a list of one, the way single-object relationships are paged.
func jsonList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// assertSame asserts that a decoded field equals the raw JSON value at path
// in raw, when raw has one.
func assertSame(t *testing.T, raw any, decoded any, path ...string) {
	t.Helper()
	if want, ok := jsonAt(raw, path...); ok && want != nil {
		assert.EqualValues(t, want, decoded, "%v", path)
	}
}

// assertDecodedGraph compares a decoded graph with the graph object it was
// decoded from.
func assertDecodedGraph(t *testing.T, raw any, g *vtgraph.Graph) {
	t.Helper()
	require.NotNil(t, g)
	assertSame(t, raw, g.ID, "id")
	assertSame(t, raw, g.Description, "attributes", "graph_data", "description")
	assertSame(t, raw, g.Version, "attributes", "graph_data", "version")
	assertSame(t, raw, g.Private, "attributes", "private")
	nodes, _ := jsonAt(raw, "attributes", "nodes")
	rawNodes := jsonList(nodes)
	require.Len(t, g.Nodes, len(rawNodes), "nodes")
	for i, n := range rawNodes {
		assertSame(t, n, g.Nodes[i].EntityID, "entity_id")
		assertSame(t, n, string(g.Nodes[i].Type), "type")
		assertSame(t, n, g.Nodes[i].Text, "text")
	}
	links, _ := jsonAt(raw, "attributes", "links")
	rawLinks := jsonList(links)
	require.Len(t, g.Links, len(rawLinks), "links")
	for i, l := range rawLinks {
		assertSame(t, l, g.Links[i].Source, "source")
		assertSame(t, l, g.Links[i].Target, "target")
		assertSame(t, l, g.Links[i].ConnectionType, "connection_type")
	}
}

// assertDecodedPage compares a page's cursor and size with its envelope and
// returns the raw items, for the caller to compare one by one.
func assertDecodedPage[T any](t *testing.T, env map[string]any, page *vtgraph.Page[T]) []any {
	t.Helper()
	require.NotNil(t, page)
	items := jsonList(env["data"])
	require.Len(t, page.Items, len(items), "items")
	if c, ok := jsonAt(env, "meta", "cursor"); ok && c != "" {
		assert.Equal(t, c, page.NextCursor, "meta.cursor")
	} else if next, ok := jsonAt(env, "links", "next"); ok {
		u, err := url.Parse(next.(string))
		if err == nil {
			assert.Equal(t, u.Query().Get("cursor"), page.NextCursor, "links.next")
		}
	}
	if n, ok := jsonAt(env, "meta", "count"); ok {
		require.NotNil(t, page.Meta.Count, "meta.count")
		assert.EqualValues(t, n, *page.Meta.Count, "meta.count")
	}
	return items
}

func assertDecodedPrincipal(t *testing.T, raw any, p *vtgraph.Principal) {
	t.Helper()
	require.NotNil(t, p)
	assertSame(t, raw, string(p.Type), "type")
	assertSame(t, raw, p.ID, "id")
	assertSame(t, raw, p.FirstName, "attributes", "first_name")
	assertSame(t, raw, p.Status, "attributes", "status")
}

func assertDecodedPrincipals(t *testing.T, raw []any, ps []*vtgraph.Principal) {
	t.Helper()
	require.Len(t, ps, len(raw))
	for i := range raw {
		assertDecodedPrincipal(t, raw[i], ps[i])
	}
}

func assertDecodedComment(t *testing.T, raw any, c *vtgraph.Comment) {
	t.Helper()
	require.NotNil(t, c)
	assertSame(t, raw, c.ID, "id")
	assertSame(t, raw, c.Text, "attributes", "text")
	assertSame(t, raw, c.HTML, "attributes", "html")
	if date, ok := jsonAt(raw, "attributes", "date"); ok {
		assert.EqualValues(t, date, c.Date.Unix(), "date")
	}
}

// suiteRefs returns the references of principals, for comparing with what
// was granted.
func suiteRefs(ps []*vtgraph.Principal) []vtgraph.PrincipalRef {
	refs := make([]vtgraph.PrincipalRef, len(ps))
	for i, p := range ps {
		refs[i] = p.Ref()
	}
	return refs
}

// suiteGraph builds the private graph the suite creates: a domain resolving
// to an IP address that serves a file, and an attribute the client does not
// model.
func suiteGraph(t *testing.T) *vtgraph.Graph {
	t.Helper()
	g := vtgraph.NewGraph("Hooli.com investigation")
	g.Version = "5.0.0"
	g.Private = true
	g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	g.AddNode(suiteFileHash, vtgraph.NodeTypeFile).Text = "dropper"
	require.NoError(t, g.AddLink("hooli.com", "8.8.8.8", "resolutions"))
	require.NoError(t, g.AddLink("8.8.8.8", suiteFileHash, "communicating_files"))
	g.Extra = map[string]json.RawMessage{"position": json.RawMessage(`{"x":897,"y":388,"scale":"1"}`)}
	return g
}

// entities returns "type:id" for every node that is not a relationship node.
func entities(nodes []vtgraph.Node) []string {
	var out []string
	for _, n := range nodes {
		if !n.IsRelationship() {
			out = append(out, string(n.Type)+":"+n.EntityID)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// runClientSuite calls every operation through clients for b, in an order
// that makes sense on a stateful backend: create, read, search, change,
// comment, relationships, sharing, delete.
func runClientSuite(t *testing.T, b suiteBackend) {
	wire := newSuiteWire(t, b.next)
	owner := wire.client(t, b.baseURL, b.ownerKey)
	ctx := t.Context()
	built := suiteGraph(t)

	var id, otherID string
	t.Run("createGraphs", func(t *testing.T) {
		got, err := owner.CreateGraph(ctx, built)
		require.NoError(t, err)
		assert.True(t, vtgraph.ValidGraphID(got), "id %q", got)
		assert.Equal(t, got, built.ID, "CreateGraph sets the graph's id")
		assertSame(t, wire.data(t, "createGraphs"), got, "id")
		id = got

		// A second, public graph gives the search iterator two pages.
		other := vtgraph.NewGraph("Hooli.com follow-up")
		other.AddNode("hooli.com", vtgraph.NodeTypeDomain)
		otherID, err = owner.CreateGraph(ctx, other)
		require.NoError(t, err)
		if b.stateful {
			assert.NotEqual(t, id, otherID)
		}
	})
	if !b.stateful {
		id, otherID = b.graphID, b.graphID
	}

	t.Run("graphsInfo", func(t *testing.T) {
		g, err := owner.GetGraph(ctx, id, nil)
		require.NoError(t, err)
		assertDecodedGraph(t, wire.data(t, "graphsInfo"), g)
		if b.stateful {
			assert.Equal(t, id, g.ID)
			assert.Equal(t, built.Description, g.Description)
			assert.Equal(t, built.Version, g.Version)
			assert.True(t, g.Private)
			assert.Equal(t, entities(built.Nodes), entities(g.Nodes))
			assert.Len(t, g.Links, len(built.Links))
			assert.JSONEq(t, `{"x":897,"y":388,"scale":"1"}`, string(g.Extra["position"]))
			assert.False(t, g.CreationDate.IsZero(), "creation_date")
		}

		selected, err := owner.GetGraph(ctx, id, &vtgraph.GetGraphOptions{Attributes: []string{"graph_data", "private"}})
		require.NoError(t, err)
		assertDecodedGraph(t, wire.data(t, "graphsInfo"), selected)
	})

	t.Run("graphs", func(t *testing.T) {
		page, err := owner.SearchGraphs(ctx, &vtgraph.SearchOptions{
			Filter:      vtgraph.FilterAnd(vtgraph.FilterOwner(b.owner), vtgraph.FilterDomain("hooli.com"), vtgraph.FilterPrivate(true)),
			Order:       vtgraph.OrderCreationDate.Desc(),
			Attributes:  []string{"graph_data", "private", "nodes", "links"},
			ListOptions: vtgraph.ListOptions{Limit: 10},
		})
		require.NoError(t, err)
		raw := assertDecodedPage(t, wire.envelope(t, "graphs"), page)
		for i, g := range page.Items {
			assertDecodedGraph(t, raw[i], g)
		}
		if b.stateful {
			require.Len(t, page.Items, 1)
			assert.Equal(t, id, page.Items[0].ID)
			assert.False(t, page.HasMore())
		}
	})

	t.Run("graphs iterator", func(t *testing.T) {
		const maxItems = 10
		before := wire.count("graphs")
		var got []string
		opts := &vtgraph.SearchOptions{Filter: vtgraph.FilterOwner(b.owner), ListOptions: vtgraph.ListOptions{Limit: 1}}
		for g, err := range owner.SearchGraphsIter(ctx, opts, &vtgraph.IterOptions{MaxItems: maxItems}) {
			if b.listingEnds(t, err) {
				break
			}
			require.NotNil(t, g)
			got = append(got, g.ID)
		}
		assert.NotEmpty(t, got)
		if len(got) < maxItems {
			// Both backends send a cursor on the first page, so unless the
			// cap ended the loop, it followed one.
			assert.GreaterOrEqual(t, wire.count("graphs")-before, 2, "pages fetched")
		}
		if b.stateful {
			assert.Equal(t, []string{otherID, id}, got, "newest first, one per page")
		}
	})

	t.Run("graphsUpdate", func(t *testing.T) {
		g, err := owner.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Private: ptr(false), Description: ptr("Hooli.com, renamed")})
		require.NoError(t, err)
		assertDecodedGraph(t, wire.data(t, "graphsUpdate"), g)
		if b.stateful {
			assert.Equal(t, "Hooli.com, renamed", g.Description)
			assert.False(t, g.Private)
			assert.Equal(t, entities(built.Nodes), entities(g.Nodes), "a PATCH without nodes keeps them")
		}

		save := suiteGraph(t)
		save.ID = id
		save.Nodes[0].Text = "root"
		saved, err := owner.SaveGraph(ctx, save)
		require.NoError(t, err)
		assertDecodedGraph(t, wire.data(t, "graphsUpdate"), saved)
		if b.stateful {
			assert.Equal(t, "root", saved.Nodes[0].Text)
			assert.Equal(t, built.Description, saved.Description)
			assert.True(t, saved.Private)
		}
	})

	var comment *vtgraph.Comment
	t.Run("postGraphsComments", func(t *testing.T) {
		var err error
		comment, err = owner.AddComment(ctx, id, "Seen in #wannacry traffic")
		require.NoError(t, err)
		assertDecodedComment(t, wire.data(t, "postGraphsComments"), comment)
		if b.stateful {
			assert.Equal(t, "Seen in #wannacry traffic", comment.Text)
			assert.Equal(t, []string{"wannacry"}, comment.Tags)
			assert.NotEmpty(t, comment.ID)
		}
	})

	t.Run("getGraphComments", func(t *testing.T) {
		page, err := owner.ListComments(ctx, id, &vtgraph.ListOptions{Limit: 10})
		require.NoError(t, err)
		raw := assertDecodedPage(t, wire.envelope(t, "getGraphComments"), page)
		for i, c := range page.Items {
			assertDecodedComment(t, raw[i], c)
		}
		if b.stateful {
			require.Len(t, page.Items, 1)
			assert.Equal(t, comment.ID, page.Items[0].ID)
		}
		n := 0
		for c, err := range owner.ListCommentsIter(ctx, id, nil, &vtgraph.IterOptions{MaxItems: 5}) {
			if b.listingEnds(t, err) {
				break
			}
			require.NotNil(t, c)
			n++
		}
		assert.Positive(t, n)
	})

	t.Run("graphsOwner", func(t *testing.T) {
		o, err := owner.GetOwner(ctx, id)
		require.NoError(t, err)
		assertDecodedPrincipal(t, wire.data(t, "graphsOwner"), o)
		if b.stateful {
			assert.Equal(t, vtgraph.User(b.owner), o.Ref())
		}
	})

	t.Run("graphsGroup", func(t *testing.T) {
		group, err := owner.GetGroup(ctx, id)
		require.NoError(t, err)
		if raw := wire.data(t, "graphsGroup"); raw == nil {
			assert.Nil(t, group)
		} else {
			assertDecodedPrincipal(t, raw, group)
		}
		if b.stateful {
			require.NotNil(t, group)
			assert.Equal(t, vtgraph.Group(b.group), group.Ref())
		}
	})

	t.Run("graphsRelationships", func(t *testing.T) {
		items, err := owner.ListRelated(ctx, id, vtgraph.RelationItems, &vtgraph.ListOptions{Limit: 10})
		require.NoError(t, err)
		raw := assertDecodedPage(t, wire.envelope(t, "graphsRelationships"), items)
		var got []string
		for i, o := range items.Items {
			require.NotNil(t, o)
			assertSame(t, raw[i], o.Type, "type")
			assertSame(t, raw[i], o.ID, "id")
			got = append(got, o.Type+":"+o.ID)
		}
		if b.stateful {
			assert.Equal(t, entities(built.Nodes), got)
		}
	})

	t.Run("graphsRelationshipsIds", func(t *testing.T) {
		page, err := owner.ListRelatedDescriptors(ctx, id, vtgraph.RelationOwner, nil)
		require.NoError(t, err)
		raw := assertDecodedPage(t, wire.envelope(t, "graphsRelationshipsIds"), page)
		for i, d := range page.Items {
			assertSame(t, raw[i], d.Type, "type")
			assertSame(t, raw[i], d.ID, "id")
		}
		if b.stateful {
			assert.Equal(t, []vtgraph.Descriptor{{Type: "user", ID: b.owner}}, page.Items)
		}

		var got []string
		for d, err := range owner.ListRelatedDescriptorsIter(ctx, id, vtgraph.RelationItems, &vtgraph.ListOptions{Limit: 1}, &vtgraph.IterOptions{MaxItems: 10}) {
			if b.listingEnds(t, err) {
				break
			}
			got = append(got, d.Type+":"+d.ID)
		}
		assert.NotEmpty(t, got)
		if b.stateful {
			assert.Equal(t, entities(built.Nodes), got)
		}
	})

	runEntitySuite(t, wire, owner, b)

	roles := []struct {
		name                     string
		list, add, check, remove string // operationIds
		listFn                   func(string, *vtgraph.ListOptions) (*vtgraph.Page[*vtgraph.Principal], error)
		addFn                    func(string, ...vtgraph.PrincipalRef) ([]*vtgraph.Principal, error)
		checkFn                  func(string, vtgraph.PrincipalRef) (bool, error)
		removeFn                 func(string, vtgraph.PrincipalRef) error
	}{
		{
			"viewers", "graphsViewers", "graphsAddViewer", "graphsCheckViewer", "graphsDeleteViewer",
			func(id string, o *vtgraph.ListOptions) (*vtgraph.Page[*vtgraph.Principal], error) {
				return owner.ListViewers(ctx, id, o)
			},
			func(id string, who ...vtgraph.PrincipalRef) ([]*vtgraph.Principal, error) {
				return owner.AddViewers(ctx, id, who...)
			},
			func(id string, who vtgraph.PrincipalRef) (bool, error) { return owner.IsViewer(ctx, id, who) },
			func(id string, who vtgraph.PrincipalRef) error { return owner.RemoveViewer(ctx, id, who) },
		},
		{
			"editors", "graphsEditors", "graphsAddEditor", "graphsCheckEditor", "graphsDeleteEditor",
			func(id string, o *vtgraph.ListOptions) (*vtgraph.Page[*vtgraph.Principal], error) {
				return owner.ListEditors(ctx, id, o)
			},
			func(id string, who ...vtgraph.PrincipalRef) ([]*vtgraph.Principal, error) {
				return owner.AddEditors(ctx, id, who...)
			},
			func(id string, who vtgraph.PrincipalRef) (bool, error) { return owner.IsEditor(ctx, id, who) },
			func(id string, who vtgraph.PrincipalRef) error { return owner.RemoveEditor(ctx, id, who) },
		},
	}
	for _, r := range roles {
		t.Run(r.name, func(t *testing.T) {
			granted := []vtgraph.PrincipalRef{vtgraph.User(b.user), vtgraph.Group(b.group)}
			added, err := r.addFn(id, granted...)
			require.NoError(t, err, r.add)
			assertDecodedPrincipals(t, jsonList(wire.data(t, r.add)), added)
			if b.stateful {
				assert.Equal(t, granted, suiteRefs(added))
			}

			page, err := r.listFn(id, &vtgraph.ListOptions{Limit: 10})
			require.NoError(t, err, r.list)
			assertDecodedPrincipals(t, assertDecodedPage(t, wire.envelope(t, r.list), page), page.Items)
			if b.stateful {
				assert.Equal(t, granted, suiteRefs(page.Items))
			}

			for _, who := range granted {
				ok, err := r.checkFn(id, who)
				require.NoError(t, err, r.check)
				assert.Equal(t, wire.data(t, r.check), ok, "%s %s", r.check, who)
				if b.stateful {
					assert.True(t, ok, "%s %s", r.check, who)
				}
			}

			require.NoError(t, r.removeFn(id, vtgraph.User(b.user)), r.remove)
			assert.Nil(t, wire.data(t, r.remove), "%s answers data: null", r.remove)
			if b.stateful {
				ok, err := r.checkFn(id, vtgraph.User(b.user))
				require.NoError(t, err)
				assert.False(t, ok, "%s after %s", r.check, r.remove)
				page, err := r.listFn(id, nil)
				require.NoError(t, err)
				assert.Equal(t, []vtgraph.PrincipalRef{vtgraph.Group(b.group)}, suiteRefs(page.Items))
			}
		})
	}

	t.Run("graphsDelete", func(t *testing.T) {
		require.NoError(t, owner.DeleteGraph(ctx, id))
		assert.Nil(t, wire.data(t, "graphsDelete"), "graphsDelete answers data: null")
		if b.stateful {
			_, err := owner.GetGraph(ctx, id, nil)
			assert.ErrorIs(t, err, vtgraph.ErrNotFound)
			require.NoError(t, owner.DeleteGraph(ctx, otherID))
		}
	})

	assert.Equal(t, wire.v.OperationIDs(), wire.operations(), "the suite calls every operation of the spec")
}

// contractFailures is a testing.TB that records the failures the contract
// check reports instead of failing the test, to show that a real test would
// fail.
type contractFailures struct {
	testing.TB
	mu       sync.Mutex
	failures []string
}

func (r *contractFailures) Helper() {}

func (r *contractFailures) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *contractFailures) recorded() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.failures)
}

// TestContractBreaksFailTheTest breaks the contract on purpose on the
// client path, in each direction and on each side of the wire, and shows
// that the check reports it, so a test whose backend or client behaved like
// this would fail.
func TestContractBreaksFailTheTest(t *testing.T) {
	t.Parallel()
	graphPath := "/api/v3/graphs/" + suiteDocGraphID
	graphBody := func(entityID string) string {
		return `{"data":{"type":"graph","id":"` + suiteDocGraphID + `","attributes":{"nodes":[{"entity_id":` + entityID + `,"type":"domain"}],"links":[]}}}`
	}
	// answer returns a server that answers every request alike.
	answer := func(status int, body string) func(*testing.T, *contract.Checker) string {
		return func(t *testing.T, _ *contract.Checker) string {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = io.WriteString(w, body)
			}))
			t.Cleanup(srv.Close)
			return srv.URL + "/api/v3"
		}
	}
	// memory returns an in-memory server checked by the contract middleware,
	// changed by change.
	memory := func(change func(*vtgraphtest.Server)) func(*testing.T, *contract.Checker) string {
		return func(t *testing.T, check *contract.Checker) string {
			srv := vtgraphtest.NewServer(t, vtgraphtest.WithMiddleware(check.Handler))
			change(srv)
			return srv.URL()
		}
	}
	getGraph := func(ctx context.Context, c *vtgraph.Client) error {
		_, err := c.GetGraph(ctx, suiteDocGraphID, nil)
		return err
	}
	listComments := func(ctx context.Context, c *vtgraph.Client) error {
		_, err := c.ListComments(ctx, suiteDocGraphID, nil)
		return err
	}

	tests := []struct {
		name        string
		server      func(*testing.T, *contract.Checker) string
		clientCheck bool // check on the client's transport as well
		// tamper changes each request after the client built it, as a
		// broken proxy would.
		tamper func(*http.Request)
		call   func(context.Context, *vtgraph.Client) error
		// wantStatus is the status the call's *APIError carries, or zero.
		wantStatus int
		// want holds one substring per reported failure.
		want [][]string
	}{
		{
			name:       "valid exchange",
			server:     memory(func(*vtgraphtest.Server) {}),
			call:       getGraph,
			wantStatus: http.StatusNotFound,
		},
		{
			name:        "undocumented status to the client",
			server:      answer(http.StatusTeapot, graphBody(`"hooli.com"`)),
			clientCheck: true,
			call:        getGraph,
			wantStatus:  http.StatusTeapot,
			want:        [][]string{{"response 418 to GET " + graphPath + " (graphsInfo)", "status is not supported"}},
		},
		{
			name:        "numeric entity_id to the client",
			server:      answer(http.StatusOK, graphBody(`42`)),
			clientCheck: true,
			call:        getGraph,
			want:        [][]string{{"response 200 to GET " + graphPath + " (graphsInfo)", "entity_id"}},
		},
		{
			name: "undocumented status from the in-memory server",
			server: memory(func(srv *vtgraphtest.Server) {
				srv.AddFault(vtgraphtest.Fault{Route: "GET /graphs/{id}", Status: http.StatusTeapot})
			}),
			call:       getGraph,
			wantStatus: http.StatusTeapot,
			want:       [][]string{{"response 418 to GET " + graphPath + " (graphsInfo)"}},
		},
		{
			name:        "request below the limit's minimum, seen on both sides",
			server:      memory(func(*vtgraphtest.Server) {}),
			clientCheck: true,
			tamper: func(r *http.Request) {
				r.URL.RawQuery = "limit=0"
			},
			call:       listComments,
			wantStatus: http.StatusBadRequest,
			want: [][]string{
				{"request to GET " + graphPath + "/comments (getGraphComments)", "limit"},
				{"request to GET " + graphPath + "/comments (getGraphComments)", "limit"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &contractFailures{TB: t}
			check := contract.ForTest(rec)
			base := tt.server(t, check)
			var rt http.RoundTripper = http.DefaultTransport
			if tt.clientCheck {
				rt = check.Transport(rt)
			}
			if tt.tamper != nil {
				rt = tamperTransport{next: rt, tamper: tt.tamper}
			}
			c, err := vtgraph.New(vtgraphtest.AliceKey,
				vtgraph.WithBaseURL(base),
				vtgraph.WithHTTPClient(&http.Client{Transport: rt}),
				vtgraph.WithoutRetries())
			require.NoError(t, err)

			err = tt.call(t.Context(), c)
			if tt.wantStatus != 0 {
				var apiErr *vtgraph.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			}

			failures := rec.recorded()
			require.Len(t, failures, len(tt.want), "failures: %q", failures)
			for i, want := range tt.want {
				for _, w := range want {
					assert.Contains(t, failures[i], w)
				}
			}
		})
	}
}

// tamperTransport changes a copy of each request before sending it.
type tamperTransport struct {
	next   http.RoundTripper
	tamper func(*http.Request)
}

func (tt tamperTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	tt.tamper(out)
	return tt.next.RoundTrip(out)
}
