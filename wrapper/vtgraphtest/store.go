package vtgraphtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// graph is a stored graph. Attributes the client owns are kept as raw JSON so
// that unknown attributes and every digit of their numbers survive; the
// server-owned ones live in typed fields.
type graph struct {
	id       string
	seq      int64
	owner    string
	group    string // the owner's first group when the graph was created
	private  bool
	attrs    map[string]json.RawMessage
	created  int64
	modified int64
	views    int64
	comments []*comment
	nComment int // comments ever posted, for ids that are never reused
	viewers  []grant
	editors  []grant
	index    searchIndex
}

type grant struct {
	kind, id string
	seq      int64
}

type comment struct {
	id   string
	seq  int64
	text string
	date int64
	tags []string
}

// serverOwned attributes are ignored in request bodies: the server keeps them.
var serverOwned = map[string]bool{
	"creation_date":      true,
	"last_modified_date": true,
	"views_count":        true,
	"comments_count":     true,
}

// Roles, in increasing order of power.
type role int

const (
	roleNone role = iota
	roleViewer
	roleEditor
	roleOwner
)

func (g *graph) role(u *user) role {
	switch {
	case u.id == g.owner:
		return roleOwner
	case grants(g.editors, u):
		return roleEditor
	case grants(g.viewers, u):
		return roleViewer
	}
	return roleNone
}

// grants reports whether the list names the user, directly or through one of
// its groups.
func grants(list []grant, u *user) bool {
	return slices.ContainsFunc(list, func(p grant) bool {
		return (p.kind == kindUser && p.id == u.id) || (p.kind == kindGroup && u.inGroup(p.id))
	})
}

func (g *graph) readable(u *user) bool {
	return !g.private || g.role(u) >= roleViewer
}

// lookup finds a graph the user may read. A private graph the user may not
// see is reported as missing, so that its existence does not leak. Callers
// hold s.mu.
func (s *Server) lookup(id string, u *user) (*graph, *apiError) {
	g, ok := s.graphs[id]
	if !ok || !g.readable(u) {
		return nil, notFound("Graph %q not found", id)
	}
	return g, nil
}

// lookupFor finds a graph the user may read and checks it holds at least the
// role; a readable graph without it gives ForbiddenError. Callers hold s.mu.
func (s *Server) lookupFor(id string, u *user, need role, action string) (*graph, *apiError) {
	g, err := s.lookup(id, u)
	if err != nil {
		return nil, err
	}
	if g.role(u) < need {
		return nil, forbidden("You are not allowed to %s graph %q", action, id)
	}
	return g, nil
}

// newGraphID hashes a counter so that ids are well-formed, look random and
// are reproducible. Callers hold s.mu.
func (s *Server) newGraphID() string {
	for {
		s.ids++
		sum := sha256.Sum256([]byte(s.seed + "\x00" + strconv.FormatInt(s.ids, 10)))
		id := "g" + hex.EncodeToString(sum[:])
		if _, taken := s.graphs[id]; !taken {
			return id
		}
	}
}

// nextSeq orders everything the server stores, for stable pagination.
// Callers hold s.mu.
func (s *Server) nextSeq() int64 {
	s.seq++
	return s.seq
}

// apply merges attributes at the top level: absent ones stay, null removes
// one, server-owned ones are ignored.
func (g *graph) apply(attrs map[string]json.RawMessage) error {
	for k, v := range attrs {
		if serverOwned[k] {
			continue
		}
		null := bytes.Equal(bytes.TrimSpace(v), []byte("null"))
		if k == "private" {
			if null {
				continue
			}
			if err := json.Unmarshal(v, &g.private); err != nil {
				return fmt.Errorf("private: %w", err)
			}
			continue
		}
		if null {
			delete(g.attrs, k)
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, v); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		g.attrs[k] = buf.Bytes()
	}
	g.index = indexGraph(g)
	return nil
}

