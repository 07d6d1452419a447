package models_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/models"
)

// hybridNames are the cell types of the hybrid population, Izhikevich ones
// first as Population requires, in an order unlike BuiltinNames' so that
// index bookkeeping errors show.
var hybridNames = []string{
	"LTS", "RS", "FS", "IB", "CH",
	"AdEx_irregular", "AdEx_tonic", "AdEx_RS", "AdEx_bursting", "AdEx_adapting",
	"AdEx_transient", "AdEx_initial_burst", "AdEx_delayed_bursting", "AdEx_delayed_accelerating",
}

// hybridInput is each neuron's drive during the step, per unit capacitance:
// I = 10 for Izhikevich neurons (Izhikevich 2003, Fig. 2), the Naud et al.
// 2008 Table 1 current (or bgCurrent for AdEx_RS) divided by C for AdEx.
func hybridInput(t *testing.T, name string) float32 {
	ty := builtin(t, name)
	if ty.Kind == models.KindIzhikevich {
		return izhI
	}
	iPA, ok := naudCurrent[name]
	if !ok {
		iPA = bgCurrent
	}
	return float32(iPA / ty.AdEx.C)
}

// newHybrid builds the hybrid population of hybridNames at dt.
func newHybrid(t *testing.T, dt float64) *models.Population {
	nIzh := 5
	pop := models.NewPopulation(len(hybridNames), nIzh, dt)
	for i, name := range hybridNames {
		ty := builtin(t, name)
		if (i < nIzh) != (ty.Kind == models.KindIzhikevich) {
			t.Fatalf("hybridNames out of order at %d", i)
		}
		if i < nIzh {
			pop.SetIzhikevich(i, ty.Izhikevich)
		} else {
			pop.SetAdEx(i, ty.AdEx)
		}
	}
	return pop
}

// TestHybridPopulation checks that each neuron of a population mixing both
// models evolves bit for bit as it does alone in a one-neuron population,
// spike for spike, and that Step appends the spiking indices in order after
// what the slice already holds.
func TestHybridPopulation(t *testing.T) {
	const dt, pre, dur = 0.1, 50.0, 300.0 // ms: long enough for every pattern's first ISIs
	n := len(hybridNames)
	pop := newHybrid(t, dt)
	alone := make([]*models.Population, n)
	for i, name := range hybridNames {
		ty := builtin(t, name)
		if ty.Kind == models.KindIzhikevich {
			alone[i] = models.NewPopulation(1, 1, dt)
			alone[i].SetIzhikevich(0, ty.Izhikevich)
		} else {
			alone[i] = models.NewPopulation(1, 0, dt)
			alone[i].SetAdEx(0, ty.AdEx)
		}
	}
	I := make([]float32, n)
	I1 := make([]float32, 1)
	counts := make([]int, n)
	steps := int(math.Round((pre + dur) / dt))
	for s := range steps {
		for i, name := range hybridNames {
			I[i] = 0
			if float64(s)*dt >= pre {
				I[i] = hybridInput(t, name)
			}
		}
		// A sentinel in front: Step must append, not overwrite.
		spikes, bad := pop.Step(0, n, I, nil, []int32{-7})
		if bad != -1 {
			t.Fatalf("step %d: neuron %d non-finite", s, bad)
		}
		if spikes[0] != -7 || !slices.IsSorted(spikes[1:]) {
			t.Fatalf("step %d: spikes %v, want -7 then ascending indices", s, spikes)
		}
		for i, a := range alone {
			I1[0] = I[i]
			one, _ := a.Step(0, 1, I1, nil, nil)
			spiked := slices.Contains(spikes[1:], int32(i))
			if spiked != (len(one) == 1) {
				t.Fatalf("step %d: %s spiked %v in the population, %v alone", s, hybridNames[i], spiked, len(one) == 1)
			}
			if spiked {
				counts[i]++
			}
			if pop.V[i] != a.V[0] || pop.R[i] != a.R[0] {
				t.Fatalf("step %d: %s state (%v, %v) in the population, (%v, %v) alone",
					s, hybridNames[i], pop.V[i], pop.R[i], a.V[0], a.R[0])
			}
		}
	}
	for i, c := range counts {
		if c == 0 {
			t.Errorf("%s never spiked: the comparison proves little", hybridNames[i])
		}
	}
}

