package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
)

// rootCommand builds the command tree, fresh for each run, bound to r.
func (r *runner) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "vtgraph",
		Short: "vtgraph searches, creates, shares and exports VirusTotal Threat Graphs.",
		// Bare "vtgraph" prints help; anything else that is not a command is
		// a usage error, worded here rather than by cobra.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return unknownCommand(cmd, args[0])
		},
		SilenceErrors:              true,
		SilenceUsage:               true,
		SuggestionsMinimumDistance: 2,
		// The completion command is this package's, with its own help.
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetIn(r.stdin)
	root.SetOut(r.stdout)
	root.SetErr(r.stderr)
	r.g.define(root.PersistentFlags())
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return flagError(err) })
	root.SetHelpFunc(func(cmd *cobra.Command, _ []string) { writeHelp(cmd) })
	root.SetHelpCommand(r.helpCommand())
	registerGlobalCompletions(root)

	for _, cmd := range []*cobra.Command{
		r.searchCommand(),
		r.getCommand(),
		r.createCommand(),
		r.updateCommand(),
		r.deleteCommand(),
		r.shareCommand(),
		r.unshareCommand(),
		r.accessCommand(),
		r.commentsCommand(),
		r.relatedCommand(),
		r.expandCommand(),
		r.enrichCommand(),
		r.connectCommand(),
		r.exportCommand(),
		r.diffCommand(),
		r.demoCommand(),
		r.serveCommand(),
		completionCommand(),
		r.versionCommand(),
	} {
		root.AddCommand(cmd)
	}
	walk(root, func(c *cobra.Command) {
		// Each Use line already says where [flags] go.
		c.DisableFlagsInUseLine = true
	})
	return root
}

// init keeps the commands in the order the help lists them: the order of an
// investigation, not the alphabet.
func init() { cobra.EnableCommandSorting = false }

// walk calls fn on cmd and every command below it.
func walk(cmd *cobra.Command, fn func(*cobra.Command)) {
	fn(cmd)
	for _, c := range cmd.Commands() {
		walk(c, fn)
	}
}

// unknownCommand explains a first argument that names no command.
func unknownCommand(root *cobra.Command, name string) error {
	if s := root.SuggestionsFor(name); len(s) > 0 {
		return usagef("unknown command %q (did you mean %q?); run 'vtgraph help' for the list", name, s[0])
	}
	return usagef("unknown command %q; run 'vtgraph help' for the list", name)
}

// action adapts a command's body to cobra, bounding it by --timeout.
func (r *runner) action(run func(ctx context.Context, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		if r.g.timeout < 0 {
			return usagef("--timeout must not be negative, got %s", r.g.timeout)
		}
		if r.g.timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, r.g.timeout)
			defer cancel()
		}
		return run(ctx, args)
	}
}

// exactArgs requires n positional arguments.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("unexpected argument %q; usage: %s", args[n], cmd.UseLine())
		}
		if len(args) < n {
			return usagef("missing argument; usage: %s", cmd.UseLine())
		}
		return nil
	}
}

// minArgs requires at least n positional arguments.
func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("missing argument; usage: %s", cmd.UseLine())
		}
		return nil
	}
}

// groupCommand is a command that only holds subcommands, such as
// "comments". Run alone or with an unknown subcommand it is a usage error.
func groupCommand(use, short string, example []string, subs ...*cobra.Command) *cobra.Command {
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.Name()
	}
	want := strings.Join(names, " or ")
	cmd := &cobra.Command{
		Use:     use + " <" + strings.Join(names, "|") + "> ...",
		Short:   short,
		Example: examples(example...),
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return usagef("missing subcommand; want %s", want)
			case args[0] == "help":
				return cmd.Help()
			}
			return usagef("unknown subcommand %q; want %s", args[0], want)
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	cmd.AddCommand(subs...)
	return cmd
}

// examples joins example command lines for cobra's Example field.
func examples(lines ...string) string {
	return strings.Join(lines, "\n")
}

// helpCommand serves "vtgraph help [command [subcommand]]".
func (r *runner) helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [flags] [COMMAND]...",
		Short: "Show help for a command.",
		Long: `
Without a command, lists the commands, the global flags, the environment and
the exit codes. 'vtgraph help COMMAND' is the same as 'vtgraph COMMAND --help'.`,
		Example: examples("vtgraph help", "vtgraph help comments add"),
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			target := cmd.Root()
			for _, name := range args {
				next := findCommand(target, name)
				if next == nil {
					return usagef("unknown command %q", strings.Join(args, " "))
				}
				target = next
			}
			writeHelp(target)
			return nil
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			target := cmd.Root()
			for _, name := range args {
				if target = findCommand(target, name); target == nil {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
			}
			var out []cobra.Completion
			for _, c := range target.Commands() {
				if c.IsAvailableCommand() {
					out = append(out, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
	}
}

// findCommand finds a visible subcommand of parent by name.
func findCommand(parent *cobra.Command, name string) *cobra.Command {
	for _, c := range parent.Commands() {
		if c.Name() == name && (c.IsAvailableCommand() || c.Name() == "help") {
			return c
		}
	}
	return nil
}
