package analysis

// Branching-ratio estimators for binned population activity A_t (events per
// bin). In a branching process each event causes on average m events in the
// next bin, and an external drive adds h: E[A_{t+1} | A_t] = m·A_t + h
// (Harris 1963, The Theory of Branching Processes, Springer; Wilting &
// Priesemann 2018, Nat Commun 9:2325, doi:10.1038/s41467-018-04725-4,
// Fig. 1b). m = 1 is the critical point.
//
// BL-1 reported only the mean-of-ratios estimator; under subsampling (an MEA
// sees a small fraction of the neurons) and under external drive it is
// biased, which is why the multistep-regression (MR) estimator of Wilting &
// Priesemann is provided and should be preferred.

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// DefaultMRKMax is the default largest lag of BranchingMR, the value of the
// CL SDK's analyse_criticality (max_lags_branching_ratio = 40).
const DefaultMRKMax = 40

// Search interval of the MR fit for m.
const (
	mrMLo = 1e-4
	mrMHi = 2.0
)

// BranchingNaive returns the mean-of-ratios branching ratio
//
//	σ̂ = ⟨A_{t+1}/A_t⟩ over the bins t with A_t > 0,
//
// the ratio of descendants to ancestors in consecutive bins (Harris 1963;
// the estimator of Beggs & Plenz 2003, J Neurosci 23:11167, took the ratio
// of the second to the first bin of each avalanche; this is its all-bins
// form, the one BL-1 reported). It is biased: with an external drive h,
// E[A_{t+1}/A_t] = m + h·E[1/A_t] > m, plus a Jensen term from the noise;
// under subsampling (observing a fraction of the events) the small observed
// counts make the ratios noisy and the bias large (see the tests; Wilting &
// Priesemann 2018, Fig. 1c–d, show the same failure for the single-step
// regression). Use BranchingMR for inference. NaN if no bin
// before the last has A_t > 0. Negative counts are treated as 0.
func BranchingNaive(a []int32) float64 {
	var s float64
	n := 0
	for t := 0; t+1 < len(a); t++ {
		if a[t] > 0 {
			s += float64(max(a[t+1], 0)) / float64(a[t])
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// MREstimate is the result of the multistep-regression estimator.
type MREstimate struct {
	M float64   // branching ratio m̂
	B float64   // amplitude b̂ of r_k = b·m^k (b < 1 under subsampling)
	R []float64 // regression slopes r_k for k = 1..len(R); R[k-1] = r_k
	N int       // number of regression pairs behind each r_k (the bins t ≤ len−kmax−1 of every trial)
}

// BranchingMR estimates the branching ratio m of the binned activity a with
// the multistep-regression estimator of Wilting & Priesemann (2018,
// Nat Commun 9:2325):
//
//  1. for each lag k = 1..kmax, r_k is the least-squares slope of A_{t+k}
//     against A_t (the "conventional" estimator is r_1 alone). All lags
//     regress on the same bins t = 0..len(a)−kmax−1, so that the
//     subsampling factor b, which depends on the variance of the regressor,
//     is the same for every k even when the activity is not stationary
//     (using all len(a)−k pairs at lag k, as is usual for stationary data,
//     biased m̂ by −0.014 on the supercritical transients of the tests);
//  2. r_k = b·m^k (their Fig. 1f) is fitted by least squares over k. For a
//     given m the optimal b is Σ r_k m^k / Σ m^{2k}, so the residual is a
//     function of m alone; it is minimised over m ∈ [10⁻⁴, 2] on a grid of
//     step 10⁻³ refined by Brent's method.
//
// Subsampling (observing each event with probability α < 1) multiplies all
// r_k by the same factor b ≤ 1 but leaves m^k, so m̂ stays consistent where
// the single-step slope r_1 and BranchingNaive do not. The estimate holds for
// subcritical and for non-stationary (critical or supercritical) activity,
// since E[A_{t+k} | A_t] = m^k A_t + const in both.
//
// kmax ≤ 0 means DefaultMRKMax. It is an error if a has fewer than kmax+2
// bins, if A_t is constant over the regression bins, or if the fit gives b ≤ 0 (no
// positive correlation: m is then undefined). A_t is typically Events.Bin at
// the avalanche bin width; m̂ is per bin, so it depends on that width (the
// intrinsic timescale −Δt/ln m̂ does not).
func BranchingMR(a []int32, kmax int) (MREstimate, error) {
	return BranchingMRTrials([][]int32{a}, kmax)
}

// BranchingMRTrials is BranchingMR for several independent recordings
// (trials) of the same process: the regression of step 1 pools the pairs
// (A_t, A_{t+k}) of all trials, never pairing bins of different trials: one
// slope and one intercept for all pairs, as in the "stationary mean" method
// of the MR. Estimator toolbox (Spitzner et al. 2021, PLoS ONE). Use it for
// transient recordings, e.g. repeated
// stimulus-evoked responses or supercritical activity restarted after a
// ceiling. Trials of kmax bins or fewer contribute no pairs.
func BranchingMRTrials(trials [][]int32, kmax int) (MREstimate, error) {
	if kmax <= 0 {
		kmax = DefaultMRKMax
	}
	var total, longest int
	var sum float64
	for i, tr := range trials {
		for t, v := range tr {
			if v < 0 {
				return MREstimate{}, fmt.Errorf("analysis: BranchingMR: trial %d bin %d has count %d < 0", i, t, v)
			}
			sum += float64(v)
		}
		total += len(tr)
		longest = max(longest, len(tr))
	}
	if longest < kmax+2 {
		return MREstimate{}, fmt.Errorf("analysis: BranchingMR: %d bins in the longest trial, need at least kmax+2 = %d", longest, kmax+2)
	}
	// Centre on the global mean so that the sums of squares below do not
	// cancel (the slope is invariant to a common shift).
	mean := sum / float64(total)
	d := make([][]float64, len(trials))
	for i, tr := range trials {
		d[i] = make([]float64, len(tr))
		for t, v := range tr {
			d[i][t] = float64(v) - mean
		}
	}
	// All lags share the regressor bins, so Σx and Σx² are common and Σy_k
	// is a window sum; only Σ x_t x_{t+k} needs a pass, done for all k at
	// once over chunks of t (cache-friendly), in parallel. The chunks are
	// fixed and their partial sums added in order, so the result does not
	// depend on the number of goroutines.
	const chunk = 1 << 14
	type job struct{ trial, lo, hi int }
	var jobs []job
	for i, x := range d {
		for lo := 0; lo < len(x)-kmax; lo += chunk {
			jobs = append(jobs, job{i, lo, min(lo+chunk, len(x)-kmax)})
		}
	}
	part := make([][]float64, len(jobs)) // Σx, Σx², Σy_1..Σy_kmax, Σxy_1..Σxy_kmax
	run := func(j job) []float64 {
		x := d[j.trial]
		acc := make([]float64, 2+2*kmax)
		sy, sxy := acc[2:2+kmax], acc[2+kmax:]
		var sx, sxx float64
		for _, u := range x[j.lo:j.hi] {
			sx += u
			sxx += u * u
		}
		// Four lags at a time in independent accumulators (instruction-level
		// parallelism), the chunk staying in cache across the groups.
		xs := x[j.lo:j.hi]
		k := 0
		for ; k+4 <= kmax; k += 4 {
			y0 := x[j.lo+k+1 : j.hi+k+1]
			y1 := x[j.lo+k+2 : j.hi+k+2]
			y2 := x[j.lo+k+3 : j.hi+k+3]
			y3 := x[j.lo+k+4 : j.hi+k+4]
			y0, y1, y2, y3 = y0[:len(xs)], y1[:len(xs)], y2[:len(xs)], y3[:len(xs)]
			var a0, a1, a2, a3 float64
			for t, u := range xs {
				a0 += u * y0[t]
				a1 += u * y1[t]
				a2 += u * y2[t]
				a3 += u * y3[t]
			}
			sxy[k], sxy[k+1], sxy[k+2], sxy[k+3] = a0, a1, a2, a3
		}
		for ; k < kmax; k++ {
			y := x[j.lo+k+1 : j.hi+k+1]
			y = y[:len(xs)]
			var a float64
			for t, u := range xs {
				a += u * y[t]
			}
			sxy[k] = a
		}
		// Σ_{t∈[lo,hi)} x_{t+k+1}: a window sum slid one bin per lag.
		var s float64
		for _, v := range x[j.lo+1 : j.hi+1] {
			s += v
		}
		for k := range sy {
			sy[k] = s
			if k+1 < kmax {
				s += x[j.hi+k+1] - x[j.lo+k+1]
			}
		}
		acc[0], acc[1] = sx, sxx
		return acc
	}
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(jobs); i += workers {
				part[i] = run(jobs[i])
			}
		}()
	}
	wg.Wait()
	tot := make([]float64, 2+2*kmax)
	var n float64
	for i, p := range part {
		for k, v := range p {
			tot[k] += v
		}
		n += float64(jobs[i].hi - jobs[i].lo)
	}
	sx, sxx := tot[0], tot[1]
	vx := sxx - sx*sx/n
	if !(vx > 0) {
		return MREstimate{}, fmt.Errorf("analysis: BranchingMR: activity is constant over the %g regression bins", n)
	}
	r := make([]float64, kmax)
	for k := range r {
		r[k] = (tot[2+kmax+k] - sx*tot[2+k]/n) / vx
	}
	m, b := mrFit(r)
	est := MREstimate{M: m, B: b, R: r, N: int(n)}
	if !(b > 0) {
		return est, fmt.Errorf("analysis: BranchingMR: fit of r_k = b·m^k gives b = %g ≤ 0 (r_1 = %g): no positive autocorrelation", b, r[0])
	}
	return est, nil
}

// mrFit fits r_k = b·m^k (k = 1..len(r)) by least squares, with b profiled
// out: for fixed m, b(m) = Σ r_k m^k / Σ m^{2k} and the residual is
// Σ r_k² − (Σ r_k m^k)² / Σ m^{2k}.
func mrFit(r []float64) (m, b float64) {
	proj := func(m float64) (num, den float64) {
		p := 1.0
		for _, rk := range r {
			p *= m
			num += rk * p
			den += p * p
		}
		return num, den
	}
	res := func(m float64) float64 {
		num, den := proj(m)
		if !(den > 0) || math.IsInf(den, 0) {
			return math.Inf(1)
		}
		return -num * num / den // Σ r_k² omitted: constant
	}
	const step = 1e-3
	best, fbest := mrMLo, math.Inf(1)
	for x := mrMLo; x <= mrMHi; x += step {
		if f := res(x); f < fbest {
			best, fbest = x, f
		}
	}
	lo, hi := max(mrMLo, best-step), min(mrMHi, best+step)
	m, _ = critBrent(res, lo, hi, 1e-12, 100)
	num, den := proj(m)
	return m, num / den
}
