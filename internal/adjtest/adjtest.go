// Package adjtest builds the small random networks, inputs and losses that
// the tests of the gradient packages (adjoint, graph, fit) share.
package adjtest

import (
	"math/rand/v2"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/synapses"
)

// Populations of Network: Izhikevich RS (excitatory) and FS (inhibitory),
// AdEx tonic (excitatory, V_peak 0 mV) and AdEx_RS (marked inhibitory
// here, V_peak 20 mV, so that both AdEx thresholds and both signs occur).
var popNames = []string{"RS", "FS", "AdEx_tonic", "AdEx_RS"}

// Spec describes a random test network.
type Spec struct {
	Seed       uint64
	NIzh       int  // Izhikevich neurons (4 of 5 RS, the rest FS)
	NAdEx      int  // AdEx neurons (alternately tonic and RS)
	STP        bool // short-term plasticity
	Fanout     int  // synapses per neuron (default 4)
	MaxDelay   int  // delays are uniform in [1, MaxDelay] steps (default 3)
	SingleExpN bool // NMDA as a single exponential (rise time 0)
	// Exponential integrates the membrane by exponential Euler (package
	// models) instead of forward Euler.
	Exponential bool
}

// Network returns a random network with a perturbed initial state (random
// potentials, conductances, STP state and pending arrivals), so that every
// gradient is exercised.
func Network(s Spec) (*adjoint.Model, *adjoint.Params, *adjoint.State) {
	if s.Fanout == 0 {
		s.Fanout = 4
	}
	if s.MaxDelay == 0 {
		s.MaxDelay = 3
	}
	r := rand.New(rand.NewPCG(s.Seed, 0xad1))
	n := s.NIzh + s.NAdEx
	syn := synapses.Default()
	if s.SingleExpN {
		syn.NMDA.TauRise = 0
	}
	m := &adjoint.Model{
		Dt: 0.5, NIzh: s.NIzh, Pop: make([]int32, n), Excitatory: make([]bool, n),
		RowPtr: make([]int64, n+1), Synapses: syn, STP: s.STP,
		Integrator: map[bool]models.Integrator{false: models.ForwardEuler, true: models.ExponentialEuler}[s.Exponential],
		Drive:      adjoint.Drive{Mean: 4, Std: 2, Seed: s.Seed + 1},
	}
	p := &adjoint.Params{NMDAFraction: 0.3, GABABFraction: 0.2}
	for k, name := range popNames {
		t, _ := models.Builtin(name)
		t.Excitatory = k%2 == 0
		p.Types = append(p.Types, t)
		p.Scale = append(p.Scale, 0.8+0.4*r.Float64())
		st := plasticity.DefaultSTPInh
		if t.Excitatory {
			st = plasticity.DefaultSTPExc
		}
		st.U = 0.2 + 0.3*r.Float64()
		st.TauRec = 100 + 200*r.Float64()
		if k != 0 { // population 0 keeps τ_fac = 0 (no facilitation)
			st.TauFac = 50 + 100*r.Float64()
		}
		p.STP = append(p.STP, st)
	}
	for i := range n {
		switch {
		case i < s.NIzh && i%5 == 4:
			m.Pop[i] = 1
		case i < s.NIzh:
			m.Pop[i] = 0
		default:
			m.Pop[i] = int32(2 + (i-s.NIzh)%2)
		}
		m.Excitatory[i] = p.Types[m.Pop[i]].Excitatory
	}
	for j := range n {
		seen := map[int32]bool{int32(j): true}
		var posts []int32
		for len(posts) < min(s.Fanout, n-1) {
			i := int32(r.IntN(n))
			if !seen[i] {
				seen[i] = true
				posts = append(posts, i)
			}
		}
		sortInt32(posts)
		for _, i := range posts {
			m.Post = append(m.Post, i)
			m.Delay = append(m.Delay, int32(1+r.IntN(s.MaxDelay)))
			w := 0.05 + 0.1*r.Float64()
			if !m.Excitatory[j] {
				w *= 2
			}
			p.W = append(p.W, w)
		}
		m.RowPtr[j+1] = int64(len(m.Post))
	}
	st := m.Rest(p)
	for i := range n {
		st.V[i] += 5 + 10*r.Float64()
		if i < s.NIzh {
			st.R[i] = p.Types[m.Pop[i]].Izhikevich.B * st.V[i]
		} else {
			st.R[i] = 20 * r.Float64()
		}
		for _, g := range [][]float64{st.AMPA, st.NMDADecay, st.GABAA, st.GABABDecay} {
			g[i] = 0.05 * r.Float64()
		}
		st.NMDARise[i] = 0.5 * st.NMDADecay[i] * r.Float64()
		st.GABABRise[i] = 0.5 * st.GABABDecay[i] * r.Float64()
		if s.SingleExpN {
			st.NMDARise[i] = 0
		}
		if s.STP {
			st.X[i] = 0.5 + 0.5*r.Float64()
			st.U[i] = 0.5 * r.Float64()
		}
	}
	for range m.MaxDelay() - 1 {
		pend := make([]float64, 2*n)
		for i := range pend {
			if r.IntN(3) == 0 {
				pend[i] = 0.1 * r.Float64()
			}
		}
		st.Pending = append(st.Pending, pend)
	}
	return m, p, st
}

func sortInt32(x []int32) {
	for i := 1; i < len(x); i++ {
		for k := i; k > 0 && x[k] < x[k-1]; k-- {
			x[k], x[k-1] = x[k-1], x[k]
		}
	}
}

// Input returns a random input: a bias in [0, 4) mV/ms per neuron and a
// current in [-1, 1) per step and neuron.
func Input(seed uint64, T, n int) adjoint.Input {
	r := rand.New(rand.NewPCG(seed, 0x1a9))
	in := adjoint.Input{Bias: make([]float64, n), Current: make([]float64, T*n)}
	for i := range in.Bias {
		in.Bias[i] = 4 * r.Float64()
	}
	for i := range in.Current {
		in.Current[i] = 2*r.Float64() - 1
	}
	return in
}

// Loss is L = Σ_t Σ_i C[t,i] s_i(t) + Σ_i (count_i - Target_i)², a loss
// that depends on every spike and, through the counts, on their sum.
type Loss struct {
	T, N   int
	C      []float64 // T×N
	Target []float64 // N
	counts []float64
}

// NewLoss returns a loss with coefficients in [-1, 1) and targets in
// [0, 3).
func NewLoss(seed uint64, T, n int) *Loss {
	r := rand.New(rand.NewPCG(seed, 0x105))
	l := &Loss{T: T, N: n, C: make([]float64, T*n), Target: make([]float64, n)}
	for i := range l.C {
		l.C[i] = 2*r.Float64() - 1
	}
	for i := range l.Target {
		l.Target[i] = 3 * r.Float64()
	}
	return l
}

// Value returns the loss of a record and keeps its counts for the
// gradient.
func (l *Loss) Value(rec *adjoint.Record) float64 {
	l.counts = rec.Counts()
	v := 0.0
	for t := range rec.T {
		ids, vals := rec.Step(t)
		for k, id := range ids {
			v += l.C[t*l.N+int(id)] * vals[k]
		}
	}
	for i, c := range l.counts {
		d := c - l.Target[i]
		v += d * d
	}
	return v
}

// AddSpikeGrad implements adjoint.SpikeGrad (after Value).
func (l *Loss) AddSpikeGrad(t int, ds []float64) {
	for i := range ds {
		ds[i] += l.C[t*l.N+i] + 2*(l.counts[i]-l.Target[i])
	}
}
