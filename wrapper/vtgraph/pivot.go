package vtgraph

import (
	"strconv"
	"strings"
)

// PivotOptions are the limits and the progress callback that
// [Client.Expand], [Client.ExpandGraph], [Client.Enrich] and
// [Client.Connect] share. The zero value sends as many requests as the call
// needs, four at a time, and remembers answers for the call alone.
type PivotOptions struct {
	// MaxRequests is the most requests the call sends, retries not
	// counted (the retry policy decides those); 0 means no limit. A call
	// that would need more stops, returns what it did, and reports a
	// *BudgetError.
	MaxRequests int
	// Concurrency is the most requests in flight at once, 1 to
	// MaxConcurrency; 0 means 4. The client's rate limit ([WithRateLimit])
	// spaces them all the same.
	Concurrency int
	// Progress, when set, is called from the calling goroutine, one call
	// at a time, each time a request is answered: with the requests
	// answered so far and those known to be needed that are not answered
	// yet. Pending grows as answers show more to fetch.
	Progress func(Progress)
	// Cache remembers every answer, so that calls sharing it never send a
	// request one of them sent before: an expansion followed by a
	// connection search, or a deeper expansion, reuses what the first
	// fetched. nil gives the call a cache of its own. Share a cache only
	// between calls of one Client: what VirusTotal answers depends on the
	// API key.
	Cache *PivotCache
}

// MaxConcurrency is the largest [PivotOptions.Concurrency]: the client's
// default HTTP transport keeps that many connections to VirusTotal open
// for reuse, so no request waits on a new connection.
const MaxConcurrency = 16

// defaultConcurrency is the concurrency of a call that sets none.
const defaultConcurrency = 4

// Progress is how far a call of [PivotOptions] has got.
type Progress struct {
	// Done counts the requests answered so far, errors included.
	Done int
	// Pending counts the requests known to be needed and not answered
	// yet: queued or in flight.
	Pending int
}

// check reports invalid limits under the given path prefix.
func (o *PivotOptions) check(p *paramProblems) {
	if o.MaxRequests < 0 {
		p.addf("max_requests", "must not be negative, got %d", o.MaxRequests)
	}
	if o.Concurrency < 0 || o.Concurrency > MaxConcurrency {
		p.addf("concurrency", "must be between 1 and %d (0 for %d), got %d", MaxConcurrency, defaultConcurrency, o.Concurrency)
	}
}

// concurrency returns the number of workers to run.
func (o *PivotOptions) concurrency() int {
	if o.Concurrency == 0 {
		return defaultConcurrency
	}
	return o.Concurrency
}

// BudgetError reports that a call stopped because sending the next request
// would have exceeded [PivotOptions.MaxRequests]. The call returns what it
// did with the requests it had, and a report of what is left.
type BudgetError struct {
	// MaxRequests is the budget that was spent.
	MaxRequests int
}

// Error says which budget was spent.
func (e *BudgetError) Error() string {
	return "vtgraph: the budget of " + strconv.Itoa(e.MaxRequests) + " requests is spent"
}

// graphType reports whether t is the type of an object an expansion adds
// to a graph: an entity, or an object the VirusTotal UI draws as a node of
// its own.
func graphType(t NodeType) bool {
	switch t {
	case NodeTypeFile, NodeTypeURL, NodeTypeDomain, NodeTypeIPAddress,
		NodeTypeCollection, NodeTypeReference, NodeTypeWhois, NodeTypeSSLCert:
		return true
	}
	return false
}

// entityType reports whether t is one of the four types VirusTotal has
// lookups and relationships for: the nodes that can be expanded.
func entityType(t NodeType) bool {
	switch t {
	case NodeTypeFile, NodeTypeURL, NodeTypeDomain, NodeTypeIPAddress:
		return true
	}
	return false
}

// leadsTo reports whether a relationship leads to an object of a type keep
// accepts.
func leadsTo(info RelationshipInfo, keep func(NodeType) bool) bool {
	for _, t := range info.Targets {
		if keep(t) {
			return true
		}
	}
	return false
}

// relationshipsOf returns the relationships of type t a pivot follows: of
// those asked for, the ones t has, in their order, or, when none were
// asked for, every relationship of t leading to a type keep accepts, by
// name. A name no entity type has is kept too: it may be one VirusTotal
// added since this package was released, and is sent as is.
func relationshipsOf(t NodeType, asked []Relationship, keep func(NodeType) bool) []Relationship {
	var out []Relationship
	if asked == nil {
		for _, info := range relationshipTables[t] {
			if leadsTo(info, keep) {
				out = append(out, info.Name)
			}
		}
		return out
	}
	for _, r := range asked {
		if _, ok := tableRelationship(t, r); ok || !knownToAnyType(r) {
			out = append(out, r)
		}
	}
	return out
}

// knownToAnyType reports whether some entity type has relationship r.
func knownToAnyType(r Relationship) bool {
	for _, t := range []NodeType{NodeTypeFile, NodeTypeURL, NodeTypeDomain, NodeTypeIPAddress} {
		if _, ok := tableRelationship(t, r); ok {
			return true
		}
	}
	return false
}

// checkRelationships reports relationship names that are not of the form
// of one, and repeats.
func checkRelationships(p *paramProblems, rels []Relationship) {
	seen := make(map[Relationship]bool, len(rels))
	for i, r := range rels {
		path := "relationships[" + strconv.Itoa(i) + "]"
		checkRelationship(p, path, r)
		if seen[r] {
			p.addf(path, "%s is given twice", strconv.Quote(string(r)))
		}
		seen[r] = true
	}
}

// joinRelationships writes relationship names as the relationships query
// parameter and the cache keys do.
func joinRelationships(rels []Relationship) string {
	names := make([]string, len(rels))
	for i, r := range rels {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

// fillAttributes writes into n the attributes the VirusTotal UI shows for
// e, as its tools store them: has_detections as a count, a file's
// type_tag, an IP address's country. An attribute VirusTotal did not send
// is left as it is.
func fillAttributes(n *Node, e *Entity) {
	if n == nil || e == nil {
		return
	}
	if e.LastAnalysisStats != nil {
		n.SetDetectionCount(int(e.LastAnalysisStats.Detections()))
	}
	key := ""
	switch e.Type {
	case NodeTypeFile:
		key = "type_tag"
	case NodeTypeIPAddress:
		key = "country"
	}
	if raw, ok := e.Attributes[key]; ok && key != "" {
		if s, ok := EntityAttributes(e.Attributes).String(key); ok && s != "" {
			n.setAttr(key, raw)
		}
	}
}
