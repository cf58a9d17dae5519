package contract

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// Middleware returns a handler that validates each request before passing it
// to next, and each response next writes, calling report once per
// [*Violation]. It only observes: next receives the request unchanged (its
// body intact) and the client receives exactly what next writes, even when
// the exchange breaks the contract.
func (v *Validator) Middleware(next http.Handler, report func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			report(fmt.Errorf("contract: reading the body of %s %s: %w", r.Method, requestPath(r.URL), err))
			http.Error(w, "reading the request body failed", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		x := v.checkRequest(r, body, report)
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.WriteHeader(http.StatusOK)
		}
		x.checkResponse(rec.status, rec.header, rec.body.Bytes())
	})
}

// recorder passes a response through to the real writer while keeping a
// copy of its status, headers and body.
type recorder struct {
	http.ResponseWriter
	status int
	header http.Header
	body   bytes.Buffer
}

// WriteHeader records the first final status and the headers as they are
// sent; later changes to the header map do not reach the client either.
func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 && code >= 200 {
		rec.status = code
		rec.header = rec.ResponseWriter.Header().Clone()
	}
	rec.ResponseWriter.WriteHeader(code)
}

// Write records p and passes it on, sending a 200 first when no status was
// written, as net/http does.
func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
	}
	rec.body.Write(p)
	return rec.ResponseWriter.Write(p)
}

// Flush flushes the real writer when it supports flushing.
func (rec *recorder) Flush() {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(rec.ResponseWriter).Flush()
}

// Unwrap gives http.ResponseController access to the real writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
