package vtgraph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// These tests pin down the in-memory server's behaviour through the client:
// who may do what to a graph, what each search filter and order selects,
// how pages and cursors work, and how a PATCH merges. Every request and
// response is checked against the spec on both sides of the wire.

// Made-up keys of the users the tests add to the default alice, bob and
// carol.
const (
	daveKey = "dave-made-up-key"
	erinKey = "erin-made-up-key"
)

// behaviourServer starts an in-memory server that checks every exchange
// against the spec, and returns it with a function giving a client per API
// key; the clients check the traffic on their side too.
func behaviourServer(t *testing.T, opts ...vtgraphtest.Option) (*vtgraphtest.Server, func(key string) *vtgraph.Client) {
	t.Helper()
	check := contract.ForTest(t)
	srv := vtgraphtest.NewServer(t, append([]vtgraphtest.Option{vtgraphtest.WithMiddleware(check.Handler)}, opts...)...)
	return srv, func(key string) *vtgraph.Client {
		c, err := vtgraph.New(key, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithHTTPClient(check.Client()), vtgraph.WithoutRetries())
		require.NoError(t, err)
		return c
	}
}

// assertOutcome checks that err is what want says: success when want is
// empty, otherwise an *APIError matching want with its status. It reports
// whether the call succeeded.
func assertOutcome(t *testing.T, want vtgraph.ErrorCode, err error) bool {
	t.Helper()
	if want == "" {
		require.NoError(t, err)
		return true
	}
	require.ErrorIs(t, err, want)
	var apiErr *vtgraph.APIError
	require.ErrorAs(t, err, &apiErr)
	status := map[vtgraph.ErrorCode]int{vtgraph.ErrNotFound: http.StatusNotFound, vtgraph.ErrForbidden: http.StatusForbidden}
	assert.Equal(t, status[want], apiErr.StatusCode)
	return false
}

