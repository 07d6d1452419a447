package mea

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/sim"
)

// Config is a virtual MEA: its layout, what it records and how it
// stimulates.
type Config struct {
	Layout       string       // "cl1", "maxone", "mcs60" or "custom"
	CenterUm     []float64    // where the array's centre lies; empty: the substrate's centre
	ElectrodesUm [][2]float64 // electrode positions of a custom layout
	Routing      Routing      // the electrodes that record (all usable ones by default)

	DetectRadiusUm   float64 // 0: the layout's default
	ActivateRadiusUm float64 // 0: the layout's default
	Recording        Recording
	LFP              *LFPParams // nil: no LFP

	CouplingMVPerNC float64 // depolarisation per nC of cathodic charge at the electrode
	Trains          []Train
}

// DefaultCouplingMVPerNC makes a CL1's default pulse (160 µs at 1 µA,
// 0.16 nC cathodic) depolarise a neuron under the electrode by 24 mV. A
// regular-spiking Izhikevich neuron rests at -70 mV with its threshold at
// -55 mV (the roots of 0.04v² + 5v + 140 − u with u = bv = -14), so such a
// pulse fires the few neurons within ~28 µm (linear fall-off over 75 µm),
// and a 3 µA one those within ~60 µm. It is a calibration, not a
// measurement: change it to match a culture's evoked responses.
const DefaultCouplingMVPerNC = 150

// NewLayout returns the layout of c centred on (cx, cy) unless c says
// otherwise, with c's radii applied.
func (c Config) NewLayout(cx, cy float64) (*Layout, error) {
	if len(c.CenterUm) > 0 {
		if len(c.CenterUm) != 2 || !finite(c.CenterUm[0]) || !finite(c.CenterUm[1]) {
			return nil, fmt.Errorf("center_um = %v, must be [x, y] in µm", c.CenterUm)
		}
		cx, cy = c.CenterUm[0], c.CenterUm[1]
	}
	var l *Layout
	switch c.Layout {
	case "cl1":
		l = CL1(cx, cy)
	case "maxone":
		l = MaxOne(cx, cy)
	case "mcs60":
		l = MCS60(cx, cy)
	case "custom":
		x, y := make([]float64, len(c.ElectrodesUm)), make([]float64, len(c.ElectrodesUm))
		for k, p := range c.ElectrodesUm {
			x[k], y[k] = p[0], p[1]
		}
		var err error
		if l, err = Custom(x, y); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("layout = %q, must be none, cl1, maxone, mcs60 or custom", c.Layout)
	}
	if c.Layout != "custom" && len(c.ElectrodesUm) > 0 {
		return nil, fmt.Errorf("electrodes_um: only a custom layout takes electrode positions (layout is %s)", c.Layout)
	}
	for _, r := range []struct {
		key string
		v   float64
		dst *float64
	}{{"detection_radius_um", c.DetectRadiusUm, &l.DetectRadius}, {"activation_radius_um", c.ActivateRadiusUm, &l.ActivateRadius}} {
		if !(r.v >= 0) || math.IsInf(r.v, 0) {
			return nil, fmt.Errorf("%s = %g, must be > 0 (or 0 for the layout's default)", r.key, r.v)
		}
		if r.v > 0 {
			*r.dst = r.v
		}
	}
	return l, nil
}

// Validate checks everything that does not need the culture, at step dt.
func (c Config) Validate(cx, cy, dt float64) error {
	l, err := c.NewLayout(cx, cy)
	if err != nil {
		return err
	}
	if _, err := l.Route(c.Routing); err != nil {
		return err
	}
	if err := c.Recording.Validate(); err != nil {
		return fmt.Errorf("recording.%w", err)
	}
	if c.LFP != nil {
		if err := c.LFP.Validate(dt); err != nil {
			return fmt.Errorf("lfp.%w", err)
		}
	}
	if !(c.CouplingMVPerNC >= 0) || math.IsInf(c.CouplingMVPerNC, 0) {
		return fmt.Errorf("stimulation.coupling_mv_per_nc = %g, must be >= 0", c.CouplingMVPerNC)
	}
	for i, t := range c.Trains {
		if err := l.Limits.Check(t); err != nil {
			return fmt.Errorf("stimulation.trains[%d].%w", i, err)
		}
		for j, e := range t.Electrodes {
			if !l.Usable(e) {
				return fmt.Errorf("stimulation.trains[%d].channels[%d] = %d: %s", i, j, e, l.why(e))
			}
		}
	}
	return nil
}

