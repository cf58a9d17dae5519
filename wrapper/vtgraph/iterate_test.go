package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// fakeList serves the integers 0..n-1 as a cursor-paged listing whose cursor
// is "c<offset>", like an API whose cursors encode a position.
type fakeList struct {
	n        int
	pageSize int // used when the request has no limit

	mu    sync.Mutex
	calls []ListOptions
}

func (f *fakeList) fetch(_ context.Context, o ListOptions) (*Page[int], error) {
	f.mu.Lock()
	f.calls = append(f.calls, o)
	f.mu.Unlock()
	off := 0
	if o.Cursor != "" {
		var err error
		if off, err = strconv.Atoi(strings.TrimPrefix(o.Cursor, "c")); err != nil {
			return nil, fmt.Errorf("bad cursor %q", o.Cursor)
		}
	}
	size := f.pageSize
	if o.Limit != 0 {
		size = o.Limit
	}
	p := &Page[int]{}
	for i := off; i < min(off+size, f.n); i++ {
		p.Items = append(p.Items, i)
	}
	if off+size < f.n {
		p.NextCursor = "c" + strconv.Itoa(off+size)
	}
	return p, nil
}

func (f *fakeList) cursors() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var cs []string
	for _, c := range f.calls {
		cs = append(cs, c.Cursor)
	}
	return cs
}

// scriptedList serves fixed pages keyed by cursor; a page may carry an error.
type scriptedList map[string]scriptedPage

type scriptedPage struct {
	items []int
	next  string
	err   error
}

func (s scriptedList) fetch(_ context.Context, o ListOptions) (*Page[int], error) {
	p, ok := s[o.Cursor]
	if !ok {
		return nil, fmt.Errorf("unexpected cursor %q", o.Cursor)
	}
	if p.err != nil {
		return nil, p.err
	}
	return &Page[int]{Items: p.items, NextCursor: p.next}, nil
}

// collect ranges over seq, stopping after stopAfter items when it is
// positive, and returns the items and the errors seen.
func collectInts(seq func(func(int, error) bool), stopAfter int) ([]int, []error) {
	var items []int
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
		if stopAfter > 0 && len(items) == stopAfter {
			break
		}
	}
	return items, errs
}

func intsUpTo(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestIterate(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	tests := []struct {
		name      string
		fetch     fetchFunc[int]
		opts      ListOptions
		cfg       *IterOptions
		stopAfter int
		want      []int
		wantErr   error
	}{
		{name: "several pages", fetch: (&fakeList{n: 10, pageSize: 3}).fetch, want: intsUpTo(10)},
		{name: "page size from limit", fetch: (&fakeList{n: 10, pageSize: 3}).fetch, opts: ListOptions{Limit: 4}, want: intsUpTo(10)},
		{name: "empty listing", fetch: (&fakeList{n: 0, pageSize: 3}).fetch, want: nil},
		{
			name: "empty page in the middle",
			fetch: scriptedList{
				"":  {items: []int{0, 1}, next: "a"},
				"a": {next: "b"},
				"b": {items: []int{2}},
			}.fetch,
			want: []int{0, 1, 2},
		},
		{name: "early break", fetch: (&fakeList{n: 10, pageSize: 3}).fetch, stopAfter: 4, want: intsUpTo(4)},
		{
			name: "error half way",
			fetch: scriptedList{
				"":  {items: []int{0, 1}, next: "a"},
				"a": {err: errBoom},
			}.fetch,
			want:    []int{0, 1},
			wantErr: errBoom,
		},
		{name: "cap", fetch: (&fakeList{n: 10, pageSize: 3}).fetch, cfg: &IterOptions{MaxItems: 5}, want: intsUpTo(5)},
		{name: "cap above total", fetch: (&fakeList{n: 4, pageSize: 3}).fetch, cfg: &IterOptions{MaxItems: 50}, want: intsUpTo(4)},
		{name: "resume from a saved cursor", fetch: (&fakeList{n: 10, pageSize: 3}).fetch, opts: ListOptions{Cursor: "c6"}, want: []int{6, 7, 8, 9}},
		{name: "prefetch", fetch: (&fakeList{n: 10, pageSize: 3}).fetch, cfg: &IterOptions{Prefetch: true}, want: intsUpTo(10)},
		{name: "prefetch with cap", fetch: (&fakeList{n: 10, pageSize: 3}).fetch, cfg: &IterOptions{Prefetch: true, MaxItems: 7}, want: intsUpTo(7)},
		{name: "prefetch early break", fetch: (&fakeList{n: 10, pageSize: 3}).fetch, cfg: &IterOptions{Prefetch: true}, stopAfter: 2, want: intsUpTo(2)},
		{
			name: "prefetch error half way",
			fetch: scriptedList{
				"":  {items: []int{0, 1}, next: "a"},
				"a": {err: errBoom},
			}.fetch,
			cfg:     &IterOptions{Prefetch: true},
			want:    []int{0, 1},
			wantErr: errBoom,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			items, errs := collectInts(iterate(t.Context(), tt.opts, tt.cfg, tt.fetch), tt.stopAfter)
			if !slices.Equal(items, tt.want) {
				t.Errorf("items = %v, want %v", items, tt.want)
			}
			switch {
			case tt.wantErr == nil && len(errs) != 0:
				t.Errorf("errors = %v, want none", errs)
			case tt.wantErr != nil && (len(errs) != 1 || !errors.Is(errs[0], tt.wantErr)):
				t.Errorf("errors = %v, want exactly one %v", errs, tt.wantErr)
			}
		})
	}
}

