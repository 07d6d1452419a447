package optim_test

import (
	"fmt"

	"github.com/bl1-go/bl1/optim"
)

// Fit two conductances to a quadratic loss with Adam, a cosine schedule,
// gradient clipping and non-negative weights.
func ExampleAdam() {
	w := &optim.Param{Name: "g", Value: []float64{0.5, 0.5}, Grad: make([]float64, 2), Constraint: optim.NonNegative{}}
	target := []float64{0.07, -0.2} // the second is out of reach: it stays at 0
	opt := &optim.Adam{}
	sched := optim.Cosine{Initial: 0.05, Final: 0.001, Steps: 300, Warmup: 10}
	for step := range 300 {
		for i := range w.Value {
			w.Grad[i] = 2 * (w.Value[i] - target[i])
		}
		optim.ClipNorm([]*optim.Param{w}, 1)
		if err := opt.Step([]*optim.Param{w}, sched.Rate(step)); err != nil {
			panic(err)
		}
	}
	fmt.Printf("g = [%.3f %.3f]\n", w.Value[0], w.Value[1])
	// Output:
	// g = [0.070 0.000]
}
