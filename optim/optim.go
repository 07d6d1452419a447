package optim

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Param is a learnable vector and its gradient.
type Param struct {
	Name       string
	Value      []float64
	Grad       []float64
	Constraint Constraint // nil: unconstrained
}

// Optimizer updates parameters from their gradients.
type Optimizer interface {
	// Step updates every parameter in place with learning rate lr, then
	// projects it with its constraint. It consumes the gradients (sets them
	// to zero). Parameters must come in the same order at every step:
	// optimizer state is kept by position.
	Step(ps []*Param, lr float64) error
}

var (
	_ Optimizer = (*SGD)(nil)
	_ Optimizer = (*Momentum)(nil)
	_ Optimizer = (*RMSProp)(nil)
	_ Optimizer = (*Adam)(nil)
	_ Optimizer = (*AdamW)(nil)
)

const badGrad = "optim: gradient and value lengths differ"

func check(ps []*Param, n int, lr float64) error {
	if n >= 0 && len(ps) != n {
		return fmt.Errorf("optim: %d parameters, but the optimizer was started with %d", len(ps), n)
	}
	if !(lr >= 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("optim: learning rate %g, must be >= 0 and finite", lr)
	}
	for _, p := range ps {
		if len(p.Grad) != len(p.Value) {
			panic(badGrad)
		}
	}
	return nil
}

func project(ps []*Param) {
	for _, p := range ps {
		if p.Constraint != nil {
			p.Constraint.Project(p.Value)
		}
	}
}

// valueGrad presents a Param to Gorgonia's solvers: tensors that share the
// Param's slices.
type valueGrad struct{ v, g *tensor.Dense }

func (x valueGrad) Value() G.Value         { return x.v }
func (x valueGrad) Grad() (G.Value, error) { return x.g, nil }

// solver runs one of Gorgonia's solvers on Params.
type solver struct {
	s G.Solver
	n int
}

func (s *solver) step(ps []*Param, lr float64, newSolver func() G.Solver) error {
	if s.s == nil {
		s.s, s.n = newSolver(), len(ps)
	}
	if err := check(ps, s.n, lr); err != nil {
		return err
	}
	G.WithLearnRate(lr)(s.s)
	vgs := make([]G.ValueGrad, len(ps))
	for i, p := range ps {
		vgs[i] = valueGrad{
			v: tensor.New(tensor.WithShape(len(p.Value)), tensor.WithBacking(p.Value)),
			g: tensor.New(tensor.WithShape(len(p.Grad)), tensor.WithBacking(p.Grad)),
		}
	}
	if err := s.s.Step(vgs); err != nil {
		return fmt.Errorf("optim: %w", err)
	}
	project(ps)
	return nil
}

// SGD is plain gradient descent (Gorgonia's VanillaSolver).
type SGD struct{ solver }

// Step implements Optimizer.
func (o *SGD) Step(ps []*Param, lr float64) error {
	return o.step(ps, lr, func() G.Solver { return G.NewVanillaSolver() })
}

// Momentum is gradient descent with momentum (Gorgonia's Momentum).
type Momentum struct {
	Mu float64 // momentum, [0, 1); 0 means 0.9
	solver
}

// Step implements Optimizer.
func (o *Momentum) Step(ps []*Param, lr float64) error {
	return o.step(ps, lr, func() G.Solver { return G.NewMomentum(G.WithMomentum(or(o.Mu, 0.9))) })
}

// RMSProp scales steps by a running root mean square of the gradients
// (Gorgonia's RMSPropSolver).
type RMSProp struct {
	Rho, Eps float64 // decay (0 means 0.9) and smoothing (0 means 1e-8)
	solver
}

// Step implements Optimizer.
func (o *RMSProp) Step(ps []*Param, lr float64) error {
	return o.step(ps, lr, func() G.Solver {
		return G.NewRMSPropSolver(G.WithRho(or(o.Rho, 0.9)), G.WithEps(or(o.Eps, 1e-8)))
	})
}

// Adam is adaptive moment estimation (Gorgonia's AdamSolver).
type Adam struct {
	Beta1, Beta2, Eps float64 // 0 means 0.9, 0.999, 1e-8
	solver
}

// Step implements Optimizer.
func (o *Adam) Step(ps []*Param, lr float64) error {
	return o.step(ps, lr, func() G.Solver {
		return G.NewAdamSolver(G.WithBeta1(or(o.Beta1, 0.9)), G.WithBeta2(or(o.Beta2, 0.999)), G.WithEps(or(o.Eps, 1e-8)))
	})
}

// AdamW is Adam with decoupled weight decay.
type AdamW struct {
	Beta1, Beta2, Eps float64 // 0 means 0.9, 0.999, 1e-8
	WeightDecay       float64 // λ; 0 means 0.01, < 0 means none
	m, v              [][]float64
	t                 int
}

// Step implements Optimizer.
func (o *AdamW) Step(ps []*Param, lr float64) error {
	n := -1
	if o.m != nil {
		n = len(o.m)
	}
	if err := check(ps, n, lr); err != nil {
		return err
	}
	if o.m == nil {
		for _, p := range ps {
			o.m = append(o.m, make([]float64, len(p.Value)))
			o.v = append(o.v, make([]float64, len(p.Value)))
		}
	}
	b1, b2, eps := or(o.Beta1, 0.9), or(o.Beta2, 0.999), or(o.Eps, 1e-8)
	wd := or(o.WeightDecay, 0.01)
	if wd < 0 {
		wd = 0
	}
	o.t++
	c1 := 1 - math.Pow(b1, float64(o.t))
	c2 := 1 - math.Pow(b2, float64(o.t))
	for k, p := range ps {
		m, v := o.m[k], o.v[k]
		if len(m) != len(p.Value) {
			return fmt.Errorf("optim: parameter %d (%s) has %d values, %d at the first step", k, p.Name, len(p.Value), len(m))
		}
		for i, g := range p.Grad {
			m[i] = b1*m[i] + (1-b1)*g
			v[i] = b2*v[i] + (1-b2)*g*g
			x := p.Value[i]
			p.Value[i] = x - lr*((m[i]/c1)/(math.Sqrt(v[i]/c2)+eps)+wd*x)
			p.Grad[i] = 0
		}
	}
	project(ps)
	return nil
}

func or(x, def float64) float64 {
	if x == 0 {
		return def
	}
	return x
}

// Norm returns the Euclidean norm of all gradients together.
func Norm(ps []*Param) float64 {
	s := 0.0
	for _, p := range ps {
		for _, g := range p.Grad {
			s += g * g
		}
	}
	return math.Sqrt(s)
}

// ClipNorm scales all gradients by c/‖g‖ when their global norm ‖g‖
// exceeds c, and returns ‖g‖ before clipping.
func ClipNorm(ps []*Param, c float64) float64 {
	n := Norm(ps)
	if n > c && n > 0 {
		f := c / n
		for _, p := range ps {
			for i := range p.Grad {
				p.Grad[i] *= f
			}
		}
	}
	return n
}

// ClipValue clamps every gradient component to [-c, c].
func ClipValue(ps []*Param, c float64) {
	for _, p := range ps {
		for i, g := range p.Grad {
			p.Grad[i] = max(-c, min(c, g))
		}
	}
}

// Finite reports the first non-finite gradient component, naming the
// parameter and the index.
func Finite(ps []*Param) error {
	for _, p := range ps {
		for i, g := range p.Grad {
			if math.IsNaN(g) || math.IsInf(g, 0) {
				return fmt.Errorf("optim: gradient of %s[%d] is %g", p.Name, i, g)
			}
		}
	}
	return nil
}