// Rig is a virtual MEA attached to an engine: it records the culture's
// spikes (and LFP) on the routed electrodes and stimulates through any
// usable electrode.
type Rig struct {
	Layout   *Layout
	Detect   *Map // recorded electrodes → neurons within the detection radius
	Rec      *Recorder
	LFP      *LFP // nil without LFP
	Stim     *Stimulator
	dt       float64
	start    int64
	lfpEvery int64
}

// New builds the rig of cfg over the culture simulated by e, installs its
// stimulator as e's input and its LFP as e's sampler, and schedules cfg's
// trains (pulses before the engine's current step, already delivered in a
// run being resumed, are dropped). seed keys the recording noise and random
// routing; dir holds the spool files.
func New(e *sim.Engine, cfg Config, seed uint64, dir string) (*Rig, error) {
	c := e.Culture()
	dt := e.Config().Dt
	cx, cy := c.Spec.Width/2, c.Spec.Height/2
	if err := cfg.Validate(cx, cy, dt); err != nil {
		return nil, err
	}
	l, err := cfg.NewLayout(cx, cy)
	if err != nil {
		return nil, err
	}
	route := cfg.Routing
	route.Seed = seed
	chans, err := l.Route(route)
	if err != nil {
		return nil, err
	}
	r := &Rig{Layout: l, dt: dt, start: e.Step()}
	r.Detect = NewMap(l, chans, c.X, c.Y, c.Z, l.DetectRadius)
	if r.Rec, err = NewRecorder(r.Detect, c.N(), cfg.Recording, dt, seed, dir); err != nil {
		return nil, err
	}
	if cfg.LFP != nil {
		r.lfpEvery = max(1, int64(math.Round(1000/cfg.LFP.SampleHz/dt)))
		m := NewMap(l, chans, c.X, c.Y, c.Z, cfg.LFP.RadiusUm)
		if r.LFP, err = NewLFP(m, Capacitances(c, cfg.LFP.IzhCapPF), cfg.LFP.Sigma, r.lfpEvery, e.Workers(), sim.ChunkSteps, dir); err != nil {
			r.Close()
			return nil, err
		}
		e.SetSampler(r.LFP)
	}
	r.Stim = NewStimulator(l, c.X, c.Y, c.Z, l.ActivateRadius, cfg.CouplingMVPerNC, dt)
	for i, t := range cfg.Trains {
		if err := r.Stim.Schedule(t, 0); err != nil {
			r.Close()
			return nil, fmt.Errorf("stimulation.trains[%d].%w", i, err)
		}
	}
	r.Stim.Forget(r.start)
	e.SetInput(r.Stim)
	return r, nil
}

// Capacitances returns each neuron's membrane capacitance, pF: the AdEx
// parameter, or izh for Izhikevich neurons (whose equation has none).
func Capacitances(c *culture.Culture, izh float64) []float64 {
	out := make([]float64, c.N())
	for i, t := range c.Type {
		if ty := c.Types[t]; ty.Kind == models.KindAdEx {
			out[i] = ty.AdEx.C
		} else {
			out[i] = izh
		}
	}
	return out
}

// Observers returns the rig's observers, to pass to the engine's Run.
func (r *Rig) Observers() []sim.Observer {
	if r.LFP != nil {
		return []sim.Observer{r.Rec, r.LFP}
	}
	return []sim.Observer{r.Rec}
}

// Delivered returns the pulses of this run (from the engine's step when the
// rig was made) before step end.
func (r *Rig) Delivered(end int64) []Pulse {
	var out []Pulse
	for _, p := range r.Stim.Pulses() {
		if p.Step >= r.start && p.Step < end {
			out = append(out, p)
		}
	}
	return out
}

// Summary describes what a rig recorded, for summary.json.
type Summary struct {
	Layout            string  `json:"layout"`
	Electrodes        int     `json:"electrodes"`
	Recorded          int     `json:"recorded_channels"`
	DetectRadiusUm    float64 `json:"detection_radius_um"`
	ActivateRadiusUm  float64 `json:"activation_radius_um"`
	NeuronsPerChannel float64 `json:"neurons_per_channel"` // mean within the detection radius
	Events            int64   `json:"events"`
	MeanChannelRateHz float64 `json:"mean_channel_rate_hz"`
	CountWindowMs     float64 `json:"count_window_ms"`
	LFPHz             float64 `json:"lfp_hz,omitempty"`
	LFPSamples        int64   `json:"lfp_samples,omitempty"`
	LFPFirstMs        float64 `json:"lfp_first_ms,omitempty"`
	Pulses            int     `json:"stim_pulses"`
}

