package vtgraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The graph codec is hand-written rather than built on encoding/json
// reflection for two reasons: keeping unknown keys at every level would
// otherwise mean decoding each object twice (once into a struct, once into a
// map), and large graphs must decode about as fast as a plain struct does.
// The jsonScanner walks the input once, validates it, and cuts strings and
// unknown values out of a single buffer: a copy of the input here, the
// response body itself when the client decodes a graph it fetched.

// UnmarshalJSON decodes the VirusTotal object form of a graph:
// {"type":"graph","id":…,"attributes":{…},…}. The strings and the raw
// values kept in the Extra maps share one copy of data, so the caller may
// reuse data afterwards.
func (g *Graph) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	s := newJSONScanner(data)
	var out Graph
	err := decodeGraph(&s, &out)
	if err == nil {
		err = s.end()
	}
	if err != nil {
		return fmt.Errorf("vtgraph: decoding graph: %w", err)
	}
	*g = out
	return nil
}

// decodeGraphObject decodes the graph object at the scanner, up to its closing
// brace; the graph shares the scanner's buffer. A null gives an empty
// graph, as UnmarshalJSON leaves one.
func decodeGraphObject(s *jsonScanner) (*Graph, error) {
	g := new(Graph)
	if s.literal("null") {
		return g, nil
	}
	// A graph that is an element of a list, such as a page of search
	// results, shares the rest of the input with the graphs after it,
	// whose keys would be counted as its own.
	sized := s.sizeSlices
	s.sizeSlices = sized && !s.inArray()
	defer func() { s.sizeSlices = sized }()
	if err := decodeGraph(s, g); err != nil {
		return nil, fmt.Errorf("vtgraph: decoding graph: %w", err)
	}
	return g, nil
}

// UnmarshalJSON decodes one element of a graph's "nodes" array.
func (n *Node) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	s := newJSONScanner(data)
	var out Node
	if err := decodeNode(&s, &out); err != nil {
		return fmt.Errorf("vtgraph: decoding node: %w", err)
	}
	if err := s.end(); err != nil {
		return fmt.Errorf("vtgraph: decoding node: %w", err)
	}
	*n = out
	return nil
}

// UnmarshalJSON decodes one element of a graph's "links" array.
func (l *Link) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	s := newJSONScanner(data)
	var out Link
	if err := decodeLink(&s, &out); err != nil {
		return fmt.Errorf("vtgraph: decoding link: %w", err)
	}
	if err := s.end(); err != nil {
		return fmt.Errorf("vtgraph: decoding link: %w", err)
	}
	*l = out
	return nil
}

// MarshalJSON encodes the graph in the VirusTotal object form. Indexes are
// renumbered in the output when they are not in order; see
// [Graph.RenumberIndexes].
func (g Graph) MarshalJSON() ([]byte, error) {
	return appendGraph(make([]byte, 0, encodedSizeHint(&g)), &g)
}

// AttributesJSON returns only the graph's "attributes" object, the body a
// create request wraps in {"data":{"type":"graph","attributes":…}}.
func (g *Graph) AttributesJSON() (json.RawMessage, error) {
	return appendAttributes(make([]byte, 0, encodedSizeHint(g)), g)
}

// encodedSizeHint is a little more than the size of g's JSON for most of the
// graphs the VirusTotal UI saves, whose nodes take 110 to 230 bytes and
// links 100 to 190 (entity ids are often SHA-256 hashes), so that the buffer
// it is written into is allocated once rather than grown and copied all the
// way up.
func encodedSizeHint(g *Graph) int {
	return 256 + len(g.Nodes)*200 + len(g.Links)*128
}

// MarshalJSON encodes the node as an element of a graph's "nodes" array.
func (n Node) MarshalJSON() ([]byte, error) {
	return appendNode(nil, &n, n.Index, false)
}

// MarshalJSON encodes the link as an element of a graph's "links" array.
func (l Link) MarshalJSON() ([]byte, error) {
	return appendLink(nil, &l), nil
}

