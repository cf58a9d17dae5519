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
	"unicode/utf8"

	"github.com/vtgraphs/vtgraphs/wrapper/vtgraph"
)

// Import builds a graph from a STIX 2.1 bundle, or from a single STIX
// object, such as a bundle another platform exported, and returns it with a
// [Report] that counts every object: kept, or dropped with the reason. It
// fails only when data is not a JSON object, or a bundle whose objects are
// not a list; everything else a graph has no place for is reported, not
// refused. The package documentation lists what
// each object becomes.
//
// The graph is not validated: call [vtgraph.Graph.Validate], or let
// [vtgraph.Client.CreateGraph] do it. Import of a bundle made by [Export]
// gives a graph that exports to the same bytes.
func Import(data []byte) (*vtgraph.Graph, *Report, error) {
	if !json.Valid(data) {
		var v any
		return nil, nil, fmt.Errorf("stix: import: %w", json.Unmarshal(data, &v))
	}
	// The objects' properties are read in place, in a copy of data that
	// the caller cannot change.
	own := bytes.Clone(data)
	top, ok := members(own)
	if !ok {
		return nil, nil, errors.New("stix: import: not a JSON object")
	}
	objs := json.RawMessage(own)
	bundle := false
	if typ, _ := jsonString(top["type"]); typ == typeBundle {
		objs, bundle = top["objects"], true
		if len(objs) == 0 || isNull(objs) {
			objs = []byte("[]")
		} else if objs[0] != '[' {
			return nil, nil, errors.New("stix: import: bundle objects: not a list")
		}
	}
	im := &importer{
		g:        vtgraph.NewGraph(""),
		rep:      newReport(),
		byEntity: map[string]int{},
		objects:  map[string]*stixObject{},
		links:    map[linkKey]bool{},
		rels:     map[relKey]int{},
	}
	im.read(objs, bundle)
	im.run()
	return im.g, im.rep, nil
}

// stixObject is one object of the bundle, with what it became.
type stixObject struct {
	typ   string
	id    string
	props map[string]json.RawMessage
	// used names the properties the graph keeps.
	used map[string]bool
	// nodes are the positions of the nodes it stands for.
	nodes []int
	// members are the ids a special node's object refers to its members
	// by; special is set for such objects.
	members []string
	special bool
	// kept is set once the object has been counted as kept.
	kept bool
}

func (o *stixObject) str(k string) (string, bool) {
	s, ok := jsonString(o.props[k])
	if ok {
		o.used[k] = true
	}
	return s, ok
}

type linkKey struct {
	src, dst   int
	connection string
}

type relKey struct {
	src        int
	connection string
}

type importer struct {
	g   *vtgraph.Graph
	rep *Report
	// order holds the objects in bundle order, one version of each.
	order   []*stixObject
	objects map[string]*stixObject
	// nodes is built here and handed to the graph at the end, with
	// indexes and positions set. The builder's AddNode and AddLink look
	// nodes and links up by scanning them, which for a bundle of thousands
	// of objects would make an import take quadratic time.
	nodes []vtgraph.Node
	// byEntity maps entity ids to positions in nodes.
	byEntity map[string]int
	// gone marks special nodes dropped for lack of members.
	gone      map[int]bool
	container *stixObject
	links     map[linkKey]bool
	rels      map[relKey]int
}

// read reads the objects, the list of a bundle or a single object, and
// keeps the newest version of each id. An element of the list that is not a
// JSON object is reported, not fatal.
func (im *importer) read(objs json.RawMessage, list bool) {
	read := func(i int, props map[string]json.RawMessage) {
		if props != nil {
			im.add(i, props)
		} else {
			im.rep.drop("objects["+strconv.Itoa(i)+"]", "", "not a JSON object")
		}
	}
	if !list {
		props, _ := members(objs)
		read(0, props)
		return
	}
	eachObject(objs, read)
}

