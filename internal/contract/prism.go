package contract

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"testing"
)

// The variables scripts/prism-test.sh sets for the tests it runs.
const (
	// PrismURLEnv names the variable holding the Prism mock's address, such
	// as http://127.0.0.1:43123.
	PrismURLEnv = "VTGRAPH_PRISM_URL"
	// RequirePrismEnv names the variable that, set to 1 together with CI,
	// makes a missing PrismURLEnv fail the test instead of skipping it.
	RequirePrismEnv = "VTGRAPH_REQUIRE_PRISM"
)

// PrismURL returns the base URL, ending in the spec's /api/v3, under which
// the Prism mock started by scripts/prism-test.sh serves the API, for a
// client under test to use as it would use https://www.virustotal.com/api/v3.
//
// Prism serves the spec's paths without the servers' base path, so the URL
// points at a proxy on 127.0.0.1, closed when t ends, that strips the prefix
// before forwarding to Prism and answers 404 to a request without it. The
// traffic is not validated here; wrap the client with [Checker.Transport]
// for that.
//
// PrismURL skips t when PrismURLEnv is unset, unless both CI and
// RequirePrismEnv=1 are set, in which case it fails t. It also fails t when
// PrismURLEnv is not an http URL on 127.0.0.1, so that tests never reach
// another host.
func PrismURL(t testing.TB) string {
	t.Helper()
	return prismURL(t, os.Getenv)
}

// prismURL is PrismURL reading the environment through getenv.
func prismURL(t testing.TB, getenv func(string) string) string {
	t.Helper()
	raw := getenv(PrismURLEnv)
	if raw == "" {
		if getenv("CI") != "" && getenv(RequirePrismEnv) == "1" {
			t.Fatalf("%s is unset but %s=1 in CI: run the tests through scripts/prism-test.sh", PrismURLEnv, RequirePrismEnv)
		}
		t.Skipf("%s is unset; scripts/prism-test.sh runs this test against Prism", PrismURLEnv)
	}
	target, err := url.Parse(raw)
	if err != nil || target.Scheme != "http" || target.Hostname() != "127.0.0.1" || target.Port() == "" {
		t.Fatalf("%s=%q: want http://127.0.0.1:PORT", PrismURLEnv, raw)
	}
	prefix := ForTest(t).Validator().BasePath()
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.Out.URL.Scheme = target.Scheme
		pr.Out.URL.Host = target.Host
		pr.Out.Host = target.Host
		pr.Out.URL.Path = strings.TrimPrefix(pr.In.URL.Path, prefix)
		pr.Out.URL.RawPath = strings.TrimPrefix(pr.In.URL.RawPath, prefix)
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, prefix+"/") {
			http.Error(w, "request path lacks the "+prefix+" prefix", http.StatusNotFound)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}
