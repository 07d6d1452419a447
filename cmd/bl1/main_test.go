package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/output"
)

// TestMain lets the test binary act as bl1 when re-executed (bench runs
// each size in a child process).
func TestMain(m *testing.M) {
	if os.Getenv("BL1_TEST_AS_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func bl1(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(args, &o, &e)
	return code, o.String(), e.String()
}

// small is a quick culture for end-to-end runs.
var small = []string{"-set", "culture.n_neurons=600", "-set", "culture.substrate_um=[735, 735]", "-duration", "0.2", "-quiet"}

func readSummary(t *testing.T, dir string) output.Summary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s output.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRunWritesTheRunFolder(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"run", "-o", dir, "-save-connectivity", "-seed", "3", "-set", "outputs.probes=[0, 5]"}, small...)
	code, stdout, stderr := bl1(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "done: 600 neurons") {
		t.Fatalf("stdout: %s", stdout)
	}
	for _, f := range []string{"config.yaml", "spikes.npz", "neurons.npz", "rate.npz", "probes.npz", "synapses.npz", "summary.json", "raster.png", "rate.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	s := readSummary(t, dir)
	if s.NNeurons != 600 || s.Seed != 3 || s.Partial || s.Steps != 400 || s.SimS != 0.2 || s.Version == "" || s.Workers < 1 ||
		!(s.RealtimeFactor > 0) || !(s.WallS > 0) || s.Plasticity != nil {
		t.Fatalf("summary %+v", s)
	}
	// The resolved config reloads and reproduces the run's settings.
	cfg, err := configs.Load(filepath.Join(dir, "config.yaml"), nil)
	if err != nil || cfg.Culture.NNeurons != 600 || cfg.Simulation.Seed != 3 {
		t.Fatalf("config.yaml: %v", err)
	}
	r, err := npz.Open(filepath.Join(dir, "spikes.npz"))
	if err != nil {
		t.Fatal(err)
	}
	var tms []float64
	var ids []int32
	r.Read("t_ms.npy", &tms)
	r.Read("neuron.npy", &ids)
	r.Close()
	if int64(len(tms)) != s.NSpikes || len(ids) != len(tms) {
		t.Fatalf("spikes.npz holds %d spikes, summary says %d", len(tms), s.NSpikes)
	}
	if !slices.IsSorted(tms) {
		t.Fatal("spikes are not sorted by time")
	}
	r, _ = npz.Open(filepath.Join(dir, "synapses.npz"))
	var pre, post []int32
	var exc []bool
	r.Read("pre.npy", &pre)
	r.Read("post.npy", &post)
	r.Read("excitatory.npy", &exc)
	r.Close()
	if len(pre) != s.NSynapses || len(post) != s.NSynapses || len(exc) != s.NSynapses {
		t.Fatalf("synapses.npz: %d/%d/%d entries, summary %d", len(pre), len(post), len(exc), s.NSynapses)
	}
	r, _ = npz.Open(filepath.Join(dir, "probes.npz"))
	if h := r.Header("v_mv.npy"); h == nil || !slices.Equal(h.Descr.Shape, []int{400, 2}) {
		t.Fatalf("probes v_mv header %+v", h)
	}
	r.Close()
	// The same seed gives the same spikes; workers do not matter.
	dir2 := t.TempDir()
	args = append([]string{"run", "-o", dir2, "-seed", "3", "-workers", "3"}, small...)
	if code, _, stderr := bl1(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "spikes.npz"))
	b, _ := os.ReadFile(filepath.Join(dir2, "spikes.npz"))
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, different workers: spikes.npz differs")
	}
}

