package mea

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/internal/rng"
)

// Recording parameters: how a neuron's spike appears on an electrode.
type Recording struct {
	AmplitudeUV float64 // peak amplitude at RefDistUm, µV
	RefDistUm   float64
	SomaUm      float64 // the amplitude stops growing closer than this, µm
	ThresholdUV float64 // detection threshold on the amplitude (with noise), µV
	NoiseUV     float64 // standard deviation of the noise added to each amplitude, µV
	DeadTimeMs  float64 // after an event a channel detects nothing for this long
	WindowMs    float64 // width of the count windows
}

// DefaultRecording: 60 µV at 50 µm, as the extracellular spikes of CA1
// pyramidal cells in Henze et al. (2000, J Neurophysiol 84:390, Fig. 5,
// amplitudes > 60 µV within ~50 µm), falling as 1/d (point source), a
// 25 µV threshold over 5 µV of noise (a 5 σ detector), 1 ms dead time.
var DefaultRecording = Recording{AmplitudeUV: 60, RefDistUm: 50, SomaUm: 10, ThresholdUV: 25, NoiseUV: 5,
	DeadTimeMs: 1, WindowMs: 100}

// Validate checks the parameters; messages start with the config key.
func (p Recording) Validate() error {
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
	nonneg := func(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }
	switch {
	case !pos(p.AmplitudeUV):
		return fmt.Errorf("amplitude_uv = %g, must be > 0", p.AmplitudeUV)
	case !pos(p.RefDistUm):
		return fmt.Errorf("ref_distance_um = %g, must be > 0", p.RefDistUm)
	case !pos(p.SomaUm):
		return fmt.Errorf("soma_radius_um = %g, must be > 0", p.SomaUm)
	case !nonneg(p.ThresholdUV):
		return fmt.Errorf("threshold_uv = %g, must be >= 0", p.ThresholdUV)
	case !nonneg(p.NoiseUV):
		return fmt.Errorf("noise_uv = %g, must be >= 0", p.NoiseUV)
	case !nonneg(p.DeadTimeMs):
		return fmt.Errorf("dead_time_ms = %g, must be >= 0", p.DeadTimeMs)
	case !pos(p.WindowMs):
		return fmt.Errorf("count_window_ms = %g, must be > 0", p.WindowMs)
	}
	return nil
}

// Amplitude returns the spike amplitude (µV) of a neuron at distance d (µm):
// A · d_ref / max(d, soma), the potential of a point source.
func (p Recording) Amplitude(d float64) float64 {
	return p.AmplitudeUV * p.RefDistUm / math.Max(d, p.SomaUm)
}

// Recorder detects spikes on electrodes: an observer of the engine. A spike
// of a neuron within the detection radius of a recorded electrode becomes
// an event on that channel if its amplitude, plus Gaussian noise drawn from
// a counter-based stream keyed by (seed, step, neuron, electrode), reaches
// the threshold and the channel is not in its dead time. Spikes of several
// neurons in one step make one event, with the largest amplitude. Events
// and per-window counts stream to spool files, so memory stays bounded.
type Recorder struct {
	p      Recording
	m      *Map
	by     byNeuron // amplitude of each neuron on each electrode slot
	dt     float64
	key    rng.Key
	dead   int64 // steps
	window int64 // steps

	last   []int64   // step of each slot's last event
	best   []float32 // largest amplitude this step (valid where bestAt == step)
	bestN  []int32
	bestAt []int64
	hit    []int32 // slots with a candidate this step

	t, ch, amp, neuron *npy.Spool
	counts             *npy.Spool // [window][slot] int32
	cur                []int32    // counts of the current window
	curWin             int64      // its index (-1 before the first step)
	firstWin           int64
	Total              []int64 // events per slot
}

// NewRecorder records the electrodes of m (its Electrodes are the
// channels) at step dt (ms), spooling in dir.
func NewRecorder(m *Map, n int, p Recording, dt float64, seed uint64, dir string) (*Recorder, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	e := len(m.Electrodes)
	r := &Recorder{p: p, m: m, dt: dt, key: rng.NewKey(seed, rng.Recording),
		dead:   int64(math.Round(p.DeadTimeMs / dt)),
		window: max(1, int64(math.Round(p.WindowMs/dt))),
		last:   make([]int64, e), best: make([]float32, e), bestN: make([]int32, e), bestAt: make([]int64, e),
		cur: make([]int32, e), curWin: -1, Total: make([]int64, e)}
	r.by = m.transpose(n, p.Amplitude)
	for k := range r.last {
		r.last[k] = math.MinInt64 / 2
		r.bestAt[k] = -1
	}
	var err error
	spool := func(size int) *npy.Spool {
		if err != nil {
			return nil
		}
		var s *npy.Spool
		s, err = npy.NewSpool(dir, size)
		return s
	}
	r.t, r.ch, r.amp, r.neuron, r.counts = spool(8), spool(4), spool(4), spool(4), spool(4)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("mea: recording spool: %w", err)
	}
	return r, nil
}

