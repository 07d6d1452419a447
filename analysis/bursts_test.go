package analysis_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/analysis"
)

// burstPlant is a planted network burst: every unit of units fires a regular
// train in [onset, onset+dur].
type burstPlant struct {
	onset, dur float64 // ms
	units      []int32
}

// burstPlan draws nb bursts: the first at t0, then onset-to-onset intervals
// uniform in [ibiLo, ibiHi] ms, durations uniform in [durLo, durHi] ms, and
// k ∈ [kLo, kHi] distinct units out of n.
func burstPlan(rng *rand.Rand, nb, n int, t0, ibiLo, ibiHi, durLo, durHi float64, kLo, kHi int) []burstPlant {
	p := make([]burstPlant, nb)
	t := t0
	for i := range p {
		if i > 0 {
			t += ibiLo + rng.Float64()*(ibiHi-ibiLo)
		}
		k := kLo + rng.IntN(kHi-kLo+1)
		u := make([]int32, k)
		for j, v := range rng.Perm(n)[:k] {
			u[j] = int32(v)
		}
		slices.Sort(u)
		p[i] = burstPlant{onset: t, dur: durLo + rng.Float64()*(durHi-durLo), units: u}
	}
	return p
}

// burstSynth returns n units observed over [0, tMs): a homogeneous Poisson
// background at bgHz on every unit plus, for every plant, a regular train
// of interval isiMs on each of its units, from onset + U(0, isiMs) to
// onset + dur (events at or after tMs are dropped). planted[i] is the number
// of train events of plant i.
func burstSynth(rng *rand.Rand, n int, tMs, bgHz, isiMs float64, plants []burstPlant) (e analysis.Events, planted []int) {
	type ev struct {
		t  float64
		id int32
	}
	var evs []ev
	if bgHz > 0 {
		for u := range n {
			for t := rng.ExpFloat64() * 1000 / bgHz; t < tMs; t += rng.ExpFloat64() * 1000 / bgHz {
				evs = append(evs, ev{t, int32(u)})
			}
		}
	}
	planted = make([]int, len(plants))
	for i, p := range plants {
		for _, u := range p.units {
			for t := p.onset + rng.Float64()*isiMs; t <= p.onset+p.dur && t < tMs; t += isiMs {
				evs = append(evs, ev{t, u})
				planted[i]++
			}
		}
	}
	slices.SortFunc(evs, func(a, b ev) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return int(a.id) - int(b.id)
	})
	e = analysis.Events{T: make([]float64, len(evs)), ID: make([]int32, len(evs)), N: n, T0: 0, T1: tMs}
	for k, v := range evs {
		e.T[k], e.ID[k] = v.t, v.id
	}
	return e, planted
}

// burstMatch pairs every plant with the detected bursts that overlap its
// interval; it fails the test unless each plant has exactly one and every
// detected burst belongs to a plant (no spurious bursts).
func burstMatch(t *testing.T, name string, plants []burstPlant, got []analysis.Burst) []analysis.Burst {
	t.Helper()
	m := make([]analysis.Burst, len(plants))
	used := make([]bool, len(got))
	for i, p := range plants {
		k := 0
		for j, b := range got {
			if b.StartMs <= p.onset+p.dur && b.EndMs >= p.onset {
				m[i] = b
				used[j] = true
				k++
			}
		}
		if k != 1 {
			t.Fatalf("%s: planted burst %d at %.1f ms (%.0f ms) matched by %d detected bursts", name, i, p.onset, p.dur, k)
		}
	}
	for j, u := range used {
		if !u {
			t.Errorf("%s: spurious burst %+v", name, got[j])
		}
	}
	return m
}

// burstPlantStats returns the statistics of the plants themselves: IBI mean
// and CV (sample SD), duration mean.
func burstPlantStats(p []burstPlant) (ibiMean, ibiCV, durMean float64) {
	var ibi []float64
	for i := 1; i < len(p); i++ {
		ibi = append(ibi, p[i].onset-p[i-1].onset)
	}
	ibiMean, sd := burstTestMeanSD(ibi)
	for _, b := range p {
		durMean += b.dur
	}
	return ibiMean, sd / ibiMean, durMean / float64(len(p))
}

func burstTestMeanSD(x []float64) (m, sd float64) {
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		sd += (v - m) * (v - m)
	}
	return m, math.Sqrt(sd / float64(len(x)-1))
}

