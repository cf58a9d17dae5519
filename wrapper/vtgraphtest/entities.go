package vtgraphtest

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/gen/vtapiserver"
)

// inlineLimit is how many descriptors a relationship included in an object
// holds; the rest is a cursor away, on the descriptors route.
const inlineLimit = defaultLimit

// typeNames are how messages name each entity type.
var typeNames = map[string]string{
	typeFile: "File", typeURL: "URL", typeDomain: "Domain", typeIPAddress: "IP address",
}

// entityPath is the path of an entity's object route below the API root.
func entityPath(typ, id string) string {
	if typ == typeResolution {
		return "/resolutions/" + url.PathEscape(id)
	}
	return "/" + collections[typ] + "/" + url.PathEscape(id)
}

// entity finds the entity a route names.
func (s *Server) entity(typ, id string) (*stored, *apiError) {
	w := s.world.Load()
	e, ok := w.find(typ, id)
	if !ok {
		return nil, notFound("%s %s not found", typeNames[typ], strconv.Quote(id))
	}
	return e, nil
}

// relationshipOf checks that the entity's type has the relationship and
// that the user may follow it: VirusTotal refuses an unknown relationship
// with 400 and a premium one to a public key with 403.
func (s *Server) relationshipOf(ctx context.Context, typ, rel string) (relInfo, *apiError) {
	info, ok := entityRelationships[typ][rel]
	if !ok {
		return relInfo{}, badRequest("InvalidArgumentError", "%s is not a valid relationship of %s objects", strconv.Quote(rel), typ)
	}
	if info.premium && !s.premiumUser(userFrom(ctx)) {
		return relInfo{}, forbidden("The %s relationship of %s objects requires a premium API key", rel, typ)
	}
	return info, nil
}

// entityAttributes hands raw attributes to a generated model, which writes
// additional properties as they are: raw JSON stays raw.
func entityAttributes(e *stored) map[string]any {
	return rawMap(e.attrs)
}

// objectParts builds what every entity object carries: its links and the
// relationships asked for inline. The error is one building the body.
func (s *Server) objectParts(ctx context.Context, e *stored, relationships *string) (*vtapi.ObjectLinks, *vtapi.ObjectRelationships, *apiError, error) {
	c := callFrom(ctx)
	self := c.base() + entityPath(e.typ, e.id)
	links := &vtapi.ObjectLinks{Self: &self}
	if relationships == nil || *relationships == "" {
		return links, nil, nil, nil
	}
	rels := vtapi.ObjectRelationships{}
	for _, name := range strings.Split(*relationships, ",") {
		info, apiErr := s.relationshipOf(ctx, e.typ, name)
		if apiErr != nil {
			return nil, nil, apiErr, nil
		}
		rel, err := inlineRelationship(c, e, name, info)
		if err != nil {
			return nil, nil, nil, err
		}
		rels[name] = rel
	}
	return links, &rels, nil, nil
}

// inlineRelationship is a relationship as an object includes it: the first
// descriptors, the cursor of the next page, and links to both routes.
func inlineRelationship(c *call, e *stored, name string, info relInfo) (vtapi.ObjectRelationship, error) {
	base := c.base() + entityPath(e.typ, e.id)
	self, related := base+"/relationships/"+name, base+"/"+name
	out := vtapi.ObjectRelationship{Links: &vtapi.RelationshipLinks{Self: &self, Related: &related}}
	edges := e.rels[name]
	switch {
	case info.single && len(edges) == 0:
		return out, out.Data.FromNullValue(nil)
	case info.single:
		return out, out.Data.FromObjectDescriptor(descriptorOf(e, edges[0]))
	}
	// Without a cursor, paging cannot fail.
	page, next, _ := pageEdges(edges, nil, inlineLimit)
	descs := make([]vtapi.ObjectDescriptor, len(page))
	for i, ed := range page {
		descs[i] = descriptorOf(e, ed)
	}
	if next != "" {
		link := self + "?" + url.Values{"cursor": {next}, "limit": {strconv.Itoa(inlineLimit)}}.Encode()
		out.Links.Next = &link
		out.Meta = &vtapi.ListMeta{Cursor: &next}
	}
	return out, out.Data.FromObjectRelationshipData1(descs)
}