// add records one object of the bundle, unless a newer version of it is
// there already.
func (im *importer) add(i int, props map[string]json.RawMessage) {
	o := &stixObject{props: props, used: map[string]bool{}}
	o.typ, _ = jsonString(props["type"])
	o.id, _ = jsonString(props["id"])
	switch {
	case o.typ == "":
		im.rep.drop(cmp.Or(o.id, "objects["+strconv.Itoa(i)+"]"), "", "has no type")
		return
	case o.id == "":
		im.rep.drop("objects["+strconv.Itoa(i)+"]", o.typ, "has no id")
		return
	}
	if prev, dup := im.objects[o.id]; dup {
		newer, _ := timestamp(o, "modified")
		older, _ := timestamp(prev, "modified")
		if newer.After(older) {
			im.rep.drop(prev.id, prev.typ, "a newer version of the object follows it")
			*prev = *o
		} else {
			im.rep.drop(o.id, o.typ, "repeats an object, or an older version of it")
		}
		return
	}
	im.objects[o.id] = o
	im.order = append(im.order, o)
}

func (im *importer) run() {
	im.findContainer()
	var later []*stixObject
	for _, o := range im.order {
		switch {
		case o == im.container:
			im.readContainer(o)
		case o.typ == typeRelationship, o.typ == typeObservedData:
			later = append(later, o)
		default:
			im.object(o)
		}
	}
	for _, o := range later {
		if o.typ == typeObservedData {
			im.observedData(o)
		}
	}
	im.memberships()
	for _, o := range later {
		if o.typ == typeRelationship {
			im.relationship(o)
		}
	}
	im.finish()
}

// findContainer picks the report or grouping that stands for the graph:
// the one that refers to a VirusTotal graph, or else the only one.
func (im *importer) findContainer() {
	var candidates []*stixObject
	for _, o := range im.order {
		if o.typ != typeGrouping && o.typ != typeReport {
			continue
		}
		if graphReference(o) != "" {
			im.container = o
			return
		}
		candidates = append(candidates, o)
	}
	if len(candidates) == 1 {
		im.container = candidates[0]
	}
}

// graphReference returns the id of the VirusTotal graph an object's
// external references point to, or "".
func graphReference(o *stixObject) string {
	var refs []struct {
		SourceName string `json:"source_name"`
		URL        string `json:"url"`
		ExternalID string `json:"external_id"`
	}
	if json.Unmarshal(o.props["external_references"], &refs) != nil {
		return ""
	}
	for _, r := range refs {
		if r.SourceName != sourceName {
			continue
		}
		if vtgraph.ValidGraphID(r.ExternalID) {
			return r.ExternalID
		}
		if id, ok := strings.CutPrefix(r.URL, vtgraph.GraphURL("")); ok && vtgraph.ValidGraphID(id) {
			return id
		}
	}
	return ""
}

// readContainer takes the graph's name, id, dates and privacy from the
// grouping or report that stands for it.
func (im *importer) readContainer(o *stixObject) {
	g := im.g
	if id := graphReference(o); id != "" {
		g.ID = id
		o.used["external_references"] = true
	}
	if name, _ := o.str("name"); name != unnamedGraph(g.ID) {
		g.Description = name
	}
	if t, ok := timestamp(o, "created"); ok {
		g.CreationDate = t
		// A graph is published when it is saved, as Export writes it.
		if p, ok := timestamp(o, "published"); ok && p.Equal(t) {
			o.used["published"] = true
		}
	}
	if t, ok := timestamp(o, "modified"); ok {
		g.LastModifiedDate = t
	}
	switch string(bytes.TrimSpace(o.props["x_vt_private"])) {
	case "true":
		g.Private = true
		o.used["x_vt_private"] = true
	case "false":
		o.used["x_vt_private"] = true
	}
	o.used["object_refs"] = true
	im.keep(o)
}

func timestamp(o *stixObject, k string) (time.Time, bool) {
	s, ok := jsonString(o.props[k])
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t.UTC(), err == nil
}