// TestRateThresholdPlanted plants 20 bursts in a culture of 1000 neurons
// (BL-1's method is built for many neurons per 0.5-ms bin) and runs the
// detector with BL-1's parameters.
//
// Truth and tolerances, from the construction: a planted burst of k ≥ 300
// units with 10-ms trains adds k/20 ≥ 15 events to every 0.5-ms bin of
// [onset, onset+dur] against 0.5 from the 1-Hz background, so the onset bin
// is the one holding the onset or the next (|error| ≤ 1 ms) and the offset is
// the first empty bin after onset+dur (geometric, P(empty) = e^−0.5 = 0.61
// per bin: P(> 5 ms) = 0.39^10 ≈ 1e-4). Background neurons with a spike in
// the burst count as recruited: E[Fraction] = (k + (N−k)(1 − e^(−ν·D)))/N
// with ν = 1 Hz and D the detected duration.
func TestRateThresholdPlanted(t *testing.T) {
	const n, tMs, bgHz, isi = 1000, 300e3, 1.0, 10.0
	rng := rand.New(rand.NewPCG(1, 2))
	plants := burstPlan(rng, 20, n, 5000, 6000, 20000, 100, 500, 300, 800)
	e, planted := burstSynth(rng, n, tMs, bgHz, isi, plants)

	got, err := analysis.RateThreshold{}.Detect(e)
	if err != nil {
		t.Fatal(err)
	}
	m := burstMatch(t, "RateThreshold", plants, got)
	var maxOn, maxOff float64
	inBursts := 0.0
	for i, b := range m {
		p := plants[i]
		on, off := b.StartMs-p.onset, b.EndMs-(p.onset+p.dur)
		maxOn, maxOff = math.Max(maxOn, math.Abs(on)), math.Max(maxOff, off)
		if math.Abs(on) > 1 || off < -0.5 || off > 5 {
			t.Errorf("burst %d: onset error %.2f ms (want |·| ≤ 1), offset error %.2f ms (want [−0.5, 5])", i, on, off)
		}
		k, d := float64(len(p.units)), b.DurationMs()/1000
		pBg := 1 - math.Exp(-bgHz*d)
		wantFrac := (k + (n-k)*pBg) / n
		tolFrac := 5 * math.Sqrt((n-k)*pBg*(1-pBg)) / n
		if b.Recruited < len(p.units) || math.Abs(b.Fraction-wantFrac) > tolFrac {
			t.Errorf("burst %d: recruited %d (planted %d), fraction %.4f, want %.4f ± %.4f", i, b.Recruited, len(p.units), b.Fraction, wantFrac, tolFrac)
		}
		bg := n * bgHz * d // expected background events in the burst
		if x := float64(b.NSpikes - planted[i]); math.Abs(x-bg) > 5*math.Sqrt(bg)+float64(len(p.units)) {
			t.Errorf("burst %d: %d spikes, %d planted + %.0f background expected", i, b.NSpikes, planted[i], bg)
		}
		inBursts += float64(planted[i]) + bg
		if b.Censored {
			t.Errorf("burst %d censored", i)
		}
	}
	t.Logf("max |onset error| %.2f ms, max offset error %.2f ms", maxOn, maxOff)

	s, err := analysis.SummarizeBursts(e, got)
	if err != nil {
		t.Fatal(err)
	}
	ibiMean, ibiCV, durMean := burstPlantStats(plants)
	wantFIB := inBursts / float64(len(e.T))
	t.Logf("stats %+v; planted IBI %.1f ms, CV %.4f, duration %.1f ms, fraction in bursts %.4f", s, ibiMean, ibiCV, durMean, wantFIB)
	// Onsets are within 1 ms, so the mean IBI is within 2/19 ms and each
	// IBI within 2 ms; the duration mean is within [−0.5, 5] ms.
	switch {
	case s.Count != 20 || s.RatePerMin != 4:
		t.Errorf("count %d, rate %g/min; want 20, 4", s.Count, s.RatePerMin)
	case math.Abs(s.IBIMeanMs-ibiMean) > 2.0/19:
		t.Errorf("IBI mean %g ms, planted %g", s.IBIMeanMs, ibiMean)
	case math.Abs(s.IBICV-ibiCV) > 2*(2/ibiMean)*(1+ibiCV):
		t.Errorf("IBI CV %g, planted %g", s.IBICV, ibiCV)
	case s.DurationMeanMs-durMean < -0.5 || s.DurationMeanMs-durMean > 5:
		t.Errorf("duration mean %g ms, planted %g", s.DurationMeanMs, durMean)
	case math.Abs(s.FractionInBursts-wantFIB) > 0.005:
		t.Errorf("fraction in bursts %g, want %g", s.FractionInBursts, wantFIB)
	}
}

// burstExtension returns the mean and variance of M = max_c (Y_c − φ_c),
// the amount by which the 1-Hz background stretches one edge of a planted
// burst under Wagenaar2006's rule: φ_c ~ U(0, jitter) is the gap between the
// planted edge and unit c's outermost train spike, and Y_c the length of the
// chain of background spikes beyond it with every gap below τ_c. For a
// Poisson background of rate λ the chain obeys the renewal equation
// F(y) = e^(−λτ) + ∫_0^min(y,τ) λe^(−λg) F(y−g) dg, solved on a grid of h.
func burstExtension(lambda, jitter float64, taus []float64) (mean, variance float64) {
	const h = 0.25 // ms
	yMax := 6 * slices.Max(taus)
	ny := int(yMax/h) + 1
	nj := int(jitter / h)
	cache := map[float64][]float64{} // τ → H_c(z) on z = −jitter + i·h
	nz := nj + ny
	g := make([]float64, nz) // CDF of M
	for i := range g {
		g[i] = 1
	}
	for _, tau := range taus {
		hc, ok := cache[tau]
		if !ok {
			m := int(tau / h)
			w := make([]float64, m+1) // λh·e^(−λg) at the midpoints g = (j−½)h
			for j := 1; j <= m; j++ {
				w[j] = lambda * h * math.Exp(-lambda*(float64(j)-0.5)*h)
			}
			f := make([]float64, ny)
			p0 := math.Exp(-lambda * tau)
			for i := range f {
				s := p0
				for j := 1; j <= min(i, m); j++ {
					s += w[j] * f[i-j]
				}
				f[i] = s
			}
			hc = make([]float64, nz)
			for i := range hc { // H(z) = mean over φ of F(z + φ)
				var s float64
				for k := range nj {
					y := i - nj + k // index of z + φ on the F grid
					switch {
					case y >= ny:
						s++
					case y >= 0:
						s += f[y]
					}
				}
				hc[i] = s / float64(nj)
			}
			cache[tau] = hc
		}
		for i := range g {
			g[i] *= hc[i]
		}
	}
	var m1, m2, prev float64
	for i, v := range g {
		z := -jitter + float64(i)*h
		m1 += z * (v - prev)
		m2 += z * z * (v - prev)
		prev = v
	}
	return m1, m2 - m1*m1
}

