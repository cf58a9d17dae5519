package vtgraph_test

import (
	"fmt"
	"net/http"
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
	return http.DefaultTransport.RoundTrip(out)
}
