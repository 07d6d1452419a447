package models

import (
	"github.com/bl1-go/bl1/internal/fastmath"
	"github.com/bl1-go/bl1/internal/kernel"
)

// Population is the state of N neurons in structure-of-arrays form, in
// float32: Izhikevich neurons at indices [0, NIzh), AdEx neurons at
// [NIzh, N). Parameters are per neuron.
type Population struct {
	V []float32 // membrane potential, mV
	R []float32 // recovery: u (mV/ms) for Izhikevich neurons, w (pA) for AdEx

	NIzh int
	dt   float32

	// Izhikevich parameters, length NIzh; a and b premultiplied: adt = a·dt.
	izhADt, izhB, izhC, izhD []float32
	izhRest                  []float32 // resting potential, mV (SodiumBlock)
	// AdEx constants, length N - NIzh.
	adex []adex32

	na float32 // unblocked fraction of the sodium channels (SetSodium)
}

// adex32 holds an AdEx neuron's parameters folded with dt for the kernel.
type adex32 struct {
	dtOverC   float32 // dt / C, ms/pF
	gL, eL    float32 // nS, mV
	gLDeltaT  float32 // g_L Δ_T, nS·mV = pA
	vT        float32 // mV
	invDeltaT float32 // 1/mV
	a         float32 // nS
	dtOverTau float32 // dt / τ_w
	b         float32 // pA
	vReset    float32 // mV
	vPeak     float32 // mV
	dt        float32 // ms
}

const (
	badLength = "models: slice length does not match the population"
	badIndex  = "models: neuron index outside its model's range"
)

// NewPopulation returns a population of n neurons whose first nIzh are
// Izhikevich neurons, integrated with step dt (ms). Parameters must be set
// with SetIzhikevich and SetAdEx before stepping.
func NewPopulation(n, nIzh int, dt float64) *Population {
	if nIzh < 0 || nIzh > n {
		panic("models: nIzh outside [0, n]")
	}
	return &Population{
		V: make([]float32, n), R: make([]float32, n),
		NIzh: nIzh, dt: float32(dt),
		izhADt: make([]float32, nIzh), izhB: make([]float32, nIzh),
		izhC: make([]float32, nIzh), izhD: make([]float32, nIzh), izhRest: make([]float32, nIzh),
		adex: make([]adex32, n-nIzh), na: 1,
	}
}

// Len returns the number of neurons.
func (p *Population) Len() int { return len(p.V) }

// Dt returns the integration step in ms.
func (p *Population) Dt() float64 { return float64(p.dt) }

// SetIzhikevich sets the parameters of Izhikevich neuron i and puts it at
// rest.
func (p *Population) SetIzhikevich(i int, q Izhikevich) {
	if i < 0 || i >= p.NIzh {
		panic(badIndex)
	}
	p.izhADt[i] = float32(q.A) * p.dt
	p.izhB[i] = float32(q.B)
	p.izhC[i] = float32(q.C)
	p.izhD[i] = float32(q.D)
	p.izhRest[i] = float32(q.RestingPotential())
	v, u := q.Rest()
	p.V[i], p.R[i] = float32(v), float32(u)
}

// SetAdEx sets the parameters of AdEx neuron i and puts it at rest.
func (p *Population) SetAdEx(i int, q AdEx) {
	if i < p.NIzh || i >= len(p.V) {
		panic(badIndex)
	}
	dt := float64(p.dt)
	p.adex[i-p.NIzh] = adex32{
		dtOverC: float32(dt / q.C), gL: float32(q.GL), eL: float32(q.EL),
		gLDeltaT: float32(q.GL * q.DeltaT), vT: float32(q.VT), invDeltaT: float32(1 / q.DeltaT),
		a: float32(q.A), dtOverTau: float32(dt / q.TauW), b: float32(q.B),
		vReset: float32(q.VReset), vPeak: float32(q.VPeak), dt: p.dt,
	}
	v, w := q.Rest()
	p.V[i], p.R[i] = float32(v), float32(w)
}

// Capacitance returns the membrane capacitance of neuron i in pF (1 for
// Izhikevich neurons, whose equation is per unit capacitance).
func (p *Population) Capacitance(i int) float64 {
	if i < p.NIzh {
		return 1
	}
	a := p.adex[i-p.NIzh]
	return float64(a.dt) / float64(a.dtOverC)
}

// SetSodium sets the unblocked fraction s in [0, 1] of every neuron's
// sodium channels (1 by default; see SodiumBlock in the package doc).
func (p *Population) SetSodium(s float64) { p.na = float32(min(max(s, 0), 1)) }

// Sodium returns the unblocked fraction of the sodium channels.
func (p *Population) Sodium() float64 { return float64(p.na) }

