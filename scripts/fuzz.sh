#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a bounded time each
# (FUZZTIME, default 10s). A crasher fails the run; `go test` saves it under
# the package's testdata/fuzz/<Target>/ so it becomes a regression seed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
fuzztime=${FUZZTIME:-10s}
count=0
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "fuzz: $pkg $target for $fuzztime"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
    count=$((count + 1))
  done
done
echo "fuzz: $count targets, $fuzztime each, no crasher"
