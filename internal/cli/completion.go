package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// shells are the shells "vtgraph completion" writes scripts for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

func completionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "completion [flags] SHELL",
		Short: "Print the shell completion script for bash, zsh, fish or powershell.",
		Long: `
The script completes commands, flags, flag values (formats, sort fields,
relationships, user: and group: prefixes) and file names where a flag takes
a file. Load it in the shell's startup file:

  bash        echo 'source <(vtgraph completion bash)' >> ~/.bashrc
              (needs the bash-completion package)
  zsh         vtgraph completion zsh > "${fpath[1]}/_vtgraph"
              (with compinit enabled; start a new shell)
  fish        vtgraph completion fish > ~/.config/fish/completions/vtgraph.fish
  powershell  vtgraph completion powershell >> $PROFILE`,
		Example: examples(
			"source <(vtgraph completion bash)",
			"vtgraph completion zsh > ~/.zsh/completions/_vtgraph",
		),
		Args:      exactArgs(1),
		ValidArgs: shells,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(cmd.OutOrStdout(), true)
			case "zsh":
				return root.GenZshCompletion(cmd.OutOrStdout())
			case "fish":
				return root.GenFishCompletion(cmd.OutOrStdout(), true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(cmd.OutOrStdout())
			}
			return usagef("unknown shell %q; want %s", args[0], strings.Join(shells, ", "))
		},
	}
}

// registerGlobalCompletions completes the global flags' values.
func registerGlobalCompletions(root *cobra.Command) {
	_ = root.MarkPersistentFlagFilename("api-key-file")
	_ = root.RegisterFlagCompletionFunc("base-url", cobra.NoFileCompletions)
	_ = root.RegisterFlagCompletionFunc("timeout", cobra.FixedCompletions([]cobra.Completion{"30s", "2m", "10m", "0"}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("retries", cobra.FixedCompletions([]cobra.Completion{"0", "3"}, cobra.ShellCompDirectiveNoFileComp))
}

// completeOrder completes a sort order: each field, ascending or descending.
func completeOrder(cmd *cobra.Command, flag string) {
	var choices []cobra.Completion
	for _, f := range orderFields {
		choices = append(choices, cobra.CompletionWithDesc(f, "ascending"), cobra.CompletionWithDesc("-"+f, "descending"))
	}
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(choices, cobra.ShellCompDirectiveNoFileComp))
}

// graphAttributes are the attributes of a graph object, for --attributes.
var graphAttributes = []string{
	"graph_data", "private", "nodes", "links", "creation_date", "last_modified_date",
	"views_count", "comments_count",
}

// completeAttributes completes a comma-separated attribute list, one name
// after the last comma.
func completeAttributes(cmd *cobra.Command, flag string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		done := ""
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			done = toComplete[:i+1]
		}
		var out []cobra.Completion
		for _, a := range graphAttributes {
			if !strings.Contains(","+done, ","+a+",") {
				out = append(out, done+a)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
}

// completePrincipals completes the user: and group: prefixes of a
// principal; the names are the API's to know.
func completePrincipals(cmd *cobra.Command, flag string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(
		[]cobra.Completion{cobra.CompletionWithDesc("user:", "a user by id"), cobra.CompletionWithDesc("group:", "a group by id")},
		cobra.ShellCompDirectiveNoFileComp|cobra.ShellCompDirectiveNoSpace))
}
