package stix

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// Export returns the graph as a STIX 2.1 bundle, indented JSON ending in a
// newline, and a [Report] of what the bundle has no place for, such as a
// link to a node that is not in the graph. The same graph always gives the
// same bytes. It fails only on a nil graph or an entity attribute that is
// not JSON. The package documentation lists what each node and link
// becomes.
func Export(g *vtgraph.Graph) ([]byte, *Report, error) {
	if g == nil {
		return nil, nil, errors.New("stix: export: nil graph")
	}
	e := &exporter{g: g, rep: newReport()}
	data, err := e.run()
	if err != nil {
		return nil, nil, err
	}
	return data, e.rep, nil
}

// plan is what one node becomes.
type plan struct {
	// typ and id are the STIX object the node becomes; typ is "" for a
	// node that becomes none of its own.
	typ, id string
	// algorithm and hash are the hash of a file or certificate, the value
	// lowercase.
	algorithm, hash string
	// value is the value of an observable that has one.
	value string
	// alias is the node whose object this one stands for, or -1: a node
	// repeating an entity id, or the same observable as an earlier node.
	alias int
}

// hop is one typed hop or direct link between the nodes at two positions.
type hop struct {
	src, dst   int
	connection string
}

type exporter struct {
	g   *vtgraph.Graph
	rep *Report
	// key is the graph id the ids of domain objects and relationships are
	// scoped to, so that two graphs never give the same id to objects with
	// different dates; "" for a graph not saved yet.
	key               string
	created, modified string

	pos     map[string]int
	plans   []plan
	members [][]int
	hops    []hop
	objects [][]byte
	ids     []string
}

func (e *exporter) run() ([]byte, error) {
	g := e.g
	if vtgraph.ValidGraphID(g.ID) {
		e.key = g.ID
	} else if g.ID != "" {
		e.rep.drop(g.ID, "graph", "is not a VirusTotal graph id, so the bundle does not refer to it")
	}
	e.created, e.modified = timestamps(g.CreationDate, g.LastModifiedDate)
	e.plan()
	e.walk()
	e.dropEmptySpecials()
	for i := range g.Nodes {
		p := &e.plans[i]
		if p.typ == "" || p.alias >= 0 {
			continue
		}
		obj, err := e.nodeObject(i)
		if err != nil {
			return nil, err
		}
		e.add(p.typ, p.id, obj)
	}
	e.relationships()

	var bundle *object
	if len(e.objects) > 0 {
		container := e.container()
		size := len(container) + 2
		for _, o := range e.objects {
			size += len(o) + 1
		}
		body := append(append(make([]byte, 0, size), '['), container...)
		for _, o := range e.objects {
			body = append(append(body, ','), o...)
		}
		body = append(body, ']')
		bundle = newObject(typeBundle, bundleID(body))
		bundle.raw("objects", body)
	} else {
		bundle = newObject(typeBundle, bundleID(nil))
		if g.Description != "" || e.key != "" {
			e.rep.drop(cmp.Or(e.key, g.Description), "graph", "has no node a STIX object stands for, and a report must refer to one")
		}
	}
	return append(indent(bundle.bytes()), '\n'), nil
}

