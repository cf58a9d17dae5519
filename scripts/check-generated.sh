#!/usr/bin/env bash
# Regenerates spec/upstream.yaml, spec/openapi.yaml and gen/ in a scratch copy
# of the tree and fails if anything differs from what is committed: gen/ and
# the corrected spec must never be edited by hand or left stale.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
copy_tree "$root" "$scratch"
rm -f "$scratch"/gen/*/*.gen.go
(cd "$scratch" && make --no-print-directory -s upstream spec generate >/dev/null)
status=0
for dir in spec gen; do
  if ! diff -ru "$root/$dir" "$scratch/$dir" >"$scratch/$dir.diff"; then
    echo "check-generated: $dir/ is not what the pipeline produces:" >&2
    head -40 "$scratch/$dir.diff" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "check-generated: spec/ and gen/ are fresh"
exit $status
