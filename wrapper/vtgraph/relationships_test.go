package vtgraph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ownerJSON = `{"type":"user","id":"hendricks","attributes":{"first_name":"Richard","last_name":"Hendricks",` +
	`"profile_phrase":"CEO of Pied Piper","reputation":1,"status":"active","user_since":1528111032,"karma":3},` +
	`"links":{"self":"https://www.virustotal.com/api/v3/users/hendricks"}}`

const groupJSON = `{"type":"group","id":"piedpiper","attributes":{"members":12}}`

func checkOwner(t *testing.T, p *Principal) {
	t.Helper()
	require.NotNil(t, p)
	assert.Equal(t, PrincipalUser, p.Type)
	assert.Equal(t, "hendricks", p.ID)
	assert.Equal(t, "Richard", p.FirstName)
	assert.Equal(t, "Hendricks", p.LastName)
	assert.Equal(t, "CEO of Pied Piper", p.ProfilePhrase)
	assert.Equal(t, "active", p.Status)
	assert.Equal(t, int64(1), p.Reputation)
	assert.Equal(t, time.Unix(1528111032, 0).UTC(), p.UserSince)
	assert.JSONEq(t, `3`, string(p.Attributes["karma"]), "unmodelled attributes are kept")
	assert.Equal(t, User("hendricks"), p.Ref())
}

var relationshipCases = []opCase{
	{
		name:    "GetOwner",
		pattern: "GET /graphs/{id}/owner",
		resp:    `{"data":` + ownerJSON + `,"links":{"self":"x"}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetOwner(ctx, testGraphID)
		},
		method: http.MethodGet,
		path:   apiPath("/graphs/" + testGraphID + "/owner"),
		check: func(t *testing.T, result any) {
			checkOwner(t, result.(*Principal))
		},
	},
	{
		name:    "GetGroup",
		pattern: "GET /graphs/{id}/group",
		resp:    `{"data":` + groupJSON + `}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.GetGroup(ctx, testGraphID)
		},
		method: http.MethodGet,
		path:   apiPath("/graphs/" + testGraphID + "/group"),
		check: func(t *testing.T, result any) {
			p := result.(*Principal)
			assert.Equal(t, Group("piedpiper"), p.Ref())
			assert.JSONEq(t, `12`, string(p.Attributes["members"]))
		},
	},
	{
		name:    "ListRelated",
		pattern: "GET /graphs/{id}/items",
		resp: `{"data":[{"type":"domain","id":"hooli.com","attributes":{"country":"US"},` +
			`"context_attributes":{"note":"root"},"links":{"self":"https://www.virustotal.com/api/v3/domains/hooli.com"}},` +
			`{"type":"ip_address","id":"8.8.8.8"}],"meta":{"cursor":"n2","count":9}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListRelated(ctx, testGraphID, RelationItems, &ListOptions{Limit: 2, Cursor: "n1"})
		},
		method: http.MethodGet,
		path:   apiPath("/graphs/" + testGraphID + "/items"),
		query:  url.Values{"limit": {"2"}, "cursor": {"n1"}},
		check: func(t *testing.T, result any) {
			page := result.(*Page[*Object])
			require.Len(t, page.Items, 2)
			assert.Equal(t, &Object{
				Type:              "domain",
				ID:                "hooli.com",
				Attributes:        map[string]json.RawMessage{"country": json.RawMessage(`"US"`)},
				ContextAttributes: map[string]json.RawMessage{"note": json.RawMessage(`"root"`)},
				SelfLink:          "https://www.virustotal.com/api/v3/domains/hooli.com",
			}, page.Items[0])
			assert.Equal(t, &Object{Type: "ip_address", ID: "8.8.8.8"}, page.Items[1])
			assert.Equal(t, "n2", page.NextCursor)
		},
	},
	{
		name:    "ListRelatedDescriptors",
		pattern: "GET /graphs/{id}/relationships/{relationship}",
		resp:    `{"data":[{"type":"comment","id":"c1"},{"type":"comment","id":"c2","context_attributes":{"k":1}}]}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListRelatedDescriptors(ctx, testGraphID, RelationComments, &ListOptions{Limit: 10})
		},
		method: http.MethodGet,
		path:   apiPath("/graphs/" + testGraphID + "/relationships/comments"),
		query:  url.Values{"limit": {"10"}},
		check: func(t *testing.T, result any) {
			page := result.(*Page[Descriptor])
			assert.Equal(t, []Descriptor{
				{Type: "comment", ID: "c1"},
				{Type: "comment", ID: "c2", ContextAttributes: map[string]json.RawMessage{"k": json.RawMessage(`1`)}},
			}, page.Items)
			assert.False(t, page.HasMore())
		},
	},
}

func TestRelationshipOperations(t *testing.T) {
	t.Parallel()
	runHappyPaths(t, relationshipCases)
}

func TestRelationshipOperationsNotFound(t *testing.T) {
	t.Parallel()
	runErrorPaths(t, relationshipCases)
}

func TestRelationshipOperationsCancelled(t *testing.T) {
	t.Parallel()
	runCancellation(t, relationshipCases)
}

func TestRelationshipOperationsUndecodableBody(t *testing.T) {
	t.Parallel()
	runDecodeErrors(t, relationshipCases)
}

