package configs

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/pharmacology"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/sim"
	"github.com/bl1-go/bl1/synapses"
)

// pathError is a validation error of one key.
type pathError struct {
	path string
	msg  string
}

func (e *pathError) Error() string { return e.path + ": " + e.msg }

// at turns a package validator's error, whose message starts with the key
// it concerns (relative to section, or absolute when dotted), into a
// pathError.
func at(section string, err error) error {
	if err == nil {
		return nil
	}
	var pe *pathError
	if errors.As(err, &pe) {
		return err
	}
	msg := err.Error()
	key := msg
	if i := strings.IndexFunc(msg, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '[' || r == ']')
	}); i >= 0 {
		key = msg[:i]
	}
	path := section
	top, _, _ := strings.Cut(key, ".")
	switch {
	case key == "":
	case strings.Contains(key, ".") && fieldsOf(reflect.TypeOf(Config{}))[top] != nil:
		path = key // already absolute: "simulation.dt_ms"
	default:
		path = section + "." + key
	}
	return &pathError{path: path, msg: msg}
}

func (c *Config) validate() error {
	if _, err := c.CultureSpec(); err != nil {
		return err
	}
	if err := at("synapses", c.synapseParams().Validate()); err != nil {
		return err
	}
	if _, err := c.Rules(); err != nil {
		return err
	}
	if _, err := models.ParseIntegrator(c.Simulation.Integrator); err != nil {
		return &pathError{"simulation.integrator", "integrator: " + err.Error()}
	}
	if err := at("simulation", c.SimConfig().Validate()); err != nil {
		return err
	}
	s := c.Simulation
	if !(s.DurationS > 0) || math.IsInf(s.DurationS, 0) {
		return &pathError{"simulation.duration_s", fmt.Sprintf("duration_s = %g, must be > 0", s.DurationS)}
	}
	if steps := s.DurationS * 1000 / s.DtMs; steps > 1<<40 {
		return &pathError{"simulation.duration_s", fmt.Sprintf("duration_s = %g is %.3g steps of %g ms, too many", s.DurationS, steps, s.DtMs)}
	}
	if _, err := c.DrugSchedule(); err != nil {
		return err
	}
	if _, err := c.MEAConfig(); err != nil {
		return err
	}
	if _, err := c.PongConfig(); err != nil {
		return err
	}
	o := c.Outputs
	if !(o.RateBinMs >= s.DtMs) || math.IsInf(o.RateBinMs, 0) {
		return &pathError{"outputs.rate_bin_ms", fmt.Sprintf("rate_bin_ms = %g, must be >= dt_ms (%g)", o.RateBinMs, s.DtMs)}
	}
	for _, p := range o.Probes {
		if p < 0 || p >= c.Culture.NNeurons {
			return &pathError{"outputs.probes", fmt.Sprintf("probe neuron %d outside [0, %d)", p, c.Culture.NNeurons)}
		}
	}
	if o.RasterNeurons < 1 {
		return &pathError{"outputs.raster_neurons", fmt.Sprintf("raster_neurons = %d, must be >= 1", o.RasterNeurons)}
	}
	if !(o.WeightsEveryS >= 0) || math.IsInf(o.WeightsEveryS, 0) {
		return &pathError{"outputs.weights_every_s", fmt.Sprintf("weights_every_s = %g, must be >= 0 (0: none)", o.WeightsEveryS)}
	}
	if !(s.CheckpointEveryS >= 0) || math.IsInf(s.CheckpointEveryS, 0) {
		return &pathError{"simulation.checkpoint_every_s", fmt.Sprintf("checkpoint_every_s = %g, must be >= 0 (0: none)", s.CheckpointEveryS)}
	}
	return nil
}

