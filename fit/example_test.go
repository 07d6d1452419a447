package fit_test

import (
	"fmt"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/fit"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/optim"
	"github.com/bl1-go/bl1/surrogate"
	"github.com/bl1-go/bl1/synapses"
)

// Fit the excitatory conductance of a two-neuron chain so that the partner
// of the driven neuron fires at 40 Hz (from 12 Hz) in two windows of
// 200 ms.
func ExampleFitter() {
	rs, _ := models.Builtin("RS")
	m := &adjoint.Model{
		Dt: 0.5, NIzh: 2, Pop: []int32{0, 0}, Excitatory: []bool{true, true},
		RowPtr: []int64{0, 1, 1}, Post: []int32{1}, Delay: []int32{2},
		Synapses: synapses.Default(),
	}
	p := &adjoint.Params{W: []float64{0.3}, Scale: []float64{1}, NMDAFraction: 0.3, GABABFraction: 0.1,
		Types: []models.Type{rs}}
	f := &fit.Fitter{
		Model: m, Params: p, State: m.Rest(p), Input: adjoint.Input{Bias: []float64{12, 0}},
		Knobs:  []*fit.Knob{fit.Conductance(m, p, true, 0.3)},
		Window: 400, Windows: 2,
		Loss: func(int) fit.Loss { return &fit.LogRate{TargetHz: 40, Neurons: []int32{1}, Dt: m.Dt} },
		Options: adjoint.Options{Surrogate: surrogate.Func{Kind: surrogate.SuperSpike, Beta: 0.1},
			DetachReset: true, ClipAdjoint: 1},
		Optimizer: &optim.Adam{},
		Schedule:  optim.Cosine{Initial: 0.1, Final: 0.002, Steps: 150},
	}
	res, err := f.Run(150, nil)
	if err != nil {
		panic(err)
	}
	first, last := res.Iterations[0], res.Iterations[len(res.Iterations)-1]
	fmt.Printf("g_exc %.3f -> %.3f, loss %.3f -> %.4f\n", res.Start[0], res.Final[0], first.Loss, last.Loss)
	// Output:
	// g_exc 0.300 -> 1.356, loss 1.440 -> 0.0000
}
