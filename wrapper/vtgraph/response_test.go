package vtgraph

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

type decoded struct {
	Data struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"data"`
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	resp, tb := fakeResponse(errorRequest(t), 200, `{"data": {"id": "g1", "type": "graph", "attributes": {}}}`)
	var v decoded
	if err := decodeJSON(resp, &v); err != nil {
		t.Fatal(err)
	}
	if v.Data.ID != "g1" || v.Data.Type != "graph" {
		t.Errorf("decoded %+v", v)
	}
	if !tb.closed.Load() {
		t.Error("the body was not closed")
	}
}

func TestDecodeJSONFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		body        string
		wantExcerpt string // must be in the excerpt
		wantErr     string // must be in Error()
	}{
		{name: "HTML login page", status: 200, body: "<html><body>Please sign in</body></html>",
			wantExcerpt: "<html><body>Please sign in", wantErr: "decoding the 200 response: invalid character '<'"},
		{name: "empty body", status: 200, body: "",
			wantErr: "the body is empty"},
		{name: "whitespace body", status: 201, body: " \n",
			wantErr: "decoding the 201 response: the body is empty"},
		{name: "truncated JSON", status: 200, body: `{"data": {"id": "g1", "ty`,
			wantExcerpt: `"ty`, wantErr: "unexpected end of JSON input"},
		{name: "wrong type", status: 200, body: `{"data": {"id": 42, "type": "graph"}}`,
			wantExcerpt: `"id": 42`, wantErr: "cannot unmarshal number"},
		{name: "trailing garbage", status: 200, body: `{"data": {}} <html>`,
			wantExcerpt: "<html>", wantErr: "invalid character '<' after top-level value"},
		{name: "error far into a long body", status: 200, body: `{"data": {"id": "` + strings.Repeat("a", 5000) + `", "type": 7}}`,
			wantExcerpt: `"type": 7`, wantErr: "cannot unmarshal number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, tb := fakeResponse(errorRequest(t), tt.status, tt.body)
			err := decodeJSON(resp, new(decoded))
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a *DecodeError", err)
			}
			if de.StatusCode != tt.status || de.Method != "DELETE" || de.Path != "/api/v3/graphs/g1" {
				t.Errorf("got %+v", de)
			}
			if !strings.Contains(de.Excerpt, tt.wantExcerpt) || len(de.Excerpt) > maxExcerpt || !utf8.ValidString(de.Excerpt) {
				t.Errorf("excerpt %q (%d bytes) lacks %q", de.Excerpt, len(de.Excerpt), tt.wantExcerpt)
			}
			if !strings.HasPrefix(err.Error(), "vtgraph: DELETE /api/v3/graphs/g1: ") || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Error() = %q, want %q in it", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "secret-term") {
				t.Errorf("Error() shows the query: %q", err)
			}
			if !tb.closed.Load() {
				t.Error("the body was not closed")
			}
		})
	}
}

func TestDecodeJSONUnwrapsTheCause(t *testing.T) {
	t.Parallel()
	resp, _ := fakeResponse(errorRequest(t), 200, `{"data": {"id": 42}}`)
	var typeErr *json.UnmarshalTypeError
	if err := decodeJSON(resp, new(decoded)); !errors.As(err, &typeErr) {
		t.Errorf("errors.As found no *json.UnmarshalTypeError in %v", err)
	}

	resp, _ = fakeResponse(errorRequest(t), 200, "")
	resp.Body = io.NopCloser(&errAfter{r: strings.NewReader(`{"data": {"id": "g`)})
	err := decodeJSON(resp, new(decoded))
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "reading the body: connection reset") || de.Excerpt != `{"data": {"id": "g` {
		t.Errorf("a body cut by the network: %v", err)
	}
}

func TestDecodeJSONErrorStatus(t *testing.T) {
	t.Parallel()
	resp, tb := fakeResponse(errorRequest(t), 404, `{"error": {"code": "NotFoundError", "message": "nope"}}`)
	err := decodeJSON(resp, new(decoded))
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("got %v, want ErrNotFound", err)
	}
	if !tb.closed.Load() {
		t.Error("the body was not closed")
	}
}

