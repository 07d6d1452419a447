package sim

import "github.com/bl1-go/bl1/internal/kernel"

// worker owns neurons [lo, hi).
type worker struct {
	e      *Engine
	id     int
	lo, hi int

	buf    []int32      // spikes of the current chunk, step after step
	amp    []float32    // with STP: released fractions of each spike, to excitatory and inhibitory targets
	off    []int        // buf offsets of each step of the chunk
	pub    [2][]int32   // spikes of the last two steps, published to the other workers
	pubAmp [2][]float32 // and their released fractions
	merge  []int32      // scratch for merged spike lists (worker 0 only)

	probes []int32 // indices into Engine.probes of the probes in [lo, hi)

	faultStep   int64
	faultNeuron int
}

// loop runs the chunks of a worker other than 0, between two barriers each.
func (w *worker) loop() {
	for {
		w.e.bar.wait()
		if w.e.jobSteps == 0 {
			return
		}
		w.run(w.e.jobStart, w.e.jobSteps)
		w.e.bar.wait()
	}
}

// run simulates steps [t0, t0+k).
func (w *worker) run(t0 int64, k int) {
	e := w.e
	w.buf = w.buf[:0]
	w.amp = w.amp[:0]
	w.off = w.off[:0]
	multi := len(e.workers) > 1
	for t := t0; t < t0+int64(k); t++ {
		start := len(w.buf)
		w.off = append(w.off, start)
		w.update(t, int(t-t0))
		own := w.buf[start:len(w.buf):len(w.buf)]
		ownAmp := w.amp[min(2*start, len(w.amp)):len(w.amp):len(w.amp)]
		stdp := e.stdpAt(t)
		if multi {
			w.pub[t&1], w.pubAmp[t&1] = own, ownAmp
			e.bar.wait()
			for _, u := range e.workers {
				w.deliver(t, u.pub[t&1], u.pubAmp[t&1], stdp)
			}
		} else {
			w.deliver(t, own, ownAmp, stdp)
		}
		if stdp {
			w.potentiate(t, own)
			if multi {
				e.bar.wait() // every trace read of step t is done
			}
			w.traces(t, own)
		}
	}
	w.off = append(w.off, len(w.buf))
}

// runSerial simulates steps [t0, t0+k) on the calling goroutine, doing
// every worker's part in turn: the operations of run, in one of the orders
// its barriers allow (all updates, then all deliveries, potentiations and
// trace updates), so the spikes are the same. Under contention for the
// cores this beats workers that wait for each other at every step
// (Engine.Run chooses).
func (e *Engine) runSerial(t0 int64, k int) {
	for _, w := range e.workers {
		w.buf, w.amp, w.off = w.buf[:0], w.amp[:0], w.off[:0]
	}
	for t := t0; t < t0+int64(k); t++ {
		for _, w := range e.workers {
			start := len(w.buf)
			w.off = append(w.off, start)
			w.update(t, int(t-t0))
			w.pub[t&1] = w.buf[start:len(w.buf):len(w.buf)]
			w.pubAmp[t&1] = w.amp[min(2*start, len(w.amp)):len(w.amp):len(w.amp)]
		}
		stdp := e.stdpAt(t)
		for _, w := range e.workers {
			for _, u := range e.workers {
				w.deliver(t, u.pub[t&1], u.pubAmp[t&1], stdp)
			}
		}
		if stdp {
			for _, w := range e.workers {
				w.potentiate(t, w.pub[t&1])
			}
			for _, w := range e.workers {
				w.traces(t, w.pub[t&1])
			}
		}
	}
	for _, w := range e.workers {
		w.off = append(w.off, len(w.buf))
	}
}

// subBlock is the number of neurons the three kernels of update take in
// turn (a multiple of 16, the drive kernel's group): their input current
// and potentials stay in the core's caches between kernels.
const subBlock = 2048

