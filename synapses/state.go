package synapses

import (
	"math"

	"github.com/bl1-go/bl1/internal/fastmath"
)

// State holds the receptor conductances of N postsynaptic neurons, float32,
// one slice per state variable. Conductances are per unit capacitance
// (1/ms) like the weights that feed them.
type State struct {
	AMPA, NMDARise, NMDADecay, GABAA, GABABRise, GABABDecay []float32

	k kernel
}

// kernel holds per-step constants derived from Params and dt.
type kernel struct {
	dAMPA, dNMDAr, dNMDAd, dGABAA, dGABABr, dGABABd float32 // decay per step
	inAMPA, inNMDA, inGABAA, inGABAB                float32 // arrival gain per receptor (fraction × peak norm)
	inNMDAr, inGABABr                               float32 // arrival gain of the rise variables (0 for single exponentials)
	eAMPA, eNMDA, eGABAA, eGABAB                    float32 // reversal potentials
	mgK                                             float64 // [Mg]/3.57
	dualNMDA, dualGABAB                             bool
}

// tiny is the level below which a decaying conductance is set to zero: a
// software flush-to-zero (Go cannot set the FPU's FTZ flag), because
// subnormal float32 arithmetic is ~100x slower on x86.
const tiny = 1e-30

// NewState returns the zero state of n neurons with kinetics p at step dt
// (ms).
func NewState(n int, p Params, dt float64) *State {
	dec := func(tau float64) float32 { return float32(math.Exp(-dt / tau)) }
	k := kernel{
		dAMPA: dec(p.AMPA.TauDecay), dGABAA: dec(p.GABAA.TauDecay),
		dNMDAd: dec(p.NMDA.TauDecay), dGABABd: dec(p.GABAB.TauDecay),
		inAMPA:  float32(1 - p.NMDAFraction),
		inNMDA:  float32(p.NMDAFraction * p.NMDA.Norm()),
		inGABAA: float32(1 - p.GABABFraction),
		inGABAB: float32(p.GABABFraction * p.GABAB.Norm()),
		eAMPA:   float32(p.AMPA.ERev), eNMDA: float32(p.NMDA.ERev),
		eGABAA: float32(p.GABAA.ERev), eGABAB: float32(p.GABAB.ERev),
		mgK:      p.Mg / 3.57,
		dualNMDA: p.NMDA.Dual(), dualGABAB: p.GABAB.Dual(),
	}
	if k.dualNMDA {
		k.dNMDAr, k.inNMDAr = dec(p.NMDA.TauRise), k.inNMDA
	}
	if k.dualGABAB {
		k.dGABABr, k.inGABABr = dec(p.GABAB.TauRise), k.inGABAB
	}
	return &State{
		AMPA: make([]float32, n), NMDARise: make([]float32, n), NMDADecay: make([]float32, n),
		GABAA: make([]float32, n), GABABRise: make([]float32, n), GABABDecay: make([]float32, n),
		k: k,
	}
}

// Len returns the number of neurons.
func (s *State) Len() int { return len(s.AMPA) }

// NMDA returns the NMDA conductance of neuron i before the Mg2+ block.
func (s *State) NMDA(i int) float32 { return s.NMDADecay[i] - s.NMDARise[i] }

// GABAB returns the GABA_B conductance of neuron i.
func (s *State) GABAB(i int) float32 { return s.GABABDecay[i] - s.GABABRise[i] }

// Advance performs one step for neurons [lo, hi): every conductance decays
// by e^(-dt/τ), then the weights that arrive this step are added, split
// across receptors. arrive holds the summed excitatory and inhibitory
// weights interleaved, arrive[2(i-lo)] and arrive[2(i-lo)+1], and is zeroed
// (it is a delay-ring slot that must be empty for reuse). The synaptic
// current at potentials v (indexed like the state) is written to
// iSyn[i-lo].
func (s *State) Advance(lo, hi int, arrive []float32, v []float32, iSyn []float32) {
	n := hi - lo
	if n <= 0 {
		return
	}
	k := &s.k
	arrive = arrive[:2*n]
	iSyn = iSyn[:n]
	v = v[lo:hi]
	gA, nR, nD := s.AMPA[lo:hi], s.NMDARise[lo:hi], s.NMDADecay[lo:hi]
	gG, bR, bD := s.GABAA[lo:hi], s.GABABRise[lo:hi], s.GABABDecay[lo:hi]
	_, _, _, _, _, _ = gA[n-1], nR[n-1], nD[n-1], gG[n-1], bR[n-1], bD[n-1]
	for i := range n {
		ex, in := arrive[2*i], arrive[2*i+1]
		arrive[2*i], arrive[2*i+1] = 0, 0
		a := flush(gA[i]*k.dAMPA) + k.inAMPA*ex
		r := flush(nR[i]*k.dNMDAr) + k.inNMDAr*ex
		d := flush(nD[i]*k.dNMDAd) + k.inNMDA*ex
		g := flush(gG[i]*k.dGABAA) + k.inGABAA*in
		br := flush(bR[i]*k.dGABABr) + k.inGABABr*in
		bd := flush(bD[i]*k.dGABABd) + k.inGABAB*in
		gA[i], nR[i], nD[i], gG[i], bR[i], bD[i] = a, r, d, g, br, bd
		vi := v[i]
		cur := a*(k.eAMPA-vi) + g*(k.eGABAA-vi) + (bd-br)*(k.eGABAB-vi)
		if nmda := d - r; nmda != 0 {
			block := float32(1 / (1 + k.mgK*fastmath.Exp(-0.062*float64(vi))))
			cur += nmda * block * (k.eNMDA - vi)
		}
		iSyn[i] = cur
	}
}

// flush sets subnormal-bound conductances to zero.
func flush(g float32) float32 {
	if g < tiny {
		return 0
	}
	return g
}
