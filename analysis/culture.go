package analysis

import (
	"fmt"
	"math"
	"slices"
)

// Recording is what a culture's validation looks at: every neuron's spikes
// and, when an MEA recorded it, the detections on its channels.
type Recording struct {
	Neurons  Events
	Channels *Events // nil without an MEA
	DtMs     float64 // the simulation step: the shortest avalanche bin (0: none)
}

// Stat is one statistic of a recording.
type Stat struct {
	Key   string  // e.g. "bursts_per_min"
	Name  string  // for people
	Unit  string  // "Hz", "ms", "" ...
	Value float64 // NaN when undefined
	Of    string  // what it was computed on: "neurons" or "channels"
}

// Report is the analysis of a recording.
type Report struct {
	Stats     []Stat
	Units     Events          // what bursts and avalanches were computed on
	Of        string          // "channels" or "neurons"
	Bursts    []Burst         // network bursts of Units
	PopBursts []Burst         // network bursts of the neurons' population rate (PopulationThreshold)
	Avalanche *AvalancheStats // nil if there were too few events
}

// Value returns the value of the statistic key (NaN if absent).
func (r *Report) Value(key string) float64 {
	for _, s := range r.Stats {
		if s.Key == key {
			return s.Value
		}
	}
	return math.NaN()
}

// SynchronyBinMs is the bin of Analyze's synchrony χ: about the width of
// a network burst's rise, so that units firing in the same burst count as
// synchronous.
const SynchronyBinMs = 10

// Options tune Analyze.
type Options struct {
	Bootstraps int // of the avalanche power-law goodness of fit (0: no p-values)
}