// TestServerAccessByRole runs each action on a graph as each kind of user
// and checks the outcome: success, ErrForbidden for a user who may see the
// graph but not do this, or ErrNotFound for a user who may not see it. It
// also checks that a refused action changed nothing.
func TestServerAccessByRole(t *testing.T) {
	t.Parallel()
	const (
		forbidden = vtgraph.ErrForbidden
		notFound  = vtgraph.ErrNotFound
	)
	grantEditor := func(who vtgraph.PrincipalRef) func(context.Context, *vtgraph.Client, string) error {
		return func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.AddEditors(ctx, id, who)
			return err
		}
	}
	grantViewer := func(who vtgraph.PrincipalRef) func(context.Context, *vtgraph.Client, string) error {
		return func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.AddViewers(ctx, id, who)
			return err
		}
	}
	group := vtgraph.Group(vtgraphtest.DefaultGroup)
	tests := []struct {
		name string
		// public makes the graph public; it is private otherwise.
		public bool
		// grant gives the actor its role; the owner runs it.
		grant         func(context.Context, *vtgraph.Client, string) error
		actorKey      string
		actor         string
		get, comment  vtgraph.ErrorCode
		share, revoke vtgraph.ErrorCode
		update, del   vtgraph.ErrorCode
		check         vtgraph.ErrorCode
		// viewer and editor are what the access checks answer about the
		// actor.
		viewer, editor bool
	}{
		{name: "owner", actorKey: vtgraphtest.AliceKey, actor: "alice", viewer: true, editor: true},
		{
			name: "editor", grant: grantEditor(vtgraph.User("carol")), actorKey: vtgraphtest.CarolKey, actor: "carol",
			del: forbidden, viewer: true, editor: true,
		},
		{
			name: "editor through a group", grant: grantEditor(group), actorKey: vtgraphtest.BobKey, actor: "bob",
			del: forbidden, viewer: true, editor: true,
		},
		{
			name: "viewer", grant: grantViewer(vtgraph.User("carol")), actorKey: vtgraphtest.CarolKey, actor: "carol",
			share: forbidden, revoke: forbidden, update: forbidden, del: forbidden, viewer: true,
		},
		{
			name: "viewer through a group", grant: grantViewer(group), actorKey: vtgraphtest.BobKey, actor: "bob",
			share: forbidden, revoke: forbidden, update: forbidden, del: forbidden, viewer: true,
		},
		{
			name: "other user", actorKey: vtgraphtest.CarolKey, actor: "carol",
			get: notFound, comment: notFound, share: notFound, revoke: notFound, update: notFound, del: notFound, check: notFound,
		},
		{
			// The graph belongs to its owner's group, which grants nothing.
			name: "member of the graph's group without a grant", actorKey: vtgraphtest.BobKey, actor: "bob",
			get: notFound, comment: notFound, share: notFound, revoke: notFound, update: notFound, del: notFound, check: notFound,
		},
		{
			// Anybody may read and comment on a public graph, but being public
			// is not a grant.
			name: "other user, public graph", public: true, actorKey: vtgraphtest.CarolKey, actor: "carol",
			share: forbidden, revoke: forbidden, update: forbidden, del: forbidden,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := behaviourServer(t, vtgraphtest.WithUser("dave", daveKey), vtgraphtest.WithUser("erin", erinKey))
			ctx := t.Context()
			owner, actor := client(vtgraphtest.AliceKey), client(tt.actorKey)

			g := vtgraph.NewGraph("ACL target")
			g.Private = !tt.public
			g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
			id, err := owner.CreateGraph(ctx, g)
			require.NoError(t, err)
			if tt.grant != nil {
				require.NoError(t, tt.grant(ctx, owner, id))
			}
			// dave is the viewer the actor tries to revoke.
			_, err = owner.AddViewers(ctx, id, vtgraph.User("dave"))
			require.NoError(t, err)

			t.Run("get", func(t *testing.T) {
				got, err := actor.GetGraph(ctx, id, nil)
				if assertOutcome(t, tt.get, err) {
					assert.Equal(t, id, got.ID)
				}
				page, err := actor.SearchGraphs(ctx, &vtgraph.SearchOptions{Filter: vtgraph.FilterID(id)})
				require.NoError(t, err)
				assert.Equal(t, tt.get == "", len(page.Items) == 1, "search shows the graph only to who may get it")
			})
			t.Run("comment", func(t *testing.T) {
				_, err := actor.AddComment(ctx, id, "a comment by "+tt.actor)
				ok := assertOutcome(t, tt.comment, err)
				comments, err := owner.ListComments(ctx, id, nil)
				require.NoError(t, err)
				assert.Len(t, comments.Items, map[bool]int{true: 1, false: 0}[ok])
			})
			t.Run("check access", func(t *testing.T) {
				viewer, err := actor.IsViewer(ctx, id, vtgraph.User(tt.actor))
				if assertOutcome(t, tt.check, err) {
					assert.Equal(t, tt.viewer, viewer, "IsViewer")
				}
				editor, err := actor.IsEditor(ctx, id, vtgraph.User(tt.actor))
				if assertOutcome(t, tt.check, err) {
					assert.Equal(t, tt.editor, editor, "IsEditor")
				}
				// The owner may always ask.
				viewer, err = owner.IsViewer(ctx, id, vtgraph.User(tt.actor))
				require.NoError(t, err)
				assert.Equal(t, tt.viewer, viewer, "IsViewer asked by the owner")
				editor, err = owner.IsEditor(ctx, id, vtgraph.User(tt.actor))
				require.NoError(t, err)
				assert.Equal(t, tt.editor, editor, "IsEditor asked by the owner")
			})
			t.Run("share", func(t *testing.T) {
				_, err := actor.AddViewers(ctx, id, vtgraph.User("erin"))
				ok := assertOutcome(t, tt.share, err)
				granted, err := owner.IsViewer(ctx, id, vtgraph.User("erin"))
				require.NoError(t, err)
				assert.Equal(t, ok, granted, "erin was granted")
			})
			t.Run("revoke", func(t *testing.T) {
				ok := assertOutcome(t, tt.revoke, actor.RemoveViewer(ctx, id, vtgraph.User("dave")))
				still, err := owner.IsViewer(ctx, id, vtgraph.User("dave"))
				require.NoError(t, err)
				assert.Equal(t, !ok, still, "dave is still a viewer")
			})
			t.Run("update", func(t *testing.T) {
				_, err := actor.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Description: ptr("renamed by " + tt.actor)})
				ok := assertOutcome(t, tt.update, err)
				stored, found := srv.Graph(id)
				require.True(t, found)
				want := "ACL target"
				if ok {
					want = "renamed by " + tt.actor
				}
				require.NotNil(t, stored.Attributes.GraphData)
				assert.Equal(t, want, *stored.Attributes.GraphData.Description)
			})
			t.Run("delete", func(t *testing.T) {
				ok := assertOutcome(t, tt.del, actor.DeleteGraph(ctx, id))
				_, found := srv.Graph(id)
				assert.Equal(t, !ok, found, "the graph still exists")
			})
		})
	}
}

