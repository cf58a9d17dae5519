package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	for _, shell := range shells {
		r := runCommand(t, nil, "", "completion", shell)
		requireOK(t, r)
		assert.Empty(t, r.stderr)
		golden(t, "completion."+shell, r.stdout)
	}
	r := runCommand(t, nil, "", "completion", "tcsh")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, `vtgraph: completion: unknown shell "tcsh"; want bash, zsh, fish, powershell`)
	r = runCommand(t, nil, "", "completion")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, "missing argument; usage: vtgraph completion [flags] SHELL")
}

// TestCompletions asks for completions the way the scripts do, through the
// hidden __complete command, and checks the candidates.
func TestCompletions(t *testing.T) {
	t.Parallel()
	const id = "g0000000000000000000000000000000000000000000000000000000000000000"
	for _, tc := range []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{""}, []string{"search\tSearch the graphs", "serve\t", "completion\t", "version\t"}, []string{"__complete"}},
		{[]string{"comments", ""}, []string{"list\t", "add\t"}, nil},
		{[]string{"export", id, "--format", ""}, []string{"dot\t", "mermaid\t", "json\t", "svg\t", "png\t", "html\t"}, nil},
		{[]string{"related", id, ""}, []string{"owner", "items", "comments"}, nil},
		{[]string{"search", "--order", ""}, []string{"name\tascending", "-last_modified_date\tdescending"}, nil},
		{[]string{"search", "--attributes", "private,"}, []string{"private,graph_data"}, []string{"private,private"}},
		{[]string{"share", id, "--viewer", ""}, []string{"user:\t", "group:\t"}, nil},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}, nil},
		{[]string{"search", "--"}, []string{"--filter\t", "--json\t", "--base-url\t"}, nil},
		{[]string{"help", ""}, []string{"search\t", "comments\t"}, nil},
	} {
		r := runCommand(t, nil, "", append([]string{"__complete"}, tc.args...)...)
		requireOK(t, r)
		for _, w := range tc.want {
			assert.Contains(t, r.stdout, w, tc.args)
		}
		for _, n := range tc.not {
			assert.NotContains(t, r.stdout, n, tc.args)
		}
	}
	// A graph id is not a file name.
	r := runCommand(t, nil, "", "__complete", "get", "")
	requireOK(t, r)
	assert.True(t, strings.HasSuffix(r.stdout, ":4\n"), "ShellCompDirectiveNoFileComp: %q", r.stdout)
	r = runCommand(t, nil, "", "__complete", "create", "--from", "")
	requireOK(t, r)
	assert.Contains(t, r.stdout, "json\n:8\n", "file names ending in .json")
}