// Analyze computes the statistics by which a culture is compared with
// recordings:
//
//   - firing: the neurons' mean rate; on the units (channels when an MEA
//     recorded, else neurons) the fraction active (rate above
//     DefaultActiveHz), the median ISI CV, the burstiness index and the
//     synchrony χ in bins of SynchronyBinMs;
//   - network bursts: the electrode method of Wagenaar et al. 2006
//     (Wagenaar2006 with its parameters) on channels, else the
//     population-rate threshold (RateThreshold with BL-1's parameters) on
//     neurons; rate, duration, IBI mean and CV, the fraction of spikes in
//     bursts, and recruitment: the mean and the median over bursts of the
//     fraction of the active units that take part;
//   - the same burst statistics (keys with the prefix "pop_") from a
//     second, independent detector: PopulationThreshold on the population
//     rate of all neurons; recruitment counts, on channels, those with a
//     burstlet overlapping the burst (the electrode method's notion of
//     taking part), on neurons those that fire in it;
//   - criticality: avalanches of the units' pooled events in bins of their
//     mean inter-event interval, at least DtMs (Beggs & Plenz 2003), with
//     maximum-likelihood exponents of sizes and durations, the branching
//     ratio (naive and multistep regression) and the scaling relation
//     (AvalancheAnalysis).
func Analyze(r Recording, opt Options) (*Report, error) {
	n := r.Neurons
	if err := n.Validate(); err != nil {
		return nil, fmt.Errorf("neurons: %w", err)
	}
	rep := &Report{}
	add := func(key, name, unit string, v float64, of string) {
		rep.Stats = append(rep.Stats, Stat{Key: key, Name: name, Unit: unit, Value: v, Of: of})
	}
	rates, _ := FiringRates(n)
	var sum float64
	for _, x := range rates {
		sum += x
	}
	add("mean_rate_hz", "mean firing rate", "Hz", sum/float64(n.N), "neurons")

	units, of := n, "neurons"
	var err error
	if r.Channels != nil {
		units, of = *r.Channels, "channels"
		if err := units.Validate(); err != nil {
			return nil, fmt.Errorf("channels: %w", err)
		}
		rep.Bursts, err = Wagenaar2006{}.Detect(units)
	} else {
		rep.Bursts, err = RateThreshold{}.Detect(units)
	}
	if err != nil {
		return nil, err
	}
	rep.Units, rep.Of = units, of
	urates, _ := FiringRates(units)
	active := 0
	for _, x := range urates {
		if x > DefaultActiveHz {
			active++
		}
	}
	add("active_fraction", "active units (> 0.1 Hz)", "", float64(active)/float64(units.N), of)
	cv, _ := ISICV(units, 10)
	cv = slices.DeleteFunc(cv, math.IsNaN)
	add("isi_cv_median", "median ISI CV", "", SummarizeUnits(cv).Median, of)
	bi, err := BurstinessIndex(units)
	if err != nil {
		bi = math.NaN()
	}
	add("burstiness_index", "burstiness index (Wagenaar 2005)", "", bi, of)
	chi, err := Synchrony(units, SynchronyBinMs)
	if err != nil {
		chi = math.NaN()
	}
	add("synchrony", fmt.Sprintf("synchrony χ (Golomb 1993), %g ms bins", float64(SynchronyBinMs)), "", chi, of)

	st, err := SummarizeBursts(units, rep.Bursts)
	if err != nil {
		return nil, err
	}
	add("bursts_per_min", "network bursts", "/min", st.RatePerMin, of)
	add("burst_duration_ms", "burst duration", "ms", st.DurationMeanMs, of)
	add("ibi_mean_s", "inter-burst interval", "s", st.IBIMeanMs/1000, of)
	add("ibi_cv", "IBI coefficient of variation", "", st.IBICV, of)
	mean, median := recruitment(rep.Bursts, active)
	add("recruitment", "active units recruited per burst", "", mean, of)
	add("recruitment_median", "median of the above over bursts", "", median, of)
	add("fraction_in_bursts", "spikes in bursts", "", st.FractionInBursts, of)

	if rep.PopBursts, err = (PopulationThreshold{}).Detect(n); err != nil {
		return nil, err
	}
	if r.Channels != nil {
		// Recruitment as an MEA sees it: the channels that take part with a
		// burstlet (Wagenaar2006 rules 1-2), as for the electrode method; a
		// channel's background spike inside the burst does not count.
		bl, err := Wagenaar2006{}.Burstlets(units)
		if err != nil {
			return nil, err
		}
		for i, b := range rep.PopBursts {
			rep.PopBursts[i].Recruited = burstletUnits(bl, units.N, b.StartMs, b.EndMs)
		}
	}
	pst, err := SummarizeBursts(n, rep.PopBursts)
	if err != nil {
		return nil, err
	}
	add("pop_bursts_per_min", "network bursts, population rate", "/min", pst.RatePerMin, "neurons")
	add("pop_burst_duration_ms", "burst duration, population rate", "ms", pst.DurationMeanMs, "neurons")
	add("pop_ibi_cv", "IBI CV, population rate", "", pst.IBICV, "neurons")
	mean, median = recruitment(rep.PopBursts, active)
	add("pop_recruitment", "active units recruited per population burst", "", mean, of)
	add("pop_recruitment_median", "median of the above over bursts", "", median, of)

	nan := math.NaN()
	crit := map[string]float64{"avalanche_bin_ms": nan, "avalanches": 0, "avalanche_size_alpha": nan, "avalanche_size_p": nan,
		"avalanche_duration_alpha": nan, "branching_naive": nan, "branching_mr": nan, "scaling_gamma": nan, "scaling_predicted": nan}
	if bin := math.Max(MeanIEI(units), r.DtMs); bin > 0 && !math.IsInf(bin, 0) {
		av, err := AvalancheAnalysis(units, []float64{bin}, AvalancheOptions{PowerLaw: PowerLawOptions{Bootstraps: opt.Bootstraps}})
		if err == nil && len(av) == 1 {
			a := &av[0]
			rep.Avalanche = a
			crit["avalanche_bin_ms"], crit["avalanches"] = a.BinMs, float64(len(a.Sizes))
			crit["avalanche_size_alpha"], crit["avalanche_size_p"] = a.Size.Alpha, a.Size.P
			crit["avalanche_duration_alpha"] = a.Duration.Alpha
			crit["branching_naive"], crit["branching_mr"] = a.Naive, a.MR.M
			crit["scaling_gamma"], crit["scaling_predicted"] = a.Scale.Gamma, a.Scale.Predicted
		}
	}
	for _, k := range []struct{ key, name, unit string }{
		{"avalanche_bin_ms", "avalanche bin (mean IEI)", "ms"}, {"avalanches", "avalanches", ""},
		{"avalanche_size_alpha", "size exponent α_S (MLE)", ""}, {"avalanche_size_p", "size power-law p-value", ""},
		{"avalanche_duration_alpha", "duration exponent α_T (MLE)", ""},
		{"branching_naive", "branching ratio, naive", ""}, {"branching_mr", "branching ratio, MR estimator", ""},
		{"scaling_gamma", "⟨S⟩(T) exponent γ, fitted", ""}, {"scaling_predicted", "γ predicted (α_T−1)/(α_S−1)", ""},
	} {
		add(k.key, k.name, k.unit, crit[k.key], of)
	}
	return rep, nil
}

