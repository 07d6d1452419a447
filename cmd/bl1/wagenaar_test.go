package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/configs"
)

// Drugs on the Wagenaar culture (60 s, two seeds), against the published
// qualitative effects on cortical cultures, each burst statistic by both
// detectors (the electrode method and the population rate): TTX silences
// them; CNQX abolishes network bursts (Robinson et al. 1993, J
// Neurophysiol 70:1606); NMDA block by APV leaves shorter, AMPA-driven
// network bursts; GABA_A block by bicuculline raises the burst rate, the
// firing rate and the synchrony (Golomb's χ of the channels). The numbers
// over ten seeds are in wagenaar.yaml's comments.
func TestDrugEffects(t *testing.T) {
	if testing.Short() {
		t.Skip("runs ten 60 s cultures")
	}
	for _, seed := range []string{"1", "2"} {
		t.Run("seed"+seed, func(t *testing.T) {
			t.Parallel()
			testDrugEffects(t, seed)
		})
	}
}

func testDrugEffects(t *testing.T, seed string) {
	stats := func(drug string) map[string]float64 {
		sets := []string{"simulation.duration_s=60", "simulation.seed=" + seed, "simulation.workers=1", "outputs.plots=false"}
		if drug != "" {
			sets = append(sets, "drugs=["+drug+"]")
		}
		cfg, err := configs.Load("wagenaar.yaml", sets)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if _, err := Simulate(context.Background(), cfg, Options{Name: "wagenaar.yaml", Dir: dir, Progress: io.Discard}); err != nil {
			t.Fatal(err)
		}
		v, _, err := validateRun(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		st := map[string]float64{}
		for k, x := range v.Stats {
			st[k] = float64(x)
		}
		t.Logf("%-45s rate %.3g Hz, bursts/min %.3g | %.3g, ms %.3g | %.3g, recruitment %.3g | %.3g, synchrony %.3g", drug,
			st["mean_rate_hz"], st["bursts_per_min"], st["pop_bursts_per_min"], st["burst_duration_ms"], st["pop_burst_duration_ms"],
			st["recruitment"], st["pop_recruitment"], st["synchrony"])
		return st
	}
	ctl := stats("")
	if ctl["pop_bursts_per_min"] < 3 || !(ctl["recruitment"] >= 0.5) {
		t.Fatalf("the control culture does not burst: %v", ctl)
	}
	if s := stats("{name: TTX, concentration_um: 1}"); s["mean_rate_hz"] != 0 {
		t.Errorf("TTX: %g Hz, want silence", s["mean_rate_hz"])
	}
	// No network bursts: the population rate never crosses its threshold,
	// and what the electrode method finds are coincidences on a channel or
	// two.
	if s := stats("{name: CNQX, concentration_um: 10}"); s["pop_bursts_per_min"] != 0 || s["recruitment"] >= 0.5 {
		t.Errorf("CNQX: %g population bursts a minute, recruitment %g", s["pop_bursts_per_min"], s["recruitment"])
	}
	// Under APV network bursts go on (at least 3 a minute, recruiting at
	// least half the active channels) and are shorter: by the electrode
	// method, which follows a burst's NMDA-carried tail, to less than 70 %
	// of the control's duration (0.30-0.70 over seeds 1-10; 0.54 and 0.60
	// on these); by the population rate, whose threshold of 5 x the median
	// keeps only the peak, less (0.53-0.95; 0.95 and 0.78 here).
	if s := stats("{name: APV, concentration_um: 50}"); s["pop_bursts_per_min"] < 3 || !(s["pop_recruitment"] >= 0.5) ||
		!(s["burst_duration_ms"] < 0.7*ctl["burst_duration_ms"]) || !(s["pop_burst_duration_ms"] < ctl["pop_burst_duration_ms"]) {
		t.Errorf("APV: %g bursts/min, recruitment %g, %g | %g ms (control %g | %g ms)", s["pop_bursts_per_min"], s["pop_recruitment"],
			s["burst_duration_ms"], s["pop_burst_duration_ms"], ctl["burst_duration_ms"], ctl["pop_burst_duration_ms"])
	}
	// Bicuculline: the burst rate rises by at least 50 % by both detectors
	// (x1.38-2.90 | x1.41-2.80 over seeds 1-10; x2.9 | x2.8 and x1.8 | x1.9
	// on these).
	s := stats("{name: bicuculline, concentration_um: 10}")
	if !(s["synchrony"] > ctl["synchrony"]) || !(s["mean_rate_hz"] > ctl["mean_rate_hz"]) ||
		!(s["bursts_per_min"] > 1.5*ctl["bursts_per_min"]) || !(s["pop_bursts_per_min"] > 1.5*ctl["pop_bursts_per_min"]) {
		t.Errorf("bicuculline: synchrony %g (control %g), rate %g Hz (control %g), %g | %g bursts/min (control %g | %g)",
			s["synchrony"], ctl["synchrony"], s["mean_rate_hz"], ctl["mean_rate_hz"], s["bursts_per_min"], s["pop_bursts_per_min"],
			ctl["bursts_per_min"], ctl["pop_bursts_per_min"])
	}
}

// wagenaar.yaml passes every published range for 5 of 5 seeds over 120 s,
// by both burst detectors (the acceptance bar: irregular intervals,
// IBI CV >= 0.3, and bursts of varying extent, median recruitment < 0.95),
// run as `bl1 sweep` runs them.
func TestWagenaarSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs five 120 s cultures")
	}
	dir := t.TempDir()
	code, stdout, stderr := bl1(t, "sweep", "wagenaar.yaml", "-grid", "simulation.duration_s=120", "-seeds", "1,2,3,4,5", "-o", dir, "-quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "| 5/5 |") {
		t.Fatalf("not every seed passes:\n%s", stdout)
	}
}
