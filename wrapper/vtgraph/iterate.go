package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
)

// IterOptions tune an all-pages iterator. A nil *IterOptions means the
// defaults: every item, no prefetch, from the start (or from
// ListOptions.Cursor).
type IterOptions struct {
	// MaxItems stops the iteration after that many items; zero means no cap.
	MaxItems int

	// Prefetch fetches the next page in the background while the loop body
	// works on the current one. It trades one extra in-flight request for
	// latency; breaking out of the loop cancels that request and waits for it,
	// so nothing outlives the loop either way.
	Prefetch bool

	// Start resumes an earlier iteration exactly where it stopped: set it to
	// the ListPosition that Progress held when that iteration ended. It must
	// not be combined with ListOptions.Cursor.
	Start ListPosition

	// Progress, when not nil, is kept up to date by the iterator: while the
	// loop body runs for an item, it holds the position just after that item.
	// Saving it at the end of the loop body and passing it back as Start
	// continues with the next item, neither repeating nor skipping one, even
	// in the middle of a page.
	Progress *ListPosition
}

// ListPosition is a point in a listing, precise to the item: the cursor of the
// page holding the next item and that item's offset within the page. The zero
// value is the start of the listing.
//
// A position is only meaningful for the same endpoint and query (filter,
// order) it was taken from. It does not depend on the page size, so a
// resumed iteration may use a different Limit.
//
// Its text form (MarshalText) is opaque but stable, for storing between runs.
type ListPosition struct {
	// Cursor is the cursor of the page holding the next item; empty means the
	// first page.
	Cursor string
	// Offset is the number of items of that page already consumed.
	Offset int
	// Done marks a listing that was consumed to its end; resuming from it
	// yields nothing.
	Done bool
}

const positionVersion = "v1"

// MarshalText encodes p as "v1:<offset>:<cursor>", or "v1:done".
func (p ListPosition) MarshalText() ([]byte, error) {
	if p.Offset < 0 {
		return nil, fmt.Errorf("vtgraph: list position: negative offset %d", p.Offset)
	}
	if p.Done {
		return []byte(positionVersion + ":done"), nil
	}
	return []byte(positionVersion + ":" + strconv.Itoa(p.Offset) + ":" + p.Cursor), nil
}

// UnmarshalText decodes the form written by MarshalText.
func (p *ListPosition) UnmarshalText(text []byte) error {
	rest, ok := strings.CutPrefix(string(text), positionVersion+":")
	if !ok {
		return errors.New("vtgraph: list position: unknown format")
	}
	if rest == "done" {
		*p = ListPosition{Done: true}
		return nil
	}
	off, cursor, ok := strings.Cut(rest, ":")
	if !ok {
		return errors.New("vtgraph: list position: missing offset")
	}
	n, err := strconv.Atoi(off)
	if err != nil || n < 0 {
		return fmt.Errorf("vtgraph: list position: invalid offset %q", off)
	}
	*p = ListPosition{Cursor: cursor, Offset: n}
	return nil
}

// fetchFunc fetches the page that opts.Cursor names. The iterator relies on
// this contract:
//   - it honours ctx and returns promptly once ctx is done;
//   - before it returns, it has closed the response body and stopped every
//     goroutine it started, so waiting for it to return is enough to leave
//     nothing behind;
//   - it returns a non-nil page whenever err is nil, with NextCursor empty on
//     the last page;
//   - it treats opts as its own copy and does not keep it.
type fetchFunc[T any] func(ctx context.Context, opts ListOptions) (*Page[T], error)

// iterate walks every item of a listing, fetching pages lazily with fetch.
//
// opts and cfg are copied when iterate is called, so the caller may reuse or
// change them afterwards, and ranging over the result twice starts over
// twice. Options are validated when the loop starts, before any request; a
// problem is yielded once as a *ParamError. A fetch error is yielded once and
// ends the loop. The loop ends quietly when the next cursor is empty; a
// cursor already used ends it with a *RepeatedCursorError once the page's
// items are yielded, since following it would loop forever and stopping
// quietly would pass a cut listing off as complete.
//
// Without cfg.Prefetch no goroutine is started. With it, one goroutine at a
// time fetches the next page; every exit from the loop, including a panic in
// the loop body, cancels it and waits for it before the loop returns.
func iterate[T any](ctx context.Context, opts ListOptions, cfg *IterOptions, fetch fetchFunc[T]) iter.Seq2[T, error] {
	var c IterOptions
	if cfg != nil {
		c = *cfg
	}
	return func(yield func(T, error) bool) {
		var zero T
		if err := checkIter(opts, c); err != nil {
			yield(zero, err)
			return
		}
		it := pageWalk[T]{ctx: ctx, opts: opts, cfg: c, fetch: fetch, seen: map[string]bool{}}
		defer it.stopPrefetch()
		if err := it.run(yield); err != nil {
			yield(zero, err)
		}
	}
}

func checkIter(opts ListOptions, c IterOptions) error {
	var p paramProblems
	opts.check(&p)
	if c.MaxItems < 0 {
		p.addf("IterOptions.MaxItems", "must not be negative, got %d", c.MaxItems)
	}
	if c.Start.Offset < 0 {
		p.addf("IterOptions.Start.Offset", "must not be negative, got %d", c.Start.Offset)
	}
	if opts.Cursor != "" && c.Start != (ListPosition{}) {
		p.add("cursor", "set either ListOptions.Cursor or IterOptions.Start, not both")
	}
	if strings.ContainsFunc(c.Start.Cursor, isCtrlRune) {
		p.add("IterOptions.Start.Cursor", "must not contain control characters")
	}
	return p.err()
}

