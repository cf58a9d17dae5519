package vtgraph_test

import (
	"bytes"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// readmeProgram returns the README's Go program: the first ```go block that
// is a package main.
func readmeProgram(t *testing.T, root string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	for _, m := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if strings.HasPrefix(m[1], "package main\n") {
			return m[1]
		}
	}
	t.Fatal("README.md has no ```go block holding a package main")
	return ""
}

// TestReadmeProgram compiles the README's sample in a module of its own that
// requires this checkout, as a reader's would, and runs it against the
// in-memory server with alice's key.
func TestReadmeProgram(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	src := readmeProgram(t, root)

	formatted, err := format.Source([]byte(src))
	require.NoError(t, err)
	assert.Equal(t, string(formatted), src, "the README's program is gofmt-formatted")

	// The scratch module requires what the checkout requires, so that the go
	// command resolves the same versions, all in the module cache already, and
	// downloads nothing.
	dir := t.TempDir()
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	gomod, ok := strings.CutPrefix(string(mod), "module github.com/vtgraphs/vtgraphs\n")
	require.True(t, ok, "go.mod starts with the module line")
	gomod = "module readmesample\n" + gomod + "\nrequire github.com/vtgraphs/vtgraphs v0.0.0\n\n" +
		"replace github.com/vtgraphs/vtgraphs => " + root + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
	sums, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sums, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644))

	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	goCmd := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
	}
	bin := filepath.Join(dir, "sample")
	goCmd("build", "-o", bin, ".")
	goCmd("vet", ".")

	srv := vtgraphtest.NewServer(t)
	cmd := exec.CommandContext(t.Context(), bin)
	cmd.Env = append(os.Environ(), "VT_BASE_URL="+srv.URL(), "VT_API_KEY="+vtgraphtest.AliceKey)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())

	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 3, "stdout:\n%s", stdout.String())
	id, ok := strings.CutPrefix(lines[0], "created ")
	require.True(t, ok, "first line %q", lines[0])
	assert.Regexp(t, `^g[0-9a-f]{64}$`, id)
	assert.Equal(t, "found "+id+" Hooli investigation", lines[1], "the search finds the graph the program created")
	assert.Equal(t, "deleted "+id, lines[2], "the ErrNotFound branch runs")
	_, stored := srv.Graph(id)
	assert.False(t, stored, "the program deleted its graph")
}