// pageEdges pages a relationship's objects in serving order.
func pageEdges(edges []edge, cursor *string, limit int) ([]edge, string, *apiError) {
	start, end, next, err := pageInOrder(len(edges), cursor, limit)
	if err != nil {
		return nil, "", err
	}
	return edges[start:end], next, nil
}

// servedAs returns the type and id an edge is served as: the entity itself,
// or for a DNS resolution the resolution object, whose id is the IP address
// followed by the domain, as VirusTotal writes it.
func servedAs(from *stored, e edge) (typ, id string) {
	if from.typ == typeDomain && e.to.typ == typeIPAddress || from.typ == typeIPAddress && e.to.typ == typeDomain {
		ip, domain := e.to.id, from.id
		if from.typ == typeIPAddress {
			ip, domain = from.id, e.to.id
		}
		return typeResolution, ip + domain
	}
	return e.to.typ, e.to.id
}

func descriptorOf(from *stored, e edge) vtapi.ObjectDescriptor {
	typ, id := servedAs(from, e)
	d := vtapi.ObjectDescriptor{Type: typ, Id: id}
	if len(e.ctx) > 0 {
		ctx := rawMap(e.ctx)
		d.ContextAttributes = &ctx
	}
	return d
}

func objectOf(base string, from *stored, e edge) vtapi.Object {
	typ, id := servedAs(from, e)
	self := base + entityPath(typ, id)
	var attrs map[string]any
	if typ == typeResolution {
		attrs = resolutionAttributes(from, e.to)
	} else {
		attrs = entityAttributes(e.to)
	}
	o := vtapi.Object{Type: typ, Id: id, Attributes: &attrs, Links: &vtapi.Object_Links{Self: &self}}
	if len(e.ctx) > 0 {
		ctx := rawMap(e.ctx)
		o.ContextAttributes = &ctx
	}
	return o
}

// resolutionAttributes are those of a resolution object: its two ends and
// their last analysis stats.
func resolutionAttributes(a, b *stored) map[string]any {
	ip, domain := a, b
	if a.typ == typeDomain {
		ip, domain = b, a
	}
	attrs := map[string]any{"ip_address": ip.id, "host_name": domain.id}
	if st, ok := ip.attrs["last_analysis_stats"]; ok {
		attrs["ip_address_last_analysis_stats"] = st
	}
	if st, ok := domain.attrs["last_analysis_stats"]; ok {
		attrs["host_name_last_analysis_stats"] = st
	}
	return attrs
}

// rawMap copies raw JSON values into a map a generated model writes as
// they are.
func rawMap(m map[string]json.RawMessage) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// relatedPage is one page of an entity's relationship: its single object
// (nil for none) or its list, and the page's links and meta.
type relatedPage struct {
	from   *stored
	single bool
	edges  []edge
	links  *vtapi.ListLinks
	meta   *vtapi.ListMeta
}

func (s *Server) related(ctx context.Context, typ, id, rel string, limit *int32, cursor *string) (*relatedPage, *apiError) {
	n, err := listLimit(limit)
	if err != nil {
		return nil, err
	}
	e, err := s.entity(typ, id)
	if err != nil {
		return nil, err
	}
	info, err := s.relationshipOf(ctx, typ, rel)
	if err != nil {
		return nil, err
	}
	c := callFrom(ctx)
	edges := e.rels[rel]
	if info.single {
		links, _ := pageInfo(c, "", len(edges))
		return &relatedPage{from: e, single: true, edges: edges, links: links}, nil
	}
	page, next, err := pageEdges(edges, cursor, n)
	if err != nil {
		return nil, err
	}
	links, meta := pageInfo(c, next, len(edges))
	return &relatedPage{from: e, edges: page, links: links, meta: meta}, nil
}

