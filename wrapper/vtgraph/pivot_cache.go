package vtgraph

import (
	"errors"
	"slices"
	"sync"
)

// PivotCache remembers what VirusTotal answered to the requests of
// [Client.Expand], [Client.ExpandGraph], [Client.Enrich] and
// [Client.Connect]: entities with their attributes, which of their
// relationships hold anything, and every page of related objects fetched.
// Calls given the same cache ([PivotOptions.Cache]) one after another
// never send a request another of them sent: each (entity, relationship,
// page) is fetched once. (Calls running at the same time may each send one
// the other has not answered yet.) It also remembers a premium
// relationship refused, so that later calls do not ask for premium
// relationships again.
//
// The zero value is an empty cache, ready to use. A PivotCache is safe for
// concurrent use; it grows with what it holds and forgets nothing, so give
// a long-running program a new one from time to time.
type PivotCache struct {
	mu       sync.Mutex
	entities map[EntityRef]*cachedEntity
	rels     map[relKey]*relMemo
	// premiumErr is VirusTotal's answer when it refused a premium
	// relationship, which tells that the key has no premium access; nil
	// until then.
	premiumErr *APIError
}

// cachedEntity is what is known of one entity.
type cachedEntity struct {
	// entity holds its attributes, from a lookup or a listing; nil when
	// only its relationships are known.
	entity *Entity
	// canonical is the id VirusTotal answers with, such as the SHA-256
	// of a file looked up by MD5; "" until a lookup answered.
	canonical string
	// missing says VirusTotal answered 404: it does not know the entity.
	missing bool
	// missingErr is that answer.
	missingErr error
	// probed holds, for each relationship a lookup asked to include,
	// whether it holds anything.
	probed map[Relationship]bool
}

// relKey names the related objects of one entity's relationship, as
// listed with their attributes (objects) or as descriptors.
type relKey struct {
	ref     EntityRef
	rel     Relationship
	objects bool
}

// relMemo is the part of a relationship fetched so far.
type relMemo struct {
	items []relItem
	// next is the cursor of the page after items; "" when done.
	next string
	// done says every item was fetched.
	done bool
	// refused is VirusTotal's definitive no: a *PremiumError, or a 400
	// for a relationship the type does not have.
	refused error
}

// relItem is one related object, resolved to the node it stands for.
type relItem struct {
	// ref is the object, or for a DNS resolution the entity at its other
	// end.
	ref EntityRef
	// entity holds the object's attributes; nil from a descriptor or for
	// a resolution, whose attributes are the resolution's.
	entity *Entity
	// detections counts the detections of a resolution's other end,
	// from the resolution's attributes; -1 when unknown.
	detections int64
}

func (c *PivotCache) init() {
	if c.entities == nil {
		c.entities = map[EntityRef]*cachedEntity{}
		c.rels = map[relKey]*relMemo{}
	}
}

// entity returns what is known of ref; the caller holds c.mu.
func (c *PivotCache) entity(ref EntityRef) *cachedEntity {
	c.init()
	e := c.entities[ref]
	if e == nil {
		e = &cachedEntity{probed: map[Relationship]bool{}}
		c.entities[ref] = e
	}
	return e
}

// lookup returns a copy of what is known of ref, and whether anything is.
func (c *PivotCache) lookup(ref EntityRef) (cachedEntity, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	e, ok := c.entities[ref]
	if !ok {
		return cachedEntity{}, false
	}
	return *e, true
}

// unprobed returns those of rels no lookup of ref has asked about yet.
func (c *PivotCache) unprobed(ref EntityRef, rels []Relationship) []Relationship {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entity(ref).unprobed(rels)
}

// unprobed returns those of rels no lookup has asked about yet; the
// caller holds the cache's lock.
func (e *cachedEntity) unprobed(rels []Relationship) []Relationship {
	var out []Relationship
	for _, r := range rels {
		if _, ok := e.probed[r]; !ok {
			out = append(out, r)
		}
	}
	return out
}

// toLookUp returns those of rels a lookup of ref still has to ask about,
// and whether the lookup is needed: it is not when VirusTotal does not
// know ref, or when an earlier lookup answered and asked about all of
// rels.
func (c *PivotCache) toLookUp(ref EntityRef, rels []Relationship) ([]Relationship, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entity(ref)
	if e.missing {
		return nil, false
	}
	ask := e.unprobed(rels)
	return ask, e.canonical == "" || len(ask) > 0
}

// holds reports whether a lookup said that relationship rel of ref holds
// anything, and whether one asked.
func (c *PivotCache) holds(ref EntityRef, rel Relationship) (holds, asked bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entity(ref)
	holds, asked = e.probed[rel]
	return holds, asked
}

