package vtgraphtest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id := create(t, f.alice, named("public", false))
	tests := []struct {
		name, key, code string
	}{
		{"missing key", "", "AuthenticationRequiredError"},
		{"unknown key", "not-a-key", "WrongCredentialsError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := client(t, f.srv, tt.key)
			search, err := c.GraphsWithResponse(t.Context(), nil)
			require.NoError(t, err)
			assert.Equal(t, http.StatusUnauthorized, search.StatusCode())
			assert.Equal(t, tt.code, errorCode(t, search.Body))

			get, err := c.GraphsInfoWithResponse(t.Context(), id, nil)
			require.NoError(t, err)
			assert.Equal(t, http.StatusUnauthorized, get.StatusCode(), "even public graphs need a key")
			require.NotNil(t, get.JSON401)
			assert.Equal(t, tt.code, get.JSON401.Error.Code)
		})
	}
}

func TestAddUserWhileServing(t *testing.T) {
	t.Parallel()
	f := setup(t)
	require.NoError(t, f.srv.AddUser("dave", "dave-test-key", "red-team"))
	resp, err := client(t, f.srv, "dave-test-key").GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode())

	// Replacing a user retires its old key.
	require.NoError(t, f.srv.AddUser("dave", "dave-new-key"))
	resp, err = client(t, f.srv, "dave-test-key").GraphsWithResponse(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode())
}

func TestAddUserErrors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	assert.Error(t, f.srv.AddUser("", "k"))
	assert.Error(t, f.srv.AddUser("x", ""))
	assert.Error(t, f.srv.AddUser("threat-intel", "k"), "a group's id")
	assert.Error(t, f.srv.AddUser("eve", "alice-test-key"), "another user's key")
	assert.Error(t, f.srv.AddUser("eve", "eve-key", "bob"), "a user's id as a group")
	assert.Error(t, f.srv.AddGroup("alice"))
	assert.Error(t, f.srv.AddGroup(""))
	assert.NoError(t, f.srv.AddGroup("threat-intel"), "adding an existing group is a no-op")
}
