package graph

import (
	"fmt"
	"hash"
	"hash/fnv"
	"slices"
	"sync/atomic"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/adjoint"
)

// Output selects what a Window node returns.
type Output uint8

// Outputs of a Window.
const (
	Counts Output = iota // spike count per neuron over the window (N)
	Spikes               // spikes per step and neuron (T × N)
)

// Window is a simulation window as one Gorgonia operation: its forward
// pass runs the native model of package adjoint and its backward pass the
// native adjoint, so a graph of a few nodes (a stimulation encoder, the
// window, a decoder, a loss) is differentiated end to end by one
// gorgonia.Grad.
//
// Its inputs are the synaptic weights (a vector, one per synapse), the
// per-population conductance scales (a vector) and an injected current:
// a vector of N (constant over the window, added to the input's Bias) or a
// T × N matrix (added to the input's Current). Everything else (neuron,
// receptor and STP parameters, the initial state) is fixed when the
// Window is made. One Window is one operation node: make one per window
// in a graph.
type Window struct {
	w   *adjoint.Window
	p   *adjoint.Params
	s0  *adjoint.State
	in  adjoint.Input
	out Output
	id  uint64

	// The last forward pass: its inputs, record and final state.
	lastW, lastScale, lastCur []float64
	rec                       *adjoint.Record
	final                     *adjoint.State
	grads                     *adjoint.Grads
}

var windowID atomic.Uint64

var (
	_ G.Op   = (*Window)(nil)
	_ G.SDOp = (*Window)(nil)
	_ G.ADOp = (*Window)(nil)
)

// NewWindow returns the operation of window w, from state s0 with the
// fixed parameters p and input in (their W and Scale are replaced by the
// node's inputs).
func NewWindow(w *adjoint.Window, p *adjoint.Params, s0 *adjoint.State, in adjoint.Input, out Output) *Window {
	return &Window{w: w, p: p.Clone(), s0: s0, in: in, out: out, id: windowID.Add(1)}
}

// Apply adds the window to the graph of its inputs.
func (op *Window) Apply(weights, scale, current *G.Node) (*G.Node, error) {
	m := op.w.Model()
	n, T := m.N(), op.w.Len()
	switch {
	case weights.Shape().TotalSize() != m.NSynapses() || !weights.IsVector():
		return nil, fmt.Errorf("graph: window weights of shape %v, want a vector of %d synapses", weights.Shape(), m.NSynapses())
	case scale.Shape().TotalSize() != len(op.p.Scale) || !scale.IsVector():
		return nil, fmt.Errorf("graph: window scales of shape %v, want a vector of %d populations", scale.Shape(), len(op.p.Scale))
	case !(current.IsVector() && current.Shape().TotalSize() == n) && !(current.IsMatrix() && current.Shape().Eq(tensor.Shape{T, n})):
		return nil, fmt.Errorf("graph: window current of shape %v, want (%d) or (%d, %d)", current.Shape(), n, T, n)
	}
	return G.ApplyOp(op, weights, scale, current)
}

// Record returns the spikes of the last forward pass.
func (op *Window) Record() *adjoint.Record { return op.rec }

// Final returns the state at the end of the last forward pass: the
// initial state of the next window.
func (op *Window) Final() *adjoint.State { return op.final }

// Grads returns the gradients of the last backward pass (all of them,
// not only those of the node's inputs).
func (op *Window) Grads() *adjoint.Grads { return op.grads }

// Arity implements gorgonia.Op.
func (op *Window) Arity() int { return 3 }

// Type implements gorgonia.Op.
func (op *Window) Type() hm.Type {
	a := hm.TypeVariable('a')
	cur := hm.TypeVariable('c')
	od := 1
	if op.out == Spikes {
		od = 2
	}
	return hm.NewFnType(G.TensorType{Dims: 1, Of: a}, G.TensorType{Dims: 1, Of: a}, cur, G.TensorType{Dims: od, Of: a})
}