// behaviourClock is a settable clock for the server, so graphs can be
// created on chosen days.
type behaviourClock struct{ unix atomic.Int64 }

func (c *behaviourClock) set(t time.Time) { c.unix.Store(t.Unix()) }

func (c *behaviourClock) now() time.Time { return time.Unix(c.unix.Load(), 0).UTC() }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

// TestServerSearch checks each filter builder, their combinations and the
// sort orders against a known set of graphs. Counts are chosen so that no
// graph sits on a comparison's boundary: the API documents "+" and "-" as
// greater and less than, while the in-memory server includes the value.
func TestServerSearch(t *testing.T) {
	t.Parallel()
	clock := &behaviourClock{}
	clock.set(day(2024, 1, 1))
	_, client := behaviourServer(t, vtgraphtest.WithClock(clock.now))
	ctx := t.Context()
	clients := map[string]*vtgraph.Client{
		"alice": client(vtgraphtest.AliceKey),
		"bob":   client(vtgraphtest.BobKey),
		"carol": client(vtgraphtest.CarolKey),
	}
	const emotet = "ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa"
	fixtures := []struct {
		key, owner, name string
		private          bool
		created          time.Time
		nodes            func(g *vtgraph.Graph)
		comments, views  int
		sharedWithAlice  bool
	}{
		{key: "A", owner: "alice", name: "Wannacry kill switch", created: day(2024, 1, 10), views: 3,
			nodes: func(g *vtgraph.Graph) {
				g.AddNode("iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com", vtgraph.NodeTypeDomain).Text = "Kill switch"
				g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
				require.NoError(t, g.AddLink("iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com", "8.8.8.8", ""))
			}},
		{key: "B", owner: "alice", name: "Emotet campaign", private: true, created: day(2024, 2, 15), comments: 1, views: 1,
			nodes: func(g *vtgraph.Graph) { g.AddNode(emotet, vtgraph.NodeTypeFile) }},
		{key: "C", owner: "bob", name: "Hooli phishing", created: day(2024, 3, 20), comments: 4, views: 5,
			nodes: func(g *vtgraph.Graph) {
				g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
				g.AddNode("richard@piedpiper.com", vtgraph.NodeTypeEmail)
				// Unquoted, label:Kill switch would match this graph too:
				// a label with "Kill" and the word "switch".
				g.AddNode("1.1.1.1", vtgraph.NodeTypeIPAddress).Text = "Kill chain"
				g.AddNode("switch ops", vtgraph.NodeTypeDepartment)
			}},
		{key: "D", owner: "carol", name: "Carol's secret", private: true, created: day(2024, 3, 25),
			nodes: func(g *vtgraph.Graph) { g.AddNode("hooli.com", vtgraph.NodeTypeDomain) }},
		{key: "E", owner: "bob", name: "Shared with alice", private: true, created: day(2024, 4, 1), comments: 2, sharedWithAlice: true,
			nodes: func(g *vtgraph.Graph) { g.AddNode("funny bear", vtgraph.NodeTypeActor) }},
	}
	ids := map[string]string{}
	names := map[string]string{}
	for _, f := range fixtures {
		clock.set(f.created)
		g := vtgraph.NewGraph(f.name)
		g.Private = f.private
		f.nodes(g)
		c := clients[f.owner]
		id, err := c.CreateGraph(ctx, g)
		require.NoError(t, err)
		ids[f.key], names[id] = id, f.key
		if f.sharedWithAlice {
			_, err := c.AddViewers(ctx, id, vtgraph.User("alice"))
			require.NoError(t, err)
		}
		for i := range f.comments {
			_, err := c.AddComment(ctx, id, fmt.Sprintf("comment %d", i))
			require.NoError(t, err)
		}
		for range f.views {
			_, err := c.GetGraph(ctx, id, nil)
			require.NoError(t, err)
		}
	}
	// search returns the keys of the graphs a search finds, in order.
	search := func(t *testing.T, as string, opts *vtgraph.SearchOptions) []string {
		t.Helper()
		var keys []string
		for g, err := range clients[as].SearchGraphsIter(ctx, opts, nil) {
			require.NoError(t, err)
			keys = append(keys, names[g.ID])
		}
		return keys
	}

	t.Run("filters", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			name   string
			as     string // "" means alice
			filter vtgraph.Filter
			want   []string
		}{
			{"everything alice may see", "", vtgraph.Filter{}, []string{"A", "B", "C", "E"}},
			{"everything carol may see", "carol", vtgraph.Filter{}, []string{"A", "C", "D"}},
			{"id", "", vtgraph.FilterID(ids["C"]), []string{"C"}},
			{"owner", "", vtgraph.FilterOwner("alice"), []string{"A", "B"}},
			{"name", "", vtgraph.FilterName("emotet"), []string{"B"}},
			{"private", "", vtgraph.FilterPrivate(true), []string{"B", "E"}},
			{"public", "", vtgraph.FilterPrivate(false), []string{"A", "C"}},
			{"visible to user", "", vtgraph.FilterVisibleToUser("alice"), []string{"A", "B", "E"}},
			{"domain", "", vtgraph.FilterDomain("hooli.com"), []string{"C"}},
			{"domain, as carol", "carol", vtgraph.FilterDomain("hooli.com"), []string{"C", "D"}},
			{"ip address", "", vtgraph.FilterIPAddress("8.8.8.8"), []string{"A"}},
			{"file", "", vtgraph.FilterFile(emotet), []string{"B"}},
			{"email", "", vtgraph.FilterEmail("richard@piedpiper.com"), []string{"C"}},
			{"department", "", vtgraph.FilterDepartment("switch ops"), []string{"C"}},
			{"actor with a space", "", vtgraph.FilterActor("funny bear"), []string{"E"}},
			{"quoted label", "", vtgraph.FilterLabel("Kill switch"), []string{"A"}},
			{"created on a day", "", vtgraph.FilterCreationDate(day(2024, 3, 20), vtgraph.CmpEqual), []string{"C"}},
			{"created after", "", vtgraph.FilterCreationDate(day(2024, 2, 1), vtgraph.CmpGreater), []string{"B", "C", "E"}},
			{"created before", "", vtgraph.FilterCreationDate(day(2024, 2, 1), vtgraph.CmpLess), []string{"A"}},
			{"created in a range", "", vtgraph.FilterAnd(
				vtgraph.FilterCreationDate(day(2024, 2, 1), vtgraph.CmpGreater),
				vtgraph.FilterCreationDate(day(2024, 3, 31), vtgraph.CmpLess)), []string{"B", "C"}},
			{"more comments", "", vtgraph.FilterCommentsCount(3, vtgraph.CmpGreater), []string{"C"}},
			{"no comments", "", vtgraph.FilterCommentsCount(0, vtgraph.CmpEqual), []string{"A"}},
			{"fewer nodes", "", vtgraph.FilterTotalNodes(3, vtgraph.CmpLess), []string{"A", "B", "E"}},
			{"more nodes", "", vtgraph.FilterTotalNodes(3, vtgraph.CmpGreater), []string{"C"}},
			{"more views", "", vtgraph.FilterViewsCount(2, vtgraph.CmpGreater), []string{"A", "C"}},
			{"or", "", vtgraph.FilterOr(vtgraph.FilterOwner("bob"), vtgraph.FilterName("emotet")), []string{"B", "C", "E"}},
			{"not", "", vtgraph.FilterNot(vtgraph.FilterOwner("alice")), []string{"C", "E"}},
			{"and not", "", vtgraph.FilterAnd(vtgraph.FilterOwner("alice"), vtgraph.FilterNot(vtgraph.FilterPrivate(true))), []string{"A"}},
			{"or inside and", "", vtgraph.FilterAnd(
				vtgraph.FilterOr(vtgraph.FilterOwner("alice"), vtgraph.FilterOwner("bob")),
				vtgraph.FilterPrivate(true)), []string{"B", "E"}},
			{"free text", "", vtgraph.FilterText("phishing"), []string{"C"}},
			{"nothing", "", vtgraph.FilterDomain("piedpiper.com"), nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				as := cmpOr(tt.as, "alice")
				assert.ElementsMatch(t, tt.want, search(t, as, &vtgraph.SearchOptions{Filter: tt.filter}), "filter %s", tt.filter)
			})
		}
	})

	t.Run("order", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			order vtgraph.Order
			want  []string
		}{
			{vtgraph.Order{}, []string{"E", "C", "B", "A"}}, // newest first
			{vtgraph.OrderName.Asc(), []string{"B", "C", "E", "A"}},
			{vtgraph.OrderName.Desc(), []string{"A", "E", "C", "B"}},
			{vtgraph.OrderCreationDate.Asc(), []string{"A", "B", "C", "E"}},
			{vtgraph.OrderCreationDate.Desc(), []string{"E", "C", "B", "A"}},
			{vtgraph.OrderCommentsCount.Desc(), []string{"C", "E", "B", "A"}},
			{vtgraph.OrderViewsCount.Desc(), []string{"C", "A", "B", "E"}},
			{vtgraph.OrderViewsCount.Asc(), []string{"E", "B", "A", "C"}},
		}
		for _, tt := range tests {
			t.Run(cmpOr(tt.order.String(), "default"), func(t *testing.T) {
				t.Parallel()
				opts := &vtgraph.SearchOptions{Order: tt.order, ListOptions: vtgraph.ListOptions{Limit: 2}}
				assert.Equal(t, tt.want, search(t, "alice", opts), "order survives paging")
			})
		}
	})
}

