package vtgraph_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// trickyGraph has entity ids and labels with every character DOT and
// Mermaid treat specially.
func trickyGraph(t *testing.T) *vtgraph.Graph {
	t.Helper()
	g := buildInvestigation(t)
	g.ID = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"
	n := g.AddNode(`http://evil.example/a"b\c?d=<e>&f|g#h`+"`", vtgraph.NodeTypeCustom)
	n.Text = "two\nlines \"quoted\" \\"
	require.NoError(t, g.AddLink(hooliURL, n.EntityID, "redirects_to"))
	return g
}

func TestDOTGolden(t *testing.T) {
	t.Parallel()
	assertGraphGolden(t, "investigation.golden.dot", []byte(trickyGraph(t).DOT()))
}

func TestMermaidGolden(t *testing.T) {
	t.Parallel()
	assertGraphGolden(t, "investigation.golden.mmd", []byte(trickyGraph(t).Mermaid()))
}

// TestDOTRendersWithGraphviz proves the DOT output, escapes included, is
// accepted by Graphviz itself.
func TestDOTRendersWithGraphviz(t *testing.T) {
	t.Parallel()
	dot, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("graphviz dot is required in CI: %v", err)
		}
		t.Skip("graphviz dot not installed")
	}
	tests := []struct {
		name string
		g    *vtgraph.Graph
	}{
		{"tricky", trickyGraph(t)},
		{"spec example", decodeGraph(t, readGraphFile(t, "spec_create_request.json"))},
		{"empty", vtgraph.NewGraph("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			cmd := exec.CommandContext(ctx, dot, "-Tsvg")
			cmd.Stdin = bytes.NewReader([]byte(tt.g.DOT()))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			require.NoError(t, err, stderr.String())
			assert.Empty(t, stderr.String(), "dot warnings")
			assert.Contains(t, string(out), "<svg")
		})
	}
}

func TestGraphURL(t *testing.T) {
	t.Parallel()
	const id = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"
	assert.Equal(t, "https://www.virustotal.com/graph/"+id, vtgraph.GraphURL(id))
	assert.Equal(t, "https://www.virustotal.com/graph/a%2Fb%22", vtgraph.GraphURL(`a/b"`))
	assert.Equal(t, `<iframe src="https://www.virustotal.com/graph/embed/`+id+`" width="800" height="600"></iframe>`, vtgraph.EmbedHTML(id))
	assert.Equal(t, `<iframe src="https://www.virustotal.com/graph/embed/%22%3E%3Cscript%3E" width="800" height="600"></iframe>`, vtgraph.EmbedHTML(`"><script>`))
}

func TestJSONExport(t *testing.T) {
	t.Parallel()
	g := buildInvestigation(t)
	out, err := g.JSON()
	require.NoError(t, err)
	back := decodeGraph(t, out)
	again, err := back.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(out), string(again))
	assert.Contains(t, string(out), "\n  \"attributes\": {")
}
