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
//     a graph that has an ID already is refused, so calling it twice
//     cannot make two graphs;
//   - [Client.CopyGraph] makes a new graph from an existing one, with a
//     new name ([Graph.Copy] does it in memory);
//   - [Client.GetGraph] loads one graph;
//   - [Client.UpdateGraph] changes only the attributes a [GraphUpdate] sets,
//     so making a graph public cannot wipe its nodes; renaming keeps the
//     rest of graph_data (its version, the UI's layout), at the cost of a
//     GET before the PATCH;
//   - [Client.SaveGraph] writes a loaded and edited graph back;
//   - [Client.DeleteGraph] deletes one.
//
// # Building and editing graphs
//
// [Graph.AddNode] and [Graph.AddLink] draw a graph the way the VirusTotal
// UI does: a typed link, such as "resolutions", goes through a relationship
// node named by [RelationshipNodeID]. [Graph.RemoveNode] and
// [Graph.RemoveLink] undo them, taking along the relationship nodes left
// without a side. [Graph.AddCommonality], [Graph.AddIntelligenceQuery],
// [Graph.AddHuntingRuleset] and [Graph.AddRetrohuntJob] add the UI's
// search and commonality nodes. The same calls always give the same JSON.
//
// Every call costs amortised constant time, however large the graph: an
// index, kept alongside Nodes and Links, finds nodes by id and each node's
// links, and the queries ([Graph.Node], [Graph.Neighbours], [Graph.Related],
// [Graph.Path]) use it too. Nodes and Links stay plain slices: appending to
// them, shortening or replacing them is noticed by the next call, which
// indexes again what changed. Changing a node's id or a link's ends in
// place is not always noticed; remove and add instead. Removing fills the
// hole with the last node or link, which takes over the removed node's
// index, so indexes stay in the order in which they are saved unchanged.
//
// Graphs are stored as VirusTotal's own tools (the UI and the vt-graph-api
// library) store them, and load, validate and save as those tools wrote
// them:
//
//   - One relationship node may have several sources, each of which then
//     reaches each of its targets; vt-graph-api draws files with the same
//     contacted addresses so. [Graph.AddSharedLinks] builds that shape, and
//     [Graph.RemoveLink] of one source leaves the others' links.
//   - A group ([Graph.AddGroup]) is a relationship node that lists its
//     members in grouped_node_ids, with a "group" link from each member
//     and a copy of each member's links; [Graph.GroupMembers] reads it.
//   - Entity types other than those the API has objects for, such as
//     victim or actor, are stored as type "custom" with a custom_type;
//     [Node.EntityType] reads either form and [Node.SetEntityType] writes
//     VirusTotal's.
//   - has_detections may be a count ([EntityAttributes.DetectionCount],
//     [Node.SetDetectionCount]), and stays one.
//   - Repeated links are kept and sent as they are; [Graph.DedupLinks]
//     removes them when asked.
//   - The layout ([Graph.Representation], force_graph or tree) and
//     graph_data's version are kept on every save.
//
// [Graph.Validate] runs before every create and save. Its doc lists each
// rule and why: it refuses what the API refuses or the UI would draw
// broken, such as links to missing nodes, blank ids, a type that is not a
// lower-case identifier, an empty group or a node in two groups, and
// accepts what VirusTotal's tools save.
//
// Comments: [Client.ListComments], [Client.ListCommentsIter] and
// [Client.AddComment]. Relationships: [Client.GetOwner], [Client.GetGroup],
// [Client.ListRelated] and [Client.ListRelatedDescriptors] with a [Relation]
// such as [RelationItems], and their iterators. Sharing, for viewers and in
// the same way for editors: [Client.ListViewers], [Client.AddViewers],
// [Client.RemoveViewer] and [Client.IsViewer], with principals written as
// [User], [Group] or parsed by [ParsePrincipal].
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
// Errors come in four types, found with [errors.As]:
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
