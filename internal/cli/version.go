package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// versionJSON is the --json output of version.
type versionJSON struct {
	Version      string `json:"version"`
	Module       string `json:"module"`
	Revision     string `json:"revision,omitempty"`
	RevisionTime string `json:"revision_time,omitempty"`
	Modified     bool   `json:"modified"`
	Go           string `json:"go"`
	Platform     string `json:"platform"`
}

func (r *runner) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version [flags]",
		Short: "Print the version of vtgraph and the source revision it was built from.",
		Long: `
The version is the module's, as "go install …@v1.2.3" records it, or (devel)
for a build from a checkout. The revision, its commit time and whether the
checkout had local changes come from version control when the binary was
built inside one; a build without that information says so.`,
		Example:           examples("vtgraph version", "vtgraph version --json"),
		Args:              exactArgs(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			v := r.version()
			if r.g.json {
				return writeJSON(r.stdout, v)
			}
			fmt.Fprintf(r.stdout, "vtgraph version %s\nmodule %s\n", v.Version, v.Module)
			switch {
			case v.Revision == "":
				fmt.Fprintln(r.stdout, "revision unknown: built without version control information")
			case v.Modified:
				fmt.Fprintf(r.stdout, "revision %s (%s, with local changes)\n", v.Revision, v.RevisionTime)
			default:
				fmt.Fprintf(r.stdout, "revision %s (%s)\n", v.Revision, v.RevisionTime)
			}
			fmt.Fprintf(r.stdout, "%s %s\n", v.Go, v.Platform)
			return nil
		},
	}
}

// version reads what the build recorded about the binary.
func (r *runner) version() versionJSON {
	v := versionJSON{Version: "(unknown)", Module: "github.com/vtgraphs/vtgraphs", Go: runtime.Version()}
	goos, goarch := runtime.GOOS, runtime.GOARCH
	if info, ok := r.buildInfo(); ok {
		v.Version, v.Go = info.Main.Version, info.GoVersion
		if info.Main.Path != "" {
			v.Module = info.Main.Path
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.time":
				v.RevisionTime = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			case "GOOS":
				goos = s.Value
			case "GOARCH":
				goarch = s.Value
			}
		}
	}
	v.Platform = goos + "/" + goarch
	return v
}
