package cl1

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/sim"
)

// FramesPerSecond is the CL1's sampling rate: timestamps count frames of
// 20 µs, as the CL SDK's do.
const FramesPerSecond = 25000

// Spike is a detected event on a channel.
type Spike struct {
	Timestamp int64 // frame of the step it was detected in
	Channel   int32
}

// Stim is a delivered stimulation pulse.
type Stim struct {
	Timestamp int64 // frame of the step it was delivered in
	Channel   int32
}

// DetectionResult holds the spikes and pulses of a period [Start, Stop)
// (frames), in time order.
type DetectionResult struct {
	Start, Stop int64
	Spikes      []Spike
	Stims       []Stim
}

// Burst is how often a pulse repeats: Count pulses at Hz (the CL SDK's
// BurstDesign). The zero value and Count 1 mean a single pulse.
type Burst struct {
	Count int
	Hz    float64
}

// Neurons is a culture on a multi-electrode array, driven in closed loop
// the way the CL SDK drives a CL1: read what the electrodes detected in a
// period, then stimulate (or interrupt stimulation) from its end on. Its
// methods must be called from one goroutine.
type Neurons struct {
	e     *sim.Engine
	rig   *mea.Rig
	obs   []sim.Observer
	col   collector
	res   DetectionResult
	owned func() // releases what Open built
}

// New drives an engine and the rig attached to it. obs are the observers
// of every step (recorders, a monitor); the rig's own observers are put in
// front when obs lacks them, since the electrodes' events come from them.
func New(e *sim.Engine, rig *mea.Rig, obs ...sim.Observer) *Neurons {
	n := &Neurons{e: e, rig: rig}
	if !slices.ContainsFunc(obs, func(o sim.Observer) bool { return o == sim.Observer(rig.Rec) }) {
		obs = append(rig.Observers(), obs...)
	}
	n.col = collector{rec: rig.Rec, framesPerStep: e.Config().Dt * FramesPerSecond / 1000}
	n.obs = append(slices.Clone(obs), &n.col)
	return n
}

// Open builds the culture of cfg and the MEA of its mea section (a CL1
// when the section names no layout), spooling recordings in dir. Close
// releases them.
func Open(cfg *configs.Config, dir string) (*Neurons, error) {
	spec, err := cfg.CultureSpec()
	if err != nil {
		return nil, err
	}
	c, err := culture.Build(spec, cfg.Simulation.Workers)
	if err != nil {
		return nil, err
	}
	e, err := sim.New(c, cfg.SimConfig())
	if err != nil {
		return nil, err
	}
	withMEA := *cfg
	if withMEA.MEA.Layout == "" || withMEA.MEA.Layout == "none" {
		withMEA.MEA.Layout = "cl1"
	}
	mcfg, err := withMEA.MEAConfig()
	if err != nil {
		e.Close()
		return nil, err
	}
	rig, err := mea.New(e, *mcfg, cfg.Simulation.Seed, dir)
	if err != nil {
		e.Close()
		return nil, err
	}
	n := New(e, rig)
	n.owned = func() { rig.Close(); e.Close() }
	return n, nil
}

// Close releases what Open built; it does nothing for New's Neurons, whose
// engine and rig belong to the caller.
func (n *Neurons) Close() {
	if n.owned != nil {
		n.owned()
		n.owned = nil
	}
}

// Engine returns the engine.
func (n *Neurons) Engine() *sim.Engine { return n.e }

// Rig returns the electrode array.
func (n *Neurons) Rig() *mea.Rig { return n.rig }

// Observers returns the observers every step goes to.
func (n *Neurons) Observers() []sim.Observer { return n.obs }

// Timestamp returns the current time in frames.
func (n *Neurons) Timestamp() int64 { return n.col.frame(n.e.Step()) }

// Stim schedules a pulse (phases of widths in µs and currents in µA; see
// mea.Biphasic) on each of channels from now on, repeated as burst says.
// The device's limits apply: on a CL1 at most 3 µA and 3 nC per phase,
// widths multiples of 20 µs, alternating polarity, at most 200 Hz.
func (n *Neurons) Stim(channels []int, phases []mea.Phase, burst Burst) error {
	t := mea.Train{Electrodes: channels, Phases: phases, StartMs: n.e.TimeMs(), FrequencyHz: burst.Hz, Pulses: max(1, burst.Count)}
	if burst.Count < 0 {
		return fmt.Errorf("cl1: burst of %d pulses", burst.Count)
	}
	if err := n.rig.Stim.Schedule(t, n.e.Step()); err != nil {
		return fmt.Errorf("cl1: stim: %w", err)
	}
	return nil
}

// Interrupt cancels the pulses not yet delivered on channels.
func (n *Neurons) Interrupt(channels []int) { n.rig.Stim.Interrupt(channels, n.e.Step()) }

// Usable returns the channels that can record and stimulate.
func (n *Neurons) Usable() []int {
	var out []int
	for k := range n.rig.Layout.Len() {
		if n.rig.Layout.Usable(k) {
			out = append(out, k)
		}
	}
	return out
}

// Read advances the culture by ms milliseconds (a whole number of steps, at
// least one) and returns what the electrodes detected and the pulses
// delivered meanwhile. The result is reused by the next Read.
func (n *Neurons) Read(ctx context.Context, ms float64) (*DetectionResult, error) {
	if !(ms > 0) || math.IsInf(ms, 0) {
		return nil, fmt.Errorf("cl1: read of %g ms", ms)
	}
	return n.advance(ctx, max(1, int64(math.Round(ms/n.e.Config().Dt))))
}

// advance runs steps steps and fills n.res.
func (n *Neurons) advance(ctx context.Context, steps int64) (*DetectionResult, error) {
	start := n.e.Step()
	n.col.spikes = n.col.spikes[:0]
	err := n.e.Run(ctx, steps, n.obs...)
	end := n.e.Step()
	r := &n.res
	r.Start, r.Stop = n.col.frame(start), n.col.frame(end)
	r.Spikes = n.col.spikes
	r.Stims = r.Stims[:0]
	for _, p := range n.rig.Stim.Forget(end) {
		r.Stims = append(r.Stims, Stim{Timestamp: n.col.frame(p.Step), Channel: p.Electrode})
	}
	return r, err
}

// collector turns the recorder's events into spikes; an observer after it.
type collector struct {
	rec           *mea.Recorder
	framesPerStep float64
	spikes        []Spike
}

func (c *collector) frame(step int64) int64 {
	return int64(math.Floor(float64(step)*c.framesPerStep + 1e-9))
}

// Spikes implements sim.Observer.
func (c *collector) Spikes(step int64, _ []int32) {
	ev := c.rec.StepEvents()
	if len(ev) == 0 {
		return
	}
	f := c.frame(step)
	chans := c.rec.Channels()
	for _, k := range ev {
		c.spikes = append(c.spikes, Spike{Timestamp: f, Channel: chans[k]})
	}
}
