package analysis

// Discrete power-law fitting after Clauset, Shalizi & Newman (2009),
// "Power-law distributions in empirical data", SIAM Review 51:661–703,
// doi:10.1137/070710111. Section and equation numbers below refer to the
// SIAM version.
//
// BL-1 fitted a least-squares line to the log empirical survival function and
// compared that slope, −(α−1), with ranges quoted for the exponent α of the
// density; it had no x_min selection and no goodness-of-fit test. Clauset et
// al. (§3.1, Appendix A) show that least-squares fits on log–log plots are
// biased and give no measure of fit; this file implements their procedure
// instead: maximum likelihood for α, x_min by minimising the Kolmogorov–Smirnov
// distance, a bootstrap p-value and likelihood-ratio tests against
// alternatives.

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"
)

// PowerLawOptions configures FitPowerLaw. The zero value scans x_min, uses
// the default caps and skips the bootstrap (P = NaN).
type PowerLawOptions struct {
	// XMin, if > 0, fixes x_min instead of scanning for it.
	XMin int

	// MaxCandidates caps the number of x_min values scanned (default 100).
	// The candidates are the distinct observed values that leave at least
	// MinTail observations in the tail, excluding the largest one (a tail of
	// a single distinct value has α̂ → ∞ and D = 0). When there are more
	// than MaxCandidates of them, the scan keeps, for each point of a
	// geometric grid of MaxCandidates values between the smallest and
	// largest candidate, the smallest candidate at or above that point:
	// every candidate is kept where consecutive values differ by less than
	// the grid ratio (small x), and the spacing is about 100·(ratio−1) %
	// above. Clauset et al. scan every distinct value; the cap bounds the
	// cost for large data sets (e.g. 10⁶ avalanches with 10⁵ distinct sizes).
	MaxCandidates int

	// MinTail is the smallest tail (number of observations ≥ x_min) a
	// scanned x_min may leave (default 50). Very small tails give small KS
	// distances by chance and would often win the scan; Clauset et al.
	// (§3.3) note the x_min estimate is unreliable there. It does not apply
	// when XMin is fixed.
	MinTail int

	// Bootstraps is the number of synthetic data sets for the
	// goodness-of-fit p-value (Clauset et al. §4.1). 0 skips the test and
	// leaves P = NaN. Clauset et al. recommend 2500 for p accurate to
	// ±0.01; 100 gives ±0.05.
	Bootstraps int

	// Seed seeds the PCG generator (math/rand/v2) of the bootstrap. The
	// result does not depend on the number of CPUs.
	Seed uint64
}

const (
	plDefaultMaxCandidates = 100
	plDefaultMinTail       = 50

	// Search interval of the exponent. α ≤ 1 is not normalisable; the cap
	// keeps ζ(α, x_min) ≈ x_min^−α representable for x_min up to ~10⁶.
	plAlphaLo = 1 + 1e-9
	plAlphaHi = 50.0

	// plMaxX is the largest value drawn for a synthetic data set: 2⁵³, the
	// largest integer all of whose predecessors are exact in float64.
	plMaxX = 1 << 53
)

// PowerLaw is the fit of the discrete power law
//
//	p(x) = x^−α / ζ(α, x_min),  x = x_min, x_min+1, …
//
// (Clauset et al. 2009, §2 and Table 2.1), where ζ(α, x_min) =
// Σ_{k≥0} (k + x_min)^−α is the Hurwitz zeta function, to the tail x ≥ x_min
// of a sample of positive integers.
type PowerLaw struct {
	Alpha  float64 // MLE of the exponent α of the probability mass function (not of the survival function, whose slope is −(α−1))
	XMin   int     // lower bound of the power-law tail
	N      int     // tail size: observations ≥ XMin
	NTotal int     // all observations

	// KS is the Kolmogorov–Smirnov distance D = max_{x≥x_min} |S(x) − P(x)|
	// between the empirical CDF S of the tail and the fitted CDF P
	// (Clauset et al. eq. 3.9), taken over all integers x ≥ x_min.
	KS float64

	// SE is the asymptotic standard error of α from the Fisher information
	// of the discrete likelihood, 1/√(n · ∂²ln ζ(α, x_min)/∂α²) (Clauset et
	// al. §3.3), which tends to (α−1)/√n (eq. 3.2) for large x_min.
	SE float64

	// P is the goodness-of-fit p-value: the fraction of synthetic data sets
	// whose own fit (x_min scan included) has a KS distance ≥ KS (Clauset
	// et al. §4.1). The power law is ruled out when P ≤ 0.1 (their
	// threshold). NaN when no bootstrap was run.
	P float64

	// Bootstraps is the number of synthetic data sets behind P (those whose
	// fit failed, e.g. for lack of an x_min candidate, are left out).
	Bootstraps int

	LogLik float64 // log-likelihood of the tail, −n ln ζ(α, x_min) − α Σ ln x_i (Clauset et al. eq. 3.5)

	// Likelihood-ratio tests (Clauset et al. §5.1, Appendix C) against
	// alternatives fitted by maximum likelihood to the same tail x ≥ XMin.
	Exponential Comparison // p(x) = (1 − e^−λ) e^{−λ(x − x_min)}; Param = {λ, NaN}
	LogNormal   Comparison // X = Y rounded, Y log-normal truncated to Y ≥ x_min − ½; Param = {μ, σ} of ln Y
}

