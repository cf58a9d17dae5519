package contract

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// Transport returns a RoundTripper that validates each request before next
// sends it, and each response next returns, calling report once per
// [*Violation]. It only observes: the request goes out and the response comes
// back unchanged, with the response body buffered so the caller can still
// read it. A nil next means http.DefaultTransport.
func (v *Validator) Transport(next http.RoundTripper, report func(error)) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{v: v, next: next, report: report}
}

type transport struct {
	v      *Validator
	next   http.RoundTripper
	report func(error)
}

// RoundTrip sends a copy of req carrying a replayable body, because the
// RoundTripper contract forbids changing req and the body is read twice.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("contract: reading the body of %s %s: %w", req.Method, requestPath(req.URL), err)
		}
	}
	out := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	x := t.v.checkRequest(out, body, t.report)

	resp, err := t.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	resp.Request = req
	data, readErr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if readErr != nil {
		// The body is cut short, so checking it would only report noise;
		// hand the caller what arrived followed by the same error.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), errReader{readErr}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	x.checkResponse(resp.StatusCode, resp.Header, data)
	return resp, nil
}

// errReader is a reader that always fails with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
