package vtgraph

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
)

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

func (g *Graph) addSpecial(kind RelationshipKind, id, text string, attrs map[string]json.RawMessage, members []string) (*Node, error) {
	x := g.lockIndex()
	defer x.mu.Unlock()
	for {
		gen := x.gen
		hs, err := x.lookupAll(g, members, "member")
		if err != nil {
			return nil, fmt.Errorf("vtgraph: add %s: %w", kind, err)
		}
		h, exists := x.lookup(g, id)
		if exists && x.node(g, h).RelationshipKind() != kind {
			return nil, fmt.Errorf("vtgraph: add %s: node %q already exists with another kind", kind, id)
		}
		if x.gen != gen {
			continue
		}
		if !exists {
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
			h = x.appendNode(g, n)
		}
		for _, m := range hs {
			x.ensure(g, h, m, string(kind))
		}
		return x.node(g, h), nil
	}
}

// AddGroup groups members under a label, as the VirusTotal UI and
// vt-graph-api store a group: a relationship node with relationship_type
// "group" listing the members in grouped_node_ids, a "group" link from each
// member to it, and a copy of each member's links with the group in the
// member's place, through which the UI draws the group's relationships.
// Links added to a member later get their copy too.
//
// As vt-graph-api does, it refuses an empty group, a member that is not an
// entity node of the graph, and one that is in a group already.
func (g *Graph) AddGroup(label string, members ...string) (*Node, error) {
	x := g.lockIndex()
	defer x.mu.Unlock()
	h, err := x.group(g, label, uniq(members))
	if err != nil {
		return nil, fmt.Errorf("vtgraph: add group: %w", err)
	}
	return x.node(g, h), nil
}

func (x *graphIndex) group(g *Graph, label string, members []string) (int32, error) {
	if len(members) == 0 {
		return -1, errors.New("a group needs at least one member")
	}
	id := "relationships_group_" + stableHash(strings.Join(members, ","))
	for {
		gen := x.gen
		hs, err := x.lookupAll(g, members, "member")
		if err != nil {
			return -1, err
		}
		for i, m := range hs {
			if x.node(g, m).IsRelationship() {
				return -1, fmt.Errorf("node %q is a relationship node; only entities are grouped", members[i])
			}
			if in := x.groupOf(m); in >= 0 {
				return -1, fmt.Errorf("node %q is in the group %q already", members[i], x.id(g, in))
			}
		}
		if _, exists := x.lookup(g, id); exists {
			return -1, fmt.Errorf("node %q already exists", id)
		}
		if x.gen != gen {
			continue
		}
		var cx, cy float64
		for _, m := range hs {
			cx, cy = cx+x.node(g, m).X, cy+x.node(g, m).Y
		}
		group := x.appendNode(g, Node{
			EntityID: id,
			Type:     NodeTypeRelationship,
			Index:    g.nextIndex(),
			X:        cx / float64(len(hs)),
			Y:        cy / float64(len(hs)),
			Text:     label,
			Attributes: EntityAttributes{
				attrRelationshipType: appendString(nil, string(RelationshipGroup)),
				attrGroupedNodeIDs:   appendStrings(nil, members),
			},
		})
		// The copies are made from the links as they are before the
		// group links, in link order, so that they come out the same
		// whatever order the index lists links in.
		type copyOf struct {
			src, dst int32
			connType string
		}
		var copies []copyOf
		for _, m := range hs {
			for _, p := range x.outLinks(m) {
				if d := x.links[p].dst; d >= 0 {
					copies = append(copies, copyOf{group, d, g.Links[p].ConnectionType})
				}
			}
			for _, p := range x.inLinks(m) {
				if s := x.links[p].src; s >= 0 && x.groupOf(s) < 0 && !slices.Contains(hs, s) {
					copies = append(copies, copyOf{s, group, g.Links[p].ConnectionType})
				}
			}
		}
		for _, m := range hs {
			x.appendLink(g, m, group, ConnectionGroup)
		}
		for _, c := range copies {
			if c.src != c.dst && x.findLink(c.src, c.dst, c.connType) < 0 {
				x.appendLink(g, c.src, c.dst, c.connType)
			}
		}
		return group, nil
	}
}

// stableHash numbers the search and group nodes the builder creates, so the
// same query always gives the same node id. The UI uses its own numbering;
// ids only need to be unique within a graph.
func stableHash(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return strconv.FormatUint(uint64(h.Sum32()), 10)
}
