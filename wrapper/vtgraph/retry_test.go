package vtgraph

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// fakeStep is one scripted outcome of a fake server: a response or an error.
type fakeStep struct {
	status int
	header []string // name, value pairs
	body   string
	cut    error // when set, the body fails with it after its content
	err    error
}

// fakeCall is what the scripted doer saw of one attempt.
type fakeCall struct {
	at     time.Duration // since the doer was created, in the bubble's time
	method string
	body   string
	resp   *trackedBody
}

// scriptedDoer answers with its steps in order, repeating the last one, and
// records every fakeCall. Created inside a synctest bubble, its clock is fake.
type scriptedDoer struct {
	start time.Time
	steps []fakeStep
	mu    sync.Mutex
	calls []fakeCall
}

func newScriptedDoer(steps ...fakeStep) *scriptedDoer {
	return &scriptedDoer{start: time.Now(), steps: steps}
}

func (d *scriptedDoer) Do(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.steps[min(len(d.calls), len(d.steps)-1)]
	c := fakeCall{at: time.Since(d.start), method: r.Method, body: string(body)}
	if s.err != nil {
		d.calls = append(d.calls, c)
		return nil, &url.Error{Op: r.Method, URL: r.URL.String(), Err: s.err}
	}
	resp, tb := fakeResponse(r, s.status, s.body, s.header...)
	if s.cut != nil {
		tb.Reader = io.MultiReader(tb.Reader, failingReader{s.cut})
	}
	c.resp = tb
	d.calls = append(d.calls, c)
	return resp, nil
}

// failingReader fails every read with its error.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func (d *scriptedDoer) Calls() []fakeCall {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]fakeCall(nil), d.calls...)
}