// TestStepRanges checks that stepping the population in ranges, as the
// engine's workers do, including ranges that straddle the Izhikevich/AdEx
// boundary at 5, gives the same states and spikes as one whole Step.
func TestStepRanges(t *testing.T) {
	const dt = 0.5 // ms, BL-1's step
	n := len(hybridNames)
	whole, parts := newHybrid(t, dt), newHybrid(t, dt)
	I := make([]float32, n)
	for i, name := range hybridNames {
		I[i] = hybridInput(t, name)
	}
	cuts := []int{0, 3, 5, 6, 11, n} // [0,3) [3,5) [5,6) [6,11) [11,n); plus [4,9) below
	for s := range 400 {             // 200 ms
		want, _ := whole.Step(0, n, I, nil, nil)
		var got []int32
		if s%2 == 0 {
			for k := 1; k < len(cuts); k++ {
				got, _ = parts.Step(cuts[k-1], cuts[k], I, nil, got)
			}
		} else {
			got, _ = parts.Step(0, 4, I, nil, got)
			got, _ = parts.Step(4, 9, I, nil, got) // across the boundary
			got, _ = parts.Step(9, n, I, nil, got)
		}
		parts.Step(3, 3, I, nil, nil) // empty range: a no-op
		if !slices.Equal(got, want) {
			t.Fatalf("step %d: spikes %v by ranges, %v whole", s, got, want)
		}
		if !slices.Equal(whole.V, parts.V) || !slices.Equal(whole.R, parts.R) {
			t.Fatalf("step %d: states differ", s)
		}
	}
}

// TestNonFinite checks that Step reports the first neuron whose state
// becomes NaN or infinite, and -1 while all are finite.
func TestNonFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	const nIzh = 3 // neurons 0-2 RS, 3-5 AdEx_tonic
	cases := []struct {
		name   string
		poison func(p *models.Population, I []float32)
		lo, hi int
		want   int
	}{
		{"healthy", func(*models.Population, []float32) {}, 0, 6, -1},
		{"NaN input, Izhikevich", func(_ *models.Population, I []float32) { I[1] = nan }, 0, 6, 1},
		{"-Inf input, Izhikevich", func(_ *models.Population, I []float32) { I[2] = -inf }, 0, 6, 2},
		// +Inf drives v to +Inf, which crosses the peak: the state is
		// non-finite before the reset would hide it.
		{"+Inf input, Izhikevich", func(_ *models.Population, I []float32) { I[0] = inf }, 0, 6, 0},
		{"NaN input, AdEx", func(_ *models.Population, I []float32) { I[4] = nan }, 0, 6, 4},
		{"-Inf input, AdEx", func(_ *models.Population, I []float32) { I[5] = -inf }, 0, 6, 5},
		{"+Inf input, AdEx", func(_ *models.Population, I []float32) { I[3] = inf }, 0, 6, 3},
		{"NaN v", func(p *models.Population, _ []float32) { p.V[4] = nan }, 0, 6, 4},
		{"+Inf u", func(p *models.Population, _ []float32) { p.R[1] = inf }, 0, 6, 1},
		{"+Inf w", func(p *models.Population, _ []float32) { p.R[5] = inf }, 0, 6, 5},
		{"first of several", func(_ *models.Population, I []float32) { I[2], I[3], I[5] = nan, nan, nan }, 0, 6, 2},
		{"AdEx only when Izhikevich healthy", func(_ *models.Population, I []float32) { I[5] = nan }, 0, 6, 5},
		{"outside the stepped range", func(_ *models.Population, I []float32) { I[0], I[5] = nan, nan }, 1, 5, -1},
		{"inside a sub-range", func(_ *models.Population, I []float32) { I[4] = nan }, 2, 5, 4},
	}
	rs, tonic := builtin(t, "RS").Izhikevich, builtin(t, "AdEx_tonic").AdEx
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := models.NewPopulation(6, nIzh, 0.1)
			for i := range nIzh {
				p.SetIzhikevich(i, rs)
			}
			for i := nIzh; i < 6; i++ {
				p.SetAdEx(i, tonic)
			}
			I := make([]float32, 6)
			for i := nIzh; i < 6; i++ {
				I[i] = 2.5 // 500 pA / 200 pF, Naud et al. 2008 Table 1
			}
			for i := range nIzh {
				I[i] = izhI
			}
			c.poison(p, I)
			if _, bad := p.Step(c.lo, c.hi, I, nil, nil); bad != c.want {
				t.Errorf("Step returned bad = %d, want %d", bad, c.want)
			}
		})
	}
}