func (im *importer) keep(o *stixObject) {
	if !o.kept {
		o.kept = true
		im.rep.keep(o.typ)
	}
}

// notShown gives the reason each kind of object without a place in a graph
// is dropped.
var notShown = map[string]string{
	typeBundle:             "a bundle inside a bundle is not read",
	"sighting":             "a sighting has no place in a graph",
	"note":                 "a note has no place in a graph",
	"opinion":              "an opinion has no place in a graph",
	"malware-analysis":     "a malware analysis has no place in a graph",
	"marking-definition":   "data markings have no place in a graph",
	"language-content":     "translations have no place in a graph",
	"extension-definition": "extension definitions have no place in a graph",
}

// object reads an object that becomes a node or nodes.
func (im *importer) object(o *stixObject) {
	if reason, ok := notShown[o.typ]; ok {
		im.rep.drop(o.id, o.typ, reason)
		return
	}
	switch o.typ {
	case typeGrouping, typeReport:
		name, _ := o.str("name")
		var refs []string
		if json.Unmarshal(o.props["object_refs"], &refs) == nil {
			o.used["object_refs"] = true
		}
		im.special(o, string(vtgraph.RelationshipGroup), "", name, refs)
		return
	case typeNode:
		if nt, _ := jsonString(o.props["x_vt_node_type"]); nt == string(vtgraph.NodeTypeRelationship) {
			o.used["x_vt_node_type"] = true
			kind, _ := o.str("x_vt_relationship_type")
			id, _ := o.str("x_vt_entity_id")
			label, _ := o.str("x_vt_label")
			o.str("x_vt_graph_id")
			var refs []string
			if json.Unmarshal(o.props["x_vt_member_refs"], &refs) == nil {
				o.used["x_vt_member_refs"] = true
			}
			im.special(o, cmp.Or(kind, string(vtgraph.RelationshipGroup)), id, label, refs)
			return
		}
	case typeIndicator:
		im.indicator(o)
		return
	}
	spec, reason := im.nodeSpec(o)
	if reason != "" {
		im.rep.drop(o.id, o.typ, reason)
		return
	}
	im.place(o, spec)
}

// nodeSpec is a node an object stands for, before it is placed.
type nodeSpec struct {
	entityID string
	typ      vtgraph.NodeType
	custom   string
	text     string
	// fallbackID is the entity id to take when entityID is taken by a
	// node of another type; "" when the entity id is the entity's name
	// in VirusTotal and cannot change.
	fallbackID string
	attrs      vtgraph.EntityAttributes
}

