package pharmacology

import (
	"math"
	"strings"
	"testing"
)

// The Hill equation: half block at IC50; with n = 1, 10 × IC50 blocks
// 10/11; with n = 2, 2 × IC50 blocks 4/5 (computed by hand).
func TestHill(t *testing.T) {
	d := Drug{Name: "x", IC50: 3, Hill: 1}
	for _, c := range []struct{ conc, n, want float64 }{
		{3, 1, 0.5}, {30, 1, 10.0 / 11}, {0, 1, 0}, {-1, 1, 0}, {6, 2, 0.8}, {math.Inf(1), 1, 1},
	} {
		d.Hill = c.n
		if got := d.Block(c.conc); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Block(%g) with n = %g: %g, want %g", c.conc, c.n, got, c.want)
		}
	}
	for _, name := range Names() {
		d, ok := Builtin(name)
		if !ok || d.Source == "" || !(d.IC50 > 0) {
			t.Errorf("%s: %+v", name, d)
		}
	}
	if d, ok := Builtin("D-AP5"); !ok || d.Name != "APV" {
		t.Error("D-AP5 is not APV")
	}
}

// Wash-in and wash-out follow the exponentials exactly.
func TestConcentration(t *testing.T) {
	a := Application{Drug: APV, Conc: 50, AtMs: 1000, WashMs: 2000, OutMs: 9000}
	for _, c := range []struct{ t, want float64 }{
		{0, 0}, {999, 0}, {1000, 0},
		{3000, 50 * (1 - math.Exp(-1))},
		{9000, 50 * (1 - math.Exp(-4))},
		{11000, 50 * (1 - math.Exp(-4)) * math.Exp(-1)},
	} {
		if got := a.Concentration(c.t); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("t = %g ms: %g µM, want %g", c.t, got, c.want)
		}
	}
	step := Application{Drug: TTX, Conc: 1, AtMs: 500}
	if step.Concentration(499.9) != 0 || step.Concentration(500) != 1 {
		t.Error("a step application is not a step")
	}
}

// Same drug twice: concentrations add; two drugs on one target: free
// fractions multiply; untouched targets stay free.
func TestAvailability(t *testing.T) {
	s := Schedule{
		{Drug: TTX, Conc: 0.005},
		{Drug: TTX, Conc: 0.005},
		{Drug: Carbamazepine, Conc: 25},
		{Drug: CNQX, Conc: 0.3, AtMs: 100},
	}
	av := s.Availability(50)
	if want := (1 - TTX.Block(0.01)) * 0.5; math.Abs(av[Sodium]-want) > 1e-12 {
		t.Errorf("sodium %g, want %g", av[Sodium], want)
	}
	if av[AMPA] != 1 || av[NMDA] != 1 || av[GABAA] != 1 || av[GABAB] != 1 {
		t.Errorf("before CNQX: %v", av)
	}
	if av := s.Availability(100); math.Abs(av[AMPA]-0.5) > 1e-12 {
		t.Errorf("AMPA %g after CNQX at IC50", av[AMPA])
	}
	if got := s.Targets(); len(got) != 2 || got[0] != Sodium || got[1] != AMPA {
		t.Errorf("targets %v", got)
	}
	if n := testing.AllocsPerRun(100, func() { s.Availability(150) }); n != 0 {
		t.Errorf("Availability allocates %g times", n)
	}
	if e := (Schedule{{Drug: APV, Conc: 1, AtMs: 10, WashMs: 100, OutMs: 500}}).SettledAfter(); e != 1900 {
		t.Errorf("settled after %g ms, want 1900", e)
	}
}

func TestValidate(t *testing.T) {
	ok := Application{Drug: APV, Conc: 50, AtMs: 1000}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f    func(*Application)
		want string
	}{
		{func(a *Application) { a.Conc = -1 }, "concentration_um"},
		{func(a *Application) { a.Conc = math.NaN() }, "concentration_um"},
		{func(a *Application) { a.AtMs = -1 }, "at_s"},
		{func(a *Application) { a.WashMs = math.Inf(1) }, "wash_in_s"},
		{func(a *Application) { a.OutMs = 500 }, "wash_out_s"},
		{func(a *Application) { a.Drug.IC50 = 0 }, "IC50"},
	} {
		a := ok
		c.f(&a)
		if err := a.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", a, err, c.want)
		}
	}
}
