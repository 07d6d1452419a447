package analysis_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/analysis"
)

// rateEvents merges per-unit spike times (ms) into Events over [t0, t1).
func rateEvents(n int, t0, t1 float64, trains [][]float64) analysis.Events {
	type ev struct {
		t  float64
		id int32
	}
	var evs []ev
	for u, tr := range trains {
		for _, t := range tr {
			evs = append(evs, ev{t, int32(u)})
		}
	}
	slices.SortStableFunc(evs, func(a, b ev) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	e := analysis.Events{N: n, T0: t0, T1: t1}
	for _, v := range evs {
		e.T = append(e.T, v.t)
		e.ID = append(e.ID, v.id)
	}
	return e
}

// rateGamma returns a renewal train on [0, tMs) whose intervals are gamma of
// order k with mean 1000/hz ms (k = 1: Poisson), CV = 1/√k.
func rateGamma(rng *rand.Rand, hz float64, k int, tMs float64) []float64 {
	var tr []float64
	for t := 0.0; ; {
		for range k {
			t += rng.ExpFloat64() * 1000 / hz / float64(k)
		}
		if t >= tMs {
			return tr
		}
		tr = append(tr, t)
	}
}

// TestFiringRatesCounts compares rates and the active fraction with direct
// counts.
func TestFiringRatesCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	trains := make([][]float64, 20)
	for u := range trains {
		trains[u] = rateGamma(rng, 0.02*float64(u*u), 1, 50e3) // 0 to 7.2 Hz
	}
	e := rateEvents(20, 0, 50e3, trains)
	r, err := analysis.FiringRates(e)
	if err != nil {
		t.Fatal(err)
	}
	active := 0
	for u, tr := range trains {
		if want := float64(len(tr)) / 50; r[u] != want {
			t.Errorf("unit %d: %g Hz, want %d spikes / 50 s = %g", u, r[u], len(tr), want)
		}
		if float64(len(tr))/50 > analysis.DefaultActiveHz {
			active++
		}
	}
	fa, err := analysis.FractionActive(e, analysis.DefaultActiveHz)
	if err != nil || fa != float64(active)/20 {
		t.Errorf("fraction active %g (%v), want %d/20", fa, err, active)
	}
	// Strictly above: a unit at exactly the threshold is not active.
	e1 := rateEvents(2, 0, 10e3, [][]float64{{1000}, {1000, 2000}})
	if fa, _ := analysis.FractionActive(e1, 0.1); fa != 0.5 {
		t.Errorf("threshold 0.1 Hz on rates 0.1 and 0.2 Hz: %g, want 0.5", fa)
	}
	if _, err := analysis.FractionActive(e1, -1); err == nil {
		t.Error("negative threshold: no error")
	}
}

// TestISICV checks the CV against analytic values: 1 for Poisson, 1/√k for
// a gamma process of order k, 0 for a regular train, 0.5 for intervals 1, 2,
// 3 ms (mean 2, sample SD 1). The sample CV of n exponential intervals has
// standard error ≈ 1/√n (delta method: Var(s) = 2/n, Var(m) = 1/n,
// Cov = 1/n), larger than for gamma orders > 1, so 4/√n is the tolerance.
func TestISICV(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	const tMs = 200e3
	cases := []struct {
		k    int
		want float64
	}{{1, 1}, {1, 1}, {1, 1}, {4, 0.5}, {4, 0.5}, {16, 0.25}}
	var trains [][]float64
	for _, c := range cases {
		trains = append(trains, rateGamma(rng, 20, c.k, tMs))
	}
	var regular []float64
	for k := range 1000 {
		regular = append(regular, 7+float64(k)*100)
	}
	trains = append(trains, regular, []float64{10, 11, 13, 16}, []float64{5, 6}, []float64{1, 2, 3, 4, 5}, nil)
	e := rateEvents(len(trains), 0, tMs, trains)
	cv, err := analysis.ISICV(e, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		n := float64(len(trains[i]) - 1)
		if math.Abs(cv[i]-c.want) > 4/math.Sqrt(n) {
			t.Errorf("gamma order %d: CV %.4f over %.0f intervals, want %g ± %.4f", c.k, cv[i], n, c.want, 4/math.Sqrt(n))
		}
		t.Logf("gamma order %d: CV %.4f (want %g, n = %.0f)", c.k, cv[i], c.want, n)
	}
	j := len(cases)
	if cv[j] > 1e-9 {
		t.Errorf("regular train: CV %g, want 0", cv[j])
	}
	if math.Abs(cv[j+1]-0.5) > 1e-15 {
		t.Errorf("intervals 1, 2, 3: CV %g, want 0.5", cv[j+1])
	}
	if !math.IsNaN(cv[j+2]) || cv[j+3] != 0 || !math.IsNaN(cv[j+4]) {
		t.Errorf("2 spikes, 5 regular, none: %g %g %g; want NaN 0 NaN", cv[j+2], cv[j+3], cv[j+4])
	}
	cv, _ = analysis.ISICV(e, 10)
	if !math.IsNaN(cv[j+1]) || !math.IsNaN(cv[j+3]) || math.IsNaN(cv[0]) {
		t.Errorf("minSpikes 10: %v", cv)
	}
}