// nodeSpec works out the node an observable or domain object becomes, or
// why it becomes none.
func (im *importer) nodeSpec(o *stixObject) (nodeSpec, string) {
	var s nodeSpec
	label, hasLabel := o.str("x_vt_label")
	// x_vt_entity_id counts as kept where it names the node.
	given, _ := jsonString(o.props["x_vt_entity_id"])
	if given != "" {
		o.used["x_vt_entity_id"] = true
	}
	switch o.typ {
	case typeFile, typeCertificate:
		alg, hash := pickHash(o)
		if hash == "" || (o.typ == typeCertificate && alg != "SHA-256") {
			if o.typ == typeFile {
				return s, "has no MD5, SHA-1 or SHA-256 hash, which VirusTotal names files by"
			}
			return s, "has no SHA-256 hash, which VirusTotal names certificates by"
		}
		s.entityID, s.typ = cmp.Or(given, hash), vtgraph.NodeTypeFile
		if o.typ == typeCertificate {
			s.typ = vtgraph.NodeTypeSSLCert
		}
		s.text = label
		if name, ok := o.str("name"); ok && !hasLabel && o.typ == typeFile {
			s.text = name
		}
	case typeDomain, typeIPv4, typeIPv6, typeEmail, typeURL:
		if o.typ != typeURL {
			delete(o.used, "x_vt_entity_id")
		}
		v, ok := o.str("value")
		if !ok || v == "" {
			return s, "has no value"
		}
		s.entityID, s.text = v, label
		switch o.typ {
		case typeDomain:
			s.typ = vtgraph.NodeTypeDomain
		case typeIPv4, typeIPv6:
			s.typ = vtgraph.NodeTypeIPAddress
		case typeEmail:
			s.typ, s.custom = vtgraph.NodeTypeCustom, customEmail
			if name, ok := o.str("display_name"); ok && !hasLabel {
				s.text = name
			}
		case typeURL:
			s.typ = vtgraph.NodeTypeURL
			if given != "" {
				s.entityID = given
				if !hasLabel {
					s.text = v
				}
			}
		}
	case typeNode:
		if given == "" {
			return s, "has no x_vt_entity_id"
		}
		s.entityID, s.text = given, label
		nt, _ := o.str("x_vt_node_type")
		s.typ = vtgraph.NodeType(cmp.Or(nt, string(vtgraph.NodeTypeCustom)))
		s.custom, _ = o.str("x_vt_custom_type")
	default:
		name := o.firstString("name", "value", "path", "key", "country", "region", "city")
		if name == "" {
			return s, "has neither a name nor a value to show"
		}
		s.typ, s.custom = vtgraph.NodeTypeCustom, customTypeFor(o.typ)
		// A node is one piece of malware, which is what Export writes.
		if string(bytes.TrimSpace(o.props["is_family"])) == "false" {
			o.used["is_family"] = true
		}
		if ct, ok := o.str("x_vt_custom_type"); ok && ct != "" {
			s.custom = ct
		}
		s.entityID, s.fallbackID = name, o.id
		if given != "" && given != name {
			s.entityID, s.text = given, name
		}
	}
	s.attrs = attributesOf(o)
	return s, ""
}

// firstString returns the first of the properties that is a non-empty
// string.
func (o *stixObject) firstString(keys ...string) string {
	for _, k := range keys {
		if s, _ := jsonString(o.props[k]); s != "" {
			o.used[k] = true
			return s
		}
	}
	return ""
}

// pickHash returns the hash VirusTotal names a file by: SHA-256, else
// SHA-1, else MD5, lowercase, with its algorithm.
func pickHash(o *stixObject) (string, string) {
	var hashes map[string]string
	if json.Unmarshal(o.props["hashes"], &hashes) != nil {
		return "", ""
	}
	found := map[string]string{}
	for k, v := range hashes {
		if alg := hashNamed(k, v); alg != "" {
			found[alg] = strings.ToLower(v)
		}
	}
	for _, alg := range []string{"SHA-256", "SHA-1", "MD5"} {
		if h, ok := found[alg]; ok {
			o.used["hashes"] = true
			return alg, h
		}
	}
	return "", ""
}

// hashKeyFold drops the separators that the names of one hash algorithm
// differ by in hashes keys: SHA-256, SHA256 and sha_256 are the same.
var hashKeyFold = strings.NewReplacer("-", "", "_", "")

// hashNamed returns the algorithm of hash as hashAlgorithm names it when
// key, the hash's key in a hashes dictionary or a pattern, names that
// algorithm in any case and with or without separators, and "" otherwise.
func hashNamed(key, hash string) string {
	alg := hashAlgorithm(hash)
	if alg == "" || strings.ReplaceAll(alg, "-", "") != hashKeyFold.Replace(strings.ToUpper(key)) {
		return ""
	}
	return alg
}

// reservedProperties are the x_vt_ properties that are not entity
// attributes.
var reservedProperties = func() map[string]bool {
	m := map[string]bool{}
	for k := range reservedAttributes {
		m["x_vt_"+k] = true
	}
	return m
}()

