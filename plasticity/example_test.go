package plasticity_test

import (
	"fmt"
	"math"

	"github.com/bl1-go/bl1/plasticity"
)

// A depressing synapse releases U at the first spike and less at the
// following ones of a 20 Hz train.
func ExampleSTP_Release() {
	p := plasticity.DefaultSTPExc // U 0.5, τ_rec 800 ms
	s := plasticity.Fresh()
	fmt.Printf("%.3f", p.Release(&s, math.Inf(1)))
	for range 4 {
		fmt.Printf(" %.3f", p.Release(&s, 50))
	}
	fmt.Println()
	// Output:
	// 0.500 0.265 0.155 0.103 0.079
}

// The steady released fraction of a regular train falls as 1/f at high
// rates (Tsodyks & Markram 1997).
func ExampleSTP_SteadyState() {
	p := plasticity.DefaultSTPExc
	for _, hz := range []float64{1, 10, 100} {
		_, _, a := p.SteadyState(hz)
		fmt.Printf("%g Hz: A* %.4f, A*·f %.3f per s\n", hz, a, a*hz)
	}
	// Output:
	// 1 Hz: A* 0.4164, A*·f 0.416 per s
	// 10 Hz: A* 0.1051, A*·f 1.051 per s
	// 100 Hz: A* 0.0123, A*·f 1.227 per s
}

// The STDP window: potentiation when the presynaptic spike comes first.
func ExampleSTDP_Window() {
	p := plasticity.DefaultSTDP
	for _, dt := range []float64{-40, -10, 10, 40} {
		fmt.Printf("Δt %+3.0f ms: Δw %+.5f\n", dt, p.Window(dt))
	}
	// Output:
	// Δt -40 ms: Δw -0.00236
	// Δt -10 ms: Δw -0.00430
	// Δt +10 ms: Δw +0.00303
	// Δt +40 ms: Δw +0.00068
}
