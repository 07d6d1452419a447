package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/internal/rng"
)

func needSIMD(t *testing.T) {
	if !SIMD {
		t.Skip("no AVX2 on this machine (or BL1_NOSIMD is set): only the portable kernels run")
	}
}

// sameBits returns the first index where a and b differ in their bits, or
// -1. Any two NaNs are equal: which operand's NaN payload an instruction
// propagates depends on operand order, which the Go compiler may swap for
// commutative operations (and does, under -race).
func sameBits(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) && !(a[i] != a[i] && b[i] != b[i]) {
			return i
		}
	}
	return -1
}

func randSlice(r *rand.Rand, n int, f func() float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = f()
	}
	return x
}

// Extreme values every kernel must treat like the portable code.
var specials = []float32{0, float32(math.Copysign(0, -1)), 1e-30, 0.99e-30, 1e-38, 1e-45,
	float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 3e38, -3e38, 30, 29.999998, -87.5, 88.5}

func synInputs(r *rand.Rand, n int) (Conductances, []float32, []float32, []float32) {
	pos := func() float32 {
		switch r.IntN(10) {
		case 0:
			return 0
		case 1:
			return float32(math.Pow(10, -25-10*r.Float64())) // around the flush level
		case 2:
			return specials[r.IntN(len(specials))]
		}
		return r.Float32() * 2
	}
	g := Conductances{randSlice(r, n, pos), randSlice(r, n, pos), randSlice(r, n, pos),
		randSlice(r, n, pos), randSlice(r, n, pos), randSlice(r, n, pos)}
	exc, inh := randSlice(r, n, pos), randSlice(r, n, pos)
	v := randSlice(r, n, func() float32 {
		if r.IntN(20) == 0 {
			return specials[r.IntN(len(specials))] * float32(r.IntN(3)-1)
		}
		return -120 + 160*r.Float32()
	})
	return g, exc, inh, v
}

func cloneG(g Conductances) Conductances {
	return Conductances{slices.Clone(g.AMPA), slices.Clone(g.NMDARise), slices.Clone(g.NMDADecay),
		slices.Clone(g.GABAA), slices.Clone(g.GABABRise), slices.Clone(g.GABABDecay)}
}

var testSyn = prepared(Syn{
	DAMPA: 0.7788008, DNMDAr: 0.7788008, DNMDAd: 0.9950125, DGABAA: 0.9200444, DGABABr: 0.9889503, DGABABd: 0.9970631,
	InAMPA: 0.7, InNMDAr: 0.33156, InNMDAd: 0.33156, InGABAA: 0.9, InGABABr: 0.2194543, InGABABd: 0.2194543,
	EAMPA: 0, ENMDA: 0, EGABAA: -75, EGABAB: -95, MgK: 1 / 3.57,
})

func prepared(k Syn) Syn {
	k.Prepare()
	return k
}

// The AVX2 conductance step equals the portable one bit for bit.
func TestSynSIMDMatchesGeneric(t *testing.T) {
	needSIMD(t)
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{8, 16, 64, 1000, 4099} {
		g, exc, inh, v := synInputs(r, n)
		g0, exc0, inh0 := cloneG(g), slices.Clone(exc), slices.Clone(inh)
		g2, exc2, inh2 := cloneG(g), slices.Clone(exc), slices.Clone(inh)
		cur, cur2 := make([]float32, n), make([]float32, n)
		gt, gt2 := make([]float32, n), make([]float32, n)
		SynStep(&testSyn, g, exc, inh, v, cur, gt)
		synGeneric(&testSyn, g2.AMPA, g2.NMDARise, g2.NMDADecay, g2.GABAA, g2.GABABRise, g2.GABABDecay, exc2, inh2, v, cur2, gt2)
		// Without gTot the same state and current.
		g3, exc3, inh3 := cloneG(g0), slices.Clone(exc0), slices.Clone(inh0)
		cur3 := make([]float32, n)
		SynStep(&testSyn, g3, exc3, inh3, v, cur3, nil)
		for name, p := range map[string][2][]float32{
			"AMPA": {g.AMPA, g2.AMPA}, "NMDARise": {g.NMDARise, g2.NMDARise}, "NMDADecay": {g.NMDADecay, g2.NMDADecay},
			"GABAA": {g.GABAA, g2.GABAA}, "GABABRise": {g.GABABRise, g2.GABABRise}, "GABABDecay": {g.GABABDecay, g2.GABABDecay},
			"current": {cur, cur2}, "exc": {exc, exc2}, "inh": {inh, inh2}, "total conductance": {gt, gt2},
			"current without gTot": {cur, cur3}, "AMPA without gTot": {g.AMPA, g3.AMPA},
		} {
			if i := sameBits(p[0], p[1]); i >= 0 {
				t.Fatalf("n=%d %s[%d]: SIMD %v (v=%v), portable %v", n, name, i, p[0][i], v[i], p[1][i])
			}
		}
	}
}

