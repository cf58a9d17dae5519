package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// TestDiff compares a saved graph, by id, with an edited copy in a file:
// one node added, one moved, one relabelled.
func TestDiff(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	g, err := f.client(vtgraphtest.AliceKey).GetGraph(t.Context(), id, nil)
	require.NoError(t, err)
	g.AddNode("cdn-lantern-sync.example", vtgraph.NodeTypeDomain)
	g.Node("203.0.113.77").Pin(300, 40)
	g.Node(testFile).Text = "stage two"
	b, err := g.JSON()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "edited.json")
	require.NoError(t, os.WriteFile(path, b, 0o600))

	r := f.run(vtgraphtest.AliceKey, "diff", id, path)
	requireOK(t, r)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	assert.Contains(t, lines, "+ node cdn-lantern-sync.example (domain)")
	assert.Contains(t, lines, `~ node `+testFile+` text: "dropper.exe" -> "stage two"`)
	var moved bool
	for _, l := range lines {
		moved = moved || strings.HasPrefix(l, "> node 203.0.113.77 ") && strings.HasSuffix(l, "-> (300, 40) pinned")
	}
	assert.True(t, moved, "the pinned node is moved, not changed:\n%s", r.stdout)
	assert.Len(t, lines, 3, "nothing else differs:\n%s", r.stdout)

	r = f.run(vtgraphtest.AliceKey, "diff", path, id, "--json")
	requireOK(t, r)
	var d struct {
		AddedNodes   []json.RawMessage `json:"added_nodes"`
		RemovedNodes []struct {
			EntityID string `json:"entity_id"`
		} `json:"removed_nodes"`
		MovedNodes   []json.RawMessage `json:"moved_nodes"`
		ChangedNodes []json.RawMessage `json:"changed_nodes"`
		AddedLinks   []json.RawMessage `json:"added_links"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &d))
	assert.Empty(t, d.AddedNodes, "from the file to the server the new node is removed")
	require.Len(t, d.RemovedNodes, 1)
	assert.Equal(t, "cdn-lantern-sync.example", d.RemovedNodes[0].EntityID)
	assert.Len(t, d.MovedNodes, 1)
	assert.Len(t, d.ChangedNodes, 1)
	assert.NotNil(t, d.AddedLinks, "lists are arrays, empty ones too")

	r = f.run(vtgraphtest.AliceKey, "diff", id, id)
	requireOK(t, r)
	assert.Empty(t, r.stdout, "a graph compares the same with itself")
}

func TestDiffErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"diff", "only-one.json"}, ExitUsage, "missing argument"},
		{[]string{"diff", "-", "-"}, ExitUsage, "only one of A and B can be standard input"},
		{[]string{"diff", filepath.Join(t.TempDir(), "missing.json"), "-"}, ExitError, "missing.json"},
		{[]string{"diff", "g" + strings.Repeat("0", 64), "g" + strings.Repeat("1", 64)}, ExitNotFound, "404"},
	} {
		r := f.runIn(vtgraphtest.AliceKey, `{"type":"graph","attributes":{}}`, tc.args...)
		assert.Equal(t, tc.code, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.msg, tc.args)
	}
}
