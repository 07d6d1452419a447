package adjoint_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/internal/adjtest"
	"github.com/bl1-go/bl1/surrogate"
)

// param is one scalar of the parameters, input or initial state: a pointer
// into the copies that a loss evaluation uses, and the adjoint's gradient.
type param struct {
	name string
	at   func(p *adjoint.Params, in *adjoint.Input, s *adjoint.State) *float64
	grad func(g *adjoint.Grads) float64
	h    float64 // finite-difference step: about 1e-4 of the scale on which the loss changes
}

// params lists a sample of every kind of parameter of the network of
// adjtest.Network with nIzh Izhikevich neurons first.
func params(m *adjoint.Model, T int, withSTP bool) []param {
	var ps []param
	h := 1e-5
	add := func(name string, at func(p *adjoint.Params, in *adjoint.Input, s *adjoint.State) *float64, grad func(g *adjoint.Grads) float64) {
		ps = append(ps, param{name, at, grad, h})
	}
	n := m.N()
	h = 1e-6 // weights ~0.1 1/ms
	for _, s := range []int{0, 3, len(m.Post) / 2, len(m.Post) - 1} {
		if s >= len(m.Post) {
			continue
		}
		add(fmt.Sprintf("W[%d]", s), func(p *adjoint.Params, _ *adjoint.Input, _ *adjoint.State) *float64 { return &p.W[s] },
			func(g *adjoint.Grads) float64 { return g.W[s] })
	}
	h = 1e-5 // scales ~1, fractions, U
	for k := range m.NPop() {
		add(fmt.Sprintf("Scale[%d]", k), func(p *adjoint.Params, _ *adjoint.Input, _ *adjoint.State) *float64 { return &p.Scale[k] },
			func(g *adjoint.Grads) float64 { return g.Scale[k] })
	}
	add("NMDAFraction", func(p *adjoint.Params, _ *adjoint.Input, _ *adjoint.State) *float64 { return &p.NMDAFraction },
		func(g *adjoint.Grads) float64 { return g.NMDAFraction })
	add("GABABFraction", func(p *adjoint.Params, _ *adjoint.Input, _ *adjoint.State) *float64 { return &p.GABABFraction },
		func(g *adjoint.Grads) float64 { return g.GABABFraction })
	if withSTP {
		for k := range m.NPop() {
			h = 1e-5
			add(fmt.Sprintf("STP[%d].U", k), func(p *adjoint.Params, _ *adjoint.Input, _ *adjoint.State) *float64 { return &p.STP[k].U },
				func(g *adjoint.Grads) float64 { return g.STP[k].U })
			h = 1e-5
			h = 1e-3 // time constants of 100-300 ms
			add(fmt.Sprintf("STP[%d].TauRec", k), func(p *adjoint.Params, _ *adjoint.Input, _ *adjoint.State) *float64 { return &p.STP[k].TauRec },
				func(g *adjoint.Grads) float64 { return g.STP[k].TauRec })
			if k > 0 { // population 0 has τ_fac = 0
				add(fmt.Sprintf("STP[%d].TauFac", k), func(p *adjoint.Params, _ *adjoint.Input, _ *adjoint.State) *float64 { return &p.STP[k].TauFac },
					func(g *adjoint.Grads) float64 { return g.STP[k].TauFac })
			}
		}
	}
	for k := range 2 { // Izhikevich populations
		for _, f := range []struct {
			n string
			h float64
			p func(p *adjoint.Params) *float64
			g func(g *adjoint.Grads) float64
		}{
			{"a", 1e-6, func(p *adjoint.Params) *float64 { return &p.Types[k].Izhikevich.A }, func(g *adjoint.Grads) float64 { return g.Izh[k].A }},
			{"b", 1e-6, func(p *adjoint.Params) *float64 { return &p.Types[k].Izhikevich.B }, func(g *adjoint.Grads) float64 { return g.Izh[k].B }},
			{"c", 1e-5, func(p *adjoint.Params) *float64 { return &p.Types[k].Izhikevich.C }, func(g *adjoint.Grads) float64 { return g.Izh[k].C }},
			{"d", 1e-5, func(p *adjoint.Params) *float64 { return &p.Types[k].Izhikevich.D }, func(g *adjoint.Grads) float64 { return g.Izh[k].D }},
		} {
			h = f.h
			add(fmt.Sprintf("Izh[%d].%s", k, f.n), func(p *adjoint.Params, _ *adjoint.Input, _ *adjoint.State) *float64 { return f.p(p) }, f.g)
		}
	}
	for k := 2; k < 4; k++ { // AdEx populations
		for _, f := range []struct {
			n string
			h float64
			p func(p *adjoint.Params) *float64
			g func(g *adjoint.Grads) float64
		}{
			{"C", 1e-3, func(p *adjoint.Params) *float64 { return &p.Types[k].AdEx.C }, func(g *adjoint.Grads) float64 { return g.AdEx[k].C }},
			{"GL", 1e-4, func(p *adjoint.Params) *float64 { return &p.Types[k].AdEx.GL }, func(g *adjoint.Grads) float64 { return g.AdEx[k].GL }},
			{"EL", 1e-5, func(p *adjoint.Params) *float64 { return &p.Types[k].AdEx.EL }, func(g *adjoint.Grads) float64 { return g.AdEx[k].EL }},
			{"VT", 1e-5, func(p *adjoint.Params) *float64 { return &p.Types[k].AdEx.VT }, func(g *adjoint.Grads) float64 { return g.AdEx[k].VT }},
			{"DeltaT", 1e-6, func(p *adjoint.Params) *float64 { return &p.Types[k].AdEx.DeltaT }, func(g *adjoint.Grads) float64 { return g.AdEx[k].DeltaT }},
			{"A", 1e-4, func(p *adjoint.Params) *float64 { return &p.Types[k].AdEx.A }, func(g *adjoint.Grads) float64 { return g.AdEx[k].A }},
			{"TauW", 1e-3, func(p *adjoint.Params) *float64 { return &p.Types[k].AdEx.TauW }, func(g *adjoint.Grads) float64 { return g.AdEx[k].TauW }},
			{"B", 1e-4, func(p *adjoint.Params) *float64 { return &p.Types[k].AdEx.B }, func(g *adjoint.Grads) float64 { return g.AdEx[k].B }},
			{"VReset", 1e-5, func(p *adjoint.Params) *float64 { return &p.Types[k].AdEx.VReset }, func(g *adjoint.Grads) float64 { return g.AdEx[k].VReset }},
		} {
			h = f.h
			add(fmt.Sprintf("AdEx[%d].%s", k, f.n), func(p *adjoint.Params, _ *adjoint.Input, _ *adjoint.State) *float64 { return f.p(p) }, f.g)
		}
	}
	for _, i := range []int{0, n / 2, n - 1} {
		h = 1e-5 // currents of a few mV/ms, potentials
		add(fmt.Sprintf("Bias[%d]", i), func(_ *adjoint.Params, in *adjoint.Input, _ *adjoint.State) *float64 { return &in.Bias[i] },
			func(g *adjoint.Grads) float64 { return g.Bias[i] })
		at := (T/3)*n + i
		add(fmt.Sprintf("Current[%d]", at), func(_ *adjoint.Params, in *adjoint.Input, _ *adjoint.State) *float64 { return &in.Current[at] },
			func(g *adjoint.Grads) float64 { return g.Current[at] })
		h = 1e-7 // conductances ~0.05 1/ms and STP state in [0, 1]
		state := []struct {
			n string
			f func(s *adjoint.State) []float64
		}{
			{"V", func(s *adjoint.State) []float64 { return s.V }}, {"R", func(s *adjoint.State) []float64 { return s.R }},
			{"AMPA", func(s *adjoint.State) []float64 { return s.AMPA }}, {"NMDARise", func(s *adjoint.State) []float64 { return s.NMDARise }},
			{"NMDADecay", func(s *adjoint.State) []float64 { return s.NMDADecay }}, {"GABAA", func(s *adjoint.State) []float64 { return s.GABAA }},
			{"GABABRise", func(s *adjoint.State) []float64 { return s.GABABRise }}, {"GABABDecay", func(s *adjoint.State) []float64 { return s.GABABDecay }},
			{"Pending[0]", func(s *adjoint.State) []float64 { return s.Pending[0] }},
		}
		if withSTP {
			state = append(state, struct {
				n string
				f func(s *adjoint.State) []float64
			}{"X", func(s *adjoint.State) []float64 { return s.X }}, struct {
				n string
				f func(s *adjoint.State) []float64
			}{"U", func(s *adjoint.State) []float64 { return s.U }})
		}
		for _, sv := range state {
			add("Init."+sv.n+fmt.Sprint("[", i, "]"), func(_ *adjoint.Params, _ *adjoint.Input, s *adjoint.State) *float64 { return &sv.f(s)[i] },
				func(g *adjoint.Grads) float64 { return sv.f(g.Init)[i] })
		}
	}
	return ps
}

