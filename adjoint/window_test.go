package adjoint_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/adjtest"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/sim"
	"github.com/bl1-go/bl1/surrogate"
	"github.com/bl1-go/bl1/synapses"
)

func run(t *testing.T, m *adjoint.Model, p *adjoint.Params, s0 *adjoint.State, in adjoint.Input, T int, opt adjoint.Options, gs adjoint.SpikeGrad) (*adjoint.Record, *adjoint.State, *adjoint.Grads) {
	t.Helper()
	w, err := adjoint.NewWindow(m, T, opt)
	if err != nil {
		t.Fatal(err)
	}
	rec, final, err := w.Forward(p, s0, in)
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := gs.(*adjtest.Loss); ok {
		l.Value(rec)
	}
	g, err := w.Backward(gs)
	if err != nil {
		t.Fatal(err)
	}
	return rec, final, g
}

// flat lists every gradient, for exact comparisons.
func flat(g *adjoint.Grads) []float64 {
	x := slices.Concat(g.W, g.Scale, []float64{g.NMDAFraction, g.GABABFraction}, g.Bias, g.Current,
		g.Init.V, g.Init.R, g.Init.AMPA, g.Init.NMDARise, g.Init.NMDADecay, g.Init.GABAA, g.Init.GABABRise, g.Init.GABABDecay, g.Init.X, g.Init.U)
	for _, s := range g.STP {
		x = append(x, s.U, s.TauRec, s.TauFac)
	}
	for _, p := range g.Izh {
		x = append(x, p.A, p.B, p.C, p.D)
	}
	for _, p := range g.AdEx {
		x = append(x, p.C, p.GL, p.EL, p.VT, p.DeltaT, p.A, p.TauW, p.B, p.VReset)
	}
	for _, p := range g.Init.Pending {
		x = append(x, p...)
	}
	return x
}

// Checkpointing recomputes segments with the same arithmetic, and neuron
// ranges are independent: gradients are bit-identical for any segment
// length and worker count.
func TestCheckpointAndWorkersExact(t *testing.T) {
	const T = 60
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 5, NIzh: 20, NAdEx: 6, STP: true})
	in := adjtest.Input(5, T, m.N())
	loss := adjtest.NewLoss(5, T, m.N())
	_, _, ref := run(t, m, p, s0, in, T, adjoint.Options{NeuronGrads: true, Workers: 1}, loss)
	want := flat(ref)
	for _, opt := range []adjoint.Options{
		{Checkpoint: 1}, {Checkpoint: 7}, {Checkpoint: 30}, {Checkpoint: T}, {Checkpoint: 1000},
		{Workers: 2}, {Workers: 3, Checkpoint: 11},
	} {
		opt.NeuronGrads = true
		_, _, g := run(t, m, p, s0, in, T, opt, loss)
		if got := flat(g); !slices.Equal(got, want) {
			t.Errorf("%+v: gradients differ from the single-segment, single-worker ones", opt)
		}
	}
}

// Backward can run twice after one Forward (with the tape of the last
// segment replaced by a recomputed one in between) and gives the same
// result.
func TestBackwardTwice(t *testing.T) {
	const T = 40
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 6, NIzh: 12, STP: true})
	in := adjtest.Input(6, T, m.N())
	loss := adjtest.NewLoss(6, T, m.N())
	w, err := adjoint.NewWindow(m, T, adjoint.Options{Checkpoint: 9})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Backward(loss); !errors.Is(err, adjoint.ErrNoForward) {
		t.Errorf("Backward before Forward: %v, want ErrNoForward", err)
	}
	rec, _, err := w.Forward(p, s0, in)
	if err != nil {
		t.Fatal(err)
	}
	loss.Value(rec)
	g1, _ := w.Backward(loss)
	g2, _ := w.Backward(loss)
	if !slices.Equal(flat(g1), flat(g2)) {
		t.Error("a second Backward gives other gradients")
	}
}

