package graph

import (
	"errors"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The builder refuses a node it has seen: that is what Gorgonia's
// hash-consing returns when two different expressions collide.
func TestBuilderDetectsMergedNodes(t *testing.T) {
	b := &builder{g: G.NewGraph(), seen: map[*G.Node]bool{}}
	x := b.vec("x", []float64{1, 2})
	y := b.add(x, x)
	defer func() {
		r := recover()
		err, ok := r.(error)
		var hc *HashConsError
		if !ok || !errors.As(err, &hc) {
			t.Fatalf("recovered %v, want a *HashConsError", r)
		}
	}()
	b.op(y, nil)
}

// Leaves with the same name prefix are distinct nodes.
func TestLeavesAreUnique(t *testing.T) {
	b := &builder{g: G.NewGraph(), seen: map[*G.Node]bool{}}
	a := b.vec("c", []float64{1, 2})
	c := b.vec("c", []float64{1, 2})
	if a == c {
		t.Fatal("two leaves with equal values were merged")
	}
	m1 := b.mat("m", 2, 2, make([]float64, 4))
	if m1.Shape()[0] != 2 || !m1.Shape().Eq(tensor.Shape{2, 2}) {
		t.Fatalf("matrix shape %v", m1.Shape())
	}
}
