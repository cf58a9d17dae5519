package cli

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// commentJSON is a comment in --json output.
type commentJSON struct {
	ID    string   `json:"id"`
	Date  *string  `json:"date"`
	Text  string   `json:"text"`
	Tags  []string `json:"tags"`
	Votes votes    `json:"votes"`
}

type votes struct {
	Positive int64 `json:"positive"`
	Negative int64 `json:"negative"`
	Abuse    int64 `json:"abuse"`
}

func toCommentJSON(c *vtgraph.Comment) commentJSON {
	tags := c.Tags
	if tags == nil {
		tags = []string{}
	}
	return commentJSON{ID: c.ID, Date: jsonTime(c.Date), Text: c.Text, Tags: tags, Votes: votes(c.Votes)}
}

func (r *runner) commentsCommand() *cobra.Command {
	return groupCommand("comments", "List or add comments on a graph.", []string{
		"vtgraph comments list $ID --all",
		"vtgraph comments add $ID 'Same C2 as last week #apt42'",
	}, r.commentsListCommand(), r.commentsAddCommand())
}

func (r *runner) commentsListCommand() *cobra.Command {
	var p pagingFlags
	cmd := &cobra.Command{
		Use:   "list [flags] ID",
		Short: "List the comments on a graph, newest first.",
		Example: examples(
			"vtgraph comments list $ID",
			"vtgraph comments list $ID --all --json",
		),
		Args:              exactArgs(1),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			if err := p.check(); err != nil {
				return err
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			opts := p.listOptions()
			var list []*vtgraph.Comment
			if p.all {
				list, err = collect("comments", "comment", r.stderr, func(pos *vtgraph.ListPosition) iter.Seq2[*vtgraph.Comment, error] {
					return c.ListCommentsIter(ctx, args[0], &opts, p.iterOptions(pos))
				})
			} else {
				var page *vtgraph.Page[*vtgraph.Comment]
				if page, err = c.ListComments(ctx, args[0], &opts); err == nil {
					list = page.Items
					defer moreHint(r.stderr, page.NextCursor)
				}
			}
			if err != nil {
				return err
			}
			if r.g.json {
				out := make([]commentJSON, len(list))
				for i, cm := range list {
					out[i] = toCommentJSON(cm)
				}
				return writeJSON(r.stdout, out)
			}
			return writeComments(r.stdout, list...)
		}),
	}
	p.define(cmd.Flags(), "comments")
	return cmd
}

// writeComments prints comments as a table, each text clipped to a line.
func writeComments(w io.Writer, comments ...*vtgraph.Comment) error {
	tw := newTable(w, "ID", "DATE", "TAGS", "TEXT")
	for _, cm := range comments {
		row(tw, cm.ID, timeText(cm.Date), strings.Join(cm.Tags, ","), clip(cm.Text, 80))
	}
	return tw.Flush()
}

func (r *runner) commentsAddCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "add [flags] ID TEXT...",
		Short: "Add a comment to a graph; words starting with # become tags.",
		Long: `
The words after the id are joined with spaces into the comment. A single "-"
reads the comment from standard input. Anyone who can see a graph may comment
on it.`,
		Example: examples(
			"vtgraph comments add $ID Resolves to the same /24 as the Lantern C2 '#infra'",
			"vtgraph comments add $ID - < notes.txt",
		),
		Args:              minArgs(2),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: r.action(func(ctx context.Context, args []string) error {
			text := strings.Join(args[1:], " ")
			if len(args) == 2 && args[1] == "-" {
				b, err := io.ReadAll(io.LimitReader(r.stdin, 1<<20))
				if err != nil {
					return fmt.Errorf("reading the comment: %w", err)
				}
				text = strings.TrimSpace(string(b))
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			cm, err := c.AddComment(ctx, args[0], text)
			if err != nil {
				return err
			}
			if r.g.json {
				return writeJSON(r.stdout, toCommentJSON(cm))
			}
			return writeComments(r.stdout, cm)
		}),
	}
}
