package surrogate

import (
	"fmt"
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// problem is L(w) = Σ_k c_k · spike(w_k x_k - θ): the spike's input is
// linear in w, so dL/dw_k = c_k x_k σ'(w_k x_k - θ) (computed analytically).
type problem struct {
	w, x, c []float64
	theta   float64
}

func newProblem() problem {
	// Distances to threshold w·x - θ from -1.3 to 0.85 (none at the kink of
	// SuperSpike at 0), both signs of c and x.
	return problem{
		w:     []float64{0.55, 1.2, -0.3, 2.0, 0.9, -1.1},
		x:     []float64{1.0, 0.6, 2.0, -0.4, 1.5, -1.0},
		c:     []float64{1.0, -0.7, 0.4, 2.0, -1.3, 0.6},
		theta: 0.5,
	}
}

func (p problem) loss(f func(float64) float64, w []float64) float64 {
	s := 0.0
	for k := range w {
		s += p.c[k] * f(w[k]*p.x[k]-p.theta)
	}
	return s
}

func (p problem) grad(f Func) []float64 {
	g := make([]float64, len(p.w))
	for k := range g {
		g[k] = p.c[k] * p.x[k] * f.Deriv(p.w[k]*p.x[k]-p.theta)
	}
	return g
}

// build returns the graph of the problem in dtype dt.
func (p problem) build(dt tensor.Dtype, op Op) (g *G.ExprGraph, w, s, loss *G.Node) {
	g = G.NewGraph()
	vec := func(name string, x []float64) *G.Node {
		var b any = x
		if dt == tensor.Float32 {
			b = f32s(x)
		}
		return G.NewVector(g, dt, G.WithShape(len(x)), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(len(x)), tensor.WithBacking(b))))
	}
	w = vec("w", p.w)
	x := vec("x", p.x)
	c := vec("c", p.c)
	var th *G.Node
	if dt == tensor.Float32 {
		th = G.NewConstant(float32(p.theta))
	} else {
		th = G.NewConstant(p.theta)
	}
	z := G.Must(G.Sub(G.Must(G.HadamardProd(w, x)), th))
	s = G.Must(Apply(z, op))
	loss = G.Must(G.Sum(G.Must(G.HadamardProd(c, s))))
	return g, w, s, loss
}

