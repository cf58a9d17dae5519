package vtgraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

const (
	// maxSuccessBody bounds a 2xx body; a Threat Graph is far smaller.
	maxSuccessBody = 64 << 20
	// maxExcerpt bounds DecodeError.Excerpt.
	maxExcerpt = 256
	// maxDrain is how much of a discarded body is read so that the
	// connection can be reused; a longer body just closes the connection.
	maxDrain = 64 << 10
)

// DecodeError is the error for a 2xx response whose body is not the JSON the
// client expected. It keeps the status and a short excerpt of the body for
// diagnosis; find it with [errors.As]. It unwraps to the underlying JSON or
// read error.
type DecodeError struct {
	// StatusCode is the HTTP status of the response, such as 200.
	StatusCode int
	// Method is the request's HTTP method.
	Method string
	// Path is the request's escaped URL path, without the query.
	Path string
	// Excerpt is at most 256 bytes of the body, around the point where
	// decoding failed.
	Excerpt string
	// Err is the reason decoding failed.
	Err error
}

// Error describes the failure with the start of the excerpt, for example
// `vtgraph: GET /api/v3/graphs/g1: decoding the 200 response: invalid character '<' looking for beginning of value (body: "<html>…")`.
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("vtgraph: ")
	if e.Method != "" || e.Path != "" {
		b.WriteString(e.Method + " " + e.Path + ": ")
	}
	b.WriteString("decoding the " + strconv.Itoa(e.StatusCode) + " response: ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	if e.Excerpt != "" {
		b.WriteString(" (body: " + strconv.Quote(clipUTF8(e.Excerpt, 80)) + ")")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// decodeJSON decodes a response body into v and closes the body; a
// bodyDecoder decodes it itself, anything else goes through encoding/json.
// A non-2xx
// response gives an *APIError, as checkResponse does. A 2xx body that is
// empty, larger than maxSuccessBody or not valid JSON for v gives a
// *DecodeError. With v nil the body is only drained, for responses without
// content such as 204.
func decodeJSON(resp *http.Response, v any) error {
	return decodeJSONLimit(resp, v, maxSuccessBody)
}

// decodeJSONLimit is decodeJSON with a bound of limit bytes, so tests need
// not read 64 MiB.
func decodeJSONLimit(resp *http.Response, v any, limit int64) error {
	if err := checkResponse(resp); err != nil {
		return err
	}
	method, path := requestLabel(resp.Request)
	fail := func(body []byte, offset int64, err error) error {
		if key := sentKey(resp.Request); key != "" && bytes.Contains(body, []byte(key)) {
			// Redacted in the whole body, not the excerpt, so that no part
			// of the key is left at the excerpt's edges; see parseErrorBody.
			body = bytes.ReplaceAll(body, []byte(key), []byte(redacted))
		}
		return &DecodeError{StatusCode: resp.StatusCode, Method: method, Path: path, Excerpt: excerpt(body, offset), Err: err}
	}
	if resp.Body == nil {
		if v == nil {
			return nil
		}
		return fail(nil, 0, errors.New("the body is empty"))
	}
	if v == nil {
		drainAndClose(resp.Body)
		return nil
	}
	body, err := readBody(resp, limit)
	_ = resp.Body.Close()
	switch {
	case err != nil:
		return fail(body, 0, fmt.Errorf("reading the body: %w", err))
	case int64(len(body)) > limit:
		return fail(body, 0, fmt.Errorf("the body is larger than %d bytes", limit))
	case len(bytes.TrimSpace(body)) == 0:
		return fail(body, 0, errors.New("the body is empty"))
	}
	if d, ok := v.(bodyDecoder); ok {
		err = d.decodeBody(body) // body is handed over: nothing below writes to it
	} else {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		return fail(body, errorOffset(err), err)
	}
	return nil
}

// readBody reads at most limit+1 bytes of resp's body. When the server gave
// the length, the buffer is allocated once at that size, rather than grown
// and copied as io.ReadAll does, which for a large graph would allocate the
// body several times over.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	var initial []byte
	if n := resp.ContentLength; n > 0 && n <= limit {
		initial = make([]byte, 0, n+bytes.MinRead) // the read that sees EOF needs MinRead bytes free
	}
	buf := bytes.NewBuffer(initial)
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	return buf.Bytes(), err
}

// errorOffset returns the byte offset a JSON error points at, or 0.
func errorOffset(err error) int64 {
	var offsetErr *offsetError
	if errors.As(err, &offsetErr) {
		return offsetErr.offset
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return syntaxErr.Offset
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return typeErr.Offset
	}
	return 0
}

// excerpt returns at most maxExcerpt bytes of body around offset, as valid
// UTF-8.
func excerpt(body []byte, offset int64) string {
	start := max(min(offset, int64(len(body)))-maxExcerpt/2, 0)
	end := min(start+maxExcerpt, int64(len(body)))
	return strings.ToValidUTF8(string(body[start:end]), "\uFFFD")
}

// drainAndClose reads a little of a body that is not needed, so the
// connection can be reused, then closes it.
func drainAndClose(body io.ReadCloser) {
	if body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, body, maxDrain)
	_ = body.Close()
}