// TestDetectorsPlantedMEA plants 20 bursts on 60 channels with a 1-Hz
// Poisson background (an MEA recording) and runs both detectors.
//
// RateThreshold with 10-ms bins: a burst of k ≥ 20 channels puts k events in
// every 10-ms bin it covers against 0.6 from the background, so the onset is
// within one bin (±10 ms) and the offset within [−10, +50] ms (P(4
// background bins holding ≥ 2 events) = 0.12^4).
//
// Wagenaar2006: every planted train is a burstlet (≥ 10 spikes 10 ms apart,
// τ ≤ 100 ms), so every burst is found with its k channels; the detected
// onset cannot be later than the earliest train spike (≤ onset + 10 ms) and
// is earlier by the chain of background spikes within τ of the edge on any
// recruited channel. That chain exceeds 400 ms only if 5 spikes in a row
// fall within 100 ms (≤ 0.095^5 per channel edge, ~1 % for the test), so a
// per-burst bound of 400 ms; the mean stretch per edge must match the
// renewal-theory value of burstExtension within 4 standard errors.
func TestDetectorsPlantedMEA(t *testing.T) {
	const n, tMs, bgHz, isi = 60, 300e3, 1.0, 10.0
	rng := rand.New(rand.NewPCG(3, 4))
	plants := burstPlan(rng, 20, n, 5000, 6000, 20000, 100, 500, 20, 50)
	e, planted := burstSynth(rng, n, tMs, bgHz, isi, plants)
	ibiMean, ibiCV, durMean := burstPlantStats(plants)

	t.Run("RateThreshold10ms", func(t *testing.T) {
		got, err := analysis.RateThreshold{BinMs: 10}.Detect(e)
		if err != nil {
			t.Fatal(err)
		}
		m := burstMatch(t, "RateThreshold", plants, got)
		for i, b := range m {
			p := plants[i]
			on, off := b.StartMs-p.onset, b.EndMs-(p.onset+p.dur)
			if math.Abs(on) > 10 || off < -10 || off > 50 {
				t.Errorf("burst %d: onset error %.1f ms, offset error %.1f ms", i, on, off)
			}
			if b.Recruited < len(p.units) {
				t.Errorf("burst %d: recruited %d < planted %d", i, b.Recruited, len(p.units))
			}
		}
		s, err := analysis.SummarizeBursts(e, got)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", s)
		if s.Count != 20 || math.Abs(s.IBIMeanMs-ibiMean) > 20.0/19 || math.Abs(s.IBICV-ibiCV) > 0.01 ||
			s.DurationMeanMs-durMean < -20 || s.DurationMeanMs-durMean > 60 {
			t.Errorf("stats %+v; planted IBI %g ms, CV %g, duration %g ms", s, ibiMean, ibiCV, durMean)
		}
	})

	// PopulationThreshold: a plant of k >= 20 of 60 channels firing every
	// 10 ms raises the population rate to >= 20·100/60 = 33 Hz per channel
	// against the 1-Hz background and the 5-Hz floor, in every 10-ms bin
	// of the plant but possibly the first and last (partial trains): onset
	// and offset within one bin, the plants' own IBI statistics, and
	// recruitment within the background's chance of a spike in the burst.
	t.Run("PopulationThreshold", func(t *testing.T) {
		got, err := analysis.PopulationThreshold{}.Detect(e)
		if err != nil {
			t.Fatal(err)
		}
		m := burstMatch(t, "PopulationThreshold", plants, got)
		for i, b := range m {
			p := plants[i]
			on, off := b.StartMs-p.onset, b.EndMs-(p.onset+p.dur)
			if math.Abs(on) > 20 || math.Abs(off) > 20 {
				t.Errorf("burst %d: onset error %.1f ms, offset error %.1f ms", i, on, off)
			}
			if b.Recruited < len(p.units) {
				t.Errorf("burst %d: recruited %d < planted %d", i, b.Recruited, len(p.units))
			}
		}
		s, err := analysis.SummarizeBursts(e, got)
		if err != nil {
			t.Fatal(err)
		}
		if s.Count != 20 || math.Abs(s.IBIMeanMs-ibiMean) > 40.0/19 || math.Abs(s.IBICV-ibiCV) > 0.01 || math.Abs(s.DurationMeanMs-durMean) > 20 {
			t.Errorf("stats %+v; planted IBI %g ms, CV %g, duration %g ms", s, ibiMean, ibiCV, durMean)
		}
	})

	t.Run("Wagenaar2006", func(t *testing.T) {
		w := analysis.Wagenaar2006{}
		got, err := w.Detect(e)
		if err != nil {
			t.Fatal(err)
		}
		tau, err := w.ISIThresholds(e)
		if err != nil {
			t.Fatal(err)
		}
		m := burstMatch(t, "Wagenaar2006", plants, got)
		var sumOn, sumOff, sumWant, sumVar, maxStretch float64
		extra := 0
		plantedSpikes := 0
		for i, b := range m {
			p := plants[i]
			on, off := b.StartMs-p.onset, b.EndMs-(p.onset+p.dur)
			if on > isi || on < -400 || off < -isi || off > 400 {
				t.Errorf("burst %d: onset error %.1f ms, offset error %.1f ms", i, on, off)
			}
			maxStretch = math.Max(maxStretch, math.Max(-on, off))
			taus := make([]float64, len(p.units))
			for j, u := range p.units {
				taus[j] = tau[u]
			}
			mean, v := burstExtension(bgHz/1000, isi, taus)
			sumOn += -on
			sumOff += off
			sumWant += mean
			sumVar += v
			if b.Recruited < len(p.units) || b.Recruited > len(p.units)+1 {
				t.Errorf("burst %d: recruited %d channels, planted %d", i, b.Recruited, len(p.units))
			}
			extra += b.Recruited - len(p.units)
			if b.NSpikes < planted[i] {
				t.Errorf("burst %d: %d spikes < %d planted", i, b.NSpikes, planted[i])
			}
			plantedSpikes += planted[i]
		}
		se := math.Sqrt(sumVar)
		t.Logf("mean edge stretch: onset %.1f ms, offset %.1f ms, renewal theory %.1f ± %.1f (SE) ms; max %.0f ms; extra channels %d",
			sumOn/20, sumOff/20, sumWant/20, se/20, maxStretch, extra)
		for _, x := range []float64{sumOn, sumOff} {
			if math.Abs(x-sumWant) > 4*se {
				t.Errorf("summed edge stretch %.0f ms, renewal theory %.0f ± %.0f ms", x, sumWant, se)
			}
		}
		if extra > 2 {
			t.Errorf("%d channels recruited beyond the planted ones", extra)
		}

		s, err := analysis.SummarizeBursts(e, got)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v; planted IBI %.0f ms CV %.4f, duration %.0f ms", s, ibiMean, ibiCV, durMean)
		// Per-burst onset errors are within [−400, +10] ms: the mean IBI is
		// within 410/19 ms; the duration mean is planted + both stretches.
		wantDur := durMean + 2*sumWant/20
		if s.Count != 20 || s.RatePerMin != 4 || math.Abs(s.IBIMeanMs-ibiMean) > 410.0/19 ||
			math.Abs(s.IBICV-ibiCV) > 0.02 || math.Abs(s.DurationMeanMs-wantDur) > 8*se/20+2*isi {
			t.Errorf("stats %+v; planted IBI %g ms, CV %g; expected duration %g ms", s, ibiMean, ibiCV, wantDur)
		}
		var recr float64
		for _, p := range plants {
			recr += float64(len(p.units)) / n
		}
		if math.Abs(s.RecruitmentMean-recr/20) > float64(extra)/(20*n)+1e-12 {
			t.Errorf("recruitment %g, planted %g", s.RecruitmentMean, recr/20)
		}
		// Burst spikes are the planted ones plus background absorbed inside
		// and at the edges: at most 1 Hz × (dur + stretch) per channel.
		lo := float64(plantedSpikes) / float64(len(e.T))
		if s.FractionInBursts < lo || s.FractionInBursts > lo*1.05 {
			t.Errorf("fraction in bursts %g, planted %g", s.FractionInBursts, lo)
		}
	})
}

