package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"
)

// documentedCodes is every error VirusTotal documents, with its status.
var documentedCodes = []struct {
	status int
	code   ErrorCode
}{
	{400, ErrBadRequest},
	{400, ErrInvalidArgument},
	{400, ErrNotAvailableYet},
	{400, ErrUnselectiveContentQuery},
	{400, ErrUnsupportedContentQuery},
	{401, ErrAuthenticationRequired},
	{401, ErrUserNotActive},
	{401, ErrWrongCredentials},
	{403, ErrForbidden},
	{404, ErrNotFound},
	{409, ErrAlreadyExists},
	{424, ErrFailedDependency},
	{429, ErrQuotaExceeded},
	{429, ErrTooManyRequests},
	{503, ErrTransient},
	{504, ErrDeadlineExceeded},
}

// errorRequest is the request the fake error responses answer.
func errorRequest(t *testing.T) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodDelete, testBaseURL+"/graphs/g1?filter=secret-term", nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// matching returns the documented codes err matches with errors.Is.
func matching(err error) []ErrorCode {
	var out []ErrorCode
	for _, dc := range documentedCodes {
		if errors.Is(err, dc.code) {
			out = append(out, dc.code)
		}
	}
	return out
}

func TestAPIErrorDocumentedCodes(t *testing.T) {
	t.Parallel()
	if len(documentedCodes) != 16 {
		t.Fatalf("the table has %d codes; VirusTotal documents 16", len(documentedCodes))
	}
	for _, dc := range documentedCodes {
		t.Run(string(dc.code), func(t *testing.T) {
			t.Parallel()
			msg := "Details about " + string(dc.code)
			body := fmt.Sprintf(`{"error": {"code": %q, "message": %q}}`, dc.code, msg)
			resp, tb := fakeResponse(errorRequest(t), dc.status, body, "Content-Type", "application/json")
			err := fmt.Errorf("vtgraph: deleting a graph: %w", checkResponse(resp))

			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("errors.As found no *APIError in %v", err)
			}
			want := APIError{StatusCode: dc.status, Code: dc.code, Message: msg, Method: "DELETE", Path: "/api/v3/graphs/g1"}
			if *apiErr != want {
				t.Errorf("got %+v\nwant %+v", *apiErr, want)
			}
			if got := matching(err); len(got) != 1 || got[0] != dc.code {
				t.Errorf("errors.Is matches %v, want only %s", got, dc.code)
			}
			wantMsg := fmt.Sprintf("vtgraph: DELETE /api/v3/graphs/g1: %d %s: %s", dc.status, dc.code, msg)
			if apiErr.Error() != wantMsg {
				t.Errorf("Error() = %q\nwant      %q", apiErr.Error(), wantMsg)
			}
			if !tb.closed.Load() {
				t.Error("the body was not closed")
			}
		})
	}
}

// TestAPIErrorDocumentedCodesEndToEnd sends each code through a real server
// and the whole pipeline.
func TestAPIErrorDocumentedCodesEndToEnd(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /errors/{status}/{code}", func(w http.ResponseWriter, r *http.Request) {
		var status int
		fmt.Sscan(r.PathValue("status"), &status)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error": {"code": %q, "message": "m"}}`, r.PathValue("code"))
	})
	for _, dc := range documentedCodes {
		resp, err := get(t, t.Context(), c, fmt.Sprintf("/errors/%d/%s", dc.status, dc.code))
		if err != nil {
			t.Fatal(err)
		}
		err = checkResponse(resp)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != dc.status || !errors.Is(err, dc.code) {
			t.Errorf("%s: got %v", dc.code, err)
		}
	}
}

// errAfter is a body that breaks after some bytes, like a reset connection.
type errAfter struct {
	r io.Reader
}

func (e *errAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset")
	}
	return n, err
}

// countingReader is an endless body that counts what was read from it. The
// bytes are whatever p held: no decoder gets that far.
type countingReader struct{ n int }

func (c *countingReader) Read(p []byte) (int, error) {
	c.n += len(p)
	return len(p), nil
}

func TestAPIErrorOtherBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		body      string
		header    []string
		wantCode  ErrorCode
		wantMsg   string
		wantIs    []ErrorCode // documented codes errors.Is matches
		wantError string      // Error() after "vtgraph: DELETE /api/v3/graphs/g1: "
	}{
		{name: "HTML proxy page", status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
			wantError: "502 Bad Gateway"},
		{name: "HTML 403 from a firewall", status: 403, body: "<!DOCTYPE html><title>Access denied</title>",
			wantIs: []ErrorCode{ErrForbidden}, wantError: "403 Forbidden"},
		{name: "empty 404", status: 404,
			wantIs: []ErrorCode{ErrNotFound}, wantError: "404 Not Found"},
		{name: "empty 503 with Retry-After", status: 503, header: []string{"Retry-After", "10"},
			wantIs: []ErrorCode{ErrTransient}, wantError: "503 Service Unavailable (retry after 10s)"},
		{name: "plain-text 500", status: 500, body: "Internal Server Error\n",
			wantError: "500 Internal Server Error"},
		{name: "truncated JSON", status: 400, body: `{"error": {"code": "NotFoundError", "mess`,
			wantIs: []ErrorCode{ErrBadRequest}, wantError: "400 Bad Request"},
		{name: "JSON without an error object", status: 409, body: `{"data": null}`,
			wantIs: []ErrorCode{ErrAlreadyExists}, wantError: "409 Conflict"},
		{name: "JSON error as a string", status: 401, body: `{"error": "bad key"}`,
			wantIs: []ErrorCode{ErrAuthenticationRequired}, wantError: "401 Unauthorized"},
		{name: "JSON null", status: 424, body: `null`,
			wantIs: []ErrorCode{ErrFailedDependency}, wantError: "424 Failed Dependency"},
		{name: "JSON array", status: 504, body: `[1, 2]`,
			wantIs: []ErrorCode{ErrDeadlineExceeded}, wantError: "504 Gateway Timeout"},
		{name: "message without code", status: 429, body: `{"error": {"message": "Slow down"}}`, header: []string{"Retry-After", "60"},
			wantMsg: "Slow down", wantIs: []ErrorCode{ErrTooManyRequests}, wantError: "429 Too Many Requests: Slow down (retry after 1m0s)"},
		{name: "unknown code", status: 418, body: `{"error": {"code": "TeapotError", "message": "I'm a teapot"}}`,
			wantCode: "TeapotError", wantMsg: "I'm a teapot", wantError: "418 TeapotError: I'm a teapot"},
		{name: "unknown code on a documented status", status: 404, body: `{"error": {"code": "GraphGoneError"}}`,
			wantCode: "GraphGoneError", wantError: "404 GraphGoneError"},
		{name: "unusual status without body", status: 599,
			wantError: "599"},
		{name: "3xx not followed", status: 304,
			wantError: "304 Not Modified"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, tb := fakeResponse(errorRequest(t), tt.status, tt.body, tt.header...)
			err := checkResponse(resp)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %v, want an *APIError", err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.wantCode || apiErr.Message != tt.wantMsg {
				t.Errorf("got %+v", *apiErr)
			}
			if got := matching(err); fmt.Sprint(got) != fmt.Sprint(tt.wantIs) {
				t.Errorf("errors.Is matches %v, want %v", got, tt.wantIs)
			}
			if tt.wantCode != "" && !errors.Is(err, tt.wantCode) {
				t.Errorf("errors.Is(err, %q) = false", tt.wantCode)
			}
			if want := "vtgraph: DELETE /api/v3/graphs/g1: " + tt.wantError; apiErr.Error() != want {
				t.Errorf("Error() = %q\nwant      %q", apiErr.Error(), want)
			}
			if !tb.closed.Load() {
				t.Error("the body was not closed")
			}
		})
	}
}

func TestAPIErrorBoundsTheBody(t *testing.T) {
	t.Parallel()
	body := &countingReader{}
	resp, _ := fakeResponse(errorRequest(t), 502, "")
	resp.Body = io.NopCloser(body)
	err := checkResponse(resp)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 {
		t.Fatalf("got %v", err)
	}
	if body.n > maxErrorBody+64<<10 {
		t.Errorf("read %d bytes of an endless body; the bound is %d", body.n, maxErrorBody)
	}

	long := strings.Repeat("é", maxMessage)
	resp, _ = fakeResponse(errorRequest(t), 400, fmt.Sprintf(`{"error": {"code": "BadRequestError", "message": %q}}`, long))
	if err := checkResponse(resp); !errors.As(err, &apiErr) || len(apiErr.Message) > maxMessage+len("…") || !utf8.ValidString(apiErr.Message) {
		t.Errorf("a long message was kept as %d bytes", len(apiErr.Message))
	}
}