// Comparison is Vuong's (1989, Econometrica 57:307) test of two non-nested
// models as used by Clauset et al. (2009, §5.1 and Appendix C):
//
//	R = Σ_i [ln p_PL(x_i) − ln p_alt(x_i)],   Z = R / (σ √n),
//
// σ² being the variance of the pointwise log-ratios. Under the null
// hypothesis that both models are equally close (in Kullback–Leibler
// divergence) to the truth, Z is asymptotically standard normal.
type Comparison struct {
	R     float64    // log-likelihood ratio; > 0 favours the power law, < 0 the alternative
	Z     float64    // normalised log-likelihood ratio R/(σ√n)
	P     float64    // two-sided p-value erfc(|Z|/√2); when small, the sign of R is significant
	Param [2]float64 // MLE of the alternative's parameters on the tail
}

// FitPowerLaw fits a discrete power law to x (positive integers, e.g.
// avalanche sizes or durations) by the method of Clauset, Shalizi & Newman
// (2009):
//
//   - for each candidate x_min, α is the exact maximum-likelihood estimate:
//     the maximiser of L(α) = −n ln ζ(α, x_min) − α Σ_{x_i≥x_min} ln x_i
//     (eq. 3.5), found by Brent's method on α ∈ (1, 50] (L is concave in α);
//   - x_min is the candidate that minimises the KS distance between the tail
//     and its fit (§3.3, eq. 3.9); see PowerLawOptions for the candidates;
//   - P is the semi-parametric bootstrap p-value of §4.1: each synthetic data
//     set has as many points as x; each point is, with probability n_tail/n,
//     drawn from the fitted power law (exactly, not with the approximation
//     of Appendix D), otherwise drawn uniformly from the observed values
//     below x_min; the synthetic set is then fitted in the same way, x_min
//     scan included, and P is the fraction of KS distances ≥ the observed
//     one;
//   - the likelihood-ratio tests of §5.1 against the discrete exponential
//     and a discretised log-normal (Comparison).
//
// Values ≤ 0 and samples that leave no x_min candidate are errors.
func FitPowerLaw(x []int, opt PowerLawOptions) (PowerLaw, error) {
	opt = plDefaults(opt)
	if opt.Bootstraps < 0 {
		return PowerLaw{}, fmt.Errorf("analysis: FitPowerLaw: %d bootstraps", opt.Bootstraps)
	}
	h, err := plNewHist(x)
	if err != nil {
		return PowerLaw{}, err
	}
	f, err := plFitHist(&h, opt)
	if err != nil {
		return PowerLaw{}, err
	}
	i0 := f.i0
	n := h.cum[len(h.v)] - h.cum[i0]
	xmin := float64(f.xmin)
	lz := math.Log(plZeta(f.alpha, xmin))
	res := PowerLaw{
		Alpha:  f.alpha,
		XMin:   f.xmin,
		N:      n,
		NTotal: h.cum[len(h.v)],
		KS:     f.ks,
		SE:     plSE(f.alpha, xmin, n),
		P:      math.NaN(),
		LogLik: -float64(n)*lz - f.alpha*h.slog[i0],
	}
	lpl := func(v, _ float64) float64 { return -f.alpha*v - lz }
	res.Exponential = plCompareExp(&h, i0, xmin, lpl)
	res.LogNormal = plCompareLogNormal(&h, i0, xmin, lpl)
	if opt.Bootstraps > 0 {
		res.P, res.Bootstraps = plBootstrap(&h, f, opt)
	}
	return res, nil
}

func plDefaults(opt PowerLawOptions) PowerLawOptions {
	if opt.MaxCandidates <= 0 {
		opt.MaxCandidates = plDefaultMaxCandidates
	}
	if opt.MinTail <= 0 {
		opt.MinTail = plDefaultMinTail
	}
	return opt
}

