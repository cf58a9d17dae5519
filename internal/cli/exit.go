package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// Exit codes of the vtgraph command. Each class of failure has its own, so a
// script can tell a wrong key from a missing graph without parsing messages.
const (
	// ExitOK means the command did what was asked.
	ExitOK = 0
	// ExitError is any failure not covered by a more specific code.
	ExitError = 1
	// ExitUsage means the command line was wrong: an unknown command or flag,
	// a missing argument, or no API key.
	ExitUsage = 2
	// ExitAuth means the API refused the key (HTTP 401).
	ExitAuth = 3
	// ExitNotFound means the graph or object does not exist or is private
	// (HTTP 404).
	ExitNotFound = 4
	// ExitForbidden means the key's user may not do this (HTTP 403).
	ExitForbidden = 5
	// ExitInvalid means the input was rejected: by the client before sending
	// (an invalid graph, parameter, JSON file or indicator) or by the API
	// (HTTP 400).
	ExitInvalid = 6
	// ExitRateLimit means a rate limit or quota was hit (HTTP 429), or a
	// command spent the requests its --max-requests allowed.
	ExitRateLimit = 7
	// ExitUnavailable means the API could not be reached or answered in
	// time: a network error, HTTP 503 or 504, or the --timeout passing.
	ExitUnavailable = 8
	// ExitConflict means the graph changed on the server since the version
	// the command started from, so nothing was written.
	ExitConflict = 9
	// ExitInterrupted means the command was stopped by Ctrl-C or SIGTERM,
	// following the shell's convention of 128 plus the signal number.
	ExitInterrupted = 130
)

// exitCodes documents the codes, for help and the docs, in one place.
var exitCodes = []struct {
	code int
	text string
}{
	{ExitOK, "success"},
	{ExitError, "other error"},
	{ExitUsage, "usage: unknown command or flag, missing argument, no API key"},
	{ExitAuth, "authentication: the API key was refused (401)"},
	{ExitNotFound, "not found: no such graph, or a private one (404)"},
	{ExitForbidden, "forbidden: the user may not do this (403)"},
	{ExitInvalid, "invalid input: rejected before sending, or by the API (400)"},
	{ExitRateLimit, "rate limit or quota exceeded (429), or --max-requests spent"},
	{ExitUnavailable, "network error, timeout, or API unavailable (503, 504)"},
	{ExitConflict, "conflict: someone saved the graph since; nothing was written"},
	{ExitInterrupted, "interrupted (Ctrl-C)"},
}

// usageError is a mistake on the command line. Its message says what is
// wrong; the caller adds how to get help.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// inputError is local input the command could not use, such as a JSON file
// that is not a graph or a line that is not an indicator.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

func inputErrorf(format string, args ...any) error {
	return &inputError{err: fmt.Errorf(format, args...)}
}

// ExitCode maps an error returned by a command to the process exit code; see
// the Exit constants. A nil error is ExitOK.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var (
		usage  *usageError
		input  *inputError
		valErr *vtgraph.ValidationError
		parErr *vtgraph.ParamError
		apiErr *vtgraph.APIError
		budget *vtgraph.BudgetError
	)
	switch {
	case errors.As(err, &usage):
		return ExitUsage
	case errors.As(err, &budget):
		return ExitRateLimit
	case errors.As(err, &input), errors.As(err, &valErr), errors.As(err, &parErr):
		return ExitInvalid
	case errors.As(err, &apiErr):
		return apiExitCode(apiErr)
	case errors.Is(err, vtgraph.ErrConflict):
		return ExitConflict
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.Is(err, context.DeadlineExceeded), isNetworkError(err):
		return ExitUnavailable
	}
	return ExitError
}

// apiExitCode classifies an API error by its code first, which survives a
// proxy changing the status, then by its status.
func apiExitCode(e *vtgraph.APIError) int {
	switch {
	case errors.Is(e, vtgraph.ErrWrongCredentials), errors.Is(e, vtgraph.ErrAuthenticationRequired),
		errors.Is(e, vtgraph.ErrUserNotActive):
		return ExitAuth
	case errors.Is(e, vtgraph.ErrTooManyRequests), errors.Is(e, vtgraph.ErrQuotaExceeded):
		return ExitRateLimit
	case errors.Is(e, vtgraph.ErrTransient), errors.Is(e, vtgraph.ErrDeadlineExceeded):
		return ExitUnavailable
	}
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		return ExitAuth
	case e.StatusCode == http.StatusForbidden:
		return ExitForbidden
	case e.StatusCode == http.StatusNotFound:
		return ExitNotFound
	case e.StatusCode == http.StatusBadRequest:
		return ExitInvalid
	case e.StatusCode == http.StatusTooManyRequests:
		return ExitRateLimit
	case e.StatusCode == http.StatusServiceUnavailable, e.StatusCode == http.StatusGatewayTimeout,
		e.StatusCode == http.StatusBadGateway:
		return ExitUnavailable
	}
	return ExitError
}

// isNetworkError reports a failure to talk to the server at all. It looks
// for the network's own error types: a plain net.Error test would also match
// a local file error, which has Timeout and Temporary methods too.
func isNetworkError(err error) bool {
	var (
		urlErr *url.Error
		opErr  *net.OpError
		dnsErr *net.DNSError
	)
	return errors.As(err, &urlErr) || errors.As(err, &opErr) || errors.As(err, &dnsErr) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// describe renders err for the user without the library's "vtgraph: "
// prefixes, which the command's own prefix replaces.
func describe(err error) string {
	return strings.ReplaceAll(err.Error(), "vtgraph: ", "")
}

// hint suggests what to do about err, which the command at path returned,
// or returns "".
func hint(path string, err error) string {
	var apiErr *vtgraph.APIError
	isAPI := errors.As(err, &apiErr)
	switch ExitCode(err) {
	case ExitAuth:
		return "is VT_API_KEY (or the --api-key-file) set to a valid key?"
	case ExitNotFound:
		if !isAPI {
			break
		}
		// Sharing names users and groups too, and the API answers 404 for
		// an unknown one just as for a graph.
		switch path {
		case "share":
			return "a user or group given may not exist: the API grants all or none, so nothing was granted"
		case "unshare":
			return "the user or group may not exist; check its name"
		case "access":
			return "check the id and the user or group; a private graph you have no access to also answers 404"
		}
		return "check the id; a private graph you have no access to also answers 404"
	case ExitForbidden:
		return "only the owner and editors may change or share a graph, and only the owner may delete it"
	case ExitConflict:
		return "see what changed with 'vtgraph diff ID FILE', or give --force to overwrite it"
	case ExitRateLimit:
		var budget *vtgraph.BudgetError
		if errors.As(err, &budget) {
			return "raise --max-requests (0 for no limit) to go further"
		}
		if isAPI && apiErr.RetryAfter > 0 {
			return "the API asks to wait " + apiErr.RetryAfter.Round(time.Second).String() + " before trying again"
		}
		return "wait a minute before trying again; the public API allows 4 requests a minute"
	case ExitUnavailable:
		if errors.Is(err, context.DeadlineExceeded) {
			return "the command took longer than --timeout; raise it or try again later"
		}
		if !isAPI {
			return "is the network up and --base-url (or VT_BASE_URL) right?"
		}
		return "the API is busy or unavailable; try again later"
	}
	return ""
}
