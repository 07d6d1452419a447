package fit

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/optim"
)

// Knob is one fitted scalar: where it acts in a model's parameters, its
// bounds and the chain rule from the model's gradient to it.
type Knob struct {
	Name   string
	Value  float64
	Lo, Hi float64 // bounds of Value

	set  func(p *adjoint.Params, v float64)
	grad func(g *adjoint.Grads) float64
}

// NewKnob returns a knob that applies its value with set and takes its
// gradient from the model's with grad.
func NewKnob(name string, value, lo, hi float64, set func(p *adjoint.Params, v float64), grad func(g *adjoint.Grads) float64) *Knob {
	return &Knob{Name: name, Value: value, Lo: lo, Hi: hi, set: set, grad: grad}
}

// populations returns the populations of m with the given sign.
func populations(m *adjoint.Model, p *adjoint.Params, excitatory bool) []int {
	var out []int
	for k, t := range p.Types {
		if t.Excitatory == excitatory {
			out = append(out, k)
		}
	}
	return out
}

// Conductance returns the knob of the conductance g of the excitatory (or
// inhibitory) synapses, g_exc or g_inh of the config, for parameters p whose
// weights were built with g0: it sets the conductance scale of those
// populations to g/g0 (∂L/∂g = Σ_p ∂L/∂Scale_p / g0).
func Conductance(m *adjoint.Model, p *adjoint.Params, excitatory bool, g0 float64) *Knob {
	pops := populations(m, p, excitatory)
	name := "g_inh"
	if excitatory {
		name = "g_exc"
	}
	v := g0
	if len(pops) > 0 {
		v = g0 * p.Scale[pops[0]]
	}
	return NewKnob(name, v, 0, math.Inf(1),
		func(p *adjoint.Params, v float64) {
			for _, k := range pops {
				p.Scale[k] = v / g0
			}
		},
		func(g *adjoint.Grads) float64 {
			s := 0.0
			for _, k := range pops {
				s += g.Scale[k]
			}
			return s / g0
		})
}

// STPU returns the knob of the STP utilisation U of the excitatory (or
// inhibitory) populations, in [0.01, 1].
func STPU(m *adjoint.Model, p *adjoint.Params, excitatory bool) *Knob {
	pops := populations(m, p, excitatory)
	name := "stp_u_inh"
	if excitatory {
		name = "stp_u_exc"
	}
	v := 0.0
	if len(pops) > 0 && len(p.STP) > 0 {
		v = p.STP[pops[0]].U
	}
	return NewKnob(name, v, 0.01, 1,
		func(p *adjoint.Params, v float64) {
			for _, k := range pops {
				p.STP[k].U = v
			}
		},
		func(g *adjoint.Grads) float64 {
			s := 0.0
			for _, k := range pops {
				s += g.STP[k].U
			}
			return s
		})
}

// Fraction returns the knob of the NMDA (nmda true) or GABA_B receptor
// fraction, in [0, 1].
func Fraction(p *adjoint.Params, nmda bool) *Knob {
	if nmda {
		return NewKnob("nmda_fraction", p.NMDAFraction, 0, 1,
			func(p *adjoint.Params, v float64) { p.NMDAFraction = v },
			func(g *adjoint.Grads) float64 { return g.NMDAFraction })
	}
	return NewKnob("gaba_b_fraction", p.GABABFraction, 0, 1,
		func(p *adjoint.Params, v float64) { p.GABABFraction = v },
		func(g *adjoint.Grads) float64 { return g.GABABFraction })
}

// Fitter fits knobs of a model to a loss by gradient descent through
// simulation windows. Every iteration starts from State (the drive's
// noise is keyed by the step number, so it is the same every iteration)
// and runs Windows consecutive windows of Window steps, each with its own
// loss and adjoint (truncated backpropagation through time at window
// boundaries); the knobs' gradients are averaged over the windows.
type Fitter struct {
	Model  *adjoint.Model
	Params *adjoint.Params // everything not fitted
	State  *adjoint.State  // start of the first window
	Input  adjoint.Input   // per window (Current, if any, is a window's)
	Knobs  []*Knob

	Window, Windows int
	// Loss returns the loss of window k of an iteration.
	Loss func(k int) Loss

	Options   adjoint.Options
	Optimizer optim.Optimizer // nil: Adam
	Schedule  optim.Schedule  // nil: constant 0.01
	// ClipNorm bounds the Euclidean norm of the knobs' gradient (0: no
	// clipping).
	ClipNorm float64
	// Scale divides each knob's value inside the optimizer, so that one
	// learning rate suits knobs of different magnitudes; 0 uses the
	// knob's starting value (or 1 if that is 0).
	Scale []float64
}

// Iteration is the record of one iteration.
type Iteration struct {
	Loss      float64   `json:"loss"`
	Values    []float64 `json:"values"` // the knobs' values used in this iteration
	Grad      []float64 `json:"grad"`   // ∂L/∂knob
	Spikes    int       `json:"spikes"`
	LearnRate float64   `json:"learn_rate"`
}

