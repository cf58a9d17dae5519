package vtgraph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	vtgraph "github.com/vtgraphs/vtgraphs/wrapper"
)

// benchPlainGraph is what a user would write with encoding/json and no care for
// unknown keys: the baseline the Graph decoder is measured against.
type benchPlainGraph struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Attributes struct {
		GraphData struct {
			Description string `json:"description"`
			Version     string `json:"version"`
		} `json:"graph_data"`
		Private          bool             `json:"private"`
		Nodes            []benchPlainNode `json:"nodes"`
		Links            []benchPlainLink `json:"links"`
		CommentsCount    int64            `json:"comments_count"`
		ViewsCount       int64            `json:"views_count"`
		CreationDate     int64            `json:"creation_date"`
		LastModifiedDate int64            `json:"last_modified_date"`
	} `json:"attributes"`
}

type benchPlainNode struct {
	EntityAttributes map[string]any `json:"entity_attributes"`
	EntityID         string         `json:"entity_id"`
	Index            int            `json:"index"`
	Text             string         `json:"text"`
	Type             string         `json:"type"`
	X                float64        `json:"x"`
	Y                float64        `json:"y"`
	FX               *float64       `json:"fx"`
	FY               *float64       `json:"fy"`
}

// benchPlainTypedNode decodes entity_attributes into a struct, the cheapest
// baseline (it cannot take has_detections as an integer).
type benchPlainTypedNode struct {
	EntityAttributes struct {
		HasDetections bool   `json:"has_detections"`
		TypeTag       string `json:"type_tag"`
		Country       string `json:"country"`
	} `json:"entity_attributes"`
	EntityID string   `json:"entity_id"`
	Index    int      `json:"index"`
	Text     string   `json:"text"`
	Type     string   `json:"type"`
	X        float64  `json:"x"`
	Y        float64  `json:"y"`
	FX       *float64 `json:"fx"`
	FY       *float64 `json:"fy"`
}

type benchPlainLink struct {
	ConnectionType string `json:"connection_type"`
	Source         string `json:"source"`
	Target         string `json:"target"`
}

// graphJSON10k is a 10,000-node graph shaped like the UI's output.
func graphJSON10k() []byte {
	var b strings.Builder
	b.WriteString(`{"type":"graph","id":"g3ad78ce6c21ae675e81ac376a6fc016c37befa6dc87484b95a2b069f8d04ef44","attributes":{`)
	b.WriteString(`"graph_data":{"description":"bench","version":"5.0.0"},"private":true,"comments_count":0,"views_count":3,`)
	b.WriteString(`"creation_date":1599060646,"last_modified_date":1599117623,"position":{"x":1,"y":2,"scale":"1"},"nodes":[`)
	const n = 10_000
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%2 == 1 {
			fmt.Fprintf(&b, `{"entity_attributes":{},"entity_id":"relationships_resolutions_host%dexample","index":%d,"text":"","type":"relationship","x":%v,"y":%v}`,
				i-1, i, float64(i)*-27.425258029385414, float64(i)*1.7339803589372877)
			continue
		}
		fmt.Fprintf(&b, `{"entity_attributes":{"has_detections":%t,"type_tag":"text","country":"OM"},"entity_id":"host%d.example","fx":%v,"fy":%v,"index":%d,"text":"node %d","type":"domain","x":%v,"y":%v}`,
			i%3 == 0, i, float64(i)*-60.42155469411466, float64(i)*4.4, i, i, float64(i)*-60.42155469411466, float64(i)*4.4)
	}
	b.WriteString(`],"links":[`)
	for i := 1; i < n; i += 2 {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"connection_type":"resolutions","source":"host%d.example","target":"relationships_resolutions_host%dexample"},`, i-1, i-1)
		fmt.Fprintf(&b, `{"connection_type":"resolutions","source":"relationships_resolutions_host%dexample","target":"host%d.example"}`, i-1, (i+1)%n)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// BenchmarkDecodeGraph10k compares decoding into Graph with decoding the
// same document into plain structs:
//
//	go test ./wrapper -run '^$' -bench DecodeGraph10k -benchmem -count 5
func BenchmarkDecodeGraph10k(b *testing.B) {
	data := graphJSON10k()
	b.Run("vtgraph.Graph", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var g vtgraph.Graph
			if err := json.Unmarshal(data, &g); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain-map-attrs", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var g benchPlainGraph
			if err := json.Unmarshal(data, &g); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain-struct-attrs", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var g struct {
				Attributes struct {
					Nodes []benchPlainTypedNode `json:"nodes"`
					Links []benchPlainLink      `json:"links"`
				} `json:"attributes"`
			}
			if err := json.Unmarshal(data, &g); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkEncodeGraph10k(b *testing.B) {
	var g vtgraph.Graph
	if err := json.Unmarshal(graphJSON10k(), &g); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(&g); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate100k(b *testing.B) {
	g := chainGraph(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := g.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchmarkGraphIsValid keeps the benchmark input honest.
func TestBenchmarkGraphIsValid(t *testing.T) {
	t.Parallel()
	var g vtgraph.Graph
	if err := json.Unmarshal(graphJSON10k(), &g); err != nil {
		t.Fatal(err)
	}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
}
