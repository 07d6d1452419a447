package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// plTestSample draws n values from the discrete power law p(x) = x^−α/ζ(α,
// x_min) by exact inverse transform of the survival function S(x) =
// ζ(α, x)/ζ(α, x_min): X is the largest x with S(x) ≥ u, u uniform on
// (0, 1], found by bisection with exact evaluations of ζ (gonum mathext,
// independent of plZeta and of the bootstrap sampler under test). The
// bracket starts around the continuous-tail approximation
// S(x) ≈ x^{1−α}/((α−1) ζ(α, x_min)) (cf. Clauset et al. 2009, Appendix D).
func plTestSample(rng *rand.Rand, n int, alpha float64, xmin int) []int {
	z := mathext.Zeta(alpha, float64(xmin))
	surv := func(x int) float64 { return mathext.Zeta(alpha, float64(x)) / z }
	out := make([]int, n)
	for i := range out {
		u := 1 - rng.Float64() // (0, 1]
		g := math.Pow((alpha-1)*z*u, -1/(alpha-1))
		lo, hi := max(xmin, int(0.9*g)), max(xmin, int(1.1*g))+2
		if surv(lo) < u {
			lo = xmin
		}
		for surv(hi) >= u {
			lo, hi = hi, 2*hi
		}
		for hi-lo > 1 { // S(lo) ≥ u > S(hi)
			mid := lo + (hi-lo)/2
			if surv(mid) >= u {
				lo = mid
			} else {
				hi = mid
			}
		}
		out[i] = lo
	}
	return out
}

// plTestMixture draws n values of which a fraction fTail comes from the power
// law (α, x_min) and the rest uniformly from {1, …, x_min−1}: a power-law tail
// hidden above a different low-x distribution (the set-up of Clauset et al.
// 2009, Fig. 3.3, with a uniform instead of an exponential body).
func plTestMixture(rng *rand.Rand, n int, alpha float64, xmin int, fTail float64) []int {
	nt := 0
	for range n {
		if rng.Float64() < fTail {
			nt++
		}
	}
	x := plTestSample(rng, nt, alpha, xmin)
	for len(x) < n {
		x = append(x, 1+rng.IntN(xmin-1))
	}
	rng.Shuffle(len(x), func(i, j int) { x[i], x[j] = x[j], x[i] })
	return x
}

// TestPLZetaAsymptotic checks the Euler–Maclaurin branch of plZeta against
// Cephes (gonum mathext.Zeta) where both apply.
func TestPLZetaAsymptotic(t *testing.T) {
	for _, s := range []float64{1.01, 1.5, 2, 2.5, 3, 5, 10, 30} {
		for _, q := range []float64{1, 2, 7, 60, 100, 1e3, 1e5, 1e7} {
			got, want := plZeta(s, q), mathext.Zeta(s, q)
			if rel := math.Abs(got-want) / want; !(rel < 1e-13) {
				t.Errorf("plZeta(%g, %g) = %.17g, Cephes %.17g (rel. diff %.2g)", s, q, got, want, rel)
			}
		}
	}
}

// TestPLKSExact compares the bisecting KS distance with a brute-force
// evaluation at every integer from x_min to the largest value (the
// definition, Clauset et al. 2009 eq. 3.9).
func TestPLKSExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 40 {
		alpha := 1.8 + 1.5*rng.Float64() // keeps the brute-force range small
		n := 20 + rng.IntN(2000)
		x := plTestSample(rng, n, alpha, 1+rng.IntN(3))
		if trial%3 == 0 { // a misfit: add a bump
			for i := range x[:n/5] {
				x[i] = 7
			}
		}
		h, err := plNewHist(x)
		if err != nil {
			t.Fatal(err)
		}
		for _, i0 := range []int{0, 1, len(h.v) / 3} {
			if i0 >= len(h.v) {
				continue
			}
			xmin := h.v[i0]
			a := alpha + 0.3*(rng.Float64()-0.5)
			got := plKS(&h, i0, float64(xmin), a, math.Inf(1))
			// Brute force.
			z := mathext.Zeta(a, float64(xmin))
			nt := float64(h.cum[len(h.v)] - h.cum[i0])
			want, cdf, k := 0.0, 0.0, i0
			emp := 0.0
			for v := xmin; v <= h.v[len(h.v)-1]; v++ {
				cdf += math.Pow(float64(v), -a) / z
				if k < len(h.v) && h.v[k] == v {
					emp += float64(h.c[k]) / nt
					k++
				}
				want = max(want, math.Abs(emp-cdf))
			}
			if math.Abs(got-want) > 1e-9 {
				t.Errorf("trial %d i0 %d: plKS = %.12f, brute force %.12f", trial, i0, got, want)
			}
		}
	}
}