// recruitment returns the mean and the median over bursts of the fraction
// of the active units each recruits (capped at 1: a unit below the
// activity threshold may take part); NaN without bursts or active units.
func recruitment(bursts []Burst, active int) (mean, median float64) {
	if len(bursts) == 0 || active == 0 {
		return math.NaN(), math.NaN()
	}
	f := make([]float64, len(bursts))
	for i, b := range bursts {
		f[i] = math.Min(1, float64(b.Recruited)/float64(active))
		mean += f[i]
	}
	slices.Sort(f)
	median = f[len(f)/2]
	if len(f)%2 == 0 {
		median = (f[len(f)/2-1] + f[len(f)/2]) / 2
	}
	return mean / float64(len(f)), median
}

// burstletUnits returns the number of units with a burstlet (sorted by
// onset, as Burstlets returns them) that overlaps [t0, t1].
func burstletUnits(bl []Burstlet, n int, t0, t1 float64) int {
	seen := make([]bool, n)
	k := 0
	for _, b := range bl {
		if b.StartMs > t1 {
			break
		}
		if b.EndMs >= t0 && !seen[b.Unit] {
			seen[b.Unit] = true
			k++
		}
	}
	return k
}

// Criterion is a published range of a statistic.
type Criterion struct {
	Key    string
	Lo, Hi float64 // inclusive
	Source string
}

// Wagenaar2006Ranges are the spontaneous activity of mature dissociated
// cortical cultures on 60-electrode MEAs that a culture model must show:
// the acceptance ranges of this project's issue 5, drawn from Wagenaar,
// Pine & Potter 2006 (BMC Neurosci 7:11: bursts in every culture but the
// sparsest, inter-burst intervals of 1-300 s, burst durations of 100 ms to
// seconds) and the review of BL-1's catalogue (../shared/spec/bl1.md §8.1;
// its ranges are uncited and wide).
var Wagenaar2006Ranges = []Criterion{
	{"mean_rate_hz", 0.1, 5, "mature cortical cultures, 0.1-5 Hz (Wagenaar et al. 2006; BL-1 catalogue)"},
	{"bursts_per_min", 1, 20, "network bursts every 3-60 s (Wagenaar et al. 2006, IBI 1-300 s)"},
	{"burst_duration_ms", 100, 2000, "bursts of 100 ms to 2 s (Wagenaar et al. 2006, Fig. 6)"},
	{"ibi_cv", 0.3, 2.0, "irregular bursting (BL-1 catalogue, after Wagenaar et al. 2006)"},
	{"recruitment", 0.5, 1, "global bursts recruit most active electrodes (Wagenaar et al. 2006)"},
	{"recruitment_median", 0, 0.95, "bursts vary in extent: not every one recruits every electrode (this project's issue 12)"},
	{"pop_bursts_per_min", 1, 20, "the same, by the population-rate detector"},
	{"pop_burst_duration_ms", 100, 2000, "the same, by the population-rate detector"},
	{"pop_ibi_cv", 0.3, 2.0, "the same, by the population-rate detector"},
	{"pop_recruitment", 0.5, 1, "the same, by the population-rate detector"},
	{"pop_recruitment_median", 0, 0.95, "the same, by the population-rate detector"},
}

// Check is a statistic against its range.
type Check struct {
	Stat
	Criterion
	Pass bool
}

// Grade checks stats against criteria (a NaN fails).
func Grade(stats []Stat, criteria []Criterion) []Check {
	var out []Check
	for _, c := range criteria {
		for _, s := range stats {
			if s.Key == c.Key {
				out = append(out, Check{Stat: s, Criterion: c, Pass: s.Value >= c.Lo && s.Value <= c.Hi})
			}
		}
	}
	return out
}
