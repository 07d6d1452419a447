package adjoint

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/bl1-go/bl1/internal/kernel"
	"github.com/bl1-go/bl1/internal/rng"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/surrogate"
)

// Constants of the Mg2+ block B(v) = 1 / (1 + [Mg2+]/MgHalf · e^(-MgSlope·v))
// (Jahr & Stevens 1990, J Neurosci 10:3178, eq. 4 with the constants of
// their Fig. 8), as in package synapses.
const (
	MgSlope = 0.062 // 1/mV
	MgHalf  = 3.57  // mM
)

// IzhikevichPeak is the spike threshold of Izhikevich neurons, mV.
const IzhikevichPeak = models.IzhikevichPeak

// AdExCap caps the argument of the AdEx exponential, as the engine does
// (package models).
const AdExCap = 20

// Options configure a Window.
type Options struct {
	// Surrogate is the spike function's surrogate derivative; the zero
	// value is SuperSpike with β = 10.
	Surrogate surrogate.Func
	// Smooth makes the forward pass use the smooth spike S(v - θ) of the
	// surrogate instead of the step (and the reset a mixture): the model
	// is then differentiable and the adjoint its exact gradient.
	Smooth bool
	// DetachReset drops the gradient through a spike's effect on its own
	// neuron (the reset of v and the jump of u or w): the reset is treated
	// as a constant in the backward pass (Zenke & Vogels 2021, Neural
	// Comput 33:899, doi:10.1162/neco_a_01367).
	DetachReset bool
	// Checkpoint is the number of steps between checkpoints: the forward
	// pass keeps the state every Checkpoint steps and the backward pass
	// recomputes one segment at a time, so memory grows with Checkpoint
	// instead of the window length. 0 keeps the whole window.
	Checkpoint int
	// ClipAdjoint, when > 0, clamps the adjoints of v and of the recovery
	// variable to [-ClipAdjoint, ClipAdjoint] at every step of the backward
	// pass, a biased but stabilising truncation of exploding gradients.
	ClipAdjoint float64
	// NeuronGrads also computes the gradients of the neuron parameters.
	NeuronGrads bool
	// Workers is the number of goroutines; 0 chooses from the core count
	// and the network size. Results do not depend on it.
	Workers int
}

// Input is the external current injected into the neurons during a window,
// per unit capacitance (mV/ms), on top of the synaptic current and the
// drive.
type Input struct {
	Bias    []float64 // per neuron, every step; nil for none
	Current []float64 // per step and neuron, Current[t*N+i]; nil for none
}

// Record holds the spikes of a window.
type Record struct {
	T, N int
	// The spikes of step t are IDs[Off[t]:Off[t+1]] (ascending) with values
	// Vals[Off[t]:Off[t+1]]: 1, or with smooth spikes S(v - θ) for every
	// neuron where it is not 0.
	Off  []int
	IDs  []int32
	Vals []float64
}

// Step returns the spikes of step t.
func (r *Record) Step(t int) (ids []int32, vals []float64) {
	return r.IDs[r.Off[t]:r.Off[t+1]], r.Vals[r.Off[t]:r.Off[t+1]]
}

// Counts returns the summed spike values of each neuron.
func (r *Record) Counts() []float64 {
	c := make([]float64, r.N)
	for k, id := range r.IDs {
		c[id] += r.Vals[k]
	}
	return c
}

// Dense returns the spikes as a T×N row-major matrix.
func (r *Record) Dense() []float64 {
	d := make([]float64, r.T*r.N)
	for t := range r.T {
		ids, vals := r.Step(t)
		for k, id := range ids {
			d[t*r.N+int(id)] = vals[k]
		}
	}
	return d
}

// FaultError reports a neuron whose state became NaN or infinite.
type FaultError struct {
	Neuron int
	Step   int // step of the window
}

func (e *FaultError) Error() string {
	return fmt.Sprintf("adjoint: neuron %d became non-finite at step %d of the window; the parameters or the input are too strong for dt", e.Neuron, e.Step)
}