// TestSummarizeUnits checks the quantiles against numpy's default
// (np.percentile([1, 2, 3, 4, 5], [10, 25, 50, 75, 90]) = 1.4, 2, 3, 4, 4.6).
func TestSummarizeUnits(t *testing.T) {
	q := analysis.SummarizeUnits([]float64{5, math.NaN(), 3, 1, 4, 2})
	want := analysis.Quantiles{N: 5, Mean: 3, SD: math.Sqrt(2.5), Min: 1, Max: 5, P10: 1.4, P25: 2, Median: 3, P75: 4, P90: 4.6}
	if !rateQuantilesClose(q, want) {
		t.Errorf("got %+v\nwant %+v", q, want)
	}
	nan := math.NaN()
	if q := analysis.SummarizeUnits([]float64{nan}); q.N != 0 || !math.IsNaN(q.Mean) || !math.IsNaN(q.Median) || !math.IsNaN(q.Max) {
		t.Errorf("no values: %+v", q)
	}
	one := analysis.Quantiles{N: 1, Mean: 7, SD: nan, Min: 7, Max: 7, P10: 7, P25: 7, Median: 7, P75: 7, P90: 7}
	if q := analysis.SummarizeUnits([]float64{7}); !rateQuantilesClose(q, one) {
		t.Errorf("one value: %+v", q)
	}
}

func rateQuantilesClose(a, b analysis.Quantiles) bool {
	eq := func(x, y float64) bool {
		return (math.IsNaN(x) && math.IsNaN(y)) || math.Abs(x-y) <= 1e-12*math.Max(1, math.Abs(y))
	}
	return a.N == b.N && eq(a.Mean, b.Mean) && eq(a.SD, b.SD) && eq(a.Min, b.Min) && eq(a.Max, b.Max) &&
		eq(a.P10, b.P10) && eq(a.P25, b.P25) && eq(a.Median, b.Median) && eq(a.P75, b.P75) && eq(a.P90, b.P90)
}

// rateBIPoisson returns the expected burstiness index of a homogeneous
// Poisson process with mu spikes per bin over many bins:
// f15 = (1/μ) ∫_{0.85}^{1} Q(p) dp with Q the Poisson quantile function,
// summed over the pmf from the top.
func rateBIPoisson(mu float64) float64 {
	kMax := int(mu + 20*math.Sqrt(mu) + 20)
	pmf := make([]float64, kMax+1)
	for k := range pmf {
		lg, _ := math.Lgamma(float64(k) + 1)
		pmf[k] = math.Exp(float64(k)*math.Log(mu) - mu - lg)
	}
	mass, top := 0.0, 0.0
	for k := kMax; k >= 0 && mass < 0.15; k-- {
		p := math.Min(pmf[k], 0.15-mass)
		mass += p
		top += p * float64(k)
	}
	return (top/mu - 0.15) / 0.85
}