// Rules converts the plasticity section.
func (c *Config) Rules() (plasticity.Rules, error) {
	var r plasticity.Rules
	p := c.Plasticity
	stp := func(x STPParams) plasticity.STP {
		return plasticity.STP{U: x.U, TauRec: x.TauRecMs, TauFac: x.TauFacMs}
	}
	if p.STP.Enabled {
		rule := &plasticity.STPRule{Exc: stp(p.STP.Excitatory), Inh: stp(p.STP.Inhibitory)}
		for name, x := range p.STP.Projections {
			var i, j int
			switch name {
			case "E->E":
			case "E->I":
				j = 1
			case "I->E":
				i = 1
			case "I->I":
				i, j = 1, 1
			default:
				return r, &pathError{"plasticity.stp.projections." + name, fmt.Sprintf("unknown projection %q (use E->E, E->I, I->E or I->I)", name)}
			}
			q := stp(x)
			rule.Override[i][j] = &q
		}
		r.STP = rule
	}
	if s := p.STDP; s.Enabled {
		b, err := plasticity.ParseBounds(s.Bounds)
		if err != nil {
			return r, &pathError{"plasticity.stdp.bounds", err.Error()}
		}
		var all bool
		switch s.Presynaptic {
		case "excitatory":
		case "all":
			all = true
		default:
			return r, &pathError{"plasticity.stdp.presynaptic", fmt.Sprintf("presynaptic = %q, must be excitatory or all", s.Presynaptic)}
		}
		r.STDP = &plasticity.STDPRule{
			STDP:           plasticity.STDP{APlus: s.APlus, AMinus: s.AMinus, TauPlus: s.TauPlusMs, TauMinus: s.TauMinusMs, WMax: s.WMax, Bounds: b},
			AllPresynaptic: all, FreezeAt: s.FreezeAtS * 1000,
		}
	}
	if h := p.Homeostasis; h.Enabled {
		r.Scaling = &plasticity.Scaling{Target: h.TargetHz, TauRate: h.TauRateS * 1000, Interval: h.IntervalMs,
			TauScale: h.TauScalingS * 1000, GainMin: h.GainMin, GainMax: h.GainMax}
	}
	if s := p.Structural; s.Enabled {
		r.Structural = &plasticity.Structural{Interval: s.IntervalS * 1000, PruneBelow: s.PruneBelow,
			PruneProb: s.PruneProbability, GrowthRate: s.GrowthPerS, Target: s.TargetHz, WNew: s.WNew}
	}
	if err := r.Validate(); err != nil {
		return r, at("plasticity", err)
	}
	return r, nil
}

// Resize sets the number of neurons to n at the culture's density: the
// substrate's width and height scale by sqrt(n / n0) (a slab keeps its
// thickness).
func (c *Config) Resize(n int) {
	k := &c.Culture
	if k.NNeurons > 0 && len(k.SubstrateUm) == 2 {
		f := math.Sqrt(float64(n) / float64(k.NNeurons))
		k.SubstrateUm = []float64{k.SubstrateUm[0] * f, k.SubstrateUm[1] * f}
	}
	k.NNeurons = n
}

// Close packing of 10 µm somata bounds the density a culture can have: a
// hexagonal monolayer of discs holds 1/(√3/2 · 10²) per µm² (11,547/mm²),
// a slab of spheres π/(3√2) per (π/6 · 10³) µm³ (1.41 million/mm³).
var (
	maxAreaDensity   = 1 / (math.Sqrt(3) / 2 * 100) // per µm²
	maxVolumeDensity = math.Sqrt2 / 1000            // per µm³: (π/(3√2)) / (π/6 · 1000)
)

// CultureSpec converts the culture section (with the cell types it names).
func (c *Config) CultureSpec() (culture.Spec, error) {
	k := c.Culture
	if len(k.SubstrateUm) != 2 {
		return culture.Spec{}, &pathError{"culture.substrate_um", fmt.Sprintf("substrate_um needs 2 values [width, height] in µm, got %d (use thickness_um for 3-D)", len(k.SubstrateUm))}
	}
	if w, h := k.SubstrateUm[0], k.SubstrateUm[1]; k.NNeurons > 0 && w > 0 && h > 0 {
		area := float64(k.NNeurons) / (w * h)
		if k.ThicknessUm > 0 && area/k.ThicknessUm > maxVolumeDensity {
			return culture.Spec{}, &pathError{"culture.n_neurons", fmt.Sprintf("n_neurons = %d in %g x %g x %g µm is %.3g neurons/mm³, more than 10 µm somata can pack (%.3g/mm³); enlarge substrate_um or thickness_um", k.NNeurons, w, h, k.ThicknessUm, area/k.ThicknessUm*1e9, maxVolumeDensity*1e9)}
		}
		if k.ThicknessUm == 0 && area > maxAreaDensity {
			return culture.Spec{}, &pathError{"culture.n_neurons", fmt.Sprintf("n_neurons = %d on %g x %g µm is %.0f neurons/mm², more than a monolayer of 10 µm somata holds (%.0f/mm²); enlarge substrate_um", k.NNeurons, w, h, area*1e6, maxAreaDensity*1e6)}
		}
	}
	s := culture.Spec{
		N: k.NNeurons, Width: k.SubstrateUm[0], Height: k.SubstrateUm[1], Thickness: k.ThicknessUm,
		PMax: k.PMax, Lambda: k.LambdaUm, Cutoff: k.CutoffUm, GExc: k.GExc, GInh: k.GInh,
		Weights: culture.WeightDist{Kind: k.Weights.Dist, Spread: k.Weights.Spread, Sigma: k.Weights.Sigma,
			StrongFraction: k.Weights.StrongFraction, StrongFactor: k.Weights.StrongFactor},
		Clusters: culture.Clusters{Count: k.Clusters.Count, SD: k.Clusters.SDUm, Fraction: k.Clusters.Fraction},
		Velocity: k.VelocityUm, Seed: c.Simulation.Seed,
	}
	seen := map[string]bool{}
	for _, f := range k.Types {
		if seen[f.Name] {
			return s, &pathError{"culture.types." + f.Name, "listed twice"}
		}
		seen[f.Name] = true
		t, err := c.cellType(f.Name)
		if err != nil {
			return s, err
		}
		s.Types = append(s.Types, culture.Share{Type: t, Fraction: f.Value})
	}
	if err := s.Validate(); err != nil {
		return s, at("culture", err)
	}
	return s, nil
}