// TestAdExExponentCap checks that a membrane potential far above V_T (here
// 1e4 mV, where e^((V-V_T)/Δ_T) overflows float64 without the cap at 20 of
// models/doc.go) stays finite, grown by exactly the capped exponential.
func TestAdExExponentCap(t *testing.T) {
	q := builtin(t, "AdEx_RS").AdEx
	q.VPeak = 1e30 // keep V above threshold for the step so that only the cap bounds the exponential
	p := models.NewPopulation(1, 0, 0.1)
	p.SetAdEx(0, q)
	p.V[0] = 1e4
	_, bad := p.Step(0, 1, []float32{0}, nil, nil)
	if bad != -1 {
		t.Fatalf("state non-finite after one step from V = 1e4 mV: V = %v, w = %v", p.V[0], p.R[0])
	}
	// V grows by dt/C · g_L Δ_T e^20 (plus the leak), computed analytically.
	want := 1e4 + 0.1/q.C*(q.GL*q.DeltaT*math.Exp(20)-q.GL*(1e4-q.EL))
	if got := float64(p.V[0]); math.Abs(got-want) > 1e-5*want {
		t.Errorf("V = %g, want %g (exponent capped at 20)", got, want)
	}
}

func TestPopulationAccessors(t *testing.T) {
	p := newHybrid(t, 0.1)
	if p.Len() != len(hybridNames) {
		t.Errorf("Len() = %d, want %d", p.Len(), len(hybridNames))
	}
	if p.Dt() != float64(float32(0.1)) {
		t.Errorf("Dt() = %v, want float32(0.1)", p.Dt())
	}
	for i, name := range hybridNames {
		ty := builtin(t, name)
		want := 1.0 // Izhikevich eqs. are per unit capacitance (models/doc.go)
		if ty.Kind == models.KindAdEx {
			want = ty.AdEx.C
		}
		// The engine stores dt/C in float32: C comes back within float32
		// rounding (2^-24 relative, twice).
		if got := p.Capacitance(i); math.Abs(got-want) > 2*0x1p-24*want {
			t.Errorf("%s: Capacitance = %v, want %v", name, got, want)
		}
		// Set* puts the neuron at rest: Izhikevich (-65, b·-65) as in
		// Izhikevich 2003 net.m, AdEx (E_L, 0).
		var v, r float64
		if ty.Kind == models.KindIzhikevich {
			v, r = ty.Izhikevich.Rest()
			if v != -65 || r != ty.Izhikevich.B*-65 {
				t.Errorf("%s: Rest() = (%v, %v)", name, v, r)
			}
		} else {
			v, r = ty.AdEx.Rest()
			if v != ty.AdEx.EL || r != 0 {
				t.Errorf("%s: Rest() = (%v, %v)", name, v, r)
			}
		}
		if p.V[i] != float32(v) || p.R[i] != float32(r) {
			t.Errorf("%s: initial state (%v, %v), want rest (%v, %v)", name, p.V[i], p.R[i], v, r)
		}
	}
}

func TestPopulationPanics(t *testing.T) {
	rs, tonic := builtin(t, "RS").Izhikevich, builtin(t, "AdEx_tonic").AdEx
	cases := []struct {
		name string
		f    func()
	}{
		{"nIzh > n", func() { models.NewPopulation(2, 3, 0.1) }},
		{"nIzh < 0", func() { models.NewPopulation(2, -1, 0.1) }},
		{"SetIzhikevich on an AdEx index", func() { models.NewPopulation(2, 1, 0.1).SetIzhikevich(1, rs) }},
		{"SetIzhikevich below 0", func() { models.NewPopulation(2, 1, 0.1).SetIzhikevich(-1, rs) }},
		{"SetAdEx on an Izhikevich index", func() { models.NewPopulation(2, 1, 0.1).SetAdEx(0, tonic) }},
		{"SetAdEx past the end", func() { models.NewPopulation(2, 1, 0.1).SetAdEx(2, tonic) }},
		{"Step with short I", func() { models.NewPopulation(2, 1, 0.1).Step(0, 2, make([]float32, 1), nil, nil) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "models: ") {
					t.Errorf("panic %v, want a \"models: \" message", r)
				}
			}()
			c.f()
		})
	}
}

