package vtgraph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/vtgraphs/vtgraphs/gen/vtapi"
)

// SearchGraphs returns one page of the graphs that opts selects and that the
// API key may see, with the cursor of the next page. A nil opts lists every
// visible graph in the server's order. Invalid options are reported together
// as a *ParamError before any request is sent.
//
// Graphs come back with the attributes opts.Attributes selects; without a
// selection the server decides, and a graph may lack its nodes and links.
//
// API: GET /graphs.
func (c *Client) SearchGraphs(ctx context.Context, opts *SearchOptions) (*Page[*Graph], error) {
	params, err := opts.graphsParams()
	if err != nil {
		return nil, err
	}
	resp, err := c.api.Graphs(ctx, params)
	body := pageBody[*Graph]{decode: graphDecoder("")}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, err
	}
	return body.page, nil
}

// SearchGraphsIter returns an iterator over every graph of the search, page
// after page, starting at opts.Cursor when it is set. opts is copied, so the
// caller may change it afterwards. Pages are fetched as the loop asks for
// them; see [IterOptions] for capping, prefetching and resuming. An error is
// yielded once and ends the loop.
func (c *Client) SearchGraphsIter(ctx context.Context, opts *SearchOptions, it *IterOptions) iter.Seq2[*Graph, error] {
	var o SearchOptions
	if opts != nil {
		o = *opts
		o.Attributes = slices.Clone(opts.Attributes)
	}
	return iterate(ctx, o.ListOptions, it, func(ctx context.Context, lo ListOptions) (*Page[*Graph], error) {
		page := o
		page.ListOptions = lo
		return c.SearchGraphs(ctx, &page)
	})
}

// GetGraphOptions are the query parameters of [Client.GetGraph]. A nil
// *GetGraphOptions returns the graph with all its attributes.
type GetGraphOptions struct {
	// Attributes selects the attributes to return, such as "private" and
	// "graph_data"; empty returns all of them.
	Attributes []string
}

