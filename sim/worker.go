package sim

import "github.com/bl1-go/bl1/internal/kernel"

// worker owns neurons [lo, hi).
type worker struct {
	e      *Engine
	id     int
	lo, hi int
	jobs   chan int64 // chunk start step, then chunk length

	buf   []int32    // spikes of the current chunk, step after step
	off   []int      // buf offsets of each step of the chunk
	pub   [2][]int32 // spikes of the last two steps, published to the other workers
	merge []int32    // scratch for merged spike lists (worker 0 only)

	probes   []int32 // indices into Engine.probes of the probes in [lo, hi)
	slotBase []int64 // ring offset per delay (scratch of deliver)

	faultStep   int64
	faultNeuron int
}

func (w *worker) loop() {
	for t0 := range w.jobs {
		k := <-w.jobs
		w.run(t0, int(k))
		w.e.wg.Done()
	}
}

// run simulates steps [t0, t0+k).
func (w *worker) run(t0 int64, k int) {
	w.buf = w.buf[:0]
	w.off = w.off[:0]
	multi := len(w.e.workers) > 1
	for t := t0; t < t0+int64(k); t++ {
		start := len(w.buf)
		w.off = append(w.off, start)
		w.update(t, int(t-t0))
		if multi {
			w.pub[t&1] = w.buf[start:len(w.buf):len(w.buf)]
			w.e.bar.wait()
			for _, u := range w.e.workers {
				w.deliver(t, u.pub[t&1])
			}
		} else {
			w.deliver(t, w.buf[start:])
		}
	}
	w.off = append(w.off, len(w.buf))
}

// update computes phases 1-3 of step t for the worker's neurons.
func (w *worker) update(t int64, k int) {
	e := w.e
	lo, hi := w.lo, w.hi
	n := int64(e.n)
	slot := (t & e.mask) * 2 * n // the slot's excitatory plane, then its inhibitory one
	exc := e.ring[slot+int64(lo) : slot+int64(hi)]
	inh := e.ring[slot+n+int64(lo) : slot+n+int64(hi)]
	cur := e.cur[lo:hi]
	e.Syn.Advance(lo, hi, exc, inh, e.Pop.V, cur)
	if e.std != 0 || e.mean != 0 {
		kernel.Drive(cur, uint32(lo), e.driveKey.Sub(uint64(t)), e.mean, e.std)
	}
	if e.input != nil {
		e.input.Inject(t, lo, cur)
	}
	if len(w.probes) > 0 {
		row := e.probeBuf[k*len(e.probes):]
		for _, p := range w.probes {
			row[p] = e.Pop.V[e.probes[p]]
		}
	}
	var bad int
	w.buf, bad = e.Pop.Step(lo, hi, e.cur, w.buf)
	if bad >= 0 && w.faultNeuron < 0 {
		w.faultStep, w.faultNeuron = t, bad
	}
}

// deliver adds the weights of the spikes of step t to the ring slots where
// they arrive, for the worker's own postsynaptic neurons.
func (w *worker) deliver(t int64, spikes []int32) {
	if len(spikes) == 0 {
		return
	}
	e := w.e
	n := int64(e.n)
	n2 := 2 * n
	nw := len(e.workers)
	// Ring offset of each delay: slotBase[d & mask] = ((t+d) & mask) · 2N.
	slotBase := w.slotBase
	for d := int64(1); d <= int64(e.maxDel); d++ {
		slotBase[d&e.mask] = ((t + d) & e.mask) * n2
	}
	ring, post, weight, delay := e.ring, e.post, e.weight, e.delay
	for _, j := range spikes {
		s0, s1 := e.rowPtr[j], e.rowPtr[j+1]
		if nw > 1 {
			sp := e.split[int(j)*(nw+1)+w.id:]
			s0, s1 = s0+int64(sp[0]), s0+int64(sp[1])
		}
		plane := n // inhibitory plane
		if e.exc[j] {
			plane = 0
		}
		for s := s0; s < s1; s++ {
			ring[slotBase[int64(delay[s])&e.mask]+plane+int64(post[s])] += weight[s]
		}
	}
}
