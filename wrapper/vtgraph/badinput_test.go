package vtgraph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// The bad-input table calls the client with values that must never reach
// the API as they are, and checks each against a local server that records
// what it received: either the call fails before any request with a
// *ParamError or *ValidationError naming the field, or the value arrives
// unchanged, on the intended route.

// badReceived is one request as the recording server routed it.
type badReceived struct {
	Pattern string // the mux pattern that served it; "/" for none
	Method  string
	RawPath string // the escaped path as sent
	Query   url.Values
	Values  map[string]string // the pattern's wildcards, decoded by the server
	Body    []byte
}

// badServer answers every route of the API with a minimal success and
// records each request.
type badServer struct {
	URL  string
	mu   sync.Mutex
	reqs []badReceived
}

var badWildcard = regexp.MustCompile(`\{([a-z_]+)\}`)

func newBadServer(t *testing.T) *badServer {
	t.Helper()
	graph := `{"data":{"type":"graph","id":"` + relGraphID + `","attributes":{"nodes":[],"links":[]}}}`
	routes := []struct{ pattern, body string }{
		{"GET /graphs", `{"data":[]}`},
		{"POST /graphs", `{"data":{"type":"graph","id":"` + relGraphID + `"}}`},
		{"GET /graphs/{id}", graph},
		{"PATCH /graphs/{id}", graph},
		{"DELETE /graphs/{id}", `{"data":null}`},
		{"GET /graphs/{id}/comments", `{"data":[]}`},
		{"POST /graphs/{id}/comments", `{"data":{"type":"comment","id":"c1","attributes":{"text":"x"}}}`},
		{"GET /graphs/{id}/{relationship}", `{"data":[]}`},
		{"GET /graphs/{id}/relationships/{relationship}", `{"data":[]}`},
		{"GET /graphs/{id}/relationships/viewers", `{"data":[]}`},
		{"GET /graphs/{id}/relationships/editors", `{"data":[]}`},
		{"POST /graphs/{id}/relationships/viewers", `{"data":[{"type":"user","id":"bob"}]}`},
		{"POST /graphs/{id}/relationships/editors", `{"data":[{"type":"user","id":"bob"}]}`},
		{"GET /graphs/{id}/relationships/viewers/{principal}", `{"data":true}`},
		{"GET /graphs/{id}/relationships/editors/{principal}", `{"data":true}`},
		{"DELETE /graphs/{id}/relationships/viewers/{principal}", `{"data":null}`},
		{"DELETE /graphs/{id}/relationships/editors/{principal}", `{"data":null}`},
		{"/", `{"error":{"code":"NotFoundError","message":"no such route"}}`},
	}
	s := &badServer{}
	mux := http.NewServeMux()
	for _, rt := range routes {
		method, path, ok := strings.Cut(rt.pattern, " ")
		pattern := method + " /api/v3" + path
		if !ok {
			pattern = "/"
		}
		status := http.StatusOK
		if pattern == "/" {
			status = http.StatusNotFound
		}
		names := badWildcard.FindAllStringSubmatch(pattern, -1)
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			rec := badReceived{
				Pattern: pattern, Method: r.Method, RawPath: strings.SplitN(r.RequestURI, "?", 2)[0],
				Query: r.URL.Query(), Values: map[string]string{}, Body: body,
			}
			for _, n := range names {
				rec.Values[n[1]] = r.PathValue(n[1])
			}
			s.mu.Lock()
			s.reqs = append(s.reqs, rec)
			s.mu.Unlock()
			relJSON(status, rt.body)(w, r)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/api/v3"
	return s
}

// take returns and forgets the requests received so far.
func (s *badServer) take() []badReceived {
	s.mu.Lock()
	defer s.mu.Unlock()
	reqs := s.reqs
	s.reqs = nil
	return reqs
}

// badCase is one bad input: a call, and either the error it must fail with
// before sending or the one request it must send.
type badCase struct {
	name string
	call func(ctx context.Context, c *vtgraph.Client) error

	// paramPaths are the paths of the *ParamError's problems.
	paramPaths []string
	// validationPaths are the paths of the *ValidationError's problems.
	validationPaths []string

	// Otherwise the call succeeds with exactly one request on pattern
	// (relative to /api/v3), with these decoded wildcards and query.
	pattern string
	values  map[string]string
	query   url.Values
	check   func(t *testing.T, got badReceived) // more checks on the request
}

func (bc badCase) rejected() bool { return bc.paramPaths != nil || bc.validationPaths != nil }

// Inputs of the table.
var (
	// badGraphIDs are not "g" and 64 lowercase hex characters.
	badGraphIDs = []string{
		"", "g", "g" + strings.Repeat("0", 63), relGraphID + "0", "G" + relGraphID[1:],
		"g" + strings.ToUpper(relGraphID[1:]), "h" + relGraphID[1:], relGraphID[:64] + "z",
		relGraphID[:64] + "/", "../" + relGraphID, relGraphID + "/..", relGraphID[:63] + "..",
		relGraphID + "?x=1", relGraphID + "#frag", relGraphID[:62] + "%2F", relGraphID[:64] + "%",
		relGraphID + " ", " " + relGraphID, relGraphID[:64] + "\n", "g" + strings.Repeat("é", 32),
	}
	// badPrincipals cannot be sent as one path segment unchanged.
	badPrincipals = []string{
		"", ".", "..", "a/b", "../alice", "alice/..", "a?b", "a#b", "a%2Fb", "100%", "a b", " alice",
		"alice ", "alice\n", "a\r\nX-Injected: 1", "a\tb", "a\\b", "a\u2028b", "a\x00b", "\xff",
	}
	// oddPrincipals look dangerous but are safe once escaped; they must
	// arrive unchanged.
	oddPrincipals = []string{
		"a..b", "...", "..alice", "alice..", "a.b", "a:b", "a;b", "a=b&c", "ops+sec@example.com",
		"a,b", "$x", "!*'()", "~user", "名前", "jürgen", "a\u2215b", "a\ufeffb",
	}
	// badRelations are neither known nor lowercase letters and underscores.
	badRelations = []vtgraph.Relation{
		"", "../owner", "owner/..", "items?x", "items#x", "it%65ms", "items ", "ITEMS", "items\n",
		"relationships/viewers", "..", "comments/../owner",
	}
)

// badCases returns the bad-input table.
func badCases() []badCase {
	var cases []badCase
	idCalls := map[string]func(ctx context.Context, c *vtgraph.Client, id string) error{
		"GetGraph": func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.GetGraph(ctx, id, nil)
			return err
		},
		"DeleteGraph": func(ctx context.Context, c *vtgraph.Client, id string) error { return c.DeleteGraph(ctx, id) },
		"UpdateGraph": func(ctx context.Context, c *vtgraph.Client, id string) error {
			private := true
			_, err := c.UpdateGraph(ctx, id, &vtgraph.GraphUpdate{Private: &private})
			return err
		},
		"SaveGraph": func(ctx context.Context, c *vtgraph.Client, id string) error {
			g := vtgraph.NewGraph("x")
			g.ID = id
			_, err := c.SaveGraph(ctx, g)
			return err
		},
		"AddComment": func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.AddComment(ctx, id, "hello")
			return err
		},
		"ListComments": func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.ListComments(ctx, id, nil)
			return err
		},
		"GetOwner": func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.GetOwner(ctx, id)
			return err
		},
		"ListRelated": func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.ListRelated(ctx, id, vtgraph.RelationItems, nil)
			return err
		},
		"ListRelatedDescriptors": func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.ListRelatedDescriptors(ctx, id, vtgraph.RelationItems, nil)
			return err
		},
		"ListViewers": func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.ListViewers(ctx, id, nil)
			return err
		},
		"AddEditors": func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.AddEditors(ctx, id, vtgraph.User("bob"))
			return err
		},
		"RemoveViewer": func(ctx context.Context, c *vtgraph.Client, id string) error {
			return c.RemoveViewer(ctx, id, vtgraph.User("bob"))
		},
		"IsEditor": func(ctx context.Context, c *vtgraph.Client, id string) error {
			_, err := c.IsEditor(ctx, id, vtgraph.Group("bob"))
			return err
		},
	}
	for name, call := range idCalls {
		for _, id := range badGraphIDs {
			cases = append(cases, badCase{
				name: name + "/id=" + id,
				call: func(ctx context.Context, c *vtgraph.Client) error { return call(ctx, c, id) },
				// SaveGraph checks the graph's ID field.
				paramPaths: []string{"id"},
			})
		}
	}

	type principalCall struct {
		name    string
		pattern string // for a principal sent in the path; "" when sent in the body
		call    func(ctx context.Context, c *vtgraph.Client, who string) error
		field   string
	}
	principalCalls := []principalCall{
		{"IsViewer", "GET /graphs/{id}/relationships/viewers/{principal}", func(ctx context.Context, c *vtgraph.Client, who string) error {
			_, err := c.IsViewer(ctx, relGraphID, vtgraph.User(who))
			return err
		}, "principal.id"},
		{"IsEditor", "GET /graphs/{id}/relationships/editors/{principal}", func(ctx context.Context, c *vtgraph.Client, who string) error {
			_, err := c.IsEditor(ctx, relGraphID, vtgraph.Group(who))
			return err
		}, "principal.id"},
		{"RemoveViewer", "DELETE /graphs/{id}/relationships/viewers/{principal}", func(ctx context.Context, c *vtgraph.Client, who string) error {
			return c.RemoveViewer(ctx, relGraphID, vtgraph.Group(who))
		}, "principal.id"},
		{"RemoveEditor", "DELETE /graphs/{id}/relationships/editors/{principal}", func(ctx context.Context, c *vtgraph.Client, who string) error {
			return c.RemoveEditor(ctx, relGraphID, vtgraph.User(who))
		}, "principal.id"},
		{"AddViewers(user)", "", func(ctx context.Context, c *vtgraph.Client, who string) error {
			_, err := c.AddViewers(ctx, relGraphID, vtgraph.User(who))
			return err
		}, "principal[0].id"},
		{"AddEditors(group)", "", func(ctx context.Context, c *vtgraph.Client, who string) error {
			_, err := c.AddEditors(ctx, relGraphID, vtgraph.User("alice"), vtgraph.Group(who))
			return err
		}, "principal[1].id"},
	}
	for _, pc := range principalCalls {
		for _, who := range badPrincipals {
			cases = append(cases, badCase{
				name:       pc.name + "/principal=" + who,
				call:       func(ctx context.Context, c *vtgraph.Client) error { return pc.call(ctx, c, who) },
				paramPaths: []string{pc.field},
			})
		}
		for _, who := range oddPrincipals {
			bc := badCase{
				name: pc.name + "/principal=" + who,
				call: func(ctx context.Context, c *vtgraph.Client) error { return pc.call(ctx, c, who) },
			}
			if pc.pattern != "" {
				bc.pattern = pc.pattern
				bc.values = map[string]string{"id": relGraphID, "principal": who}
				bc.check = func(t *testing.T, got badReceived) {
					// The escaped path, split at its slashes and each part
					// unescaped, gives the intended segments back.
					segments := strings.Split(strings.TrimPrefix(got.RawPath, "/"), "/")
					require.Len(t, segments, 7, "path %q", got.RawPath)
					last, err := url.PathUnescape(segments[6])
					require.NoError(t, err)
					assert.Equal(t, who, last, "the last segment of %q", got.RawPath)
				}
			} else {
				role := "viewers"
				if strings.HasPrefix(pc.name, "AddEditors") {
					role = "editors"
				}
				bc.pattern = "POST /graphs/{id}/relationships/" + role
				bc.values = map[string]string{"id": relGraphID}
				bc.check = func(t *testing.T, got badReceived) {
					var body struct {
						Data []struct{ Type, ID string }
					}
					require.NoError(t, json.Unmarshal(got.Body, &body))
					require.NotEmpty(t, body.Data)
					assert.Equal(t, who, body.Data[len(body.Data)-1].ID, "the principal in the body")
				}
			}
			cases = append(cases, bc)
		}
	}
	cases = append(cases, badCase{
		name: "AddViewers/nobody",
		call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.AddViewers(ctx, relGraphID)
			return err
		},
		paramPaths: []string{"principal"},
	}, badCase{
		name: "AddViewers/unknown principal type",
		call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.AddViewers(ctx, relGraphID, vtgraph.PrincipalRef{Type: "robot", ID: "r2"})
			return err
		},
		paramPaths: []string{"principal[0].type"},
	})

	for _, rel := range badRelations {
		for _, descriptors := range []bool{false, true} {
			name := "ListRelated/rel="
			if descriptors {
				name = "ListRelatedDescriptors/rel="
			}
			cases = append(cases, badCase{
				name: name + string(rel),
				call: func(ctx context.Context, c *vtgraph.Client) error {
					var err error
					if descriptors {
						_, err = c.ListRelatedDescriptors(ctx, relGraphID, rel, nil)
					} else {
						_, err = c.ListRelated(ctx, relGraphID, rel, nil)
					}
					return err
				},
				paramPaths: []string{"relationship"},
			})
		}
	}
	cases = append(cases, badCase{
		name: "ListRelated/rel=a relationship VirusTotal adds later",
		call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.ListRelated(ctx, relGraphID, "future_relation", nil)
			return err
		},
		pattern: "GET /graphs/{id}/{relationship}",
		values:  map[string]string{"id": relGraphID, "relationship": "future_relation"},
	})

	listCalls := map[string]struct {
		pattern string
		values  map[string]string
		call    func(ctx context.Context, c *vtgraph.Client, o vtgraph.ListOptions) error
	}{
		"ListComments": {"GET /graphs/{id}/comments", map[string]string{"id": relGraphID}, func(ctx context.Context, c *vtgraph.Client, o vtgraph.ListOptions) error {
			_, err := c.ListComments(ctx, relGraphID, &o)
			return err
		}},
		"ListEditors": {"GET /graphs/{id}/relationships/editors", map[string]string{"id": relGraphID}, func(ctx context.Context, c *vtgraph.Client, o vtgraph.ListOptions) error {
			_, err := c.ListEditors(ctx, relGraphID, &o)
			return err
		}},
		"ListRelated": {"GET /graphs/{id}/{relationship}", map[string]string{"id": relGraphID, "relationship": "items"}, func(ctx context.Context, c *vtgraph.Client, o vtgraph.ListOptions) error {
			_, err := c.ListRelated(ctx, relGraphID, vtgraph.RelationItems, &o)
			return err
		}},
		"SearchGraphs": {"GET /graphs", map[string]string{}, func(ctx context.Context, c *vtgraph.Client, o vtgraph.ListOptions) error {
			_, err := c.SearchGraphs(ctx, &vtgraph.SearchOptions{ListOptions: o})
			return err
		}},
	}
	for name, lc := range listCalls {
		for _, limit := range []int{41, -1, math.MaxInt, math.MinInt} {
			cases = append(cases, badCase{
				name: name + "/limit=" + strconv.Itoa(limit),
				call: func(ctx context.Context, c *vtgraph.Client) error {
					return lc.call(ctx, c, vtgraph.ListOptions{Limit: limit})
				},
				paramPaths: []string{"limit"},
			})
		}
		cases = append(cases, badCase{
			name:    name + "/limit=0 means the server's default",
			call:    func(ctx context.Context, c *vtgraph.Client) error { return lc.call(ctx, c, vtgraph.ListOptions{}) },
			pattern: lc.pattern, values: lc.values, query: url.Values{},
		}, badCase{
			name: name + "/limit=40",
			call: func(ctx context.Context, c *vtgraph.Client) error {
				return lc.call(ctx, c, vtgraph.ListOptions{Limit: 40})
			},
			pattern: lc.pattern, values: lc.values, query: url.Values{"limit": {"40"}},
		}, badCase{
			name: name + "/cursor with a newline",
			call: func(ctx context.Context, c *vtgraph.Client) error {
				return lc.call(ctx, c, vtgraph.ListOptions{Cursor: "abc\nX-Injected: 1"})
			},
			paramPaths: []string{"cursor"},
		}, badCase{
			name: name + "/every problem at once",
			call: func(ctx context.Context, c *vtgraph.Client) error {
				return lc.call(ctx, c, vtgraph.ListOptions{Limit: 41, Cursor: "\x00"})
			},
			paramPaths: []string{"limit", "cursor"},
		})
	}
	cases = append(cases, badCase{
		name: "SearchGraphs/filter, order and attributes",
		call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.SearchGraphs(ctx, &vtgraph.SearchOptions{
				Filter:      vtgraph.FilterRaw("name:x\nowner:y"),
				Attributes:  []string{"private,graph_data", ""},
				ListOptions: vtgraph.ListOptions{Limit: -1},
			})
			return err
		},
		paramPaths: []string{"filter.raw", "attributes[0]", "attributes[1]", "limit"},
	})

	for _, text := range []string{"", " ", "\n\t \r\n"} {
		cases = append(cases, badCase{
			name: "AddComment/text=" + text,
			call: func(ctx context.Context, c *vtgraph.Client) error {
				_, err := c.AddComment(ctx, relGraphID, text)
				return err
			},
			paramPaths: []string{"text"},
		})
	}
	cases = append(cases, badCase{
		name: "AddComment/bad id and empty text at once",
		call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.AddComment(ctx, "g/..", "")
			return err
		},
		paramPaths: []string{"id", "text"},
	})

	cases = append(cases,
		badCase{name: "CreateGraph/nil", call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.CreateGraph(ctx, nil)
			return err
		}, paramPaths: []string{"graph"}},
		badCase{name: "SaveGraph/nil", call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.SaveGraph(ctx, nil)
			return err
		}, paramPaths: []string{"graph"}},
		badCase{name: "UpdateGraph/nil update", call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.UpdateGraph(ctx, relGraphID, nil)
			return err
		}, paramPaths: []string{"update"}},
		badCase{name: "UpdateGraph/empty update", call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.UpdateGraph(ctx, relGraphID, &vtgraph.GraphUpdate{})
			return err
		}, paramPaths: []string{"update"}},
		badCase{name: "UpdateGraph/nodes without links", call: func(ctx context.Context, c *vtgraph.Client) error {
			_, err := c.UpdateGraph(ctx, relGraphID, &vtgraph.GraphUpdate{Nodes: []vtgraph.Node{}})
			return err
		}, paramPaths: []string{"links"}},
	)

	nonFinite := []struct {
		field string
		set   func(n *vtgraph.Node)
	}{
		{"x", func(n *vtgraph.Node) { n.X = math.NaN() }},
		{"y", func(n *vtgraph.Node) { n.Y = math.Inf(1) }},
		{"fx", func(n *vtgraph.Node) { n.Pin(0, 0); *n.FX = math.Inf(-1) }},
		{"fy", func(n *vtgraph.Node) { n.Pin(0, 0); *n.FY = math.NaN() }},
	}
	for _, nf := range nonFinite {
		graph := func() *vtgraph.Graph {
			g := vtgraph.NewGraph("coordinates")
			g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
			nf.set(g.AddNode("8.8.8.8", vtgraph.NodeTypeIPAddress))
			return g
		}
		cases = append(cases,
			badCase{name: "CreateGraph/" + nf.field + " not finite", call: func(ctx context.Context, c *vtgraph.Client) error {
				_, err := c.CreateGraph(ctx, graph())
				return err
			}, validationPaths: []string{"nodes[1]." + nf.field}},
			badCase{name: "SaveGraph/" + nf.field + " not finite", call: func(ctx context.Context, c *vtgraph.Client) error {
				g := graph()
				g.ID = relGraphID
				_, err := c.SaveGraph(ctx, g)
				return err
			}, validationPaths: []string{"nodes[1]." + nf.field}},
			badCase{name: "UpdateGraph/" + nf.field + " not finite", call: func(ctx context.Context, c *vtgraph.Client) error {
				g := graph()
				_, err := c.UpdateGraph(ctx, relGraphID, &vtgraph.GraphUpdate{Nodes: g.Nodes, Links: []vtgraph.Link{}})
				return err
			}, validationPaths: []string{"nodes[1]." + nf.field}},
		)
	}
	return cases
}