func decodeGraph(s *jsonScanner, g *Graph) error {
	g.present = gDecoded
	// The index is allocated here, before the graph can be shared, so that
	// queries running at the same time on a decoded graph share one.
	g.index = new(graphIndex)
	return s.object(func(key []byte) error {
		if s.null() {
			return s.keepRaw(&g.ObjectExtra, key)
		}
		var err error
		switch string(key) {
		case "type":
			g.present |= gType
			var t string
			if t, err = s.str(); err == nil && t != "graph" {
				err = fmt.Errorf("type is %q, not \"graph\"", t)
			}
		case "id":
			g.present |= gID
			g.ID, err = s.str()
		case "attributes":
			g.present |= gAttributes
			err = decodeAttributes(s, g)
		default:
			return s.keepRaw(&g.ObjectExtra, key)
		}
		if err != nil {
			return pathPrefix(string(key), err)
		}
		return nil
	})
}

func decodeAttributes(s *jsonScanner, g *Graph) error {
	return s.object(func(key []byte) error {
		if s.null() {
			return s.keepRaw(&g.Extra, key)
		}
		var err error
		switch string(key) {
		case "graph_data":
			g.present |= gGraphData
			err = decodeGraphData(s, g)
		case "private":
			g.present |= gPrivate
			g.Private, err = s.boolean()
		case "nodes":
			g.present |= gNodes
			g.Nodes = make([]Node, 0, s.countAhead(nodeMarker))
			err = s.array(func(i int) error {
				g.Nodes = append(g.Nodes, Node{})
				return indexedErr(i, decodeNode(s, &g.Nodes[len(g.Nodes)-1]))
			})
		case "links":
			g.present |= gLinks
			g.Links = make([]Link, 0, s.countAhead(linkMarker))
			err = s.array(func(i int) error {
				g.Links = append(g.Links, Link{})
				return indexedErr(i, decodeLink(s, &g.Links[len(g.Links)-1]))
			})
		case "comments_count":
			g.present |= gCommentsCount
			g.CommentsCount, err = s.integer()
		case "views_count":
			g.present |= gViewsCount
			g.ViewsCount, err = s.integer()
		case "creation_date":
			g.present |= gCreationDate
			g.CreationDate, err = s.unixTime()
		case "last_modified_date":
			g.present |= gLastModifiedDate
			g.LastModifiedDate, err = s.unixTime()
		case "representation":
			// Only the string form is typed; anything else is kept as it
			// came.
			if s.peek() != '"' {
				return s.keepRaw(&g.Extra, key)
			}
			g.present |= gRepresentation
			var r string
			r, err = s.str()
			g.Representation = Representation(r)
		default:
			return s.keepRaw(&g.Extra, key)
		}
		if err != nil {
			return pathPrefix("attributes."+string(key), err)
		}
		return nil
	})
}

// nodeMarker and linkMarker are keys every node and every link has. Their
// counts in the rest of the input size a nodes or links array's slice, so
// that a large graph's slices are allocated once instead of regrown and
// copied at every step. A quoted key cannot occur inside a JSON string,
// where quotes are escaped, so for a graph that is the input's only one, as
// the API sends it, a count is exact, and at worst an overestimate that
// costs memory, never correctness.
var (
	nodeMarker = []byte(`"entity_id"`)
	linkMarker = []byte(`"source"`)
)

func decodeGraphData(s *jsonScanner, g *Graph) error {
	return s.object(func(key []byte) error {
		if s.null() {
			return s.keepRaw(&g.GraphDataExtra, key)
		}
		var err error
		switch string(key) {
		case "description":
			g.present |= gDescription
			g.Description, err = s.str()
		case "version":
			g.present |= gVersion
			g.Version, err = s.str()
		default:
			return s.keepRaw(&g.GraphDataExtra, key)
		}
		if err != nil {
			return pathPrefix(string(key), err)
		}
		return nil
	})
}

