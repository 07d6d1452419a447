package synapses

import (
	"math"
	"strings"
	"testing"
)

// receptors lists the default kinetics (BL-1 spec §2 table: AMPA τ 2 ms,
// NMDA τr 2 / τd 100 ms, GABA_A τ 6 ms, GABA_B τr 45 / τd 170 ms).
func receptors() []struct {
	name string
	r    Receptor
} {
	p := Default()
	return []struct {
		name string
		r    Receptor
	}{{"AMPA", p.AMPA}, {"NMDA", p.NMDA}, {"GABA_A", p.GABAA}, {"GABA_B", p.GABAB}}
}

func TestDefaultConstants(t *testing.T) {
	// BL-1 spec §2 table and §0 item 3; fractions from doc.go (30 % NMDA,
	// 10 % GABA_B), [Mg2+] = 1 mM (BL-1 spec §2).
	p := Default()
	want := Params{
		AMPA:          Receptor{TauRise: 0, TauDecay: 2, ERev: 0},
		NMDA:          Receptor{TauRise: 2, TauDecay: 100, ERev: 0},
		GABAA:         Receptor{TauRise: 0, TauDecay: 6, ERev: -75},
		GABAB:         Receptor{TauRise: 45, TauDecay: 170, ERev: -95},
		Mg:            1,
		NMDAFraction:  0.3,
		GABABFraction: 0.1,
	}
	if p != want {
		t.Fatalf("Default() = %+v, want %+v", p, want)
	}
	for _, c := range receptors() {
		if got, want := c.r.Dual(), c.r.TauRise > 0; got != want {
			t.Errorf("%s: Dual() = %v, want %v", c.name, got, want)
		}
	}
}

// TestKernelSingleExpDecay checks g(t+Δ)/g(t) = e^(-Δ/τ) at every t and
// g(0) = 1 (single exponential, computed analytically).
func TestKernelSingleExpDecay(t *testing.T) {
	for _, c := range receptors() {
		if c.r.Dual() {
			continue
		}
		if got := c.r.Kernel(0); got != 1 {
			t.Errorf("%s: Kernel(0) = %v, want 1", c.name, got)
		}
		if got := c.r.PeakTime(); got != 0 {
			t.Errorf("%s: PeakTime() = %v, want 0", c.name, got)
		}
		if got := c.r.Norm(); got != 1 {
			t.Errorf("%s: Norm() = %v, want 1", c.name, got)
		}
		for _, delta := range []float64{0.1, 0.5, 1, 7} {
			want := math.Exp(-delta / c.r.TauDecay)
			for tt := 0.0; tt < 10*c.r.TauDecay; tt += 0.37 {
				got := c.r.Kernel(tt+delta) / c.r.Kernel(tt)
				// Two exp evaluations and a division: a few ulps of
				// float64 (2^-52 ≈ 2.2e-16).
				if math.Abs(got-want) > 1e-13*want {
					t.Fatalf("%s: g(%g+%g)/g(%g) = %.17g, want e^(-Δ/τ) = %.17g", c.name, tt, delta, tt, got, want)
				}
			}
		}
	}
}

// TestKernelDualLateDecay checks that a difference of exponentials decays
// with τ_d once the rise term has died out. Computed analytically:
//
//	g(t+Δ)/g(t) = e^(-Δ/τd) · (1 - e^(-(t+Δ)k)) / (1 - e^(-t k)),  k = 1/τr - 1/τd,
//
// so at t = 28/k the relative deviation from e^(-Δ/τd) is below
// e^(-28) ≈ 7e-13.
func TestKernelDualLateDecay(t *testing.T) {
	for _, c := range receptors() {
		if !c.r.Dual() {
			continue
		}
		k := 1/c.r.TauRise - 1/c.r.TauDecay
		late := 28 / k
		for _, delta := range []float64{0.5, 1, 10} {
			want := math.Exp(-delta / c.r.TauDecay)
			for _, tt := range []float64{late, 2 * late, 3 * late} {
				got := c.r.Kernel(tt+delta) / c.r.Kernel(tt)
				if math.Abs(got-want) > 1e-11*want {
					t.Errorf("%s: g(%g+%g)/g(%g) = %.15g, want e^(-Δ/τd) = %.15g", c.name, tt, delta, tt, got, want)
				}
			}
			// Early on, the rise still slows the decay: the ratio is larger
			// (or the kernel grows) — the late-time constant is τ_d only.
			if got := c.r.Kernel(c.r.TauRise+delta) / c.r.Kernel(c.r.TauRise); !(got > want) {
				t.Errorf("%s: early ratio %g not above e^(-Δ/τd) = %g", c.name, got, want)
			}
		}
		if got := c.r.Kernel(0); got != 0 {
			t.Errorf("%s: Kernel(0) = %v, want 0 (dual exponential starts at 0)", c.name, got)
		}
	}
}