// InferShape implements gorgonia.Op.
func (op *Window) InferShape(...G.DimSizer) (tensor.Shape, error) {
	n := op.w.Model().N()
	if op.out == Spikes {
		return tensor.Shape{op.w.Len(), n}, nil
	}
	return tensor.Shape{n}, nil
}

func float64s(v G.Value) ([]float64, error) {
	t, ok := v.(*tensor.Dense)
	if !ok || t.Dtype() != tensor.Float64 {
		return nil, fmt.Errorf("graph: window inputs must be float64 tensors, got %T", v)
	}
	return t.Float64s(), nil
}

// forward runs the native window on input values unless the last run had
// the same ones.
func (op *Window) forward(in ...G.Value) error {
	if len(in) < 3 {
		return fmt.Errorf("graph: window takes 3 inputs, got %d", len(in))
	}
	w, err := float64s(in[0])
	if err != nil {
		return err
	}
	sc, err := float64s(in[1])
	if err != nil {
		return err
	}
	cur, err := float64s(in[2])
	if err != nil {
		return err
	}
	if op.rec != nil && slices.Equal(w, op.lastW) && slices.Equal(sc, op.lastScale) && slices.Equal(cur, op.lastCur) {
		return nil
	}
	p := op.p.Clone()
	copy(p.W, w)
	copy(p.Scale, sc)
	input := op.in
	n := op.w.Model().N()
	if len(cur) == n {
		input.Bias = addTo(op.in.Bias, cur)
	} else {
		input.Current = addTo(op.in.Current, cur)
	}
	rec, final, err := op.w.Forward(p, op.s0, input)
	if err != nil {
		op.rec = nil
		return err
	}
	op.rec, op.final = rec, final
	op.lastW, op.lastScale, op.lastCur = slices.Clone(w), slices.Clone(sc), slices.Clone(cur)
	return nil
}

func addTo(base, x []float64) []float64 {
	out := slices.Clone(x)
	for i := range base {
		out[i] += base[i]
	}
	return out
}

// Do implements gorgonia.Op: the native forward pass.
func (op *Window) Do(in ...G.Value) (G.Value, error) {
	if err := op.forward(in...); err != nil {
		return nil, err
	}
	if op.out == Spikes {
		return tensor.New(tensor.WithShape(op.w.Len(), op.w.Model().N()), tensor.WithBacking(op.rec.Dense())), nil
	}
	return tensor.New(tensor.WithShape(op.w.Model().N()), tensor.WithBacking(op.rec.Counts())), nil
}

// ReturnsPtr implements gorgonia.Op.
func (op *Window) ReturnsPtr() bool { return false }

// CallsExtern implements gorgonia.Op.
func (op *Window) CallsExtern() bool { return false }

// OverwritesInput implements gorgonia.Op.
func (op *Window) OverwritesInput() int { return -1 }

// WriteHash implements gorgonia.Op: every Window hashes differently.
func (op *Window) WriteHash(h hash.Hash) { fmt.Fprintf(h, "graph.Window#%d", op.id) }

// Hashcode implements gorgonia.Op.
func (op *Window) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op *Window) String() string {
	return fmt.Sprintf("Window#%d(N=%d, T=%d)", op.id, op.w.Model().N(), op.w.Len())
}

// DiffWRT implements gorgonia.SDOp.
func (op *Window) DiffWRT(int) []bool { return []bool{true, true, true} }

// SymDiff implements gorgonia.SDOp: one node runs the native adjoint and
// returns all input gradients in one vector, which slices and reshapes
// split.
func (op *Window) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	all, err := G.ApplyOp(&windowGrad{op}, inputs[0], inputs[1], inputs[2], grad)
	if err != nil {
		return nil, err
	}
	out := make(G.Nodes, 3)
	at := 0
	for k, x := range inputs[:3] {
		size := x.Shape().TotalSize()
		s, err := G.Slice(all, G.S(at, at+size))
		if err != nil {
			return nil, err
		}
		if x.IsMatrix() {
			if s, err = G.Reshape(s, x.Shape()); err != nil {
				return nil, err
			}
		}
		out[k] = s
		at += size
	}
	return out, nil
}

