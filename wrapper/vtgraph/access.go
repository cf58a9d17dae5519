package vtgraph

import (
	"bytes"
	"context"
	"iter"
	"net/http"
	"strconv"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// A graph is shared by granting users and groups one of two roles. Viewers
// may read and comment; editors may also change the graph and share it. The
// owner holds both roles implicitly. The calls for the two roles are the
// same apart from the role, so each pair below shares one implementation.

// accessRole selects the viewers or the editors routes.
type accessRole bool

const (
	viewers accessRole = false
	editors accessRole = true
)

// ListViewers returns one page of the users and groups a graph is shared with
// for reading, with the cursor of the next page.
//
// API: GET /graphs/{id}/relationships/viewers.
func (c *Client) ListViewers(ctx context.Context, graphID string, opts *ListOptions) (*Page[*Principal], error) {
	return c.listAccess(ctx, graphID, opts, viewers)
}

// ListViewersIter returns an iterator over every viewer of a graph, page
// after page; see [Client.SearchGraphsIter] for how iterators behave.
func (c *Client) ListViewersIter(ctx context.Context, graphID string, opts *ListOptions, it *IterOptions) iter.Seq2[*Principal, error] {
	return c.listAccessIter(ctx, graphID, opts, it, viewers)
}

// AddViewers lets the given users and groups read a graph and returns them as
// the API describes them. Like every POST it is sent once, never retried. The
// API grants all or none: an unknown user or group fails the whole call with
// [ErrNotFound].
//
// API: POST /graphs/{id}/relationships/viewers.
func (c *Client) AddViewers(ctx context.Context, graphID string, who ...PrincipalRef) ([]*Principal, error) {
	return c.addAccess(ctx, graphID, who, viewers)
}

// RemoveViewer withdraws the read access granted directly to a user or
// group. Revoking access that was not granted succeeds. Access held through
// a group or as an editor is not affected.
//
// API: DELETE /graphs/{id}/relationships/viewers/{user_or_group_id}.
func (c *Client) RemoveViewer(ctx context.Context, graphID string, who PrincipalRef) error {
	return c.removeAccess(ctx, graphID, who, viewers)
}

// IsViewer reports whether a user or group may read a graph: for a user, as
// its owner, an editor or a viewer, directly or through a group. Being
// public does not make a graph viewable in this sense.
//
// API: GET /graphs/{id}/relationships/viewers/{user_or_group_id}.
func (c *Client) IsViewer(ctx context.Context, graphID string, who PrincipalRef) (bool, error) {
	return c.checkAccess(ctx, graphID, who, viewers)
}

// ListEditors returns one page of the users and groups a graph is shared with
// for editing, with the cursor of the next page.
//
// API: GET /graphs/{id}/relationships/editors.
func (c *Client) ListEditors(ctx context.Context, graphID string, opts *ListOptions) (*Page[*Principal], error) {
	return c.listAccess(ctx, graphID, opts, editors)
}

// ListEditorsIter returns an iterator over every editor of a graph, page
// after page; see [Client.SearchGraphsIter] for how iterators behave.
func (c *Client) ListEditorsIter(ctx context.Context, graphID string, opts *ListOptions, it *IterOptions) iter.Seq2[*Principal, error] {
	return c.listAccessIter(ctx, graphID, opts, it, editors)
}

// AddEditors lets the given users and groups edit and share a graph and
// returns them as the API describes them. Like [Client.AddViewers] it is
// all or none and sent once.
//
// API: POST /graphs/{id}/relationships/editors.
func (c *Client) AddEditors(ctx context.Context, graphID string, who ...PrincipalRef) ([]*Principal, error) {
	return c.addAccess(ctx, graphID, who, editors)
}

// RemoveEditor withdraws the edit access granted directly to a user or
// group. Revoking access that was not granted succeeds.
//
// API: DELETE /graphs/{id}/relationships/editors/{user_or_group_id}.
func (c *Client) RemoveEditor(ctx context.Context, graphID string, who PrincipalRef) error {
	return c.removeAccess(ctx, graphID, who, editors)
}

// IsEditor reports whether a user or group may edit a graph: for a user, as
// its owner or an editor, directly or through a group.
//
// API: GET /graphs/{id}/relationships/editors/{user_or_group_id}.
func (c *Client) IsEditor(ctx context.Context, graphID string, who PrincipalRef) (bool, error) {
	return c.checkAccess(ctx, graphID, who, editors)
}

func (c *Client) listAccess(ctx context.Context, graphID string, opts *ListOptions, role accessRole) (*Page[*Principal], error) {
	o := listOptions(opts)
	var p paramProblems
	checkGraphID(&p, graphID)
	o.check(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	limit, cursor := pageParams(o)
	var (
		resp *http.Response
		err  error
	)
	if role == editors {
		resp, err = c.api.GraphsEditors(ctx, graphID, &vtapi.GraphsEditorsParams{Limit: limit, Cursor: cursor})
	} else {
		resp, err = c.api.GraphsViewers(ctx, graphID, &vtapi.GraphsViewersParams{Limit: limit, Cursor: cursor})
	}
	body := pageBody[*Principal]{decode: principalDecoder}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, err
	}
	return body.page, nil
}

func (c *Client) listAccessIter(ctx context.Context, graphID string, opts *ListOptions, it *IterOptions, role accessRole) iter.Seq2[*Principal, error] {
	return iterate(ctx, listOptions(opts), it, func(ctx context.Context, o ListOptions) (*Page[*Principal], error) {
		return c.listAccess(ctx, graphID, &o, role)
	})
}

func (c *Client) addAccess(ctx context.Context, graphID string, who []PrincipalRef, role accessRole) ([]*Principal, error) {
	var p paramProblems
	checkGraphID(&p, graphID)
	if len(who) == 0 {
		p.add("principal", "at least one user or group is needed")
	}
	type descriptor struct {
		Type PrincipalType `json:"type"`
		ID   string        `json:"id"`
	}
	data := make([]descriptor, len(who))
	for i, r := range who {
		r.check(&p, "principal["+strconv.Itoa(i)+"]")
		data[i] = descriptor(r)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	body, err := encodeData(data)
	if err != nil {
		return nil, err
	}
	// Granting is a POST and, like every POST, is sent once: a repeated grant
	// would be harmless, but the rule "no POST is ever sent twice" is simpler
	// to rely on than a list of exceptions.
	var resp *http.Response
	if role == editors {
		resp, err = c.api.GraphsAddEditorWithBody(ctx, graphID, contentTypeJSON, bytes.NewReader(body))
	} else {
		resp, err = c.api.GraphsAddViewerWithBody(ctx, graphID, contentTypeJSON, bytes.NewReader(body))
	}
	out := pageBody[*Principal]{decode: principalDecoder}
	if err := decodeResponse(ctx, resp, err, &out); err != nil {
		return nil, err
	}
	return out.page.Items, nil
}

func (c *Client) removeAccess(ctx context.Context, graphID string, who PrincipalRef, role accessRole) error {
	if err := checkAccessParams(graphID, who); err != nil {
		return err
	}
	var (
		resp *http.Response
		err  error
	)
	if role == editors {
		resp, err = c.api.GraphsDeleteEditor(ctx, graphID, who.ID)
	} else {
		resp, err = c.api.GraphsDeleteViewer(ctx, graphID, who.ID)
	}
	return decodeResponse(ctx, resp, err, nil)
}

func (c *Client) checkAccess(ctx context.Context, graphID string, who PrincipalRef, role accessRole) (bool, error) {
	if err := checkAccessParams(graphID, who); err != nil {
		return false, err
	}
	var (
		resp *http.Response
		err  error
	)
	if role == editors {
		resp, err = c.api.GraphsCheckEditor(ctx, graphID, who.ID)
	} else {
		resp, err = c.api.GraphsCheckViewer(ctx, graphID, who.ID)
	}
	body := dataBody[bool]{decode: rawDecoder(decodeValue[bool])}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return false, err
	}
	return body.value, nil
}

// principalDecoder decodes a user or group, which must have an id to be
// shared with or told apart.
var principalDecoder = rawDecoder(withID("user or group", decodePrincipal, func(p *Principal) string { return p.ID }))

func checkAccessParams(graphID string, who PrincipalRef) error {
	var p paramProblems
	checkGraphID(&p, graphID)
	who.check(&p, "principal")
	return p.err()
}
