package stix

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Report says what a conversion carried over and what it left out, for a
// program to check and for a person to read ([Report.String]).
type Report struct {
	// Kept counts what was carried over, by STIX type: on export the
	// objects written, on import the objects read into the graph. An
	// indicator counts once however many observables its pattern names.
	Kept map[string]int
	// Dropped lists, in input order, what had no place in the result.
	Dropped []Dropped
	// Properties lists, by STIX type and sorted, the properties of imported
	// objects that a graph has no place for, such as descriptions and kill
	// chain phases. It is empty on export, which keeps every attribute.
	Properties map[string][]string
}

// Dropped is one object, node or link a conversion left out.
type Dropped struct {
	// ID is the STIX id of the object on import. On export it is the
	// entity id of the node, or "source -> target" for a link.
	ID string
	// Type is the STIX type of the object on import. On export it is the
	// node type, or "link".
	Type string
	// Reason says why it has no place in the result.
	Reason string
}

func newReport() *Report {
	return &Report{Kept: map[string]int{}, Properties: map[string][]string{}}
}

func (r *Report) keep(typ string) { r.Kept[typ]++ }

func (r *Report) drop(id, typ, reason string) {
	r.Dropped = append(r.Dropped, Dropped{ID: id, Type: typ, Reason: reason})
}

// property records that objects of type typ had property name, once.
func (r *Report) property(typ, name string) {
	names := r.Properties[typ]
	if i, found := slices.BinarySearch(names, name); !found {
		r.Properties[typ] = slices.Insert(names, i, name)
	}
}

// KeptCount returns the number of objects carried over.
func (r *Report) KeptCount() int {
	n := 0
	for _, c := range r.Kept {
		n += c
	}
	return n
}

// String returns the report as lines for a person: the objects kept by
// type, each dropped one with its reason, and the properties not kept.
//
//	kept 2: 1 domain-name, 1 ipv4-addr
//	dropped 1:
//	  sighting--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c (sighting): a sighting has no place in a graph
//	properties not kept:
//	  domain-name: resolves_to_refs
func (r *Report) String() string {
	var b strings.Builder
	b.WriteString("kept " + strconv.Itoa(r.KeptCount()))
	for i, typ := range slices.Sorted(maps.Keys(r.Kept)) {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(r.Kept[typ]) + " " + typ)
	}
	b.WriteByte('\n')
	if len(r.Dropped) > 0 {
		b.WriteString("dropped " + strconv.Itoa(len(r.Dropped)) + ":\n")
		for _, d := range r.Dropped {
			b.WriteString("  " + d.ID + " (" + d.Type + "): " + d.Reason + "\n")
		}
	}
	if len(r.Properties) > 0 {
		b.WriteString("properties not kept:\n")
		for _, typ := range slices.Sorted(maps.Keys(r.Properties)) {
			b.WriteString("  " + typ + ": " + strings.Join(r.Properties[typ], ", ") + "\n")
		}
	}
	return b.String()
}