// Two consecutive windows, the second starting from the first's final
// state (pending arrivals included), are one long window.
func TestWindowsChain(t *testing.T) {
	const T1, T2 = 23, 37
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 7, NIzh: 16, NAdEx: 4, STP: true, MaxDelay: 5})
	w, _ := adjoint.NewWindow(m, T1+T2, adjoint.Options{})
	whole, final, err := w.Forward(p, s0, adjoint.Input{})
	if err != nil {
		t.Fatal(err)
	}
	w1, _ := adjoint.NewWindow(m, T1, adjoint.Options{})
	a, mid, err := w1.Forward(p, s0, adjoint.Input{})
	if err != nil {
		t.Fatal(err)
	}
	if mid.Step != s0.Step+T1 {
		t.Errorf("state after %d steps has Step %d", T1, mid.Step)
	}
	w2, _ := adjoint.NewWindow(m, T2, adjoint.Options{})
	bb, end, err := w2.Forward(p, mid, adjoint.Input{})
	if err != nil {
		t.Fatal(err)
	}
	got := append(a.Dense(), bb.Dense()...)
	if !slices.Equal(got, whole.Dense()) {
		t.Error("spikes of two chained windows differ from one window")
	}
	if len(whole.IDs) == 0 {
		t.Fatal("no spikes")
	}
	if !slices.Equal(end.V, final.V) || !slices.Equal(end.X, final.X) || !slices.Equal(end.NMDADecay, final.NMDADecay) {
		t.Error("final state of two chained windows differs from one window")
	}
	if len(end.Pending) != len(final.Pending) {
		t.Fatalf("pending arrivals: %d steps, want %d", len(end.Pending), len(final.Pending))
	}
	for k := range end.Pending {
		if !slices.Equal(end.Pending[k], final.Pending[k]) {
			t.Errorf("pending arrivals %d differ", k)
		}
	}
}

// The float64 model is the engine's model: on a small culture, with and
// without STP (package plasticity's Tsodyks-Markram release), the spike
// trains of the first 400 steps (200 ms) are identical (the engine's
// float32 state and fast exponentials differ only in the last bits).
func TestForwardMatchesEngine(t *testing.T) {
	for _, integ := range []models.Integrator{models.ForwardEuler, models.ExponentialEuler} {
		for _, stp := range []bool{false, true} {
			name := map[bool]string{false: "static", true: "stp"}[stp] + "/" + integ.String()
			t.Run(name, func(t *testing.T) { forwardMatchesEngine(t, stp, integ) })
		}
	}
}

func forwardMatchesEngine(t *testing.T, stp bool, integ models.Integrator) {
	s := culture.Default()
	s.N, s.Width, s.Height = 400, 700, 700
	s.PMax, s.GExc = 0.3, 0.07
	c, err := culture.Build(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	syn := synapses.Default()
	const steps = 400
	cfg := sim.Config{Dt: 0.5, Seed: 3, Workers: 1, DriveMean: 3, DriveStd: 3, Synapses: syn, Integrator: integ}
	if stp {
		cfg.Plasticity.STP = &plasticity.STPRule{Exc: plasticity.DefaultSTPExc, Inh: plasticity.DefaultSTPInh}
	}
	e, err := sim.New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var engine [][]int32
	if err := e.Run(context.Background(), steps, spikeLog{&engine}); err != nil {
		t.Fatal(err)
	}
	m, p, err := adjoint.FromCulture(c, cfg.Dt, syn, adjoint.Drive{Mean: cfg.DriveMean, Std: cfg.DriveStd, Seed: cfg.Seed}, cfg.Plasticity.STP)
	if err != nil {
		t.Fatal(err)
	}
	m.Integrator = integ
	w, _ := adjoint.NewWindow(m, steps, adjoint.Options{})
	rec, _, err := w.Forward(p, m.Rest(p), adjoint.Input{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for step := range steps {
		ids, _ := rec.Step(step)
		total += len(ids)
		if !slices.Equal(ids, engine[step]) {
			t.Fatalf("step %d: adjoint model spikes %v, engine %v", step, ids, engine[step])
		}
	}
	if total < 50 {
		t.Fatalf("only %d spikes in %d steps: the comparison is too weak", total, steps)
	}
	t.Logf("%d identical spikes", total)
}

type spikeLog struct{ steps *[][]int32 }

func (l spikeLog) Spikes(_ int64, ids []int32) { *l.steps = append(*l.steps, slices.Clone(ids)) }

// With ClipAdjoint, the adjoints of v and u never exceed the bound, so the
// initial-state gradient is within it.
func TestClipAdjoint(t *testing.T) {
	const T, clip = 50, 1e-3
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 8, NIzh: 12, STP: true})
	loss := adjtest.NewLoss(8, T, m.N())
	_, _, free := run(t, m, p, s0, adjoint.Input{}, T, adjoint.Options{}, loss)
	_, _, g := run(t, m, p, s0, adjoint.Input{}, T, adjoint.Options{ClipAdjoint: clip}, loss)
	big := 0.0
	for i := range g.Init.V {
		big = math.Max(big, math.Abs(free.Init.V[i]))
		if math.Abs(g.Init.V[i]) > clip || math.Abs(g.Init.R[i]) > clip {
			t.Errorf("neuron %d: clipped adjoints %g, %g exceed %g", i, g.Init.V[i], g.Init.R[i], clip)
		}
	}
	if big <= clip {
		t.Errorf("unclipped adjoints are at most %g: the test does not clip anything", big)
	}
}

// A current that drives the state to infinity is reported with the
// neuron and step.
func TestFault(t *testing.T) {
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 9, NIzh: 4})
	w, _ := adjoint.NewWindow(m, 10, adjoint.Options{})
	bias := make([]float64, 4)
	bias[2] = math.Inf(1)
	_, _, err := w.Forward(p, s0, adjoint.Input{Bias: bias})
	var f *adjoint.FaultError
	if !errors.As(err, &f) || f.Neuron != 2 || f.Step != 0 {
		t.Errorf("got %v, want a fault of neuron 2 at step 0", err)
	}
}

