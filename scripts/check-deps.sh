#!/usr/bin/env bash
# A program that imports only the client, or the client and its STIX
# conversion, must stay light: it must not compile in kin-openapi, testify,
# the code generator or the CLI's cobra and pflag.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
status=0
for pkg in ./wrapper/vtgraph ./wrapper/stix ./gen/vtapi; do
  heavy=$(go list -deps "$pkg" | grep -E 'getkin/kin-openapi|stretchr/testify|oapi-codegen/oapi-codegen|spf13/cobra|spf13/pflag' || true)
  if [ -n "$heavy" ]; then
    echo "check-deps: $pkg pulls in:" >&2
    echo "$heavy" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "check-deps: the client and wrapper/stix compile in no kin-openapi, testify, generator or CLI library"
exit $status
