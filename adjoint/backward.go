package adjoint

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/surrogate"
)

// SpikeGrad supplies the gradient of a loss with respect to the spikes of a
// window.
type SpikeGrad interface {
	// AddSpikeGrad adds ∂L/∂s_i(t) for every neuron i to ds (length N).
	// Backward calls it once per step, for t = T-1 down to 0.
	AddSpikeGrad(t int, ds []float64)
}

// Grads holds the gradient of a loss with respect to Params, the input and
// the initial state.
type Grads struct {
	W                           []float64 // ∂L/∂W, per synapse
	Scale                       []float64 // ∂L/∂Scale, per population
	NMDAFraction, GABABFraction float64
	// STP holds ∂L/∂U, ∂L/∂TauRec and ∂L/∂TauFac per population (zero
	// without STP; TauFac's is zero where TauFac = 0).
	STP []plasticity.STP
	// Izh holds ∂L/∂a, b, c, d and AdEx ∂L/∂C, GL, EL, VT, DeltaT, A, TauW,
	// B, VReset per population (zero for populations of the other model;
	// computed with Options.NeuronGrads; V_peak, the threshold, has none).
	Izh  []models.Izhikevich
	AdEx []models.AdEx
	// Bias holds ∂L/∂I_i, the gradient of a constant current per neuron;
	// Current ∂L/∂I_i(t) (only when the input had a Current).
	Bias    []float64
	Current []float64
	// Init is the gradient with respect to the initial state, including
	// the pending arrivals.
	Init *State
}

// Norm returns the Euclidean norm of the parameter gradient (W, Scale,
// fractions, STP and neuron parameters; not the input or initial state).
func (g *Grads) Norm() float64 {
	s := 0.0
	add := func(xs ...float64) {
		for _, x := range xs {
			s += x * x
		}
	}
	add(g.W...)
	add(g.Scale...)
	add(g.NMDAFraction, g.GABABFraction)
	for _, p := range g.STP {
		add(p.U, p.TauRec, p.TauFac)
	}
	for _, p := range g.Izh {
		add(p.A, p.B, p.C, p.D)
	}
	for _, p := range g.AdEx {
		add(p.C, p.GL, p.EL, p.VT, p.DeltaT, p.A, p.TauW, p.B, p.VReset)
	}
	return math.Sqrt(s)
}

// Per-neuron accumulators of neuron-parameter gradients.
const (
	nIzhA = iota
	nIzhB
	nIzhC
	nIzhD
)
const (
	nAdC = iota
	nAdGL
	nAdEL
	nAdVT
	nAdDeltaT
	nAdA
	nAdTauW
	nAdB
	nAdVReset
	nAdParams
)

// backState is the adjoint state carried between steps.
type backState struct {
	lv, lr, lx, lu []float64
	lg             [6][]float64
	ds             []float64 // ∂L/∂s of the current step
	// Adjoint ring, two copies of slots × 2N so that reads never wrap:
	// lam holds ∂L/∂E and ∂L/∂H (the arrivals), cof the coefficients of
	// the fraction gradients.
	lam, cof []float64
	// Gradients and per-neuron accumulators.
	gw             []float64 // ∂L/∂ŵ
	fAcc           []float64 // per presynaptic neuron: its part of ∂L/∂f or ∂L/∂f_b
	gU, gRho, gPhi []float64
	nacc           []float64 // N × nAdParams
	bias, cur      []float64
	clip           float64
	detach, smooth bool
	sf             surrogate.Func
}

// ErrNoForward is returned by Backward before a successful Forward.
var ErrNoForward = errors.New("adjoint: Backward before a successful Forward")