// objects renders the page as the objects route answers it.
func (p *relatedPage) objects(base string) (vtapi.RelatedObjectsResponse, error) {
	resp := vtapi.RelatedObjectsResponse{Links: p.links, Meta: p.meta}
	if p.single {
		if len(p.edges) == 0 {
			return resp, resp.Data.FromNullValue(nil)
		}
		return resp, resp.Data.FromObject(objectOf(base, p.from, p.edges[0]))
	}
	objs := make([]vtapi.Object, len(p.edges))
	for i, e := range p.edges {
		objs[i] = objectOf(base, p.from, e)
	}
	return resp, resp.Data.FromRelatedObjectsResponseData1(objs)
}

// descriptors renders the page as the descriptors route answers it.
func (p *relatedPage) descriptors() (vtapi.RelatedDescriptorsResponse, error) {
	resp := vtapi.RelatedDescriptorsResponse{Links: p.links, Meta: p.meta}
	if p.single {
		if len(p.edges) == 0 {
			return resp, resp.Data.FromNullValue(nil)
		}
		return resp, resp.Data.FromObjectDescriptor(descriptorOf(p.from, p.edges[0]))
	}
	descs := make([]vtapi.ObjectDescriptor, len(p.edges))
	for i, e := range p.edges {
		descs[i] = descriptorOf(p.from, e)
	}
	return resp, resp.Data.FromRelatedDescriptorsResponseData1(descs)
}

func (a *api) GetFile(ctx context.Context, req vtapiserver.GetFileRequestObject) (vtapiserver.GetFileResponseObject, error) {
	e, err := a.s.entity(typeFile, req.Id)
	if err != nil {
		return err.getFile(), nil
	}
	links, rels, err, berr := a.s.objectParts(ctx, e, req.Params.Relationships)
	if err != nil {
		return err.getFile(), nil
	}
	if berr != nil {
		return nil, berr
	}
	return vtapiserver.GetFile200JSONResponse{Data: vtapi.FileObject{
		Type: typeFile, Id: e.id, Links: links, Relationships: rels,
		Attributes: &vtapi.FileAttributes{AdditionalProperties: entityAttributes(e)},
	}}, nil
}

func (a *api) GetUrl(ctx context.Context, req vtapiserver.GetUrlRequestObject) (vtapiserver.GetUrlResponseObject, error) {
	e, err := a.s.entity(typeURL, req.Id)
	if err != nil {
		return err.getURL(), nil
	}
	links, rels, err, berr := a.s.objectParts(ctx, e, req.Params.Relationships)
	if err != nil {
		return err.getURL(), nil
	}
	if berr != nil {
		return nil, berr
	}
	return vtapiserver.GetUrl200JSONResponse{Data: vtapi.URLObject{
		Type: typeURL, Id: e.id, Links: links, Relationships: rels,
		Attributes: &vtapi.URLAttributes{AdditionalProperties: entityAttributes(e)},
	}}, nil
}

func (a *api) GetDomain(ctx context.Context, req vtapiserver.GetDomainRequestObject) (vtapiserver.GetDomainResponseObject, error) {
	e, err := a.s.entity(typeDomain, req.Domain)
	if err != nil {
		return err.getDomain(), nil
	}
	links, rels, err, berr := a.s.objectParts(ctx, e, req.Params.Relationships)
	if err != nil {
		return err.getDomain(), nil
	}
	if berr != nil {
		return nil, berr
	}
	return vtapiserver.GetDomain200JSONResponse{Data: vtapi.DomainObject{
		Type: typeDomain, Id: e.id, Links: links, Relationships: rels,
		Attributes: &vtapi.DomainAttributes{AdditionalProperties: entityAttributes(e)},
	}}, nil
}

func (a *api) GetIpAddress(ctx context.Context, req vtapiserver.GetIpAddressRequestObject) (vtapiserver.GetIpAddressResponseObject, error) {
	e, err := a.s.entity(typeIPAddress, req.Ip)
	if err != nil {
		return err.getIPAddress(), nil
	}
	links, rels, err, berr := a.s.objectParts(ctx, e, req.Params.Relationships)
	if err != nil {
		return err.getIPAddress(), nil
	}
	if berr != nil {
		return nil, berr
	}
	return vtapiserver.GetIpAddress200JSONResponse{Data: vtapi.IPAddressObject{
		Type: typeIPAddress, Id: e.id, Links: links, Relationships: rels,
		Attributes: &vtapi.IPAddressAttributes{AdditionalProperties: entityAttributes(e)},
	}}, nil
}

