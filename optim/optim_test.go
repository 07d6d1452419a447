package optim_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/optim"
)

func param(v, g []float64) *optim.Param {
	return &optim.Param{Name: "p", Value: append([]float64(nil), v...), Grad: append([]float64(nil), g...)}
}

// The first step of each method, computed by hand from its update rule
// (package documentation) with θ = (1, -2, 0.5), g = (0.3, -4, 1e-3),
// η = 0.1.
func TestFirstStep(t *testing.T) {
	theta := []float64{1, -2, 0.5}
	g := []float64{0.3, -4, 1e-3}
	const lr = 0.1
	tests := []struct {
		name string
		opt  optim.Optimizer
		want func(th, g float64) float64
	}{
		{"SGD", &optim.SGD{}, func(th, g float64) float64 { return th - lr*g }},
		// v = -ηg (v starts at 0), θ + v.
		{"Momentum", &optim.Momentum{Mu: 0.5}, func(th, g float64) float64 { return th - lr*g }},
		// r = (1-ρ)g², θ - ηg/√(r + ε).
		{"RMSProp", &optim.RMSProp{Rho: 0.9}, func(th, g float64) float64 { return th - lr*g/math.Sqrt(0.1*g*g+1e-8) }},
		// m̂ = g, v̂ = g²: θ - ηg/(|g| + ε) (Kingma & Ba 2015, §2.1).
		{"Adam", &optim.Adam{}, func(th, g float64) float64 { return th - lr*g/(math.Abs(g)+1e-8) }},
		// Adam's step plus the decoupled decay ηλθ.
		{"AdamW", &optim.AdamW{WeightDecay: 0.5}, func(th, g float64) float64 { return th - lr*(g/(math.Abs(g)+1e-8)+0.5*th) }},
	}
	for _, tc := range tests {
		p := param(theta, g)
		if err := tc.opt.Step([]*optim.Param{p}, lr); err != nil {
			t.Fatal(err)
		}
		for i := range theta {
			if want := tc.want(theta[i], g[i]); math.Abs(p.Value[i]-want) > 1e-15 {
				t.Errorf("%s: θ[%d] = %.17g, want %.17g", tc.name, i, p.Value[i], want)
			}
			if p.Grad[i] != 0 {
				t.Errorf("%s: gradient %d not consumed: %g", tc.name, i, p.Grad[i])
			}
		}
	}
}

// Momentum accumulates: v₂ = μv₁ - ηg₂ (Sutskever et al. 2013, eq. 1).
func TestMomentumSecondStep(t *testing.T) {
	o := &optim.Momentum{Mu: 0.9}
	p := param([]float64{0}, []float64{1})
	o.Step([]*optim.Param{p}, 0.1) // v = -0.1, θ = -0.1
	p.Grad[0] = 2
	o.Step([]*optim.Param{p}, 0.1) // v = -0.09 - 0.2 = -0.29, θ = -0.39
	if math.Abs(p.Value[0]+0.39) > 1e-15 {
		t.Errorf("θ = %.17g, want -0.39", p.Value[0])
	}
}

// AdamW without weight decay is Adam: over 50 steps of random gradients
// the native AdamW follows Gorgonia's Adam to rounding.
func TestAdamWWithoutDecayIsAdam(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a := param([]float64{1, -1, 0.3, 2}, make([]float64, 4))
	b := param(a.Value, a.Grad)
	adam, adamw := &optim.Adam{}, &optim.AdamW{WeightDecay: -1}
	for step := range 50 {
		for i := range a.Grad {
			g := r.NormFloat64()
			a.Grad[i], b.Grad[i] = g, g
		}
		lr := 0.01 * float64(1+step%3)
		if err := adam.Step([]*optim.Param{a}, lr); err != nil {
			t.Fatal(err)
		}
		if err := adamw.Step([]*optim.Param{b}, lr); err != nil {
			t.Fatal(err)
		}
	}
	for i := range a.Value {
		if math.Abs(a.Value[i]-b.Value[i]) > 1e-12 {
			t.Errorf("θ[%d]: Adam %.15g, AdamW %.15g", i, a.Value[i], b.Value[i])
		}
	}
}

// With a zero gradient AdamW only decays: θ(1 - ηλ) (Loshchilov & Hutter
// 2019, Algorithm 2, line 12).
func TestAdamWDecay(t *testing.T) {
	p := param([]float64{2, -4}, []float64{0, 0})
	if err := (&optim.AdamW{WeightDecay: 0.1}).Step([]*optim.Param{p}, 0.5); err != nil {
		t.Fatal(err)
	}
	if p.Value[0] != 2*(1-0.05) || p.Value[1] != -4*(1-0.05) {
		t.Errorf("θ = %v, want [1.9 -3.8]", p.Value)
	}
}

// Every method minimises a badly scaled quadratic f = Σ a_i (θ_i - c_i)²
// (a from 0.5 to 8) from θ = 0.
func TestConverges(t *testing.T) {
	a := []float64{0.5, 1, 8}
	c := []float64{1, -2, 0.5}
	for _, tc := range []struct {
		name string
		opt  optim.Optimizer
		lr   float64
	}{
		{"SGD", &optim.SGD{}, 0.05}, {"Momentum", &optim.Momentum{}, 0.01}, {"RMSProp", &optim.RMSProp{}, 0.01},
		{"Adam", &optim.Adam{}, 0.05}, {"AdamW", &optim.AdamW{WeightDecay: -1}, 0.05},
	} {
		p := param(make([]float64, 3), make([]float64, 3))
		sched := optim.Cosine{Initial: tc.lr, Final: tc.lr / 100, Steps: 2000}
		for step := range 2000 {
			for i := range p.Value {
				p.Grad[i] = 2 * a[i] * (p.Value[i] - c[i])
			}
			if err := tc.opt.Step([]*optim.Param{p}, sched.Rate(step)); err != nil {
				t.Fatal(err)
			}
		}
		for i := range c {
			if math.Abs(p.Value[i]-c[i]) > 1e-3 {
				t.Errorf("%s: θ[%d] = %g, want %g", tc.name, i, p.Value[i], c[i])
			}
		}
	}
}

