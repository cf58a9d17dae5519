package vtgraphtest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/gen/vtapiserver"
)

// api implements the generated strict server, so the routes, parameters and
// response shapes come from the spec.
type api struct {
	s *Server
}

var _ vtapiserver.StrictServerInterface = (*api)(nil)

// rawAttributes re-reads data.attributes from the raw body: the strict
// handler has already decoded and type-checked it, but into models that
// would round unknown attributes' numbers.
func rawAttributes(ctx context.Context) (map[string]json.RawMessage, *apiError) {
	var body struct {
		Data struct {
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(callFrom(ctx).body, &body); err != nil {
		return nil, badRequest("BadRequestError", "invalid JSON body: %v", err)
	}
	return body.Data.Attributes, nil
}

// validateAttributes reports every missing required field of nodes and
// links at once.
func validateAttributes(a vtapi.GraphAttributes) *apiError {
	var problems []string
	if a.Nodes != nil {
		for i, n := range *a.Nodes {
			if n.EntityId == "" {
				problems = append(problems, fmt.Sprintf("nodes[%d].entity_id: empty", i))
			}
			if n.Type == "" {
				problems = append(problems, fmt.Sprintf("nodes[%d].type: empty", i))
			}
		}
	}
	if a.Links != nil {
		for i, l := range *a.Links {
			if l.Source == "" {
				problems = append(problems, fmt.Sprintf("links[%d].source: empty", i))
			}
			if l.Target == "" {
				problems = append(problems, fmt.Sprintf("links[%d].target: empty", i))
			}
		}
	}
	if problems != nil {
		return badRequest("InvalidArgumentError", "%s", strings.Join(problems, "; "))
	}
	return nil
}

func (a *api) CreateGraphs(ctx context.Context, req vtapiserver.CreateGraphsRequestObject) (vtapiserver.CreateGraphsResponseObject, error) {
	obj, err := a.createGraph(ctx, req)
	if err != nil {
		return err.createGraphs(), nil
	}
	return obj, nil
}

func (a *api) createGraph(ctx context.Context, req vtapiserver.CreateGraphsRequestObject) (vtapiserver.CreateGraphsResponseObject, *apiError) {
	if req.Body.Data.Type != "graph" {
		return nil, badRequest("InvalidArgumentError", "data.type must be \"graph\", got %q", req.Body.Data.Type)
	}
	if err := validateAttributes(req.Body.Data.Attributes); err != nil {
		return nil, err
	}
	attrs, err := rawAttributes(ctx)
	if err != nil {
		return nil, err
	}
	u, s := userFrom(ctx), a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().Unix()
	g := &graph{
		id:       s.newGraphID(),
		seq:      s.nextSeq(),
		owner:    u.id,
		attrs:    map[string]json.RawMessage{},
		created:  now,
		modified: now,
	}
	if len(u.groups) > 0 {
		g.group = u.groups[0]
	}
	if err := g.apply(attrs); err != nil {
		return nil, badRequest("InvalidArgumentError", "%v", err)
	}
	s.graphs[g.id] = g
	// The API may return more than the id; returning the whole graph saves
	// clients a GET for the dates.
	full := g.object(callFrom(ctx).base(), nil)
	return vtapiserver.CreateGraphs200JSONResponse{Data: vtapi.GraphCreateResponse_Data{
		Id:                   g.id,
		Type:                 "graph",
		AdditionalProperties: map[string]any{"attributes": full.Attributes, "links": full.Links},
	}}, nil
}

func (a *api) GraphsInfo(ctx context.Context, req vtapiserver.GraphsInfoRequestObject) (vtapiserver.GraphsInfoResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookup(req.Id, userFrom(ctx))
	if err != nil {
		return err.graphsInfo(), nil
	}
	g.views++
	return vtapiserver.GraphsInfo200JSONResponse{Data: g.object(callFrom(ctx).base(), attributeSelection(req.Params.Attributes))}, nil
}

// attributeSelection parses an attributes parameter ("private,graph_data")
// into the set of attribute names to return; nil means all of them.
func attributeSelection(param *string) map[string]bool {
	if param == nil {
		return nil
	}
	var selected map[string]bool
	for _, name := range strings.Split(*param, ",") {
		if name = strings.TrimSpace(name); name != "" {
			if selected == nil {
				selected = map[string]bool{}
			}
			selected[name] = true
		}
	}
	return selected
}

func (a *api) GraphsUpdate(ctx context.Context, req vtapiserver.GraphsUpdateRequestObject) (vtapiserver.GraphsUpdateResponseObject, error) {
	obj, err := a.updateGraph(ctx, req)
	if err != nil {
		return err.graphsUpdate(), nil
	}
	return vtapiserver.GraphsUpdate200JSONResponse{Data: obj}, nil
}

func (a *api) updateGraph(ctx context.Context, req vtapiserver.GraphsUpdateRequestObject) (vtapi.Graph, *apiError) {
	data := req.Body.Data
	if data.Type != "graph" {
		return vtapi.Graph{}, badRequest("InvalidArgumentError", "data.type must be \"graph\", got %q", data.Type)
	}
	if data.Id != nil && *data.Id != req.Id {
		return vtapi.Graph{}, badRequest("InvalidArgumentError", "data.id %q does not match the graph %q", *data.Id, req.Id)
	}
	if err := validateAttributes(data.Attributes); err != nil {
		return vtapi.Graph{}, err
	}
	attrs, err := rawAttributes(ctx)
	if err != nil {
		return vtapi.Graph{}, err
	}
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookupFor(req.Id, userFrom(ctx), roleEditor, "modify")
	if err != nil {
		return vtapi.Graph{}, err
	}
	// Apply to a copy so a bad attribute leaves the graph untouched.
	updated := *g
	updated.attrs = make(map[string]json.RawMessage, len(g.attrs))
	for k, v := range g.attrs {
		updated.attrs[k] = v
	}
	if err := updated.apply(attrs); err != nil {
		return vtapi.Graph{}, badRequest("InvalidArgumentError", "%v", err)
	}
	updated.modified = g.nextModified(s.now())
	*g = updated
	return g.object(callFrom(ctx).base(), nil), nil
}

func (a *api) GraphsDelete(ctx context.Context, req vtapiserver.GraphsDeleteRequestObject) (vtapiserver.GraphsDeleteResponseObject, error) {
	s := a.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.lookupFor(req.Id, userFrom(ctx), roleOwner, "delete"); err != nil {
		return err.graphsDelete(), nil
	}
	delete(s.graphs, req.Id)
	return vtapiserver.GraphsDelete200JSONResponse(emptyResponse), nil
}

// emptyResponse is the body of deletions. It is {} rather than VirusTotal's
// {"data": null}: the generated response types are defined types of
// EmptyResponse, which drop its MarshalJSON, so a null data cannot be
// expressed; the spec allows both.
var emptyResponse = vtapi.EmptyResponse{}

// orderKeys are the supported order fields and the sort key each uses.
var orderKeys = map[string]func(*graph) pageKey{
	"name":               func(g *graph) pageKey { return pageKey{S: g.index.name, Q: g.seq} },
	"owner":              func(g *graph) pageKey { return pageKey{S: g.owner, Q: g.seq} },
	"creation_date":      func(g *graph) pageKey { return pageKey{N: g.created, Q: g.seq} },
	"last_modified_date": func(g *graph) pageKey { return pageKey{N: g.modified, Q: g.seq} },
	"views_count":        func(g *graph) pageKey { return pageKey{N: g.views, Q: g.seq} },
	"comments_count":     func(g *graph) pageKey { return pageKey{N: int64(len(g.comments)), Q: g.seq} },
}

// parseOrder reads "field", "field+" or "field-". Without an order, graphs
// come newest first. A "+" sent unescaped arrives as a space, which means
// ascending as well.
func parseOrder(order *string) (func(*graph) pageKey, bool, *apiError) {
	if order == nil || strings.TrimSpace(*order) == "" {
		return func(g *graph) pageKey { return pageKey{Q: g.seq} }, true, nil
	}
	o := strings.TrimSpace(*order)
	desc := strings.HasSuffix(o, "-")
	field := strings.TrimRight(o, "+-")
	key, ok := orderKeys[field]
	if !ok {
		return nil, false, badRequest("InvalidArgumentError", "unsupported order %q", *order)
	}
	return key, desc, nil
}

func (a *api) Graphs(ctx context.Context, req vtapiserver.GraphsRequestObject) (vtapiserver.GraphsResponseObject, error) {
	resp, err := a.search(ctx, req.Params)
	if err != nil {
		return err.graphs(), nil
	}
	return resp, nil
}

func (a *api) search(ctx context.Context, p vtapi.GraphsParams) (vtapiserver.Graphs200JSONResponse, *apiError) {
	var none vtapiserver.Graphs200JSONResponse
	limit := defaultLimit
	if p.Limit != nil {
		if *p.Limit < 1 {
			return none, badRequest("InvalidArgumentError", "limit must be positive, got %d", *p.Limit)
		}
		// Search caps the limit where the list routes reject it, as
		// VirusTotal does.
		limit = min(int(*p.Limit), maxLimit)
	}
	key, desc, err := parseOrder(p.Order)
	if err != nil {
		return none, err
	}
	selected := attributeSelection(p.Attributes)
	s, u, c := a.s, userFrom(ctx), callFrom(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	match := func(*graph) bool { return true }
	if p.Filter != nil {
		if match, err = s.parseFilter(*p.Filter); err != nil {
			return none, err
		}
	}
	var found []*graph
	for _, g := range s.graphs {
		if g.readable(u) && match(g) {
			found = append(found, g)
		}
	}
	page, next, err := paginate(found, key, desc, p.Cursor, limit)
	if err != nil {
		return none, err
	}
	data := make([]vtapi.Graph, len(page))
	for i, g := range page {
		data[i] = g.object(c.base(), selected)
	}
	links, meta := pageInfo(c, next, len(found))
	return vtapiserver.Graphs200JSONResponse{Data: data, Links: links, Meta: meta}, nil
}
