package models_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/models"
)

// dts are the integration steps the engine supports: 0.5 ms (BL-1's) and
// 0.1 ms (models/doc.go, "Integration scheme").
var dts = []float64{0.5, 0.1}

// burstISI separates intra-burst from other ISIs: an ISI under 10 ms (an
// instantaneous rate above 100 Hz) is intra-burst. Measured under the step
// protocol, the intra-burst ISIs of IB and CH are at most 7.5 ms and their
// tonic or inter-burst ISIs at least 31.6 ms at both dt, so any threshold in
// between classifies them alike.
const burstISI = 10.0 // ms

// TestIzhikevichFiringSignatures checks the qualitative firing patterns of
// Izhikevich 2003, Fig. 2 (and the text beside it) under the step protocol
// of anchors.md §2.1, with ISI statistics. The values measured at dt = 0.5
// and 0.1 ms are in the comments as (dt 0.5 / dt 0.1); every threshold keeps
// a clear margin from both.
func TestIzhikevichFiringSignatures(t *testing.T) {
	for _, dt := range dts {
		trains := map[string]train{}
		for _, name := range []string{"RS", "IB", "CH", "FS", "LTS"} {
			tr := izhTrain(t, builtin(t, name).Izhikevich, dt, izhPre, izhStep, izhI)
			if tr.before != 0 {
				t.Errorf("dt %g: %s fired %d spikes at I = 0", dt, name, tr.before)
			}
			if len(tr.times) < 10 {
				t.Fatalf("dt %g: %s fired %d spikes under I = 10, want a train", dt, name, len(tr.times))
			}
			trains[name] = tr
			t.Logf("dt %g: %s %d spikes, ISIs %.1f", dt, name, len(tr.times), tr.isis())
		}

		t.Run(fmt.Sprintf("RS/dt=%g", dt), func(t *testing.T) {
			// RS cells fire a few spikes with short intervals, then "the
			// period increases" (Izhikevich 2003, text of Fig. 2): spike
			// frequency adaptation. Adaptation ratio = steady ISI (mean of
			// the last 5) over the first ISI: measured 2.30 / 2.53 (ISIs
			// 20.0 → 46.0 ms / 17.8 → 45.1 ms).
			isi := trains["RS"].isis()
			if r := mean(isi[len(isi)-5:]) / isi[0]; r < 1.8 {
				t.Errorf("adaptation ratio %.2f, want >= 1.8", r)
			}
			// Adapting but not bursting: no ISI is intra-burst (measured
			// shortest 20.0 / 17.8 ms).
			if m := minOf(isi); m < burstISI {
				t.Errorf("shortest ISI %.1f ms, want >= %g (no burst)", m, burstISI)
			}
			// Tonic once adapted: the second half of the train is regular
			// (measured CV 0.0000 / 0.0000).
			if c := cv(isi[len(isi)/2:]); c > 0.05 {
				t.Errorf("late CV %.3f, want <= 0.05", c)
			}
		})

		t.Run(fmt.Sprintf("IB/dt=%g", dt), func(t *testing.T) {
			// IB cells fire "a stereotypical burst ... followed by
			// repetitive single spikes" (Izhikevich 2003, text of Fig. 2). Measured
			// burst: 2 leading intra-burst ISIs (3.0, 5.0 / 2.4, 3.7 ms),
			// then tonic ISIs of 32.5 / 31.6 ms.
			isi := trains["IB"].isis()
			nb := leadingShort(isi, burstISI)
			if nb < 1 || nb > 4 {
				t.Fatalf("initial burst of %d ISIs, want 1 to 4", nb)
			}
			tonic := isi[nb:]
			// No further bursts: the shortest tonic ISI is several times
			// the longest burst ISI (measured 6.5 / 8.5).
			if r := minOf(tonic) / maxOf(isi[:nb]); r < 3 {
				t.Errorf("shortest tonic ISI / longest burst ISI = %.1f, want >= 3", r)
			}
			// Regular tonic spiking after the first post-burst ISI (which is
			// longer, 39.0 / 37.8 ms, while u decays from the burst):
			// measured CV 0.0000 / 0.0000.
			if c := cv(tonic[1:]); c > 0.05 {
				t.Errorf("tonic CV %.3f, want <= 0.05", c)
			}
		})

		t.Run(fmt.Sprintf("CH/dt=%g", dt), func(t *testing.T) {
			// CH cells fire "stereotypical bursts of closely spaced spikes"
			// repetitively (Izhikevich 2003, text of Fig. 2): a bimodal ISI
			// distribution. Measured: intra-burst ISIs at most 7.5 / 5.7 ms,
			// inter-burst ISIs at least 48.5 / 48.1 ms, 15 / 16 inter-burst
			// ISIs and 64 / 71 intra-burst ones.
			short, long := split(trains["CH"].isis(), burstISI)
			if len(long) < 10 {
				t.Fatalf("%d inter-burst ISIs in 1 s, want >= 10 (repetitive bursts)", len(long))
			}
			// Bursts of at least 3 spikes on average: >= 2 short ISIs per
			// long one (measured 4.27 / 4.44).
			if r := float64(len(short)) / float64(len(long)); r < 2 {
				t.Errorf("%.1f intra-burst ISIs per burst, want >= 2", r)
			}
			// Bimodal: a wide gap between the modes (measured 6.5 / 8.4).
			if r := minOf(long) / maxOf(short); r < 3 {
				t.Errorf("shortest inter-burst ISI / longest intra-burst ISI = %.1f, want >= 3", r)
			}
			// Repetitive: the inter-burst ISIs are regular (measured CV
			// 0.0025 / 0.0000).
			if c := cv(long); c > 0.05 {
				t.Errorf("inter-burst CV %.3f, want <= 0.05", c)
			}
			// "The inter-burst frequency can be as high as 40 Hz"
			// (Izhikevich 2003, text of Fig. 2): measured 15 / 16 bursts
			// in the 1 s step.
			if n := len(long) + 1; n > 40 {
				t.Errorf("%d bursts per second, want <= 40", n)
			}
		})

		t.Run(fmt.Sprintf("FS/dt=%g", dt), func(t *testing.T) {
			// FS cells "fire periodic trains of action potentials with
			// extremely high frequency practically without any adaptation"
			// (Izhikevich 2003, text of Fig. 2). Fast: measured 114 / 131 Hz, 5× RS.
			fs := trains["FS"]
			if r := fs.rate(izhStep); r < 100 {
				t.Errorf("rate %.0f Hz, want >= 100", r)
			}
			if r := fs.rate(izhStep) / trains["RS"].rate(izhStep); r < 3 {
				t.Errorf("FS rate / RS rate = %.1f, want >= 3", r)
			}
			// Non-adapting: the recovery variable relaxes with 1/a = 10 ms
			// (a = 0.1), so the onset transient is over within the first
			// two ISIs (5.5, 7.5 / 4.2, 5.8 ms); after it, the late/early
			// ratio (mean of the last 10 ISIs over the mean of ISIs 3-7) is
			// near 1: measured 1.02 / 1.02 (RS, for contrast, lengthens its
			// ISI 2.3-fold within one ISI).
			isi := fs.isis()
			if r := mean(isi[len(isi)-10:]) / mean(isi[2:7]); r < 0.9 || r > 1.1 {
				t.Errorf("late/early ISI ratio %.2f, want within [0.9, 1.1]", r)
			}
		})

		t.Run(fmt.Sprintf("LTS/dt=%g", dt), func(t *testing.T) {
			// LTS cells fire "high-frequency trains" with "a noticeable spike
			// frequency adaptation" (Izhikevich 2003, text of Fig. 2). Rate above RS's: measured 73 / 76 Hz
			// against 23 / 23.
			lts, rs := trains["LTS"], trains["RS"]
			if r := lts.rate(izhStep) / rs.rate(izhStep); r < 2 {
				t.Errorf("LTS rate / RS rate = %.1f, want >= 2", r)
			}
			// Low threshold: the first spike comes before RS's (measured 3.5
			// vs 4.5 ms / 2.6 vs 3.7 ms).
			if lts.times[0] >= rs.times[0] {
				t.Errorf("LTS first spike at %.1f ms, RS at %.1f: want LTS earlier", lts.times[0], rs.times[0])
			}
			// Gradual adaptation: the first 5 ISIs lengthen one after the
			// other (4.0 4.5 6.0 8.0 12.0 / 3.1 3.8 4.8 6.8 10.5 ms) and the
			// steady ISI is several times the first (measured 3.50 / 4.42).
			isi := lts.isis()
			if !slices.IsSorted(isi[:5]) {
				t.Errorf("first ISIs %.1f do not lengthen", isi[:5])
			}
			if r := mean(isi[len(isi)-5:]) / isi[0]; r < 2 {
				t.Errorf("adaptation ratio %.2f, want >= 2", r)
			}
		})
	}
}

