package sim

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// barrier makes n worker goroutines wait for each other once per step.
//
// A step takes tens of microseconds, so arrivals are close together. A
// waiter first spins on an atomic generation counter, yielding its P with
// runtime.Gosched every 64 checks, and blocks on a condition variable only
// after spinWait (a few steps' time: a partner later than that has lost its
// core to another process, and spinning would keep the core from it). Blocking at every step would be slow for a reason beyond
// the wake-up latency: Go readies a woken goroutine on the waker's own P,
// so two workers that block and wake each other end up taking turns on one
// core (measured: 10k neurons ran at 11x realtime with 2 workers, slower
// than with 1; with this barrier, 21x). Yielding while spinning keeps a
// descheduled partner from being starved on a shared machine. When the
// cores are shared with other processes the engine stops using the barrier
// altogether (sched.go).
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

// spinWait bounds the spinning before a waiter blocks.
const spinWait = 100 * time.Microsecond

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
	var start time.Time
	for i := 1; ; i++ {
		if b.gen.Load() != g {
			return
		}
		if i%64 == 0 {
			if i == 64 {
				start = time.Now()
			} else if time.Since(start) > spinWait {
				break
			}
			runtime.Gosched()
		}
	}
	b.mu.Lock()
	for b.gen.Load() == g {
		b.cond.Wait()
	}
	b.mu.Unlock()
}
