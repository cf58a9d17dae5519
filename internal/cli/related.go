package cli

import (
	"context"
	"encoding/json"
	"iter"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// relations lists the relationships the related command offers, in the
// order its help shows them.
var relations = []vtgraph.Relation{
	vtgraph.RelationOwner, vtgraph.RelationGroup, vtgraph.RelationItems,
	vtgraph.RelationViewers, vtgraph.RelationEditors, vtgraph.RelationComments,
}

// objectJSON is a related object in --json output. Descriptors leave out
// the attributes and the link.
type objectJSON struct {
	Type              string                     `json:"type"`
	ID                string                     `json:"id"`
	Attributes        map[string]json.RawMessage `json:"attributes,omitempty"`
	ContextAttributes map[string]json.RawMessage `json:"context_attributes,omitempty"`
	Self              string                     `json:"self,omitempty"`
}

func (r *runner) relatedCommand() *cobra.Command {
	names := make([]string, len(relations))
	for i, r := range relations {
		names[i] = string(r)
	}
	var (
		p           pagingFlags
		descriptors bool
	)
	cmd := &cobra.Command{
		Use:   "related [flags] ID RELATIONSHIP",
		Short: "List the objects related to a graph: " + strings.Join(names, ", ") + ".",
		Long: `
owner is the user who owns the graph and group the group it belongs to (none
for an owner in no group); items are the entities it shows (files, domains,
IP addresses, URLs…); viewers and editors are the users and groups it is
shared with; comments are its comments. --descriptors fetches only each
object's type and id, which is cheaper. A relationship VirusTotal adds later
can be named too.`,
		Example: examples(
			"vtgraph related $ID items --all",
			"vtgraph related $ID viewers --descriptors --json",
		),
		Args: exactArgs(2),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) != 1 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: r.action(func(ctx context.Context, args []string) error {
			if err := p.check(); err != nil {
				return err
			}
			id, rel := args[0], vtgraph.Relation(args[1])
			c, err := r.client()
			if err != nil {
				return err
			}
			opts := p.listOptions()
			var objs []objectJSON
			if descriptors {
				var ds []vtgraph.Descriptor
				if p.all {
					ds, err = collect(string(rel), "object", r.stderr, func(pos *vtgraph.ListPosition) iter.Seq2[vtgraph.Descriptor, error] {
						return c.ListRelatedDescriptorsIter(ctx, id, rel, &opts, p.iterOptions(pos))
					})
				} else {
					var page *vtgraph.Page[vtgraph.Descriptor]
					if page, err = c.ListRelatedDescriptors(ctx, id, rel, &opts); err == nil {
						ds = page.Items
						defer moreHint(r.stderr, page.NextCursor)
					}
				}
				for _, d := range ds {
					objs = append(objs, objectJSON{Type: d.Type, ID: d.ID, ContextAttributes: d.ContextAttributes})
				}
			} else {
				var list []*vtgraph.Object
				if p.all {
					list, err = collect(string(rel), "object", r.stderr, func(pos *vtgraph.ListPosition) iter.Seq2[*vtgraph.Object, error] {
						return c.ListRelatedIter(ctx, id, rel, &opts, p.iterOptions(pos))
					})
				} else {
					var page *vtgraph.Page[*vtgraph.Object]
					if page, err = c.ListRelated(ctx, id, rel, &opts); err == nil {
						list = page.Items
						defer moreHint(r.stderr, page.NextCursor)
					}
				}
				for _, o := range list {
					objs = append(objs, objectJSON{Type: o.Type, ID: o.ID, Attributes: o.Attributes,
						ContextAttributes: o.ContextAttributes, Self: o.SelfLink})
				}
			}
			if err != nil {
				return err
			}
			if r.g.json {
				if objs == nil {
					objs = []objectJSON{}
				}
				return writeJSON(r.stdout, objs)
			}
			header := []string{"TYPE", "ID"}
			if !descriptors {
				header = append(header, "DETAILS")
			}
			tw := newTable(r.stdout, header...)
			for _, o := range objs {
				if descriptors {
					row(tw, o.Type, o.ID)
				} else {
					row(tw, o.Type, o.ID, objectDetails(o.Type, o.Attributes))
				}
			}
			return tw.Flush()
		}),
	}
	cmd.Flags().BoolVar(&descriptors, "descriptors", false, "list only each object's type and id")
	p.define(cmd.Flags(), "objects")
	return cmd
}

// objectDetails picks the attribute that says most about an object in one
// cell: a comment's text, a user's name, an entity's label.
func objectDetails(typ string, attrs map[string]json.RawMessage) string {
	str := func(key string) string {
		var s string
		if json.Unmarshal(attrs[key], &s) != nil {
			return ""
		}
		return s
	}
	switch typ {
	case "comment":
		return clip(str("text"), 60)
	case "user":
		return strings.TrimSpace(str("first_name") + " " + str("last_name"))
	}
	for _, key := range []string{"text", "name", "meaningful_name", "url"} {
		if s := str(key); s != "" {
			return clip(s, 60)
		}
	}
	return ""
}
