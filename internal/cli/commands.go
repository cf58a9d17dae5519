package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// runFunc runs a command with its positional arguments, its flags already
// parsed into the variables setup bound them to.
type runFunc func(ctx context.Context, r *runner, args []string) error

// command is one vtgraph command, or a group of subcommands.
type command struct {
	name    string
	args    string // positional arguments and required flags, for the usage line
	nargs   int    // exact number of positional arguments, or -1 to let run check
	summary string
	about   string
	example []string
	// setup defines the command's flags on fs and returns the function that
	// runs it. It is nil for a group.
	setup  func(fs *flag.FlagSet) runFunc
	subs   []*command
	parent *command
}

// commands returns the command tree, fresh for each use.
func commands() []*command {
	cmds := []*command{
		searchCommand(),
		getCommand(),
		createCommand(),
		updateCommand(),
		deleteCommand(),
		shareCommand(),
		unshareCommand(),
		accessCommand(),
		commentsCommand(),
		relatedCommand(),
		exportCommand(),
		demoCommand(),
	}
	for _, c := range cmds {
		for _, s := range c.subs {
			s.parent = c
		}
	}
	return cmds
}

func findCommand(cmds []*command, name string) *command {
	for _, c := range cmds {
		if c.name == name {
			return c
		}
	}
	return nil
}

func commandNames(cmds []*command) string {
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	return strings.Join(names, " or ")
}

// path is the command's name as typed after "vtgraph", such as
// "comments add".
func (c *command) path() string {
	if c.parent != nil {
		return c.parent.path() + " " + c.name
	}
	return c.name
}

func (c *command) synopsis() string {
	s := "vtgraph " + c.path()
	if len(c.subs) > 0 {
		return s + " <" + strings.Join(strings.Split(commandNames(c.subs), " or "), "|") + "> ..."
	}
	s += " [flags]"
	if c.args != "" {
		s += " " + c.args
	}
	return s
}

func (c *command) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("vtgraph "+c.path(), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// writeMainHelp prints the overview: commands, global flags, environment
// and exit codes.
func writeMainHelp(w io.Writer) {
	fmt.Fprint(w, `vtgraph searches, creates, shares and exports VirusTotal Threat Graphs.

Usage:
  vtgraph [global flags] <command> [flags] [arguments]

Commands:
`)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	fmt.Fprintf(tw, "  help\tShow help for a command.\n")
	tw.Flush()
	fmt.Fprint(w, "\nGlobal flags (before or after the command):\n")
	var g globalFlags
	g.timeout, g.retries = defaultTimeout, defaultRetries
	fs := flag.NewFlagSet("vtgraph", flag.ContinueOnError)
	g.define(fs)
	writeFlags(w, fs, func(string) bool { return true })
	fmt.Fprintf(w, `
Environment:
  %s   the VirusTotal API key (never pass it on the command line)
  %s  the API base URL; --base-url overrides it

Exit codes:
`, EnvAPIKey, EnvBaseURL)
	tw = tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, e := range exitCodes {
		fmt.Fprintf(tw, "  %d\t%s\n", e.code, e.text)
	}
	tw.Flush()
	fmt.Fprint(w, `
Tables are for people; add --json for one JSON document (lists are arrays).
Run 'vtgraph help <command>' or 'vtgraph <command> --help' for details,
and 'vtgraph demo' for a tour that needs no key and no network.
`)
}

// writeCommandHelp prints a command's usage, description, flags and
// examples.
func writeCommandHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage:\n  %s\n\n%s\n", c.synopsis(), c.summary)
	if c.about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.about))
	}
	if len(c.subs) > 0 {
		fmt.Fprint(w, "\nSubcommands:\n")
		tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		for _, s := range c.subs {
			fmt.Fprintf(tw, "  %s\t%s\n", s.name, s.summary)
		}
		tw.Flush()
	} else {
		fs := c.flagSet()
		c.setup(fs)
		var own bool
		fs.VisitAll(func(*flag.Flag) { own = true })
		if own {
			fmt.Fprint(w, "\nFlags:\n")
			writeFlags(w, fs, func(name string) bool { return !isGlobal(name) })
		}
	}
	if len(c.example) > 0 {
		fmt.Fprint(w, "\nExamples:\n")
		for _, e := range c.example {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	fmt.Fprint(w, "\nGlobal flags (--json, --base-url, --api-key-file, --timeout, --verbose, --retries)\nand exit codes are described by 'vtgraph help'.\n")
}

// writeFlags lists the flags of fs that keep selects, in the "--name VALUE
// description" style.
func writeFlags(w io.Writer, fs *flag.FlagSet, keep func(string) bool) {
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if keep(f.Name) {
			flags = append(flags, f)
		}
	})
	sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, f := range flags {
		value, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if value != "" {
			name += " " + value
		}
		if def := f.DefValue; def != "" && def != "0" && def != "false" && def != "0s" {
			usage += " (default " + def + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, usage)
	}
	tw.Flush()
}
