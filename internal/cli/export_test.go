package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

func TestExport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		args   []string
		golden string
	}{
		{nil, "export.dot"},
		{[]string{"--format", "mermaid"}, "export.mmd"},
		{[]string{"--format", "json"}, "export.json"},
		{[]string{"--json"}, "export.json"},
		{[]string{"--format", "stix"}, "export.stix.json"},
	} {
		// A fresh graph each time, as every export counts as a view.
		id := f.investigation(false)
		r := f.run(vtgraphtest.AliceKey, append([]string{"export", id}, tc.args...)...)
		requireOK(t, r)
		golden(t, tc.golden, strings.ReplaceAll(f.normalize(r.stdout), id, "$ID"))
	}
}

func TestExportToFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	path := filepath.Join(t.TempDir(), "graph.mmd")
	r := f.run(vtgraphtest.AliceKey, "export", id, "--format", "mermaid", "-o", path)
	requireOK(t, r)
	assert.Empty(t, r.stdout)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "flowchart LR\n"))
}

func TestExportBadFormat(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "export", id, "--format", "pdf")
	assert.Equal(t, ExitUsage, r.code)
	assert.Contains(t, r.stderr, `--format must be dot, mermaid, json, stix, svg, png or html, got "pdf"`)
}

// needDot skips a test that draws with Graphviz when dot is not installed,
// except in CI, which installs it.
func needDot(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("dot"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("graphviz dot is required in CI: %v", err)
		}
		t.Skip("graphviz dot not installed")
	}
}

// create saves g as alice and returns its id.
func (f *fixture) create(g *vtgraph.Graph) string {
	f.t.Helper()
	id, err := f.client(vtgraphtest.AliceKey).CreateGraph(context.Background(), g)
	require.NoError(f.t, err)
	return id
}

// twentyIndicators is a graph as 'create --indicators' makes it from a feed
// of twenty indicators: no links at all.
func twentyIndicators(t *testing.T) *vtgraph.Graph {
	t.Helper()
	var lines []string
	for i := range 5 {
		lines = append(lines,
			fmt.Sprintf("%064x", 0xdecafbad+i*7919),
			fmt.Sprintf("198.51.100.%d", 10+i),
			fmt.Sprintf("cdn-%d.login-lantern.example", i),
			fmt.Sprintf("https://login-lantern.example/verify/step-%d?session=4f2a9c1d", i))
	}
	inds, err := ParseIndicators(strings.NewReader(strings.Join(lines, "\n")))
	require.NoError(t, err)
	require.Len(t, inds, 20)
	return graphFromIndicators("Twenty indicators", inds)
}

// TestExportPicturesFit draws the demo's investigation and a graph of twenty
// unlinked indicators as PNG and checks that each fits 2,500 pixels on its
// longer side and is not blank.
func TestExportPicturesFit(t *testing.T) {
	t.Parallel()
	needDot(t)
	f := newFixture(t)
	demo, err := demoGraph()
	require.NoError(t, err)
	for name, g := range map[string]*vtgraph.Graph{"demo": demo, "twenty indicators": twentyIndicators(t)} {
		id := f.create(g)
		path := filepath.Join(t.TempDir(), "graph.png")
		r := f.run(vtgraphtest.AliceKey, "export", id, "-o", path)
		requireOK(t, r)
		assert.Empty(t, r.stderr, "%s: no warnings from dot", name)

		file, err := os.Open(path)
		require.NoError(t, err)
		img, err := png.Decode(file)
		require.NoError(t, file.Close())
		require.NoError(t, err, name)
		b := img.Bounds()
		longer := max(b.Dx(), b.Dy())
		assert.LessOrEqual(t, longer, 2500, "%s: %dx%d", name, b.Dx(), b.Dy())
		assert.GreaterOrEqual(t, longer, 200, "%s: %dx%d is too small to read", name, b.Dx(), b.Dy())
		assert.Greater(t, luminanceStdDev(img), 10.0, "%s: the picture is blank", name)
	}
}

// luminanceStdDev is the standard deviation of the pixels' luminance, 0 to
// 255: 0 for a picture of one colour.
func luminanceStdDev(img image.Image) float64 {
	var sum, sumSq, n float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			sum += l
			sumSq += l * l
			n++
		}
	}
	mean := sum / n
	return math.Sqrt(sumSq/n - mean*mean)
}