func TestDecodeJSONWithoutTarget(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"", "anything at all"} {
		resp, tb := fakeResponse(errorRequest(t), 204, body)
		if err := decodeJSON(resp, nil); err != nil {
			t.Errorf("body %q: %v", body, err)
		}
		if !tb.closed.Load() {
			t.Errorf("body %q was not closed", body)
		}
	}
	if err := decodeJSON(&http.Response{StatusCode: 204}, nil); err != nil {
		t.Errorf("nil body: %v", err)
	}
	if err := decodeJSON(&http.Response{StatusCode: 200}, new(decoded)); err == nil {
		t.Error("a nil body decoded into a value")
	}
}

func TestDecodeJSONBoundsTheBody(t *testing.T) {
	t.Parallel()
	body := &countingReader{}
	resp, _ := fakeResponse(errorRequest(t), 200, "")
	resp.Body = io.NopCloser(body)
	const limit = 1 << 20
	err := decodeJSONLimit(resp, new(decoded), limit)
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), fmt.Sprintf("larger than %d bytes", limit)) {
		t.Errorf("got %v", err)
	}
	if body.n > limit+64<<10 {
		t.Errorf("read %d bytes of an endless body; the bound is %d", body.n, limit)
	}

	resp, _ = fakeResponse(errorRequest(t), 200, `{"data": {"id": "g1"}}`)
	if err := decodeJSONLimit(resp, new(decoded), int64(len(`{"data": {"id": "g1"}}`))); err != nil {
		t.Errorf("a body of exactly the limit: %v", err)
	}
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	long := []byte(strings.Repeat("é", 1000)) // 2 bytes each: cuts fall mid-rune
	for _, off := range []int64{0, 1, 501, 1999, 2000, 5000, -3} {
		got := excerpt(long, off)
		if len(got) > maxExcerpt+6 || !utf8.ValidString(got) {
			t.Errorf("excerpt at %d: %d bytes, valid UTF-8 %v", off, len(got), utf8.ValidString(got))
		}
	}
	if got := excerpt([]byte("short"), 3); got != "short" {
		t.Errorf("excerpt of a short body = %q", got)
	}
}

// totalAlloc returns the bytes f allocated, in the whole process.
func totalAlloc(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReadBodyAllocation reads bodies of every kind up to the 64 MiB cap and
// counts what the read allocated: growing a buffer by doubling would spend
// up to four times the cap, so the read must stay within 1.25 times it
// however the body ends, and allocate once when the body has the length it
// declared. It does not run in parallel, so that no other test allocates
// meanwhile.
func TestReadBodyAllocation(t *testing.T) {
	const limit = maxSuccessBody
	endless := func() io.Reader { return &countingReader{} }
	tests := []struct {
		name     string
		body     func() io.Reader
		declared int64 // Content-Length; -1 for none, as for a gzip or chunked body
		wantLen  int
		maxAlloc float64 // bytes allocated, at most
	}{
		{"endless, no length", endless, -1, limit + 1, 1.25 * limit},
		{"one byte short of the cap, no length", func() io.Reader { return io.LimitReader(endless(), limit-1) }, -1, limit - 1, 1.25 * limit},
		{"a fifth of the cap, no length", func() io.Reader { return io.LimitReader(endless(), limit/5) }, -1, limit / 5, 1.25 * limit},
		{"100 KiB, no length", func() io.Reader { return io.LimitReader(endless(), 100<<10) }, -1, 100 << 10, 3 * 100 << 10},
		{"endless, declared above the cap", endless, 2 * limit, limit + 1, 1.25 * limit},
		{"10 MiB of its declared length", func() io.Reader { return io.LimitReader(endless(), 10<<20) }, 10 << 20, 10 << 20, 10<<20 + 16<<10},
		{"empty, declared empty", func() io.Reader { return strings.NewReader("") }, 0, 0, 1 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 200, Body: io.NopCloser(tt.body()), ContentLength: tt.declared}
			var (
				body []byte
				err  error
			)
			n := totalAlloc(func() { body, err = readBody(resp, limit) })
			if err != nil {
				t.Fatal(err)
			}
			if len(body) != tt.wantLen {
				t.Errorf("read %d bytes, want %d", len(body), tt.wantLen)
			}
			if float64(n) > tt.maxAlloc {
				t.Errorf("allocated %d bytes (%.2f× the cap), want at most %.0f", n, float64(n)/limit, tt.maxAlloc)
			}
			runtime.KeepAlive(body)
		})
	}
}