// Window runs a model forward over T steps and its adjoint backward. Call
// Forward, then Backward; the parameters, initial state and input given to
// Forward must not change until Backward returns. A Window holds its
// buffers between calls and is not safe for concurrent use.
type Window struct {
	m   *Model
	T   int
	opt Options

	n, nIzh, maxDel, slots, seg int
	workers                     int

	// Synapse s of neuron j lands at ring index slotBase + off[s]:
	// off[s] = delay·2N + plane·N + post (plane 0 excitatory, 1 inhibitory).
	off []int32

	// Receptor constants.
	dec                       [6]float64 // decay per step: AMPA, NMDA rise, NMDA decay, GABA_A, GABA_B rise, GABA_B decay
	normN, normB              float64    // peak normalisations
	dualN, dualB              bool
	eA, eN, eG, eB, mgK, dtMs float64

	// Per forward pass.
	p     *Params
	s0    *State
	in    Input
	wEff  []float64 // ŵ = W · Scale[pop(pre)]
	gain  [6]float64
	izh   []izhConst  // per population
	adex  []adexConst // per population
	stp   []stpConst  // per population
	theta []float64   // spike threshold per neuron

	st    *State    // working state
	ring  []float64 // slots × 2N: arrivals
	noise []float32 // ξ of one step (N)
	chk   []*State  // checkpoints at the start of each segment (Pending holds the ring)

	// Tape of one segment, [row][neuron]: v and v* (before reset), ∂I/∂v,
	// the STP state before the step, and the recovery variable (for
	// neuron parameter gradients); with exponential Euler also the total
	// conductance G, ∂G/∂v and the forward-Euler step Δ.
	tv, tvs, tkap, tx, tu, tr []float64
	tg, tdg, tdel             []float64

	rec     *Record
	done    bool // Forward ran
	tapeSeg int  // the segment whose steps the tape holds
	spikes  [][]spike
	bufs    [][]int32
}

type spike struct {
	id  int32
	val float64 // spike value s
	q   float64 // transmitted amplitude s·A
}

type izhConst struct{ adt, b, c, d float64 }

type adexConst struct {
	c, gL, eL, vT, deltaT, a, tauW, b, vReset, vPeak float64
	dtOverC, gLDeltaT, invDeltaT, dtOverTau          float64
}

type stpConst struct{ u, rho, phi float64 }

