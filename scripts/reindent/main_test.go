package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReindentReproducesTheUpstreamCopy(t *testing.T) {
	t.Parallel()
	seed, err := os.ReadFile("../../spec/upstream.flattened.yaml.txt")
	require.NoError(t, err)
	want, err := os.ReadFile("../../spec/upstream.yaml")
	require.NoError(t, err)
	got, err := reindent(string(seed))
	require.NoError(t, err)
	require.Equal(t, string(want), got)
}

func TestReindentFailsOnWhatItCannotPlace(t *testing.T) {
	t.Parallel()
	for name, src := range map[string]string{
		"unknown top-level key": "openapi: 3.0.3\nbogus: 1\n",
		"plain text line":       "openapi: 3.0.3\njust some words\n",
		"unterminated quote":    "openapi: 3.0.3\ninfo:\ntitle: \"open\n",
		"item outside a list":   "openapi: 3.0.3\n- x\n",
	} {
		_, err := reindent(src)
		require.Error(t, err, name)
	}
}

func TestReindentNestsByGrammar(t *testing.T) {
	t.Parallel()
	src := "openapi: 3.0.3\ncomponents:\nschemas:\nA:\ntype: object\nproperties:\ntype:\ntype: string\nb:\ntype: integer\nrequired:\n- type\nB:\ntype: string\n"
	want := "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        type:\n          type: string\n        b:\n          type: integer\n      required:\n        - type\n    B:\n      type: string\n"
	got, err := reindent(src)
	require.NoError(t, err)
	require.Equal(t, want, got)
}