// GetGraph returns the graph with the given id, decoded losslessly: saving it
// with [Client.SaveGraph] keeps attributes this package does not model. The
// error matches [ErrNotFound] when the graph does not exist.
//
// API: GET /graphs/{id}, returning a graph object
// (https://gtidocs.virustotal.com/reference/graph-object).
func (c *Client) GetGraph(ctx context.Context, id string, opts *GetGraphOptions) (*Graph, error) {
	var p paramProblems
	checkGraphID(&p, id)
	var attrs string
	if opts != nil {
		attrs = attributesParam(opts.Attributes, &p)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	var params vtapi.GraphsInfoParams
	if attrs != "" {
		params.Attributes = &attrs
	}
	resp, err := c.api.GraphsInfo(ctx, id, &params)
	return decodeGraphResponse(ctx, resp, err, id)
}

// CreateGraph creates g on VirusTotal, sets g.ID to the id the server gave
// it and returns that id. The owner is the API key's user.
//
// A graph is created once: when g already has an ID, such as a graph loaded
// with [Client.GetGraph] or created before, nothing is sent and the error
// is a *ParamError for "id", since a second create would make a second
// graph. Save changes to it with [Client.SaveGraph]; to make a new graph
// from it, use [Graph.Copy] or [Client.CopyGraph].
//
// g is validated first: a problem found by [Graph.Validate] is returned as
// its *ValidationError and nothing is sent. Read-only attributes (counts and
// dates) are not sent. A failed create is never retried, because the server
// may have created the graph before failing.
//
// API: POST /graphs.
func (c *Client) CreateGraph(ctx context.Context, g *Graph) (string, error) {
	if g == nil {
		return "", &ParamError{Problems: []FieldError{{Path: "graph", Message: "nil"}}}
	}
	if g.ID != "" {
		return "", &ParamError{Problems: []FieldError{{Path: "id", Message: fmt.Sprintf(
			"the graph was created already, as %q: save it with SaveGraph, or create a copy made with Graph.Copy", truncateValue(g.ID))}}}
	}
	if err := g.Validate(); err != nil {
		return "", err
	}
	body, err := graphBody(g, "")
	if err != nil {
		return "", err
	}
	resp, err := c.api.CreateGraphsWithBody(ctx, contentTypeJSON, bytes.NewReader(body))
	created := dataBody[string]{decode: rawDecoder(decodeCreatedID)}
	if err := decodeResponse(ctx, resp, err, &created); err != nil {
		return "", err
	}
	g.ID = created.value
	return created.value, nil
}

// GraphUpdate lists the attributes [Client.UpdateGraph] changes. Only the
// fields that are set are sent, so an update of Private alone cannot touch
// the nodes, links or name. At least one field must be set.
type GraphUpdate struct {
	// Private, when not nil, makes the graph private or public.
	Private *bool
	// Description, when not nil, renames the graph. The other keys of
	// graph_data, such as version and the UI's layout, are kept, which
	// costs a request more; see [Client.UpdateGraph].
	Description *string
	// Nodes, when not nil, replaces all the nodes; an empty non-nil slice
	// removes them. It must be set together with Links, and both are
	// validated as a graph before anything is sent.
	Nodes []Node
	// Links, when not nil, replaces all the links; an empty non-nil slice
	// removes them. It must be set together with Nodes.
	Links []Link
	// Extra sets other attributes, such as "position", to the raw JSON
	// given. The attributes that have fields above, and the read-only ones
	// (comments_count, views_count, creation_date, last_modified_date),
	// are refused; graph_data is accepted when Description is not set.
	Extra map[string]json.RawMessage
	// UnmodifiedSince, when not zero, makes the update conditional, as a
	// save of a loaded graph is (see Shared editing in the package
	// documentation): it is sent only if the graph's last_modified_date is
	// still this one, to the second, and otherwise nothing is sent and the
	// error is a [*ConflictError] with both dates. Set it to the
	// LastModifiedDate of the graph the update was made from. The check
	// reads the date with the rename's GET when Description is set, and
	// costs a GET of its own otherwise.
	UnmodifiedSince time.Time
}

// readOnlyAttributes are the graph attributes only the server sets.
var readOnlyAttributes = []string{"comments_count", "creation_date", "last_modified_date", "views_count"}

// check reports every invalid field of u.
func (u *GraphUpdate) check(p *paramProblems) {
	if u == nil {
		p.add("update", "nil")
		return
	}
	if u.Private == nil && u.Description == nil && u.Nodes == nil && u.Links == nil && len(u.Extra) == 0 {
		p.add("update", "sets no attribute")
	}
	switch {
	case u.Nodes != nil && u.Links == nil:
		p.add("links", "must be set together with nodes: links refer to nodes by entity id, so replacing one alone can break the graph")
	case u.Links != nil && u.Nodes == nil:
		p.add("nodes", "must be set together with links: links refer to nodes by entity id, so replacing one alone can break the graph")
	}
	for _, k := range sortedKeys(u.Extra) {
		path := "attributes." + k
		switch {
		case k == "":
			p.add("attributes", "an Extra attribute has an empty name")
		case k == "private" || k == "nodes" || k == "links":
			p.addf(path, "set it with the %s field, not Extra", updateField(k))
		case k == "graph_data" && u.Description != nil:
			p.add(path, "conflicts with Description; set one or the other")
		case slices.Contains(readOnlyAttributes, k):
			p.add(path, "is read-only")
		case !json.Valid(u.Extra[k]):
			p.add(path, "is not valid JSON")
		}
	}
}

func updateField(attr string) string {
	switch attr {
	case "private":
		return "Private"
	case "nodes":
		return "Nodes"
	}
	return "Links"
}

// attributes returns the attributes object of the PATCH: only what u sets.
// current is the graph's graph_data as the server holds it, read when u
// renames the graph.
func (u *GraphUpdate) attributes(current *Graph) (map[string]json.RawMessage, error) {
	attrs := make(map[string]json.RawMessage, len(u.Extra)+4)
	for k, v := range u.Extra {
		attrs[k] = v
	}
	if u.Private != nil {
		attrs["private"] = json.RawMessage(strconv.FormatBool(*u.Private))
	}
	if u.Description != nil {
		renamed := Graph{
			Description:    *u.Description,
			Version:        current.Version,
			GraphDataExtra: current.GraphDataExtra,
			present:        current.present | gDescription,
		}
		attrs["graph_data"] = appendGraphData(nil, &renamed)
	}
	if u.Nodes != nil {
		nodes, err := nodesJSON(u.Nodes)
		if err != nil {
			return nil, err
		}
		attrs["nodes"] = nodes
	}
	if u.Links != nil {
		attrs["links"] = linksJSON(u.Links)
	}
	return attrs, nil
}

// UpdateGraph changes the attributes u sets on graph id and returns the graph
// as the server holds it afterwards. Nothing else is sent: the request body
// is {"data": {"type": "graph", "id": id, "attributes": {…}}} with only
// those attributes, so a concurrent edit of the others is not overwritten.
// Invalid fields are reported together as a *ParamError, and invalid nodes
// and links as a *ValidationError, before any request is sent.
//
// VirusTotal merges a PATCH at the top level of the attributes, and
// graph_data, which holds the name, is one attribute: a graph_data of the
// name alone would drop the graph's version and the keys the UI keeps
// there, such as its layout. So setting Description costs two requests: a
// GET of the graph's graph_data (GET /graphs/{id}?attributes=graph_data),
// then the PATCH with that graph_data renamed. A key another client adds to
// graph_data between the two is lost. To replace graph_data as a whole in
// one request instead, set it in u.Extra. [GraphUpdate.UnmodifiedSince]
// makes the update conditional on nobody having saved the graph since.
//
// Because every value sent is absolute, sending the update twice has the
// same effect as once, so it is retried like a GET.
//
// API: PATCH /graphs/{id}, after GET /graphs/{id} when renaming or
// checking UnmodifiedSince.
func (c *Client) UpdateGraph(ctx context.Context, id string, u *GraphUpdate) (*Graph, error) {
	var p paramProblems
	checkGraphID(&p, id)
	u.check(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	if u.Nodes != nil {
		if err := (&Graph{Nodes: u.Nodes, Links: u.Links}).Validate(); err != nil {
			return nil, err
		}
	}
	var read []string
	if u.Description != nil {
		read = append(read, "graph_data")
	}
	if !u.UnmodifiedSince.IsZero() {
		read = append(read, "last_modified_date")
	}
	var current *Graph
	if len(read) > 0 {
		var err error
		if current, err = c.GetGraph(ctx, id, &GetGraphOptions{Attributes: read}); err != nil {
			return nil, err
		}
		if !u.UnmodifiedSince.IsZero() && !sameSecond(current.LastModifiedDate, u.UnmodifiedSince) {
			return nil, &ConflictError{GraphID: id, LoadedDate: u.UnmodifiedSince, ServerDate: current.LastModifiedDate}
		}
	}
	attrs, err := u.attributes(current)
	if err != nil {
		return nil, err
	}
	body, err := encodeData(struct {
		Type       string                     `json:"type"`
		ID         string                     `json:"id"`
		Attributes map[string]json.RawMessage `json:"attributes"`
	}{"graph", id, attrs})
	if err != nil {
		return nil, err
	}
	return c.patchGraph(ctx, id, body)
}

// SaveGraph writes a whole graph back: its name and the rest of graph_data,
// private, nodes, links and the Extra attributes, in one PATCH of g.ID. It
// returns the graph as the server holds it afterwards.
//
// A graph that was loaded, so that its LastModifiedDate is set, is written
// only if nobody saved it since: SaveGraph first reads the graph's
// last_modified_date alone, and when it differs from g.LastModifiedDate
// nothing is written and the error is a [*ConflictError], matching
// [ErrConflict], with both dates. [Overwrite] writes without the check and
// [MergeOnConflict] merges the other save in and writes the merge. The
// check narrows the window for a lost update to the time between the check
// and the write, but cannot close it: see Shared editing in the package
// documentation. A graph never loaded (built in code and created with
// [Client.CreateGraph], say) is written without the check.
//
// After writing g, SaveGraph sets g.LastModifiedDate to the saved graph's,
// so that saving g again checks against this save. g is otherwise left as
// it is, apart from its node indexes, which are renumbered when they are out
// of order (see [Graph.RenumberIndexes]).
//
// An attribute g was loaded without (a search with an attribute selection,
// say) is not sent and so stays as it is on the server. Read-only attributes
// are not sent. g must have a valid ID and pass [Graph.Validate]; otherwise a
// *ParamError or *ValidationError is returned and nothing is sent. Like
// [Client.UpdateGraph], SaveGraph is retried on transient failures.
//
// API: GET /graphs/{id}?attributes=last_modified_date, then PATCH
// /graphs/{id}.
func (c *Client) SaveGraph(ctx context.Context, g *Graph, opts ...SaveOption) (*Graph, error) {
	var p paramProblems
	if g == nil {
		p.add("graph", "nil")
	} else {
		checkGraphID(&p, g.ID)
	}
	s := saveSettingsOf(g, opts, &p)
	if err := p.err(); err != nil {
		return nil, err
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return c.saveGraph(ctx, g, s)
}

func (c *Client) patchGraph(ctx context.Context, id string, body []byte) (*Graph, error) {
	resp, err := c.api.GraphsUpdateWithBody(withIdempotent(ctx), id, contentTypeJSON, bytes.NewReader(body))
	return decodeGraphResponse(ctx, resp, err, id)
}

// DeleteGraph deletes the graph with the given id. Only its owner may: the
// error matches [ErrForbidden] when the key may see the graph but not delete
// it, and [ErrNotFound] when the graph does not exist.
//
// API: DELETE /graphs/{id}.
func (c *Client) DeleteGraph(ctx context.Context, id string) error {
	var p paramProblems
	checkGraphID(&p, id)
	if err := p.err(); err != nil {
		return err
	}
	resp, err := c.api.GraphsDelete(ctx, id)
	return decodeResponse(ctx, resp, err, nil)
}

// decodeGraphResponse decodes the answer about the graph with the given id.
func decodeGraphResponse(ctx context.Context, resp *http.Response, err error, id string) (*Graph, error) {
	body := dataBody[*Graph]{decode: graphDecoder(id)}
	if err := decodeResponse(ctx, resp, err, &body); err != nil {
		return nil, err
	}
	return body.value, nil
}

// graphDecoder decodes a graph object and checks its id, so that a graph
// returned can be referred to and is the one the call was about. With asked
// set, the object answers a call about that graph: without an id, as test
// doubles and VirusTotal's own library's fixtures leave it, it takes the id
// asked for, and any other id is an error. With asked empty, as for the
// items of a search, the object must carry a well-formed id of its own.
func graphDecoder(asked string) func(*jsonScanner) (*Graph, error) {
	return func(s *jsonScanner) (*Graph, error) {
		start := s.pos
		g, err := decodeGraphObject(s)
		if err != nil {
			return nil, err
		}
		switch {
		case asked != "" && g.ID == "" && !g.present.has(gID):
			g.ID = asked
		case !ValidGraphID(g.ID):
			err = errNotAGraphID
		case asked != "" && g.ID != asked:
			err = errors.New("the graph's id is not the one requested")
		}
		if err != nil {
			return nil, &offsetError{offset: int64(start), err: err}
		}
		return g, nil
	}
}

var errNotAGraphID = errors.New("the graph's id is not a graph id (g followed by 64 lowercase hexadecimal characters)")

// decodeCreatedID reads the id of {"type": "graph", "id": "…", …}, which
// the caller will use in paths and links, so it must be a graph id.
func decodeCreatedID(data []byte) (string, error) {
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &obj); err != nil {
		return "", err
	}
	switch {
	case obj.ID == "":
		return "", errors.New("the created graph has no id")
	case !ValidGraphID(obj.ID):
		return "", errors.New("the created graph's id is not a graph id (g followed by 64 lowercase hexadecimal characters)")
	}
	return obj.ID, nil
}

// nodesJSON encodes nodes as a graph's nodes array, renumbering the indexes
// in the output when they are out of order, as encoding a Graph does.
func nodesJSON(nodes []Node) (json.RawMessage, error) {
	return appendNodes(nil, nodes)
}

func linksJSON(links []Link) json.RawMessage {
	return appendLinks(nil, links)
}