// DoDiff implements gorgonia.ADOp (the LispMachine): it adds the native
// gradients to the inputs' gradients.
func (op *Window) DoDiff(ctx G.ExecutionContext, inputs G.Nodes, output *G.Node) error {
	yd, err := output.Grad()
	if err != nil {
		return fmt.Errorf("graph: gradient of the window output: %w", err)
	}
	flat, err := op.backward(inputs[0].Value(), inputs[1].Value(), inputs[2].Value(), yd)
	if err != nil {
		return err
	}
	at := 0
	for _, x := range inputs[:3] {
		size := x.Shape().TotalSize()
		xd, err := x.Grad()
		if err != nil {
			return fmt.Errorf("graph: gradient of a window input: %w", err)
		}
		d, err := float64s(xd)
		if err != nil {
			return err
		}
		for i := range d {
			d[i] += flat[at+i]
		}
		at += size
	}
	return nil
}

// backward returns the gradients of all inputs, flattened, given the
// gradient of the output.
func (op *Window) backward(w, sc, cur, dy G.Value) ([]float64, error) {
	if err := op.forward(w, sc, cur); err != nil {
		return nil, err
	}
	d, err := float64s(dy)
	if err != nil {
		return nil, err
	}
	n := op.w.Model().N()
	var gs adjoint.SpikeGrad = countGrad(d)
	if op.out == Spikes {
		gs = denseGrad{d, n}
	}
	g, err := op.w.Backward(gs)
	if err != nil {
		return nil, err
	}
	op.grads = g
	out := slices.Concat(g.W, g.Scale)
	if len(op.lastCur) == n {
		return append(out, g.Bias...), nil
	}
	return append(out, g.Current...), nil
}

// countGrad is the gradient with respect to spike counts: the same for
// every step.
type countGrad []float64

func (c countGrad) AddSpikeGrad(_ int, ds []float64) {
	for i, x := range c {
		ds[i] += x
	}
}

// denseGrad is the gradient with respect to a T × N spike matrix.
type denseGrad struct {
	d []float64
	n int
}

func (g denseGrad) AddSpikeGrad(t int, ds []float64) {
	for i, x := range g.d[t*g.n : (t+1)*g.n] {
		ds[i] += x
	}
}

// windowGrad computes the flattened input gradients of a Window from its
// inputs and the gradient of its output.
type windowGrad struct{ op *Window }

func (g *windowGrad) Arity() int { return 4 }

func (g *windowGrad) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 1, Of: a}, G.TensorType{Dims: 1, Of: a}, hm.TypeVariable('c'), hm.TypeVariable('d'), G.TensorType{Dims: 1, Of: a})
}

func (g *windowGrad) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	size := 0
	for _, d := range in[:3] {
		s, ok := d.(tensor.Shape)
		if !ok {
			return nil, fmt.Errorf("graph: expected a shape, got %T", d)
		}
		size += s.TotalSize()
	}
	return tensor.Shape{size}, nil
}

func (g *windowGrad) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 4 {
		return nil, fmt.Errorf("graph: window gradient takes 4 inputs, got %d", len(in))
	}
	flat, err := g.op.backward(in[0], in[1], in[2], in[3])
	if err != nil {
		return nil, err
	}
	return tensor.New(tensor.WithShape(len(flat)), tensor.WithBacking(flat)), nil
}

func (g *windowGrad) ReturnsPtr() bool     { return false }
func (g *windowGrad) CallsExtern() bool    { return false }
func (g *windowGrad) OverwritesInput() int { return -1 }
func (g *windowGrad) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "graph.WindowGrad#%d", g.op.id)
}

func (g *windowGrad) Hashcode() uint32 {
	h := fnv.New32a()
	g.WriteHash(h)
	return h.Sum32()
}

func (g *windowGrad) String() string { return fmt.Sprintf("WindowGrad#%d", g.op.id) }
