package surrogate_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/surrogate"
)

func ExampleFunc() {
	f := surrogate.New(surrogate.SuperSpike) // β = 10
	for _, v := range []float64{25, 29.9, 30, 31} {
		x := v - 30 // distance to the Izhikevich peak
		fmt.Printf("v = %4g mV: spike %g, surrogate %.4f\n", v, surrogate.Spike(x), f.Deriv(x))
	}
	// Output:
	// v =   25 mV: spike 0, surrogate 0.0004
	// v = 29.9 mV: spike 0, surrogate 0.2500
	// v =   30 mV: spike 1, surrogate 1.0000
	// v =   31 mV: spike 1, surrogate 0.0083
}

// The spike Op in a Gorgonia graph: the forward pass is the step, the
// gradient the surrogate.
func ExampleApply() {
	g := G.NewGraph()
	v := G.NewVector(g, tensor.Float64, G.WithShape(3), G.WithName("v"),
		G.WithValue(tensor.New(tensor.WithBacking([]float64{29.5, 30.2, 12}))))
	x := G.Must(G.Sub(v, G.NewConstant(30.0)))
	s := G.Must(surrogate.Apply(x, surrogate.Op{F: surrogate.New(surrogate.Arctan)}))
	count := G.Must(G.Sum(s))
	grads, err := G.Grad(count, v)
	if err != nil {
		panic(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		panic(err)
	}
	fmt.Println("spikes:", count.Value())
	fmt.Printf("d count/dv: %.4f\n", grads[0].Value().Data())
	// Output:
	// spikes: 1
	// d count/dv: [0.0385 0.2000 0.0000]
}
