package bench

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// The generated graphs are shaped like the ones the VirusTotal UI saves:
// entity nodes (files, domains, IP addresses, URLs) expanded through
// relationship nodes that have one link in from the expanded entity and
// links out to related entities, some new and some already in the graph; a
// few commonality nodes that only link out; a few manual links; coordinates
// as full-precision doubles, some nodes pinned; has_detections as a bool or
// an integer count. Links are about twice the nodes. The same size always
// gives the same bytes.

// genSeed fixes the pseudo-random sequence of every generated graph.
const genSeed = 20240229

// fixture is one generated graph in the forms the benchmarks use.
type fixture struct {
	nodes, links int
	// object is the graph object, {"type":"graph","id":…,"attributes":…}.
	object []byte
	// body is the GET /graphs/{id} response, {"data": object}.
	body []byte
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*fixture{}
)

// graphFixture returns the generated graph with n nodes, built once per
// process.
func graphFixture(n int) *fixture {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[n]; ok {
		return f
	}
	obj := generateGraph(n, genSeed)
	object, err := json.Marshal(obj)
	if err != nil {
		panic(err)
	}
	body, err := json.Marshal(map[string]json.RawMessage{"data": object})
	if err != nil {
		panic(err)
	}
	f := &fixture{nodes: len(obj.Attributes.Nodes), links: len(obj.Attributes.Links), object: object, body: body}
	fixtures[n] = f
	return f
}

// The gen* types fix the key order of the generated JSON. They are only the
// generator's; the benchmarks decode into the client's, the generated and
// generic types.
type genObject struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Links      map[string]string `json:"links"`
	Attributes genAttributes     `json:"attributes"`
}

type genAttributes struct {
	GraphData        genGraphData   `json:"graph_data"`
	Private          bool           `json:"private"`
	CommentsCount    int            `json:"comments_count"`
	ViewsCount       int            `json:"views_count"`
	CreationDate     int64          `json:"creation_date"`
	LastModifiedDate int64          `json:"last_modified_date"`
	Position         map[string]any `json:"position"`
	Nodes            []genNode      `json:"nodes"`
	Links            []genLink      `json:"links"`
}

type genGraphData struct {
	Description string `json:"description"`
	Version     string `json:"version"`
}

type genNode struct {
	EntityAttributes map[string]any `json:"entity_attributes"`
	EntityID         string         `json:"entity_id"`
	FX               *float64       `json:"fx,omitempty"`
	FY               *float64       `json:"fy,omitempty"`
	Index            int            `json:"index"`
	Text             string         `json:"text"`
	Type             string         `json:"type"`
	X                float64        `json:"x"`
	Y                float64        `json:"y"`
}

type genLink struct {
	ConnectionType string `json:"connection_type"`
	Source         string `json:"source"`
	Target         string `json:"target"`
}

// relationsOf lists, per entity type, the relationships the UI expands and
// the type of entity each leads to.
var relationsOf = map[vtgraph.NodeType][]struct {
	conn string
	to   vtgraph.NodeType
}{
	vtgraph.NodeTypeFile: {
		{"contacted_domains", vtgraph.NodeTypeDomain}, {"contacted_ips", vtgraph.NodeTypeIPAddress},
		{"contacted_urls", vtgraph.NodeTypeURL}, {"execution_parents", vtgraph.NodeTypeFile},
	},
	vtgraph.NodeTypeDomain: {
		{"resolutions", vtgraph.NodeTypeIPAddress}, {"communicating_files", vtgraph.NodeTypeFile},
		{"urls", vtgraph.NodeTypeURL}, {"siblings", vtgraph.NodeTypeDomain},
	},
	vtgraph.NodeTypeIPAddress: {
		{"resolutions", vtgraph.NodeTypeDomain}, {"downloaded_files", vtgraph.NodeTypeFile},
		{"urls", vtgraph.NodeTypeURL},
	},
	vtgraph.NodeTypeURL: {
		{"downloaded_files", vtgraph.NodeTypeFile}, {"last_serving_ip_address", vtgraph.NodeTypeIPAddress},
		{"contacted_domains", vtgraph.NodeTypeDomain},
	},
}

