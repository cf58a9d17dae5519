package cli

import (
	"context"
	"iter"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

func (r *runner) searchCommand() *cobra.Command {
	var (
		filter, order, attrs string
		p                    pagingFlags
	)
	cmd := &cobra.Command{
		Use:   "search [flags]",
		Short: "Search the graphs the key can see.",
		Long: `
Without --all, one page is printed and, when more follow, the cursor of the
next page is printed on stderr. With --all every page is fetched; on a
terminal a progress line on stderr counts them.

The filter uses VirusTotal's graph search syntax: modifiers such as
owner:NAME, group:NAME, name:TEXT, label:TEXT, private:true, domain:NAME,
ip_address:IP, file:HASH, total_nodes:5+ or creation_date:2024-01-01+,
combined with AND, OR, NOT and parentheses; other words search all text.`,
		Example: examples(
			"vtgraph search --filter 'owner:alice private:true' --order -last_modified_date",
			"vtgraph search --filter 'domain:example.com' --all --max 200 --json",
			"vtgraph search --limit 40 --cursor CURSOR",
		),
		Args:              exactArgs(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, _ []string) error {
			if err := p.check(); err != nil {
				return err
			}
			o, err := parseOrder(order)
			if err != nil {
				return err
			}
			opts := &vtgraph.SearchOptions{
				Filter:      vtgraph.FilterRaw(filter),
				Order:       o,
				Attributes:  splitList(attrs),
				ListOptions: p.listOptions(),
			}
			if err := opts.Validate(); err != nil {
				return err
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			var graphs []*vtgraph.Graph
			if p.all {
				graphs, err = collect("search", "graph", r.stderr, func(pos *vtgraph.ListPosition) iter.Seq2[*vtgraph.Graph, error] {
					return c.SearchGraphsIter(ctx, opts, p.iterOptions(pos))
				})
			} else {
				var page *vtgraph.Page[*vtgraph.Graph]
				page, err = c.SearchGraphs(ctx, opts)
				if err == nil {
					graphs = page.Items
					defer moreHint(r.stderr, page.NextCursor)
				}
			}
			if err != nil {
				return err
			}
			return r.printGraphs(graphs)
		}),
	}
	fs := cmd.Flags()
	fs.StringVar(&filter, "filter", "", "search `QUERY`, such as 'owner:alice label:\"Kill switch\"'")
	fs.StringVar(&order, "order", "", "sort by `FIELD` (name, owner, creation_date, last_modified_date, views_count, comments_count); -FIELD for descending")
	fs.StringVar(&attrs, "attributes", "", "comma-separated `LIST` of attributes to fetch, such as private,graph_data")
	p.define(fs, "graphs")
	completeOrder(cmd, "order")
	completeAttributes(cmd, "attributes")
	return cmd
}

// printGraphs prints search results as a table or a JSON array of graph
// objects.
func (r *runner) printGraphs(graphs []*vtgraph.Graph) error {
	if r.g.json {
		if graphs == nil {
			graphs = []*vtgraph.Graph{}
		}
		return writeJSON(r.stdout, graphs)
	}
	tw := newTable(r.stdout, "ID", "NAME", "NODES", "PRIVATE", "VIEWS", "COMMENTS", "MODIFIED")
	for _, g := range graphs {
		row(tw, g.ID, clip(g.Description, 40), itoa(int64(len(g.Nodes))), yesNo(g.Private),
			itoa(g.ViewsCount), itoa(g.CommentsCount), timeText(g.LastModifiedDate))
	}
	return tw.Flush()
}
