package adjoint

import (
	"errors"
	"fmt"
	"math"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/synapses"
)

// Model is the fixed structure of a differentiable culture: its neurons,
// their populations, the synapses and delays, the receptor kinetics and the
// background drive. What can be learned is in Params.
type Model struct {
	Dt   float64 // integration step, ms
	NIzh int     // Izhikevich neurons are [0, NIzh), AdEx neurons [NIzh, N)

	// Per neuron: population (an index into the per-population slices of
	// Params) and transmitter sign (Dale's law: it decides the receptors
	// of every outgoing synapse).
	Pop        []int32
	Excitatory []bool

	// Synapses in compressed sparse rows by presynaptic neuron: the
	// synapses of neuron j are [RowPtr[j], RowPtr[j+1]), with postsynaptic
	// neuron Post[s] and axonal delay Delay[s] >= 1 in steps.
	RowPtr []int64
	Post   []int32
	Delay  []int32

	// Synapses holds the receptor kinetics, reversal potentials and
	// [Mg2+]; its fractions are ignored (they are Params.NMDAFraction and
	// Params.GABABFraction).
	Synapses synapses.Params

	Drive Drive

	// STP enables Tsodyks-Markram short-term plasticity of every synapse,
	// with the parameters of its presynaptic neuron's population.
	STP bool

	// Integrator is the membrane scheme of the engine (package models):
	// forward Euler (the zero value) or exponential Euler in the synaptic
	// conductances.
	Integrator models.Integrator
}

// Drive is the background current of the engine (package sim): Mean +
// Std·ξ per neuron and step, with ξ the standard normal deviates of the
// engine's counter-based stream for Seed. For gradients it is a fixed
// input realization.
type Drive struct {
	Mean float64 // mV/ms
	Std  float64 // mV/ms
	Seed uint64
}

// N returns the number of neurons.
func (m *Model) N() int { return len(m.Pop) }

// NSynapses returns the number of synapses.
func (m *Model) NSynapses() int { return len(m.Post) }

// MaxDelay returns the longest delay in steps (0 without synapses).
func (m *Model) MaxDelay() int {
	d := int32(0)
	for _, x := range m.Delay {
		d = max(d, x)
	}
	return int(d)
}

// Validate checks the model's structure: lengths, indices, delays and
// kinetics.
func (m *Model) Validate() error {
	n := len(m.Pop)
	switch {
	case n == 0:
		return errors.New("adjoint: model without neurons")
	case !(m.Dt > 0 && m.Dt <= 1):
		return fmt.Errorf("adjoint: dt = %g ms, must be in (0, 1]", m.Dt)
	case m.NIzh < 0 || m.NIzh > n:
		return fmt.Errorf("adjoint: NIzh = %d outside [0, %d]", m.NIzh, n)
	case len(m.Excitatory) != n:
		return fmt.Errorf("adjoint: %d excitatory flags for %d neurons", len(m.Excitatory), n)
	case len(m.RowPtr) != n+1 || m.RowPtr[0] != 0 || m.RowPtr[n] != int64(len(m.Post)):
		return fmt.Errorf("adjoint: RowPtr has %d entries for %d neurons and %d synapses", len(m.RowPtr), n, len(m.Post))
	case len(m.Delay) != len(m.Post):
		return fmt.Errorf("adjoint: %d delays for %d synapses", len(m.Delay), len(m.Post))
	case m.Integrator > models.ExponentialEuler:
		return fmt.Errorf("adjoint: unknown integrator %v", m.Integrator)
	case math.IsNaN(m.Drive.Mean) || math.IsInf(m.Drive.Mean, 0) || !(m.Drive.Std >= 0) || math.IsInf(m.Drive.Std, 0):
		return fmt.Errorf("adjoint: drive mean %g and std %g must be finite, std >= 0", m.Drive.Mean, m.Drive.Std)
	}
	for i, p := range m.Pop {
		if p < 0 {
			return fmt.Errorf("adjoint: neuron %d has population %d < 0", i, p)
		}
	}
	for j := range n {
		if m.RowPtr[j+1] < m.RowPtr[j] {
			return fmt.Errorf("adjoint: RowPtr decreases at neuron %d", j)
		}
	}
	for s, i := range m.Post {
		if i < 0 || int(i) >= n {
			return fmt.Errorf("adjoint: synapse %d targets neuron %d outside [0, %d)", s, i, n)
		}
		if m.Delay[s] < 1 {
			return fmt.Errorf("adjoint: synapse %d has delay %d steps, must be >= 1", s, m.Delay[s])
		}
	}
	if err := m.Synapses.Validate(); err != nil {
		return fmt.Errorf("adjoint: synapses: %w", err)
	}
	if m.Synapses.TonicGABAA != 0 {
		return errors.New("adjoint: synapses: tonic_gaba_a is not modelled by the gradient paths; set it to 0 to fit or train")
	}
	return nil
}

