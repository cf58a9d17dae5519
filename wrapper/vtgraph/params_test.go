package vtgraph

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckPathSegment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // part of the message; "" means valid
	}{
		{"alice", ""},
		{"threat-intel", ""},
		{"ü", ""},
		{"ops+sec@example.com", ""},
		{"a.b", ""},
		{"...", ""},
		{"", "empty"},
		{".", `must not be "."`},
		{"..", `must not be ".."`},
		{"a/b", `'/'`},
		{"a?b", `'?'`},
		{"a#b", `'#'`},
		{"100%", `'%'`},
		{`a\b`, `'\\'`},
		{"a b", `' '`},
		{"a\u00a0b", `'\u00a0'`},
		{"a\tb", `'\t'`},
		{"a\x00b", `'\x00'`},
		{"a\u0085b", `'\u0085'`},
		{"a\xffb", "valid UTF-8"},
	}
	for _, tt := range tests {
		var p paramProblems
		checkPathSegment(&p, "principal", tt.in)
		if tt.want == "" {
			assert.Empty(t, p, "%q", tt.in)
			continue
		}
		require.Len(t, p, 1, "%q", tt.in)
		assert.Equal(t, "principal", p[0].Path)
		assert.Contains(t, p[0].Message, tt.want, "%q", tt.in)
	}
}

func TestCheckRelation(t *testing.T) {
	t.Parallel()
	for _, rel := range []Relation{RelationOwner, RelationGroup, RelationItems, RelationComments, RelationViewers, RelationEditors} {
		assert.True(t, rel.Known(), rel)
		var p paramProblems
		checkRelation(&p, rel)
		assert.Empty(t, p, rel)
	}
	for _, rel := range []Relation{"future_relationship", "x"} {
		assert.False(t, rel.Known(), rel)
		var p paramProblems
		checkRelation(&p, rel)
		assert.Empty(t, p, rel)
	}
	for _, rel := range []Relation{"", "Owner", "owner2", "a-b", "a/b", "..", "a b", "ö"} {
		var p paramProblems
		checkRelation(&p, rel)
		require.Len(t, p, 1, "%q", rel)
		assert.Equal(t, "relationship", p[0].Path)
	}
}

func TestCheckGraphIDTruncatesLongInput(t *testing.T) {
	t.Parallel()
	var p paramProblems
	checkGraphID(&p, strings.Repeat("x", 10000))
	require.Len(t, p, 1)
	assert.Less(t, len(p[0].Message), 200)
}

func TestParsePrincipal(t *testing.T) {
	t.Parallel()
	good := map[string]PrincipalRef{
		"user:alice":         User("alice"),
		"group:threat-intel": Group("threat-intel"),
		"user:jürgen":        User("jürgen"),
		"user:a:b":           User("a:b"),
	}
	for in, want := range good {
		got, err := ParsePrincipal(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
		assert.Equal(t, in, got.String(), "String is the inverse")
	}
	for _, in := range []string{"", "alice", "robot:r2", "User:alice", "user:", "group:a/b", "user:a b", ":alice"} {
		_, err := ParsePrincipal(in)
		assert.Equal(t, []string{"principal"}, paramPaths(t, err), "%q", in)
	}
}

func TestDecodePrincipal(t *testing.T) {
	t.Parallel()
	p, err := decodePrincipal([]byte(`{"type":"user","id":"u","attributes":{"first_name":null,"reputation":-3}}`))
	require.NoError(t, err)
	assert.Equal(t, int64(-3), p.Reputation)
	assert.Empty(t, p.FirstName)
	assert.True(t, p.UserSince.IsZero())

	_, err = decodePrincipal([]byte(`{"type":"user","id":"u","attributes":{"user_since":"yesterday"}}`))
	assert.ErrorContains(t, err, "attributes.user_since")
	_, err = decodePrincipal([]byte(`[]`))
	assert.Error(t, err)
}
