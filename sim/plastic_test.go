package sim

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/rng"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/synapses"
)

type edge struct {
	pre, post int
	w, delay  float32
}

// hand builds a culture of the given built-in types with the given
// synapses (sorted by pre, then post).
func hand(t *testing.T, types []string, edges []edge) *culture.Culture {
	t.Helper()
	c := &culture.Culture{Spec: culture.Default()}
	idx := map[string]uint8{}
	for i, name := range types {
		ty, ok := models.Builtin(name)
		if !ok {
			t.Fatalf("no type %s", name)
		}
		if _, ok := idx[name]; !ok {
			idx[name] = uint8(len(c.Types))
			c.Types = append(c.Types, ty)
		}
		c.X, c.Y, c.Z = append(c.X, float32(10*i)), append(c.Y, 0), append(c.Z, 0)
		c.Type = append(c.Type, idx[name])
		c.Excitatory = append(c.Excitatory, ty.Excitatory)
		c.NIzh++
	}
	c.RowPtr = make([]int64, len(types)+1)
	for _, e := range edges {
		c.RowPtr[e.pre+1]++
		c.Post = append(c.Post, int32(e.post))
		c.Weight = append(c.Weight, e.w)
		c.DelayMs = append(c.DelayMs, e.delay)
	}
	for i := range types {
		c.RowPtr[i+1] += c.RowPtr[i]
	}
	return c
}

// kicks makes chosen neurons spike at chosen steps (a large current for one
// step) and nothing else.
type kicks map[int64][]int

func (k kicks) Inject(step int64, lo int, dst []float32) {
	for _, i := range k[step] {
		if i >= lo && i < lo+len(dst) {
			dst[i-lo] += 1e4
		}
	}
}

func quietConfig(workers int, r plasticity.Rules) Config {
	return Config{Dt: 0.5, Seed: 1, Workers: workers, Synapses: synapses.Default(), Plasticity: r}
}

