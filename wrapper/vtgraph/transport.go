package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// pipeline is the Doer every request of a Client goes through: it refuses
// requests to other hosts, waits for the rate limiter, sets the headers,
// retries by the policy and logs. It is immutable after New, so safe for
// concurrent use.
type pipeline struct {
	next      Doer
	key       secret
	origin    string // scheme://host of the base URL, the only place the key goes
	userAgent string
	limiter   *rate.Limiter // nil: no client-side limit
	retry     RetryPolicy
	logger    *slog.Logger                      // nil: no logging
	jitter    func(time.Duration) time.Duration // replaced in tests
}

func newPipeline(key secret, base *url.URL, s settings) *pipeline {
	return &pipeline{
		next:      s.doer,
		key:       key,
		origin:    originOf(base),
		userAgent: s.userAgent,
		limiter:   newLimiter(s.limit, s.burst),
		retry:     s.retry,
		logger:    s.logger,
		jitter:    equalJitter,
	}
}

// Do sends req with authentication, rate limiting and retries. Like
// http.Client.Do it returns a response for any HTTP status, and an error only
// when no usable response was received; it closes req.Body in every case and
// does not modify req. The error wraps the last transport error, or the
// context's error when the context ended first, and never shows the key.
func (p *pipeline) Do(req *http.Request) (*http.Response, error) {
	resp, err := p.send(req)
	return resp, redactKey(err, p.key.reveal())
}

func (p *pipeline) send(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	method, path := requestLabel(req)
	if err := ctx.Err(); err != nil {
		closeRequestBody(req)
		return nil, fmt.Errorf("vtgraph: %s %s: %w", method, path, contextError(ctx))
	}
	if req.URL == nil {
		closeRequestBody(req)
		return nil, errors.New("vtgraph: the request has no URL")
	}
	if o := originOf(req.URL); o != p.origin {
		closeRequestBody(req)
		return nil, fmt.Errorf("vtgraph: %s %s: refusing to send the API key to %s: the base URL is on %s", method, path, o, p.origin)
	}

	tmpl := req.Clone(ctx)
	if tmpl.Header == nil { // a hand-built request may have none
		tmpl.Header = http.Header{}
	}
	tmpl.Header.Set(apiKeyHeader, p.key.reveal())
	tmpl.Header.Set("User-Agent", p.userAgent)
	if tmpl.Header.Get("Accept") == "" {
		tmpl.Header.Set("Accept", "application/json")
	}
	retryable := p.retry.enabled() && isIdempotent(req) && rewindable(req)

	for attempt := 1; ; attempt++ {
		r, err := attemptRequest(tmpl, attempt)
		if err != nil {
			return nil, fmt.Errorf("vtgraph: %s %s: rewinding the body for attempt %d: %w", method, path, attempt, err)
		}
		if err := waitLimiter(ctx, p.limiter); err != nil {
			closeRequestBody(r)
			return nil, fmt.Errorf("vtgraph: %s %s: waiting for the rate limiter: %w", method, path, err)
		}
		start := time.Now()
		resp, err := p.next.Do(r)
		if err == nil && resp == nil {
			err = errors.New("the HTTP doer returned neither a response nor an error")
		}
		p.logAttempt(ctx, method, path, attempt, resp, err, time.Since(start))
		if err != nil && ctx.Err() != nil {
			return nil, fmt.Errorf("vtgraph: %s %s: %w", method, path, contextError(ctx))
		}

		var (
			wait   time.Duration
			reason string
			again  bool
		)
		switch {
		case !retryable || attempt >= p.retry.MaxAttempts:
		case err == nil && readsAhead(r, resp):
			// A 2xx body cut off by the network is found here, where the
			// request can still be sent again, and retried like a reset.
			if rerr := bufferBody(resp); rerr != nil && ctx.Err() == nil {
				wait, _, again = p.retry.retryDelay(attempt, nil, rerr, p.jitter)
				reason = "the body was cut off"
			}
		default:
			wait, reason, again = p.retry.retryDelay(attempt, resp, err, p.jitter)
		}
		if !again {
			if err != nil {
				return nil, transportError(method, path, attempt, err)
			}
			// Error handling reads the method, path and key (to redact it
			// from echoed bodies) from resp.Request. That is the request as
			// the caller made it: a custom Doer need not set resp.Request,
			// and after a redirect *http.Client sets it to the last hop,
			// whose path the redirecting server chose and whose key, on
			// another origin, was removed.
			resp.Request = r
			return resp, nil
		}
		if resp != nil {
			drainAndClose(resp.Body)
		}
		p.logRetry(ctx, method, path, attempt, reason, wait)
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("vtgraph: %s %s: waiting to retry: %w", method, path, contextError(ctx))
		}
	}
}

// readsAhead reports whether the pipeline reads resp's body before
// returning it: a 2xx answer with content to a request that may be retried
// and whose answer a call decodes. No call decodes the answer to a deletion,
// whose status says it all, and sending it again would find nothing left to
// delete.
func readsAhead(req *http.Request, resp *http.Response) bool {
	return resp.StatusCode >= 200 && resp.StatusCode <= 299 && resp.StatusCode != http.StatusNoContent &&
		req.Method != http.MethodDelete && req.Method != http.MethodHead &&
		resp.Body != nil && resp.Body != http.NoBody
}