// graphGen builds one graph.
type graphGen struct {
	rng      *rand.Rand
	obj      genObject
	entities []int // positions in Nodes of the entity nodes
	ids      map[string]bool
	links    map[genLink]bool
	serial   int
}

// generateGraph returns a graph of exactly n nodes (n ≥ 1).
func generateGraph(n int, seed uint64) *genObject {
	g := &graphGen{
		rng:   rand.New(rand.NewPCG(seed, uint64(n))),
		ids:   map[string]bool{},
		links: map[genLink]bool{},
	}
	g.obj = genObject{
		Type:  "graph",
		ID:    "g" + g.hex64(),
		Links: map[string]string{},
		Attributes: genAttributes{
			GraphData:        genGraphData{Description: fmt.Sprintf("Campaign %d nodes", n), Version: "5.0.0"},
			CommentsCount:    3,
			ViewsCount:       1205,
			CreationDate:     1599060646,
			LastModifiedDate: 1599117623,
			Position:         map[string]any{"x": g.coord(), "y": g.coord(), "scale": "0.8"},
			Nodes:            make([]genNode, 0, n),
			Links:            make([]genLink, 0, 2*n+8),
		},
	}
	// GetGraph refuses an answer about another graph than the one asked
	// for, so every fixture is the graph the benchmarks ask for. The random
	// id above is still drawn, so that the rest of each graph, and its size,
	// stays as it was.
	g.obj.ID = benchGraphID
	g.obj.Links["self"] = "https://www.virustotal.com/api/v3/graphs/" + g.obj.ID
	g.addEntity(vtgraph.NodeTypeDomain)
	// expanded[i] counts the relationships expanded from entities[i].
	expanded := map[int]int{}
	for next := 0; len(g.obj.Attributes.Nodes) < n; next = (next + 1) % len(g.entities) {
		left := n - len(g.obj.Attributes.Nodes)
		parent := g.entities[next]
		switch {
		case left == 1:
			// One node short: a hand-drawn note linked manually.
			child := g.addEntity(vtgraph.NodeTypeDomain)
			g.link(g.id(parent), g.id(child), vtgraph.ConnectionManual)
		case g.serial%97 == 96:
			g.addCommonality()
		default:
			rels := relationsOf[vtgraph.NodeType(g.obj.Attributes.Nodes[parent].Type)]
			k := expanded[next]
			if k >= len(rels) {
				continue
			}
			expanded[next] = k + 1
			g.expand(parent, rels[k].conn, rels[k].to, min(2, left-1))
		}
		g.serial++
		if g.serial%53 == 0 && len(g.entities) > 2 {
			a, b := g.randomEntity(), g.randomEntity()
			if a != b {
				g.link(g.id(a), g.id(b), vtgraph.ConnectionManual)
			}
		}
	}
	return &g.obj
}

// expand adds the relationship node conn of parent, with fresh new entities
// of type to behind it and links to three entities already in the graph.
func (g *graphGen) expand(parent int, conn string, to vtgraph.NodeType, fresh int) {
	pid := g.id(parent)
	rel := g.addNode(vtgraph.RelationshipNodeID(conn, pid), vtgraph.NodeTypeRelationship, map[string]any{})
	g.link(pid, g.id(rel), conn)
	for range fresh {
		g.link(g.id(rel), g.id(g.addEntity(to)), conn)
	}
	for range 3 {
		if e := g.randomEntity(); e != parent {
			g.link(g.id(rel), g.id(e), conn)
		}
	}
}

// addCommonality adds a commonality node pointing at five entities.
func (g *graphGen) addCommonality() {
	rel := g.addNode("relationships_commonality_"+strconv.Itoa(106438826+g.serial), vtgraph.NodeTypeRelationship,
		map[string]any{
			"relationship_type": "commonality",
			"commonalities":     []map[string]any{{"commonality": "path", "value": "/wp-admin/"}},
		})
	for range 5 {
		g.link(g.id(rel), g.id(g.randomEntity()), "commonality")
	}
}