// runBadCase calls bc against srv and checks the outcome.
func runBadCase(t *testing.T, c *vtgraph.Client, srv *badServer, bc badCase) error {
	t.Helper()
	var (
		err      error
		panicked any
	)
	func() {
		defer func() { panicked = recover() }()
		err = bc.call(t.Context(), c)
	}()
	require.Nil(t, panicked, "panic")
	got := srv.take()
	if bc.rejected() {
		require.Error(t, err)
		assert.Empty(t, got, "a rejected input reached the server")
		assert.NotContains(t, err.Error(), "\n", "the error is one line")
		var pe *vtgraph.ParamError
		var ve *vtgraph.ValidationError
		switch {
		case bc.paramPaths != nil:
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, bc.paramPaths, badProblemPaths(pe.Problems))
			assert.True(t, strings.HasPrefix(err.Error(), "vtgraph: invalid parameters: "+bc.paramPaths[0]+": "), "error %q", err)
		default:
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, bc.validationPaths, badProblemPaths(ve.Problems))
			assert.Contains(t, err.Error(), "not a finite number")
		}
		return err
	}
	require.NoError(t, err)
	require.Len(t, got, 1, "requests received")
	r := got[0]
	method, path, _ := strings.Cut(bc.pattern, " ")
	assert.Equal(t, method+" /api/v3"+path, r.Pattern, "route")
	assert.Equal(t, bc.values, r.Values, "path values as the server decoded them")
	if bc.query != nil {
		assert.Equal(t, bc.query, r.Query, "query")
	}
	if bc.check != nil {
		bc.check(t, r)
	}
	return nil
}

