package sim

import (
	"sync"
	"sync/atomic"
)

// barrier makes n goroutines wait for each other once per step. Arrivals
// spin briefly on an atomic generation counter (a step takes tens of
// microseconds, so the partner usually arrives within that time) and then
// block on a condition variable, so that a descheduled partner on a shared
// machine costs a sleep, not a burnt core.
type barrier struct {
	n       int32
	arrived atomic.Int32
	gen     atomic.Uint32
	mu      sync.Mutex
	cond    sync.Cond
}

func newBarrier(n int) *barrier {
	b := &barrier{n: int32(n)}
	b.cond.L = &b.mu
	return b
}

// spins is the number of generation checks before blocking (a few µs).
const spins = 2000

func (b *barrier) wait() {
	g := b.gen.Load()
	if b.arrived.Add(1) == b.n {
		b.arrived.Store(0)
		b.mu.Lock()
		b.gen.Add(1)
		b.mu.Unlock()
		b.cond.Broadcast()
		return
	}
	for range spins {
		if b.gen.Load() != g {
			return
		}
	}
	b.mu.Lock()
	for b.gen.Load() == g {
		b.cond.Wait()
	}
	b.mu.Unlock()
}
