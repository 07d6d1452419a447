package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/configs"
)

// Drugs on the Wagenaar culture (60 s, two seeds), against the published
// qualitative effects on cortical cultures: TTX silences them; CNQX
// abolishes network bursts (Robinson et al. 1993, J Neurophysiol 70:1606);
// NMDA block by APV leaves shorter, AMPA-driven network bursts; GABA_A
// block by bicuculline raises the burst rate, the firing rate and the
// synchrony (Golomb's χ of the channels). Its rise in recruitment is not
// asserted: this culture shows it in 6 of 10 seeds (see wagenaar.yaml).
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
		t.Logf("%-45s rate %.3g Hz, %.3g bursts/min, %.3g ms, recruitment %.3g, in bursts %.3g, synchrony %.3g", drug,
			st["mean_rate_hz"], st["bursts_per_min"], st["burst_duration_ms"], st["recruitment"],
			st["fraction_in_bursts"], st["synchrony"])
		return st
	}
	ctl := stats("")
	if ctl["bursts_per_min"] < 3 || !(ctl["recruitment"] >= 0.5) {
		t.Fatalf("the control culture does not burst: %v", ctl)
	}
	if s := stats("{name: TTX, concentration_um: 1}"); s["mean_rate_hz"] != 0 {
		t.Errorf("TTX: %g Hz, want silence", s["mean_rate_hz"])
	}
	// Network bursts recruit at least half the active channels; what the
	// detector finds under CNQX are coincidences on a channel or two.
	if s := stats("{name: CNQX, concentration_um: 10}"); s["recruitment"] >= 0.5 || s["fraction_in_bursts"] > 0.1*ctl["fraction_in_bursts"] {
		t.Errorf("CNQX: recruitment %g, %g of spikes in bursts (control %g)", s["recruitment"], s["fraction_in_bursts"], ctl["fraction_in_bursts"])
	}
	// Under APV network bursts go on (at least 3 a minute, recruiting at
	// least 30 % of the active channels) and last less than 60 % as long.
	if s := stats("{name: APV, concentration_um: 50}"); s["bursts_per_min"] < 3 || !(s["recruitment"] >= 0.3) ||
		!(s["burst_duration_ms"] < 0.6*ctl["burst_duration_ms"]) {
		t.Errorf("APV: %g bursts/min, recruitment %g, %g ms (control %g ms)",
			s["bursts_per_min"], s["recruitment"], s["burst_duration_ms"], ctl["burst_duration_ms"])
	}
	// A rise in burst rate of at least 15 % (same culture and seed; 18-100 %
	// over seeds 1-10, see wagenaar.yaml).
	s := stats("{name: bicuculline, concentration_um: 10}")
	if !(s["synchrony"] > ctl["synchrony"]) || !(s["mean_rate_hz"] > ctl["mean_rate_hz"]) ||
		!(s["bursts_per_min"] > 1.15*ctl["bursts_per_min"]) {
		t.Errorf("bicuculline: synchrony %g (control %g), rate %g Hz (control %g), %g bursts/min (control %g)",
			s["synchrony"], ctl["synchrony"], s["mean_rate_hz"], ctl["mean_rate_hz"], s["bursts_per_min"], ctl["bursts_per_min"])
	}
}

// wagenaar.yaml passes every published range for 5 of 5 seeds over 120 s
// (the acceptance bar), run as `bl1 sweep` runs them.
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
