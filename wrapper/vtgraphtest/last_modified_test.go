package vtgraphtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// TestLastModifiedDateMovesOnEveryWrite shows the date clients tell a
// concurrent save by: every write of the graph moves it, even two in one
// second or under a clock that stands still, and nothing else does.
func TestLastModifiedDateMovesOnEveryWrite(t *testing.T) {
	t.Parallel()
	f := setup(t) // the clock stands still at epoch until advanced
	id := create(t, f.alice, named("dates", true))
	grant(t, f.alice, id, true, userRef("bob"))
	modified := func() int64 {
		t.Helper()
		g, ok := f.srv.Graph(id)
		require.True(t, ok)
		return *g.Attributes.LastModifiedDate
	}
	patch := func(c *vtapi.ClientWithResponses, attributes string) (int, []byte) {
		t.Helper()
		resp, err := c.GraphsUpdateWithBodyWithResponse(t.Context(), id, "application/json",
			strings.NewReader(`{"data":{"type":"graph","attributes":`+attributes+`}}`))
		require.NoError(t, err)
		return resp.StatusCode(), resp.Body
	}
	require.Equal(t, epoch.Unix(), modified(), "a new graph is modified when created")

	status, body := patch(f.bob, `{"graph_data":{"description":"bob's"}}`)
	require.Equal(t, http.StatusOK, status, string(body))
	assert.JSONEq(t, `1709294401`, string(attrs(t, body)["last_modified_date"]), "a write in the second of the last one is a second later")
	status, body = patch(f.alice, `{"private":true}`)
	require.Equal(t, http.StatusOK, status, string(body))
	assert.Equal(t, epoch.Unix()+2, modified(), "so is a write that changes nothing")

	// Reads, comments and sharing do not write the graph's attributes.
	info, err := f.bob.GraphsInfoWithResponse(t.Context(), id, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, info.StatusCode())
	posted, err := f.bob.PostGraphsCommentsWithResponse(t.Context(), id, comment("seen"))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, posted.StatusCode())
	grant(t, f.bob, id, false, userRef("carol"))
	assert.Equal(t, epoch.Unix()+2, modified())

	// Refused writes change nothing.
	status, _ = patch(f.carol, `{"private":false}`)
	require.Equal(t, http.StatusForbidden, status)
	status, _ = patch(f.alice, `{"private":"yes"}`)
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, epoch.Unix()+2, modified())

	// A clock past the last date gives its own time again; one set back
	// cannot take the date back with it.
	f.clock.Advance(time.Hour)
	status, _ = patch(f.alice, `{"private":false}`)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, epoch.Add(time.Hour).Unix(), modified())
	f.clock.Set(epoch)
	status, _ = patch(f.alice, `{"private":true}`)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, epoch.Add(time.Hour).Unix()+1, modified())
}
