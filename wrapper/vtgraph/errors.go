package vtgraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrorCode is a VirusTotal error code, such as "NotFoundError". The
// constants below are the codes VirusTotal documents; each is also a sentinel
// error for [errors.Is]:
//
//	if errors.Is(err, vtgraph.ErrNotFound) { … }
//
// An [*APIError] matches the constant equal to its Code. When the response
// carried no code at all (an HTML page from a proxy, an empty body), it
// matches the constant standing for its status instead, shown with * below.
// A code VirusTotal adds later matches ErrorCode("ThatCode").
//
//	Status  Constant                       Code
//	400     ErrBadRequest *                BadRequestError
//	400     ErrInvalidArgument             InvalidArgumentError
//	400     ErrNotAvailableYet             NotAvailableYet
//	400     ErrUnselectiveContentQuery     UnselectiveContentQueryError
//	400     ErrUnsupportedContentQuery     UnsupportedContentQueryError
//	401     ErrAuthenticationRequired *    AuthenticationRequiredError
//	401     ErrUserNotActive               UserNotActiveError
//	401     ErrWrongCredentials            WrongCredentialsError
//	403     ErrForbidden *                 ForbiddenError
//	404     ErrNotFound *                  NotFoundError
//	409     ErrAlreadyExists *             AlreadyExistsError
//	424     ErrFailedDependency *          FailedDependencyError
//	429     ErrQuotaExceeded               QuotaExceededError
//	429     ErrTooManyRequests *           TooManyRequestsError
//	503     ErrTransient *                 TransientError
//	504     ErrDeadlineExceeded *          DeadlineExceededError
type ErrorCode string

// The error codes VirusTotal documents; see [ErrorCode] for their statuses.
const (
	// ErrBadRequest is BadRequestError: the API does not understand the request.
	ErrBadRequest ErrorCode = "BadRequestError"
	// ErrInvalidArgument is InvalidArgumentError: a parameter is invalid.
	ErrInvalidArgument ErrorCode = "InvalidArgumentError"
	// ErrNotAvailableYet is NotAvailableYet: the resource is not ready yet.
	ErrNotAvailableYet ErrorCode = "NotAvailableYet"
	// ErrUnselectiveContentQuery is UnselectiveContentQueryError: a content
	// search query matches too much.
	ErrUnselectiveContentQuery ErrorCode = "UnselectiveContentQueryError"
	// ErrUnsupportedContentQuery is UnsupportedContentQueryError: a content
	// search query is not supported.
	ErrUnsupportedContentQuery ErrorCode = "UnsupportedContentQueryError"
	// ErrAuthenticationRequired is AuthenticationRequiredError: the request
	// carried no API key.
	ErrAuthenticationRequired ErrorCode = "AuthenticationRequiredError"
	// ErrUserNotActive is UserNotActiveError: the account is not active.
	ErrUserNotActive ErrorCode = "UserNotActiveError"
	// ErrWrongCredentials is WrongCredentialsError: the API key is invalid.
	ErrWrongCredentials ErrorCode = "WrongCredentialsError"
	// ErrForbidden is ForbiddenError: the key may not do this.
	ErrForbidden ErrorCode = "ForbiddenError"
	// ErrNotFound is NotFoundError: the object does not exist.
	ErrNotFound ErrorCode = "NotFoundError"
	// ErrAlreadyExists is AlreadyExistsError: the object exists already.
	ErrAlreadyExists ErrorCode = "AlreadyExistsError"
	// ErrFailedDependency is FailedDependencyError: a service the request
	// depends on failed.
	ErrFailedDependency ErrorCode = "FailedDependencyError"
	// ErrQuotaExceeded is QuotaExceededError: a minute, daily or monthly
	// quota is used up.
	ErrQuotaExceeded ErrorCode = "QuotaExceededError"
	// ErrTooManyRequests is TooManyRequestsError: requests come too fast.
	ErrTooManyRequests ErrorCode = "TooManyRequestsError"
	// ErrTransient is TransientError: a temporary server failure; retrying may
	// work.
	ErrTransient ErrorCode = "TransientError"
	// ErrDeadlineExceeded is DeadlineExceededError: the server took too long.
	// It is unrelated to context.DeadlineExceeded, which the client reports
	// when the caller's own deadline passes.
	ErrDeadlineExceeded ErrorCode = "DeadlineExceededError"
)

// Error returns the code itself, such as "NotFoundError", so that an
// ErrorCode prints the same with every fmt verb, alone or as
// [APIError.Code].
func (c ErrorCode) Error() string { return string(c) }

// codeForStatus is the code an *APIError without one stands for.
func codeForStatus(status int) ErrorCode {
	switch status {
	case http.StatusBadRequest:
		return ErrBadRequest
	case http.StatusUnauthorized:
		return ErrAuthenticationRequired
	case http.StatusForbidden:
		return ErrForbidden
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusConflict:
		return ErrAlreadyExists
	case http.StatusFailedDependency:
		return ErrFailedDependency
	case http.StatusTooManyRequests:
		return ErrTooManyRequests
	case http.StatusServiceUnavailable:
		return ErrTransient
	case http.StatusGatewayTimeout:
		return ErrDeadlineExceeded
	}
	return ""
}

