package vtgraphtest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// aclServer has one user per role: olive owns, ed edits, vic views, gail
// views through the group analysts, gene edits through the group leads,
// and oscar has no grant.
func aclServer(t *testing.T) (*vtgraphtest.Server, map[string]*vtapi.ClientWithResponses) {
	t.Helper()
	srv := vtgraphtest.NewServer(t, vtgraphtest.WithoutDefaultUsers(),
		vtgraphtest.WithUser("olive", "olive-key"),
		vtgraphtest.WithUser("ed", "ed-key"),
		vtgraphtest.WithUser("vic", "vic-key"),
		vtgraphtest.WithUser("gail", "gail-key", "analysts"),
		vtgraphtest.WithUser("gene", "gene-key", "leads"),
		vtgraphtest.WithUser("oscar", "oscar-key"),
		vtgraphtest.WithGroup("nobody"),
	)
	clients := map[string]*vtapi.ClientWithResponses{}
	for _, u := range []string{"olive", "ed", "vic", "gail", "gene", "oscar"} {
		clients[u] = client(t, srv, u+"-key")
	}
	return srv, clients
}

// shared creates a graph owned by olive and shared with every role.
func shared(t *testing.T, c map[string]*vtapi.ClientWithResponses, private bool) string {
	t.Helper()
	id := create(t, c["olive"], named("shared", private))
	grant(t, c["olive"], id, true, userRef("ed"), groupRef("leads"))
	grant(t, c["olive"], id, false, userRef("vic"), groupRef("analysts"))
	return id
}

func TestAccessPerRole(t *testing.T) {
	t.Parallel()
	_, c := aclServer(t)
	type outcome struct{ get, update, comment, share, delete int }
	const ok, forbidden, missing = http.StatusOK, http.StatusForbidden, http.StatusNotFound
	tests := []struct {
		user    string
		private bool
		want    outcome
	}{
		{"olive", true, outcome{ok, ok, ok, ok, ok}},
		{"ed", true, outcome{ok, ok, ok, ok, forbidden}},
		{"gene", true, outcome{ok, ok, ok, ok, forbidden}},
		{"vic", true, outcome{ok, forbidden, ok, forbidden, forbidden}},
		{"gail", true, outcome{ok, forbidden, ok, forbidden, forbidden}},
		{"oscar", true, outcome{missing, missing, missing, missing, missing}},
		{"oscar", false, outcome{ok, forbidden, ok, forbidden, forbidden}},
		{"vic", false, outcome{ok, forbidden, ok, forbidden, forbidden}},
	}
	for _, tt := range tests {
		name := tt.user + map[bool]string{true: "/private", false: "/public"}[tt.private]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			id := shared(t, c, tt.private)
			u := c[tt.user]
			ctx := t.Context()

			get, err := u.GraphsInfoWithResponse(ctx, id, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.want.get, get.StatusCode(), "get")

			upd, err := u.GraphsUpdateWithBodyWithResponse(ctx, id, "application/json",
				strings.NewReader(`{"data":{"type":"graph","attributes":{"graph_data":{"description":"edited"}}}}`))
			require.NoError(t, err)
			assert.Equal(t, tt.want.update, upd.StatusCode(), "update")

			body := vtapi.CommentCreateRequest{}
			body.Data.Type = "comment"
			body.Data.Attributes.Text = "seen"
			cm, err := u.PostGraphsCommentsWithResponse(ctx, id, body)
			require.NoError(t, err)
			assert.Equal(t, tt.want.comment, cm.StatusCode(), "comment")

			share, err := u.GraphsAddViewerWithResponse(ctx, id, vtapi.PrincipalListRequest{Data: []vtapi.PrincipalDescriptor{userRef("oscar")}})
			require.NoError(t, err)
			assert.Equal(t, tt.want.share, share.StatusCode(), "share")

			revoke, err := u.GraphsDeleteViewerWithResponse(ctx, id, "vic")
			require.NoError(t, err)
			assert.Equal(t, tt.want.share, revoke.StatusCode(), "revoke")

			del, err := u.GraphsDeleteWithResponse(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, tt.want.delete, del.StatusCode(), "delete")

			for status, b := range map[int][]byte{del.StatusCode(): del.Body, upd.StatusCode(): upd.Body} {
				switch status {
				case forbidden:
					assert.Equal(t, "ForbiddenError", errorCode(t, b))
				case missing:
					assert.Equal(t, "NotFoundError", errorCode(t, b))
				}
			}
		})
	}
}