// fires reports whether neuron p fires repetitively under a step of I: at
// least 2 spikes in the last 500 ms of the 1 s step, so that a single
// transient spike at the step's onset does not count.
func fires(t *testing.T, p models.Izhikevich, dt, I float64) bool {
	tr := izhTrain(t, p, dt, izhPre, izhStep, I)
	n := 0
	for _, s := range tr.times {
		if s >= izhStep/2 {
			n++
		}
	}
	return n >= 2
}

// rheobase finds the smallest step current at which p fires repetitively,
// by bisection on [0, 6] mV/ms to within 0.002.
func rheobase(t *testing.T, p models.Izhikevich, dt float64) float64 {
	lo, hi := 0.0, 6.0
	if fires(t, p, dt, lo) || !fires(t, p, dt, hi) {
		t.Fatalf("rheobase of %+v not in [%g, %g]", p, lo, hi)
	}
	for hi-lo > 0.002 {
		if m := (lo + hi) / 2; fires(t, p, dt, m) {
			hi = m
		} else {
			lo = m
		}
	}
	return hi
}

// hopfCurrent is the current at which the resting state of the Izhikevich
// model loses stability, computed analytically. At a rest point (v, b·v)
// the Jacobian of eqs. 1-2 is [[0.08v+5, -1], [ab, -a]]: its trace vanishes
// at v_H = (a-5)/0.08 and its determinant a(b - 0.08v - 5) = a(b-a) is then
// positive for b > a (all five Fig. 2 types), so the rest point loses
// stability by an Andronov-Hopf bifurcation at
// I_H = -(0.04 v_H² + (5-b) v_H + 140).
func hopfCurrent(p models.Izhikevich) float64 {
	vH := (p.A - 5) / 0.08
	return -(0.04*vH*vH + (5-p.B)*vH + 140)
}

