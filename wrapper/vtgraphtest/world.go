package vtgraphtest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// world is the compiled, immutable form of a Universe that a server serves:
// every target of a relationship exists, every relationship with a way back
// has it, and attributes are raw JSON.
type world struct {
	entities map[entityKey]*stored
	order    []*stored          // entities as added, then the targets added for them
	hashes   map[string]*stored // a file's md5 and sha1, lowercase
}

// stored is one entity as served.
type stored struct {
	typ, id string
	attrs   map[string]json.RawMessage
	rels    map[string][]edge
}

// edge is one related entity, in serving order.
type edge struct {
	to  *stored
	ctx map[string]json.RawMessage
}

// compile builds the world a universe describes. It fails when the ways back
// give a single-object relationship (a domain's parent, a URL's network
// location) more than one object.
func (u *Universe) compile() (*world, error) {
	w := &world{entities: map[entityKey]*stored{}, hashes: map[string]*stored{}}
	for _, e := range u.entities {
		w.ensure(e.Type, e.ID, rawAttributesOf(e.Attributes), u.urls)
	}
	type link struct {
		from *stored
		rel  string
		to   *stored
	}
	var forward []link
	for _, e := range u.entities {
		from := w.entities[entityKey{e.Type, e.ID}]
		for _, rel := range sortedKeys(e.Relationships) {
			for _, r := range e.Relationships[rel] {
				to := w.ensure(r.Type, r.ID, nil, u.urls)
				from.link(rel, edge{to: to, ctx: rawAttributesOf(r.ContextAttributes)})
				forward = append(forward, link{from, rel, to})
			}
		}
	}
	for _, l := range forward {
		if back, ok := inverseOf(l.from.typ, l.rel, l.to.typ); ok {
			l.to.link(back, edge{to: l.from})
		}
	}
	var errs []error
	for _, s := range w.order {
		for _, rel := range sortedKeys(s.rels) {
			if entityRelationships[s.typ][rel].single && len(s.rels[rel]) > 1 {
				ids := make([]string, len(s.rels[rel]))
				for i, e := range s.rels[rel] {
					ids[i] = strconv.Quote(e.to.id)
				}
				errs = append(errs, fmt.Errorf("%s %s: %s holds at most one object, but relationships lead to %s",
					s.typ, strconv.Quote(s.id), rel, strings.Join(ids, " and ")))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return w, nil
}

// ensure returns the entity, creating it with attrs when it is new. A URL
// named by a relationship only by its SHA-256 is created without its url
// attribute; a URL named by the URL itself gets it.
func (w *world) ensure(typ, id string, attrs map[string]json.RawMessage, urls map[string]string) *stored {
	key := entityKey{typ, id}
	if s, ok := w.entities[key]; ok {
		return s
	}
	if attrs == nil {
		attrs = map[string]json.RawMessage{}
		switch typ {
		case typeFile:
			attrs["sha256"] = mustJSON(id)
		case typeURL:
			if url, ok := urls[id]; ok {
				attrs["url"] = mustJSON(url)
			}
		}
	}
	s := &stored{typ: typ, id: id, attrs: attrs, rels: map[string][]edge{}}
	w.entities[key] = s
	w.order = append(w.order, s)
	if typ == typeFile {
		for _, k := range []string{"md5", "sha1"} {
			var h string
			if json.Unmarshal(attrs[k], &h) == nil && h != "" {
				w.hashes[strings.ToLower(h)] = s
			}
		}
	}
	return s
}

// link appends e to the relationship unless it already leads there.
func (s *stored) link(rel string, e edge) {
	for _, have := range s.rels[rel] {
		if have.to == e.to {
			return
		}
	}
	s.rels[rel] = append(s.rels[rel], e)
}

func rawAttributesOf(attrs map[string]any) map[string]json.RawMessage {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]json.RawMessage, len(attrs))
	for k, v := range attrs {
		out[k] = mustJSON(v) // Universe.add checked that every value marshals
	}
	return out
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("vtgraphtest: %v", err))
	}
	return b
}

// find returns the entity a route's id names: a file by any of its hashes,
// a URL by its SHA-256 or its URL id (the unpadded URL-safe base64 of the
// URL), a domain in any case, an IP address in any notation.
func (w *world) find(typ, id string) (*stored, bool) {
	switch typ {
	case typeFile:
		h := strings.ToLower(id)
		if s, ok := w.entities[entityKey{typ, h}]; ok {
			return s, true
		}
		s, ok := w.hashes[h]
		return s, ok
	case typeURL:
		if s, ok := w.entities[entityKey{typ, strings.ToLower(id)}]; ok {
			return s, true
		}
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(id, "="))
		if err != nil {
			return nil, false
		}
		s, ok := w.entities[entityKey{typ, urlSHA256(string(raw))}]
		return s, ok
	case typeDomain:
		s, ok := w.entities[entityKey{typ, strings.TrimSuffix(strings.ToLower(id), ".")}]
		return s, ok
	case typeIPAddress:
		a, err := netip.ParseAddr(id)
		if err != nil {
			return nil, false
		}
		s, ok := w.entities[entityKey{typ, a.Unmap().String()}]
		return s, ok
	}
	return nil, false
}

// urlID is VirusTotal's URL identifier: the URL in unpadded URL-safe base64.
func urlID(url string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(url))
}
