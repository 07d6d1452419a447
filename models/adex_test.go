package models_test

import (
	"fmt"
	"slices"
	"testing"
)

// naudCurrent is the step current of each firing pattern, pA: Naud et al.
// 2008, Table 1, as tabulated in brian-team/brian2,
// examples/frompapers/Naud_et_al_2008_adex_firing_patterns.py (i_stim).
var naudCurrent = map[string]float64{
	"AdEx_tonic":                500,
	"AdEx_adapting":             500,
	"AdEx_initial_burst":        400,
	"AdEx_bursting":             210,
	"AdEx_delayed_accelerating": 300,
	"AdEx_delayed_bursting":     110,
	"AdEx_transient":            180,
	"AdEx_irregular":            160,
}

// bgCurrent drives the regular-spiking cell of Brette & Gerstner 2005: the
// 1 nA step of brian-team/brian2, examples/frompapers/Brette_Gerstner_2005.py,
// 1.6 times its rheobase (about 630 pA, measured: 620 pA gives one spike,
// 640 pA repetitive firing).
const bgCurrent = 1000.0 // pA

// adexDts: Naud et al. 2008 (and Brian2's example) integrate at 0.1 ms;
// 0.05 ms checks that the patterns are not artefacts of the step.
var adexDts = []float64{0.1, 0.05}

// TestAdExFiringPatterns checks the firing patterns named in Naud et al.
// 2008, Table 1 (and the regular spiking of Brette & Gerstner 2005)
// under a step from rest, with ISI statistics. Measured values at dt = 0.1
// and 0.05 ms are in the comments as (dt 0.1 / dt 0.05).
func TestAdExFiringPatterns(t *testing.T) {
	for _, dt := range adexDts {
		trains := map[string]train{}
		for name, iPA := range naudCurrent {
			trains[name] = adexTrain(t, builtin(t, name).AdEx, dt, adexPre, adexStep, iPA)
		}
		trains["AdEx_RS"] = adexTrain(t, builtin(t, "AdEx_RS").AdEx, dt, adexPre, adexStep, bgCurrent)
		for name, tr := range trains {
			if tr.before != 0 {
				t.Errorf("dt %g: %s fired %d spikes at rest", dt, name, tr.before)
			}
			if len(tr.times) == 0 {
				t.Fatalf("dt %g: %s silent under its step", dt, name)
			}
			t.Logf("dt %g: %s %d spikes, first at %.1f ms, ISIs %.1f", dt, name, len(tr.times), tr.times[0], tr.isis())
		}
		sub := func(name string, f func(t *testing.T, isi []float64)) {
			t.Run(fmt.Sprintf("%s/dt=%g", name, dt), func(t *testing.T) {
				isi := trains[name].isis()
				if len(isi) < 2 && name != "AdEx_transient" {
					t.Fatalf("%d ISIs", len(isi))
				}
				f(t, isi)
			})
		}

		sub("AdEx_tonic", func(t *testing.T, isi []float64) {
			// Tonic spiking (b = 0, τ_w = 30 ms): regular from the start.
			// Measured CV 0.012 / 0.014 over 49 ISIs (9.3 → 9.9 / 9.1 → 9.8 ms),
			// last/first ISI 1.065 / 1.077.
			if c := cv(isi); c > 0.05 {
				t.Errorf("CV %.3f, want <= 0.05", c)
			}
			if r := isi[len(isi)-1] / isi[0]; r > 1.15 {
				t.Errorf("last/first ISI %.2f, want <= 1.15 (no adaptation)", r)
			}
		})

		adapting := func(minRatio float64) func(t *testing.T, isi []float64) {
			return func(t *testing.T, isi []float64) {
				// Spike-frequency adaptation: every ISI at least as long as
				// the one before (up to one step of timing jitter), and the
				// last several times the first.
				for i := 1; i < len(isi); i++ {
					if isi[i] < isi[i-1]-dt {
						t.Errorf("ISI %d (%.1f ms) shorter than ISI %d (%.1f ms)", i, isi[i], i-1, isi[i-1])
					}
				}
				if r := isi[len(isi)-1] / isi[0]; r < minRatio {
					t.Errorf("last/first ISI %.2f, want >= %g", r, minRatio)
				}
			}
		}
		// Adapting (τ_w = 300 ms, b = 60 pA): ISIs 11.6 → 76.1 / 11.4 →
		// 75.9 ms, ratio 6.56 / 6.63.
		sub("AdEx_adapting", adapting(3))
		// Brette & Gerstner 2005 regular spiking at 1 nA: ISIs 13.9 → 36.3 /
		// 13.8 → 36.2 ms, ratio 2.61 / 2.63.
		sub("AdEx_RS", adapting(1.8))

		sub("AdEx_initial_burst", func(t *testing.T, isi []float64) {
			// Initial burst, then tonic spiking. Measured: 2 intra-burst
			// ISIs (3.8, 7.7 / 3.6, 7.5 ms), then 55.1 and a steady 64.2 /
			// 54.9 and 64.1 ms.
			nb := leadingShort(isi, burstISI)
			if nb < 1 || nb > 4 {
				t.Fatalf("initial burst of %d ISIs, want 1 to 4", nb)
			}
			tonic := isi[nb:]
			if len(tonic) < 4 {
				t.Fatalf("%d ISIs after the burst, want >= 4", len(tonic))
			}
			// No later bursts (gap ratio measured 7.2 / 7.3).
			if r := minOf(tonic) / maxOf(isi[:nb]); r < 3 {
				t.Errorf("shortest tonic ISI / longest burst ISI = %.1f, want >= 3", r)
			}
			// Regular after the first post-burst ISI (measured CV 0.0006 /
			// 0.0012).
			if c := cv(tonic[1:]); c > 0.05 {
				t.Errorf("tonic CV %.3f, want <= 0.05", c)
			}
		})

		bursting := func(minLong int) func(t *testing.T, isi []float64) {
			return func(t *testing.T, isi []float64) {
				// Bimodal ISIs: intra-burst ones below burstISI, inter-burst
				// ones far longer, recurring at a regular interval.
				short, long := split(isi, burstISI)
				if len(long) < minLong {
					t.Fatalf("%d inter-burst ISIs, want >= %d", len(long), minLong)
				}
				if len(short) < len(long) {
					t.Errorf("%d intra-burst ISIs for %d bursts, want >= 1 per burst", len(short), len(long))
				}
				if r := minOf(long) / maxOf(short); r < 3 {
					t.Errorf("shortest inter-burst ISI / longest intra-burst ISI = %.1f, want >= 3", r)
				}
				if c := cv(long); c > 0.1 {
					t.Errorf("inter-burst CV %.3f, want <= 0.1", c)
				}
			}
		}
		// Regular bursting: bursts of 2 spikes (ISI 5.8 / 5.6 ms) every
		// 133 ms after a first burst of 3; 3 inter-burst ISIs in 500 ms,
		// gap ratio 22.7 / 23.6, inter-burst CV 0.005 / 0.006.
		sub("AdEx_bursting", bursting(3))
		// Delayed regular bursting: bursts of 4 spikes (ISIs 3.6-8.1 /
		// 3.4-8.1 ms) every 52-56 ms; 6 inter-burst ISIs, gap ratio 6.4 /
		// 6.7, inter-burst CV 0.017 / 0.009.
		sub("AdEx_delayed_bursting", func(t *testing.T, isi []float64) {
			bursting(5)(t, isi)
			// Delayed: negative subthreshold adaptation (a = -10 nS) holds
			// the first spike back to 57.6 / 57.4 ms, where tonic spiking
			// at a comparable rate starts within 15 ms.
			if f := trains["AdEx_delayed_bursting"].times[0]; f < 40 {
				t.Errorf("first spike at %.1f ms, want >= 40 (delayed)", f)
			}
		})

		sub("AdEx_delayed_accelerating", func(t *testing.T, isi []float64) {
			// Delayed onset (first spike at 33.9 / 33.8 ms), then ISIs
			// that shorten throughout (20.9 → 11.0 / 20.8 → 10.8 ms).
			if f := trains["AdEx_delayed_accelerating"].times[0]; f < 25 {
				t.Errorf("first spike at %.1f ms, want >= 25 (delayed)", f)
			}
			for i := 1; i < len(isi); i++ {
				if isi[i] > isi[i-1]+dt {
					t.Errorf("ISI %d (%.1f ms) longer than ISI %d (%.1f ms)", i, isi[i], i-1, isi[i-1])
				}
			}
			// Accelerating: measured last/first 0.53 / 0.52.
			if r := isi[len(isi)-1] / isi[0]; r > 0.7 {
				t.Errorf("last/first ISI %.2f, want <= 0.7", r)
			}
		})

		sub("AdEx_transient", func(t *testing.T, isi []float64) {
			// Transient spiking: a response at the onset, then silence
			// (a = 10 nS holds V down). Measured: one spike at 30.5 ms.
			tr := trains["AdEx_transient"]
			if n := len(tr.times); n > 3 {
				t.Errorf("%d spikes, want a transient of 1 to 3", n)
			}
			if last := tr.times[len(tr.times)-1]; last > 100 {
				t.Errorf("last spike at %.1f ms, want <= 100 (transient)", last)
			}
		})

		sub("AdEx_irregular", func(t *testing.T, isi []float64) {
			// Irregular spiking: after the onset burst, ISIs between 6.6
			// and 37 ms in no repeating order. Measured CV of the ISIs after
			// the first 3: 0.52 / 0.48 (tonic: 0.012).
			if c := cv(isi[3:]); c < 0.3 {
				t.Errorf("CV %.2f, want >= 0.3", c)
			}
		})
	}
}

