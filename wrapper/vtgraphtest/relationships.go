package vtgraphtest

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/gen/vtapiserver"
)

// related is one object of a relationship, with where it sits in the list.
type related struct {
	obj vtapi.Object
	key pageKey
}

// collections maps node types to the API collection their objects live in,
// for links.
var collections = map[string]string{
	"file": "files", "url": "urls", "domain": "domains", "ip_address": "ip_addresses",
}

// relationship gathers a relationship's objects. owner and group are single
// objects (group is nil for a graph whose owner had none); the others are
// lists in their natural order. An unknown name is NotFoundError, as
// VirusTotal answers for a relationship an object does not have. Callers
// hold s.mu.
func (s *Server) relationship(g *graph, name, base string) (single bool, objs []related, err *apiError) {
	toObject := func(u vtapi.UserOrGroup) vtapi.Object {
		var attrs map[string]any
		b, _ := json.Marshal(u.Attributes)
		_ = json.Unmarshal(b, &attrs)
		self := *u.Links.Self
		return vtapi.Object{Type: string(u.Type), Id: u.Id, Attributes: &attrs, Links: &vtapi.Object_Links{Self: &self}}
	}
	switch name {
	case "owner":
		return true, []related{{obj: toObject(s.userObject(kindUser, g.owner, base))}}, nil
	case "group":
		if g.group == "" {
			return true, nil, nil
		}
		return true, []related{{obj: toObject(s.userObject(kindGroup, g.group, base))}}, nil
	case "viewers", "editors":
		list := g.viewers
		if name == "editors" {
			list = g.editors
		}
		for _, p := range list {
			objs = append(objs, related{obj: toObject(s.userObject(p.kind, p.id, base)), key: grantKey(p)})
		}
		return false, objs, nil
	case "comments":
		for _, c := range g.comments {
			co := c.object(base)
			var attrs map[string]any
			b, _ := json.Marshal(co.Attributes)
			_ = json.Unmarshal(b, &attrs)
			objs = append(objs, related{
				obj: vtapi.Object{Type: "comment", Id: co.Id, Attributes: &attrs, Links: &vtapi.Object_Links{Self: co.Links.Self}},
				// Negated so that the ascending order of lists puts the
				// newest comment first, as the comments route does.
				key: pageKey{Q: -c.seq},
			})
		}
		return false, objs, nil
	case "items":
		// The entities the graph shows; relationship nodes only connect them.
		for i, n := range g.index.nodes {
			if n.Type == "relationship" || slices.ContainsFunc(objs, func(r related) bool {
				return r.obj.Type == n.Type && r.obj.Id == n.EntityID
			}) {
				continue
			}
			attrs := n.EntityAttributes
			if attrs == nil {
				attrs = map[string]any{}
			}
			o := vtapi.Object{Type: n.Type, Id: n.EntityID, Attributes: &attrs}
			if coll, ok := collections[n.Type]; ok {
				self := base + "/" + coll + "/" + n.EntityID
				o.Links = &vtapi.Object_Links{Self: &self}
			}
			objs = append(objs, related{obj: o, key: pageKey{Q: int64(i)}})
		}
		return false, objs, nil
	}
	return false, nil, notFound("Relationship %q not found for graph objects", name)
}

// relatedPage looks the graph up, gathers the relationship and pages it.
func (s *Server) relatedPage(ctx context.Context, id, name string, limit *int32, cursor *string) (single bool, page []related, links *vtapi.ListLinks, meta *vtapi.ListMeta, err *apiError) {
	n, err := listLimit(limit)
	if err != nil {
		return false, nil, nil, nil, err
	}
	c := callFrom(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookup(id, userFrom(ctx))
	if err != nil {
		return false, nil, nil, nil, err
	}
	single, objs, err := s.relationship(g, name, c.base())
	if err != nil {
		return false, nil, nil, nil, err
	}
	if single {
		links, _ = pageInfo(c, "", len(objs))
		return true, objs, links, nil, nil
	}
	page, next, err := paginate(objs, func(r related) pageKey { return r.key }, false, cursor, n)
	if err != nil {
		return false, nil, nil, nil, err
	}
	links, meta = pageInfo(c, next, len(objs))
	return false, page, links, meta, nil
}

// GraphsRelationships serves the list relationships: owner and group have
// routes of their own (GraphsOwner, GraphsGroup), which the router prefers
// to this one.
func (a *api) GraphsRelationships(ctx context.Context, req vtapiserver.GraphsRelationshipsRequestObject) (vtapiserver.GraphsRelationshipsResponseObject, error) {
	_, page, links, meta, err := a.s.relatedPage(ctx, req.Id, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.graphsRelationships(), nil
	}
	resp := vtapiserver.GraphsRelationships200JSONResponse{Links: links, Meta: meta}
	objs := make([]vtapi.Object, len(page))
	for i, r := range page {
		objs[i] = r.obj
	}
	return resp, resp.Data.FromRelatedObjectsResponseData1(objs)
}

func (a *api) GraphsRelationshipsIds(ctx context.Context, req vtapiserver.GraphsRelationshipsIdsRequestObject) (vtapiserver.GraphsRelationshipsIdsResponseObject, error) {
	single, page, links, meta, err := a.s.relatedPage(ctx, req.Id, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.graphsRelationshipsIds(), nil
	}
	resp := vtapiserver.GraphsRelationshipsIds200JSONResponse{Links: links, Meta: meta}
	if single && len(page) == 0 {
		// The zero union marshals as null: a graph with no group.
		return resp, nil
	}
	descs := make([]vtapi.ObjectDescriptor, len(page))
	for i, r := range page {
		descs[i] = vtapi.ObjectDescriptor{Type: r.obj.Type, Id: r.obj.Id}
	}
	var uerr error
	if single {
		uerr = resp.Data.FromObjectDescriptor(descs[0])
	} else {
		uerr = resp.Data.FromRelatedDescriptorsResponseData1(descs)
	}
	return resp, uerr
}

// principalOf answers the owner and group routes: the graph's owner, or its
// group (nil for none).
func (s *Server) principalOf(ctx context.Context, id string, group bool) (*vtapi.UserOrGroup, *vtapi.ListLinks, *apiError) {
	c := callFrom(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookup(id, userFrom(ctx))
	if err != nil {
		return nil, nil, err
	}
	links, _ := pageInfo(c, "", 1)
	switch {
	case !group:
		o := s.userObject(kindUser, g.owner, c.base())
		return &o, links, nil
	case g.group != "":
		o := s.userObject(kindGroup, g.group, c.base())
		return &o, links, nil
	}
	return nil, links, nil
}

func (a *api) GraphsOwner(ctx context.Context, req vtapiserver.GraphsOwnerRequestObject) (vtapiserver.GraphsOwnerResponseObject, error) {
	owner, links, err := a.s.principalOf(ctx, req.Id, false)
	if err != nil {
		return err.graphsOwner(), nil
	}
	return vtapiserver.GraphsOwner200JSONResponse{Data: *owner, Links: links}, nil
}

func (a *api) GraphsGroup(ctx context.Context, req vtapiserver.GraphsGroupRequestObject) (vtapiserver.GraphsGroupResponseObject, error) {
	group, links, err := a.s.principalOf(ctx, req.Id, true)
	if err != nil {
		return err.graphsGroup(), nil
	}
	resp := vtapiserver.GraphsGroup200JSONResponse{Links: links}
	if group == nil {
		return resp, resp.Data.FromNullValue(nil)
	}
	return resp, resp.Data.FromUserOrGroup(*group)
}
