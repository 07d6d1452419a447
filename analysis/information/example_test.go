package information_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/bl1-go/bl1/analysis"
	"github.com/bl1-go/bl1/analysis/information"
)

// A fair coin holds one bit; two copies share it.
func ExampleMutualInformation() {
	x := []int32{0, 1, 1, 0, 1, 0, 0, 1}
	fmt.Println(information.Entropy(x, false))
	mi, err := information.MutualInformation(x, x, false)
	if err != nil {
		panic(err)
	}
	fmt.Println(mi)
	// Output:
	// 1
	// 1
}

// An alternating sequence is fully predictable from its last sample: it
// stores its whole bit.
func ExampleActiveInformationStorage() {
	x := make([]int32, 1000)
	for i := range x {
		x[i] = int32(i % 2)
	}
	a, err := information.ActiveInformationStorage(x, 1, false)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.3f bits\n", a)
	// Output: 1.000 bits
}

// Three identical coins: 3 bits of marginal entropy, 1 bit jointly, so
// 2 bits of integration; and a complexity of Σ_k (H_k − k/3 H) =
// (1 − 1/3) + (1 − 2/3) + 0 = 1 bit.
func ExampleMultiInformation() {
	x := []int32{0, 1, 1, 0}
	xs := [][]int32{x, x, x}
	i, err := information.MultiInformation(xs, false)
	if err != nil {
		panic(err)
	}
	c, _ := information.Complexity(xs, false)
	fmt.Printf("integration %.0f bits, complexity %.0f bit\n", i, c)
	// Output: integration 2 bits, complexity 1 bit
}

// Two Gaussians with correlation 0.6 share −½ log₂(1 − 0.36) bits.
func ExampleGaussianIntegration() {
	c := mat.NewSymDense(2, []float64{1, 0.6, 0.6, 1})
	i, err := information.GaussianIntegration(c)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.4f = %.4f\n", i, -0.5*math.Log2(1-0.36))
	// Output: 0.3219 = 0.3219
}

// For two variables the complexity (Tononi et al. 1994, eq. 2) is half
// their mutual information: the term k = 1 is ½ I(X) − 0, the term k = 2
// is I(X) − I(X).
func ExampleGaussianComplexity() {
	c := mat.NewSymDense(2, []float64{1, 0.6, 0.6, 1})
	cn, se, err := information.GaussianComplexity(c, 12, 0, 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.4f bits (± %g)\n", cn, se)
	// Output: 0.1610 bits (± 0)
}

// Two units that fire together every 20 ms, in 5 ms bins (1000 1000 …):
// each holds h(1/4) = 0.811 bits per bin (0.815 with the Miller-Madow
// correction over 200 bins), they share all of it, and a past of 3 bins
// predicts the next one.
func ExampleAnalyze() {
	var e analysis.Events
	e.N, e.T1 = 2, 1000
	for t := 0.0; t < 1000; t += 20 {
		e.T = append(e.T, t, t)
		e.ID = append(e.ID, 0, 1)
	}
	s, err := information.Analyze(e, information.Options{History: 3})
	if err != nil {
		panic(err)
	}
	fmt.Printf("entropy %.3f, MI %.3f, AIS %.3f bits per bin\n", s.Entropy[0], s.MI[0*2+1], s.AIS[0])
	// Output: entropy 0.815, MI 0.815, AIS 0.813 bits per bin
}