// plHist is a sample of positive integers as sorted distinct values with
// counts; every computation here is linear in the number of distinct values,
// not of observations.
type plHist struct {
	v    []int     // distinct values, ascending, ≥ 1
	c    []int     // their counts
	cum  []int     // cum[i] = Σ_{j<i} c[j]; len(v)+1 entries
	slog []float64 // slog[i] = Σ_{j≥i} c[j] ln v[j]; len(v)+1 entries
	lv   []float64 // ln v[i]
}

var errPLTooFew = errors.New("too few observations")

// plNewHist validates x and builds its histogram in O(n) for values below
// 2¹⁶ (a counting pass) plus a sort of the larger ones.
func plNewHist(x []int) (plHist, error) {
	var h plHist
	if len(x) == 0 {
		return h, fmt.Errorf("analysis: FitPowerLaw: no data: %w", errPLTooFew)
	}
	dense := min(1<<16, slices.Max(x)+1)
	cnt := make([]int, max(dense, 1))
	var big []int
	for i, v := range x {
		switch {
		case v < 1:
			return h, fmt.Errorf("analysis: FitPowerLaw: x[%d] = %d, need positive integers", i, v)
		case v < dense:
			cnt[v]++
		default:
			big = append(big, v)
		}
	}
	for v, c := range cnt {
		if c > 0 {
			h.v = append(h.v, v)
			h.c = append(h.c, c)
		}
	}
	slices.Sort(big)
	for i, v := range big {
		if i > 0 && v == big[i-1] {
			h.c[len(h.c)-1]++
			continue
		}
		h.v = append(h.v, v)
		h.c = append(h.c, 1)
	}
	h.finish()
	return h, nil
}

// finish fills cum, slog and lv from v and c.
func (h *plHist) finish() {
	m := len(h.v)
	h.cum = slices.Grow(h.cum[:0], m+1)[:m+1]
	h.slog = slices.Grow(h.slog[:0], m+1)[:m+1]
	h.lv = slices.Grow(h.lv[:0], m)[:m]
	h.cum[0] = 0
	for i, c := range h.c {
		h.cum[i+1] = h.cum[i] + c
		h.lv[i] = math.Log(float64(h.v[i]))
	}
	h.slog[m] = 0
	for i := m - 1; i >= 0; i-- {
		h.slog[i] = h.slog[i+1] + float64(h.c[i])*h.lv[i]
	}
}

func (h *plHist) reset() {
	h.v, h.c = h.v[:0], h.c[:0]
}

func (h *plHist) add(v, c int) {
	if c <= 0 {
		return
	}
	if k := len(h.v); k > 0 && h.v[k-1] == v {
		h.c[k-1] += c
		return
	}
	h.v = append(h.v, v)
	h.c = append(h.c, c)
}

// plFit is the power-law fit at one x_min.
type plFit struct {
	i0    int // index of the first distinct value ≥ xmin
	xmin  int
	alpha float64
	ks    float64
}

// plFitHist scans the x_min candidates of h (or uses opt.XMin) and returns
// the fit with the smallest KS distance.
func plFitHist(h *plHist, opt PowerLawOptions) (plFit, error) {
	m := len(h.v)
	n := h.cum[m]
	if opt.XMin > 0 {
		i0, _ := slices.BinarySearch(h.v, opt.XMin)
		if i0 == m {
			return plFit{}, fmt.Errorf("analysis: FitPowerLaw: no observation ≥ XMin = %d: %w", opt.XMin, errPLTooFew)
		}
		f := plFit{i0: i0, xmin: opt.XMin}
		nt := h.cum[m] - h.cum[i0]
		f.alpha = plMLE(float64(opt.XMin), h.slog[i0]/float64(nt))
		f.ks = plKS(h, i0, float64(opt.XMin), f.alpha, math.Inf(1))
		return f, nil
	}
	cand := plCandidates(h, opt)
	if len(cand) == 0 {
		return plFit{}, fmt.Errorf("analysis: FitPowerLaw: %d observations with %d distinct values leave no x_min with a tail of ≥ %d (MinTail) and 2 distinct values: %w",
			n, m, opt.MinTail, errPLTooFew)
	}
	best := plFit{ks: math.Inf(1)}
	for _, i0 := range cand {
		xmin := float64(h.v[i0])
		nt := h.cum[m] - h.cum[i0]
		a := plMLE(xmin, h.slog[i0]/float64(nt))
		d := plKS(h, i0, xmin, a, best.ks)
		if d < best.ks {
			best = plFit{i0: i0, xmin: h.v[i0], alpha: a, ks: d}
		}
	}
	return best, nil
}

