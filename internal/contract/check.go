package contract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Part names the part of an HTTP exchange a [Violation] is about.
type Part string

// The parts of an exchange.
const (
	// PartRoute means no operation of the spec matches the request's method
	// and path.
	PartRoute Part = "route"
	// PartRequest means the request breaks the operation's contract.
	PartRequest Part = "request"
	// PartResponse means the response breaks the operation's contract.
	PartResponse Part = "response"
)

// Violation is one way an HTTP exchange breaks the spec.
type Violation struct {
	// Part says whether the route, the request or the response is at fault.
	Part Part
	// Method and Path are the request's method and escaped URL path.
	Method, Path string
	// Operation is the operationId the request routed to; empty for
	// PartRoute.
	Operation string
	// Status is the response status for PartResponse, and zero otherwise.
	Status int
	// Err is kin-openapi's description of the problem.
	Err error
}

// Error returns a one-line description such as
// `contract: response 418 to GET /api/v3/graphs (graphs): status is not supported`.
func (v *Violation) Error() string {
	what := string(v.Part)
	if v.Part == PartResponse {
		what = fmt.Sprintf("response %d", v.Status)
	}
	op := ""
	if v.Operation != "" {
		op = " (" + v.Operation + ")"
	}
	return fmt.Sprintf("contract: %s to %s %s%s: %v", what, v.Method, v.Path, op, v.Err)
}

// Unwrap returns the underlying kin-openapi error.
func (v *Violation) Unwrap() error { return v.Err }

// exchange carries what checking a response needs from its request.
type exchange struct {
	input      *openapi3filter.RequestValidationInput
	missingKey error
	report     func(error)
	method     string
	path       string
}

// checkRequest validates r, whose body has been read into body, and reports
// each violation. It validates a clone of r, so r itself is never changed.
// The returned exchange checks the response; it is nil when the request did
// not route, since there is then no contract for the response.
func (v *Validator) checkRequest(r *http.Request, body []byte, report func(error)) *exchange {
	x := &exchange{report: report, method: r.Method, path: requestPath(r.URL)}
	route, params, err := v.findRoute(r)
	if err != nil {
		x.violation(PartRoute, "", 0, err)
		return nil
	}
	clone := r.Clone(r.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	clone.ContentLength = int64(len(body))
	x.input = &openapi3filter.RequestValidationInput{
		Request:    clone,
		PathParams: params,
		Route:      route,
		Options:    v.options,
	}
	for _, err := range flatten(openapi3filter.ValidateRequest(r.Context(), x.input)) {
		if errors.Is(err, errMissingAPIKey) {
			x.missingKey = err
			continue
		}
		x.violation(PartRequest, route.Operation.OperationID, 0, err)
	}
	return x
}

// checkResponse validates a response to the exchange's request and reports
// each violation, including a missing API key that the response did not
// answer with the documented 401.
func (x *exchange) checkResponse(status int, header http.Header, body []byte) {
	if x == nil {
		return
	}
	op := x.input.Route.Operation
	if x.missingKey != nil {
		documented := op.Responses.Status(http.StatusUnauthorized) != nil
		if !documented || status != http.StatusUnauthorized {
			x.violation(PartRequest, op.OperationID, 0,
				fmt.Errorf("%w, and the response was %d rather than the documented 401", x.missingKey, status))
		}
	}
	err := openapi3filter.ValidateResponse(x.input.Request.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: x.input,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                x.input.Options,
	})
	for _, err := range flatten(err) {
		x.violation(PartResponse, op.OperationID, status, err)
	}
}

func (x *exchange) violation(part Part, op string, status int, err error) {
	x.report(&Violation{Part: part, Method: x.method, Path: x.path, Operation: op, Status: status, Err: err})
}

// flatten splits a kin-openapi MultiError returned at the top level so that
// each problem is reported on its own. Nested ones stay whole: they sit
// under an error that says which parameter or body they are about.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if me, ok := err.(openapi3.MultiError); ok {
		var out []error
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
