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

const commentJSON = `{"type":"comment","id":"g1-c1","attributes":{` +
	`"date":1709251200,"html":"Seen in \u003cb\u003e#wannacry\u003c/b\u003e","tags":["wannacry"],` +
	`"text":"Seen in #wannacry","votes":{"abuse":0,"negative":1,"positive":2},"language":"en"},` +
	`"links":{"self":"https://www.virustotal.com/api/v3/comments/g1-c1"}}`

func checkComment(t *testing.T, cm *Comment) {
	t.Helper()
	assert.Equal(t, "g1-c1", cm.ID)
	assert.Equal(t, "Seen in #wannacry", cm.Text)
	assert.Equal(t, "Seen in <b>#wannacry</b>", cm.HTML)
	assert.Equal(t, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), cm.Date)
	assert.Equal(t, []string{"wannacry"}, cm.Tags)
	assert.Equal(t, CommentVotes{Positive: 2, Negative: 1}, cm.Votes)
	assert.Equal(t, map[string]json.RawMessage{"language": json.RawMessage(`"en"`)}, cm.Extra)
}

var commentCases = []opCase{
	{
		name:    "ListComments",
		pattern: "GET /graphs/{id}/comments",
		resp:    `{"data":[` + commentJSON + `],"meta":{"cursor":"next"}}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.ListComments(ctx, testGraphID, &ListOptions{Limit: 40, Cursor: "abc="})
		},
		method: http.MethodGet,
		path:   apiPath("/graphs/" + testGraphID + "/comments"),
		query:  url.Values{"limit": {"40"}, "cursor": {"abc="}},
		check: func(t *testing.T, result any) {
			page := result.(*Page[*Comment])
			require.Len(t, page.Items, 1)
			checkComment(t, page.Items[0])
			assert.Equal(t, "next", page.NextCursor)
		},
	},
	{
		name:    "AddComment",
		pattern: "POST /graphs/{id}/comments",
		resp:    `{"data":` + commentJSON + `}`,
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.AddComment(ctx, testGraphID, `Seen in #wannacry & "friends"`)
		},
		method: http.MethodPost,
		path:   apiPath("/graphs/" + testGraphID + "/comments"),
		body:   `{"data":{"type":"comment","attributes":{"text":"Seen in #wannacry \u0026 \"friends\""}}}`,
		check: func(t *testing.T, result any) {
			checkComment(t, result.(*Comment))
		},
	},
}

func TestCommentOperations(t *testing.T) {
	t.Parallel()
	runHappyPaths(t, commentCases)
}

func TestCommentOperationsNotFound(t *testing.T) {
	t.Parallel()
	runErrorPaths(t, commentCases)
}

func TestCommentOperationsCancelled(t *testing.T) {
	t.Parallel()
	runCancellation(t, commentCases)
}

func TestCommentOperationsUndecodableBody(t *testing.T) {
	t.Parallel()
	runDecodeErrors(t, commentCases)
}

func TestListCommentsDefaults(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := handle(mux, "GET /graphs/{id}/comments", http.StatusOK, `{"data":[]}`)
	page, err := c.ListComments(t.Context(), testGraphID, nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assertRequest(t, s.only(t), http.MethodGet, apiPath("/graphs/"+testGraphID+"/comments"), nil, "")
}

func TestCommentsRejectBadInput(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := catchAll(mux)

	_, err := c.AddComment(t.Context(), testGraphID, " \n\t")
	assert.Equal(t, []string{"text"}, paramPaths(t, err))
	_, err = c.AddComment(t.Context(), "", "")
	assert.Equal(t, []string{"id", "text"}, paramPaths(t, err), "every problem at once")
	_, err = c.ListComments(t.Context(), "nope", &ListOptions{Limit: -1})
	assert.Equal(t, []string{"id", "limit"}, paramPaths(t, err))

	for _, err := range c.ListCommentsIter(t.Context(), "nope", nil, nil) {
		assert.Equal(t, []string{"id"}, paramPaths(t, err))
	}
	assertSentNothing(t, s)
}

func TestListCommentsIter(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	s := handleFunc(mux, "GET /graphs/{id}/comments", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			// The next page is announced by links.next only.
			writeJSON(w, http.StatusOK, `{"data":[{"type":"comment","id":"c1","attributes":{"text":"one"}}],`+
				`"links":{"next":"https://www.virustotal.com/api/v3/graphs/x/comments?cursor=k2&limit=1"}}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"data":[{"type":"comment","id":"c2","attributes":{"text":"two"}}]}`)
	})
	var texts []string
	for cm, err := range c.ListCommentsIter(t.Context(), testGraphID, &ListOptions{Limit: 1}, nil) {
		require.NoError(t, err)
		texts = append(texts, cm.Text)
	}
	assert.Equal(t, []string{"one", "two"}, texts)
	reqs := s.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, url.Values{"limit": {"1"}, "cursor": {"k2"}}, reqs[1].Query)
}

func TestDecodeCommentRejectsWrongTypes(t *testing.T) {
	t.Parallel()
	_, err := decodeComment([]byte(`{"id":"c","attributes":{"votes":{"positive":"many"}}}`))
	assert.ErrorContains(t, err, "attributes.votes")
}
