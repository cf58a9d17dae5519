package vtgraph

import (
	"maps"
	"slices"
)

// expandWalk is an expansion: its shape, fixed when it starts, and how far
// it got, which a resumed call continues from. It goes level by level;
// within a level, node by node, and for each node relationship by
// relationship, adding the related objects in VirusTotal's order. Before a
// level's first relationship, every node of the level is looked up, so
// that the ids VirusTotal answers with (a file's SHA-256 for a node named
// by MD5) are known before any related object is matched against them.
type expandWalk struct {
	rels   []Relationship // as asked; nil for each type's defaults
	depth  int
	maxPer int
	cache  *PivotCache
	// speculate says the walk may look up the next level's nodes before
	// it adds them: there is no node limit, which could stop it first.
	speculate bool

	// levels holds the nodes to expand at each depth, in order.
	levels [][]string
	// level, pos, rel and item are where the walk is: the item-th object
	// of the rel-th relationship of levels[level][pos].
	level, pos, rel, item int
	// looked counts the nodes of the current level whose lookups are
	// taken into account.
	looked int
	// cur is the expansion of the relationship the walk is in.
	cur Expansion
	// seen holds the nodes put in levels.
	seen map[string]bool
	// alias maps the ids VirusTotal answers with to the nodes of other
	// ids that stand for them.
	alias map[EntityRef]string

	expanded  []Expansion
	skipped   []Skip
	skips     map[Skip]bool
	nodeLimit bool
}

// clone returns a copy of w that a resumed call can advance, leaving the
// report w belongs to as it was.
func (w *expandWalk) clone() *expandWalk {
	c := *w
	c.levels = make([][]string, len(w.levels))
	for i, l := range w.levels {
		c.levels[i] = slices.Clone(l)
	}
	c.seen = maps.Clone(w.seen)
	c.alias = maps.Clone(w.alias)
	c.expanded = slices.Clone(w.expanded)
	c.skipped = slices.Clone(w.skipped)
	c.skips = maps.Clone(w.skips)
	c.nodeLimit = false
	return &c
}

// report describes the walk as it stands.
func (w *expandWalk) report() *ExpandReport {
	r := &ExpandReport{
		Expanded:  slices.Clone(w.expanded),
		Skipped:   slices.Clone(w.skipped),
		NodeLimit: w.nodeLimit,
		walk:      w,
	}
	for l := w.level; l < len(w.levels); l++ {
		start := 0
		if l == w.level {
			start = w.pos
		}
		for _, id := range w.levels[l][start:] {
			r.Pending = append(r.Pending, PendingNode{Node: id, Depth: l})
		}
	}
	return r
}

// skip records something not expanded, once.
func (w *expandWalk) skip(s Skip) {
	key := s
	key.Err = nil
	if !w.skips[key] {
		w.skips[key] = true
		w.skipped = append(w.skipped, s)
	}
}

// relationships returns the relationships the walk follows for type t.
func (w *expandWalk) relationships(t NodeType) []Relationship {
	return relationshipsOf(t, w.rels, graphType)
}

// relMode is how the walk learns what a relationship of a node holds.
type relMode uint8

const (
	// modeLookup: the node's lookup says whether it holds anything; its
	// pages are fetched when it does.
	modeLookup relMode = iota
	// modeDirect: its first page is fetched without asking.
	modeDirect
	// modeRefused: it is premium, and the key was refused one.
	modeRefused
)

// modes says, for each of rels of a node of type t, how the walk learns
// what it holds, and returns those a lookup asks about. With two or more
// relationships to follow, one lookup tells which hold anything; with one,
// its page is asked for directly, since an empty answer costs what the
// question would; names this package does not know are asked for
// directly too. Once a premium relationship was refused, premium ones are
// not asked for at all.
func (w *expandWalk) modes(t NodeType, rels []Relationship) ([]relMode, []Relationship) {
	modes := make([]relMode, len(rels))
	var looked []Relationship
	refused := w.cache.premiumRefused()
	for i, r := range rels {
		info, known := tableRelationship(t, r)
		switch {
		case known && info.Premium && refused:
			modes[i] = modeRefused
		case known:
			looked = append(looked, r)
		default:
			modes[i] = modeDirect
		}
	}
	if len(looked) < 2 {
		for i := range modes {
			if modes[i] == modeLookup {
				modes[i] = modeDirect
			}
		}
		return modes, nil
	}
	return modes, looked
}

// queueNode queues the requests expanding a node will need, at the
// position (level, pos) of the walk.
func (w *expandWalk) queueNode(f *fetcher, g *Graph, level, pos int, id string) {
	if n := g.Node(id); n != nil {
		w.queueEntity(f, level, pos, EntityRef{Type: n.EntityType(), ID: id})
	}
}

