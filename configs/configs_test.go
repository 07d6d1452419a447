package configs

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every embedded config loads, validates and converts.
func TestEmbeddedConfigsLoad(t *testing.T) {
	names := Names()
	for _, want := range []string{"default.yaml", "culture_100k.yaml"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Fatalf("embedded configs %v lack %s", names, want)
		}
	}
	for _, n := range names {
		c, err := Load(n, nil)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if _, err := c.CultureSpec(); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if err := c.SimConfig().Validate(); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
}

// default.yaml is the main job the issue describes: 10,000 neurons, 10 s.
func TestDefaultIsTheMainJob(t *testing.T) {
	c := Default()
	if c.Culture.NNeurons != 10000 || c.Simulation.DurationS != 10 || c.Simulation.DtMs != 0.5 {
		t.Fatalf("default: %d neurons, %g s at dt %g", c.Culture.NNeurons, c.Simulation.DurationS, c.Simulation.DtMs)
	}
	if c.Steps() != 20000 {
		t.Fatalf("steps = %d, want 20000", c.Steps())
	}
	c100, err := Load("culture_100k.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c100.Culture.NNeurons != 100000 {
		t.Fatalf("culture_100k has %d neurons", c100.Culture.NNeurons)
	}
	// Keys the 100k file leaves out come from default.yaml.
	if c100.Culture.PMax != c.Culture.PMax || c100.Drive != c.Drive {
		t.Fatal("culture_100k.yaml does not inherit default.yaml's values")
	}
}

