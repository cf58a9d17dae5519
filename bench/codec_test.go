package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"runtime"
	"testing"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// codecSizes are the graph sizes of the decode, encode and validate
// benchmarks: a large investigation, a very large one, and a stress size.
var codecSizes = []int{1_000, 10_000, 100_000}

// The decoders compared. Each is prepared with a GET /graphs/{id} response
// body and returns a function that reads it from an io.Reader, as a client
// gets it from net/http, and decodes the graph.
var decoders = []struct {
	impl    string
	prepare func(body []byte) func() (any, error)
}{
	// The client: GetGraph, answered from memory by memDoer, so the figure
	// is the client's own work, request to decoded Graph, without a network.
	{"vtgraph", func(body []byte) func() (any, error) {
		c, err := vtgraph.New("bench-key", vtgraph.WithDoer(memDoer{body: body}), vtgraph.WithoutRetries())
		return func() (any, error) {
			if err != nil {
				return nil, err
			}
			return c.GetGraph(context.Background(), benchGraphID, nil)
		}
	}},
	// For reference: Graph.UnmarshalJSON alone on the graph object, the
	// hand-written decoder without the response envelope around it.
	{"codec", func(body []byte) func() (any, error) {
		object := body[len(`{"data":`) : len(body)-1]
		return func() (any, error) {
			g := new(vtgraph.Graph)
			return g, g.UnmarshalJSON(object)
		}
	}},
	// The oapi-codegen types of gen/vtapi with plain encoding/json; their
	// generated UnmarshalJSON keeps unknown keys in AdditionalProperties.
	{"generated", func(body []byte) func() (any, error) {
		return func() (any, error) {
			var r vtapi.GraphResponse
			return &r, readJSON(body, &r)
		}
	}},
	// map[string]any, what generic clients such as vt-go hand out.
	{"map", func(body []byte) func() (any, error) {
		return func() (any, error) {
			var r map[string]any
			return r, readJSON(body, &r)
		}
	}},
	// For reference: encoding/json into plain structs that drop every key
	// they do not name. It is not lossless, so no target is set against it.
	{"struct", func(body []byte) func() (any, error) {
		return func() (any, error) {
			var r plainResponse
			return &r, readJSON(body, &r)
		}
	}},
}

// benchGraphID is the id GetGraph asks memDoer for; memDoer does not look.
const benchGraphID = "g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44"

// readJSON reads body as a net/http user does and decodes it into v.
func readJSON(body []byte, v any) error {
	data, err := io.ReadAll(bytes.NewReader(body))
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// BenchmarkDecode decodes a GET /graphs/{id} response body.
func BenchmarkDecode(b *testing.B) {
	for _, n := range codecSizes {
		body := graphFixture(n).body
		for _, d := range decoders {
			b.Run(sizeName(n)+"/impl="+d.impl, func(b *testing.B) {
				warmUp(b, d.prepare(smallGraphBody()))
				decode := d.prepare(body)
				op := func() any {
					v, err := decode()
					if err != nil {
						b.Fatal(err)
					}
					return v
				}
				mem := measureMemory(len(body), op)
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for b.Loop() {
					op()
				}
				runtime.ReadMemStats(&after)
				mem.report(b)
				// B/json is B/op per byte of the body, which compares
				// across sizes: a decoder whose slices regrow allocates
				// more of it the larger the graph.
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(body)), "B/json")
			})
		}
	}
}

// warmUp runs op once on a small graph, so that one-time costs such as
// encoding/json's type caches are not counted by measureMemory.
func warmUp[T any](b *testing.B, op func() (T, error)) {
	b.Helper()
	if _, err := op(); err != nil {
		b.Fatal(err)
	}
}

// The encoders compared. Each is built from a graph decoded from the same
// document and writes a create or a full update request body.
type encoder struct {
	impl string
	// prepare decodes the graph object once and returns the function that
	// writes the body; update selects the PATCH body, which carries the id.
	prepare func(object []byte, update bool) (func() ([]byte, error), error)
}

var encoders = []encoder{
	// The client's request bodies; see bodies_test.go.
	{"vtgraph", func(object []byte, update bool) (func() ([]byte, error), error) {
		var g vtgraph.Graph
		if err := json.Unmarshal(object, &g); err != nil {
			return nil, err
		}
		if update {
			return func() ([]byte, error) { return updateBody(&g) }, nil
		}
		return func() ([]byte, error) { return createBody(&g) }, nil
	}},
	// For reference: Graph.MarshalJSON alone, the hand-written encoder
	// writing the graph object (type, id and attributes, about the size of
	// either body) into a buffer sized up front, without encoding/json.
	{"codec", func(object []byte, _ bool) (func() ([]byte, error), error) {
		var g vtgraph.Graph
		if err := g.UnmarshalJSON(object); err != nil {
			return nil, err
		}
		return g.MarshalJSON, nil
	}},
	// The oapi-codegen request types of gen/vtapi, with encoding/json.
	{"generated", func(object []byte, update bool) (func() ([]byte, error), error) {
		var g vtapi.Graph
		if err := json.Unmarshal(object, &g); err != nil {
			return nil, err
		}
		if update {
			var req vtapi.GraphUpdateRequest
			req.Data.Type = "graph"
			req.Data.Id = g.Id
			req.Data.Attributes = g.Attributes
			return func() ([]byte, error) { return json.Marshal(&req) }, nil
		}
		req := vtapi.GraphCreateRequest{Data: vtapi.GraphCreateRequest_Data{Type: "graph", Attributes: g.Attributes}}
		return func() ([]byte, error) { return json.Marshal(&req) }, nil
	}},
	// The decoded map[string]any, put back in a request envelope.
	{"map", func(object []byte, update bool) (func() ([]byte, error), error) {
		var g map[string]any
		if err := json.Unmarshal(object, &g); err != nil {
			return nil, err
		}
		data := map[string]any{"type": "graph", "attributes": g["attributes"]}
		if update {
			data["id"] = g["id"]
		}
		req := map[string]any{"data": data}
		return func() ([]byte, error) { return json.Marshal(req) }, nil
	}},
	// For reference: plain structs, which have lost the unknown keys.
	{"struct", func(object []byte, update bool) (func() ([]byte, error), error) {
		var g plainGraph
		if err := json.Unmarshal(object, &g); err != nil {
			return nil, err
		}
		req := plainRequest{Data: g}
		if !update {
			req.Data.ID = ""
		}
		return func() ([]byte, error) { return json.Marshal(&req) }, nil
	}},
}

// BenchmarkEncode writes the body of a create (POST /graphs) and of a full
// update (PATCH /graphs/{id}) of a graph; peak/json is relative to the size
// of the body written.
func BenchmarkEncode(b *testing.B) {
	for _, n := range codecSizes {
		object := graphFixture(n).object
		for _, body := range []string{"create", "update"} {
			for _, e := range encoders {
				b.Run(sizeName(n)+"/body="+body+"/impl="+e.impl, func(b *testing.B) {
					small, err := e.prepare(graphFixture(smallGraphNodes).object, body == "update")
					if err != nil {
						b.Fatal(err)
					}
					warmUp(b, small)
					encode, err := e.prepare(object, body == "update")
					if err != nil {
						b.Fatal(err)
					}
					var size int
					op := func() any {
						out, err := encode()
						if err != nil {
							b.Fatal(err)
						}
						size = len(out)
						return out
					}
					op() // learn the size of the body
					mem := measureMemory(size, op)
					b.SetBytes(int64(size))
					b.ReportAllocs()
					for b.Loop() {
						op()
					}
					mem.report(b)
				})
			}
		}
	}
}