// plCandidates returns the indices of the distinct values scanned as x_min.
func plCandidates(h *plHist, opt PowerLawOptions) []int {
	m := len(h.v)
	n := h.cum[m]
	last := -1 // last admissible index: tail ≥ MinTail and not the largest value
	for i := 0; i < m-1; i++ {
		if n-h.cum[i] >= opt.MinTail {
			last = i
		}
	}
	if last < 0 {
		return nil
	}
	if last+1 <= opt.MaxCandidates {
		idx := make([]int, last+1)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	lo, hi := float64(h.v[0]), float64(h.v[last])
	k := opt.MaxCandidates
	idx := make([]int, 0, k)
	i := 0
	for j := range k {
		g := lo * math.Pow(hi/lo, float64(j)/float64(k-1))
		for i <= last && float64(h.v[i]) < g*(1-1e-12) {
			i++
		}
		if i > last {
			break
		}
		if len(idx) == 0 || idx[len(idx)-1] != i {
			idx = append(idx, i)
		}
	}
	return idx
}

// plMLE returns the α maximising the discrete likelihood (Clauset et al.
// eq. 3.5) of a tail with mean log-value meanLog above xmin. The negative
// log-likelihood per point, ln ζ(α, x_min) + α·meanLog, is convex in α
// (ln ζ is a log-sum-exp of linear functions of α), so Brent's method on the
// search interval finds the global optimum.
func plMLE(xmin, meanLog float64) float64 {
	hi := plAlphaHi
	if l := math.Log(xmin); l > 0 {
		hi = min(hi, 1+600/l) // keeps x_min^−α above the float64 range floor
	}
	f := func(a float64) float64 {
		v := math.Log(plZeta(a, xmin)) + a*meanLog
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	a, _ := critBrent(f, plAlphaLo, hi, 1e-10, 200)
	return a
}

// plSE returns 1/√(n I(α)) with I(α) = ∂²ln ζ(α, x_min)/∂α², the Fisher
// information per observation of the discrete power law (Clauset et al.
// §3.3), by a central second difference; it falls back to the continuous
// (α−1)/√n (eq. 3.2) near α = 1 or if the difference is not positive.
func plSE(alpha, xmin float64, n int) float64 {
	fallback := (alpha - 1) / math.Sqrt(float64(n))
	h := 1e-3 * alpha
	if alpha-h <= plAlphaLo {
		return fallback
	}
	lz := func(a float64) float64 { return math.Log(plZeta(a, xmin)) }
	d2 := (lz(alpha+h) - 2*lz(alpha) + lz(alpha-h)) / (h * h)
	if !(d2 > 0) || math.IsInf(d2, 0) {
		return fallback
	}
	return 1 / math.Sqrt(float64(n)*d2)
}

// plKS returns the KS distance D = max_{x ≥ x_min} |S(x) − P(x)| between the
// empirical CDF S of the tail of h (indices ≥ i0, values ≥ xmin) and the CDF
// P(x) = 1 − ζ(α, x+1)/ζ(α, x_min) of the discrete power law, over all
// integers x ≥ x_min (as if every integer were tabulated). Between two
// consecutive observed values v_{i−1} < v_i, S is constant and P increasing,
// so the maximum is at x = v_{i−1} or x = v_i − 1: it suffices to evaluate,
// for each distinct value, |S(v_i) − P(v_i)| and |S(v_i−1) − P(v_i−1)|.
//
// Rather than visit every distinct value, plKS bisects the index range: on
// an interval [v_i, v_j] of evaluated endpoints, S ∈ [S(v_i), S(v_j)] and
// P ∈ [P(v_i), P(v_j)], so no interior value can exceed
// max(S(v_j) − P(v_i), P(v_j) − S(v_i)); intervals whose bound does not
// exceed the running maximum are skipped. The result is exact. If the
// running maximum reaches stop, plKS returns it at once (the caller only
// needs to know that this candidate loses).
func plKS(h *plHist, i0 int, xmin, alpha, stop float64) float64 {
	m := len(h.v)
	z := plZeta(alpha, xmin)
	nt := float64(h.cum[m] - h.cum[i0])
	base := h.cum[i0]
	type pt struct{ s, p float64 }
	eval := func(i int) (pt, float64) {
		v := float64(h.v[i])
		t := plZeta(alpha, v+1) // ζ(α, v+1)
		s := float64(h.cum[i+1]-base) / nt
		p := 1 - t/z
		sb := float64(h.cum[i]-base) / nt                    // S(v−1)
		pb := 1 - (t+math.Pow(v, -alpha))/z                  // P(v−1)
		return pt{s, p}, max(math.Abs(s-p), math.Abs(sb-pb)) // v−1 ≥ x_min or both terms are 0
	}
	a, d := eval(i0)
	if i0 == m-1 || d >= stop {
		return d
	}
	b, db := eval(m - 1)
	d = max(d, db)
	type span struct {
		i, j int
		a, b pt
	}
	stack := []span{{i0, m - 1, a, b}}
	for len(stack) > 0 && d < stop {
		sp := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if sp.j-sp.i < 2 {
			continue
		}
		if max(sp.b.s-sp.a.p, sp.b.p-sp.a.s) <= d {
			continue
		}
		k := (sp.i + sp.j) / 2
		c, dc := eval(k)
		d = max(d, dc)
		stack = append(stack, span{k, sp.j, c, sp.b}, span{sp.i, k, sp.a, c})
	}
	return d
}

// plZeta returns the Hurwitz zeta function ζ(s, q) = Σ_{k≥0} (k+q)^−s for
// s > 1, q > 0 (+Inf for s ≤ 1). For q ≥ 4(s+14) it sums the first seven
// Bernoulli terms of the asymptotic (Euler–Maclaurin) expansion
//
//	ζ(s, q) ~ q^{1−s}/(s−1) + q^−s/2 + Σ_{j≥1} B_{2j}/(2j)! · s(s+1)⋯(s+2j−2) · q^{−s−2j+1}
//
// (DLMF 25.11.43), whose truncation error there is below 10⁻²⁰ relative;
// otherwise it calls gonum's mathext.Zeta (Cephes). The expansion costs one
// Pow instead of Cephes' ten; the KS scan evaluates ζ at every large value.
func plZeta(s, q float64) float64 {
	if !(s > 1) {
		return math.Inf(1)
	}
	if q < 4*(s+14) {
		return mathext.Zeta(s, q)
	}
	// B_{2j}/(2j)! for j = 1..7.
	coef := [...]float64{
		1.0 / 12,
		-1.0 / 720,
		1.0 / 30240,
		-1.0 / 1209600,
		1.0 / 47900160,
		-691.0 / 1307674368000,
		1.0 / 74724249600,
	}
	qs := math.Pow(q, -s)
	sum := qs*q/(s-1) + qs/2
	t := qs / q * s // (s)_1 q^{−s−1}
	inv2 := 1 / (q * q)
	for j, c := range coef {
		sum += c * t
		r := s + float64(2*j+1) // multiply by (s+2j+1)(s+2j+2) for the next term
		t *= r * (r + 1) * inv2
	}
	return sum
}

// critBrent minimises f on [a, b] by Brent's method (Brent 1973, Algorithms
// for Minimization without Derivatives, ch. 5): golden-section steps,
// replaced by parabolic interpolation when that is safe. It returns the
// abscissa and value of the minimum found to relative tolerance tol.
func critBrent(f func(float64) float64, a, b, tol float64, maxIter int) (float64, float64) {
	const cgold = 0.3819660112501051 // (3 − √5)/2
	x := a + cgold*(b-a)
	w, v := x, x
	fx := f(x)
	fw, fv := fx, fx
	var d, e float64
	for range maxIter {
		mid := 0.5 * (a + b)
		tol1 := tol*math.Abs(x) + 1e-15
		tol2 := 2 * tol1
		if math.Abs(x-mid) <= tol2-0.5*(b-a) {
			break
		}
		golden := true
		if math.Abs(e) > tol1 {
			r := (x - w) * (fx - fv)
			q := (x - v) * (fx - fw)
			p := (x-v)*q - (x-w)*r
			q = 2 * (q - r)
			if q > 0 {
				p = -p
			} else {
				q = -q
			}
			etemp := e
			e = d
			if math.Abs(p) < math.Abs(0.5*q*etemp) && p > q*(a-x) && p < q*(b-x) {
				d = p / q
				if u := x + d; u-a < tol2 || b-u < tol2 {
					d = math.Copysign(tol1, mid-x)
				}
				golden = false
			}
		}
		if golden {
			if x >= mid {
				e = a - x
			} else {
				e = b - x
			}
			d = cgold * e
		}
		u := x + d
		if math.Abs(d) < tol1 {
			u = x + math.Copysign(tol1, d)
		}
		fu := f(u)
		if fu <= fx {
			if u >= x {
				a = x
			} else {
				b = x
			}
			v, fv = w, fw
			w, fw = x, fx
			x, fx = u, fu
		} else {
			if u < x {
				a = u
			} else {
				b = u
			}
			if fu <= fw || w == x {
				v, fv = w, fw
				w, fw = u, fu
			} else if fu <= fv || v == x || v == w {
				v, fv = u, fu
			}
		}
	}
	return x, fx
}

// plBootstrap returns the goodness-of-fit p-value of Clauset et al. §4.1 and
// the number of synthetic data sets it rests on. Replicate r uses its own
// PCG stream seeded from a master PCG(opt.Seed, ·), so the result does not
// depend on how replicates are spread over goroutines.
func plBootstrap(h *plHist, f plFit, opt PowerLawOptions) (float64, int) {
	B := opt.Bootstraps
	seeds := make([][2]uint64, B)
	master := rand.New(rand.NewPCG(opt.Seed, 0x5851f42d4c957f2d))
	for r := range seeds {
		seeds[r] = [2]uint64{master.Uint64(), master.Uint64()}
	}
	ks := make([]float64, B)
	workers := min(runtime.GOMAXPROCS(0), B)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var syn plHist
			var buf []int
			for r := w; r < B; r += workers {
				rng := rand.New(rand.NewPCG(seeds[r][0], seeds[r][1]))
				buf = plSynth(rng, h, f, &syn, buf)
				g, err := plFitHist(&syn, opt)
				if err != nil {
					ks[r] = math.NaN()
					continue
				}
				ks[r] = g.ks
			}
		}()
	}
	wg.Wait()
	var used, ge int
	for _, d := range ks {
		if math.IsNaN(d) {
			continue
		}
		used++
		if d >= f.ks {
			ge++
		}
	}
	if used == 0 {
		return math.NaN(), 0
	}
	return float64(ge) / float64(used), used
}

