package analysis

// Firing rates, ISI variability, activity, burstiness and the population
// rate: per-unit statistics and their distributions across units.

import (
	"fmt"
	"math"
	"slices"
)

// DefaultActiveHz is the usual MEA criterion for an active unit or
// electrode: a mean rate above 0.1 Hz (e.g. Chiappalone et al. 2006, Brain
// Res 1093:41, "active channels" with a mean firing rate > 0.1 spikes/s;
// Axion's "active electrode", ≥ 5 spikes/min, is 0.083 Hz).
const DefaultActiveHz = 0.1

// FiringRates returns the mean rate of every unit in Hz: its number of
// events divided by the window length (T1 − T0)/1000 s.
func FiringRates(e Events) ([]float64, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	r := make([]float64, e.N)
	for _, id := range e.ID {
		r[id]++
	}
	d := e.DurationS()
	for i := range r {
		r[i] /= d
	}
	return r, nil
}

// FractionActive returns the fraction of the N units whose mean rate
// (FiringRates) is strictly above minHz; DefaultActiveHz is the customary
// value. Silent units count in the denominator.
func FractionActive(e Events, minHz float64) (float64, error) {
	if !(minHz >= 0) || math.IsInf(minHz, 0) {
		return 0, fmt.Errorf("analysis: FractionActive: threshold %g Hz, need a finite value ≥ 0", minHz)
	}
	r, err := FiringRates(e)
	if err != nil {
		return 0, err
	}
	k := 0
	for _, v := range r {
		if v > minHz {
			k++
		}
	}
	return float64(k) / float64(e.N), nil
}

// ISICV returns, for every unit, the coefficient of variation of its
// inter-spike intervals: CV = s/m, with m the mean and s the sample SD
// (divisor n − 1) of the n = k − 1 intervals between its k events in the
// window. Units with fewer than minSpikes events get NaN; minSpikes below 3
// is raised to 3 (two intervals are needed for an SD). CV is 1 for a Poisson
// process and 0 for a regular train, 1/√κ for a gamma process of order κ
// (e.g. Softky & Koch 1993, J Neurosci 13:334). The estimate is biased for
// few intervals, so choose minSpikes with the window in mind (e.g. 10–20).
func ISICV(e Events, minSpikes int) ([]float64, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	minSpikes = max(minSpikes, 3)
	// Welford's running mean and sum of squares of each unit's intervals.
	n := make([]int, e.N)
	last := make([]float64, e.N)
	mean := make([]float64, e.N)
	m2 := make([]float64, e.N)
	for k, t := range e.T {
		id := e.ID[k]
		if n[id] > 0 {
			isi := t - last[id]
			j := float64(n[id]) // intervals so far, this one included
			d := isi - mean[id]
			mean[id] += d / j
			m2[id] += d * (isi - mean[id])
		}
		n[id]++
		last[id] = t
	}
	cv := make([]float64, e.N)
	for i := range cv {
		if n[i] < minSpikes || !(mean[i] > 0) {
			cv[i] = math.NaN()
			continue
		}
		cv[i] = math.Sqrt(m2[i]/float64(n[i]-2)) / mean[i]
	}
	return cv, nil
}

// Quantiles describes the distribution of a per-unit statistic.
type Quantiles struct {
	N        int     // values summarized (NaNs are skipped)
	Mean, SD float64 // SD: sample SD, divisor N − 1
	Min, Max float64
	// Quantiles at p = 0.10, 0.25, 0.50, 0.75, 0.90, by linear
	// interpolation between order statistics: x(h) with h = (N−1)·p, the
	// definition 7 of Hyndman & Fan (1996, Am Stat 50:361), the default of
	// numpy and R.
	P10, P25, Median, P75, P90 float64
}

// SummarizeUnits returns the distribution of the non-NaN values of x (for
// example FiringRates or ISICV). Fields are NaN when undefined: all of them
// without values, SD with one.
func SummarizeUnits(x []float64) Quantiles {
	v := make([]float64, 0, len(x))
	for _, a := range x {
		if !math.IsNaN(a) {
			v = append(v, a)
		}
	}
	nan := math.NaN()
	q := Quantiles{N: len(v), Mean: nan, SD: nan, Min: nan, Max: nan, P10: nan, P25: nan, Median: nan, P75: nan, P90: nan}
	if len(v) == 0 {
		return q
	}
	slices.Sort(v)
	q.Mean, q.SD = burstMeanSampleSD(v)
	q.Min, q.Max = v[0], v[len(v)-1]
	at := func(p float64) float64 {
		h := float64(len(v)-1) * p
		lo := int(math.Floor(h))
		if lo >= len(v)-1 {
			return v[len(v)-1]
		}
		return v[lo] + (h-float64(lo))*(v[lo+1]-v[lo])
	}
	q.P10, q.P25, q.Median, q.P75, q.P90 = at(0.10), at(0.25), at(0.50), at(0.75), at(0.90)
	return q
}