// Step advances neurons [lo, hi) by one step under the input currents I
// (indexed like V, per unit capacitance, mV/ms). With G nil the step is
// forward Euler. Otherwise G holds each neuron's total synaptic conductance
// (indexed like V, per unit capacitance, 1/ms: I's slope in v is -G) and
// the step is exponential Euler in it (package doc); Step overwrites
// G[lo:hi] with the factors φ(G dt). It appends the indices of neurons that
// spiked to spikes and returns it, with the index of the first neuron whose
// state became non-finite (or -1); the state is tested before a spike's
// reset, so an infinite input is reported too.
func (p *Population) Step(lo, hi int, I, G []float32, spikes []int32) ([]int32, int) {
	if len(I) != len(p.V) || (G != nil && len(G) != len(p.V)) {
		panic(badLength)
	}
	var phi []float32
	if G != nil {
		phi = G[lo:hi]
		kernel.Phi(phi, p.dt)
	}
	bad := -1
	if m := min(hi, p.NIzh); lo < m {
		if p.na < 1 {
			p.blockIzhikevich(lo, m, I)
		}
		var ph []float32
		if phi != nil {
			ph = phi[:m-lo]
		}
		spikes, bad = p.stepIzhikevich(lo, m, I, ph, spikes)
	}
	if m := max(lo, p.NIzh); m < hi {
		var ph []float32
		if phi != nil {
			ph = phi[m-lo:]
		}
		var b int
		spikes, b = p.stepAdEx(m, hi, I, ph, spikes)
		if bad < 0 {
			bad = b
		}
	}
	return spikes, bad
}

// stepIzhikevich is Izhikevich (2003) eqs. 1-3 by forward Euler, both
// derivatives at the old (v, u), the step of v multiplied by φ when phi
// (indexed from lo) is not nil:
//
//	v' = v + dt((0.04v + 5)v + 140 - u + I)·φ,  u' = u + a·dt(bv - u),
//	if v' >= 30 mV: v' = c, u' = u' + d,
//
// computed by internal/kernel (AVX2 where available, bit-identical
// otherwise).
func (p *Population) stepIzhikevich(lo, hi int, I, phi []float32, spikes []int32) ([]int32, int) {
	return kernel.IzhStep(kernel.Izhikevich{
		V: p.V[lo:hi], U: p.R[lo:hi], ADt: p.izhADt[lo:hi], B: p.izhB[lo:hi], C: p.izhC[lo:hi], D: p.izhD[lo:hi],
	}, I[lo:hi], phi, p.dt, int32(lo), spikes)
}

// blockIzhikevich removes the blocked part of the regenerative (sodium)
// term of Izhikevich neurons [lo, hi) by adding
// -(1-s)·0.04·max(0, v - v_rest)² to their input: with forward Euler this is
// exactly stepping v' = 0.04v² + 5v + 140 - u + I - (1-s)·0.04·max(0, v - v_rest)²,
// whose subthreshold part below rest is unchanged and whose upswing is
// scaled by s (see the package doc).
func (p *Population) blockIzhikevich(lo, hi int, I []float32) {
	k := (1 - p.na) * 0.04
	V, rest, I := p.V[lo:hi], p.izhRest[lo:hi], I[lo:hi]
	for j, v := range V {
		if d := v - rest[j]; d > 0 {
			I[j] -= k * d * d
		}
	}
}

// stepAdEx is Brette & Gerstner (2005) eqs. 1-2 by forward Euler, with the
// input per unit capacitance: V' = (-g_L(V-E_L) + s·g_L Δ_T e^((V-V_T)/Δ_T) - w)/C + I,
// s the unblocked fraction of the sodium channels (the exponential term is
// the sodium current's spike initiation; Brette & Gerstner 2005, Fig. 1);
// the step of V is multiplied by φ when phi (indexed from lo) is not nil.
func (p *Population) stepAdEx(lo, hi int, I, phi []float32, spikes []int32) ([]int32, int) {
	V, R, I := p.V[lo:hi], p.R[lo:hi], I[lo:hi]
	P := p.adex[lo-p.NIzh : hi-p.NIzh]
	_, _, _ = R[len(V)-1], I[len(V)-1], P[len(V)-1]
	bad := -1
	for k, v := range V {
		q := &P[k]
		w := R[k]
		arg := min((v-q.vT)*q.invDeltaT, 20)
		ex := float32(fastmath.Exp(float64(arg)))
		var vn float32
		if phi == nil {
			vn = v + q.dtOverC*(q.gLDeltaT*ex*p.na-q.gL*(v-q.eL)-w) + q.dt*I[k]
		} else {
			vn = v + float32(float32(q.dtOverC*(q.gLDeltaT*ex*p.na-q.gL*(v-q.eL)-w)+q.dt*I[k])*phi[k])
		}
		wn := w + q.dtOverTau*(q.a*(v-q.eL)-w)
		if vn-vn != 0 || wn-wn != 0 { // before the reset, as above
			if bad < 0 {
				bad = lo + k
			}
		}
		if vn >= q.vPeak {
			vn = q.vReset
			wn += q.b
			spikes = append(spikes, int32(lo+k))
		}
		V[k], R[k] = vn, wn
	}
	return spikes, bad
}
