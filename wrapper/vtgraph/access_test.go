package vtgraph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const principalsJSON = `{"data":[` +
	`{"type":"user","id":"gilfoyle","attributes":{"first_name":"Bertram","status":"active"}},` +
	`{"type":"group","id":"piedpiper","attributes":{}}],"meta":{"cursor":"more"}}`

func checkPrincipals(t *testing.T, ps []*Principal) {
	t.Helper()
	require.Len(t, ps, 2)
	assert.Equal(t, User("gilfoyle"), ps[0].Ref())
	assert.Equal(t, "Bertram", ps[0].FirstName)
	assert.Equal(t, Group("piedpiper"), ps[1].Ref())
}

// accessCases returns the access calls of one role, the route segment
// being "viewers" or "editors": listing, and granting, revoking and checking
// both a user and a group.
func accessCases(role string) []opCase {
	list := map[string]func(*Client, context.Context, string, *ListOptions) (*Page[*Principal], error){
		"viewers": (*Client).ListViewers, "editors": (*Client).ListEditors,
	}[role]
	add := map[string]func(*Client, context.Context, string, ...PrincipalRef) ([]*Principal, error){
		"viewers": (*Client).AddViewers, "editors": (*Client).AddEditors,
	}[role]
	remove := map[string]func(*Client, context.Context, string, PrincipalRef) error{
		"viewers": (*Client).RemoveViewer, "editors": (*Client).RemoveEditor,
	}[role]
	check := map[string]func(*Client, context.Context, string, PrincipalRef) (bool, error){
		"viewers": (*Client).IsViewer, "editors": (*Client).IsEditor,
	}[role]
	base := "/graphs/" + testGraphID + "/relationships/" + role
	cases := []opCase{{
		name:    "List " + role,
		pattern: "GET /graphs/{id}/relationships/" + role,
		resp:    principalsJSON,
		call: func(ctx context.Context, c *Client) (any, error) {
			return list(c, ctx, testGraphID, &ListOptions{Limit: 2, Cursor: "start"})
		},
		method: http.MethodGet,
		path:   apiPath(base),
		query:  url.Values{"limit": {"2"}, "cursor": {"start"}},
		check: func(t *testing.T, result any) {
			page := result.(*Page[*Principal])
			checkPrincipals(t, page.Items)
			assert.Equal(t, "more", page.NextCursor)
		},
	}}
	for _, who := range []PrincipalRef{User("gilfoyle"), Group("piedpiper")} {
		cases = append(cases, opCase{
			name:    "Add " + role + " " + who.String(),
			pattern: "POST /graphs/{id}/relationships/" + role,
			resp:    principalsJSON,
			call: func(ctx context.Context, c *Client) (any, error) {
				return add(c, ctx, testGraphID, who)
			},
			method: http.MethodPost,
			path:   apiPath(base),
			body:   `{"data":[{"type":"` + string(who.Type) + `","id":"` + who.ID + `"}]}`,
			check: func(t *testing.T, result any) {
				checkPrincipals(t, result.([]*Principal))
			},
		}, opCase{
			name:    "Remove " + role + " " + who.String(),
			pattern: "DELETE /graphs/{id}/relationships/" + role + "/{principal}",
			resp:    `{"data":null}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, remove(c, ctx, testGraphID, who)
			},
			method: http.MethodDelete,
			path:   apiPath(base + "/" + who.ID),
		}, opCase{
			name:    "Check " + role + " " + who.String(),
			pattern: "GET /graphs/{id}/relationships/" + role + "/{principal}",
			resp:    `{"data":true}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return check(c, ctx, testGraphID, who)
			},
			method: http.MethodGet,
			path:   apiPath(base + "/" + who.ID),
			check: func(t *testing.T, result any) {
				assert.Equal(t, true, result)
			},
		})
	}
	return cases
}

func allAccessCases() []opCase {
	return append(accessCases("viewers"), accessCases("editors")...)
}

func TestAccessOperations(t *testing.T) {
	t.Parallel()
	runHappyPaths(t, allAccessCases())
}

func TestAccessOperationsNotFound(t *testing.T) {
	t.Parallel()
	runErrorPaths(t, allAccessCases())
}

func TestAccessOperationsCancelled(t *testing.T) {
	t.Parallel()
	runCancellation(t, allAccessCases())
}

func TestAccessOperationsUndecodableBody(t *testing.T) {
	t.Parallel()
	var decoding []opCase
	for _, tc := range allAccessCases() {
		if tc.method != http.MethodDelete { // its body is not read
			decoding = append(decoding, tc)
		}
	}
	runDecodeErrors(t, decoding)
}

func TestAccessCheckAnswers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body string
		want bool
		ok   bool
	}{
		{`{"data":true}`, true, true},
		{`{"data":false}`, false, true},
		{`{"data":null}`, false, false},
		{`{"data":"yes"}`, false, false},
		{`{}`, false, false},
	} {
		t.Run(tt.body, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			handle(mux, "GET /graphs/{id}/relationships/editors/{principal}", http.StatusOK, tt.body)
			got, err := c.IsEditor(t.Context(), testGraphID, User("alice"))
			if !tt.ok {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestPrincipalIDsReachTheServerUnchanged shows that ids with characters
// that need escaping arrive as the same id, on the intended route.
func TestPrincipalIDsReachTheServerUnchanged(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"ü", "jürgen", "ops+sec@example.com", "a:b;c,d=e&f", "名前", "x.y", "..."} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			check := handle(mux, "GET /graphs/{id}/relationships/viewers/{principal}", http.StatusOK, `{"data":true}`)
			remove := handle(mux, "DELETE /graphs/{id}/relationships/editors/{principal}", http.StatusOK, `{"data":null}`)
			other := catchAll(mux)

			_, err := c.IsViewer(t.Context(), testGraphID, User(id))
			require.NoError(t, err)
			require.NoError(t, c.RemoveEditor(t.Context(), testGraphID, Group(id)))

			for _, got := range []received{check.only(t), remove.only(t)} {
				assert.Equal(t, id, got.Values["principal"])
				assert.Equal(t, testGraphID, got.Values["id"])
				path, err := url.PathUnescape(got.Path)
				require.NoError(t, err)
				assert.Regexp(t, `^/api/v3/graphs/`+testGraphID+`/relationships/(viewers|editors)/`, path)
				assert.True(t, len(path) > len(id) && path[len(path)-len(id):] == id, "path %q ends in %q", path, id)
			}
			assertSentNothing(t, other)
		})
	}
}