func TestAPIErrorBrokenOrMissingBody(t *testing.T) {
	t.Parallel()
	resp, _ := fakeResponse(errorRequest(t), 404, "")
	resp.Body = io.NopCloser(&errAfter{r: strings.NewReader(`{"error": {"code": "NotFoundError", "message": "gone"}}`)})
	if err := checkResponse(resp); !errors.Is(err, ErrNotFound) {
		t.Errorf("a body that ends in a read error after valid JSON: %v", err)
	}

	resp, _ = fakeResponse(errorRequest(t), 404, "")
	resp.Body = io.NopCloser(&errAfter{r: strings.NewReader(`<html>`)})
	if err := checkResponse(resp); !errors.Is(err, ErrNotFound) {
		t.Errorf("a broken HTML body: %v", err)
	}

	resp = &http.Response{StatusCode: 404}
	err := checkResponse(resp)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Error() != "vtgraph: 404 Not Found" {
		t.Errorf("no body, no request: %v", err)
	}

	if err := checkResponse(nil); err == nil {
		t.Error("checkResponse(nil) = nil")
	}
}

func TestCheckResponseSuccess(t *testing.T) {
	t.Parallel()
	for _, status := range []int{200, 201, 204, 299} {
		resp, tb := fakeResponse(errorRequest(t), status, `{"data": {}}`)
		if err := checkResponse(resp); err != nil {
			t.Errorf("status %d: %v", status, err)
		}
		if tb.closed.Load() {
			t.Errorf("status %d: the body was closed before the caller read it", status)
		}
	}
}

func TestErrorCodeAndAPIErrorMessages(t *testing.T) {
	t.Parallel()
	if got := fmt.Sprintf("%v %s %q", ErrNotFound, ErrNotFound, ErrNotFound); got != `NotFoundError NotFoundError "NotFoundError"` {
		t.Errorf("ErrNotFound prints as %s", got)
	}
	e := &APIError{StatusCode: 429, Code: ErrQuotaExceeded, Message: "Quota exceeded", Method: "GET", Path: "/api/v3/graphs", RetryAfter: 90 * time.Second}
	if got, want := e.Error(), "vtgraph: GET /api/v3/graphs: 429 QuotaExceededError: Quota exceeded (retry after 1m30s)"; got != want {
		t.Errorf("Error() = %q\nwant      %q", got, want)
	}
	if errors.Is(e, errors.New("QuotaExceededError")) {
		t.Error("an *APIError matched an unrelated error with the same text")
	}
}

// stallingBody returns its bytes, then blocks until ctx is done and fails
// with the context's error, as net/http's body does when the request's
// context ends mid-read.
type stallingBody struct {
	ctx context.Context
	r   io.Reader
}

func (b *stallingBody) Read(p []byte) (int, error) {
	if n, _ := b.r.Read(p); n > 0 {
		return n, nil
	}
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func (b *stallingBody) Close() error { return nil }

// TestDeadlineWhileReadingTheBody lets the caller's deadline pass while the
// body is being read, after the status line arrived: the error says so
// whatever the status, and an error status still gives its *APIError.
func TestDeadlineWhileReadingTheBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		body   string
	}{
		{500, `{"error":{"code":"InternalError","message":"Something`},
		{404, ``},
		{200, `{"data":{"type":"graph","attributes":{"nodes":[`},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				c := newFakeClient(t, doerFunc(func(r *http.Request) (*http.Response, error) {
					resp, _ := fakeResponse(r, tc.status, "")
					resp.Body = &stallingBody{ctx: r.Context(), r: strings.NewReader(tc.body)}
					return resp, nil
				}), WithoutRetries())
				ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
				defer cancel()
				_, err := c.GetGraph(ctx, "g"+strings.Repeat("a", 64), nil)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v, want it to match context.DeadlineExceeded", err)
				}
				var apiErr *APIError
				if got := errors.As(err, &apiErr); got != (tc.status >= 300) {
					t.Errorf("errors.As(*APIError) = %v for status %d: %v", got, tc.status, err)
				} else if got && apiErr.StatusCode != tc.status {
					t.Errorf("StatusCode = %d, want %d", apiErr.StatusCode, tc.status)
				}
			})
		})
	}
}
