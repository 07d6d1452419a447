package synapses

import (
	"math"

	"github.com/bl1-go/bl1/internal/kernel"
)

// State holds the receptor conductances of N postsynaptic neurons, float32,
// one slice per state variable. Conductances are per unit capacitance
// (1/ms) like the weights that feed them.
type State struct {
	AMPA, NMDARise, NMDADecay, GABAA, GABABRise, GABABDecay []float32

	k    kernel.Syn
	base kernel.Syn // arrival gains without antagonists

	tonic, baseTonic float32 // tonic GABA_A conductance, now and without antagonists
}

// tiny is the level below which a decaying conductance is set to zero: a
// software flush-to-zero (Go cannot set the FPU's FTZ flag), because
// subnormal float32 arithmetic is ~100x slower on x86.
const tiny = kernel.Tiny

// NewState returns the zero state of n neurons with kinetics p at step dt
// (ms).
func NewState(n int, p Params, dt float64) *State {
	dec := func(tau float64) float32 { return float32(math.Exp(-dt / tau)) }
	inNMDA := float32(p.NMDAFraction * p.NMDA.Norm())
	inGABAB := float32(p.GABABFraction * p.GABAB.Norm())
	k := kernel.Syn{
		DAMPA: dec(p.AMPA.TauDecay), DGABAA: dec(p.GABAA.TauDecay),
		DNMDAd: dec(p.NMDA.TauDecay), DGABABd: dec(p.GABAB.TauDecay),
		InAMPA: float32(1 - p.NMDAFraction), InNMDAd: inNMDA,
		InGABAA: float32(1 - p.GABABFraction), InGABABd: inGABAB,
		EAMPA: float32(p.AMPA.ERev), ENMDA: float32(p.NMDA.ERev),
		EGABAA: float32(p.GABAA.ERev), EGABAB: float32(p.GABAB.ERev),
		MgK: float32(p.Mg / 3.57),
	}
	// A single exponential (rise time 0) leaves its rise variable at zero.
	if p.NMDA.Dual() {
		k.DNMDAr, k.InNMDAr = dec(p.NMDA.TauRise), inNMDA
	}
	if p.GABAB.Dual() {
		k.DGABABr, k.InGABABr = dec(p.GABAB.TauRise), inGABAB
	}
	base := k
	k.Prepare()
	return &State{
		AMPA: make([]float32, n), NMDARise: make([]float32, n), NMDADecay: make([]float32, n),
		GABAA: make([]float32, n), GABABRise: make([]float32, n), GABABDecay: make([]float32, n),
		k: k, base: base,
		tonic: float32(p.TonicGABAA), baseTonic: float32(p.TonicGABAA),
	}
}

// SetAvailable scales what arrives at each receptor by the fraction of it
// that antagonists leave free (1 each by default): a competitive antagonist
// keeps transmitter from opening channels, while channels already open
// close with their own kinetics. The tonic GABA_A conductance, held open by
// ambient GABA, scales at once. Call it between steps, not during one.
func (s *State) SetAvailable(ampa, nmda, gabaA, gabaB float64) {
	b := &s.base
	s.k.InAMPA = b.InAMPA * float32(ampa)
	s.k.InNMDAr, s.k.InNMDAd = b.InNMDAr*float32(nmda), b.InNMDAd*float32(nmda)
	s.k.InGABAA = b.InGABAA * float32(gabaA)
	s.tonic = s.baseTonic * float32(gabaA)
	s.k.InGABABr, s.k.InGABABd = b.InGABABr*float32(gabaB), b.InGABABd*float32(gabaB)
	s.k.Prepare()
}

// Len returns the number of neurons.
func (s *State) Len() int { return len(s.AMPA) }

// NMDA returns the NMDA conductance of neuron i before the Mg2+ block.
func (s *State) NMDA(i int) float32 { return s.NMDADecay[i] - s.NMDARise[i] }

// GABAB returns the GABA_B conductance of neuron i.
func (s *State) GABAB(i int) float32 { return s.GABABDecay[i] - s.GABABRise[i] }

// Advance performs one step for neurons [lo, hi): every conductance decays
// by e^(-dt/τ) (set to zero below 1e-30), then the weights that arrive this
// step are added, split across receptors. exc[i-lo] and inh[i-lo] hold the
// summed excitatory and inhibitory weights arriving at neuron i; they are
// zeroed (they are delay-ring slots that must be empty for reuse). The
// synaptic current at the potentials v (indexed like the state) is written
// to iSyn[i-lo], with the tonic GABA_A current g_tonic (E_GABA_A - v).
// When gTot is not nil, gTot[i-lo] receives the total conductance at v,
//
//	G = g_AMPA + g_NMDA B(v) + g_GABA_A + g_GABA_B + g_tonic,
//
// so that I = Σ g E - G v (what exponential Euler needs: package models).
func (s *State) Advance(lo, hi int, exc, inh, v, iSyn, gTot []float32) {
	if hi <= lo {
		return
	}
	n := hi - lo
	g := kernel.Conductances{
		AMPA: s.AMPA[lo:hi], NMDARise: s.NMDARise[lo:hi], NMDADecay: s.NMDADecay[lo:hi],
		GABAA: s.GABAA[lo:hi], GABABRise: s.GABABRise[lo:hi], GABABDecay: s.GABABDecay[lo:hi],
	}
	if gTot != nil {
		gTot = gTot[:n]
	}
	kernel.SynStep(&s.k, g, exc[:n], inh[:n], v[lo:hi], iSyn[:n], gTot)
	if s.tonic != 0 {
		kernel.Leak(iSyn[:n], v[lo:hi], gTot, s.tonic, s.k.EGABAA)
	}
}