func callOffsets(calls []fakeCall) []time.Duration {
	var out []time.Duration
	for _, c := range calls {
		out = append(out, c.at)
	}
	return out
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var (
	errConnReset      = &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	backoffTestPolicy = RetryPolicy{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: 3 * time.Second, MaxRetryAfter: time.Minute}
)

const quotaBody = `{"error":{"code":"QuotaExceededError","message":"Daily quota exceeded"}}`

func secs(d int) time.Duration { return time.Duration(d) * time.Second }

func TestRetrySchedule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		policy     RetryPolicy
		steps      func() []fakeStep // built in the bubble, for HTTP dates
		want       []time.Duration
		wantStatus int       // of the response returned, when no error
		wantCode   ErrorCode // of the *APIError the response decodes to, when set
		wantErr    bool      // the last transport error, wrapped
	}{
		{
			name:   "429 with Retry-After seconds",
			policy: DefaultRetryPolicy(),
			steps: func() []fakeStep {
				return []fakeStep{{status: 429, header: []string{"Retry-After", "7"}}, {status: 200}}
			},
			want: []time.Duration{0, secs(7)}, wantStatus: 200,
		},
		{
			name:   "503 with Retry-After date",
			policy: DefaultRetryPolicy(),
			steps: func() []fakeStep {
				date := time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat)
				return []fakeStep{{status: 503, header: []string{"Retry-After", date}}, {status: 200}}
			},
			want: []time.Duration{0, secs(5)}, wantStatus: 200,
		},
		{
			name:   "Retry-After above the cap ends retries",
			policy: DefaultRetryPolicy(),
			steps:  func() []fakeStep { return []fakeStep{{status: 429, header: []string{"Retry-After", "3600"}}} },
			want:   []time.Duration{0}, wantStatus: 429,
		},
		{
			// A daily or monthly quota will not come back within any
			// backoff, so waiting for it only spends the caller's time.
			name:   "QuotaExceededError without Retry-After is not retried",
			policy: DefaultRetryPolicy(),
			steps: func() []fakeStep {
				return []fakeStep{{status: 429, body: quotaBody}, {status: 200}}
			},
			want: []time.Duration{0}, wantStatus: 429, wantCode: ErrQuotaExceeded,
		},
		{
			name:   "QuotaExceededError with Retry-After is retried",
			policy: DefaultRetryPolicy(),
			steps: func() []fakeStep {
				return []fakeStep{{status: 429, body: quotaBody, header: []string{"Retry-After", "2"}}, {status: 200}}
			},
			want: []time.Duration{0, secs(2)}, wantStatus: 200,
		},
		{
			name:   "TooManyRequestsError without Retry-After is retried",
			policy: DefaultRetryPolicy(),
			steps: func() []fakeStep {
				return []fakeStep{{status: 429, body: `{"error":{"code":"TooManyRequestsError","message":"Slow down"}}`}, {status: 200}}
			},
			want: []time.Duration{0, secs(1)}, wantStatus: 200,
		},
		{
			name:   "exponential backoff capped at MaxDelay",
			policy: backoffTestPolicy,
			steps: func() []fakeStep {
				return []fakeStep{{status: 503}, {status: 504}, {status: 429}, {status: 503}, {status: 200}}
			},
			want: []time.Duration{0, secs(1), secs(3), secs(6), secs(9)}, wantStatus: 200,
		},
		{
			name:   "gives up after MaxAttempts with the last response",
			policy: RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Minute},
			steps:  func() []fakeStep { return []fakeStep{{status: 503}} },
			want:   []time.Duration{0, secs(1), secs(3)}, wantStatus: 503,
		},
		{
			name:   "transient network error, then success",
			policy: backoffTestPolicy,
			steps:  func() []fakeStep { return []fakeStep{{err: errConnReset}, {err: io.ErrUnexpectedEOF}, {status: 200}} },
			want:   []time.Duration{0, secs(1), secs(3)}, wantStatus: 200,
		},
		{
			name:   "transient network error every time",
			policy: RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Minute},
			steps:  func() []fakeStep { return []fakeStep{{err: errConnReset}} },
			want:   []time.Duration{0, secs(1), secs(3)}, wantErr: true,
		},
		{
			name:   "certificate error is not retried",
			policy: backoffTestPolicy,
			steps:  func() []fakeStep { return []fakeStep{{err: x509.UnknownAuthorityError{}}} },
			want:   []time.Duration{0}, wantErr: true,
		},
		{
			name:   "unknown host is not retried",
			policy: backoffTestPolicy,
			steps:  func() []fakeStep { return []fakeStep{{err: &net.DNSError{Err: "no such host", IsNotFound: true}}} },
			want:   []time.Duration{0}, wantErr: true,
		},
		{
			name:   "404 is not retried",
			policy: backoffTestPolicy,
			steps:  func() []fakeStep { return []fakeStep{{status: 404}} },
			want:   []time.Duration{0}, wantStatus: 404,
		},
		{
			name:   "500 is not retried",
			policy: backoffTestPolicy,
			steps:  func() []fakeStep { return []fakeStep{{status: 500}} },
			want:   []time.Duration{0}, wantStatus: 500,
		},
		{
			name:   "retries turned off",
			policy: RetryPolicy{},
			steps:  func() []fakeStep { return []fakeStep{{status: 503}} },
			want:   []time.Duration{0}, wantStatus: 503,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := newScriptedDoer(tt.steps()...)
				c := newFakeClient(t, d, WithRetryPolicy(tt.policy))
				resp, err := get(t, t.Context(), c, "/graphs/g1")
				calls := d.Calls()
				if got := callOffsets(calls); !equalDurations(got, tt.want) {
					t.Errorf("attempts at %v, want %v", got, tt.want)
				}
				if tt.wantErr {
					if err == nil {
						t.Fatalf("got status %d, want an error", resp.StatusCode)
					}
					var last *url.Error
					if !errors.As(err, &last) {
						t.Errorf("error %v does not wrap the last transport error", err)
					}
					if len(tt.want) > 1 && !strings.Contains(err.Error(), "giving up after 3 attempts") {
						t.Errorf("error %q does not count the attempts", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
				}
				for i, c := range calls {
					if c.resp == nil {
						continue
					}
					// A 2xx body is read ahead while it can still be retried,
					// so the caller gets a copy; any other is handed over.
					last := i == len(calls)-1
					if last && resp.StatusCode < 300 && c.resp.closed.Load() {
						continue
					}
					if c.resp.closed.Load() == last {
						t.Errorf("attempt %d: body closed = %v, want %v", i+1, !last, !last)
					}
				}
				if tt.wantCode != "" {
					// What the retry decision read of the body is still there.
					if err := checkResponse(resp); !errors.Is(err, tt.wantCode) {
						t.Errorf("the response decodes to %v, want %v", err, tt.wantCode)
					}
				}
			})
		})
	}
}