// NewWindow prepares a window of T steps of model m.
func NewWindow(m *Model, T int, opt Options) (*Window, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if T < 1 {
		return nil, fmt.Errorf("adjoint: window of %d steps, need at least 1", T)
	}
	if opt.Surrogate == (surrogate.Func{}) {
		opt.Surrogate = surrogate.New(surrogate.SuperSpike)
	}
	if err := opt.Surrogate.Validate(); err != nil {
		return nil, fmt.Errorf("adjoint: %w", err)
	}
	if opt.Checkpoint < 0 || !(opt.ClipAdjoint >= 0) || opt.Workers < 0 {
		return nil, fmt.Errorf("adjoint: checkpoint %d, clip %g and workers %d must be >= 0", opt.Checkpoint, opt.ClipAdjoint, opt.Workers)
	}
	n := m.N()
	w := &Window{m: m, T: T, opt: opt, n: n, nIzh: m.NIzh, maxDel: m.MaxDelay()}
	w.slots = w.maxDel + 1
	if int64(w.slots)*2*int64(n) >= math.MaxInt32 {
		return nil, fmt.Errorf("adjoint: %d neurons with delays up to %d steps need a ring of %d entries, more than 2^31", n, w.maxDel, int64(w.slots)*2*int64(n))
	}
	w.seg = opt.Checkpoint
	if w.seg == 0 || w.seg > T {
		w.seg = T
	}
	w.workers = opt.Workers
	if w.workers == 0 {
		w.workers = min(runtime.GOMAXPROCS(0), max(1, n/2048))
	}
	w.workers = min(w.workers, n)
	w.off = make([]int32, len(m.Post))
	for j := range n {
		plane := int32(n)
		if m.Excitatory[j] {
			plane = 0
		}
		for s := m.RowPtr[j]; s < m.RowPtr[j+1]; s++ {
			w.off[s] = m.Delay[s]*2*int32(n) + plane + m.Post[s]
		}
	}
	sp := m.Synapses
	dec := func(tau float64) float64 { return math.Exp(-m.Dt / tau) }
	w.dec[0], w.dec[2], w.dec[3], w.dec[5] = dec(sp.AMPA.TauDecay), dec(sp.NMDA.TauDecay), dec(sp.GABAA.TauDecay), dec(sp.GABAB.TauDecay)
	w.dualN, w.dualB = sp.NMDA.Dual(), sp.GABAB.Dual()
	if w.dualN {
		w.dec[1] = dec(sp.NMDA.TauRise)
	}
	if w.dualB {
		w.dec[4] = dec(sp.GABAB.TauRise)
	}
	w.normN, w.normB = sp.NMDA.Norm(), sp.GABAB.Norm()
	w.eA, w.eN, w.eG, w.eB = sp.AMPA.ERev, sp.NMDA.ERev, sp.GABAA.ERev, sp.GABAB.ERev
	w.mgK = sp.Mg / MgHalf
	w.dtMs = m.Dt
	w.ring = make([]float64, w.slots*2*n)
	w.noise = make([]float32, n)
	w.theta = make([]float64, n)
	rows := w.seg * n
	w.tv, w.tvs, w.tkap = make([]float64, rows), make([]float64, rows), make([]float64, rows)
	if m.STP {
		w.tx, w.tu = make([]float64, rows), make([]float64, rows)
	}
	if opt.NeuronGrads {
		w.tr = make([]float64, rows)
	}
	if m.Integrator == models.ExponentialEuler {
		w.tg, w.tdg, w.tdel = make([]float64, rows), make([]float64, rows), make([]float64, rows)
	}
	w.spikes = make([][]spike, w.workers)
	w.bufs = make([][]int32, w.workers)
	return w, nil
}

// TapeBytes returns the memory of the tape: the per-step values kept for
// the backward pass (one segment with checkpointing).
func (w *Window) TapeBytes() int64 {
	return 8 * int64(len(w.tv)+len(w.tvs)+len(w.tkap)+len(w.tx)+len(w.tu)+len(w.tr)+len(w.tg)+len(w.tdg)+len(w.tdel))
}

// CheckpointBytes returns the memory of the checkpoints of the last
// forward pass.
func (w *Window) CheckpointBytes() int64 {
	b := int64(0)
	for _, c := range w.chk {
		b += 8 * int64(10*len(c.V))
		for _, p := range c.Pending {
			b += 8 * int64(len(p))
		}
	}
	return b
}

// Model returns the window's model.
func (w *Window) Model() *Model { return w.m }

// Len returns the number of steps.
func (w *Window) Len() int { return w.T }

// Options returns the window's options (with defaults filled in).
func (w *Window) Options() Options { return w.opt }

// Gains returns the arrival gains of the six receptor state variables for
// fractions f (NMDA) and fb (GABA_B): AMPA 1 - f, NMDA rise and decay
// f·N_NMDA (rise 0 for a single exponential), GABA_A 1 - fb, GABA_B rise
// and decay fb·N_GABAB.
func (w *Window) gains(f, fb float64) [6]float64 {
	var g [6]float64
	g[0], g[2] = 1-f, f*w.normN
	g[3], g[5] = 1-fb, fb*w.normB
	if w.dualN {
		g[1] = g[2]
	}
	if w.dualB {
		g[4] = g[5]
	}
	return g
}

