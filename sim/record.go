package sim

import (
	"fmt"
	"io"

	"github.com/bl1-go/bl1/internal/npy"
)

// SpikeRecorder streams spike times and neuron indices to spool files in a
// directory (memory stays bounded however long the run) and counts spikes
// per neuron. WriteNPZ then writes them as spikes.npz.
type SpikeRecorder struct {
	dt     float64
	t      *npy.Spool
	id     *npy.Spool
	Counts []int64 // spikes per neuron
	First  int64   // first recorded step
	Last   int64   // one past the last recorded step
	seen   bool
}

// NewSpikeRecorder records spikes of n neurons at step dt (ms), spooling
// in dir.
func NewSpikeRecorder(dir string, n int, dt float64) (*SpikeRecorder, error) {
	t, err := npy.NewSpool(dir, 8)
	if err != nil {
		return nil, fmt.Errorf("sim: spike spool: %w", err)
	}
	id, err := npy.NewSpool(dir, 4)
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("sim: spike spool: %w", err)
	}
	return &SpikeRecorder{dt: dt, t: t, id: id, Counts: make([]int64, n)}, nil
}

// Spikes implements Observer.
func (r *SpikeRecorder) Spikes(step int64, ids []int32) {
	if !r.seen {
		r.First, r.seen = step, true
	}
	r.Last = step + 1
	tm := float64(step) * r.dt
	for _, i := range ids {
		r.t.Float64(tm)
		r.id.Int32(i)
		r.Counts[i]++
	}
}

// N returns the number of spikes recorded.
func (r *SpikeRecorder) N() int64 { return r.id.Len() }

// WriteNPZ writes spikes.npz: t_ms (float64, ms) and neuron (int32), sorted
// by time.
func (r *SpikeRecorder) WriteNPZ(path string) error {
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	n := int(r.id.Len())
	if err := z.Array("t_ms", "<f8", []int{n}, func(w io.Writer) error { _, err := r.t.WriteTo(w); return err }); err != nil {
		z.Abort()
		return err
	}
	if err := z.Array("neuron", "<i4", []int{n}, func(w io.Writer) error { _, err := r.id.WriteTo(w); return err }); err != nil {
		z.Abort()
		return err
	}
	return z.Close()
}

// Close removes the spool files.
func (r *SpikeRecorder) Close() {
	r.t.Close()
	r.id.Close()
}

// RateRecorder bins the population's spikes, excitatory and inhibitory
// separately, in bins of a whole number of steps. Full-resolution bins go
// to spool files (memory stays bounded however long the run); a coarse copy
// of at most about 2,000 bins stays in memory for plots.
type RateRecorder struct {
	exc        []bool
	nExc, nInh int
	binSteps   int64
	first      int64
	started    bool
	bin        int64 // index of the bin being filled
	e, i       int32 // its counts
	se, si     *npy.Spool
	n          int64 // bins written to the spools
	done       bool  // WriteNPZ has closed the last bin

	// Coarse bins for plots: CoarseSteps steps each.
	CoarseSteps          int64
	CoarseExc, CoarseInh []int32
}

// NewRateRecorder bins spikes of neurons whose excitatory flags are exc in
// bins of binSteps steps, spooling in dir; steps is the expected length of
// the run (it sets the coarse bins).
func NewRateRecorder(dir string, exc []bool, binSteps int, steps int64) (*RateRecorder, error) {
	se, err := npy.NewSpool(dir, 4)
	if err != nil {
		return nil, fmt.Errorf("sim: rate spool: %w", err)
	}
	si, err := npy.NewSpool(dir, 4)
	if err != nil {
		se.Close()
		return nil, fmt.Errorf("sim: rate spool: %w", err)
	}
	r := &RateRecorder{exc: exc, binSteps: int64(max(1, binSteps)), se: se, si: si}
	for _, x := range exc {
		if x {
			r.nExc++
		} else {
			r.nInh++
		}
	}
	bins := max(1, (steps+r.binSteps-1)/r.binSteps)
	r.CoarseSteps = r.binSteps * max(1, (bins+1999)/2000)
	return r, nil
}