// Result is the outcome of a fit.
type Result struct {
	Names      []string    `json:"names"`
	Start      []float64   `json:"start"`
	Final      []float64   `json:"final"`
	Iterations []Iteration `json:"iterations"`
}

// ErrDiverged is returned when the loss or a gradient becomes non-finite.
var ErrDiverged = errors.New("fit: the loss or its gradient is not finite")

// Run performs iterations steps of gradient descent. progress, when not
// nil, is called after each iteration. On an error the result holds the
// iterations done so far.
func (f *Fitter) Run(iterations int, progress func(k int, it Iteration)) (*Result, error) {
	if len(f.Knobs) == 0 {
		return nil, errors.New("fit: no knobs to fit")
	}
	if f.Window < 1 || f.Windows < 1 {
		return nil, fmt.Errorf("fit: %d windows of %d steps", f.Windows, f.Window)
	}
	w, err := adjoint.NewWindow(f.Model, f.Window, f.Options)
	if err != nil {
		return nil, err
	}
	opt := f.Optimizer
	if opt == nil {
		opt = &optim.Adam{}
	}
	sched := f.Schedule
	if sched == nil {
		sched = optim.Constant(0.01)
	}
	nk := len(f.Knobs)
	scale := make([]float64, nk)
	for i, k := range f.Knobs {
		scale[i] = math.Abs(k.Value)
		if i < len(f.Scale) && f.Scale[i] > 0 {
			scale[i] = f.Scale[i]
		}
		if scale[i] == 0 {
			scale[i] = 1
		}
	}
	res := &Result{}
	for _, k := range f.Knobs {
		res.Names = append(res.Names, k.Name)
		res.Start = append(res.Start, k.Value)
	}
	// The optimizer works on the scaled values θ_i = value_i / scale_i.
	theta := &optim.Param{Name: "knobs", Value: make([]float64, nk), Grad: make([]float64, nk), Constraint: bounds{f.Knobs, scale}}
	for i, k := range f.Knobs {
		theta.Value[i] = k.Value / scale[i]
	}
	p := f.Params.Clone()
	for it := range iterations {
		for i, k := range f.Knobs {
			k.Value = theta.Value[i] * scale[i]
			k.set(p, k.Value)
		}
		loss, grad, spikes, err := f.evaluate(w, p)
		rec := Iteration{Loss: loss, Values: f.values(), Grad: grad, Spikes: spikes, LearnRate: sched.Rate(it)}
		if err != nil {
			res.Final = f.values()
			return res, err
		}
		res.Iterations = append(res.Iterations, rec)
		if progress != nil {
			progress(it, rec)
		}
		for i := range grad {
			theta.Grad[i] = grad[i] * scale[i]
		}
		if f.ClipNorm > 0 {
			optim.ClipNorm([]*optim.Param{theta}, f.ClipNorm)
		}
		if err := opt.Step([]*optim.Param{theta}, rec.LearnRate); err != nil {
			res.Final = f.values()
			return res, err
		}
	}
	for i, k := range f.Knobs {
		k.Value = theta.Value[i] * scale[i]
	}
	res.Final = f.values()
	return res, nil
}

func (f *Fitter) values() []float64 {
	v := make([]float64, len(f.Knobs))
	for i, k := range f.Knobs {
		v[i] = k.Value
	}
	return v
}

// evaluate runs the windows of one iteration and returns the mean loss,
// its gradient with respect to the knobs and the number of spikes.
func (f *Fitter) evaluate(w *adjoint.Window, p *adjoint.Params) (float64, []float64, int, error) {
	s := f.State
	grad := make([]float64, len(f.Knobs))
	total, spikes := 0.0, 0
	for k := range f.Windows {
		rec, next, err := w.Forward(p, s, f.Input)
		if err != nil {
			return math.NaN(), grad, spikes, fmt.Errorf("fit: window %d: %w", k, err)
		}
		spikes += len(rec.IDs)
		l := f.Loss(k)
		v := l.Value(rec)
		g, err := w.Backward(l)
		if err != nil {
			return math.NaN(), grad, spikes, err
		}
		total += v
		for i, kn := range f.Knobs {
			grad[i] += kn.grad(g)
		}
		s = next
	}
	n := float64(f.Windows)
	total /= n
	for i := range grad {
		grad[i] /= n
	}
	if math.IsNaN(total) || math.IsInf(total, 0) || slices.ContainsFunc(grad, func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }) {
		return total, grad, spikes, ErrDiverged
	}
	return total, grad, spikes, nil
}

// bounds keeps the scaled knob values within the knobs' bounds.
type bounds struct {
	knobs []*Knob
	scale []float64
}

func (b bounds) Project(x []float64) {
	for i, k := range b.knobs {
		x[i] = max(k.Lo/b.scale[i], min(k.Hi/b.scale[i], x[i]))
	}
}
