package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOverlayReproducesTheCorrectedSpec(t *testing.T) {
	t.Parallel()
	got, err := run("../../spec/upstream.yaml", "../../spec/overlay.yaml")
	require.NoError(t, err)
	want, err := os.ReadFile("../../spec/openapi.yaml")
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "spec/openapi.yaml is stale: run make spec")
}

func TestOverlayActions(t *testing.T) {
	t.Parallel()
	spec := "a:\n  b: [1]\n  c: {d: x}\n  list:\n    - name: one\n      v: 1\n    - name: two\n      v: 2\n  text: hello world\n"
	cases := []struct {
		name, overlay, want, err string
	}{
		{name: "update merges and appends",
			overlay: "overlay: 1.0.0\nactions:\n  - target: $.a\n    update: {b: [2], c: {e: y}, n: 3}\n",
			want:    "a:\n  b: [1, 2]\n  c: {d: x, e: y}\n  list:\n    - name: one\n      v: 1\n    - name: two\n      v: 2\n  text: hello world\n  n: 3\n"},
		{name: "filter and remove",
			overlay: "overlay: 1.0.0\nactions:\n  - target: $.a.list[?(@.name == 'two')]\n    remove: true\n  - target: $['a'].c.d\n    remove: true\n",
			want:    "a:\n  b: [1]\n  c: {}\n  list:\n    - name: one\n      v: 1\n  text: hello world\n"},
		{name: "wildcard",
			overlay: "overlay: 1.0.0\nactions:\n  - target: $.a.list[*]\n    update: {w: true}\n",
			want:    "a:\n  b: [1]\n  c: {d: x}\n  list:\n    - name: one\n      v: 1\n      w: true\n    - name: two\n      v: 2\n      w: true\n  text: hello world\n"},
		{name: "replace text",
			overlay: "overlay: 1.0.0\nactions:\n  - target: $.a.text\n    x-replace: {from: world, to: there}\n",
			want:    "a:\n  b: [1]\n  c: {d: x}\n  list:\n    - name: one\n      v: 1\n    - name: two\n      v: 2\n  text: hello there\n"},
		{name: "a target that matches nothing fails",
			overlay: "overlay: 1.0.0\nactions:\n  - target: $.a.gone\n    remove: true\n", err: "matches nothing"},
		{name: "a replacement whose text is gone fails",
			overlay: "overlay: 1.0.0\nactions:\n  - target: $.a.text\n    x-replace: {from: typo, to: fixed}\n", err: "does not contain"},
		{name: "an unsupported version fails",
			overlay: "overlay: 2.0.0\nactions: []\n", err: "unsupported overlay version"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			sp, op := filepath.Join(dir, "spec.yaml"), filepath.Join(dir, "overlay.yaml")
			require.NoError(t, os.WriteFile(sp, []byte(spec), 0o600))
			require.NoError(t, os.WriteFile(op, []byte(tc.overlay), 0o600))
			got, err := run(sp, op)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.YAMLEq(t, tc.want, string(got))
		})
	}
}
