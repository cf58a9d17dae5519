package vtgraphtest

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Quota is the request budget of each API key, like VirusTotal's quotas
// (the public API allows 4 requests a minute and 500 a day). Each key has
// its own budget, and every request that passes authentication counts,
// whatever its route; a request refused for the quota does not. A zero
// field means no limit, and the zero Quota, the default, limits nothing.
//
// Once a budget is spent the server answers 429 QuotaExceededError, as
// VirusTotal does, with a Retry-After header (VirusTotal documents none)
// saying when the budget frees up: for the per-minute budget when the
// oldest request of the last minute is a minute old, for the daily budget
// at the next midnight UTC. A client that honours Retry-After up to a cap
// (vtgraph waits at most a minute) thus retries a minute quota and gives up
// at once on a daily one.
type Quota struct {
	// PerMinute is the number of requests allowed in any 60 seconds.
	PerMinute int
	// PerDay is the number of requests allowed from one midnight UTC to the
	// next.
	PerDay int
}

// ParseQuota reads a quota written as budgets separated by commas, each a
// number of requests per "min" or "day": "4/min,500/day", "30/min",
// "1000/day". "" and "none" are the zero Quota. It is the form
// [Quota.String] writes, for command-line flags.
func ParseQuota(s string) (Quota, error) {
	var q Quota
	if s == "" || s == "none" {
		return q, nil
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		n, unit, ok := strings.Cut(strings.TrimSpace(part), "/")
		count, err := strconv.Atoi(n)
		switch {
		case !ok || (unit != "min" && unit != "day"):
			return Quota{}, fmt.Errorf("vtgraphtest: quota %q: want budgets such as 4/min or 500/day", s)
		case err != nil || count < 1:
			return Quota{}, fmt.Errorf("vtgraphtest: quota %q: %q is not a positive number of requests", s, n)
		case seen[unit]:
			return Quota{}, fmt.Errorf("vtgraphtest: quota %q: two budgets per %s", s, unit)
		}
		seen[unit] = true
		if unit == "min" {
			q.PerMinute = count
		} else {
			q.PerDay = count
		}
	}
	return q, nil
}

// String writes the quota in the form ParseQuota reads, such as
// "4/min,500/day", or "none".
func (q Quota) String() string {
	var parts []string
	if q.PerMinute > 0 {
		parts = append(parts, strconv.Itoa(q.PerMinute)+"/min")
	}
	if q.PerDay > 0 {
		parts = append(parts, strconv.Itoa(q.PerDay)+"/day")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}

func (q Quota) check() error {
	var errs []error
	if q.PerMinute < 0 {
		errs = append(errs, fmt.Errorf("PerMinute: %d is negative", q.PerMinute))
	}
	if q.PerDay < 0 {
		errs = append(errs, fmt.Errorf("PerDay: %d is negative", q.PerDay))
	}
	return errors.Join(errs...)
}

// quotas holds the quota and what each key has used of it.
type quotas struct {
	mu    sync.Mutex
	quota Quota
	usage map[string]*keyUsage // by API key
}

// keyUsage is what one key has used: the times of its requests in the last
// minute, oldest first, and its count for the current UTC day.
type keyUsage struct {
	recent []time.Time
	day    string // YYYY-MM-DD, UTC
	today  int
}

// SetQuota replaces the request quota of every API key and starts counting
// afresh, so a test can spend a budget, raise it and carry on. It reports
// a negative budget.
func (s *Server) SetQuota(q Quota) error {
	if err := q.check(); err != nil {
		return fmt.Errorf("vtgraphtest: SetQuota: %w", err)
	}
	s.quotas.mu.Lock()
	s.quotas.quota = q
	s.quotas.usage = map[string]*keyUsage{}
	s.quotas.mu.Unlock()
	return nil
}

// spend counts a request of key against the quota at now, or says which
// budget is spent and how long until it frees up.
func (qs *quotas) spend(key string, now time.Time) (refused string, wait time.Duration) {
	qs.mu.Lock()
	defer qs.mu.Unlock()
	q := qs.quota
	if q == (Quota{}) {
		return "", 0
	}
	u := qs.usage[key]
	if u == nil {
		u = &keyUsage{}
		qs.usage[key] = u
	}
	now = now.UTC()
	if day := now.Format(time.DateOnly); u.day != day {
		u.day, u.today = day, 0
	}
	cut := 0
	for cut < len(u.recent) && !u.recent[cut].After(now.Add(-time.Minute)) {
		cut++
	}
	u.recent = u.recent[cut:]
	switch {
	case q.PerDay > 0 && u.today >= q.PerDay:
		midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
		return fmt.Sprintf("Daily quota of %d requests exceeded", q.PerDay), midnight.Sub(now)
	case q.PerMinute > 0 && len(u.recent) >= q.PerMinute:
		return fmt.Sprintf("Quota of %d requests per minute exceeded", q.PerMinute), u.recent[0].Add(time.Minute).Sub(now)
	}
	u.today++
	if q.PerMinute > 0 {
		u.recent = append(u.recent, now)
	}
	return "", 0
}

// enforceQuota answers 429 QuotaExceededError to an authenticated request
// whose key has spent a budget.
func (s *Server) enforceQuota(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refused, wait := s.quotas.spend(r.Header.Get("x-apikey"), s.now()); refused != "" {
			w.Header().Set("Retry-After", retryAfterSeconds(wait))
			writeError(w, http.StatusTooManyRequests, "QuotaExceededError", refused)
			return
		}
		next.ServeHTTP(w, r)
	})
}