// APIError is the error for every response with a status outside 2xx,
// whatever its body. Find it with [errors.As]; match codes with [errors.Is]
// and the [ErrorCode] constants. It never holds the API key, headers or the
// query string.
type APIError struct {
	// StatusCode is the HTTP status, such as 404.
	StatusCode int
	// Code is VirusTotal's error code, or "" when the body had none (a
	// non-JSON or empty body).
	Code ErrorCode
	// Message is VirusTotal's explanation, cut to a few KiB.
	Message string
	// Method is the request's HTTP method.
	Method string
	// Path is the escaped URL path the call requested, without the query;
	// after a redirect it is still the path requested, not the last hop's.
	Path string
	// RetryAfter is how long the server asked the client to wait before
	// trying again (its Retry-After header), or zero. It is set mostly on
	// 429 and 503 responses.
	RetryAfter time.Duration
}

// Error describes the failure, for example
// "vtgraph: GET /api/v3/graphs/g1: 404 NotFoundError: Graph not found".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("vtgraph: ")
	if e.Method != "" || e.Path != "" {
		b.WriteString(e.Method + " " + e.Path + ": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteString(" " + string(e.Code))
	} else if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.String() + ")")
	}
	return b.String()
}

// Is reports whether target is the [ErrorCode] of e: its Code, or, when Code
// is empty, the code standing for its status.
func (e *APIError) Is(target error) bool {
	code, ok := target.(ErrorCode)
	if !ok {
		return false
	}
	if e.Code != "" {
		return e.Code == code
	}
	return code != "" && code == codeForStatus(e.StatusCode)
}

const (
	// maxErrorBody bounds how much of an error body is read.
	maxErrorBody = 1 << 20
	// maxMessage bounds APIError.Message; VirusTotal's are one sentence.
	maxMessage = 4 << 10
	// maxCodeLen bounds APIError.Code; real codes are short identifiers.
	maxCodeLen = 128
)

// checkResponse returns nil for a 2xx response, leaving its body to the
// caller. For any other status it reads and closes the body and returns an
// *APIError. When reading the body failed, the *APIError is wrapped with the
// read error: the status is the server's answer, but a deadline that passed
// or a connection that broke meanwhile must show too.
func checkResponse(resp *http.Response) error {
	if resp == nil {
		return errors.New("vtgraph: no response")
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	e, err := newAPIError(resp)
	if err != nil {
		return fmt.Errorf("%w (reading the body: %w)", e, err)
	}
	return e
}

// newAPIError builds the error for a non-2xx response, reading at most
// maxErrorBody bytes of its body and closing it, and returns the error the
// read ended with, if any. Any body works: JSON in VirusTotal's
// {"error": {"code", "message"}} shape fills Code and Message; anything else
// (HTML, empty, truncated) leaves them empty.
func newAPIError(resp *http.Response) (*APIError, error) {
	e := &APIError{StatusCode: resp.StatusCode}
	e.Method, e.Path = requestLabel(resp.Request)
	if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = ra
	}
	if resp.Body == nil {
		return e, nil
	}
	// A read error leaves a partial body, which parses or doesn't.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
	e.Code, e.Message = parseErrorBody(body, sentKey(resp.Request))
	return e, err
}

// peekErrorCode returns the VirusTotal error code of a non-2xx response
// without consuming its body: what it read, at most maxErrorBody bytes, is
// put back in front of the rest, so that newAPIError reads the same body.
func peekErrorCode(resp *http.Response) ErrorCode {
	if resp.Body == nil {
		return ""
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body = peekedBody{Reader: io.MultiReader(bytes.NewReader(body), resp.Body), Closer: resp.Body}
	code, _ := parseErrorBody(body, "")
	return code
}

// peekedBody is a body whose start was read and put back.
type peekedBody struct {
	io.Reader
	io.Closer
}

// parseErrorBody extracts VirusTotal's error code and message, or returns
// empty strings when body is not in that shape. Occurrences of key, the API
// key the request carried, are redacted: a proxy or a verbose server may
// quote the request's headers back, and the error is bound to be printed.
func parseErrorBody(body []byte, key string) (ErrorCode, string) {
	var envelope struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &envelope) != nil || envelope.Error == nil {
		return "", ""
	}
	code, message := envelope.Error.Code, envelope.Error.Message
	if key != "" {
		// Redact before clipping, which could leave part of the key.
		code = strings.ReplaceAll(code, key, redacted)
		message = strings.ReplaceAll(message, key, redacted)
	}
	code = clipUTF8(strings.TrimSpace(code), maxCodeLen)
	return ErrorCode(code), clipUTF8(strings.TrimSpace(message), maxMessage)
}

// sentKey returns the API key req carried, or "" when it carried none,
// such as a redirect to another host.
func sentKey(req *http.Request) string {
	if req == nil {
		return ""
	}
	return req.Header.Get(apiKeyHeader)
}

// clipUTF8 cuts s to at most n bytes without splitting a UTF-8 sequence.
func clipUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
