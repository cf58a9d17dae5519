package vtgraph

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"strings"
	"time"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// Comment is a comment posted on a graph.
type Comment struct {
	// ID identifies the comment.
	ID string
	// Text is the comment as written; words starting with # are its tags.
	Text string
	// HTML is the text rendered as HTML by VirusTotal.
	HTML string
	// Date is when the comment was posted, to the second.
	Date time.Time
	// Tags are the hashtags found in Text, without the #.
	Tags []string
	// Votes counts the community's votes on the comment.
	Votes CommentVotes
	// Extra holds attributes this package does not model, as raw JSON.
	Extra map[string]json.RawMessage
}

// CommentVotes counts the votes on a comment.
type CommentVotes struct {
	// Positive is the number of votes for the comment.
	Positive int64
	// Negative is the number of votes against it.
	Negative int64
	// Abuse is the number of reports of the comment as abusive.
	Abuse int64
}

// ListComments returns one page of the comments on a graph, newest first,
// with the cursor of the next page. A nil opts asks for the first page at the
// server's default size.
//
// API: GET /graphs/{id}/comments
// (https://gtidocs.virustotal.com/reference/graph-comments).
func (c *Client) ListComments(ctx context.Context, graphID string, opts *ListOptions) (*Page[*Comment], error) {
	o := listOptions(opts)
	var p paramProblems
	checkGraphID(&p, graphID)
	o.check(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	params := &vtapi.GetGraphCommentsParams{}
	params.Limit, params.Cursor = pageParams(o)
	resp, err := c.api.GetGraphComments(ctx, graphID, params)
	body := pageBody[*Comment]{decode: rawDecoder(withID("comment", decodeComment, commentID))}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, err
	}
	return body.page, nil
}

// ListCommentsIter returns an iterator over every comment on a graph, page
// after page; see [Client.SearchGraphsIter] for how iterators behave.
func (c *Client) ListCommentsIter(ctx context.Context, graphID string, opts *ListOptions, it *IterOptions) iter.Seq2[*Comment, error] {
	return iterate(ctx, listOptions(opts), it, func(ctx context.Context, o ListOptions) (*Page[*Comment], error) {
		return c.ListComments(ctx, graphID, &o)
	})
}

// AddComment posts a comment on a graph and returns it as stored, with its
// id, date and tags. Anyone who can see the graph may comment. Text that is
// empty or only whitespace is refused with a *ParamError before sending. A
// failed post is never retried, so a comment is not posted twice.
//
// API: POST /graphs/{id}/comments.
func (c *Client) AddComment(ctx context.Context, graphID, text string) (*Comment, error) {
	var p paramProblems
	checkGraphID(&p, graphID)
	if strings.TrimSpace(text) == "" {
		p.add("text", "empty")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	type attributes struct {
		Text string `json:"text"`
	}
	body, err := encodeData(struct {
		Type       string     `json:"type"`
		Attributes attributes `json:"attributes"`
	}{"comment", attributes{text}})
	if err != nil {
		return nil, err
	}
	resp, err := c.api.PostGraphsCommentsWithBody(ctx, graphID, contentTypeJSON, bytes.NewReader(body))
	out := dataBody[*Comment]{decode: rawDecoder(withID("comment", decodeComment, commentID))}
	if err := decodeResponse(ctx, resp, err, &out); err != nil {
		return nil, err
	}
	return out.value, nil
}

func commentID(c *Comment) string { return c.ID }

// decodeComment decodes a comment object:
// {"type": "comment", "id": "…", "attributes": {"text": …, "date": …}}.
func decodeComment(data []byte) (*Comment, error) {
	var obj struct {
		ID         string                     `json:"id"`
		Attributes map[string]json.RawMessage `json:"attributes"`
	}
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	cm := &Comment{ID: obj.ID}
	var (
		date  int64
		votes struct {
			Positive int64 `json:"positive"`
			Negative int64 `json:"negative"`
			Abuse    int64 `json:"abuse"`
		}
	)
	fields := map[string]any{
		"text":  &cm.Text,
		"html":  &cm.HTML,
		"date":  &date,
		"tags":  &cm.Tags,
		"votes": &votes,
	}
	for k, raw := range obj.Attributes {
		dst, known := fields[k]
		if !known {
			if cm.Extra == nil {
				cm.Extra = map[string]json.RawMessage{}
			}
			cm.Extra[k] = raw
			continue
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return nil, &pathError{path: "attributes." + k, err: err}
		}
	}
	if date != 0 {
		cm.Date = time.Unix(date, 0).UTC()
	}
	cm.Votes = CommentVotes(votes)
	return cm, nil
}