// TestBurstsPoissonNull runs both detectors on bursts-free Poisson activity.
// RateThreshold at BL-1's defaults on 1000 neurons at 1 Hz finds nothing: a
// burst needs 100 consecutive 0.5-ms bins above the mean 0.5, i.e. non-empty
// (P = 0.39^100). With 10-ms bins it does find "bursts" (5 bins above the
// mean suffice); the test logs how many, the caution in RateThreshold's
// documentation. Wagenaar2006 on 60 channels at 1 Hz for an hour finds few:
// a chance burstlet (4 spikes, 3 gaps < 100 ms) starts at ≈ 60 ch ×
// 1 Hz × 0.095³ × 0.905 ≈ 0.047/s and lasts ≈ 150 ms, so two on different
// channels overlap ≈ 0.047² × 0.3 s × 3600 s / 2 ≈ 1.2 times an hour; we
// allow 6 (P(Poisson(1.2) > 6) ≈ 1e-4).
func TestBurstsPoissonNull(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	e, _ := burstSynth(rng, 1000, 60e3, 1, 10, nil)
	got, err := analysis.RateThreshold{}.Detect(e)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("RateThreshold on Poisson: %d bursts, first %+v", len(got), got[0])
	}
	got, _ = analysis.RateThreshold{BinMs: 10}.Detect(e)
	t.Logf("RateThreshold, 10-ms bins, on 1 min of 1000 × 1 Hz Poisson: %d bursts", len(got))
	e, _ = burstSynth(rng, 60, 3600e3, 1, 10, nil)
	got, err = analysis.Wagenaar2006{}.Detect(e)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Wagenaar2006 on 1 h of 60 × 1 Hz Poisson: %d bursts", len(got))
	if len(got) > 6 {
		t.Errorf("Wagenaar2006 on Poisson: %d bursts in an hour", len(got))
	}
	bl, _ := analysis.Wagenaar2006{}.Burstlets(e)
	t.Logf("chance burstlets: %d (%.3f/s; 0.047/s expected)", len(bl), float64(len(bl))/3600)
	// PopulationThreshold on the hour of 60 channels at 1 Hz: a 10-ms bin
	// needs more than 5 Hz x 60 x 0.01 s = 3 events against a mean of 0.6,
	// P(Poisson(0.6) >= 4) = 3.4e-3 per bin, ~1,200 single-bin excursions an
	// hour; a burst needs three such bins with gaps under 100 ms:
	// ~1,200 x (10 x 3.4e-3)² ≈ 1.4 an hour. We allow 8 (P(Poisson(1.4) > 8)
	// ≈ 1e-4).
	got, err = analysis.PopulationThreshold{}.Detect(e)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PopulationThreshold on 1 h of 60 x 1 Hz Poisson: %d bursts", len(got))
	if len(got) > 8 {
		t.Errorf("PopulationThreshold on Poisson: %d bursts in an hour", len(got))
	}
	// On 1,000 neurons at 1 Hz a bin holds 10 events on average and needs
	// > 50: never by chance (P(Poisson(10) > 50) ~ 1e-17).
	e, _ = burstSynth(rng, 1000, 60e3, 1, 10, nil)
	got, _ = (analysis.PopulationThreshold{}).Detect(e)
	if len(got) != 0 {
		t.Errorf("PopulationThreshold on 1 min of 1000 x 1 Hz Poisson: %d bursts", len(got))
	}
}

