package surrogate

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/internal/elemop"
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
	return elemop.ShapeOf(in[0])
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
	return elemop.Apply(prealloc, in[0], nil, func(x, _ float64) float64 { return f64(x) },
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
	return elemop.ShapeOf(in[0])
}

func (d derivOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("surrogate: spike derivative takes 2 inputs, got %d", len(in))
	}
	return d.UsePreallocDo(nil, in...)
}

func (d derivOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return elemop.Apply(prealloc, in[0], in[1],
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
