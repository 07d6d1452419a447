package gorgoniapin

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
)

// z = x·e^y at x = 1, y = 0.5: dz/dx = e^0.5 = 1.6487, dz/dy = x·e^y =
// 1.6487 (computed analytically).
func TestGradient(t *testing.T) {
	g := G.NewGraph()
	x := G.NewScalar(g, G.Float64, G.WithName("x"), G.WithValue(1.0))
	y := G.NewScalar(g, G.Float64, G.WithName("y"), G.WithValue(0.5))
	z := G.Must(G.Mul(x, G.Must(G.Exp(y))))
	grads, err := G.Grad(z, x, y)
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	want := math.Exp(0.5)
	for i, gr := range grads {
		if got := gr.Value().Data().(float64); math.Abs(got-want) > 1e-12 {
			t.Fatalf("gradient %d = %v, want %v", i, got, want)
		}
	}
}
