package mea

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/sim"
	"github.com/bl1-go/bl1/synapses"
)

// Every CL1 limit (cl1-protocol.md §4: widths multiples of 20 µs, at most
// 3 µA and 3000 pC per phase, alternating polarity, at most 200 Hz, 1-3
// phases) gives its own error; valid designs pass.
func TestCL1Limits(t *testing.T) {
	ok := Train{Electrodes: []int{27}, Phases: Biphasic(160, 1), Pulses: 10, FrequencyHz: 20}
	with := func(f func(*Train)) Train {
		tr := ok
		tr.Phases = append([]Phase(nil), ok.Phases...)
		f(&tr)
		return tr
	}
	for _, c := range []struct {
		name string
		t    Train
		want string // "" = valid
	}{
		{"default", ok, ""},
		{"3 µA 1000 µs = 3000 pC", with(func(t *Train) { t.Phases = Biphasic(1000, 3) }), ""},
		{"triphasic", with(func(t *Train) { t.Phases = []Phase{{20, -1}, {40, 1}, {20, -1}} }), ""},
		{"200 Hz", with(func(t *Train) { t.FrequencyHz = 200 }), ""},
		{"single pulse, no frequency", with(func(t *Train) { t.Pulses, t.FrequencyHz = 1, 0 }), ""},
		{"current", with(func(t *Train) { t.Phases = Biphasic(160, 3.5) }), "exceeds the CL1's limit of 3 µA"},
		{"width step", with(func(t *Train) { t.Phases = Biphasic(150, 1) }), "multiple of 20 µs"},
		{"width 10", with(func(t *Train) { t.Phases = Biphasic(10, 1) }), "multiple of 20 µs"},
		{"width 0", with(func(t *Train) { t.Phases = Biphasic(0, 1) }), "must be > 0"},
		{"charge", with(func(t *Train) { t.Phases = Biphasic(1100, 3) }), "charge 3300 pC"},
		{"polarity", with(func(t *Train) { t.Phases = []Phase{{160, -1}, {160, -1}} }), "alternating polarity"},
		{"zero amplitude", with(func(t *Train) { t.Phases = Biphasic(160, 0) }), "current 0 µA"},
		{"frequency", with(func(t *Train) { t.FrequencyHz = 250 }), "limit of 200 Hz"},
		{"no frequency", with(func(t *Train) { t.FrequencyHz = 0 }), "must be > 0"},
		{"four phases", with(func(t *Train) { t.Phases = []Phase{{20, -1}, {20, 1}, {20, -1}, {20, 1}} }), "at most 3"},
		{"no phases", with(func(t *Train) { t.Phases = nil }), "at least one phase"},
		{"no pulses", with(func(t *Train) { t.Pulses = 0 }), "pulses = 0"},
		{"negative start", with(func(t *Train) { t.StartMs = -1 }), "start"},
		{"NaN current", with(func(t *Train) { t.Phases[0].CurrentUA = math.NaN() }), "finite"},
	} {
		err := CL1Limits.Check(c.t)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	// Other devices do not impose the CL1's limits, only physics.
	if err := MaxOne(0, 0).Limits.Check(with(func(t *Train) { t.Phases = Biphasic(150, 5); t.FrequencyHz = 300 })); err != nil {
		t.Errorf("MaxOne: %v", err)
	}
	if err := MaxOne(0, 0).Limits.Check(with(func(t *Train) { t.FrequencyHz = 5000 })); err == nil {
		t.Error("MaxOne accepted pulses longer than their period")
	}
}

// Schedule: pulse times on 20 µs frames, then steps; channels checked;
// Interrupt and Forget drop pulses; Inject adds Δv/dt with linear fall-off.
func TestStimulatorSchedule(t *testing.T) {
	l := CL1(1500, 1500)
	// Neurons at 0, 30 and 80 µm from channel 27 (1400, 1400).
	x := []float32{1400, 1430, 1400}
	y := []float32{1400, 1400, 1480}
	z := make([]float32, 3)
	s := NewStimulator(l, x, y, z, 75, 100, 0.5)
	if err := s.Schedule(Train{Electrodes: []int{27}, Phases: Biphasic(160, 1), StartMs: 10, Pulses: 3, FrequencyHz: 3}, 0); err != nil {
		t.Fatal(err)
	}
	// 1/3 Hz → 333,333.33 µs → 333,340 µs in frames → steps 20, 686, 1353.
	var steps []int64
	for _, p := range s.Pulses() {
		steps = append(steps, p.Step)
		if math.Abs(float64(p.ChargeNC)-0.16) > 1e-7 {
			t.Errorf("charge %g nC, want 0.16", p.ChargeNC)
		}
	}
	if len(steps) != 3 || steps[0] != 20 || steps[1] != 686 || steps[2] != 1353 {
		t.Errorf("pulse steps %v, want [20 686 1353]", steps)
	}
	for _, c := range []struct {
		t    Train
		want string
	}{
		{Train{Electrodes: []int{4}, Phases: Biphasic(160, 1), Pulses: 1}, "reference"},
		{Train{Electrodes: []int{0}, Phases: Biphasic(160, 1), Pulses: 1}, "grounded"},
		{Train{Electrodes: []int{70}, Phases: Biphasic(160, 1), Pulses: 1}, "no such electrode"},
		{Train{Electrodes: []int{27}, Phases: Biphasic(160, 1), Pulses: 1, StartMs: 1}, "before the current time"},
	} {
		if err := s.Schedule(c.t, 10); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.t, err, c.want)
		}
	}
	dst := make([]float32, 3)
	s.Inject(20, 0, dst)
	// Δv = 100 mV/nC × 0.16 nC × (1 − d/75), over one 0.5 ms step.
	want := []float64{16 / 0.5, 16 * (1 - 30.0/75) / 0.5, 0}
	for i := range dst {
		if math.Abs(float64(dst[i])-want[i]) > 1e-4 {
			t.Errorf("neuron %d: %g mV/ms, want %g", i, dst[i], want[i])
		}
	}
	// A block starting at neuron 1 sees only its own neurons.
	dst = make([]float32, 2)
	s.Inject(20, 1, dst)
	if math.Abs(float64(dst[0])-want[1]) > 1e-4 || dst[1] != 0 {
		t.Errorf("block [1, 3): %v", dst)
	}
	s.Inject(21, 0, make([]float32, 3)) // no pulse: nothing to do
	s.Interrupt([]int{27}, 600)
	if n := len(s.Pulses()); n != 1 {
		t.Errorf("%d pulses after interrupt, want 1", n)
	}
	s.Forget(21)
	if len(s.queue) != 0 {
		t.Errorf("%d queued after Forget", len(s.queue))
	}
}

