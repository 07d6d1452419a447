package rng

import (
	"math"
	"sort"
	"testing"
)

// SplitMix64 reference outputs for seed 0 (Steele, Lea & Flood 2014;
// the same values are printed by the public-domain splitmix64.c of
// Vigna, https://prng.di.unimi.it/splitmix64.c).
func TestSourceMatchesSplitMix64(t *testing.T) {
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	var s Source
	for i, w := range want {
		if got := s.Uint64(); got != w {
			t.Fatalf("output %d = %#x, want %#x", i, got, w)
		}
	}
}

func TestAtEqualsSource(t *testing.T) {
	k := NewKey(42, Drive)
	s := k.Source()
	for i := uint64(0); i < 100; i++ {
		if a, b := k.At(i), s.Uint64(); a != b {
			t.Fatalf("At(%d) = %#x, sequential %#x", i, a, b)
		}
	}
}

func TestKeysDiffer(t *testing.T) {
	seen := map[Key]bool{}
	for seed := uint64(0); seed < 50; seed++ {
		for s := Placement; s <= Parameters; s++ {
			k := NewKey(seed, s)
			if seen[k] {
				t.Fatalf("duplicate key for seed %d stream %d", seed, s)
			}
			seen[k] = true
		}
	}
}

// The normal deviates must have the moments of N(0,1) and pass a
// Kolmogorov-Smirnov test against its CDF.
func TestNormDistribution(t *testing.T) {
	const n = 400000
	k := NewKey(7, Drive)
	x := make([]float64, n)
	var m1, m2, m4 float64
	for i := range x {
		v := Norm(k.At(uint64(i)))
		x[i] = v
		m1 += v
		m2 += v * v
		m4 += v * v * v * v
	}
	m1 /= n
	m2 /= n
	m4 /= n
	// Standard errors: mean 1/sqrt(n) = 0.0016, variance sqrt(2/n) = 0.0022,
	// fourth moment sqrt(96/n) = 0.015; 5 standard errors allowed.
	if math.Abs(m1) > 0.008 || math.Abs(m2-1) > 0.011 || math.Abs(m4-3) > 0.08 {
		t.Fatalf("moments mean %.4f var %.4f m4 %.4f, want 0, 1, 3", m1, m2, m4)
	}
	sort.Float64s(x)
	var d float64
	for i, v := range x {
		c := 0.5 * math.Erfc(-v/math.Sqrt2)
		d = math.Max(d, math.Max(math.Abs(c-float64(i)/n), math.Abs(c-float64(i+1)/n)))
	}
	// KS critical value at alpha = 0.001 is 1.95/sqrt(n).
	if crit := 1.95 / math.Sqrt(n); d > crit {
		t.Fatalf("KS distance %.5f exceeds %.5f", d, crit)
	}
	// The tail beyond r must be sampled: P(|x| > 3.654) = 2.58e-4.
	tail := 0
	for _, v := range x {
		if math.Abs(v) > zigR {
			tail++
		}
	}
	if exp := 2.58e-4 * n; math.Abs(float64(tail)-exp) > 5*math.Sqrt(exp) {
		t.Fatalf("%d tail samples, want about %.0f", tail, exp)
	}
}

func TestZigguratLayersHaveEqualArea(t *testing.T) {
	for i := 1; i < 256; i++ {
		area := zigX[i] * (zigF[i+1] - zigF[i])
		if math.Abs(area-zigV)/zigV > 1e-6 {
			t.Fatalf("layer %d area %.10g, want %.10g", i, area, zigV)
		}
	}
}

func TestGeometricMean(t *testing.T) {
	for _, p := range []float64{0.01, 0.21, 0.9} {
		s := NewKey(1, Connect).Source()
		lnq := math.Log1p(-p)
		const n = 200000
		var sum float64
		for range n {
			sum += float64(s.Geometric(lnq))
		}
		mean := sum / n
		want := (1 - p) / p
		sd := math.Sqrt((1-p)/(p*p)) / math.Sqrt(n)
		if math.Abs(mean-want) > 5*sd {
			t.Errorf("p=%g: mean %.4f, want %.4f", p, mean, want)
		}
	}
	s := NewKey(1, Connect).Source()
	if g := s.Geometric(math.Inf(-1)); g != 0 {
		t.Fatalf("p=1 gave %d", g)
	}
}

func TestIntnUniform(t *testing.T) {
	s := NewKey(3, Types).Source()
	var counts [7]int
	const n = 70000
	for range n {
		counts[s.Intn(7)]++
	}
	for i, c := range counts {
		if math.Abs(float64(c)-n/7) > 5*math.Sqrt(n/7) {
			t.Fatalf("bucket %d has %d of %d", i, c, n)
		}
	}
}

func BenchmarkNorm(b *testing.B) {
	k := NewKey(1, Drive)
	var s float64
	i := uint64(0)
	for b.Loop() {
		s += Norm(k.At(i))
		i++
	}
	_ = s
}

func BenchmarkNormFill(b *testing.B) {
	k := NewKey(1, Drive)
	dst := make([]float32, 10000)
	for b.Loop() {
		ks := k.Sub(3)
		for i := range dst {
			dst[i] = float32(Norm(ks.At(uint64(i))))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(dst)), "ns/value")
}
