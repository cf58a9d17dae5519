package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDemo runs the whole walkthrough and compares its output with the
// golden file: ids, dates and cursors are fixed, so any change shows.
func TestDemo(t *testing.T) {
	t.Parallel()
	// The demo ignores the key and base URL of the environment.
	env := map[string]string{EnvAPIKey: "made-up", EnvBaseURL: "http://127.0.0.1:1/api/v3"}
	r := runCommand(t, env, "", "demo")
	requireOK(t, r)
	assert.Empty(t, r.stderr)
	golden(t, "demo.txt", r.stdout)

	again := runCommand(t, nil, "", "demo")
	assert.Equal(t, r, again, "the demo prints the same on every run")
}
