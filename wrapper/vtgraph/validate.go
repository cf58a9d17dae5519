package vtgraph

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FieldError is one problem found by [Graph.Validate], located by a path
// into the graph's JSON attributes such as "nodes[3].entity_id".
type FieldError struct {
	// Path locates the offending field.
	Path string
	// Message says what is wrong with it.
	Message string
}

// Error returns "path: message".
func (e FieldError) Error() string { return e.Path + ": " + e.Message }

// ValidationError lists every problem [Graph.Validate] found, so a user can
// fix them all before trying again rather than one per round trip.
type ValidationError struct {
	// Problems are in graph order: graph fields, then nodes, then links.
	Problems []FieldError
}

// Error lists every problem on one line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("vtgraph: invalid graph: ")
	if len(e.Problems) == 1 {
		b.WriteString("1 problem: ")
	} else {
		b.WriteString(strconv.Itoa(len(e.Problems)) + " problems: ")
	}
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Validate checks the graph before it is sent to VirusTotal and returns a
// *ValidationError listing every problem, or nil. It catches what VirusTotal
// rejects or the UI draws broken: missing, duplicate or unknown entity ids,
// self links, relationship nodes cut off from one side, links that join two
// relationship nodes or change connection type across one, non-finite
// coordinates, an empty node type, a malformed has_detections and a
// malformed graph id.
//
// Repeated or unordered node indexes are not problems: they are renumbered
// on save (see [Graph.RenumberIndexes]). Validate runs in time linear in the
// number of nodes and links.
func (g *Graph) Validate() error {
	var v graphValidator
	if g.ID != "" && !ValidGraphID(g.ID) {
		v.add("id", "%q is not a graph id (g followed by 64 lowercase hex characters)", g.ID)
	}

	pos := make(map[string]int, len(g.Nodes))
	// isRel and linkable repeat what the later loops need to know of a node,
	// which they would otherwise look up at random in the nodes and in pos,
	// in arrays small enough to stay in cache: whether it is a relationship
	// node, and whether it is the node its entity id stands for.
	isRel := make([]bool, len(g.Nodes))
	linkable := make([]bool, len(g.Nodes))
	for i := range g.Nodes {
		n := &g.Nodes[i]
		isRel[i] = n.IsRelationship()
		p := lazyPath{"nodes", i}
		if n.EntityID == "" {
			v.add(p.field("entity_id").String(), "empty")
		} else if j, dup := pos[n.EntityID]; dup {
			v.add(p.field("entity_id").String(), "%q duplicates nodes[%d]", n.EntityID, j)
		} else {
			pos[n.EntityID] = i
			linkable[i] = true
		}
		if n.Type == "" {
			v.add(p.field("type").String(), "empty")
		}
		if n.Index > math.MaxInt32 {
			v.add(p.field("index").String(), "%d exceeds the int32 range", n.Index)
		}
		v.finite(p, "x", n.X)
		v.finite(p, "y", n.Y)
		if n.FX != nil {
			v.finite(p, "fx", *n.FX)
		}
		if n.FY != nil {
			v.finite(p, "fy", *n.FY)
		}
		if raw, ok := n.Attributes[attrHasDetections]; ok {
			if _, ok := parseDetections(raw); !ok {
				v.add(p.field("entity_attributes.has_detections").String(), "must be a bool or a number, got %s", truncateValue(string(raw)))
			}
		}
	}

	type relState struct {
		seen, in, out bool
		connType      string
	}
	rels := make([]relState, len(g.Nodes))
	seen := linkSet{links: g.Links, first: make(map[uint64]int32, len(g.Links))}
	for i := range g.Links {
		l := &g.Links[i]
		p := lazyPath{"links", i}
		src, srcOK := v.endpoint(p, "source", l.Source, pos)
		dst, dstOK := v.endpoint(p, "target", l.Target, pos)
		if l.Source != "" && l.Source == l.Target {
			v.add(p.field("target").String(), "links node %q to itself", l.Target)
			continue
		}
		if j, dup := seen.add(i, src, dst, srcOK && dstOK); dup {
			v.add(p.String(), "duplicates links[%d]", j)
		}
		if !srcOK || !dstOK {
			continue
		}
		srcRel, dstRel := isRel[src], isRel[dst]
		if srcRel && dstRel {
			v.add(p.String(), "joins two relationship nodes %q and %q", l.Source, l.Target)
			continue
		}
		for _, r := range [...]struct {
			node  int
			isRel bool
			in    bool
		}{{src, srcRel, false}, {dst, dstRel, true}} {
			if !r.isRel {
				continue
			}
			st := &rels[r.node]
			if !st.seen {
				st.seen, st.connType = true, l.ConnectionType
			} else if st.connType != l.ConnectionType && g.Nodes[r.node].RelationshipKind() == "" {
				v.add(p.field("connection_type").String(), "%q differs from %q used by the other links of relationship node %q",
					l.ConnectionType, st.connType, g.Nodes[r.node].EntityID)
			}
			if r.in {
				st.in = true
			} else {
				st.out = true
			}
		}
	}

	for i := range g.Nodes {
		if !isRel[i] || !linkable[i] {
			continue
		}
		n := &g.Nodes[i]
		// Special relationship nodes (commonality, searches, groups) only
		// point at their members; the UI never links into them.
		if n.RelationshipKind() != "" {
			continue
		}
		st := &rels[i]
		if !st.in {
			v.add(lazyPath{"nodes", i}.String(), "relationship node %q has no incoming link", n.EntityID)
		}
		if !st.out {
			v.add(lazyPath{"nodes", i}.String(), "relationship node %q has no outgoing link", n.EntityID)
		}
	}
	return v.err()
}

