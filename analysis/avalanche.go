package analysis

// Neuronal avalanches (Beggs & Plenz 2003, "Neuronal avalanches in neocortical
// circuits", J Neurosci 23:11167–11177, doi:10.1523/JNEUROSCI.23-35-11167.2003):
// the pooled events are binned at Δt; an avalanche is a maximal run of
// non-empty bins bounded by empty bins; its size S is the number of events in
// the run and its duration T the number of bins. At criticality S and T are
// power-law distributed, P(S) ∝ S^−α_S and P(T) ∝ T^−α_T, with the mean-field
// (critical branching process) values α_S = 3/2 and α_T = 2 (Zapperi,
// Lauritsen & Stanley 1995, PRL 75:4071), and the mean size grows with
// duration as ⟨S⟩(T) ∝ T^γ with γ = (α_T − 1)/(α_S − 1), the crackling-noise
// scaling relation (Sethna, Dahmen & Myers 2001, Nature 410:242; Friedman et
// al. 2012, PRL 108:208102), γ = 2 in mean field.
//
// AvalancheAnalysis runs the whole chain for one or several bin widths:
// binning, avalanches, power-law fits of S and T (FitPowerLaw), the branching
// ratio (BranchingNaive, BranchingMR) and the scaling relation
// (ScalingRelation). Unlike BL-1, which compared least-squares slopes of the
// survival function with density exponents, reported only the biased
// mean-of-ratios branching ratio and had no scaling-relation test, the
// exponents here are maximum-likelihood density exponents with a
// goodness-of-fit p-value, the branching ratio is also estimated by
// multistep regression, and γ is fitted and compared with its prediction.

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Avalanches returns the size (sum of counts) and duration (number of bins)
// of every avalanche of the binned activity counts: every maximal run of
// non-empty bins that is preceded and followed by an empty bin (Beggs &
// Plenz 2003). A run that touches the first or the last bin is left out,
// because its start or end was not observed and its size and duration
// would be truncated (BL-1 kept the run at the end; a long final burst then
// enters the fits with a wrong size). Counts ≤ 0 are empty bins
// (Events.Bin never gives negative counts). Both slices are nil if there is
// no complete avalanche.
func Avalanches(counts []int32) (sizes, durations []int) {
	start := -1 // index of the first bin of the current run; -1 outside a run
	size := 0
	for t, c := range counts {
		if c > 0 {
			if start < 0 {
				start, size = t, 0
			}
			size += int(c)
			continue
		}
		if start > 0 { // a run that started after an empty bin has ended
			sizes = append(sizes, size)
			durations = append(durations, t-start)
		}
		start = -1
	}
	return sizes, durations
}

// MeanIEI returns the mean inter-event interval of the pooled events, in ms:
// (t_last − t_first)/(n − 1) over all n events of e regardless of unit, the
// default avalanche bin width of Beggs & Plenz (2003), who binned the pooled
// LFP events of a 60-electrode MEA at ⟨IEI⟩. Events at the same time count as
// intervals of 0. NaN for fewer than 2 events.
//
// ⟨IEI⟩ shrinks as 1/(number of units): for electrode events (tens of
// channels) it is a few ms, but for the spikes of thousands of simulated
// neurons it can be far below the integration step, where bins no longer
// resolve anything; pass explicit bin widths then (at least the step dt).
func MeanIEI(e Events) float64 {
	n := len(e.T)
	if n < 2 {
		return math.NaN()
	}
	return (e.T[n-1] - e.T[0]) / float64(n-1)
}

// AvalancheOptions configures AvalancheAnalysis. The zero value uses the
// defaults below and no goodness-of-fit bootstrap.
type AvalancheOptions struct {
	// PowerLaw is used for the size and the duration fits; the duration fit
	// uses Seed+1 so that the two bootstraps are independent.
	PowerLaw PowerLawOptions

	// KMax is the largest lag of the MR branching-ratio estimator
	// (default DefaultMRKMax = 40).
	KMax int

	// MinPerDuration is the number of avalanches a duration needs to enter
	// the ⟨S⟩(T) fit of ScalingRelation (default 10).
	MinPerDuration int
}

