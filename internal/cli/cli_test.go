package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// allCommands lists every command path, subcommands included.
func allCommands() [][]string {
	var out [][]string
	root := newRunner(nil, nil, nil, nil).rootCommand()
	walk(root, func(c *cobra.Command) {
		if c.HasParent() && c.IsAvailableCommand() {
			out = append(out, strings.Fields(commandPath(c)))
		}
	})
	return out
}

func TestHelpOnEveryCommand(t *testing.T) {
	t.Parallel()
	for _, path := range allCommands() {
		want := "Usage:\n  vtgraph " + strings.Join(path, " ")
		for _, args := range [][]string{
			append(append([]string{}, path...), "--help"),
			append(append([]string{}, path...), "-h"),
			append([]string{"help"}, path...),
		} {
			// No key and no server: help must not need them.
			r := runCommand(t, nil, "", args...)
			assert.Equal(t, ExitOK, r.code, "%v: %s", args, r.stderr)
			assert.True(t, strings.HasPrefix(r.stdout, want), "%v:\n%s", args, r.stdout)
			assert.Empty(t, r.stderr, args)
		}
	}
}

func TestHelpShowsFlagsAndExamples(t *testing.T) {
	t.Parallel()
	r := runCommand(t, nil, "", "search", "--help")
	for _, want := range []string{"--filter QUERY", "--order FIELD", "--limit N", "--all", "--max N", "--cursor CURSOR", "--attributes LIST", "Examples:\n  vtgraph search"} {
		assert.Contains(t, r.stdout, want)
	}
	assert.NotContains(t, r.stdout, "--base-url URL", "global flags are described once, by vtgraph help")

	r = runCommand(t, nil, "", "share", "--help")
	assert.Contains(t, r.stdout, "--viewer PRINCIPAL")
	assert.Contains(t, r.stdout, "--editor PRINCIPAL")
}

func TestMainHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		r := runCommand(t, nil, "", args...)
		assert.Equal(t, ExitOK, r.code)
		golden(t, "help.txt", r.stdout)
	}
	// Without a command it prints the same overview, as gh and kubectl do.
	r := runCommand(t, nil, "")
	assert.Equal(t, ExitOK, r.code)
	assert.Empty(t, r.stderr)
	golden(t, "help.txt", r.stdout)

	r = runCommand(t, nil, "", "help", "help")
	assert.Equal(t, ExitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "Usage:\n  vtgraph help [flags] [COMMAND]..."), r.stdout)
}

// TestCommandHelpGolden keeps the help of a command with every kind of
// flag, and of a group, as users see them.
func TestCommandHelpGolden(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	for _, args := range [][]string{{"search"}, {"update"}, {"export"}, {"serve"}, {"comments"}, {"delete"}, {"completion"}, {"version"}} {
		r := runCommand(t, nil, "", append(args, "--help")...)
		requireOK(t, r)
		out.WriteString("$ vtgraph " + strings.Join(args, " ") + " --help\n" + r.stdout + "\n")
	}
	golden(t, "help-commands.txt", out.String())
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"frobnicate"}, "vtgraph: unknown command \"frobnicate\"; run 'vtgraph help' for the list\nRun 'vtgraph help' for usage.\n"},
		{[]string{"serach"}, "vtgraph: unknown command \"serach\" (did you mean \"search\"?); run 'vtgraph help' for the list\n"},
		{[]string{"search", "--limit"}, "vtgraph: search: flag needs an argument: --limit\n"},
		{[]string{"export", "-x"}, "vtgraph: export: flag provided but not defined: -x\n"},
		{[]string{"--nope", "search"}, "vtgraph: flag provided but not defined: --nope\n"},
		{[]string{"search", "--nope"}, "vtgraph: search: flag provided but not defined: --nope\nRun 'vtgraph search --help' for usage.\n"},
		{[]string{"search", "extra"}, "vtgraph: search: unexpected argument \"extra\"; usage: vtgraph search [flags]\n"},
		{[]string{"get"}, "vtgraph: get: missing argument; usage: vtgraph get [flags] ID\n"},
		{[]string{"get", "a", "b"}, "vtgraph: get: unexpected argument \"b\""},
		{[]string{"search", "--limit", "ten"}, "vtgraph: search: invalid value \"ten\" for flag --limit: parse error\n"},
		{[]string{"search", "--retries", "-1"}, "--retries must not be negative"},
		{[]string{"search", "--timeout", "-1s"}, "--timeout must not be negative, got -1s"},
		{[]string{"help", "nope"}, "vtgraph: help: unknown command \"nope\"\n"},
		{[]string{"demo", "now"}, "vtgraph: demo: unexpected argument \"now\""},
	} {
		r := runCommand(t, map[string]string{EnvAPIKey: "made-up"}, "", tc.args...)
		assert.Equal(t, ExitUsage, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.stderr, tc.args)
		assert.Empty(t, r.stdout, tc.args)
	}
}

func TestGlobalFlagsGoBeforeOrAfterTheCommand(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	before := f.run(vtgraphtest.AliceKey, "--json", "access", id, "--viewer", "user:alice")
	after := f.run(vtgraphtest.AliceKey, "access", id, "--viewer", "user:alice", "--json")
	between := f.run(vtgraphtest.AliceKey, "access", "--json", id, "--viewer", "user:alice")
	requireOK(t, before)
	assert.Equal(t, before, after)
	assert.Equal(t, before, between)
	assert.Contains(t, before.stdout, `"granted": true`)
}

func TestDoubleDashEndsFlags(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "comments", "add", id, "--", "--not-a-flag #tag")
	requireOK(t, r)
	assert.Contains(t, r.stdout, "--not-a-flag #tag")
}
