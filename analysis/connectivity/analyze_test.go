package connectivity

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bl1-go/bl1/analysis"
)

// bursting returns n channels over durS seconds that mimic a bursting
// culture on an MEA: background Poisson events at bgHz, and network bursts
// every ~4 s (exponential intervals, at least 1 s) lasting 150 ms, in
// which every channel fires at burstHz, the wave reaching channel c
// c·0.5 ms after the burst starts; plus planted links.
func bursting(seed uint64, n int, durS, bgHz, burstHz float64, links ...link) analysis.Events {
	rng := rand.New(rand.NewPCG(seed, 9))
	T1 := durS * 1000
	times := make([][]float64, n)
	for u := range n {
		for t := rng.ExpFloat64() / bgHz * 1000; t < T1; t += rng.ExpFloat64() / bgHz * 1000 {
			times[u] = append(times[u], t)
		}
	}
	for b := 1000 + rng.ExpFloat64()*3000; b < T1-200; b += 1000 + rng.ExpFloat64()*3000 {
		for u := range n {
			s := b + float64(u)*0.5
			for t := s + rng.ExpFloat64()/burstHz*1000; t < s+150; t += rng.ExpFloat64() / burstHz * 1000 {
				times[u] = append(times[u], t)
			}
		}
	}
	addLinks(rng, times, T1, links)
	return eventsOf(times, T1)
}

// In bursting activity, whose channels co-fire in every burst, the jitter
// tests still single out the planted links (direction and delay) and leave
// most other pairs unlinked; the graph measures come out.
func TestAnalyzeBursting(t *testing.T) {
	const n = 12
	e := bursting(1, n, 240, 2, 100,
		link{From: 2, To: 7, DelayMs: 6, Prob: 0.3, JitterMs: 0.5},
		link{From: 9, To: 4, DelayMs: 12, Prob: 0.3, JitterMs: 0.5})
	for _, by := range []string{"te", "ccg"} {
		r, err := Analyze(e, Options{Links: by, Seed: 1, TE: TEOptions{Workers: 2}, CCG: CCGOptions{Workers: 2}})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Links[2*n+7] || !r.Links[9*n+4] {
			t.Errorf("%s: planted links missed: 2→7 %v, 9→4 %v", by, r.Links[2*n+7], r.Links[9*n+4])
		}
		if r.Links[7*n+2] || r.Links[4*n+9] {
			t.Errorf("%s: reversed links found", by)
		}
		found := 0
		for _, l := range r.Links {
			if l {
				found++
			}
		}
		// 132 ordered pairs, 2 planted. The correlograms' test is
		// conservative: at most a few more links. The TE surrogates keep
		// each window's count but not the burst onsets within it, so the
		// bursts' 0.5 ms-per-channel onset lags and sharp edges add links
		// between co-bursting channels (the null is "timing within 25 ms
		// carries nothing", which they break); still a small minority.
		if limit := map[string]int{"ccg": 2 + 3, "te": 2 + 13}[by]; found > limit {
			t.Errorf("%s: %d links, want at most %d", by, found, limit)
		}
		if d := r.CCG.DelayMs[9*n+4]; math.Abs(d-12) > 1 {
			t.Errorf("CCG delay 9 → 4: %g ms", d)
		}
		if r.Degree[2] < 1 || r.Component < 2 || len(r.Module) != n {
			t.Errorf("%s: degree %v, component %d", by, r.Degree, r.Component)
		}
		t.Logf("%s: %d links; C %.3g L %.3g σ %.3g ω %.3g Q %.3g", by, found, r.C, r.L, r.SmallWorld.Sigma, r.SmallWorld.Omega, r.Modularity)
	}
}
