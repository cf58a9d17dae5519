package vtgraph

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says when and how long the client waits before sending a
// request again. It is the only place retries happen.
//
// A request is retried when it got a 429, 503 or 504 response, or failed with
// a transient network error (a timeout, a refused or reset connection, an
// unexpected EOF) before the response or while its 2xx body arrived, and
// only if it is idempotent: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are; a
// POST never is, so creating a graph, adding a comment or granting access is
// never sent twice. PATCH is not either, except the client's own graph
// updates ([Client.UpdateGraph], [Client.SaveGraph]), which set absolute
// values and so give the same result when repeated. A request whose body
// cannot be rewound (http.Request.GetBody is nil) is not retried either. To
// find a cut-off body while the request can still be sent again, the 2xx
// body of a request that may be retried is read before the call decodes it;
// a deletion's is not, since no call decodes it: its status says it all.
//
// The wait before retry n is BaseDelay·2ⁿ⁻¹, capped at MaxDelay, with "equal
// jitter": a random duration between half of that and all of it. A
// Retry-After header on the response replaces the backoff when it is at most
// MaxRetryAfter; a longer one ends the retries, and the response is returned
// so that [APIError.RetryAfter] tells the caller how long to wait. A 429
// whose code is QuotaExceededError and that has no Retry-After is not
// retried at all: it reports a daily or monthly quota, which no backoff
// outlasts. A 429 TooManyRequestsError, a burst, is retried.
//
// The zero value disables retries.
type RetryPolicy struct {
	// MaxAttempts is the number of tries, the first included. 0 and 1 both
	// mean no retries.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry. It must be positive
	// when MaxAttempts is above 1.
	BaseDelay time.Duration
	// MaxDelay caps the backoff. It must be at least BaseDelay when
	// MaxAttempts is above 1.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits for; zero
	// means MaxDelay.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy returns the policy a new [Client] uses: 4 attempts,
// a 1s base delay, a 30s cap on backoff and a 60s cap on Retry-After.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:   4,
		BaseDelay:     time.Second,
		MaxDelay:      30 * time.Second,
		MaxRetryAfter: time.Minute,
	}
}

// WithRetryPolicy sets the retry policy, replacing [DefaultRetryPolicy]. It
// reports every invalid field.
func WithRetryPolicy(p RetryPolicy) Option {
	return optionFunc(func(s *settings) error {
		if err := p.validate(); err != nil {
			return fmt.Errorf("vtgraph: WithRetryPolicy: %w", err)
		}
		s.retry = p
		return nil
	})
}

// WithoutRetries turns retries off: every request is sent once.
func WithoutRetries() Option {
	return optionFunc(func(s *settings) error {
		s.retry = RetryPolicy{}
		return nil
	})
}

func (p RetryPolicy) validate() error {
	var errs []error
	if p.MaxAttempts < 0 {
		errs = append(errs, fmt.Errorf("MaxAttempts: %d is negative", p.MaxAttempts))
	}
	if p.BaseDelay < 0 {
		errs = append(errs, fmt.Errorf("BaseDelay: %v is negative", p.BaseDelay))
	}
	if p.MaxDelay < 0 {
		errs = append(errs, fmt.Errorf("MaxDelay: %v is negative", p.MaxDelay))
	}
	if p.MaxRetryAfter < 0 {
		errs = append(errs, fmt.Errorf("MaxRetryAfter: %v is negative", p.MaxRetryAfter))
	}
	if p.enabled() {
		if p.BaseDelay == 0 {
			errs = append(errs, errors.New("BaseDelay: must be positive when retries are enabled"))
		}
		if p.MaxDelay < p.BaseDelay {
			errs = append(errs, fmt.Errorf("MaxDelay: %v is less than BaseDelay %v", p.MaxDelay, p.BaseDelay))
		}
	}
	return errors.Join(errs...)
}

func (p RetryPolicy) enabled() bool { return p.MaxAttempts > 1 }

func (p RetryPolicy) retryAfterCap() time.Duration {
	if p.MaxRetryAfter > 0 {
		return p.MaxRetryAfter
	}
	return p.MaxDelay
}

// backoff returns the wait before retry n (1 for the first retry), before
// jitter.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// equalJitter returns a random duration in [d/2, d]: never a burst of
// immediate retries, yet clients that failed together spread out.
func equalJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// retryDelay decides whether the outcome of attempt n (resp or err) is worth
// another attempt, and how long to wait first. It does not consider the
// method, the attempt budget or the context; the pipeline does.
func (p RetryPolicy) retryDelay(n int, resp *http.Response, err error, jitter func(time.Duration) time.Duration) (wait time.Duration, reason string, ok bool) {
	if err != nil {
		if !isTransient(err) {
			return 0, "", false
		}
		return jitter(p.backoff(n)), "transport error", true
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	default:
		return 0, "", false
	}
	reason = "status " + strconv.Itoa(resp.StatusCode)
	if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		if ra > p.retryAfterCap() {
			return 0, "", false
		}
		return ra, reason + " with Retry-After", true
	}
	// A used-up quota without a Retry-After is a daily or monthly one, which
	// no backoff outlasts; TooManyRequestsError is a burst, which does pass.
	if resp.StatusCode == http.StatusTooManyRequests && peekErrorCode(resp) == ErrQuotaExceeded {
		return 0, "", false
	}
	return jitter(p.backoff(n)), reason, true
}

// isTransient reports whether a transport error may go away on its own.
// Certificate problems, unknown hosts, malformed URLs and refused redirects
// will not.
func isTransient(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	}
	var (
		certErr     *tls.CertificateVerificationError
		recordErr   tls.RecordHeaderError
		authErr     x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
	)
	if errors.As(err, &certErr) || errors.As(err, &recordErr) || errors.As(err, &authErr) ||
		errors.As(err, &hostErr) || errors.As(err, &invalidCert) {
		return false
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr)
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
// A date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			// All digits but too large: wait "forever", so retries stop.
			if errors.Is(err, strconv.ErrRange) {
				return time.Duration(1<<63 - 1), true
			}
			return 0, false
		}
		if secs > int64((1<<63-1)/time.Second) {
			return time.Duration(1<<63 - 1), true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// idempotentKey marks a context whose POST or PATCH request is safe to send
// twice.
type idempotentKey struct{}

// withIdempotent marks requests made with ctx as safe to retry even when
// their method is POST or PATCH, for operations whose repetition has no
// further effect (such as a PATCH that sets absolute values).
func withIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

func isIdempotent(req *http.Request) bool {
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	marked, _ := req.Context().Value(idempotentKey{}).(bool)
	return marked
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
