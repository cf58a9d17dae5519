package vtgraph

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// The builder methods edit a graph the way the VirusTotal UI does, so that a
// graph built or changed in code looks in the UI as if drawn there. They
// keep node indexes increasing and place new nodes deterministically, so the
// same calls always give the same JSON.
//
// Pointers to nodes returned by these methods point into Graph.Nodes and
// stay valid until the next call that adds or removes a node.

// gridColumns and gridStep lay new entity nodes out on a grid the UI's force
// layout then relaxes; integer positions keep the output identical on every
// platform.
const (
	gridColumns = 8
	gridStep    = 120
)

// AddNode adds an entity node and returns it. If a node with that entity id
// already exists it is returned unchanged, so adding is idempotent. The type
// is stored as [Node.SetEntityType] stores it: a type such as
// [NodeTypeVictim] becomes type "custom" with that custom_type.
func (g *Graph) AddNode(entityID string, typ NodeType) *Node {
	if i := g.nodePos(entityID); i >= 0 {
		return &g.Nodes[i]
	}
	idx := g.nextIndex()
	n := Node{
		EntityID:   entityID,
		Index:      idx,
		X:          float64(idx % gridColumns * gridStep),
		Y:          float64(idx / gridColumns * gridStep),
		Attributes: EntityAttributes{},
	}
	n.SetEntityType(typ)
	g.Nodes = append(g.Nodes, n)
	return &g.Nodes[len(g.Nodes)-1]
}

// AddLink links source to target, both of which must already be nodes. A
// typed link goes through the relationship node RelationshipNodeID(
// connectionType, source), which is created on first use and shared by every
// target of the same source and type, as in the UI. An empty or "manual"
// connection type links the nodes directly. Adding a link that exists is a
// no-op.
func (g *Graph) AddLink(source, target, connectionType string) error {
	si, ti := g.nodePos(source), g.nodePos(target)
	switch {
	case si < 0:
		return fmt.Errorf("vtgraph: add link: source node %q does not exist", source)
	case ti < 0:
		return fmt.Errorf("vtgraph: add link: target node %q does not exist", target)
	case source == target:
		return fmt.Errorf("vtgraph: add link: node %q cannot link to itself", source)
	}
	if connectionType == "" || connectionType == ConnectionManual {
		g.ensureLink(source, target, connectionType)
		return nil
	}
	rel := g.relationshipNode(source, target, connectionType)
	g.ensureLink(source, rel, connectionType)
	g.ensureLink(rel, target, connectionType)
	return nil
}

// relationshipNode returns the id of the relationship node joining source to
// its targets of connectionType, creating it when needed. When the id
// VirusTotal would use is taken by another node (two sources can differ only
// by dots), a numbered suffix keeps them apart.
func (g *Graph) relationshipNode(source, target, connectionType string) string {
	base := RelationshipNodeID(connectionType, source)
	id := base
	for n := 2; ; n++ {
		i := g.nodePos(id)
		if i < 0 {
			break
		}
		if g.Nodes[i].IsRelationship() && g.Nodes[i].RelationshipKind() == "" && g.ownsRelationship(id, source) {
			return id
		}
		id = base + "_" + strconv.Itoa(n)
	}
	si, ti := g.nodePos(source), g.nodePos(target)
	g.Nodes = append(g.Nodes, Node{
		EntityID:   id,
		Type:       NodeTypeRelationship,
		Index:      g.nextIndex(),
		X:          (g.Nodes[si].X + g.Nodes[ti].X) / 2,
		Y:          (g.Nodes[si].Y + g.Nodes[ti].Y) / 2,
		Attributes: EntityAttributes{},
	})
	return id
}

// ownsRelationship reports whether relationship node rel has no incoming
// link or only links from source.
func (g *Graph) ownsRelationship(rel, source string) bool {
	for i := range g.Links {
		if l := &g.Links[i]; l.Target == rel && l.Source != source {
			return false
		}
	}
	return true
}

func (g *Graph) ensureLink(source, target, connectionType string) {
	for i := range g.Links {
		l := &g.Links[i]
		if l.Source == source && l.Target == target && l.ConnectionType == connectionType {
			return
		}
	}
	g.Links = append(g.Links, Link{Source: source, Target: target, ConnectionType: connectionType})
}

// RemoveNode removes the node with the given entity id, every link touching
// it, and any relationship node this leaves without a source or without
// targets. Remaining nodes keep their indexes. It reports whether the node
// existed.
func (g *Graph) RemoveNode(entityID string) bool {
	if g.nodePos(entityID) < 0 {
		return false
	}
	g.prune(map[string]bool{entityID: true}, func(*Link) bool { return false })
	return true
}

// RemoveLink undoes AddLink: it removes the link from source to target of
// connectionType, and the relationship node in between when no other
// target is left on it. It reports whether a link was removed.
func (g *Graph) RemoveLink(source, target, connectionType string) bool {
	rels := make(map[string]bool)
	for i := range g.Links {
		l := &g.Links[i]
		if l.Source == source && l.ConnectionType == connectionType {
			if j := g.nodePos(l.Target); j >= 0 && g.Nodes[j].IsRelationship() {
				rels[l.Target] = true
			}
		}
	}
	removed := false
	g.prune(nil, func(l *Link) bool {
		hit := l.ConnectionType == connectionType && l.Target == target &&
			(l.Source == source || rels[l.Source])
		removed = removed || hit
		return hit
	})
	return removed
}

