package graph_test

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/graph"
	"github.com/bl1-go/bl1/internal/adjtest"
	"github.com/bl1-go/bl1/surrogate"
)

// pipeline is encoder → window → decoder → loss in one graph, the window
// either the native Window op or the unrolled reference.
type pipeline struct {
	g        *G.ExprGraph
	enc      *graph.Encoder
	dec      *graph.Decoder
	w, scale *G.Node
	loss     *G.Node
	nodes    int
	op       *graph.Window
}

const (
	nTask, nElec, nChan = 3, 4, 3
)

// build makes the pipeline. Task variables u, the coupling of electrode
// e to neuron i and the channel assignment are fixed test data.
func build(t *testing.T, m *adjoint.Model, p *adjoint.Params, s0 *adjoint.State, T int, opt adjoint.Options, unrolled bool) *pipeline {
	t.Helper()
	n := m.N()
	g := G.NewGraph()
	u := G.NewVector(g, G.Float64, G.WithShape(nTask), G.WithName("u"),
		G.WithValue(tensor.New(tensor.WithBacking([]float64{0.5, -1, 2}))))
	coupling := make([]float64, n*nElec)
	assign := make([]float64, nChan*n)
	for i := range n {
		coupling[i*nElec+i%nElec] = 1 + 0.1*float64(i%3)
		assign[(i%nChan)*n+i] = 1
	}
	enc, err := graph.NewEncoder(g, nTask, coupling, n, nElec, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, cur, err := enc.Apply(u)
	if err != nil {
		t.Fatal(err)
	}
	pl := &pipeline{g: g, enc: enc}
	pl.w = G.NewVector(g, G.Float64, G.WithShape(len(p.W)), G.WithName("W"), G.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), p.W...)))))
	pl.scale = G.NewVector(g, G.Float64, G.WithShape(len(p.Scale)), G.WithName("Scale"), G.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), p.Scale...)))))
	var counts *G.Node
	if unrolled {
		ref, err := graph.Unroll(m, p, s0, adjoint.Input{}, T, opt, &graph.On{Graph: g, W: pl.w, Scale: pl.scale, Bias: cur})
		if err != nil {
			t.Fatal(err)
		}
		counts = ref.Counts
	} else {
		w, err := adjoint.NewWindow(m, T, opt)
		if err != nil {
			t.Fatal(err)
		}
		pl.op = graph.NewWindow(w, p, s0, adjoint.Input{}, graph.Counts)
		if counts, err = pl.op.Apply(pl.w, pl.scale, cur); err != nil {
			t.Fatal(err)
		}
	}
	dec, err := graph.NewDecoder(g, assign, nChan, n, 2, float64(T)*m.Dt/1000, 2)
	if err != nil {
		t.Fatal(err)
	}
	pl.dec = dec
	_, y, err := dec.Apply(counts)
	if err != nil {
		t.Fatal(err)
	}
	want := G.NewVector(g, G.Float64, G.WithShape(2), G.WithName("ytarget"), G.WithValue(tensor.New(tensor.WithBacking([]float64{30, -10}))))
	target := make([]float64, n)
	for i := range target {
		target[i] = float64(i % 3)
	}
	tc := G.NewVector(g, G.Float64, G.WithShape(n), G.WithName("ctarget"), G.WithValue(tensor.New(tensor.WithBacking(target))))
	ly := G.Must(G.Sum(G.Must(G.Square(G.Must(G.Sub(y, want))))))
	lc := G.Must(G.Sum(G.Must(G.Square(G.Must(G.Sub(counts, tc))))))
	pl.loss = G.Must(G.Add(G.Must(G.Mul(ly, G.NewConstant(1e-4))), lc))
	pl.nodes = g.AllNodes().Len()
	return pl
}

func (pl *pipeline) params() G.Nodes {
	return G.Nodes{pl.enc.M, pl.enc.B, pl.w, pl.scale, pl.dec.D, pl.dec.B}
}

var paramNames = []string{"encoder M", "encoder b", "W", "Scale", "decoder D", "decoder d"}