// plSynth fills dst with the histogram of one synthetic data set of
// Clauset et al. §4.1 for the fit f of h: n = |h| points, each of which is,
// with probability n_tail/n, drawn from the fitted power law and otherwise
// drawn uniformly from the observed values below x_min.
//
// The data set is drawn as a histogram, which is the same as drawing n
// independent points: the number of power-law points is Binomial(n,
// n_tail/n); the other points are spread over the observed values below
// x_min by a multinomial with weights equal to their counts; the power-law
// points are spread over x = x_min, x_min+1, … by sequential binomials with
// the conditional probabilities p(x)/P(X ≥ x) = x^−α/ζ(α, x) (exact, with
// ζ(α, x) refreshed every 16 steps). After 4096 unit steps it moves to
// blocks [x, x+w) of width w = ⌊x/64⌋ with probability (ζ(α,x) −
// ζ(α,x+w))/ζ(α,x), and places each point of a block by rejection from the
// uniform distribution on the block, accepting y with probability
// (y/x)^−α — exact again, and the cost no longer grows with the largest
// value. Draws beyond 2⁵³ (possible only for α close to 1) are set to 2⁵³.
// buf is scratch space, returned for reuse.
func plSynth(rng *rand.Rand, h *plHist, f plFit, dst *plHist, buf []int) []int {
	m := len(h.v)
	n := h.cum[m]
	nt := n - h.cum[f.i0]
	nlow := n - nt
	src := plSource{rng}
	binom := func(k int, p float64) int {
		switch {
		case k <= 0 || p <= 0:
			return 0
		case p >= 1:
			return k
		}
		return int(distuv.Binomial{N: float64(k), P: p, Src: src}.Rand())
	}
	dst.reset()
	ntail := nt
	if nlow > 0 {
		ntail = binom(n, float64(nt)/float64(n))
	}
	// Lower part: multinomial over the observed values below x_min.
	rem, remW := n-ntail, nlow
	for i := 0; i < f.i0 && rem > 0; i++ {
		k := binom(rem, float64(h.c[i])/float64(remW))
		dst.add(h.v[i], k)
		rem -= k
		remW -= h.c[i]
	}
	// Power-law part.
	a := f.alpha
	rem = ntail
	x := f.xmin
	z := plZeta(a, float64(x))
	const unitSteps = 4096
	for step := 0; rem > 0 && step < unitSteps; step++ {
		if step%16 == 0 && step > 0 {
			z = plZeta(a, float64(x))
		}
		px := math.Pow(float64(x), -a)
		k := binom(rem, px/z)
		dst.add(x, k)
		rem -= k
		z -= px
		x++
	}
	z = plZeta(a, float64(x))
	for rem > 0 {
		w := max(1, x/64)
		if x >= plMaxX-w {
			dst.add(plMaxX, rem)
			break
		}
		zn := plZeta(a, float64(x+w))
		k := binom(rem, (z-zn)/z)
		rem -= k
		buf = buf[:0]
		for range k {
			for {
				y := x + rng.IntN(w)
				if rng.Float64() < math.Pow(float64(y)/float64(x), -a) {
					buf = append(buf, y)
					break
				}
			}
		}
		slices.Sort(buf)
		for _, y := range buf {
			dst.add(y, 1)
		}
		x += w
		z = zn
	}
	dst.finish()
	return buf
}

