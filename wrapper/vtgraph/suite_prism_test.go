package vtgraph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vtgraphs/vtgraphs/internal/contract"
)

// TestClientSuitePrism runs the client suite against Stoplight Prism mocking
// the spec, which scripts/prism-test.sh starts; without it the test is
// skipped. Prism runs with --errors, so a request that breaks the spec is
// answered with an error status and fails the suite. Prism keeps no state
// and makes up every response from the spec, so the suite checks that each
// call succeeds and that the client decoded what Prism sent, not what the
// calls did.
func TestClientSuitePrism(t *testing.T) {
	t.Parallel()
	runClientSuite(t, suiteBackend{
		baseURL: contract.PrismURL(t),
		// Prism checks that a key is present, not what it is.
		ownerKey: "prism-made-up-key",
		owner:    "alice",
		user:     "bob",
		group:    "threat-intel",
		graphID:  suiteDocGraphID,
	})
}

// TestClientSuitePrismDynamic runs the client suite against Prism answering
// with random data generated from the spec's schemas rather than with its
// examples: strings of any content, numbers of any size, unknown members
// everywhere, lists of any length, and any branch of a oneOf. Every
// response must still pass the contract check and decode into what was
// sent. Each run has a fixed seed, so a failure replays exactly.
func TestClientSuitePrismDynamic(t *testing.T) {
	t.Parallel()
	base := contract.PrismURL(t)
	for run := range 12 {
		t.Run(fmt.Sprintf("seed %d", run), func(t *testing.T) {
			t.Parallel()
			runClientSuite(t, suiteBackend{
				baseURL:  base,
				next:     &seededDynamic{seed: fmt.Sprintf("vtgraph-%d", run)},
				ownerKey: "prism-made-up-key",
				owner:    "alice",
				user:     "bob",
				group:    "threat-intel",
				graphID:  suiteDocGraphID,
			})
		})
	}
}

// seededDynamic asks Prism, through the Prefer header, for data generated
// from the schemas with a seed made of the run's seed and the request's
// number, so that each request gets different data and a run gets the same
// data every time.
type seededDynamic struct {
	seed string
	n    atomic.Int64
}

func (s *seededDynamic) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.Header.Set("Prefer", fmt.Sprintf("dynamic=true, seed=%s-%d", s.seed, s.n.Add(1)))
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	return aboutTheGraphAsked(req, resp)
}

// aboutTheGraphAsked makes Prism's made-up answer to GET or PATCH
// /graphs/{id} be about the graph asked for, as a real server's is: the
// client refuses a graph with another id. The random id is swapped for the
// one in the path, byte for byte, so every other byte stays as generated.
func aboutTheGraphAsked(req *http.Request, resp *http.Response) (*http.Response, error) {
	asked, ok := strings.CutPrefix(req.URL.Path, "/api/v3/graphs/")
	if !ok || strings.Contains(asked, "/") || resp.StatusCode/100 != 2 {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var answer struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &answer) == nil && answer.Data.ID != "" && len(answer.Data.ID) == len(asked) {
		body = bytes.ReplaceAll(body, []byte(`"`+answer.Data.ID+`"`), []byte(`"`+asked+`"`))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
