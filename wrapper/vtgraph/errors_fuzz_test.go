package vtgraph

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// fzErrorKey is the made-up key on the fuzzed requests. "$KEY" in a fuzzed
// body becomes this key, so the fuzzer can place it anywhere cheaply.
const fzErrorKey = "vtgraph-fuzz-secret-4c3b2a"

// fzReadCounter counts the bytes read from a body and whether it was
// closed.
type fzReadCounter struct {
	r      io.Reader
	read   int
	closed bool
}

func (c *fzReadCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

func (c *fzReadCounter) Close() error {
	c.closed = true
	return nil
}

// FuzzErrorBody sends arbitrary statuses, Retry-After headers and bodies
// through the error path of every call: checkResponse and decodeJSON. It
// must never panic; a status outside 2xx always gives an *APIError with
// that status, a 2xx whose body does not decode a *DecodeError with it;
// what is read stays within its bound, the body is closed, and the error
// is valid UTF-8 without the query string or the API key.
func FuzzErrorBody(f *testing.F) {
	f.Add(404, "", []byte(`{"error":{"code":"NotFoundError","message":"Graph not found"}}`))
	f.Add(429, "30", []byte(`{"error":{"code":"QuotaExceededError","message":"Quota exceeded"}}`))
	f.Add(502, "", []byte("<html><body>Bad gateway</body></html>"))
	f.Add(200, "", []byte(`{"data":{"type":"graph","id":"g1","attributes":{"nodes":[`))
	f.Add(401, "", []byte(`{"error":{"code":"WrongCredentialsError","message":"Wrong API key $KEY"}}`))
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		// Any status net/http can deliver: three digits.
		if status < 100 || status > 999 {
			status = 100 + int(uint(status)%900)
		}
		body = bytes.ReplaceAll(body, []byte("$KEY"), []byte(fzErrorKey))
		req, err := http.NewRequest(http.MethodPost, "https://vt.example.test/api/v3/graphs/g1/comments?filter=x", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set(apiKeyHeader, fzErrorKey)
		counter := &fzReadCounter{r: bytes.NewReader(body)}
		header := http.Header{}
		if retryAfter != "" {
			header.Set("Retry-After", retryAfter)
		}
		resp := &http.Response{StatusCode: status, Header: header, Body: counter, Request: req}

		// A small bound keeps the success path's limit within reach.
		const limit = 4 << 10
		err = decodeJSONLimit(resp, &dataBody[*Graph]{decode: decodeGraphObject}, limit)
		if !counter.closed {
			t.Fatal("the body was not closed")
		}
		success := status >= 200 && status <= 299
		switch {
		case !success:
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("status %d gave %T %v, want *APIError", status, err, err)
			}
			fzCheckAPIError(t, apiErr, status, counter.read)
		case err != nil:
			var decodeErr *DecodeError
			if !errors.As(err, &decodeErr) {
				t.Fatalf("status %d gave %T %v, want *DecodeError", status, err, err)
			}
			if decodeErr.StatusCode != status || decodeErr.Path != "/api/v3/graphs/g1/comments" {
				t.Fatalf("DecodeError.StatusCode, Path = %d, %q; want %d and no query", decodeErr.StatusCode, decodeErr.Path, status)
			}
			// maxExcerpt bytes of the body; each invalid byte may become a
			// three-byte U+FFFD.
			if len(decodeErr.Excerpt) > 3*maxExcerpt || !utf8.ValidString(decodeErr.Excerpt) {
				t.Fatalf("excerpt %q: too long or not UTF-8", decodeErr.Excerpt)
			}
			if counter.read > limit+1 {
				t.Fatalf("read %d bytes of a 2xx body bounded at %d", counter.read, limit)
			}
		}
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, fzErrorKey) {
				t.Fatalf("the error shows the key: %q", msg)
			}
			if !utf8.ValidString(msg) {
				t.Fatalf("the error is not UTF-8: %q", msg)
			}
		}
	})
}

func fzCheckAPIError(t *testing.T, e *APIError, status, read int) {
	t.Helper()
	if e.StatusCode != status {
		t.Fatalf("StatusCode = %d, want %d", e.StatusCode, status)
	}
	if e.Method != http.MethodPost || e.Path != "/api/v3/graphs/g1/comments" { // no query
		t.Fatalf("Method, Path = %q, %q", e.Method, e.Path)
	}
	if read > maxErrorBody {
		t.Fatalf("read %d bytes of an error body bounded at %d", read, maxErrorBody)
	}
	if len(e.Code) > maxCodeLen+len("…") || len(e.Message) > maxMessage+len("…") {
		t.Fatalf("code %d or message %d bytes long", len(e.Code), len(e.Message))
	}
	if !utf8.ValidString(string(e.Code)) || !utf8.ValidString(e.Message) {
		t.Fatalf("code %q or message %q is not UTF-8", e.Code, e.Message)
	}
	if e.RetryAfter < 0 {
		t.Fatalf("RetryAfter = %v", e.RetryAfter)
	}
	for _, s := range []string{string(e.Code), e.Message} {
		if strings.Contains(s, fzErrorKey) {
			t.Fatalf("the key is in %q", s)
		}
	}
	msg := e.Error()
	if !strings.Contains(msg, ": "+strconv.Itoa(status)) {
		t.Fatalf("Error() = %q lacks the status", msg)
	}
	// A code-less error still matches the sentinel of its status.
	if want := codeForStatus(status); e.Code == "" && want != "" && !errors.Is(e, want) {
		t.Fatalf("a %d without a code does not match %v", status, want)
	}
	if e.Code != "" && !errors.Is(e, e.Code) {
		t.Fatalf("%v does not match its own code %q", e, e.Code)
	}
}
