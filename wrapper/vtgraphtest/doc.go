// Package vtgraphtest runs an in-memory VirusTotal Threat Graphs API on
// 127.0.0.1, for testing code that talks to the API without the network or a
// real key.
//
// The server implements the strict server interface generated from the
// project's OpenAPI spec, so its routes, parameters and response shapes
// cannot drift from the spec. Its behaviour is real rather than canned:
// graphs are stored, searched, paged, shared and commented on.
//
//	func TestMyCode(t *testing.T) {
//		srv := vtgraphtest.NewServer(t) // closed when the test ends
//		c, err := vtgraph.New(vtgraphtest.AliceKey, vtgraph.WithBaseURL(srv.URL()))
//		if err != nil {
//			t.Fatal(err)
//		}
//		...
//	}
//
// Nothing ties the server to package vtgraph: any HTTP client, in any
// language, that sends the key in the x-apikey header can use [Server.URL].
//
// [Start] does the same outside tests, for demos; the caller then calls
// [Server.Close].
//
// # Users and authentication
//
// API keys map to users, users belong to groups. By default the server knows
// alice ([AliceKey]) and bob ([BobKey]), both in the group threat-intel
// ([DefaultGroup]), and carol ([CarolKey]), in no group. [WithUser],
// [WithGroup], [WithoutDefaultUsers], [Server.AddUser] and [Server.AddGroup]
// change that. A request without an x-apikey header gets 401
// AuthenticationRequiredError; an unknown key gets 401 WrongCredentialsError.
// Errors have VirusTotal's shape: {"error":{"code":"…","message":"…"}}.
//
// # Access rules
//
// The rules follow VirusTotal's sharing model:
//
//   - The owner may do everything, and is the only one who may delete.
//   - Editors may read, update, comment, and share: grant and revoke viewers
//     and editors.
//   - Viewers may read and comment, and list and check who the graph is
//     shared with. Changing the graph or sharing it gives 403 ForbiddenError.
//   - A grant to a group applies to all its members.
//   - A public graph is readable by every user, who may comment on it; any
//     change gives 403 ForbiddenError.
//   - A private graph is invisible to everybody else: every route answers 404
//     NotFoundError, exactly as for a graph that does not exist, and search
//     leaves it out.
//
// The access checks (GET …/relationships/viewers/{id} and …/editors/{id})
// answer whether the principal was granted the role: for a user, as owner,
// directly or through a group, with editors and the owner counting as
// viewers; for a group, only a grant to that group. Public visibility is not
// a grant. Granting to an unknown user or group gives 404 NotFoundError and
// grants nothing; granting twice is harmless.
//
// # Graphs
//
// Ids are "g" and 64 hex digits, the SHA-256 of a counter, so they repeat
// from run to run ([WithIDSeed] changes the sequence). Attributes are kept as
// the raw JSON that was sent: unknown attributes such as position survive and
// numbers keep every digit. A PATCH merges at the top level: attributes it
// leaves out are unchanged, and an attribute set to null is removed.
// creation_date, last_modified_date, views_count and comments_count are the
// server's and ignored in bodies. Every successful GET of a graph counts as a
// view, including the owner's. A graph's group is its owner's first group
// at creation, or none. All dates come from [WithClock].
//
// last_modified_date moves on every write of the graph's attributes (its
// creation and each PATCH), not on views, comments or sharing. Clients tell
// a concurrent save by it alone, and it counts whole seconds, so the server
// never gives a graph the same one twice: a write within the second of the
// previous one, or under a clock that stands still, is dated one second
// after it.
//
// # Search and pagination
//
// GET /graphs supports the filter modifiers documented in the spec: id,
// name (the graph_data.description), owner, group, visible_to_user (owner or
// granted), visible_to_group (the graph's group or granted), private,
// creation_date, last_modified_date (days as YYYY-MM-DD, padded or not, in
// UTC, or Unix seconds), total_nodes, comments_count and views_count, with a
// "+" (at least) or "-" (at most) suffix on dates and numbers, and a modifier
// repeated to give a range; and the node modifiers label (a node's text),
// file, domain, ip_address, url, actor, victim, email and department (a node
// of that type whose id, text or entity attribute equals the value). Terms
// combine with AND (also implicit), OR, NOT and parentheses, values may be
// quoted (label:"Kill switch"), and any other word matches text anywhere in
// the graph. Results are newest first unless order names name, owner,
// creation_date, last_modified_date, views_count or comments_count, with "-"
// for descending. attributes=private,graph_data returns only those
// attributes.
//
// Lists default to 10 items. Search caps limit at 40; the other lists reject
// a limit outside 1..40 with 400 InvalidArgumentError, as the spec bounds it.
// Cursors point after the last item served, so items created or deleted
// between pages are neither repeated nor skipped. meta.cursor and links.next
// are present only when there is a next page.
//
// # Relationships
//
// GET /graphs/{id}/{relationship} and its /relationships/ form serve owner
// and group as a single object (group is null for a graph with none), and
// items (the graph's nodes other than relationship nodes), comments (newest
// first), viewers and editors as paged lists. An unknown relationship gives
// 404 NotFoundError. The spec routes /relationships/viewers and
// /relationships/editors to the ACL lists, which return full user and group
// objects.
//
// # Faults
//
// Users' tests can make the server misbehave while it runs:
// [Server.AddFault] fails matching requests with a chosen status and code,
// [Server.RateLimitAfter] answers 429 QuotaExceededError with Retry-After
// once a quota is used up, and [Server.SetLatency] delays every response.
// [Server.Requests] records what went on the wire and [Server.Graph] shows
// what the server stored.
//
// A Server is safe for concurrent use.
package vtgraphtest
