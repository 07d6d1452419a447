package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/rng"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/pharmacology"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/synapses"
)

// Config is the engine's configuration.
type Config struct {
	Dt        float64 // integration step, ms
	Seed      uint64  // seed of the drive's random stream
	Workers   int     // worker goroutines; 0 chooses from the core count and the culture size
	DriveMean float64 // background current added every step, mV/ms (per unit capacitance)
	DriveStd  float64 // standard deviation of the per-step Gaussian drive, mV/ms
	Synapses  synapses.Params

	// Integrator is the membrane scheme: forward Euler (the zero value,
	// BL-1's) or exponential Euler in the synaptic conductances (package
	// models), which cannot overshoot the reversal potentials however
	// strong the synapses.
	Integrator models.Integrator

	// Plasticity lists the plasticity rules that run (none by default).
	Plasticity plasticity.Rules

	// Drugs are the antagonists added to the bath (none by default).
	Drugs pharmacology.Schedule
}

// Validate checks the configuration; messages start with the config key.
func (c Config) Validate() error {
	switch {
	case !(c.Dt > 0 && c.Dt <= 1):
		return fmt.Errorf("simulation.dt_ms = %g, must be in (0, 1] (the Izhikevich model's spike upstroke is unresolved above 1 ms)", c.Dt)
	case c.Integrator > models.ExponentialEuler:
		return fmt.Errorf("simulation.integrator = %v, must be euler or exponential", c.Integrator)
	case c.Workers < 0:
		return fmt.Errorf("simulation.workers = %d, must be >= 0 (0 = automatic)", c.Workers)
	case math.IsNaN(c.DriveMean) || math.IsInf(c.DriveMean, 0):
		return fmt.Errorf("drive.mean = %g, must be finite", c.DriveMean)
	case !(c.DriveStd >= 0) || math.IsInf(c.DriveStd, 0):
		return fmt.Errorf("drive.std = %g, must be >= 0", c.DriveStd)
	}
	if err := c.Synapses.Validate(); err != nil {
		return fmt.Errorf("synapses.%s", err)
	}
	if err := c.Plasticity.Validate(); err != nil {
		return fmt.Errorf("plasticity.%s", err)
	}
	for i, a := range c.Drugs {
		if err := a.Validate(); err != nil {
			return fmt.Errorf("drugs[%d].%w", i, err)
		}
	}
	return nil
}

// Input injects external current, for example from stimulating electrodes
// or a closed-loop controller.
type Input interface {
	// Inject adds the current (per unit capacitance, mV/ms, like the drive)
	// of step into dst, which covers neurons [lo, lo+len(dst)). It is called
	// concurrently for disjoint ranges and must not allocate.
	Inject(step int64, lo int, dst []float32)
}

// Sampler reads the synaptic current of every neuron at regular steps, for
// example to compute a local field potential.
type Sampler interface {
	// Every returns the sampling interval in steps (>= 1): steps that are a
	// multiple of it are sampled.
	Every() int64
	// Sample receives, from worker w of Engine.Workers(), the synaptic
	// current (per unit capacitance, mV/ms; positive depolarises) of
	// neurons [lo, lo+len(cur)) at step. It is called concurrently for
	// disjoint ranges and must not allocate. All of a step's calls happen
	// before the observers receive that step's spikes, and after they
	// received the spikes of the chunk before.
	Sample(step int64, w, lo int, cur []float32)
}

// Observer receives the spikes of every step, in order of steps.
type Observer interface {
	// Spikes is called once per step with the ascending indices of the
	// neurons that spiked at time step·dt. ids is only valid during the call.
	Spikes(step int64, ids []int32)
}

// FaultError reports a neuron whose state became NaN or infinite.
type FaultError struct {
	Neuron int
	Type   string
	Step   int64
	TimeMs float64
}

func (e *FaultError) Error() string {
	return fmt.Sprintf("sim: neuron %d (%s) became non-finite at step %d (t = %g ms); "+
		"the drive, input or weights are too strong for dt", e.Neuron, e.Type, e.Step, e.TimeMs)
}

// ChunkSteps is the most steps the workers run between visits of the main
// goroutine (observers, cancellation).
const ChunkSteps = 64

const chunk = ChunkSteps