func TestIterateFetchesLazily(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cfg       *IterOptions
		stopAfter int
		want      []string
	}{
		{name: "all pages", want: []string{"", "c3", "c6", "c9"}},
		{name: "break in the second page", stopAfter: 4, want: []string{"", "c3"}},
		{name: "break at the end of a page", stopAfter: 3, want: []string{""}},
		{name: "cap at the end of a page", cfg: &IterOptions{MaxItems: 6}, want: []string{"", "c3"}},
		{name: "prefetch stops at the cap", cfg: &IterOptions{MaxItems: 6, Prefetch: true}, want: []string{"", "c3"}},
		{name: "prefetch runs ahead", cfg: &IterOptions{Prefetch: true}, stopAfter: 2, want: []string{"", "c3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeList{n: 10, pageSize: 3}
			collectInts(iterate(t.Context(), ListOptions{}, tt.cfg, f.fetch), tt.stopAfter)
			if got := f.cursors(); !slices.Equal(got, tt.want) {
				t.Errorf("fetched cursors = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIterateValidatesBeforeFetching(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      ListOptions
		cfg       *IterOptions
		wantPaths []string
	}{
		{name: "limit too large", opts: ListOptions{Limit: 41}, wantPaths: []string{"limit"}},
		{name: "negative limit", opts: ListOptions{Limit: -1}, wantPaths: []string{"limit"}},
		{name: "negative cap", cfg: &IterOptions{MaxItems: -1}, wantPaths: []string{"IterOptions.MaxItems"}},
		{
			name:      "cursor and start together",
			opts:      ListOptions{Cursor: "c3"},
			cfg:       &IterOptions{Start: ListPosition{Cursor: "c6", Offset: 1}},
			wantPaths: []string{"cursor"},
		},
		{
			name:      "every problem at once",
			opts:      ListOptions{Limit: 100},
			cfg:       &IterOptions{MaxItems: -3, Start: ListPosition{Offset: -1}},
			wantPaths: []string{"limit", "IterOptions.MaxItems", "IterOptions.Start.Offset"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeList{n: 10, pageSize: 3}
			items, errs := collectInts(iterate(t.Context(), tt.opts, tt.cfg, f.fetch), 0)
			if len(items) != 0 || len(errs) != 1 {
				t.Fatalf("got %d items and errors %v, want one error and no item", len(items), errs)
			}
			var pe *ParamError
			if !errors.As(errs[0], &pe) {
				t.Fatalf("error %v is not a *ParamError", errs[0])
			}
			var paths []string
			for _, p := range pe.Problems {
				paths = append(paths, p.Path)
			}
			if !slices.Equal(paths, tt.wantPaths) {
				t.Errorf("paths = %q, want %q", paths, tt.wantPaths)
			}
			if len(f.calls) != 0 {
				t.Errorf("fetched %d pages before validating", len(f.calls))
			}
		})
	}
}

// TestIterateResume stops after every possible item, saves the position as
// text, and resumes in a fresh iterator, possibly with another page size: the
// two halves must add up to the whole listing.
func TestIterateResume(t *testing.T) {
	t.Parallel()
	const n = 10
	tests := []struct {
		name                string
		firstLimit, rsLimit int
		prefetch            bool
	}{
		{name: "same page size", firstLimit: 3, rsLimit: 3},
		{name: "smaller page size after restart", firstLimit: 4, rsLimit: 1},
		{name: "larger page size after restart", firstLimit: 2, rsLimit: 40},
		{name: "server default page size", firstLimit: 0, rsLimit: 0},
		{name: "with prefetch", firstLimit: 3, rsLimit: 3, prefetch: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for k := 1; k <= n; k++ {
				f := &fakeList{n: n, pageSize: 3}
				var pos ListPosition
				var saved []byte
				var first []int
				cfg := &IterOptions{Progress: &pos, Prefetch: tt.prefetch}
				for v, err := range iterate(t.Context(), ListOptions{Limit: tt.firstLimit}, cfg, f.fetch) {
					if err != nil {
						t.Fatal(err)
					}
					first = append(first, v)
					var err2 error
					if saved, err2 = pos.MarshalText(); err2 != nil {
						t.Fatal(err2)
					}
					if len(first) == k {
						break
					}
				}

				var start ListPosition
				if err := start.UnmarshalText(saved); err != nil {
					t.Fatal(err)
				}
				rest, errs := collectInts(iterate(t.Context(), ListOptions{Limit: tt.rsLimit}, &IterOptions{Start: start, Prefetch: tt.prefetch}, f.fetch), 0)
				if len(errs) != 0 {
					t.Fatal(errs)
				}
				if got := append(first, rest...); !slices.Equal(got, intsUpTo(n)) {
					t.Errorf("stop after %d (position %s): got %v, want %v", k, saved, got, intsUpTo(n))
				}
			}
		})
	}
}

func TestIterateProgress(t *testing.T) {
	t.Parallel()
	f := &fakeList{n: 5, pageSize: 2}
	var pos ListPosition
	var seen []ListPosition
	for _, err := range iterate(t.Context(), ListOptions{}, &IterOptions{Progress: &pos}, f.fetch) {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, pos)
	}
	want := []ListPosition{
		{Offset: 1},
		{Cursor: "c2"},
		{Cursor: "c2", Offset: 1},
		{Cursor: "c4"},
		{Done: true},
	}
	if !slices.Equal(seen, want) {
		t.Errorf("positions = %+v, want %+v", seen, want)
	}
	if pos != (ListPosition{Done: true}) {
		t.Errorf("final position = %+v, want done", pos)
	}

	items, errs := collectInts(iterate(t.Context(), ListOptions{}, &IterOptions{Start: pos}, f.fetch), 0)
	if len(items) != 0 || len(errs) != 0 {
		t.Errorf("resuming a finished listing gave %v, %v; want nothing", items, errs)
	}
}

// TestIterateRepeatedCursor has the server send a next-page cursor it sent
// before: following it would loop or repeat items, and stopping quietly
// would pass a cut listing off as complete. The iterator yields every item
// it has, then one *RepeatedCursorError whose Position resumes just after
// them.
func TestIterateRepeatedCursor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		list    scriptedList
		opts    ListOptions
		cfg     IterOptions
		want    []int
		wantPos ListPosition
	}{
		{
			name: "a cursor of an earlier page",
			list: scriptedList{
				"":  {items: []int{0, 1}, next: "a"},
				"a": {items: []int{2, 3}, next: "b"},
				"b": {items: []int{4}, next: "a"},
			},
			want:    []int{0, 1, 2, 3, 4},
			wantPos: ListPosition{Cursor: "b", Offset: 1},
		},
		{
			name:    "the page's own cursor",
			list:    scriptedList{"": {items: []int{0}, next: "a"}, "a": {items: []int{1, 2}, next: "a"}},
			want:    []int{0, 1, 2},
			wantPos: ListPosition{Cursor: "a", Offset: 2},
		},
		{
			name:    "the cursor the listing started from",
			list:    scriptedList{"s": {items: []int{7}, next: "s"}},
			opts:    ListOptions{Cursor: "s"},
			want:    []int{7},
			wantPos: ListPosition{Cursor: "s", Offset: 1},
		},
		{
			name:    "an empty page",
			list:    scriptedList{"": {items: []int{0}, next: "a"}, "a": {next: "a"}},
			want:    []int{0},
			wantPos: ListPosition{Cursor: "a"},
		},
		{
			name:    "with prefetch",
			list:    scriptedList{"": {items: []int{0, 1}, next: "a"}, "a": {items: []int{2}, next: "a"}},
			cfg:     IterOptions{Prefetch: true},
			want:    []int{0, 1, 2},
			wantPos: ListPosition{Cursor: "a", Offset: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var progress ListPosition
			cfg := tt.cfg
			cfg.Progress = &progress
			items, errs := collectInts(iterate(t.Context(), tt.opts, &cfg, tt.list.fetch), 0)
			if !slices.Equal(items, tt.want) {
				t.Errorf("items = %v, want %v", items, tt.want)
			}
			if progress != tt.wantPos {
				t.Errorf("Progress = %+v, want %+v", progress, tt.wantPos)
			}
			if len(errs) != 1 {
				t.Fatalf("errors = %v, want exactly one", errs)
			}
			var rc *RepeatedCursorError
			if !errors.As(errs[0], &rc) {
				t.Fatalf("error %v (%T) is not a *RepeatedCursorError", errs[0], errs[0])
			}
			if rc.Position != tt.wantPos {
				t.Errorf("Position = %+v, want %+v", rc.Position, tt.wantPos)
			}
			if !strings.Contains(rc.Error(), "repeated") {
				t.Errorf("Error() = %q does not say why the listing stopped", rc.Error())
			}
		})
	}
}

