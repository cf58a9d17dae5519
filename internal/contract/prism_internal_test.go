package contract

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stopTB is a testing.TB whose Skipf and Fatalf record the outcome and stop
// the helper under test with a panic that the test recovers.
type stopTB struct {
	testing.TB
	outcome string
}

type stopped struct{}

func (s *stopTB) Helper() {}

func (s *stopTB) Skipf(format string, args ...any) {
	s.outcome = "skip: " + fmt.Sprintf(format, args...)
	panic(stopped{})
}

func (s *stopTB) Fatalf(format string, args ...any) {
	s.outcome = "fatal: " + fmt.Sprintf(format, args...)
	panic(stopped{})
}

func runPrismURL(tb *stopTB, env map[string]string) (url string) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stopped); !ok {
				panic(r)
			}
		}
	}()
	return prismURL(tb, func(k string) string { return env[k] })
}

func TestPrismURLEnvironment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string // prefix of the outcome
	}{
		{"unset", nil, "skip: "},
		{"unset in CI", map[string]string{"CI": "true"}, "skip: "},
		{"unset but required outside CI", map[string]string{RequirePrismEnv: "1"}, "skip: "},
		{"unset but required in CI", map[string]string{"CI": "true", RequirePrismEnv: "1"}, "fatal: " + PrismURLEnv + " is unset"},
		{"another host", map[string]string{PrismURLEnv: "http://example.com:4010"}, "fatal: "},
		{"no port", map[string]string{PrismURLEnv: "http://127.0.0.1"}, "fatal: "},
		{"https", map[string]string{PrismURLEnv: "https://127.0.0.1:4010"}, "fatal: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb := &stopTB{TB: t}
			runPrismURL(tb, tt.env)
			assert.True(t, strings.HasPrefix(tb.outcome, tt.want), "outcome %q", tb.outcome)
		})
	}
}

// TestPrismURLProxy checks that the URL keeps the /api/v3 prefix and that
// the proxy strips it before forwarding, and refuses paths without it.
func TestPrismURLProxy(t *testing.T) {
	t.Parallel()
	gotPath := make(chan string, 2)
	upstream := http.NewServeMux()
	upstream.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		gotPath <- r.URL.RequestURI()
		w.WriteHeader(http.StatusNoContent)
	})
	srv := newLocalServer(t, upstream)
	base := runPrismURL(&stopTB{TB: t}, map[string]string{PrismURLEnv: srv})
	require.True(t, strings.HasSuffix(base, "/api/v3"), base)

	resp, err := get(t, base+"/graphs?limit=1")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, "/graphs?limit=1", <-gotPath)

	resp, err = get(t, strings.TrimSuffix(base, "/api/v3")+"/graphs")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Empty(t, gotPath, "a path without the prefix never reaches Prism")
}

// newLocalServer starts h on 127.0.0.1 for the test and returns its URL.
func newLocalServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(t *testing.T, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}
