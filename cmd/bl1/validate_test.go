package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/analysis"
)

// bl1 validate runs a config, prints the graded table, writes
// validation.json and the plots, and grades an existing run folder the same
// way; the exit status says whether everything is in range.
func TestValidateCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "v")
	code, stdout, stderr := bl1(t, "validate", "-o", dir, "-duration", "20", "-quiet")
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, k := range []string{"mean_rate_hz", "bursts_per_min", "burst_duration_ms", "ibi_cv", "recruitment", "pop_ibi_cv", "pop_recruitment_median", "branching_mr", "statistics in range"} {
		if !strings.Contains(stdout, k) {
			t.Errorf("table lacks %s:\n%s", k, stdout)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "validation.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v Validation
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Checks) != len(analysis.Wagenaar2006Ranges) || v.SimS != 20 || (code == 0) != v.Pass {
		t.Fatalf("validation.json: %d checks, %g s, pass %v with exit %d", len(v.Checks), v.SimS, v.Pass, code)
	}
	for _, f := range []string{"bursts.png", "burst_raster.png", "burst_stats.png", "isi.png", "avalanches.png", "mea_heatmap.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// Re-grading the folder gives the same numbers.
	code2, stdout2, _ := bl1(t, "validate", dir)
	if code2 != code || !strings.Contains(stdout2, "statistics in range") {
		t.Errorf("re-grading: exit %d vs %d", code2, code)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", dir, "-set", "drive.mean=2"}, "is a run folder"},
		{[]string{"validate", "nosuch.yaml"}, "nosuch.yaml"},
		{[]string{"validate", "a", "b"}, "at most one"},
	} {
		if code, _, stderr := bl1(t, tc.args...); code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// bl1 sweep runs every point with every seed and tabulates them.
func TestSweepCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	code, stdout, stderr := bl1(t, "sweep", "wagenaar.yaml", "-grid", "drive.mean=0.8,1.0", "-seeds", "1,2", "-duration", "5",
		"-set", "culture.n_neurons=2000", "-set", "culture.substrate_um=[1342, 1342]", "-o", dir, "-quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "| drive.mean=0.8 |") || !strings.Contains(stdout, "| drive.mean=1.0 |") {
		t.Fatalf("table:\n%s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(dir, "sweep.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "drive.mean,seed,pass,") || !strings.HasPrefix(lines[4], "1.0,2,") {
		t.Fatalf("sweep.csv:\n%s", b)
	}
	for _, l := range lines[1:] {
		if !strings.HasSuffix(l, ",") { // empty error column
			t.Errorf("a run failed: %s", l)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "wagenaar.yaml"}, "-grid"},
		{[]string{"sweep", "wagenaar.yaml", "-grid", "drive.mean"}, "key=v1,v2"},
		{[]string{"sweep", "wagenaar.yaml", "-random", "drive.mean=2:1"}, "lo <= hi"},
		{[]string{"sweep", "wagenaar.yaml", "-grid", "drive.mean=x"}, "drive.mean"},
		{[]string{"sweep", "wagenaar.yaml", "-grid", "drive.mean=1", "-seeds", "a"}, "-seeds"},
	} {
		if code, _, stderr := bl1(t, tc.args...); code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