// cellType resolves a type name against the neurons section and the
// built-in library.
func (c *Config) cellType(name string) (models.Type, error) {
	def, custom := c.Neurons[name]
	t, builtin := models.Builtin(name)
	if !custom {
		if !builtin {
			return t, &pathError{"culture.types." + name, fmt.Sprintf("unknown cell type %q (built in: %s; or define it under neurons:)", name, strings.Join(models.BuiltinNames(), ", "))}
		}
		return t, nil
	}
	path := "neurons." + name
	if def.Base != "" {
		b, ok := models.Builtin(def.Base)
		if !ok {
			return t, &pathError{path + ".base", fmt.Sprintf("unknown built-in type %q (built in: %s)", def.Base, strings.Join(models.BuiltinNames(), ", "))}
		}
		t = b
	} else if !builtin {
		t = models.Type{}
		if def.Model == "" {
			return t, &pathError{path, "a new cell type needs model (izhikevich or adex) or base (a built-in type)"}
		}
		if def.Excitatory == nil {
			return t, &pathError{path, "a new cell type needs excitatory: true or false"}
		}
	}
	t.Name = name
	if def.Model != "" {
		k, err := models.ParseKind(def.Model)
		if err != nil {
			return t, &pathError{path + ".model", err.Error()}
		}
		if k != t.Kind && (def.Base != "" || builtin) {
			return t, &pathError{path + ".model", fmt.Sprintf("model %s differs from its base's (%s)", k, t.Kind)}
		}
		t.Kind = k
	}
	if def.Excitatory != nil {
		t.Excitatory = *def.Excitatory
	}
	t.Source = "config"
	set := func(dst *float64, v *float64) {
		if v != nil {
			*dst = *v
		}
	}
	izh := []*float64{def.A, def.B, def.C, def.D}
	adex := []*float64{def.CPf, def.GLNs, def.ELMv, def.VTMv, def.DeltaTMv, def.ANs, def.TauWMs, def.BPa, def.VResetMv, def.VPeakMv}
	switch t.Kind {
	case models.KindIzhikevich:
		for _, v := range adex {
			if v != nil {
				return t, &pathError{path, "AdEx parameters (c_pf, g_l_ns, ...) given for an Izhikevich type (it takes a, b, c, d)"}
			}
		}
		p := &t.Izhikevich
		set(&p.A, def.A)
		set(&p.B, def.B)
		set(&p.C, def.C)
		set(&p.D, def.D)
	case models.KindAdEx:
		for _, v := range izh {
			if v != nil {
				return t, &pathError{path, "Izhikevich parameters (a, b, c, d) given for an AdEx type (it takes c_pf, g_l_ns, e_l_mv, v_t_mv, delta_t_mv, a_ns, tau_w_ms, b_pa, v_reset_mv, v_peak_mv)"}
			}
		}
		p := &t.AdEx
		set(&p.C, def.CPf)
		set(&p.GL, def.GLNs)
		set(&p.EL, def.ELMv)
		set(&p.VT, def.VTMv)
		set(&p.DeltaT, def.DeltaTMv)
		set(&p.A, def.ANs)
		set(&p.TauW, def.TauWMs)
		set(&p.B, def.BPa)
		set(&p.VReset, def.VResetMv)
		set(&p.VPeak, def.VPeakMv)
	}
	if err := t.Validate(); err != nil {
		return t, &pathError{path, err.Error()}
	}
	return t, nil
}

func (c *Config) synapseParams() synapses.Params {
	s := c.Synapses
	r := func(x Receptor) synapses.Receptor {
		return synapses.Receptor{TauRise: x.TauRiseMs, TauDecay: x.TauDecayMs, ERev: x.ERevMv}
	}
	return synapses.Params{
		AMPA: r(s.AMPA), NMDA: r(s.NMDA), GABAA: r(s.GABAA), GABAB: r(s.GABAB),
		Mg: s.MgMM, NMDAFraction: s.NMDAFraction, GABABFraction: s.GABABFraction,
		TonicGABAA: s.TonicGABAA,
	}
}

