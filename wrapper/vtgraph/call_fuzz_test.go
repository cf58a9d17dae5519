package vtgraph

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzOwnedGraphBody decodes arbitrary GET /graphs/{id} bodies the way the
// client does, the scanner cutting the graph's strings and raw values out of
// the body it was handed rather than out of a copy. It checks that only
// valid JSON decodes, that the graph is the one Graph.UnmarshalJSON decodes
// from the data member, and that writing into the raw values the graph hands
// out, in place or by appending, changes no string of the graph and no other
// raw value.
func FuzzOwnedGraphBody(f *testing.F) {
	for _, name := range []string{"spec_get_response.json", "spec_update_response.json", "spec_create_response.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", "graphs", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte(`{"data":{"type":"graph","id":"g1","attributes":{"nodes":[{"entity_id":"a","entity_attributes":{"k":"v"},"x":1}],"links":[],"z":[1]}},"meta":{}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		owned := bytes.Clone(body)
		env := dataBody[*Graph]{decode: decodeGraphObject}
		if err := env.decodeBody(owned); err != nil {
			return
		}
		if !json.Valid(body) {
			t.Fatalf("decoded invalid JSON %q", body)
		}
		g := env.value
		got, err := g.MarshalJSON()
		if err != nil {
			return // a float out of range, say: encoding refuses it either way
		}
		var member struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &member); err != nil {
			t.Fatalf("the owned decoder accepted %q, encoding/json did not: %v", body, err)
		}
		var copied Graph
		if err := copied.UnmarshalJSON(member.Data); err != nil {
			t.Fatalf("the owned decoder accepted %q, Graph.UnmarshalJSON did not: %v", member.Data, err)
		}
		want, err := copied.MarshalJSON()
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("owned and copying decoders differ:\n%s\n%s (%v)", got, want, err)
		}

		strs := graphStrings(g)
		raws := graphRaws(g)
		before := make([]string, len(raws))
		for i, r := range raws {
			before[i] = string(*r)
		}
		for i, r := range raws {
			for j := range *r {
				(*r)[j] = '#'
			}
			*r = append(*r, "##"...)
			if got := graphStrings(g); !slices.Equal(got, strs) {
				t.Fatalf("writing into raw value %d changed the graph's strings:\n%q\n%q", i, got, strs)
			}
			for k, other := range raws[i+1:] {
				if string(*other) != before[i+1+k] {
					t.Fatalf("writing into raw value %d changed raw value %d", i, i+1+k)
				}
			}
		}
	})
}

// TestGraphUnmarshalJSONCopiesItsInput shows that Graph.UnmarshalJSON,
// unlike the client's own decoding, leaves the caller free to reuse its
// input.
func TestGraphUnmarshalJSONCopiesItsInput(t *testing.T) {
	t.Parallel()
	data := []byte(`{"type":"graph","id":"g1","attributes":{"nodes":[{"entity_id":"a","type":"file","entity_attributes":{"k":"v"}}],"p":[1]}}`)
	var g Graph
	if err := g.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	want, err := g.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = 'x'
	}
	if got, _ := g.MarshalJSON(); !bytes.Equal(got, want) {
		t.Errorf("overwriting the input changed the graph:\n%s\n%s", got, want)
	}
}

// graphStrings copies every string field of g.
func graphStrings(g *Graph) []string {
	out := []string{g.ID, g.Description, g.Version}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		out = append(out, n.EntityID, string(n.Type), n.Text)
	}
	for i := range g.Links {
		l := &g.Links[i]
		out = append(out, l.Source, l.Target, l.ConnectionType)
	}
	for i, s := range out {
		out[i] = strings.Clone(s)
	}
	return out
}

// graphRaws returns every raw value g holds, each a copy of the slice
// header in its map: writing through it reaches the bytes the map's value
// refers to.
func graphRaws(g *Graph) []*json.RawMessage {
	var out []*json.RawMessage
	add := func(m map[string]json.RawMessage) {
		for _, k := range sortedKeys(m) {
			v := m[k]
			out = append(out, &v)
		}
	}
	add(g.ObjectExtra)
	add(g.Extra)
	add(g.GraphDataExtra)
	for i := range g.Nodes {
		add(g.Nodes[i].Attributes)
		add(g.Nodes[i].Extra)
	}
	for i := range g.Links {
		add(g.Links[i].Extra)
	}
	return out
}
