package adjoint_test

import (
	"fmt"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/synapses"
)

// target is the gradient of the loss L = (spikes of neuron 1 - 4)².
type target struct{ count float64 }

func (l target) AddSpikeGrad(t int, ds []float64) { ds[1] += 2 * (l.count - 4) }

// Two regular-spiking neurons: neuron 0, driven by a current, excites
// neuron 1 through one synapse with a delay of 2 steps. Neuron 1 fires 2
// spikes in 100 ms; the gradient says that a stronger synapse (and more
// current into either neuron) brings it closer to 4.
func Example() {
	rs, _ := models.Builtin("RS")
	m := &adjoint.Model{
		Dt: 0.5, NIzh: 2, Pop: []int32{0, 0}, Excitatory: []bool{true, true},
		RowPtr: []int64{0, 1, 1}, Post: []int32{1}, Delay: []int32{2},
		Synapses: synapses.Default(),
	}
	p := &adjoint.Params{W: []float64{0.3}, Scale: []float64{1}, NMDAFraction: 0.3, GABABFraction: 0.1,
		Types: []models.Type{rs}}
	w, err := adjoint.NewWindow(m, 200, adjoint.Options{}) // SuperSpike, β = 10
	if err != nil {
		panic(err)
	}
	in := adjoint.Input{Bias: []float64{12, 0}}
	rec, _, err := w.Forward(p, m.Rest(p), in)
	if err != nil {
		panic(err)
	}
	counts := rec.Counts()
	fmt.Printf("spikes: neuron 0 %g, neuron 1 %g\n", counts[0], counts[1])
	g, err := w.Backward(target{counts[1]})
	if err != nil {
		panic(err)
	}
	fmt.Printf("dL/dW: %.3g\n", g.W[0])
	fmt.Printf("dL/dbias: %.3g %.3g\n", g.Bias[0], g.Bias[1])
	// Output:
	// spikes: neuron 0 4, neuron 1 2
	// dL/dW: -3.39
	// dL/dbias: -0.0116 -0.15
}
