package vtgraphtest

import (
	"errors"
	"net/http"
	"time"
)

// Option configures a Server at start.
type Option func(*config) error

type config struct {
	users       []userSpec
	groups      []string
	noDefaults  bool
	now         func() time.Time
	seed        string
	middlewares []func(http.Handler) http.Handler
}

type userSpec struct {
	id, key string
	groups  []string
}

// WithUser adds a user with an API key and group memberships, as
// [Server.AddUser] does.
func WithUser(id, apiKey string, groups ...string) Option {
	return func(c *config) error {
		c.users = append(c.users, userSpec{id: id, key: apiKey, groups: groups})
		return nil
	}
}

// WithGroup adds a group, as [Server.AddGroup] does. Groups named by
// [WithUser] exist without it; it is for groups with no members.
func WithGroup(id string) Option {
	return func(c *config) error {
		c.groups = append(c.groups, id)
		return nil
	}
}

// WithoutDefaultUsers leaves out the demo users alice, bob and carol and the
// group threat-intel, for tests that want full control of who exists.
func WithoutDefaultUsers() Option {
	return func(c *config) error {
		c.noDefaults = true
		return nil
	}
}

// WithClock sets the source of every time the server uses: creation,
// modification and comment dates, user_since, and the rate-limit window. A
// fixed clock makes responses reproducible for golden tests; note that a
// frozen clock also keeps a rate limit from ever resetting.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("vtgraphtest: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithIDSeed changes the sequence of graph ids. Ids are the SHA-256 of the
// seed and a counter, so two servers with the same seed hand out the same ids
// in the same order; the default seed is empty.
func WithIDSeed(seed string) Option {
	return func(c *config) error {
		c.seed = seed
		return nil
	}
}

// WithMiddleware wraps the server's handler, for example to validate every
// request and response against the spec. Middleware given first is
// outermost. It sees requests before latency, faults and authentication, and
// every response, including injected errors.
func WithMiddleware(mw func(http.Handler) http.Handler) Option {
	return func(c *config) error {
		if mw == nil {
			return errors.New("vtgraphtest: WithMiddleware: nil middleware")
		}
		c.middlewares = append(c.middlewares, mw)
		return nil
	}
}
