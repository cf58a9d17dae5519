package vtgraphtest

import (
	"strings"
	"testing"
)

// TestDemoUniverse checks what the documentation says of the demo universe:
// its size, that it uses only documentation addresses and .example
// domains, that DemoDomain and DemoC2Domain are three relationships apart
// and no fewer, that two levels from DemoDomain reach more than 20
// entities, and the constants naming its entities.
func TestDemoUniverse(t *testing.T) {
	u := DemoUniverse()
	if u.Len() != 45 {
		t.Errorf("%d entities, the documentation says 45", u.Len())
	}
	w, err := u.compile()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range w.order {
		switch e.typ {
		case typeDomain:
			if !strings.HasSuffix(e.id, ".example") {
				t.Errorf("domain %s is not under .example", e.id)
			}
		case typeIPAddress:
			if !strings.HasPrefix(e.id, "192.0.2.") && !strings.HasPrefix(e.id, "198.51.100.") &&
				!strings.HasPrefix(e.id, "203.0.113.") && !strings.HasPrefix(e.id, "2001:db8:") {
				t.Errorf("address %s is not a documentation address", e.id)
			}
		}
	}

	dist := distances(w, entityKey{typeDomain, DemoDomain})
	if d := dist[entityKey{typeDomain, DemoC2Domain}]; d != 3 {
		t.Errorf("DemoC2Domain is %d relationships from DemoDomain, want 3", d)
	}
	within2 := 0
	for _, d := range dist {
		if d > 0 && d <= 2 {
			within2++
		}
	}
	if within2 <= 20 {
		t.Errorf("two levels from DemoDomain reach %d entities, want more than 20", within2)
	}

	dropper, ok := w.find(typeFile, DemoDropperMD5)
	if !ok || dropper.id != DemoDropper {
		t.Errorf("DemoDropperMD5 finds %v, want DemoDropper", dropper)
	}
	parking, _ := w.find(typeIPAddress, DemoParkingIP)
	if n := len(parking.rels["resolutions"]); n <= defaultLimit {
		t.Errorf("DemoParkingIP has %d resolutions, want more than a page of %d", n, defaultLimit)
	}
}

// distances returns how many relationships away from start each entity is.
func distances(w *world, start entityKey) map[entityKey]int {
	dist := map[entityKey]int{start: 0}
	queue := []*stored{w.entities[start]}
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		for _, edges := range e.rels {
			for _, ed := range edges {
				k := entityKey{ed.to.typ, ed.to.id}
				if _, seen := dist[k]; !seen {
					dist[k] = dist[entityKey{e.typ, e.id}] + 1
					queue = append(queue, ed.to)
				}
			}
		}
	}
	return dist
}

func TestWithLatencyRefusesNegative(t *testing.T) {
	if _, err := newServer(WithLatency(-1)); err == nil || !strings.Contains(err.Error(), "negative latency") {
		t.Errorf("WithLatency(-1): %v", err)
	}
}