// cmpOr returns s, or def when s is empty.
func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// TestServerPagination pages through 95 graphs 40 at a time, by hand and
// with the iterator: three pages, in order, none repeated or skipped, and
// an iteration saved in the middle of a page resumes exactly.
func TestServerPagination(t *testing.T) {
	t.Parallel()
	srv, client := behaviourServer(t)
	ctx := t.Context()
	alice := client(vtgraphtest.AliceKey)
	const total = 95
	var want []string // newest first, the server's default order
	for i := range total {
		id, err := alice.CreateGraph(ctx, vtgraph.NewGraph(fmt.Sprintf("graph %02d", i)))
		require.NoError(t, err)
		want = append([]string{id}, want...)
	}
	searches := func() int {
		n := 0
		for _, r := range srv.Requests() {
			if r.Method == http.MethodGet && r.Path == "/api/v3/graphs" {
				n++
			}
		}
		return n
	}
	opts := &vtgraph.SearchOptions{ListOptions: vtgraph.ListOptions{Limit: vtgraph.MaxPageSize}}
	ids := func(gs []*vtgraph.Graph) []string {
		out := make([]string, len(gs))
		for i, g := range gs {
			out[i] = g.ID
		}
		return out
	}

	t.Run("one page at a time", func(t *testing.T) {
		var got []string
		var sizes []int
		o := *opts
		for {
			page, err := alice.SearchGraphs(ctx, &o)
			require.NoError(t, err)
			require.NotNil(t, page.Meta.Count)
			assert.Equal(t, total, *page.Meta.Count)
			got = append(got, ids(page.Items)...)
			sizes = append(sizes, len(page.Items))
			if !page.HasMore() {
				break
			}
			o.Cursor = page.NextCursor
		}
		assert.Equal(t, []int{40, 40, 15}, sizes)
		assert.Equal(t, want, got)
	})

	t.Run("iterator with prefetch", func(t *testing.T) {
		before := searches()
		var got []string
		var progress vtgraph.ListPosition
		for g, err := range alice.SearchGraphsIter(ctx, opts, &vtgraph.IterOptions{Prefetch: true, Progress: &progress}) {
			require.NoError(t, err)
			got = append(got, g.ID)
		}
		assert.Equal(t, want, got)
		assert.Equal(t, 3, searches()-before, "pages fetched")
		assert.True(t, progress.Done)
	})

	t.Run("resume from a saved position", func(t *testing.T) {
		var got []string
		var progress vtgraph.ListPosition
		var saved []byte
		for g, err := range alice.SearchGraphsIter(ctx, opts, &vtgraph.IterOptions{Prefetch: true, Progress: &progress}) {
			require.NoError(t, err)
			got = append(got, g.ID)
			if len(got) == 50 {
				var err error
				saved, err = progress.MarshalText()
				require.NoError(t, err)
				break
			}
		}
		var start vtgraph.ListPosition
		require.NoError(t, start.UnmarshalText(saved))
		assert.Equal(t, 10, start.Offset, "stopped in the middle of the second page")

		before := searches()
		for g, err := range alice.SearchGraphsIter(ctx, opts, &vtgraph.IterOptions{Start: start, Prefetch: true}) {
			require.NoError(t, err)
			got = append(got, g.ID)
		}
		assert.Equal(t, want, got, "nothing repeated or skipped")
		assert.Equal(t, 2, searches()-before, "the resumed iteration fetches the second and third pages")
	})

	t.Run("capped", func(t *testing.T) {
		before := searches()
		var got []string
		for g, err := range alice.SearchGraphsIter(ctx, opts, &vtgraph.IterOptions{MaxItems: 45, Prefetch: true}) {
			require.NoError(t, err)
			got = append(got, g.ID)
		}
		assert.Equal(t, want[:45], got)
		assert.Equal(t, 2, searches()-before, "no page is prefetched past the cap")
	})

	t.Run("comments", func(t *testing.T) {
		id := want[0]
		var posted []string
		for i := range 45 {
			cm, err := alice.AddComment(ctx, id, fmt.Sprintf("comment %d", i))
			require.NoError(t, err)
			posted = append([]string{cm.ID}, posted...)
		}
		var got []string
		for cm, err := range alice.ListCommentsIter(ctx, id, &vtgraph.ListOptions{Limit: 40}, nil) {
			require.NoError(t, err)
			got = append(got, cm.ID)
		}
		assert.Equal(t, posted, got, "newest first, over two pages")
	})
}

