package vtgraph

import (
	"context"
	"iter"
	"net/http"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// GetOwner returns the user who owns the graph.
//
// API: GET /graphs/{id}/owner
// (https://gtidocs.virustotal.com/reference/graphs-relationships).
func (c *Client) GetOwner(ctx context.Context, graphID string) (*Principal, error) {
	if err := checkGraphIDParam(graphID); err != nil {
		return nil, err
	}
	resp, err := c.api.GraphsOwner(ctx, graphID)
	return decodePrincipalResponse(ctx, resp, err, false)
}

// GetGroup returns the group the graph belongs to, or nil and no error when
// it belongs to none.
//
// API: GET /graphs/{id}/group
// (https://gtidocs.virustotal.com/reference/graphs-relationships).
func (c *Client) GetGroup(ctx context.Context, graphID string) (*Principal, error) {
	if err := checkGraphIDParam(graphID); err != nil {
		return nil, err
	}
	resp, err := c.api.GraphsGroup(ctx, graphID)
	return decodePrincipalResponse(ctx, resp, err, true)
}

func checkGraphIDParam(graphID string) error {
	var p paramProblems
	checkGraphID(&p, graphID)
	return p.err()
}

// decodePrincipalResponse decodes the one user or group of the owner and
// group routes; only the group may be null, which gives a nil Principal.
func decodePrincipalResponse(ctx context.Context, resp *http.Response, err error, nullable bool) (*Principal, error) {
	body := dataBody[*Principal]{decode: principalDecoder, nullable: nullable}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, err
	}
	return body.value, nil
}

// ListRelated returns one page of the objects related to a graph through
// rel, with all their attributes, and the cursor of the next page. For the
// single-object relationships owner and group the page holds one object, or
// none for a graph without a group. The objects are untyped; for comments,
// viewers and editors, [Client.ListComments], [Client.ListViewers] and
// [Client.ListEditors] decode them. rel must be a [Relation] constant or
// another name of lowercase letters and underscores; the graph id, rel and
// opts are checked before sending and reported together as a *ParamError.
//
// API: GET /graphs/{id}/{relationship}
// (https://gtidocs.virustotal.com/reference/graphs-relationships).
func (c *Client) ListRelated(ctx context.Context, graphID string, rel Relation, opts *ListOptions) (*Page[*Object], error) {
	params, err := relatedParams(graphID, rel, opts)
	if err != nil {
		return nil, err
	}
	resp, err := c.api.GraphsRelationships(ctx, graphID, string(rel), (*vtapi.GraphsRelationshipsParams)(params))
	body := pageBody[*Object]{decode: rawDecoder(withID("object", decodeObject, func(o *Object) string { return o.ID })), single: true}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, err
	}
	return body.page, nil
}

// ListRelatedIter returns an iterator over every object related to a graph
// through rel, page after page; see [Client.SearchGraphsIter] for how
// iterators behave.
func (c *Client) ListRelatedIter(ctx context.Context, graphID string, rel Relation, opts *ListOptions, it *IterOptions) iter.Seq2[*Object, error] {
	return iterate(ctx, listOptions(opts), it, func(ctx context.Context, o ListOptions) (*Page[*Object], error) {
		return c.ListRelated(ctx, graphID, rel, &o)
	})
}

// descriptorDecoder decodes the descriptors of a listing, each of which
// has an id.
var descriptorDecoder = rawDecoder(withID("object", decodeDescriptor, func(d Descriptor) string { return d.ID }))

// ListRelatedDescriptors is [Client.ListRelated] returning only the type and
// id of each object (and its context attributes, if any), which is cheaper
// when the attributes are not needed.
//
// API: GET /graphs/{id}/relationships/{relationship}.
func (c *Client) ListRelatedDescriptors(ctx context.Context, graphID string, rel Relation, opts *ListOptions) (*Page[Descriptor], error) {
	params, err := relatedParams(graphID, rel, opts)
	if err != nil {
		return nil, err
	}
	resp, err := c.api.GraphsRelationshipsIds(ctx, graphID, string(rel), params)
	body := pageBody[Descriptor]{decode: descriptorDecoder, single: true}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, err
	}
	return body.page, nil
}

// ListRelatedDescriptorsIter returns an iterator over the descriptors of
// every object related to a graph through rel, page after page; see
// [Client.SearchGraphsIter] for how iterators behave.
func (c *Client) ListRelatedDescriptorsIter(ctx context.Context, graphID string, rel Relation, opts *ListOptions, it *IterOptions) iter.Seq2[Descriptor, error] {
	return iterate(ctx, listOptions(opts), it, func(ctx context.Context, o ListOptions) (*Page[Descriptor], error) {
		return c.ListRelatedDescriptors(ctx, graphID, rel, &o)
	})
}

// relatedParams checks the arguments of a relationship call and returns its
// query parameters. Both relationship routes take the same ones.
func relatedParams(graphID string, rel Relation, opts *ListOptions) (*vtapi.GraphsRelationshipsIdsParams, error) {
	o := listOptions(opts)
	var p paramProblems
	checkGraphID(&p, graphID)
	checkRelation(&p, rel)
	o.check(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	params := &vtapi.GraphsRelationshipsIdsParams{}
	params.Limit, params.Cursor = pageParams(o)
	return params, nil
}
