#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a bounded time each
# (FUZZTIME, default 10s). A crasher fails the run; `go test` saves it under
# the package's testdata/fuzz/<Target>/ so it becomes a regression seed.
#
# Go 1.26's fuzz coordinator can report "context deadline exceeded" when
# -fuzztime ends while a worker is mid-call (go.dev/issue/75804, fixed in Go
# 1.27), with no crasher written. A failure counts only when a reproducer file
# appeared; that race alone is retried once and then reported as a flake.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
fuzztime=${FUZZTIME:-10s}
count=0
flaked=0

# run_target PKG TARGET runs one target and classifies a failure.
run_target() {
  local pkg=$1 target=$2 dir log before status
  dir="$(go list -f '{{.Dir}}' "$pkg")/testdata/fuzz/$target"
  log=$(mktemp)
  for attempt in 1 2; do
    before=$(ls "$dir" 2>/dev/null | sort || true)
    status=0
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$log" || status=$?
    [ "$status" -eq 0 ] && { rm -f "$log"; return 0; }
    if [ "$(ls "$dir" 2>/dev/null | sort || true)" != "$before" ]; then
      echo "fuzz: $target wrote a reproducer under ${dir#"$PWD"/}" >&2
      rm -f "$log"
      return 1
    fi
    if ! grep -q 'context deadline exceeded' "$log"; then
      rm -f "$log"
      return 1
    fi
    echo "fuzz: $target hit the fuzz coordinator's deadline race (no reproducer written); attempt $attempt" >&2
  done
  rm -f "$log"
  flaked=$((flaked + 1))
}

for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "fuzz: $pkg $target for $fuzztime"
    run_target "$pkg" "$target"
    count=$((count + 1))
  done
done
echo "fuzz: $count targets, $fuzztime each, no crasher ($flaked hit only the coordinator's deadline race twice)"
