package connectivity

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bl1-go/bl1/analysis"
)

// A planted coupling a → b at 8 ms is found with its direction, delay and
// efficacy; the reverse direction and the uncoupled pairs are not.
func TestCCGFindsPlantedLink(t *testing.T) {
	// 4 units at 5 Hz for 300 s; 0 → 2 at 8 ms with probability 0.2
	// (± 0.5 ms), so 300 coincidences over a jitter expectation of
	// ~1500 × 5 Hz × 1 ms = 7.5.
	e := synth(3, 4, 5, 300, link{From: 0, To: 2, DelayMs: 8, Prob: 0.2, JitterMs: 0.5})
	c, err := CrossCorrelograms(e, CCGOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	n := c.N
	if p := c.P[0*n+2]; p > 1e-6 {
		t.Errorf("0 → 2: p = %g, want < 1e-6", p)
	}
	if d := c.DelayMs[0*n+2]; math.Abs(d-8) > 1 {
		t.Errorf("0 → 2: delay %g ms, want 8 ± 1", d)
	}
	// The 0.2 transmissions spread over the bins of 7.5-8.5 ms (the grid
	// is 0.5 ms): the peak bin holds most of them.
	if ef := c.Efficacy[0*n+2]; ef < 0.08 || ef > 0.22 {
		t.Errorf("0 → 2: efficacy %g, want within 0.08-0.22 of 0.2", ef)
	}
	for i := range n {
		for j := range n {
			if i != j && !(i == 0 && j == 2) && c.P[i*n+j] < 0.01 {
				t.Errorf("%d → %d: p = %g, a false link", i, j, c.P[i*n+j])
			}
		}
	}
}

// On independent Poisson trains the links found at α = 0.01 are no more
// than the false-positive rate allows.
func TestCCGFalsePositives(t *testing.T) {
	const n = 20
	e := synth(5, n, 8, 200)
	c, err := CrossCorrelograms(e, CCGOptions{})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i := range n {
		for j := range n {
			if i != j && c.P[i*n+j] <= 0.01 {
				found++
			}
		}
	}
	// 380 ordered pairs at α = 0.01: 3.8 expected if the test were exact
	// (it is conservative); P(Binomial(380, 0.01) > 10) ≈ 0.0005.
	if found > 10 {
		t.Errorf("%d false links of 380 at α = 0.01", found)
	}
	t.Logf("%d of 380 pairs at p ≤ 0.01", found)
}

// The analytic jitter expectation equals the mean of jittered correlograms
// drawn by Monte Carlo (the definition, written independently here).
func TestJitterExpectationMatchesMonteCarlo(t *testing.T) {
	e := synth(9, 2, 20, 20, link{From: 0, To: 1, DelayMs: 3, Prob: 0.5})
	opt := CCGOptions{BinMs: 1, MaxLagMs: 10, JitterMs: 5}
	c, err := CrossCorrelograms(e, opt)
	if err != nil {
		t.Fatal(err)
	}
	bins, nb, _ := e.UnitBins(1)
	L, D := 10, 5
	const reps = 4000
	mean := make([]float64, 2*L+1)
	rng := rand.New(rand.NewPCG(1, 2))
	occupied := make([]int, nb)
	for _, k := range bins[0] {
		occupied[k]++
	}
	for range reps {
		for _, k := range bins[1] {
			w := int(k) / D * D
			kk := w + rng.IntN(min(D, nb-w))
			for l := -L; l <= L; l++ {
				if kk-l >= 0 && kk-l < nb {
					mean[L+l] += float64(occupied[kk-l])
				}
			}
		}
	}
	for l := range mean {
		mean[l] /= reps
		got := float64(c.Expected[(0*2+1)*(2*L+1)+l])
		// Monte Carlo SE: the count is a sum of ~400 Bernoulli terms, so its
		// SD is at most √E and the mean's SE √(E/reps).
		if se := math.Sqrt(math.Max(got, 1) / reps); math.Abs(got-mean[l]) > 5*se {
			t.Errorf("lag %d: analytic %g, Monte Carlo %g (SE %g)", l-L, got, mean[l], se)
		}
	}
	// The raw count at the planted lag (3 ms) exceeds the expectation.
	if cnt := c.Count[(0*2+1)*(2*L+1)+L+3]; float64(cnt) < 2*float64(c.Expected[(0*2+1)*(2*L+1)+L+3]) {
		t.Errorf("count at 3 ms %d, expected %g", cnt, c.Expected[(0*2+1)*(2*L+1)+L+3])
	}
}

// Counts by brute force over all pairs of events.
func TestCCGCountsBruteForce(t *testing.T) {
	e := synth(11, 3, 30, 5)
	c, err := CrossCorrelograms(e, CCGOptions{BinMs: 2, MaxLagMs: 20, JitterMs: 10})
	if err != nil {
		t.Fatal(err)
	}
	bins, _, _ := e.UnitBins(2)
	L := 10
	for i := range 3 {
		for j := range 3 {
			if i == j {
				continue
			}
			want := make([]int32, 2*L+1)
			for _, a := range bins[i] {
				for _, b := range bins[j] {
					if l := int(b - a); l >= -L && l <= L {
						want[L+l]++
					}
				}
			}
			for l := range want {
				if got := c.Count[(i*3+j)*(2*L+1)+l]; got != want[l] {
					t.Fatalf("%d,%d lag %d: %d, want %d", i, j, l-L, got, want[l])
				}
			}
		}
	}
}

func TestPoissonTail(t *testing.T) {
	// P(X ≥ 3 | μ = 1) = 1 − e^{-1}(1 + 1 + 1/2) = 0.0803013970713942
	// (computed analytically).
	if p := PoissonTail(3, 1); math.Abs(p-0.0803013970713942) > 1e-12 {
		t.Errorf("P(X ≥ 3 | 1) = %.16g", p)
	}
	if PoissonTail(0, 5) != 1 || PoissonTail(2, 0) != 0 {
		t.Error("edge cases")
	}
}

func TestCCGInvalid(t *testing.T) {
	e := synth(1, 2, 5, 1)
	for _, o := range []CCGOptions{{BinMs: -1}, {JitterMs: 1.5}, {BinMs: 1, JitterMs: 1}, {MaxLagMs: 0.2}} {
		if _, err := CrossCorrelograms(e, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if _, err := CrossCorrelograms(analysis.Events{N: 0, T1: 1}, CCGOptions{}); err == nil {
		t.Error("no units: no error")
	}
}

// The byte-lane kernel and the direct one (the fallback for bins or
// windows of more than 255 events) agree exactly, including a short last
// jitter window.
func TestSWARMatchesDirect(t *testing.T) {
	for _, dur := range []float64{20, 20.0037} {
		e := synth(13, 2, 60, dur, link{From: 0, To: 1, DelayMs: 4, Prob: 0.5})
		bins, nb, _ := e.UnitBins(1)
		for _, dl := range [][2]int{{25, 50}, {7, 3}, {2, 70}} {
			d, L := dl[0], dl[1]
			w := 2*L + 1
			c1, e1 := make([]int32, w), make([]float64, w)
			c2, e2 := make([]int32, w), make([]float64, w)
			newSWAR(bins[1], nb, d, L).add(bins[0], c1, e1)
			correlogram(bins[0], bins[1], L, c2)
			jitterExpectation(bins[0], bins[1], nb, d, L, e2, make([]int32, d+2*L))
			for l := range w {
				if c1[l] != c2[l] || math.Abs(e1[l]-e2[l]) > 1e-9*math.Max(1, e2[l]) {
					t.Fatalf("%g s, d %d, L %d, lag %d: %d/%g vs %d/%g", dur, d, L, l-L, c1[l], e1[l], c2[l], e2[l])
				}
			}
		}
	}
	// More than 255 events in a window: no byte lanes.
	e := synth(14, 2, 2000, 1)
	bins, nb, _ := e.UnitBins(1)
	if newSWAR(bins[0], nb, 300, 10) != nil {
		t.Error("byte lanes for 600 events per window")
	}
}
