package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestExport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		args   []string
		golden string
	}{
		{nil, "export.dot"},
		{[]string{"--format", "mermaid"}, "export.mmd"},
		{[]string{"--format", "json"}, "export.json"},
		{[]string{"--json"}, "export.json"},
	} {
		// A fresh graph each time, as every export counts as a view.
		id := f.investigation(false)
		r := f.run(vtgraphtest.AliceKey, append([]string{"export", id}, tc.args...)...)
		requireOK(t, r)
		golden(t, tc.golden, strings.ReplaceAll(f.normalize(r.stdout), id, "$ID"))
	}
}

func TestExportToFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	path := filepath.Join(t.TempDir(), "graph.mmd")
	r := f.run(vtgraphtest.AliceKey, "export", id, "--format", "mermaid", "-o", path)
	requireOK(t, r)
	assert.Empty(t, r.stdout)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "flowchart LR\n"))
}

func TestExportBadFormat(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "export", id, "--format", "svg")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, `--format must be dot, mermaid or json, got "svg"`)
}