// Flags may follow the config (bl1 run my.yaml -o out).
func TestRunConfigFileThenFlags(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "my.yaml")
	os.WriteFile(cfg, []byte("culture:\n  n_neurons: 300\n  substrate_um: [520, 520]\noutputs:\n  plots: false\n"), 0o644)
	out := filepath.Join(dir, "out")
	code, _, stderr := bl1(t, "run", cfg, "-o", out, "-duration", "0.1", "-quiet")
	if code != 0 {
		t.Fatal(stderr)
	}
	if s := readSummary(t, out); s.NNeurons != 300 || s.Config != cfg {
		t.Fatalf("summary %+v", s)
	}
	if _, err := os.Stat(filepath.Join(out, "raster.png")); err == nil {
		t.Fatal("plots: false still wrote raster.png")
	}
}

// Bad input exits with status 2, a message naming what is wrong, and no
// files that look like a finished run.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	os.WriteFile(file, nil, 0o644)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("culture:\n  n_neuron: 5\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "-bogus"}, "-bogus"},
		{[]string{"run", bad}, "bad.yaml:2: culture.n_neuron: unknown key"},
		{[]string{"run", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"run", "-set", "culture.p_max=2"}, "culture.p_max"},
		{[]string{"run", "-set", "nonsense"}, "key=value"},
		{[]string{"run", "-seed", "abc"}, "-seed"},
		{[]string{"run", "-duration", "-1"}, "simulation.duration_s"},
		{[]string{"run", "a.yaml", "b.yaml"}, "at most one config"},
		{[]string{"run", "-o", filepath.Join(file, "sub")}, "output folder"},
		{[]string{"nosuch"}, "unknown command"},
		{[]string{"config", "nope.yaml"}, "no embedded config"},
		{[]string{"bench", "-sizes", "10,x"}, "-sizes"},
		{[]string{}, "usage"},
	} {
		code, _, stderr := bl1(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.json")); err == nil {
		t.Fatal("bad input left a summary")
	}
}

// An interrupted run keeps what was simulated and says it is partial.
func TestInterruptedRunIsPartial(t *testing.T) {
	dir := t.TempDir()
	cfg, err := configs.Load("default.yaml", []string{"culture.n_neurons=600", "culture.substrate_um=[735, 735]", "simulation.duration_s=100"})
	if err != nil {
		t.Fatal(err)
	}
	if err := prepareDir(dir); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelAfter{n: 5, cancel: cancel}
	sum, err := Simulate(ctx, cfg, Options{Name: "default.yaml", Dir: dir, Progress: w})
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("err = %v, want an interruption", err)
	}
	if sum == nil || !sum.Partial || sum.Error != "interrupted" || sum.SimS <= 0 || sum.SimS >= 100 {
		t.Fatalf("summary %+v", sum)
	}
	s := readSummary(t, dir)
	if !s.Partial || s.Steps != sum.Steps {
		t.Fatalf("summary.json %+v", s)
	}
	r, err := npz.Open(filepath.Join(dir, "spikes.npz"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var tms []float64
	r.Read("t_ms.npy", &tms)
	if int64(len(tms)) != s.NSpikes || len(tms) > 0 && tms[len(tms)-1] >= s.SimS*1000 {
		t.Fatalf("%d spikes up to %v ms for %g s simulated", len(tms), tms[len(tms)-1], s.SimS)
	}
}

// cancelAfter cancels after n progress lines: the run is well under way.
type cancelAfter struct {
	n      int
	cancel func()
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	if bytes.HasPrefix(p, []byte("t = ")) {
		if c.n--; c.n <= 0 {
			c.cancel()
		}
	}
	return len(p), nil
}

// A new run in an old folder removes the old run's files first.
func TestRerunRemovesStaleFiles(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"run", "-o", dir, "-save-connectivity"}, small...)
	if code, _, stderr := bl1(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	args = append([]string{"run", "-o", dir}, small...)
	if code, _, stderr := bl1(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "synapses.npz")); err == nil {
		t.Fatal("stale synapses.npz kept")
	}
}

