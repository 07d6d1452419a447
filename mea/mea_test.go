package mea

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/sim"
	"github.com/bl1-go/bl1/synapses"
)

// activeCulture: 3,000 neurons at the default density, bursting.
func activeCulture(t testing.TB) *culture.Culture {
	t.Helper()
	s := culture.Default()
	s.N = 3000
	side := 3000 * math.Sqrt(0.3)
	s.Width, s.Height = side, side
	s.PMax, s.GExc = 0.3, 0.07
	c, err := culture.Build(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rigConfig() Config {
	lfp := DefaultLFP
	return Config{Layout: "cl1", Recording: DefaultRecording, LFP: &lfp, CouplingMVPerNC: DefaultCouplingMVPerNC,
		Trains: []Train{{Electrodes: []int{27, 36}, Phases: Biphasic(200, 2), StartMs: 100, Pulses: 5, FrequencyHz: 5}}}
}

// currents tees an LFP: it keeps every sampled synaptic current.
type currents struct {
	*LFP
	cur map[int64][]float32
}

func (c *currents) Sample(step int64, w, lo int, cur []float32) {
	c.LFP.Sample(step, w, lo, cur)
	copy(c.cur[step][lo:], cur)
}

type spikeList struct {
	step []int64
	ids  [][]int32
}

func (s *spikeList) Spikes(step int64, ids []int32) {
	s.step = append(s.step, step)
	s.ids = append(s.ids, slices.Clone(ids))
}

// runRig runs the rig for steps and returns the run folder.
func runRig(t *testing.T, c *culture.Culture, cfg Config, workers int, steps int64, tee bool) (string, *spikeList, *currents, *Rig) {
	t.Helper()
	e, err := sim.New(c, sim.Config{Dt: 0.5, Seed: 7, Workers: workers, DriveMean: 2, DriveStd: 3, Synapses: synapses.Default()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	dir := t.TempDir()
	r, err := New(e, cfg, 42, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	var cur *currents
	if tee {
		cur = &currents{LFP: r.LFP, cur: map[int64][]float32{}}
		for s := int64(0); s < steps; s += r.LFP.Every() {
			cur.cur[s] = make([]float32, c.N())
		}
		e.SetSampler(cur)
	}
	log := &spikeList{}
	if err := e.Run(context.Background(), steps, append(r.Observers(), log)...); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Write(dir, e.Step()); err != nil {
		t.Fatal(err)
	}
	return dir, log, cur, r
}

// The recorded events and LFP are bit-identical with 1, 2 and 4 workers.
func TestRigDeterminism(t *testing.T) {
	c := activeCulture(t)
	var ref [][]byte
	for _, w := range []int{1, 2, 4} {
		dir, log, _, _ := runRig(t, c, rigConfig(), w, 1000, false)
		var files [][]byte
		for _, f := range []string{"mea_spikes.npz", "mea_counts.npz", "lfp.npy", "mea_stims.npz", "mea_layout.npz"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, b)
		}
		var n int
		for _, ids := range log.ids {
			n += len(ids)
		}
		if n < 500 {
			t.Fatalf("only %d spikes: the culture is too quiet for the test", n)
		}
		if ref == nil {
			ref = files
			continue
		}
		for k := range files {
			if !bytes.Equal(files[k], ref[k]) {
				t.Errorf("%d workers: file %d differs from 1 worker's", w, k)
			}
		}
	}
}

// Against references written here: events recomputed from the spikes by
// brute force (distance, amplitude, threshold, dead time, one event per
// step), and the LFP recomputed from the sampled currents in float64.
func TestRigAgainstReference(t *testing.T) {
	c := activeCulture(t)
	cfg := rigConfig()
	cfg.Recording.NoiseUV = 0
	const steps = 1000
	dir, log, cur, r := runRig(t, c, cfg, 2, steps, true)
	z, err := npy.ReadNPZ(filepath.Join(dir, "mea_spikes.npz"))
	if err != nil {
		t.Fatal(err)
	}
	gotT, _ := z["t_ms"].Float64()
	gotCh, _ := z["channel"].Int32()
	l := r.Layout
	p := cfg.Recording
	var wantT []float64
	var wantCh []int32
	last := map[int]int64{}
	for k, step := range log.step {
		for e := range l.Len() {
			if l.Excluded[e] {
				continue
			}
			hit := false
			for _, i := range log.ids[k] {
				d := math.Sqrt(sq(float64(c.X[i])-l.X[e]) + sq(float64(c.Y[i])-l.Y[e]))
				if d < l.DetectRadius && p.AmplitudeUV*p.RefDistUm/math.Max(d, p.SomaUm) >= p.ThresholdUV {
					hit = true
				}
			}
			if lt, ok := last[e]; hit && (!ok || step-lt >= 2) {
				wantT, wantCh = append(wantT, float64(step)*0.5), append(wantCh, int32(e))
				last[e] = step
			}
		}
	}
	if len(wantT) < 50 {
		t.Fatalf("only %d reference events", len(wantT))
	}
	if !slices.Equal(gotT, wantT) || !slices.Equal(gotCh, wantCh) {
		t.Fatalf("%d events, reference %d", len(gotT), len(wantT))
	}

	f, err := os.Open(filepath.Join(dir, "lfp.npy"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := npy.ReadNPY(f)
	if err != nil {
		t.Fatal(err)
	}
	lfp, _ := a.Float32()
	chans := r.Detect.Electrodes
	every := r.LFP.Every()
	if !slices.Equal(a.Shape, []int{int(steps / every), len(chans)}) {
		t.Fatalf("lfp.npy shape %v", a.Shape)
	}
	caps := Capacitances(c, DefaultLFP.IzhCapPF)
	var peak float64
	for s := int64(0); s < steps; s += every {
		row := lfp[int(s/every)*len(chans):]
		for k, e := range chans {
			var want float64
			for i := range c.N() {
				d := math.Sqrt(sq(float64(c.X[i])-l.X[e]) + sq(float64(c.Y[i])-l.Y[e]))
				if d < DefaultLFP.RadiusUm {
					want += Potential([]float64{-caps[i] * float64(cur.cur[s][i])}, []float64{d}, DefaultLFP.Sigma)
				}
			}
			peak = math.Max(peak, math.Abs(want))
			if math.Abs(float64(row[k])-want) > 1e-4*math.Abs(want)+1e-3 {
				t.Fatalf("step %d channel %d: LFP %g µV, reference %g µV", s, e, row[k], want)
			}
		}
	}
	if peak < 1 {
		t.Errorf("LFP peak %g µV: the test saw no activity", peak)
	}
}

func sq(x float64) float64 { return x * x }

// Config errors name the key.
func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		f    func(*Config)
		want string
	}{
		{func(c *Config) { c.Layout = "utah" }, "layout = \"utah\""},
		{func(c *Config) { c.CenterUm = []float64{1} }, "center_um"},
		{func(c *Config) { c.DetectRadiusUm = -5 }, "detection_radius_um"},
		{func(c *Config) { c.ElectrodesUm = [][2]float64{{0, 0}} }, "only a custom layout"},
		{func(c *Config) { c.Layout = "custom" }, "at least one electrode"},
		{func(c *Config) { c.Routing = Routing{Select: "list", Electrodes: []int{0}} }, "grounded"},
		{func(c *Config) { c.Recording.ThresholdUV = -1 }, "recording.threshold_uv"},
		{func(c *Config) { c.LFP.SampleHz = 5000 }, "lfp.sample_hz"},
		{func(c *Config) { c.Trains[0].Phases = Biphasic(200, 4) }, "stimulation.trains[0].phases[0]: current -4 µA exceeds"},
		{func(c *Config) { c.Trains[0].Electrodes = []int{63} }, "stimulation.trains[0].channels[0] = 63"},
		{func(c *Config) { c.Trains[0].FrequencyHz = 500 }, "stimulation.trains[0].frequency_hz"},
		{func(c *Config) { c.CouplingMVPerNC = math.NaN() }, "coupling_mv_per_nc"},
	} {
		cfg := rigConfig()
		lfp := *cfg.LFP
		cfg.LFP = &lfp
		cfg.Trains = slices.Clone(cfg.Trains)
		c.f(&cfg)
		err := cfg.Validate(1500, 1500, 0.5)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	if err := rigConfig().Validate(1500, 1500, 0.5); err != nil {
		t.Errorf("valid config: %v", err)
	}
}