// minBlock is the smallest neuron block worth a worker of its own.
const minBlock = 2048

// Engine simulates one culture.
type Engine struct {
	cfg  Config
	cult *culture.Culture
	n    int

	// Pop and Syn hold the neuron and conductance state.
	Pop *models.Population
	Syn *synapses.State

	// Outgoing synapses, CSR by presynaptic neuron (the culture's, or the
	// engine's own copy when plasticity changes them), with delays in steps
	// and each row split at the workers' block boundaries (setWiring).
	rowPtr  []int64
	post    []int32
	weight  []float32
	delayMs []float32
	delay   []uint16
	off     []uint32 // delay·2N + plane + post (+ postClassBit): where the synapse lands in the ring, relative to the spike's slot
	split   []uint32 // split[j*(W+1)+w]: offset in row j of worker w's first target
	exc     []bool
	maxDel  int

	ring  []float32 // [slot][excitatory, inhibitory][neuron]: weights waiting to arrive
	slots int64     // ring slots: maxDel + 1

	cur      []float32 // input current of the step being computed
	gtot     []float32 // with exponential Euler: total synaptic conductance of the step, then φ
	driveKey rng.Key
	mean     float32
	std      float32
	input    Input
	sampler  Sampler
	sampleEv int64

	step     int64
	workers  []*worker
	bar      *barrier
	jobStart int64 // the chunk the workers run next: first step
	jobSteps int   // and its length; 0 tells them to exit
	closed   bool

	probes   []int32   // neurons whose potential is sampled
	probeBuf []float32 // [step in chunk][probe]

	sched sched // parallel or serial chunks, by measured speed

	drugSteps int64 // the drug clock, steps (0: no drugs)
	drugLast  int64 // its last tick: the effects are settled after it

	plastic
}

// New prepares an engine for a culture. The culture's synapses are shared,
// not copied, unless plasticity changes them: do not modify them while the
// engine runs.
func New(c *culture.Culture, cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	n := c.N()
	e := &Engine{
		cfg: cfg, cult: c, n: n,
		Pop: c.Population(cfg.Dt), Syn: synapses.NewState(n, cfg.Synapses, cfg.Dt),
		exc:      c.Excitatory,
		cur:      make([]float32, n),
		driveKey: rng.NewKey(cfg.Seed, rng.Drive),
		mean:     float32(cfg.DriveMean), std: float32(cfg.DriveStd),
	}
	if cfg.Integrator == models.ExponentialEuler {
		e.gtot = make([]float32, n)
	}
	e.initPlasticity()
	// The ring holds the longest delay: the culture's, or for rewiring any
	// distance within the cutoff.
	for _, d := range c.DelayMs {
		e.maxDel = max(e.maxDel, e.delaySteps(float64(d)))
	}
	if cfg.Plasticity.Structural != nil {
		e.maxDel = max(e.maxDel, e.delaySteps(c.Spec.Cutoff/c.Spec.Velocity))
	}
	if e.maxDel > math.MaxUint16 {
		return nil, fmt.Errorf("sim: delays up to %d steps of %g ms, more than %d; raise the conduction velocity or dt", e.maxDel, cfg.Dt, math.MaxUint16)
	}
	slots := e.maxDel + 1
	e.slots = int64(slots)
	if int64(slots)*2*int64(n) >= postClassBit {
		return nil, fmt.Errorf("sim: %d neurons with delays up to %d steps need a delay ring of %d entries, more than 2^31; raise dt or the conduction velocity", n, e.maxDel, int64(slots)*2*int64(n))
	}
	e.ring = make([]float32, slots*2*n)

	w := cfg.Workers
	if w == 0 {
		w = min(runtime.GOMAXPROCS(0), max(1, n/minBlock))
	}
	w = min(w, n)
	e.workers = make([]*worker, w)
	for k := range w {
		// Block boundaries on multiples of 16 neurons (64 bytes of float32):
		// no cache line is written by two workers, and the drive kernel's
		// groups of 16 are whole.
		bound := func(k int) int { return min(n, (k*n/w+15)&^15) }
		e.workers[k] = &worker{e: e, id: k, lo: bound(k), hi: bound(k + 1),
			off: make([]int, 0, chunk+1), buf: make([]int32, 0, max(256, n/50)), faultNeuron: -1}
		if cfg.Plasticity.STP != nil {
			e.workers[k].amp = make([]float32, 0, 2*max(256, n/50))
		}
		if k == 0 {
			e.workers[k].merge = make([]int32, 0, max(256, n/50))
		}
	}
	rowPtr, post, weight, delayMs := c.RowPtr, c.Post, c.Weight, c.DelayMs
	if cfg.Plasticity.ChangesWeights() {
		weight = slices.Clone(weight)
	}
	if cfg.Plasticity.Structural != nil {
		rowPtr, post, delayMs = slices.Clone(rowPtr), slices.Clone(post), slices.Clone(delayMs)
	}
	if err := e.setWiring(rowPtr, post, weight, delayMs); err != nil {
		return nil, err
	}
	if len(cfg.Drugs) > 0 {
		e.drugSteps = max(1, int64(math.Round(drugClockMs/cfg.Dt)))
		settled := int64(math.Ceil(cfg.Drugs.SettledAfter() / cfg.Dt))
		e.drugLast = settled - settled%e.drugSteps + e.drugSteps
		e.applyDrugs(0)
	}
	if w > 1 {
		e.bar = newBarrier(w)
		// Worker 0 runs on the goroutine that calls Run; the others wait
		// at the barrier between chunks.
		for _, wk := range e.workers[1:] {
			go wk.loop()
		}
	}
	return e, nil
}

