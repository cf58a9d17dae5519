package vtgraphtest

import (
	"context"
	"slices"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/gen/vtapiserver"
)

// grantKey lists grants in the order they were made.
func grantKey(p grant) pageKey { return pageKey{Q: p.seq} }

// aclList pages through one of a graph's access lists; anyone who can read
// the graph may see who it is shared with.
func (s *Server) aclList(ctx context.Context, id string, editors bool, limit *int32, cursor *string) (vtapi.UserOrGroupListResponse, *apiError) {
	var none vtapi.UserOrGroupListResponse
	n, err := listLimit(limit)
	if err != nil {
		return none, err
	}
	c := callFrom(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookup(id, userFrom(ctx))
	if err != nil {
		return none, err
	}
	list := slices.Clone(g.viewers)
	if editors {
		list = slices.Clone(g.editors)
	}
	page, next, err := paginate(list, grantKey, false, cursor, n)
	if err != nil {
		return none, err
	}
	data := make([]vtapi.UserOrGroup, len(page))
	for i, p := range page {
		data[i] = s.userObject(p.kind, p.id, c.base())
	}
	links, meta := pageInfo(c, next, len(list))
	return vtapi.UserOrGroupListResponse{Data: data, Links: links, Meta: meta}, nil
}

// aclAdd grants a role to every principal in the body, or to none if one of
// them is unknown. Granting twice changes nothing. Owner and editors may
// share, as in the VirusTotal UI.
func (s *Server) aclAdd(ctx context.Context, id string, editors bool, body *vtapi.PrincipalListRequest) (vtapi.UserOrGroupListResponse, *apiError) {
	var none vtapi.UserOrGroupListResponse
	if len(body.Data) == 0 {
		return none, badRequest("InvalidArgumentError", "data: at least one user or group is needed")
	}
	c := callFrom(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookupFor(id, userFrom(ctx), roleEditor, "share")
	if err != nil {
		return none, err
	}
	for _, p := range body.Data {
		kind := string(p.Type)
		if kind != kindUser && kind != kindGroup {
			return none, badRequest("InvalidArgumentError", "type must be user or group, got %q", kind)
		}
		if !s.principalExists(kind, p.Id) {
			return none, notFound("%s %q not found", kindTitle(kind), p.Id)
		}
	}
	list := &g.viewers
	if editors {
		list = &g.editors
	}
	var data []vtapi.UserOrGroup
	for _, p := range body.Data {
		kind := string(p.Type)
		if !slices.ContainsFunc(*list, func(q grant) bool { return q.kind == kind && q.id == p.Id }) {
			*list = append(*list, grant{kind: kind, id: p.Id, seq: s.nextSeq()})
		}
		data = append(data, s.userObject(kind, p.Id, c.base()))
	}
	links, _ := pageInfo(c, "", len(data))
	return vtapi.UserOrGroupListResponse{Data: data, Links: links}, nil
}

func kindTitle(kind string) string {
	if kind == kindGroup {
		return "Group"
	}
	return "User"
}

// aclDelete revokes a role granted directly; revoking one that was not
// granted succeeds. Owner and editors may revoke.
func (s *Server) aclDelete(ctx context.Context, id, who string, editors bool) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookupFor(id, userFrom(ctx), roleEditor, "share")
	if err != nil {
		return err
	}
	kind, ok := s.principalKind(who)
	if !ok {
		return notFound("User or group %q not found", who)
	}
	list := &g.viewers
	if editors {
		list = &g.editors
	}
	*list = slices.DeleteFunc(*list, func(q grant) bool { return q.kind == kind && q.id == who })
	return nil
}

// aclCheck answers whether a principal holds a role. For a user it counts
// ownership, direct grants and grants to its groups, and editors count as
// viewers; for a group only grants to the group count. Public visibility is
// not a grant.
func (s *Server) aclCheck(ctx context.Context, id, who string, editors bool) (bool, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookup(id, userFrom(ctx))
	if err != nil {
		return false, err
	}
	kind, ok := s.principalKind(who)
	if !ok {
		return false, notFound("User or group %q not found", who)
	}
	need := roleViewer
	if editors {
		need = roleEditor
	}
	if kind == kindUser {
		return g.role(s.users[who]) >= need, nil
	}
	has := func(list []grant) bool {
		return slices.ContainsFunc(list, func(q grant) bool { return q.kind == kindGroup && q.id == who })
	}
	return has(g.editors) || (!editors && has(g.viewers)), nil
}

func (a *api) GraphsViewers(ctx context.Context, req vtapiserver.GraphsViewersRequestObject) (vtapiserver.GraphsViewersResponseObject, error) {
	resp, err := a.s.aclList(ctx, req.Id, false, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.graphsViewers(), nil
	}
	return vtapiserver.GraphsViewers200JSONResponse(resp), nil
}

func (a *api) GraphsEditors(ctx context.Context, req vtapiserver.GraphsEditorsRequestObject) (vtapiserver.GraphsEditorsResponseObject, error) {
	resp, err := a.s.aclList(ctx, req.Id, true, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return err.graphsEditors(), nil
	}
	return vtapiserver.GraphsEditors200JSONResponse(resp), nil
}

func (a *api) GraphsAddViewer(ctx context.Context, req vtapiserver.GraphsAddViewerRequestObject) (vtapiserver.GraphsAddViewerResponseObject, error) {
	resp, err := a.s.aclAdd(ctx, req.Id, false, req.Body)
	if err != nil {
		return err.graphsAddViewer(), nil
	}
	return vtapiserver.GraphsAddViewer200JSONResponse(resp), nil
}

func (a *api) GraphsAddEditor(ctx context.Context, req vtapiserver.GraphsAddEditorRequestObject) (vtapiserver.GraphsAddEditorResponseObject, error) {
	resp, err := a.s.aclAdd(ctx, req.Id, true, req.Body)
	if err != nil {
		return err.graphsAddEditor(), nil
	}
	return vtapiserver.GraphsAddEditor200JSONResponse(resp), nil
}

func (a *api) GraphsDeleteViewer(ctx context.Context, req vtapiserver.GraphsDeleteViewerRequestObject) (vtapiserver.GraphsDeleteViewerResponseObject, error) {
	if err := a.s.aclDelete(ctx, req.Id, req.UserOrGroupId, false); err != nil {
		return err.graphsDeleteViewer(), nil
	}
	return vtapiserver.GraphsDeleteViewer200JSONResponse(emptyResponse), nil
}

func (a *api) GraphsDeleteEditor(ctx context.Context, req vtapiserver.GraphsDeleteEditorRequestObject) (vtapiserver.GraphsDeleteEditorResponseObject, error) {
	if err := a.s.aclDelete(ctx, req.Id, req.UserOrGroupId, true); err != nil {
		return err.graphsDeleteEditor(), nil
	}
	return vtapiserver.GraphsDeleteEditor200JSONResponse(emptyResponse), nil
}

func (a *api) GraphsCheckViewer(ctx context.Context, req vtapiserver.GraphsCheckViewerRequestObject) (vtapiserver.GraphsCheckViewerResponseObject, error) {
	ok, err := a.s.aclCheck(ctx, req.Id, req.UserOrGroupId, false)
	if err != nil {
		return err.graphsCheckViewer(), nil
	}
	return vtapiserver.GraphsCheckViewer200JSONResponse{Data: ok}, nil
}

func (a *api) GraphsCheckEditor(ctx context.Context, req vtapiserver.GraphsCheckEditorRequestObject) (vtapiserver.GraphsCheckEditorResponseObject, error) {
	ok, err := a.s.aclCheck(ctx, req.Id, req.UserOrGroupId, true)
	if err != nil {
		return err.graphsCheckEditor(), nil
	}
	return vtapiserver.GraphsCheckEditor200JSONResponse{Data: ok}, nil
}