func TestKernelNegativeTime(t *testing.T) {
	for _, c := range receptors() {
		for _, tt := range []float64{-1e-9, -1, -1000} {
			if got := c.r.Kernel(tt); got != 0 {
				t.Errorf("%s: Kernel(%g) = %v, want 0 (causal)", c.name, tt, got)
			}
		}
	}
}

// TestPeakTimeAndNorm checks t_peak and the normalisation against the
// formula evaluated here and against the values printed in the BL-1 spec §2
// (NMDA tp = 7.98 ms, norm = 1.105215; GABA_B tp = 81.34 ms,
// norm = 2.194543), each within half a unit of its last printed digit.
func TestPeakTimeAndNorm(t *testing.T) {
	p := Default()
	for _, c := range []struct {
		name       string
		r          Receptor
		tp, norm   float64 // BL-1 spec §2
		tpTol, nTo float64 // half a unit in the last printed digit
	}{
		{"NMDA", p.NMDA, 7.98, 1.105215, 0.005, 5e-7},
		{"GABA_B", p.GABAB, 81.34, 2.194543, 0.005, 5e-7},
	} {
		tr, td := c.r.TauRise, c.r.TauDecay
		tp := td * tr / (td - tr) * math.Log(td/tr) // doc.go, computed analytically
		norm := 1 / (math.Exp(-tp/td) - math.Exp(-tp/tr))
		if got := c.r.PeakTime(); math.Abs(got-tp) > 1e-14*tp {
			t.Errorf("%s: PeakTime() = %.17g, want %.17g", c.name, got, tp)
		}
		if got := c.r.PeakTime(); math.Abs(got-c.tp) > c.tpTol {
			t.Errorf("%s: PeakTime() = %.6f, BL-1 spec says %.2f", c.name, got, c.tp)
		}
		if got := c.r.Norm(); math.Abs(got-norm) > 1e-14*norm {
			t.Errorf("%s: Norm() = %.17g, want %.17g", c.name, got, norm)
		}
		if got := c.r.Norm(); math.Abs(got-c.norm) > c.nTo {
			t.Errorf("%s: Norm() = %.9f, BL-1 spec says %.6f", c.name, got, c.norm)
		}
		// Height exactly 1 at the peak: N·(e1-e2) with N = 1/(e1-e2) is 1
		// up to two roundings (2 · 2^-53).
		if got := c.r.Kernel(c.r.PeakTime()); math.Abs(got-1) > 2.3e-16 {
			t.Errorf("%s: Kernel(t_peak) = %.17g, want 1", c.name, got)
		}
		// The derivative vanishes at t_peak (computed analytically:
		// g'(t) ∝ -e^(-t/τd)/τd + e^(-t/τr)/τr).
		if d := -math.Exp(-tp/td)/td + math.Exp(-tp/tr)/tr; math.Abs(d) > 1e-15 {
			t.Errorf("%s: g'(t_peak) ∝ %g, want 0", c.name, d)
		}
	}
}

