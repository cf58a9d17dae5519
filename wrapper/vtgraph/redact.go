package vtgraph

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Every error the client returns for a request, and every log record it
// writes, passes through redactKey on its way out: the pipeline applies it
// to whatever it returns and logs, and decodeResponse to every error made
// from a response. So the key is kept out of errors whatever put it there:
// a server that quotes it back in a body, a redirect whose Location or path
// holds it (net/http quotes a Location it cannot parse), or a decoder that
// names a bad value.

// redactKey returns err with every occurrence of key replaced by
// "[redacted]", in err and in every error it wraps, as written by Error and
// by %#v. Errors that do not show the key are kept as they are, so
// errors.Is and errors.As find them; the typed errors of this package and
// *url.Error are copied with their fields redacted, and any other error
// showing the key becomes a plain error with the redacted message that
// wraps the redacted errors it wrapped.
func redactKey(err error, key string) error {
	if err == nil || key == "" {
		return err
	}
	r := newKeyRedactor(key)
	if !r.inChain(err) {
		return err
	}
	return r.redact(err)
}

// keyRedactor finds and replaces a key in the forms messages quote it in.
type keyRedactor struct {
	forms    []string // the key as is, %q-escaped, path- and query-escaped
	replacer *strings.Replacer
}

func newKeyRedactor(key string) keyRedactor {
	var r keyRedactor
	quoted := strconv.Quote(key)
	for _, f := range []string{key, quoted[1 : len(quoted)-1], url.PathEscape(key), url.QueryEscape(key)} {
		if f != "" && !slices.Contains(r.forms, f) {
			r.forms = append(r.forms, f)
		}
	}
	pairs := make([]string, 0, 2*len(r.forms))
	for _, f := range r.forms {
		pairs = append(pairs, f, redacted)
	}
	r.replacer = strings.NewReplacer(pairs...)
	return r
}

// shows reports whether s holds the key in one of its forms.
func (r keyRedactor) shows(s string) bool {
	for _, f := range r.forms {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

func (r keyRedactor) replace(s string) string { return r.replacer.Replace(s) }

// inChain reports whether err, or any error it wraps, shows the key.
func (r keyRedactor) inChain(err error) bool {
	if err == nil {
		return false
	}
	if r.shows(err.Error()) || r.shows(fmt.Sprintf("%#v", err)) {
		return true
	}
	for _, e := range unwrapAll(err) {
		if r.inChain(e) {
			return true
		}
	}
	return false
}

func (r keyRedactor) redact(err error) error {
	if !r.inChain(err) {
		return err
	}
	switch e := err.(type) {
	case *APIError:
		c := *e
		c.Code = ErrorCode(r.replace(string(e.Code)))
		c.Message, c.Method, c.Path = r.replace(e.Message), r.replace(e.Method), r.replace(e.Path)
		return &c
	case *DecodeError:
		c := *e
		c.Excerpt, c.Method, c.Path = r.replace(e.Excerpt), r.replace(e.Method), r.replace(e.Path)
		c.Err = r.redact(e.Err)
		return &c
	case *url.Error:
		return &url.Error{Op: r.replace(e.Op), URL: r.replace(e.URL), Err: r.redact(e.Err)}
	}
	wrapped := unwrapAll(err)
	out := &redactedError{msg: r.replace(err.Error()), errs: make([]error, len(wrapped))}
	for i, e := range wrapped {
		out.errs[i] = r.redact(e)
	}
	return out
}

func unwrapAll(err error) []error {
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return []error{e}
		}
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	}
	return nil
}

// redactedError stands for an error whose message showed the key.
type redactedError struct {
	msg  string
	errs []error
}

func (e *redactedError) Error() string   { return e.msg }
func (e *redactedError) Unwrap() []error { return e.errs }
