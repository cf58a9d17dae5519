package vtgraphtest

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
	"github.com/vtgraphs/vtgraphs/gen/vtapiserver"
)

// commentKey lists comments newest first, as VirusTotal does.
func commentKey(c *comment) pageKey { return pageKey{Q: c.seq} }

func (c *comment) object(base string) vtapi.Comment {
	text, markup, date := c.text, html.EscapeString(c.text), c.date
	tags := append([]string{}, c.tags...)
	var zero int64
	self := base + "/comments/" + c.id
	return vtapi.Comment{
		Type: "comment",
		Id:   c.id,
		Attributes: vtapi.CommentAttributes{
			Text: &text, Html: &markup, Date: &date, Tags: &tags,
			Votes: &vtapi.CommentAttributes_Votes{Positive: &zero, Negative: &zero, Abuse: &zero},
		},
		Links: &vtapi.ObjectLinks{Self: &self},
	}
}

func (a *api) GetGraphComments(ctx context.Context, req vtapiserver.GetGraphCommentsRequestObject) (vtapiserver.GetGraphCommentsResponseObject, error) {
	limit, err := listLimit(req.Params.Limit)
	if err != nil {
		return err.getGraphComments(), nil
	}
	s, c := a.s, callFrom(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookup(req.Id, userFrom(ctx))
	if err != nil {
		return err.getGraphComments(), nil
	}
	all := append([]*comment{}, g.comments...)
	page, next, err := paginate(all, commentKey, true, req.Params.Cursor, limit)
	if err != nil {
		return err.getGraphComments(), nil
	}
	data := make([]vtapi.Comment, len(page))
	for i, cm := range page {
		data[i] = cm.object(c.base())
	}
	links, meta := pageInfo(c, next, len(all))
	return vtapiserver.GetGraphComments200JSONResponse{Data: data, Links: links, Meta: meta}, nil
}

// PostGraphsComments lets anyone who can read a graph comment on it, as on
// VirusTotal, where comments are how the community annotates public graphs.
func (a *api) PostGraphsComments(ctx context.Context, req vtapiserver.PostGraphsCommentsRequestObject) (vtapiserver.PostGraphsCommentsResponseObject, error) {
	if t := req.Body.Data.Type; t != "comment" {
		return badRequest("InvalidArgumentError", "data.type must be \"comment\", got %q", t).postGraphsComments(), nil
	}
	text := req.Body.Data.Attributes.Text
	if strings.TrimSpace(text) == "" {
		return badRequest("InvalidArgumentError", "data.attributes.text: empty").postGraphsComments(), nil
	}
	s, u := a.s, userFrom(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.lookup(req.Id, u)
	if err != nil {
		return err.postGraphsComments(), nil
	}
	g.nComment++
	cm := &comment{
		id:   fmt.Sprintf("%s-%d", g.id, g.nComment),
		seq:  s.nextSeq(),
		text: text,
		date: s.now().Unix(),
		tags: tags(text),
	}
	g.comments = append(g.comments, cm)
	return vtapiserver.PostGraphsComments200JSONResponse{Data: cm.object(callFrom(ctx).base())}, nil
}