// BurstinessIndex returns the burstiness index of Wagenaar et al. (2005,
// J Neurosci 25:680, Methods; used in Wagenaar, Pine & Potter 2006, BMC
// Neurosci 7:11, Fig. 4):
//
//	BI = (f15 − 0.15) / 0.85,
//
// with f15 the fraction of all spikes (all units together) that fall in the
// 15 % most active 1-s bins. BI is 0 for perfectly even activity and 1 when
// all spikes fall in 15 % of the bins or fewer.
//
// Bins are consecutive whole seconds from T0; a trailing partial bin and its
// spikes are left out. With n bins, "the 15 % most active" are the
// ⌊0.15·n⌋ bins with the largest counts plus the fraction 0.15·n − ⌊0.15·n⌋
// of the next largest, so that the top share is exactly 15 %: this equals
// the plain count whenever 0.15·n is an integer (n a multiple of 20, as the
// paper's 1,800 bins of a 30-min recording).
//
// For a homogeneous Poisson process BI is not 0 but a positive bias that
// falls as 1/√μ with μ spikes per bin (≈ 0.27/√μ for large μ); compare
// cultures at similar rates. BI is NaN without a whole 1-s bin or without
// spikes in the whole bins.
func BurstinessIndex(e Events) (float64, error) {
	if err := e.Validate(); err != nil {
		return 0, err
	}
	nb := int(math.Floor((e.T1 - e.T0) / 1000))
	if nb == 0 {
		return math.NaN(), nil
	}
	c := make([]float64, nb)
	total := 0.0
	for _, t := range e.T {
		i := int((t - e.T0) / 1000)
		if i < nb {
			c[i]++
			total++
		}
	}
	if total == 0 {
		return math.NaN(), nil
	}
	slices.Sort(c)
	slices.Reverse(c)
	top := 0.15 * float64(nb)
	k := int(top)
	f := 0.0
	for _, v := range c[:k] {
		f += v
	}
	if k < nb {
		f += (top - float64(k)) * c[k]
	}
	return (f/total - 0.15) / 0.85, nil
}

// PopulationRate returns the population rate in consecutive bins of binMs
// from T0: the number of events of all units together in each bin divided
// by the bin's width in seconds (Hz, summed over units: Wagenaar's
// array-wide spike detection rate, ASDR, when units are electrodes; divide
// by N for the mean rate per unit). The last bin may be partial and is divided
// by its own width. If smoothMs > 0 the series is convolved with a Gaussian
// of SD smoothMs, truncated at ±4 SD and renormalized where it overhangs
// the window (so a constant rate stays constant up to the edges); 0 means
// no smoothing. (Wagenaar, Pine & Potter 2006, Fig. 6, smoothed the ASDR
// with a 10-ms Gaussian to measure burst shapes.)
func PopulationRate(e Events, binMs, smoothMs float64) ([]float64, error) {
	if !(binMs > 0) || math.IsInf(binMs, 0) {
		return nil, fmt.Errorf("analysis: PopulationRate: bin %g ms, need a finite value > 0", binMs)
	}
	if !(smoothMs >= 0) || math.IsInf(smoothMs, 0) {
		return nil, fmt.Errorf("analysis: PopulationRate: smoothing SD %g ms, need a finite value ≥ 0", smoothMs)
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	counts := e.Bin(binMs)
	r := make([]float64, len(counts))
	for i, c := range counts {
		w := binMs
		if i == len(counts)-1 {
			w = e.T1 - (e.T0 + float64(i)*binMs)
			if !(w > 0) || w > binMs {
				w = binMs
			}
		}
		r[i] = float64(c) / (w / 1000)
	}
	if smoothMs > 0 {
		r = rateGaussSmooth(r, smoothMs/binMs)
	}
	return r, nil
}

// rateGaussSmooth returns x convolved with a Gaussian of SD sigma bins,
// truncated at ±ceil(4·sigma) bins and renormalized by the kernel mass that
// falls inside the series.
func rateGaussSmooth(x []float64, sigma float64) []float64 {
	h := int(math.Ceil(4 * sigma))
	if h < 1 || len(x) == 0 {
		return x
	}
	w := make([]float64, h+1)
	for k := range w {
		w[k] = math.Exp(-0.5 * float64(k*k) / (sigma * sigma))
	}
	y := make([]float64, len(x))
	for i := range x {
		lo, hi := max(i-h, 0), min(i+h, len(x)-1)
		var s, m float64
		for j := lo; j <= hi; j++ {
			k := j - i
			if k < 0 {
				k = -k
			}
			s += w[k] * x[j]
			m += w[k]
		}
		y[i] = s / m
	}
	return y
}
