package analysis

import (
	"math"
	"testing"
)

// Welch's t-test on the worked example of the Wikipedia article
// "Student's t-test" (section Worked examples, Unequal variances): screw
// weights of two machines, SE ≈ 0.04849, d.f. ≈ 7.031, t ≈ 1.959,
// two-tailed p ≈ 0.090.
func TestWelchTPublishedExample(t *testing.T) {
	for _, tc := range []struct {
		a, b     []float64
		t, df, p float64
		tol      [3]float64
	}{
		{[]float64{30.02, 29.99, 30.11, 29.97, 30.01, 29.99}, []float64{29.89, 29.93, 29.72, 29.98, 30.02, 29.98},
			1.959, 7.031, 0.090, [3]float64{0.0005, 0.0005, 0.001}},
	} {
		r, err := WelchT(tc.a, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.T-tc.t) > tc.tol[0] || math.Abs(r.DF-tc.df) > tc.tol[1] || math.Abs(r.P-tc.p) > tc.tol[2] {
			t.Errorf("t = %.4f, df = %.3f, p = %.5f; published %g, %g, %g", r.T, r.DF, r.P, tc.t, tc.df, tc.p)
		}
		// The p-value against the t density integrated numerically
		// (Simpson's rule): 2 ∫_|t|^∞ f(x) dx with
		// f(x) = Γ((ν+1)/2)/(√(νπ) Γ(ν/2)) (1 + x²/ν)^(-(ν+1)/2).
		nu := r.DF
		lg1, _ := math.Lgamma((nu + 1) / 2)
		lg2, _ := math.Lgamma(nu / 2)
		c := math.Exp(lg1-lg2) / math.Sqrt(nu*math.Pi)
		f := func(x float64) float64 { return c * math.Pow(1+x*x/nu, -(nu+1)/2) }
		lo, hi, n := math.Abs(r.T), 2000.0, 2000000
		h := (hi - lo) / float64(n)
		s := f(lo) + f(hi)
		for i := 1; i < n; i++ {
			w := 2.0
			if i%2 == 1 {
				w = 4
			}
			s += w * f(lo+float64(i)*h)
		}
		if p := 2 * s * h / 3; math.Abs(p-r.P) > 1e-6 {
			t.Errorf("p = %.8f, numerical integral %.8f", r.P, p)
		}
	}
}

func TestWelchTEdges(t *testing.T) {
	if _, err := WelchT([]float64{1}, []float64{1, 2}); err == nil {
		t.Error("one value accepted")
	}
	if r, _ := WelchT([]float64{1, 1}, []float64{1, 1}); r.P != 1 {
		t.Errorf("equal constant samples: p = %g, want 1", r.P)
	}
	if r, _ := WelchT([]float64{2, 2}, []float64{1, 1}); r.P != 0 || !math.IsInf(r.T, 1) {
		t.Errorf("different constant samples: t = %g, p = %g, want +Inf, 0", r.T, r.P)
	}
}

// U is the count of pairs a > b (ties ½), computed here by brute force;
// the normal approximation's p is within 0.01 of the exact permutation
// p-value, found by enumerating every split of the pooled values.
func TestMannWhitney(t *testing.T) {
	a := []float64{1.1, 2.3, 3.9, 4.4, 6.0, 7.2, 8.8, 9.5}
	b := []float64{0.2, 0.7, 1.6, 2.8, 3.1, 3.3, 5.1, 5.4}
	r, err := MannWhitney(a, b)
	if err != nil {
		t.Fatal(err)
	}
	var u float64
	for _, x := range a {
		for _, y := range b {
			switch {
			case x > y:
				u++
			case x == y:
				u += 0.5
			}
		}
	}
	if r.U != u {
		t.Errorf("U = %g, brute force %g", r.U, u)
	}
	pool := append(append([]float64(nil), a...), b...)
	n := len(pool)
	mu := float64(len(a)*len(b)) / 2
	var extreme, total int
	for mask := 0; mask < 1<<n; mask++ {
		if popcount(mask) != len(a) {
			continue
		}
		var uu float64
		for i := range n {
			if mask&(1<<i) == 0 {
				continue
			}
			for j := range n {
				if mask&(1<<j) == 0 && pool[i] > pool[j] {
					uu++
				}
			}
		}
		total++
		if math.Abs(uu-mu) >= math.Abs(u-mu) {
			extreme++
		}
	}
	exact := float64(extreme) / float64(total)
	if math.Abs(r.P-exact) > 0.01 {
		t.Errorf("p = %.4f, exact permutation p = %.4f", r.P, exact)
	}
	// Ties, by hand: {1, 1, 2, 3} against {1, 2, 2, 4}: U_A = ½ + ½ +
	// (1 + ½ + ½) + 3 = 6; tie groups of three 1s and three 2s, so
	// σ² = 16/12 (9 - (24 + 24)/56); z = (6 - 8 + ½)/σ.
	r, _ = MannWhitney([]float64{1, 1, 2, 3}, []float64{1, 2, 2, 4})
	if want := (6 - 8 + 0.5) / math.Sqrt(16.0/12*(9-48.0/56)); r.U != 6 || math.Abs(r.Z-want) > 1e-12 {
		t.Errorf("tied samples: U = %g, z = %g; want 6, %g", r.U, r.Z, want)
	}
	if _, err := MannWhitney(nil, b); err == nil {
		t.Error("empty sample accepted")
	}
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}
