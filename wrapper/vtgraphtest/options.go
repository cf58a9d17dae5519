package vtgraphtest

import (
	"errors"
	"fmt"
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
	universe    *world // nil: the demo universe
	quota       Quota
	latency     time.Duration
}

type userSpec struct {
	id, key string
	groups  []string
	public  bool // the key is not a premium one
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

// WithUniverse sets the entities the server serves on the file, URL, domain,
// IP address and intelligence search routes, replacing the demo universe
// ([DemoUniverse]) served by default. The server takes a snapshot: changing
// u afterwards changes nothing. NewUniverse() gives a server that knows no
// entity.
func WithUniverse(u *Universe) Option {
	return func(c *config) error {
		if u == nil {
			return errors.New("vtgraphtest: WithUniverse: nil universe")
		}
		w, err := u.compile()
		if err != nil {
			return fmt.Errorf("vtgraphtest: WithUniverse: %w", err)
		}
		c.universe = w
		return nil
	}
}

// WithQuota sets the request quota of every API key, as [Server.SetQuota]
// does.
func WithQuota(q Quota) Option {
	return func(c *config) error {
		if err := q.check(); err != nil {
			return fmt.Errorf("vtgraphtest: WithQuota: %w", err)
		}
		c.quota = q
		return nil
	}
}

// WithLatency delays every response by d, as [Server.SetLatency] does.
func WithLatency(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("vtgraphtest: WithLatency: negative latency %v", d)
		}
		c.latency = d
		return nil
	}
}
