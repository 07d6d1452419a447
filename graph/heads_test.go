package graph_test

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/graph"
	"github.com/bl1-go/bl1/internal/adjtest"
)

// The bounded encoder never asks an electrode for more than Amp, however
// large the task variables; the current per neuron is the coupling times
// the stimulation (computed by hand below).
func TestEncoderBounded(t *testing.T) {
	g := G.NewGraph()
	u := G.NewVector(g, G.Float64, G.WithShape(2), G.WithName("u"), G.WithValue(tensor.New(tensor.WithBacking([]float64{1e3, -2e3}))))
	enc, err := graph.NewEncoder(g, 2, []float64{1, 0, 0.5, 0.5, 0, 2}, 3, 2, 5, 3)
	if err != nil {
		t.Fatal(err)
	}
	stim, cur, err := enc.Apply(u)
	if err != nil {
		t.Fatal(err)
	}
	var sv, cv G.Value
	G.Read(stim, &sv)
	G.Read(cur, &cv)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	s := sv.Data().([]float64)
	c := cv.Data().([]float64)
	for _, x := range s {
		if math.Abs(x) > 5 {
			t.Errorf("stimulation %g beyond the amplitude 5", x)
		}
	}
	want := []float64{s[0], 0.5*s[0] + 0.5*s[1], 2 * s[1]}
	for i := range want {
		if math.Abs(c[i]-want[i]) > 1e-12 {
			t.Errorf("current of neuron %d = %g, want %g", i, c[i], want[i])
		}
	}
}

// The decoder's channels are the assigned counts divided by the norm.
func TestDecoderChannels(t *testing.T) {
	g := G.NewGraph()
	counts := G.NewVector(g, G.Float64, G.WithShape(3), G.WithName("c"), G.WithValue(tensor.New(tensor.WithBacking([]float64{2, 4, 6}))))
	dec, err := graph.NewDecoder(g, []float64{1, 1, 0, 0, 0, 1}, 2, 3, 1, 0.5, 1)
	if err != nil {
		t.Fatal(err)
	}
	ch, _, err := dec.Apply(counts)
	if err != nil {
		t.Fatal(err)
	}
	var v G.Value
	G.Read(ch, &v)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	// (2 + 4)/0.5 = 12 and 6/0.5 = 12.
	if got := v.Data().([]float64); got[0] != 12 || got[1] != 12 {
		t.Errorf("channels %v, want [12 12]", got)
	}
}

func TestHeadsRejectBadShapes(t *testing.T) {
	g := G.NewGraph()
	if _, err := graph.NewEncoder(g, 2, make([]float64, 5), 3, 2, 1, 1); err == nil {
		t.Error("encoder accepted a coupling of the wrong size")
	}
	if _, err := graph.NewEncoder(g, 2, make([]float64, 6), 3, 2, -1, 1); err == nil {
		t.Error("encoder accepted a negative amplitude")
	}
	if _, err := graph.NewDecoder(g, make([]float64, 6), 2, 3, 1, 0, 1); err == nil {
		t.Error("decoder accepted a zero norm")
	}
	if _, err := graph.NewDecoder(g, make([]float64, 5), 2, 3, 1, 1, 1); err == nil {
		t.Error("decoder accepted an assignment of the wrong size")
	}
}

// Unroll refuses windows whose graphs would be too big for Gorgonia.
func TestUnrollRefusesLongWindows(t *testing.T) {
	m, p, s0 := adjtest.Network(adjtest.Spec{Seed: 1, NIzh: 3})
	if _, err := graph.Unroll(m, p, s0, adjoint.Input{}, 1000, adjoint.Options{}, nil); err == nil {
		t.Error("Unroll accepted 1,000 steps")
	}
}