// prepare derives the per-pass constants from the parameters.
func (w *Window) prepare(p *Params) {
	m := w.m
	if len(w.wEff) != len(p.W) {
		w.wEff = make([]float64, len(p.W))
	}
	for j := range w.n {
		sc := p.Scale[m.Pop[j]]
		for s := m.RowPtr[j]; s < m.RowPtr[j+1]; s++ {
			w.wEff[s] = p.W[s] * sc
		}
	}
	w.gain = w.gains(p.NMDAFraction, p.GABABFraction)
	np := len(p.Types)
	w.izh, w.adex, w.stp = make([]izhConst, np), make([]adexConst, np), make([]stpConst, np)
	dt := m.Dt
	for k, t := range p.Types {
		q := t.Izhikevich
		w.izh[k] = izhConst{adt: q.A * dt, b: q.B, c: q.C, d: q.D}
		a := t.AdEx
		w.adex[k] = adexConst{c: a.C, gL: a.GL, eL: a.EL, vT: a.VT, deltaT: a.DeltaT, a: a.A, tauW: a.TauW, b: a.B,
			vReset: a.VReset, vPeak: a.VPeak, dtOverC: dt / a.C, gLDeltaT: a.GL * a.DeltaT, invDeltaT: 1 / a.DeltaT, dtOverTau: dt / a.TauW}
		if m.STP {
			s := p.STP[k]
			c := stpConst{u: s.U, rho: math.Exp(-dt / s.TauRec)}
			if s.TauFac > 0 {
				c.phi = math.Exp(-dt / s.TauFac)
			}
			w.stp[k] = c
		}
	}
	for i, k := range m.Pop {
		if i < w.nIzh {
			w.theta[i] = IzhikevichPeak
		} else {
			w.theta[i] = w.adex[k].vPeak
		}
	}
}

// Forward runs the window from state s0 with parameters p and input in,
// and returns the spikes and the final state. It keeps what Backward
// needs.
func (w *Window) Forward(p *Params, s0 *State, in Input) (*Record, *State, error) {
	m, n := w.m, w.n
	if err := p.Validate(m); err != nil {
		return nil, nil, err
	}
	if err := s0.check(m); err != nil {
		return nil, nil, err
	}
	if in.Bias != nil && len(in.Bias) != n {
		return nil, nil, fmt.Errorf("adjoint: input bias of length %d for %d neurons", len(in.Bias), n)
	}
	if in.Current != nil && len(in.Current) != w.T*n {
		return nil, nil, fmt.Errorf("adjoint: input current of length %d, want T·N = %d·%d", len(in.Current), w.T, n)
	}
	w.p, w.s0, w.in, w.done = p, s0, in, false
	w.prepare(p)
	w.st = s0.Clone()
	w.loadRing(s0.Pending)
	w.rec = &Record{T: w.T, N: n, Off: make([]int, 1, w.T+1)}
	w.chk = w.chk[:0]
	for t := 0; t < w.T; t++ {
		if t%w.seg == 0 && w.seg < w.T {
			w.chk = append(w.chk, w.snapshot(t))
		}
		if err := w.step(t, t%w.seg, true); err != nil {
			return nil, nil, err
		}
	}
	final := w.snapshot(w.T)
	w.done, w.tapeSeg = true, (w.T-1)/w.seg
	return w.rec, final, nil
}

// loadRing zeroes the arrival ring and puts pending arrivals into the
// slots of steps 0, 1, ...
func (w *Window) loadRing(pending [][]float64) {
	clear(w.ring)
	for k, p := range pending {
		copy(w.ring[k*2*w.n:(k+1)*2*w.n], p)
	}
}

// snapshot copies the working state at (window) step t, with the pending
// arrivals of the ring.
func (w *Window) snapshot(t int) *State {
	s := w.st.Clone()
	s.Step = w.s0.Step + int64(t)
	s.Pending = nil
	n2 := 2 * w.n
	last := -1
	for k := range w.maxDel {
		slot := (t + k) % w.slots
		for _, x := range w.ring[slot*n2 : (slot+1)*n2] {
			if x != 0 {
				last = k
				break
			}
		}
	}
	for k := 0; k <= last; k++ {
		slot := (t + k) % w.slots
		s.Pending = append(s.Pending, append([]float64(nil), w.ring[slot*n2:(slot+1)*n2]...))
	}
	return s
}