// unconnected builds a culture without synapses, so that every response to
// a pulse is the pulse's own.
func unconnected(t *testing.T, n int, side float64) *culture.Culture {
	t.Helper()
	s := culture.Default()
	s.N, s.PMax, s.Seed = n, 0, 3
	s.Width, s.Height = side, side
	c, err := culture.Build(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A pulse train evokes spikes in the neurons near the stimulated electrode
// and not in far ones; the probability of a response grows, and its
// latency shrinks, with the amplitude.
func TestEvokedResponses(t *testing.T) {
	c := unconnected(t, 5000, 1500) // 2,222 per mm²: ~40 neurons within 75 µm
	cfg := sim.Config{Dt: 0.1, Seed: 1, DriveMean: 0.5, DriveStd: 1.5, Synapses: synapses.Default()}
	e, err := sim.New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	l := CL1(750, 750)
	s := NewStimulator(l, c.X, c.Y, c.Z, 75, DefaultCouplingMVPerNC, cfg.Dt)
	e.SetInput(s)
	const elec = 27 // (650, 650)
	amps := []float64{0.75, 1, 2, 3}
	const pulses, periodMs, blockMs = 40, 50.0, 2500.0
	for i, a := range amps {
		tr := Train{Electrodes: []int{elec}, Phases: Biphasic(160, a), StartMs: 100 + float64(i)*blockMs, Pulses: pulses, FrequencyHz: 1000 / periodMs}
		if err := s.Schedule(tr, 0); err != nil {
			t.Fatal(err)
		}
	}
	var near, far []int32
	for i := range c.N() {
		d := math.Hypot(float64(c.X[i])-l.X[elec], float64(c.Y[i])-l.Y[elec])
		switch {
		case d < 40:
			near = append(near, int32(i))
		case d > 500:
			far = append(far, int32(i))
		}
	}
	log := &spikeSet{first: map[int64][]int32{}}
	steps := int64((100 + float64(len(amps))*blockMs) / cfg.Dt)
	if err := e.Run(context.Background(), steps, log); err != nil {
		t.Fatal(err)
	}
	// For each amplitude: the fraction of (pulse, near neuron) pairs with a
	// spike within 10 ms, and the mean first-spike latency.
	window := int64(10 / cfg.Dt)
	respond := func(ids []int32, a int) (prob, latency float64) {
		var hits, n int
		var lat float64
		for _, p := range s.Pulses()[a*pulses : (a+1)*pulses] {
			for _, i := range ids {
				n++
				for k := p.Step; k < p.Step+window; k++ {
					if log.has(k, i) {
						hits++
						lat += float64(k-p.Step) * cfg.Dt
						break
					}
				}
			}
		}
		return float64(hits) / float64(n), lat / math.Max(1, float64(hits))
	}
	// Spontaneous probability of a spike in 10 ms, from the far neurons
	// over the whole run (pulses cannot reach them).
	isFar := make([]bool, c.N())
	for _, i := range far {
		isFar[i] = true
	}
	var farSpikes int
	for _, ids := range log.first {
		for _, i := range ids {
			if isFar[i] {
				farSpikes++
			}
		}
	}
	spont := float64(farSpikes) / float64(len(far)) / (float64(steps) * cfg.Dt) * 10
	prevP, prevL := -1.0, math.Inf(1)
	for a := range amps {
		p, lat := respond(near, a)
		pf, _ := respond(far, a)
		t.Logf("%.1f µA: near P = %.3f latency %.2f ms; far P = %.4f (spontaneous %.4f)", amps[a], p, lat, pf, spont)
		if p <= prevP {
			t.Errorf("%.1f µA: response probability %.3f does not exceed %.3f at the lower amplitude", amps[a], p, prevP)
		}
		if p > 0.05 && lat >= prevL {
			t.Errorf("%.1f µA: latency %.2f ms does not fall below %.2f ms", amps[a], lat, prevL)
		}
		// Far neurons respond at the spontaneous rate (binomial, 4 sd).
		nf := float64(len(far) * pulses)
		if sd := math.Sqrt(spont * (1 - spont) / nf); math.Abs(pf-spont) > 4*sd+1e-3 {
			t.Errorf("%.1f µA: far neurons fire with P = %.4f after a pulse, spontaneously %.4f", amps[a], pf, spont)
		}
		prevP = p
		if p > 0.05 {
			prevL = lat
		}
	}
	if prevP < 0.9 {
		t.Errorf("3 µA pulses evoke spikes in only %.2f of the neurons within 40 µm", prevP)
	}
}

type spikeSet struct{ first map[int64][]int32 }

func (s *spikeSet) Spikes(step int64, ids []int32) {
	if len(ids) > 0 {
		s.first[step] = slices.Clone(ids)
	}
}

func (s *spikeSet) has(step int64, i int32) bool {
	_, ok := slices.BinarySearch(s.first[step], i)
	return ok
}

// Forget returns the pulses it moves to the history, which interrupts do
// not touch; Pulses lists history and queue.
func TestForgetHistory(t *testing.T) {
	l := CL1(1500, 1500)
	s := NewStimulator(l, []float32{1400}, []float32{1400}, []float32{0}, 75, 100, 0.5)
	if err := s.Schedule(Train{Electrodes: []int{27, 28}, Phases: Biphasic(160, 1), Pulses: 4, FrequencyHz: 100}, 0); err != nil {
		t.Fatal(err)
	}
	// 100 Hz at 0.5 ms: steps 0, 20, 40, 60 on both electrodes.
	got := s.Forget(21)
	if len(got) != 4 || got[0].Step != 0 || got[2].Step != 20 || got[3].Electrode != 28 {
		t.Fatalf("Forget(21) = %v", got)
	}
	s.Interrupt([]int{27, 28}, 0) // from step 0: only the queue is cancelled
	if p := s.Pulses(); len(p) != 4 || len(s.queue) != 0 {
		t.Fatalf("after the interrupt: %d pulses, %d queued", len(p), len(s.queue))
	}
	if got := s.Forget(100); len(got) != 0 {
		t.Fatalf("Forget again: %v", got)
	}
}
