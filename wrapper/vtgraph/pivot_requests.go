package vtgraph

import (
	"context"
	"errors"
	"net/http"
)

// The three requests the pivoting calls send, as fetcher tasks. Each
// stores its answer in the cache, VirusTotal's definitive answers
// included: an entity it does not know, a relationship it refuses. Only
// what may go differently another time (a spent quota, a network failure,
// cancellation) is returned as an error, which stops the call.

// lookupEntity queues a lookup of ref with the first descriptors of rels
// inline, at prio; then runs, in a worker, once the answer is stored.
// Premium relationships are left out once one was refused; the lookup
// that finds them refused asks again without them. Relationships an
// earlier lookup of ref asked about are left out too, and a lookup with
// nothing left to ask sends nothing: two tasks that come to ask the same
// (one queued before a premium refusal, one after) send one request. One
// lookup of an entity is in flight at a time, so that the second sees
// what the first stored.
func (f *fetcher) lookupEntity(ref EntityRef, rels []Relationship, prio priority, then func()) *task {
	key := taskKey{kind: taskLookup, ref: ref, rels: joinRelationships(rels)}
	return f.queueTask(key, prio, func(ctx context.Context, f *fetcher, t *task) error {
		noPremium := false
		for done := false; !done; {
			if err := f.claimLookup(ctx, ref); err != nil {
				return err
			}
			var err error
			done, err = f.lookUpOnce(ctx, t, ref, rels, &noPremium)
			f.releaseLookup(ref, err)
			if err != nil {
				return err
			}
		}
		if ce, _ := f.cache.lookup(ref); ce.missing {
			return nil
		}
		if then != nil {
			then()
		}
		return nil
	})
}

// lookUpOnce sends one lookup of ref, with what of rels is still to ask,
// and stores the answer; the caller holds the claim on ref. It is done
// unless VirusTotal refused a premium relationship, which sets noPremium
// for the lookup that asks again without them.
func (f *fetcher) lookUpOnce(ctx context.Context, t *task, ref EntityRef, rels []Relationship, noPremium *bool) (done bool, err error) {
	if *noPremium || f.cache.premiumRefused() {
		rels = withoutPremium(ref.Type, rels)
	}
	ask, needed := f.cache.toLookUp(ref, rels)
	if !needed {
		return true, nil
	}
	e, err := f.getEntity(ctx, t, ref, ask)
	switch {
	case isPremiumRefusal(err) && len(ask) > len(withoutPremium(ref.Type, ask)):
		f.cache.refusePremium(err)
		*noPremium = true
		return false, nil
	case isUnknown(err):
		f.cache.storeMissing(ref, err)
		return true, nil
	case err != nil:
		return true, err
	}
	f.cache.storeLookup(ref, ask, e)
	return true, nil
}

func (f *fetcher) getEntity(ctx context.Context, t *task, ref EntityRef, rels []Relationship) (*Entity, error) {
	var e *Entity
	err := f.send(t, func() error {
		var opts *GetEntityOptions
		if len(rels) > 0 {
			opts = &GetEntityOptions{Relationships: rels}
		}
		var err error
		e, err = f.c.GetEntity(ctx, ref, opts)
		return err
	})
	return e, err
}

// listRelated queues the page of rel's related objects (with attributes,
// or descriptors) of ref that follows cursor, of at most limit items.
func (f *fetcher) listRelated(key relKey, cursor string, limit int, prio priority, then func()) *task {
	kind := taskDescriptors
	if key.objects {
		kind = taskObjects
	}
	tk := taskKey{kind: kind, ref: key.ref, rel: key.rel, cursor: cursor}
	return f.queueTask(tk, prio, func(ctx context.Context, f *fetcher, t *task) error {
		from := key.ref
		if ce, ok := f.cache.lookup(key.ref); ok && ce.canonical != "" {
			from.ID = ce.canonical
		}
		opts := &ListOptions{Limit: min(limit, MaxPageSize), Cursor: cursor}
		var page Page[relItem]
		err := f.send(t, func() error {
			if key.objects {
				p, err := f.c.ListEntityRelated(ctx, key.ref, key.rel, opts)
				if err == nil {
					page.NextCursor = p.NextCursor
					for _, e := range p.Items {
						page.Items = append(page.Items, objectItem(from, e))
					}
				}
				return err
			}
			p, err := f.c.ListEntityRelatedDescriptors(ctx, key.ref, key.rel, opts)
			if err == nil {
				page.NextCursor = p.NextCursor
				for _, d := range p.Items {
					page.Items = append(page.Items, descriptorItem(from, d))
				}
			}
			return err
		})
		switch {
		case isPremiumRefusal(err):
			f.cache.refusePremium(err)
			f.cache.storeRefused(key, err)
			return nil
		case isRefusal(err):
			f.cache.storeRefused(key, err)
			return nil
		case err != nil:
			return err
		}
		f.cache.storePage(key, cursor, &page)
		if then != nil {
			then()
		}
		return nil
	})
}

// isPremiumRefusal reports a premium relationship refused to the key.
func isPremiumRefusal(err error) bool {
	var pe *PremiumError
	return errors.As(err, &pe)
}

// isUnknown reports VirusTotal's answer to a lookup of an entity it does
// not know (404), or an id this package refuses to send: the node cannot
// be looked up, and asking again would not change that. Anything else,
// a 400 included (a lookup asks only for relationships the type has), is
// unexpected and stops the call.
func isUnknown(err error) bool {
	var (
		apiErr *APIError
		parErr *ParamError
	)
	return errors.As(err, &parErr) || errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// isRefusal reports VirusTotal's definitive no to a page of a relationship,
// which asking again would not change: an entity it does not know (404), a
// relationship the type does not have (400), a premium relationship (403),
// or an id this package refuses to send.
func isRefusal(err error) bool {
	var apiErr *APIError
	switch {
	case isUnknown(err), isPremiumRefusal(err):
		return true
	case errors.As(err, &apiErr):
		return apiErr.StatusCode == http.StatusBadRequest
	}
	return false
}

// withoutPremium returns rels without the premium relationships of t.
func withoutPremium(t NodeType, rels []Relationship) []Relationship {
	out := make([]Relationship, 0, len(rels))
	for _, r := range rels {
		if info, ok := tableRelationship(t, r); !ok || !info.Premium {
			out = append(out, r)
		}
	}
	return out
}
