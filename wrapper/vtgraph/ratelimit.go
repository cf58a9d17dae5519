package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"golang.org/x/time/rate"
)

// publicAPIInterval spaces requests so that no 60-second window holds more
// than the public API's 4 requests.
const publicAPIInterval = 15 * time.Second

// WithRateLimit makes the client wait before each attempt, retries included,
// so that it sends at most limit requests per second on average, with bursts
// of up to burst requests. All goroutines using the client share the limit.
// Waiting ends early when the request's context is done. limit must be
// positive (rate.Inf means no limit) and burst at least 1; use [rate.Every]
// for per-minute rates. There is no client-side limit by default.
func WithRateLimit(limit rate.Limit, burst int) Option {
	return optionFunc(func(s *settings) error {
		var errs []error
		if limit <= 0 || math.IsNaN(float64(limit)) {
			errs = append(errs, fmt.Errorf("limit %v must be positive", float64(limit)))
		}
		if burst < 1 {
			errs = append(errs, fmt.Errorf("burst %d must be at least 1", burst))
		}
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("vtgraph: WithRateLimit: %w", err)
		}
		s.limit, s.burst = limit, burst
		return nil
	})
}

// WithPublicAPIRateLimit limits the client to the public API's quota of 4
// requests per minute: one request every 15 seconds, without bursts, so that
// no minute ever holds a fifth request. It does not track the daily or
// monthly quotas.
func WithPublicAPIRateLimit() Option {
	return WithRateLimit(rate.Every(publicAPIInterval), 1)
}

// newLimiter returns nil when there is no limit to enforce.
func newLimiter(limit rate.Limit, burst int) *rate.Limiter {
	if limit == 0 || limit == rate.Inf {
		return nil
	}
	return rate.NewLimiter(limit, burst)
}

// waitLimiter waits for the limiter's permission to send. The error wraps the
// context's error, also when the limiter refuses at once because the wait
// would outlast the context's deadline.
func waitLimiter(ctx context.Context, lim *rate.Limiter) error {
	if lim == nil {
		return nil
	}
	err := lim.Wait(ctx)
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if _, ok := ctx.Deadline(); ok {
		return fmt.Errorf("%w (%w)", context.DeadlineExceeded, err)
	}
	return err
}