func badProblemPaths(problems []vtgraph.FieldError) []string {
	paths := make([]string, len(problems))
	for i, p := range problems {
		paths[i] = p.Path
	}
	return paths
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	srv := newBadServer(t)
	c, err := vtgraph.New(relKey, vtgraph.WithBaseURL(srv.URL), vtgraph.WithoutRetries())
	require.NoError(t, err)
	cases := badCases()
	rejected := 0
	for _, bc := range cases {
		t.Run(bc.name, func(t *testing.T) {
			runBadCase(t, c, srv, bc)
		})
		if bc.rejected() {
			rejected++
		}
	}
	t.Logf("bad inputs tried: %d (%d rejected before sending, %d sent unchanged on the intended route)",
		len(cases), rejected, len(cases)-rejected)
}

// badHugeGraph returns a valid graph of n nodes: domains, each linked by
// hand to the next.
func badHugeGraph(n int) *vtgraph.Graph {
	g := vtgraph.NewGraph("huge")
	g.Nodes = make([]vtgraph.Node, n)
	g.Links = make([]vtgraph.Link, 0, n-1)
	for i := range g.Nodes {
		g.Nodes[i] = vtgraph.Node{EntityID: "host" + strconv.Itoa(i) + ".example", Type: vtgraph.NodeTypeDomain, Index: i, X: float64(i % 1000), Y: float64(i / 1000)}
		if i > 0 {
			g.Links = append(g.Links, vtgraph.Link{Source: g.Nodes[i-1].EntityID, Target: g.Nodes[i].EntityID, ConnectionType: vtgraph.ConnectionManual})
		}
	}
	return g
}