// TestRetryCutOffBody has the connection drop while a 2xx body arrives. An
// idempotent request whose answer is decoded is retried as after a reset,
// within the policy; the one answer returned is whole. A deletion's body is
// not needed, so its 2xx stands; a POST is never sent twice; a body that
// fails for a reason that will not pass, or on the last attempt, is handed
// over with its error for the decoder to report.
func TestRetryCutOffBody(t *testing.T) {
	t.Parallel()
	const whole = `{"data":{"type":"graph","id":"g1"}}`
	cut := fakeStep{status: 200, body: `{"data":{"ty`, cut: io.ErrUnexpectedEOF}
	ok := fakeStep{status: 200, body: whole}
	tests := []struct {
		name    string
		method  string
		marked  bool
		policy  RetryPolicy
		steps   []fakeStep
		want    []time.Duration
		wantErr error // of reading the body returned; nil: it reads as whole
	}{
		{name: "GET", method: http.MethodGet, policy: DefaultRetryPolicy(), steps: []fakeStep{cut, ok}, want: []time.Duration{0, secs(1)}},
		{name: "GET, reset mid-body", method: http.MethodGet, policy: DefaultRetryPolicy(),
			steps: []fakeStep{{status: 200, body: `{"da`, cut: errConnReset}, ok}, want: []time.Duration{0, secs(1)}},
		{name: "GET, every attempt", method: http.MethodGet, policy: RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Minute},
			steps: []fakeStep{cut}, want: []time.Duration{0, secs(1), secs(3)}, wantErr: io.ErrUnexpectedEOF},
		{name: "PATCH marked idempotent", method: http.MethodPatch, marked: true, policy: DefaultRetryPolicy(), steps: []fakeStep{cut, ok}, want: []time.Duration{0, secs(1)}},
		{name: "POST", method: http.MethodPost, policy: DefaultRetryPolicy(), steps: []fakeStep{cut, ok}, want: []time.Duration{0}, wantErr: io.ErrUnexpectedEOF},
		{name: "DELETE", method: http.MethodDelete, policy: DefaultRetryPolicy(), steps: []fakeStep{cut, ok}, want: []time.Duration{0}, wantErr: io.ErrUnexpectedEOF},
		{name: "GET, a failure that will not pass", method: http.MethodGet, policy: DefaultRetryPolicy(),
			steps: []fakeStep{{status: 200, body: `{"data"`, cut: errBrokenGzip}, ok}, want: []time.Duration{0}, wantErr: errBrokenGzip},
		{name: "GET, retries off", method: http.MethodGet, steps: []fakeStep{cut, ok}, want: []time.Duration{0}, wantErr: io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := newScriptedDoer(tt.steps...)
				c := newFakeClient(t, d, WithRetryPolicy(tt.policy))
				ctx := t.Context()
				if tt.marked {
					ctx = withIdempotent(ctx)
				}
				req, _ := http.NewRequestWithContext(ctx, tt.method, c.baseURL()+"/graphs/g1", strings.NewReader("{}"))
				resp, err := c.do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if got := callOffsets(d.Calls()); !equalDurations(got, tt.want) {
					t.Errorf("attempts at %v, want %v", got, tt.want)
				}
				if tt.wantErr == nil {
					if err != nil || string(body) != whole {
						t.Errorf("read %q, %v; want the whole body", body, err)
					}
				} else if !errors.Is(err, tt.wantErr) {
					t.Errorf("reading the body: %v, want %v", err, tt.wantErr)
				}
				for i, call := range d.Calls() {
					if i < len(d.Calls())-1 && !call.resp.closed.Load() {
						t.Errorf("attempt %d: the body was not closed", i+1)
					}
				}
			})
		})
	}
}