func decodeNode(s *jsonScanner, n *Node) error {
	n.present = fDecoded
	return s.object(func(key []byte) error {
		if s.null() {
			return s.keepRaw(&n.Extra, key)
		}
		var err error
		switch string(key) {
		case "entity_id":
			n.present |= fEntityID
			n.EntityID, err = s.str()
		case "type":
			n.present |= fType
			var t string
			t, err = s.str()
			n.Type = internType(t)
		case "index":
			n.present |= fIndex
			var i int64
			if i, err = s.integer(); err == nil {
				if i < math.MinInt || i > math.MaxInt {
					err = errors.New("out of range")
				}
				n.Index = int(i)
			}
		case "x":
			n.present |= fX
			n.X, err = s.float()
		case "y":
			n.present |= fY
			n.Y, err = s.float()
		case "fx":
			var v float64
			v, err = s.float()
			n.FX = s.newFloat(v)
		case "fy":
			var v float64
			v, err = s.float()
			n.FY = s.newFloat(v)
		case "text":
			n.present |= fText
			n.Text, err = s.str()
		case "entity_attributes":
			n.present |= fAttributes
			n.Attributes = make(EntityAttributes, 4)
			err = s.object(func(key []byte) error {
				raw, err := s.raw()
				n.Attributes[internKey(key)] = raw
				return err
			})
		default:
			return s.keepRaw(&n.Extra, key)
		}
		if err != nil {
			return pathPrefix(string(key), err)
		}
		return nil
	})
}

func decodeLink(s *jsonScanner, l *Link) error {
	l.present = fDecoded
	return s.object(func(key []byte) error {
		if s.null() {
			return s.keepRaw(&l.Extra, key)
		}
		var err error
		switch string(key) {
		case "source":
			l.present |= fSource
			l.Source, err = s.str()
		case "target":
			l.present |= fTarget
			l.Target, err = s.str()
		case "connection_type":
			l.present |= fConnectionType
			l.ConnectionType, err = s.str()
		default:
			return s.keepRaw(&l.Extra, key)
		}
		if err != nil {
			return pathPrefix(string(key), err)
		}
		return nil
	})
}

// internType and internKey return constants for the common values so that
// decoding a large graph does not allocate the same short strings over and
// over.
func internType(t string) NodeType {
	nt := NodeType(t)
	if nt.Known() {
		switch nt {
		case NodeTypeFile:
			return NodeTypeFile
		case NodeTypeURL:
			return NodeTypeURL
		case NodeTypeDomain:
			return NodeTypeDomain
		case NodeTypeIPAddress:
			return NodeTypeIPAddress
		case NodeTypeRelationship:
			return NodeTypeRelationship
		}
	}
	return nt
}

func internKey(key []byte) string {
	switch string(key) {
	case attrHasDetections:
		return attrHasDetections
	case attrRelationshipType:
		return attrRelationshipType
	case "country":
		return "country"
	case "type_tag":
		return "type_tag"
	}
	return string(key)
}

// prefix puts a path element in front of a decoding error.
func pathPrefix(path string, err error) error {
	if err == nil {
		return nil
	}
	var pe *pathError
	if errors.As(err, &pe) {
		return &pathError{path: path + joinPath(pe.path), err: pe.err}
	}
	return &pathError{path: path, err: err}
}

func indexedErr(i int, err error) error {
	if err == nil {
		return nil
	}
	return pathPrefix("["+strconv.Itoa(i)+"]", err)
}

func joinPath(p string) string {
	if p != "" && p[0] == '[' {
		return p
	}
	return "." + p
}

// isNull reports whether data is the JSON null, which, by encoding/json
// convention, leaves the value unchanged.
func isNull(data []byte) bool {
	return string(bytes.TrimSpace(data)) == "null"
}

// pathError is a decoding error located in the document.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

func appendGraph(b []byte, g *Graph) ([]byte, error) {
	fresh := !g.present.has(gDecoded)
	b = append(b, '{')
	w := objWriter{b: b}
	if fresh || g.present.has(gType) {
		w.key("type")
		w.b = append(w.b, `"graph"`...)
	}
	if g.ID != "" || g.present.has(gID) {
		w.key("id")
		w.b = appendString(w.b, g.ID)
	}
	mark := len(w.b)
	w.key("attributes")
	bodyStart := len(w.b)
	var err error
	if w.b, err = appendAttributes(w.b, g); err != nil {
		return nil, err
	}
	if !fresh && !g.present.has(gAttributes) && string(w.b[bodyStart:]) == "{}" {
		w.b = w.b[:mark]
		w.n--
	}
	w.extras(g.ObjectExtra)
	return append(w.b, '}'), nil
}

