package graph_test

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/graph"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/synapses"
)

// The window as a Gorgonia op inside a training graph, encoder → window →
// loss, at the size of adjoint's BenchmarkWindowN1000T500 (the same
// culture: 2,000 neurons per mm², STP, drive 3 ± 3): one TapeMachine run
// of forward and backward, the Gorgonia overhead over the native pass.
func BenchmarkWindowOpN1000T500(b *testing.B) {
	const n, T = 1000, 500
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
	w, err := adjoint.NewWindow(m, T, adjoint.Options{})
	if err != nil {
		b.Fatal(err)
	}
	_, s0, err := w.Forward(p, m.Rest(p), adjoint.Input{})
	if err != nil {
		b.Fatal(err)
	}
	g := G.NewGraph()
	u := G.NewVector(g, G.Float64, G.WithShape(4), G.WithName("u"), G.WithValue(tensor.New(tensor.WithBacking([]float64{1, 0, -1, 0.5}))))
	const nElec = 16
	coupling := make([]float64, n*nElec)
	for i := range n {
		coupling[i*nElec+i%nElec] = 1
	}
	enc, err := graph.NewEncoder(g, 4, coupling, n, nElec, 2, 1)
	if err != nil {
		b.Fatal(err)
	}
	_, cur, err := enc.Apply(u)
	if err != nil {
		b.Fatal(err)
	}
	wn := G.NewVector(g, G.Float64, G.WithShape(len(p.W)), G.WithName("W"), G.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), p.W...)))))
	sn := G.NewVector(g, G.Float64, G.WithShape(len(p.Scale)), G.WithName("Scale"), G.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), p.Scale...)))))
	op := graph.NewWindow(w, p, s0, adjoint.Input{}, graph.Counts)
	counts, err := op.Apply(wn, sn, cur)
	if err != nil {
		b.Fatal(err)
	}
	loss := G.Must(G.Sum(G.Must(G.Square(counts))))
	if _, err := G.Grad(loss, enc.M, wn); err != nil {
		b.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	b.ReportAllocs()
	for b.Loop() {
		// A new weight vector every time, as after an optimizer step, so
		// that the op cannot reuse its last forward pass.
		wn.Value().Data().([]float64)[0] += 1e-9
		if err := vm.RunAll(); err != nil {
			b.Fatal(err)
		}
		vm.Reset()
	}
	b.ReportMetric(float64(g.AllNodes().Len()), "nodes")
}
