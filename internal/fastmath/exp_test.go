package fastmath

import (
	"math"
	"testing"
)

func TestExpAccuracy(t *testing.T) {
	worst := 0.0
	for x := -700.0; x <= 700; x += 0.0137 {
		got, want := Exp(x), math.Exp(x)
		if rel := math.Abs(got-want) / want; rel > worst {
			worst = rel
		}
	}
	if worst > 1e-8 {
		t.Fatalf("max relative error %.3g, want < 1e-8", worst)
	}
	if got := Exp(0); got != 1 {
		t.Fatalf("Exp(0) = %v", got)
	}
	if !math.IsNaN(Exp(math.NaN())) {
		t.Fatal("Exp(NaN) is not NaN")
	}
	if Exp(-1e6) <= 0 || math.IsInf(Exp(1e6), 1) {
		t.Fatal("Exp does not saturate")
	}
}

func BenchmarkExp(b *testing.B) {
	x := make([]float64, 1024)
	for i := range x {
		x[i] = -5 + float64(i)/100
	}
	var s float64
	for b.Loop() {
		for _, v := range x {
			s += Exp(v)
		}
	}
	_ = s
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/exp")
}

func BenchmarkMathExp(b *testing.B) {
	x := make([]float64, 1024)
	for i := range x {
		x[i] = -5 + float64(i)/100
	}
	var s float64
	for b.Loop() {
		for _, v := range x {
			s += math.Exp(v)
		}
	}
	_ = s
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/exp")
}

func TestExp32Accuracy(t *testing.T) {
	worst, at := 0.0, 0.0
	for x := -87.0; x <= 88; x += 0.00173 {
		got := float64(Exp32(float32(x)))
		want := math.Exp(float64(float32(x)))
		if rel := math.Abs(got-want) / want; rel > worst {
			worst, at = rel, x
		}
	}
	if worst > 3e-7 {
		t.Fatalf("max relative error %.3g at x = %g, want < 3e-7", worst, at)
	}
	if Exp32(0) != 1 {
		t.Fatalf("Exp32(0) = %v", Exp32(0))
	}
	if !math.IsNaN(float64(Exp32(float32(math.NaN())))) {
		t.Fatal("Exp32(NaN) is not NaN")
	}
	if v := Exp32(-1000); v <= 0 || v != Exp32(Exp32Lo) {
		t.Fatalf("Exp32(-1000) = %v, want the clamped value", v)
	}
	if v := Exp32(1000); math.IsInf(float64(v), 1) {
		t.Fatal("Exp32 overflows")
	}
}

func BenchmarkExp32(b *testing.B) {
	x := make([]float32, 1024)
	for i := range x {
		x[i] = -5 + float32(i)/100
	}
	var s float32
	for b.Loop() {
		for _, v := range x {
			s += Exp32(v)
		}
	}
	_ = s
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/exp")
}

func TestLog32Accuracy(t *testing.T) {
	worst := 0.0
	var at float32
	for _, x := range []float32{1, 0.5, 2, 1.4142135, 1.4142137, 0.70710677, 1e-7, 5.9604645e-08, 3e30} {
		if d := math.Abs(float64(Log32(x)) - math.Log(float64(x))); d > 2e-7*math.Max(1, math.Abs(math.Log(float64(x)))) {
			t.Fatalf("Log32(%g) = %g, want %g", x, Log32(x), math.Log(float64(x)))
		}
	}
	for x := float32(1e-30); x < 1e30; x *= 1.0013 {
		want := math.Log(float64(x))
		d := math.Abs(float64(Log32(x)) - want)
		if r := d / math.Max(1, math.Abs(want)); r > worst {
			worst, at = r, x
		}
	}
	if worst > 2e-7 {
		t.Fatalf("max error %.3g at x = %g", worst, at)
	}
}
