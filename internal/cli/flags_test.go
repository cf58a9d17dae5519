package cli

import (
	"io"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestParseOrder(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]vtgraph.Order{
		"":                   {},
		"name":               vtgraph.OrderName.Asc(),
		"+name":              vtgraph.OrderName.Asc(),
		"name+":              vtgraph.OrderName.Asc(),
		"-creation_date":     vtgraph.OrderCreationDate.Desc(),
		"views_count-":       vtgraph.OrderViewsCount.Desc(),
		"last_modified_date": vtgraph.OrderLastModifiedDate.Asc(),
		"-comments_count":    vtgraph.OrderCommentsCount.Desc(),
		"owner-":             vtgraph.OrderOwner.Desc(),
	} {
		got, err := parseOrder(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"size", "-", "name--", "Name"} {
		_, err := parseOrder(in)
		assert.Equal(t, ExitUsage, ExitCode(err), in)
	}
}

// TestFlagsMayComeAnywhere puts a command's own flags and the global ones
// before, between and after its arguments.
func TestFlagsMayComeAnywhere(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	want := f.run(vtgraphtest.AliceKey, "related", id, "items", "--descriptors", "--limit", "2", "--json")
	requireOK(t, want)
	for _, args := range [][]string{
		{"related", "--limit", "2", id, "--descriptors", "items", "--json"},
		{"--json", "related", id, "--limit=2", "items", "--descriptors"},
		{"related", "--descriptors", "--json", id, "items", "--limit", "2"},
	} {
		got := f.run(vtgraphtest.AliceKey, args...)
		assert.Equal(t, want, got, args)
	}
	// After "--" every word is an argument: here a relationship name the
	// client refuses.
	r := f.run(vtgraphtest.AliceKey, "related", id, "--", "--json")
	assert.Equal(t, ExitInvalid, r.code, r.stderr)
	assert.Contains(t, r.stderr, `"--json"`)
}

func TestOptionalBool(t *testing.T) {
	t.Parallel()
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var b optionalBool
	optionalBoolVar(fs, &b, "private", "")
	require.NoError(t, fs.Parse(nil))
	assert.False(t, b.set)
	require.NoError(t, fs.Parse([]string{"--private"}))
	assert.Equal(t, optionalBool{set: true, value: true}, b)
	require.NoError(t, fs.Parse([]string{"--private=false"}))
	assert.Equal(t, optionalBool{set: true, value: false}, b)
	assert.Error(t, fs.Parse([]string{"--private=maybe"}))
}
