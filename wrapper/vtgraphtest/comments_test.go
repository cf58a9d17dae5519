package vtgraphtest_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

func comment(text string) vtapi.CommentCreateRequest {
	var body vtapi.CommentCreateRequest
	body.Data.Type = "comment"
	body.Data.Attributes.Text = text
	return body
}

func TestComments(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, named("commented", false))

	resp, err := f.bob.PostGraphsCommentsWithResponse(t.Context(), id, comment("Seen in the #WannaCry campaign, see #ransomware. <b>"))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
	c := resp.JSON200.Data
	assert.Equal(t, id+"-1", c.Id)
	assert.Regexp(t, regexp.MustCompile(`^g[0-9a-f]{64}-1$`), c.Id)
	assert.Equal(t, []string{"wannacry", "ransomware"}, *c.Attributes.Tags)
	assert.Equal(t, "Seen in the #WannaCry campaign, see #ransomware. &lt;b&gt;", *c.Attributes.Html)
	assert.Equal(t, epoch.Unix(), *c.Attributes.Date)
	assert.Equal(t, int64(0), *c.Attributes.Votes.Positive)

	for i := 2; i <= 25; i++ {
		resp, err := f.carol.PostGraphsCommentsWithResponse(t.Context(), id, comment(fmt.Sprintf("comment %d", i)))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
	}
	g, ok := f.srv.Graph(id)
	require.True(t, ok)
	assert.Equal(t, int64(25), *g.Attributes.CommentsCount)

	var ids []string
	var cursor *string
	for {
		page, err := f.alice.GetGraphCommentsWithResponse(t.Context(), id, &vtapi.GetGraphCommentsParams{Limit: ptr(int32(10)), Cursor: cursor})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, page.StatusCode(), string(page.Body))
		for _, c := range page.JSON200.Data {
			ids = append(ids, c.Id)
		}
		if cursor = page.JSON200.Meta.Cursor; cursor == nil {
			assert.Nil(t, page.JSON200.Links.Next)
			break
		}
	}
	require.Len(t, ids, 25)
	assert.Equal(t, id+"-25", ids[0], "newest first")
	assert.Equal(t, id+"-1", ids[24])
}

func TestCommentErrors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, named("secret", true))
	tests := []struct {
		name   string
		c      *vtapi.ClientWithResponses
		body   vtapi.CommentCreateRequest
		status int
		code   string
	}{
		{"empty text", f.alice, comment("  "), http.StatusBadRequest, "InvalidArgumentError"},
		{"wrong type", f.alice, func() vtapi.CommentCreateRequest { b := comment("x"); b.Data.Type = "vote"; return b }(), http.StatusBadRequest, "InvalidArgumentError"},
		{"invisible graph", f.carol, comment("hello"), http.StatusNotFound, "NotFoundError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := tt.c.PostGraphsCommentsWithResponse(t.Context(), id, tt.body)
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode())
			assert.Equal(t, tt.code, errorCode(t, resp.Body))
		})
	}
	list, err := f.carol.GetGraphCommentsWithResponse(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, list.StatusCode())
}
