package cli_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vtgraphs/vtgraphs/internal/cli"
)

// cliSecretKey is made up; finding it in the command's output is a leak.
const cliSecretKey = "vtgraph-cli-secret-7e6d5c"

// cliGraphID is a well-formed graph id.
const cliGraphID = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"

// TestKeyNotInCommandOutput runs the command against servers that try to
// make it print the key they received, with --verbose and without: in a
// Location header that is not a URL (which net/http quotes in its error), in
// the path of a redirect to another origin (which answers quoting its path),
// in an error message, in a page that is not JSON, and as the id of a
// created graph, which the command would turn into a link. Neither standard
// output nor standard error may show it.
func TestKeyNotInCommandOutput(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":{"code":"AuthenticationRequiredError","message":"no key for `+r.URL.Path+`"}}`)
	}))
	t.Cleanup(other.Close)
	hostile := map[string]func(w http.ResponseWriter, r *http.Request, key string){
		"Location that is not a URL": func(w http.ResponseWriter, _ *http.Request, key string) {
			w.Header().Set("Location", "http://[::1"+key+"/")
			w.WriteHeader(http.StatusFound)
		},
		"redirect to another origin, the key in its path": func(w http.ResponseWriter, r *http.Request, key string) {
			http.Redirect(w, r, other.URL+"/"+key+r.URL.Path, http.StatusTemporaryRedirect)
		},
		"error message": func(w http.ResponseWriter, _ *http.Request, key string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":{"code":"InvalidArgumentError","message":"bad key `+key+`"}}`)
		},
		"page that is not JSON": func(w http.ResponseWriter, _ *http.Request, key string) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html><pre>x-apikey: "+key+"</pre></html>")
		},
		"graph id that is the key": func(w http.ResponseWriter, _ *http.Request, key string) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"data":{"type":"graph","id":"`+key+`","attributes":{}}}`)
		},
	}
	commands := map[string]struct {
		args  []string
		stdin string
	}{
		"get":     {args: []string{"get", cliGraphID}},
		"search":  {args: []string{"search"}},
		"create":  {args: []string{"create", "--name", "leak", "--indicators", "-"}, stdin: "hooli.com\n"},
		"expand":  {args: []string{"expand", "hooli.com", "--depth", "2"}},
		"enrich":  {args: []string{"enrich", "hooli.com", "192.0.2.1"}},
		"connect": {args: []string{"connect", "hooli.com", "192.0.2.1"}},
	}
	for mode, serve := range hostile {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			serve(w, r, r.Header.Get("X-Apikey"))
		}))
		t.Cleanup(srv.Close)
		for name, cmd := range commands {
			for _, verbose := range []bool{false, true} {
				args := cmd.args
				if verbose {
					args = append([]string{"--verbose"}, args...)
				}
				t.Run(mode+"/"+strings.Join(args, " "), func(t *testing.T) {
					t.Parallel()
					env := map[string]string{cli.EnvAPIKey: cliSecretKey, cli.EnvBaseURL: srv.URL + "/api/v3"}
					var stdout, stderr bytes.Buffer
					code := cli.Run(context.Background(), args, func(k string) string { return env[k] },
						strings.NewReader(cmd.stdin), &stdout, &stderr)
					if code == 0 {
						t.Errorf("%s succeeded against a hostile server; stdout:\n%s", name, stdout.String())
					}
					if stderr.Len() == 0 {
						t.Error("the command said nothing on stderr")
					}
					for stream, out := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
						if strings.Contains(out, cliSecretKey) {
							t.Errorf("%s shows the key:\n%s", stream, out)
						}
					}
					if verbose && !strings.Contains(stderr.String(), "vtgraph: request") {
						t.Errorf("--verbose logged no request:\n%s", stderr.String())
					}
				})
			}
		}
	}
}
