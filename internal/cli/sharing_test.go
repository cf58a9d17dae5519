package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestShareAndUnshare(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(true)

	r := f.run(vtgraphtest.AliceKey, "share", id, "--viewer", "user:bob", "--editor", "group:threat-intel", "--viewer", "user:carol")
	requireOK(t, r)
	assert.Equal(t, "ROLE    TYPE   ID\n"+
		"viewer  user   bob\n"+
		"viewer  user   carol\n"+
		"editor  group  threat-intel\n", r.stdout)

	r = f.run(vtgraphtest.AliceKey, "unshare", id, "--viewer", "user:carol", "--json")
	requireOK(t, r)
	assert.JSONEq(t, `[{"role":"viewer","type":"user","id":"carol"}]`, r.stdout)

	r = f.run(vtgraphtest.CarolKey, "get", id)
	assert.Equal(t, ExitNotFound, r.code, "carol lost access to the private graph")
	requireOK(t, f.run(vtgraphtest.BobKey, "get", id))
}

func TestShareJSON(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "share", id, "--editor", "user:bob", "--json")
	requireOK(t, r)
	assert.JSONEq(t, `[{"role":"editor","type":"user","id":"bob"}]`, r.stdout)
}

func TestShareUsage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"share", id}, "give at least one --viewer or --editor"},
		{[]string{"unshare", id}, "give at least one --viewer or --editor"},
		{[]string{"share", id, "--viewer", "bob"}, `invalid value "bob" for flag --viewer: want user:NAME or group:NAME, got "bob"`},
		{[]string{"share", id, "--editor", "team:red"}, `want user:NAME or group:NAME, got "team:red"`},
		{[]string{"share", "--viewer", "user:bob"}, "missing argument; usage: vtgraph share [flags] ID"},
		{[]string{"access", id}, "give exactly one --viewer or --editor"},
		{[]string{"access", id, "--viewer", "user:bob", "--editor", "user:bob"}, "give exactly one --viewer or --editor"},
	} {
		r := f.run(vtgraphtest.AliceKey, tc.args...)
		assert.Equal(t, ExitUsage, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.msg, tc.args)
	}
}

func TestShareForbiddenForAViewer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	requireOK(t, f.run(vtgraphtest.AliceKey, "share", id, "--viewer", "user:bob"))
	r := f.run(vtgraphtest.BobKey, "share", id, "--viewer", "user:carol")
	assert.Equal(t, ExitForbidden, r.code, r.stderr)
}

func TestShareUnknownPrincipal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "share", id, "--viewer", "user:bob", "--viewer", "user:mallory")
	assert.Equal(t, ExitNotFound, r.code, r.stderr)
	// The graph is there: the hint is about the user, not a private graph.
	assert.Contains(t, r.stderr, "hint: a user or group given may not exist: the API grants all or none, so nothing was granted\n")
	assert.NotContains(t, r.stderr, "private")
	granted, err := f.client(vtgraphtest.AliceKey).IsViewer(t.Context(), id, vtgraph.User("bob"))
	require.NoError(t, err)
	assert.False(t, granted, "all or none: bob was not granted either")

	r = f.run(vtgraphtest.AliceKey, "unshare", id, "--editor", "group:red-team")
	assert.Equal(t, ExitNotFound, r.code, r.stderr)
	assert.Contains(t, r.stderr, "hint: the user or group may not exist; check its name\n")
}

func TestAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	requireOK(t, f.run(vtgraphtest.AliceKey, "share", id, "--viewer", "user:bob", "--editor", "group:threat-intel"))
	for _, tc := range []struct {
		flag, who, want string
	}{
		{"--viewer", "user:bob", "yes\n"},
		{"--editor", "user:bob", "yes\n"}, // through threat-intel
		{"--viewer", "user:carol", "no\n"},
		{"--editor", "user:carol", "no\n"},
		{"--editor", "group:threat-intel", "yes\n"},
		{"--viewer", "user:alice", "yes\n"}, // the owner
	} {
		r := f.run(vtgraphtest.AliceKey, "access", id, tc.flag, tc.who)
		requireOK(t, r)
		assert.Equal(t, tc.want, r.stdout, "%s %s", tc.flag, tc.who)
	}
	r := f.run(vtgraphtest.AliceKey, "access", id, "--viewer", "user:carol", "--json")
	requireOK(t, r)
	assert.JSONEq(t, `{"graph":"`+id+`","principal":"user:carol","role":"viewer","granted":false}`, r.stdout)
}
