package stix

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIndent checks indent against json.Indent on compact JSON with every
// construct: nested and empty objects and lists, and strings holding
// brackets, separators, quotes and backslashes.
func TestIndent(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		`{}`, `[]`, `"s"`, `1`,
		`{"a":{},"b":[],"c":[{}],"d":[[1,2],{"e":null}]}`,
		`{"k{":"v}[],:","q":"a\"b\\","\\":"\\\"","u":"\u0000é"}`,
		`[{"type":"x","objects":[{"id":"a--1","refs":["b--2","c--3"]}]},true,false,-1.5e3]`,
	} {
		var want bytes.Buffer
		require.NoError(t, json.Indent(&want, []byte(src), "", "  "))
		assert.Equal(t, want.String(), string(indent([]byte(src))), "%s", src)
	}
}