func TestSetOverrides(t *testing.T) {
	c, err := Load("default.yaml", []string{
		"culture.n_neurons=5000",
		"culture.types={RS: 0.8, FS: 0.2}",
		"culture.substrate_um=[2000, 1000]",
		"simulation.seed=7",
		"neurons.RS2={base: RS, d: 6}",
		"outputs.probes=[1, 2, 3]",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Culture.NNeurons != 5000 || len(c.Culture.Types) != 2 || c.Culture.Types[1].Name != "FS" ||
		c.Culture.SubstrateUm[0] != 2000 || c.Simulation.Seed != 7 || len(c.Outputs.Probes) != 3 {
		t.Fatalf("overrides not applied: %+v", c.Culture)
	}
	// A type defined by override is usable.
	c, err = Load("default.yaml", []string{"neurons.RS2={base: RS, d: 6}", "culture.types={RS2: 0.8, FS: 0.2}"})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.CultureSpec()
	if s.Types[0].Type.Izhikevich.D != 6 || s.Types[0].Type.Izhikevich.A != 0.02 {
		t.Fatalf("RS2 = %+v, want RS with d = 6", s.Types[0].Type.Izhikevich)
	}
	// Overrides never leak into the defaults.
	if Default().Culture.NNeurons != 10000 {
		t.Fatal("an override changed the defaults")
	}
}

// Errors name the file and line (or the override) and the key, and say
// what is allowed.
func TestErrorsNameFileLineAndKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		sets []string
		want []string // substrings of the message
	}{
		{"unknown key", "culture:\n  n_neurons: 10\n  p_maxx: 3\n", nil, []string{"x.yaml:3:", "culture.p_maxx", `unknown key "p_maxx"`, "p_max"}},
		{"unknown section", "cultures:\n  n_neurons: 10\n", nil, []string{"x.yaml:1:", `unknown key "cultures"`, "culture"}},
		{"unknown nested", "synapses:\n  nmda: {tau: 3}\n", nil, []string{"x.yaml:2:", "synapses.nmda.tau"}},
		{"bad value", "culture:\n  p_max: 3\n", nil, []string{"x.yaml:2:", "culture.p_max = 3", "[0, 1]"}},
		{"bad type", "culture:\n  n_neurons: ten\n", nil, []string{"x.yaml:2:", "culture.n_neurons", "cannot unmarshal"}},
		{"duplicate", "simulation:\n  seed: 1\n  seed: 2\n", nil, []string{"x.yaml:3:", "already defined"}},
		{"syntax", "culture: [1, 2\n", nil, []string{"x.yaml:1:"}},
		{"not a mapping", "- 1\n- 2\n", nil, []string{"x.yaml:1:", "mapping"}},
		{"fractions sum", "culture:\n  types: {RS: 0.5, FS: 0.2}\n", nil, []string{"x.yaml:2:", "culture.types", "sum to 0.7"}},
		{"fraction range", "culture:\n  types: {RS: 1.5, FS: -0.5}\n", nil, []string{"culture.types.RS", "[0, 1]"}},
		{"unknown type", "culture:\n  types: {XX: 1}\n", nil, []string{"culture.types.XX", "unknown cell type", "RS"}},
		{"substrate", "culture:\n  substrate_um: [3000]\n", nil, []string{"x.yaml:2:", "culture.substrate_um", "2 values"}},
		{"n_neurons", "culture:\n  n_neurons: 0\n", nil, []string{"x.yaml:2:", "culture.n_neurons", "[1, "}},
		{"dt", "simulation:\n  dt_ms: 0\n", nil, []string{"x.yaml:2:", "simulation.dt_ms", "(0, 1]"}},
		{"duration", "simulation:\n  duration_s: -1\n", nil, []string{"x.yaml:2:", "simulation.duration_s", "> 0"}},
		{"workers", "simulation:\n  workers: -2\n", nil, []string{"simulation.workers", ">= 0"}},
		{"drive", "drive:\n  std: -1\n", nil, []string{"x.yaml:2:", "drive.std", ">= 0"}},
		{"nmda fraction", "synapses:\n  nmda_fraction: 1.5\n", nil, []string{"x.yaml:2:", "synapses.nmda_fraction", "[0, 1]"}},
		{"tonic gaba_a", "synapses:\n  tonic_gaba_a: -0.01\n", nil, []string{"x.yaml:2:", "synapses.tonic_gaba_a", ">= 0"}},
		{"tau", "synapses:\n  gaba_b: {tau_rise_ms: 200, tau_decay_ms: 170}\n", nil, []string{"x.yaml:2:", "synapses.gaba_b", "tau_rise_ms"}},
		{"weights", "culture:\n  weights: {dist: gamma}\n", nil, []string{"culture.weights", "uniform, lognormal or constant"}},
		{"rate bin", "outputs:\n  rate_bin_ms: 0.1\n", nil, []string{"outputs.rate_bin_ms", ">= dt_ms"}},
		{"probe", "outputs:\n  probes: [10000]\n", nil, []string{"outputs.probes", "outside"}},
		{"neuron type model", "neurons:\n  X: {model: hh, excitatory: true}\nculture:\n  types: {X: 1}\n", nil, []string{"x.yaml:2:", "neurons.X.model", "izhikevich, adex"}},
		{"neuron type params", "neurons:\n  X: {model: adex, excitatory: true, a: 1}\nculture:\n  types: {X: 1}\n", nil, []string{"neurons.X", "AdEx type"}},
		{"neuron type sign", "neurons:\n  X: {model: izhikevich, a: 0.02, b: 0.2, c: -65, d: 8}\nculture:\n  types: {X: 1}\n", nil, []string{"neurons.X", "excitatory"}},
		{"set unknown", "", []string{"culture.n_neuron=3"}, []string{"-set culture.n_neuron=3", `unknown key "n_neuron"`, "n_neurons"}},
		{"set value", "", []string{"culture.p_max=1.5"}, []string{"-set culture.p_max=1.5", "culture.p_max = 1.5"}},
		{"set type", "", []string{"simulation.dt_ms=abc"}, []string{"-set simulation.dt_ms=abc", "cannot unmarshal"}},
		{"set syntax", "", []string{"culture.p_max"}, []string{"-set culture.p_max", "key=value"}},
		{"set section", "", []string{"culture.n_neurons.x=1"}, []string{"culture.n_neurons is a value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tc.yaml), tc.sets)
			if err == nil {
				t.Fatal("accepted")
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %v is not a *configs.Error", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestLoadFileAndMissing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "my.yaml")
	if err := os.WriteFile(p, []byte("culture:\n  n_neurons: 1234\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(p, nil)
	if err != nil || c.Culture.NNeurons != 1234 {
		t.Fatalf("Load: %v, %d neurons", err, c.Culture.NNeurons)
	}
	if _, err := Load(filepath.Join(dir, "nope.yaml"), nil); err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("missing file: %v", err)
	}
	// An empty file is the default config.
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err := Load(p, nil); err != nil || c.Culture.NNeurons != 10000 {
		t.Fatalf("empty file: %v", err)
	}
}

// The resolved YAML reads back to the same config.
func TestYAMLRoundTrip(t *testing.T) {
	c, err := Load("default.yaml", []string{"neurons.RS2={base: RS, d: 6}", "culture.types={RS2: 0.7, AdEx_RS: 0.1, FS: 0.2}", "outputs.probes=[4, 5]"})
	if err != nil {
		t.Fatal(err)
	}
	y, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("resolved.yaml", y, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	y2, _ := back.YAML()
	if string(y) != string(y2) {
		t.Fatalf("round trip differs:\n%s\n---\n%s", y, y2)
	}
}

func TestCultureSpecConversion(t *testing.T) {
	c := Default()
	s, err := c.CultureSpec()
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 10000 || s.Width != 3000 || s.Height != 3000 || s.Seed != c.Simulation.Seed || len(s.Types) != 5 {
		t.Fatalf("spec %+v", s)
	}
	sum := 0.0
	for _, sh := range s.Types {
		sum += sh.Fraction
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Fatalf("fractions sum to %g", sum)
	}
	sc := c.SimConfig()
	if sc.Dt != 0.5 || sc.DriveStd != c.Drive.Std || sc.Synapses.NMDAFraction != c.Synapses.NMDAFraction {
		t.Fatalf("sim config %+v", sc)
	}
}

// FuzzParse: no input panics; every failure is a *configs.Error.
func FuzzParse(f *testing.F) {
	for _, n := range Names() {
		b, _ := Embedded(n)
		f.Add(string(b), "")
	}
	f.Add("culture:\n  types: {RS: 1}\n", "culture.n_neurons=5")
	f.Add("culture: {n_neurons: -1}", "simulation.dt_ms=abc")
	f.Add("neurons: {X: {base: RS}}\nculture: {types: {X: 1}}", "neurons.X.a=0")
	f.Add("{", "x=")
	f.Add("mea: {layout: cl1}\npong: {mode: silent, tick_ms: 10}\n", "pong.sensory.channels=[1,2,3]")
	f.Add("mea: {layout: maxone}\npong: {}\n", "pong.feedback.hit.pulses=0")
	f.Fuzz(func(t *testing.T, doc, set string) {
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		c, err := Parse("fuzz.yaml", []byte(doc), sets)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %v is not a *configs.Error", err, err)
			}
			return
		}
		if _, err := c.CultureSpec(); err != nil {
			t.Fatalf("validated config fails to convert: %v", err)
		}
		if _, err := c.PongConfig(); err != nil {
			t.Fatalf("validated pong section fails to convert: %v", err)
		}
		if _, err := c.YAML(); err != nil {
			t.Fatal(err)
		}
	})
}

// The plasticity section converts to rules; errors name the key.
func TestPlasticitySection(t *testing.T) {
	c, err := Load("default.yaml", []string{
		"plasticity.stp.enabled=true", "plasticity.stp.projections={E->I: {u: 0.1, tau_rec_ms: 100, tau_fac_ms: 500}}",
		"plasticity.stdp.enabled=true", "plasticity.stdp.bounds=multiplicative", "plasticity.stdp.freeze_at_s=5",
		"plasticity.homeostasis.enabled=true", "plasticity.structural.enabled=true",
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Rules()
	if err != nil {
		t.Fatal(err)
	}
	if r.STP == nil || r.STP.Override[0][1] == nil || r.STP.Override[0][1].U != 0.1 || r.STP.Exc.U != 0.5 {
		t.Fatalf("stp %+v", r.STP)
	}
	if r.STDP == nil || r.STDP.Bounds != 1 || r.STDP.FreezeAt != 5000 || r.STDP.AllPresynaptic {
		t.Fatalf("stdp %+v", r.STDP)
	}
	if r.Scaling == nil || r.Scaling.TauRate != 10000 || r.Structural == nil || r.Structural.Interval != 10000 {
		t.Fatalf("scaling %+v structural %+v", r.Scaling, r.Structural)
	}
	if !c.SimConfig().Plasticity.ChangesWeights() {
		t.Fatal("SimConfig lost the rules")
	}
	if r, _ := Default().Rules(); r.STP != nil || r.STDP != nil || r.Scaling != nil || r.Structural != nil {
		t.Fatal("plasticity is on by default")
	}
	for _, tc := range []struct{ set, want string }{
		{"plasticity.stp.projections={X->Y: {u: 0.1, tau_rec_ms: 1}}", "plasticity.stp.projections.X->Y"},
		{"plasticity.stdp.bounds=soft", "plasticity.stdp.bounds"},
		{"plasticity.stdp.presynaptic=inhibitory", "plasticity.stdp.presynaptic"},
		{"plasticity.stdp.tau_plus_ms=0", "plasticity.stdp.tau_plus_ms"},
		{"plasticity.stp.excitatory.u=0", "plasticity.stp.excitatory.u"},
		{"plasticity.homeostasis.gain_min=2", "plasticity.homeostasis.gain_min"},
		{"plasticity.structural.prune_probability=2", "plasticity.structural.prune_probability"},
		{"outputs.weights_every_s=-1", "outputs.weights_every_s"},
		{"simulation.checkpoint_every_s=-1", "simulation.checkpoint_every_s"},
	} {
		sets := []string{tc.set}
		if strings.HasPrefix(tc.set, "plasticity.") {
			part := strings.Split(tc.set, ".")[1]
			sets = append(sets, "plasticity."+part+".enabled=true")
		}
		_, err := Load("default.yaml", sets)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to name %s", tc.set, err, tc.want)
		}
	}
}

// Setting the number of neurons keeps the density of the layer below
// (default.yaml: 10,000 on 3 x 3 mm, 1,111/mm²) unless the same layer sets
// the substrate; the density check refuses more than close-packed somata.
func TestSizeKeepsDensity(t *testing.T) {
	side := func(c *Config) float64 { return c.Culture.SubstrateUm[0] }
	for _, c := range []struct {
		name, file string
		sets       []string
		n          int
		w, h       float64
	}{
		{"override n", "", []string{"culture.n_neurons=100000"}, 100000, 3000 * math.Sqrt(10), 3000 * math.Sqrt(10)},
		{"file n", "culture:\n  n_neurons: 2500\n", nil, 2500, 1500, 1500},
		{"file n and substrate", "culture:\n  n_neurons: 2500\n  substrate_um: [1000, 2000]\n", nil, 2500, 1000, 2000},
		{"file pair, override n", "culture:\n  n_neurons: 2500\n  substrate_um: [1000, 2000]\n", []string{"culture.n_neurons=10000"}, 10000, 2000, 4000},
		{"override substrate only", "", []string{"culture.substrate_um=[2000, 2000]"}, 10000, 2000, 2000},
		{"override both", "", []string{"culture.n_neurons=2000", "culture.substrate_um=[2000, 1000]"}, 2000, 2000, 1000},
		{"file substrate, override n", "culture:\n  substrate_um: [1500, 1500]\n", []string{"culture.n_neurons=2500"}, 2500, 750, 750},
	} {
		cfg, err := Parse("x.yaml", []byte(c.file), c.sets)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		k := cfg.Culture
		if k.NNeurons != c.n || math.Abs(k.SubstrateUm[0]-c.w) > 1e-9*c.w || math.Abs(k.SubstrateUm[1]-c.h) > 1e-9*c.h {
			t.Errorf("%s: %d neurons on %v, want %d on [%g %g]", c.name, k.NNeurons, k.SubstrateUm, c.n, c.w, c.h)
		}
	}
	// An embedded config's own density: wagenaar.yaml doubled.
	w, err := Load("wagenaar.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := Load("wagenaar.yaml", []string{fmt.Sprintf("culture.n_neurons=%d", 2*w.Culture.NNeurons)})
	if err != nil {
		t.Fatal(err)
	}
	if r := side(w2) / side(w); math.Abs(r-math.Sqrt2) > 1e-12 {
		t.Errorf("wagenaar.yaml at twice the neurons: side x%g, want sqrt(2)", r)
	}
	// The resolved config is a fixed point: read again, it keeps its substrate.
	y, err := w2.YAML()
	if err != nil {
		t.Fatal(err)
	}
	w3, err := Parse("resolved.yaml", y, nil)
	if err != nil || side(w3) != side(w2) {
		t.Fatalf("resolved config re-read: %v, side %g vs %g", err, side(w3), side(w2))
	}
	// 100,000 neurons on 1 x 1 mm: 100,000/mm², past close packing (11,547/mm²).
	_, err = Parse("x.yaml", nil, []string{"culture.n_neurons=100000", "culture.substrate_um=[1000, 1000]"})
	if err == nil || !strings.Contains(err.Error(), "culture.n_neurons") || !strings.Contains(err.Error(), "11547") {
		t.Fatalf("impossible density: %v", err)
	}
	_, err = Parse("x.yaml", []byte("culture:\n  n_neurons: 10000\n  substrate_um: [200, 200]\n  thickness_um: 100\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "x.yaml:2: culture.n_neurons") || !strings.Contains(err.Error(), "mm³") {
		t.Fatalf("impossible volume density: %v", err)
	}
}