// TestBurstsAtEdges plants bursts that start at T0 and run past T1: both
// are kept and marked censored, with onset T0 and offset T1 (RateThreshold)
// or at the edge train spikes (Wagenaar2006).
func TestBurstsAtEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var all []int32
	for u := range int32(60) {
		all = append(all, u)
	}
	plants := []burstPlant{{onset: 0, dur: 300, units: all}, {onset: 5000, dur: 300, units: all}, {onset: 9800, dur: 500, units: all}}
	e, _ := burstSynth(rng, 60, 10000, 0, 10, plants)
	e.T[0] = 0 // an event exactly at T0
	for _, d := range []struct {
		name string
		det  func(analysis.Events) ([]analysis.Burst, error)
	}{
		{"RateThreshold", analysis.RateThreshold{BinMs: 5}.Detect},
		{"Wagenaar2006", analysis.Wagenaar2006{}.Detect},
	} {
		got, err := d.det(e)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || !got[0].Censored || got[1].Censored || !got[2].Censored ||
			got[0].StartMs != 0 || got[2].EndMs > 10000 || got[2].EndMs < 9990 {
			t.Errorf("%s: %+v", d.name, got)
		}
		if d.name == "RateThreshold" && got[2].EndMs != 10000 {
			t.Errorf("%s: last burst ends at %g, want T1", d.name, got[2].EndMs)
		}
	}
}

// TestBurstsEdgeCases checks degenerate inputs (no panics, sensible empty
// results) and bad inputs (errors).
func TestBurstsEdgeCases(t *testing.T) {
	ok := []struct {
		name string
		e    analysis.Events
	}{
		{"no events", analysis.Events{N: 60, T0: 0, T1: 1000}},
		{"one event", analysis.Events{T: []float64{0}, ID: []int32{0}, N: 1, T0: 0, T1: 1000}},
		{"one event at the end", analysis.Events{T: []float64{999.9}, ID: []int32{5}, N: 6, T0: 0, T1: 1000}},
		{"window shorter than a bin", analysis.Events{T: []float64{0.1, 0.2}, ID: []int32{0, 0}, N: 1, T0: 0, T1: 0.3}},
		{"one channel bursting", analysis.Events{T: []float64{100, 101, 102, 103, 104}, ID: []int32{0, 0, 0, 0, 0}, N: 1, T0: 0, T1: 1000}},
		{"negative T0", analysis.Events{T: []float64{-500, -499, -498, -497}, ID: []int32{0, 1, 0, 1}, N: 2, T0: -500, T1: 0}},
	}
	for _, c := range ok {
		for _, det := range []func(analysis.Events) ([]analysis.Burst, error){
			analysis.RateThreshold{}.Detect, analysis.Wagenaar2006{}.Detect,
		} {
			got, err := det(c.e)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			s, err := analysis.SummarizeBursts(c.e, got)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			if len(got) != 0 || s.Count != 0 || s.RatePerMin != 0 || !math.IsNaN(s.IBIMeanMs) || !math.IsNaN(s.DurationMeanMs) {
				t.Errorf("%s: bursts %+v, stats %+v", c.name, got, s)
			}
		}
	}
	// One channel: no network burst under the paper's rule, one burstlet.
	one := ok[4].e
	if bl, _ := (analysis.Wagenaar2006{}).Burstlets(one); len(bl) != 1 || bl[0].NSpikes != 5 || bl[0].StartMs != 100 || bl[0].EndMs != 104 {
		t.Errorf("one channel: burstlets %+v", bl)
	}
	if got, _ := (analysis.Wagenaar2006{MinUnits: 1}).Detect(one); len(got) != 1 || got[0].NSpikes != 5 || got[0].Recruited != 1 {
		t.Errorf("one channel, MinUnits 1: %+v", got)
	}

	bad := []struct {
		name string
		e    analysis.Events
	}{
		{"length mismatch", analysis.Events{T: []float64{1}, N: 1, T0: 0, T1: 10}},
		{"no units", analysis.Events{T0: 0, T1: 10}},
		{"empty window", analysis.Events{N: 1, T0: 10, T1: 10}},
		{"infinite window", analysis.Events{N: 1, T0: 0, T1: math.Inf(1)}},
		{"unsorted", analysis.Events{T: []float64{2, 1}, ID: []int32{0, 0}, N: 1, T0: 0, T1: 10}},
		{"outside window", analysis.Events{T: []float64{10}, ID: []int32{0}, N: 1, T0: 0, T1: 10}},
		{"NaN time", analysis.Events{T: []float64{math.NaN()}, ID: []int32{0}, N: 1, T0: 0, T1: 10}},
		{"bad id", analysis.Events{T: []float64{1}, ID: []int32{1}, N: 1, T0: 0, T1: 10}},
	}
	for _, c := range bad {
		if _, err := (analysis.RateThreshold{}).Detect(c.e); err == nil {
			t.Errorf("RateThreshold, %s: no error", c.name)
		}
		if _, err := (analysis.Wagenaar2006{}).Detect(c.e); err == nil {
			t.Errorf("Wagenaar2006, %s: no error", c.name)
		}
		if _, err := analysis.SummarizeBursts(c.e, nil); err == nil {
			t.Errorf("SummarizeBursts, %s: no error", c.name)
		}
	}
	e := ok[0].e
	for _, d := range []analysis.RateThreshold{{BinMs: -1}, {K: math.NaN()}, {MinDurationMs: math.Inf(1)}, {SmoothMs: -2}} {
		if _, err := d.Detect(e); err == nil {
			t.Errorf("%+v: no error", d)
		}
	}
	for _, w := range []analysis.Wagenaar2006{{MinSpikes: -1}, {ISIFraction: -0.1}, {MaxISIMs: math.NaN()}, {MinUnits: -2}, {GapMs: math.Inf(1)}} {
		if _, err := w.Detect(e); err == nil {
			t.Errorf("%+v: no error", w)
		}
	}
}