func cloneInput(in adjoint.Input) adjoint.Input {
	return adjoint.Input{Bias: append([]float64(nil), in.Bias...), Current: append([]float64(nil), in.Current...)}
}

// With smooth spikes the model is differentiable and the adjoint is its
// exact gradient: it must equal finite differences of the loss. The
// differences are central with Richardson extrapolation, (4 D(h/2) -
// D(h))/3, whose truncation error is O(h⁴), with h about 1e-4 of the scale
// on which the loss changes with the parameter (1e-7 for conductances of
// ~0.05/ms, 1e-3 for time constants of ~100 ms), so that the rounding
// error of the loss, amplified by the dynamics to ~1e-13 L, stays near
// 1e-8 of the derivative; the tolerance is 1e-6 relative to the larger of
// the two values, or of 1e-2 of the loss for gradients near zero. Windows are 40 steps: with the smooth
// reset, longer windows of these strongly driven networks become chaotic
// and finite differences lose their meaning before the adjoint does. The
// smooth spike is the sigmoid's, which goes from 0 to 1 and is analytic
// (SuperSpike's reaches only 2/β and has a jump in its second derivative
// at threshold, which spoils extrapolated differences; the kinds differ
// only in σ', which package surrogate tests, and the agreement with the
// unrolled Gorgonia graph in package graph covers all three).
func TestAdjointFiniteDifferences(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec adjtest.Spec
		f    surrogate.Func
		T    int
	}{
		{"izh+adex/stp/sigmoid", adjtest.Spec{Seed: 1, NIzh: 10, NAdEx: 6, STP: true}, surrogate.New(surrogate.Sigmoid), 30},
		{"izh+adex/nostp/sigmoid", adjtest.Spec{Seed: 2, NIzh: 10, NAdEx: 6}, surrogate.New(surrogate.Sigmoid), 30},
		{"izh+adex/stp/sigmoid/single-exp-nmda", adjtest.Spec{Seed: 3, NIzh: 12, NAdEx: 4, STP: true, SingleExpN: true}, surrogate.New(surrogate.Sigmoid), 30},
		{"izh+adex/stp/sigmoid/exponential-euler", adjtest.Spec{Seed: 6, NIzh: 10, NAdEx: 6, STP: true, Exponential: true}, surrogate.New(surrogate.Sigmoid), 30},
		{"izh+adex/nostp/sigmoid/exponential-euler", adjtest.Spec{Seed: 5, NIzh: 10, NAdEx: 6, Exponential: true}, surrogate.New(surrogate.Sigmoid), 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			T := tc.T
			m, p, s0 := adjtest.Network(tc.spec)
			in := adjtest.Input(tc.spec.Seed, T, m.N())
			loss := adjtest.NewLoss(tc.spec.Seed, T, m.N())
			opt := adjoint.Options{Surrogate: tc.f, Smooth: true, NeuronGrads: true}
			w, err := adjoint.NewWindow(m, T, opt)
			if err != nil {
				t.Fatal(err)
			}
			eval := func(p *adjoint.Params, in adjoint.Input, s *adjoint.State) float64 {
				rec, _, err := w.Forward(p, s, in)
				if err != nil {
					t.Fatal(err)
				}
				return loss.Value(rec)
			}
			l0 := eval(p, in, s0)
			g, err := w.Backward(loss)
			if err != nil {
				t.Fatal(err)
			}
			maxErr := 0.0
			for _, pr := range params(m, T, m.STP) {
				diff := func(h float64) float64 {
					p1, in1, s1 := p.Clone(), cloneInput(in), s0.Clone()
					p2, in2, s2 := p.Clone(), cloneInput(in), s0.Clone()
					*pr.at(p1, &in1, s1) += h
					*pr.at(p2, &in2, s2) -= h
					return (eval(p1, in1, s1) - eval(p2, in2, s2)) / (2 * h)
				}
				h := pr.h
				fd := (4*diff(h/2) - diff(h)) / 3
				ad := pr.grad(g)
				e := math.Abs(fd-ad) / math.Max(math.Max(math.Abs(fd), math.Abs(ad)), 1e-2*math.Abs(l0))
				maxErr = math.Max(maxErr, e)
				if e > 1e-6 {
					t.Errorf("∂L/∂%s: adjoint %.10g, finite difference %.10g (relative error %.2g)", pr.name, ad, fd, e)
				}
			}
			t.Logf("L = %.6g; largest relative error %.2g", l0, maxErr)
		})
	}
}