func TestPrivateGraphIsInvisible(t *testing.T) {
	t.Parallel()
	_, c := aclServer(t)
	id := create(t, c["olive"], named("secret", true))

	search, err := c["oscar"].GraphsWithResponse(t.Context(), &vtapi.GraphsParams{Filter: ptr("id:" + id)})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, search.StatusCode())
	assert.Empty(t, search.JSON200.Data)

	for _, rel := range []string{"owner", "comments", "items"} {
		resp, err := c["oscar"].GraphsRelationshipsWithResponse(t.Context(), id, rel, nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode(), rel)
	}
	list, err := c["oscar"].GraphsViewersWithResponse(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, list.StatusCode())

	// A missing graph and an invisible one answer alike.
	missing, err := c["oscar"].GraphsInfoWithResponse(t.Context(), "g"+strings.Repeat("0", 64), nil)
	require.NoError(t, err)
	hidden, err := c["oscar"].GraphsInfoWithResponse(t.Context(), id, nil)
	require.NoError(t, err)
	assert.Equal(t, missing.StatusCode(), hidden.StatusCode())
	assert.Equal(t, errorCode(t, missing.Body), errorCode(t, hidden.Body))
}

func TestAccessChecks(t *testing.T) {
	t.Parallel()
	_, c := aclServer(t)
	id := shared(t, c, true)
	tests := []struct {
		who            string
		viewer, editor bool
	}{
		{"olive", true, true},
		{"ed", true, true},
		{"gene", true, true},
		{"leads", true, true},
		{"vic", true, false},
		{"gail", true, false},
		{"analysts", true, false},
		{"oscar", false, false},
		{"nobody", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			t.Parallel()
			v, err := c["vic"].GraphsCheckViewerWithResponse(t.Context(), id, tt.who)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, v.StatusCode(), string(v.Body))
			assert.Equal(t, tt.viewer, v.JSON200.Data, "viewer")
			e, err := c["vic"].GraphsCheckEditorWithResponse(t.Context(), id, tt.who)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, e.StatusCode(), string(e.Body))
			assert.Equal(t, tt.editor, e.JSON200.Data, "editor")
		})
	}
	t.Run("unknown", func(t *testing.T) {
		t.Parallel()
		v, err := c["vic"].GraphsCheckViewerWithResponse(t.Context(), id, "ghost")
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, v.StatusCode())
		assert.Equal(t, "NotFoundError", errorCode(t, v.Body))
	})
}

func TestGrantLists(t *testing.T) {
	t.Parallel()
	_, c := aclServer(t)
	id := create(t, c["olive"], named("acl", true))
	ctx := t.Context()

	// One unknown principal refuses the whole request.
	resp, err := c["olive"].GraphsAddViewerWithResponse(ctx, id, vtapi.PrincipalListRequest{Data: []vtapi.PrincipalDescriptor{userRef("vic"), userRef("ghost")}})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode())
	assert.Equal(t, "NotFoundError", errorCode(t, resp.Body))
	resp, err = c["olive"].GraphsAddViewerWithResponse(ctx, id, vtapi.PrincipalListRequest{Data: []vtapi.PrincipalDescriptor{groupRef("vic")}})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode(), "a user is not a group")
	resp, err = c["olive"].GraphsAddViewerWithResponse(ctx, id, vtapi.PrincipalListRequest{})
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode(), "an empty list")
	resp, err = c["olive"].GraphsAddViewerWithResponse(ctx, id, vtapi.PrincipalListRequest{Data: []vtapi.PrincipalDescriptor{{Type: "robot", Id: "vic"}}})
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode(), "an unknown type")

	// Granting is idempotent, and answers with the principals granted.
	for range 2 {
		resp, err = c["olive"].GraphsAddViewerWithResponse(ctx, id, vtapi.PrincipalListRequest{Data: []vtapi.PrincipalDescriptor{userRef("vic"), groupRef("analysts")}})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode(), string(resp.Body))
		assert.Len(t, resp.JSON200.Data, 2)
	}
	list, err := c["vic"].GraphsViewersWithResponse(ctx, id, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, list.StatusCode())
	var got []string
	for _, p := range list.JSON200.Data {
		got = append(got, string(p.Type)+":"+p.Id)
	}
	assert.Equal(t, []string{"user:vic", "group:analysts"}, got)
	assert.Equal(t, "Vic", *list.JSON200.Data[0].Attributes.FirstName)

	// Revoking the group hides the graph from its members again.
	g, err := c["gail"].GraphsInfoWithResponse(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, g.StatusCode())
	rv, err := c["olive"].GraphsDeleteViewerWithResponse(ctx, id, "analysts")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, rv.StatusCode())
	g, err = c["gail"].GraphsInfoWithResponse(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, g.StatusCode())

	rv, err = c["olive"].GraphsDeleteViewerWithResponse(ctx, id, "analysts")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, rv.StatusCode(), "revoking twice is fine")
	re, err := c["olive"].GraphsDeleteEditorWithResponse(ctx, id, "ghost")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, re.StatusCode())

	// Editors may share, including making more editors.
	grant(t, c["olive"], id, true, userRef("ed"))
	grant(t, c["ed"], id, true, userRef("gene"))
	eds, err := c["olive"].GraphsEditorsWithResponse(ctx, id, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, eds.StatusCode())
	var ids []string
	for _, p := range eds.JSON200.Data {
		ids = append(ids, p.Id)
	}
	assert.True(t, slices.Equal([]string{"ed", "gene"}, ids), ids)
}