// The Mg2+ block inside the kernel matches its formula (Jahr & Stevens
// 1990) to float32 precision: the current of a pure NMDA conductance is
// g·B(v)·(E - v).
func TestSynNMDACurrent(t *testing.T) {
	for _, simd := range []bool{false, true} {
		if simd && !SIMD {
			continue
		}
		old := SIMD
		SIMD = simd
		n := 16
		v := make([]float32, n)
		for i := range v {
			v[i] = -100 + 10*float32(i)
		}
		g := Conductances{make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)}
		for i := range n {
			g.NMDADecay[i] = 1 / testSyn.DNMDAd // decays to exactly 1 (within float32)
		}
		cur, gt := make([]float32, n), make([]float32, n)
		SynStep(&testSyn, g, make([]float32, n), make([]float32, n), v, cur, gt)
		for i := range n {
			nm := float64(g.NMDADecay[i] - g.NMDARise[i])
			gb := nm / (1 + math.Exp(-0.062*float64(v[i]))/3.57)
			want := gb * (0 - float64(v[i]))
			if d := math.Abs(float64(cur[i]) - want); d > 1e-6*math.Max(1, math.Abs(want)) {
				t.Fatalf("simd=%v v=%g: current %g, want %g", simd, v[i], cur[i], want)
			}
			// The total conductance is the blocked NMDA conductance.
			if d := math.Abs(float64(gt[i]) - gb); d > 1e-6*math.Max(1, gb) {
				t.Fatalf("simd=%v v=%g: total conductance %g, want %g", simd, v[i], gt[i], gb)
			}
		}
		SIMD = old
	}
}

// The AVX2 drive equals the portable one bit for bit, including the lanes
// that leave the ziggurat's fast path.
func TestDriveSIMDMatchesGeneric(t *testing.T) {
	needSIMD(t)
	r := rand.New(rand.NewPCG(3, 4))
	key := rng.NewKey(5, rng.Drive)
	for _, n := range []int{8, 24, 1000, 2048*8 + 13} {
		for step := range uint64(20) {
			k := key.Sub(step)
			first := uint32(r.IntN(1 << 20))
			cur := randSlice(r, n, func() float32 { return r.Float32()*4 - 2 })
			cur2 := slices.Clone(cur)
			Drive(cur, first, k, 1.5, 3)
			driveGeneric(cur2, first, k, 1.5, 3)
			if i := sameBits(cur, cur2); i >= 0 {
				t.Fatalf("n=%d step %d: neuron %d: SIMD %v, portable %v", n, step, first+uint32(i), cur[i], cur2[i])
			}
		}
	}
}

// The drive is mean + std·N(0,1): its sample moments match.
func TestDriveMoments(t *testing.T) {
	const n = 200000
	cur := make([]float32, n)
	Drive(cur, 0, rng.NewKey(9, rng.Drive).Sub(0), 2, 3)
	var m1, m2 float64
	for _, x := range cur {
		m1 += float64(x)
		m2 += float64(x) * float64(x)
	}
	m1 /= n
	sd := math.Sqrt(m2/n - m1*m1)
	// Standard errors: 3/sqrt(n) = 0.0067 for the mean, 3/sqrt(2n) = 0.0047 for the SD.
	if math.Abs(m1-2) > 0.034 || math.Abs(sd-3) > 0.024 {
		t.Fatalf("mean %.4f sd %.4f, want 2 and 3", m1, sd)
	}
}

