package fit_test

import (
	"math"
	"testing"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/fit"
	"github.com/bl1-go/bl1/optim"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/surrogate"
	"github.com/bl1-go/bl1/synapses"
)

// recoveryCulture is 300 neurons of the default types at the density of
// 1,900 per mm² (about 60 synapses per neuron), with BL-1's STP and the
// default drive of 3 ± 3 mV/ms: 5 Hz, irregular with bursts.
func recoveryCulture(t *testing.T) (*adjoint.Model, *adjoint.Params) {
	s := culture.Default()
	s.N, s.Width, s.Height = 300, 400, 400
	s.PMax, s.GExc, s.GInh = 0.3, 0.07, 0.2
	c, err := culture.Build(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, p, err := adjoint.FromCulture(c, 0.5, synapses.Default(), adjoint.Drive{Mean: 3, Std: 3, Seed: 5},
		&plasticity.STPRule{Exc: plasticity.DefaultSTPExc, Inh: plasticity.DefaultSTPInh})
	if err != nil {
		t.Fatal(err)
	}
	return m, p
}

// Parameter recovery: simulate 1 s with known g_exc = 0.07, g_inh = 0.2
// and excitatory STP U = 0.5 (the values of default.yaml and BL-1), then
// fit all three from a start 15 % away (in the directions that raise
// excitation, and in the opposite ones) to the recording's rates (E, I and
// 15 channels), Fano factor and population-rate time course. Each must
// come back within 5 %.
//
// The surrogate is SuperSpike with β = 0.1/mV: an Izhikevich neuron at
// dt = 0.5 ms crosses its 30 mV peak by tens of mV in one step, so BL-1's
// β = 10/mV (a 0.1 mV-wide surrogate) passes almost no gradient; the
// reset is detached and the adjoint clipped at 1 for stability.
func TestParameterRecovery(t *testing.T) {
	m, p := recoveryCulture(t)
	const W, K = 400, 5
	w, err := adjoint.NewWindow(m, W, adjoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var targets []*adjoint.Record
	st := m.Rest(p)
	spikes := 0
	for range K {
		rec, next, err := w.Forward(p, st, adjoint.Input{})
		if err != nil {
			t.Fatal(err)
		}
		spikes += len(rec.IDs)
		targets = append(targets, rec)
		st = next
	}
	if spikes < 1000 {
		t.Fatalf("target has %d spikes: too quiet to fit", spikes)
	}
	truth := []float64{0.07, 0.2, 0.5}
	for _, sign := range []float64{1, -1} {
		knobs := []*fit.Knob{fit.Conductance(m, p, true, 0.07), fit.Conductance(m, p, false, 0.2), fit.STPU(m, p, true)}
		for i, k := range knobs {
			k.Value = truth[i] * (1 + 0.15*sign*[]float64{1, -1, 1}[i])
		}
		f := &fit.Fitter{
			Model: m, Params: p, State: m.Rest(p), Knobs: knobs, Window: W, Windows: K,
			Loss: func(k int) fit.Loss { return fit.RecordingLoss(targets[k], m, 20, true, fit.Weights{}) },
			Options: adjoint.Options{Surrogate: surrogate.Func{Kind: surrogate.SuperSpike, Beta: 0.1},
				DetachReset: true, ClipAdjoint: 1},
			Optimizer: &optim.Adam{},
			Schedule:  optim.Cosine{Initial: 0.03, Final: 0.001, Steps: 60},
		}
		res, err := f.Run(60, nil)
		if err != nil {
			t.Fatal(err)
		}
		first, last := res.Iterations[0].Loss, res.Iterations[len(res.Iterations)-1].Loss
		if !(last < first/10) {
			t.Errorf("start %+.0f%%: loss went from %.3g to %.3g, want a tenfold drop", 15*sign, first, last)
		}
		for i, name := range res.Names {
			e := math.Abs(res.Final[i]-truth[i]) / truth[i]
			t.Logf("start %+.0f%%: %s = %.4g (truth %g, error %.1f%%)", 15*sign, name, res.Final[i], truth[i], 100*e)
			if e > 0.05 {
				t.Errorf("start %+.0f%%: %s = %.4g, more than 5%% from %g", 15*sign, name, res.Final[i], truth[i])
			}
		}
	}
}
