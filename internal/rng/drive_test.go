package rng

import (
	"math"
	"sort"
	"testing"
)

// Hash32 reference values computed from the published lowbias32 C code
// (x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16).
func TestHash32(t *testing.T) {
	ref := func(x uint32) uint32 {
		x ^= x >> 16
		x = uint32(uint64(x) * 0x7feb352d)
		x ^= x >> 15
		x = uint32(uint64(x) * 0x846ca68b)
		x ^= x >> 16
		return x
	}
	for _, x := range []uint32{0, 1, 2, 0xdeadbeef, 1 << 31, math.MaxUint32} {
		if Hash32(x) != ref(x) {
			t.Fatalf("Hash32(%#x) = %#x, want %#x", x, Hash32(x), ref(x))
		}
	}
	if Hash32(0) != 0 {
		t.Fatal("lowbias32 maps 0 to 0")
	}
}

func TestZig32FastPath(t *testing.T) {
	// The fast path accepts the mean of X[i+1]/X[i] over the 256 layers:
	// measured 0.9848 (the top layer, ratio 0, always takes the slow path).
	acc := 0
	for i := range 256 {
		acc += int(Zig32K[i])
		// Accepted values stay inside the layer's inner rectangle.
		if x := float64(float32(Zig32K[i]) * Zig32Xs[i]); i < 255 && x > zigX[i+1]*(1+1e-6) {
			t.Fatalf("layer %d: largest fast value %g beyond %g", i, x, zigX[i+1])
		}
	}
	if f := float64(acc) / (256 << 23); f < 0.98 || f > 0.99 {
		t.Fatalf("fast-path acceptance %.4f", f)
	}
}

// The drive deviates are N(0,1) (moments, KS) and uncorrelated between
// neighbouring neurons and consecutive steps.
func TestNorm32Distribution(t *testing.T) {
	const neurons, steps = 2000, 200
	key := NewKey(42, Drive)
	x := make([]float64, 0, neurons*steps)
	var prev []float64
	var lagN, lagS float64
	for s := range steps {
		k := key.Sub(uint64(s))
		cur := make([]float64, neurons)
		for i := range neurons {
			cur[i] = float64(Norm32(k, uint32(i)))
			if i > 0 {
				lagN += cur[i] * cur[i-1]
			}
			if prev != nil {
				lagS += cur[i] * prev[i]
			}
		}
		x = append(x, cur...)
		prev = cur
	}
	n := float64(len(x))
	var m1, m2, m4 float64
	for _, v := range x {
		m1 += v
		m2 += v * v
		m4 += v * v * v * v
	}
	m1, m2, m4 = m1/n, m2/n, m4/n
	// 5 standard errors: mean 1/sqrt(n), variance sqrt(2/n), m4 sqrt(96/n).
	if math.Abs(m1) > 5/math.Sqrt(n) || math.Abs(m2-1) > 5*math.Sqrt(2/n) || math.Abs(m4-3) > 5*math.Sqrt(96/n) {
		t.Fatalf("moments %.4f %.4f %.4f", m1, m2, m4)
	}
	// Lag-1 correlations have standard error 1/sqrt(pairs).
	if r := lagN / (n - steps); math.Abs(r) > 5/math.Sqrt(n) {
		t.Fatalf("neighbour correlation %.4f", r)
	}
	if r := lagS / (n - neurons); math.Abs(r) > 5/math.Sqrt(n) {
		t.Fatalf("step correlation %.4f", r)
	}
	sort.Float64s(x)
	var d float64
	for i, v := range x {
		c := 0.5 * math.Erfc(-v/math.Sqrt2)
		d = math.Max(d, math.Max(math.Abs(c-float64(i)/n), math.Abs(c-float64(i+1)/n)))
	}
	if crit := 1.95 / math.Sqrt(n); d > crit { // KS, alpha = 0.001
		t.Fatalf("KS distance %.5f exceeds %.5f", d, crit)
	}
	// Tail: P(|x| > 3.6542) = 2.58e-4 for N(0,1).
	tail := 0
	for _, v := range x {
		if math.Abs(v) > zigR {
			tail++
		}
	}
	if e := 2.58e-4 * n; math.Abs(float64(tail)-e) > 5*math.Sqrt(e) {
		t.Fatalf("%d tail values, want about %.0f", tail, e)
	}
}

func BenchmarkNorm32(b *testing.B) {
	k := NewKey(1, Drive).Sub(9)
	dst := make([]float32, 10000)
	for b.Loop() {
		for i := range dst {
			dst[i] = Norm32(k, uint32(i))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(dst)), "ns/value")
}
