// Package bench holds the client's benchmarks; it has no API.
//
// The benchmarks compare the client with what a user would otherwise write,
// in the same run: raw net/http with encoding/json, decoding into
// map[string]any as generic VirusTotal clients do, and plain encoding/json
// into the generated types of gen/vtapi. They live in their own package so
// that `go test ./...` stays fast; `make bench` runs them and prints the
// ratios against the targets, and docs/BENCHMARKS.md explains the figures.
//
// The package's tests check that the generated graphs are valid and
// survive a round trip through every decoder, and through the STIX
// conversion without losing anything, so the benchmarks measure equivalent
// work.
package bench