// attemptRequest returns the request for an attempt: the template itself the
// first time, then a fresh copy with a rewound body, since a transport may
// still hold on to the request of a failed attempt.
func attemptRequest(tmpl *http.Request, attempt int) (*http.Request, error) {
	if attempt == 1 {
		return tmpl, nil
	}
	r := tmpl.Clone(tmpl.Context())
	if hasBody(tmpl) {
		body, err := tmpl.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	return r, nil
}

func hasBody(req *http.Request) bool { return req.Body != nil && req.Body != http.NoBody }

// rewindable reports whether req can be sent again with the same body.
func rewindable(req *http.Request) bool { return !hasBody(req) || req.GetBody != nil }

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// requestLabel returns the method and the escaped path, without the query,
// for errors and logs: query values can carry search terms.
func requestLabel(req *http.Request) (method, path string) {
	if req == nil {
		return "", ""
	}
	method = req.Method
	if method == "" {
		method = http.MethodGet
	}
	if req.URL != nil {
		path = req.URL.EscapedPath()
	}
	return method, path
}

// originOf returns "scheme://host" in lower case, without a default port.
func originOf(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	switch port := u.Port(); {
	case scheme == "https" && port == "443", scheme == "http" && port == "80":
		host = strings.TrimSuffix(host, ":"+port)
	}
	return scheme + "://" + host
}

// contextError returns ctx's error, joined with its cause when one was set
// with context.WithCancelCause, so that errors.Is finds both.
func contextError(ctx context.Context) error {
	err := ctx.Err()
	if cause := context.Cause(ctx); cause != nil && cause != err {
		return fmt.Errorf("%w: %w", err, cause)
	}
	return err
}

// transportError wraps the last transport failure, described by
// describeTransportError.
func transportError(method, path string, attempts int, err error) error {
	err = describeTransportError(err)
	if attempts > 1 {
		return fmt.Errorf("vtgraph: %s %s: giving up after %d attempts: %w", method, path, attempts, err)
	}
	return fmt.Errorf("vtgraph: %s %s: %w", method, path, err)
}

// describeTransportError returns err for an error or a log record: a
// refused redirect by itself, without the URL it pointed to, and the URL in
// any other *url.Error reduced to scheme, host and path.
func describeTransportError(err error) error {
	var refused *redirectRefusedError
	if errors.As(err, &refused) {
		return refused
	}
	return redactURLError(err)
}

func redactURLError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) || ue != err {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return &url.Error{Op: ue.Op, URL: "", Err: ue.Err}
	}
	return &url.Error{Op: ue.Op, URL: (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String(), Err: ue.Err}
}

func (p *pipeline) logAttempt(ctx context.Context, method, path string, attempt int, resp *http.Response, err error, d time.Duration) {
	if p.logger == nil || !p.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", method),
		slog.String("path", path),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", redactKey(describeTransportError(err), p.key.reveal()).Error()))
	}
	p.logger.LogAttrs(ctx, slog.LevelDebug, "vtgraph: request", attrs...)
}

func (p *pipeline) logRetry(ctx context.Context, method, path string, attempt int, reason string, wait time.Duration) {
	if p.logger == nil || !p.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	p.logger.LogAttrs(ctx, slog.LevelDebug, "vtgraph: retrying",
		slog.String("method", method),
		slog.String("path", path),
		slog.Int("attempt", attempt),
		slog.String("reason", reason),
		slog.Duration("wait", wait),
	)
}

// keepKeyOnSameOrigin returns a CheckRedirect that keeps requests on the
// first request's scheme and host where it matters. Once a redirect has left
// that origin, it removes the x-apikey header, because net/http strips only
// the standard credential headers; and it refuses to follow at all when the
// first request was a write, which a 307 or 308 would re-send there with its
// body, and a 301, 302 or 303 turn into a GET the caller never asked for. It
// then applies next, or net/http's default limit of 10 redirects when next
// is nil.
func keepKeyOnSameOrigin(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 {
			first := originOf(via[0].URL)
			leaves := originOf(req.URL) != first
			for _, r := range via[1:] {
				leaves = leaves || originOf(r.URL) != first
			}
			if leaves {
				if !isSafeMethod(via[0].Method) {
					e := &redirectRefusedError{method: via[0].Method}
					if req.Response != nil {
						e.status = req.Response.StatusCode
					}
					return e
				}
				req.Header.Del(apiKeyHeader)
			}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// isSafeMethod reports whether a request of this method only reads.
func isSafeMethod(method string) bool {
	switch method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// redirectRefusedError is why a write was not sent on to another origin. It
// names the redirect's status but not its Location, which the redirecting
// server chose.
type redirectRefusedError struct {
	method string
	status int
}

func (e *redirectRefusedError) Error() string {
	return fmt.Sprintf("refusing to follow a %d redirect of a %s to another origin: a write goes to the base URL's origin only", e.status, e.method)
}

// protectRedirects returns a copy of hc whose redirects keep the key on the
// first request's origin; hc itself is left alone.
func protectRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = keepKeyOnSameOrigin(hc.CheckRedirect)
	return &c
}
