package mea

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Phase is one phase of a stimulation pulse.
type Phase struct {
	WidthUs   float64 // µs
	CurrentUA float64 // µA; negative is cathodic
}

// Biphasic returns the symmetric cathodic-first pulse a CL1 delivers for a
// scalar amplitude: (width, −amp), (width, +amp).
func Biphasic(widthUs, ampUA float64) []Phase {
	return []Phase{{widthUs, -math.Abs(ampUA)}, {widthUs, math.Abs(ampUA)}}
}

// Train is a pulse train on some electrodes: Pulses pulses of the same
// shape, FrequencyHz apart, the first at StartMs.
type Train struct {
	Electrodes  []int
	Phases      []Phase
	StartMs     float64
	FrequencyHz float64 // ignored for a single pulse
	Pulses      int
}

// Limits are a stimulator's hardware limits. Zero fields are not checked.
type Limits struct {
	Name           string
	MaxCurrentUA   float64 // per phase
	WidthStepUs    float64 // phase widths are whole multiples of this
	MaxChargePC    float64 // |width·current| per phase
	MaxFrequencyHz float64
	MaxPhases      int
	Alternating    bool // consecutive phases have opposite signs (so none is 0)
}

// CL1Limits are the Cortical Labs CL1's (CL SDK StimDesign and BurstDesign;
// ../shared/spec/cl1-protocol.md §4): 1 to 3 phases, widths multiples of
// 20 µs, at most 3 µA and 3 nC per phase, alternating polarity, at most
// 200 Hz.
var CL1Limits = Limits{Name: "CL1", MaxCurrentUA: 3, WidthStepUs: 20, MaxChargePC: 3000,
	MaxFrequencyHz: 200, MaxPhases: 3, Alternating: true}

// Check returns an error naming the first part of the train that the limits
// (and physics) forbid; keys in messages are relative to the train.
func (lim Limits) Check(t Train) error {
	dev := lim.Name
	if len(t.Phases) == 0 {
		return fmt.Errorf("phases: a pulse needs at least one phase")
	}
	if lim.MaxPhases > 0 && len(t.Phases) > lim.MaxPhases {
		return fmt.Errorf("phases: %d phases, the %s allows at most %d", len(t.Phases), dev, lim.MaxPhases)
	}
	var width float64
	for i, p := range t.Phases {
		key := fmt.Sprintf("phases[%d]", i)
		switch {
		case !(p.WidthUs > 0) || math.IsInf(p.WidthUs, 0):
			return fmt.Errorf("%s: width %g µs, must be > 0", key, p.WidthUs)
		case !finite(p.CurrentUA):
			return fmt.Errorf("%s: current %g µA, must be finite", key, p.CurrentUA)
		case lim.WidthStepUs > 0 && !wholeMultiple(p.WidthUs, lim.WidthStepUs):
			return fmt.Errorf("%s: width %g µs, the %s needs a multiple of %g µs (at least %g)", key, p.WidthUs, dev, lim.WidthStepUs, lim.WidthStepUs)
		case lim.MaxCurrentUA > 0 && math.Abs(p.CurrentUA) > lim.MaxCurrentUA:
			return fmt.Errorf("%s: current %g µA exceeds the %s's limit of %g µA per phase", key, p.CurrentUA, dev, lim.MaxCurrentUA)
		case lim.MaxChargePC > 0 && math.Abs(p.CurrentUA*p.WidthUs) > lim.MaxChargePC*(1+1e-12):
			return fmt.Errorf("%s: charge %g pC (%g µs × %g µA) exceeds the %s's limit of %g pC per phase", key, math.Abs(p.CurrentUA*p.WidthUs), p.WidthUs, p.CurrentUA, dev, lim.MaxChargePC)
		case lim.Alternating && p.CurrentUA == 0:
			return fmt.Errorf("%s: current 0 µA; the %s needs phases of alternating polarity, so none can be 0", key, dev)
		case lim.Alternating && i > 0 && (p.CurrentUA > 0) == (t.Phases[i-1].CurrentUA > 0):
			return fmt.Errorf("%s: same polarity as phases[%d]; the %s needs alternating polarity", key, i-1, dev)
		}
		width += p.WidthUs
	}
	if t.Pulses < 1 {
		return fmt.Errorf("pulses = %d, must be >= 1", t.Pulses)
	}
	if !(t.StartMs >= 0) || math.IsInf(t.StartMs, 0) {
		return fmt.Errorf("start_s = %g, must be >= 0", t.StartMs/1000)
	}
	if t.Pulses > 1 {
		f := t.FrequencyHz
		switch {
		case !(f > 0) || math.IsInf(f, 0):
			return fmt.Errorf("frequency_hz = %g, must be > 0 for %d pulses", f, t.Pulses)
		case lim.MaxFrequencyHz > 0 && f > lim.MaxFrequencyHz:
			return fmt.Errorf("frequency_hz = %g exceeds the %s's limit of %g Hz", f, dev, lim.MaxFrequencyHz)
		case width >= 1e6/f:
			return fmt.Errorf("frequency_hz = %g: a pulse lasts %g µs, longer than the %g µs between pulses", f, width, 1e6/f)
		}
	}
	if len(t.Electrodes) == 0 {
		return fmt.Errorf("channels: a train needs at least one electrode")
	}
	return nil
}