// TestPLSynthPowerLaw checks the bootstrap sampler's power-law part (unit
// steps and geometric blocks) against the exact probabilities: the counts at
// x = 1..5 and the tail fractions P(X ≥ 10⁴) and P(X ≥ 10⁶) of 10⁶ draws must
// lie within 4.5 binomial standard deviations of n·p.
func TestPLSynthPowerLaw(t *testing.T) {
	const n = 1_000_000
	for _, alpha := range []float64{1.5, 2.5} {
		h := plHist{v: []int{1, 2}, c: []int{n - 1, 1}}
		h.finish()
		f := plFit{i0: 0, xmin: 1, alpha: alpha}
		var dst plHist
		plSynth(rand.New(rand.NewPCG(9, 9)), &h, f, &dst, nil)
		if got := dst.cum[len(dst.v)]; got != n {
			t.Fatalf("α = %g: %d draws, want %d", alpha, got, n)
		}
		z := mathext.Zeta(alpha, 1)
		check := func(what string, got int, p float64) {
			mean, sd := n*p, math.Sqrt(n*p*(1-p))
			if math.Abs(float64(got)-mean) > 4.5*sd+0.5 {
				t.Errorf("α = %g, %s: %d draws, expected %.1f ± %.1f", alpha, what, got, mean, sd)
			}
		}
		count := func(lo int) int { // draws ≥ lo
			k := 0
			for i, v := range dst.v {
				if v >= lo {
					k += dst.c[i]
				}
			}
			return k
		}
		for x := 1; x <= 5; x++ {
			check("X = "+string(rune('0'+x)), count(x)-count(x+1), math.Pow(float64(x), -alpha)/z)
		}
		check("X ≥ 1e4", count(1e4), mathext.Zeta(alpha, 1e4)/z)
		check("X ≥ 1e6", count(1e6), mathext.Zeta(alpha, 1e6)/z)
	}
}

// TestFitPowerLawRecovers fits samples of known α and x_min. The tolerance
// on α is the brief's 0.05; the standard errors at these sizes are
// (α−1)/√n_tail ≤ 0.012, so 0.05 is > 4 SE. x_min: Clauset et al. (2009,
// Fig. 3.3) find x̂_min scattered at and somewhat above the true value, so
// x̂_min may exceed x_min by a few units for the pure power laws (a larger
// x̂_min still has a pure power-law tail) and by up to 30 % for the hidden
// ones.
func TestFitPowerLawRecovers(t *testing.T) {
	cases := []struct {
		name   string
		alpha  float64
		xmin   int
		n      int
		fTail  float64 // 1: pure power law from x_min
		maxDev int     // allowed x̂_min − x_min
	}{
		{"alpha1.5", 1.5, 1, 20000, 1, 3},
		{"alpha2.0", 2.0, 1, 20000, 1, 3},
		{"alpha2.5", 2.5, 1, 30000, 1, 3},
		{"hidden2.0", 2.0, 10, 40000, 0.7, 3},
		{"hidden2.5", 2.5, 20, 40000, 0.7, 6},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(100+i), 1))
			x := plTestMixture(rng, c.n, c.alpha, c.xmin, c.fTail)
			f, err := FitPowerLaw(x, PowerLawOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("α̂ = %.4f ± %.4f (true %g), x̂_min = %d (true %d), n_tail = %d, KS = %.4f",
				f.Alpha, f.SE, c.alpha, f.XMin, c.xmin, f.N, f.KS)
			if math.Abs(f.Alpha-c.alpha) > 0.05 {
				t.Errorf("α̂ = %.4f, want %g ± 0.05", f.Alpha, c.alpha)
			}
			if f.XMin < c.xmin || f.XMin > c.xmin+c.maxDev {
				t.Errorf("x̂_min = %d, want in [%d, %d]", f.XMin, c.xmin, c.xmin+c.maxDev)
			}
			// SE: asymptotic (α−1)/√n within 30 % (the discrete Fisher
			// information differs from the continuous one at small x_min).
			if cont := (f.Alpha - 1) / math.Sqrt(float64(f.N)); math.Abs(f.SE/cont-1) > 0.3 {
				t.Errorf("SE = %g, continuous approximation %g", f.SE, cont)
			}
		})
	}
}