// AvalancheStats is the avalanche analysis of one bin width.
type AvalancheStats struct {
	BinMs     float64 // bin width Δt, ms
	Sizes     []int   // avalanche sizes S, events
	Durations []int   // avalanche durations T, bins

	Size     PowerLaw // fit of P(S) ∝ S^−α_S (Size.Alpha = α_S)
	Duration PowerLaw // fit of P(T) ∝ T^−α_T (Duration.Alpha = α_T)

	// Branching ratio of the binned activity at this bin width.
	Naive float64    // BranchingNaive (biased; for comparison with the literature)
	MR    MREstimate // BranchingMR
	Scale ScalingLaw // crackling-noise relation, from Size.Alpha, Duration.Alpha and ⟨S⟩(T) for T ≥ Duration.XMin

	// Err joins the failures of this bin width (too few avalanches for a
	// fit, constant activity for MR, …); the fields they concern are left
	// zero, with NaN exponents.
	Err error
}

// AvalancheAnalysis bins e at each width in binsMs (ms; 0 means MeanIEI(e),
// an empty list means just MeanIEI(e)) and returns, per width, the avalanches,
// their size and duration power-law fits (FitPowerLaw), the branching ratio
// of the binned activity (BranchingNaive and BranchingMR) and the
// crackling-noise scaling relation (ScalingRelation). Beggs & Plenz (2003)
// recommend checking that α_S depends on Δt as expected, hence several widths.
//
// Invalid events (Events.Validate), negative or non-finite widths and widths
// that give more than 2³⁰ bins are errors. Failures that concern one width
// only (too few avalanches, …) are reported in that width's Err.
func AvalancheAnalysis(e Events, binsMs []float64, opt AvalancheOptions) ([]AvalancheStats, error) {
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("analysis: AvalancheAnalysis: %w", err)
	}
	if len(binsMs) == 0 {
		binsMs = []float64{0}
	}
	iei := MeanIEI(e)
	widths := make([]float64, len(binsMs))
	for i, w := range binsMs {
		switch {
		case w == 0:
			if !(iei > 0) {
				return nil, fmt.Errorf("analysis: AvalancheAnalysis: binsMs[%d] = 0 asks for the mean inter-event interval, which is %g ms (%d events)", i, iei, len(e.T))
			}
			w = iei
		case !(w > 0) || math.IsInf(w, 0):
			return nil, fmt.Errorf("analysis: AvalancheAnalysis: binsMs[%d] = %g ms, need > 0 (or 0 for the mean IEI)", i, w)
		}
		if nb := (e.T1 - e.T0) / w; nb > 1<<30 {
			return nil, fmt.Errorf("analysis: AvalancheAnalysis: bin %g ms gives %.3g bins over [%g, %g) ms, more than 2^30", w, nb, e.T0, e.T1)
		}
		widths[i] = w
	}
	kmax := opt.KMax
	if kmax <= 0 {
		kmax = DefaultMRKMax
	}
	minPer := opt.MinPerDuration
	if minPer <= 0 {
		minPer = 10
	}
	out := make([]AvalancheStats, len(widths))
	for i, w := range widths {
		out[i] = avalancheAt(e, w, opt.PowerLaw, kmax, minPer)
	}
	return out, nil
}

func avalancheAt(e Events, w float64, plo PowerLawOptions, kmax, minPer int) AvalancheStats {
	counts := e.Bin(w)
	s := AvalancheStats{BinMs: w}
	s.Sizes, s.Durations = Avalanches(counts)
	nan := PowerLaw{Alpha: math.NaN(), KS: math.NaN(), SE: math.NaN(), P: math.NaN(), LogLik: math.NaN()}
	var errs []error
	var err error
	s.Size, err = FitPowerLaw(s.Sizes, plo)
	if err != nil {
		s.Size = nan
		errs = append(errs, fmt.Errorf("sizes at %g ms: %w", w, err))
	}
	dopt := plo
	dopt.Seed++
	s.Duration, err = FitPowerLaw(s.Durations, dopt)
	if err != nil {
		s.Duration = nan
		errs = append(errs, fmt.Errorf("durations at %g ms: %w", w, err))
	}
	s.Naive = BranchingNaive(counts)
	s.MR, err = BranchingMR(counts, kmax)
	if err != nil {
		s.MR.M, s.MR.B = math.NaN(), math.NaN()
		errs = append(errs, fmt.Errorf("branching ratio at %g ms: %w", w, err))
	}
	s.Scale = ScalingLaw{Predicted: math.NaN(), Gamma: math.NaN(), GammaSE: math.NaN(), Diff: math.NaN()}
	if !math.IsNaN(s.Size.Alpha) && !math.IsNaN(s.Duration.Alpha) {
		s.Scale, err = ScalingRelation(s.Sizes, s.Durations, s.Size.Alpha, s.Duration.Alpha, s.Duration.XMin, minPer)
		if err != nil {
			errs = append(errs, fmt.Errorf("scaling relation at %g ms: %w", w, err))
		}
	}
	s.Err = errors.Join(errs...)
	return s
}