func TestAccessRejectsBadInput(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := catchAll(mux)

	revoke := []func(*Client, context.Context, string, PrincipalRef) error{(*Client).RemoveViewer, (*Client).RemoveEditor}
	checks := []func(*Client, context.Context, string, PrincipalRef) (bool, error){(*Client).IsViewer, (*Client).IsEditor}
	for _, id := range []string{"", ".", "..", "a b", "a/b", "a?b", "a#b", "a%2Fb", "a\\b", "tab\there", "nl\n", "\u0085", "\xff"} {
		for _, who := range []PrincipalRef{User(id), Group(id)} {
			for _, remove := range revoke {
				assert.Equal(t, []string{"principal.id"}, paramPaths(t, remove(c, t.Context(), testGraphID, who)), "%s", who)
			}
			for _, check := range checks {
				_, err := check(c, t.Context(), testGraphID, who)
				assert.Equal(t, []string{"principal.id"}, paramPaths(t, err), "%s", who)
			}
		}
	}
	// A principal written as one string, or of an unknown type, is not sent
	// with its prefix as the id.
	for _, who := range []PrincipalRef{{ID: "alice"}, {Type: "robot", ID: "r2"}, {Type: "User", ID: "alice"}, {ID: "group:threat-intel"}} {
		for _, remove := range revoke {
			assert.Contains(t, paramPaths(t, remove(c, t.Context(), testGraphID, who)), "principal.type", "%#v", who)
		}
		for _, check := range checks {
			_, err := check(c, t.Context(), testGraphID, who)
			assert.Contains(t, paramPaths(t, err), "principal.type", "%#v", who)
		}
	}
	_, err := c.IsViewer(t.Context(), "bad", User(""))
	assert.Equal(t, []string{"id", "principal.id"}, paramPaths(t, err), "every problem at once")

	_, err = c.AddViewers(t.Context(), testGraphID)
	assert.Equal(t, []string{"principal"}, paramPaths(t, err))
	_, err = c.AddEditors(t.Context(), "bad", User("ok"), PrincipalRef{Type: "robot", ID: "r2"}, Group(""), User("a/b"))
	assert.Equal(t, []string{"id", "principal[1].type", "principal[2].id", "principal[3].id"}, paramPaths(t, err))

	_, err = c.ListEditors(t.Context(), testGraphID, &ListOptions{Limit: 41, Cursor: "x\n"})
	assert.Equal(t, []string{"limit", "cursor"}, paramPaths(t, err))
	for _, err := range c.ListViewersIter(t.Context(), testGraphID, &ListOptions{Limit: 100}, nil) {
		assert.Equal(t, []string{"limit"}, paramPaths(t, err))
	}
	assertSentNothing(t, s)
}

func TestListViewersIterWalksAllPages(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := handleFunc(mux, "GET /graphs/{id}/relationships/viewers", func(w http.ResponseWriter, r *http.Request) {
		page := 0
		if cur := r.URL.Query().Get("cursor"); cur != "" {
			page, _ = strconv.Atoi(cur)
		}
		next := ""
		if page < 2 {
			next = `,"meta":{"cursor":"` + strconv.Itoa(page+1) + `"}`
		}
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"data":[{"type":"user","id":"u%d"},{"type":"group","id":"g%d"}]%s}`, page, page, next))
	})
	var got []string
	var progress ListPosition
	for p, err := range c.ListViewersIter(t.Context(), testGraphID, &ListOptions{Limit: 2}, &IterOptions{Progress: &progress}) {
		require.NoError(t, err)
		got = append(got, p.Ref().String())
	}
	assert.Equal(t, []string{"user:u0", "group:g0", "user:u1", "group:g1", "user:u2", "group:g2"}, got)
	assert.True(t, progress.Done)
	reqs := s.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		q := url.Values{"limit": {"2"}}
		if i > 0 {
			q.Set("cursor", strconv.Itoa(i))
		}
		assertRequest(t, r, http.MethodGet, apiPath("/graphs/"+testGraphID+"/relationships/viewers"), q, "")
	}
}

func TestListEditorsIterStopsOnError(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := handleFunc(mux, "GET /graphs/{id}/relationships/editors", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			writeJSON(w, http.StatusOK, `{"data":[{"type":"user","id":"alice"}],"meta":{"cursor":"2"}}`)
			return
		}
		writeJSON(w, http.StatusForbidden, `{"error":{"code":"ForbiddenError","message":"no"}}`)
	})
	var items, errs int
	for _, err := range c.ListEditorsIter(t.Context(), testGraphID, nil, nil) {
		if err != nil {
			errs++
			assert.ErrorIs(t, err, ErrForbidden)
			continue
		}
		items++
	}
	assert.Equal(t, 1, items)
	assert.Equal(t, 1, errs, "the error is yielded once")
	assert.Len(t, s.requests(), 2)
}
