package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// writeHelp prints the help of cmd on its standard output: the overview
// for vtgraph itself, else the command's usage, description, flags and
// examples.
func writeHelp(cmd *cobra.Command) {
	w := cmd.OutOrStdout()
	if !cmd.HasParent() {
		writeMainHelp(w, cmd)
		return
	}
	writeCommandHelp(w, cmd)
}

// writeMainHelp prints the overview: commands, global flags, environment
// and exit codes.
func writeMainHelp(w io.Writer, root *cobra.Command) {
	fmt.Fprintf(w, `%s

Usage:
  vtgraph [global flags] <command> [flags] [arguments]

Commands:
`, root.Short)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			fmt.Fprintf(tw, "  %s\t%s\n", c.Name(), c.Short)
		}
	}
	fmt.Fprintf(tw, "  help\tShow help for a command.\n")
	tw.Flush()
	fmt.Fprint(w, "\nGlobal flags (before or after the command):\n")
	writeFlags(w, root.PersistentFlags())
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
'vtgraph demo' for a tour that needs no key and no network, and
'vtgraph serve' for a local server to try every command against.
`)
}

// writeCommandHelp prints a command's usage, description, flags and
// examples.
func writeCommandHelp(w io.Writer, c *cobra.Command) {
	fmt.Fprintf(w, "Usage:\n  %s\n\n%s\n", c.UseLine(), c.Short)
	if about := strings.TrimSpace(c.Long); about != "" {
		fmt.Fprintf(w, "\n%s\n", about)
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprint(w, "\nSubcommands:\n")
		tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() {
				fmt.Fprintf(tw, "  %s\t%s\n", s.Name(), s.Short)
			}
		}
		tw.Flush()
	} else if own := ownFlags(c); own.HasFlags() {
		fmt.Fprint(w, "\nFlags:\n")
		writeFlags(w, own)
	}
	if c.Example != "" {
		fmt.Fprint(w, "\nExamples:\n")
		for _, e := range strings.Split(c.Example, "\n") {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	fmt.Fprint(w, "\nGlobal flags (--json, --base-url, --api-key-file, --timeout, --verbose, --retries)\nand exit codes are described by 'vtgraph help'.\n")
}

// ownFlags are the flags a command defines itself: not the global ones,
// and not --help, which every command has.
func ownFlags(c *cobra.Command) *pflag.FlagSet {
	own := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
	c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" {
			own.AddFlag(f)
		}
	})
	return own
}

// writeFlags lists flags in the "--name VALUE  description" style, sorted
// by name.
func writeFlags(w io.Writer, fs *pflag.FlagSet) {
	var flags []*pflag.Flag
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			flags = append(flags, f)
		}
	})
	sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, f := range flags {
		value, usage := pflag.UnquoteUsage(f)
		name := "--" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", " + name
		}
		if value != "" {
			name += " " + value
		}
		if def := f.DefValue; def != "" && def != "0" && def != "false" && def != "0s" && def != "[]" {
			usage += " (default " + def + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, usage)
	}
	tw.Flush()
}