// Write writes the rig's outputs to dir, for the run that ended at step
// end: mea_layout.npz, mea_spikes.npz, mea_counts.npz, mea_stims.npz and,
// with LFP, lfp.npy. It returns the summary and each channel's event rate
// (Hz, per layout electrode; NaN where not recorded).
func (r *Rig) Write(dir string, end int64) (Summary, []float64, error) {
	l := r.Layout
	simS := float64(end-r.start) * r.dt / 1000
	s := Summary{Layout: l.Name, Electrodes: l.Len(), Recorded: len(r.Detect.Electrodes),
		DetectRadiusUm: l.DetectRadius, ActivateRadiusUm: l.ActivateRadius, Events: r.Rec.Events(),
		CountWindowMs: float64(r.Rec.WindowSteps()) * r.dt}
	if s.Recorded > 0 {
		s.NeuronsPerChannel = float64(len(r.Detect.Neuron)) / float64(s.Recorded)
	}
	rates := make([]float64, l.Len())
	for k := range rates {
		rates[k] = math.NaN()
	}
	recorded := make([]bool, l.Len())
	for k, e := range r.Detect.Electrodes {
		recorded[e] = true
		if simS > 0 {
			rates[e] = float64(r.Rec.Total[k]) / simS
			s.MeanChannelRateHz += rates[e] / float64(s.Recorded)
		}
	}
	if err := r.writeLayout(filepath.Join(dir, "mea_layout.npz"), recorded); err != nil {
		return s, nil, err
	}
	if err := r.Rec.WriteNPZ(filepath.Join(dir, "mea_spikes.npz"), filepath.Join(dir, "mea_counts.npz")); err != nil {
		return s, nil, err
	}
	var t []float64
	var ch []int32
	var q []float32
	for _, p := range r.Delivered(end) {
		t = append(t, float64(p.Step)*r.dt)
		ch = append(ch, p.Electrode)
		q = append(q, p.ChargeNC)
	}
	s.Pulses = len(t)
	z, err := npy.Create(filepath.Join(dir, "mea_stims.npz"))
	if err != nil {
		return s, nil, err
	}
	if err := z.Float64("t_ms", t); err != nil {
		z.Abort()
		return s, nil, err
	}
	if err := z.Int32("channel", ch); err != nil {
		z.Abort()
		return s, nil, err
	}
	if err := z.Float32("charge_nc", q); err != nil {
		z.Abort()
		return s, nil, err
	}
	if err := z.Close(); err != nil {
		return s, nil, err
	}
	if r.LFP != nil {
		s.LFPHz = 1000 / (float64(r.lfpEvery) * r.dt)
		s.LFPSamples = r.LFP.Samples()
		s.LFPFirstMs = float64(r.LFP.FirstStep()) * r.dt
		if err := r.LFP.WriteNPY(filepath.Join(dir, "lfp.npy")); err != nil {
			return s, nil, err
		}
	}
	return s, rates, nil
}

// writeLayout writes mea_layout.npz: channel (electrode number), x_um,
// y_um, recorded, usable, label.
func (r *Rig) writeLayout(path string, recorded []bool) error {
	l := r.Layout
	ch := make([]int32, l.Len())
	usable := make([]bool, l.Len())
	labels := make([]string, l.Len())
	for k := range ch {
		ch[k], usable[k], labels[k] = int32(k), !l.Excluded[k], l.Label(k)
	}
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	for _, f := range []func() error{
		func() error { return z.Int32("channel", ch) },
		func() error { return z.Float64("x_um", l.X) },
		func() error { return z.Float64("y_um", l.Y) },
		func() error { return z.Bool("recorded", recorded) },
		func() error { return z.Bool("usable", usable) },
		func() error { return z.Strings("label", labels) },
	} {
		if err := f(); err != nil {
			z.Abort()
			return err
		}
	}
	return z.Close()
}

// Close removes the rig's spool files.
func (r *Rig) Close() {
	if r.Rec != nil {
		r.Rec.Close()
	}
	if r.LFP != nil {
		r.LFP.Close()
	}
}