func wholeMultiple(v, q float64) bool {
	k := math.Round(v / q)
	return k >= 1 && math.Abs(v-k*q) <= 1e-9*q
}

// cathodicCharge returns the charge of a pulse's cathodic phases, nC: the
// part that depolarises the neurons near the electrode.
func cathodicCharge(ph []Phase) float64 {
	var q float64
	for _, p := range ph {
		if p.CurrentUA < 0 {
			q -= p.CurrentUA * p.WidthUs
		}
	}
	return q / 1000 // pC → nC
}

// Pulse is one delivered stimulation pulse.
type Pulse struct {
	Step      int64
	Electrode int32
	ChargeNC  float32 // cathodic charge
}

// Stimulator turns pulse trains into current injected into the neurons near
// each electrode; it is the engine's Input (sim.Input).
//
// A pulse (tens to hundreds of µs) is far shorter than a step and than the
// membrane time constant, so it acts as an instantaneous depolarisation:
// neuron i at distance d from the electrode gains
// Δv = Coupling · Q · max(0, 1 − d / r_act) (mV) in the pulse's step, where
// Q is the pulse's cathodic charge (nC). Anodic phases are taken to balance
// the charge without depolarising (cathodic thresholds are several times
// lower than anodic ones; Ranck 1975, Brain Res 98:417).
type Stimulator struct {
	layout   *Layout
	act      *Map    // every usable electrode to the neurons within the activation radius
	slotOf   []int32 // electrode → slot of act (-1: none)
	weight   []float32
	coupling float64 // mV per nC
	dt       float64 // ms
	queue    []Pulse // scheduled, ordered by step then schedule order
	log      []Pulse // forgotten (delivered) pulses, by step; the queue holds the rest
}

// NewStimulator prepares stimulation through the usable electrodes of l of
// the neurons at x, y, z within radius r (µm), with coupling mV per nC, at
// step dt (ms).
func NewStimulator(l *Layout, x, y, z []float32, r, coupling, dt float64) *Stimulator {
	var usable []int32
	for k := range l.X {
		if !l.Excluded[k] {
			usable = append(usable, int32(k))
		}
	}
	s := &Stimulator{layout: l, act: NewMap(l, usable, x, y, z, r), slotOf: make([]int32, l.Len()),
		coupling: coupling, dt: dt}
	for k := range s.slotOf {
		s.slotOf[k] = -1
	}
	for k, e := range usable {
		s.slotOf[e] = int32(k)
	}
	s.weight = make([]float32, len(s.act.Dist))
	for p, d := range s.act.Dist {
		s.weight[p] = float32(max(0, 1-float64(d)/r))
	}
	return s
}

