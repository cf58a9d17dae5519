package vtgraph_test

import (
	"encoding/json"
	"testing"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// FuzzDecodeValidate feeds arbitrary bytes to the graph decoder, then runs
// everything a loaded graph goes through. Nothing may panic, the decoder
// must accept only valid JSON, and encoding must be stable.
func FuzzDecodeValidate(f *testing.F) {
	for _, name := range []string{
		"spec_create_request.json", "spec_get_response.json", "spec_update_response.json",
		"spec_update_request.json", "unknown_attributes.json",
	} {
		f.Add(readGraphFile(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var g vtgraph.Graph
		// Calling UnmarshalJSON directly skips the check json.Unmarshal
		// makes first, so the scanner meets malformed input too.
		if err := g.UnmarshalJSON(data); err != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("decoder accepted invalid JSON %q", data)
		}
		_ = g.Validate()
		_ = g.DOT()
		_ = g.Mermaid()
		for i := range g.Nodes {
			_ = g.Neighbours(g.Nodes[i].EntityID)
			_ = g.Related(g.Nodes[i].EntityID)
			_ = g.GroupMembers(g.Nodes[i].EntityID)
			_, _ = g.Nodes[i].Commonalities()
			_, _ = g.Nodes[i].Attributes.HasDetections()
			_, _ = g.Nodes[i].Attributes.DetectionCount()
			_ = g.Nodes[i].EntityType()
		}
		if len(g.Nodes) > 1 {
			_ = g.Path(g.Nodes[0].EntityID, g.Nodes[len(g.Nodes)-1].EntityID)
		}
		// Editing a loaded graph, whatever it holds, never panics.
		var edited vtgraph.Graph
		if err := edited.UnmarshalJSON(data); err != nil {
			t.Fatal(err)
		}
		if len(edited.Links) > 0 {
			l := edited.Links[0]
			edited.RemoveLink(l.Source, l.Target, l.ConnectionType)
		}
		if len(edited.Nodes) > 0 {
			edited.RemoveNode(edited.Nodes[0].EntityID)
		}
		if len(edited.Nodes) > 1 {
			_ = edited.AddLink(edited.Nodes[0].EntityID, edited.Nodes[1].EntityID, "resolutions")
			_, _ = edited.AddGroup("group", edited.Nodes[1].EntityID)
		}
		edited.DedupLinks()
		_ = edited.Validate()
		out, err := json.Marshal(&g)
		if err != nil {
			t.Fatalf("encoding a decoded graph: %v", err)
		}
		var back vtgraph.Graph
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decoding our own output %s: %v", out, err)
		}
		again, err := json.Marshal(&back)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(again) {
			t.Fatalf("encoding is not stable:\n%s\n%s", out, again)
		}
	})
}