func appendAttributes(b []byte, g *Graph) ([]byte, error) {
	fresh := !g.present.has(gDecoded)
	p := g.present
	w := objWriter{b: append(b, '{')}
	field := w.key
	if p.has(gCommentsCount) || g.CommentsCount != 0 {
		field("comments_count")
		w.b = strconv.AppendInt(w.b, g.CommentsCount, 10)
	}
	if p.has(gCreationDate) || !g.CreationDate.IsZero() {
		field("creation_date")
		w.b = strconv.AppendInt(w.b, g.CreationDate.Unix(), 10)
	}
	if fresh || p.has(gGraphData) || g.Description != "" || g.Version != "" || len(g.GraphDataExtra) > 0 {
		field("graph_data")
		w.b = appendGraphData(w.b, g)
	}
	if p.has(gLastModifiedDate) || !g.LastModifiedDate.IsZero() {
		field("last_modified_date")
		w.b = strconv.AppendInt(w.b, g.LastModifiedDate.Unix(), 10)
	}
	if fresh || p.has(gLinks) || len(g.Links) > 0 {
		field("links")
		w.b = appendLinks(w.b, g.Links)
	}
	if fresh || p.has(gNodes) || len(g.Nodes) > 0 {
		field("nodes")
		var err error
		if w.b, err = appendNodes(w.b, g.Nodes); err != nil {
			return nil, err
		}
	}
	if fresh || p.has(gPrivate) || g.Private {
		field("private")
		w.b = strconv.AppendBool(w.b, g.Private)
	}
	if p.has(gRepresentation) || g.Representation != "" {
		field("representation")
		w.b = appendString(w.b, string(g.Representation))
	}
	if p.has(gViewsCount) || g.ViewsCount != 0 {
		field("views_count")
		w.b = strconv.AppendInt(w.b, g.ViewsCount, 10)
	}
	w.extras(g.Extra)
	return append(w.b, '}'), nil
}

// appendGraphData appends g's graph_data object: its description, version
// and the keys this package does not model.
func appendGraphData(b []byte, g *Graph) []byte {
	p := g.present
	gd := objWriter{b: append(b, '{')}
	if !p.has(gDecoded) || p.has(gDescription) || g.Description != "" {
		gd.key("description")
		gd.b = appendString(gd.b, g.Description)
	}
	if p.has(gVersion) || g.Version != "" {
		gd.key("version")
		gd.b = appendString(gd.b, g.Version)
	}
	gd.extras(g.GraphDataExtra)
	return append(gd.b, '}')
}

// appendNodes appends nodes as a JSON array, renumbering the indexes in the
// output when they are not in order (see [Graph.RenumberIndexes]).
func appendNodes(b []byte, nodes []Node) ([]byte, error) {
	renumber := !indexesOrdered(nodes)
	b = append(b, '[')
	for i := range nodes {
		if i > 0 {
			b = append(b, ',')
		}
		idx := nodes[i].Index
		if renumber {
			idx = i
		}
		var err error
		if b, err = appendNode(b, &nodes[i], idx, renumber); err != nil {
			return nil, fmt.Errorf("vtgraph: encoding nodes[%d]: %w", i, err)
		}
	}
	return append(b, ']'), nil
}

// appendLinks appends links as a JSON array.
func appendLinks(b []byte, links []Link) []byte {
	b = append(b, '[')
	for i := range links {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendLink(b, &links[i])
	}
	return append(b, ']')
}