// TestKernelMaximumByScan finds the kernel's maximum by a scan of step
// h = 1e-3 ms over [0, 5 τd]: the maximum must lie within h of t_peak and
// not exceed 1. Near the peak g ≈ 1 - |d²g/dt²| (t-tp)²/2 with
// |d²g/dt²| ≥ 1.3e-4 ms^-2 (GABA_B, computed analytically), so float64
// round-off (1e-16) cannot move the arg-max by more than 2e-6 ms.
func TestKernelMaximumByScan(t *testing.T) {
	const h = 1e-3
	for _, c := range receptors() {
		if !c.r.Dual() {
			continue
		}
		best, arg := -1.0, -1.0
		n := int(5 * c.r.TauDecay / h)
		for i := range n {
			tt := float64(i) * h
			if g := c.r.Kernel(tt); g > best {
				best, arg = g, tt
			}
		}
		tp := c.r.PeakTime()
		if math.Abs(arg-tp) > h {
			t.Errorf("%s: scanned maximum at %.4f ms, want t_peak = %.4f ms", c.name, arg, tp)
		}
		if best > 1+2.3e-16 || best < 1-1e-6 {
			t.Errorf("%s: scanned maximum %.17g, want 1 (peak-normalised)", c.name, best)
		}
	}
}

// mgBlockRef is Jahr & Stevens (1990) eq. 4 with the constants of their
// Fig. 8, written out independently of the package.
func mgBlockRef(v, mg float64) float64 {
	return 1 / (1 + math.Exp(-0.062*v)*(mg/3.57))
}

func TestMgBlock(t *testing.T) {
	// BL-1 spec §2 prints B(v) at [Mg2+] = 1 mM to 3 decimals.
	for _, c := range []struct{ v, spec float64 }{
		{-80, 0.024}, {-65, 0.060}, {-50, 0.139}, {-30, 0.357}, {0, 0.781}, {20, 0.925},
	} {
		got := MgBlock(c.v, 1)
		if math.Abs(got-c.spec) > 0.0005 {
			t.Errorf("MgBlock(%g, 1) = %.6f, BL-1 spec says %.3f", c.v, got, c.spec)
		}
	}
	// Against the formula evaluated here, at several [Mg2+]; the two
	// evaluations differ only in the order of one multiplication.
	for _, mg := range []float64{0, 0.5, 1, 2} {
		for _, v := range []float64{-80, -40, 0} {
			got, want := MgBlock(v, mg), mgBlockRef(v, mg)
			if math.Abs(got-want) > 1e-15*want {
				t.Errorf("MgBlock(%g, %g) = %.17g, want %.17g", v, mg, got, want)
			}
		}
	}
	// Computed analytically: no Mg, no block; at v = 0 B = 1/(1 + [Mg]/3.57).
	if got := MgBlock(-80, 0); got != 1 {
		t.Errorf("MgBlock(-80, 0) = %v, want 1", got)
	}
	if got, want := MgBlock(0, 1), 3.57/4.57; math.Abs(got-want) > 1e-15 {
		t.Errorf("MgBlock(0, 1) = %.17g, want 3.57/4.57 = %.17g", got, want)
	}
	// Monotonic: increasing in v, decreasing in [Mg2+], within (0, 1].
	prev := 0.0
	for v := -120.0; v <= 60; v += 0.25 {
		b := MgBlock(v, 1)
		if !(b > prev) || b > 1 {
			t.Fatalf("MgBlock(%g, 1) = %g after %g: not increasing in (0, 1]", v, b, prev)
		}
		prev = b
	}
	for _, v := range []float64{-80, -40, 0} {
		if !(MgBlock(v, 2) < MgBlock(v, 1) && MgBlock(v, 1) < MgBlock(v, 0.5)) {
			t.Errorf("MgBlock(%g, ·) is not decreasing in [Mg2+]", v)
		}
	}
}