// errBrokenGzip stands for a body that fails for good, like a corrupt gzip
// stream.
var errBrokenGzip = errors.New("gzip: invalid checksum")

// TestRetryOnlyIdempotentRequests checks that a create (POST) or update
// (PATCH) is sent once, whatever happens, unless the operation marked it safe.
func TestRetryOnlyIdempotentRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method string
		marked bool
		body   string
		want   int
	}{
		{http.MethodGet, false, "", 3},
		{http.MethodHead, false, "", 3},
		{http.MethodOptions, false, "", 3},
		{http.MethodDelete, false, "", 3},
		{http.MethodPut, false, `{"data":1}`, 3},
		{http.MethodPost, false, `{"data":{"type":"graph"}}`, 1},
		{http.MethodPatch, false, `{"data":{"type":"graph"}}`, 1},
		{http.MethodPost, true, `{"data":[{"type":"user","id":"u"}]}`, 3},
		{http.MethodPatch, true, `{"data":1}`, 3},
	}
	outcomes := map[string]fakeStep{
		"503":                  {status: 503},
		"429 with Retry-After": {status: 429, header: []string{"Retry-After", "1"}},
		"connection reset":     {err: errConnReset},
	}
	for _, tt := range tests {
		for outcome, st := range outcomes {
			name := tt.method + "/" + outcome
			if tt.marked {
				name = tt.method + " marked idempotent/" + outcome
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) {
					d := newScriptedDoer(st)
					c := newFakeClient(t, d, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Second}))
					ctx := t.Context()
					if tt.marked {
						ctx = withIdempotent(ctx)
					}
					var body io.Reader
					if tt.body != "" {
						body = strings.NewReader(tt.body) // NewRequest sets GetBody
					}
					req, _ := http.NewRequestWithContext(ctx, tt.method, c.baseURL()+"/graphs", body)
					resp, err := c.do(req)
					if err == nil {
						if tt.want == 1 && st.status == 429 {
							var apiErr *APIError
							if !errors.As(checkResponse(resp), &apiErr) || apiErr.RetryAfter != time.Second {
								t.Errorf("want an *APIError with RetryAfter 1s, got %v", apiErr)
							}
						}
						resp.Body.Close()
					}
					calls := d.Calls()
					if len(calls) != tt.want {
						t.Fatalf("%d attempts, want %d", len(calls), tt.want)
					}
					for i, c := range calls {
						if c.body != tt.body || c.method != tt.method {
							t.Errorf("attempt %d sent %s %q, want %s %q", i+1, c.method, c.body, tt.method, tt.body)
						}
					}
				})
			})
		}
	}
}

func TestRetryNeedsRewindableBody(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		d := newScriptedDoer(fakeStep{status: 503})
		c := newFakeClient(t, d)
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, c.baseURL()+"/graphs/g1", io.NopCloser(strings.NewReader("{}")))
		if req.GetBody != nil {
			t.Fatal("the test needs a body that cannot be rewound")
		}
		resp, err := c.do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if n := len(d.Calls()); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	})
}