// addEntity adds an entity node of type t with the attributes VirusTotal
// sends for it.
func (g *graphGen) addEntity(t vtgraph.NodeType) int {
	var id string
	attrs := map[string]any{}
	switch t {
	case vtgraph.NodeTypeFile:
		id = g.hex64()
		attrs["has_detections"] = g.rng.IntN(70)
		attrs["type_tag"] = [...]string{"peexe", "pedll", "text", "zip", "android"}[g.rng.IntN(5)]
	case vtgraph.NodeTypeDomain:
		id = fmt.Sprintf("%s%d.%s", [...]string{"cdn", "mail", "update", "login", "www"}[g.rng.IntN(5)],
			len(g.obj.Attributes.Nodes), [...]string{"example.com", "hooli.xyz", "piedpiper.net", "raviga.co"}[g.rng.IntN(4)])
		attrs["has_detections"] = g.rng.IntN(4) == 0
	case vtgraph.NodeTypeIPAddress:
		// Three-digit octets keep the relationship node ids, which drop
		// the dots, apart.
		k := len(g.obj.Attributes.Nodes)
		id = fmt.Sprintf("%d.%d.%d.%d", 100+k>>14&0x7f, 100+k>>7&0x7f, 100+k&0x7f, 100+g.rng.IntN(128))
		attrs["has_detections"] = g.rng.IntN(10)
		attrs["country"] = [...]string{"US", "OM", "RU", "NL", "CN", "DE"}[g.rng.IntN(6)]
	case vtgraph.NodeTypeURL:
		id = g.hex64()
		attrs["has_detections"] = g.rng.IntN(3) == 0
	}
	i := g.addNode(id, t, attrs)
	g.entities = append(g.entities, i)
	return i
}

func (g *graphGen) addNode(id string, t vtgraph.NodeType, attrs map[string]any) int {
	if g.ids[id] {
		panic("bench: generated a duplicate entity id " + id)
	}
	g.ids[id] = true
	nodes := &g.obj.Attributes.Nodes
	n := genNode{EntityAttributes: attrs, EntityID: id, Index: len(*nodes), Type: string(t), X: g.coord(), Y: g.coord()}
	if g.rng.IntN(20) == 0 {
		n.Text = fmt.Sprintf("C2 candidate #%d", len(*nodes))
	}
	if t != vtgraph.NodeTypeRelationship && g.rng.IntN(8) == 0 {
		fx, fy := n.X, n.Y
		n.FX, n.FY = &fx, &fy
	}
	*nodes = append(*nodes, n)
	return len(*nodes) - 1
}

// link adds a link unless an equal one exists.
func (g *graphGen) link(source, target, conn string) {
	l := genLink{ConnectionType: conn, Source: source, Target: target}
	if source == target || g.links[l] {
		return
	}
	g.links[l] = true
	g.obj.Attributes.Links = append(g.obj.Attributes.Links, l)
}

func (g *graphGen) id(i int) string { return g.obj.Attributes.Nodes[i].EntityID }

func (g *graphGen) randomEntity() int { return g.entities[g.rng.IntN(len(g.entities))] }

// coord returns a coordinate like the UI's force layout leaves, a double
// using all its digits.
func (g *graphGen) coord() float64 { return (g.rng.Float64() - 0.5) * 2400 }

func (g *graphGen) hex64() string {
	var b [32]byte
	for i := 0; i < len(b); i += 8 {
		v := g.rng.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return hex.EncodeToString(b[:])
}

// smallGraphBody is the GET response body of the per-call benchmark: a graph
// of the size a user typically fetches one by one.
func smallGraphBody() []byte {
	return graphFixture(smallGraphNodes).body
}

// smallGraphNodes is the size of the graph the per-call benchmarks fetch.
const smallGraphNodes = 30

// sizeName formats the nodes= part of a benchmark name.
func sizeName(n int) string { return "nodes=" + strconv.Itoa(n) }