// STP in the engine: each arrival adds the weight times the released
// fraction of plasticity.STP, per target population when a projection is
// overridden.
func TestSTPInEngine(t *testing.T) {
	eToI := plasticity.STP{U: 0.2, TauRec: 50, TauFac: 300}
	rule := &plasticity.STPRule{Exc: plasticity.DefaultSTPExc, Inh: plasticity.DefaultSTPInh}
	rule.Override[0][1] = &eToI
	// Neuron 0 (RS) projects to neuron 1 (RS) and neuron 2 (FS).
	c := hand(t, []string{"RS", "RS", "FS"}, []edge{{0, 1, 0.01, 0.5}, {0, 2, 0.01, 0.5}})
	e, err := New(c, quietConfig(1, plasticity.Rules{STP: rule}))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	spikes := []int64{10, 30, 50, 70, 150, 400} // pre spike steps
	k := kicks{}
	for _, s := range spikes {
		k[s] = []int{0}
	}
	e.SetInput(k)
	f := 1 - synapses.Default().NMDAFraction
	var ampE, ampI []float64
	for step := int64(0); step < 410; step++ {
		prevE, prevI := e.Syn.AMPA[1], e.Syn.AMPA[2]
		if err := e.Run(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		// The arrival (delay 1 step) adds (1 - f_NMDA)·w·A to AMPA after
		// the decay e^(-dt/2).
		if jumpE := float64(e.Syn.AMPA[1] - prevE*float32(math.Exp(-0.25))); jumpE > 1e-7 {
			ampE = append(ampE, jumpE/(f*0.01))
			ampI = append(ampI, float64(e.Syn.AMPA[2]-prevI*float32(math.Exp(-0.25)))/(f*0.01))
		}
	}
	if len(ampE) != len(spikes) {
		t.Fatalf("%d arrivals, want %d", len(ampE), len(spikes))
	}
	sE, sI := plasticity.Fresh(), plasticity.Fresh()
	for n, s := range spikes {
		since := math.Inf(1)
		if n > 0 {
			since = float64(s-spikes[n-1]) * 0.5
		}
		wantE := plasticity.DefaultSTPExc.Release(&sE, since)
		wantI := eToI.Release(&sI, since)
		if math.Abs(ampE[n]-wantE) > 1e-4 || math.Abs(ampI[n]-wantI) > 1e-4 {
			t.Fatalf("spike %d: released %.5f to E, %.5f to I; want %.5f and %.5f", n, ampE[n], ampI[n], wantE, wantI)
		}
	}
	// Depression toward the excitatory target, facilitation toward the
	// inhibitory one at 10 ms intervals.
	if !(ampE[1] < ampE[0]) || !(ampI[1] > ampI[0]) {
		t.Fatalf("paired pulses: E %v, I %v", ampE[:2], ampI[:2])
	}
}

// STDP in the engine: one pairing at lag Δt changes the weight by the
// window A± e^(-|Δt|/τ±) (Song, Miller & Abbott 2000), with 1 and 2
// workers.
func TestSTDPPairingInEngine(t *testing.T) {
	p := plasticity.DefaultSTDP
	rule := &plasticity.STDPRule{STDP: p}
	for _, workers := range []int{1, 2} {
		for _, lag := range []int64{-120, -40, -10, -2, 2, 10, 40, 120} {
			// Neuron 0 -> 1 with a tiny weight: spikes only by the kicks.
			n := 40 // the second neuron in another worker's block when 2 workers
			types := make([]string, n)
			for i := range types {
				types[i] = "RS"
			}
			c := hand(t, types, []edge{{0, n - 1, 0.05, 1}})
			e, err := New(c, quietConfig(workers, plasticity.Rules{STDP: rule}))
			if err != nil {
				t.Fatal(err)
			}
			tPre := int64(300)
			e.SetInput(kicks{tPre: {0}, tPre + lag: {n - 1}})
			l := &spikeLog{}
			if err := e.Run(context.Background(), 800, l); err != nil {
				t.Fatal(err)
			}
			e.Close()
			if !slices.Equal(l.ids, []int64{0, int64(n - 1)}) && !slices.Equal(l.ids, []int64{int64(n - 1), 0}) {
				t.Fatalf("spikes %v at %v, want one each", l.ids, l.steps)
			}
			_, _, w, _ := e.Wiring()
			got := float64(w[0]) - 0.05
			want := p.Window(float64(lag) * 0.5)
			if math.Abs(got-want) > 1e-6 {
				t.Errorf("%d workers, Δt = %g ms: Δw %.6f, window %.6f", workers, float64(lag)*0.5, got, want)
			}
		}
	}
}

// poissonKicks makes each listed neuron spike at independent Poisson times
// (counter-based, so the same for any worker count).
type poissonKicks struct {
	key    rng.Key
	neuron []int
	prob   float64
}

func (p poissonKicks) Inject(step int64, lo int, dst []float32) {
	k := p.key.Sub(uint64(step))
	for _, i := range p.neuron {
		if i >= lo && i < lo+len(dst) && rng.Float64(k.At(uint64(i))) < p.prob {
			dst[i-lo] += 1e4
		}
	}
}

// Under independent Poisson pre- and postsynaptic spikes at equal rates the
// mean weight drifts by r²(A+τ+ - A-τ-) per ms (Kempter et al. 1999).
// Presynaptic neurons are inhibitory (STDP on all synapses) so that they
// cannot make their targets fire: every spike is an independent kick.
func TestSTDPDriftInEngine(t *testing.T) {
	p := plasticity.DefaultSTDP
	p.WMax = 100
	const pairs = 40
	const w0 = 1.0 // expected drift over the run is -0.65: the 0 bound stays away
	types := make([]string, 2*pairs)
	var edges []edge
	for i := range pairs {
		types[2*i], types[2*i+1] = "FS", "RS"
		edges = append(edges, edge{2 * i, 2*i + 1, w0, 1})
	}
	c := hand(t, types, edges)
	e, err := New(c, quietConfig(1, plasticity.Rules{STDP: &plasticity.STDPRule{STDP: p, AllPresynaptic: true}}))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	// 10 Hz Poisson kicks; each kick makes exactly one spike.
	var all []int
	for i := range 2 * pairs {
		all = append(all, i)
	}
	const hz = 10
	e.SetInput(poissonKicks{key: rng.NewKey(3, 99), neuron: all, prob: hz * 0.5 / 1000})
	cnt := &counter{}
	const steps = 80000 // 40 s
	if err := e.Run(context.Background(), steps, cnt); err != nil {
		t.Fatal(err)
	}
	rate := float64(cnt.n) / (2 * pairs) / (steps * 0.5 / 1000)
	_, _, w, _ := e.Wiring()
	var mean, m2 float64
	for _, x := range w {
		mean += float64(x) - w0
		m2 += (float64(x) - w0) * (float64(x) - w0)
	}
	mean /= pairs
	se := math.Sqrt((m2/pairs - mean*mean) / pairs)
	want := p.Drift(rate, rate) * steps * 0.5
	if math.Abs(mean-want) > 4*se+0.02*math.Abs(want) {
		t.Fatalf("rate %.2f Hz: drift %.4f ± %.4f over 40 s, want %.4f", rate, mean, se, want)
	}
}

// Homeostatic scaling brings a culture pushed below or above its target
// rate back to within 10 % of it (accelerated: τ_s 10 s, τ_r 0.5 s).
func TestHomeostasisReturnsToTarget(t *testing.T) {
	const target = 3.0
	for _, gExc := range []float64{0.02, 0.12} {
		s := culture.Default()
		s.N = 2000
		side := 3000 * math.Sqrt(0.2)
		s.Width, s.Height, s.PMax, s.GExc = side, side, 0.3, gExc
		c, err := culture.Build(s, 0)
		if err != nil {
			t.Fatal(err)
		}
		sc := plasticity.Scaling{Target: target, TauRate: 500, Interval: 100, TauScale: 10000, GainMin: 0.01, GainMax: 100}
		cfg := Config{Dt: 0.5, Seed: 2, DriveMean: 1.5, DriveStd: 3, Synapses: synapses.Default(),
			Plasticity: plasticity.Rules{Scaling: &sc}}
		e, err := New(c, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rate := func(steps int64) float64 {
			cnt := &counter{}
			if err := e.Run(context.Background(), steps, cnt); err != nil {
				t.Fatal(err)
			}
			return float64(cnt.n) / float64(c.N()) / (float64(steps) * 0.5 / 1000)
		}
		before := rate(2000) // first second
		rate(120000)         // 60 s of scaling
		after := rate(40000) // the next 20 s
		w := e.Stats().MeanWeightExc
		e.Close()
		if math.Abs(before-target)/target < 0.3 {
			t.Errorf("g_exc %g starts at %.2f Hz, too close to the %g Hz target for the test to mean anything", gExc, before, target)
		}
		if math.Abs(after-target)/target > 0.1 {
			t.Errorf("g_exc %g: %.2f Hz at first, %.2f Hz after scaling (weights %.4f), target %g", gExc, before, after, w, target)
		}
		t.Logf("g_exc %g: %.2f Hz at first, %.2f Hz after 60 s of scaling; mean excitatory weight %.4f", gExc, before, after, w)
	}
}

// allRules turns on every plasticity rule, with fast clocks.
func allRules() plasticity.Rules {
	stdp := plasticity.DefaultSTDP
	sc := plasticity.Scaling{Target: 3, TauRate: 500, Interval: 50, TauScale: 5000, GainMin: 0.1, GainMax: 10}
	st := plasticity.Structural{Interval: 100, PruneBelow: 0.08, PruneProb: 0.2, GrowthRate: 5, Target: 3, WNew: 0.05}
	return plasticity.Rules{
		STP:        &plasticity.STPRule{Exc: plasticity.DefaultSTPExc, Inh: plasticity.DefaultSTPInh},
		STDP:       &plasticity.STDPRule{STDP: stdp},
		Scaling:    &sc,
		Structural: &st,
	}
}

// With every rule on, spikes and the final wiring are bit-identical for 1,
// 2 and 4 workers, rewiring happens, and the wiring keeps Dale's law, no
// autapses and sorted rows.
func TestPlasticityDeterministicAcrossWorkers(t *testing.T) {
	c := testCulture(t, 21)
	run := func(w int) (*spikeLog, []int64, []int32, []float32, PlasticityStats) {
		cfg := testConfig(w)
		cfg.Plasticity = allRules()
		e, err := New(c, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		l := &spikeLog{}
		if err := e.Run(context.Background(), 1000, l); err != nil {
			t.Fatal(err)
		}
		r, p, wt, _ := e.Wiring()
		return l, slices.Clone(r), slices.Clone(p), slices.Clone(wt), e.Stats()
	}
	l1, r1, p1, w1, st := run(1)
	if st.Pruned == 0 || st.Grown == 0 {
		t.Fatalf("no rewiring: %+v", st)
	}
	for _, w := range []int{2, 4} {
		l, r, p, wt, _ := run(w)
		if !slices.Equal(l.ids, l1.ids) || !slices.Equal(l.steps, l1.steps) {
			t.Fatalf("%d workers: spikes differ", w)
		}
		if !slices.Equal(r, r1) || !slices.Equal(p, p1) || !slices.Equal(wt, w1) {
			t.Fatalf("%d workers: wiring differs", w)
		}
	}
	for j := range c.N() {
		row := p1[r1[j]:r1[j+1]]
		for k, i := range row {
			if int(i) == j || k > 0 && row[k-1] >= i {
				t.Fatalf("row %d: autapse or unsorted", j)
			}
		}
		if !c.Excitatory[j] && r1[j+1]-r1[j] != c.RowPtr[j+1]-c.RowPtr[j] {
			t.Fatalf("inhibitory neuron %d gained or lost synapses", j)
		}
	}
	if st.Synapses != len(p1) || int64(st.Synapses) != int64(c.NSynapses())-st.Pruned+st.Grown {
		t.Fatalf("synapse count %d, culture %d - %d + %d", st.Synapses, c.NSynapses(), st.Pruned, st.Grown)
	}
}

// Plasticity allocates nothing per step in steady state (structural ticks
// rebuild the wiring and may).
func TestPlasticityZeroAllocs(t *testing.T) {
	c := testCulture(t, 22)
	r := allRules()
	r.Structural = nil
	for _, w := range []int{1, 2} {
		cfg := testConfig(w)
		cfg.Plasticity = r
		e, err := New(c, cfg)
		if err != nil {
			t.Fatal(err)
		}
		cnt := &counter{}
		ctx := context.Background()
		if err := e.Run(ctx, 2000, cnt); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(20, func() {
			if err := e.Run(ctx, chunk, cnt); err != nil {
				t.Fatal(err)
			}
		})
		e.Close()
		if allocs != 0 {
			t.Errorf("%d workers: %.1f allocations per %d steps", w, allocs, chunk)
		}
	}
}