// restore loads a checkpoint taken at step t.
func (w *Window) restore(c *State, t int) {
	w.st = c.Clone()
	clear(w.ring)
	n2 := 2 * w.n
	for k, p := range c.Pending {
		slot := (t + k) % w.slots
		copy(w.ring[slot*n2:(slot+1)*n2], p)
	}
}

// DriveRealization returns the background current of T steps from
// absolute step step0, Mean + Std·ξ per step and neuron (T×N, step-major),
// exactly as the forward pass adds it.
func DriveRealization(m *Model, step0 int64, T int) []float64 {
	n := m.N()
	out := make([]float64, T*n)
	noise := make([]float32, n)
	for t := range T {
		drive(m, step0+int64(t), noise)
		for i, x := range noise {
			out[t*n+i] = m.Drive.Mean + m.Drive.Std*float64(x)
		}
	}
	return out
}

// drive writes the standard normal deviates ξ of the engine's drive
// stream (package sim) at absolute step step into noise.
func drive(m *Model, step int64, noise []float32) {
	clear(noise)
	key := rng.NewKey(m.Drive.Seed, rng.Drive).Sub(uint64(step))
	kernel.Drive(noise, 0, key, 0, 1)
}

// step advances the working state by step t, writing tape row row. With
// record set it appends the spikes to the record.
func (w *Window) step(t, row int, record bool) error {
	n := w.n
	if w.m.Drive.Std != 0 {
		drive(w.m, w.s0.Step+int64(t), w.noise)
	}
	slot := t % w.slots
	bad := -1
	if w.workers == 1 {
		w.spikes[0], bad = w.update(t, row, slot, 0, n, w.spikes[0][:0])
	} else {
		var wg sync.WaitGroup
		bads := make([]int, w.workers)
		for k := range w.workers {
			lo, hi := k*n/w.workers, (k+1)*n/w.workers
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.spikes[k], bads[k] = w.update(t, row, slot, lo, hi, w.spikes[k][:0])
			}()
		}
		wg.Wait()
		for _, b := range bads {
			if b >= 0 {
				bad = b
				break
			}
		}
	}
	if bad >= 0 {
		return &FaultError{Neuron: bad, Step: t}
	}
	// Delivery, in order of presynaptic neuron.
	n2 := 2 * n
	size := len(w.ring)
	base := slot * n2
	for _, sp := range w.spikes {
		for _, e := range sp {
			if record {
				w.rec.IDs = append(w.rec.IDs, e.id)
				w.rec.Vals = append(w.rec.Vals, e.val)
			}
			if e.q == 0 {
				continue
			}
			j := e.id
			s0, s1 := w.m.RowPtr[j], w.m.RowPtr[j+1]
			off, we := w.off[s0:s1], w.wEff[s0:s1]
			for k, o := range off {
				x := base + int(o)
				if x >= size {
					x -= size
				}
				w.ring[x] += we[k] * e.q
			}
		}
	}
	if record {
		w.rec.Off = append(w.rec.Off, len(w.rec.IDs))
	}
	return nil
}

