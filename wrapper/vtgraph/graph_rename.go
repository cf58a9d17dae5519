package vtgraph

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Rename is a node given a new id.
type Rename struct {
	// From is the id the node had.
	From string
	// To is the id it has.
	To string
}

// RenameNode gives the node oldID the id newID, keeping everything that
// names it: its links both ways, its place in a group's grouped_node_ids,
// and the relationship nodes it alone is the source of, which are renamed
// after it as VirusTotal names them (RelationshipNodeID(type, newID)). It
// is how a file node named by an MD5 or a SHA-1 takes its SHA-256, the id
// VirusTotal keys files by in graphs, as [Client.Enrich] does.
//
// When the graph has a node newID already, the two stand for the same
// entity and are merged into that one: the links of oldID move to it, a
// relationship node of oldID merges with newID's of the same type, and a
// link made twice by the merge is kept once. The merged node keeps its own
// type, label and attributes. It fails when no node has oldID or newID is
// empty.
func (g *Graph) RenameNode(oldID, newID string) error {
	switch {
	case newID == "":
		return errors.New("vtgraph: rename node: the new id is empty")
	case g.Node(oldID) == nil:
		return fmt.Errorf("vtgraph: rename node: node %q does not exist", oldID)
	}
	g.renameNodes([]Rename{{From: oldID, To: newID}})
	return nil
}

// renameNodes applies renames in one pass over the nodes and links,
// skipping those whose node is gone, and indexes the graph again.
func (g *Graph) renameNodes(renames []Rename) {
	x := g.lockIndex()
	defer x.mu.Unlock()
	ids := map[string]string{}
	for _, rn := range renames {
		h, ok := x.lookup(g, rn.From)
		if !ok || rn.From == rn.To {
			continue
		}
		ids[rn.From] = rn.To
		for _, p := range x.outLinks(h) {
			r := x.links[p].dst
			if r < 0 || !x.ordinaryRelationship(r) || !x.soleSource(g, r, h) {
				continue
			}
			ct := g.Links[p].ConnectionType
			if suffix, ok := relationshipSuffix(x.id(g, r), RelationshipNodeID(ct, rn.From)); ok {
				ids[x.id(g, r)] = RelationshipNodeID(ct, rn.To) + suffix
			}
		}
	}
	if len(ids) == 0 {
		return
	}
	taken := make(map[string]bool, len(g.Nodes))
	for i := range g.Nodes {
		if _, renamed := ids[g.Nodes[i].EntityID]; !renamed {
			taken[g.Nodes[i].EntityID] = true
		}
	}
	merged := false
	kept := g.Nodes[:0]
	for _, n := range g.Nodes {
		if to, ok := ids[n.EntityID]; ok {
			if taken[to] {
				merged = true
				continue
			}
			taken[to] = true
			n.EntityID = to
		}
		kept = append(kept, n)
	}
	clear(g.Nodes[len(kept):])
	g.Nodes = kept
	// A merge can make a link that the node merged into has already, or
	// one joining the two: those go.
	type linkKey struct{ source, target, connType string }
	rename := func(l Link) Link {
		if to, ok := ids[l.Source]; ok {
			l.Source = to
		}
		if to, ok := ids[l.Target]; ok {
			l.Target = to
		}
		return l
	}
	seen := map[linkKey]bool{}
	if merged {
		for _, l := range g.Links {
			if r := rename(l); r.Source == l.Source && r.Target == l.Target {
				seen[linkKey{l.Source, l.Target, l.ConnectionType}] = true
			}
		}
	}
	links := g.Links[:0]
	for _, l := range g.Links {
		r := rename(l)
		if merged && (r.Source != l.Source || r.Target != l.Target) {
			k := linkKey{r.Source, r.Target, r.ConnectionType}
			if r.Source == r.Target || seen[k] {
				continue
			}
			seen[k] = true
		}
		links = append(links, r)
	}
	clear(g.Links[len(links):])
	g.Links = links
	for i := range g.Nodes {
		n := &g.Nodes[i]
		members, ok := n.groupedNodeIDs()
		if !ok {
			continue
		}
		changed := false
		var out []string
		for _, m := range members {
			if to, ok := ids[m]; ok {
				m, changed = to, true
			}
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
		if changed {
			n.setAttr(attrGroupedNodeIDs, appendStrings(nil, out))
		}
	}
	x.rebuild(g)
}

// relationshipSuffix reports whether id is the relationship node id base,
// or base with the numbered suffix the builder gives a second one, and
// returns the suffix.
func relationshipSuffix(id, base string) (string, bool) {
	rest, ok := strings.CutPrefix(id, base)
	if !ok {
		return "", false
	}
	if rest == "" {
		return "", true
	}
	digits, ok := strings.CutPrefix(rest, "_")
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	return rest, true
}
