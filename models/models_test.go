package models_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/models"
)

func TestKind(t *testing.T) {
	for _, c := range []struct {
		in   string
		want models.Kind
	}{
		{"izhikevich", models.KindIzhikevich},
		{"Izhikevich", models.KindIzhikevich},
		{"adex", models.KindAdEx},
		{"AdEx", models.KindAdEx},
		{"ADEX", models.KindAdEx},
	} {
		got, err := models.ParseKind(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseKind(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, k := range []models.Kind{models.KindIzhikevich, models.KindAdEx} {
		if got, err := models.ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%v.String()) = %v, %v", k, got, err)
		}
	}
	for _, bad := range []string{"", "lif", "izhikevich2003", " adex"} {
		if _, err := models.ParseKind(bad); err == nil {
			t.Errorf("ParseKind(%q) accepted", bad)
		} else if !strings.Contains(err.Error(), "izhikevich, adex") {
			t.Errorf("ParseKind(%q) error %q does not list the known models", bad, err)
		}
	}
	if s := models.Kind(7).String(); s != "Kind(7)" {
		t.Errorf("Kind(7).String() = %q", s)
	}
}

// TestBuiltinParameters checks every built-in parameter set against its
// published table.
func TestBuiltinParameters(t *testing.T) {
	// Izhikevich 2003, Fig. 2 (a, b, c, d), also anchors.md §2.1. RS, IB
	// and CH are excitatory, FS and LTS inhibitory (Izhikevich 2003, text
	// of Fig. 2).
	izh := []struct {
		name       string
		p          models.Izhikevich
		excitatory bool
	}{
		{"RS", models.Izhikevich{A: 0.02, B: 0.2, C: -65, D: 8}, true},    // Izhikevich 2003, Fig. 2
		{"IB", models.Izhikevich{A: 0.02, B: 0.2, C: -55, D: 4}, true},    // Izhikevich 2003, Fig. 2
		{"CH", models.Izhikevich{A: 0.02, B: 0.2, C: -50, D: 2}, true},    // Izhikevich 2003, Fig. 2
		{"FS", models.Izhikevich{A: 0.1, B: 0.2, C: -65, D: 2}, false},    // Izhikevich 2003, Fig. 2
		{"LTS", models.Izhikevich{A: 0.02, B: 0.25, C: -65, D: 2}, false}, // Izhikevich 2003, Fig. 2
	}
	for _, c := range izh {
		ty := builtin(t, c.name)
		if ty.Kind != models.KindIzhikevich || ty.Izhikevich != c.p || ty.Excitatory != c.excitatory {
			t.Errorf("%s = %+v, want Izhikevich %+v, excitatory %v", c.name, ty, c.p, c.excitatory)
		}
		if !strings.Contains(ty.Source, "Izhikevich 2003") {
			t.Errorf("%s source %q", c.name, ty.Source)
		}
	}

	adex := []struct {
		name, source string
		p            models.AdEx
	}{
		// Brette & Gerstner 2005, regular spiking (as in brian-team/brian2,
		// examples/frompapers/Brette_Gerstner_2005.py, "as in the paper"):
		// C 281 pF, g_L 30 nS, E_L -70.6 mV, V_T -50.4 mV, Δ_T 2 mV, a 4 nS,
		// τ_w 144 ms, b 0.0805 nA, V_r = E_L; V_peak 20 mV as in BL-1
		// (models.go).
		{"AdEx_RS", "Brette & Gerstner 2005", models.AdEx{C: 281, GL: 30, EL: -70.6, VT: -50.4, DeltaT: 2, A: 4, TauW: 144, B: 80.5, VReset: -70.6, VPeak: 20}},
		// Naud et al. 2008, Table 1 (as in brian-team/brian2,
		// examples/frompapers/Naud_et_al_2008_adex_firing_patterns.py):
		// V_T = -50 mV, Δ_T = 2 mV for all, V_peak = 0 mV (Brian2's threshold).
		{"AdEx_tonic", "Naud et al. 2008", models.AdEx{C: 200, GL: 10, EL: -70, VT: -50, DeltaT: 2, A: 2, TauW: 30, B: 0, VReset: -58, VPeak: 0}},
		{"AdEx_adapting", "Naud et al. 2008", models.AdEx{C: 200, GL: 12, EL: -70, VT: -50, DeltaT: 2, A: 2, TauW: 300, B: 60, VReset: -58, VPeak: 0}},
		{"AdEx_initial_burst", "Naud et al. 2008", models.AdEx{C: 130, GL: 18, EL: -58, VT: -50, DeltaT: 2, A: 4, TauW: 150, B: 120, VReset: -50, VPeak: 0}},
		{"AdEx_bursting", "Naud et al. 2008", models.AdEx{C: 200, GL: 10, EL: -58, VT: -50, DeltaT: 2, A: 2, TauW: 120, B: 100, VReset: -46, VPeak: 0}},
		{"AdEx_delayed_accelerating", "Naud et al. 2008", models.AdEx{C: 200, GL: 12, EL: -70, VT: -50, DeltaT: 2, A: -10, TauW: 300, B: 0, VReset: -58, VPeak: 0}},
		{"AdEx_delayed_bursting", "Naud et al. 2008", models.AdEx{C: 100, GL: 10, EL: -65, VT: -50, DeltaT: 2, A: -10, TauW: 90, B: 30, VReset: -47, VPeak: 0}},
		{"AdEx_transient", "Naud et al. 2008", models.AdEx{C: 100, GL: 10, EL: -65, VT: -50, DeltaT: 2, A: 10, TauW: 90, B: 100, VReset: -47, VPeak: 0}},
		{"AdEx_irregular", "Naud et al. 2008", models.AdEx{C: 100, GL: 12, EL: -60, VT: -50, DeltaT: 2, A: -11, TauW: 130, B: 30, VReset: -48, VPeak: 0}},
	}
	for _, c := range adex {
		ty := builtin(t, c.name)
		if ty.Kind != models.KindAdEx || ty.AdEx != c.p {
			t.Errorf("%s = %+v, want AdEx %+v", c.name, ty.AdEx, c.p)
		}
		if !strings.Contains(ty.Source, c.source) {
			t.Errorf("%s source %q, want %q", c.name, ty.Source, c.source)
		}
	}

	names := models.BuiltinNames()
	if len(names) != len(izh)+len(adex) {
		t.Errorf("BuiltinNames() has %d names, the tables above %d", len(names), len(izh)+len(adex))
	}
	if !slices.IsSorted(names) {
		t.Errorf("BuiltinNames() not sorted: %v", names)
	}
	for _, n := range names {
		ty := builtin(t, n)
		if ty.Name != n {
			t.Errorf("Builtin(%q).Name = %q", n, ty.Name)
		}
		if err := ty.Validate(); err != nil {
			t.Errorf("built-in %s: %v", n, err)
		}
	}
	if _, ok := models.Builtin("rs"); ok {
		t.Error(`Builtin("rs") found: names are case-sensitive`)
	}
	// Builtin returns a copy: changing it leaves the library intact.
	ty := builtin(t, "RS")
	ty.Izhikevich.D = 0
	if builtin(t, "RS").Izhikevich.D != 8 {
		t.Error("modifying a Builtin result changed the library")
	}
}

// TestDefaultFractions checks the default culture composition: fractions of
// built-in types summing to 1, 80 % excitatory (Izhikevich 2003, net.m:
// Ne = 800, Ni = 200).
func TestDefaultFractions(t *testing.T) {
	sum, exc := 0.0, 0.0
	for name, f := range models.DefaultFractions {
		ty := builtin(t, name)
		if !(f > 0) {
			t.Errorf("%s fraction %g", name, f)
		}
		sum += f
		if ty.Excitatory {
			exc += f
		}
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("fractions sum to %g", sum)
	}
	if math.Abs(exc-0.8) > 1e-12 {
		t.Errorf("excitatory fraction %g, want 0.8", exc)
	}
}

func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	rs := builtin(t, "RS").Izhikevich
	izh := []struct {
		name string
		edit func(p *models.Izhikevich)
		ok   bool
	}{
		{"RS", func(*models.Izhikevich) {}, true},
		{"negative d", func(p *models.Izhikevich) { p.D = -1 }, true},
		{"c just below the peak", func(p *models.Izhikevich) { p.C = 29.9 }, true},
		{"a = 0", func(p *models.Izhikevich) { p.A = 0 }, false},
		{"a < 0", func(p *models.Izhikevich) { p.A = -0.02 }, false},
		{"a NaN", func(p *models.Izhikevich) { p.A = nan }, false},
		{"a +Inf", func(p *models.Izhikevich) { p.A = inf }, false},
		{"c at the 30 mV peak", func(p *models.Izhikevich) { p.C = models.IzhikevichPeak }, false},
		{"c NaN", func(p *models.Izhikevich) { p.C = nan }, false},
		{"c -Inf", func(p *models.Izhikevich) { p.C = -inf }, false},
		{"b NaN", func(p *models.Izhikevich) { p.B = nan }, false},
		{"b +Inf", func(p *models.Izhikevich) { p.B = inf }, false},
		{"d -Inf", func(p *models.Izhikevich) { p.D = -inf }, false},
	}
	for _, c := range izh {
		p := rs
		c.edit(&p)
		if err := p.Validate(); (err == nil) != c.ok {
			t.Errorf("Izhikevich %s: Validate() = %v, want ok %v", c.name, err, c.ok)
		}
		ty := models.Type{Name: "x", Kind: models.KindIzhikevich, Izhikevich: p}
		if err := ty.Validate(); (err == nil) != c.ok {
			t.Errorf("Type with Izhikevich %s: Validate() = %v, want ok %v", c.name, err, c.ok)
		} else if err != nil && !strings.HasPrefix(err.Error(), "type x: ") {
			t.Errorf("Type error %q does not name the type", err)
		}
	}

	tonic := builtin(t, "AdEx_tonic").AdEx
	adex := []struct {
		name string
		edit func(p *models.AdEx)
		ok   bool
	}{
		{"tonic", func(*models.AdEx) {}, true},
		{"negative a (Naud et al. 2008 delayed types)", func(p *models.AdEx) { p.A = -10 }, true},
		{"C = 0", func(p *models.AdEx) { p.C = 0 }, false},
		{"C NaN", func(p *models.AdEx) { p.C = nan }, false},
		{"C +Inf", func(p *models.AdEx) { p.C = inf }, false},
		{"g_L < 0", func(p *models.AdEx) { p.GL = -1 }, false},
		{"g_L +Inf", func(p *models.AdEx) { p.GL = inf }, false},
		{"Δ_T = 0", func(p *models.AdEx) { p.DeltaT = 0 }, false},
		{"Δ_T +Inf", func(p *models.AdEx) { p.DeltaT = inf }, false},
		{"τ_w = 0", func(p *models.AdEx) { p.TauW = 0 }, false},
		{"τ_w +Inf", func(p *models.AdEx) { p.TauW = inf }, false},
		{"V_reset = V_peak", func(p *models.AdEx) { p.VReset = p.VPeak }, false},
		{"V_reset NaN", func(p *models.AdEx) { p.VReset = nan }, false},
		{"V_reset -Inf", func(p *models.AdEx) { p.VReset = -inf }, false},
		{"V_peak +Inf", func(p *models.AdEx) { p.VPeak = inf }, false},
		{"E_L NaN", func(p *models.AdEx) { p.EL = nan }, false},
		{"V_T -Inf", func(p *models.AdEx) { p.VT = -inf }, false},
		{"a NaN", func(p *models.AdEx) { p.A = nan }, false},
		{"b +Inf", func(p *models.AdEx) { p.B = inf }, false},
	}
	for _, c := range adex {
		p := tonic
		c.edit(&p)
		if err := p.Validate(); (err == nil) != c.ok {
			t.Errorf("AdEx %s: Validate() = %v, want ok %v", c.name, err, c.ok)
		}
		ty := models.Type{Name: "x", Kind: models.KindAdEx, AdEx: p}
		if err := ty.Validate(); (err == nil) != c.ok {
			t.Errorf("Type with AdEx %s: Validate() = %v, want ok %v", c.name, err, c.ok)
		}
	}

	// The Kind selects which parameter set is checked.
	if err := (models.Type{Name: "x", Kind: models.KindAdEx, Izhikevich: rs}).Validate(); err == nil {
		t.Error("AdEx type with zero AdEx parameters accepted")
	}
	if err := (models.Type{Name: "x", Kind: models.KindIzhikevich, AdEx: tonic}).Validate(); err == nil {
		t.Error("Izhikevich type with zero Izhikevich parameters accepted")
	}
	if err := (models.Type{Name: "x", Kind: 9, Izhikevich: rs}).Validate(); err == nil {
		t.Error("unknown Kind accepted")
	}
}