// update computes phases 1-3 of step t for the worker's neurons.
func (w *worker) update(t int64, k int) {
	e := w.e
	if e.scaleSteps > 0 && t > 0 && t%e.scaleSteps == 0 {
		w.scaleTick()
	}
	n := int64(e.n)
	slot := (t % e.slots) * 2 * n // the slot's excitatory plane, then its inhibitory one
	key := e.driveKey.Sub(uint64(t))
	drive := e.std != 0 || e.mean != 0
	for lo := w.lo; lo < w.hi; lo += subBlock {
		hi := min(lo+subBlock, w.hi)
		exc := e.ring[slot+int64(lo) : slot+int64(hi)]
		inh := e.ring[slot+n+int64(lo) : slot+n+int64(hi)]
		cur := e.cur[lo:hi]
		var gt []float32
		if e.gtot != nil {
			gt = e.gtot[lo:hi]
		}
		if e.gain != nil {
			kernel.Mul(exc, e.gain[lo:hi])
		}
		e.Syn.Advance(lo, hi, exc, inh, e.Pop.V, cur, gt)
		if e.sampler != nil && t%e.sampleEv == 0 {
			e.sampler.Sample(t, w.id, lo, cur)
		}
		if drive {
			kernel.Drive(cur, uint32(lo), key, e.mean, e.std)
		}
		if e.input != nil {
			e.input.Inject(t, lo, cur)
		}
		if len(w.probes) > 0 {
			row := e.probeBuf[k*len(e.probes):]
			for _, p := range w.probes {
				if id := int(e.probes[p]); id >= lo && id < hi {
					row[p] = e.Pop.V[id]
				}
			}
		}
		var bad int
		start := len(w.buf)
		w.buf, bad = e.Pop.Step(lo, hi, e.cur, e.gtot, w.buf)
		if bad >= 0 && w.faultNeuron < 0 {
			w.faultStep, w.faultNeuron = t, bad
		}
		w.amp = e.onSpikes(t, w.buf[start:], w.amp)
	}
}

// deliver adds the weights of the spikes of step t to the ring slots where
// they arrive, for the worker's own postsynaptic neurons, scaled by the
// released fractions amps (with STP); with stdp it also depresses each
// synapse after using it.
func (w *worker) deliver(t int64, spikes []int32, amps []float32, stdp bool) {
	if len(spikes) == 0 {
		return
	}
	e := w.e
	nw := len(e.workers)
	// Synapse s of a spike at step t lands at ring index
	// (t mod slots)·2N + off[s] (without the class bit), wrapped once
	// around the ring.
	base := uint32((t % e.slots) * 2 * int64(e.n))
	size := uint32(len(e.ring))
	ring, off, weight := e.ring, e.off, e.weight
	stp := e.rules.STP != nil
	for k, j := range spikes {
		s0, s1 := e.rowPtr[j], e.rowPtr[j+1]
		if nw > 1 {
			sp := e.split[int(j)*(nw+1)+w.id:]
			s0, s1 = s0+int64(sp[0]), s0+int64(sp[1])
		}
		o, ws := off[s0:s1], weight[s0:s1]
		switch {
		case !stp && !stdp:
			for m, x := range o {
				i := base + x&^postClassBit
				if i >= size {
					i -= size
				}
				ring[i] += ws[m]
			}
		case !stdp:
			a := [2]float32{amps[2*k], amps[2*k+1]}
			for m, x := range o {
				i := base + x&^postClassBit
				if i >= size {
					i -= size
				}
				ring[i] += ws[m] * a[x>>31]
			}
		default:
			a := [2]float32{1, 1}
			if stp {
				a = [2]float32{amps[2*k], amps[2*k+1]}
			}
			ltd := e.eligible(j)
			posts := e.post[s0:s1]
			for m, x := range o {
				i := base + x&^postClassBit
				if i >= size {
					i -= size
				}
				ring[i] += ws[m] * a[x>>31]
				if ltd {
					ws[m] = float32(e.stdpP.Depress(float64(ws[m]), e.xpost[posts[m]].At(t, e.dMinus)))
				}
			}
		}
	}
}