// attributesOf returns the entity attributes an object's x_vt_ properties
// carry: x_vt_k is attribute k, and x_vt_entity_attributes holds those that
// cannot be properties.
func attributesOf(o *stixObject) vtgraph.EntityAttributes {
	attrs := vtgraph.EntityAttributes{}
	for k, v := range o.props {
		name, ok := strings.CutPrefix(k, "x_vt_")
		if !ok || reservedProperties[k] || name == "" {
			continue
		}
		if c, err := compact(v); err == nil {
			attrs[name] = bytes.Clone(c)
			o.used[k] = true
		}
	}
	var rest map[string]json.RawMessage
	if raw, ok := o.props["x_vt_entity_attributes"]; ok && json.Unmarshal(raw, &rest) == nil && rest != nil {
		o.used["x_vt_entity_attributes"] = true
		for k, v := range rest {
			if _, dup := attrs[k]; dup {
				continue
			}
			if c, err := compact(v); err == nil {
				attrs[k] = bytes.Clone(c)
			}
		}
	}
	return attrs
}

// place adds the node of spec, or finds the node already there for the
// same entity, and records it as what o stands for.
func (im *importer) place(o *stixObject, s nodeSpec) {
	i, reason := im.node(s)
	if reason != "" {
		im.rep.drop(o.id, o.typ, reason)
		return
	}
	o.nodes = append(o.nodes, i)
	im.keep(o)
}

// node returns the position of the node for s, adding it when there is
// none.
func (im *importer) node(s nodeSpec) (int, string) {
	if i, ok := im.byEntity[s.entityID]; ok {
		n := &im.nodes[i]
		if n.Type == s.typ && customOf(n) == s.custom {
			for k, v := range s.attrs {
				if _, set := n.Attributes[k]; !set {
					n.Attributes[k] = v
				}
			}
			if n.Text == "" {
				n.Text = s.text
			}
			return i, ""
		}
		if s.fallbackID == "" {
			return 0, "its entity id " + strconv.Quote(s.entityID) + " is taken by a " + string(n.EntityType()) + " node"
		}
		if _, taken := im.byEntity[s.fallbackID]; taken {
			return 0, "its entity id " + strconv.Quote(s.entityID) + " is taken"
		}
		s.text = cmp.Or(s.text, s.entityID)
		s.entityID = s.fallbackID
	}
	if s.attrs == nil {
		s.attrs = vtgraph.EntityAttributes{}
	}
	if s.custom != "" {
		s.attrs[attrCustomType] = appendJCSString(nil, s.custom)
	}
	im.byEntity[s.entityID] = len(im.nodes)
	im.nodes = append(im.nodes, vtgraph.Node{EntityID: s.entityID, Type: s.typ, Text: s.text, Attributes: s.attrs})
	return len(im.nodes) - 1, ""
}

func customOf(n *vtgraph.Node) string {
	t, _ := customType(n)
	return t
}

// indicator reads an indicator whose pattern names observables: each
// becomes a node, and relationships to the indicator go to all of them.
func (im *importer) indicator(o *stixObject) {
	if pt, ok := o.str("pattern_type"); ok && pt != "stix" {
		im.rep.drop(o.id, o.typ, "its pattern is "+strconv.Quote(pt)+", not a STIX pattern")
		return
	}
	pattern, _ := o.str("pattern")
	terms, ok := parsePattern(pattern)
	if !ok {
		im.rep.drop(o.id, o.typ, "its pattern is not a list of observables a graph can show")
		return
	}
	partial := false
	for _, c := range terms {
		s, ok := observableOf(c)
		if !ok {
			partial = true
			continue
		}
		if i, reason := im.node(s); reason == "" {
			o.nodes = append(o.nodes, i)
		} else {
			partial = true
		}
	}
	if len(o.nodes) == 0 {
		im.rep.drop(o.id, o.typ, "its pattern names no observable a graph can show")
		return
	}
	if partial {
		delete(o.used, "pattern")
	}
	im.keep(o)
}