// BenchmarkPopulationStep10k steps 10,000 Izhikevich neurons of the default
// culture composition (DefaultFractions) under I = 10 at BL-1's dt 0.5 ms,
// the per-neuron work of BL-1's 10K benchmark (anchors.md §0, row 1).
func BenchmarkPopulationStep10k(b *testing.B) {
	benchmarkStep(b, 10000, 10000)
}

// BenchmarkPopulationStepAdEx10k is the same with 10,000 AdEx_RS neurons
// driven at bgCurrent.
func BenchmarkPopulationStepAdEx10k(b *testing.B) {
	benchmarkStep(b, 10000, 0)
}

func benchmarkStep(b *testing.B, n, nIzh int) {
	p := models.NewPopulation(n, nIzh, 0.5)
	I := make([]float32, n)
	names := models.BuiltinNames()
	// Izhikevich types in DefaultFractions proportions, cycled by index.
	var izh []models.Izhikevich
	for _, name := range names {
		for range int(math.Round(models.DefaultFractions[name] * 100)) {
			ty, _ := models.Builtin(name)
			izh = append(izh, ty.Izhikevich)
		}
	}
	rs, _ := models.Builtin("AdEx_RS")
	for i := range n {
		if i < nIzh {
			p.SetIzhikevich(i, izh[i%len(izh)])
			I[i] = izhI
		} else {
			p.SetAdEx(i, rs.AdEx)
			I[i] = float32(bgCurrent / rs.AdEx.C)
		}
	}
	spikes := make([]int32, 0, n)
	b.ReportAllocs()
	for b.Loop() {
		spikes, _ = p.Step(0, n, I, nil, spikes[:0])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/neuron-step")
}

// Sodium block: firing under a constant current (a few times rheobase)
// falls as the free fraction s falls; at s = 0.01 Izhikevich neurons no
// longer fire, while AdEx's exponential only moves its threshold up by
// Δ_T ln(1/s) = 9.2 mV and keeps firing at this current.
func TestSodiumBlock(t *testing.T) {
	count := func(name string, s, I float64, steps int) (int, []float32) {
		ty, _ := models.Builtin(name)
		p := models.NewPopulation(1, 0, 0.1)
		if ty.Kind == models.KindIzhikevich {
			p = models.NewPopulation(1, 1, 0.1)
			p.SetIzhikevich(0, ty.Izhikevich)
		} else {
			p.SetAdEx(0, ty.AdEx)
		}
		p.SetSodium(s)
		cur := make([]float32, 1)
		var n int
		var trace []float32
		for range steps {
			cur[0] = float32(I)
			sp, _ := p.Step(0, 1, cur, nil, nil)
			n += len(sp)
			trace = append(trace, p.V[0])
		}
		return n, trace
	}
	for _, c := range []struct {
		name string
		I    float64
	}{{"RS", 10}, {"FS", 10}, {"LTS", 10}, {"AdEx_RS", 4}} {
		full, _ := count(c.name, 1, c.I, 10000)
		half, _ := count(c.name, 0.5, c.I, 10000)
		none, _ := count(c.name, 0.01, c.I, 10000)
		silent := none == 0
		if c.name == "AdEx_RS" {
			silent = none < half
		}
		if !(full > half && silent) {
			t.Errorf("%s: %d spikes free, %d at s = 0.5, %d at s = 0.01", c.name, full, half, none)
		}
	}
	p := models.NewPopulation(1, 1, 0.5)
	rs, _ := models.Builtin("RS")
	p.SetIzhikevich(0, rs.Izhikevich)
	if p.Sodium() != 1 {
		t.Fatal("sodium not free by default")
	}
	if v := rs.Izhikevich.RestingPotential(); math.Abs(v+70) > 1e-9 {
		t.Errorf("RS rests at %g mV, want -70 (0.04v² + 4.8v + 140 = 0)", v)
	}
}

// Exponential Euler: one step of a hybrid population under a synaptic
// current A - G v (plus a bias) equals the float64 reference
// v + Δ·(1 - e^(-G dt))/(G dt), Δ the forward-Euler step of package doc's
// equations, for conductances from 0 (where it is forward Euler bit for
// bit) to G dt = 20; u (w) keeps its forward-Euler step.
func TestExponentialEulerStep(t *testing.T) {
	const dt = 0.5
	rs, _ := models.Builtin("RS")
	ad, _ := models.Builtin("AdEx_RS")
	Gs := []float64{0, 1e-4, 0.01, 0.3, 0.49, 0.51, 2, 5, 40}
	n := 2 * len(Gs)
	p, q := models.NewPopulation(n, len(Gs), dt), models.NewPopulation(n, len(Gs), dt)
	for i := range n {
		if i < len(Gs) {
			p.SetIzhikevich(i, rs.Izhikevich)
			q.SetIzhikevich(i, rs.Izhikevich)
		} else {
			p.SetAdEx(i, ad.AdEx)
			q.SetAdEx(i, ad.AdEx)
		}
		p.V[i] = -70 + float32(i) // subthreshold, no spike
		q.V[i] = p.V[i]
	}
	I, G := make([]float32, n), make([]float32, n)
	for i := range n {
		g := Gs[i%len(Gs)]
		G[i] = float32(g)
		I[i] = float32(g*(0-float64(p.V[i])) + 1.5) // AMPA-like current at E = 0 plus a bias
	}
	v0, r0 := append([]float32(nil), p.V...), append([]float32(nil), p.R...)
	I2 := append([]float32(nil), I...)
	if sp, bad := p.Step(0, n, I, G, nil); len(sp) != 0 || bad >= 0 {
		t.Fatalf("spikes %v, bad %d", sp, bad)
	}
	q.Step(0, n, I2, nil, nil) // forward Euler
	for i := range n {
		g := Gs[i%len(Gs)]
		v, r := float64(v0[i]), float64(r0[i])
		var delta float64
		if i < len(Gs) {
			delta = dt * (0.04*v*v + 5*v + 140 - r + float64(I[i]))
		} else {
			a := ad.AdEx
			delta = dt/a.C*(a.GL*a.DeltaT*math.Exp((v-a.VT)/a.DeltaT)-a.GL*(v-a.EL)-r) + dt*float64(I[i])
		}
		phi := 1.0
		if g != 0 {
			phi = -math.Expm1(-g*dt) / (g * dt)
		}
		want := v + delta*phi
		if math.Abs(float64(p.V[i])-want) > 1e-4*(1+math.Abs(delta)) {
			t.Errorf("neuron %d (G = %g): v = %.7g, want %.7g", i, g, p.V[i], want)
		}
		var rn float64
		if i < len(Gs) {
			c := rs.Izhikevich
			rn = r + float64(float32(c.A*dt))*(c.B*v-r)
		} else {
			a := ad.AdEx
			rn = r + dt/a.TauW*(a.A*(v-a.EL)-r)
		}
		if math.Abs(float64(p.R[i])-rn) > 1e-5*(1+math.Abs(rn)) {
			t.Errorf("neuron %d: recovery %g, want its forward-Euler step %g", i, p.R[i], rn)
		}
		if g == 0 && p.V[i] != q.V[i] {
			t.Errorf("neuron %d: without conductance v = %g, forward Euler's %g", i, p.V[i], q.V[i])
		}
	}
}

// Under a strong excitatory conductance (G dt = 4 at dt = 0.5 ms, past
// forward Euler's stability limit G dt = 2) forward Euler makes an
// Izhikevich neuron fire on every other step, several times the rate of
// the exact solution; exponential Euler stays near it. The exact solution
// is taken as forward Euler at dt = 1 µs, in float64, written here.
// (Only RS: FS, CH and AdEx neurons fire at 0.8-7 kHz under such a
// conductance in continuous time, more than any scheme resolves at
// dt = 0.5 ms; AdEx has no refractory period.)
func TestExponentialEulerStrongConductance(t *testing.T) {
	const dt, g, T = 0.5, 8.0, 200.0
	for _, name := range []string{"RS"} {
		ty, _ := models.Builtin(name)
		q := ty.Izhikevich
		ref := 0
		v, u := q.Rest()
		for range int(T / 0.001) {
			h := 0.001
			vn := v + h*(0.04*v*v+5*v+140-u+g*(0-v))
			un := u + h*q.A*(q.B*v-u)
			if vn >= 30 {
				vn, un = q.C, un+q.D
				ref++
			}
			v, u = vn, un
		}
		count := func(exp bool) int {
			p := models.NewPopulation(1, 1, dt)
			p.SetIzhikevich(0, q)
			spikes := 0
			for range int(T / dt) {
				I := []float32{float32(g * (0 - float64(p.V[0])))}
				var G []float32
				if exp {
					G = []float32{g}
				}
				sp, _ := p.Step(0, 1, I, G, nil)
				spikes += len(sp)
			}
			return spikes
		}
		euler, exp := count(false), count(true)
		if float64(euler) < 2*float64(ref) || math.Abs(float64(exp-ref)) > 0.25*float64(ref) {
			t.Errorf("%s: %d spikes in %g ms by forward Euler, %d by exponential Euler, %d exactly: want forward Euler > 2x, exponential within 25 %%", name, euler, T, exp, ref)
		}
	}
}

// A strong inhibitory conductance (G dt = 4, E = -75 mV) makes forward
// Euler overshoot E by more each step until the neuron fires or its state
// blows up (inhibition that excites: the artifact); exponential Euler
// relaxes to E and the neuron stays silent, for every built-in type.
func TestExponentialEulerStrongInhibition(t *testing.T) {
	const dt, g, E = 0.5, 8.0, -75.0
	for _, name := range models.BuiltinNames() {
		ty, _ := models.Builtin(name)
		run := func(exp bool) (spikes, bad int, v float32) {
			var p *models.Population
			c := float32(1)
			if ty.Kind == models.KindIzhikevich {
				p = models.NewPopulation(1, 1, dt)
				p.SetIzhikevich(0, ty.Izhikevich)
			} else {
				p = models.NewPopulation(1, 0, dt)
				p.SetAdEx(0, ty.AdEx)
			}
			p.V[0] = -60
			for range 200 {
				I := []float32{c * float32(g*(E-float64(p.V[0])))}
				var G []float32
				if exp {
					G = []float32{g}
				}
				sp, b := p.Step(0, 1, I, G, nil)
				spikes += len(sp)
				if b >= 0 {
					return spikes, b, p.V[0]
				}
			}
			return spikes, -1, p.V[0]
		}
		es, eb, _ := run(false)
		xs, xb, xv := run(true)
		if es == 0 && eb < 0 {
			t.Errorf("%s: forward Euler stayed stable at G dt = 4 (expected the overshoot artifact)", name)
		}
		if xs != 0 || xb >= 0 || math.Abs(float64(xv)-E) > 3 {
			t.Errorf("%s: exponential Euler: %d spikes, non-finite %d, v = %g (want silent near %g mV)", name, xs, xb, xv, E)
		}
	}
}

// Phi and PhiDeriv against their definitions: the closed forms where they
// are accurate, and central differences of Phi (h = 1e-5, truncation
// error h²|φ”'|/6 < 1e-11) on both sides of the series' bound.
func TestPhiReference(t *testing.T) {
	if models.Phi(0) != 1 || models.PhiDeriv(0) != -0.5 {
		t.Fatalf("phi(0) = %g, phi'(0) = %g, want 1 and -1/2", models.Phi(0), models.PhiDeriv(0))
	}
	for _, y := range []float64{-3, -0.7, -0.5, -0.49, -0.1, -1e-6, 1e-9, 1e-3, 0.2, 0.4999, 0.5, 0.51, 1, 4, 30, 700} {
		if want := (1 - math.Exp(-y)) / y; math.Abs(y) > 1e-3 && math.Abs(models.Phi(y)-want) > 1e-14*math.Abs(want) {
			t.Errorf("phi(%g) = %.17g, want %.17g", y, models.Phi(y), want)
		}
		if y > 600 {
			continue
		}
		const h = 1e-5
		fd := (models.Phi(y+h) - models.Phi(y-h)) / (2 * h)
		if d := models.PhiDeriv(y); math.Abs(d-fd) > 1e-9*(1+math.Abs(d)) {
			t.Errorf("phi'(%g) = %.15g, central difference %.15g", y, d, fd)
		}
	}
}
