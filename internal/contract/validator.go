package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Validator checks requests and responses against one OpenAPI document. A
// Validator is safe for concurrent use.
type Validator struct {
	doc       *openapi3.T
	router    routers.Router
	basePaths []string
	options   *openapi3filter.Options
}

// Load reads the OpenAPI document at path, validates it, and returns a
// Validator that routes requests by path alone, with the servers' base path
// (such as /api/v3) as a required prefix.
func Load(path string) (*Validator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("contract: loading %s: %w", path, err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("contract: %s is not a valid OpenAPI document: %w", path, err)
	}
	servers, basePaths, err := relativeServers(doc.Servers)
	if err != nil {
		return nil, fmt.Errorf("contract: %s: %w", path, err)
	}
	doc.Servers = servers
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract: routing %s: %w", path, err)
	}
	return &Validator{
		doc:       doc,
		router:    router,
		basePaths: basePaths,
		options: &openapi3filter.Options{
			MultiError:            true,
			SkipSettingDefaults:   true,
			IncludeResponseStatus: true,
			AuthenticationFunc:    requireAPIKey,
		},
	}, nil
}

// relativeServers replaces each server by its base path, so that routing
// ignores the scheme and host but keeps the path prefix.
func relativeServers(servers openapi3.Servers) (openapi3.Servers, []string, error) {
	if len(servers) == 0 {
		return nil, []string{""}, nil
	}
	var out openapi3.Servers
	var paths []string
	for _, s := range servers {
		base, err := s.BasePath()
		if err != nil {
			return nil, nil, fmt.Errorf("server %q: %w", s.URL, err)
		}
		base = strings.TrimSuffix(base, "/")
		if slices.Contains(paths, base) {
			continue
		}
		paths = append(paths, base)
		if base == "" {
			base = "/"
		}
		out = append(out, &openapi3.Server{URL: base})
	}
	return out, paths, nil
}

// BasePath returns the path prefix every request must carry, such as
// "/api/v3", taken from the document's first server.
func (v *Validator) BasePath() string { return v.basePaths[0] }

// OperationIDs returns the operationId of every operation in the document,
// sorted.
func (v *Validator) OperationIDs() []string {
	var ids []string
	for _, item := range v.doc.Paths.Map() {
		for _, op := range item.Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	slices.Sort(ids)
	return ids
}

// Operation returns the operationId of the operation the request routes to,
// or an error when no operation matches its method and path.
func (v *Validator) Operation(r *http.Request) (string, error) {
	route, _, err := v.findRoute(r)
	if err != nil {
		return "", err
	}
	return route.Operation.OperationID, nil
}

// findRoute routes r by its path: the router matches servers against the
// whole URL, so the scheme, user and host of a client request are dropped
// from a shallow copy first.
func (v *Validator) findRoute(r *http.Request) (*routers.Route, map[string]string, error) {
	lookup := r.WithContext(r.Context())
	u := *r.URL
	u.Scheme, u.Host, u.User = "", "", nil
	lookup.URL = &u
	return v.router.FindRoute(lookup)
}

// errMissingAPIKey is what requireAPIKey returns when the header is absent;
// see the package documentation for how it is treated.
var errMissingAPIKey = errors.New("API key header missing or empty")

// requireAPIKey is the kin-openapi AuthenticationFunc: it checks that the
// header an apiKey scheme names is present, and never looks at its value.
func requireAPIKey(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if s.Type != "apiKey" || s.In != "header" {
		return fmt.Errorf("security scheme %q: only API keys in a header are supported", in.SecuritySchemeName)
	}
	if in.RequestValidationInput.Request.Header.Get(s.Name) == "" {
		return fmt.Errorf("%w: %s", errMissingAPIKey, s.Name)
	}
	return nil
}

// requestPath returns the path of u as sent, for messages.
func requestPath(u *url.URL) string {
	if p := u.EscapedPath(); p != "" {
		return p
	}
	return "/"
}