// observableOf returns the node a pattern comparison names.
func observableOf(c comparison) (nodeSpec, bool) {
	s := nodeSpec{entityID: c.value, attrs: vtgraph.EntityAttributes{}}
	switch c.objectType + ":" + c.property {
	case "domain-name:value":
		s.typ = vtgraph.NodeTypeDomain
	case "ipv4-addr:value", "ipv6-addr:value":
		s.typ = vtgraph.NodeTypeIPAddress
	case "url:value":
		s.typ = vtgraph.NodeTypeURL
	case "email-addr:value":
		s.typ, s.custom = vtgraph.NodeTypeCustom, customEmail
	default:
		alg, ok := strings.CutPrefix(c.property, "hashes.")
		if !ok || (c.objectType != typeFile && c.objectType != typeCertificate) {
			return s, false
		}
		want := hashNamed(alg, c.value)
		if want == "" || (c.objectType == typeCertificate && want != "SHA-256") {
			return s, false
		}
		s.entityID, s.typ = strings.ToLower(c.value), vtgraph.NodeTypeFile
		if c.objectType == typeCertificate {
			s.typ = vtgraph.NodeTypeSSLCert
		}
	}
	return s, c.value != ""
}

// observedData reads observed data: the observables it refers to, or in
// the deprecated form holds, stand for it.
func (im *importer) observedData(o *stixObject) {
	var refs []string
	if json.Unmarshal(o.props["object_refs"], &refs) == nil && refs != nil {
		o.used["object_refs"] = true
		for _, ref := range refs {
			if r, ok := im.objects[ref]; ok && r != o {
				o.nodes = append(o.nodes, r.nodes...)
			}
		}
	}
	var embedded map[string]json.RawMessage
	if json.Unmarshal(o.props["objects"], &embedded) == nil && embedded != nil {
		o.used["objects"] = true
		for _, k := range slices.Sorted(maps.Keys(embedded)) {
			var props map[string]json.RawMessage
			if json.Unmarshal(embedded[k], &props) != nil || props == nil {
				continue
			}
			e := &stixObject{props: props, used: map[string]bool{}, id: o.id + "/objects/" + k}
			e.typ, _ = jsonString(props["type"])
			if spec, reason := im.nodeSpec(e); reason == "" {
				if i, reason := im.node(spec); reason == "" {
					o.nodes = append(o.nodes, i)
				}
			}
		}
	}
	if len(o.nodes) == 0 {
		im.rep.drop(o.id, o.typ, "observes nothing a graph can show")
		return
	}
	im.keep(o)
}

// special reads an object that becomes a special relationship node: a
// grouping or report other than the graph's own, which becomes a group, or
// the x-vt-node of a group, commonality, search or hunt. Its members are
// linked once every node is read.
func (im *importer) special(o *stixObject, kind, id, name string, refs []string) {
	if id == "" {
		id = "relationships_" + kind + "_" + strings.TrimPrefix(o.id, o.typ+"--")
	}
	attrs := attributesOf(o)
	attrs[attrRelationshipType] = appendJCSString(nil, kind)
	i, reason := im.node(nodeSpec{entityID: id, typ: vtgraph.NodeTypeRelationship, text: name, attrs: attrs, fallbackID: o.id})
	if reason != "" {
		im.rep.drop(o.id, o.typ, reason)
		return
	}
	o.nodes, o.members, o.special = []int{i}, refs, true
}