// lazyPath is a path like nodes[3] that is only formatted when a problem is
// found, so validating a large valid graph allocates no strings.
type lazyPath struct {
	list  string
	index int
}

func (p lazyPath) String() string { return p.list + "[" + strconv.Itoa(p.index) + "]" }

func (p lazyPath) field(name string) fieldPath { return fieldPath{p, name} }

// fieldPath is a lazyPath with a field name after it.
type fieldPath struct {
	lazyPath
	name string
}

func (p fieldPath) String() string { return p.lazyPath.String() + "." + p.name }

// linkSet finds repeated links: the same source, target and connection
// type. Most links join two nodes that exist, and it keys those by the
// positions of their ends, a map far smaller than one keyed by two long ids
// and a connection type, which for a large graph does not fit in cache.
type linkSet struct {
	links []Link
	// first holds the first link between two nodes, by their positions.
	first map[uint64]int32
	// byName holds the links with an end that is not a node, and those
	// joining two nodes that an earlier link of another connection type
	// joins already.
	byName map[linkKey]int
}

// linkKey identifies a link by its ends' ids and its connection type.
type linkKey struct{ source, target, connType string }

// add records links[i], whose ends are the nodes at src and dst when
// resolved is set, and returns the earlier link it repeats, if any.
func (s *linkSet) add(i, src, dst int, resolved bool) (int, bool) {
	l := &s.links[i]
	if resolved {
		ends := uint64(uint32(src))<<32 | uint64(uint32(dst))
		j, ok := s.first[ends]
		if !ok {
			s.first[ends] = int32(i)
			return 0, false
		}
		if s.links[j].ConnectionType == l.ConnectionType {
			return int(j), true
		}
	}
	key := linkKey{l.Source, l.Target, l.ConnectionType}
	if j, ok := s.byName[key]; ok {
		return j, true
	}
	if s.byName == nil {
		s.byName = make(map[linkKey]int)
	}
	s.byName[key] = i
	return 0, false
}

// graphValidator collects problems.
type graphValidator struct {
	problems []FieldError
}

func (v *graphValidator) add(path, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	v.problems = append(v.problems, FieldError{Path: path, Message: msg})
}

func (v *graphValidator) finite(p lazyPath, name string, f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		v.add(p.field(name).String(), "%v is not a finite number", f)
	}
}

// endpoint checks one end of a link and returns the node's position.
func (v *graphValidator) endpoint(p lazyPath, name, id string, pos map[string]int) (int, bool) {
	if id == "" {
		v.add(p.field(name).String(), "empty")
		return 0, false
	}
	i, ok := pos[id]
	if !ok {
		v.add(p.field(name).String(), "node %q does not exist", id)
	}
	return i, ok
}

func (v *graphValidator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

// truncate keeps messages readable when a value is large.
func truncateValue(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
