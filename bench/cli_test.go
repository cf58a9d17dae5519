package bench

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vtgraphs/vtgraphs/internal/cli"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraphtest"
)

// indicatorSizes are the list lengths of BenchmarkCreateIndicators.
var indicatorSizes = []int{1_000, 100_000}

// writeIndicators writes a list of n distinct indicators, a quarter each
// hashes, IPv4 addresses, domains and URLs, with a comment and a blank line
// now and then, and returns its path.
func writeIndicators(b *testing.B, n int) string {
	b.Helper()
	rng := rand.New(rand.NewPCG(genSeed, uint64(n)))
	var buf bytes.Buffer
	buf.WriteString("# indicators of the campaign\n")
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&buf, "%016x%016x%016x%016x\n", rng.Uint64(), rng.Uint64(), rng.Uint64(), uint64(i))
		case 1:
			fmt.Fprintf(&buf, "10.%d.%d.%d\n", i>>16&0xff, i>>8&0xff, i&0xff)
		case 2:
			fmt.Fprintf(&buf, "host%d.campaign.example\n", i)
		case 3:
			fmt.Fprintf(&buf, "https://cdn%d.campaign.example/payload/%d.bin\n", i%97, i)
		}
		if i%1000 == 999 {
			buf.WriteString("\n# next batch\n")
		}
	}
	path := filepath.Join(b.TempDir(), "iocs-"+strconv.Itoa(n)+".txt")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkCreateIndicators runs `vtgraph create --indicators FILE` on a
// list of n indicators against the in-memory server: reading and checking
// the list, building one node per line, validating, and creating the graph,
// which the server decodes, stores and sends back.
func BenchmarkCreateIndicators(b *testing.B) {
	for _, n := range indicatorSizes {
		b.Run("lines="+strconv.Itoa(n), func(b *testing.B) {
			path := writeIndicators(b, n)
			srv := vtgraphtest.NewServer(b)
			env := map[string]string{"VT_API_KEY": vtgraphtest.AliceKey, "VT_BASE_URL": srv.URL()}
			getenv := func(k string) string { return env[k] }
			args := []string{"create", "--name", "Campaign IOCs", "--indicators", path}
			var stderr bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				stderr.Reset()
				if code := cli.Run(b.Context(), args, getenv, strings.NewReader(""), io.Discard, &stderr); code != 0 {
					b.Fatalf("exit code %d: %s", code, stderr.String())
				}
			}
		})
	}
}