// gradients runs the pipeline with gorgonia.Grad on the TapeMachine.
func (pl *pipeline) gradients(t *testing.T) (float64, [][]float64) {
	t.Helper()
	grads, err := G.Grad(pl.loss, pl.params()...)
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(pl.g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	var out [][]float64
	for _, g := range grads {
		out = append(out, append([]float64(nil), g.Value().Data().([]float64)...))
	}
	return pl.loss.Value().Data().(float64), out
}

// Encoder → Window → decoder → loss has the gradients of the same
// pipeline around the fully unrolled window, with a few nodes instead of
// thousands; the LispMachine (DoDiff) gives them too.
func TestWindowOpMatchesUnrolled(t *testing.T) {
	const T = 30
	for _, tc := range []struct {
		name string
		spec adjtest.Spec
		opt  adjoint.Options
	}{
		{"izh+adex/stp", adjtest.Spec{Seed: 21, NIzh: 8, NAdEx: 4, STP: true}, adjoint.Options{Surrogate: surrogate.New(surrogate.SuperSpike)}},
		{"izh/detached/checkpointed", adjtest.Spec{Seed: 22, NIzh: 12}, adjoint.Options{Surrogate: surrogate.New(surrogate.Arctan), DetachReset: true, Checkpoint: 8}},
		{"izh+adex/stp/exponential-euler", adjtest.Spec{Seed: 25, NIzh: 8, NAdEx: 4, STP: true, Exponential: true}, adjoint.Options{Surrogate: surrogate.New(surrogate.SuperSpike)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, p, s0 := adjtest.Network(tc.spec)
			op := build(t, m, p, s0, T, tc.opt, false)
			lOp, gOp := op.gradients(t)
			ref := build(t, m, p, s0, T, tc.opt, true)
			lRef, gRef := ref.gradients(t)
			t.Logf("window-op graph: %d nodes; unrolled: %d nodes; %d spikes", op.nodes, ref.nodes, len(op.op.Record().IDs))
			if len(op.op.Record().IDs) == 0 {
				t.Fatal("no spikes")
			}
			if math.Abs(lOp-lRef) > 1e-12*math.Abs(lRef) {
				t.Errorf("loss: window op %.17g, unrolled %.17g", lOp, lRef)
			}
			worst := 0.0
			for k := range gOp {
				e := relErr(gOp[k], gRef[k])
				worst = math.Max(worst, e)
				if e > 1e-9 {
					t.Errorf("∂L/∂%s: relative error %.3g\n window op %.10g\n unrolled  %.10g", paramNames[k], e, gOp[k], gRef[k])
				}
			}
			t.Logf("largest relative gradient error %.3g", worst)

			// The LispMachine differentiates through DoDiff.
			lisp := build(t, m, p, s0, T, tc.opt, false)
			vm := G.NewLispMachine(lisp.g)
			defer vm.Close()
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			for k, n := range lisp.params() {
				d, err := n.Grad()
				if err != nil {
					t.Fatal(err)
				}
				if e := relErr(d.Data().([]float64), gRef[k]); e > 1e-9 {
					t.Errorf("LispMachine ∂L/∂%s: relative error %.3g", paramNames[k], e)
				}
			}
		})
	}
}

// The Spikes output (T × N) passes a per-step gradient: Σ C ⊙ S +
// Σ (counts - target)² through the op equals the native adjoint of the
// same loss (adjtest.Loss), and a T × N current gets ∂L/∂I(t).
func TestWindowOpSpikes(t *testing.T) {
	const T = 25
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 23, NIzh: 10, STP: true})
	n := m.N()
	in := adjtest.Input(23, T, n)
	loss := adjtest.NewLoss(23, T, n)
	w, _ := adjoint.NewWindow(m, T, adjoint.Options{})
	rec, _, err := w.Forward(p, s0, in)
	if err != nil {
		t.Fatal(err)
	}
	loss.Value(rec)
	want, err := w.Backward(loss)
	if err != nil {
		t.Fatal(err)
	}

	g := G.NewGraph()
	wn := G.NewVector(g, G.Float64, G.WithShape(len(p.W)), G.WithName("W"), G.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), p.W...)))))
	sn := G.NewVector(g, G.Float64, G.WithShape(len(p.Scale)), G.WithName("Scale"), G.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), p.Scale...)))))
	cur := G.NewMatrix(g, G.Float64, G.WithShape(T, n), G.WithName("I"), G.WithValue(tensor.New(tensor.WithShape(T, n), tensor.WithBacking(append([]float64(nil), in.Current...)))))
	w2, _ := adjoint.NewWindow(m, T, adjoint.Options{})
	op := graph.NewWindow(w2, p, s0, adjoint.Input{Bias: in.Bias}, graph.Spikes)
	S, err := op.Apply(wn, sn, cur)
	if err != nil {
		t.Fatal(err)
	}
	c := G.NewMatrix(g, G.Float64, G.WithShape(T, n), G.WithName("C"), G.WithValue(tensor.New(tensor.WithShape(T, n), tensor.WithBacking(append([]float64(nil), loss.C...)))))
	tg := G.NewVector(g, G.Float64, G.WithShape(n), G.WithName("target"), G.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), loss.Target...)))))
	counts := G.Must(G.Sum(S, 0))
	L := G.Must(G.Add(G.Must(G.Sum(G.Must(G.HadamardProd(c, S)))), G.Must(G.Sum(G.Must(G.Square(G.Must(G.Sub(counts, tg))))))))
	grads, err := G.Grad(L, wn, sn, cur)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	for k, w := range [][]float64{want.W, want.Scale, want.Current} {
		got := grads[k].Value().Data().([]float64)
		if e := relErr(got, w); e > 1e-12 {
			t.Errorf("input %d: relative error %.3g against the native adjoint", k, e)
		}
	}
}

func TestWindowOpRejectsShapes(t *testing.T) {
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 24, NIzh: 5})
	w, _ := adjoint.NewWindow(m, 10, adjoint.Options{})
	op := graph.NewWindow(w, p, s0, adjoint.Input{}, graph.Counts)
	g := G.NewGraph()
	vec := func(name string, k int) *G.Node {
		return G.NewVector(g, G.Float64, G.WithShape(k), G.WithName(name), G.WithValue(tensor.New(tensor.WithBacking(make([]float64, k)))))
	}
	if _, err := op.Apply(vec("w", len(p.W)+1), vec("s", len(p.Scale)), vec("i", 5)); err == nil {
		t.Error("accepted too many weights")
	}
	if _, err := op.Apply(vec("w2", len(p.W)), vec("s2", len(p.Scale)), vec("i2", 6)); err == nil {
		t.Error("accepted a current of 6 for 5 neurons")
	}
}
