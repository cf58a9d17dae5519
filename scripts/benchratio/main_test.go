package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
pkg: github.com/vtgraphs/vtgraphs/bench
BenchmarkGetGraph/impl=client-2   	    2432	    500 ns/op	  20.87 MB/s	  100 B/op	     190 allocs/op
BenchmarkGetGraph/impl=raw-2      	    4786	    400 ns/op	  34.98 MB/s	  100 B/op	     200 allocs/op
BenchmarkGetGraph/impl=client-2   	    2432	    700 ns/op	  20.87 MB/s	  100 B/op	     190 allocs/op
BenchmarkGetGraph/impl=raw-2      	    4786	    500 ns/op	  34.98 MB/s	  100 B/op	     200 allocs/op
BenchmarkGetGraph/impl=client-2   	    2432	    550 ns/op	  20.87 MB/s	  100 B/op	     190 allocs/op
BenchmarkGetGraph/impl=raw-2      	    4786	    450 ns/op	  34.98 MB/s	  100 B/op	     200 allocs/op
BenchmarkDecode/nodes=10000/impl=vtgraph-2  	 7	 20000000 ns/op	 54.21 MB/s	 13584488 kept-B/op	 19352112 peak-B/op	 3.5 peak/json	35847384 B/op	 16863 allocs/op
PASS
ok  	github.com/vtgraphs/vtgraphs/bench	70.747s
`

func TestParseAndMedian(t *testing.T) {
	t.Parallel()
	res, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(res.names); got != 3 {
		t.Fatalf("parsed %d benchmarks, want 3: %v", got, res.names)
	}
	if m, n, _ := res.median("BenchmarkGetGraph/impl=client", "ns/op"); m != 550 || n != 3 {
		t.Errorf("median = %v over %d runs, want 550 over 3", m, n)
	}
	if m, _, _ := res.median("BenchmarkDecode/nodes=10000/impl=vtgraph", "peak/json"); m != 3.5 {
		t.Errorf("peak/json = %v, want 3.5", m)
	}
	if _, _, ok := res.median("BenchmarkGetGraph/impl=client", "nope"); ok {
		t.Error("a unit that is not there has a median")
	}
}

func TestMedianOfEven(t *testing.T) {
	t.Parallel()
	res, err := parse(strings.NewReader("BenchmarkX-2 1 1 ns/op\nBenchmarkX-2 1 4 ns/op\nBenchmarkX-2 1 2 ns/op\nBenchmarkX-2 1 9 ns/op\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m, _, _ := res.median("BenchmarkX", "ns/op"); m != 3 {
		t.Errorf("median = %v, want 3", m)
	}
}

func TestReport(t *testing.T) {
	t.Parallel()
	res, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	missing := report(&out, res, []ratio{
		{group: "g", label: "time", num: "BenchmarkGetGraph/impl=client", den: "BenchmarkGetGraph/impl=raw", unit: "ns/op", atMost: 1.10},
		{group: "g", label: "allocs", num: "BenchmarkGetGraph/impl=client", den: "BenchmarkGetGraph/impl=raw", unit: "allocs/op", atMost: 1.25},
		{group: "g", label: "speed-up", num: "BenchmarkGetGraph/impl=raw", den: "BenchmarkGetGraph/impl=client", unit: "ns/op", atLeast: 2},
		{group: "g", label: "peak", num: "BenchmarkDecode/nodes=10000/impl=vtgraph", unit: "peak/json", atMost: 4},
		{group: "g", label: "bytes", num: "BenchmarkGetGraph/impl=client", den: "BenchmarkGetGraph/impl=raw", unit: "B/op"},
		{group: "g", label: "absent", num: "BenchmarkNope", den: "BenchmarkGetGraph/impl=raw", unit: "ns/op", atMost: 1},
	})
	got := out.String()
	for _, want := range []string{
		"| g | time | 1.22× | ≤ 1.10 | **MISS** |",
		"| g | allocs | 0.95× | ≤ 1.25 | PASS |",
		"| g | speed-up | 0.82× | ≥ 2.00 | **MISS** |",
		"| g | peak | 3.50× | ≤ 4.00 | PASS |",
		"| g | bytes | 1.00× | — | info |",
		"| g | absent | missing | ≤ 1.00 | **MISSING** |",
		"2 targets met, 2 missed.",
		"| GetGraph/impl=client | 3 | 550 ns | 100 B | 190 | — |",
		"| Decode/nodes=10000/impl=vtgraph | 1 | 20.0 ms | 34.2 MiB | 16.9 k | 3.50 |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	if len(missing) != 1 || missing[0] != "BenchmarkNope (ns/op)" {
		t.Errorf("missing = %v, want [BenchmarkNope (ns/op)]", missing)
	}
}

func TestEveryRatioNamesBenchmarksOfTheBenchPackage(t *testing.T) {
	t.Parallel()
	for _, q := range ratios() {
		for _, name := range []string{q.num, q.den} {
			if name != "" && !strings.HasPrefix(name, "Benchmark") {
				t.Errorf("%s: %q is not a benchmark name", q.label, name)
			}
		}
	}
}
