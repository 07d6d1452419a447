package graph_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/graph"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/synapses"
)

// A stimulation encoder trained through a simulation window: two
// electrodes stimulate a chain of three regular-spiking neurons, and the
// loss asks the last neuron for 3 spikes in 50 ms instead of 1. One
// gorgonia.Grad gives the gradients of the encoder and of the synapses:
// more stimulation, and above all a stronger second synapse.
func ExampleWindow() {
	rs, _ := models.Builtin("RS")
	m := &adjoint.Model{
		Dt: 0.5, NIzh: 3, Pop: []int32{0, 0, 0}, Excitatory: []bool{true, true, true},
		RowPtr: []int64{0, 1, 2, 2}, Post: []int32{1, 2}, Delay: []int32{2, 2},
		Synapses: synapses.Default(),
	}
	p := &adjoint.Params{W: []float64{0.4, 0.4}, Scale: []float64{1}, NMDAFraction: 0.3, GABABFraction: 0.1,
		Types: []models.Type{rs}}
	const T = 100
	w, err := adjoint.NewWindow(m, T, adjoint.Options{})
	if err != nil {
		panic(err)
	}

	g := G.NewGraph()
	u := G.NewVector(g, G.Float64, G.WithShape(1), G.WithName("u"), G.WithValue(tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{1}))))
	// Electrode 0 reaches neuron 0, electrode 1 neuron 1.
	enc, err := graph.NewEncoder(g, 1, []float64{1, 0, 0, 1, 0, 0}, 3, 2, 20, 7)
	if err != nil {
		panic(err)
	}
	_, current, err := enc.Apply(u)
	if err != nil {
		panic(err)
	}
	weights := G.NewVector(g, G.Float64, G.WithShape(2), G.WithName("w"), G.WithValue(tensor.New(tensor.WithBacking([]float64{0.4, 0.4}))))
	scale := G.NewVector(g, G.Float64, G.WithShape(1), G.WithName("scale"), G.WithValue(tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{1}))))
	op := graph.NewWindow(w, p, m.Rest(p), adjoint.Input{}, graph.Counts)
	counts, err := op.Apply(weights, scale, current)
	if err != nil {
		panic(err)
	}
	last := G.Must(G.Slice(counts, G.S(2)))
	loss := G.Must(G.Square(G.Must(G.Sub(last, G.NewConstant(3.0)))))
	grads, err := G.Grad(loss, enc.M, weights)
	if err != nil {
		panic(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		panic(err)
	}
	fmt.Println("spike counts:", counts.Value())
	fmt.Println("loss:", loss.Value())
	fmt.Printf("dL/dM: %.3g\n", grads[0].Value().Data())
	fmt.Printf("dL/dw: %.3g\n", grads[1].Value().Data())
	fmt.Println("graph nodes:", g.AllNodes().Len())
	// Output:
	// spike counts: [1  2  1]
	// loss: 4
	// dL/dM: [-0.507 -0.0176]
	// dL/dw: [-0.00314 -1.8]
	// graph nodes: 37
}

// The unrolled reference graph of a window and the native adjoint give the
// same gradient.
func ExampleUnroll() {
	rs, _ := models.Builtin("RS")
	m := &adjoint.Model{
		Dt: 0.5, NIzh: 2, Pop: []int32{0, 0}, Excitatory: []bool{true, true},
		RowPtr: []int64{0, 1, 1}, Post: []int32{1}, Delay: []int32{1},
		Synapses: synapses.Default(),
	}
	p := &adjoint.Params{W: []float64{2}, Scale: []float64{1}, NMDAFraction: 0.3, GABABFraction: 0.1,
		Types: []models.Type{rs}}
	s0 := m.Rest(p)
	in := adjoint.Input{Bias: []float64{40, 5}}
	const T = 30
	opt := adjoint.Options{}

	ref, err := graph.Unroll(m, p, s0, in, T, opt, nil)
	if err != nil {
		panic(err)
	}
	loss := G.Must(G.Sum(ref.Counts))
	grads, err := G.Grad(loss, ref.W)
	if err != nil {
		panic(err)
	}
	vm := G.NewTapeMachine(ref.G)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		panic(err)
	}

	w, _ := adjoint.NewWindow(m, T, opt)
	rec, _, err := w.Forward(p, s0, in)
	if err != nil {
		panic(err)
	}
	g, err := w.Backward(countAll{})
	if err != nil {
		panic(err)
	}
	fmt.Println("spikes:", loss.Value(), "native:", len(rec.IDs))
	fmt.Printf("dL/dW: graph %.6g, native %.6g\n", grads[0].Value().Data().([]float64)[0], g.W[0])
	fmt.Println("operation nodes:", ref.Nodes())
	// Output:
	// spikes: 12 native: 12
	// dL/dW: graph 0.315775, native 0.315775
	// operation nodes: 1184
}

// countAll is the gradient of the total spike count.
type countAll struct{}

func (countAll) AddSpikeGrad(_ int, ds []float64) {
	for i := range ds {
		ds[i]++
	}
}