// plSource adapts a *rand.Rand to the rand.Source that gonum's distuv
// expects.
type plSource struct{ r *rand.Rand }

func (s plSource) Uint64() uint64 { return s.r.Uint64() }

// plVuong returns Vuong's test of the power law against an alternative on
// the tail of h (indices ≥ i0), given the pointwise log-probabilities of
// both as functions of (ln v, v).
func plVuong(h *plHist, i0 int, lpl, lalt func(lv, v float64) float64) Comparison {
	m := len(h.v)
	n := float64(h.cum[m] - h.cum[i0])
	var r float64
	l := make([]float64, m-i0)
	for i := i0; i < m; i++ {
		d := lpl(h.lv[i], float64(h.v[i])) - lalt(h.lv[i], float64(h.v[i]))
		l[i-i0] = d
		r += float64(h.c[i]) * d
	}
	mean := r / n
	var ss float64
	for i := i0; i < m; i++ {
		e := l[i-i0] - mean
		ss += float64(h.c[i]) * e * e
	}
	sd := math.Sqrt(ss / n)
	c := Comparison{R: r}
	switch {
	case math.IsNaN(r) || math.IsNaN(sd):
		c.Z, c.P = math.NaN(), math.NaN()
	case sd == 0 && r == 0:
		c.Z, c.P = 0, 1
	default:
		c.Z = r / (sd * math.Sqrt(n))
		c.P = math.Erfc(math.Abs(c.Z) / math.Sqrt2)
	}
	return c
}

