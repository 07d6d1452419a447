package surrogate

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Op is the spike function as a Gorgonia operation on a scalar or tensor of
// float32 or float64 holding x = v - θ. It implements gorgonia.Op, SDOp
// (gorgonia.Grad and the TapeMachine), ADOp (the LispMachine) and
// UsePreallocDoer.
type Op struct {
	F      Func
	Smooth bool // forward F.Smooth(x) instead of the Heaviside step
	Detach bool // pass no gradient (a stop-gradient spike, for detached resets)
}

var (
	_ G.Op              = Op{}
	_ G.SDOp            = Op{}
	_ G.ADOp            = Op{}
	_ G.UsePreallocDoer = Op{}
	_ G.Op              = derivOp{}
	_ G.UsePreallocDoer = derivOp{}
)

// Apply adds the spike of x to x's graph.
func Apply(x *G.Node, op Op) (*G.Node, error) {
	if err := op.F.Validate(); err != nil {
		return nil, fmt.Errorf("surrogate: %w", err)
	}
	return G.ApplyOp(op, x)
}

// Arity implements gorgonia.Op.
func (op Op) Arity() int { return 1 }

// Type implements gorgonia.Op: a → a for any dtype and shape.
func (op Op) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

// InferShape implements gorgonia.Op.
func (op Op) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("surrogate: spike takes 1 input, got %d", len(in))
	}
	return shapeOf(in[0])
}

// Do implements gorgonia.Op.
func (op Op) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("surrogate: spike takes 1 input, got %d", len(in))
	}
	return op.UsePreallocDo(nil, in...)
}

// UsePreallocDo implements gorgonia.UsePreallocDoer; prealloc may be nil.
func (op Op) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	f64 := Spike
	f32 := func(x float32) float32 { return float32(Spike(float64(x))) }
	if op.Smooth {
		f64, f32 = op.F.Smooth, op.F.Smooth32
	}
	return apply(prealloc, in[0], nil, func(x, _ float64) float64 { return f64(x) },
		func(x, _ float32) float32 { return f32(x) })
}

// ReturnsPtr implements gorgonia.Op.
func (op Op) ReturnsPtr() bool { return false }

// CallsExtern implements gorgonia.Op.
func (op Op) CallsExtern() bool { return false }

// OverwritesInput implements gorgonia.Op.
func (op Op) OverwritesInput() int { return -1 }

// WriteHash implements gorgonia.Op. Every field enters the hash, so that
// spikes of the same input that differ in kind, slope, smoothness or
// detachment are distinct nodes.
func (op Op) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "surrogate.Op{%d %x %t %t}", op.F.Kind, op.F.Beta, op.Smooth, op.Detach)
}

// Hashcode implements gorgonia.Op.
func (op Op) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op Op) String() string {
	s := "Spike[" + op.F.String()
	if op.Smooth {
		s += ",smooth"
	}
	if op.Detach {
		s += ",detached"
	}
	return s + "]"
}

// DiffWRT implements gorgonia.SDOp.
func (op Op) DiffWRT(inputs int) []bool { return []bool{!op.Detach} }

// SymDiff implements gorgonia.SDOp: ∂L/∂x = ∂L/∂s · σ'(x), one fused node.
func (op Op) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("surrogate: spike takes 1 input, got %d", len(inputs))
	}
	if op.Detach {
		return nil, fmt.Errorf("surrogate: %v is detached and has no gradient", op)
	}
	dx, err := G.ApplyOp(derivOp{op.F}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// DoDiff implements gorgonia.ADOp: adds ∂L/∂s · σ'(x) to x's gradient in
// place.
func (op Op) DoDiff(ctx G.ExecutionContext, inputs G.Nodes, output *G.Node) error {
	if len(inputs) != 1 {
		return fmt.Errorf("surrogate: spike takes 1 input, got %d", len(inputs))
	}
	if op.Detach {
		return nil
	}
	xd, err := inputs[0].Grad()
	if err != nil {
		return fmt.Errorf("surrogate: gradient of the input of %v: %w", op, err)
	}
	yd, err := output.Grad()
	if err != nil {
		return fmt.Errorf("surrogate: gradient of %v: %w", op, err)
	}
	x := inputs[0].Value()
	d := derivOp{op.F}
	switch xd := xd.(type) {
	case *G.F64:
		*xd += G.F64(float64(*yd.(*G.F64)) * op.F.Deriv(float64(*x.(*G.F64))))
		return nil
	case *G.F32:
		*xd += G.F32(float32(*yd.(*G.F32)) * op.F.Deriv32(float32(*x.(*G.F32))))
		return nil
	case *tensor.Dense:
		g, err := d.Do(x, yd)
		if err != nil {
			return err
		}
		_, err = tensor.Add(xd, g.(*tensor.Dense), tensor.UseUnsafe())
		return err
	}
	return fmt.Errorf("surrogate: gradient of type %T not supported", xd)
}

// derivOp computes grad · σ'(x) for inputs (x, grad).
type derivOp struct{ F Func }

func (d derivOp) Arity() int { return 2 }

func (d derivOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (d derivOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("surrogate: spike derivative takes 2 inputs, got %d", len(in))
	}
	return shapeOf(in[0])
}

func (d derivOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("surrogate: spike derivative takes 2 inputs, got %d", len(in))
	}
	return d.UsePreallocDo(nil, in...)
}

