package vtgraphtest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is an error the server returns instead of handling matching requests,
// so users can test how their code copes with a failing API.
type Fault struct {
	// Route selects the requests, in http.ServeMux pattern syntax relative to
	// the API root: "POST /graphs/{id}/comments" matches one operation,
	// "/graphs/" every route below it, and "" every request.
	Route string
	// Status is the HTTP status; zero means 500.
	Status int
	// Code is the VirusTotal error code; empty means the usual code for the
	// status (NotFoundError for 404, TransientError for 503, ...).
	Code string
	// Message defaults to the status text.
	Message string
	// Times is how many matching requests fail; zero means all of them until
	// ClearFaults.
	Times int
	// RetryAfter, when positive, is sent as a Retry-After header in whole
	// seconds, rounded up.
	RetryAfter time.Duration
}

type faults struct {
	mu    sync.Mutex
	rules []*faultRule
	limit *rateLimit
}

type faultRule struct {
	Fault
	match *http.ServeMux
	left  int // -1: no limit
}

type rateLimit struct {
	allowed    int
	retryAfter time.Duration
	used       int
	until      time.Time
}

// codeByStatus holds the codes VirusTotal documents for each status.
var codeByStatus = map[int]string{
	http.StatusBadRequest:          "BadRequestError",
	http.StatusUnauthorized:        "AuthenticationRequiredError",
	http.StatusForbidden:           "ForbiddenError",
	http.StatusNotFound:            "NotFoundError",
	http.StatusConflict:            "AlreadyExistsError",
	http.StatusFailedDependency:    "FailedDependencyError",
	http.StatusTooManyRequests:     "QuotaExceededError",
	http.StatusServiceUnavailable:  "TransientError",
	http.StatusGatewayTimeout:      "DeadlineExceededError",
	http.StatusInternalServerError: "InternalError",
}

// AddFault makes matching requests fail. Faults are checked in the order they
// were added, after latency and before authentication. Like
// http.ServeMux.Handle, it panics if Route is not a valid pattern.
func (s *Server) AddFault(f Fault) {
	if f.Status == 0 {
		f.Status = http.StatusInternalServerError
	}
	if f.Code == "" {
		f.Code = codeByStatus[f.Status]
		if f.Code == "" {
			f.Code = "InternalError"
		}
	}
	if f.Message == "" {
		f.Message = http.StatusText(f.Status)
	}
	method, path, ok := strings.Cut(f.Route, " ")
	if !ok {
		method, path = "", f.Route
	}
	if path == "" {
		path = "/"
	}
	pattern := strings.TrimSpace(method + " " + apiRoot + path)
	m := http.NewServeMux()
	func() {
		defer func() {
			if r := recover(); r != nil {
				panic(fmt.Sprintf("vtgraphtest: AddFault: invalid route %q: %v", f.Route, r))
			}
		}()
		m.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
	}()
	left := f.Times
	if left <= 0 {
		left = -1
	}
	s.faults.mu.Lock()
	s.faults.rules = append(s.faults.rules, &faultRule{Fault: f, match: m, left: left})
	s.faults.mu.Unlock()
}

// RateLimitAfter lets n requests through, then answers 429
// QuotaExceededError with a Retry-After header until retryAfter has passed on
// the server's clock, when n more are allowed, like a quota window. It
// replaces any previous limit and starts counting now.
func (s *Server) RateLimitAfter(n int, retryAfter time.Duration) {
	s.faults.mu.Lock()
	s.faults.limit = &rateLimit{allowed: max(n, 0), retryAfter: max(retryAfter, 0)}
	s.faults.mu.Unlock()
}

// ClearFaults removes every fault and the rate limit. Latency stays; see
// [Server.SetLatency].
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.rules = nil
	s.faults.limit = nil
	s.faults.mu.Unlock()
}

func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f, ok := s.matchFault(r); ok {
			if f.RetryAfter > 0 {
				w.Header().Set("Retry-After", retryAfterSeconds(f.RetryAfter))
			}
			writeError(w, f.Status, f.Code, f.Message)
			return
		}
		if wait, limited := s.rateLimited(); limited {
			w.Header().Set("Retry-After", retryAfterSeconds(wait))
			writeError(w, http.StatusTooManyRequests, "QuotaExceededError", "Quota exceeded, retry later")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) matchFault(r *http.Request) (Fault, bool) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	for i, rule := range s.faults.rules {
		if _, pattern := rule.match.Handler(r); pattern == "" {
			continue
		}
		if rule.left > 0 {
			rule.left--
			if rule.left == 0 {
				s.faults.rules = append(s.faults.rules[:i:i], s.faults.rules[i+1:]...)
			}
		}
		return rule.Fault, true
	}
	return Fault{}, false
}

// rateLimited counts the request against the limit and, when it is over,
// says how long until the window reopens.
func (s *Server) rateLimited() (time.Duration, bool) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	l := s.faults.limit
	if l == nil {
		return 0, false
	}
	now := s.now()
	if !l.until.IsZero() {
		if now.Before(l.until) {
			return l.until.Sub(now), true
		}
		l.used, l.until = 0, time.Time{}
	}
	if l.used >= l.allowed {
		l.until = now.Add(l.retryAfter)
		return l.retryAfter, true
	}
	l.used++
	return 0, false
}

func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int(math.Ceil(d.Seconds())))
}

// SetLatency delays every response by d, to exercise client timeouts. A
// request whose context ends, or a Close, cuts the wait short. Zero removes
// the delay.
func (s *Server) SetLatency(d time.Duration) {
	s.latency.Store(int64(d))
}

func (s *Server) delay(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := time.Duration(s.latency.Load()); d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			case <-s.done:
				writeError(w, http.StatusServiceUnavailable, "TransientError", "server closing")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
