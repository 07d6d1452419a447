package surrogate

import (
	"math"
	"testing"
)

var kinds = []Kind{SuperSpike, Sigmoid, Arctan}

// Each surrogate is the derivative of its smooth form: central finite
// differences with h = 1e-6 have truncation error h²·|S”'|/6 below 1e-9
// for β <= 10 at these points, and rounding error about 1e-16/h = 1e-10.
func TestDerivIsSmoothDerivative(t *testing.T) {
	xs := []float64{-3, -0.7, -0.05, -0.003, 0.002, 0.04, 0.5, 4}
	for _, k := range kinds {
		for _, beta := range []float64{1, k.DefaultBeta()} {
			f := Func{Kind: k, Beta: beta}
			for _, x := range xs {
				const h = 1e-6
				fd := (f.Smooth(x+h) - f.Smooth(x-h)) / (2 * h)
				if d := f.Deriv(x); math.Abs(fd-d) > 1e-7*math.Max(1, math.Abs(d)) {
					t.Errorf("%v: σ'(%g) = %.12g, finite difference of S = %.12g", f, x, d, fd)
				}
			}
		}
	}
}

// Values at and far from threshold, computed analytically from the
// formulas of the package documentation.
func TestValues(t *testing.T) {
	tests := []struct {
		f             Func
		x             float64
		deriv, smooth float64
	}{
		{Func{SuperSpike, 10}, 0, 1, 0.1},                          // 1/(1+0)², (1+0)/β
		{Func{SuperSpike, 10}, 0.1, 0.25, (1 + 0.5) / 10},          // 1/(1+1)², (1 + 1/2)/β
		{Func{SuperSpike, 10}, -0.1, 0.25, (1 - 0.5) / 10},         // symmetric
		{Func{Sigmoid, 5}, 0, 1.25, 0.5},                           // β/4, s(0)
		{Func{Sigmoid, 5}, math.Log(3) / 5, 5 * 0.75 * 0.25, 0.75}, // s(ln 3) = 3/4
		{Func{Arctan, 10}, 0, 1, math.Pi / 20},                     // 1/(1+0), (π/2)/β
		{Func{Arctan, 10}, 0.1, 0.5, (math.Pi/2 + math.Pi/4) / 10}, // atan(1) = π/4
	}
	for _, tc := range tests {
		if got := tc.f.Deriv(tc.x); math.Abs(got-tc.deriv) > 1e-15 {
			t.Errorf("%v: σ'(%g) = %.17g, want %.17g", tc.f, tc.x, got, tc.deriv)
		}
		if got := tc.f.Smooth(tc.x); math.Abs(got-tc.smooth) > 1e-15 {
			t.Errorf("%v: S(%g) = %.17g, want %.17g", tc.f, tc.x, got, tc.smooth)
		}
		if got := float64(tc.f.Deriv32(float32(tc.x))); math.Abs(got-tc.deriv) > 1e-6*math.Max(1, tc.deriv) {
			t.Errorf("%v: float32 σ'(%g) = %g, want %g", tc.f, tc.x, got, tc.deriv)
		}
	}
}

// The smooth forms tend to 0 at -∞ and to their stated upper limits at +∞;
// the sigmoid's stays finite where e^(βx) overflows.
func TestSmoothLimits(t *testing.T) {
	for _, tc := range []struct {
		f  Func
		hi float64
	}{{Func{SuperSpike, 10}, 0.2}, {Func{Sigmoid, 5}, 1}, {Func{Arctan, 10}, math.Pi / 10}} {
		if lo := tc.f.Smooth(-1e6); lo < 0 || lo > 1e-6 {
			t.Errorf("%v: S(-1e6) = %g, want about 0", tc.f, lo)
		}
		if hi := tc.f.Smooth(1e6); math.Abs(hi-tc.hi) > 1e-6 {
			t.Errorf("%v: S(1e6) = %g, want about %g", tc.f, hi, tc.hi)
		}
		if d := tc.f.Deriv(-1e300); d < 0 || math.IsNaN(d) {
			t.Errorf("%v: σ'(-1e300) = %g", tc.f, d)
		}
	}
}

// The threshold itself spikes (v' >= θ, Izhikevich 2003 eq. 3).
func TestSpike(t *testing.T) {
	for _, tc := range []struct{ x, want float64 }{{0, 1}, {1e-300, 1}, {-1e-300, 0}, {-5, 0}, {math.Inf(1), 1}} {
		if got := Spike(tc.x); got != tc.want {
			t.Errorf("Spike(%g) = %g, want %g", tc.x, got, tc.want)
		}
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range kinds {
		got, err := ParseKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, err)
		}
	}
	if _, err := ParseKind("relu"); err == nil {
		t.Error("ParseKind(relu) succeeded")
	}
}

func TestValidate(t *testing.T) {
	for _, f := range []Func{{SuperSpike, 0}, {Sigmoid, -1}, {Arctan, math.NaN()}, {Arctan, math.Inf(1)}, {Kind(7), 1}} {
		if f.Validate() == nil {
			t.Errorf("%v: Validate accepted it", f)
		}
	}
	if err := New(Sigmoid).Validate(); err != nil {
		t.Error(err)
	}
}
