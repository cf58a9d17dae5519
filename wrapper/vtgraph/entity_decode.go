package vtgraph

import (
	"encoding/json"
	"errors"
)

// scanListedEntity is scanEntity for the items of a listing or a search,
// which the API gives an id each: without one, nothing could look the
// entity up again or put it in a graph.
func scanListedEntity(s *jsonScanner) (*Entity, error) {
	start := s.pos
	e, err := scanEntity(s)
	if err == nil && e.ID == "" {
		return nil, &offsetError{offset: int64(start), err: errors.New("the object has no id")}
	}
	return e, err
}

// scanEntity decodes an object, {"type", "id", "attributes",
// "context_attributes", "relationships", "links"}, in one pass of the
// response's scanner: each attribute is kept as a sub-slice of the body, and
// the shared typed attributes are decoded from their value as it passes. It
// is what every entity response and page goes through, so it reads the
// body once rather than once per destination. Null members are absent, as
// with encoding/json.
func scanEntity(s *jsonScanner) (*Entity, error) {
	if s.literal("null") {
		return nil, s.errorf("expected an object, got null")
	}
	e := &Entity{}
	err := s.object(func(key []byte) error {
		switch {
		case s.literal("null"):
			return nil
		case isKey(key, "type"):
			t, err := s.str()
			e.Type = NodeType(t)
			return pathPrefix("type", err)
		case isKey(key, "id"):
			id, err := s.str()
			e.ID = id
			return pathPrefix("id", err)
		case isKey(key, "attributes"):
			return pathPrefix("attributes", scanAttributes(s, e))
		case isKey(key, "context_attributes"):
			return pathPrefix("context_attributes", s.object(func(k []byte) error { return s.keepRaw(&e.ContextAttributes, k) }))
		case isKey(key, "relationships"):
			return pathPrefix("relationships", scanRelationships(s, e))
		case isKey(key, "links"):
			return pathPrefix("links", s.object(func(k []byte) error {
				if !isKey(k, "self") || s.literal("null") {
					return s.skip(0)
				}
				self, err := s.str()
				e.SelfLink = self
				return pathPrefix("self", err)
			}))
		}
		return s.skip(0)
	})
	return e, err
}

// scanAttributes keeps every attribute in e.Attributes and decodes the ones
// every entity type shares.
func scanAttributes(s *jsonScanner, e *Entity) error {
	return s.object(func(key []byte) error {
		start := s.pos
		raw, err := s.raw()
		if err != nil {
			return pathPrefix(string(key), err)
		}
		if e.Attributes == nil {
			e.Attributes = make(map[string]json.RawMessage, 16)
		}
		name := string(key)
		e.Attributes[name] = raw
		if string(raw) == "null" {
			return nil
		}
		var dst any
		var sec int64
		switch name {
		case "last_analysis_stats":
			var st statsJSON
			if err = json.Unmarshal(raw, &st); err == nil {
				stats := AnalysisStats(st)
				e.LastAnalysisStats = &stats
			}
		case "total_votes":
			dst = &e.TotalVotes
		case "reputation":
			dst = &e.Reputation
		case "tags":
			dst = &e.Tags
		case "last_analysis_date", "last_modification_date":
			if err = json.Unmarshal(raw, &sec); err == nil {
				if name == "last_analysis_date" {
					e.LastAnalysisDate = unixTime(sec)
				} else {
					e.LastModificationDate = unixTime(sec)
				}
			}
		}
		if dst != nil {
			err = json.Unmarshal(raw, dst)
		}
		if err != nil {
			return &offsetError{offset: int64(start), err: &pathError{path: name, err: err}}
		}
		return nil
	})
}

// scanRelationships decodes the relationships included in an object, each a
// page of descriptors.
func scanRelationships(s *jsonScanner, e *Entity) error {
	return s.object(func(key []byte) error {
		raw, err := s.raw()
		if err != nil {
			return pathPrefix(string(key), err)
		}
		page := pageBody[Descriptor]{decode: rawDecoder(decodeDescriptor), single: true}
		if err := page.decodeBody(raw); err != nil {
			return pathPrefix(string(key), err)
		}
		if e.Relationships == nil {
			e.Relationships = make(map[Relationship]*Page[Descriptor], 4)
		}
		e.Relationships[Relationship(key)] = page.page
		return nil
	})
}
