package vtgraph

import (
	"container/heap"
	"context"
	"errors"
	"slices"
	"sync"
)

// The pivoting calls (Expand, ExpandGraph, Enrich, Connect) have the same
// shape: a walk that decides, in a fixed order, what to add to the graph,
// and a fetcher that gets what the walk needs from VirusTotal with a pool
// of workers. The walk runs in the calling goroutine and reads answers
// from the PivotCache only; whenever it lacks one it asks the fetcher and
// waits. Requests are queued by the position in the walk of what they
// answer, so the workers always send the one needed soonest, and answers
// that show more to fetch (a lookup saying which relationships hold
// anything, a page with a next cursor) queue their follow-ups at once, so
// the pool stays busy while the walk catches up. Whatever the timing, the
// walk adds the same things in the same order.

// taskKind tells the requests apart.
type taskKind uint8

const (
	taskLookup      taskKind = iota // the entity, with relationships inline
	taskObjects                     // a page of related objects
	taskDescriptors                 // a page of related descriptors
)

// taskKey identifies a request, so that it is queued once.
type taskKey struct {
	kind   taskKind
	ref    EntityRef
	rel    Relationship
	cursor string
	rels   string // for a lookup, the relationships it includes
}

// priority orders requests, lower first: by the level of the walk they
// serve, lookups before pages (a lookup tells what else to fetch), then
// by the position in the walk of what they answer.
type priority [5]int

// taskState is where a request is.
type taskState uint8

const (
	taskQueued taskState = iota
	taskRunning
	taskDone
	taskFailed
)

// task is one request to send, and what became of it.
type task struct {
	key   taskKey
	prio  priority
	run   func(ctx context.Context, f *fetcher, t *task) error
	state taskState
	err   error
	index int // in the queue's heap
	// charged says a request of the budget is set aside for the task's
	// first request: the budget goes to tasks in the order the workers
	// take them, the most important first, and not in the order their
	// requests happen to be sent.
	charged bool
}

// fetcher sends requests with a fixed number of workers, the most
// important queued first, within a request budget.
type fetcher struct {
	c        *Client
	cache    *PivotCache
	ctx      context.Context
	max      int // the request budget; 0 for none
	progress func(Progress)

	mu      sync.Mutex
	cond    sync.Cond // signalled when a task is queued or the fetcher closes
	queue   taskQueue
	tasks   map[taskKey]*task
	sent    int   // requests sent
	done    int   // requests answered
	running int   // tasks being run
	halt    error // set: send nothing more, and fail what is asked with it
	closed  bool
	wake    chan struct{} // a task finished
	// looking holds, for each entity a lookup of is in flight, a channel
	// closed when its answer is stored.
	looking map[EntityRef]chan struct{}
	wg      sync.WaitGroup

	reported Progress
}

// newFetcher starts the workers. The caller must call close.
func newFetcher(ctx context.Context, c *Client, o *PivotOptions, cache *PivotCache) *fetcher {
	f := &fetcher{
		c:        c,
		cache:    cache,
		ctx:      ctx,
		max:      o.MaxRequests,
		progress: o.Progress,
		tasks:    map[taskKey]*task{},
		looking:  map[EntityRef]chan struct{}{},
		wake:     make(chan struct{}, 1),
	}
	f.cond.L = &f.mu
	for range o.concurrency() {
		f.wg.Add(1)
		go f.work()
	}
	return f
}

// close stops the workers once the requests in flight are answered (their
// answers go to the cache, for a later call) and drops the queued ones.
func (f *fetcher) close() {
	f.mu.Lock()
	f.closed = true
	if f.halt == nil {
		f.halt = errClosed
	}
	for _, t := range f.queue {
		t.state, t.err = taskFailed, f.halt
	}
	f.queue = nil
	f.cond.Broadcast()
	f.mu.Unlock()
	f.wg.Wait()
	f.report()
}

// errClosed fails what is asked of a fetcher after the call ended.
var errClosed = errors.New("vtgraph: the call ended")

// stop is close after an error that ends the call: whatever is asked
// afterwards fails with it, or with the error that halted the fetcher
// before.
func (f *fetcher) stop(err error) {
	f.mu.Lock()
	if f.halt == nil {
		f.halt = err
	}
	f.mu.Unlock()
	f.close()
}

// work runs queued tasks until the fetcher closes.
func (f *fetcher) work() {
	defer f.wg.Done()
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		for len(f.queue) == 0 && !f.closed {
			f.cond.Wait()
		}
		if f.closed {
			return
		}
		t := heap.Pop(&f.queue).(*task)
		if f.halt != nil {
			t.state, t.err = taskFailed, f.halt
			f.signal()
			continue
		}
		t.state = taskRunning
		f.running++
		if f.max > 0 && f.sent < f.max {
			f.sent++
			t.charged = true
		}
		f.mu.Unlock()
		err := t.run(f.ctx, f, t)
		f.mu.Lock()
		f.running--
		if t.charged {
			// The task sent nothing: what was set aside goes back.
			f.sent--
			t.charged = false
		}
		if err != nil {
			t.state, t.err = taskFailed, err
			if f.halt == nil {
				f.halt = err
			}
		} else {
			t.state = taskDone
		}
		f.signal()
	}
}

