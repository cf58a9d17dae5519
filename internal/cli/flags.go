package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

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

// define registers the global flags on fs.
func (g *globalFlags) define(fs *pflag.FlagSet) {
	fs.BoolVar(&g.json, "json", false, "print machine-readable JSON instead of tables")
	fs.StringVar(&g.baseURL, "base-url", "", "API base `URL` (default $VT_BASE_URL, else "+vtgraph.DefaultBaseURL+")")
	fs.StringVar(&g.apiKeyFile, "api-key-file", "", "read the API key from `PATH` instead of $VT_API_KEY")
	fs.DurationVar(&g.timeout, "timeout", defaultTimeout, "give up after `DURATION`, such as 30s or 5m; 0 for never")
	fs.BoolVar(&g.verbose, "verbose", false, "log every request to stderr (never the key)")
	fs.IntVar(&g.retries, "retries", defaultRetries, "retry a failed idempotent request up to `N` times")
}

// flagError words an error of the flag parser as the command has always
// worded it, and makes it a usage error.
func flagError(err error) error {
	var (
		notExist *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
	)
	switch {
	case errors.As(err, &notExist):
		name := "--" + notExist.GetSpecifiedName()
		if s := notExist.GetSpecifiedShortnames(); s != "" {
			name = "-" + notExist.GetSpecifiedName()
		}
		return usagef("flag provided but not defined: %s", name)
	case errors.As(err, &required):
		return usagef("flag needs an argument: --%s", required.GetFlag().Name)
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		why := "parse error"
		switch f.Value.(type) {
		case *principalsFlag, *optionalBool:
			why = errors.Unwrap(invalid).Error()
		}
		if f.Value.Type() == "bool" {
			return usagef("invalid boolean value %q for --%s: %s", invalid.GetValue(), f.Name, why)
		}
		return usagef("invalid value %q for flag --%s: %s", invalid.GetValue(), f.Name, why)
	}
	return usagef("%s", err)
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

// Type names the value in completion and in help.
func (p *principalsFlag) Type() string { return "principal" }

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

// Type makes help show it as a switch.
func (b *optionalBool) Type() string { return "bool" }

// IsBoolFlag lets "--private" alone mean true where the standard flag
// package parses it.
func (b *optionalBool) IsBoolFlag() bool { return true }

// optionalBoolVar defines an optionalBool flag that "--name" alone sets.
func optionalBoolVar(fs *pflag.FlagSet, b *optionalBool, name, usage string) {
	fs.Var(b, name, usage)
	fs.Lookup(name).NoOptDefVal = "true"
}

// orderFields are the fields search can sort by.
var orderFields = []string{"name", "owner", "creation_date", "last_modified_date", "views_count", "comments_count"}

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