// TestServerMergesPatch checks that a PATCH changes only the attributes it
// sends: private alone keeps everything else, a description replaces
// graph_data as a whole (VirusTotal merges at the top level), nodes and
// links replace the old ones together, and null removes an attribute.
func TestServerMergesPatch(t *testing.T) {
	t.Parallel()
	srv, client := behaviourServer(t)
	ctx := t.Context()
	alice := client(vtgraphtest.AliceKey)

	g := vtgraph.NewGraph("Merge me")
	g.Version = "5.0.0"
	g.GraphDataExtra = map[string]json.RawMessage{"theme": json.RawMessage(`"dark"`)}
	g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
	g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress)
	require.NoError(t, g.AddLink("hooli.com", "8.8.8.8", "resolutions"))
	g.Extra = map[string]json.RawMessage{
		"position": json.RawMessage(`{"x":897,"y":388,"scale":"1"}`),
		// More digits than a float64 holds: only raw JSON keeps them.
		"custom_score": json.RawMessage(`12345678901234567890`),
	}
	id, err := alice.CreateGraph(ctx, g)
	require.NoError(t, err)

	type link struct{ source, target, kind string }
	linksOf := func(g *vtgraph.Graph) []link {
		var out []link
		for _, l := range g.Links {
			out = append(out, link{l.Source, l.Target, l.ConnectionType})
		}
		return out
	}
	nodesOf := func(g *vtgraph.Graph) []string {
		var out []string
		for _, n := range g.Nodes {
			out = append(out, string(n.Type)+":"+n.EntityID)
		}
		return out
	}
	load := func(t *testing.T) *vtgraph.Graph {
		t.Helper()
		got, err := alice.GetGraph(ctx, id, nil)
		require.NoError(t, err)
		return got
	}
	lastPatch := func(t *testing.T) string {
		t.Helper()
		reqs := srv.Requests()
		for i := len(reqs) - 1; i >= 0; i-- {
			if reqs[i].Method == http.MethodPatch {
				return string(reqs[i].Body)
			}
		}
		t.Fatal("no PATCH was sent")
		return ""
	}
	wantNodes, wantLinks := nodesOf(g), linksOf(g)

	t.Run("private alone", func(t *testing.T) {
		_, err := alice.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Private: ptr(true)})
		require.NoError(t, err)
		assert.JSONEq(t, `{"data":{"type":"graph","id":"`+id+`","attributes":{"private":true}}}`, lastPatch(t))
		got := load(t)
		assert.True(t, got.Private)
		assert.Equal(t, "Merge me", got.Description)
		assert.Equal(t, "5.0.0", got.Version)
		assert.JSONEq(t, `"dark"`, string(got.GraphDataExtra["theme"]))
		assert.Equal(t, wantNodes, nodesOf(got))
		assert.Equal(t, wantLinks, linksOf(got))
		assert.JSONEq(t, `{"x":897,"y":388,"scale":"1"}`, string(got.Extra["position"]))
		assert.Equal(t, `12345678901234567890`, string(got.Extra["custom_score"]))
	})

	t.Run("description keeps the rest of graph_data", func(t *testing.T) {
		_, err := alice.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Description: ptr("Renamed")})
		require.NoError(t, err)
		assert.JSONEq(t, `{"data":{"type":"graph","id":"`+id+`","attributes":{"graph_data":{"description":"Renamed","version":"5.0.0","theme":"dark"}}}}`, lastPatch(t),
			"graph_data is one attribute: the PATCH carries all of it")
		got := load(t)
		assert.Equal(t, "Renamed", got.Description)
		assert.Equal(t, "5.0.0", got.Version)
		assert.JSONEq(t, `"dark"`, string(got.GraphDataExtra["theme"]))
		assert.True(t, got.Private)
		assert.Equal(t, wantNodes, nodesOf(got))
		assert.Equal(t, `12345678901234567890`, string(got.Extra["custom_score"]))
	})

	t.Run("nodes and links replace the old ones", func(t *testing.T) {
		var next vtgraph.Graph
		next.AddNode("evil.example", vtgraph.NodeTypeDomain)
		next.AddNode("203.0.113.7", vtgraph.NodeTypeIPAddress)
		require.NoError(t, next.AddLink("evil.example", "203.0.113.7", ""))
		_, err := alice.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Nodes: next.Nodes, Links: next.Links})
		require.NoError(t, err)
		got := load(t)
		assert.Equal(t, []string{"domain:evil.example", "ip_address:203.0.113.7"}, nodesOf(got))
		assert.Equal(t, []link{{"evil.example", "203.0.113.7", ""}}, linksOf(got))
		assert.Equal(t, "Renamed", got.Description)
		assert.True(t, got.Private)
		assert.JSONEq(t, `{"x":897,"y":388,"scale":"1"}`, string(got.Extra["position"]))
	})

	t.Run("nodes without links are refused before sending", func(t *testing.T) {
		before := len(srv.Requests())
		_, err := alice.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Nodes: []vtgraph.Node{}})
		var pe *vtgraph.ParamError
		require.ErrorAs(t, err, &pe)
		assert.Len(t, srv.Requests(), before)
	})

	t.Run("null removes an attribute", func(t *testing.T) {
		_, err := alice.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Extra: map[string]json.RawMessage{"position": json.RawMessage(`null`)}})
		require.NoError(t, err)
		got := load(t)
		assert.NotContains(t, got.Extra, "position")
		assert.Equal(t, `12345678901234567890`, string(got.Extra["custom_score"]))
		assert.Len(t, got.Nodes, 2)
	})

	t.Run("saving a loaded graph keeps what the client does not model", func(t *testing.T) {
		got := load(t)
		got.Nodes[0].Text = "C2"
		saved, err := alice.SaveGraph(ctx, got)
		require.NoError(t, err)
		assert.Equal(t, "C2", saved.Nodes[0].Text)
		reloaded := load(t)
		assert.Equal(t, "C2", reloaded.Nodes[0].Text)
		assert.Equal(t, `12345678901234567890`, string(reloaded.Extra["custom_score"]))
		assert.True(t, slices.Equal(nodesOf(got), nodesOf(reloaded)))
	})
}
