package bench

import (
	"encoding/json"

	vtgraph "github.com/vtgraphs/vtgraphs/wrapper"
)

// createBody and updateBody write the request bodies of Client.CreateGraph
// and Client.SaveGraph the way those do (wrapper/graphs.go and encodeData
// in wrapper/call.go): the graph's attributes object from its own encoder,
// wrapped by encoding/json. Measuring the body alone keeps Validate, which
// both calls run first and BenchmarkValidate measures, out of the encoding
// figures. The one difference is that the client also leaves out the four
// read-only attributes, a few bytes.

func createBody(g *vtgraph.Graph) ([]byte, error) {
	attrs, err := g.AttributesJSON()
	if err != nil {
		return nil, err
	}
	return encodeData(struct {
		Type       string          `json:"type"`
		Attributes json.RawMessage `json:"attributes"`
	}{"graph", attrs})
}

func updateBody(g *vtgraph.Graph) ([]byte, error) {
	attrs, err := g.AttributesJSON()
	if err != nil {
		return nil, err
	}
	return encodeData(struct {
		Type       string          `json:"type"`
		ID         string          `json:"id"`
		Attributes json.RawMessage `json:"attributes"`
	}{"graph", g.ID, attrs})
}

func encodeData(payload any) ([]byte, error) {
	return json.Marshal(struct {
		Data any `json:"data"`
	}{payload})
}