// TestLTSLowThreshold checks the "low firing thresholds" of LTS cells,
// which the model owes to b = 0.25 (Izhikevich 2003, text of Fig. 2): the
// rheobase for repetitive firing of LTS is far below RS's. The larger b
// raises the resting potential (from -70 mV for b = 0.2 to -64.4 mV for
// b = 0.25 at I = 0, roots of 0.04v² + (5-b)v + 140 = 0) and moves the Hopf
// point from I_H = 3.80 (RS) to 0.685 (LTS) mV/ms (hopfCurrent). Measured
// rheobase: RS 3.773 / 3.775, LTS 0.653 / 0.656 (dt 0.5 / 0.1).
func TestLTSLowThreshold(t *testing.T) {
	rs, lts := builtin(t, "RS").Izhikevich, builtin(t, "LTS").Izhikevich
	for _, dt := range dts {
		rRS, rLTS := rheobase(t, rs, dt), rheobase(t, lts, dt)
		t.Logf("dt %g: rheobase RS %.3f (Hopf %.3f), LTS %.3f (Hopf %.3f)",
			dt, rRS, hopfCurrent(rs), rLTS, hopfCurrent(lts))
		// Forward Euler and the subcritical onset of firing (firing starts
		// 0.02-0.03 mV/ms below the Hopf point, measured) move the threshold
		// only slightly: 0.1 mV/ms covers it.
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"RS", rRS, hopfCurrent(rs)}, {"LTS", rLTS, hopfCurrent(lts)}} {
			if d := c.got - c.want; d < -0.1 || d > 0.1 {
				t.Errorf("dt %g: %s rheobase %.3f, Hopf point %.3f", dt, c.name, c.got, c.want)
			}
		}
		if rLTS > rRS/3 {
			t.Errorf("dt %g: LTS rheobase %.3f not well below RS's %.3f", dt, rLTS, rRS)
		}
		// At a current between the two thresholds LTS fires and RS does not.
		if mid := (rRS + rLTS) / 2; !fires(t, lts, dt, mid) || fires(t, rs, dt, mid) {
			t.Errorf("dt %g: at I = %.2f want LTS firing and RS silent", dt, mid)
		}
	}
}

// TestIzhikevichMatchesReference compares the spike counts of the float32
// Population with those of refIzhikevich, a float64 integration of the same
// scheme written from the paper, under the step protocol.
//
// The counts are equal for every type and dt except where the count is
// ill-conditioned at float32 resolution. With dt = 0.5 ms the forward-Euler
// upstroke multiplies a perturbation of v by 1 + dt(0.08v + 5), about 3.5 to
// 4.3, per step, and the last pre-spike v feeds u through eq. 2, so rounding
// errors of 1e-7 grow into a drift of spike phase that accumulates over the
// train. Measured: FS at dt 0.5 gives 114 (Population) against 115
// (reference), LTS at dt 0.1 gives 76 against 77; in both cases the
// float64 reference itself gives 114 or 76 when its input is perturbed by a
// few float32 roundoffs (float32Family), and the float64 reference with the
// parameters rounded to float32, as the Population stores them, gives 114
// for FS. The other 8 cases do not move under those perturbations and match
// exactly. So: where the reference's count is stable under float32-sized
// perturbations, the counts must be equal; where it is not, the
// Population's count must be one the perturbed reference produces.
func TestIzhikevichMatchesReference(t *testing.T) {
	exact := 0
	for _, name := range []string{"RS", "IB", "CH", "FS", "LTS"} {
		p := builtin(t, name).Izhikevich
		for _, dt := range dts {
			got := len(izhTrain(t, p, dt, izhPre, izhStep, izhI).times)
			ref := func(in float64) int { return refIzhikevich(p, dt, izhPre, izhStep, in) }
			want := ref(izhI)
			family := float32Family(ref, izhI)
			stable := !slices.ContainsFunc(family, func(n int) bool { return n != want })
			switch {
			case stable && got != want:
				t.Errorf("%s dt %g: %d spikes, reference %d (stable under float32 perturbations)", name, dt, got, want)
			case !stable && got != want && !slices.Contains(family, got):
				t.Errorf("%s dt %g: %d spikes, reference %d, perturbed reference %v", name, dt, got, want, family)
			case !stable:
				t.Logf("%s dt %g: %d spikes, reference %d; ill-conditioned: perturbed reference gives %v", name, dt, got, want, family)
			default:
				exact++
			}
		}
	}
	// Guard against a change that makes every case look ill-conditioned:
	// 8 of the 10 cases were measured stable (see above).
	if exact < 8 {
		t.Errorf("%d cases compared exactly, want >= 8", exact)
	}
}