// plCompareExp compares with the discrete exponential on x ≥ x_min,
// p(x) = (1 − e^−λ) e^{−λ(x − x_min)} (Clauset et al. Table 2.1), i.e. the
// geometric distribution of x − x_min, whose MLE is λ = ln(1 + 1/m̄), m̄
// being the mean of x − x_min over the tail.
func plCompareExp(h *plHist, i0 int, xmin float64, lpl func(lv, v float64) float64) Comparison {
	m := len(h.v)
	n := float64(h.cum[m] - h.cum[i0])
	var s float64
	for i := i0; i < m; i++ {
		s += float64(h.c[i]) * (float64(h.v[i]) - xmin)
	}
	mbar := s / n
	lambda := math.Log1p(1 / mbar) // +Inf if the tail is a single value
	lnorm := math.Log(-math.Expm1(-lambda))
	lalt := func(_, v float64) float64 {
		if math.IsInf(lambda, 1) {
			if v == xmin {
				return 0
			}
			return math.Inf(-1)
		}
		return lnorm - lambda*(v-xmin)
	}
	c := plVuong(h, i0, lpl, lalt)
	c.Param = [2]float64{lambda, math.NaN()}
	return c
}

// plCompareLogNormal compares with the discretised log-normal: X = Y
// rounded to the nearest integer, Y log-normal (μ, σ) truncated to
// Y ≥ x_min − ½:
//
//	p(x) = [Φ̄(z(x−½)) − Φ̄(z(x+½))] / Φ̄(z(x_min−½)),  z(y) = (ln y − μ)/σ,
//
// Φ̄ the standard normal survival function: the continuous log-normal of
// Clauset et al. Table 2.1 discretised by rounding, the convention of the
// authors' own code for discrete data (Shalizi's pli-R, disclnorm.R). Rounding
// rather than flooring matters: the floored family tends, for σ → ∞, to a
// floored continuous power law whose mass at small x differs from
// x^−α/ζ(α, x_min) by tens of per cent, and the test would then reject the
// log-normal on true power-law data because of the discretisation alone;
// rounded, the difference is the midpoint-rule error α(α+1)/(24x²). (μ, σ)
// maximise the likelihood of the tail: Nelder–Mead (gonum/optimize) in the
// natural parameters (μ/σ², ln(1/(2σ²))) from the moments of ln x.
func plCompareLogNormal(h *plHist, i0 int, xmin float64, lpl func(lv, v float64) float64) Comparison {
	m := len(h.v)
	n := h.cum[m] - h.cum[i0]
	lxmin := math.Log(xmin - 0.5)
	lo := make([]float64, m-i0) // ln(v − ½)
	hi := make([]float64, m-i0) // ln(v + ½)
	var s1, s2 float64
	for i := i0; i < m; i++ {
		lo[i-i0] = math.Log(float64(h.v[i]) - 0.5)
		hi[i-i0] = math.Log(float64(h.v[i]) + 0.5)
		c := float64(h.c[i])
		s1 += c * h.lv[i]
		s2 += c * h.lv[i] * h.lv[i]
	}
	mu0 := s1 / float64(n)
	sd0 := math.Sqrt(max(s2/float64(n)-mu0*mu0, 0))
	sd0 = max(sd0, 0.1)
	lp := func(mu, sigma float64, lo, hi, lv float64) float64 {
		return plLogNormalBin((lo-mu)/sigma, (hi-mu)/sigma, (lv-mu)/sigma, sigma, lv)
	}
	// Natural parameters of ln p ∝ −β₂ ln²x + (β₁ − 1) ln x: β₁ = μ/σ²,
	// β₂ = 1/(2σ²). The power law is the limit β₂ → 0 at fixed β₁ = 1 − α,
	// a straight valley in (β₁, ln β₂) where it is a curved one in (μ, σ).
	toMuSigma := func(p []float64) (mu, sigma float64) {
		b2 := math.Exp(p[1])
		return p[0] / (2 * b2), 1 / math.Sqrt(2*b2)
	}
	nll := func(p []float64) float64 {
		mu, sigma := toMuSigma(p)
		if !(sigma > 1e-6 && sigma < 1e8) || math.IsInf(mu, 0) || math.IsNaN(mu) {
			return math.Inf(1)
		}
		norm := plLogUpper((lxmin - mu) / sigma)
		var ll float64
		for i := i0; i < m; i++ {
			ll += float64(h.c[i]) * lp(mu, sigma, lo[i-i0], hi[i-i0], h.lv[i])
		}
		v := -(ll - float64(n)*norm)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	x0 := []float64{mu0 / (sd0 * sd0), math.Log(1 / (2 * sd0 * sd0))}
	mu, sigma := mu0, sd0
	set := &optimize.Settings{
		FuncEvaluations: 2000,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-6, Relative: 1e-10, Iterations: 20},
	}
	if r, err := optimize.Minimize(optimize.Problem{Func: nll}, x0, set, &optimize.NelderMead{}); r != nil && !math.IsInf(r.F, 1) {
		_ = err // a stopped but finite optimum is still the best found
		mu, sigma = toMuSigma(r.X)
	}
	norm := plLogUpper((lxmin - mu) / sigma)
	lalt := func(lv, v float64) float64 {
		return lp(mu, sigma, math.Log(v-0.5), math.Log(v+0.5), lv) - norm
	}
	c := plVuong(h, i0, lpl, lalt)
	c.Param = [2]float64{mu, sigma}
	return c
}