// TestSummarizeBursts checks the statistics on a hand-made list (values
// computed by hand) and the NaN rules.
func TestSummarizeBursts(t *testing.T) {
	// 2 minutes, 10 events, 3 bursts at 0, 10 000 and 30 000 ms.
	e := analysis.Events{T: make([]float64, 10), ID: make([]int32, 10), N: 4, T0: 0, T1: 120e3}
	for k := range e.T {
		e.T[k] = float64(k) * 1000
	}
	bs := []analysis.Burst{
		{StartMs: 0, EndMs: 100, NSpikes: 2, Recruited: 1, Fraction: 0.25},
		{StartMs: 10e3, EndMs: 10300, NSpikes: 3, Recruited: 2, Fraction: 0.5},
		{StartMs: 30e3, EndMs: 30200, NSpikes: 0, Recruited: 3, Fraction: 0.75},
	}
	s, err := analysis.SummarizeBursts(e, bs)
	if err != nil {
		t.Fatal(err)
	}
	// Durations 100, 300, 200: mean 200, sample SD 100. IBIs 10 000 and
	// 20 000: mean 15 000, sample SD 7071.07, CV 0.471405.
	want := analysis.BurstStats{Count: 3, RatePerMin: 1.5, DurationMeanMs: 200, DurationSDMs: 100,
		IBIMeanMs: 15000, IBICV: math.Sqrt(2) / 3, RecruitmentMean: 0.5, FractionInBursts: 0.5}
	if !burstStatsClose(s, want) {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
	nan := math.NaN()
	for _, c := range []struct {
		bs   []analysis.Burst
		want analysis.BurstStats
	}{
		{nil, analysis.BurstStats{DurationMeanMs: nan, DurationSDMs: nan, IBIMeanMs: nan, IBICV: nan, RecruitmentMean: nan, FractionInBursts: 0}},
		{bs[:1], analysis.BurstStats{Count: 1, RatePerMin: 0.5, DurationMeanMs: 100, DurationSDMs: nan, IBIMeanMs: nan, IBICV: nan, RecruitmentMean: 0.25, FractionInBursts: 0.2}},
		{bs[:2], analysis.BurstStats{Count: 2, RatePerMin: 1, DurationMeanMs: 200, DurationSDMs: math.Sqrt(2) * 100, IBIMeanMs: 10000, IBICV: nan, RecruitmentMean: 0.375, FractionInBursts: 0.5}},
	} {
		s, err := analysis.SummarizeBursts(e, c.bs)
		if err != nil || !burstStatsClose(s, c.want) {
			t.Errorf("%d bursts: got %+v, %v\nwant %+v", len(c.bs), s, err, c.want)
		}
	}
	if s, _ := analysis.SummarizeBursts(analysis.Events{N: 1, T0: 0, T1: 1}, nil); !math.IsNaN(s.FractionInBursts) {
		t.Errorf("no events: fraction in bursts %g, want NaN", s.FractionInBursts)
	}
	for _, bad := range [][]analysis.Burst{
		{bs[1], bs[0]}, // unsorted
		{{StartMs: 0, EndMs: 200}, {StartMs: 100, EndMs: 300}}, // overlapping
		{{StartMs: 200, EndMs: 100}},                           // reversed
		{{StartMs: 0, EndMs: 130e3}},                           // beyond T1
		{{StartMs: 0, EndMs: 1, NSpikes: -1}},                  // negative count
	} {
		if _, err := analysis.SummarizeBursts(e, bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func burstStatsClose(a, b analysis.BurstStats) bool {
	eq := func(x, y float64) bool {
		return (math.IsNaN(x) && math.IsNaN(y)) || math.Abs(x-y) <= 1e-12*math.Max(1, math.Abs(y))
	}
	return a.Count == b.Count && eq(a.RatePerMin, b.RatePerMin) && eq(a.DurationMeanMs, b.DurationMeanMs) &&
		eq(a.DurationSDMs, b.DurationSDMs) && eq(a.IBIMeanMs, b.IBIMeanMs) && eq(a.IBICV, b.IBICV) &&
		eq(a.RecruitmentMean, b.RecruitmentMean) && eq(a.FractionInBursts, b.FractionInBursts)
}

// TestRateThresholdSmoothing checks the optional smoothing: on 60 channels
// BL-1's raw 0.5-ms count cannot hold a burst together (most bins are empty
// during a burst of 20–50 channels at 100 Hz, P(empty) = e^(−k/20) ≥ 8 %), so
// it finds no burst of 50 ms; a 5-ms Gaussian recovers every planted burst.
func TestRateThresholdSmoothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	plants := burstPlan(rng, 10, 60, 2000, 5000, 10000, 100, 500, 20, 50)
	e, _ := burstSynth(rng, 60, 100e3, 1, 10, plants)
	raw, err := analysis.RateThreshold{}.Detect(e)
	if err != nil {
		t.Fatal(err)
	}
	smooth, err := analysis.RateThreshold{SmoothMs: 5}.Detect(e)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("raw 0.5 ms: %d bursts; smoothed 5 ms: %d bursts", len(raw), len(smooth))
	if len(raw) >= len(plants) {
		t.Errorf("raw count found %d bursts on 60 channels", len(raw))
	}
	m := burstMatch(t, "smoothed", plants, smooth)
	for i, b := range m {
		// The kernel spreads each edge by about 2 SD (10 ms) before the
		// smoothed count crosses the threshold or falls to the mean.
		if on := b.StartMs - plants[i].onset; math.Abs(on) > 15 {
			t.Errorf("burst %d: onset error %.1f ms", i, on)
		}
	}
}

// burstReference is a direct transcription of the Wagenaar2006 rule with
// default parameters (quadratic, for the fuzz test): burstlets per unit, then
// connected components of the "overlaps" graph between burstlets.
func burstReference(e analysis.Events) []analysis.Burst {
	type bl struct {
		u      int32
		t0, t1 float64
		n      int
	}
	var bls []bl
	for u := range int32(e.N) {
		var ts []float64
		for k, id := range e.ID {
			if id == u {
				ts = append(ts, e.T[k])
			}
		}
		if len(ts) == 0 {
			continue
		}
		tau := math.Min(0.25*(e.T1-e.T0)/float64(len(ts)), 100)
		a := 0
		for k := 1; k <= len(ts); k++ {
			if k == len(ts) || ts[k]-ts[k-1] >= tau {
				if k-a >= 4 {
					bls = append(bls, bl{u, ts[a], ts[k-1], k - a})
				}
				a = k
			}
		}
	}
	comp := make([]int, len(bls))
	for i := range comp {
		comp[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if comp[i] != i {
			comp[i] = find(comp[i])
		}
		return comp[i]
	}
	for i := range bls {
		for j := range bls {
			if bls[i].t0 <= bls[j].t1 && bls[j].t0 <= bls[i].t1 {
				comp[find(i)] = find(j)
			}
		}
	}
	groups := map[int][]bl{}
	for i := range bls {
		groups[find(i)] = append(groups[find(i)], bls[i])
	}
	var out []analysis.Burst
	for _, g := range groups {
		units := map[int32]bool{}
		b := analysis.Burst{StartMs: math.Inf(1), EndMs: math.Inf(-1)}
		for _, x := range g {
			units[x.u] = true
			b.StartMs, b.EndMs = math.Min(b.StartMs, x.t0), math.Max(b.EndMs, x.t1)
			b.NSpikes += x.n
		}
		if len(units) >= 2 {
			b.Recruited = len(units)
			b.Fraction = float64(len(units)) / float64(e.N)
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b analysis.Burst) int { return int(math.Copysign(1, a.StartMs-b.StartMs)) })
	return out
}

// burstFuzzEvents builds valid events from fuzz bytes: each byte pair is a
// time step (0–255 × 0.4 ms, so many gaps fall below the 100-ms cap) and a unit.
func burstFuzzEvents(data []byte, n int) analysis.Events {
	e := analysis.Events{N: n, T0: 0}
	t := 0.0
	for i := 0; i+1 < len(data); i += 2 {
		t += float64(data[i]) * 0.4
		e.T = append(e.T, t)
		e.ID = append(e.ID, int32(int(data[i+1])%n))
	}
	e.T1 = t + 1 + float64(len(data))
	return e
}

// FuzzBurstDetectors checks, on arbitrary valid events, that both detectors
// return sorted, disjoint bursts inside the window with consistent counts,
// that SummarizeBursts accepts them, and that Wagenaar2006 agrees with the
// quadratic reference transcription of its rule.
func FuzzBurstDetectors(f *testing.F) {
	f.Add([]byte{0, 0, 1, 1, 1, 0, 1, 1, 2, 0, 2, 1, 200, 2, 1, 2, 1, 0, 1, 2, 1, 0})
	f.Add([]byte{5, 0, 5, 0, 5, 0, 5, 0, 0, 1, 0, 1, 0, 1, 0, 1, 255, 3})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 { // keeps the window, hence the bin count, small
			return
		}
		e := burstFuzzEvents(data, 4)
		if e.Validate() != nil {
			return
		}
		for _, det := range []func(analysis.Events) ([]analysis.Burst, error){
			analysis.RateThreshold{}.Detect, analysis.RateThreshold{BinMs: 3, K: 1.5, MinDurationMs: 5, SmoothMs: 2}.Detect, analysis.Wagenaar2006{}.Detect,
		} {
			got, err := det(e)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for i, b := range got {
				total += b.NSpikes
				if b.Recruited < 1 || b.Recruited > e.N || b.Fraction != float64(b.Recruited)/float64(e.N) || b.NSpikes < b.Recruited {
					t.Fatalf("burst %d: %+v", i, b)
				}
			}
			if total > len(e.T) {
				t.Fatalf("%d spikes in bursts out of %d", total, len(e.T))
			}
			if _, err := analysis.SummarizeBursts(e, got); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := analysis.Wagenaar2006{}.Detect(e)
		want := burstReference(e)
		if len(got) != len(want) {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.StartMs != w.StartMs || g.EndMs != w.EndMs || g.NSpikes != w.NSpikes || g.Recruited != w.Recruited {
				t.Fatalf("burst %d: got %+v, want %+v", i, g, w)
			}
		}
	})
}

// burstCulture synthesizes n neurons over [0, tMs) in time order, without
// sorting: Poisson background at bgHz per neuron, and network bursts
// (onset-to-onset 5–15 s, 100–500 ms long) in which a random 30–80 % of the
// neurons add burstHz each. It returns the number of bursts planted.
func burstCulture(rng *rand.Rand, n int, tMs, bgHz, burstHz float64) (analysis.Events, int) {
	e := analysis.Events{N: n, T0: 0, T1: tMs}
	bg := float64(n) * bgHz / 1000 // events per ms
	t := 0.0
	planted := 0
	for onset := 5000 + rng.Float64()*10000; t < tMs; onset += 5000 + rng.Float64()*10000 {
		dur := 100 + rng.Float64()*400
		frac := 0.3 + 0.5*rng.Float64()
		// Neuron i is recruited if hash(i, seed) < frac: a random subset
		// drawn without storing it; recruits are found by rejection.
		seed := rng.Uint64()
		recruited := func(i int) bool {
			h := (uint64(i) + seed) * 0x9e3779b97f4a7c15
			h ^= h >> 29
			h *= 0xbf58476d1ce4e5b9
			h ^= h >> 32
			return float64(h>>11)/(1<<53) < frac
		}
		burst := float64(n) * frac * burstHz / 1000
		if onset < tMs {
			planted++
		}
		for _, seg := range []struct {
			end, rate float64
			inBurst   bool
		}{{math.Min(onset, tMs), bg, false}, {math.Min(onset+dur, tMs), bg + burst, true}} {
			for {
				t += rng.ExpFloat64() / seg.rate
				if t >= seg.end {
					t = seg.end // memoryless: restart at the segment's end
					break
				}
				id := rng.IntN(n)
				if seg.inBurst && rng.Float64()*seg.rate >= bg {
					for !recruited(id) {
						id = rng.IntN(n)
					}
				}
				e.T = append(e.T, t)
				e.ID = append(e.ID, int32(id))
			}
		}
	}
	return e, planted
}

// burstMEA records 60 channels from the culture: channel c hears neurons
// 11c … 11c+10.
func burstMEA(e analysis.Events) analysis.Events {
	m := analysis.Events{N: 60, T0: e.T0, T1: e.T1}
	for k, id := range e.ID {
		if id < 660 {
			m.T = append(m.T, e.T[k])
			m.ID = append(m.ID, id/11)
		}
	}
	return m
}

// BenchmarkBursts10k analyses 10 minutes of a 10,000-neuron culture at
// 2.5 Hz (≈ 15 M events: a 0.5-Hz background, the rest in ≈ 60 bursts, as
// in mature cultures where most spikes fall in bursts): RateThreshold with
// BL-1's parameters on all neurons, Wagenaar2006 on a 60-channel MEA view
// (≈ 1 M events), and SummarizeBursts on both.
func BenchmarkBursts10k(b *testing.B) {
	rng := rand.New(rand.NewPCG(21, 22))
	e, planted := burstCulture(rng, 10000, 600e3, 0.5, 120)
	mea := burstMEA(e)
	b.Logf("%d neuron events (%.2f Hz), %d channel events, %d bursts planted", len(e.T), float64(len(e.T))/1e4/600, len(mea.T), planted)
	run := func(name string, f func() int) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n = f()
			}
			b.ReportMetric(float64(n), "bursts")
		})
	}
	rate := func() int {
		bs, err := analysis.RateThreshold{}.Detect(e)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := analysis.SummarizeBursts(e, bs); err != nil {
			b.Fatal(err)
		}
		return len(bs)
	}
	wag := func() int {
		bs, err := analysis.Wagenaar2006{}.Detect(mea)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := analysis.SummarizeBursts(mea, bs); err != nil {
			b.Fatal(err)
		}
		return len(bs)
	}
	run("RateThreshold", rate)
	run("Wagenaar2006MEA60", wag)
	run("Both", func() int { return rate() + wag() })
}

