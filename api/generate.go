// Package api holds the oapi-codegen configuration that turns the corrected
// spec (spec/openapi.yaml) into the generated packages under gen/. It is the
// one place that says how spec/ becomes gen/: run `go generate ./api` (or
// `make generate`), which uses the generator version pinned in go.mod.
package api

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config client.yaml ../spec/openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config server.yaml ../spec/openapi.yaml
