package graph

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/internal/elemop"
	"github.com/bl1-go/bl1/models"
)

// phiOp is the factor of exponential Euler, φ(y) = (1 - e^-y)/y with
// φ(0) = 1 (models.Phi), elementwise. Gorgonia's own operations cannot
// express it: (1 - e^-y)/y is 0/0 where no synapse is open, and every
// window starts there.
type phiOp struct{}

// phiDerivOp computes grad · φ'(y) for inputs (y, grad).
type phiDerivOp struct{}

var (
	_ G.Op              = phiOp{}
	_ G.SDOp            = phiOp{}
	_ G.UsePreallocDoer = phiOp{}
	_ G.Op              = phiDerivOp{}
	_ G.UsePreallocDoer = phiDerivOp{}
)

func phi32(y, _ float32) float32 { return float32(models.Phi(float64(y))) }

func phiDeriv32(y, g float32) float32 { return g * float32(models.PhiDeriv(float64(y))) }

func (phiOp) Arity() int { return 1 }

func (phiOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (phiOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("graph: phi takes 1 input, got %d", len(in))
	}
	return elemop.ShapeOf(in[0])
}

func (op phiOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("graph: phi takes 1 input, got %d", len(in))
	}
	return op.UsePreallocDo(nil, in...)
}

func (phiOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return elemop.Apply(prealloc, in[0], nil, func(y, _ float64) float64 { return models.Phi(y) }, phi32)
}

func (phiOp) ReturnsPtr() bool      { return false }
func (phiOp) CallsExtern() bool     { return false }
func (phiOp) OverwritesInput() int  { return -1 }
func (phiOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "graph.phi") }
func (phiOp) String() string        { return "Phi" }

func (op phiOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

// DiffWRT implements gorgonia.SDOp.
func (phiOp) DiffWRT(inputs int) []bool { return []bool{true} }

// SymDiff implements gorgonia.SDOp: ∂L/∂y = ∂L/∂φ · φ'(y).
func (phiOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("graph: phi takes 1 input, got %d", len(inputs))
	}
	dy, err := G.ApplyOp(phiDerivOp{}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dy}, nil
}

func (phiDerivOp) Arity() int { return 2 }

func (phiDerivOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (phiDerivOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("graph: phi derivative takes 2 inputs, got %d", len(in))
	}
	return elemop.ShapeOf(in[0])
}

func (d phiDerivOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("graph: phi derivative takes 2 inputs, got %d", len(in))
	}
	return d.UsePreallocDo(nil, in...)
}

func (phiDerivOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return elemop.Apply(prealloc, in[0], in[1], func(y, g float64) float64 { return g * models.PhiDeriv(y) }, phiDeriv32)
}

func (phiDerivOp) ReturnsPtr() bool      { return false }
func (phiDerivOp) CallsExtern() bool     { return false }
func (phiDerivOp) OverwritesInput() int  { return -1 }
func (phiDerivOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "graph.phiDeriv") }
func (phiDerivOp) String() string        { return "PhiDeriv" }

func (d phiDerivOp) Hashcode() uint32 {
	h := fnv.New32a()
	d.WriteHash(h)
	return h.Sum32()
}