// Close stops the worker goroutines. The engine cannot run afterwards.
func (e *Engine) Close() {
	if len(e.workers) > 1 && !e.closed {
		e.closed = true
		e.jobSteps = 0
		e.bar.wait() // releases the workers, which see no steps and return
	}
}

// Culture returns the simulated culture.
func (e *Engine) Culture() *culture.Culture { return e.cult }

// Config returns the engine's configuration.
func (e *Engine) Config() Config { return e.cfg }

// Workers returns the number of worker goroutines.
func (e *Engine) Workers() int { return len(e.workers) }

// Step returns the number of steps simulated so far.
func (e *Engine) Step() int64 { return e.step }

// TimeMs returns the simulated time, ms.
func (e *Engine) TimeMs() float64 { return float64(e.step) * e.cfg.Dt }

// MaxDelay returns the longest axonal delay in steps.
func (e *Engine) MaxDelay() int { return e.maxDel }

// SetInput installs the external input (nil removes it). Call it between
// runs, not during one.
func (e *Engine) SetInput(in Input) { e.input = in }

// SetSampler sets (or, with nil, removes) the sampler of synaptic currents;
// call it between runs, not during one.
func (e *Engine) SetSampler(s Sampler) {
	e.sampler, e.sampleEv = s, 0
	if s != nil {
		e.sampleEv = max(1, s.Every())
	}
}

// SetProbes chooses the neurons whose membrane potential is reported to
// ProbeObservers passed to Run.
func (e *Engine) SetProbes(ids []int32) error {
	for _, id := range ids {
		if id < 0 || int(id) >= e.n {
			return fmt.Errorf("sim: probe neuron %d outside [0, %d)", id, e.n)
		}
	}
	e.probes = slices.Clone(ids)
	e.probeBuf = make([]float32, chunk*len(ids))
	for _, w := range e.workers {
		w.probes = w.probes[:0]
		for k, id := range ids {
			if int(id) >= w.lo && int(id) < w.hi {
				w.probes = append(w.probes, int32(k))
			}
		}
	}
	return nil
}

// ProbeObserver receives the sampled membrane potentials of each step.
type ProbeObserver interface {
	// Potentials is called once per step with the potential (mV) of each
	// probed neuron at the start of the step, in SetProbes order.
	Potentials(step int64, v []float32)
}