func TestExportSVGAndHTML(t *testing.T) {
	t.Parallel()
	needDot(t)
	f := newFixture(t)
	id := f.investigation(false)
	r := f.run(vtgraphtest.AliceKey, "export", id, "--format", "svg")
	requireOK(t, r)
	assert.Contains(t, r.stdout, "<svg")
	require.NoError(t, xml.Unmarshal([]byte(r.stdout), new(struct{})), "well-formed XML")

	path := filepath.Join(t.TempDir(), "graph.html")
	r = f.run(vtgraphtest.AliceKey, "export", id, "-o", path)
	requireOK(t, r)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	page := string(b)
	start, end := strings.Index(page, "<svg"), strings.Index(page, "</svg>")
	require.True(t, start > 0 && end > start, "the SVG is inline")
	assert.NotContains(t, page, "<?xml", "no XML declaration inside HTML")
	// Nothing is loaded from anywhere: the only URL outside the SVG's
	// namespaces is the link to the graph.
	for _, banned := range []string{"<script", "<link", "<img", "src=", "@import", "url("} {
		assert.NotContains(t, page, banned)
	}
	assert.Equal(t, 1, strings.Count(page, "href="), "one link")
	assert.Contains(t, page, `<a href="https://www.virustotal.com/graph/`+id+`">Open in VirusTotal</a>`)
	golden(t, "export.html", strings.ReplaceAll(page[:start]+"<svg>…</svg>"+page[end+len("</svg>"):], id, "$ID"))
}

// TestExportHTMLEscapes gives the page a graph whose name, labels and ids
// are markup.
func TestExportHTMLEscapes(t *testing.T) {
	t.Parallel()
	needDot(t)
	f := newFixture(t)
	g := vtgraph.NewGraph(`</title><script>alert(1)</script>`)
	g.AddNode(`"><script>alert(2)</script>.example`, vtgraph.NodeTypeDomain).Text = `<img src=x onerror=alert(3)>`
	r := f.run(vtgraphtest.AliceKey, "export", f.create(g), "--format", "html")
	requireOK(t, r)
	assert.NotContains(t, r.stdout, "<script")
	assert.NotContains(t, r.stdout, "<img")
	assert.Contains(t, r.stdout, "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
}

func TestExportWithoutGraphviz(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	for _, format := range []string{"svg", "png", "html"} {
		var stdout, stderr bytes.Buffer
		env := map[string]string{EnvAPIKey: vtgraphtest.AliceKey, EnvBaseURL: f.srv.URL()}
		r := newRunner(func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
		r.lookPath = func(string) (string, error) { return "", exec.ErrNotFound }
		code := r.execute(t.Context(), []string{"export", id, "--format", format})
		assert.Equal(t, ExitError, code, format)
		assert.Contains(t, stderr.String(), "vtgraph: export: drawing needs the dot command of Graphviz, which is not installed: install the graphviz package", format)
		assert.Empty(t, stdout.String())
	}
}

func TestExportFormatFromTheFileName(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	dir := t.TempDir()
	for file, prefix := range map[string]string{"g.mmd": "flowchart LR\n", "g.json": "{\n", "g.gv": "digraph ", "g.txt": "digraph "} {
		path := filepath.Join(dir, file)
		requireOK(t, f.run(vtgraphtest.AliceKey, "export", id, "--output", path))
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(b), prefix), "%s: %.20q", file, b)
	}
	// --format wins over the name.
	path := filepath.Join(dir, "really-dot.json")
	requireOK(t, f.run(vtgraphtest.AliceKey, "export", id, "--format", "dot", "-o", path))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "digraph "))
}

func TestExportPNGNotToATerminal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.investigation(false)
	var stdout fakeTerminal
	var stderr strings.Builder
	env := map[string]string{EnvAPIKey: vtgraphtest.AliceKey, EnvBaseURL: f.srv.URL()}
	code := Run(t.Context(), []string{"export", id, "--format", "png"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr.String(), "PNG is binary: write it to a file with -o FILE, or redirect standard output")
	assert.Empty(t, stdout.String())
}

// TestHTMLDetections checks the Detections column of the html export for
// each form of has_detections VirusTotal sends.
func TestHTMLDetections(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{"": "", "true": "yes", "false": "", "0": "", "7": "7", "7.0": "7", "1e2": "100"} {
		n := vtgraph.Node{EntityID: "acme.example", Type: vtgraph.NodeTypeDomain}
		if raw != "" {
			n.Attributes = vtgraph.EntityAttributes{"has_detections": json.RawMessage(raw)}
		}
		assert.Equal(t, want, detections(&n), "has_detections %s", raw)
	}
}
