package information

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/bl1-go/bl1/analysis"
)

// Analyze's matrices equal the estimators applied to the binned trains
// one by one (its pair counts come from bitsets instead).
func TestAnalyzeMatchesEstimators(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	e := analysis.Events{N: 4, T1: 20000}
	for tt := 0.0; tt < 20000; tt += 0.5 {
		for u := range 4 {
			p := 0.004 * float64(u+1)
			if u == 3 && len(e.ID) > 0 && e.ID[len(e.ID)-1] == 0 && e.T[len(e.T)-1] > tt-3 {
				p = 0.3 // unit 3 follows unit 0
			}
			if rng.Float64() < p {
				e.T, e.ID = append(e.T, tt), append(e.ID, int32(u))
			}
		}
	}
	s, err := Analyze(e, Options{BinMs: 4, History: 3})
	if err != nil {
		t.Fatal(err)
	}
	bins, nb, _ := e.UnitBins(4)
	act := make([][]int32, 4)
	cnt := mat.NewDense(nb, 4, nil)
	for u, b := range bins {
		act[u] = make([]int32, nb)
		for _, k := range b {
			act[u][k] = 1
			cnt.Set(int(k), u, cnt.At(int(k), u)+1)
		}
	}
	for i := range 4 {
		a, _ := ActiveInformationStorage(act[i], 3, true)
		if math.Abs(a-s.AIS[i]) > 1e-12 || math.Abs(Entropy(act[i], true)-s.Entropy[i]) > 1e-12 {
			t.Errorf("unit %d: AIS %g vs %g", i, s.AIS[i], a)
		}
		for j := range 4 {
			if i == j {
				continue
			}
			mi, _ := MutualInformation(act[i], act[j], true)
			if math.Abs(mi-s.MI[i*4+j]) > 1e-12 {
				t.Errorf("MI %d,%d: %g vs %g", i, j, s.MI[i*4+j], mi)
			}
		}
	}
	if !(s.MI[0*4+3] > 3*s.MI[0*4+1]) {
		t.Errorf("coupled pair MI %g not above the others' %g", s.MI[0*4+3], s.MI[0*4+1])
	}
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, cnt, nil)
	want, _ := GaussianIntegration(&cov)
	if math.Abs(want-s.Integration) > 1e-12 {
		t.Errorf("integration %g vs %g", s.Integration, want)
	}
	if _, err := Analyze(e, Options{History: 40}); err == nil {
		t.Error("history 40: no error")
	}
}
