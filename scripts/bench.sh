#!/usr/bin/env bash
# Runs the benchmarks of ./bench and prints the ratio table (see
# docs/BENCHMARKS.md). The test binary is built once and run in rounds, each
# round running every benchmark once, so that slow drift in the machine's
# load spreads over all of them instead of landing on one; benchratio then
# takes medians over the rounds. The raw output, readable by benchstat, is
# saved to BENCH_OUT (default bench/out/latest.txt).
#
# BENCH_ROUNDS (default 5) sets the rounds of the quick benchmarks,
# BENCH_LARGE_ROUNDS (default 2) those of decoding, encoding, merging and
# diffing the 100,000-node graph and of creating one from 100,000
# indicators, and BENCH_SEARCH_ROUNDS (default 3) those of the 10,000-graph
# iteration; the last two take seconds per run. Memory is
# measured in the first round only: it does not vary between rounds and
# costs more than the timed runs for the largest graphs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"

rounds=${BENCH_ROUNDS:-5}
large_rounds=${BENCH_LARGE_ROUNDS:-2}
search_rounds=${BENCH_SEARCH_ROUNDS:-3}
out=${BENCH_OUT:-bench/out/latest.txt}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" ./bench
mkdir -p "$(dirname "$out")"
: >"$tmp/raw.txt"

# run runs the binary with the given flags, appends its output to the raw
# file and echoes the result lines; a failing benchmark stops the script.
run() {
  if ! "$tmp/bench.test" -test.run '^$' -test.benchmem "$@" >"$tmp/part.txt" 2>&1; then
    cat "$tmp/part.txt" >&2
    echo "bench: a benchmark failed" >&2
    exit 1
  fi
  cat "$tmp/part.txt" >>"$tmp/raw.txt"
  grep '^Benchmark' "$tmp/part.txt" >&2 || true
}

start=$SECONDS
for r in $(seq 1 "$rounds"); do
  echo "bench: round $r of $rounds ($((SECONDS - start)) s so far)" >&2
  mem=-bench.mem=false
  [ "$r" -eq 1 ] && mem=-bench.mem=true
  run "$mem" -test.bench '^Benchmark(Decode|Encode)$/^nodes=(1000|10000)$' -test.benchtime 0.3s
  run -test.bench '^BenchmarkValidate$' -test.benchtime 0.3s
  run -test.bench '^BenchmarkDOT$' -test.benchtime 0.3s
  run -test.bench '^BenchmarkGetGraph$' -test.benchtime 1s
  run -test.bench '^BenchmarkReadAhead$' -test.benchtime 0.3s
  if [ "$r" -eq 1 ]; then
    # What it allocates is the same every time; each call reads 64 MiB.
    run -test.bench '^BenchmarkReadPastTheCap$' -test.benchtime 3x
  fi
  run -test.bench '^BenchmarkListEntityRelated$' -test.benchtime 1s
  run -test.bench '^BenchmarkSTIX$' -test.benchtime 0.3s
  run -test.bench '^Benchmark(Merge|Diff)$/^nodes=(1000|10000)$' -test.benchtime 0.3s
  run -test.bench '^BenchmarkSaveGraph$' -test.benchtime 0.5s
  # Both builds run three times in every round, one after the other, each
  # taking under a second: their ratio is a close call, and the machine's
  # speed moves the two apart from one run to the next (see
  # docs/BENCHMARKS.md), so it comes from fifteen runs of each.
  for _ in 1 2 3; do
    run -test.bench '^BenchmarkBuild$/^nodes=1000$' -test.benchtime 0.3s
    run -test.bench '^BenchmarkBuild$/^nodes=100000$' -test.benchtime 2x
  done
  run -test.bench '^BenchmarkCreateIndicators$/^lines=1000$' -test.benchtime 10x
  # Each expansion sends 33 requests at 20 ms, 4 or 8 at a time: about
  # 0.2 s and 0.1 s; the rate-limited one about 0.4 s.
  run -test.bench '^BenchmarkExpand$' -test.benchtime 5x
  run -test.bench '^BenchmarkExpandRateLimited$' -test.benchtime 3x
  if [ "$r" -le "$large_rounds" ]; then
    run "$mem" -test.bench '^Benchmark(Decode|Encode)$/^nodes=100000$' -test.benchtime 1x
    run -test.bench '^Benchmark(Merge|Diff)$/^nodes=100000$' -test.benchtime 1x
    run -test.bench '^BenchmarkCreateIndicators$/^lines=100000$' -test.benchtime 1x
  fi
  if [ "$r" -le "$search_rounds" ]; then
    run -test.bench '^BenchmarkSearchAll$' -test.benchtime 1x
  fi
done
cp "$tmp/raw.txt" "$out"
echo "bench: done in $((SECONDS - start)) s; raw output in $out" >&2
echo
go run ./scripts/benchratio <"$out"
