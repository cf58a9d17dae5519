// Package contract checks HTTP traffic against the project's corrected OpenAPI
// description, spec/openapi.yaml, with kin-openapi.
//
// A test wraps a fake server or a client in one line and every request and
// response that passes through is validated; each violation fails the test:
//
//	srv := httptest.NewServer(contract.ForTest(t).Handler(fakeAPI))
//	hc := contract.ForTest(t).Client() // or .Transport(next) to wrap another RoundTripper
//
// # Tests and tools only
//
// kin-openapi is a test-time dependency. Only _test.go files and the tools
// under scripts/ may import this package, and outside internal/contract only
// _test.go files may import kin-openapi, so programs built on the client
// never compile it. TestImportRule enforces both.
//
// # What is checked
//
// For a request: that its method and path name an operation of the spec,
// and that its path, query and header parameters, its body and its content
// type match that operation. kin-openapi runs with SkipSettingDefaults and on
// a copy of the request, so validation never changes what the server or the
// client sees.
//
// For a response: that its status is documented for the operation (an
// undocumented status such as 418 is a violation; the spec has no default
// responses), that its content type is one the spec lists for that status,
// and that its body matches the schema.
//
// Each problem is reported as a [*Violation] naming the part of the exchange
// (route, request or response), the method, the path and the operation.
//
// # Routing
//
// The spec's servers entry is https://www.virustotal.com/api/v3. [Load]
// rewrites every server to its relative base path (/api/v3) and routes on the
// request path alone, so traffic to any host (an httptest server, Prism, the
// real API) is routed, but the /api/v3 prefix must be present: a client that
// drops it is reported. Routing uses kin-openapi's legacy router, which
// prefers a literal path segment over a template, so /graphs/{id}/comments
// is not taken for /graphs/{id}/{relationship}.
//
// # Requests without an API key
//
// The spec requires the x-apikey header on every operation, and the check
// enforces it: the header must be present and not empty. Tests legitimately
// send a request without a key to see the 401, so a missing key is not a
// violation when the response is the 401 the spec documents for that
// operation ("Missing or invalid API key"). Any other response to a request
// without a key is reported: either the client forgot the key or the server
// accepted a request the spec says it must refuse. The value of the key is
// never checked, logged or reported.
//
// # Prism
//
// scripts/prism-test.sh starts Stoplight Prism as a mock of the spec and runs
// the tests named Prism*. [PrismURL] gives such a test the base URL to use,
// or skips the test when Prism is not running.
package contract
