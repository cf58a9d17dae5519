# The project's commands. `make demo` runs the walkthrough; `make test` runs
# everything CI checks. Nothing needs installing beyond Go and Node: npm tools
# are installed into .tools/ on first use.

GO ?= go
FUZZTIME ?= 10s

.PHONY: help demo test test-go lint check-generated check-generated-selftest check-deps fuzz prism \
	generate spec upstream bench

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

demo: ## Walk through the whole API against the embedded in-process server (no key, no network).
	$(GO) run ./cmd/vtgraph demo

# test-go runs last so that the go test summary closes the output.
test: lint check-generated check-generated-selftest check-deps fuzz prism test-go ## Everything CI checks.

test-go: ## Unit, contract and integration tests with the race detector.
	$(GO) test -race -count=1 ./...

lint: ## gofmt, go vet, staticcheck, kin-openapi spec validation and Redocly lint.
	bash scripts/lint.sh

check-generated: ## Fail if spec/openapi.yaml or gen/ differ from what the pipeline produces.
	bash scripts/check-generated.sh

check-generated-selftest: ## Show that check-generated catches hand edits and stale output.
	bash scripts/check-generated-selftest.sh

check-deps: ## Fail if the client package compiles in kin-openapi, testify, the generator or a CLI library.
	bash scripts/check-deps.sh

fuzz: ## Run every fuzz target for FUZZTIME (default 10s) each.
	FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh

PRISM_PKGS ?= ./internal/contract ./wrapper/vtgraph

prism: ## Run the client against Stoplight Prism mocking the corrected spec.
	bash scripts/prism-test.sh $(PRISM_PKGS)

upstream: ## Re-indent the flattened upstream seed into spec/upstream.yaml.
	$(GO) run ./scripts/reindent < spec/upstream.flattened.yaml.txt > spec/upstream.yaml

spec: ## Apply spec/overlay.yaml to spec/upstream.yaml, producing spec/openapi.yaml.
	$(GO) run ./scripts/overlay -spec spec/upstream.yaml -overlay spec/overlay.yaml -out spec/openapi.yaml

generate: ## Regenerate gen/ from spec/openapi.yaml with the pinned oapi-codegen.
	$(GO) generate ./api

bench: ## Run the benchmarks and print the ratio table.
	bash scripts/bench.sh
