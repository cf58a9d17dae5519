package vtgraph

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/time/rate"
)

// Option configures a [Client] in [New]. Options check their input; New
// reports every invalid option at once. When two options set the same thing,
// the later one wins.
type Option interface {
	apply(*settings) error
}

type optionFunc func(*settings) error

func (f optionFunc) apply(s *settings) error { return f(s) }

// settings collects what the options set before New builds the client.
type settings struct {
	baseURL   *url.URL
	doer      Doer
	userAgent string
	retry     RetryPolicy
	limit     rate.Limit // zero: no client-side rate limit
	burst     int
	logger    *slog.Logger // nil: no logging
}

func defaultSettings() settings {
	return settings{
		baseURL:   &url.URL{Scheme: "https", Host: "www.virustotal.com", Path: "/api/v3"},
		doer:      &http.Client{Transport: pooledTransport(), CheckRedirect: keepKeyOnSameOrigin(nil)},
		userAgent: defaultUserAgent,
		retry:     DefaultRetryPolicy(),
	}
}

// pooledTransport is the transport of clients made without [WithHTTPClient]
// or [WithDoer]: net/http's default one, keeping up to MaxConcurrency idle
// connections to each host where net/http keeps two, so that calls sending
// requests in parallel ([PivotOptions.Concurrency]) reuse their
// connections instead of opening one for most requests. Clients share it,
// as they would share http.DefaultTransport.
var pooledTransport = sync.OnceValue(func() http.RoundTripper {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport // replaced by the program: its choice
	}
	t := base.Clone()
	t.MaxIdleConnsPerHost = MaxConcurrency
	return t
})

// WithBaseURL sets the URL that request paths are appended to, such as
// "https://www.virustotal.com/api/v3" (the default, [DefaultBaseURL]) or a
// test server's URL. It must be an absolute http or https URL without user
// information, query or fragment; a path prefix such as "/api/v3" is kept and
// a trailing slash is dropped. The API key is only ever sent to this URL's
// scheme and host.
func WithBaseURL(rawURL string) Option {
	return optionFunc(func(s *settings) error {
		u, err := parseBaseURL(rawURL)
		if err != nil {
			return fmt.Errorf("vtgraph: WithBaseURL: %w", err)
		}
		s.baseURL = u
		return nil
	})
}

func parseBaseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	switch {
	case err != nil:
		return nil, err
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("scheme must be http or https, got %q", u.Scheme)
	case u.Host == "":
		return nil, errors.New("the URL has no host")
	case u.User != nil:
		// Credentials in the URL would show up wherever the URL is printed.
		return nil, errors.New("the URL must not contain user information")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, errors.New("the URL must not have a query or fragment")
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = strings.TrimSuffix(u.RawPath, "/")
	return u, nil
}

// WithHTTPClient sets the HTTP client that sends requests. The client is
// copied, not modified: the copy's CheckRedirect removes the x-apikey header
// from any redirect to another scheme or host before calling the original
// CheckRedirect, if any (or applying net/http's limit of 10 redirects).
func WithHTTPClient(hc *http.Client) Option {
	return optionFunc(func(s *settings) error {
		if hc == nil {
			return errors.New("vtgraph: WithHTTPClient: the client is nil")
		}
		s.doer = protectRedirects(hc)
		return nil
	})
}

// WithDoer sets the [Doer] that sends requests, for example a wrapper that
// adds tracing. An *http.Client is treated as by [WithHTTPClient]. Any other
// Doer that follows redirects is responsible for not forwarding the x-apikey
// header to another host.
func WithDoer(d Doer) Option {
	return optionFunc(func(s *settings) error {
		if d == nil {
			return errors.New("vtgraph: WithDoer: the doer is nil")
		}
		if hc, ok := d.(*http.Client); ok {
			if hc == nil {
				return errors.New("vtgraph: WithDoer: the doer is a nil *http.Client")
			}
			d = protectRedirects(hc)
		}
		s.doer = d
		return nil
	})
}

// WithUserAgent sets the User-Agent header of every request, replacing the
// default "vtgraph-go". It must be non-empty and printable ASCII.
func WithUserAgent(userAgent string) Option {
	return optionFunc(func(s *settings) error {
		if strings.TrimSpace(userAgent) == "" {
			return errors.New("vtgraph: WithUserAgent: the user agent is empty")
		}
		for i := 0; i < len(userAgent); i++ {
			if c := userAgent[i]; c < ' ' || c >= 0x7f {
				return fmt.Errorf("vtgraph: WithUserAgent: invalid byte %#x at offset %d", c, i)
			}
		}
		s.userAgent = userAgent
		return nil
	})
}

// WithLogger sets a logger that receives one Debug record per attempt
// (method, path, status, attempt, duration) and one per retry wait. Records
// never carry headers, query strings or the API key. A nil logger, the
// default, turns logging off.
func WithLogger(logger *slog.Logger) Option {
	return optionFunc(func(s *settings) error {
		s.logger = logger
		return nil
	})
}
