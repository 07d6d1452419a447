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