// NPop returns the number of populations that have neurons (1 + the
// largest index in Pop); Params may describe more.
func (m *Model) NPop() int {
	p := int32(-1)
	for _, x := range m.Pop {
		p = max(p, x)
	}
	return int(p) + 1
}

// Params are the learnable parameters of a model.
type Params struct {
	// W is the weight of every synapse (in the model's CSR order), per unit
	// capacitance (1/ms), normally >= 0: its sign is the presynaptic
	// neuron's transmitter.
	W []float64
	// Scale multiplies the weights of the outgoing synapses of each
	// population (a population's conductance scale; 1 leaves W as it is).
	// Scale, STP and Types have one entry per population, at least
	// Model.NPop().
	Scale []float64
	// NMDAFraction is the share of an excitatory weight on NMDA receptors,
	// GABABFraction the share of an inhibitory weight on GABA_B.
	NMDAFraction, GABABFraction float64
	// STP holds the short-term plasticity of each population's outgoing
	// synapses (used when Model.STP is set), in the form of package
	// plasticity: u relaxes to 0 with τ_fac and jumps by U(1 - u) at a
	// spike, x recovers to 1 with τ_rec.
	STP []plasticity.STP
	// Types holds each population's neuron model and parameters; its Kind
	// must agree with the model's NIzh.
	Types []models.Type
}

// Clone returns a deep copy.
func (p *Params) Clone() *Params {
	q := *p
	q.W = append([]float64(nil), p.W...)
	q.Scale = append([]float64(nil), p.Scale...)
	q.STP = append([]plasticity.STP(nil), p.STP...)
	q.Types = append([]models.Type(nil), p.Types...)
	return &q
}

// Validate checks that p fits m and that every value is in its domain.
func (p *Params) Validate(m *Model) error {
	np := len(p.Types)
	switch {
	case len(p.W) != m.NSynapses():
		return fmt.Errorf("adjoint: %d weights for %d synapses", len(p.W), m.NSynapses())
	case np < m.NPop():
		return fmt.Errorf("adjoint: %d neuron types for %d populations", np, m.NPop())
	case len(p.Scale) != np:
		return fmt.Errorf("adjoint: %d conductance scales for %d populations", len(p.Scale), np)
	case m.STP && len(p.STP) != np:
		return fmt.Errorf("adjoint: %d STP parameter sets for %d populations", len(p.STP), np)
	case !(p.NMDAFraction >= 0 && p.NMDAFraction <= 1):
		return fmt.Errorf("adjoint: nmda_fraction = %g, must be in [0, 1]", p.NMDAFraction)
	case !(p.GABABFraction >= 0 && p.GABABFraction <= 1):
		return fmt.Errorf("adjoint: gaba_b_fraction = %g, must be in [0, 1]", p.GABABFraction)
	}
	for s, w := range p.W {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("adjoint: weight of synapse %d is %g", s, w)
		}
	}
	for k, x := range p.Scale {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("adjoint: conductance scale of population %d is %g", k, x)
		}
	}
	for k, t := range p.Types {
		if err := t.Validate(); err != nil {
			return fmt.Errorf("adjoint: population %d: %w", k, err)
		}
	}
	for i, k := range m.Pop {
		izh := p.Types[k].Kind == models.KindIzhikevich
		if izh != (i < m.NIzh) {
			return fmt.Errorf("adjoint: neuron %d of population %d (%s) is a %v neuron, but NIzh = %d", i, k, p.Types[k].Name, p.Types[k].Kind, m.NIzh)
		}
	}
	if m.STP {
		for k, s := range p.STP {
			switch {
			case !(s.U > 0 && s.U <= 1):
				return fmt.Errorf("adjoint: STP of population %d: U = %g, must be in (0, 1]", k, s.U)
			case !(s.TauRec > 0) || math.IsInf(s.TauRec, 0):
				return fmt.Errorf("adjoint: STP of population %d: tau_rec = %g ms, must be > 0", k, s.TauRec)
			case !(s.TauFac >= 0) || math.IsInf(s.TauFac, 0):
				return fmt.Errorf("adjoint: STP of population %d: tau_fac = %g ms, must be >= 0", k, s.TauFac)
			}
		}
	}
	return nil
}

