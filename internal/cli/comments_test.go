package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestComments(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)

	r := f.run(vtgraphtest.BobKey, "comments", "add", id, "Same", "dropper", "as", "January", "#lantern")
	requireOK(t, r)
	assert.Equal(t, "ID                                                                   DATE              TAGS     TEXT\n"+
		id+"-1  2026-02-03 14:30  lantern  Same dropper as January #lantern\n", r.stdout)

	r = f.runIn(vtgraphtest.AliceKey, "Sinkholed today #lantern #c2\n", "comments", "add", id, "-", "--json")
	requireOK(t, r)
	assert.JSONEq(t, `{"id":"`+id+`-2","date":"2026-02-03T14:30:00Z","text":"Sinkholed today #lantern #c2",`+
		`"tags":["lantern","c2"],"votes":{"positive":0,"negative":0,"abuse":0}}`, r.stdout)

	r = f.run(vtgraphtest.CarolKey, "comments", "list", id)
	requireOK(t, r)
	golden(t, "comments.txt", strings.ReplaceAll(r.stdout, id, "$ID"))

	r = f.run(vtgraphtest.AliceKey, "comments", "list", id, "--limit", "1", "--all", "--json")
	requireOK(t, r)
	var list []commentJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &list))
	require.Len(t, list, 2)
	assert.Equal(t, "Sinkholed today #lantern #c2", list[0].Text, "newest first")

	r = f.run(vtgraphtest.AliceKey, "comments", "list", id, "--limit", "1")
	requireOK(t, r)
	assert.Contains(t, r.stderr, "more results: add --cursor ")
}

func TestCommentsUsage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"comments"}, ExitUsage, "vtgraph: comments: missing subcommand; want list or add"},
		{[]string{"comments", "delete", id}, ExitUsage, `vtgraph: comments: unknown subcommand "delete"; want list or add`},
		{[]string{"comments", "add", id}, ExitUsage, "vtgraph: comments add: missing argument"},
		{[]string{"comments", "list"}, ExitUsage, "vtgraph: comments list: missing argument"},
		{[]string{"comments", "add", id, "  "}, ExitInvalid, "text: empty"},
	} {
		r := f.run(vtgraphtest.AliceKey, tc.args...)
		assert.Equal(t, tc.code, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.msg, tc.args)
	}
}
