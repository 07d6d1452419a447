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

// The pieces of the transform against math: sqrt(-2 ln u) and the
// quadrant-reduced sine and cosine.
func TestBoxMullerPieces(t *testing.T) {
	for _, a := range []uint32{0, 0xff, 1 << 8, 0x12345600, 0xffffff00, 0xffffffff, 0x80000000} {
		u := float64((a>>8)+1) / (1 << 24)
		want := math.Sqrt(-2 * math.Log(u))
		if got := float64(Radius(a)); math.Abs(got-want) > 1e-6*math.Max(1, want) {
			t.Fatalf("Radius(%#x) = %g, want %g", a, got, want)
		}
	}
	// The largest radius: u = 2^-24, sqrt(48 ln 2).
	if got := Radius(0); math.Abs(float64(got)-math.Sqrt(48*math.Ln2)) > 1e-5 {
		t.Fatalf("Radius(0) = %g", got)
	}
	for b := uint32(0); b < 1<<24; b += 997 {
		theta := 2*math.Pi*float64(b)/(1<<24) - math.Pi/4
		s, c := SinCos(b << 8)
		if math.Abs(float64(s)-math.Sin(theta)) > 3e-7 || math.Abs(float64(c)-math.Cos(theta)) > 3e-7 {
			t.Fatalf("SinCos(%#x) = %g, %g; want %g, %g", b<<8, s, c, math.Sin(theta), math.Cos(theta))
		}
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
	// Tail: P(|x| > 3) = 2.70e-3 for N(0,1).
	tail := 0
	for _, v := range x {
		if math.Abs(v) > 3 {
			tail++
		}
	}
	if e := 2.70e-3 * n; math.Abs(float64(tail)-e) > 5*math.Sqrt(e) {
		t.Fatalf("%d values beyond 3 sigma, want about %.0f", tail, e)
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