func TestRetryRewindFailure(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		d := newScriptedDoer(fakeStep{status: 503})
		c := newFakeClient(t, d)
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, c.baseURL()+"/graphs/g1", bytes.NewReader([]byte("{}")))
		errRewind := errors.New("cannot rewind")
		req.GetBody = func() (io.ReadCloser, error) { return nil, errRewind }
		_, err := c.do(req)
		if !errors.Is(err, errRewind) {
			t.Errorf("err = %v, want the GetBody error", err)
		}
		if calls := d.Calls(); len(calls) != 1 || !calls[0].resp.closed.Load() {
			t.Errorf("want one attempt with its body closed, got %+v", calls)
		}
	})
}

// TestRetryEndsOnContextDone checks that a cancellation or deadline during a
// wait ends the loop at that very instant, with the context's error.
func TestRetryEndsOnContextDone(t *testing.T) {
	t.Parallel()
	errQuit := errors.New("user quit")
	tests := []struct {
		name     string
		ctx      func(context.Context) context.Context // schedules the end
		wantIs   []error
		wantAt   time.Duration
		attempts int
	}{
		{
			name: "cancel during backoff",
			ctx: func(parent context.Context) context.Context {
				ctx, cancel := context.WithCancel(parent)
				time.AfterFunc(1500*time.Millisecond, cancel)
				return ctx
			},
			wantIs: []error{context.Canceled}, wantAt: 1500 * time.Millisecond, attempts: 1,
		},
		{
			name: "cancel with a cause",
			ctx: func(parent context.Context) context.Context {
				ctx, cancel := context.WithCancelCause(parent)
				time.AfterFunc(12*time.Second, func() { cancel(errQuit) })
				return ctx
			},
			wantIs: []error{context.Canceled, errQuit}, wantAt: 12 * time.Second, attempts: 2,
		},
		{
			name: "deadline during backoff",
			ctx: func(parent context.Context) context.Context {
				ctx, cancel := context.WithTimeout(parent, 2500*time.Millisecond)
				_ = cancel // released when the timer fires
				return ctx
			},
			wantIs: []error{context.DeadlineExceeded}, wantAt: 2500 * time.Millisecond, attempts: 1,
		},
		{
			name: "canceled before sending",
			ctx: func(parent context.Context) context.Context {
				ctx, cancel := context.WithCancel(parent)
				cancel()
				return ctx
			},
			wantIs: []error{context.Canceled}, attempts: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := newScriptedDoer(fakeStep{status: 503})
				rec := newLogRecorder()
				c := newFakeClient(t, d, WithLogger(slog.New(rec)),
					WithRetryPolicy(RetryPolicy{MaxAttempts: 10, BaseDelay: 10 * time.Second, MaxDelay: time.Minute}))
				start := time.Now()
				resp, err := get(t, tt.ctx(t.Context()), c, "/graphs/g1")
				if err == nil {
					resp.Body.Close()
					t.Fatal("no error")
				}
				for _, want := range tt.wantIs {
					if !errors.Is(err, want) {
						t.Errorf("errors.Is(%v, %v) = false", err, want)
					}
				}
				if elapsed := time.Since(start); elapsed != tt.wantAt {
					t.Errorf("returned after %v, want %v", elapsed, tt.wantAt)
				}
				calls := d.Calls()
				if len(calls) != tt.attempts {
					t.Errorf("%d attempts, want %d", len(calls), tt.attempts)
				}
				for i, c := range calls {
					if !c.resp.closed.Load() {
						t.Errorf("attempt %d: the discarded body was not closed", i+1)
					}
				}
				if tt.attempts > 0 && !strings.Contains(strings.Join(rec.Lines(), "\n"), "vtgraph: retrying") {
					t.Errorf("no retry record in %q", rec.Lines())
				}
			})
		})
	}
}

