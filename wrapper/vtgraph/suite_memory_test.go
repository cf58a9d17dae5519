package vtgraph_test

import (
	"testing"

	"github.com/vtgraphs/vtgraphs/internal/contract"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// TestClientSuiteMemory runs the client suite against the in-memory server.
// The contract check runs on both sides: the client's transport validates
// what the client sends and receives, and the server's middleware validates
// what the server receives and answers.
func TestClientSuiteMemory(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t, vtgraphtest.WithMiddleware(contract.ForTest(t).Handler))
	runClientSuite(t, suiteBackend{
		baseURL:  srv.URL(),
		ownerKey: vtgraphtest.AliceKey,
		owner:    "alice",
		user:     "carol",
		group:    vtgraphtest.DefaultGroup,
		stateful: true,
	})
}