// TestHugeGraph sends a graph of 100,000 nodes to a server that counts what
// it receives and keeps none of it, and checks that one bad coordinate in it
// is found before sending.
func TestHugeGraph(t *testing.T) {
	t.Parallel()
	const n = 100_000
	var (
		mu       sync.Mutex
		requests int
		received int64
		nodes    int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Count the nodes while discarding the body, without holding it.
		cr := &badNodeCounter{}
		n, _ := io.Copy(cr, r.Body)
		mu.Lock()
		requests++
		received, nodes = n, cr.count
		mu.Unlock()
		relJSON(http.StatusOK, `{"data":{"type":"graph","id":"`+relGraphID+`"}}`)(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := vtgraph.New(relKey, vtgraph.WithBaseURL(srv.URL+"/api/v3"), vtgraph.WithoutRetries())
	require.NoError(t, err)

	g := badHugeGraph(n)
	g.Nodes[n-1].Y = math.NaN()
	_, err = c.CreateGraph(t.Context(), g)
	var ve *vtgraph.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"nodes[99999].y"}, badProblemPaths(ve.Problems))
	mu.Lock()
	assert.Zero(t, requests, "an invalid graph was sent")
	mu.Unlock()

	g.Nodes[n-1].Y = 0
	id, err := c.CreateGraph(t.Context(), g)
	require.NoError(t, err)
	assert.Equal(t, relGraphID, id)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1, requests)
	assert.Equal(t, n, nodes, "nodes received")
	t.Logf("a %d-node graph: %.1f MB sent in one request", n, float64(received)/1e6)
}