// SimConfig converts the simulation, drive, synapses and plasticity
// sections (an invalid plasticity section or integrator, which validation
// rejects, converts to none or forward Euler).
func (c *Config) SimConfig() sim.Config {
	rules, _ := c.Rules()
	drugs, _ := c.DrugSchedule()
	integ, _ := models.ParseIntegrator(c.Simulation.Integrator)
	return sim.Config{
		Dt: c.Simulation.DtMs, Integrator: integ, Seed: c.Simulation.Seed, Workers: c.Simulation.Workers,
		DriveMean: c.Drive.Mean, DriveStd: c.Drive.Std, Synapses: c.synapseParams(),
		Plasticity: rules, Drugs: drugs,
	}
}

// DrugSchedule converts the drugs section.
func (c *Config) DrugSchedule() (pharmacology.Schedule, error) {
	var s pharmacology.Schedule
	for i, d := range c.Drugs {
		key := fmt.Sprintf("drugs[%d]", i)
		drug, ok := pharmacology.Builtin(d.Name)
		if !ok {
			return nil, &pathError{key + ".name", fmt.Sprintf("name = %q, must be one of %s", d.Name, strings.Join(pharmacology.Names(), ", "))}
		}
		a := pharmacology.Application{Drug: drug, Conc: d.ConcentrationUM, AtMs: d.AtS * 1000, WashMs: d.WashInS * 1000, OutMs: d.WashOutS * 1000}
		if err := a.Validate(); err != nil {
			return nil, at(key, err)
		}
		s = append(s, a)
	}
	return s, nil
}

// MEAConfig converts and validates the mea section; it returns nil when
// the layout is none.
func (c *Config) MEAConfig() (*mea.Config, error) {
	m := c.MEA
	if m.Layout == "none" || m.Layout == "" {
		return nil, nil
	}
	r := m.Recording
	out := &mea.Config{
		Layout: m.Layout, CenterUm: m.CenterUm, ElectrodesUm: m.ElectrodesUm,
		Routing:        mea.Routing{Select: m.Routing.Select, N: m.Routing.N, Electrodes: m.Routing.Electrodes},
		DetectRadiusUm: m.DetectionRadiusUm, ActivateRadiusUm: m.ActivationRadiusUm,
		Recording: mea.Recording{AmplitudeUV: r.AmplitudeUV, RefDistUm: r.RefDistanceUm, SomaUm: r.SomaRadiusUm,
			ThresholdUV: r.ThresholdUV, NoiseUV: r.NoiseUV, DeadTimeMs: r.DeadTimeMs, WindowMs: r.CountWindowMs},
		CouplingMVPerNC: m.Stimulation.CouplingMVPerNC,
	}
	if m.LFP.Enabled {
		out.LFP = &mea.LFPParams{SampleHz: m.LFP.SampleHz, RadiusUm: m.LFP.RadiusUm, Sigma: m.LFP.SigmaSPerM, IzhCapPF: m.LFP.IzhCapacitancePF}
	}
	for i, t := range m.Stimulation.Trains {
		key := fmt.Sprintf("mea.stimulation.trains[%d]", i)
		tr := mea.Train{Electrodes: t.Channels, StartMs: t.StartS * 1000, FrequencyHz: t.FrequencyHz, Pulses: t.Pulses}
		if tr.Pulses == 0 {
			tr.Pulses = 1
		}
		switch {
		case len(t.Phases) > 0 && (t.AmplitudeUA != 0 || t.WidthUs != 0):
			return nil, &pathError{key, "give either amplitude_ua (and width_us) or phases, not both"}
		case len(t.Phases) > 0:
			for _, p := range t.Phases {
				tr.Phases = append(tr.Phases, mea.Phase{WidthUs: p[0], CurrentUA: p[1]})
			}
		case t.AmplitudeUA != 0:
			w := t.WidthUs
			if w == 0 {
				w = 160 // the CL SDK's width for a scalar amplitude
			}
			tr.Phases = mea.Biphasic(w, t.AmplitudeUA)
		default:
			return nil, &pathError{key, "a train needs amplitude_ua (a biphasic pulse) or phases ([[width_us, current_ua], ...])"}
		}
		out.Trains = append(out.Trains, tr)
	}
	sub := c.Culture.SubstrateUm
	if len(sub) != 2 {
		return nil, &pathError{"culture.substrate_um", "must be [width, height]"}
	}
	if err := out.Validate(sub[0]/2, sub[1]/2, c.Simulation.DtMs); err != nil {
		return nil, at("mea", err)
	}
	return out, nil
}

// Steps returns the number of steps of the configured duration.
func (c *Config) Steps() int64 {
	return int64(math.Round(c.Simulation.DurationS * 1000 / c.Simulation.DtMs))
}
