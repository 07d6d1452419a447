package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// plantedRecording: 60 channels and 600 neurons with 1 Hz Poisson
// background and network bursts 3 s + Exp(3 s) apart (IBI CV 0.5), 200 ms long, in which
// 40 of the 60 channels (and two thirds of the neurons) fire at 100 Hz.
func plantedRecording(seed uint64) (Recording, int) {
	r := rand.New(rand.NewPCG(seed, 1))
	const T = 120000.0
	var onsets []float64
	for t := 3000.0; t < T-1000; t += 3000 + r.ExpFloat64()*3000 {
		onsets = append(onsets, t)
	}
	gen := func(n int, recruited int) Events {
		type ev struct {
			t  float64
			id int32
		}
		var evs []ev
		for u := range n {
			for t := r.ExpFloat64() * 1000; t < T; t += r.ExpFloat64() * 1000 {
				evs = append(evs, ev{t, int32(u)})
			}
			if u < recruited {
				for _, o := range onsets {
					for t := o + r.ExpFloat64()*10; t < o+200; t += r.ExpFloat64() * 10 {
						evs = append(evs, ev{t, int32(u)})
					}
				}
			}
		}
		slices.SortFunc(evs, func(a, b ev) int {
			if a.t < b.t {
				return -1
			}
			if a.t > b.t {
				return 1
			}
			return int(a.id - b.id)
		})
		e := Events{N: n, T0: 0, T1: T}
		for _, x := range evs {
			e.T, e.ID = append(e.T, x.t), append(e.ID, x.id)
		}
		return e
	}
	ch := gen(60, 40)
	return Recording{Neurons: gen(600, 400), Channels: &ch, DtMs: 0.5}, len(onsets)
}

// Analyze finds the planted bursts with the electrode method and grades
// them; without channels it falls back to the population rate of neurons.
func TestAnalyzePlanted(t *testing.T) {
	rec, n := plantedRecording(3)
	rep, err := Analyze(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Of != "channels" || len(rep.Bursts) != n {
		t.Fatalf("%d bursts on %s, planted %d", len(rep.Bursts), rep.Of, n)
	}
	want := map[string][2]float64{
		"bursts_per_min": {float64(n) / 2, float64(n) / 2},
		// 200 ms planted; the electrode method widens each burst by the
		// background spikes within a channel's ISI threshold (analysis of
		// Wagenaar2006 in bursts_test.go), so allow up to +150 ms.
		"burst_duration_ms": {190, 350},
		"ibi_cv":            {0.3, 0.75}, // 3 s + Exp(3 s): CV = 3/6 = 0.5
		"recruitment":       {40.0 / 60 * 0.9, 1},
		"active_fraction":   {1, 1},
	}
	for k, r := range want {
		if v := rep.Value(k); !(v >= r[0] && v <= r[1]) {
			t.Errorf("%s = %g, want in [%g, %g]", k, v, r[0], r[1])
		}
	}
	// 1 Hz background plus bursts: the neurons' mean rate.
	bg := 1.0 + float64(n)*0.2*100*(400.0/600)/120
	if v := rep.Value("mean_rate_hz"); math.Abs(v-bg)/bg > 0.1 {
		t.Errorf("mean rate %g Hz, want about %g", v, bg)
	}
	checks := Grade(rep.Stats, Wagenaar2006Ranges)
	if len(checks) != len(Wagenaar2006Ranges) {
		t.Fatalf("%d checks", len(checks))
	}
	for _, c := range checks {
		if !c.Pass {
			t.Errorf("%s = %g failed [%g, %g]", c.Criterion.Key, c.Value, c.Lo, c.Hi)
		}
	}

	rec.Channels = nil
	rep, err = Analyze(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Of != "neurons" || len(rep.Bursts) != n {
		t.Errorf("neurons: %d bursts, planted %d", len(rep.Bursts), n)
	}
	if rep.Avalanche == nil || math.IsNaN(rep.Value("branching_mr")) {
		t.Error("no avalanche analysis")
	}
}

// A NaN fails its range; a recording without events is analysed without
// error, with NaN burst statistics.
func TestGradeNaN(t *testing.T) {
	e := Events{N: 10, T0: 0, T1: 1000}
	rep, err := Analyze(Recording{Neurons: e}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Grade(rep.Stats, Wagenaar2006Ranges) {
		if c.Pass {
			t.Errorf("%s passes on an empty recording (%g)", c.Criterion.Key, c.Value)
		}
	}
	if _, err := Analyze(Recording{Neurons: Events{N: 0, T1: 1}}, Options{}); err == nil {
		t.Error("invalid neurons accepted")
	}
}
