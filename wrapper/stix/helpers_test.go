package stix_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/stix"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata")

// assertGolden compares got with testdata/name, rewriting it under -update.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got))
}

// sharedDir returns the read-only data directory next to the module root,
// or skips the test when there is none.
func sharedDir(t testing.TB) string {
	t.Helper()
	shared, ok := sharedPath(t)
	if !ok {
		t.Skipf("no shared data directory at %s", shared)
	}
	return shared
}

// sharedPath returns where the shared data directory is, and whether it is
// there.
func sharedPath(t testing.TB) (string, bool) {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the package")
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared")
	_, err = os.Stat(shared)
	return shared, err == nil
}

// bundleSchemaURL is the $id of the STIX 2.1 bundle schema.
const bundleSchemaURL = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/bundle.json"

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// bundleSchema compiles the STIX 2.1 JSON schemas of the shared data
// directory, each registered under its $id so that their relative $refs
// resolve without a network; nil when the directory is not there.
func bundleSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	shared, ok := sharedPath(t)
	if !ok {
		return nil
	}
	dir := filepath.Join(shared, "stix2.1", "schemas")
	schemaOnce.Do(func() {
		c := jsonschema.NewCompiler()
		schemaErr = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			doc, err := jsonschema.UnmarshalJSON(f)
			if err != nil {
				return err
			}
			id, _ := doc.(map[string]any)["$id"].(string)
			return c.AddResource(id, doc)
		})
		if schemaErr == nil {
			schema, schemaErr = c.Compile(bundleSchemaURL)
		}
	})
	require.NoError(t, schemaErr)
	return schema
}

// assertValidBundle checks a bundle against the STIX 2.1 schemas, when the
// shared data directory is there; the test's other checks run either way.
func assertValidBundle(t testing.TB, data []byte) {
	t.Helper()
	s := bundleSchema(t)
	if s == nil {
		t.Log("no STIX 2.1 schemas in the shared data directory: the bundle is not validated")
		return
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	require.NoError(t, err)
	assert.NoError(t, s.Validate(doc), "%s", data)
}

// export exports g, checks the bundle against the schemas, and returns it.
func export(t testing.TB, g *vtgraph.Graph) ([]byte, *stix.Report) {
	t.Helper()
	data, rep, err := stix.Export(g)
	require.NoError(t, err)
	assertValidBundle(t, data)
	return data, rep
}

// objects decodes a bundle's objects.
func objects(t testing.TB, data []byte) []map[string]any {
	t.Helper()
	var b struct {
		Objects []map[string]any `json:"objects"`
	}
	require.NoError(t, json.Unmarshal(data, &b))
	return b.Objects
}

// byType returns the bundle's objects of one type.
func byType(t testing.TB, data []byte, typ string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, o := range objects(t, data) {
		if o["type"] == typ {
			out = append(out, o)
		}
	}
	return out
}

// The demo graph: a phishing domain resolves to an IP address that served
// a dropper, which talks to a command-and-control domain.
const (
	demoDomain = "login-lantern.example"
	demoIP     = "203.0.113.77"
	demoFile   = "5f2b7c1e9a0d4c3b8e6f1a2d7c9b0e4f3a6d8c1b2e5f7a9c0d3b6e8f1a4c7d2e"
	demoC2     = "cdn-lantern-sync.example"
	// demoID is the id `vtgraph demo` prints for it, and demoSaved the
	// time it saves it: the story starts at 09:00 and saves two steps of
	// seven minutes later.
	demoID = "g3b7db5aede3415e26c8118d31b9f52952a1fdceec7084799f0123cbbfb9ebdfd"
)

var demoSaved = time.Date(2026, time.March, 2, 9, 14, 0, 0, time.UTC)

// demoGraph builds the graph of `vtgraph demo` with the same calls, as it
// is once saved.
func demoGraph(t testing.TB) *vtgraph.Graph {
	t.Helper()
	g := vtgraph.NewGraph("Operation Lantern: phishing to payload")
	for _, n := range []struct {
		id, label string
		typ       vtgraph.NodeType
	}{
		{demoDomain, "phishing landing page", vtgraph.NodeTypeDomain},
		{demoIP, "", vtgraph.NodeTypeIPAddress},
		{demoFile, "lantern-dropper.exe", vtgraph.NodeTypeFile},
		{demoC2, "C2", vtgraph.NodeTypeDomain},
	} {
		g.AddNode(n.id, n.typ).Text = n.label
	}
	g.Node(demoFile).SetHasDetections(true)
	for _, l := range [][3]string{
		{demoDomain, demoIP, "resolutions"},
		{demoIP, demoFile, "communicating_files"},
		{demoFile, demoC2, "contacted_domains"},
	} {
		require.NoError(t, g.AddLink(l[0], l[1], l[2]))
	}
	g.ID = demoID
	g.CreationDate, g.LastModifiedDate = demoSaved, demoSaved
	return g
}