// TestFitPowerLawFixedXMin checks that a fixed x_min is used as is, and
// that the MLE on a pure power law from x_min = 1 agrees with the
// closed-form approximation of Clauset et al. (2009, eq. 3.7),
// α ≈ 1 + n/Σ ln(x_i/(x_min − ½)), to the accuracy they report for x_min = 1
// (a few per cent).
func TestFitPowerLawFixedXMin(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	x := plTestSample(rng, 20000, 2.2, 5)
	f, err := FitPowerLaw(x, PowerLawOptions{XMin: 5})
	if err != nil {
		t.Fatal(err)
	}
	if f.XMin != 5 || f.N != len(x) {
		t.Fatalf("XMin = %d, N = %d; want 5, %d", f.XMin, f.N, len(x))
	}
	var s float64
	for _, v := range x {
		s += math.Log(float64(v) / 4.5)
	}
	approx := 1 + float64(len(x))/s
	if math.Abs(f.Alpha-approx) > 0.02 || math.Abs(f.Alpha-2.2) > 0.05 {
		t.Errorf("α̂ = %.4f, eq. 3.7 gives %.4f, true 2.2", f.Alpha, approx)
	}
}

// TestFitPowerLawGoodnessOfFit runs the bootstrap and likelihood-ratio tests
// on power-law, exponential and log-normal data (Clauset et al. 2009, §4.1,
// §5.1, Fig. 4.1: p is uniform on [0, 1] under the null and → 0 for other
// distributions as n grows). For the alternatives MinTail = 2000 forces a
// tail long enough to show its curvature; otherwise the x_min scan may find a
// short tail that a steep power law fits (which is a correct answer).
func TestFitPowerLawGoodnessOfFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n = 10000
	pl := plTestSample(rng, n, 2.0, 1)
	expo := make([]int, n)
	for i := range expo { // geometric: ⌊Exp(λ = 0.05)⌋ + 1
		expo[i] = 1 + int(rng.ExpFloat64()/0.05)
	}
	logn := make([]int, n)
	for i := range logn { // ⌊LogNormal(μ = 3, σ = 0.6)⌋, ≥ 1
		logn[i] = max(1, int(math.Exp(3+0.6*rng.NormFloat64())))
	}
	const boots = 40
	t.Run("powerlaw", func(t *testing.T) {
		f, err := FitPowerLaw(pl, PowerLawOptions{Bootstraps: boots, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("α̂ = %.3f x̂_min = %d p = %.3f (%d) exp: R = %.1f p = %.2g  lognormal: R = %.2f p = %.2g (μ = %.2f σ = %.2f)",
			f.Alpha, f.XMin, f.P, f.Bootstraps, f.Exponential.R, f.Exponential.P, f.LogNormal.R, f.LogNormal.P, f.LogNormal.Param[0], f.LogNormal.Param[1])
		if f.P <= 0.1 || f.Bootstraps != boots {
			t.Errorf("p = %.3f from %d bootstraps; a power law should not be rejected (p > 0.1)", f.P, f.Bootstraps)
		}
		if f.Exponential.R <= 0 || f.Exponential.P > 0.01 {
			t.Errorf("vs exponential: R = %.2f, p = %.3g; want R > 0 significant", f.Exponential.R, f.Exponential.P)
		}
		// A log-normal can mimic a power law (μ → −∞); Clauset et al. find
		// such comparisons mostly inconclusive: only require that the
		// log-normal is not significantly favoured.
		if f.LogNormal.R < 0 && f.LogNormal.P < 0.05 {
			t.Errorf("vs log-normal: R = %.2f, p = %.3g favours the log-normal", f.LogNormal.R, f.LogNormal.P)
		}
	})
	for _, c := range []struct {
		name string
		x    []int
		alt  func(PowerLaw) Comparison
	}{
		{"exponential", expo, func(f PowerLaw) Comparison { return f.Exponential }},
		{"lognormal", logn, func(f PowerLaw) Comparison { return f.LogNormal }},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := FitPowerLaw(c.x, PowerLawOptions{Bootstraps: boots, Seed: 2, MinTail: 2000})
			if err != nil {
				t.Fatal(err)
			}
			a := c.alt(f)
			t.Logf("α̂ = %.3f x̂_min = %d n_tail = %d p = %.3f; alternative R = %.1f p = %.2g param = %.3g",
				f.Alpha, f.XMin, f.N, f.P, a.R, a.P, a.Param)
			if f.P > 0.1 {
				t.Errorf("p = %.3f; the power law should be rejected (p ≤ 0.1)", f.P)
			}
			if a.R >= 0 || a.P > 0.01 {
				t.Errorf("R = %.2f, p = %.3g; want the %s significantly favoured", a.R, a.P, c.name)
			}
		})
	}
	// The fitted alternatives recover their parameters: λ of the geometric
	// tail (memoryless, so λ̂ ≈ 0.05 for any x_min; ln(1/(1−e^−0.05)) the
	// exact discrete rate equals 0.05) and μ, σ of the log-normal with
	// x_min = 1 (no truncation).
	fe, _ := FitPowerLaw(expo, PowerLawOptions{XMin: 1})
	if l := fe.Exponential.Param[0]; math.Abs(l-0.05) > 0.003 {
		t.Errorf("λ̂ = %.4f, want 0.05", l)
	}
	fl, _ := FitPowerLaw(logn, PowerLawOptions{XMin: 1})
	if p := fl.LogNormal.Param; math.Abs(p[0]-3) > 0.03 || math.Abs(p[1]-0.6) > 0.03 {
		t.Errorf("(μ̂, σ̂) = (%.3f, %.3f), want (3, 0.6)", p[0], p[1])
	}
}

