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
	// Path is the escaped URL path the call requested, without the query;
	// after a redirect it is still the path requested, not the last hop's.
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

// readBody reads resp's body to its end, or to limit+1 bytes when it is
// longer, so the caller can tell. It allocates at most 1.2 times the limit
// however the body ends, where growing one buffer by doubling would spend up
// to four times it:
//   - a body within the limit that declares its length (Content-Length,
//     which net/http holds the body to) is read into one buffer of that
//     size;
//   - any other body is read in chunks of doubling size, a fifth of the
//     limit in all, and joined into one buffer of its size when it ends
//     there; when it goes on, the chunks move into one buffer of limit+1
//     bytes, where the rest is read.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if b, ok := resp.Body.(*bufferedBody); ok && b.off == 0 {
		return b.data, b.err
	}
	const firstChunk = 4 << 10
	capped := int(limit) + 1
	size := firstChunk
	if n := resp.ContentLength; n >= 0 && n < int64(capped) {
		size = int(n) + 1 // the byte past the end lets the read see EOF without another buffer
	}
	var (
		chunks [][]byte
		read   int
		spent  int
	)
	// The chunks' budget leaves room for the rounding of the large buffer
	// to whole pages and for the list of chunks.
	budget := max(int(limit)/5-64<<10, 0)
	for ; spent < budget || len(chunks) == 0; size *= 2 {
		if len(chunks) > 0 {
			size = min(size, budget-spent)
		}
		chunk := make([]byte, size)
		spent += size
		n, ended, err := fill(resp.Body, chunk)
		chunks = append(chunks, chunk[:n])
		read += n
		if ended || err != nil || read >= capped {
			return join(chunks, read), err
		}
	}
	buf := make([]byte, capped)
	at := 0
	for _, c := range chunks {
		at += copy(buf[at:], c)
	}
	n, _, err := fill(resp.Body, buf[at:])
	return buf[:at+n], err
}

// bufferedBody is a 2xx body the pipeline read ahead (see bufferBody): the
// bytes read and the error the read ended with, which readBody hands to the
// decoder as they are, without a copy.
type bufferedBody struct {
	data []byte
	err  error
	off  int
}

// bufferBody reads resp's body into memory, bounded as decodeJSON bounds
// it, and replaces the body with what it read. It returns the error the
// read ended with, which reading the new body returns too, after the bytes.
func bufferBody(resp *http.Response) error {
	data, err := readBody(resp, maxSuccessBody)
	_ = resp.Body.Close()
	resp.Body = &bufferedBody{data: data, err: err}
	return err
}

func (b *bufferedBody) Read(p []byte) (int, error) {
	if b.off < len(b.data) {
		n := copy(p, b.data[b.off:])
		b.off += n
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	return 0, io.EOF
}

func (b *bufferedBody) Close() error { return nil }

// fill reads from r into buf until buf is full, r ends (ended) or a read
// fails, and returns how many bytes it read. Unlike io.ReadFull it tells an
// io.ErrUnexpectedEOF of r, a body cut off, from a short body.
func fill(r io.Reader, buf []byte) (n int, ended bool, err error) {
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		switch {
		case err == io.EOF:
			return n, true, nil
		case err != nil:
			return n, false, err
		}
	}
	return n, false, nil
}

// join returns the chunks as one slice of n bytes, copying only when there
// are several.
func join(chunks [][]byte, n int) []byte {
	if len(chunks) == 1 {
		return chunks[0]
	}
	out := make([]byte, 0, n)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out
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
