package vtgraph

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lookupServer serves one domain, refusing with 403 any lookup that asks
// for the premium urls relationship inline, and counts the lookups it
// answers by query. before, when set, runs before each answer.
type lookupServer struct {
	mu       sync.Mutex
	answered map[string]int
	sent     int
	before   func()
}

func newLookupServer(t *testing.T) (*Client, *lookupServer) {
	t.Helper()
	c, mux := setup(t)
	s := &lookupServer{answered: map[string]int{}}
	mux.HandleFunc("GET /domains/{id}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.sent++
		before := s.before
		s.mu.Unlock()
		if before != nil {
			before()
		}
		rels := r.URL.Query().Get("relationships")
		if strings.Contains(","+rels+",", ",urls,") {
			writeJSON(w, http.StatusForbidden, `{"error":{"code":"ForbiddenError","message":"premium"}}`)
			return
		}
		s.mu.Lock()
		s.answered[rels]++
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, `{"data":{"type":"domain","id":"`+r.PathValue("id")+`","attributes":{},
			"relationships":{"resolutions":{"data":[]},"subdomains":{"data":[{"type":"domain","id":"www.acme.example"}]}}}}`)
	})
	return c, s
}

// repeats returns the lookups answered more than once.
func (s *lookupServer) repeats() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for q, n := range s.answered {
		if n > 1 {
			out[q] = n
		}
	}
	return out
}

var (
	lookupRef         = EntityRef{Type: NodeTypeDomain, ID: "acme.example"}
	lookupWithPremium = []Relationship{DomainResolutions, DomainSubdomains, DomainURLs}
	lookupNoPremium   = []Relationship{DomainResolutions, DomainSubdomains}
)

// TestLookupAfterPremiumRefusal checks that two lookups of one entity that
// come to ask the same send it once: the expansion queues a lookup with
// the premium relationships before it knows the key has no premium
// access, and one without them after. This once repeated a lookup in CI.
func TestLookupAfterPremiumRefusal(t *testing.T) {
	t.Parallel()
	c, s := newLookupServer(t)
	f := newFetcher(t.Context(), c, &PivotOptions{Concurrency: 1}, &PivotCache{})
	defer f.close()

	require.NoError(t, f.await(f.lookupEntity(lookupRef, lookupWithPremium, priority{}, nil)))
	require.True(t, f.cache.premiumRefused())
	thenRan := false
	require.NoError(t, f.await(f.lookupEntity(lookupRef, lookupNoPremium, priority{}, func() { thenRan = true })))
	assert.True(t, thenRan, "a lookup with nothing left to ask still runs then")
	assert.Empty(t, s.repeats())
	assert.Equal(t, 2, f.requests(), "the refused lookup and the one without urls")
	holds, asked := f.cache.holds(lookupRef, DomainSubdomains)
	assert.True(t, asked)
	assert.True(t, holds)

	// A lookup asking about one more relationship asks only about it.
	require.NoError(t, f.await(f.lookupEntity(lookupRef, []Relationship{DomainSubdomains, DomainSiblings}, priority{}, nil)))
	assert.Equal(t, map[string]int{"resolutions,subdomains": 1, "siblings": 1}, s.answered)
}

// TestLookupsOfOneEntityInTurn checks that two lookups of one entity in
// flight at once send one request: the second waits for the first's
// answer and finds nothing left to ask.
func TestLookupsOfOneEntityInTurn(t *testing.T) {
	t.Parallel()
	c, s := newLookupServer(t)
	f := newFetcher(t.Context(), c, &PivotOptions{Concurrency: 2}, &PivotCache{})
	defer f.close()
	// The first request is answered once both lookups run, or after a
	// while when only one does (so that, without the wait for the
	// first, the test fails instead of hanging).
	s.before = func() {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			f.mu.Lock()
			running := f.running
			f.mu.Unlock()
			if running == 2 {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	a := f.lookupEntity(lookupRef, lookupNoPremium, priority{}, nil)
	b := f.lookupEntity(lookupRef, []Relationship{DomainSubdomains, DomainResolutions}, priority{1}, nil)
	require.NoError(t, f.await(a))
	require.NoError(t, f.await(b))
	s.mu.Lock()
	defer s.mu.Unlock()
	assert.Equal(t, 1, s.sent)
}

// TestBudgetGoesInOrder checks that a request budget goes to the tasks the
// workers take first, the most important, and not to whichever sends its
// request first: here the first task taken is the last to send. This once
// made Enrich, which promises to enrich the first nodes in order, enrich
// others under load.
func TestBudgetGoesInOrder(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	f := newFetcher(t.Context(), c, &PivotOptions{Concurrency: 3, MaxRequests: 2}, &PivotCache{})
	defer f.close()
	var (
		mu   sync.Mutex
		sent []int
	)
	started := make(chan struct{}, 3)
	release := make(chan struct{})
	queue := func(i int) *task {
		return f.queueTask(taskKey{kind: taskObjects, rel: Relationship(fmt.Sprint(i))}, priority{i}, func(_ context.Context, f *fetcher, t *task) error {
			started <- struct{}{}
			if i == 0 {
				<-release
			}
			return f.send(t, func() error {
				mu.Lock()
				defer mu.Unlock()
				sent = append(sent, i)
				return nil
			})
		})
	}
	// Task 0 is taken first, then 1 and 2, which try to send before it.
	tasks := []*task{queue(0)}
	<-started
	tasks = append(tasks, queue(1), queue(2))
	for range 2 {
		<-started
	}
	running := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.running
	}
	deadline := time.Now().Add(5 * time.Second)
	for running() > 1 {
		require.True(t, time.Now().Before(deadline), "tasks 1 and 2 did not finish")
		time.Sleep(time.Millisecond)
	}
	close(release)
	require.NoError(t, f.await(tasks[0]))
	assert.NoError(t, f.await(tasks[1]))
	var be *BudgetError
	assert.ErrorAs(t, f.await(tasks[2]), &be)
	mu.Lock()
	defer mu.Unlock()
	assert.ElementsMatch(t, []int{0, 1}, sent)
	assert.Equal(t, 2, f.requests())
}