// timestamps returns the created and modified times of the graph's
// objects: its own dates, to the millisecond as STIX wants them. A graph
// never saved has none, and gets the Unix epoch, so that its output does
// not change from one run to the next.
func timestamps(created, modified time.Time) (string, string) {
	if created.IsZero() {
		created = modified
	}
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	if modified.Before(created) {
		modified = created
	}
	return stamp(created), stamp(modified)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (e *exporter) add(typ, id string, obj []byte) {
	e.objects = append(e.objects, obj)
	e.ids = append(e.ids, id)
	e.rep.keep(typ)
}

// plan decides what each node becomes. Nodes repeating an entity id, and
// observables already written for an earlier node, become aliases of the
// first, so that links through them still arrive.
func (e *exporter) plan() {
	nodes := e.g.Nodes
	e.pos = make(map[string]int, len(nodes))
	e.plans = make([]plan, len(nodes))
	owner := make(map[string]int, len(nodes))
	for i := range nodes {
		n := &nodes[i]
		if n.EntityID == "" {
			e.plans[i] = plan{alias: -1}
			e.rep.drop("nodes["+strconv.Itoa(i)+"]", string(n.Type), "has no entity id")
			continue
		}
		if j, dup := e.pos[n.EntityID]; dup {
			e.plans[i] = plan{alias: j}
			e.rep.drop(n.EntityID, string(n.Type), "repeats the entity id of an earlier node")
			continue
		}
		e.pos[n.EntityID] = i
		p := e.planNode(n)
		if p.typ != "" {
			if j, dup := owner[p.id]; dup {
				p = plan{alias: j}
				e.rep.drop(n.EntityID, string(n.Type), "is the same STIX object as node "+nodes[j].EntityID)
			} else {
				owner[p.id] = i
			}
		}
		e.plans[i] = p
	}
}

func (e *exporter) planNode(n *vtgraph.Node) plan {
	id := n.EntityID
	if n.IsRelationship() {
		if n.RelationshipKind() == "" {
			return plan{alias: -1}
		}
		// The entity ids of special nodes are only unique in their graph,
		// so the graph's id contributes to their objects' ids.
		props := []property{{"x_vt_entity_id", stringValue(id)}, {"x_vt_node_type", stringValue(string(n.Type))}}
		if e.key != "" {
			props = append(props, property{"x_vt_graph_id", stringValue(e.key)})
		}
		return plan{typ: typeNode, id: observableID(typeNode, props...), alias: -1}
	}
	p := plan{alias: -1}
	switch t := n.EntityType(); t {
	case vtgraph.NodeTypeFile:
		if p.algorithm = hashAlgorithm(id); p.algorithm != "" {
			p.typ, p.hash = typeFile, strings.ToLower(id)
			p.id = observableID(typeFile, property{"hashes", hashesValue(p.algorithm, p.hash)})
			return p
		}
	case vtgraph.NodeTypeSSLCert:
		if hashAlgorithm(id) == "SHA-256" {
			p.typ, p.algorithm, p.hash = typeCertificate, "SHA-256", strings.ToLower(id)
			p.id = observableID(typeCertificate, property{"hashes", hashesValue(p.algorithm, p.hash)})
			return p
		}
	case vtgraph.NodeTypeDomain:
		p.typ, p.value = typeDomain, id
	case vtgraph.NodeTypeIPAddress:
		p.typ, p.value = ipType(id), id
	case vtgraph.NodeTypeURL:
		switch {
		case isURL(id):
			p.typ, p.value = typeURL, id
		case isURL(n.Text):
			p.typ, p.value = typeURL, n.Text
		}
	case customEmail:
		p.typ, p.value = typeEmail, id
	default:
		if sdo := domainObjectFor(t); sdo != "" {
			return plan{typ: sdo, id: objectID(sdo, e.key, id), alias: -1}
		}
	}
	if p.typ != "" {
		p.id = observableID(p.typ, property{"value", stringValue(p.value)})
		return p
	}
	props := []property{{"x_vt_entity_id", stringValue(id)}, {"x_vt_node_type", stringValue(string(n.Type))}}
	if ct, ok := customType(n); ok {
		props = append(props, property{"x_vt_custom_type", stringValue(ct)})
	}
	return plan{typ: typeNode, id: observableID(typeNode, props...), alias: -1}
}

// customType returns the custom_type of a custom node.
func customType(n *vtgraph.Node) (string, bool) {
	if n.Type != vtgraph.NodeTypeCustom {
		return "", false
	}
	t, ok := n.Attributes.String(attrCustomType)
	return t, ok && t != ""
}

// resolve returns the position of the node whose object stands for node i.
// Aliases point to earlier nodes, so the loop ends.
func (e *exporter) resolve(i int) int {
	for e.plans[i].alias >= 0 {
		i = e.plans[i].alias
	}
	return i
}

// walk reads the links: the typed hops through relationship nodes, every
// source to every target, the direct links, and the members of groups and
// other special nodes.
func (e *exporter) walk() {
	nodes := e.g.Nodes
	type end struct {
		node       int
		connection string
	}
	in := make(map[int][]end)
	out := make(map[int][]end)
	e.members = make([][]int, len(nodes))
	for i := range e.g.Links {
		l := &e.g.Links[i]
		s, okS := e.pos[l.Source]
		t, okT := e.pos[l.Target]
		switch {
		case !okS:
			e.dropLink(l.Source, l.Target, "its source is not in the graph")
			continue
		case !okT:
			e.dropLink(l.Source, l.Target, "its target is not in the graph")
			continue
		}
		ns, nt := &nodes[s], &nodes[t]
		switch {
		case isLink(ns) && isLink(nt):
			e.dropLink(l.Source, l.Target, "it joins two relationship nodes")
		case isLink(nt):
			in[t] = append(in[t], end{s, l.ConnectionType})
		case isLink(ns):
			out[s] = append(out[s], end{t, l.ConnectionType})
		case nt.RelationshipKind() != "" && (l.ConnectionType == string(vtgraph.RelationshipGroup) || ns.RelationshipKind() == ""):
			e.members[t] = append(e.members[t], s)
		case ns.RelationshipKind() != "":
			e.members[s] = append(e.members[s], t)
		default:
			e.hops = append(e.hops, hop{s, t, l.ConnectionType})
		}
	}
	for i := range nodes {
		n := &nodes[i]
		if !isLink(n) || e.pos[n.EntityID] != i {
			continue
		}
		switch {
		case len(in[i]) == 0 && len(out[i]) == 0:
			e.rep.drop(n.EntityID, string(n.Type), "relationship node without links")
		case len(in[i]) == 0:
			e.rep.drop(n.EntityID, string(n.Type), "relationship node without a source: its targets are kept, not the links to them")
		case len(out[i]) == 0:
			e.rep.drop(n.EntityID, string(n.Type), "relationship node without a target: its sources are kept, not the links from them")
		}
		for _, s := range in[i] {
			for _, t := range out[i] {
				e.hops = append(e.hops, hop{s.node, t.node, cmp.Or(s.connection, t.connection)})
			}
		}
	}
	for i := range nodes {
		n := &nodes[i]
		if n.RelationshipKind() == "" || e.pos[n.EntityID] != i {
			continue
		}
		grouped, _ := stringList(n.Attributes[attrGroupedNodeIDs])
		for _, id := range grouped {
			if j, ok := e.pos[id]; ok {
				e.members[i] = append(e.members[i], j)
			} else {
				e.dropLink(n.EntityID, id, "grouped_node_ids names a node that is not in the graph")
			}
		}
	}
}

func (e *exporter) dropLink(source, target, reason string) {
	e.rep.drop(source+" -> "+target, "link", reason)
}

// stringList decodes a JSON list of strings; anything else, null included,
// is not one.
func stringList(raw json.RawMessage) ([]string, bool) {
	var ids []string
	if len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '[' || json.Unmarshal(raw, &ids) != nil {
		return nil, false
	}
	return ids, true
}

// dropEmptySpecials leaves out the special nodes without members, which
// stand for nothing, repeating until none is left: a group whose only
// member was such a node is empty in turn.
func (e *exporter) dropEmptySpecials() {
	for changed := true; changed; {
		changed = false
		for i := range e.g.Nodes {
			n := &e.g.Nodes[i]
			if p := &e.plans[i]; p.typ != "" && p.alias < 0 && n.RelationshipKind() != "" && len(e.memberIDs(i)) == 0 {
				e.rep.drop(n.EntityID, string(n.Type), "a "+string(n.RelationshipKind())+" node without members")
				p.typ = ""
				changed = true
			}
		}
	}
}

// nodeObject writes the object of node i.
func (e *exporter) nodeObject(i int) ([]byte, error) {
	n := &e.g.Nodes[i]
	p := &e.plans[i]
	o := newObject(p.typ, p.id)
	var consumed []string
	if _, ok := customType(n); ok {
		consumed = append(consumed, attrCustomType)
	}
	label := true
	switch p.typ {
	case typeFile, typeCertificate:
		o.raw("hashes", hashesValue(p.algorithm, p.hash))
		if p.hash != n.EntityID {
			o.str("x_vt_entity_id", n.EntityID)
		}
	case typeDomain, typeIPv4, typeIPv6, typeEmail:
		o.str("value", p.value)
	case typeURL:
		o.str("value", p.value)
		if p.value != n.EntityID {
			o.str("x_vt_entity_id", n.EntityID)
			label = false
		}
	case typeNode:
		o.str("x_vt_node_type", string(n.Type))
		if ct, ok := customType(n); ok {
			o.str("x_vt_custom_type", ct)
		}
		o.str("x_vt_entity_id", n.EntityID)
		if kind := n.RelationshipKind(); kind != "" {
			if e.key != "" {
				o.str("x_vt_graph_id", e.key)
			}
			o.str("x_vt_relationship_type", string(kind))
			o.strs("x_vt_member_refs", e.memberIDs(i))
			consumed = append(consumed, attrRelationshipType)
			if _, ok := stringList(n.Attributes[attrGroupedNodeIDs]); ok {
				consumed = append(consumed, attrGroupedNodeIDs)
			}
		}
	default:
		o.str("created", e.created)
		o.str("modified", e.modified)
		name := cmp.Or(n.Text, n.EntityID)
		o.str("name", name)
		if p.typ == "malware" {
			// A node is one sample or one piece of malware, not a family.
			o.raw("is_family", []byte("false"))
		}
		if name != n.EntityID {
			o.str("x_vt_entity_id", n.EntityID)
		}
		if t := string(n.EntityType()); t != customTypeFor(p.typ) {
			o.str("x_vt_custom_type", t)
		}
		label = false
	}
	if label && n.Text != "" {
		o.str("x_vt_label", n.Text)
	}
	if err := attributes(o, n, consumed); err != nil {
		return nil, err
	}
	return o.bytes(), nil
}

// memberIDs returns the ids of the objects a special node's members stand
// for, each once, in graph order.
func (e *exporter) memberIDs(i int) []string {
	var pos []int
	for _, m := range e.members[i] {
		m = e.resolve(m)
		if m != i && e.plans[m].typ != "" {
			pos = append(pos, m)
		}
	}
	slices.Sort(pos)
	pos = slices.Compact(pos)
	ids := make([]string, len(pos))
	for k, m := range pos {
		ids[k] = e.plans[m].id
	}
	return ids
}

// reservedAttributes are the entity attribute names whose x_vt_ property
// this package gives another meaning; such attributes, and those whose
// name or value cannot be a STIX property, go in x_vt_entity_attributes.
var reservedAttributes = map[string]bool{
	"label": true, "entity_id": true, "node_type": true, attrCustomType: true, "graph_id": true,
	"connection_type": true, attrRelationshipType: true, "member_refs": true, "entity_attributes": true,
	"private": true,
}

// attributes writes the node's entity attributes, except those consumed
// already, as x_vt_ properties in name order.
func attributes(o *object, n *vtgraph.Node, consumed []string) error {
	var rest map[string][]byte
	for _, k := range slices.Sorted(maps.Keys(n.Attributes)) {
		if slices.Contains(consumed, k) {
			continue
		}
		v, err := compact(n.Attributes[k])
		if err != nil {
			return fmt.Errorf("stix: export: node %q: entity_attributes.%s: %w", n.EntityID, k, err)
		}
		if ownProperty(k, v) {
			o.raw("x_vt_"+k, v)
			continue
		}
		if rest == nil {
			rest = map[string][]byte{}
		}
		rest[k] = v
	}
	if rest != nil {
		o.raw("x_vt_entity_attributes", rawObject(rest))
	}
	return nil
}

// ownProperty reports whether attribute k with value v can be the property
// x_vt_k: STIX property names are lowercase ASCII letters, digits and
// underscores, those ending in _hex or _bin must hold hex or base64, and a
// property value is never null or an empty list.
func ownProperty(k string, v []byte) bool {
	if k == "" || len(k) > 240 || k[0] < 'a' || k[0] > 'z' || reservedAttributes[k] ||
		strings.HasSuffix(k, "_hex") || strings.HasSuffix(k, "_bin") {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return string(v) != "null" && string(v) != "[]"
}

// relationships writes one relationship object per distinct hop, sorted by
// the graph positions of its ends and then by connection type.
func (e *exporter) relationships() {
	type rel struct {
		src, dst           int
		connection, relTyp string
		id                 string
	}
	var rels []rel
	seen := make(map[string]bool, len(e.hops))
	nodes := e.g.Nodes
	for _, h := range e.hops {
		s, t := e.resolve(h.src), e.resolve(h.dst)
		ps, pt := &e.plans[s], &e.plans[t]
		switch {
		case ps.typ == "":
			e.dropLink(nodes[h.src].EntityID, nodes[h.dst].EntityID, "its source has no STIX object")
			continue
		case pt.typ == "":
			e.dropLink(nodes[h.src].EntityID, nodes[h.dst].EntityID, "its target has no STIX object")
			continue
		case s == t:
			e.dropLink(nodes[h.src].EntityID, nodes[h.dst].EntityID, "it links a node to itself")
			continue
		}
		id := objectID(typeRelationship, e.key, ps.id, h.connection, pt.id)
		if seen[id] {
			continue
		}
		seen[id] = true
		rels = append(rels, rel{s, t, h.connection, relationshipType(ps.typ, pt.typ, h.connection), id})
	}
	slices.SortFunc(rels, func(a, b rel) int {
		return cmp.Or(cmp.Compare(a.src, b.src), cmp.Compare(a.dst, b.dst), strings.Compare(a.connection, b.connection))
	})
	for _, r := range rels {
		o := newObject(typeRelationship, r.id)
		o.str("created", e.created)
		o.str("modified", e.modified)
		o.str("relationship_type", r.relTyp)
		o.str("source_ref", e.plans[r.src].id)
		o.str("target_ref", e.plans[r.dst].id)
		o.str("x_vt_connection_type", r.connection)
		e.add(typeRelationship, r.id, o.bytes())
	}
}

// container writes the report that stands for the graph itself and refers
// to every other object. A report rather than a grouping: the graph is
// published to its viewers, and the bundle schema of the STIX 2.1 JSON
// schemas does not list grouping among the objects a bundle may hold.
func (e *exporter) container() []byte {
	g := e.g
	o := newObject(typeReport, objectID(typeReport, e.key))
	o.str("created", e.created)
	o.str("modified", e.modified)
	o.str("name", e.name())
	o.str("published", e.created)
	o.strs("object_refs", e.ids)
	if e.key != "" {
		ref := newObjectBody()
		ref.str("source_name", sourceName)
		ref.str("url", vtgraph.GraphURL(e.key))
		ref.str("external_id", e.key)
		o.raw("external_references", append(append([]byte{'['}, ref.bytes()...), ']'))
	}
	if g.Private {
		o.raw("x_vt_private", []byte("true"))
	}
	e.rep.keep(typeReport)
	return o.bytes()
}

// name is the report's name, which STIX requires: the graph's, or
// unnamedGraph for a graph without a name.
func (e *exporter) name() string { return cmp.Or(e.g.Description, unnamedGraph(e.key)) }

// unnamedGraph is the name of the report of a graph without a name, made
// of its id; Import reads it back as no name.
func unnamedGraph(id string) string {
	if id == "" {
		return "VirusTotal graph"
	}
	return "VirusTotal graph " + id
}

// sourceName names VirusTotal in the external reference to the graph.
const sourceName = "virustotal"
