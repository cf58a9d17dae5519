package vtgraph

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

func TestPublicAPIRateLimit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		d := newScriptedDoer(fakeStep{status: 200})
		c := newFakeClient(t, d, WithPublicAPIRateLimit())
		for range 5 {
			resp, err := get(t, t.Context(), c, "/graphs")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		want := []time.Duration{0, secs(15), secs(30), secs(45), secs(60)}
		if got := callOffsets(d.Calls()); !equalDurations(got, want) {
			t.Errorf("requests at %v, want %v", got, want)
		}
	})
}

// TestRateLimitSharedByGoroutines checks that concurrent callers draw from a
// single budget: a burst of 2, then one request a second.
func TestRateLimitSharedByGoroutines(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		d := newScriptedDoer(fakeStep{status: 200})
		c := newFakeClient(t, d, WithRateLimit(1, 2))
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				resp, err := get(t, t.Context(), c, "/graphs")
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			})
		}
		wg.Wait()
		got := callOffsets(d.Calls())
		slices.Sort(got)
		want := []time.Duration{0, 0, secs(1), secs(2), secs(3), secs(4)}
		if !equalDurations(got, want) {
			t.Errorf("requests at %v, want %v", got, want)
		}
	})
}

// TestRateLimitAppliesToRetries checks that a retry waits for the limiter
// too, not just for Retry-After.
func TestRateLimitAppliesToRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		d := newScriptedDoer(fakeStep{status: 429, header: []string{"Retry-After", "1"}}, fakeStep{status: 200})
		c := newFakeClient(t, d, WithRateLimit(rate.Every(10*time.Second), 1), WithRetryPolicy(DefaultRetryPolicy()))
		resp, err := get(t, t.Context(), c, "/graphs")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got, want := callOffsets(d.Calls()), []time.Duration{0, secs(10)}; !equalDurations(got, want) {
			t.Errorf("requests at %v, want %v", got, want)
		}
	})
}

func TestRateLimitWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		ctx    func(context.Context) context.Context
		want   error
		wantAt time.Duration
	}{
		{
			name: "canceled while waiting",
			ctx: func(parent context.Context) context.Context {
				ctx, cancel := context.WithCancel(parent)
				time.AfterFunc(3*time.Second, cancel)
				return ctx
			},
			want: context.Canceled, wantAt: secs(3),
		},
		{
			// The limiter refuses at once rather than wait past the deadline.
			name: "deadline before the next token",
			ctx: func(parent context.Context) context.Context {
				ctx, cancel := context.WithTimeout(parent, 10*time.Second)
				_ = cancel // released when the timer fires
				return ctx
			},
			want: context.DeadlineExceeded, wantAt: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := newScriptedDoer(fakeStep{status: 200})
				c := newFakeClient(t, d, WithRateLimit(rate.Every(time.Minute), 1))
				resp, err := get(t, t.Context(), c, "/graphs") // takes the only token
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				start := time.Now()
				_, err = get(t, tt.ctx(t.Context()), c, "/graphs")
				if !errors.Is(err, tt.want) {
					t.Errorf("err = %v, want %v", err, tt.want)
				}
				if elapsed := time.Since(start); elapsed != tt.wantAt {
					t.Errorf("returned after %v, want %v", elapsed, tt.wantAt)
				}
				if n := len(d.Calls()); n != 1 {
					t.Errorf("%d requests sent, want 1", n)
				}
			})
		})
	}
}

func TestRateLimitInfiniteMeansNone(t *testing.T) {
	t.Parallel()
	c, err := New(testAPIKey, WithRateLimit(rate.Inf, 1))
	if err != nil {
		t.Fatal(err)
	}
	if c.pipe.limiter != nil {
		t.Error("rate.Inf created a limiter")
	}
}