// update computes phases 1-3 and the STP update of step t for neurons
// [lo, hi), appends the neurons with a non-zero spike and returns the
// first non-finite neuron or -1.
func (w *Window) update(t, row, slot, lo, hi int, out []spike) ([]spike, int) {
	n := w.n
	st, m := w.st, w.m
	exc := w.ring[slot*2*n : slot*2*n+n]
	inh := w.ring[slot*2*n+n : (slot+1)*2*n]
	d, g := &w.dec, &w.gain
	dt := w.dtMs
	mean, std := m.Drive.Mean, m.Drive.Std
	bias := w.in.Bias
	var cur []float64
	if w.in.Current != nil {
		cur = w.in.Current[t*n : (t+1)*n]
	}
	tb := row * n
	tv, tvs, tkap := w.tv[tb:tb+n], w.tvs[tb:tb+n], w.tkap[tb:tb+n]
	var tx, tu, tr []float64
	if m.STP {
		tx, tu = w.tx[tb:tb+n], w.tu[tb:tb+n]
	}
	if w.tr != nil {
		tr = w.tr[tb : tb+n]
	}
	var tg, tdg, tdel []float64
	if w.tg != nil {
		tg, tdg, tdel = w.tg[tb:tb+n], w.tdg[tb:tb+n], w.tdel[tb:tb+n]
	}
	smooth, sf := w.opt.Smooth, w.opt.Surrogate
	bad := -1
	for i := lo; i < hi; i++ {
		e, h := exc[i], inh[i]
		exc[i], inh[i] = 0, 0
		// 1. Receptors: exact decay, then this step's arrivals.
		gA := d[0]*st.AMPA[i] + g[0]*e
		nR := d[1]*st.NMDARise[i] + g[1]*e
		nD := d[2]*st.NMDADecay[i] + g[2]*e
		gG := d[3]*st.GABAA[i] + g[3]*h
		bR := d[4]*st.GABABRise[i] + g[4]*h
		bD := d[5]*st.GABABDecay[i] + g[5]*h
		st.AMPA[i], st.NMDARise[i], st.NMDADecay[i] = gA, nR, nD
		st.GABAA[i], st.GABABRise[i], st.GABABDecay[i] = gG, bR, bD
		// 2. Current at the old potential.
		v := st.V[i]
		r := st.R[i]
		gN, gB := nD-nR, bD-bR
		B := 1 / (1 + w.mgK*math.Exp(-MgSlope*v))
		I := gA*(w.eA-v) + gG*(w.eG-v) + gB*(w.eB-v) + gN*B*(w.eN-v)
		kap := -gA - gG - gB + gN*(MgSlope*B*(1-B)*(w.eN-v)-B)
		I += mean + std*float64(w.noise[i])
		if bias != nil {
			I += bias[i]
		}
		if cur != nil {
			I += cur[i]
		}
		// 3. Neuron: the forward-Euler step Δ, both derivatives at the
		// old state, times φ(G dt) with exponential Euler.
		k := m.Pop[i]
		var delta, rs, reset, jump float64
		if i < w.nIzh {
			q := &w.izh[k]
			delta = dt * ((((0.04*v+5)*v + 140) - r) + I)
			rs = r + q.adt*(q.b*v-r)
			reset, jump = q.c, q.d
		} else {
			q := &w.adex[k]
			arg := min((v-q.vT)*q.invDeltaT, AdExCap)
			delta = q.dtOverC*(q.gLDeltaT*math.Exp(arg)-q.gL*(v-q.eL)-r) + dt*I
			rs = r + q.dtOverTau*(q.a*(v-q.eL)-r)
			reset, jump = q.vReset, q.b
		}
		vs := v + delta
		if tg != nil {
			gt := gA + gG + gB + gN*B
			vs = v + delta*models.Phi(gt*dt)
			tg[i], tdg[i], tdel[i] = gt, gN*MgSlope*B*(1-B), delta
		}
		if (vs-vs != 0 || rs-rs != 0) && bad < 0 {
			bad = i
		}
		x := vs - w.theta[i]
		s := surrogate.Spike(x)
		if smooth {
			s = sf.Smooth(x)
		}
		tv[i], tvs[i], tkap[i] = v, vs, kap
		if tr != nil {
			tr[i] = r
		}
		st.V[i] = vs*(1-s) + reset*s
		st.R[i] = rs + jump*s
		// STP of neuron i's outgoing synapses: recovery, then the spike.
		q := s
		if m.STP {
			c := &w.stp[k]
			x0, u0 := st.X[i], st.U[i]
			tx[i], tu[i] = x0, u0
			xt := 1 - (1-x0)*c.rho
			ut := u0 * c.phi
			up := ut + s*c.u*(1-ut)
			q = s * (up * xt)
			st.X[i] = xt - q
			st.U[i] = up
		}
		if s != 0 {
			out = append(out, spike{id: int32(i), val: s, q: q})
		}
	}
	return out, bad
}
