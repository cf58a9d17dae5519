package cli

import (
	"fmt"
	"io"
	"iter"

	"github.com/spf13/pflag"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// pagingFlags are the paging flags of the list commands.
type pagingFlags struct {
	limit  int
	cursor string
	all    bool
	max    int
}

func (p *pagingFlags) define(fs *pflag.FlagSet, noun string) {
	fs.IntVar(&p.limit, "limit", 0, fmt.Sprintf("page size `N`, 1 to %d (default: the server's, 10)", vtgraph.MaxPageSize))
	fs.StringVar(&p.cursor, "cursor", "", "continue from the `CURSOR` a previous page printed")
	fs.BoolVar(&p.all, "all", false, "fetch every page, not just the first")
	fs.IntVar(&p.max, "max", 0, "with --all, stop after `N` "+noun+" (implies --all)")
}

// check rejects values the API would refuse, before any request.
func (p *pagingFlags) check() error {
	if p.limit < 0 || p.limit > vtgraph.MaxPageSize {
		return usagef("--limit must be between 1 and %d, got %d", vtgraph.MaxPageSize, p.limit)
	}
	if p.max < 0 {
		return usagef("--max must not be negative, got %d", p.max)
	}
	if p.max > 0 {
		p.all = true
	}
	return nil
}

func (p *pagingFlags) listOptions() vtgraph.ListOptions {
	return vtgraph.ListOptions{Limit: p.limit, Cursor: p.cursor}
}

func (p *pagingFlags) iterOptions(progress *vtgraph.ListPosition) *vtgraph.IterOptions {
	return &vtgraph.IterOptions{MaxItems: p.max, Progress: progress}
}

// moreHint tells on stderr how to get the next page, when there is one.
func moreHint(w io.Writer, cursor string) {
	if cursor != "" {
		fmt.Fprintf(w, "more results: add --cursor %s (or --all)\n", cursor)
	}
}

// collect gathers every item of a listing, showing on a terminal how many
// pages it has fetched. seq starts the listing with the position the
// progress line follows; label and noun word that line, as in "search: 80
// graphs so far".
func collect[T any](label, noun string, stderr io.Writer, seq func(*vtgraph.ListPosition) iter.Seq2[T, error]) ([]T, error) {
	var (
		pos   vtgraph.ListPosition
		items []T
		pages = 1
		line  = newProgress(stderr)
	)
	defer line.done()
	line.update("%s: fetching page 1…", label)
	for item, err := range seq(&pos) {
		if err != nil {
			return nil, err
		}
		items = append(items, item)
		// After a page's last item the position moves to the start of the
		// next page.
		if pos.Offset == 0 && !pos.Done {
			pages++
			line.update("%s: %s so far, fetching page %d…", label, plural(len(items), noun), pages)
		}
	}
	return items, nil
}