// TestBurstinessIndex checks BI against analytic values: 0 for equal bins, 1
// when every spike falls in 10 % of the bins, the Poisson expectation of
// rateBIPoisson (0.0355 at 60 spikes per bin; its sampling SD over 1800 bins
// is ≈ 0.0015, so ± 0.005), the lower bound (f_b − 0.15)/0.85 with f_b the
// fraction of spikes in burst bins, and the fractional 15 % bin.
func TestBurstinessIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	const tMs = 1800e3 // 30 min, as Wagenaar et al. 2006
	trains := make([][]float64, 60)
	for u := range trains {
		trains[u] = rateGamma(rng, 1, 1, tMs)
	}
	bi, err := analysis.BurstinessIndex(rateEvents(60, 0, tMs, trains))
	if err != nil {
		t.Fatal(err)
	}
	want := rateBIPoisson(60)
	t.Logf("Poisson, 60 spikes/bin: BI %.4f, expected %.4f (large-μ limit 0.274/√μ = %.4f)", bi, want, 0.2743/math.Sqrt(60))
	if math.Abs(bi-want) > 0.005 {
		t.Errorf("Poisson: BI %g, want %g ± 0.005", bi, want)
	}

	// Equal bins: 10 spikes in each of 100 s.
	var even []float64
	for k := range 1000 {
		even = append(even, float64(k)*100+50)
	}
	if bi, _ := analysis.BurstinessIndex(rateEvents(1, 0, 100e3, [][]float64{even})); math.Abs(bi) > 1e-12 {
		t.Errorf("equal bins: BI %g, want 0", bi)
	}
	// All spikes in 10 of 100 bins.
	var dense []float64
	for s := range 10 {
		for k := range 50 {
			dense = append(dense, float64(s)*10e3+float64(k)*10)
		}
	}
	if bi, _ := analysis.BurstinessIndex(rateEvents(1, 0, 100e3, [][]float64{dense})); math.Abs(bi-1) > 1e-12 {
		t.Errorf("all spikes in 10 %% of bins: BI %g, want 1", bi)
	}
	// Bursts of 200 spikes in 90 of 1800 bins over a 1-Hz Poisson
	// background: f15 ≥ f_b = 18000/(18000 + background).
	bg := rateGamma(rng, 1, 1, tMs)
	var burst []float64
	for s := range 90 {
		for k := range 200 {
			burst = append(burst, float64(s)*20e3+float64(k)*4+0.5)
		}
	}
	fb := 18000 / (18000 + float64(len(bg)))
	bi, _ = analysis.BurstinessIndex(rateEvents(2, 0, tMs, [][]float64{bg, burst}))
	if lo := (fb - 0.15) / 0.85; bi < lo || bi > 1 {
		t.Errorf("bursting: BI %g, want in [%g, 1]", bi, lo)
	}
	// Fractional 15 %: 10 bins (1.5 top bins) holding 10, 2, …, 2 spikes,
	// and 3 spikes in a trailing partial bin that are left out.
	var frac []float64
	for s := range 10 {
		frac = append(frac, float64(s)*1000+1)
		if s == 0 {
			for k := range 9 {
				frac = append(frac, float64(k)*10+5)
			}
		} else {
			frac = append(frac, float64(s)*1000+500)
		}
	}
	frac = append(frac, 10100, 10200, 10300)
	slices.Sort(frac)
	bi, _ = analysis.BurstinessIndex(rateEvents(1, 0, 10500, [][]float64{frac}))
	if want := (11.0/28 - 0.15) / 0.85; math.Abs(bi-want) > 1e-12 {
		t.Errorf("fractional top bin: BI %g, want %g", bi, want)
	}
	for _, e := range []analysis.Events{
		{N: 1, T0: 0, T1: 999},                               // no whole bin
		{N: 1, T0: 0, T1: 5000},                              // no spikes
		{T: []float64{4500}, ID: []int32{0}, N: 1, T1: 4800}, // spikes only in the partial bin
	} {
		if bi, err := analysis.BurstinessIndex(e); err != nil || !math.IsNaN(bi) {
			t.Errorf("%+v: BI %g, %v; want NaN", e, bi, err)
		}
	}
}