func ExampleRateThreshold_Detect() {
	// 10 neurons over 2 s. During [500, 600) and [1200, 1300) ms every
	// neuron fires each millisecond (staggered by 0.1 ms, so every 0.5-ms
	// bin holds 5 spikes); outside, neuron 0 fires every 50 ms.
	var e analysis.Events
	e.N, e.T1 = 10, 2000
	for t := 0.0; t < 2000; t++ {
		burst := (t >= 500 && t < 600) || (t >= 1200 && t < 1300)
		for i := range 10 {
			if burst || (i == 0 && int(t)%50 == 25) {
				e.T = append(e.T, t+0.1*float64(i))
				e.ID = append(e.ID, int32(i))
			}
		}
	}
	bursts, err := analysis.RateThreshold{}.Detect(e) // BL-1: 0.5 ms, 2 SD, 50 ms
	if err != nil {
		panic(err)
	}
	for _, b := range bursts {
		fmt.Printf("%g–%g ms: %d spikes, %d of 10 neurons\n", b.StartMs, b.EndMs, b.NSpikes, b.Recruited)
	}
	// Output:
	// 500–600 ms: 1000 spikes, 10 of 10 neurons
	// 1200–1300 ms: 1000 spikes, 10 of 10 neurons
}

func ExampleWagenaar2006_Detect() {
	// 4 channels over 10 s. Channels 0–2 have overlapping burstlets near
	// 1 s; channel 0 has a lone burstlet at 5 s (one channel: no network
	// burst); channel 3 fires sparsely.
	e := rateEvents(4, 0, 10000, [][]float64{
		{1000, 1010, 1020, 1030, 1040, 5000, 5010, 5020, 5030},
		{1005, 1015, 1025, 1035, 1045},
		{1030, 1040, 1050, 1060},
		{3000, 6000},
	})
	w := analysis.Wagenaar2006{} // the paper's parameters
	tau, _ := w.ISIThresholds(e)
	bl, _ := w.Burstlets(e)
	bursts, _ := w.Detect(e)
	fmt.Printf("ISI thresholds %.0f ms, %d burstlets\n", tau, len(bl))
	for _, b := range bursts {
		fmt.Printf("%g–%g ms: %d spikes on %d channels (%.0f %%)\n", b.StartMs, b.EndMs, b.NSpikes, b.Recruited, 100*b.Fraction)
	}
	// Output:
	// ISI thresholds [100 100 100 100] ms, 4 burstlets
	// 1000–1060 ms: 14 spikes on 3 channels (75 %)
}