// storeLookup records the answer to a lookup of ref that asked for rels:
// the entity, and the first descriptors of each relationship, which seed
// the relationship's descriptors.
func (c *PivotCache) storeLookup(ref EntityRef, rels []Relationship, e *Entity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ce := c.entity(ref)
	ce.entity, ce.canonical = e, e.ID
	if e.ID != "" && e.ID != ref.ID {
		c.entities[EntityRef{Type: ref.Type, ID: e.ID}] = ce
	}
	for _, r := range rels {
		page := e.Relationships[r]
		ce.probed[r] = page != nil && len(page.Items) > 0
		key := relKey{ref: ref, rel: r}
		if _, ok := c.rels[key]; ok || page == nil {
			continue
		}
		m := &relMemo{next: page.NextCursor, done: page.NextCursor == ""}
		from := EntityRef{Type: ref.Type, ID: e.ID}
		for _, d := range page.Items {
			m.items = append(m.items, descriptorItem(from, d))
		}
		c.rels[key] = m
	}
}

// storeMissing records that VirusTotal does not know ref.
func (c *PivotCache) storeMissing(ref EntityRef, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entity(ref)
	e.missing, e.missingErr = true, err
}

// refusePremium records that the key has no premium access, given the
// first refusal, a *PremiumError.
func (c *PivotCache) refusePremium(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var pe *PremiumError
	if c.premiumErr == nil && errors.As(err, &pe) {
		c.premiumErr = pe.Err
	}
}

// premiumError is the error of premium relationship r of type t, not
// asked for, or refused, since the key has no premium access; it is asked
// for only once premiumRefused holds.
func (c *PivotCache) premiumError(t NodeType, r Relationship) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &PremiumError{Type: t, Relationship: r, Err: c.premiumErr}
}

// premiumRefused reports whether a premium relationship was refused.
func (c *PivotCache) premiumRefused() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.premiumErr != nil
}

// memo returns a copy of the part of a relationship fetched so far, and
// whether any was.
func (c *PivotCache) memo(key relKey) (relMemo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	m, ok := c.rels[key]
	if !ok {
		return relMemo{}, false
	}
	out := *m
	out.items = slices.Clip(out.items)
	return out, true
}

// storePage appends a page fetched after cursor to a relationship; a page
// that is not the one after what is stored (another call fetched it
// meanwhile) changes nothing. A page naming its own cursor as the next
// one ends the relationship: following it would repeat the page forever.
func (c *PivotCache) storePage(key relKey, cursor string, page *Page[relItem]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	m := c.rels[key]
	if m == nil {
		if cursor != "" {
			return
		}
		m = &relMemo{}
		c.rels[key] = m
	} else if m.done || m.next != cursor || cursor == "" {
		return
	}
	m.items = append(m.items, page.Items...)
	m.next = page.NextCursor
	m.done = page.NextCursor == "" || page.NextCursor == cursor || len(page.Items) == 0
	if m.done {
		m.next = ""
	}
	if key.objects {
		for _, it := range page.Items {
			if it.entity != nil {
				if ce := c.entity(it.ref); ce.entity == nil {
					ce.entity = it.entity
				}
			}
		}
	}
}

// storeRefused records VirusTotal's refusal of a relationship.
func (c *PivotCache) storeRefused(key relKey, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	c.rels[key] = &relMemo{done: true, refused: err}
}

// descriptorItem resolves a descriptor listed by from's relationship.
func descriptorItem(from EntityRef, d Descriptor) relItem {
	return resolvedItem(from, EntityRef{Type: NodeType(d.Type), ID: d.ID}, nil)
}

// objectItem resolves an object listed by from's relationship.
func objectItem(from EntityRef, e *Entity) relItem {
	return resolvedItem(from, e.Ref(), e)
}

// resolvedItem turns a DNS resolution into the entity at its other end,
// with the detections its attributes give that end.
func resolvedItem(from, ref EntityRef, e *Entity) relItem {
	it := relItem{ref: ref, entity: e, detections: -1}
	if ref.Type != "resolution" {
		return it
	}
	it.entity = nil
	if e != nil {
		if r, err := e.AsResolution(); err == nil {
			switch {
			case from.Type == NodeTypeDomain && r.IPAddress != "":
				it.ref = EntityRef{Type: NodeTypeIPAddress, ID: r.IPAddress}
				it.detections = detectionsOf(r.IPAddressStats)
				return it
			case from.Type == NodeTypeIPAddress && r.HostName != "":
				it.ref = EntityRef{Type: NodeTypeDomain, ID: r.HostName}
				it.detections = detectionsOf(r.HostNameStats)
				return it
			}
		}
	}
	if peer, ok := ResolutionPeer(from, ref.ID); ok {
		it.ref = peer
	}
	return it
}

func detectionsOf(s *AnalysisStats) int64 {
	if s == nil {
		return -1
	}
	return s.Detections()
}