func f32s(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

func values(v G.Value) []float64 {
	switch d := v.Data().(type) {
	case []float64:
		return d
	case float64:
		return []float64{d}
	case float32:
		return []float64{float64(d)}
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	}
	panic(fmt.Sprintf("unexpected %T", v.Data()))
}

// gradients runs the graph on the TapeMachine with gorgonia.Grad (SymDiff)
// or on the LispMachine (DoDiff) and returns the spikes and dL/dw.
func gradients(t *testing.T, p problem, dt tensor.Dtype, op Op, lisp bool) (spikes, dw []float64) {
	t.Helper()
	g, w, s, loss := p.build(dt, op)
	var sv G.Value
	G.Read(s, &sv)
	if lisp {
		m := G.NewLispMachine(g)
		defer m.Close()
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		gv, err := w.Grad()
		if err != nil {
			t.Fatal(err)
		}
		return values(sv), values(gv)
	}
	grads, err := G.Grad(loss, w)
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	return values(sv), values(grads[0].Value())
}

// Forward is the step and backward the surrogate, on both machines, in
// both dtypes: f64 to rounding (1e-13), f32 to 1e-5 (float32 has 24-bit
// mantissas and σ' is evaluated in float32).
func TestGradThroughOp(t *testing.T) {
	p := newProblem()
	for _, k := range kinds {
		f := New(k)
		want := p.grad(f)
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			tol := 1e-13
			if dt == tensor.Float32 {
				tol = 1e-5
			}
			for _, lisp := range []bool{false, true} {
				name := fmt.Sprintf("%v/%v/lisp=%t", f, dt, lisp)
				spikes, dw := gradients(t, p, dt, Op{F: f}, lisp)
				for i := range p.w {
					if s := Spike(float64(float32(p.w[i]*p.x[i] - p.theta))); spikes[i] != s {
						t.Errorf("%s: spike %d = %g, want %g", name, i, spikes[i], s)
					}
					if math.Abs(dw[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
						t.Errorf("%s: dL/dw[%d] = %.15g, want %.15g", name, i, dw[i], want[i])
					}
				}
			}
		}
	}
}

// With a smooth forward the surrogate gradient is the exact gradient:
// gorgonia.Grad equals central finite differences of the loss (h = 1e-6,
// error O(h²) plus rounding 1e-16/h).
func TestSmoothOpFiniteDifferences(t *testing.T) {
	p := newProblem()
	for _, k := range kinds {
		f := New(k)
		_, dw := gradients(t, p, tensor.Float64, Op{F: f, Smooth: true}, false)
		for i := range p.w {
			const h = 1e-6
			wp := append([]float64(nil), p.w...)
			wm := append([]float64(nil), p.w...)
			wp[i] += h
			wm[i] -= h
			fd := (p.loss(f.Smooth, wp) - p.loss(f.Smooth, wm)) / (2 * h)
			if math.Abs(fd-dw[i]) > 1e-7*math.Max(1, math.Abs(fd)) {
				t.Errorf("%v: dL/dw[%d] = %.12g, finite difference %.12g", f, i, dw[i], fd)
			}
		}
	}
}

// A detached spike passes no gradient: L = Σ c·spike(wx - θ) + Σ w has
// dL/dw = 1 (computed analytically), on both machines.
func TestDetached(t *testing.T) {
	p := newProblem()
	for _, lisp := range []bool{false, true} {
		g, w, _, loss := p.build(tensor.Float64, Op{F: New(SuperSpike), Detach: true})
		total := G.Must(G.Add(loss, G.Must(G.Sum(w))))
		var dw []float64
		if lisp {
			m := G.NewLispMachine(g)
			if err := m.RunAll(); err != nil {
				t.Fatal(err)
			}
			gv, _ := w.Grad()
			dw = values(gv)
			m.Close()
		} else {
			grads, err := G.Grad(total, w)
			if err != nil {
				t.Fatal(err)
			}
			m := G.NewTapeMachine(g)
			if err := m.RunAll(); err != nil {
				t.Fatal(err)
			}
			dw = values(grads[0].Value())
			m.Close()
		}
		for i, d := range dw {
			if d != 1 {
				t.Errorf("lisp=%t: dL/dw[%d] = %g, want 1", lisp, i, d)
			}
		}
	}
}

// Scalars (F64, F32) work like tensors.
func TestScalar(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		g := G.NewGraph()
		var x *G.Node
		if dt == tensor.Float64 {
			x = G.NewScalar(g, dt, G.WithName("x"), G.WithValue(0.1))
		} else {
			x = G.NewScalar(g, dt, G.WithName("x"), G.WithValue(float32(0.1)))
		}
		s := G.Must(Apply(x, Op{F: Func{SuperSpike, 10}}))
		grads, err := G.Grad(s, x)
		if err != nil {
			t.Fatal(err)
		}
		m := G.NewTapeMachine(g)
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		// spike(0.1) = 1; σ'(0.1) = 1/(1 + 10·0.1)² = 0.25.
		if v := values(s.Value())[0]; v != 1 {
			t.Errorf("%v: spike = %g, want 1", dt, v)
		}
		if d := values(grads[0].Value())[0]; math.Abs(d-0.25) > 1e-7 {
			t.Errorf("%v: gradient = %g, want 0.25", dt, d)
		}
		m.Close()
	}
}

func TestApplyRejectsBadSlope(t *testing.T) {
	g := G.NewGraph()
	x := G.NewVector(g, tensor.Float64, G.WithShape(2), G.WithName("x"))
	if _, err := Apply(x, Op{F: Func{Sigmoid, 0}}); err == nil {
		t.Error("Apply accepted β = 0")
	}
}

// Ops that differ only in their flags or slope hash differently, so that
// Gorgonia's hash-consing never merges them.
func TestHashesDiffer(t *testing.T) {
	ops := []Op{{F: Func{SuperSpike, 10}}, {F: Func{SuperSpike, 5}}, {F: Func{Sigmoid, 10}},
		{F: Func{SuperSpike, 10}, Smooth: true}, {F: Func{SuperSpike, 10}, Detach: true}}
	seen := map[uint32]Op{}
	for _, op := range ops {
		if o, ok := seen[op.Hashcode()]; ok {
			t.Errorf("%v and %v hash alike", op, o)
		}
		seen[op.Hashcode()] = op
	}
}
