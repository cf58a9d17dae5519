package cli

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// globalFlags are accepted before the command and after it, so that
// "vtgraph --json get ID" and "vtgraph get ID --json" both work.
type globalFlags struct {
	json       bool
	baseURL    string
	apiKeyFile string
	timeout    time.Duration
	verbose    bool
	retries    int
}

const (
	defaultTimeout = 2 * time.Minute
	defaultRetries = 3
)

// define registers the global flags on fs, with their current values as
// defaults so that parsing a command's flags keeps what was given before it.
func (g *globalFlags) define(fs *flag.FlagSet) {
	fs.BoolVar(&g.json, "json", g.json, "print machine-readable JSON instead of tables")
	fs.StringVar(&g.baseURL, "base-url", g.baseURL, "API base `URL` (default $VT_BASE_URL, else "+vtgraph.DefaultBaseURL+")")
	fs.StringVar(&g.apiKeyFile, "api-key-file", g.apiKeyFile, "read the API key from `PATH` instead of $VT_API_KEY")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "give up after `DURATION`, such as 30s or 5m; 0 for never")
	fs.BoolVar(&g.verbose, "verbose", g.verbose, "log every request to stderr (never the key)")
	fs.IntVar(&g.retries, "retries", g.retries, "retry a failed idempotent request up to `N` times")
}

// isGlobal reports whether name is one of the global flags.
func isGlobal(name string) bool {
	switch name {
	case "json", "base-url", "api-key-file", "timeout", "verbose", "retries":
		return true
	}
	return false
}

// parseInterspersed parses flags that may come before, between and after
// positional arguments, which the flag package alone stops at. "--" ends
// the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// The flag package consumed a "--" if it stopped there; detect it by
		// comparing with what it was given.
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// principalsFlag collects repeatable "user:NAME" or "group:NAME" values,
// checking each as it is given.
type principalsFlag []vtgraph.PrincipalRef

func (p *principalsFlag) String() string {
	parts := make([]string, len(*p))
	for i, r := range *p {
		parts[i] = r.String()
	}
	return strings.Join(parts, ",")
}

func (p *principalsFlag) Set(s string) error {
	ref, err := vtgraph.ParsePrincipal(s)
	if err != nil {
		return fmt.Errorf("want user:NAME or group:NAME, got %q", s)
	}
	*p = append(*p, ref)
	return nil
}

// optionalBool is a boolean flag that remembers whether it was given, so
// "--private=false" differs from leaving it out.
type optionalBool struct {
	set   bool
	value bool
}

func (b *optionalBool) String() string {
	if b == nil || !b.set {
		return ""
	}
	return strconv.FormatBool(b.value)
}

func (b *optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	b.set, b.value = true, v
	return nil
}

// IsBoolFlag lets "--private" alone mean true.
func (b *optionalBool) IsBoolFlag() bool { return true }

// parseOrder reads a sort order: a field name optionally prefixed or
// suffixed with "-" (descending) or "+" (ascending), such as "name",
// "-creation_date" or "views_count-".
func parseOrder(s string) (vtgraph.Order, error) {
	if s == "" {
		return vtgraph.Order{}, nil
	}
	desc := false
	field := s
	switch {
	case strings.HasPrefix(field, "-"):
		desc, field = true, field[1:]
	case strings.HasPrefix(field, "+"):
		field = field[1:]
	case strings.HasSuffix(field, "-"):
		desc, field = true, field[:len(field)-1]
	case strings.HasSuffix(field, "+"):
		field = field[:len(field)-1]
	}
	o := vtgraph.Order{Field: vtgraph.OrderField(field), Descending: desc}
	if err := (&vtgraph.SearchOptions{Order: o}).Validate(); err != nil || field == "" {
		return vtgraph.Order{}, usagef("--order: unknown field %q; want name, owner, creation_date, last_modified_date, views_count or comments_count, optionally with - for descending", field)
	}
	return o, nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
