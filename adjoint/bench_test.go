package adjoint_test

import (
	"math"
	"runtime"
	"testing"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/adjtest"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/synapses"
)

// benchCulture is the default culture (default.yaml: p_max 0.3, g_exc
// 0.07, g_inh 0.2, five Izhikevich types) at 2,000 neurons per mm², which
// gives 60-70 synapses per neuron (the workload of DESIGN.md: 50-100),
// all four receptors and STP (BL-1's parameters), with a drive of 3 ± 3
// mV/ms that keeps it at 1-2 Hz despite the depression.
func benchCulture(b *testing.B, n int) (*adjoint.Model, *adjoint.Params, *adjoint.State) {
	s := culture.Default()
	s.N = n
	side := math.Sqrt(float64(n) / 2000 * 1e6)
	s.Width, s.Height = side, side
	s.PMax, s.GExc = 0.3, 0.07
	c, err := culture.Build(s, 0)
	if err != nil {
		b.Fatal(err)
	}
	m, p, err := adjoint.FromCulture(c, 0.5, synapses.Default(), adjoint.Drive{Mean: 3, Std: 3, Seed: 1},
		&plasticity.STPRule{Exc: plasticity.DefaultSTPExc, Inh: plasticity.DefaultSTPInh})
	if err != nil {
		b.Fatal(err)
	}
	return m, p, m.Rest(p)
}

// countGrad is the gradient of Σ_i counts_i: 1 for every spike.
type countGrad struct{}

func (countGrad) AddSpikeGrad(t int, ds []float64) {
	for i := range ds {
		ds[i]++
	}
}

func benchWindow(b *testing.B, n, T, checkpoint int) {
	m, p, s0 := benchCulture(b, n)
	w, err := adjoint.NewWindow(m, T, adjoint.Options{Checkpoint: checkpoint})
	if err != nil {
		b.Fatal(err)
	}
	// Warm up from rest so that the window is in the running regime.
	_, s0, err = w.Forward(p, s0, adjoint.Input{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	spikes := 0
	for b.Loop() {
		rec, _, err := w.Forward(p, s0, adjoint.Input{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Backward(countGrad{}); err != nil {
			b.Fatal(err)
		}
		spikes = len(rec.IDs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*T), "ns/neuron-step")
	b.ReportMetric(float64(spikes)/float64(n)/(float64(T)*m.Dt/1000), "Hz")
	b.ReportMetric(float64(m.NSynapses())/float64(n), "syn/neuron")
}

// The bar of the issue: forward + backward of N = 1,000, T = 500 in under
// 150 ms on a 2-core machine.
func BenchmarkWindowN1000T500(b *testing.B) { benchWindow(b, 1000, 500, 0) }

// N = 10,000, T = 500: under 2 s.
func BenchmarkWindowN10000T500(b *testing.B) { benchWindow(b, 10000, 500, 0) }

// A 10,000-step window (5 s of culture time) at N = 10,000 with a
// checkpoint every 100 steps: memory is the checkpoints plus one segment,
// under 4 GB. It reports the process's memory obtained from the OS (which
// includes the culture and the Go runtime) after the backward pass.
func BenchmarkWindowN10000T10000Checkpoint100(b *testing.B) {
	m, p, s0 := benchCulture(b, 10000)
	const T = 10000
	w, err := adjoint.NewWindow(m, T, adjoint.Options{Checkpoint: 100})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := w.Forward(p, s0, adjoint.Input{}); err != nil {
			b.Fatal(err)
		}
		if _, err := w.Backward(countGrad{}); err != nil {
			b.Fatal(err)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/1e6, "MB-sys")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(10000*T), "ns/neuron-step")
}

// Without checkpointing the forward pass stores 5 floats per neuron and
// step (v, v*, ∂I/∂v, STP x and u): 200 MB at N = 10,000, T = 500.
func TestTapeMemory(t *testing.T) {
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 1, NIzh: 100, STP: true})
	const T = 400
	w, err := adjoint.NewWindow(m, T, adjoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, _, err := w.Forward(p, s0, adjoint.Input{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got, want := w.TapeBytes(), int64(5*8*100*T); got != want {
		t.Errorf("tape of %d bytes, want 5 float64 per neuron and step = %d", got, want)
	}
	// The forward pass allocates the record and the final state, not
	// another tape.
	if grown := int64(after.TotalAlloc - before.TotalAlloc); grown > w.TapeBytes()/2 {
		t.Errorf("forward pass allocated %d bytes, more than half the tape (%d)", grown, w.TapeBytes())
	}
}