func ExampleSummarizeBursts() {
	// Three bursts in one minute of 4 channels that fired 100 spikes.
	e := analysis.Events{N: 4, T0: 0, T1: 60000}
	for k := range 100 {
		e.T = append(e.T, float64(k)*600)
		e.ID = append(e.ID, int32(k%4))
	}
	bursts := []analysis.Burst{
		{StartMs: 10000, EndMs: 10200, NSpikes: 20, Recruited: 2, Fraction: 0.5},
		{StartMs: 20000, EndMs: 20400, NSpikes: 30, Recruited: 4, Fraction: 1},
		{StartMs: 40000, EndMs: 40300, NSpikes: 10, Recruited: 3, Fraction: 0.75},
	}
	s, err := analysis.SummarizeBursts(e, bursts)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d bursts, %.1f/min, duration %.0f ± %.0f ms\n", s.Count, s.RatePerMin, s.DurationMeanMs, s.DurationSDMs)
	fmt.Printf("IBI %.0f ms (CV %.3f), recruitment %.2f, %.0f %% of spikes in bursts\n", s.IBIMeanMs, s.IBICV, s.RecruitmentMean, 100*s.FractionInBursts)
	// Output:
	// 3 bursts, 3.0/min, duration 300 ± 100 ms
	// IBI 15000 ms (CV 0.471), recruitment 0.75, 60 % of spikes in bursts
}