// Backward computes the gradient of a loss whose gradient with respect to
// the spikes of the last Forward is gs, by reverse-mode differentiation
// through time (the equations are in the package documentation).
func (w *Window) Backward(gs SpikeGrad) (*Grads, error) {
	if !w.done {
		return nil, ErrNoForward
	}
	n, T := w.n, w.T
	b := &backState{
		lv: make([]float64, n), lr: make([]float64, n), lx: make([]float64, n), lu: make([]float64, n),
		ds:  make([]float64, n),
		lam: make([]float64, 2*len(w.ring)), cof: make([]float64, 2*len(w.ring)),
		gw: make([]float64, len(w.wEff)), fAcc: make([]float64, n),
		bias: make([]float64, n),
		clip: w.opt.ClipAdjoint, detach: w.opt.DetachReset, smooth: w.opt.Smooth, sf: w.opt.Surrogate,
	}
	for k := range b.lg {
		b.lg[k] = make([]float64, n)
	}
	if w.m.STP {
		b.gU, b.gRho, b.gPhi = make([]float64, n), make([]float64, n), make([]float64, n)
	}
	if w.opt.NeuronGrads {
		b.nacc = make([]float64, n*nAdParams)
	}
	if w.in.Current != nil {
		b.cur = make([]float64, T*n)
	}
	nseg := (T + w.seg - 1) / w.seg
	for sg := nseg - 1; sg >= 0; sg-- {
		start, end := sg*w.seg, min(T, (sg+1)*w.seg)
		if w.tapeSeg != sg {
			if err := w.recompute(sg, start, end); err != nil {
				return nil, err
			}
		}
		for t := end - 1; t >= start; t-- {
			clear(b.ds)
			if gs != nil {
				gs.AddSpikeGrad(t, b.ds)
			}
			w.backStep(b, t, t-start)
		}
	}
	return w.reduce(b), nil
}

// recompute reruns segment sg from its checkpoint to fill the tape.
func (w *Window) recompute(sg, start, end int) error {
	w.restore(w.chk[sg], start)
	w.tapeSeg = sg
	for t := start; t < end; t++ {
		if err := w.step(t, t-start, false); err != nil {
			return fmt.Errorf("adjoint: recomputing the forward pass: %w", err)
		}
	}
	return nil
}

// backStep runs the adjoint of step t (tape row row) for every neuron.
func (w *Window) backStep(b *backState, t, row int) {
	if w.workers == 1 {
		w.backRange(b, t, row, 0, w.n)
		return
	}
	var wg sync.WaitGroup
	for k := range w.workers {
		lo, hi := k*w.n/w.workers, (k+1)*w.n/w.workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.backRange(b, t, row, lo, hi)
		}()
	}
	wg.Wait()
}