// Channels returns the recorded electrodes, in slot order.
func (r *Recorder) Channels() []int32 { return r.m.Electrodes }

// StepEvents returns the slots (indices into Channels) that had an event at
// the step last passed to Spikes, ascending; valid until the next call.
// Observers after the recorder use it to follow events as they happen.
func (r *Recorder) StepEvents() []int32 { return r.hit }

// WindowSteps returns the width of a count window in steps.
func (r *Recorder) WindowSteps() int64 { return r.window }

// Spikes implements sim.Observer.
func (r *Recorder) Spikes(step int64, ids []int32) {
	if w := step / r.window; w != r.curWin {
		r.flushTo(w)
	}
	r.hit = r.hit[:0]
	var sub rng.Key
	if r.p.NoiseUV > 0 && len(ids) > 0 {
		sub = r.key.Sub(uint64(step))
	}
	thr := float32(r.p.ThresholdUV)
	ne := uint64(len(r.m.Electrodes))
	for _, i := range ids {
		for q := r.by.start[i]; q < r.by.start[i+1]; q++ {
			k := r.by.slot[q]
			a := r.by.val[q]
			if r.p.NoiseUV > 0 {
				a += float32(r.p.NoiseUV * rng.Norm(sub.At(uint64(i)*ne+uint64(k))))
			}
			if a < thr || step-r.last[k] < r.dead {
				continue
			}
			if r.bestAt[k] != step {
				r.bestAt[k] = step
				r.best[k], r.bestN[k] = a, i
				r.hit = append(r.hit, k)
			} else if a > r.best[k] {
				r.best[k], r.bestN[k] = a, i
			}
		}
	}
	if len(r.hit) == 0 {
		return
	}
	slices.Sort(r.hit)
	tm := float64(step) * r.dt
	for _, k := range r.hit {
		r.last[k] = step
		r.t.Float64(tm)
		r.ch.Int32(r.m.Electrodes[k])
		r.amp.Float32(r.best[k])
		r.neuron.Int32(r.bestN[k])
		r.cur[k]++
		r.Total[k]++
	}
}

// flushTo writes the counts of the windows before w and starts window w.
func (r *Recorder) flushTo(w int64) {
	if r.curWin < 0 {
		r.curWin, r.firstWin = w, w
		return
	}
	for ; r.curWin < w; r.curWin++ {
		for k, c := range r.cur {
			r.counts.Int32(c)
			r.cur[k] = 0
		}
	}
}

// Events returns the number of events recorded.
func (r *Recorder) Events() int64 { return r.ch.Len() }

// WriteNPZ writes the events (mea_spikes.npz: t_ms, channel, amplitude_uv,
// neuron, the last being the source neuron of each event, the truth a
// spike sorter would look for) and, to counts, the per-window counts
// (mea_counts.npz: counts [window, channel] int32, channel, t_ms of each
// window's start); the last window may be partial. Call it once, at the end.
func (r *Recorder) WriteNPZ(spikes, counts string) error {
	z, err := npy.Create(spikes)
	if err != nil {
		return err
	}
	n := int(r.ch.Len())
	for _, a := range []struct {
		name, dtype string
		s           *npy.Spool
	}{{"t_ms", "<f8", r.t}, {"channel", "<i4", r.ch}, {"amplitude_uv", "<f4", r.amp}, {"neuron", "<i4", r.neuron}} {
		if err := z.Array(a.name, a.dtype, []int{n}, func(w io.Writer) error { _, err := a.s.WriteTo(w); return err }); err != nil {
			z.Abort()
			return err
		}
	}
	if err := z.Close(); err != nil {
		return err
	}
	if r.curWin >= 0 {
		r.flushTo(r.curWin + 1) // the last, possibly partial, window
	}
	if err := r.counts.Err(); err != nil {
		return err
	}
	z, err = npy.Create(counts)
	if err != nil {
		return err
	}
	e := len(r.m.Electrodes)
	nw := 0
	if e > 0 {
		nw = int(r.counts.Len()) / e
	}
	t := make([]float64, nw)
	for w := range t {
		t[w] = float64((r.firstWin+int64(w))*r.window) * r.dt
	}
	if err := z.Array("counts", "<i4", []int{nw, e}, func(w io.Writer) error { _, err := r.counts.WriteTo(w); return err }); err != nil {
		z.Abort()
		return err
	}
	err = z.Int32("channel", r.m.Electrodes)
	if err == nil {
		err = z.Float64("t_ms", t)
	}
	if err == nil {
		err = z.Float64("window_ms", []float64{float64(r.window) * r.dt})
	}
	if err != nil {
		z.Abort()
		return err
	}
	return z.Close()
}

// Close removes the spool files.
func (r *Recorder) Close() {
	for _, s := range []*npy.Spool{r.t, r.ch, r.amp, r.neuron, r.counts} {
		if s != nil {
			s.Close()
		}
	}
}
