package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// entityIDs returns the ids of g's entity nodes, sorted.
func entityIDs(g *vtgraph.Graph) []string {
	return slices.Sorted(slices.Values(entityNodeIDs(g)))
}

// TestExportSTIXAndCreateFromIt exports a graph as a STIX bundle, the bytes
// stix.Export gives, and builds a new graph from the bundle that holds the
// same entities and hops.
func TestExportSTIXAndCreateFromIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)

	r := f.run(vtgraphtest.AliceKey, "export", id, "--format", "stix")
	requireOK(t, r)
	g, err := f.client(vtgraphtest.AliceKey).GetGraph(t.Context(), id, nil)
	require.NoError(t, err)
	want, _, err := stix.Export(g)
	require.NoError(t, err)
	assert.Equal(t, string(want)+"\n", r.stdout)
	assert.Empty(t, r.stderr, "nothing was left out")
	again := f.run(vtgraphtest.AliceKey, "export", id, "--format", "stix")
	assert.Equal(t, r.stdout, again.stdout, "the same graph gives the same bundle")

	path := filepath.Join(t.TempDir(), "bundle.json")
	require.NoError(t, os.WriteFile(path, []byte(r.stdout), 0o600))
	created := f.run(vtgraphtest.BobKey, "create", "--from-stix", path, "--private", "--json")
	requireOK(t, created)
	assert.Contains(t, created.stderr, "vtgraph: create: from STIX: kept ")
	var out createdJSON
	require.NoError(t, json.Unmarshal([]byte(created.stdout), &out))
	require.NotNil(t, out.STIX)
	assert.Equal(t, 2, out.STIX.Kept["relationship"], "two hops")
	assert.Equal(t, 1, out.STIX.Kept["report"], "the graph")
	assert.Empty(t, out.STIX.Dropped)

	copied, err := f.client(vtgraphtest.BobKey).GetGraph(t.Context(), out.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, g.Description, copied.Description, "named after the bundle's report")
	assert.True(t, copied.Private)
	assert.Equal(t, entityIDs(g), entityIDs(copied))
	assert.Len(t, copied.Links, len(g.Links), "each hop through a relationship node")
}

// TestCreateFromSTIXReportsWhatItDrops shows that objects a graph has no
// place for are listed on stderr and in --json, never dropped in silence.
func TestCreateFromSTIXReportsWhatItDrops(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	bundle := `{"type": "bundle", "id": "bundle--8c4f3e9a-1b2d-4e5f-9a0b-1c2d3e4f5a6b", "objects": [
		{"type": "domain-name", "spec_version": "2.1", "id": "domain-name--3c0a2b7e-55a9-5d1f-8f6e-2f1b9d8c7a61", "value": "drop.example"},
		{"type": "sighting", "spec_version": "2.1", "id": "sighting--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c",
		 "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
		 "sighting_of_ref": "indicator--1f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c"}]}`
	path := filepath.Join(t.TempDir(), "bundle.json")
	require.NoError(t, os.WriteFile(path, []byte(bundle), 0o600))

	r := f.run(vtgraphtest.AliceKey, "create", "--from-stix", path)
	assert.Equal(t, ExitUsage, r.code, "the bundle names no report: %s", r.stderr)
	assert.Contains(t, r.stderr, "--name is required")

	r = f.run(vtgraphtest.AliceKey, "create", "--from-stix", path, "--name", "Sightings", "--json")
	requireOK(t, r)
	assert.Contains(t, r.stderr, "sighting--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c (sighting): ")
	var out createdJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	assert.Equal(t, 1, out.Nodes)
	require.NotNil(t, out.STIX)
	require.Len(t, out.STIX.Dropped, 1)
	assert.Equal(t, "sighting", out.STIX.Dropped[0].Type)
	assert.Equal(t, 1, out.STIX.Kept["domain-name"])
}

func TestCreateFromSTIXErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "bundle.txt")
	require.NoError(t, os.WriteFile(notJSON, []byte("indicator: evil.example"), 0o600))

	r := f.run(vtgraphtest.AliceKey, "create", "--from-stix", notJSON, "--name", "x")
	assert.Equal(t, ExitInvalid, r.code, r.stderr)
	assert.Contains(t, r.stderr, notJSON+": ")

	r = f.run(vtgraphtest.AliceKey, "create", "--from-stix", notJSON, "--indicators", notJSON, "--name", "x")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, "give exactly one of --from, --from-stix and --indicators")
	assert.Empty(t, f.srv.Requests(), "nothing was sent")
}