// TestPopulationRate checks the rate against counts, the partial last bin,
// and the smoothing (a constant rate stays constant to the edges; a single
// spike spreads into a Gaussian of unit mass).
func TestPopulationRate(t *testing.T) {
	// 3 units, each spiking every 10 ms over [0, 1050): 300 Hz in every bin.
	var trains [][]float64
	for u := range 3 {
		var tr []float64
		for t := float64(u); t < 1050; t += 10 {
			tr = append(tr, t)
		}
		trains = append(trains, tr)
	}
	e := rateEvents(3, 0, 1050, trains)
	for _, smooth := range []float64{0, 30} {
		r, err := analysis.PopulationRate(e, 100, smooth)
		if err != nil {
			t.Fatal(err)
		}
		if len(r) != 11 {
			t.Fatalf("%d bins, want 11", len(r))
		}
		for i, v := range r {
			if math.Abs(v-300) > 1e-9 {
				t.Errorf("smooth %g: bin %d: %g Hz, want 300", smooth, i, v)
			}
		}
	}
	one := analysis.Events{T: []float64{500.2}, ID: []int32{0}, N: 1, T0: 0, T1: 1000}
	r, _ := analysis.PopulationRate(one, 1, 10)
	sum := 0.0
	for _, v := range r {
		sum += v / 1000 // Hz × 1-ms bin = events
	}
	peak := 1000 / (10 * math.Sqrt(2*math.Pi)) // Hz: a unit-mass Gaussian of SD 10 bins at its centre
	if math.Abs(sum-1) > 1e-3 || math.Abs(r[500]-peak)/peak > 1e-3 || r[460] > r[500]*math.Exp(-8)*1.01 {
		t.Errorf("one spike smoothed: mass %g (want 1), peak %g Hz (want %g)", sum, r[500], peak)
	}
	for _, c := range [][2]float64{{0, 0}, {-1, 0}, {math.Inf(1), 0}, {1, -1}, {1, math.NaN()}} {
		if _, err := analysis.PopulationRate(one, c[0], c[1]); err == nil {
			t.Errorf("bin %g, smooth %g: no error", c[0], c[1])
		}
	}
}

// TestRatesEdgeCases: no spikes, one spike and invalid events.
func TestRatesEdgeCases(t *testing.T) {
	empty := analysis.Events{N: 3, T0: 0, T1: 2000}
	if r, err := analysis.FiringRates(empty); err != nil || !slices.Equal(r, []float64{0, 0, 0}) {
		t.Errorf("no spikes: %v, %v", r, err)
	}
	if fa, err := analysis.FractionActive(empty, 0.1); err != nil || fa != 0 {
		t.Errorf("no spikes: fraction active %g, %v", fa, err)
	}
	single := analysis.Events{T: []float64{0}, ID: []int32{2}, N: 3, T0: 0, T1: 2000}
	if r, _ := analysis.FiringRates(single); !slices.Equal(r, []float64{0, 0, 0.5}) {
		t.Errorf("one spike at T0: %v", r)
	}
	if cv, _ := analysis.ISICV(single, 0); !math.IsNaN(cv[2]) {
		t.Errorf("one spike: CV %v", cv)
	}
	// 2 bins: the top 15 % is 0.3 of the bin holding the spike.
	if bi, _ := analysis.BurstinessIndex(single); math.Abs(bi-0.15/0.85) > 1e-12 {
		t.Errorf("one spike in 2 bins: BI %g, want (0.3 − 0.15)/0.85", bi)
	}
	if r, _ := analysis.PopulationRate(single, 1000, 0); !slices.Equal(r, []float64{1, 0}) {
		t.Errorf("one spike: population rate %v", r)
	}
	bad := analysis.Events{T: []float64{3, 1}, ID: []int32{0, 0}, N: 1, T0: 0, T1: 10}
	if _, err := analysis.FiringRates(bad); err == nil {
		t.Error("FiringRates: no error")
	}
	if _, err := analysis.FractionActive(bad, 0.1); err == nil {
		t.Error("FractionActive: no error")
	}
	if _, err := analysis.ISICV(bad, 3); err == nil {
		t.Error("ISICV: no error")
	}
	if _, err := analysis.BurstinessIndex(bad); err == nil {
		t.Error("BurstinessIndex: no error")
	}
	if _, err := analysis.PopulationRate(bad, 1, 0); err == nil {
		t.Error("PopulationRate: no error")
	}
}