// plLogNormalBin returns ln[Φ̄(a) − Φ̄(b)] for a < b, computed on the side of
// the normal distribution where it does not cancel. If the bin is too narrow
// for that (a and b equal in float64), it uses the density of Y at the bin's
// centre x: ln φ(zm) − ln σ − ln x (ym = ln x), the width being 1.
func plLogNormalBin(a, b, zm, sigma, ym float64) float64 {
	var r float64
	switch {
	case a >= 0:
		ua, ub := plLogUpper(a), plLogUpper(b)
		r = ua + math.Log(-math.Expm1(ub-ua))
	case b <= 0:
		la, lb := plLogUpper(-a), plLogUpper(-b) // ln Φ(a), ln Φ(b)
		r = lb + math.Log(-math.Expm1(la-lb))
	default:
		r = math.Log1p(-(math.Exp(plLogUpper(b)) + math.Exp(plLogUpper(-a))))
	}
	if math.IsInf(r, -1) || math.IsNaN(r) {
		r = -0.5*zm*zm - 0.5*math.Log(2*math.Pi) - math.Log(sigma) - ym
	}
	return r
}

// plLogUpper returns ln Φ̄(z), the log of the standard normal survival
// function: ln(erfc(z/√2)/2), with the asymptotic series
// −z²/2 − ln(z√(2π)) + ln(1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸) for z > 30,
// where erfc would underflow (relative error < 10⁻¹⁰ there).
func plLogUpper(z float64) float64 {
	if z <= 30 {
		return math.Log(0.5 * math.Erfc(z/math.Sqrt2))
	}
	u := 1 / (z * z)
	return -0.5*z*z - math.Log(z) - 0.5*math.Log(2*math.Pi) + math.Log1p(u*(-1+u*(3+u*(-15+105*u))))
}
