package contract_test

import (
	"io"
	"net/http"
	"sync"

	"github.com/vtgraphs/vtgraphs/internal/contract"
)

// The made-up identifiers and key the tests use.
const (
	graphID = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"
	apiKey  = "test-key-not-real"
	// fileSHA256 and fileMD5 are made-up hashes.
	fileSHA256 = "131f95c51cc819465fa1797f6ccacf9d494aaaff46fa3eac73ae63ffbdfd8267"
	fileMD5    = "0c58dc49280e7f1e1f531301d955b18c"
	// urlID is the URL id of http://acme.example/.
	urlID = "aHR0cDovL2FjbWUuZXhhbXBsZS8"
)

// Response bodies that follow the spec.
const (
	graphJSON     = `{"data":{"type":"graph","id":"` + graphID + `","attributes":{"graph_data":{"description":"demo"},"nodes":[{"entity_id":"example.com","type":"domain","x":1.5,"y":-2,"entity_attributes":{"has_detections":1}}],"links":[],"private":false}}}`
	graphListJSON = `{"data":[{"type":"graph","id":"` + graphID + `","attributes":{"private":true}}],"meta":{"cursor":"next-page"},"links":{"self":"s","next":"n"}}`
	createdJSON   = `{"data":{"type":"graph","id":"` + graphID + `"}}`
	commentsJSON  = `{"data":[{"type":"comment","id":"c1","attributes":{"text":"#tag seen","date":1700000000}}],"meta":{}}`
	ownerJSON     = `{"data":{"type":"user","id":"hendricks","attributes":{"first_name":"Richard"}}}`
	groupJSON     = `{"data":null}`
	itemsJSON     = `{"data":[{"type":"domain","id":"example.com","attributes":{}}],"meta":{"cursor":"c"}}`
	domainJSON    = `{"data":{"type":"domain","id":"acme.example","attributes":{"tld":"example","last_analysis_stats":{"malicious":3}},
		"relationships":{"resolutions":{"data":[{"type":"resolution","id":"192.0.2.1acme.example"}],"meta":{"cursor":"c"}},"parent":{"data":null}}}}`
	singleJSON  = `{"data":{"type":"ip_address","id":"192.0.2.1","attributes":{"country":"NL"}},"links":{"self":"s"}}`
	searchJSON  = `{"data":[{"type":"file","id":"` + fileSHA256 + `"},{"type":"url","id":"` + fileSHA256 + `","attributes":{"url":"http://a.example/"}}],"meta":{"total_hits":2}}`
	trueJSON    = `{"data":true}`
	deletedJSON = `{"data":null}`
	errorJSON   = `{"error":{"code":"WrongCredentialsError","message":"Wrong API key"}}`
)

// fakeAPI returns a tiny handwritten server for part of the API that answers
// every request it knows with a response that follows the spec, and a
// missing API key with the documented 401.
func fakeAPI() http.Handler {
	mux := http.NewServeMux()
	routes := map[string]string{
		"GET /api/v3/graphs":                                     graphListJSON,
		"POST /api/v3/graphs":                                    createdJSON,
		"GET /api/v3/graphs/{id}":                                graphJSON,
		"DELETE /api/v3/graphs/{id}":                             deletedJSON,
		"GET /api/v3/graphs/{id}/comments":                       commentsJSON,
		"GET /api/v3/graphs/{id}/{relationship}":                 itemsJSON,
		"GET /api/v3/graphs/{id}/owner":                          ownerJSON,
		"GET /api/v3/graphs/{id}/group":                          groupJSON,
		"GET /api/v3/domains/{domain}":                           domainJSON,
		"GET /api/v3/urls/{id}/{relationship}":                   singleJSON,
		"GET /api/v3/intelligence/search":                        searchJSON,
		"GET /api/v3/graphs/{id}/relationships/editors/{member}": trueJSON,
	}
	for pattern, body := range routes {
		mux.Handle(pattern, respond(http.StatusOK, "application/json", body))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-apikey") == "" {
			respond(http.StatusUnauthorized, "application/json", errorJSON).ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// respond returns a handler that always writes the given response.
func respond(status int, contentType, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// violations collects what a Validator reports; it is safe for concurrent
// use because the middleware reports from the server's goroutines.
type violations struct {
	mu   sync.Mutex
	errs []error
}

func (v *violations) report(err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.errs = append(v.errs, err)
}

// parts returns the Part of each reported violation, or "not a Violation".
func (v *violations) parts() []contract.Part {
	v.mu.Lock()
	defer v.mu.Unlock()
	var parts []contract.Part
	for _, err := range v.errs {
		if cv, ok := err.(*contract.Violation); ok {
			parts = append(parts, cv.Part)
		} else {
			parts = append(parts, "not a Violation")
		}
	}
	return parts
}

func (v *violations) all() []error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]error(nil), v.errs...)
}
