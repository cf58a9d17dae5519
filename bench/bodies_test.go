package bench

import (
	"encoding/json"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// createBody and updateBody write the request bodies of Client.CreateGraph
// and Client.SaveGraph the way those do (graphBody in wrapper/vtgraph/graph_body.go):
// the graph's attributes object from its own encoder, with the envelope
// written around it, no encoding/json. Measuring the body alone keeps
// Validate, which both calls run first and BenchmarkValidate measures, out of
// the encoding figures. Through the public API the attributes come in their
// own buffer and are copied into the envelope's, a copy of the whole body
// the client does not make; the client instead checks every raw value of
// the graph (the Extra maps and entity attributes) before writing, which
// this leaves out. The client also leaves out the four read-only
// attributes, a few bytes.

func createBody(g *vtgraph.Graph) ([]byte, error) {
	return wrapData(g, `{"data":{"type":"graph","attributes":`)
}

func updateBody(g *vtgraph.Graph) ([]byte, error) {
	id, err := json.Marshal(g.ID)
	if err != nil {
		return nil, err
	}
	return wrapData(g, `{"data":{"type":"graph","id":`+string(id)+`,"attributes":`)
}

func wrapData(g *vtgraph.Graph, head string) ([]byte, error) {
	attrs, err := g.AttributesJSON()
	if err != nil {
		return nil, err
	}
	body := make([]byte, 0, len(head)+len(attrs)+2)
	body = append(body, head...)
	body = append(body, attrs...)
	return append(body, "}}"...), nil
}