// pageWalk is the state of one range over an iterate sequence.
type pageWalk[T any] struct {
	ctx     context.Context
	opts    ListOptions
	cfg     IterOptions
	fetch   fetchFunc[T]
	seen    map[string]bool
	yielded int
	pending *pagePrefetch[T]
}

func (it *pageWalk[T]) run(yield func(T, error) bool) error {
	start := it.cfg.Start
	if start == (ListPosition{}) {
		start.Cursor = it.opts.Cursor
	}
	if start.Done {
		it.setProgress(start)
		return nil
	}
	cursor, skip := start.Cursor, start.Offset
	if cursor != "" {
		it.seen[cursor] = true
	}
	for {
		page, err := it.page(cursor)
		if err != nil {
			return err
		}
		next := page.NextCursor
		repeated := next != "" && it.seen[next]
		// after is the position past the page's last item. Past a repeated
		// cursor it stays on this page, so that resuming fetches it again
		// and follows whatever cursor it names then.
		after := ListPosition{Cursor: next, Done: next == ""}
		if repeated {
			after = ListPosition{Cursor: cursor, Offset: len(page.Items)}
		} else if next != "" {
			it.seen[next] = true
		}

		from := min(skip, len(page.Items))
		skip -= from
		if it.cfg.Prefetch && next != "" && !repeated && !it.capReachedWithin(len(page.Items)-from) {
			it.startPrefetch(next)
		}
		for i := from; i < len(page.Items); i++ {
			if i+1 < len(page.Items) {
				it.setProgress(ListPosition{Cursor: cursor, Offset: i + 1})
			} else {
				it.setProgress(after)
			}
			if !yield(page.Items[i], nil) {
				return nil
			}
			it.yielded++
			if it.cfg.MaxItems > 0 && it.yielded >= it.cfg.MaxItems {
				return nil
			}
		}
		if repeated {
			it.setProgress(after)
			return &RepeatedCursorError{Position: after}
		}
		if next == "" {
			it.setProgress(ListPosition{Done: true})
			return nil
		}
		cursor = next
	}
}

// capReachedWithin reports whether the cap is hit by the next n items, in
// which case a prefetched page would be thrown away.
func (it *pageWalk[T]) capReachedWithin(n int) bool {
	return it.cfg.MaxItems > 0 && it.yielded+n >= it.cfg.MaxItems
}

func (it *pageWalk[T]) setProgress(p ListPosition) {
	if it.cfg.Progress != nil {
		*it.cfg.Progress = p
	}
}

// page returns the page at cursor, from the prefetch if one is under way.
func (it *pageWalk[T]) page(cursor string) (*Page[T], error) {
	var (
		p   *Page[T]
		err error
	)
	if pf := it.pending; pf != nil {
		it.pending = nil
		p, err = pf.wait()
	} else {
		if cerr := it.ctx.Err(); cerr != nil {
			return nil, fmt.Errorf("vtgraph: listing stopped: %w", cerr)
		}
		p, err = it.fetch(it.ctx, it.withCursor(cursor))
	}
	if err != nil {
		return nil, err
	}
	if p == nil {
		return &Page[T]{}, nil
	}
	return p, nil
}

func (it *pageWalk[T]) withCursor(cursor string) ListOptions {
	o := it.opts
	o.Cursor = cursor
	return o
}

func (it *pageWalk[T]) startPrefetch(cursor string) {
	ctx, cancel := context.WithCancel(it.ctx)
	pf := &pagePrefetch[T]{cancel: cancel, done: make(chan struct{})}
	opts, fetch := it.withCursor(cursor), it.fetch
	go func() {
		defer close(pf.done)
		defer func() {
			// A panic in fetch would otherwise kill the process from a
			// goroutine the caller never sees; hand it to the loop instead.
			pf.panicked = recover()
		}()
		pf.page, pf.err = fetch(ctx, opts)
	}()
	it.pending = pf
}

// stopPrefetch cancels a fetch the loop will not consume and waits for it, so
// its goroutine and response body are gone when the loop returns.
func (it *pageWalk[T]) stopPrefetch() {
	if pf := it.pending; pf != nil {
		it.pending = nil
		pf.cancel()
		<-pf.done
	}
}

// pagePrefetch is a page fetch running in its own goroutine; page, err and
// panicked are written before done is closed.
type pagePrefetch[T any] struct {
	cancel   context.CancelFunc
	done     chan struct{}
	page     *Page[T]
	err      error
	panicked any
}

func (pf *pagePrefetch[T]) wait() (*Page[T], error) {
	<-pf.done
	pf.cancel()
	if pf.panicked != nil {
		panic(pf.panicked)
	}
	return pf.page, pf.err
}

// RepeatedCursorError is the error an iterator yields when the server names
// as the next page a cursor it already sent in the same listing. Following
// it would repeat pages forever, so the listing stops there, after the items
// of the page that named it, and is probably incomplete. Find it with
// [errors.As]; to try again later, pass Position as [IterOptions.Start].
type RepeatedCursorError struct {
	// Position is just after the last item yielded: resuming from it
	// fetches that page again and goes on with the cursor it names then.
	Position ListPosition
}

// Error says why the listing stopped.
func (e *RepeatedCursorError) Error() string {
	return "vtgraph: listing stopped: the server repeated a page cursor, so the listing may be incomplete"
}
