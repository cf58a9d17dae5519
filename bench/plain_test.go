package bench

import "encoding/json"

// The plain* types are what a user calling the API with net/http and
// encoding/json would write: one field per field of vtgraph.Graph, with
// entity_attributes kept raw as the client keeps them, and nothing for keys
// the struct does not name, which a round trip therefore loses. They are
// the baseline of the per-call benchmark and the "struct" reference row of
// the codec benchmarks.

type plainResponse struct {
	Data plainGraph `json:"data"`
}

type plainRequest struct {
	Data plainGraph `json:"data"`
}

type plainGraph struct {
	Type       string          `json:"type"`
	ID         string          `json:"id,omitempty"`
	Attributes plainAttributes `json:"attributes"`
}

type plainAttributes struct {
	GraphData struct {
		Description string `json:"description"`
		Version     string `json:"version,omitempty"`
	} `json:"graph_data"`
	Private          bool        `json:"private"`
	CommentsCount    int64       `json:"comments_count,omitempty"`
	ViewsCount       int64       `json:"views_count,omitempty"`
	CreationDate     int64       `json:"creation_date,omitempty"`
	LastModifiedDate int64       `json:"last_modified_date,omitempty"`
	Nodes            []plainNode `json:"nodes"`
	Links            []plainLink `json:"links"`
}

type plainNode struct {
	EntityAttributes map[string]json.RawMessage `json:"entity_attributes"`
	EntityID         string                     `json:"entity_id"`
	FX               *float64                   `json:"fx,omitempty"`
	FY               *float64                   `json:"fy,omitempty"`
	Index            int                        `json:"index"`
	Text             string                     `json:"text"`
	Type             string                     `json:"type"`
	X                float64                    `json:"x"`
	Y                float64                    `json:"y"`
}

type plainLink struct {
	ConnectionType string `json:"connection_type"`
	Source         string `json:"source"`
	Target         string `json:"target"`
}