// TestRetryCancelDuringRequest checks that an attempt cut short by its own
// context is not mistaken for a transient network error.
func TestRetryCancelDuringRequest(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var attempts int
		d := doerFunc(func(r *http.Request) (*http.Response, error) {
			attempts++
			<-r.Context().Done()
			return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: r.Context().Err()}
		})
		rec := newLogRecorder()
		c := newFakeClient(t, d, WithLogger(slog.New(rec)))
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		_, err := get(t, ctx, c, "/graphs/g1")
		if !errors.Is(err, context.DeadlineExceeded) || attempts != 1 {
			t.Errorf("err = %v after %d attempts, want DeadlineExceeded after 1", err, attempts)
		}
		if lines := rec.Lines(); len(lines) != 1 || strings.Contains(err.Error(), "retry") {
			t.Errorf("a retry was planned after the context ended: %v, %q", err, lines)
		}
	})
}

func TestRetryPolicyValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		policy RetryPolicy
		want   []string // parts of the error; none means valid
	}{
		{"zero value", RetryPolicy{}, nil},
		{"default", DefaultRetryPolicy(), nil},
		{"single attempt needs no delays", RetryPolicy{MaxAttempts: 1}, nil},
		{"no retry-after cap", RetryPolicy{MaxAttempts: 2, BaseDelay: 1, MaxDelay: 1}, nil},
		{"everything negative", RetryPolicy{MaxAttempts: -1, BaseDelay: -1, MaxDelay: -1, MaxRetryAfter: -1},
			[]string{"MaxAttempts", "BaseDelay", "MaxDelay", "MaxRetryAfter"}},
		{"retries without delays", RetryPolicy{MaxAttempts: 2}, []string{"BaseDelay: must be positive"}},
		{"cap below base", RetryPolicy{MaxAttempts: 2, BaseDelay: 2, MaxDelay: 1}, []string{"MaxDelay"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.policy.validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("validate() = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("validate() accepted the policy")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestBackoffAndJitter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxAttempts: 100, BaseDelay: 500 * time.Millisecond, MaxDelay: 10 * time.Second}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := p.backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := p.backoff(1000); got != p.MaxDelay {
		t.Errorf("backoff(1000) = %v: overflow past the cap", got)
	}
	for range 1000 {
		if j := equalJitter(4 * time.Second); j < 2*time.Second || j > 4*time.Second {
			t.Fatalf("equalJitter(4s) = %v, outside [2s, 4s]", j)
		}
	}
	if equalJitter(0) != 0 {
		t.Error("equalJitter(0) != 0")
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"30", 30 * time.Second, true},
		{" 5 ", 5 * time.Second, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"99999999999999999999999", time.Duration(1<<63 - 1), true},
		{"9999999999999", time.Duration(1<<63 - 1), true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Mon, 99 Foo 2026 00:00:00 GMT", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestIsTransient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection reset", errConnReset, true},
		{"dial refused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, true},
		{"unexpected EOF", &url.Error{Op: "Get", Err: io.ErrUnexpectedEOF}, true},
		{"EOF", io.EOF, true},
		{"timeout", &url.Error{Op: "Get", Err: fakeTimeoutError{}}, true},
		{"DNS timeout", &net.DNSError{IsTimeout: true}, true},
		{"DNS no such host", &net.OpError{Op: "dial", Err: &net.DNSError{IsNotFound: true}}, false},
		{"unknown authority", &url.Error{Op: "Get", Err: x509.UnknownAuthorityError{}}, false},
		{"wrong host in certificate", x509.HostnameError{}, false},
		{"redirect refused", &url.Error{Op: "Get", Err: errors.New("stopped after 10 redirects")}, false},
		{"plain error", errors.New("unsupported protocol scheme"), false},
	}
	for _, tt := range tests {
		if got := isTransient(tt.err); got != tt.want {
			t.Errorf("%s: isTransient = %v, want %v", tt.name, got, tt.want)
		}
	}
}

type fakeTimeoutError struct{}

func (fakeTimeoutError) Error() string   { return "i/o timeout" }
func (fakeTimeoutError) Timeout() bool   { return true }
func (fakeTimeoutError) Temporary() bool { return true }