// TestIterateResumeAfterRepeatedCursor resumes from the position of a
// *RepeatedCursorError once the server pages correctly again: the listing
// goes on with the next item, neither repeating nor skipping one.
func TestIterateResumeAfterRepeatedCursor(t *testing.T) {
	t.Parallel()
	broken := scriptedList{"": {items: []int{0, 1}, next: "a"}, "a": {items: []int{2, 3}, next: "a"}}
	items, errs := collectInts(iterate(t.Context(), ListOptions{}, nil, broken.fetch), 0)
	var rc *RepeatedCursorError
	if len(errs) != 1 || !errors.As(errs[0], &rc) {
		t.Fatalf("errors = %v, want one *RepeatedCursorError", errs)
	}
	text, err := rc.Position.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var start ListPosition
	if err := start.UnmarshalText(text); err != nil {
		t.Fatal(err)
	}
	fixed := scriptedList{"a": {items: []int{2, 3}, next: "b"}, "b": {items: []int{4}}}
	rest, errs := collectInts(iterate(t.Context(), ListOptions{}, &IterOptions{Start: start}, fixed.fetch), 0)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if got := append(items, rest...); !slices.Equal(got, intsUpTo(5)) {
		t.Errorf("resumed from %s: got %v, want %v", text, got, intsUpTo(5))
	}
}