func appendNode(b []byte, n *Node, idx int, forceIndex bool) ([]byte, error) {
	fresh := !n.present.has(fDecoded)
	p := n.present
	w := objWriter{b: append(b, '{')}
	if fresh || p.has(fAttributes) || len(n.Attributes) > 0 {
		w.key("entity_attributes")
		w.b = appendRawMap(w.b, n.Attributes)
	}
	if fresh || p.has(fEntityID) || n.EntityID != "" {
		w.key("entity_id")
		w.b = appendString(w.b, n.EntityID)
	}
	var err error
	if n.FX != nil {
		w.key("fx")
		if w.b, err = appendFloat(w.b, *n.FX); err != nil {
			return nil, fmt.Errorf("fx: %w", err)
		}
	}
	if n.FY != nil {
		w.key("fy")
		if w.b, err = appendFloat(w.b, *n.FY); err != nil {
			return nil, fmt.Errorf("fy: %w", err)
		}
	}
	if fresh || forceIndex || p.has(fIndex) || idx != 0 {
		w.key("index")
		w.b = strconv.AppendInt(w.b, int64(idx), 10)
	}
	if fresh || p.has(fText) || n.Text != "" {
		w.key("text")
		w.b = appendString(w.b, n.Text)
	}
	if fresh || p.has(fType) || n.Type != "" {
		w.key("type")
		w.b = appendString(w.b, string(n.Type))
	}
	if fresh || p.has(fX) || n.X != 0 {
		w.key("x")
		if w.b, err = appendFloat(w.b, n.X); err != nil {
			return nil, fmt.Errorf("x: %w", err)
		}
	}
	if fresh || p.has(fY) || n.Y != 0 {
		w.key("y")
		if w.b, err = appendFloat(w.b, n.Y); err != nil {
			return nil, fmt.Errorf("y: %w", err)
		}
	}
	w.extras(n.Extra)
	return append(w.b, '}'), nil
}

func appendLink(b []byte, l *Link) []byte {
	fresh := !l.present.has(fDecoded)
	p := l.present
	w := objWriter{b: append(b, '{')}
	if fresh || p.has(fConnectionType) || l.ConnectionType != "" {
		w.key("connection_type")
		w.b = appendString(w.b, l.ConnectionType)
	}
	if fresh || p.has(fSource) || l.Source != "" {
		w.key("source")
		w.b = appendString(w.b, l.Source)
	}
	if fresh || p.has(fTarget) || l.Target != "" {
		w.key("target")
		w.b = appendString(w.b, l.Target)
	}
	w.extras(l.Extra)
	return append(w.b, '}')
}

// objWriter writes the members of an object whose '{' is already written.
// It remembers the first keys it wrote so that extras can leave out a key
// that a null input value put in an Extra map when the field itself is
// written.
type objWriter struct {
	b    []byte
	n    int
	keys [12]string
}

// key writes one of the package's own key names, which need no escaping;
// extras escapes the keys it writes.
func (w *objWriter) key(k string) {
	w.startKey(k)
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *objWriter) startKey(k string) {
	if w.n > 0 {
		w.b = append(w.b, ',')
	}
	if w.n < len(w.keys) {
		w.keys[w.n] = k
	}
	w.n++
}

// extras writes m in key order, leaving out keys already written.
func (w *objWriter) extras(m map[string]json.RawMessage) {
	if len(m) == 0 {
		return
	}
	known := w.keys[:min(w.n, len(w.keys))]
	// Most maps are a node's few entity attributes: sorting their keys in
	// an array on the stack saves an allocation per node.
	var small [8]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if slices.Contains(known, k) {
			continue
		}
		w.startKey(k)
		w.b = appendString(w.b, k)
		w.b = append(w.b, ':')
		w.b = appendRaw(w.b, m[k])
	}
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func appendRawMap(b []byte, m map[string]json.RawMessage) []byte {
	w := objWriter{b: append(b, '{')}
	w.extras(m)
	return append(w.b, '}')
}

func appendRaw(b []byte, raw json.RawMessage) []byte {
	if len(raw) == 0 {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

// appendFloat formats like encoding/json so output stays familiar, and
// uses the shortest representation that parses back to the same float64.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("unsupported value %v", f)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Turn e-09 into e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const jsonHexDigits = "0123456789abcdef"

// plainASCII marks the ASCII bytes appendString copies as they are: the
// printable ones other than the quote, the backslash and the HTML-special
// <, > and &.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := byte(0x20); c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendString quotes s as encoding/json does, including its HTML-safe
// escapes and the replacement of invalid UTF-8.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', jsonHexDigits[c>>4], jsonHexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', jsonHexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