func ExampleFiringRates() {
	// Two units over 2 s: unit 0 spikes 4 times, unit 1 once.
	e := analysis.Events{
		T:  []float64{100, 200, 700, 900, 1500},
		ID: []int32{0, 1, 0, 0, 0},
		N:  2, T0: 0, T1: 2000,
	}
	r, err := analysis.FiringRates(e)
	if err != nil {
		panic(err)
	}
	fa, _ := analysis.FractionActive(e, 1) // rates strictly above 1 Hz
	fmt.Println(r, fa)
	// Output: [2 0.5] 0.5
}

func ExampleISICV() {
	// Unit 0: intervals 10, 20, 30 ms (mean 20, sample SD 10); unit 1 is
	// regular; unit 2 has too few spikes.
	e := analysis.Events{
		T:  []float64{0, 5, 10, 15, 25, 30, 40, 60},
		ID: []int32{0, 1, 0, 1, 1, 0, 2, 0},
		N:  3, T0: 0, T1: 100,
	}
	cv, _ := analysis.ISICV(e, 3)
	fmt.Println(cv)
	// Output: [0.5 0 NaN]
}

func ExampleSummarizeUnits() {
	q := analysis.SummarizeUnits([]float64{0.5, 1, 2, 4, math.NaN()})
	fmt.Printf("n=%d median=%.2f IQR=[%.3f, %.1f] mean=%.3f\n", q.N, q.Median, q.P25, q.P75, q.Mean)
	// Output: n=4 median=1.50 IQR=[0.875, 2.5] mean=1.875
}

func ExampleBurstinessIndex() {
	// 20 s; one unit fires 1 spike in each second and 21 more in second 7.
	var e analysis.Events
	e.N, e.T1 = 1, 20000
	for s := range 20 {
		e.T = append(e.T, float64(s)*1000)
		if s == 7 {
			for k := range 21 {
				e.T = append(e.T, 7000+float64(k+1)*10)
			}
		}
	}
	e.ID = make([]int32, len(e.T))
	bi, _ := analysis.BurstinessIndex(e)
	// f15: the top 3 bins hold 22 + 1 + 1 of 41 spikes.
	fmt.Printf("BI = %.4f\n", bi)
	// Output: BI = 0.5122
}

func ExamplePopulationRate() {
	e := analysis.Events{T: []float64{1, 2, 3, 12, 22}, ID: []int32{0, 1, 0, 1, 0}, N: 2, T0: 0, T1: 25}
	r, _ := analysis.PopulationRate(e, 10, 0) // Hz, all units together
	fmt.Println(r)
	// Output: [300 100 200]
}

// BenchmarkRates10k computes every per-unit statistic of this file on 10
// minutes of a 10,000-neuron culture at 2.5 Hz (≈ 15 M events).
func BenchmarkRates10k(b *testing.B) {
	e, _ := burstCulture(rand.New(rand.NewPCG(21, 22)), 10000, 600e3, 0.5, 120)
	b.ReportAllocs()
	for b.Loop() {
		r, err := analysis.FiringRates(e)
		if err != nil {
			b.Fatal(err)
		}
		cv, _ := analysis.ISICV(e, 10)
		_ = analysis.SummarizeUnits(r)
		_ = analysis.SummarizeUnits(cv)
		_, _ = analysis.FractionActive(e, analysis.DefaultActiveHz)
		_, _ = analysis.BurstinessIndex(e)
		_, _ = analysis.PopulationRate(e, 10, 0)
		_, _ = analysis.Synchrony(e, analysis.SynchronyBinMs)
	}
	b.ReportMetric(float64(len(e.T)), "events")
}