// backRange is the adjoint of step t for neurons [lo, hi). Neuron i reads
// the adjoint ring at the later steps where its spikes arrive and writes
// its own entries of step t, so neuron ranges are independent.
func (w *Window) backRange(b *backState, t, row, lo, hi int) {
	m := w.m
	n := w.n
	n2 := 2 * n
	dt := w.dtMs
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
	slot := t % w.slots
	base := slot * n2
	g := &w.gain
	var cur []float64
	if b.cur != nil {
		cur = b.cur[t*n : (t+1)*n]
	}
	for i := lo; i < hi; i++ {
		v, vs := tv[i], tvs[i]
		x := vs - w.theta[i]
		s := surrogate.Spike(x)
		if b.smooth {
			s = b.sf.Smooth(x)
		}
		ls := b.ds[i]
		k := m.Pop[i]

		// Transmitted amplitude q = s·A of the step's spike.
		q, A := s, 1.0
		var x0, u0, xt, ut, up float64
		var c *stpConst
		if m.STP {
			c = &w.stp[k]
			x0, u0 = tx[i], tu[i]
			xt = 1 - (1-x0)*c.rho
			ut = u0 * c.phi
			up = ut + s*c.u*(1-ut)
			A = up * xt
			q = s * A
		}
		// Delivery adjoint: λq = Σ_s ŵ_s λE(t + d_s) at the synapse's
		// target; where q != 0 also ∂L/∂ŵ and the fraction coefficients.
		s0, s1 := m.RowPtr[i], m.RowPtr[i+1]
		off, we := w.off[s0:s1], w.wEff[s0:s1]
		lq := 0.0
		if q == 0 {
			for k, o := range off {
				lq += we[k] * b.lam[base+int(o)]
			}
		} else {
			gw := b.gw[s0:s1]
			cq := 0.0
			for k, o := range off {
				l := b.lam[base+int(o)]
				lq += we[k] * l
				gw[k] += q * l
				cq += we[k] * b.cof[base+int(o)]
			}
			b.fAcc[i] += q * cq
		}

		// STP adjoint.
		if m.STP {
			lqt := lq - b.lx[i] // x' = x̃ - q
			ls += lqt * A
			lA := lqt * s
			lup := b.lu[i] + lA*xt
			lxt := b.lx[i] + lA*up
			ls += lup * c.u * (1 - ut)
			lut := lup * (1 - s*c.u)
			b.gU[i] += lup * s * (1 - ut)
			b.gPhi[i] += lut * u0
			b.gRho[i] -= lxt * (1 - x0)
			b.lx[i] = lxt * c.rho
			b.lu[i] = lut * c.phi
		} else {
			ls += lq
		}

		// Reset adjoint: v_{t+1} = v*(1-s) + c s, r_{t+1} = r* + d s.
		lv1, lr1 := b.lv[i], b.lr[i]
		var reset, jump float64
		izh := i < w.nIzh
		if izh {
			reset, jump = w.izh[k].c, w.izh[k].d
		} else {
			reset, jump = w.adex[k].vReset, w.adex[k].b
		}
		lvs := lv1 * (1 - s)
		lrs := lr1
		if !b.detach {
			ls += lv1*(reset-vs) + lr1*jump
		}
		lvs += ls * b.sf.Deriv(x)

		// Neuron adjoint: v* = v + Δ·φ(G dt) (φ = 1 for forward Euler),
		// Δ the forward-Euler step at the old state; lD = ∂L/∂Δ and lGt
		// = ∂L/∂G, which reaches the conductances and, through the Mg2+
		// block, v.
		lD, lGt := lvs, 0.0
		if tg != nil {
			y := tg[i] * dt
			lD = lvs * models.Phi(y)
			lGt = lvs * tdel[i] * models.PhiDeriv(y) * dt
		}
		var lv, lr, lI float64
		if izh {
			q := &w.izh[k]
			lv = lvs + lD*dt*(0.08*v+5) + lrs*q.adt*q.b
			lr = -lD*dt + lrs*(1-q.adt)
			lI = lD * dt
			if b.nacc != nil {
				a := b.nacc[i*nAdParams:]
				a[nIzhA] += lrs * dt * (q.b*v - tr[i])
				a[nIzhB] += lrs * q.adt * v
				a[nIzhC] += lv1 * s
				a[nIzhD] += lr1 * s
			}
		} else {
			q := &w.adex[k]
			arg := (v - q.vT) * q.invDeltaT
			capped := arg >= AdExCap
			e := math.Exp(min(arg, AdExCap))
			slope := e
			if capped {
				slope = 0
			}
			lv = lvs + lD*q.dtOverC*(q.gL*slope-q.gL) + lrs*q.dtOverTau*q.a
			lr = -lD*q.dtOverC + lrs*(1-q.dtOverTau)
			lI = lD * dt
			if b.nacc != nil {
				a := b.nacc[i*nAdParams:]
				r := tr[i]
				F := q.gLDeltaT*e - q.gL*(v-q.eL) - r
				a[nAdC] -= lD * q.dtOverC * F / q.c
				a[nAdGL] += lD * q.dtOverC * (q.deltaT*e - (v - q.eL))
				a[nAdEL] += lD*q.dtOverC*q.gL - lrs*q.dtOverTau*q.a
				if capped {
					a[nAdDeltaT] += lD * q.dtOverC * q.gL * e
				} else {
					a[nAdVT] -= lD * q.dtOverC * q.gL * e
					a[nAdDeltaT] += lD * q.dtOverC * q.gL * e * (1 - arg)
				}
				a[nAdA] += lrs * q.dtOverTau * (v - q.eL)
				a[nAdTauW] -= lrs * q.dtOverTau / q.tauW * (q.a*(v-q.eL) - r)
				a[nAdB] += lr1 * s
				a[nAdVReset] += lv1 * s
			}
		}
		b.bias[i] += lI
		if cur != nil {
			cur[i] = lI
		}

		// Synaptic current adjoint: I = Σ_r g_r m_r(v) (E_r - v), and
		// G = Σ_r g_r m_r(v).
		lv += lI * tkap[i]
		if tg != nil {
			lv += lGt * tdg[i]
		}
		B := 1 / (1 + w.mgK*math.Exp(-MgSlope*v))
		cN := lI*B*(w.eN-v) + lGt*B
		cB := lI*(w.eB-v) + lGt
		lA := b.lg[0][i] + lI*(w.eA-v) + lGt
		lnR := b.lg[1][i] - cN
		lnD := b.lg[2][i] + cN
		lG := b.lg[3][i] + lI*(w.eG-v) + lGt
		lbR := b.lg[4][i] - cB
		lbD := b.lg[5][i] + cB
		// Arrival adjoints and fraction coefficients of step t.
		lE := g[0]*lA + g[1]*lnR + g[2]*lnD
		lH := g[3]*lG + g[4]*lbR + g[5]*lbD
		nr, br := lnR, lbR
		if !w.dualN {
			nr = 0
		}
		if !w.dualB {
			br = 0
		}
		cE := -lA + w.normN*(nr+lnD)
		cH := -lG + w.normB*(br+lbD)
		for _, at := range [2]int{base, base + len(w.ring)} {
			b.lam[at+i], b.lam[at+n+i] = lE, lH
			b.cof[at+i], b.cof[at+n+i] = cE, cH
		}
		d := &w.dec
		b.lg[0][i], b.lg[1][i], b.lg[2][i] = d[0]*lA, d[1]*lnR, d[2]*lnD
		b.lg[3][i], b.lg[4][i], b.lg[5][i] = d[3]*lG, d[4]*lbR, d[5]*lbD
		if c := b.clip; c > 0 {
			lv = max(-c, min(c, lv))
			lr = max(-c, min(c, lr))
		}
		b.lv[i], b.lr[i] = lv, lr
	}
}

