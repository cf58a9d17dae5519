package stix

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMembers checks the splitter against encoding/json on objects of
// every shape, compact and indented.
func TestMembers(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		`{}`, ` { } `, `{"a":1}`, `{"a":-1.5e3,"b":true,"c":null}`,
		`{"a":"x","b":{"c":[1,{"d":"}"}]},"e":[]}`,
		`{"k\"ey":"v\\","é":"\u00e9","s":"a,b:c]d}"}`,
		"{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": \"d\"\n  }\n}",
		`{"a":1,"a":2}`,
	} {
		var want map[string]json.RawMessage
		if err := json.Unmarshal([]byte(src), &want); err != nil {
			t.Fatal(err)
		}
		got, ok := members([]byte(src))
		assert.True(t, ok, "%s", src)
		assert.Len(t, got, len(want), "%s", src)
		for k, v := range want {
			assert.JSONEq(t, string(v), string(got[k]), "%s: %s", src, k)
		}
	}
	for _, src := range []string{`1`, `"s"`, `[]`, `null`} {
		_, ok := members([]byte(src))
		assert.False(t, ok, "%s", src)
	}
}

func TestEachObject(t *testing.T) {
	t.Parallel()
	for _, src := range []string{`[]`, `[ ]`, `[1]`, `[1,"a",{"b":[2,3]},[],null,true]`, "[\n  {\n    \"a\": 1\n  },\n  2\n]"} {
		var want []json.RawMessage
		if err := json.Unmarshal([]byte(src), &want); err != nil {
			t.Fatal(err)
		}
		var got []map[string]json.RawMessage
		eachObject([]byte(src), func(i int, props map[string]json.RawMessage) {
			assert.Equal(t, len(got), i)
			got = append(got, props)
		})
		require.Len(t, got, len(want), "%s", src)
		for i := range want {
			props, ok := members(want[i])
			assert.Equal(t, props, got[i], "%s: element %d", src, i)
			assert.Equal(t, ok, got[i] != nil, "%s: element %d", src, i)
		}
	}
}