func izhInputs(r *rand.Rand, n int) (Izhikevich, []float32) {
	p := Izhikevich{
		V:   randSlice(r, n, func() float32 { return -90 + 125*r.Float32() }),
		U:   randSlice(r, n, func() float32 { return -20 + 30*r.Float32() }),
		ADt: randSlice(r, n, func() float32 { return 0.01 + 0.05*r.Float32() }),
		B:   randSlice(r, n, func() float32 { return 0.2 + 0.05*r.Float32() }),
		C:   randSlice(r, n, func() float32 { return -65 + 15*r.Float32() }),
		D:   randSlice(r, n, func() float32 { return 2 + 6*r.Float32() }),
	}
	for k := 0; k < n/50; k++ {
		p.V[r.IntN(n)] = specials[r.IntN(len(specials))]
		p.U[r.IntN(n)] = specials[r.IntN(len(specials))]
	}
	I := randSlice(r, n, func() float32 { return -10 + 40*r.Float32() })
	return p, I
}

func cloneIzh(p Izhikevich) Izhikevich {
	return Izhikevich{slices.Clone(p.V), slices.Clone(p.U), p.ADt, p.B, p.C, p.D}
}

// The AVX2 Izhikevich step equals the portable one bit for bit: states,
// spikes and the first non-finite neuron.
func TestIzhSIMDMatchesGeneric(t *testing.T) {
	needSIMD(t)
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{8, 17, 1000, 2048*8 + 5} {
		p, I := izhInputs(r, n)
		// Forward Euler (phi nil) and exponential Euler.
		phi := randSlice(r, n, func() float32 { return r.Float32() })
		for _, ph := range [][]float32{nil, phi} {
			p1, q := cloneIzh(p), cloneIzh(p)
			s1, b1 := IzhStep(p1, I, ph, 0.5, 100, nil)
			s2, b2 := izhGeneric(q.V, q.U, q.ADt, q.B, q.C, q.D, I, ph, 0.5, 100, nil)
			if i := sameBits(p1.V, q.V); i >= 0 {
				t.Fatalf("n=%d phi %v v[%d]: SIMD %v, portable %v", n, ph != nil, i, p1.V[i], q.V[i])
			}
			if i := sameBits(p1.U, q.U); i >= 0 {
				t.Fatalf("n=%d phi %v u[%d]: SIMD %v, portable %v", n, ph != nil, i, p1.U[i], q.U[i])
			}
			if !slices.Equal(s1, s2) || len(s1) == 0 {
				t.Fatalf("n=%d phi %v: spikes %v vs %v", n, ph != nil, s1, s2)
			}
			if b1 != b2 {
				t.Fatalf("n=%d phi %v: first non-finite %d vs %d", n, ph != nil, b1, b2)
			}
		}
	}
	// A clean population reports -1.
	p, I := izhInputs(r, 64)
	for i := range p.V {
		p.V[i], p.U[i] = -65, -13
	}
	if _, bad := IzhStep(p, I, nil, 0.5, 0, nil); bad != -1 {
		t.Fatalf("finite population reported neuron %d", bad)
	}
}

func TestLengthsChecked(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("mismatched lengths did not panic")
		}
	}()
	IzhStep(Izhikevich{V: make([]float32, 3)}, make([]float32, 3), nil, 0.5, 0, nil)
}