func (d derivOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return apply(prealloc, in[0], in[1],
		func(x, g float64) float64 { return g * d.F.Deriv(x) },
		func(x, g float32) float32 { return g * d.F.Deriv32(x) })
}

func (d derivOp) ReturnsPtr() bool     { return false }
func (d derivOp) CallsExtern() bool    { return false }
func (d derivOp) OverwritesInput() int { return -1 }

func (d derivOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "surrogate.deriv{%d %x}", d.F.Kind, d.F.Beta)
}

func (d derivOp) Hashcode() uint32 {
	h := fnv.New32a()
	d.WriteHash(h)
	return h.Sum32()
}

func (d derivOp) String() string { return "SpikeDeriv[" + d.F.String() + "]" }

func shapeOf(d G.DimSizer) (tensor.Shape, error) {
	s, ok := d.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("surrogate: expected a shape, got %T", d)
	}
	return s.Clone(), nil
}

// apply computes out = f(x, g) elementwise (g may be nil) into prealloc
// when it fits, or a new value.
func apply(prealloc, x, g G.Value, f64 func(x, g float64) float64, f32 func(x, g float32) float32) (G.Value, error) {
	switch x := x.(type) {
	case *G.F64:
		var gv float64
		if g != nil {
			gg, ok := g.(*G.F64)
			if !ok {
				return nil, fmt.Errorf("surrogate: gradient %T does not match input %T", g, x)
			}
			gv = float64(*gg)
		}
		return G.NewF64(f64(float64(*x), gv)), nil
	case *G.F32:
		var gv float32
		if g != nil {
			gg, ok := g.(*G.F32)
			if !ok {
				return nil, fmt.Errorf("surrogate: gradient %T does not match input %T", g, x)
			}
			gv = float32(*gg)
		}
		return G.NewF32(f32(float32(*x), gv)), nil
	case *tensor.Dense:
		var gd *tensor.Dense
		if g != nil {
			var ok bool
			if gd, ok = g.(*tensor.Dense); !ok || gd.Dtype() != x.Dtype() || gd.Shape().TotalSize() != x.Shape().TotalSize() {
				return nil, fmt.Errorf("surrogate: gradient %v does not match input %v", g.Shape(), x.Shape())
			}
		}
		out, ok := prealloc.(*tensor.Dense)
		if !ok || out.Dtype() != x.Dtype() || out.Shape().TotalSize() != x.Shape().TotalSize() {
			out = tensor.New(tensor.Of(x.Dtype()), tensor.WithShape(x.Shape().Clone()...))
		}
		switch x.Dtype() {
		case tensor.Float64:
			xs, os := x.Float64s(), out.Float64s()
			var gs []float64
			if gd != nil {
				gs = gd.Float64s()
			}
			for i, xi := range xs {
				var gi float64
				if gs != nil {
					gi = gs[i]
				}
				os[i] = f64(xi, gi)
			}
		case tensor.Float32:
			xs, os := x.Float32s(), out.Float32s()
			var gs []float32
			if gd != nil {
				gs = gd.Float32s()
			}
			for i, xi := range xs {
				var gi float32
				if gs != nil {
					gi = gs[i]
				}
				os[i] = f32(xi, gi)
			}
		default:
			return nil, fmt.Errorf("surrogate: dtype %v not supported (float32 or float64)", x.Dtype())
		}
		return out, nil
	}
	return nil, fmt.Errorf("surrogate: value of type %T not supported", x)
}
