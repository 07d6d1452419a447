package surrogate

import (
	"fmt"
	"math"
	"strings"
)

// Kind names a surrogate derivative.
type Kind uint8

// Surrogates.
const (
	SuperSpike Kind = iota
	Sigmoid
	Arctan
)

// String returns the name used in configs.
func (k Kind) String() string {
	switch k {
	case SuperSpike:
		return "superspike"
	case Sigmoid:
		return "sigmoid"
	case Arctan:
		return "arctan"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind reads a surrogate name (case-insensitive).
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(s) {
	case "superspike":
		return SuperSpike, nil
	case "sigmoid":
		return Sigmoid, nil
	case "arctan":
		return Arctan, nil
	}
	return 0, fmt.Errorf("unknown surrogate %q (known: superspike, sigmoid, arctan)", s)
}

// DefaultBeta returns BL-1's default slope of a surrogate
// (src/bl1/core/surrogate.py): 10 for SuperSpike and arctan, 5 for the
// sigmoid.
func (k Kind) DefaultBeta() float64 {
	if k == Sigmoid {
		return 5
	}
	return 10
}

// Func is a spike nonlinearity: the Heaviside step forward, the surrogate
// derivative of kind Kind with slope Beta backward. Its argument is the
// distance to threshold, x = v - θ.
type Func struct {
	Kind Kind
	Beta float64 // slope, 1/mV; > 0
}

// New returns the surrogate of kind k with its default slope.
func New(k Kind) Func { return Func{Kind: k, Beta: k.DefaultBeta()} }

// Validate reports an unknown kind or a slope that is not positive and
// finite.
func (f Func) Validate() error {
	if f.Kind > Arctan {
		return fmt.Errorf("surrogate kind %d unknown", f.Kind)
	}
	if !(f.Beta > 0) || math.IsInf(f.Beta, 0) {
		return fmt.Errorf("surrogate slope beta = %g, must be > 0 and finite", f.Beta)
	}
	return nil
}

func (f Func) String() string { return fmt.Sprintf("%v(β=%g)", f.Kind, f.Beta) }

// Spike returns the Heaviside step: 1 if x >= 0, else 0.
func Spike(x float64) float64 {
	if x >= 0 {
		return 1
	}
	return 0
}

// Deriv returns the surrogate derivative σ'(x).
func (f Func) Deriv(x float64) float64 {
	b := f.Beta
	switch f.Kind {
	case SuperSpike:
		d := 1 + b*math.Abs(x)
		return 1 / (d * d)
	case Sigmoid:
		s := logistic(b * x)
		return b * s * (1 - s)
	case Arctan:
		y := b * x
		return 1 / (1 + y*y)
	}
	panic(badKind)
}

// Smooth returns S(x), the antiderivative of Deriv that is 0 at -∞ (see the
// package documentation).
func (f Func) Smooth(x float64) float64 {
	b := f.Beta
	switch f.Kind {
	case SuperSpike:
		return (1 + b*x/(1+b*math.Abs(x))) / b
	case Sigmoid:
		return logistic(b * x)
	case Arctan:
		return (math.Pi/2 + math.Atan(b*x)) / b
	}
	panic(badKind)
}

// Deriv32 is Deriv in float32 arithmetic.
func (f Func) Deriv32(x float32) float32 {
	b := float32(f.Beta)
	switch f.Kind {
	case SuperSpike:
		d := 1 + b*float32(math.Abs(float64(x)))
		return 1 / (d * d)
	case Sigmoid:
		s := float32(logistic(float64(b * x)))
		return b * s * (1 - s)
	case Arctan:
		y := b * x
		return 1 / (1 + y*y)
	}
	panic(badKind)
}

// Smooth32 is Smooth rounded to float32.
func (f Func) Smooth32(x float32) float32 { return float32(f.Smooth(float64(x))) }

const badKind = "surrogate: unknown kind"

// logistic is 1/(1+e^(-y)) without overflow.
func logistic(y float64) float64 {
	if y >= 0 {
		return 1 / (1 + math.Exp(-y))
	}
	e := math.Exp(y)
	return e / (1 + e)
}