func benchKernels(b *testing.B, simd, exp bool) {
	if simd && !SIMD {
		b.Skip("no AVX2")
	}
	old := SIMD
	SIMD = simd
	defer func() { SIMD = old }()
	const n = 10000
	r := rand.New(rand.NewPCG(1, 1))
	g, exc, inh, v := synInputs(r, n)
	for i := range v {
		v[i] = -70 + 20*r.Float32()
	}
	// Conductances of a culture between bursts (total ~0.2/ms) and arrivals
	// of a few synapses per step, so that the kernels take their usual paths.
	for _, x := range [][]float32{g.AMPA, g.NMDARise, g.NMDADecay, g.GABAA, g.GABABRise, g.GABABDecay, exc, inh} {
		for i := range x {
			if !(x[i] < 1e30) {
				x[i] = 0
			}
			x[i] *= 0.05
		}
	}
	p, I := izhInputs(r, n)
	cur := make([]float32, n)
	var gt []float32
	if exp {
		gt = make([]float32, n)
	}
	key := rng.NewKey(1, rng.Drive)
	spikes := make([]int32, 0, n)
	step := uint64(0)
	b.ReportAllocs()
	for b.Loop() {
		SynStep(&testSyn, g, exc, inh, v, cur, gt)
		Drive(cur, 0, key.Sub(step), 1, 3)
		if exp {
			Phi(gt, 0.5)
		}
		spikes, _ = IzhStep(p, I, gt, 0.5, 0, spikes[:0])
		step++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/neuron")
}

// BenchmarkKernels10k: one step of the three kernels on 10,000 neurons,
// by forward Euler and by exponential Euler (with Phi).
func BenchmarkKernels10kSIMD(b *testing.B)       { benchKernels(b, true, false) }
func BenchmarkKernels10kGeneric(b *testing.B)    { benchKernels(b, false, false) }
func BenchmarkKernels10kSIMDExp(b *testing.B)    { benchKernels(b, true, true) }
func BenchmarkKernels10kGenericExp(b *testing.B) { benchKernels(b, false, true) }

func TestLeak(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	for _, n := range []int{0, 5, 8, 37, 1000} {
		iSyn := randSlice(r, n, func() float32 { return r.Float32()*10 - 5 })
		v := randSlice(r, n, func() float32 { return r.Float32()*120 - 90 })
		gTot := randSlice(r, n, func() float32 { return r.Float32() })
		g, e := r.Float32()*0.1, float32(-75)
		want, wantG := make([]float32, n), make([]float32, n)
		for i := range want {
			d := e - v[i]
			gd := g * d
			want[i] = iSyn[i] + gd
			wantG[i] = gTot[i] + g
		}
		iSyn2 := slices.Clone(iSyn)
		Leak(iSyn, v, gTot, g, e)
		Leak(iSyn2, v, nil, g, e)
		if i := sameBits(iSyn, want); i >= 0 {
			t.Fatalf("n=%d: iSyn[%d] = %v, want %v", n, i, iSyn[i], want[i])
		}
		if i := sameBits(iSyn2, want); i >= 0 {
			t.Fatalf("n=%d without gTot: iSyn[%d] = %v, want %v", n, i, iSyn2[i], want[i])
		}
		if i := sameBits(gTot, wantG); i >= 0 {
			t.Fatalf("n=%d: gTot[%d] = %v, want %v", n, i, gTot[i], wantG[i])
		}
	}
}

func TestMul(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for _, n := range []int{0, 5, 8, 37, 1000} {
		x := randSlice(r, n, func() float32 { return r.Float32()*10 - 5 })
		y := randSlice(r, n, func() float32 { return r.Float32() * 3 })
		want := make([]float32, n)
		for i := range want {
			want[i] = x[i] * y[i]
		}
		Mul(x, y)
		if i := sameBits(x, want); i >= 0 {
			t.Fatalf("n=%d: x[%d] = %v, want %v", n, i, x[i], want[i])
		}
	}
}

// Phi is (1 - e^-y)/y at y = g·dt, computed in float64 from its definition
// (expm1 avoids the cancellation near 0): relative error below 2e-6
// (float32 rounding of the Taylor side, Exp32's 3e-7 and the cancellation
// 1 - e^-y for y >= 1).
func TestPhiAccuracy(t *testing.T) {
	for _, simd := range []bool{false, true} {
		if simd && !SIMD {
			continue
		}
		old := SIMD
		SIMD = simd
		var g []float32
		for y := -5.0; y <= 200; y += 0.00731 {
			g = append(g, float32(y/0.5))
		}
		g = append(g, 0, float32(math.Copysign(0, -1)), 1.9999, 2, 2.0001, -1.9999, -2.0001, 1e-30, 1e6)
		x := slices.Clone(g)
		Phi(x, 0.5)
		worst := 0.0
		for i, gi := range g {
			y := float64(float32(gi * 0.5))
			want := 1.0
			if y != 0 {
				want = -math.Expm1(-y) / y
			}
			if rel := math.Abs(float64(x[i])-want) / want; rel > worst {
				worst = rel
				if rel > 2e-6 {
					t.Fatalf("simd=%v: phi(%g) = %g, want %g (rel %.3g)", simd, y, x[i], want, rel)
				}
			}
		}
		SIMD = old
	}
}

// The AVX2 Phi equals the portable one bit for bit, on both sides of the
// polynomial's bound and at the specials.
func TestPhiSIMDMatchesGeneric(t *testing.T) {
	needSIMD(t)
	r := rand.New(rand.NewPCG(12, 13))
	for _, n := range []int{8, 19, 1000, 4097} {
		x := randSlice(r, n, func() float32 {
			switch r.IntN(6) {
			case 0:
				return specials[r.IntN(len(specials))]
			case 1:
				return r.Float32() * 2.4 // around |y| = 1 at dt 0.5
			case 2:
				return -r.Float32() * 2.4
			}
			return r.Float32() * 20
		})
		// One group with every lane on the polynomial's side.
		for i := range 8 {
			x[i] = r.Float32() * 1.9
		}
		y := slices.Clone(x)
		Phi(x, 0.5)
		phiGeneric(y, 0.5)
		if i := sameBits(x, y); i >= 0 {
			t.Fatalf("n=%d: phi[%d] SIMD %v, portable %v", n, i, x[i], y[i])
		}
	}
}

// Exponential Euler is exact for a membrane driven only by a conductance:
// v' = G (E - v) from v0 relaxes as E + (v0 - E) e^(-G t) at any step,
// where forward Euler oscillates and diverges once G dt > 2 (here the
// Izhikevich terms are cancelled by the input, so only G acts).
func TestPhiExactForConductance(t *testing.T) {
	const dt, E, v0 = 0.5, 0.0, -70.0
	for _, G := range []float64{0.01, 0.5, 3, 8, 40} {
		v := float32(v0)
		for k := 1; k <= 20; k++ {
			// t = c - G v with the Izhikevich terms cancelled: I = G(E - v) - f(v) + u.
			f := float32(0.04*v) + 5
			f = float32(f*v) + 140
			I := []float32{float32(G*(E-float64(v))) - f}
			phi := []float32{float32(G)}
			Phi(phi, dt)
			p := Izhikevich{V: []float32{v}, U: []float32{0}, ADt: []float32{0}, B: []float32{0}, C: []float32{-65}, D: []float32{0}}
			IzhStep(p, I, phi, dt, 0, nil)
			v = p.V[0]
			want := E + (v0-E)*math.Exp(-G*dt*float64(k))
			if math.Abs(float64(v)-want) > 1e-3 {
				t.Fatalf("G=%g step %d: v = %g, want %g", G, k, v, want)
			}
		}
	}
}

// BenchmarkPhi10k: the exponential-Euler factor of 10,000 neurons whose
// total conductances are those of a culture between bursts (0-0.5/ms:
// the polynomial side) and, in Burst, inside one (0-5/ms: mostly Exp32).
func BenchmarkPhi10k(b *testing.B) {
	for _, c := range []struct {
		name string
		gmax float32
	}{{"Rest", 0.5}, {"Burst", 5}} {
		b.Run(c.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(2, 3))
			g := randSlice(r, 10000, func() float32 { return c.gmax * r.Float32() })
			x := make([]float32, len(g))
			for b.Loop() {
				copy(x, g)
				Phi(x, 0.5)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(g)), "ns/neuron")
		})
	}
}
