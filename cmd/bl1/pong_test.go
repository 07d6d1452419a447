package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

// smallPong is a quick Pong culture: 1,200 neurons on the array's area.
var smallPong = []string{"-set", "culture.n_neurons=1200", "-set", "culture.substrate_um=[1040, 1040]", "-quiet"}

func TestPongWritesTheSessionFolder(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"pong", "-o", dir, "-duration", "20", "-seed", "2", "-set", "outputs.spikes=true", "-monitor", "127.0.0.1:0"}, smallPong...)
	code, stdout, stderr := bl1(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Pong (fep), 1200 neurons") {
		t.Errorf("stdout: %s", stdout)
	}
	for _, f := range []string{"config.yaml", "pong.npz", "pong.json", "pong_rallies.png", "pong_raster.png", "spikes.npz", "mea_spikes.npz", "mea_stims.npz"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	var res struct {
		Rallies, Hits, Misses int
		MeanRally             *float64 `json:"mean_rally"`
		SensoryPulses         int      `json:"sensory_pulses"`
		MissPulses            int      `json:"unpredictable_pulses"`
		SimS                  float64  `json:"sim_s"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "pong.json"))
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.SimS != 20 || res.Misses == 0 || res.Rallies != res.Misses || res.SensoryPulses == 0 || res.MissPulses == 0 {
		t.Errorf("pong.json: %+v", res)
	}
	f, err := npz.Open(filepath.Join(dir, "pong.npz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var hits []int32
	var start, tick []float64
	var t32 []float32
	if err := f.Read("hits.npy", &hits); err != nil {
		t.Fatal(err)
	}
	if err := f.Read("start_s.npy", &start); err != nil {
		t.Fatal(err)
	}
	if err := f.Read("tick_t_ms.npy", &t32); err != nil {
		t.Fatal(err)
	}
	for _, x := range t32 {
		tick = append(tick, float64(x))
	}
	sum := 0
	for _, h := range hits {
		sum += int(h)
	}
	if len(hits) != res.Rallies || len(start) != res.Rallies || len(tick) != 1000 || math.Abs(tick[999]-20000) > 1e-3 {
		t.Errorf("pong.npz: %d rallies, %d ticks ending at %g ms; want %d rallies, 1000 ticks to 20000", len(hits), len(tick), tick[len(tick)-1], res.Rallies)
	}
	if res.MeanRally == nil || math.Abs(*res.MeanRally-float64(sum)/float64(len(hits))) > 1e-12 {
		t.Errorf("mean rally %v, hits in pong.npz %d over %d rallies", res.MeanRally, sum, len(hits))
	}
}

// The experiment plays every mode with every seed and writes the tests.
func TestPongExperiment(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"pong", "-experiment", "-o", dir, "-duration", "12", "-seeds", "2", "-set", "pong.experiment.window_s=6"}, smallPong...)
	code, stdout, stderr := bl1(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, m := range []string{"fep", "open_loop", "silent"} {
		if !strings.Contains(stdout, "| "+m+": last 6 s vs first 6 s |") {
			t.Errorf("no test of %s in\n%s", m, stdout)
		}
		for _, s := range []string{"seed-01", "seed-02"} {
			if _, err := os.Stat(filepath.Join(dir, m, s, "pong.json")); err != nil {
				t.Errorf("missing %s/%s/pong.json", m, s)
			}
		}
	}
	var res pongExperimentResult
	b, _ := os.ReadFile(filepath.Join(dir, "experiment.json"))
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Sessions) != 6 || len(res.Learning) != 3 || len(res.Between) != 6 {
		t.Errorf("experiment.json: %d sessions, %d learning tests, %d comparisons", len(res.Sessions), len(res.Learning), len(res.Between))
	}
	for _, f := range []string{"experiment.png", "experiment.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
}

func TestPongBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("mea: {layout: cl1}\npong:\n  motor:\n    up: [8, 4]\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"pong", "-mode", "reward"}, "pong.mode = \"reward\""},
		{[]string{"pong", bad}, "bad.yaml:4: pong.motor.up[1] = 4: not a usable electrode"},
		{[]string{"pong", "-set", "pong.sensory.amplitude_ua=5"}, "pong.sensory.amplitude_ua = 5 exceeds the CL1's limit"},
		{[]string{"pong", "default.yaml"}, "default.yaml has no pong section"},
		{[]string{"pong", "-train", "2", "-experiment"}, "separate jobs"},
		{[]string{"pong", "-train", "2", "-lr", "0"}, "-lr"},
		{[]string{"pong", "-seeds", "0", "-experiment"}, "pong.experiment.seeds"},
		{[]string{"pong", "-parallel", "-1", "-experiment"}, "-parallel"},
	} {
		code, _, stderr := bl1(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// Training a policy writes policy.json with the held-out hit rates.
func TestPongTrain(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"pong", "-train", "1", "-train-ticks", "20", "-eval-ticks", "20", "-o", dir}, smallPong...)
	code, stdout, stderr := bl1(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "held-out hit rate") {
		t.Errorf("stdout: %s", stdout)
	}
	var res policyResult
	b, _ := os.ReadFile(filepath.Join(dir, "policy.json"))
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Loss) != 1 || len(res.Params["encoder.M"]) != 16 || len(res.Params["decoder.D"]) != 24 {
		t.Errorf("policy.json: %d losses, %d encoder weights, %d decoder weights", len(res.Loss), len(res.Params["encoder.M"]), len(res.Params["decoder.D"]))
	}
}