// TestAdExMatchesReference compares the spike counts of the float32
// Population with refAdEx, a float64 forward-Euler integration of Brette &
// Gerstner 2005, eqs. 1-2 (exponent capped at 20) written in the test, for
// every AdEx type under its step. As for the Izhikevich model
// (TestIzhikevichMatchesReference), the counts must be equal wherever the
// reference's count does not move under float32-sized perturbations of the
// input. Measured: equal in all 18 cases; AdEx_irregular is
// ill-conditioned at both dt (chaotic: the perturbed reference gives 27 or
// 28 spikes) and the others are stable.
func TestAdExMatchesReference(t *testing.T) {
	currents := map[string]float64{"AdEx_RS": bgCurrent}
	for name, iPA := range naudCurrent {
		currents[name] = iPA
	}
	for name, iPA := range currents {
		p := builtin(t, name).AdEx
		for _, dt := range adexDts {
			got := len(adexTrain(t, p, dt, adexPre, adexStep, iPA).times)
			ref := func(in float64) int { return refAdEx(p, dt, adexPre, adexStep, in) }
			want := ref(iPA)
			family := float32Family(ref, iPA)
			stable := !slices.ContainsFunc(family, func(n int) bool { return n != want })
			switch {
			case stable && got != want:
				t.Errorf("%s dt %g: %d spikes, reference %d (stable under float32 perturbations)", name, dt, got, want)
			case !stable && got != want && !slices.Contains(family, got):
				t.Errorf("%s dt %g: %d spikes, reference %d, perturbed reference %v", name, dt, got, want, family)
			case !stable:
				t.Logf("%s dt %g: %d spikes, reference %d; ill-conditioned: perturbed reference gives %v", name, dt, got, want, family)
			}
		}
	}
}