func TestValidation(t *testing.T) {
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 10, NIzh: 4, STP: true})
	w, _ := adjoint.NewWindow(m, 5, adjoint.Options{})
	bad := []struct {
		name string
		edit func(p *adjoint.Params, s *adjoint.State) adjoint.Input
	}{
		{"weights", func(p *adjoint.Params, _ *adjoint.State) adjoint.Input { p.W = p.W[1:]; return adjoint.Input{} }},
		{"NaN weight", func(p *adjoint.Params, _ *adjoint.State) adjoint.Input { p.W[0] = math.NaN(); return adjoint.Input{} }},
		{"fraction", func(p *adjoint.Params, _ *adjoint.State) adjoint.Input { p.NMDAFraction = 1.5; return adjoint.Input{} }},
		{"U", func(p *adjoint.Params, _ *adjoint.State) adjoint.Input { p.STP[0].U = 0; return adjoint.Input{} }},
		{"tau_rec", func(p *adjoint.Params, _ *adjoint.State) adjoint.Input { p.STP[1].TauRec = -1; return adjoint.Input{} }},
		{"kind", func(p *adjoint.Params, _ *adjoint.State) adjoint.Input {
			p.Types[0] = p.Types[2]
			return adjoint.Input{}
		}},
		{"state", func(_ *adjoint.Params, s *adjoint.State) adjoint.Input { s.V = s.V[:2]; return adjoint.Input{} }},
		{"bias", func(*adjoint.Params, *adjoint.State) adjoint.Input { return adjoint.Input{Bias: make([]float64, 3)} }},
		{"current", func(*adjoint.Params, *adjoint.State) adjoint.Input { return adjoint.Input{Current: make([]float64, 7)} }},
	}
	for _, tc := range bad {
		p2, s2 := p.Clone(), s0.Clone()
		in := tc.edit(p2, s2)
		if _, _, err := w.Forward(p2, s2, in); err == nil {
			t.Errorf("%s: Forward accepted it", tc.name)
		}
	}
	if _, err := adjoint.NewWindow(m, 0, adjoint.Options{}); err == nil {
		t.Error("NewWindow accepted T = 0")
	}
	if _, err := adjoint.NewWindow(m, 5, adjoint.Options{Surrogate: surrogate.Func{Kind: surrogate.Sigmoid}}); err == nil {
		t.Error("NewWindow accepted β = 0")
	}
	m2 := *m
	m2.Delay = append([]int32{0}, m.Delay[1:]...)
	if _, err := adjoint.NewWindow(&m2, 5, adjoint.Options{}); err == nil {
		t.Error("NewWindow accepted a delay of 0 steps")
	}
	m3 := *m
	m3.Synapses.TonicGABAA = 0.02
	if _, err := adjoint.NewWindow(&m3, 5, adjoint.Options{}); err == nil || !strings.Contains(err.Error(), "tonic_gaba_a") {
		t.Errorf("NewWindow with a tonic GABA_A conductance: %v, want a refusal naming tonic_gaba_a", err)
	}
}