// signal wakes the walk; f.mu is held.
func (f *fetcher) signal() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// send sends one request of task t with do, within the budget, and counts
// its answer. It returns do's error, or, sending nothing, the error that
// halted the fetcher or a *BudgetError.
func (f *fetcher) send(t *task, do func() error) error {
	f.mu.Lock()
	var budget *BudgetError
	switch {
	case t.charged && (f.halt == nil || errors.As(f.halt, &budget)):
		// The request was set aside for t: a budget spent since does not
		// take it back.
		t.charged = false
	default:
		if f.halt == nil && f.max > 0 && f.sent >= f.max {
			f.halt = &BudgetError{MaxRequests: f.max}
		}
		if err := f.halt; err != nil {
			f.mu.Unlock()
			return err
		}
		f.sent++
	}
	f.mu.Unlock()
	err := do()
	f.mu.Lock()
	f.done++
	f.mu.Unlock()
	return err
}

// claimLookup waits until no other lookup of ref is in flight, then
// claims ref for the caller, who must call releaseLookup.
func (f *fetcher) claimLookup(ctx context.Context, ref EntityRef) error {
	for {
		f.mu.Lock()
		ch, busy := f.looking[ref]
		if !busy {
			f.looking[ref] = make(chan struct{})
			f.mu.Unlock()
			return nil
		}
		f.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return contextError(ctx)
		}
	}
}

// releaseLookup ends the caller's claim on ref. An error that ends the
// call halts the fetcher first, so that a lookup waiting for the claim
// sends nothing.
func (f *fetcher) releaseLookup(ref EntityRef, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil && f.halt == nil {
		f.halt = err
	}
	close(f.looking[ref])
	delete(f.looking, ref)
}

// queueTask asks for a request: it returns the task for key, queued with prio
// when it is new, or moved up to prio when it is queued behind it. run
// sends the request and stores its answer in the cache; an error it
// returns stops the fetcher from sending anything more.
func (f *fetcher) queueTask(key taskKey, prio priority, run func(ctx context.Context, f *fetcher, t *task) error) *task {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.tasks[key]; ok {
		if t.state == taskQueued && cmpPriority(prio, t.prio) < 0 {
			t.prio = prio
			heap.Fix(&f.queue, t.index)
		}
		return t
	}
	t := &task{key: key, prio: prio, run: run}
	f.tasks[key] = t
	if f.halt != nil {
		t.state, t.err = taskFailed, f.halt
		return t
	}
	heap.Push(&f.queue, t)
	f.cond.Signal()
	return t
}

// status returns where a task is and its error.
func (f *fetcher) status(t *task) (taskState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return t.state, t.err
}

// wait blocks until a task finishes or ctx is done, reporting progress.
func (f *fetcher) wait() error {
	f.report()
	select {
	case <-f.wake:
		f.report()
		return nil
	case <-f.ctx.Done():
		return contextError(f.ctx)
	}
}

// report calls the progress callback when the counts changed.
func (f *fetcher) report() {
	if f.progress == nil {
		return
	}
	f.mu.Lock()
	p := Progress{Done: f.done, Pending: len(f.queue) + f.running}
	f.mu.Unlock()
	if p != f.reported {
		f.reported = p
		f.progress(p)
	}
}

// haltErr returns the error that halted the fetcher, if any.
func (f *fetcher) haltErr() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.halt
}

// requests returns the number of requests sent.
func (f *fetcher) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sent
}

// await waits for a task to finish and returns its error.
func (f *fetcher) await(t *task) error {
	for {
		switch state, err := f.status(t); state {
		case taskDone:
			return nil
		case taskFailed:
			return err
		}
		if err := f.wait(); err != nil {
			return err
		}
	}
}

func cmpPriority(a, b priority) int {
	return slices.Compare(a[:], b[:])
}

// taskQueue is a heap of queued tasks, the most important first.
type taskQueue []*task

func (q taskQueue) Len() int           { return len(q) }
func (q taskQueue) Less(i, j int) bool { return cmpPriority(q[i].prio, q[j].prio) < 0 }
func (q taskQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}

func (q *taskQueue) Push(x any) {
	t := x.(*task)
	t.index = len(*q)
	*q = append(*q, t)
}

func (q *taskQueue) Pop() any {
	old := *q
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return t
}
