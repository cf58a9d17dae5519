package vtgraph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// ConnectOptions say how far [Client.Connect] searches, through what. A nil
// *ConnectOptions searches paths of up to 3 hops through every
// relationship.
type ConnectOptions struct {
	// MaxHops is the longest path searched for, in relationships
	// followed; 0 means 3.
	MaxHops int
	// Relationships are those to follow, as in [ExpandOptions]; nil means
	// every relationship of each type that leads to files, URLs, domains
	// or IP addresses.
	Relationships []Relationship
	// MaxPerRelationship is how many related objects of each relationship
	// are followed; 0 means 10, as many as a lookup includes, so that one
	// request per entity explored tells where all its relationships lead.
	MaxPerRelationship int

	PivotOptions
}

// ConnectReport says what [Client.Connect] found.
type ConnectReport struct {
	// Path is the path found, a shortest one, hop by hop from the first
	// node to the second; nil when VirusTotal relates them by no path of
	// at most MaxHops relationships (with the error nil: the search
	// finished) or when the search stopped before it finished (with the
	// error saying why).
	Path []Hop
	// Explored counts the entities whose relationships were looked at.
	Explored int
	// Skipped lists what could not be looked at, and why.
	Skipped []Skip
	// Requests counts the requests the call sent.
	Requests int
}

// Hop is one relationship of a path.
type Hop struct {
	// From and To are the ids of the nodes it joins, From nearer the
	// path's start.
	From, To string
	// Relationship is the relationship VirusTotal joins them by.
	Relationship Relationship
	// Reverse says VirusTotal lists From among To's related objects, not
	// To among From's: the link goes from To to From, as the search found
	// it from the path's end.
	Reverse bool
}

// defaultMaxHops is the MaxHops of a call that sets none.
const defaultMaxHops = 3

