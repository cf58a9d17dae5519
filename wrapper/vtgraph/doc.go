// Package vtgraph is a typed Go client for the Threat Graphs endpoints of the
// VirusTotal API v3: searching, creating, reading, updating and deleting
// graphs, commenting on them, following their relationships, and sharing
// them with users and groups; for the lookups graphs are built from:
// files, URLs, domains and IP addresses, their relationships, and
// intelligence search; and for expanding, enriching and connecting graphs
// through those lookups.
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
// from redirects to other hosts, and it never appears in an error, a log
// record or when a [Client] is printed. Writes (POST, PATCH, PUT, DELETE) go
// nowhere else at all: a redirect of one to another origin is refused with
// an error naming its status, since a 307 or 308 would re-send the body
// there; within the origin, redirects are followed.
//
// Whatever puts the key into an error, it is taken out on the way: every
// error a call returns passes one redaction, which replaces the key with
// "[redacted]" wherever it shows, in the error and in every error it wraps.
// So a server that quotes the key back in a body, a Location header that
// holds it (net/http quotes a Location it cannot parse), or a redirect that
// puts it in a path cannot make an error or a log record show it. An error's
// path is the one the call requested, never that of a redirect.
//
// There are no package-level settings; each Client has its own key, base URL
// ([WithBaseURL]) and HTTP client ([WithHTTPClient], or any [Doer] with
// [WithDoer], for tracing or a proxy). A Client is safe for concurrent use.
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
//   - [Client.SaveGraph] writes a loaded and edited graph back, unless
//     someone saved it since (see Shared editing);
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
// indexes again what changed. Changing a node's id or a link's ends in place
// is not always noticed; remove and add instead, or give a node another id
// with [Graph.RenameNode], which keeps what names it. Removing fills the
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
// [Client.AddComment]. Relationships: [Client.GetOwner] and
// [Client.GetGroup], each with a route of its own, and [Client.ListRelated]
// and [Client.ListRelatedDescriptors] with a [Relation] such as
// [RelationItems], and their iterators. Sharing, for viewers and in
// the same way for editors: [Client.ListViewers], [Client.AddViewers],
// [Client.RemoveViewer] and [Client.IsViewer], with principals written as
// [User], [Group] or parsed by [ParsePrincipal].
//
// # Files, URLs, domains and IP addresses
//
// Analysts build graphs by pivoting from an indicator to what it relates
// to. [Client.GetFile], [Client.GetURL], [Client.GetDomain] and
// [Client.GetIPAddress] return a [File], [URL], [Domain] or [IPAddress],
// with the attributes a graph node shows typed ([AnalysisStats] and its
// [AnalysisStats.Detections], a file's TypeTag, an address's Country and
// ASOwner, names, dates) and every attribute kept in Attributes;
// [Client.GetEntity] does the same for any [EntityRef], such as a graph
// node's type and id. [GetEntityOptions.Relationships] includes the first
// descriptors of chosen relationships in the answer, so one request tells
// which of them hold anything.
//
//	d, err := c.GetDomain(ctx, "acme.example", &vtgraph.GetEntityOptions{
//		Relationships: []vtgraph.Relationship{vtgraph.DomainResolutions},
//	})
//
// [Client.ListEntityRelated] and [Client.ListEntityRelatedDescriptors], and
// their iterators, list what a relationship leads to, as [Entity] values
// (with their context attributes) or as descriptors; [Entity.AsFile] and
// its siblings give the typed attributes of each. The relationships of
// each type are constants, such as [DomainResolutions] or
// [FileContactedIPs]; [EntityRelationships] lists them with what they lead
// to, which need a premium key and which hold a single object. A name
// without a constant is sent as is. Resolutions are objects of their own,
// whose other end [ResolutionPeer] gives.
//
// URLs are looked up by the URL itself or by its id, computed locally with
// [URLID] as VirusTotal defines it: the URL in unpadded URL-safe base64.
// [Client.ResolveFileHash] turns an MD5 or a SHA-1 into the SHA-256 graphs
// key files by, with one lookup. [Client.SearchIntelligence] and its
// iterator search VirusTotal's corpus.
//
// VirusTotal answers 404 ([ErrNotFound]) for an entity it does not know,
// 400 ([ErrInvalidArgument]) for a relationship the type does not have, and
// 429 ([ErrQuotaExceeded]) once a quota is spent. A relationship or a
// search that needs a premium API key fails without one with a
// [*PremiumError], so code walking relationships can skip it and go on.
//
// # Expanding, enriching and connecting graphs
//
// Four calls pivot a whole graph through VirusTotal, as the UI does node
// by node:
//
//   - [Client.Expand] follows a node's relationships and draws them as the
//     UI does: for each relationship that holds anything, a relationship
//     node named by [RelationshipNodeID] after the relationship and the
//     node, linked to each related object, which is added with the
//     attributes the UI shows;
//   - [Client.ExpandGraph] does that breadth first to a depth, from chosen
//     nodes or from all of them, adding each node once and never linking
//     one to itself;
//   - [Client.Enrich] fills in has_detections, a file's type_tag and an IP
//     address's country, and renames files named by MD5 or SHA-1 to their
//     SHA-256 ([Graph.RenameNode]);
//   - [Client.Connect] searches VirusTotal from both ends for a path of at
//     most N hops between two nodes and adds it.
//
// Two levels from a domain, within budgets:
//
//	g := vtgraph.NewGraph("Acme phishing")
//	g.AddNode("acme-login.example", vtgraph.NodeTypeDomain)
//	report, err := c.ExpandGraph(ctx, g, &vtgraph.ExpandGraphOptions{
//		Depth: 2,
//		ExpandOptions: vtgraph.ExpandOptions{MaxNodes: 200, PivotOptions: vtgraph.PivotOptions{MaxRequests: 500}},
//	})
//
// They spend requests with care. An expansion looks each node up once,
// asking which of its relationships hold anything
// ([GetEntityOptions.Relationships]), and pages only those, and only when
// the lookup did not list all they hold: no empty page is fetched, nor one
// the lookup made needless. Every answer goes to a [PivotCache]; calls
// given the same one ([PivotOptions.Cache]) never fetch an (entity,
// relationship, page) twice, so an expansion, the enrichment of what it
// added and a connection search between its nodes cost no more than what
// is new to each. [PivotOptions.Concurrency] requests are in flight at
// once (4 by default), all through the client, its connections and its
// rate limit ([WithRateLimit]).
//
// Their limits hold exactly, whatever the concurrency: related objects per
// relationship, entity nodes in the graph, requests sent, requests in
// flight. What they add comes out the same whatever the timing, in the
// order of the nodes, their relationships and VirusTotal's listing, so an
// expansion can be compared with a golden file. The node limit cuts at the
// same node every time; which requests fit in a request budget depends on
// timing when several are in flight, and never with Concurrency 1.
//
// They stop cleanly. On the request budget, on cancellation, or when
// VirusTotal refuses a request for its quota (a QuotaExceededError the
// retry policy does not wait out: the default waits out a per-minute quota
// and not a daily one), they return the graph as far as they got, a report
// of what was done and what is left, and an error that says why: a
// [*BudgetError], the context's error, or the [*APIError] wrapped, with
// errors.Is(err, vtgraph.ErrQuotaExceeded). [ExpandOptions.Resume] takes
// the report of a stopped expansion and continues it exactly where it
// stopped, fetching nothing again. Relationships that need a premium key,
// and entities VirusTotal does not know, are skipped and listed in the
// reports. [PivotOptions.Progress] is called with the requests done and
// pending, for a progress bar.
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
// loop breaks, and yields an error once and stops. A listing never ends
// silently before its last page: when the server names as the next page a
// cursor it already sent, which would repeat pages forever, the iterator
// yields the items it has and then a [*RepeatedCursorError], whose Position
// resumes just after them. [IterOptions] also caps the number of items and
// saves the position, to the item, for resuming later. Pages hold at most
// [MaxPageSize] items.
//
// # Errors
//
// Errors come in these types, found with [errors.As]:
//
//   - [*ParamError] and [*ValidationError]: the input is invalid, and
//     nothing was sent. Each lists every problem at once with a path, such
//     as "limit" or "nodes[3].entity_id".
//   - [*APIError]: the server answered with a status outside 2xx. It carries
//     the status, VirusTotal's error code and message, and the method and
//     path. Match codes with [errors.Is] and the [ErrorCode] constants:
//     errors.Is(err, vtgraph.ErrNotFound).
//   - [*DecodeError]: a 2xx response whose body is not the expected JSON,
//     with the status and an excerpt of the body. That includes an object
//     that lacks what it must have: every comment, user, group and related
//     object an id, every graph of a search a graph id, and a created
//     graph's id the form of one. A graph fetched or saved by id may omit
//     its id and then takes the one asked for; a different or malformed id
//     is an error, so a call never returns another graph than the one it
//     was about.
//   - [*RepeatedCursorError]: an iterator stopped because the server
//     repeated a cursor (see Pagination); the listing may be incomplete.
//   - [*ConflictError]: a save, or an update with
//     [GraphUpdate.UnmodifiedSince], found that the graph changed on the
//     server since it was loaded, and wrote nothing. It matches
//     [ErrConflict].
//   - [*BudgetError]: an expansion, enrichment or connection search
//     stopped because it had sent the requests [PivotOptions.MaxRequests]
//     allowed; its report says what is left.
//
// Anything else is a transport failure. When the context is cancelled or its
// deadline passes, the call returns promptly and errors.Is(err,
// context.Canceled) or errors.Is(err, context.DeadlineExceeded) holds,
// whichever stage noticed it: waiting for the rate limiter or a retry,
// sending, or reading the body, an error page's included. An error status
// whose body was cut off is still an [*APIError], wrapped with the reason
// the read stopped.
//
// # Retries and rate limits
//
// By default a request that gets 429, 503 or 504, or fails with a transient
// network error (before the answer, or while a 2xx body it is to decode
// arrives), is retried up to 4 attempts in all, with exponential backoff and
// jitter, honouring a Retry-After header up to a minute
// ([DefaultRetryPolicy]). A 429 QuotaExceededError without Retry-After is
// the exception: it reports a daily or monthly quota, which no backoff
// outlasts, so it is returned at once, while a 429 TooManyRequestsError, a
// burst, is retried. Only requests that are safe to repeat are retried:
// reads, deletions, and [Client.UpdateGraph] and [Client.SaveGraph] (they
// set absolute values). No POST is ever retried: [Client.CreateGraph] and
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
// # Pictures
//
// [Graph.DOT] draws a graph for Graphviz and [Graph.Mermaid] for Markdown
// viewers: left to right, a shape and colour per entity type with a legend,
// entities with detections outlined in red, each hop naming its relationship
// once, and unlinked nodes packed in a grid. [Graph.JSON] writes the graph
// object that [Client.CreateGraph] takes back, and [GraphURL] and
// [EmbedHTML] link to a graph in the VirusTotal UI. Package
// github.com/vtgraphs/vtgraphs/wrapper/stix converts a graph to a STIX 2.1
// bundle and back, for threat-intelligence platforms.
//
// # Testing
//
// Package vtgraphtest runs an in-memory Threat Graphs server on 127.0.0.1
// with demo users and keys, real sharing rules, search and pagination, a
// universe of files, URLs, domains and IP addresses to pivot through,
// quotas, and fault injection. Point a Client at it with [WithBaseURL]:
//
//	srv := vtgraphtest.NewServer(t)
//	c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()))
//
// To fake the transport instead, pass a [Doer] with [WithDoer].
package vtgraph
