package bench

import (
	"flag"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
)

// measureMem turns the memory measurement off, for runs that only need
// times: it costs more than the timed loop for the largest graphs.
var measureMem = flag.Bool("bench.mem", true, "measure the peak memory of decoding and encoding")

// memGCPercent is the GOGC under which measureMemory samples the live heap:
// a collection every 5% of heap growth keeps the samples close together.
const memGCPercent = 5

// memUse is what measureMemory found.
type memUse struct {
	measured   bool
	peak, kept float64
	jsonSize   int
}

// measureMemory runs op (five times for a document under 16 MiB) and
// measures:
//
//   - peak-B/op: the most heap that was live at once while op ran, less
//     what was live before it (so not the input document);
//   - peak/json: peak-B/op divided by jsonSize, the figure the memory
//     targets are set against;
//   - kept-B/op: what op's result still holds after it returns.
//
// Allocation totals (B/op) are not peaks: memory freed during the call can
// be reused. The live heap is sampled after each garbage collection, and op
// runs with the collector triggered every few percent of heap growth so
// that the samples are close together. A sample can miss a short-lived
// high point, such as the moment a growing buffer is copied into a larger
// one, so peak-B/op is a lower bound of the true peak and B/op an upper
// bound.
//
// Call it before the b.Loop loop, whose last results stay reachable after
// it, and report after the loop, which deletes metrics reported before it.
func measureMemory(jsonSize int, op func() any) memUse {
	if !*measureMem {
		return memUse{}
	}
	old := debug.SetGCPercent(memGCPercent)
	defer debug.SetGCPercent(old)

	// Every sample is at most the true peak, so the largest of several runs
	// is the best estimate; one run suffices where runs take seconds.
	m := measureOnce(op)
	if jsonSize < memRepeatBelow {
		for range memRepeats - 1 {
			next := measureOnce(op)
			m.peak = max(m.peak, next.peak)
		}
	}
	m.jsonSize = jsonSize
	return m
}

// Graphs under memRepeatBelow bytes of JSON are measured memRepeats times.
const (
	memRepeats     = 5
	memRepeatBelow = 16 << 20
)

func measureOnce(op func() any) memUse {
	settle()
	base := liveHeap()
	var peak atomic.Uint64
	var stop atomic.Bool
	sampleAfterEachGC(&peak, &stop)
	v := op()
	settle() // v is still reachable: count everything op's result holds
	end := liveHeap()
	stop.Store(true)
	runtime.KeepAlive(v)

	top := max(peak.Load(), end)
	return memUse{
		measured: true,
		peak:     max(float64(top)-float64(base), 0),
		kept:     max(float64(end)-float64(base), 0),
	}
}

func (m memUse) report(b *testing.B) {
	if !m.measured {
		return
	}
	b.ReportMetric(m.peak, "peak-B/op")
	b.ReportMetric(m.peak/float64(m.jsonSize), "peak/json")
	b.ReportMetric(m.kept, "kept-B/op")
}

// settle collects garbage twice: the first collection moves what sync.Pools
// cache (encoding/json's encode buffers among them) to their victim caches,
// the second frees it, so that a pool filled by earlier runs does not count
// as live before op and freed after it.
func settle() {
	runtime.GC()
	runtime.GC()
}

// liveHeap returns the bytes the last garbage collection found live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// gcSentinel is an object whose finalizer runs once per collection; the
// pointer keeps it out of the tiny allocator, whose objects may never be
// finalized.
type gcSentinel struct {
	_ *int
	_ [16]byte
}

// sampleAfterEachGC raises *peak to the live heap after every collection
// until stop is set.
func sampleAfterEachGC(peak *atomic.Uint64, stop *atomic.Bool) {
	s := new(gcSentinel)
	runtime.SetFinalizer(s, func(*gcSentinel) {
		live := liveHeap()
		for {
			p := peak.Load()
			if live <= p || peak.CompareAndSwap(p, live) {
				break
			}
		}
		if !stop.Load() {
			sampleAfterEachGC(peak, stop)
		}
	})
}
