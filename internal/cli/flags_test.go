package cli

import (
	"flag"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
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

func TestParseInterspersed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		pos  []string
		json bool
		n    int
	}{
		{[]string{"a", "--json", "b"}, []string{"a", "b"}, true, 0},
		{[]string{"--n", "3", "a"}, []string{"a"}, false, 3},
		{[]string{"a", "--", "--json", "-n"}, []string{"a", "--json", "-n"}, false, 0},
		{[]string{"a", "b", "--n=2"}, []string{"a", "b"}, false, 2},
		{nil, nil, false, 0},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		j := fs.Bool("json", false, "")
		n := fs.Int("n", 0, "")
		pos, err := parseInterspersed(fs, tc.args)
		require.NoError(t, err, tc.args)
		assert.Equal(t, tc.pos, pos, tc.args)
		assert.Equal(t, tc.json, *j, tc.args)
		assert.Equal(t, tc.n, *n, tc.args)
	}
}

func TestOptionalBool(t *testing.T) {
	t.Parallel()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var b optionalBool
	fs.Var(&b, "private", "")
	require.NoError(t, fs.Parse(nil))
	assert.False(t, b.set)
	require.NoError(t, fs.Parse([]string{"--private"}))
	assert.Equal(t, optionalBool{set: true, value: true}, b)
	require.NoError(t, fs.Parse([]string{"--private=false"}))
	assert.Equal(t, optionalBool{set: true, value: false}, b)
	assert.Error(t, fs.Parse([]string{"--private=maybe"}))
}