// Spikes implements Observer.
func (r *RateRecorder) Spikes(step int64, ids []int32) {
	if r.done {
		panic("sim: RateRecorder used after WriteNPZ")
	}
	if !r.started {
		r.first, r.started = step, true
	}
	b := (step - r.first) / r.binSteps
	for r.bin < b {
		r.flush()
	}
	var e, i int32
	for _, id := range ids {
		if r.exc[id] {
			e++
		} else {
			i++
		}
	}
	r.e += e
	r.i += i
	c := int((step - r.first) / r.CoarseSteps)
	for len(r.CoarseExc) <= c {
		r.CoarseExc = append(r.CoarseExc, 0)
		r.CoarseInh = append(r.CoarseInh, 0)
	}
	r.CoarseExc[c] += e
	r.CoarseInh[c] += i
}

// flush writes the bin being filled and starts the next.
func (r *RateRecorder) flush() {
	r.se.Int32(r.e)
	r.si.Int32(r.i)
	r.e, r.i = 0, 0
	r.n++
	r.bin++
}

// Bins returns the number of bins recorded so far (including the one being
// filled).
func (r *RateRecorder) Bins() int64 {
	if r.started && !r.done {
		return r.n + 1
	}
	return r.n
}

// WriteNPZ writes rate.npz: t_ms (bin centres), rate_hz, rate_exc_hz and
// rate_inh_hz (float64, mean rate per neuron in each bin, Hz), for steps of
// dt ms. It ends the recording.
func (r *RateRecorder) WriteNPZ(path string, dt float64) error {
	if r.started && !r.done {
		r.flush() // the last, possibly partial, bin
		r.done = true
	}
	binMs := float64(r.binSteps) * dt
	nb := int(r.n)
	hz := func(c int32, n int) float64 {
		if n == 0 {
			return 0
		}
		return float64(c) / float64(n) / (binMs / 1000)
	}
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	t0 := float64(r.first) * dt
	arrays := []struct {
		name string
		val  func(e, i int32) float64
	}{
		{"rate_hz", func(e, i int32) float64 { return hz(e+i, r.nExc+r.nInh) }},
		{"rate_exc_hz", func(e, _ int32) float64 { return hz(e, r.nExc) }},
		{"rate_inh_hz", func(_, i int32) float64 { return hz(i, r.nInh) }},
	}
	err = z.Array("t_ms", "<f8", []int{nb}, func(w io.Writer) error {
		t := make([]float64, 0, 4096)
		for k := 0; k < nb; k++ {
			t = append(t, t0+(float64(k)+0.5)*binMs)
			if len(t) == cap(t) || k == nb-1 {
				if err := npy.PutFloat64(w, t); err != nil {
					return err
				}
				t = t[:0]
			}
		}
		return nil
	})
	for _, a := range arrays {
		if err != nil {
			break
		}
		err = z.Array(a.name, "<f8", []int{nb}, func(w io.Writer) error {
			out := make([]float64, 0, 4096)
			return npy.ReadPairs(r.se, r.si, func(e, i int32) error {
				out = append(out, a.val(e, i))
				if len(out) == cap(out) {
					if err := npy.PutFloat64(w, out); err != nil {
						return err
					}
					out = out[:0]
				}
				return nil
			}, func() error { return npy.PutFloat64(w, out) })
		})
	}
	if err != nil {
		z.Abort()
		return err
	}
	return z.Close()
}

// Close removes the spool files.
func (r *RateRecorder) Close() {
	r.se.Close()
	r.si.Close()
}

// ProbeRecorder collects the membrane potential of probed neurons, step
// after step, in a spool.
type ProbeRecorder struct {
	v     *npy.Spool
	k     int
	Steps int64
	First int64
}

// NewProbeRecorder records k probes, spooling in dir.
func NewProbeRecorder(dir string, k int) (*ProbeRecorder, error) {
	s, err := npy.NewSpool(dir, 4)
	if err != nil {
		return nil, fmt.Errorf("sim: probe spool: %w", err)
	}
	return &ProbeRecorder{v: s, k: k, First: -1}, nil
}

// Spikes implements Observer (probes ignore spikes).
func (r *ProbeRecorder) Spikes(int64, []int32) {}

// Potentials implements ProbeObserver.
func (r *ProbeRecorder) Potentials(step int64, v []float32) {
	if r.First < 0 {
		r.First = step
	}
	for _, x := range v {
		r.v.Float32(x)
	}
	r.Steps++
}

// WriteTo streams the [steps, k] float32 matrix of potentials.
func (r *ProbeRecorder) WriteTo(w io.Writer) (int64, error) { return r.v.WriteTo(w) }

// Close removes the spool.
func (r *ProbeRecorder) Close() { r.v.Close() }
