// Package cli implements the vtgraph command: a command-line client for the
// VirusTotal Threat Graphs API built on the vtgraph client library, a demo
// against the in-process test server, and "vtgraph serve", which runs that
// server for other programs to try against.
//
// The commands are a cobra command tree (root.go builds it), so help,
// flags and shell completion work as in gh, kubectl and vt-cli; the exit
// codes are this package's own (exit.go). Everything is reached through
// [Run], which takes the process's arguments, environment and streams as
// parameters so that tests can drive the whole command without a
// subprocess.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// Environment variables read by the command.
const (
	// EnvAPIKey holds the VirusTotal API key.
	EnvAPIKey = "VT_API_KEY"
	// EnvBaseURL overrides the API base URL, for example to point at a proxy
	// or a test server.
	EnvBaseURL = "VT_BASE_URL"
)

// userAgent identifies the command to the API.
const userAgent = "vtgraph-cli"

// Run runs the vtgraph command with args (without the program name) and
// returns the exit code; see the Exit constants. It reads the environment
// through env, reads standard input from stdin (for "-" arguments and
// confirmations), writes results to stdout and errors, hints and progress
// to stderr. Cancelling ctx stops the command with ExitInterrupted, and
// stops "vtgraph serve" cleanly.
func Run(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	return newRunner(env, stdin, stdout, stderr).execute(ctx, args)
}

// runner carries what one invocation needs: the global flags, the process's
// environment and streams, and the few things of the machine a command
// looks at, so that tests can replace them.
type runner struct {
	g      globalFlags
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// lookPath finds Graphviz's dot for the rendered export formats.
	lookPath func(file string) (string, error)
	// buildInfo describes the running binary for "vtgraph version".
	buildInfo func() (*debug.BuildInfo, bool)
}

func newRunner(env func(string) string, stdin io.Reader, stdout, stderr io.Writer) *runner {
	return &runner{
		getenv:    env,
		stdin:     stdin,
		stdout:    stdout,
		stderr:    stderr,
		lookPath:  exec.LookPath,
		buildInfo: debug.ReadBuildInfo,
	}
}

// execute parses args, runs the command they name and reports its error.
func (r *runner) execute(ctx context.Context, args []string) int {
	root := r.rootCommand()
	// cobra reads os.Args when given nil.
	root.SetArgs(append([]string{}, args...))
	cmd, err := root.ExecuteContextC(ctx)
	return r.fail(cmd, err)
}

// commandPath is the command's name as typed after "vtgraph", such as
// "comments add", or "" for vtgraph itself.
func commandPath(cmd *cobra.Command) string {
	if cmd == nil || !cmd.HasParent() {
		return ""
	}
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// fail reports err on stderr as "vtgraph: <command>: <message>", with a hint
// when one helps, and returns its exit code. A nil err is ExitOK.
func (r *runner) fail(cmd *cobra.Command, err error) int {
	if err == nil {
		return ExitOK
	}
	path := commandPath(cmd)
	prefix := "vtgraph: "
	if path != "" {
		prefix += path + ": "
	}
	code := ExitCode(err)
	var (
		valErr *vtgraph.ValidationError
		parErr *vtgraph.ParamError
	)
	switch {
	case errors.As(err, &valErr):
		fmt.Fprintf(r.stderr, "%sthe graph is invalid (%s):\n", prefix, plural(len(valErr.Problems), "problem"))
		for _, p := range valErr.Problems {
			fmt.Fprintf(r.stderr, "  %s\n", p.Error())
		}
	case errors.As(err, &parErr):
		fmt.Fprintf(r.stderr, "%sinvalid parameters:\n", prefix)
		for _, p := range parErr.Problems {
			fmt.Fprintf(r.stderr, "  %s\n", p.Error())
		}
	default:
		fmt.Fprintf(r.stderr, "%s%s\n", prefix, describe(err))
	}
	if code == ExitUsage {
		help := "vtgraph help"
		if path != "" {
			help = "vtgraph " + path + " --help"
		}
		fmt.Fprintf(r.stderr, "Run '%s' for usage.\n", help)
	} else if h := hint(path, err); h != "" {
		fmt.Fprintf(r.stderr, "hint: %s\n", h)
	}
	return code
}

// apiKey returns the key from --api-key-file or VT_API_KEY, never echoing
// it.
func (r *runner) apiKey() (string, error) {
	if path := r.g.apiKeyFile; path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", usagef("--api-key-file: %v", err)
		}
		key := strings.TrimSpace(string(b))
		if key == "" {
			return "", usagef("--api-key-file: %s is empty", path)
		}
		return key, nil
	}
	key := strings.TrimSpace(r.getenv(EnvAPIKey))
	if key == "" {
		return "", usagef("no API key: set %s to your VirusTotal API key, or pass --api-key-file PATH", EnvAPIKey)
	}
	return key, nil
}

// baseURL is --base-url, else VT_BASE_URL, else the client's default.
func (r *runner) baseURL() string {
	if r.g.baseURL != "" {
		return r.g.baseURL
	}
	if u := strings.TrimSpace(r.getenv(EnvBaseURL)); u != "" {
		return u
	}
	return vtgraph.DefaultBaseURL
}

// client builds the API client from the global flags and the environment.
func (r *runner) client() (*vtgraph.Client, error) {
	key, err := r.apiKey()
	if err != nil {
		return nil, err
	}
	if r.g.retries < 0 {
		return nil, usagef("--retries must not be negative, got %d", r.g.retries)
	}
	base := r.baseURL()
	c, err := vtgraph.New(key, r.clientOptions(base)...)
	if err != nil {
		msg := strings.ReplaceAll(describe(err), "WithBaseURL: ", fmt.Sprintf("base URL %q: ", base))
		return nil, usagef("%s", msg)
	}
	return c, nil
}

// clientOptions are the options every client of this command shares.
func (r *runner) clientOptions(baseURL string) []vtgraph.Option {
	opts := []vtgraph.Option{vtgraph.WithBaseURL(baseURL), vtgraph.WithUserAgent(userAgent)}
	if r.g.retries == 0 {
		opts = append(opts, vtgraph.WithoutRetries())
	} else {
		p := vtgraph.DefaultRetryPolicy()
		p.MaxAttempts = r.g.retries + 1
		opts = append(opts, vtgraph.WithRetryPolicy(p))
	}
	if r.g.verbose {
		h := slog.NewTextHandler(r.stderr, &slog.HandlerOptions{Level: slog.LevelDebug})
		opts = append(opts, vtgraph.WithLogger(slog.New(h)))
	}
	return opts
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
