package vtgraph

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestGraphBodyMatchesEncodingJSON checks that the request body written in
// one buffer is byte for byte the one encoding/json wraps around the
// attributes, as CreateGraph and SaveGraph wrote it before, and fails where
// encoding/json fails, whatever raw values the graph holds.
func TestGraphBodyMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	var graphs []*Graph
	for _, name := range []string{"spec_get_response.json", "spec_update_response.json", "spec_create_request.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", "graphs", name))
		if err != nil {
			t.Fatal(err)
		}
		env := dataBody[*Graph]{decode: decodeGraphObject}
		if err := env.decodeBody(body); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		env.value.CommentsCount = 3
		if w := writable(env.value); !sameMap(mustSendable(t, w).Extra, w.Extra) {
			t.Errorf("%s: its Extra attributes were rewritten", name)
		}
		graphs = append(graphs, env.value)
	}
	for _, raw := range []string{
		`{"a": 1}`, ` 1`, `"<b>"`, `"a & b"`, "\"\u2028\"", `"x y"`, `"\"<"`, `[1,2]`,
		`{bad`, `"unterminated`, `1 2`, ``, "\"caf\xe9\"",
	} {
		g := NewGraph("odd raw values")
		g.Nodes = []Node{{EntityID: "a", Type: NodeTypeFile, Attributes: EntityAttributes{"k": json.RawMessage(raw)}}}
		g.Extra = map[string]json.RawMessage{"position": json.RawMessage(raw), "null_kept": nil}
		graphs = append(graphs, g)
	}
	for i, g := range graphs {
		for _, id := range []string{"", "g1<2"} {
			got, gotErr := graphBody(g, id)
			want, wantErr := encodeDataJSON(writable(g), id)
			if (gotErr != nil) != (wantErr != nil) || string(got) != string(want) {
				t.Errorf("graph %d, id %q:\n got %s (%v)\nwant %s (%v)", i, id, got, gotErr, want, wantErr)
			}
		}
	}
}

func mustSendable(t *testing.T, w *Graph) *Graph {
	t.Helper()
	s, err := sendable(w)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// encodeDataJSON is graphBody through encoding/json.
func encodeDataJSON(w *Graph, id string) ([]byte, error) {
	attrs, err := w.AttributesJSON()
	if err != nil {
		return nil, err
	}
	if id == "" {
		return encodeData(struct {
			Type       string          `json:"type"`
			Attributes json.RawMessage `json:"attributes"`
		}{"graph", attrs})
	}
	return encodeData(struct {
		Type       string          `json:"type"`
		ID         string          `json:"id"`
		Attributes json.RawMessage `json:"attributes"`
	}{"graph", id, attrs})
}
