package analysis_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bl1-go/bl1/analysis"
)

// poissonTrain is a Poisson spike train of rate hz over [0, tMs).
func poissonTrain(rng *rand.Rand, hz, tMs float64) []float64 {
	var tr []float64
	for t := rng.ExpFloat64() * 1000 / hz; t < tMs; t += rng.ExpFloat64() * 1000 / hz {
		tr = append(tr, t)
	}
	return tr
}

// Golomb's χ against its values for Poisson units: χ² = 1/N for N
// independent units; with half the units sharing one train and half
// independent, χ² = 1/4 + 1/(2N) (Var C = μ/4 + μ/(2N), each unit's
// variance μ); 1 for identical units. Silent units do not dilute it.
func TestSynchrony(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const n, tMs, hz, bin = 100, 600_000.0, 5.0, 10.0
	indep := make([][]float64, n+20) // 20 silent units
	for i := range n {
		indep[i] = poissonTrain(rng, hz, tMs)
	}
	shared := poissonTrain(rng, hz, tMs)
	half := make([][]float64, n)
	for i := range n {
		if i < n/2 {
			half[i] = shared
		} else {
			half[i] = poissonTrain(rng, hz, tMs)
		}
	}
	same := make([][]float64, 10)
	for i := range same {
		same[i] = shared
	}
	for _, c := range []struct {
		name   string
		trains [][]float64
		want   float64 // χ²
		tol    float64 // relative
	}{
		{"independent", indep, 1.0 / n, 0.05},
		{"half shared", half, 0.25 + 0.5/n, 0.03},
		{"identical", same, 1, 1e-12},
	} {
		chi, err := analysis.Synchrony(rateEvents(len(c.trains), 0, tMs, c.trains), bin)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: χ² = %.5g (want %.5g)", c.name, chi*chi, c.want)
		if got := chi * chi; math.Abs(got-c.want) > c.tol*c.want {
			t.Errorf("%s: χ² = %.5g, want %.5g ± %g %%", c.name, got, c.want, 100*c.tol)
		}
	}
	// Undefined and invalid inputs.
	if chi, _ := analysis.Synchrony(rateEvents(3, 0, 15, [][]float64{{1}, {2}}), bin); !math.IsNaN(chi) {
		t.Errorf("one whole bin: χ = %g, want NaN", chi)
	}
	if chi, _ := analysis.Synchrony(rateEvents(3, 0, 100, nil), bin); !math.IsNaN(chi) {
		t.Errorf("no events: χ = %g, want NaN", chi)
	}
	if _, err := analysis.Synchrony(rateEvents(3, 0, 100, nil), 0); err == nil {
		t.Error("bin 0: no error")
	}
}
