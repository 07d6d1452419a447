package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/configs"
)

// fitConfig is 300 neurons at 1,900 per mm² with STP, the culture of
// package fit's recovery test.
const fitConfig = `culture:
  n_neurons: 300
  substrate_um: [400, 400]
  g_exc: 0.07
  g_inh: 0.2
drive: {mean: 3, std: 3}
simulation: {duration_s: 1, seed: 5}
plasticity:
  stp: {enabled: true}
outputs: {plots: false}
`

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// End to end: record 1 s with bl1 run, then fit g_exc, g_inh and the
// excitatory STP U from a start 15 % away to the recording. The fit must
// write its files and bring every parameter within 5 % of the values that
// made the recording.
func TestFitRecording(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "small.yaml", fitConfig)
	rec := filepath.Join(dir, "rec")
	if code, _, stderr := bl1(t, "run", cfg, "-o", rec, "-quiet"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "fit")
	code, stdout, stderr := bl1(t, "fit", cfg, "-target", filepath.Join(rec, "spikes.npz"), "-trace", "-o", out, "-quiet",
		"-set", "culture.g_exc=0.0805", "-set", "culture.g_inh=0.17", "-set", "plasticity.stp.excitatory.u=0.575")
	if code != 0 {
		t.Fatalf("fit: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "fitted g_exc") {
		t.Errorf("stdout: %s", stdout)
	}
	for _, f := range fitFiles {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	var rep fitReport
	b, err := os.ReadFile(filepath.Join(out, "fit.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Iterations) != 60 || rep.TargetKind != "recording" || rep.Error != "" {
		t.Fatalf("fit.json: %d iterations, kind %q, error %q", len(rep.Iterations), rep.TargetKind, rep.Error)
	}
	truth := map[string]float64{"g_exc": 0.07, "g_inh": 0.2, "stp_u_exc": 0.5}
	for i, n := range rep.Params {
		if e := math.Abs(rep.Final[i]-truth[n]) / truth[n]; e > 0.05 {
			t.Errorf("%s = %.4g, %.1f%% from %g", n, rep.Final[i], 100*e, truth[n])
		}
	}
	// The fitted config is a valid config with the fitted values.
	fitted, err := configs.Load(filepath.Join(out, "config.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if fitted.Culture.GExc != rep.Final[0] || fitted.Culture.GInh != rep.Final[1] || fitted.Plasticity.STP.Excitatory.U != rep.Final[2] {
		t.Errorf("fitted config has g_exc %g, g_inh %g, U %g; fit.json %v", fitted.Culture.GExc, fitted.Culture.GInh, fitted.Plasticity.STP.Excitatory.U, rep.Final)
	}
	csv, err := os.ReadFile(filepath.Join(out, "loss.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(csv)), "\n"); len(lines) != 61 || lines[0] != "iteration,loss,learn_rate,g_exc,g_inh,stp_u_exc" {
		t.Errorf("loss.csv: %d lines, header %q", len(lines), lines[0])
	}
}

// A statistics target: the rate of the culture falls towards 1 Hz when
// the fit may change g_exc.
func TestFitStatistics(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "small.yaml", fitConfig)
	target := writeFile(t, dir, "target.yaml", "rate_hz: 1\n")
	out := filepath.Join(dir, "fit")
	code, _, stderr := bl1(t, "fit", cfg, "-target", target, "-params", "g_exc", "-iters", "15", "-duration-ms", "400", "-o", out, "-quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep fitReport
	b, _ := os.ReadFile(filepath.Join(out, "fit.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.TargetKind != "statistics" || len(rep.Final) != 1 {
		t.Fatalf("fit.json: %+v", rep)
	}
	first, last := rep.Iterations[0].Loss, rep.Iterations[len(rep.Iterations)-1].Loss
	if !(rep.Final[0] < 0.07) || !(last < first) {
		t.Errorf("g_exc %g (from 0.07), loss %g -> %g: the fit did not lower the rate", rep.Final[0], first, last)
	}
}

// Bad input is reported with exit status 2 and a message that names the
// problem.
func TestFitBadInput(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "small.yaml", fitConfig)
	stats := writeFile(t, dir, "stats.yaml", "rate_hz: 2\n")
	badStats := writeFile(t, dir, "bad.yaml", "rate_hz: 2\nburst_rate: 3\n")
	noSTP := writeFile(t, dir, "nostp.yaml", strings.Replace(fitConfig, "enabled: true", "enabled: false", 1))
	notNPZ := writeFile(t, dir, "junk.npz", "not a zip file")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no target", []string{cfg}, "needs -target"},
		{"no config", []string{"-target", stats}, "one config"},
		{"missing config", []string{filepath.Join(dir, "none.yaml"), "-target", stats}, "cannot read the config"},
		{"unknown param", []string{cfg, "-target", stats, "-params", "g_exc,tau"}, `unknown parameter "tau"`},
		{"stp param without stp", []string{noSTP, "-target", stats, "-params", "stp_u_exc"}, "plasticity.stp.enabled"},
		{"unknown stats key", []string{cfg, "-target", badStats}, "bad.yaml:2"},
		{"target kind", []string{cfg, "-target", filepath.Join(dir, "t.csv")}, "want statistics (.yaml) or a recording (.npz)"},
		{"broken recording", []string{cfg, "-target", notNPZ}, "junk.npz"},
		{"stdp", []string{cfg, "-target", stats, "-set", "plasticity.stdp.enabled=true"}, "short-term plasticity only"},
		{"window", []string{cfg, "-target", stats, "-window-ms", "500", "-duration-ms", "100"}, "need 0 < window <= duration"},
		{"beta", []string{cfg, "-target", stats, "-beta", "0"}, "beta"},
		{"bad set", []string{cfg, "-target", stats, "-set", "culture.g_exc=-1"}, "g_exc"},
	} {
		code, _, stderr := bl1(t, append([]string{"fit", "-quiet", "-o", filepath.Join(dir, "out")}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", tc.name, code, stderr, tc.want)
		}
	}
}
