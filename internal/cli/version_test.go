package cli

import (
	"bytes"
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runWithBuild runs the command as a binary built with info would.
func runWithBuild(t *testing.T, info *debug.BuildInfo, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	r := newRunner(func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	r.buildInfo = func() (*debug.BuildInfo, bool) { return info, info != nil }
	code := r.execute(t.Context(), args)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	release := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/vtgraphs/vtgraphs", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{
			{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "3f2a9c1d4e5b60718293a4b5c6d7e8f901234567"},
			{Key: "vcs.time", Value: "2026-03-02T09:00:00Z"},
			{Key: "vcs.modified", Value: "false"},
		},
	}
	modified := *release
	modified.Main.Version = "(devel)"
	modified.Settings = append(release.Settings[:len(release.Settings)-1:len(release.Settings)-1], debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	devel := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/vtgraphs/vtgraphs", Version: "(devel)"},
		Settings:  []debug.BuildSetting{{Key: "GOOS", Value: "darwin"}, {Key: "GOARCH", Value: "arm64"}},
	}
	var out strings.Builder
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
	}{{"release", release}, {"local changes", &modified}, {"no version control", devel}} {
		r := runWithBuild(t, tc.info, "version")
		requireOK(t, r)
		out.WriteString("# " + tc.name + "\n" + r.stdout)
	}
	golden(t, "version.txt", out.String())

	r := runWithBuild(t, release, "version", "--json")
	requireOK(t, r)
	golden(t, "version.json", r.stdout)
	var v versionJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v))
	assert.Equal(t, "v1.2.3", v.Version)
}

// TestVersionOfThisBinary reads the test binary's own build information,
// which has a module path and a Go version whatever the build flags.
func TestVersionOfThisBinary(t *testing.T) {
	t.Parallel()
	r := runCommand(t, nil, "", "version", "--json")
	requireOK(t, r)
	var v versionJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v))
	info, ok := debug.ReadBuildInfo()
	require.True(t, ok)
	assert.Equal(t, info.GoVersion, v.Go)
	assert.NotEmpty(t, v.Version)
}
