package vtgraphtest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// brokenWriter is a connection whose client went away: it takes the
// status, then fails every write of the body, and counts the statuses.
type brokenWriter struct {
	header   http.Header
	statuses []int
}

func (w *brokenWriter) Header() http.Header { return w.header }

func (w *brokenWriter) WriteHeader(code int) { w.statuses = append(w.statuses, code) }

func (w *brokenWriter) Write([]byte) (int, error) {
	if len(w.statuses) == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return 0, errors.New("connection reset by peer")
}

// TestBodyWriteFailureSendsOneStatus checks that a body the client stopped
// reading is not followed by a second status (an InternalError), which
// net/http logs as a superfluous WriteHeader call.
func TestBodyWriteFailureSendsOneStatus(t *testing.T) {
	t.Parallel()
	s, err := newServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	req := httptest.NewRequest(http.MethodGet, apiRoot+"/domains/"+DemoDomain, nil)
	req.Header.Set("x-apikey", AliceKey)
	w := &brokenWriter{header: http.Header{}}
	s.Handler().ServeHTTP(w, req)
	if len(w.statuses) != 1 || w.statuses[0] != http.StatusOK {
		t.Fatalf("statuses sent: %v, want [200]", w.statuses)
	}
}