// memberships links every special node to its members, and leaves out
// those that end up without any, repeating since a group may hold another.
func (im *importer) memberships() {
	members := map[int][]int{}
	var specials []*stixObject
	for _, o := range im.order {
		if !o.special {
			continue
		}
		specials = append(specials, o)
		s := o.nodes[0]
		seen := map[int]bool{s: true}
		for _, ref := range o.members {
			r, ok := im.objects[ref]
			if !ok || r == o {
				continue
			}
			for _, m := range r.nodes {
				if !seen[m] {
					seen[m] = true
					members[s] = append(members[s], m)
				}
			}
		}
	}
	im.gone = map[int]bool{}
	for changed := true; changed; {
		changed = false
		for _, o := range specials {
			s := o.nodes[0]
			if im.gone[s] {
				continue
			}
			n := 0
			for _, m := range members[s] {
				if !im.gone[m] {
					n++
				}
			}
			if n == 0 {
				im.gone[s] = true
				changed = true
			}
		}
	}
	for _, o := range specials {
		s := o.nodes[0]
		if im.gone[s] {
			im.rep.drop(o.id, o.typ, "refers to nothing the graph shows")
			o.nodes = nil
			continue
		}
		im.keep(o)
		n := &im.nodes[s]
		kind := string(n.RelationshipKind())
		var ids []string
		for _, m := range members[s] {
			if im.gone[m] {
				continue
			}
			// Members join a group, and the other special nodes point at
			// theirs, directly: they have no relationship node in between.
			if kind == string(vtgraph.RelationshipGroup) {
				im.link(m, s, kind)
				ids = append(ids, im.nodes[m].EntityID)
			} else {
				im.link(s, m, kind)
			}
		}
		if _, set := n.Attributes[attrGroupedNodeIDs]; !set && kind == string(vtgraph.RelationshipGroup) {
			raw, _ := json.Marshal(ids)
			n.Attributes[attrGroupedNodeIDs] = raw
		}
	}
	im.removeGone()
}

// removeGone takes the dropped special nodes out and renumbers the
// positions the objects hold.
func (im *importer) removeGone() {
	if len(im.gone) == 0 {
		return
	}
	moved := make([]int, len(im.nodes))
	kept := im.nodes[:0]
	for i := range im.nodes {
		if im.gone[i] {
			moved[i] = -1
			delete(im.byEntity, im.nodes[i].EntityID)
			continue
		}
		moved[i] = len(kept)
		kept = append(kept, im.nodes[i])
	}
	im.nodes = kept
	for id, i := range im.byEntity {
		im.byEntity[id] = moved[i]
	}
	for _, o := range im.order {
		var ns []int
		for _, i := range o.nodes {
			if moved[i] >= 0 {
				ns = append(ns, moved[i])
			}
		}
		o.nodes = ns
	}
	links := im.g.Links[:0]
	im.links = map[linkKey]bool{}
	for _, l := range im.g.Links {
		if _, ok := im.byEntity[l.Source]; !ok {
			continue
		}
		if _, ok := im.byEntity[l.Target]; !ok {
			continue
		}
		links = append(links, l)
		im.links[linkKey{im.byEntity[l.Source], im.byEntity[l.Target], l.ConnectionType}] = true
	}
	im.g.Links = links
	im.gone = nil
}

// relationship turns a relationship into links between the nodes its ends
// stand for, through relationship nodes as the UI draws typed links.
func (im *importer) relationship(o *stixObject) {
	relType, _ := o.str("relationship_type")
	srcRef, _ := o.str("source_ref")
	dstRef, _ := o.str("target_ref")
	if relType == "" {
		im.rep.drop(o.id, o.typ, "has no relationship_type")
		return
	}
	src, reason := im.end(srcRef, "source")
	if reason == "" {
		var dst []int
		if dst, reason = im.end(dstRef, "target"); reason == "" {
			connection, given := o.str("x_vt_connection_type")
			linked := false
			for _, s := range src {
				for _, t := range dst {
					if s == t {
						continue
					}
					c := connection
					if !given {
						c = connectionType(relType, im.nodes[t].Type)
					}
					im.addLink(s, t, c)
					linked = true
				}
			}
			if linked {
				im.keep(o)
				return
			}
			reason = "it links a node to itself"
		}
	}
	im.rep.drop(o.id, o.typ, reason)
}

// end returns the nodes a relationship's end stands for, or why there are
// none.
func (im *importer) end(ref, which string) ([]int, string) {
	r, ok := im.objects[ref]
	switch {
	case ref == "":
		return nil, "has no " + which + "_ref"
	case !ok:
		return nil, "its " + which + " " + ref + " is not in the bundle"
	case r == im.container:
		return nil, "its " + which + " is the grouping that stands for the graph"
	case len(r.nodes) == 0:
		return nil, "its " + which + " " + ref + " is not in the graph"
	}
	return r.nodes, ""
}

