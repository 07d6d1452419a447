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

// RateRecorder bins the population's spikes: total, excitatory and
// inhibitory counts per bin of a whole number of steps.
type RateRecorder struct {
	exc      []bool
	binSteps int64
	first    int64
	started  bool
	Exc, Inh []int32 // spikes per bin
}

// NewRateRecorder bins spikes of neurons whose excitatory flags are exc in
// bins of binSteps steps.
func NewRateRecorder(exc []bool, binSteps int) *RateRecorder {
	return &RateRecorder{exc: exc, binSteps: int64(max(1, binSteps))}
}

// Spikes implements Observer.
func (r *RateRecorder) Spikes(step int64, ids []int32) {
	if !r.started {
		r.first, r.started = step, true
	}
	b := int((step - r.first) / r.binSteps)
	for len(r.Exc) <= b {
		r.Exc = append(r.Exc, 0)
		r.Inh = append(r.Inh, 0)
	}
	for _, i := range ids {
		if r.exc[i] {
			r.Exc[b]++
		} else {
			r.Inh[b]++
		}
	}
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