func TestDelaySteps(t *testing.T) {
	for _, c := range []struct {
		d, vel, dt float64
		want       int
		src        string
	}{
		{1000, 300, 0.5, 7, "BL-1 spec §4.2: 1 mm -> 3.33 ms -> 7 steps"},
		{1000, 300, 0.1, 33, "computed: 3.333 ms / 0.1 ms = 33.3"},
		{600, 300, 0.5, 4, "computed: 2 ms / 0.5 ms = 4"},
		{225, 300, 0.5, 2, "computed: 0.75 ms / 0.5 = 1.5, rounds half away from 0"},
		{200, 300, 0.5, 1, "computed: 0.667 ms / 0.5 = 1.33"},
		{50, 300, 0.5, 1, "computed: 0.33 -> 0, clamped to at least 1 step"},
		{0, 300, 0.5, 1, "distance 0: at least 1 step"},
	} {
		if got := DelaySteps(c.d, c.vel, c.dt); got != c.want {
			t.Errorf("DelaySteps(%g, %g, %g) = %d, want %d (%s)", c.d, c.vel, c.dt, got, c.want, c.src)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	for _, c := range receptors() {
		if err := c.r.Validate(); err != nil {
			t.Errorf("%s.Validate() = %v", c.name, err)
		}
	}
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		name string
		edit func(*Params)
		key  string // must appear in the message
	}{
		{"negative AMPA tau", func(p *Params) { p.AMPA.TauDecay = -2 }, "ampa: tau_decay_ms"},
		{"zero GABA_A tau", func(p *Params) { p.GABAA.TauDecay = 0 }, "gaba_a: tau_decay_ms"},
		{"NaN NMDA decay", func(p *Params) { p.NMDA.TauDecay = nan }, "nmda: tau_decay_ms"},
		{"infinite GABA_B decay", func(p *Params) { p.GABAB.TauDecay = inf }, "gaba_b: tau_decay_ms"},
		{"negative NMDA rise", func(p *Params) { p.NMDA.TauRise = -1 }, "nmda: tau_rise_ms"},
		{"NaN GABA_B rise", func(p *Params) { p.GABAB.TauRise = nan }, "gaba_b: tau_rise_ms"},
		{"NMDA rise = decay", func(p *Params) { p.NMDA.TauRise = 100 }, "nmda: tau_rise_ms"},
		{"GABA_B rise > decay", func(p *Params) { p.GABAB.TauRise = 200 }, "gaba_b: tau_rise_ms"},
		{"NaN AMPA reversal", func(p *Params) { p.AMPA.ERev = nan }, "ampa: e_rev_mv"},
		{"infinite GABA_A reversal", func(p *Params) { p.GABAA.ERev = -inf }, "gaba_a: e_rev_mv"},
		{"negative Mg", func(p *Params) { p.Mg = -1 }, "mg_mm"},
		{"NaN Mg", func(p *Params) { p.Mg = nan }, "mg_mm"},
		{"infinite Mg", func(p *Params) { p.Mg = inf }, "mg_mm"},
		{"NMDA fraction < 0", func(p *Params) { p.NMDAFraction = -0.1 }, "nmda_fraction"},
		{"NMDA fraction > 1", func(p *Params) { p.NMDAFraction = 1.5 }, "nmda_fraction"},
		{"NaN NMDA fraction", func(p *Params) { p.NMDAFraction = nan }, "nmda_fraction"},
		{"GABA_B fraction < 0", func(p *Params) { p.GABABFraction = -1e-9 }, "gaba_b_fraction"},
		{"GABA_B fraction > 1", func(p *Params) { p.GABABFraction = 1.0000001 }, "gaba_b_fraction"},
		{"NaN GABA_B fraction", func(p *Params) { p.GABABFraction = nan }, "gaba_b_fraction"},
	} {
		p := Default()
		c.edit(&p)
		err := p.Validate()
		if err == nil {
			t.Errorf("%s: Validate() = nil, want an error naming %q", c.name, c.key)
			continue
		}
		if !strings.Contains(err.Error(), c.key) {
			t.Errorf("%s: Validate() = %q, want it to name %q", c.name, err, c.key)
		}
	}
	// Valid edge cases: fractions at 0 and 1, no Mg, single-exponential
	// NMDA and GABA_B, a rise just below the decay.
	for _, edit := range []func(*Params){
		func(p *Params) { p.NMDAFraction, p.GABABFraction = 0, 0 },
		func(p *Params) { p.NMDAFraction, p.GABABFraction = 1, 1 },
		func(p *Params) { p.Mg = 0 },
		func(p *Params) { p.NMDA.TauRise, p.GABAB.TauRise = 0, 0 },
		func(p *Params) { p.NMDA.TauRise = 99.9 },
	} {
		p := Default()
		edit(&p)
		if err := p.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", p, err)
		}
	}
}
