// Package cli implements the vtgraph command: a command-line client for the
// VirusTotal Threat Graphs API built on the vtgraph client library, and its
// demo against the in-process test server.
//
// Everything is reached through [Run], which takes the process's arguments,
// environment and streams as parameters so that tests can drive the whole
// command without a subprocess.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"

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
// through env, reads standard input from stdin (for "-" arguments), writes
// results to stdout and errors, hints and progress to stderr. Cancelling ctx
// stops the command with ExitInterrupted.
func Run(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	r := &runner{
		g:      globalFlags{timeout: defaultTimeout, retries: defaultRetries},
		getenv: env,
		stdin:  stdin,
		stdout: stdout,
		stderr: stderr,
	}
	fs := flag.NewFlagSet("vtgraph", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	r.g.define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeMainHelp(stdout)
			return ExitOK
		}
		return r.fail(nil, flagError(err))
	}
	if fs.NArg() == 0 {
		writeMainHelp(stderr)
		return ExitUsage
	}
	return r.dispatch(ctx, nil, commands(), fs.Args())
}

// runner carries what one invocation needs: the global flags and the
// process's environment and streams.
type runner struct {
	g      globalFlags
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// dispatch finds the command named by args[0] among cmds, parses its flags
// and runs it. parent is the enclosing command of a subcommand, or nil.
func (r *runner) dispatch(ctx context.Context, parent *command, cmds []*command, args []string) int {
	name := args[0]
	if parent == nil && name == "help" {
		return r.help(args[1:])
	}
	cmd := findCommand(cmds, name)
	if cmd == nil {
		if parent != nil {
			return r.fail(parent, usagef("unknown subcommand %q; want %s", name, commandNames(cmds)))
		}
		return r.fail(nil, usagef("unknown command %q; run 'vtgraph help' for the list", name))
	}
	if len(cmd.subs) > 0 {
		if len(args) == 1 {
			return r.fail(cmd, usagef("missing subcommand; want %s", commandNames(cmd.subs)))
		}
		switch args[1] {
		case "-h", "-help", "--help", "help":
			writeCommandHelp(r.stdout, cmd)
			return ExitOK
		}
		return r.dispatch(ctx, cmd, cmd.subs, args[1:])
	}

	fs := cmd.flagSet()
	run := cmd.setup(fs)
	r.g.define(fs)
	pos, err := parseInterspersed(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		writeCommandHelp(r.stdout, cmd)
		return ExitOK
	}
	if err != nil {
		return r.fail(cmd, flagError(err))
	}
	if cmd.nargs >= 0 && len(pos) != cmd.nargs {
		return r.fail(cmd, argCountError(cmd, pos))
	}
	if r.g.timeout < 0 {
		return r.fail(cmd, usagef("--timeout must not be negative, got %s", r.g.timeout))
	}
	if r.g.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.g.timeout)
		defer cancel()
	}
	return r.fail(cmd, run(ctx, r, pos))
}

// flagError turns an error of the flag package into a usage error, naming
// flags with the "--" this command's help uses.
func flagError(err error) error {
	return usagef("%s", singleDash.ReplaceAllString(err.Error(), "$1--$2"))
}

// singleDash finds flag names the flag package writes with one dash.
var singleDash = regexp.MustCompile(`(\s)-([a-z][a-z-]*)`)

// argCountError explains a wrong number of positional arguments.
func argCountError(cmd *command, pos []string) error {
	if len(pos) > cmd.nargs {
		return usagef("unexpected argument %q; usage: %s", pos[cmd.nargs], cmd.synopsis())
	}
	return usagef("missing argument; usage: %s", cmd.synopsis())
}

// fail reports err on stderr as "vtgraph: <command>: <message>", with a hint
// when one helps, and returns its exit code. A nil err is ExitOK.
func (r *runner) fail(cmd *command, err error) int {
	if err == nil {
		return ExitOK
	}
	prefix := "vtgraph: "
	if cmd != nil {
		prefix += cmd.path() + ": "
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
		if cmd != nil {
			help = "vtgraph " + cmd.path() + " --help"
		}
		fmt.Fprintf(r.stderr, "Run '%s' for usage.\n", help)
	} else if h := hint(err); h != "" {
		fmt.Fprintf(r.stderr, "hint: %s\n", h)
	}
	return code
}

// help serves "vtgraph help [command [subcommand]]".
func (r *runner) help(args []string) int {
	if len(args) == 0 {
		writeMainHelp(r.stdout)
		return ExitOK
	}
	cmds := commands()
	var cmd *command
	for _, name := range args {
		c := findCommand(cmds, name)
		if c == nil {
			return r.fail(nil, usagef("help: unknown command %q", strings.Join(args, " ")))
		}
		cmd, cmds = c, c.subs
	}
	writeCommandHelp(r.stdout, cmd)
	return ExitOK
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
