package vtgraphtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// Request is one request the server received, as recorded for tests that
// assert what went on the wire.
type Request struct {
	// Method is the HTTP method, such as "GET".
	Method string
	// Path is the request path with its escapes decoded, starting with
	// /api/v3.
	Path string
	// RawQuery is the query string as received, without the "?".
	RawQuery string
	// Header holds the request headers, x-apikey included: tests can check
	// which key a call used.
	Header http.Header
	// Body is the request body as received; empty for a request without
	// one.
	Body []byte
	// Status is the status the server answered with, or 0 while it has not
	// answered or when the client went away first.
	Status int
}

// Requests returns a copy of every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		out[i].Body = slices.Clone(r.Body)
	}
	return out
}

// record logs the request before anything else runs and its status as soon
// as it is written, so a client that has seen the response also sees it in
// Requests.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestError", "cannot read the request body")
			return
		}
		rec := &Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
		s.reqMu.Lock()
		s.requests = append(s.requests, rec)
		s.reqMu.Unlock()
		next.ServeHTTP(&statusWriter{ResponseWriter: w, s: s, rec: rec}, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	s       *Server
	rec     *Request
	written bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.written {
		w.written = true
		w.s.reqMu.Lock()
		w.rec.Status = code
		w.s.reqMu.Unlock()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// readBody reads the body and puts an identical one back for the next layer.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

type ctxKey int

const (
	userKey ctxKey = iota
	callKey
)

// call is what the strict handlers need from the raw request: the generated
// request objects decode bodies into typed models, which would lose unknown
// attributes' number precision, and carry no URL to build links from.
type call struct {
	body   []byte
	origin string // scheme://host
	path   string
	query  string
}

// captureBody runs innermost, so it sees the body as any user middleware
// left it, which is the body the strict handler decodes too.
func captureBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestError", "cannot read the request body")
			return
		}
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		c := &call{body: body, origin: scheme + "://" + r.Host, path: r.URL.Path, query: r.URL.RawQuery}
		next.ServeHTTP(&startWriter{ResponseWriter: w}, r.WithContext(context.WithValue(r.Context(), callKey, c)))
	})
}

// startWriter tells whether the response has started, so that an error
// met while writing the body (the client went away) is not answered with
// a second status.
type startWriter struct {
	http.ResponseWriter
	started bool
}

func (w *startWriter) WriteHeader(code int) {
	w.started = w.started || code >= http.StatusOK
	w.ResponseWriter.WriteHeader(code)
}

func (w *startWriter) Write(b []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *startWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// responseStarted reports whether the response w stands for has started.
func responseStarted(w http.ResponseWriter) bool {
	sw, ok := w.(*startWriter)
	return ok && sw.started
}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey).(*call)
	if c == nil {
		return &call{}
	}
	return c
}

// base is the API root as the client reached it, for links.
func (c *call) base() string {
	return c.origin + apiRoot
}

// authenticate maps the x-apikey header to a user, answering like VirusTotal
// when it is missing or unknown.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("x-apikey")
		if key == "" {
			writeError(w, http.StatusUnauthorized, "AuthenticationRequiredError", "X-Apikey header is missing")
			return
		}
		s.mu.Lock()
		u := s.keys[key]
		s.mu.Unlock()
		if u == nil {
			writeError(w, http.StatusUnauthorized, "WrongCredentialsError", "Wrong API key")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, u)))
	})
}

func userFrom(ctx context.Context) *user {
	u, _ := ctx.Value(userKey).(*user)
	return u
}

// writeError writes a VirusTotal error body outside the strict handler, for
// the layers in front of it.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(vtapi.ErrorResponse{Error: vtapi.Error{Code: code, Message: message}})
}