func TestSmallCommands(t *testing.T) {
	if code, out, _ := bl1(t, "configs"); code != 0 || !strings.Contains(out, "default.yaml") || !strings.Contains(out, "culture_100k.yaml") {
		t.Fatalf("configs: %d %q", code, out)
	}
	code, out, _ := bl1(t, "config", "default.yaml")
	want, _ := configs.Embedded("default.yaml")
	if code != 0 || out != string(want) {
		t.Fatal("config default.yaml does not print the embedded file")
	}
	if code, out, _ := bl1(t, "version"); code != 0 || !strings.HasPrefix(out, "bl1 "+output.Version) {
		t.Fatalf("version: %q", out)
	}
	if code, _, _ := bl1(t, "run", "-h"); code != 0 {
		t.Fatalf("run -h exit %d", code)
	}
}

func TestBench(t *testing.T) {
	t.Setenv("BL1_TEST_AS_MAIN", "1")
	out := filepath.Join(t.TempDir(), "bench.json")
	code, stdout, stderr := bl1(t, "bench", "-sizes", "500,1000", "-duration", "0.05", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "realtime x") || !strings.Contains(stdout, "1000") {
		t.Fatalf("table: %s", stdout)
	}
	var res struct{ Results []BenchResult }
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &res); err != nil || len(res.Results) != 2 {
		t.Fatalf("bench.json: %v %s", err, b)
	}
	for _, r := range res.Results {
		if r.RealtimeFactor <= 0 || r.PeakRSSMB <= 0 || r.SynapsesPerNeuron <= 0 || r.NsPerNeuronStep <= 0 {
			t.Fatalf("row %+v", r)
		}
	}
}

func readSpikes(t *testing.T, path string) ([]float64, []int32) {
	t.Helper()
	r, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var tms []float64
	var ids []int32
	if err := r.Read("t_ms.npy", &tms); err != nil {
		t.Fatal(err)
	}
	if err := r.Read("neuron.npy", &ids); err != nil {
		t.Fatal(err)
	}
	return tms, ids
}