// prune removes the nodes in gone, the links touching them or matching
// drop, and then, repeatedly, relationship nodes that lost a side.
func (g *Graph) prune(gone map[string]bool, drop func(*Link) bool) {
	if gone == nil {
		gone = make(map[string]bool)
	}
	touched := make(map[string]bool)
	for {
		kept := g.Links[:0]
		for i := range g.Links {
			l := g.Links[i]
			if gone[l.Source] || gone[l.Target] || drop(&l) {
				touched[l.Source], touched[l.Target] = true, true
				continue
			}
			kept = append(kept, l)
		}
		clear(g.Links[len(kept):])
		g.Links = kept

		in, out := make(map[string]int), make(map[string]int)
		for i := range g.Links {
			out[g.Links[i].Source]++
			in[g.Links[i].Target]++
		}
		more := false
		for i := range g.Nodes {
			n := &g.Nodes[i]
			id := n.EntityID
			if gone[id] || !touched[id] || !n.IsRelationship() {
				continue
			}
			special := n.RelationshipKind() != ""
			if out[id] == 0 || (!special && in[id] == 0) {
				gone[id] = true
				more = true
			}
		}
		if !more {
			break
		}
	}
	kept := g.Nodes[:0]
	for i := range g.Nodes {
		if !gone[g.Nodes[i].EntityID] {
			kept = append(kept, g.Nodes[i])
		}
	}
	clear(g.Nodes[len(kept):])
	g.Nodes = kept
}

// AddCommonality adds a commonality node stating that members share the
// given properties, linked to each member.
func (g *Graph) AddCommonality(commonalities []Commonality, members ...string) (*Node, error) {
	raw, err := json.Marshal(commonalities)
	if err != nil {
		return nil, fmt.Errorf("vtgraph: add commonality: %w", err)
	}
	labels := make([]string, len(commonalities))
	for i, c := range commonalities {
		var v string
		if json.Unmarshal(c.Value, &v) != nil {
			v = string(c.Value)
		}
		labels[i] = c.Commonality + ": " + v
	}
	id := "relationships_commonality_" + stableHash(string(raw))
	return g.addSpecial(RelationshipCommonality, id, strings.Join(labels, ", "),
		map[string]json.RawMessage{attrCommonalities: raw}, members)
}

// AddIntelligenceQuery adds a node for an Intelligence search, linked to the
// results worth keeping.
func (g *Graph) AddIntelligenceQuery(query string, results ...string) (*Node, error) {
	id := "intelligence_" + stableHash(query)
	return g.addSpecial(RelationshipIntelligence, id, "VTI: "+query,
		map[string]json.RawMessage{attrIntelligenceQuery: appendString(nil, query)}, results)
}

// AddHuntingRuleset adds a node for a Livehunt ruleset, linked to the files
// it matched.
func (g *Graph) AddHuntingRuleset(rulesetID string, matches ...string) (*Node, error) {
	return g.addSpecial(RelationshipHunting, "relationships_hunting_"+rulesetID, "",
		map[string]json.RawMessage{attrRulesetID: appendString(nil, rulesetID)}, matches)
}

// AddRetrohuntJob adds a node for a Retrohunt job, linked to the files it
// matched.
func (g *Graph) AddRetrohuntJob(jobID string, matches ...string) (*Node, error) {
	return g.addSpecial(RelationshipRetrohunt, "relationships_retrohunt_"+jobID, "",
		map[string]json.RawMessage{attrRetrohuntJobID: appendString(nil, jobID)}, matches)
}

// AddGroup adds a node grouping members under a label.
func (g *Graph) AddGroup(label string, members ...string) (*Node, error) {
	id := "relationships_group_" + stableHash(label)
	return g.addSpecial(RelationshipGroup, id, label, nil, members)
}

func (g *Graph) addSpecial(kind RelationshipKind, id, text string, attrs map[string]json.RawMessage, members []string) (*Node, error) {
	for _, m := range members {
		if g.nodePos(m) < 0 {
			return nil, fmt.Errorf("vtgraph: add %s: node %q does not exist", kind, m)
		}
	}
	if i := g.nodePos(id); i >= 0 && g.Nodes[i].RelationshipKind() != kind {
		return nil, fmt.Errorf("vtgraph: add %s: node %q already exists with another kind", kind, id)
	}
	if g.nodePos(id) < 0 {
		idx := g.nextIndex()
		n := Node{
			EntityID:   id,
			Type:       NodeTypeRelationship,
			Index:      idx,
			X:          float64(idx % gridColumns * gridStep),
			Y:          float64(idx / gridColumns * gridStep),
			Text:       text,
			Attributes: EntityAttributes{attrRelationshipType: appendString(nil, string(kind))},
		}
		for k, v := range attrs {
			n.Attributes[k] = v
		}
		g.Nodes = append(g.Nodes, n)
	}
	for _, m := range members {
		g.ensureLink(id, m, string(kind))
	}
	return &g.Nodes[g.nodePos(id)], nil
}

// stableHash numbers the search and group nodes the builder creates, so the
// same query always gives the same node id. The UI uses its own numbering;
// ids only need to be unique within a graph.
func stableHash(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return strconv.FormatUint(uint64(h.Sum32()), 10)
}

func (g *Graph) nodePos(entityID string) int {
	for i := range g.Nodes {
		if g.Nodes[i].EntityID == entityID {
			return i
		}
	}
	return -1
}

// nextIndex continues the existing numbering so that adding a node never
// forces the others to be renumbered.
func (g *Graph) nextIndex() int {
	if len(g.Nodes) == 0 {
		return 0
	}
	return max(g.Nodes[len(g.Nodes)-1].Index+1, len(g.Nodes))
}