// ScalingLaw is the crackling-noise scaling relation check.
type ScalingLaw struct {
	// Predicted is (α_T − 1)/(α_S − 1), the exponent 1/(σνz) of ⟨S⟩(T)
	// implied by the size and duration exponents (Sethna, Dahmen & Myers
	// 2001; Friedman et al. 2012).
	Predicted float64

	// Gamma is the fitted exponent of ⟨S⟩(T) ∝ T^γ: the least-squares slope
	// of ln⟨S⟩(T) against ln T over the durations used, GammaSE its
	// standard error.
	Gamma, GammaSE float64

	// Diff is Predicted − Gamma; |Diff| is the "deviation from criticality
	// coefficient" (DCC) of Ma et al. 2019 (Neuron 104:655) used by the CL
	// SDK's analyse_criticality.
	Diff float64

	TMin, TMax int // smallest and largest duration used, bins
	Points     int // number of distinct durations in the fit
}

// ScalingRelation checks the crackling-noise relation
//
//	⟨S⟩(T) ∝ T^γ,  γ = (α_T − 1)/(α_S − 1)
//
// (Sethna, Dahmen & Myers 2001, Nature 410:242; tested on cultures by
// Friedman et al. 2012, PRL 108:208102). It averages the sizes of the
// avalanches of each duration T ≥ tMin that occurs at least minCount times,
// fits ln⟨S⟩ = γ ln T + c by ordinary least squares over those durations,
// and returns γ with the prediction from the exponents alphaS (α_S) and
// alphaT (α_T). Restricting T to the power-law range of the durations
// (tMin = the duration fit's XMin) and to well-sampled durations follows
// Friedman et al., who fit the scaling region. It is an error if the slices
// differ in length, if α_S ≤ 1, or if fewer than 3 durations qualify.
func ScalingRelation(sizes, durations []int, alphaS, alphaT float64, tMin, minCount int) (ScalingLaw, error) {
	res := ScalingLaw{Predicted: math.NaN(), Gamma: math.NaN(), GammaSE: math.NaN(), Diff: math.NaN()}
	if len(sizes) != len(durations) {
		return res, fmt.Errorf("analysis: ScalingRelation: %d sizes but %d durations", len(sizes), len(durations))
	}
	if !(alphaS > 1) || math.IsNaN(alphaT) {
		return res, fmt.Errorf("analysis: ScalingRelation: α_S = %g, α_T = %g: need α_S > 1", alphaS, alphaT)
	}
	res.Predicted = (alphaT - 1) / (alphaS - 1)
	tMin = max(tMin, 1)
	minCount = max(minCount, 1)
	// Sort the pairs by duration, then average the sizes of each duration.
	idx := make([]int, 0, len(durations))
	for i, t := range durations {
		if t >= tMin && sizes[i] > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return durations[a] - durations[b] })
	var xs, ys []float64
	for lo := 0; lo < len(idx); {
		t := durations[idx[lo]]
		hi := lo
		var s float64
		for hi < len(idx) && durations[idx[hi]] == t {
			s += float64(sizes[idx[hi]])
			hi++
		}
		if c := hi - lo; c >= minCount {
			xs = append(xs, math.Log(float64(t)))
			ys = append(ys, math.Log(s/float64(c)))
			if res.TMin == 0 {
				res.TMin = t
			}
			res.TMax = t
		}
		lo = hi
	}
	res.Points = len(xs)
	if len(xs) < 3 {
		return res, fmt.Errorf("analysis: ScalingRelation: %d durations ≥ %d with ≥ %d avalanches each, need 3", len(xs), tMin, minCount)
	}
	g, se := critOLS(xs, ys)
	res.Gamma, res.GammaSE = g, se
	res.Diff = res.Predicted - g
	return res, nil
}

// critOLS returns the least-squares slope of y on x and its standard error
// √(s²/Sxx), s² = RSS/(n−2), with the sums formed around the means.
func critOLS(x, y []float64) (slope, se float64) {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxx, sxy float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
	}
	slope = sxy / sxx
	var rss float64
	for i := range x {
		r := y[i] - my - slope*(x[i]-mx)
		rss += r * r
	}
	se = math.Sqrt(rss / (n - 2) / sxx)
	return slope, se
}
