// Package elemop holds what the project's elementwise Gorgonia operations
// (the spike of package surrogate, the exponential-Euler factor of package
// graph) share: evaluating a scalar function over a value of any shape.
package elemop

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ShapeOf returns a copy of an operand's shape.
func ShapeOf(d G.DimSizer) (tensor.Shape, error) {
	s, ok := d.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("elemop: expected a shape, got %T", d)
	}
	return s.Clone(), nil
}

// Apply computes out = f(x, g) elementwise (g may be nil) into prealloc
// when it fits, or a new value.
func Apply(prealloc, x, g G.Value, f64 func(x, g float64) float64, f32 func(x, g float32) float32) (G.Value, error) {
	switch x := x.(type) {
	case *G.F64:
		var gv float64
		if g != nil {
			gg, ok := g.(*G.F64)
			if !ok {
				return nil, fmt.Errorf("elemop: gradient %T does not match input %T", g, x)
			}
			gv = float64(*gg)
		}
		return G.NewF64(f64(float64(*x), gv)), nil
	case *G.F32:
		var gv float32
		if g != nil {
			gg, ok := g.(*G.F32)
			if !ok {
				return nil, fmt.Errorf("elemop: gradient %T does not match input %T", g, x)
			}
			gv = float32(*gg)
		}
		return G.NewF32(f32(float32(*x), gv)), nil
	case *tensor.Dense:
		var gd *tensor.Dense
		if g != nil {
			var ok bool
			if gd, ok = g.(*tensor.Dense); !ok || gd.Dtype() != x.Dtype() || gd.Shape().TotalSize() != x.Shape().TotalSize() {
				return nil, fmt.Errorf("elemop: gradient %v does not match input %v", g.Shape(), x.Shape())
			}
		}
		out, ok := prealloc.(*tensor.Dense)
		if !ok || out.Dtype() != x.Dtype() || out.Shape().TotalSize() != x.Shape().TotalSize() {
			out = tensor.New(tensor.Of(x.Dtype()), tensor.WithShape(x.Shape().Clone()...))
		}
		switch x.Dtype() {
		case tensor.Float64:
			xs, os := x.Float64s(), out.Float64s()
			var gs []float64
			if gd != nil {
				gs = gd.Float64s()
			}
			for i, xi := range xs {
				var gi float64
				if gs != nil {
					gi = gs[i]
				}
				os[i] = f64(xi, gi)
			}
		case tensor.Float32:
			xs, os := x.Float32s(), out.Float32s()
			var gs []float32
			if gd != nil {
				gs = gd.Float32s()
			}
			for i, xi := range xs {
				var gi float32
				if gs != nil {
					gi = gs[i]
				}
				os[i] = f32(xi, gi)
			}
		default:
			return nil, fmt.Errorf("elemop: dtype %v not supported (float32 or float64)", x.Dtype())
		}
		return out, nil
	}
	return nil, fmt.Errorf("elemop: value of type %T not supported", x)
}