// TestSingleObjectRelationships covers owner and group, which the API
// answers with one object or null instead of a list.
func TestSingleObjectRelationships(t *testing.T) {
	t.Parallel()
	t.Run("graph without a group", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		handle(mux, "GET /graphs/{id}/group", http.StatusOK, `{"data":null,"links":{"self":"x"}}`)
		handle(mux, "GET /graphs/{id}/relationships/group", http.StatusOK, `{"data":null}`)
		g, err := c.GetGroup(t.Context(), testGraphID)
		require.NoError(t, err)
		assert.Nil(t, g)
		page, err := c.ListRelated(t.Context(), testGraphID, RelationGroup, nil)
		require.NoError(t, err)
		assert.Empty(t, page.Items)
		assert.False(t, page.HasMore())
		descs, err := c.ListRelatedDescriptors(t.Context(), testGraphID, RelationGroup, nil)
		require.NoError(t, err)
		assert.Empty(t, descs.Items)
	})
	t.Run("owner as a page of one", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		handle(mux, "GET /graphs/{id}/owner", http.StatusOK, `{"data":`+ownerJSON+`}`)
		handle(mux, "GET /graphs/{id}/relationships/owner", http.StatusOK, `{"data":{"type":"user","id":"hendricks"}}`)
		page, err := c.ListRelated(t.Context(), testGraphID, RelationOwner, nil)
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		assert.Equal(t, "hendricks", page.Items[0].ID)
		assert.Equal(t, "https://www.virustotal.com/api/v3/users/hendricks", page.Items[0].SelfLink)
		descs, err := c.ListRelatedDescriptors(t.Context(), testGraphID, RelationOwner, nil)
		require.NoError(t, err)
		assert.Equal(t, []Descriptor{{Type: "user", ID: "hendricks"}}, descs.Items)
	})
	t.Run("an owner that is null is an error", func(t *testing.T) {
		t.Parallel()
		c, mux := setup(t)
		handle(mux, "GET /graphs/{id}/owner", http.StatusOK, `{"data":null}`)
		_, err := c.GetOwner(t.Context(), testGraphID)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
	})
}

func TestListRelatedBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		body  string
		items int
		ok    bool
	}{
		{"empty list", `{"data":[]}`, 0, true},
		{"no data member", `{"meta":{}}`, 0, false},
		{"data is a string", `{"data":"x"}`, 0, false},
		{"bad item", `{"data":[{"type":"file","id":1}]}`, 0, false},
		{"bad meta cursor", `{"data":[],"meta":{"cursor":5}}`, 0, false},
		{"not an object", `[]`, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			handle(mux, "GET /graphs/{id}/items", http.StatusOK, tt.body)
			page, err := c.ListRelated(t.Context(), testGraphID, RelationItems, nil)
			if tt.ok {
				require.NoError(t, err)
				assert.Len(t, page.Items, tt.items)
				return
			}
			var de *DecodeError
			require.ErrorAs(t, err, &de, "got %v", err)
			assert.Equal(t, http.StatusOK, de.StatusCode)
		})
	}
}

func TestListRelatedNames(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := handle(mux, "GET /graphs/{id}/{relationship}", http.StatusOK, `{"data":[]}`)
	// A relationship VirusTotal may add later is sent as named.
	_, err := c.ListRelated(t.Context(), testGraphID, "future_things", nil)
	require.NoError(t, err)
	assert.Equal(t, "future_things", s.only(t).Values["relationship"])

	for _, rel := range []Relation{"", "Items", "items/x", "../owner", "items?x=1", "it ems", "ítems"} {
		_, err := c.ListRelated(t.Context(), testGraphID, rel, nil)
		assert.Equal(t, []string{"relationship"}, paramPaths(t, err), "relationship %q", rel)
		_, err = c.ListRelatedDescriptors(t.Context(), testGraphID, rel, nil)
		assert.Equal(t, []string{"relationship"}, paramPaths(t, err), "relationship %q", rel)
	}
	_, err = c.ListRelated(t.Context(), "x", "", &ListOptions{Limit: 100})
	assert.Equal(t, []string{"id", "relationship", "limit"}, paramPaths(t, err), "every problem at once")
	_, err = c.GetOwner(t.Context(), "x")
	assert.Equal(t, []string{"id"}, paramPaths(t, err))
	_, err = c.GetGroup(t.Context(), "x")
	assert.Equal(t, []string{"id"}, paramPaths(t, err))
	assert.Len(t, s.requests(), 1, "only the valid call was sent")
}

func TestListRelatedIters(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	pages := map[string]string{
		"":   `{"data":[{"type":"file","id":"f1"},{"type":"file","id":"f2"}],"meta":{"cursor":"b"}}`,
		"b":  `{"data":[{"type":"file","id":"f3"}],"meta":{"cursor":"c"}}`,
		"c":  `{"data":[{"type":"url","id":"u1"}]}`,
		"zz": `{"data":[]}`,
	}
	serve := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, pages[r.URL.Query().Get("cursor")])
	}
	objs := handleFunc(mux, "GET /graphs/{id}/items", serve)
	descs := handleFunc(mux, "GET /graphs/{id}/relationships/items", serve)

	var ids []string
	for o, err := range c.ListRelatedIter(t.Context(), testGraphID, RelationItems, nil, nil) {
		require.NoError(t, err)
		ids = append(ids, o.Type+":"+o.ID)
	}
	assert.Equal(t, []string{"file:f1", "file:f2", "file:f3", "url:u1"}, ids)
	assert.Len(t, objs.requests(), 3)

	ids = nil
	for d, err := range c.ListRelatedDescriptorsIter(t.Context(), testGraphID, RelationItems, nil, &IterOptions{MaxItems: 3}) {
		require.NoError(t, err)
		ids = append(ids, d.ID)
	}
	assert.Equal(t, []string{"f1", "f2", "f3"}, ids)
	assert.Len(t, descs.requests(), 2, "the cap stops before the third page")
}