// addLink links the nodes at two positions: directly for a link drawn by
// hand or without a type, through the relationship node of the source and
// connection type otherwise, as [vtgraph.Graph.AddLink] does.
func (im *importer) addLink(s, t int, connection string) {
	if connection == "" || connection == vtgraph.ConnectionManual {
		im.link(s, t, connection)
		return
	}
	r, ok := im.rels[relKey{s, connection}]
	if !ok {
		base := vtgraph.RelationshipNodeID(connection, im.nodes[s].EntityID)
		id := base
		for n := 2; ; n++ {
			if _, taken := im.byEntity[id]; !taken {
				break
			}
			id = base + "_" + strconv.Itoa(n)
		}
		r = len(im.nodes)
		im.byEntity[id] = r
		im.nodes = append(im.nodes, vtgraph.Node{EntityID: id, Type: vtgraph.NodeTypeRelationship, Attributes: vtgraph.EntityAttributes{}})
		im.rels[relKey{s, connection}] = r
		im.link(s, r, connection)
	}
	im.link(r, t, connection)
}

func (im *importer) link(s, t int, connection string) {
	k := linkKey{s, t, connection}
	if im.links[k] {
		return
	}
	im.links[k] = true
	im.g.Links = append(im.g.Links, vtgraph.Link{Source: im.nodes[s].EntityID, Target: im.nodes[t].EntityID, ConnectionType: connection})
}

// gridColumns and gridStep lay the nodes out on a grid, as the builder
// places new nodes, for the UI's force layout to relax.
const (
	gridColumns = 8
	gridStep    = 120
)

// finish numbers and places the nodes, a relationship node halfway between
// its first source and its first target, and reports the properties not
// kept.
func (im *importer) finish() {
	src, dst := map[int]int{}, map[int]int{}
	for _, l := range im.g.Links {
		s, t := im.byEntity[l.Source], im.byEntity[l.Target]
		if _, ok := src[t]; !ok && isLink(&im.nodes[t]) {
			src[t] = s
		}
		if _, ok := dst[s]; !ok && isLink(&im.nodes[s]) {
			dst[s] = t
		}
	}
	for i := range im.nodes {
		n := &im.nodes[i]
		n.Index = i
		n.X, n.Y = float64(i%gridColumns*gridStep), float64(i/gridColumns*gridStep)
	}
	for r, s := range src {
		if t, ok := dst[r]; ok {
			im.nodes[r].X = (im.nodes[s].X + im.nodes[t].X) / 2
			im.nodes[r].Y = (im.nodes[s].Y + im.nodes[t].Y) / 2
		}
	}
	im.g.Nodes = im.nodes
	for _, o := range im.order {
		if !o.kept {
			continue
		}
		for k := range o.props {
			if !o.used[k] && !ignored[k] {
				im.rep.property(o.typ, k)
			}
		}
	}
}

// ignored are the properties every object has that a graph does not need.
var ignored = map[string]bool{"type": true, "id": true, "spec_version": true, "created": true, "modified": true}

// jsonString decodes a JSON string; null and other values are not one.
// Most strings of a bundle hold no escape and are taken as they are.
func jsonString(raw json.RawMessage) (string, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) < 2 || t[0] != '"' {
		return "", false
	}
	if body := t[1 : len(t)-1]; t[len(t)-1] == '"' && plainString(body) {
		return string(body), true
	}
	var s string
	if json.Unmarshal(t, &s) != nil {
		return "", false
	}
	return s, true
}

// plainString reports whether a JSON string's body needs no decoding: no
// escape, quote or control character, and valid UTF-8.
func plainString(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == '"' || c == '\\' {
			return false
		}
	}
	return utf8.Valid(b)
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }
