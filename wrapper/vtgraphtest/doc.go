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
// change that. Every key is a premium one except carol's, a public API key;
// [Server.SetPremium] changes that. A request without an x-apikey header gets 401
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
// view, including the owner's. A graph's group is its owner's first group at
// creation, or none. All dates come from [WithClock]. [Server.AddGraph]
// stores a graph object as if its owner had created it, keeping its id and
// dates, to start a test or a rehearsal from saved graphs.
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
// GET /graphs/{id}/owner and /graphs/{id}/group serve the owner and the
// group (null for a graph with none) on routes of their own;
// /graphs/{id}/relationships/{relationship} serves their descriptors as a
// single object too. The other relationships, items (the graph's nodes
// other than relationship nodes), comments (newest first), viewers and
// editors, are paged lists. An unknown relationship gives
// 404 NotFoundError. The spec routes /relationships/viewers and
// /relationships/editors to the ACL lists, which return full user and group
// objects.
//
// # Files, URLs, domains and IP addresses
//
// The server serves a [Universe] of entities on GET /files/{id},
// /urls/{id}, /domains/{domain} and /ip_addresses/{ip}, on their
// relationship routes ({collection}/{id}/{relationship} and its
// /relationships/ form, for descriptors) and on GET /intelligence/search. By
// default it is the built-in demo universe ([DemoUniverse]): a small
// campaign of .example domains, documentation IP ranges and made-up hashes.
// [WithUniverse] serves another at start, [Server.SetUniverse] while the
// server runs; build one in Go ([NewUniverse], [Universe.Add]) or read one
// from JSON ([LoadUniverse], [LoadUniverseFile]):
//
//	{"entities": [
//	  {"type": "domain", "id": "login.acme.example",
//	   "attributes": {"registrar": "Example Registrar", "last_analysis_stats": {"malicious": 12}},
//	   "relationships": {
//	     "resolutions": [{"type": "ip_address", "id": "192.0.2.10"}],
//	     "subdomains": [{"type": "domain", "id": "cdn.login.acme.example"}]}},
//	  {"type": "url", "id": "https://login.acme.example/sign-in",
//	   "relationships": {"network_location": [{"type": "domain", "id": "login.acme.example"}]}}
//	]}
//
// An entity is a type (file, url, domain or ip_address), an id, attributes
// served as given, and relationships, each a list of targets (type, id and
// optional context_attributes) served in that order. Only the relationships
// VirusTotal documents for the type are accepted. A target that is not
// described on its own exists without attributes. Every relationship with a
// way back gets it: a domain's resolution is also the IP address's, a file's
// contacted domain lists the file among its communicating files, a
// subdomain's parent lists it among its subdomains, a URL's network location
// lists it among its URLs, and so on, so that paths can be followed from
// either end.
//
// The routes answer as VirusTotal does. A file is found by its SHA-256,
// SHA-1 or MD5 and always answers with its SHA-256 as id; a URL by its URL
// id (the unpadded URL-safe base64 of the URL) or by its id, the SHA-256 of
// the URL (taken as given to be canonical). Resolutions are served as
// resolution objects, whose id is the IP address followed by the domain.
// Lists come in pages of 10 by default with opaque cursors, meta.count,
// meta.cursor and links.next; a limit outside 1..40 is 400
// InvalidArgumentError. A relationship that holds at most one object (a
// URL's last_serving_ip_address and network_location, a domain's parent and
// immediate_parent) answers that object or null. ?relationships=a,b on an
// object route includes the first 10 descriptors of each, with the cursor of
// the rest. An unknown entity is 404 NotFoundError, a relationship the type
// does not have 400 InvalidArgumentError, and a premium relationship
// without a premium key 403 ForbiddenError.
//
// Intelligence search takes a premium key and terms that must all match:
// entity:file|url|domain|ip, type: (a file's type_tag), tag:, p: or
// positives: (malicious verdicts, with + for at least and - for at most),
// name: (a file's names), country:, and words matching an id, a hash, a URL
// or the text of an entity's names, tags, URL and title. order sorts by
// positives or any numeric attribute, with + or -; limit goes up to 300;
// descriptors_only=true returns descriptors; meta.total_hits counts the
// matches.
//
// # Quotas, latency and request counts
//
// [WithQuota] and [Server.SetQuota] give every API key a per-minute and a
// daily budget ([Quota]); once one is spent the server answers 429
// QuotaExceededError, as VirusTotal does, with a Retry-After saying when it
// frees up (see [Quota] for why). [WithLatency] and [Server.SetLatency]
// delay every response. [Server.RequestCounts] counts the requests each
// route received, so a test can assert how many requests its code made.
//
// # Faults
//
// Users' tests can make the server misbehave while it runs:
// [Server.AddFault] fails matching requests with a chosen status and code,
// and [Server.RateLimitAfter] answers 429 QuotaExceededError with
// Retry-After once a quota is used up, for all keys together.
// [Server.Requests] records what went on the wire and [Server.Graph] shows
// what the server stored.
//
// A Server is safe for concurrent use.
package vtgraphtest