// badNodeCounter counts "entity_id" keys in a stream, across writes.
type badNodeCounter struct {
	count int
	tail  []byte
}

func (c *badNodeCounter) Write(p []byte) (int, error) {
	const key = `"entity_id":`
	buf := append(c.tail, p...)
	c.count += bytes.Count(buf, []byte(key))
	// Keep a partial key at the end for the next write; a whole one was
	// counted and cannot recur in fewer than len(key) bytes.
	keep := min(len(key)-1, len(buf))
	c.tail = append(c.tail[:0], buf[len(buf)-keep:]...)
	return len(p), nil
}

// TestBadInputLogsNothing checks that a rejected call, which sends nothing,
// logs nothing either.
func TestBadInputLogsNothing(t *testing.T) {
	t.Parallel()
	srv := newBadServer(t)
	var records int
	var mu sync.Mutex
	logger := slog.New(secHandlerFunc(func(slog.Record) {
		mu.Lock()
		records++
		mu.Unlock()
	}))
	c, err := vtgraph.New(relKey, vtgraph.WithBaseURL(srv.URL), vtgraph.WithoutRetries(), vtgraph.WithLogger(logger))
	require.NoError(t, err)
	_, err = c.GetGraph(t.Context(), "../../users/alice", nil)
	var pe *vtgraph.ParamError
	require.True(t, errors.As(err, &pe))
	mu.Lock()
	defer mu.Unlock()
	assert.Zero(t, records)
	assert.Empty(t, srv.take())
}
