package contract

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// SpecFile is the location of the corrected OpenAPI document relative to
// the module root.
const SpecFile = "spec/openapi.yaml"

// SpecPath returns the path of the module's spec/openapi.yaml, found by
// walking up from the working directory to the directory holding go.mod, so
// that a test in any package of the module finds it.
func SpecPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("contract: finding %s: %w", SpecFile, err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			path := filepath.Join(dir, filepath.FromSlash(SpecFile))
			if _, err := os.Stat(path); err != nil {
				return "", fmt.Errorf("contract: the module root has no %s: %w", SpecFile, err)
			}
			return path, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("contract: no go.mod above the working directory")
		}
		dir = parent
	}
}

// moduleValidator loads the module's spec once per test binary; a Validator
// is safe for concurrent use, so every test shares it.
var moduleValidator = sync.OnceValues(func() (*Validator, error) {
	path, err := SpecPath()
	if err != nil {
		return nil, err
	}
	return Load(path)
})

// Checker validates HTTP traffic against the module's spec on behalf of one
// test, failing the test with t.Errorf for each [*Violation].
type Checker struct {
	t testing.TB
	v *Validator
}

// ForTest returns a Checker for t that validates against the module's
// spec/openapi.yaml (loaded once per test binary). It stops the test with
// t.Fatalf when the spec cannot be found or loaded.
func ForTest(t testing.TB) *Checker {
	t.Helper()
	v, err := moduleValidator()
	if err != nil {
		t.Fatalf("%v", err)
	}
	return &Checker{t: t, v: v}
}

// Validator returns the Validator the Checker uses, for its operation and
// base path lookups.
func (c *Checker) Validator() *Validator { return c.v }

// Handler wraps a server's handler with [Validator.Middleware], reporting
// violations to the test.
func (c *Checker) Handler(next http.Handler) http.Handler {
	return c.v.Middleware(next, c.report)
}

// Transport wraps a client's RoundTripper with [Validator.Transport],
// reporting violations to the test. A nil next means http.DefaultTransport.
func (c *Checker) Transport(next http.RoundTripper) http.RoundTripper {
	return c.v.Transport(next, c.report)
}

// Client returns a new http.Client whose transport is
// Transport(http.DefaultTransport).
func (c *Checker) Client() *http.Client {
	return &http.Client{Transport: c.Transport(nil)}
}

func (c *Checker) report(err error) { c.t.Errorf("%v", err) }