// Plasticity from the config, weight snapshots, checkpoints and -resume: a
// run stopped at 0.5 s and resumed to 1 s gives the spikes and final
// weights of an uninterrupted 1 s run.
func TestPlasticRunCheckpointResume(t *testing.T) {
	plastic := []string{"-quiet", "-set", "culture.n_neurons=600", "-set", "culture.substrate_um=[735, 735]",
		"-set", "plasticity.stp.enabled=true", "-set", "plasticity.stdp.enabled=true",
		"-set", "plasticity.homeostasis.enabled=true", "-set", "plasticity.homeostasis.tau_scaling_s=2",
		"-set", "plasticity.structural.enabled=true", "-set", "plasticity.structural.interval_s=0.2",
		"-set", "plasticity.structural.growth_per_s=5", "-save-connectivity"}
	root := t.TempDir()
	whole, first, second := filepath.Join(root, "whole"), filepath.Join(root, "first"), filepath.Join(root, "second")
	args := append([]string{"run", "-o", whole, "-duration", "1", "-set", "outputs.weights_every_s=0.25"}, plastic...)
	if code, _, stderr := bl1(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	for k := range 5 {
		if _, err := os.Stat(filepath.Join(whole, fmt.Sprintf("weights_%04d.npz", k))); err != nil {
			t.Fatalf("snapshot %d: %v", k, err)
		}
	}
	if _, err := os.Stat(filepath.Join(whole, "weights.png")); err != nil {
		t.Fatal(err)
	}
	s := readSummary(t, whole)
	if s.Plasticity == nil || len(s.Plasticity.Rules) != 4 || s.Plasticity.Grown == 0 || s.Plasticity.Synapses == s.NSynapses {
		t.Fatalf("plasticity summary %+v", s.Plasticity)
	}
	r, _ := npz.Open(filepath.Join(whole, "weights_0004.npz"))
	var tm []float64
	var eff []float32
	r.Read("t_ms.npy", &tm)
	r.Read("effective_weight.npy", &eff)
	r.Close()
	if len(tm) != 1 || tm[0] != 1000 || len(eff) != s.Plasticity.Synapses {
		t.Fatalf("last snapshot at %v ms with %d weights", tm, len(eff))
	}

	args = append([]string{"run", "-o", first, "-duration", "0.5", "-checkpoint-every", "0.5"}, plastic...)
	if code, _, stderr := bl1(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	ckpt := filepath.Join(first, "checkpoint.npz")
	code, _, stderr := bl1(t, "run", "-resume", ckpt, "-o", second, "-duration", "1", "-quiet", "-workers", "1")
	if code != 0 {
		t.Fatal(stderr)
	}
	wt, wi := readSpikes(t, filepath.Join(whole, "spikes.npz"))
	ft, fi := readSpikes(t, filepath.Join(first, "spikes.npz"))
	st, si := readSpikes(t, filepath.Join(second, "spikes.npz"))
	if !slices.Equal(append(ft, st...), wt) || !slices.Equal(append(fi, si...), wi) {
		t.Fatalf("first %d + resumed %d spikes != uninterrupted %d", len(ft), len(st), len(wt))
	}
	a, _ := os.ReadFile(filepath.Join(whole, "synapses.npz"))
	b, _ := os.ReadFile(filepath.Join(second, "synapses.npz"))
	if !bytes.Equal(a, b) {
		t.Fatal("final synapses differ after resume")
	}
	sum := readSummary(t, second)
	if sum.StartS != 0.5 || sum.SimS != 0.5 || sum.ResumedFrom != ckpt {
		t.Fatalf("resumed summary %+v", sum)
	}
	// -resume refuses a config file, culture changes and a finished run.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "-resume", ckpt, "my.yaml"}, "do not also give"},
		{[]string{"run", "-resume", ckpt, "-set", "culture.p_max=0.2"}, "may not change the culture"},
		{[]string{"run", "-resume", ckpt, "-duration", "0.4", "-o", filepath.Join(root, "x")}, "raise -duration"},
		{[]string{"run", "-resume", filepath.Join(root, "nope.npz")}, "-resume"},
	} {
		code, _, stderr := bl1(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// readNPY reads one array of an npz.
func readNPZArray[T any](t *testing.T, path, name string) []T {
	t.Helper()
	r, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var x []T
	if err := r.Read(name+".npy", &x); err != nil {
		t.Fatalf("%s %s: %v", path, name, err)
	}
	return x
}

// The embedded CL1 stimulation config, on a smaller culture: every MEA
// output is written and consistent, and a run resumed from a checkpoint
// continues the pulse train and records what an uninterrupted run does.
func TestMEARun(t *testing.T) {
	mea := []string{"-quiet", "-set", "culture.n_neurons=2000", "-set", "culture.substrate_um=[1342, 1342]",
		"-set", "mea.recording.dead_time_ms=0",
		"-set", "mea.stimulation.trains=[{channels: [27, 28], start_s: 0.2, frequency_hz: 5, pulses: 4, amplitude_ua: 2, width_us: 200}]"}
	root := t.TempDir()
	whole := filepath.Join(root, "whole")
	args := append([]string{"run", "cl1_stim.yaml", "-o", whole, "-duration", "1"}, mea...)
	if code, _, stderr := bl1(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"mea_heatmap.png", "mea_raster.png", "lfp.npy"} {
		if _, err := os.Stat(filepath.Join(whole, f)); err != nil {
			t.Error(err)
		}
	}
	s := readSummary(t, whole)
	m := s.MEA
	if m == nil || m.Layout != "cl1" || m.Recorded != 59 || m.Pulses != 8 || m.LFPSamples != 1000 || m.Events == 0 {
		t.Fatalf("mea summary %+v", m)
	}
	lay := filepath.Join(whole, "mea_layout.npz")
	if ch := readNPZArray[int32](t, lay, "channel"); len(ch) != 64 || ch[63] != 63 {
		t.Errorf("layout channels %v", ch)
	}
	rec := readNPZArray[bool](t, lay, "recorded")
	if x := readNPZArray[float64](t, lay, "x_um"); x[1]-x[0] != 200 {
		t.Errorf("pitch %g", x[1]-x[0])
	}
	ev := filepath.Join(whole, "mea_spikes.npz")
	ch := readNPZArray[int32](t, ev, "channel")
	if int64(len(ch)) != m.Events {
		t.Errorf("%d events in the file, %d in the summary", len(ch), m.Events)
	}
	for _, c := range ch {
		if !rec[c] {
			t.Fatalf("event on channel %d, which does not record", c)
		}
	}
	st := readNPZArray[float64](t, filepath.Join(whole, "mea_stims.npz"), "t_ms")
	if !slices.Equal(st, []float64{200, 200, 400, 400, 600, 600, 800, 800}) {
		t.Errorf("stimulation times %v", st)
	}
	counts := readNPZArray[int32](t, filepath.Join(whole, "mea_counts.npz"), "counts")
	var total int
	for _, c := range counts {
		total += int(c)
	}
	if len(counts) != 10*59 || int64(total) != m.Events {
		t.Errorf("counts: %d values summing to %d, want 590 summing to %d", len(counts), total, m.Events)
	}

	first, second := filepath.Join(root, "first"), filepath.Join(root, "second")
	args = append([]string{"run", "cl1_stim.yaml", "-o", first, "-duration", "0.5", "-checkpoint-every", "0.5"}, mea...)
	if code, _, stderr := bl1(t, args...); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := bl1(t, "run", "-resume", filepath.Join(first, "checkpoint.npz"), "-o", second, "-duration", "1", "-quiet"); code != 0 {
		t.Fatal(stderr)
	}
	resumed := func(name string) bool {
		w := readNPZArray[int32](t, ev, name)
		a := readNPZArray[int32](t, filepath.Join(first, "mea_spikes.npz"), name)
		b := readNPZArray[int32](t, filepath.Join(second, "mea_spikes.npz"), name)
		return slices.Equal(append(a, b...), w)
	}
	if !resumed("channel") || !resumed("neuron") {
		t.Error("the resumed run's events differ from the uninterrupted run's")
	}
	a := readNPZArray[float64](t, filepath.Join(first, "mea_stims.npz"), "t_ms")
	b := readNPZArray[float64](t, filepath.Join(second, "mea_stims.npz"), "t_ms")
	if !slices.Equal(append(a, b...), st) {
		t.Errorf("pulses %v then %v", a, b)
	}

	for _, tc := range []struct {
		set, want string
	}{
		{"mea.layout=utah", "mea.layout = \"utah\""},
		{"mea.stimulation.trains=[{channels: [27], amplitude_ua: 4}]", "mea.stimulation.trains[0].phases[0]: current -4 µA exceeds the CL1's limit of 3 µA"},
		{"mea.stimulation.trains=[{channels: [4], amplitude_ua: 1}]", "channel 4 is the CL1's reference"},
		{"mea.stimulation.trains=[{channels: [27], amplitude_ua: 1, pulses: 3, frequency_hz: 300}]", "limit of 200 Hz"},
		{"mea.stimulation.trains=[{channels: [27], amplitude_ua: 1, width_us: 30}]", "multiple of 20 µs"},
		{"mea.stimulation.trains=[{channels: [27]}]", "needs amplitude_ua"},
		{"mea.stimulation.trains=[{channels: [27], amplitude_ua: 1, amplitud: 3}]", "unknown key \"amplitud\""},
		{"mea.routing={select: list, electrodes: [0]}", "mea.routing.electrodes[0] = 0: channel 0 is grounded"},
		{"mea.lfp.sample_hz=0", "mea.lfp.sample_hz"},
	} {
		code, _, stderr := bl1(t, "run", "cl1_stim.yaml", "-o", filepath.Join(root, "bad"), "-set", tc.set)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("-set %s: exit %d, %q; want 2 and %q", tc.set, code, stderr, tc.want)
		}
	}
}
