#!/usr/bin/env bash
# Shows that check-generated.sh catches each kind of drift: a hand edit of
# gen/, a hand edit of the corrected spec, and an overlay change that was not
# regenerated. Each runs in its own scratch copy; the tree is never touched.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)

expect_failure() {
  local what=$1 edit=$2 scratch
  scratch=$(mktemp -d)
  copy_tree "$root" "$scratch"
  (cd "$scratch" && eval "$edit")
  if (cd "$scratch" && bash scripts/check-generated.sh >/dev/null 2>&1); then
    rm -rf "$scratch"
    echo "check-generated-selftest: FAIL: $what went unnoticed" >&2
    return 1
  fi
  rm -rf "$scratch"
  echo "check-generated-selftest: ok: $what is caught"
}

expect_failure "a hand edit of gen/" 'echo "// edited by hand" >> gen/vtapi/vtapi.gen.go'
expect_failure "a hand edit of spec/openapi.yaml" 'sed -i "s/maximum: 40/maximum: 41/" spec/openapi.yaml'
expect_failure "an overlay change without regenerating" 'sed -i "s/maximum: 40}/maximum: 50}/" spec/overlay.yaml'
expect_failure "a hand edit of spec/upstream.yaml" 'sed -i "s/operationId: graphsInfo/operationId: graphsGet/" spec/upstream.yaml'
