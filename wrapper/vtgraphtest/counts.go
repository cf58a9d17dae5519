package vtgraphtest

import (
	"maps"
	"net/http"
	"strings"
	"sync"
)

// requestCounts counts the requests each route received.
type requestCounts struct {
	mu     sync.Mutex
	counts map[string]int
}

// RequestCounts returns how many requests each route has received so far,
// keyed by the route's method and path pattern below the API root, as the
// spec writes it: "GET /domains/{domain}/{relationship}". Every request that
// reached the server counts, whatever the answer (a fault, a 401, a 429);
// requests no route matches count under "". Compare two snapshots to count
// what one piece of code sent, or use [Server.Requests] for every detail.
func (s *Server) RequestCounts() map[string]int {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	return maps.Clone(s.counts.counts)
}

// count notes the route of each request, as the API's router matches it,
// before anything else can answer it.
func (s *Server) count(routes *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := routes.Handler(r)
		route := ""
		if method, path, ok := strings.Cut(pattern, " "); ok {
			if rest, ok := strings.CutPrefix(path, apiRoot); ok {
				route = method + " " + rest
			}
		}
		s.counts.mu.Lock()
		s.counts.counts[route]++
		s.counts.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}
