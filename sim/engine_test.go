package sim

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/synapses"
)

// spikeLog records every spike as (step, neuron).
type spikeLog struct{ steps, ids []int64 }

func (l *spikeLog) Spikes(step int64, ids []int32) {
	for _, i := range ids {
		l.steps = append(l.steps, step)
		l.ids = append(l.ids, int64(i))
	}
}

// testCulture is a small active culture: 3,000 neurons at the default
// density (the default culture scaled to 3000 / 10000 of its area).
func testCulture(t testing.TB, seed uint64) *culture.Culture {
	t.Helper()
	s := culture.Default()
	s.N = 3000
	side := 3000 * math.Sqrt(0.3)
	s.Width, s.Height = side, side
	s.GExc = 0.1
	s.Seed = seed
	c, err := culture.Build(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testConfig(workers int) Config {
	return Config{Dt: 0.5, Seed: 7, Workers: workers, DriveMean: 1, DriveStd: 3, Synapses: synapses.Default()}
}

func run(t testing.TB, c *culture.Culture, cfg Config, steps int64) *spikeLog {
	t.Helper()
	e, err := New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	l := &spikeLog{}
	if err := e.Run(context.Background(), steps, l); err != nil {
		t.Fatal(err)
	}
	return l
}

// The same config and seed give bit-identical spikes with 1, 2 and 4
// workers (and with a step count that is not a multiple of the chunk).
func TestDeterministicAcrossWorkers(t *testing.T) {
	c := testCulture(t, 1)
	const steps = 2*chunk*5 + 17 // 0.33 s
	for _, integ := range []models.Integrator{models.ForwardEuler, models.ExponentialEuler} {
		cfg := func(w int) Config {
			c := testConfig(w)
			c.Integrator = integ
			return c
		}
		ref := run(t, c, cfg(1), steps)
		if len(ref.ids) < 1000 {
			t.Fatalf("%v: only %d spikes: the test culture should be active", integ, len(ref.ids))
		}
		for _, w := range []int{2, 3, 4} {
			got := run(t, c, cfg(w), steps)
			if !slices.Equal(got.steps, ref.steps) || !slices.Equal(got.ids, ref.ids) {
				t.Fatalf("%v, %d workers: %d spikes differ from 1 worker's %d", integ, w, len(got.ids), len(ref.ids))
			}
		}
		// A different drive seed gives different spikes.
		other := cfg(2)
		other.Seed = 8
		if o := run(t, c, other, steps); slices.Equal(o.ids, ref.ids) {
			t.Fatalf("%v: seed does not change the spikes", integ)
		}
	}
}

// Spikes are reported in time order and ascending within a step.
func TestSpikeOrder(t *testing.T) {
	l := run(t, testCulture(t, 2), testConfig(2), 500)
	for k := 1; k < len(l.ids); k++ {
		if l.steps[k] < l.steps[k-1] || l.steps[k] == l.steps[k-1] && l.ids[k] <= l.ids[k-1] {
			t.Fatalf("spike %d (%d, %d) after (%d, %d)", k, l.steps[k], l.ids[k], l.steps[k-1], l.ids[k-1])
		}
	}
}

// counter is an allocation-free observer.
type counter struct{ n int }

func (c *counter) Spikes(_ int64, ids []int32) { c.n += len(ids) }

func TestZeroAllocsPerStep(t *testing.T) {
	c := testCulture(t, 3)
	for _, w := range []int{1, 2} {
		cfg := testConfig(w)
		cfg.Integrator = models.Integrator(w - 1) // forward Euler with 1 worker, exponential with 2
		e, err := New(c, cfg)
		if err != nil {
			t.Fatal(err)
		}
		cnt := &counter{}
		ctx := context.Background()
		if err := e.Run(ctx, 2000, cnt); err != nil { // grow buffers to steady state
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(20, func() {
			if err := e.Run(ctx, chunk, cnt); err != nil {
				t.Fatal(err)
			}
		})
		e.Close()
		if allocs != 0 {
			t.Errorf("%d workers: %.1f allocations per %d steps, want 0", w, allocs, chunk)
		}
	}
}

// pair builds a two-neuron culture: neuron 0 (type pre) projects to neuron
// 1 (type post) with weight w and a delay of delayMs.
func pair(t *testing.T, pre, post string, w, delayMs float32) *culture.Culture {
	t.Helper()
	tp, _ := models.Builtin(pre)
	tq, _ := models.Builtin(post)
	types := []models.Type{tp, tq}
	return &culture.Culture{
		Spec: culture.Default(),
		X:    []float32{0, 100}, Y: []float32{0, 0}, Z: []float32{0, 0},
		Type: []uint8{0, 1}, Types: types, Excitatory: []bool{tp.Excitatory, tq.Excitatory}, NIzh: 2,
		RowPtr: []int64{0, 1, 1}, Post: []int32{1}, Weight: []float32{w}, DelayMs: []float32{delayMs},
	}
}

// kick injects a large current into one neuron at one step.
type kick struct {
	neuron int
	step   int64
	amount float32
}

func (k kick) Inject(step int64, lo int, dst []float32) {
	if step == k.step && k.neuron >= lo && k.neuron < lo+len(dst) {
		dst[k.neuron-lo] += k.amount
	}
}

// A spike at step t reaches its target's conductances at step t + delay
// (whole steps of dt), in the receptor channels of the presynaptic type.
func TestDelayAndDale(t *testing.T) {
	for _, tc := range []struct {
		pre     string
		delayMs float32
		dt      float64
		steps   int64 // expected delay in steps: round(delay/dt)
	}{
		{"RS", 1.0, 0.5, 2}, {"RS", 3.4, 0.5, 7}, {"FS", 2.0, 0.1, 20}, {"LTS", 0.1, 0.5, 1},
	} {
		c := pair(t, tc.pre, "RS", 0.5, tc.delayMs)
		cfg := Config{Dt: tc.dt, Seed: 1, Workers: 1, Synapses: synapses.Default()}
		e, err := New(c, cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.SetInput(kick{neuron: 0, step: 10, amount: 1e4})
		l := &spikeLog{}
		if err := e.Run(context.Background(), 11, l); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(l.ids, []int64{0}) || l.steps[0] != 10 {
			t.Fatalf("%s: spikes %v at %v, want neuron 0 at step 10", tc.pre, l.ids, l.steps)
		}
		exc := c.Excitatory[0]
		for k := int64(1); k <= tc.steps; k++ {
			if err := e.Run(context.Background(), 1); err != nil {
				t.Fatal(err)
			}
			// After Run, steps [0, 11+k) are done; the arrival step is 10+delay.
			arrived := e.Syn.AMPA[1] > 0 || e.Syn.GABAA[1] > 0
			if want := 10+k >= 10+tc.steps; arrived != want {
				t.Fatalf("%s delay %g ms at dt %g: arrived=%v after step %d, want arrival at step %d",
					tc.pre, tc.delayMs, tc.dt, arrived, 10+k, 10+tc.steps)
			}
		}
		if exc != (e.Syn.AMPA[1] > 0) || exc == (e.Syn.GABAA[1] > 0) {
			t.Fatalf("%s (excitatory=%v) drove AMPA %g, GABA_A %g", tc.pre, exc, e.Syn.AMPA[1], e.Syn.GABAA[1])
		}
		// The arrival adds (1 - fraction)·w to the fast receptor.
		p := synapses.Default()
		want := float32(0.5 * (1 - p.NMDAFraction))
		got := e.Syn.AMPA[1]
		if !exc {
			want, got = float32(0.5*(1-p.GABABFraction)), e.Syn.GABAA[1]
		}
		if math.Abs(float64(got-want)) > 1e-6 {
			t.Fatalf("%s: fast conductance %g at arrival, want %g", tc.pre, got, want)
		}
		e.Close()
	}
}

// poison injects NaN into one neuron at one step.
type poison struct {
	neuron int
	step   int64
}

func (p poison) Inject(step int64, lo int, dst []float32) {
	if step == p.step && p.neuron >= lo && p.neuron < lo+len(dst) {
		dst[p.neuron-lo] = float32(math.NaN())
	}
}

func TestNonFiniteStopsTheRun(t *testing.T) {
	c := testCulture(t, 4)
	for _, w := range []int{1, 2} {
		e, err := New(c, testConfig(w))
		if err != nil {
			t.Fatal(err)
		}
		e.SetInput(poison{neuron: 2345, step: 150})
		l := &spikeLog{}
		err = e.Run(context.Background(), 1000, l)
		var fe *FaultError
		if !errors.As(err, &fe) {
			t.Fatalf("%d workers: err = %v, want a FaultError", w, err)
		}
		if fe.Neuron != 2345 || fe.Step != 150 || fe.TimeMs != 75 {
			t.Fatalf("%d workers: fault %+v, want neuron 2345 at step 150", w, fe)
		}
		if len(l.steps) > 0 && l.steps[len(l.steps)-1] >= 150 {
			t.Fatalf("spikes reported after the fault (step %d)", l.steps[len(l.steps)-1])
		}
		e.Close()
	}
}

// A neuron without synapses driven by the engine follows the model exactly:
// the engine adds nothing but the drive.
func TestSingleNeuronMatchesModel(t *testing.T) {
	rs, _ := models.Builtin("RS")
	c := &culture.Culture{Spec: culture.Default(), X: []float32{0}, Y: []float32{0}, Z: []float32{0},
		Type: []uint8{0}, Types: []models.Type{rs}, Excitatory: []bool{true}, NIzh: 1,
		RowPtr: []int64{0, 0}}
	cfg := Config{Dt: 0.5, Workers: 1, DriveMean: 10, Synapses: synapses.Default()}
	e, err := New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := &spikeLog{}
	if err := e.Run(context.Background(), 2000, l); err != nil {
		t.Fatal(err)
	}
	p := c.Population(0.5)
	cur := []float32{10}
	var want []int64
	for k := range int64(2000) {
		var s []int32
		s, _ = p.Step(0, 1, cur, nil, s)
		if len(s) > 0 {
			want = append(want, k)
		}
	}
	if !slices.Equal(l.steps, want) || len(want) < 5 {
		t.Fatalf("engine spikes at %v, model alone at %v", l.steps, want)
	}
}

// Probes report the potential at the start of every step.
func TestProbes(t *testing.T) {
	c := testCulture(t, 5)
	e, err := New(c, testConfig(2))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ids := []int32{0, 1499, 2999}
	if err := e.SetProbes(ids); err != nil {
		t.Fatal(err)
	}
	pr := &probeLog{}
	for k := range int64(300) {
		want := make([]float32, len(ids))
		for i, id := range ids {
			want[i] = e.Pop.V[id]
		}
		if err := e.Run(context.Background(), 1, pr); err != nil {
			t.Fatal(err)
		}
		if pr.step != k || !slices.Equal(pr.v, want) {
			t.Fatalf("step %d: probes %v at step %d, want %v", k, pr.v, pr.step, want)
		}
	}
	if err := e.SetProbes([]int32{3000}); err == nil {
		t.Fatal("probe outside the culture accepted")
	}
}

type probeLog struct {
	step int64
	v    []float32
}

func (p *probeLog) Spikes(int64, []int32) {}
func (p *probeLog) Potentials(step int64, v []float32) {
	p.step = step
	p.v = slices.Clone(v)
}

func TestCancel(t *testing.T) {
	c := testCulture(t, 6)
	e, err := New(c, testConfig(2))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx, cancel := context.WithCancel(context.Background())
	stopAt := &cancelAt{step: 3*chunk + 5, cancel: cancel}
	err = e.Run(ctx, 100*chunk, stopAt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if e.Step() != 4*chunk {
		t.Fatalf("stopped at step %d, want the end of the chunk, %d", e.Step(), 4*chunk)
	}
}

type cancelAt struct {
	step   int64
	cancel func()
}

func (c *cancelAt) Spikes(step int64, _ []int32) {
	if step == c.step {
		c.cancel()
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.Dt = 0 }, "simulation.dt_ms"},
		{func(c *Config) { c.Dt = 2 }, "simulation.dt_ms"},
		{func(c *Config) { c.Workers = -1 }, "simulation.workers"},
		{func(c *Config) { c.DriveStd = -1 }, "drive.std"},
		{func(c *Config) { c.DriveMean = math.Inf(1) }, "drive.mean"},
		{func(c *Config) { c.Synapses.NMDAFraction = 2 }, "synapses.nmda_fraction"},
	} {
		cfg := testConfig(1)
		tc.mod(&cfg)
		err := cfg.Validate()
		if err == nil || len(err.Error()) < len(tc.want) || err.Error()[:len(tc.want)] != tc.want {
			t.Errorf("error %v, want it to start with %q", err, tc.want)
		}
	}
	if err := testConfig(0).Validate(); err != nil {
		t.Fatal(err)
	}
}

// A hybrid culture (Izhikevich and AdEx neurons wired together) runs in the
// engine: both kinds fire, AdEx neurons respond to synaptic input, and the
// spikes are the same for any worker count.
func TestHybridCulture(t *testing.T) {
	s := culture.Default()
	s.N = 3000
	side := 3000 * math.Sqrt(0.3)
	s.Width, s.Height = side, side
	s.GExc = 0.1
	var shares []culture.Share
	for _, x := range []struct {
		name string
		f    float64
	}{{"RS", 0.5}, {"AdEx_RS", 0.3}, {"FS", 0.1}, {"AdEx_irregular", 0.1}} {
		ty, _ := models.Builtin(x.name)
		shares = append(shares, culture.Share{Type: ty, Fraction: x.f})
	}
	s.Types = shares
	c, err := culture.Build(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.NIzh != 1800 {
		t.Fatalf("NIzh = %d, want 1800 (RS + FS)", c.NIzh)
	}
	ref := run(t, c, testConfig(1), 1000)
	var izh, adex int
	for _, id := range ref.ids {
		if int(id) < c.NIzh {
			izh++
		} else {
			adex++
		}
	}
	if izh == 0 || adex == 0 {
		t.Fatalf("%d Izhikevich and %d AdEx spikes: both kinds should fire", izh, adex)
	}
	for _, w := range []int{2, 4} {
		got := run(t, c, testConfig(w), 1000)
		if !slices.Equal(got.steps, ref.steps) || !slices.Equal(got.ids, ref.ids) {
			t.Fatalf("%d workers: hybrid spikes differ", w)
		}
	}
}
