package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestRelatedTables(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	requireOK(t, f.run(vtgraphtest.AliceKey, "share", id, "--viewer", "user:bob", "--editor", "group:threat-intel"))
	requireOK(t, f.run(vtgraphtest.BobKey, "comments", "add", id, "Seen before #lantern"))

	var out strings.Builder
	for _, rel := range relations {
		r := f.run(vtgraphtest.AliceKey, "related", id, string(rel))
		requireOK(t, r)
		out.WriteString("$ vtgraph related $ID " + string(rel) + "\n" + r.stdout + "\n")
	}
	r := f.run(vtgraphtest.AliceKey, "related", id, "items", "--descriptors")
	requireOK(t, r)
	out.WriteString("$ vtgraph related $ID items --descriptors\n" + r.stdout)
	golden(t, "related.txt", strings.ReplaceAll(out.String(), id, "$ID"))
}

func TestRelatedJSON(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)

	r := f.run(vtgraphtest.AliceKey, "related", id, "owner", "--json")
	requireOK(t, r)
	golden(t, "related-owner.json", f.normalize(r.stdout))

	r = f.run(vtgraphtest.AliceKey, "related", id, "items", "--descriptors", "--json", "--limit", "2", "--all")
	requireOK(t, r)
	assert.JSONEq(t, `[{"type":"domain","id":"login-lantern.example"},{"type":"ip_address","id":"203.0.113.77"},`+
		`{"type":"file","id":"`+testFile+`"}]`, r.stdout)

	r = f.run(vtgraphtest.AliceKey, "related", id, "viewers", "--json")
	requireOK(t, r)
	assert.Equal(t, "[]\n", r.stdout, "an empty list is an empty array")

	var objs []objectJSON
	r = f.run(vtgraphtest.CarolKey, "related", id, "items", "--json", "--limit", "2")
	requireOK(t, r)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &objs))
	assert.Len(t, objs, 2)
	assert.Contains(t, r.stderr, "more results: add --cursor ")
}

func TestRelatedGroupOfAGraphWithoutOne(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.runIn(vtgraphtest.CarolKey, "example.com\n", "create", "--name", "Carol's", "--indicators", "-", "--json")
	requireOK(t, r)
	var created createdJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &created))

	r = f.run(vtgraphtest.CarolKey, "related", created.ID, "group")
	requireOK(t, r)
	assert.Equal(t, "TYPE  ID  DETAILS\n", r.stdout, "carol is in no group")
	r = f.run(vtgraphtest.CarolKey, "related", created.ID, "group", "--json")
	requireOK(t, r)
	assert.Equal(t, "[]\n", r.stdout)
}

func TestRelatedErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "related", id, "siblings")
	assert.Equal(t, ExitNotFound, r.code, r.stderr)
	r = f.run(vtgraphtest.AliceKey, "related", id, "Bad-Name")
	assert.Equal(t, ExitInvalid, r.code, r.stderr)
	r = f.run(vtgraphtest.AliceKey, "related", id)
	assert.Equal(t, ExitUsage, r.code, r.stderr)
}