// queueEntity queues the requests expanding ref, at level, will need: its
// lookup, and the pages of the relationships the lookup does not tell
// about. key orders it among the level's nodes: its position, or its
// parent's for a node looked up before it is added. The lookup, once
// answered, queues the pages of the relationships that hold anything and,
// unless a node limit may stop the walk before it gets there, the lookups
// of the entities they lead to that the next level will expand: the lookup
// names them, with the first descriptors of each relationship, so that
// they need not wait for the pages, nor the pages for them. It runs in
// workers too, so it reads nothing of the walk but what never changes
// during a call.
func (w *expandWalk) queueEntity(f *fetcher, level, key int, ref EntityRef) {
	rels := w.relationships(ref.Type)
	modes, looked := w.modes(ref.Type, rels)
	pages := func(mode relMode) {
		for i, r := range rels {
			if modes[i] != mode {
				continue
			}
			if holds, _ := w.cache.holds(ref, r); mode == modeDirect || holds {
				if _, ready := w.ready(level, ref, r); !ready {
					w.queuePage(f, relKey{ref: ref, rel: r, objects: true}, priority{level, 1, key, i})
				}
			}
		}
	}
	whenLooked := func() {
		pages(modeLookup)
		if !w.speculate || level+1 >= w.depth {
			return
		}
		for i, r := range rels {
			if modes[i] != modeLookup {
				continue
			}
			m, _ := w.cache.memo(relKey{ref: ref, rel: r})
			for _, it := range m.items[:min(len(m.items), w.maxPer)] {
				if entityType(it.ref.Type) && it.ref != ref {
					w.queueEntity(f, level+1, key, it.ref)
				}
			}
		}
	}
	pages(modeDirect)
	if len(looked) == 0 {
		return
	}
	if ask := w.cache.unprobed(ref, looked); len(ask) > 0 {
		f.lookupEntity(ref, ask, priority{level, 0, key}, whenLooked)
		return
	}
	whenLooked()
}

// ready returns the related objects of relationship r of ref the walk
// needs at level, when the cache has them all: from a page fetched
// before, with their attributes, or from the lookup of ref, which
// includes a relationship's first objects without attributes. Those do
// short of the last level, where the next level looks up each entity it
// adds, attributes and all; speculate ensures that it gets there, since
// without a node limit the walk cannot stop for lack of room first. It
// runs in workers too.
func (w *expandWalk) ready(level int, ref EntityRef, r Relationship) (relMemo, bool) {
	if m, ok := w.cache.memo(relKey{ref: ref, rel: r, objects: true}); ok && (m.done || len(m.items) >= w.maxPer) {
		return m, true
	}
	if !w.speculate || level+1 >= w.depth {
		return relMemo{}, false
	}
	m, ok := w.cache.memo(relKey{ref: ref, rel: r})
	return m, ok && m.refused == nil && (m.done || len(m.items) >= w.maxPer)
}

// queuePage queues the next page of a relationship's objects the walk
// needs, if any; each page queues the next when it is answered. It runs in
// workers too, so it reads nothing of the walk but what never changes.
func (w *expandWalk) queuePage(f *fetcher, key relKey, prio priority) *task {
	m, ok := w.cache.memo(key)
	if ok && (m.done || len(m.items) >= w.maxPer) {
		return nil
	}
	cursor, have := m.next, len(m.items)
	prio[4] = have
	return f.listRelated(key, cursor, w.maxPer-have, prio, func() { w.queuePage(f, key, prio) })
}

// run advances the walk as far as it can, adding to g: to the end, to the
// node limit (which returns nil), or to the first answer it cannot get,
// whose error it returns.
func (w *expandWalk) run(g *Graph, f *fetcher, maxNodes int) error {
	entities := 0
	for i := range g.Nodes {
		if !g.Nodes[i].IsRelationship() {
			entities++
		}
	}
	for l := w.level; l < len(w.levels); l++ {
		for pos, id := range w.levels[l] {
			if l > w.level || pos >= w.pos {
				w.queueNode(f, g, l, pos, id)
			}
		}
	}
	for ; w.level < len(w.levels); w.level, w.pos, w.looked = w.level+1, 0, 0 {
		if err := w.lookUpLevel(g, f); err != nil {
			return err
		}
		if w.level+1 < w.depth && len(w.levels) == w.level+1 {
			w.levels = append(w.levels, nil)
		}
		for ; w.pos < len(w.levels[w.level]); w.pos, w.rel = w.pos+1, 0 {
			if err := w.expandNode(g, f, maxNodes, &entities); err != nil {
				if err == errNodeLimit {
					w.nodeLimit = true
					return nil
				}
				return err
			}
		}
	}
	return nil
}

