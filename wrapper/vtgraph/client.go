package vtgraph

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// DefaultBaseURL is the base URL of the VirusTotal API v3, used unless
// [WithBaseURL] says otherwise.
const DefaultBaseURL = "https://www.virustotal.com/api/v3"

// defaultUserAgent identifies this library unless [WithUserAgent] replaces it.
const defaultUserAgent = "vtgraph-go"

// Doer sends one HTTP request and returns its response. *http.Client
// satisfies it, and so can a wrapper that adds tracing, a proxy or a fake for
// tests. A Doer returns a non-nil error only when no response was received;
// an HTTP error status is a response, not an error.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Client talks to the VirusTotal Threat Graphs API. Create it with [New]; the
// zero value is not usable. A Client is safe for concurrent use by multiple
// goroutines, and all of them share its rate limiter.
//
// Printing a Client with any fmt verb shows its base URL but never its API
// key.
type Client struct {
	base *url.URL
	pipe *pipeline
	api  *vtapi.Client // builds requests from the spec and sends them through pipe
}

// New returns a Client that authenticates with apiKey. It returns an error,
// before any request is sent, when apiKey is empty or cannot be sent in a
// header, or when an option is invalid; the errors of all invalid options are
// reported together.
func New(apiKey string, opts ...Option) (*Client, error) {
	var errs []error
	if err := checkAPIKey(apiKey); err != nil {
		errs = append(errs, err)
	}
	s := defaultSettings()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.apply(&s); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	base := s.baseURL
	c := &Client{
		base: base,
		pipe: newPipeline(newSecret(apiKey), base, s),
	}
	api, err := vtapi.NewClient(c.baseURL(), vtapi.WithHTTPClient(c.doer()))
	if err != nil {
		return nil, fmt.Errorf("vtgraph: %w", err)
	}
	c.api = api
	return c, nil
}

// checkAPIKey rejects keys that net/http would refuse to send. The key itself
// is never part of the message.
func checkAPIKey(key string) error {
	if key == "" {
		return errors.New("vtgraph: the API key is empty")
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c >= 0x7f {
			return errors.New("vtgraph: the API key contains whitespace or non-printable characters")
		}
	}
	return nil
}

// String describes the client without its API key.
func (c *Client) String() string {
	if c == nil {
		return "<nil>"
	}
	return fmt.Sprintf("vtgraph.Client{BaseURL: %s, APIKey: %s}", c.base, redacted)
}

// GoString describes the client without its API key, for the %#v verb.
func (c *Client) GoString() string {
	if c == nil {
		return "(*vtgraph.Client)(nil)"
	}
	return fmt.Sprintf("&vtgraph.Client{BaseURL: %q, APIKey: %q}", c.base.String(), redacted)
}

// Format implements [fmt.Formatter] so that every verb, including %+v, %#v,
// %x and %d, prints the redacted description rather than the fields.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, c.GoString())
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// doer returns the request pipeline (rate limit, authentication, retries,
// logging) as a Doer, to hand to the generated client as its HTTP client.
func (c *Client) doer() Doer { return c.pipe }

// baseURL returns the base URL without a trailing slash, for example
// "https://www.virustotal.com/api/v3".
func (c *Client) baseURL() string { return strings.TrimSuffix(c.base.String(), "/") }

const redacted = "[redacted]"

// secret holds the API key behind a closure. fmt does not call methods on
// unexported fields, so a redacting String method alone would not stop
// reflection-based printing of a struct holding a plain string; a func value
// prints as an address, whatever the printer.
type secret struct{ reveal func() string }

func newSecret(s string) secret { return secret{reveal: func() string { return s }} }

// String returns the redaction marker, never the key.
func (secret) String() string { return redacted }

// GoString returns the redaction marker, never the key.
func (secret) GoString() string { return redacted }

// Format keeps the key out of every fmt verb.
func (secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// apiKeyHeader is the canonical form of VirusTotal's x-apikey header.
const apiKeyHeader = "X-Apikey"

var _ Doer = (*http.Client)(nil)