// Activated returns the neurons an electrode activates and the fraction of
// the full depolarisation each receives.
func (s *Stimulator) Activated(electrode int) ([]int32, []float32) {
	k := s.slotOf[electrode]
	if k < 0 {
		return nil, nil
	}
	n, _ := s.act.Neurons(int(k))
	return n, s.weight[s.act.Start[k]:s.act.Start[k+1]]
}

// Schedule checks a train against the layout's limits and queues its
// pulses; pulse times are rounded to 20 µs frames (as a CL1 does) and then
// down to steps. It must not be called while the engine runs; trains in
// the past (before step now) are an error.
func (s *Stimulator) Schedule(t Train, now int64) error {
	if err := s.layout.Limits.Check(t); err != nil {
		return err
	}
	for i, e := range t.Electrodes {
		if !s.layout.Usable(e) {
			return fmt.Errorf("channels[%d] = %d: %s", i, e, s.layout.why(e))
		}
	}
	first := int64(math.Floor(t.StartMs/s.dt + 1e-9))
	if first < now {
		return fmt.Errorf("start_s = %g is before the current time, %g s", t.StartMs/1000, float64(now)*s.dt/1000)
	}
	q := float32(cathodicCharge(t.Phases))
	var period float64 // µs, in whole 20 µs frames
	if t.Pulses > 1 {
		period = math.Max(1, math.Round(1e6/t.FrequencyHz/20)) * 20
	}
	for k := range t.Pulses {
		step := int64(math.Floor((t.StartMs+float64(k)*period/1000)/s.dt + 1e-9))
		for _, e := range t.Electrodes {
			p := Pulse{Step: step, Electrode: int32(e), ChargeNC: q}
			s.queue = append(s.queue, p)
		}
	}
	slices.SortStableFunc(s.queue, func(a, b Pulse) int { return cmp.Compare(a.Step, b.Step) })
	return nil
}

// Interrupt cancels the queued pulses of the electrodes from step on.
// Forgotten pulses are in the past, so only the queue is searched: a long
// closed loop that interrupts every tick pays for its queue, not its
// history.
func (s *Stimulator) Interrupt(electrodes []int, from int64) {
	drop := func(p Pulse) bool { return p.Step >= from && slices.Contains(electrodes, int(p.Electrode)) }
	s.queue = slices.DeleteFunc(s.queue, drop)
}

// Forget moves the queued pulses before step (already delivered) to the
// history, keeping the queue short in long closed-loop runs, and returns
// them, by step (valid until the next Forget).
func (s *Stimulator) Forget(before int64) []Pulse {
	i, _ := slices.BinarySearchFunc(s.queue, before, func(p Pulse, t int64) int { return cmp.Compare(p.Step, t) })
	s.log = append(s.log, s.queue[:i]...)
	s.queue = s.queue[:copy(s.queue, s.queue[i:])]
	return s.log[len(s.log)-i:]
}

// Pulses returns the scheduled pulses that were not interrupted, by step
// (within a step in schedule order).
func (s *Stimulator) Pulses() []Pulse { return slices.Concat(s.log, s.queue) }

// Inject implements sim.Input.
func (s *Stimulator) Inject(step int64, lo int, dst []float32) {
	i, ok := slices.BinarySearchFunc(s.queue, step, func(p Pulse, t int64) int { return cmp.Compare(p.Step, t) })
	if !ok {
		return
	}
	hi := int32(lo + len(dst))
	for ; i < len(s.queue) && s.queue[i].Step == step; i++ {
		p := s.queue[i]
		k := s.slotOf[p.Electrode]
		a, b := s.act.Start[k], s.act.Start[k+1]
		neurons := s.act.Neuron[a:b]
		j, _ := slices.BinarySearch(neurons, int32(lo))
		scale := float32(s.coupling * float64(p.ChargeNC) / s.dt) // mV/ms over one step = Δv
		for ; j < len(neurons) && neurons[j] < hi; j++ {
			dst[neurons[j]-int32(lo)] += scale * s.weight[a+int64(j)]
		}
	}
}