// Run advances the simulation by steps, calling obs after every chunk of
// steps. It returns ctx.Err() if ctx is cancelled (after finishing the
// current chunk, whose spikes are reported) and a *FaultError if a neuron
// becomes non-finite (spikes are reported up to the step before).
func (e *Engine) Run(ctx context.Context, steps int64, obs ...Observer) error {
	var pobs []ProbeObserver
	for _, o := range obs {
		if p, ok := o.(ProbeObserver); ok {
			pobs = append(pobs, p)
		}
	}
	for steps > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.structSteps > 0 && e.step > 0 && e.step%e.structSteps == 0 && e.step/e.structSteps > e.structTick {
			if err := e.structuralTick(); err != nil {
				return err
			}
		}
		k := min(steps, chunk)
		if e.drugSteps > 0 && e.step <= e.drugLast {
			if e.step%e.drugSteps == 0 {
				e.applyDrugs(e.step)
			}
			k = min(k, e.drugSteps-e.step%e.drugSteps) // a chunk ends at each tick of the drug clock
		}
		if e.structSteps > 0 {
			k = min(k, e.structSteps-e.step%e.structSteps) // a chunk ends at each structural tick
		}
		t0 := e.step
		parallel := true
		if len(e.workers) > 1 {
			var n int
			parallel, n = e.sched.next(int(k))
			k = int64(n)
		}
		switch {
		case len(e.workers) == 1:
			e.workers[0].run(t0, int(k))
		case !parallel:
			start := time.Now()
			e.runSerial(t0, int(k))
			e.sched.done(time.Since(start), int(k))
		default:
			// The barrier publishes the chunk to the other workers, which
			// wait there between chunks; they all meet again at its end.
			start := time.Now()
			e.jobStart, e.jobSteps = t0, int(k)
			e.bar.wait()
			e.workers[0].run(t0, int(k))
			e.bar.wait()
			e.sched.done(time.Since(start), int(k))
		}
		end := t0 + k
		var fault *FaultError
		for _, w := range e.workers {
			if w.faultNeuron >= 0 && (fault == nil || w.faultStep < fault.Step) {
				fault = &FaultError{Neuron: w.faultNeuron, Step: w.faultStep}
			}
			w.faultNeuron = -1
		}
		if fault != nil {
			end = fault.Step
		}
		for t := t0; t < end; t++ {
			k := int(t - t0)
			for _, o := range obs {
				if len(e.workers) == 1 {
					w := e.workers[0]
					o.Spikes(t, w.buf[w.off[k]:w.off[k+1]])
					continue
				}
				e.emitMerged(o, t, k)
			}
			if len(pobs) > 0 {
				v := e.probeBuf[k*len(e.probes) : (k+1)*len(e.probes)]
				for _, p := range pobs {
					p.Potentials(t, v)
				}
			}
		}
		e.step = t0 + k
		if fault != nil {
			fault.Type = e.cult.Types[e.cult.Type[fault.Neuron]].Name
			fault.TimeMs = float64(fault.Step) * e.cfg.Dt
			return fault
		}
		steps -= k
	}
	return nil
}

// drugClockMs is the interval at which drug effects follow their
// concentrations while these change.
const drugClockMs = 10

// applyDrugs sets the receptor and sodium availabilities of the drug clock's
// tick at or before step t (its last tick once they are settled), so that a
// resumed run applies exactly what an uninterrupted one did.
func (e *Engine) applyDrugs(t int64) {
	t = min(t-t%e.drugSteps, e.drugLast)
	av := e.cfg.Drugs.Availability(float64(t) * e.cfg.Dt)
	e.Pop.SetSodium(av[pharmacology.Sodium])
	e.Syn.SetAvailable(av[pharmacology.AMPA], av[pharmacology.NMDA], av[pharmacology.GABAA], av[pharmacology.GABAB])
}

// emitMerged reports step t's spikes, which are spread over the workers'
// buffers in ascending blocks, as one ascending list.
func (e *Engine) emitMerged(o Observer, t int64, k int) {
	var only []int32
	parts := 0
	for _, w := range e.workers {
		if s := w.buf[w.off[k]:w.off[k+1]]; len(s) > 0 {
			only = s
			parts++
		}
	}
	if parts <= 1 {
		o.Spikes(t, only)
		return
	}
	m := e.workers[0].merge[:0]
	for _, w := range e.workers {
		m = append(m, w.buf[w.off[k]:w.off[k+1]]...)
	}
	e.workers[0].merge = m
	o.Spikes(t, m)
}

// DelaysMs returns the delay of every synapse as the engine applies it
// (whole steps), in ms, in the order of Wiring.
func (e *Engine) DelaysMs() []float32 {
	out := make([]float32, len(e.delay))
	for s, d := range e.delay {
		out[s] = float32(float64(d) * e.cfg.Dt)
	}
	return out
}
