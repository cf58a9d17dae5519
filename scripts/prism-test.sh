#!/usr/bin/env bash
# prism-test.sh runs the Go tests named Prism* against a Stoplight Prism mock
# of spec/openapi.yaml.
#
# Usage: scripts/prism-test.sh [go test packages...]   (default: ./...)
#
# It installs a pinned @stoplight/prism-cli into .tools/prism (once per
# version), starts `prism mock` on 127.0.0.1 on a free port, waits until it
# answers, runs `go test -run Prism -count=1` with VTGRAPH_PRISM_URL and
# VTGRAPH_REQUIRE_PRISM=1 exported, and always stops the Prism process it
# started (and only that one) when it exits.
#
# Environment:
#   PRISM_VERSION        Prism version to use (default below).
#   PRISM_START_TIMEOUT  Seconds to wait for Prism to answer (default 60).
#   GO_TEST_FLAGS        Extra flags for go test, such as "-v" or "-race".
set -euo pipefail

# 5.14.2 is the newest Prism whose engines field accepts Node 20; later
# releases require Node 24.
PRISM_VERSION="${PRISM_VERSION:-5.14.2}"
PRISM_START_TIMEOUT="${PRISM_START_TIMEOUT:-60}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tools_dir=".tools/prism"
prism_bin="$tools_dir/node_modules/.bin/prism"
prism_pkg="$tools_dir/node_modules/@stoplight/prism-cli/package.json"
spec="spec/openapi.yaml"

log() { printf 'prism-test: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

for tool in node npm curl go; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is required but not on PATH"
done
[[ -f "$spec" ]] || die "$spec not found"

installed_version() {
	[[ -f "$prism_pkg" ]] || return 0
	node -p 'require(process.argv[1]).version' "$root/$prism_pkg" 2>/dev/null || true
}

install_prism() {
	if [[ "$(installed_version)" == "$PRISM_VERSION" && -x "$prism_bin" ]]; then
		log "using @stoplight/prism-cli@$PRISM_VERSION from $tools_dir"
		return
	fi
	log "installing @stoplight/prism-cli@$PRISM_VERSION into $tools_dir"
	mkdir -p "$tools_dir"
	npm install --prefix "$tools_dir" --save-exact --no-audit --no-fund \
		--loglevel=error "@stoplight/prism-cli@$PRISM_VERSION" </dev/null
	[[ "$(installed_version)" == "$PRISM_VERSION" ]] ||
		die "npm did not install @stoplight/prism-cli@$PRISM_VERSION"
}

# free_port asks the kernel for an unused port on 127.0.0.1. Another process
# could take it before Prism binds, so start_prism retries on a bind failure.
free_port() {
	node -e '
		const s = require("net").createServer();
		s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
	'
}

prism_pid=""
prism_log=""
url=""

cleanup() {
	local status=$?
	if [[ -n "$prism_pid" ]] && kill -0 "$prism_pid" 2>/dev/null; then
		kill "$prism_pid" 2>/dev/null || true
		# Give Prism a moment to exit cleanly before insisting.
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$prism_pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -0 "$prism_pid" 2>/dev/null && kill -KILL "$prism_pid" 2>/dev/null
		wait "$prism_pid" 2>/dev/null || true
	fi
	[[ -n "$prism_log" ]] && rm -f "$prism_log"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_prism_log() {
	log "Prism's log (last 100 lines):"
	tail -n 100 "$prism_log" >&2 || true
}

# wait_for_prism polls until Prism answers any HTTP request, Prism exits, or
# the timeout passes. It returns 0 when ready, 1 when Prism exited, 2 on
# timeout.
wait_for_prism() {
	local url=$1 deadline=$((SECONDS + PRISM_START_TIMEOUT)) code
	while ((SECONDS < deadline)); do
		kill -0 "$prism_pid" 2>/dev/null || return 1
		code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/" || true)"
		[[ "$code" != "000" && -n "$code" ]] && return 0
		sleep 0.25
	done
	return 2
}

start_prism() {
	local attempt port rc started=$SECONDS
	prism_log="$(mktemp "${TMPDIR:-/tmp}/prism-log.XXXXXX")"
	for attempt in 1 2 3; do
		port="$(free_port)"
		url="http://127.0.0.1:$port"
		# --errors makes Prism answer requests that violate the spec with an
		# error response (4xx/422) instead of a mock with a warning.
		"$prism_bin" mock -h 127.0.0.1 -p "$port" --errors "$spec" \
			>"$prism_log" 2>&1 </dev/null &
		prism_pid=$!
		rc=0
		wait_for_prism "$url" || rc=$?
		case "$rc" in
		0)
			log "Prism $PRISM_VERSION is listening on $url (pid $prism_pid, up after ~$((SECONDS - started))s)"
			return
			;;
		1)
			wait "$prism_pid" 2>/dev/null || true
			prism_pid=""
			if grep -q EADDRINUSE "$prism_log" && ((attempt < 3)); then
				log "port $port was taken; retrying on another port"
				continue
			fi
			show_prism_log
			die "Prism exited before it answered on $url"
			;;
		*)
			show_prism_log
			die "Prism did not answer on $url within ${PRISM_START_TIMEOUT}s"
			;;
		esac
	done
}

packages=("$@")
((${#packages[@]})) || packages=(./...)

install_prism
start_prism

export VTGRAPH_PRISM_URL="$url"
export VTGRAPH_REQUIRE_PRISM=1
read -r -a extra_flags <<<"${GO_TEST_FLAGS:-}"
if ! go test -run Prism -count=1 ${extra_flags[@]+"${extra_flags[@]}"} "${packages[@]}" </dev/null; then
	show_prism_log
	exit 1
fi