// TestIterateCapBeforeRepeatedCursor stops at MaxItems quietly even when the
// page that reached the cap names a repeated cursor: the caller got what it
// asked for.
func TestIterateCapBeforeRepeatedCursor(t *testing.T) {
	t.Parallel()
	list := scriptedList{"": {items: []int{0, 1}, next: "a"}, "a": {items: []int{2, 3}, next: "a"}}
	items, errs := collectInts(iterate(t.Context(), ListOptions{}, &IterOptions{MaxItems: 4}, list.fetch), 0)
	if !slices.Equal(items, intsUpTo(4)) || len(errs) != 0 {
		t.Errorf("got %v and errors %v, want %v and none", items, errs, intsUpTo(4))
	}
}

func TestListPositionText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pos  ListPosition
		text string
	}{
		{pos: ListPosition{}, text: "v1:0:"},
		{pos: ListPosition{Cursor: "CuABChEK:x=", Offset: 7}, text: "v1:7:CuABChEK:x="},
		{pos: ListPosition{Done: true}, text: "v1:done"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			b, err := tt.pos.MarshalText()
			if err != nil || string(b) != tt.text {
				t.Fatalf("MarshalText = %q, %v; want %q", b, err, tt.text)
			}
			var got ListPosition
			if err := got.UnmarshalText(b); err != nil || got != tt.pos {
				t.Errorf("UnmarshalText = %+v, %v; want %+v", got, err, tt.pos)
			}
		})
	}
	for _, bad := range []string{"", "v2:0:x", "v1:", "v1:x:c", "v1:-1:c", "v1:3"} {
		var p ListPosition
		if err := p.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) = %+v, want an error", bad, p)
		}
	}
	if _, err := (ListPosition{Offset: -1}).MarshalText(); err == nil {
		t.Error("MarshalText of a negative offset succeeded")
	}
}

func TestIterateDoesNotMutateOptions(t *testing.T) {
	t.Parallel()
	f := &fakeList{n: 10, pageSize: 3}
	opts := ListOptions{Limit: 3}
	var pos ListPosition
	cfg := &IterOptions{MaxItems: 8, Prefetch: true, Progress: &pos}
	listing := iterate(t.Context(), opts, cfg, f.fetch)

	// Changing the options after building the sequence must not change it.
	cfg.MaxItems = 1
	first, _ := collectInts(listing, 0)
	second, _ := collectInts(listing, 0)
	if len(first) != 8 || !slices.Equal(first, second) {
		t.Errorf("ranges gave %v and %v, want the first 8 items twice", first, second)
	}
	if opts != (ListOptions{Limit: 3}) || cfg.MaxItems != 1 || !cfg.Prefetch || cfg.Start != (ListPosition{}) {
		t.Errorf("options changed: %+v %+v", opts, cfg)
	}
}

func TestIterateCanceledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	f := &fakeList{n: 10, pageSize: 3}
	_, errs := collectInts(iterate(ctx, ListOptions{}, nil, f.fetch), 0)
	if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Fatalf("errors = %v, want one wrapping context.Canceled", errs)
	}
	if len(f.calls) != 0 {
		t.Errorf("fetched %d pages after cancellation", len(f.calls))
	}
}

func TestIteratePrefetchPanicReachesCaller(t *testing.T) {
	t.Parallel()
	fetch := func(_ context.Context, o ListOptions) (*Page[int], error) {
		if o.Cursor == "a" {
			panic("fetch exploded")
		}
		return &Page[int]{Items: []int{0}, NextCursor: "a"}, nil
	}
	defer func() {
		if r := recover(); r != "fetch exploded" {
			t.Errorf("recovered %v, want the fetch's panic", r)
		}
	}()
	collectInts(iterate(t.Context(), ListOptions{}, &IterOptions{Prefetch: true}, fetch), 0)
	t.Error("iteration finished without panicking")
}

// slowList serves two pages; the second fetch waits for its context like a
// request stuck on the network, and records that it closed its body.
type slowList struct {
	started    atomic.Int32
	bodyClosed atomic.Bool
	canceled   atomic.Bool
	release    chan struct{}
}

func (s *slowList) fetch(ctx context.Context, o ListOptions) (*Page[int], error) {
	s.started.Add(1)
	if o.Cursor == "" {
		return &Page[int]{Items: []int{0, 1, 2}, NextCursor: "next"}, nil
	}
	defer s.bodyClosed.Store(true)
	select {
	case <-ctx.Done():
		s.canceled.Store(true)
		return nil, ctx.Err()
	case <-s.release:
		return &Page[int]{Items: []int{3}}, nil
	}
}

// TestIteratePrefetchNoLeak breaks out of the loop while the prefetch is stuck:
// the loop must cancel it and wait for it. synctest.Test fails if any
// goroutine of the bubble is still blocked when the test function returns.
func TestIteratePrefetchNoLeak(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &slowList{release: make(chan struct{})}
		// Not t.Context(): it is canceled when the test ends, which would free
		// a leaked fetch and hide it from the bubble's deadlock check.
		ctx := context.Background()
		for v, err := range iterate(ctx, ListOptions{}, &IterOptions{Prefetch: true}, s.fetch) {
			if err != nil {
				t.Fatal(err)
			}
			if v == 0 {
				synctest.Wait()
				if n := s.started.Load(); n != 2 {
					t.Fatalf("fetches started while on the first page = %d, want 2 (prefetch)", n)
				}
			}
			if v == 1 {
				break
			}
		}
		if !s.canceled.Load() || !s.bodyClosed.Load() {
			t.Errorf("after break: canceled=%v bodyClosed=%v, want both true before the loop returns",
				s.canceled.Load(), s.bodyClosed.Load())
		}
	})
}

// TestIteratePrefetchFinishedButUnused breaks out after the prefetch has
// completed: its page is dropped and nothing is left running.
func TestIteratePrefetchFinishedButUnused(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &slowList{release: make(chan struct{})}
		close(s.release)
		for v := range iterate(t.Context(), ListOptions{}, &IterOptions{Prefetch: true}, s.fetch) {
			synctest.Wait()
			if v == 0 {
				break
			}
		}
		if s.canceled.Load() || !s.bodyClosed.Load() {
			t.Errorf("canceled=%v bodyClosed=%v, want a completed fetch", s.canceled.Load(), s.bodyClosed.Load())
		}
	})
}

// TestIterateNoPrefetchNoGoroutine checks that without prefetch the next page
// is fetched only when the loop asks for it, on the caller's goroutine.
func TestIterateNoPrefetchNoGoroutine(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &slowList{release: make(chan struct{})}
		close(s.release)
		var items []int
		for v, err := range iterate(t.Context(), ListOptions{}, nil, s.fetch) {
			if err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
			if want := int32(1 + v/3); s.started.Load() != want {
				t.Fatalf("at item %d: %d fetches started, want %d", v, s.started.Load(), want)
			}
			items = append(items, v)
		}
		if !slices.Equal(items, intsUpTo(4)) {
			t.Errorf("items = %v, want %v", items, intsUpTo(4))
		}
	})
}