// FromCulture returns the model of a built culture and its parameters: one
// population per cell type, the culture's weights with scale 1, delays
// rounded to whole steps of dt as the engine does (at least one), the
// fractions of syn and, when stp is not nil, its parameters by
// presynaptic population. Projection overrides that make a neuron release
// differently to excitatory and inhibitory targets are not modelled.
func FromCulture(c *culture.Culture, dt float64, syn synapses.Params, drive Drive, stp *plasticity.STPRule) (*Model, *Params, error) {
	n := c.N()
	m := &Model{
		Dt: dt, NIzh: c.NIzh, Pop: make([]int32, n), Excitatory: append([]bool(nil), c.Excitatory...),
		RowPtr: append([]int64(nil), c.RowPtr...), Post: append([]int32(nil), c.Post...),
		Delay: make([]int32, len(c.Post)), Synapses: syn, Drive: drive, STP: stp != nil,
	}
	if stp != nil && (stp.Split(true) || stp.Split(false)) {
		return nil, nil, errors.New("adjoint: STP projection overrides that differ between excitatory and inhibitory targets are not modelled")
	}
	for i, t := range c.Type {
		m.Pop[i] = int32(t)
	}
	for s, d := range c.DelayMs {
		m.Delay[s] = int32(max(1, math.Round(float64(d)/dt)))
	}
	p := &Params{
		W: make([]float64, len(c.Weight)), Scale: make([]float64, len(c.Types)),
		NMDAFraction: syn.NMDAFraction, GABABFraction: syn.GABABFraction,
		Types: append([]models.Type(nil), c.Types...),
	}
	for s, w := range c.Weight {
		p.W[s] = float64(w)
	}
	for k, t := range c.Types {
		p.Scale[k] = 1
		if stp != nil {
			p.STP = append(p.STP, stp.Params(t.Excitatory, t.Excitatory))
		}
	}
	if err := m.Validate(); err != nil {
		return nil, nil, err
	}
	if err := p.Validate(m); err != nil {
		return nil, nil, err
	}
	return m, p, nil
}

// State is the state of a model at the start (or end) of a window.
type State struct {
	Step int64 // absolute step number: it keys the drive's noise

	V, R []float64 // potential (mV) and recovery: u (mV/ms) or w (pA)

	// Receptor state variables (per unit capacitance, 1/ms).
	AMPA, NMDARise, NMDADecay, GABAA, GABABRise, GABABDecay []float64

	// STP state per presynaptic neuron: resources x and utilisation u.
	X, U []float64

	// Pending[k] holds the weights that arrive at step k of the window from
	// spikes before it: Pending[k][i] excitatory and Pending[k][N+i]
	// inhibitory, for neuron i. It has at most MaxDelay entries.
	Pending [][]float64
}

// Rest returns the resting state: neurons at their models' rest (models
// package), no conductance, full resources x = 1 and utilisation u = 0
// (package plasticity's fresh state: the first spike releases U).
func (m *Model) Rest(p *Params) *State {
	n := m.N()
	s := newState(n)
	for i, k := range m.Pop {
		t := p.Types[k]
		if t.Kind == models.KindIzhikevich {
			s.V[i], s.R[i] = t.Izhikevich.Rest()
		} else {
			s.V[i], s.R[i] = t.AdEx.Rest()
		}
		s.X[i] = 1
	}
	return s
}

func newState(n int) *State {
	return &State{
		V: make([]float64, n), R: make([]float64, n),
		AMPA: make([]float64, n), NMDARise: make([]float64, n), NMDADecay: make([]float64, n),
		GABAA: make([]float64, n), GABABRise: make([]float64, n), GABABDecay: make([]float64, n),
		X: make([]float64, n), U: make([]float64, n),
	}
}

// Clone returns a deep copy.
func (s *State) Clone() *State {
	c := &State{Step: s.Step}
	cp := func(x []float64) []float64 { return append([]float64(nil), x...) }
	c.V, c.R = cp(s.V), cp(s.R)
	c.AMPA, c.NMDARise, c.NMDADecay = cp(s.AMPA), cp(s.NMDARise), cp(s.NMDADecay)
	c.GABAA, c.GABABRise, c.GABABDecay = cp(s.GABAA), cp(s.GABABRise), cp(s.GABABDecay)
	c.X, c.U = cp(s.X), cp(s.U)
	for _, p := range s.Pending {
		c.Pending = append(c.Pending, cp(p))
	}
	return c
}

func (s *State) check(m *Model) error {
	n := m.N()
	for _, x := range [][]float64{s.V, s.R, s.AMPA, s.NMDARise, s.NMDADecay, s.GABAA, s.GABABRise, s.GABABDecay, s.X, s.U} {
		if len(x) != n {
			return fmt.Errorf("adjoint: state vector of length %d for %d neurons", len(x), n)
		}
	}
	if len(s.Pending) > m.MaxDelay() {
		return fmt.Errorf("adjoint: %d pending arrival steps, more than the longest delay (%d)", len(s.Pending), m.MaxDelay())
	}
	for k, p := range s.Pending {
		if len(p) != 2*n {
			return fmt.Errorf("adjoint: pending arrivals %d have length %d, want 2N = %d", k, len(p), 2*n)
		}
	}
	return nil
}