// Connect searches VirusTotal for a path of at most MaxHops relationships
// between two nodes of g, and adds the path found: the nodes along it that
// g lacks, with the attributes the UI shows, and a link per hop through
// its relationship node, in the direction VirusTotal relates the two.
//
// It searches from both ends at once, breadth first, a level at a time
// from whichever end has fewer entities to look at, so a path of n hops
// costs about two searches of n/2 hops. Each entity explored costs one
// request, a lookup including the first related objects of every
// relationship (more when MaxPerRelationship is above 10), and the path's
// nodes not explored one lookup each for their attributes. A shortest
// path is found, and the same one whatever the concurrency: ties go to the
// relationships and objects VirusTotal lists first.
//
// When VirusTotal relates the two by no path of at most MaxHops, the
// report's Path is nil and the error too. On the request budget, on
// cancellation, or on an error such as a spent quota, it stops and
// returns a *BudgetError, the context's error or the *APIError, wrapped;
// with the budget spent once the path was found, the path is added
// without the attributes it lacked the requests for. The report is nil
// only when the arguments are invalid, a *ParamError sent before
// anything.
func (c *Client) Connect(ctx context.Context, g *Graph, from, to string, opts *ConnectOptions) (*ConnectReport, error) {
	var o ConnectOptions
	if opts != nil {
		o = *opts
	}
	var p paramProblems
	if g == nil {
		p.add("graph", "nil")
	}
	checkEntityNode(&p, g, "from", from)
	checkEntityNode(&p, g, "to", to)
	if from == to && from != "" {
		p.add("to", "is the node the path starts from")
	}
	if o.MaxHops < 0 {
		p.addf("max_hops", "must not be negative, got %d", o.MaxHops)
	}
	if o.MaxPerRelationship < 0 {
		p.addf("max_per_relationship", "must not be negative, got %d", o.MaxPerRelationship)
	}
	checkRelationships(&p, o.Relationships)
	o.PivotOptions.check(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	s := &connectSearch{
		rels:   o.Relationships,
		maxPer: o.MaxPerRelationship,
		cache:  o.Cache,
		skips:  map[Skip]bool{},
		report: &ConnectReport{},
	}
	if s.maxPer == 0 {
		s.maxPer = defaultMaxPerRelationship
	}
	if s.cache == nil {
		s.cache = new(PivotCache)
	}
	hops := o.MaxHops
	if hops == 0 {
		hops = defaultMaxHops
	}
	f := newFetcher(ctx, c, &o.PivotOptions, s.cache)
	s.f = f
	err := s.search(g, from, to, hops)
	if err == nil && s.report.Path != nil {
		err = s.addPath(g)
	}
	if err != nil {
		f.stop(err)
		err = f.haltErr()
	} else {
		f.close()
	}
	s.report.Requests = f.requests()
	if err != nil {
		err = redactKey(fmt.Errorf("vtgraph: the search for a path from %s to %s stopped: %w", strconv.Quote(from), strconv.Quote(to), err), c.pipe.key.reveal())
	}
	return s.report, err
}

// connectSearch is one search of Connect.
type connectSearch struct {
	rels   []Relationship
	maxPer int
	cache  *PivotCache
	f      *fetcher
	skips  map[Skip]bool
	report *ConnectReport

	// nodes maps the entities on the path's ends, as VirusTotal names
	// them, to the graph nodes standing for them.
	nodes map[EntityRef]string
	// path holds the entities along the path found, and how each hop was
	// found.
	path []pathStep
}

// reached is how a side of the search first reached an entity.
type reached struct {
	parent EntityRef
	rel    Relationship
	depth  int
}

// pathStep is an entity on the path and the hop that leads to it from the
// one before.
type pathStep struct {
	ref     EntityRef
	rel     Relationship
	reverse bool
}

// side is one end of the search.
type side struct {
	seen     map[EntityRef]reached
	frontier []EntityRef
	depth    int
}

// search looks for the path, level by level, and stores it in s.path and
// the report. Both ends are looked up first: the ids VirusTotal answers
// with (a file's SHA-256 for a node named by MD5) are how the other side
// will find them.
func (s *connectSearch) search(g *Graph, from, to string, maxHops int) error {
	s.nodes = map[EntityRef]string{}
	var sides [2]*side
	var ends [2]EntityRef
	for i, id := range []string{from, to} {
		ends[i] = EntityRef{Type: g.Node(id).EntityType(), ID: id}
		sides[i] = &side{seen: map[EntityRef]reached{ends[i]: {}}, frontier: []EntityRef{ends[i]}}
		s.nodes[ends[i]] = id
	}
	var lookups [2]*task
	for i, ref := range ends {
		lookups[i] = s.queueLookup(ref, 0, i)
	}
	for i, ref := range ends {
		if err := s.lookUp(lookups[i], ref, 0, i); err != nil {
			return err
		}
		ce, _ := s.cache.lookup(ref)
		if ce.missing {
			s.skip(Skip{Node: s.nodes[ref], Type: ref.Type, Err: ce.missingErr})
			return nil // VirusTotal relates nothing to what it does not know
		}
		if canon := s.canonical(ref); canon != ref {
			s.nodes[canon] = s.nodes[ref]
			sides[i].seen[canon] = reached{}
		}
	}
	for round := 1; sides[0].depth+sides[1].depth < maxHops; round++ {
		i := 0
		if len(sides[1].frontier) < len(sides[0].frontier) {
			i = 1
		}
		if len(sides[i].frontier) == 0 {
			i = 1 - i
		}
		if len(sides[i].frontier) == 0 {
			return nil
		}
		meet, err := s.expand(sides[i], sides[1-i], round)
		if err != nil {
			return err
		}
		if meet != nil {
			s.trace(sides, *meet)
			return nil
		}
	}
	return nil
}

// canonical returns ref as VirusTotal names it, when a lookup said.
func (s *connectSearch) canonical(ref EntityRef) EntityRef {
	if ce, ok := s.cache.lookup(ref); ok && ce.canonical != "" {
		return EntityRef{Type: ref.Type, ID: ce.canonical}
	}
	return ref
}

// lookUp waits for the lookup of ref, and asks again without the premium
// relationships when it found them refused.
func (s *connectSearch) lookUp(t *task, ref EntityRef, round, pos int) error {
	if t != nil {
		if err := s.f.await(t); err != nil {
			return err
		}
	}
	if t := s.queueLookup(ref, round, pos); t != nil {
		return s.f.await(t)
	}
	return nil
}

// expand explores the frontier of one side, one level, and returns the
// entity where it meets the other side by the shortest path, if it does.
func (s *connectSearch) expand(sd, other *side, round int) (*EntityRef, error) {
	lookups := make([]*task, len(sd.frontier))
	for pos, ref := range sd.frontier {
		lookups[pos] = s.queueLookup(ref, round, pos)
	}
	var (
		next []EntityRef
		meet *EntityRef
		best int
	)
	for pos, ref := range sd.frontier {
		if err := s.lookUp(lookups[pos], ref, round, pos); err != nil {
			return nil, err
		}
		if ce, _ := s.cache.lookup(ref); ce.missing {
			s.skip(Skip{Node: s.nodeID(ref), Type: ref.Type, Err: ce.missingErr})
			continue
		}
		s.report.Explored++
		items, err := s.neighbours(ref, round, pos)
		if err != nil {
			return nil, err
		}
		self := s.canonical(ref)
		for _, it := range items {
			v := it.ref
			if !entityType(v.Type) || v == ref || v == self {
				continue
			}
			if _, ok := sd.seen[v]; ok {
				continue
			}
			sd.seen[v] = reached{parent: ref, rel: it.rel, depth: sd.depth + 1}
			next = append(next, v)
			if r, ok := other.seen[v]; ok {
				if total := sd.depth + 1 + r.depth; meet == nil || total < best {
					m := v
					meet, best = &m, total
				}
			}
		}
	}
	sd.frontier = next
	sd.depth++
	return meet, nil
}

// queueLookup queues the lookup of ref the search still needs, or returns
// nil when the cache has it.
func (s *connectSearch) queueLookup(ref EntityRef, round, pos int) *task {
	if ce, ok := s.cache.lookup(ref); ok && ce.missing {
		return nil
	}
	ask := s.cache.unprobed(ref, s.lookedUp(ref.Type))
	if ce, ok := s.cache.lookup(ref); len(ask) == 0 && ok && ce.entity != nil {
		return nil
	}
	return s.f.lookupEntity(ref, ask, priority{round, 0, pos}, nil)
}

// relationships returns the relationships the search follows from type t.
func (s *connectSearch) relationships(t NodeType) []Relationship {
	return relationshipsOf(t, s.rels, entityType)
}

// lookedUp returns the relationships a lookup of a node of type t asks
// about: those this package knows, without the premium ones once one was
// refused.
func (s *connectSearch) lookedUp(t NodeType) []Relationship {
	var out []Relationship
	refused := s.cache.premiumRefused()
	for _, r := range s.relationships(t) {
		if info, ok := tableRelationship(t, r); ok && !(info.Premium && refused) {
			out = append(out, r)
		}
	}
	return out
}

// hopItem is a related entity and the relationship leading to it.
type hopItem struct {
	ref EntityRef
	rel Relationship
}

// neighbours returns what ref's relationships lead to, in order, fetching
// the descriptors beyond those its lookup included when MaxPerRelationship
// asks for more: from the objects an expansion fetched when the cache has
// them, else from the descriptors.
func (s *connectSearch) neighbours(ref EntityRef, round, pos int) ([]hopItem, error) {
	var out []hopItem
	for i, r := range s.relationships(ref.Type) {
		info, known := tableRelationship(ref.Type, r)
		if known && info.Premium && s.cache.premiumRefused() {
			s.skip(Skip{Type: ref.Type, Relationship: r, Err: s.cache.premiumError(ref.Type, r)})
			continue
		}
		if known {
			if holds, _ := s.cache.holds(ref, r); !holds {
				continue
			}
		}
		m, err := s.related(ref, r, priority{round, 1, pos, i})
		if err != nil {
			return nil, err
		}
		if m.refused != nil {
			s.skip(Skip{Node: s.nodeID(ref), Type: ref.Type, Relationship: r, Err: m.refused})
			continue
		}
		for _, it := range m.items[:min(len(m.items), s.maxPer)] {
			out = append(out, hopItem{ref: it.ref, rel: r})
		}
	}
	return out, nil
}

// related returns the related objects of one relationship the search
// needs: an expansion's objects when they suffice, else descriptors,
// fetching the pages missing.
func (s *connectSearch) related(ref EntityRef, r Relationship, prio priority) (relMemo, error) {
	enough := func(m relMemo, ok bool) bool { return ok && (m.done || len(m.items) >= s.maxPer) }
	if m, ok := s.cache.memo(relKey{ref: ref, rel: r, objects: true}); enough(m, ok) {
		return m, nil
	}
	key := relKey{ref: ref, rel: r}
	for {
		m, ok := s.cache.memo(key)
		if enough(m, ok) {
			return m, nil
		}
		prio[4] = len(m.items)
		t := s.f.listRelated(key, m.next, s.maxPer-len(m.items), prio, nil)
		if err := s.f.await(t); err != nil {
			return relMemo{}, err
		}
		if after, _ := s.cache.memo(key); len(after.items) == len(m.items) && after.next == m.next && after.done == m.done && after.refused == nil {
			return after, nil
		}
	}
}

// skip records something not explored, once.
func (s *connectSearch) skip(sk Skip) {
	key := sk
	key.Err = nil
	if !s.skips[key] {
		s.skips[key] = true
		s.report.Skipped = append(s.report.Skipped, sk)
	}
}

// trace builds the path through meet, where the two sides met.
func (s *connectSearch) trace(sides [2]*side, meet EntityRef) {
	// chain returns the entities from meet back to a side's end, each with
	// the relationship by which its parent reached it.
	chain := func(sd *side) []pathStep {
		var out []pathStep
		for ref := meet; ; {
			r := sd.seen[ref]
			out = append(out, pathStep{ref: ref, rel: r.rel})
			if r.depth == 0 {
				return out
			}
			ref = r.parent
		}
	}
	first, last := chain(sides[0]), chain(sides[1])
	slices.Reverse(first)
	// first runs from the start to meet; the hop into each of its
	// entities was found from the start's side, forwards. last runs from
	// meet to the end; each hop was found from the end's side.
	steps := first
	for k := 1; k < len(last); k++ {
		steps = append(steps, pathStep{ref: last[k].ref, rel: last[k-1].rel, reverse: true})
	}
	s.path = steps
	for k := 1; k < len(steps); k++ {
		s.report.Path = append(s.report.Path, Hop{
			From:         s.nodeID(steps[k-1].ref),
			To:           s.nodeID(steps[k].ref),
			Relationship: steps[k].rel,
			Reverse:      steps[k].reverse,
		})
	}
}

// nodeID returns the id of the graph node standing for ref.
func (s *connectSearch) nodeID(ref EntityRef) string {
	if id, ok := s.nodes[ref]; ok {
		return id
	}
	return ref.ID
}

// addPath adds the path found to g: the nodes it lacks, with their
// attributes (looked up for those the search did not explore), and the
// links.
func (s *connectSearch) addPath(g *Graph) error {
	var lookups []*task
	for pos, st := range s.path {
		if ce, ok := s.cache.lookup(st.ref); (!ok || ce.entity == nil && !ce.missing) && g.Node(s.nodeID(st.ref)) == nil {
			lookups = append(lookups, s.f.lookupEntity(st.ref, nil, priority{1 << 30, 0, pos}, nil))
		}
	}
	var err error
	for _, t := range lookups {
		if err = s.f.await(t); err != nil {
			break
		}
	}
	for k, st := range s.path {
		id := s.nodeID(st.ref)
		n := g.Node(id)
		if n == nil {
			n = g.AddNode(id, st.ref.Type)
		}
		if ce, ok := s.cache.lookup(st.ref); ok && ce.entity != nil {
			fillAttributes(n, ce.entity)
		}
		if k == 0 {
			continue
		}
		src, dst := s.nodeID(s.path[k-1].ref), id
		if st.reverse {
			src, dst = dst, src
		}
		if lerr := g.AddLink(src, dst, string(st.rel)); lerr != nil {
			return errors.Join(err, lerr)
		}
	}
	return err
}
