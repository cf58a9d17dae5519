// Package vtgraph is a typed Go client for the Threat Graphs endpoints of the
// VirusTotal API v3: searching, creating, reading, updating and deleting
// graphs, commenting on them, following their relationships, and sharing
// them with users and groups.
//
//	c, err := vtgraph.New(os.Getenv("VT_API_KEY"))
//	if err != nil { … }
//	g := vtgraph.NewGraph("Hooli investigation")
//	g.AddNode("hooli.com", vtgraph.NodeTypeDomain)
//	id, err := c.CreateGraph(ctx, g)
//
// Every call takes a [context.Context] first and does nothing else in the
// background: no goroutine outlives a call, and iterators fetch pages only as
// the loop asks for them.
//
// # Authentication
//
// [New] takes the API key and sends it in the x-apikey header of every
// request, and only to the scheme and host of the base URL: it is dropped
// from redirects to other hosts and never appears in errors, logs or when a
// [Client] is printed. There are no package-level settings; each Client has
// its own key, base URL ([WithBaseURL]) and HTTP client ([WithHTTPClient],
// or any [Doer] with [WithDoer], for tracing or a proxy). A Client is safe
// for concurrent use.
//
// # Graphs
//
// A [Graph] is decoded losslessly: attributes this package does not model
// are kept and written back unchanged. The calls are:
//
//   - [Client.SearchGraphs] and [Client.SearchGraphsIter] search with a
//     [Filter], an [Order] and an attribute selection ([SearchOptions]);
//   - [Client.CreateGraph] validates and saves a new graph and sets its ID;
//   - [Client.GetGraph] loads one graph;
//   - [Client.UpdateGraph] changes only the attributes a [GraphUpdate] sets,
//     so making a graph public cannot wipe its nodes;
//   - [Client.SaveGraph] writes a loaded and edited graph back, unless
//     someone saved it since (see Shared editing);
//   - [Client.DeleteGraph] deletes one.
//
// Comments: [Client.ListComments], [Client.ListCommentsIter] and
// [Client.AddComment]. Relationships: [Client.GetOwner], [Client.GetGroup],
// [Client.ListRelated] and [Client.ListRelatedDescriptors] with a [Relation]
// such as [RelationItems], and their iterators. Sharing, for viewers and in
// the same way for editors: [Client.ListViewers], [Client.AddViewers],
// [Client.RemoveViewer] and [Client.IsViewer], with principals written as
// [User], [Group] or parsed by [ParsePrincipal].
//
// # Shared editing
//
// Editors of a shared graph may save it at the same time. VirusTotal keeps
// no version of a graph and has no conditional write, so the client tells a
// concurrent save by the graph's last_modified_date: [Client.SaveGraph] of a
// loaded graph first reads that date alone (GET
// /graphs/{id}?attributes=last_modified_date, the lightest read the API
// allows) and, when it moved since the graph was loaded, writes nothing and
// returns a [*ConflictError] with both dates, for which errors.Is(err,
// vtgraph.ErrConflict) holds. [Overwrite] saves without the check.
//
// [MergeOnConflict] merges the other save in instead. The merge needs the
// graph as it was loaded, which the caller keeps, since a Client keeps no
// state between calls:
//
//	g, err := c.GetGraph(ctx, id, nil)
//	if err != nil { … }
//	base := g.Clone()
//	g.AddNode("hooli.net", vtgraph.NodeTypeDomain)
//	saved, err := c.SaveGraph(ctx, g, vtgraph.MergeOnConflict(base))
//
// On a conflict it fetches the server's graph, merges the two with
// [MergeGraphs] and saves the merge when no [Conflict] is [Unresolved];
// otherwise the ConflictError carries the conflicts and the merged graph to
// resolve and save. [DiffGraphs] shows what differs between two graphs, one
// change per line or as JSON.
//
// The check narrows the window for a lost update to the round trip between
// the check and the PATCH; it cannot close it. A save by someone else that
// lands in between is overwritten, and because VirusTotal dates a save to
// the second, a save within the second of the one before it may leave the
// date unchanged and go unseen. The in-memory server in vtgraphtest never
// gives a graph the same date twice, so tests see every save.
//
// # Pagination
//
// Every list call comes in two forms. The plain one, such as
// [Client.ListComments], returns one [Page] with its items and
// [Page.NextCursor]; passing the cursor back in [ListOptions] fetches the
// next page, which suits a web page or a CLI that shows one page at a time.
// The …Iter twin, such as [Client.ListCommentsIter], returns an
// [iter.Seq2] over every item of every page:
//
//	for g, err := range c.SearchGraphsIter(ctx, opts, nil) {
//		if err != nil { return err }
//		fmt.Println(g.Description)
//	}
//
// The iterator copies the options, starts no goroutine (unless
// [IterOptions.Prefetch] asks for one, which it always stops), stops when the
// loop breaks, yields an error once and stops, and stops on a cursor the
// server repeats. [IterOptions] also caps the number of items and saves the
// position, to the item, for resuming later. Pages hold at most
// [MaxPageSize] items.
//
// # Errors
//
// Errors come in five types, found with [errors.As]:
//
//   - [*ParamError] and [*ValidationError]: the input is invalid, and
//     nothing was sent. Each lists every problem at once with a path, such
//     as "limit" or "nodes[3].entity_id".
//   - [*APIError]: the server answered with a status outside 2xx. It carries
//     the status, VirusTotal's error code and message, and the method and
//     path. Match codes with [errors.Is] and the [ErrorCode] constants:
//     errors.Is(err, vtgraph.ErrNotFound).
//   - [*DecodeError]: a 2xx response whose body is not the expected JSON,
//     with the status and an excerpt of the body.
//   - [*ConflictError]: a save found that the graph changed on the server
//     since it was loaded, and wrote nothing. It matches [ErrConflict].
//
// Anything else is a transport failure. When the context is cancelled or its
// deadline passes, the call returns promptly and errors.Is(err,
// context.Canceled) or errors.Is(err, context.DeadlineExceeded) holds.
//
// # Retries and rate limits
//
// By default a request that gets 429, 503 or 504, or fails with a transient
// network error, is retried up to 4 attempts in all, with exponential
// backoff and jitter, honouring a Retry-After header up to a minute
// ([DefaultRetryPolicy]). Only requests that are safe to repeat are retried:
// reads, deletions, and [Client.UpdateGraph] and [Client.SaveGraph] (they set
// absolute values). No POST is ever retried: [Client.CreateGraph] and
// [Client.AddComment] could duplicate the graph or the comment if the server
// acted before failing, and granting access is sent once too.
// [WithRetryPolicy] changes the policy and [WithoutRetries] turns retries
// off.
//
// There is no client-side rate limit by default. [WithRateLimit] spaces
// requests (retries included) across all goroutines sharing a Client;
// [WithPublicAPIRateLimit] keeps to the public API's 4 requests per minute.
// When the server still answers 429, [APIError.RetryAfter] says how long it
// asked to wait.
//
// # Testing
//
// Package vtgraphtest runs an in-memory Threat Graphs server on 127.0.0.1
// with demo users and keys, real sharing rules, search and pagination, and
// fault injection. Point a Client at it with [WithBaseURL]:
//
//	srv := vtgraphtest.NewServer(t)
//	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()))
//
// To fake the transport instead, pass a [Doer] with [WithDoer].
package vtgraph
