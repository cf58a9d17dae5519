package cli_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/internal/cli"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// TestRenameKeepsGraphData renames, with `vtgraph update ID --name`, a graph
// whose graph_data is {description, version, layout}, as the VirusTotal UI
// saves it: the version and the layout are still there afterwards.
func TestRenameKeepsGraphData(t *testing.T) {
	t.Parallel()
	srv := vtgraphtest.NewServer(t)
	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()), vtgraph.WithoutRetries())
	require.NoError(t, err)
	g := vtgraph.NewGraph("Operation Lantern")
	g.Version = "5.0.0"
	g.GraphDataExtra = map[string]json.RawMessage{"layout": json.RawMessage(`{"zoom":1.5,"center":[10,20]}`)}
	g.AddNode("login-lantern.example", vtgraph.NodeTypeDomain)
	id, err := c.CreateGraph(t.Context(), g)
	require.NoError(t, err)

	env := map[string]string{"VT_API_KEY": vtgraphtest.AliceKey, "VT_BASE_URL": srv.URL()}
	var stdout, stderr bytes.Buffer
	code := cli.Run(t.Context(), []string{"update", id, "--name", "Lantern, renamed"},
		func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())

	stored, ok := srv.Graph(id)
	require.True(t, ok)
	raw, err := json.Marshal(stored.Attributes.GraphData)
	require.NoError(t, err)
	assert.JSONEq(t, `{"description":"Lantern, renamed","version":"5.0.0","layout":{"zoom":1.5,"center":[10,20]}}`, string(raw))
}
