#!/usr/bin/env bash
# gofmt, go vet, staticcheck on the hand-written code, kin-openapi validation
# of both specs' structure, and Redocly's OpenAPI linter on the corrected spec.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
root=$(repo_root)
cd "$root"

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.tools/*'))
if [ -n "$unformatted" ]; then
  echo "lint: gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
# staticcheck runs at a pinned version through go run, so it stays out of the
# module's dependencies; generated code is not its business.
STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.8.2
go run "$STATICCHECK" $(go list ./... | grep -v '/gen/')
echo "lint: staticcheck reports nothing outside gen/"
go run github.com/getkin/kin-openapi/cmd/validate spec/openapi.yaml
echo "lint: kin-openapi validates spec/openapi.yaml"

bin=$(npm_tool redocly @redocly/cli@2.77.0)
# No telemetry and no update check: the linter must not reach the network.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  "$bin/redocly" lint --config redocly.yaml --format stylish spec/openapi.yaml