// nextModified is the last_modified_date of a write at now. Clients tell a
// concurrent save by this date alone, and it counts whole seconds, so a
// graph never gets the same one twice: a write in the second of the
// previous one, or with a clock that stands still, is dated one second
// after it.
func (g *graph) nextModified(now time.Time) int64 {
	return max(now.Unix(), g.modified+1)
}

// node is the part of a stored node that search and the items relationship
// read.
type node struct {
	EntityID         string         `json:"entity_id"`
	Type             string         `json:"type"`
	Text             string         `json:"text"`
	EntityAttributes map[string]any `json:"entity_attributes"`
}

// entityType is the type of entity a stored node stands for: for a custom
// node, as VirusTotal's tools store victims, actors and the like, its
// custom_type.
func (n node) entityType() string {
	if t, ok := n.EntityAttributes["custom_type"].(string); ok && n.Type == "custom" && t != "" {
		return t
	}
	return n.Type
}

func (g *graph) nodes() []node {
	var nodes []node
	raw, ok := g.attrs["nodes"]
	if !ok {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if d.Decode(&nodes) != nil {
		return nil
	}
	return nodes
}

func (g *graph) name() string {
	var data struct {
		Description string `json:"description"`
	}
	_ = json.Unmarshal(g.attrs["graph_data"], &data)
	return data.Description
}

// attributes renders the attributes, all of them or only those selected.
// Client-owned ones go through AdditionalProperties as raw JSON, which the
// generated marshaller writes verbatim.
func (g *graph) attributes(selected map[string]bool) vtapi.GraphAttributes {
	want := func(k string) bool { return selected == nil || selected[k] }
	a := vtapi.GraphAttributes{AdditionalProperties: map[string]any{}}
	for k, v := range g.attrs {
		if want(k) {
			a.AdditionalProperties[k] = v
		}
	}
	if want("private") {
		a.Private = &g.private
	}
	if want("creation_date") {
		a.CreationDate = &g.created
	}
	if want("last_modified_date") {
		a.LastModifiedDate = &g.modified
	}
	if want("views_count") {
		a.ViewsCount = &g.views
	}
	if want("comments_count") {
		n := int64(len(g.comments))
		a.CommentsCount = &n
	}
	return a
}

// object renders the graph; the copies it makes let it be marshalled after
// s.mu is released. Callers hold s.mu.
func (g *graph) object(base string, selected map[string]bool) vtapi.Graph {
	id := g.id
	self := base + "/graphs/" + id
	a := g.attributes(selected)
	a.Private = clone(a.Private)
	a.CreationDate = clone(a.CreationDate)
	a.LastModifiedDate = clone(a.LastModifiedDate)
	a.ViewsCount = clone(a.ViewsCount)
	return vtapi.Graph{Type: "graph", Id: &id, Attributes: a, Links: &vtapi.ObjectLinks{Self: &self}}
}

func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Graph returns a stored graph as its owner would read it, without counting a
// view, so tests can check the server's state. It reports false if there is
// no such graph.
func (s *Server) Graph(id string) (vtapi.Graph, bool) {
	s.mu.Lock()
	g, ok := s.graphs[id]
	var obj vtapi.Graph
	if ok {
		obj = g.object(s.URL(), nil)
	}
	s.mu.Unlock()
	if !ok {
		return vtapi.Graph{}, false
	}
	// A round trip fills the typed fields (nodes, links, graph_data) that
	// rendering leaves as raw JSON.
	b, err := json.Marshal(obj)
	if err != nil {
		return vtapi.Graph{}, false
	}
	var out vtapi.Graph
	if err := json.Unmarshal(b, &out); err != nil {
		return vtapi.Graph{}, false
	}
	return out, true
}

// tags extracts the #words of a comment, lowercased and without the #.
func tags(text string) []string {
	var out []string
	for _, w := range strings.Fields(text) {
		if !strings.HasPrefix(w, "#") {
			continue
		}
		t := strings.ToLower(strings.TrimRight(strings.TrimPrefix(w, "#"), ".,;:!?)\"'"))
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
