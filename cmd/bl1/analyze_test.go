package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/internal/npy"
)

// bl1 analyze reads a short real run through a CL1 (channels) and its
// neurons, writes every output, gives the same numbers with one worker as
// with several, and rejects bad input with exit status 2.
func TestAnalyzeCommand(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	args := []string{"run", "cl1_stim.yaml", "-o", run, "-duration", "8", "-quiet", "-save-connectivity",
		"-set", "culture.n_neurons=2000", "-set", "culture.substrate_um=[1342, 1342]", "-set", "mea.lfp.enabled=false"}
	if code, _, stderr := bl1(t, args...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "a")
	code, stdout, stderr := bl1(t, "analyze", run, "-o", out, "-quiet", "-surrogates", "19", "-alpha", "0.05", "-workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, k := range []string{"channels over 8 s", "small world: sigma", "rich club", "integration"} {
		if !strings.Contains(stdout, k) {
			t.Errorf("output lacks %q:\n%s", k, stdout)
		}
	}
	for _, f := range []string{"connectivity.npz", "connectivity.json", "info.json", "connectivity.png", "te.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	var cj ConnectivityJSON
	readJSON(t, filepath.Join(out, "connectivity.json"), &cj)
	if cj.Of != "channels" || cj.SimS != 8 || cj.Links.Pairs != cj.Units*(cj.Units-1) || cj.Graph.Nodes != cj.Units {
		t.Errorf("connectivity.json: %+v", cj)
	}
	var ij InfoJSON
	readJSON(t, filepath.Join(out, "info.json"), &ij)
	if len(ij.AISBits) != cj.Units || len(ij.MI) != cj.Units || ij.Bins != 1600 {
		t.Errorf("info.json: %d AIS, %d MI rows, %d bins", len(ij.AISBits), len(ij.MI), ij.Bins)
	}
	z, err := npy.ReadNPZ(filepath.Join(out, "connectivity.npz"))
	if err != nil {
		t.Fatal(err)
	}
	n := cj.Units
	te, _ := z["te_bits"].Float64()
	p, _ := z["te_p"].Float64()
	if z["te_bits"].Shape[0] != n || z["te_bits"].Shape[1] != n || len(te) != n*n || len(p) != n*n {
		t.Fatalf("te_bits shape %v", z["te_bits"].Shape)
	}
	if sh := z["ccg_counts"].Shape; len(sh) != 3 || sh[0] != n || sh[2] != 101 {
		t.Errorf("ccg_counts shape %v", sh)
	}
	links, _ := z["links"].Bool()
	found := 0
	for k, l := range links {
		if l != (k/n != k%n && p[k] <= 0.05) {
			t.Fatalf("link %d: %v with p %g", k, l, p[k])
		}
		if l {
			found++
		}
	}
	if found != cj.Links.TE {
		t.Errorf("%d links in the npz, %d in the json", found, cj.Links.TE)
	}

	// The README's Python lines load it (when Debian's NumPy is there).
	if py := "/usr/bin/python3"; exec.Command(py, "-c", "import numpy").Run() == nil {
		script := `import json, numpy as np, sys
c = np.load(sys.argv[1] + "/connectivity.npz")
n = len(c["unit"])
assert c["te_bits"].shape == (n, n) and c["links"].dtype == np.bool_
ccg = c["ccg_counts"] - c["ccg_expected"]
assert ccg.shape == (n, n, 101) and len(c["ccg_lag_ms"]) == 101
g = json.load(open(sys.argv[1] + "/connectivity.json"))["graph"]
info = json.load(open(sys.argv[1] + "/info.json"))
assert np.array(info["mi_bits"]).shape == (n, n) and g["nodes"] == n
print("ok")`
		if b, err := exec.Command(py, "-c", script, out).CombinedOutput(); err != nil || strings.TrimSpace(string(b)) != "ok" {
			t.Errorf("numpy: %v\n%s", err, b)
		}
	}

	// One worker: the same files.
	out1 := filepath.Join(t.TempDir(), "a1")
	if code, _, stderr := bl1(t, "analyze", run, "-o", out1, "-quiet", "-surrogates", "19", "-alpha", "0.05", "-workers", "1"); code != 0 {
		t.Fatalf("1 worker: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(out, "connectivity.npz"))
	b, _ := os.ReadFile(filepath.Join(out1, "connectivity.npz"))
	if !bytes.Equal(a, b) {
		t.Error("connectivity.npz differs between 2 workers and 1")
	}

	// Fewer channels than recorded: a grid subsample.
	outC := filepath.Join(t.TempDir(), "c")
	if code, _, stderr := bl1(t, "analyze", run, "-o", outC, "-quiet", "-surrogates", "9", "-alpha", "0.1", "-max-units", "16"); code != 0 {
		t.Fatalf("16 channels: exit %d: %s", code, stderr)
	}
	var cc ConnectivityJSON
	readJSON(t, filepath.Join(outC, "connectivity.json"), &cc)
	if cc.Of != "channels" || cc.Units != 16 || !strings.Contains(cc.Selection, "4×4 grid") {
		t.Errorf("16 channels: %d %s, %q", cc.Units, cc.Of, cc.Selection)
	}

	// The neurons, checked against the saved synapses.
	outN := filepath.Join(t.TempDir(), "n")
	code, stdout, stderr = bl1(t, "analyze", run, "-o", outN, "-quiet", "-units", "neurons", "-max-units", "30", "-surrogates", "19", "-alpha", "0.05", "-links", "ccg")
	if code != 0 {
		t.Fatalf("neurons: exit %d: %s", code, stderr)
	}
	readJSON(t, filepath.Join(outN, "connectivity.json"), &cj)
	if cj.Of != "neurons" || cj.Units != 30 || cj.Structure == nil || cj.Params.LinksBy != "ccg" || !strings.Contains(cj.Selection, "5×6 grid") {
		t.Errorf("neurons: %+v %+v", cj, cj.Structure)
	}
	if s := cj.Structure; s != nil && s.Links != cj.Links.CCG {
		t.Errorf("structure counts %d links, the graph %d", s.Links, cj.Links.CCG)
	}
	if !strings.Contains(stdout, "against the synapses") {
		t.Errorf("no structure line:\n%s", stdout)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze"}, "one run folder"},
		{[]string{"analyze", t.TempDir()}, "not a run folder"},
		{[]string{"analyze", run, "-units", "electrodes"}, "-units"},
		{[]string{"analyze", run, "-jitter", "7"}, "jitter"},
		{[]string{"analyze", run, "-history", "9"}, "history"},
		{[]string{"analyze", run, "-links", "sttc"}, "links"},
		{[]string{"analyze", run, "-alpha", "2"}, "significance"},
		{[]string{"analyze", run, "-max-units", "1"}, "max-units"},
		{[]string{"analyze", run, "-surrogates", "19"}, "no p-value reaches"},
		{[]string{"analyze", run, "-bogus"}, "bogus"},
	} {
		if code, _, stderr := bl1(t, append(tc.args, "-quiet")...); code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// A run without an MEA is analysed on its neurons; asking for channels is
// an error.
func TestAnalyzeWithoutMEA(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	args := append([]string{"run", "-o", run}, small...)
	args = append(args, "-duration", "2")
	if code, _, stderr := bl1(t, args...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "a")
	if code, stdout, stderr := bl1(t, "analyze", run, "-o", out, "-quiet", "-surrogates", "9", "-alpha", "0.1", "-max-units", "16"); code != 0 || !strings.Contains(stdout, "neurons over 2 s") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	var ij InfoJSON
	readJSON(t, filepath.Join(out, "info.json"), &ij)
	if ij.Of != "neurons" || len(ij.Units) > 16 || math.IsNaN(float64(ij.MeanEntropy)) {
		t.Errorf("info.json: %+v", ij)
	}
	if code, _, stderr := bl1(t, "analyze", run, "-units", "channels", "-quiet"); code != 2 || !strings.Contains(stderr, "no MEA") {
		t.Errorf("channels without an MEA: exit %d, %s", code, stderr)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