// TestFitPowerLawDeterministic: the p-value depends on the seed only, not on
// the number of goroutines.
func TestFitPowerLawDeterministic(t *testing.T) {
	x := plTestMixture(rand.New(rand.NewPCG(5, 5)), 3000, 2.3, 4, 0.6)
	opt := PowerLawOptions{Bootstraps: 12, Seed: 99}
	prev := runtime.GOMAXPROCS(1)
	a, err := FitPowerLaw(x, opt)
	runtime.GOMAXPROCS(max(prev, 3))
	b, err2 := FitPowerLaw(x, opt)
	runtime.GOMAXPROCS(prev)
	if err != nil || err2 != nil {
		t.Fatal(err, err2)
	}
	if fmt.Sprint(a) != fmt.Sprint(b) { // %v prints NaN fields equal
		t.Errorf("results differ with GOMAXPROCS:\n%+v\n%+v", a, b)
	}
	opt.Seed++
	c, _ := FitPowerLaw(x, opt)
	if c.P == a.P && c.Bootstraps == a.Bootstraps {
		t.Logf("seed change left p = %.3f unchanged (possible with 12 bootstraps)", a.P)
	}
}

// TestFitPowerLawBadData: errors, never panics, and no NaN in a successful
// fit (P is NaN exactly when no bootstrap ran).
func TestFitPowerLawBadData(t *testing.T) {
	bad := []struct {
		name string
		x    []int
		opt  PowerLawOptions
	}{
		{"empty", nil, PowerLawOptions{}},
		{"zero", []int{1, 2, 0, 3}, PowerLawOptions{}},
		{"negative", []int{-1}, PowerLawOptions{}},
		{"too few", []int{1, 2, 3, 4, 5}, PowerLawOptions{}},
		{"constant", []int{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, PowerLawOptions{MinTail: 2}},
		{"xmin above data", []int{1, 2, 3}, PowerLawOptions{XMin: 10}},
		{"negative bootstraps", []int{1, 2, 3}, PowerLawOptions{Bootstraps: -1}},
	}
	for _, c := range bad {
		if f, err := FitPowerLaw(c.x, c.opt); err == nil {
			t.Errorf("%s: no error, got %+v", c.name, f)
		}
	}
	// Small but valid data sets, fixed x_min on a constant sample (α at its
	// upper bound), huge values.
	good := []struct {
		name string
		x    []int
		opt  PowerLawOptions
	}{
		{"two values", []int{1, 1, 1, 2, 2, 1, 1, 2, 1, 1}, PowerLawOptions{MinTail: 5, Bootstraps: 5}},
		{"constant fixed xmin", []int{4, 4, 4, 4}, PowerLawOptions{XMin: 4, Bootstraps: 3}},
		{"huge values", []int{1, 1 << 40, 1 << 50, 3, 1 << 62, 1 << 20, 5, 7, 1, 2, 1}, PowerLawOptions{MinTail: 5, Bootstraps: 5}},
	}
	for _, c := range good {
		f, err := FitPowerLaw(c.x, c.opt)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		for name, v := range map[string]float64{"Alpha": f.Alpha, "KS": f.KS, "SE": f.SE, "P": f.P, "LogLik": f.LogLik} {
			if math.IsNaN(v) {
				t.Errorf("%s: %s is NaN: %+v", c.name, name, f)
			}
		}
	}
	f, _ := FitPowerLaw(plTestSample(rand.New(rand.NewPCG(1, 2)), 500, 2, 1), PowerLawOptions{})
	if !math.IsNaN(f.P) || f.Bootstraps != 0 {
		t.Errorf("no bootstrap: P = %g, Bootstraps = %d; want NaN, 0", f.P, f.Bootstraps)
	}
}

// FuzzFitPowerLaw: arbitrary samples give an error or a fit with α in the
// search interval, KS in [0, 1], no NaN except P without bootstraps; never
// a panic.
func FuzzFitPowerLaw(f *testing.F) {
	f.Add([]byte{1, 2, 3, 1, 1, 200, 7, 1, 2, 1}, uint8(3), uint8(2))
	f.Add([]byte{0, 5}, uint8(1), uint8(0))
	f.Add([]byte{9, 9, 9, 9}, uint8(1), uint8(1))
	f.Add([]byte{40, 2, 2, 1}, uint8(3), uint8(93)) // every synthetic fit fails: P = NaN
	f.Fuzz(func(t *testing.T, data []byte, minTail, boots uint8) {
		x := make([]int, len(data))
		for i, b := range data {
			x[i] = int(b) << (b % 40) // zero (an error), small and huge values
		}
		opt := PowerLawOptions{MinTail: int(minTail%20) + 1, Bootstraps: int(boots % 4), Seed: uint64(len(data))}
		p, err := FitPowerLaw(x, opt)
		if err != nil {
			return
		}
		if !(p.Alpha > 1 && p.Alpha <= plAlphaHi) || !(p.KS >= 0 && p.KS <= 1) || math.IsNaN(p.SE) || math.IsNaN(p.LogLik) {
			t.Fatalf("x = %v: %+v", x, p)
		}
		// P is NaN without bootstraps, or when every synthetic fit failed
		// (then p.Bootstraps = 0); otherwise a fraction.
		if math.IsNaN(p.P) != (p.Bootstraps == 0) || p.Bootstraps > opt.Bootstraps || !(math.IsNaN(p.P) || p.P >= 0 && p.P <= 1) {
			t.Fatalf("x = %v, %d bootstraps: P = %g from %d", x, opt.Bootstraps, p.P, p.Bootstraps)
		}
	})
}

// TestPLCandidates checks the x_min candidates: all admissible distinct
// values when they are few; otherwise at most MaxCandidates of them,
// increasing, every value kept where the geometric grid is denser than the
// integers, and none leaving a tail below MinTail or being the largest value.
func TestPLCandidates(t *testing.T) {
	var x []int
	for v := 1; v <= 10000; v++ {
		x = append(x, v, v) // two of each
	}
	h, _ := plNewHist(x)
	c := plCandidates(&h, PowerLawOptions{MaxCandidates: 100, MinTail: 50})
	if len(c) > 100 || len(c) < 80 {
		t.Fatalf("%d candidates, want ≤ 100 and close to it", len(c))
	}
	for i, k := range c {
		if i > 0 && k <= c[i-1] {
			t.Fatalf("candidates not increasing: %v", c)
		}
		if tail := h.cum[len(h.v)] - h.cum[k]; tail < 50 || k == len(h.v)-1 {
			t.Fatalf("candidate %d (x = %d) leaves a tail of %d", k, h.v[k], tail)
		}
	}
	// Grid ratio 9976^(1/99) ≈ 1.097: values 1..11 are all kept.
	for v := 1; v <= 11; v++ {
		if c[v-1] != v-1 {
			t.Fatalf("value %d missing from the candidates %v", v, c[:12])
		}
	}
	few := plCandidates(&h, PowerLawOptions{MaxCandidates: 100000, MinTail: 50})
	if len(few) != 9976 {
		t.Errorf("%d candidates without the cap, want 9976 (tail 2·(10001−v) ≥ 50)", len(few))
	}
}