func (a *api) GetFileRelationship(ctx context.Context, req vtapiserver.GetFileRelationshipRequestObject) (vtapiserver.GetFileRelationshipResponseObject, error) {
	p, err := a.s.related(ctx, typeFile, req.Id, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.getFileRelationship(), nil
	}
	resp, uerr := p.objects(callFrom(ctx).base())
	return vtapiserver.GetFileRelationship200JSONResponse(resp), uerr
}

func (a *api) GetUrlRelationship(ctx context.Context, req vtapiserver.GetUrlRelationshipRequestObject) (vtapiserver.GetUrlRelationshipResponseObject, error) {
	p, err := a.s.related(ctx, typeURL, req.Id, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.getURLRelationship(), nil
	}
	resp, uerr := p.objects(callFrom(ctx).base())
	return vtapiserver.GetUrlRelationship200JSONResponse(resp), uerr
}

func (a *api) GetDomainRelationship(ctx context.Context, req vtapiserver.GetDomainRelationshipRequestObject) (vtapiserver.GetDomainRelationshipResponseObject, error) {
	p, err := a.s.related(ctx, typeDomain, req.Domain, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.getDomainRelationship(), nil
	}
	resp, uerr := p.objects(callFrom(ctx).base())
	return vtapiserver.GetDomainRelationship200JSONResponse(resp), uerr
}

func (a *api) GetIpAddressRelationship(ctx context.Context, req vtapiserver.GetIpAddressRelationshipRequestObject) (vtapiserver.GetIpAddressRelationshipResponseObject, error) {
	p, err := a.s.related(ctx, typeIPAddress, req.Ip, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.getIPAddressRelationship(), nil
	}
	resp, uerr := p.objects(callFrom(ctx).base())
	return vtapiserver.GetIpAddressRelationship200JSONResponse(resp), uerr
}

func (a *api) GetFileRelationshipDescriptors(ctx context.Context, req vtapiserver.GetFileRelationshipDescriptorsRequestObject) (vtapiserver.GetFileRelationshipDescriptorsResponseObject, error) {
	p, err := a.s.related(ctx, typeFile, req.Id, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.getFileRelationshipDescriptors(), nil
	}
	resp, uerr := p.descriptors()
	return vtapiserver.GetFileRelationshipDescriptors200JSONResponse(resp), uerr
}

func (a *api) GetUrlRelationshipDescriptors(ctx context.Context, req vtapiserver.GetUrlRelationshipDescriptorsRequestObject) (vtapiserver.GetUrlRelationshipDescriptorsResponseObject, error) {
	p, err := a.s.related(ctx, typeURL, req.Id, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.getURLRelationshipDescriptors(), nil
	}
	resp, uerr := p.descriptors()
	return vtapiserver.GetUrlRelationshipDescriptors200JSONResponse(resp), uerr
}

func (a *api) GetDomainRelationshipDescriptors(ctx context.Context, req vtapiserver.GetDomainRelationshipDescriptorsRequestObject) (vtapiserver.GetDomainRelationshipDescriptorsResponseObject, error) {
	p, err := a.s.related(ctx, typeDomain, req.Domain, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.getDomainRelationshipDescriptors(), nil
	}
	resp, uerr := p.descriptors()
	return vtapiserver.GetDomainRelationshipDescriptors200JSONResponse(resp), uerr
}

func (a *api) GetIpAddressRelationshipDescriptors(ctx context.Context, req vtapiserver.GetIpAddressRelationshipDescriptorsRequestObject) (vtapiserver.GetIpAddressRelationshipDescriptorsResponseObject, error) {
	p, err := a.s.related(ctx, typeIPAddress, req.Ip, req.Relationship, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.getIPAddressRelationshipDescriptors(), nil
	}
	resp, uerr := p.descriptors()
	return vtapiserver.GetIpAddressRelationshipDescriptors200JSONResponse(resp), uerr
}