// reduce sums the per-neuron and per-synapse accumulators into Grads, in a
// fixed order.
func (w *Window) reduce(b *backState) *Grads {
	m, p, n := w.m, w.p, w.n
	np := len(p.Types)
	g := &Grads{
		W: make([]float64, len(p.W)), Scale: make([]float64, np),
		STP: make([]plasticity.STP, np), Izh: make([]models.Izhikevich, np), AdEx: make([]models.AdEx, np),
		Bias: b.bias, Current: b.cur,
	}
	for j := range n {
		k := m.Pop[j]
		sc := p.Scale[k]
		for s := m.RowPtr[j]; s < m.RowPtr[j+1]; s++ {
			g.W[s] = b.gw[s] * sc
			g.Scale[k] += p.W[s] * b.gw[s]
		}
		if m.Excitatory[j] {
			g.NMDAFraction += b.fAcc[j]
		} else {
			g.GABABFraction += b.fAcc[j]
		}
	}
	// Pending arrivals (state before the window): their adjoint is the
	// ring at steps 0, 1, ...
	init := newState(n)
	init.Step = w.s0.Step
	init.V, init.R, init.X, init.U = b.lv, b.lr, b.lx, b.lu
	init.AMPA, init.NMDARise, init.NMDADecay = b.lg[0], b.lg[1], b.lg[2]
	init.GABAA, init.GABABRise, init.GABABDecay = b.lg[3], b.lg[4], b.lg[5]
	n2 := 2 * n
	for k, pend := range w.s0.Pending {
		at := (k % w.slots) * n2
		lam := append([]float64(nil), b.lam[at:at+n2]...)
		if k >= w.T {
			clear(lam)
		}
		init.Pending = append(init.Pending, lam)
		if k >= w.T {
			continue
		}
		for i := range n {
			g.NMDAFraction += pend[i] * b.cof[at+i]
			g.GABABFraction += pend[n+i] * b.cof[at+n+i]
		}
	}
	g.Init = init
	if m.STP {
		dt := m.Dt
		// Sums of ∂L/∂ρ and ∂L/∂φ, then dρ/dτ_rec = ρ dt/τ_rec² and
		// dφ/dτ_fac = φ dt/τ_fac².
		for i, k := range m.Pop {
			g.STP[k].U += b.gU[i]
			g.STP[k].TauRec += b.gRho[i]
			g.STP[k].TauFac += b.gPhi[i]
		}
		for k, s := range p.STP {
			c := &w.stp[k]
			g.STP[k].TauRec *= c.rho * dt / (s.TauRec * s.TauRec)
			if s.TauFac > 0 {
				g.STP[k].TauFac *= c.phi * dt / (s.TauFac * s.TauFac)
			} else {
				g.STP[k].TauFac = 0
			}
		}
	}
	if b.nacc != nil {
		for i, k := range m.Pop {
			a := b.nacc[i*nAdParams : (i+1)*nAdParams]
			if i < w.nIzh {
				z := &g.Izh[k]
				z.A += a[nIzhA]
				z.B += a[nIzhB]
				z.C += a[nIzhC]
				z.D += a[nIzhD]
				continue
			}
			z := &g.AdEx[k]
			z.C += a[nAdC]
			z.GL += a[nAdGL]
			z.EL += a[nAdEL]
			z.VT += a[nAdVT]
			z.DeltaT += a[nAdDeltaT]
			z.A += a[nAdA]
			z.TauW += a[nAdTauW]
			z.B += a[nAdB]
			z.VReset += a[nAdVReset]
		}
	}
	return g
}
