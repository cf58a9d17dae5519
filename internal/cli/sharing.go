package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// Roles a graph is shared with.
const (
	roleViewer = "viewer"
	roleEditor = "editor"
)

// grantJSON is one grant in the --json output of share and unshare.
type grantJSON struct {
	Role string `json:"role"`
	Type string `json:"type"`
	ID   string `json:"id"`
}

// roleFlags are the repeatable --viewer and --editor flags.
type roleFlags struct {
	viewers, editors principalsFlag
}

func (f *roleFlags) define(cmd *cobra.Command, verb string) {
	fs := cmd.Flags()
	fs.Var(&f.viewers, "viewer", verb+" read access of `PRINCIPAL`: user:NAME or group:NAME (repeatable)")
	fs.Var(&f.editors, "editor", verb+" edit access of `PRINCIPAL`: user:NAME or group:NAME (repeatable)")
	completePrincipals(cmd, "viewer")
	completePrincipals(cmd, "editor")
}

func (r *runner) shareCommand() *cobra.Command {
	var f roleFlags
	cmd := &cobra.Command{
		Use:   "share [flags] ID (--viewer PRINCIPAL | --editor PRINCIPAL)...",
		Short: "Grant users or groups read or edit access to a graph.",
		Long: `
Viewers may read and comment; editors may also change the graph and share
it. A grant to a group applies to all its members. The owner and editors may
share; granting twice is harmless. The API grants all or none: if one user
or group does not exist, nothing is granted. The granted principals are
printed.`,
		Example: examples(
			"vtgraph share $ID --viewer user:bob",
			"vtgraph share $ID --editor group:threat-intel --viewer user:carol --viewer user:dave",
		),
		Args:              exactArgs(1),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			if len(f.viewers)+len(f.editors) == 0 {
				return usagef("give at least one --viewer or --editor")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			var granted []grantJSON
			for _, g := range []struct {
				role string
				who  []vtgraph.PrincipalRef
				add  func(context.Context, string, ...vtgraph.PrincipalRef) ([]*vtgraph.Principal, error)
			}{
				{roleViewer, f.viewers, c.AddViewers},
				{roleEditor, f.editors, c.AddEditors},
			} {
				if len(g.who) == 0 {
					continue
				}
				ps, err := g.add(ctx, args[0], g.who...)
				if err != nil {
					return err
				}
				for _, p := range ps {
					granted = append(granted, grantJSON{Role: g.role, Type: string(p.Type), ID: p.ID})
				}
			}
			return r.printGrants(granted)
		}),
	}
	f.define(cmd, "grant")
	return cmd
}

func (r *runner) unshareCommand() *cobra.Command {
	var f roleFlags
	cmd := &cobra.Command{
		Use:   "unshare [flags] ID (--viewer PRINCIPAL | --editor PRINCIPAL)...",
		Short: "Revoke users' or groups' read or edit access to a graph.",
		Long: `
Revoking a viewer does not revoke access the principal has as an editor or
through a group. The revoked grants are printed.`,
		Example: examples(
			"vtgraph unshare $ID --viewer user:bob",
			"vtgraph unshare $ID --editor group:threat-intel",
		),
		Args:              exactArgs(1),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			if len(f.viewers)+len(f.editors) == 0 {
				return usagef("give at least one --viewer or --editor")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			var revoked []grantJSON
			for _, g := range []struct {
				role   string
				who    []vtgraph.PrincipalRef
				remove func(context.Context, string, vtgraph.PrincipalRef) error
			}{
				{roleViewer, f.viewers, c.RemoveViewer},
				{roleEditor, f.editors, c.RemoveEditor},
			} {
				for _, p := range g.who {
					if err := g.remove(ctx, args[0], p); err != nil {
						return err
					}
					revoked = append(revoked, grantJSON{Role: g.role, Type: string(p.Type), ID: p.ID})
				}
			}
			return r.printGrants(revoked)
		}),
	}
	f.define(cmd, "revoke")
	return cmd
}

// printGrants prints the grants share and unshare changed.
func (r *runner) printGrants(grants []grantJSON) error {
	if r.g.json {
		if grants == nil {
			grants = []grantJSON{}
		}
		return writeJSON(r.stdout, grants)
	}
	tw := newTable(r.stdout, "ROLE", "TYPE", "ID")
	for _, g := range grants {
		row(tw, g.Role, g.Type, g.ID)
	}
	return tw.Flush()
}

// accessJSON is the --json output of access.
type accessJSON struct {
	Graph     string `json:"graph"`
	Principal string `json:"principal"`
	Role      string `json:"role"`
	Granted   bool   `json:"granted"`
}

func (r *runner) accessCommand() *cobra.Command {
	var f roleFlags
	cmd := &cobra.Command{
		Use:   "access [flags] ID (--viewer | --editor) PRINCIPAL",
		Short: "Check whether a user or group may view or edit a graph.",
		Long: `
Prints yes or no and exits 0 either way. A user counts as a viewer when they
own the graph, or were granted view or edit access directly or through a
group; a group only through a grant to that group. A public graph is
readable by everybody, but that is not a grant.`,
		Example: examples(
			"vtgraph access $ID --viewer user:bob",
			"vtgraph access $ID --editor group:threat-intel --json",
		),
		Args:              exactArgs(1),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			if len(f.viewers)+len(f.editors) != 1 {
				return usagef("give exactly one --viewer or --editor")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			var (
				p       vtgraph.PrincipalRef
				role    string
				granted bool
			)
			if len(f.viewers) == 1 {
				p, role = f.viewers[0], roleViewer
				granted, err = c.IsViewer(ctx, args[0], p)
			} else {
				p, role = f.editors[0], roleEditor
				granted, err = c.IsEditor(ctx, args[0], p)
			}
			if err != nil {
				return err
			}
			if r.g.json {
				return writeJSON(r.stdout, accessJSON{Graph: args[0], Principal: p.String(), Role: role, Granted: granted})
			}
			fmt.Fprintln(r.stdout, yesNo(granted))
			return nil
		}),
	}
	f.define(cmd, "check")
	return cmd
}