// Constraints are applied after every step.
func TestConstraints(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    optim.Constraint
		in   []float64
		want []float64
	}{
		{"non-negative", optim.NonNegative{}, []float64{-1, 0, 2}, []float64{0, 0, 2}},
		{"bounds", optim.Bounds{Lo: -1, Hi: 1}, []float64{-3, 0.5, 7}, []float64{-1, 0.5, 1}},
		{"sign", optim.Sign{1, -1, 0, 1}, []float64{-1, -1, -1, 2}, []float64{0, -1, -1, 2}},
		{"mask", optim.Mask{true, false, true}, []float64{1, 2, 3}, []float64{1, 0, 3}},
		{"all", optim.All{optim.Mask{true, true, false}, optim.Bounds{Lo: 0, Hi: 2}}, []float64{-1, 5, 1}, []float64{0, 2, 0}},
	} {
		x := append([]float64(nil), tc.in...)
		tc.c.Project(x)
		for i := range x {
			if x[i] != tc.want[i] {
				t.Errorf("%s: %v -> %v, want %v", tc.name, tc.in, x, tc.want)
				break
			}
		}
	}
	// Through an optimizer: a step that would make the weight negative.
	p := &optim.Param{Name: "w", Value: []float64{0.1, 0.5}, Grad: []float64{10, -1}, Constraint: optim.NonNegative{}}
	if err := (&optim.SGD{}).Step([]*optim.Param{p}, 0.1); err != nil {
		t.Fatal(err)
	}
	if p.Value[0] != 0 || p.Value[1] != 0.6 {
		t.Errorf("constrained SGD step gave %v, want [0 0.6]", p.Value)
	}
}

// ClipNorm rescales to the bound (the norm of (3, 4) is 5) and leaves
// small gradients alone; ClipValue clamps.
func TestClip(t *testing.T) {
	ps := []*optim.Param{param([]float64{0}, []float64{3}), param([]float64{0}, []float64{4})}
	if n := optim.ClipNorm(ps, 1); n != 5 {
		t.Errorf("norm before clipping %g, want 5", n)
	}
	if n := optim.Norm(ps); math.Abs(n-1) > 1e-15 {
		t.Errorf("norm after clipping %g, want 1", n)
	}
	if math.Abs(ps[0].Grad[0]-0.6) > 1e-15 || math.Abs(ps[1].Grad[0]-0.8) > 1e-15 {
		t.Errorf("clipped gradients %g %g, want 0.6 0.8", ps[0].Grad[0], ps[1].Grad[0])
	}
	before := ps[0].Grad[0]
	optim.ClipNorm(ps, 10)
	if ps[0].Grad[0] != before {
		t.Errorf("ClipNorm changed a gradient below the bound")
	}
	optim.ClipValue(ps, 0.7)
	if ps[1].Grad[0] != 0.7 {
		t.Errorf("ClipValue: %g, want 0.7", ps[1].Grad[0])
	}
}

func TestFinite(t *testing.T) {
	ps := []*optim.Param{{Name: "a", Value: []float64{0, 0}, Grad: []float64{1, 2}}, {Name: "w", Value: []float64{0, 0}, Grad: []float64{0, math.NaN()}}}
	err := optim.Finite(ps)
	if err == nil || !strings.Contains(err.Error(), "w[1]") {
		t.Errorf("Finite: %v, want an error naming w[1]", err)
	}
	if err := optim.Finite(ps[:1]); err != nil {
		t.Error(err)
	}
}

// Schedule values computed by hand.
func TestSchedules(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    optim.Schedule
		step int
		want float64
	}{
		{"constant", optim.Constant(0.3), 99, 0.3},
		{"exponential", optim.Exponential{Initial: 1, Gamma: 0.5}, 3, 0.125},
		{"step", optim.StepDecay{Initial: 1, Factor: 0.1, Every: 10}, 25, 0.01},
		{"warm-up", optim.Cosine{Initial: 1, Final: 0, Steps: 110, Warmup: 10}, 4, 0.5},
		{"cosine start", optim.Cosine{Initial: 1, Final: 0, Steps: 110, Warmup: 10}, 10, 1},
		{"cosine middle", optim.Cosine{Initial: 1, Final: 0.2, Steps: 110, Warmup: 10}, 60, 0.6},
		{"cosine end", optim.Cosine{Initial: 1, Final: 0.2, Steps: 110, Warmup: 10}, 500, 0.2},
	} {
		if got := tc.s.Rate(tc.step); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: rate at step %d = %g, want %g", tc.name, tc.step, got, tc.want)
		}
	}
}

func TestStepErrors(t *testing.T) {
	o := &optim.Adam{}
	p := param([]float64{1}, []float64{1})
	if err := o.Step([]*optim.Param{p}, -1); err == nil {
		t.Error("accepted a negative learning rate")
	}
	if err := o.Step([]*optim.Param{p}, 0.1); err != nil {
		t.Fatal(err)
	}
	if err := o.Step([]*optim.Param{p, p}, 0.1); err == nil {
		t.Error("accepted a different number of parameters")
	}
	w := &optim.AdamW{}
	w.Step([]*optim.Param{p}, 0.1)
	if err := w.Step([]*optim.Param{param([]float64{1, 2}, []float64{0, 0})}, 0.1); err == nil {
		t.Error("AdamW accepted a parameter that changed length")
	}
}