// lookUpLevel takes the lookups of the current level's nodes into account,
// in order: the ids they answer with, the nodes' own attributes, and the
// nodes VirusTotal does not know.
func (w *expandWalk) lookUpLevel(g *Graph, f *fetcher) error {
	for ; w.looked < len(w.levels[w.level]); w.looked++ {
		id := w.levels[w.level][w.looked]
		n := g.Node(id)
		if n == nil {
			continue
		}
		ref := EntityRef{Type: n.EntityType(), ID: id}
		// A lookup refused a premium relationship asks again without
		// the premium ones, which the modes then leave out: twice at
		// most.
		for range 2 {
			_, looked := w.modes(ref.Type, w.relationships(ref.Type))
			ask := w.cache.unprobed(ref, looked)
			if ce, _ := w.cache.lookup(ref); ce.missing || len(ask) == 0 {
				break
			}
			t := f.lookupEntity(ref, ask, priority{w.level, 0, w.looked}, nil)
			if err := f.await(t); err != nil {
				return err
			}
		}
		ce, _ := w.cache.lookup(ref)
		if ce.missing {
			w.skip(Skip{Node: id, Type: ref.Type, Err: ce.missingErr})
			continue
		}
		if ce.canonical != "" && ce.canonical != id {
			w.alias[EntityRef{Type: ref.Type, ID: ce.canonical}] = id
		}
		if ce.entity != nil {
			fillAttributes(n, ce.entity)
		}
	}
	return nil
}

// expandNode expands the relationships of the node at the walk's position,
// from the one it is at.
func (w *expandWalk) expandNode(g *Graph, f *fetcher, maxNodes int, entities *int) error {
	id := w.levels[w.level][w.pos]
	n := g.Node(id)
	if n == nil {
		return nil
	}
	ref := EntityRef{Type: n.EntityType(), ID: id}
	if ce, _ := w.cache.lookup(ref); ce.missing {
		return nil
	}
	rels := w.relationships(ref.Type)
	for ; w.rel < len(rels); w.rel, w.item = w.rel+1, 0 {
		r := rels[w.rel]
		switch modes, _ := w.modes(ref.Type, rels); modes[w.rel] {
		case modeRefused:
			w.skip(Skip{Type: ref.Type, Relationship: r, Err: w.cache.premiumError(ref.Type, r)})
			continue
		case modeLookup:
			if holds, _ := w.cache.holds(ref, r); !holds {
				continue
			}
		}
		m, ready := w.ready(w.level, ref, r)
		if !ready {
			var err error
			if m, err = w.objects(f, relKey{ref: ref, rel: r, objects: true}); err != nil {
				return err
			}
		}
		if m.refused != nil {
			s := Skip{Node: id, Type: ref.Type, Relationship: r, Err: m.refused}
			if isPremiumRefusal(m.refused) {
				s.Node, s.Err = "", w.cache.premiumError(ref.Type, r)
			}
			w.skip(s)
			continue
		}
		items := m.items[:min(len(m.items), w.maxPer)]
		if len(items) == 0 {
			continue
		}
		if w.item == 0 {
			w.cur = Expansion{Node: id, Depth: w.level, Relationship: r, More: !m.done || len(m.items) > w.maxPer}
		}
		for ; w.item < len(items); w.item++ {
			if err := w.add(g, f, id, r, items[w.item], maxNodes, entities); err != nil {
				return err
			}
		}
		w.expanded = append(w.expanded, w.cur)
	}
	return nil
}

// objects returns the objects of a relationship the walk needs, fetching
// what the cache lacks.
func (w *expandWalk) objects(f *fetcher, key relKey) (relMemo, error) {
	for {
		m, ok := w.cache.memo(key)
		if ok && (m.done || len(m.items) >= w.maxPer) {
			return m, nil
		}
		t := w.queuePage(f, key, priority{w.level, 1, w.pos, w.rel})
		if t == nil {
			continue // a worker stored what was missing meanwhile
		}
		if err := f.await(t); err != nil {
			return relMemo{}, err
		}
		if after, _ := w.cache.memo(key); len(after.items) == len(m.items) && after.next == m.next && after.done == m.done && after.refused == nil {
			return after, nil // the page answered added nothing: do not ask again
		}
	}
}

// add adds one related object of node id's relationship r: a node unless
// the graph has it, its attributes, and the link.
func (w *expandWalk) add(g *Graph, f *fetcher, id string, r Relationship, it relItem, maxNodes int, entities *int) error {
	if !graphType(it.ref.Type) {
		return nil
	}
	target := it.ref.ID
	if a, ok := w.alias[it.ref]; ok {
		target = a
	}
	if target == id {
		return nil
	}
	n := g.Node(target)
	if n == nil {
		if maxNodes > 0 && *entities >= maxNodes {
			return errNodeLimit
		}
		n = g.AddNode(target, it.ref.Type)
		*entities++
		w.cur.Added++
	}
	if n.EntityType() == it.ref.Type {
		switch {
		case it.entity != nil:
			fillAttributes(n, it.entity)
		case it.detections >= 0:
			n.SetDetectionCount(int(it.detections))
		}
	}
	if err := g.AddLink(id, target, string(r)); err != nil {
		return err
	}
	w.cur.Linked++
	if next := w.level + 1; next < w.depth && entityType(it.ref.Type) && !w.seen[target] {
		w.seen[target] = true
		w.levels[next] = append(w.levels[next], target)
		w.queueNode(f, g, next, len(w.levels[next])-1, target)
	}
	return nil
}
