package configs

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Config is a whole run configuration. Field tags are the YAML keys.
type Config struct {
	Culture    Culture               `yaml:"culture"`
	Neurons    map[string]NeuronType `yaml:"neurons,omitempty"`
	Synapses   Synapses              `yaml:"synapses"`
	Plasticity Plasticity            `yaml:"plasticity"`
	Drive      Drive                 `yaml:"drive"`
	Simulation Simulation            `yaml:"simulation"`
	Drugs      []Drug                `yaml:"drugs"`
	MEA        MEA                   `yaml:"mea"`
	Outputs    Outputs               `yaml:"outputs"`
	Pong       *Pong                 `yaml:"pong,omitempty"` // configs/pong.go
}

// Drug is one drug added to the bath.
type Drug struct {
	Name            string  `yaml:"name"`
	ConcentrationUM float64 `yaml:"concentration_um"`
	AtS             float64 `yaml:"at_s"`
	WashInS         float64 `yaml:"wash_in_s"`
	WashOutS        float64 `yaml:"wash_out_s"`
}

// MEA configures the virtual multi-electrode array (none by default).
type MEA struct {
	Layout             string       `yaml:"layout"`
	CenterUm           []float64    `yaml:"center_um,flow"`
	ElectrodesUm       [][2]float64 `yaml:"electrodes_um,flow"`
	Routing            Routing      `yaml:"routing"`
	DetectionRadiusUm  float64      `yaml:"detection_radius_um"`
	ActivationRadiusUm float64      `yaml:"activation_radius_um"`
	Recording          Recording    `yaml:"recording"`
	LFP                LFP          `yaml:"lfp"`
	Stimulation        Stimulation  `yaml:"stimulation"`
}

// Routing chooses the recorded electrodes.
type Routing struct {
	Select     string `yaml:"select"`
	N          int    `yaml:"n"`
	Electrodes []int  `yaml:"electrodes,flow"`
}

// Recording configures spike detection on the electrodes.
type Recording struct {
	AmplitudeUV   float64 `yaml:"amplitude_uv"`
	RefDistanceUm float64 `yaml:"ref_distance_um"`
	SomaRadiusUm  float64 `yaml:"soma_radius_um"`
	ThresholdUV   float64 `yaml:"threshold_uv"`
	NoiseUV       float64 `yaml:"noise_uv"`
	DeadTimeMs    float64 `yaml:"dead_time_ms"`
	CountWindowMs float64 `yaml:"count_window_ms"`
}

// LFP configures the local field potential.
type LFP struct {
	Enabled          bool    `yaml:"enabled"`
	SampleHz         float64 `yaml:"sample_hz"`
	RadiusUm         float64 `yaml:"radius_um"`
	SigmaSPerM       float64 `yaml:"sigma_s_per_m"`
	IzhCapacitancePF float64 `yaml:"izhikevich_capacitance_pf"`
}

// Stimulation configures pulse trains.
type Stimulation struct {
	CouplingMVPerNC float64 `yaml:"coupling_mv_per_nc"`
	Trains          []Train `yaml:"trains"`
}

// Train is a pulse train: either amplitude_ua (a cathodic-first biphasic
// pulse of width_us per phase) or phases ([width_us, current_ua] pairs).
type Train struct {
	Channels    []int        `yaml:"channels,flow"`
	StartS      float64      `yaml:"start_s"`
	FrequencyHz float64      `yaml:"frequency_hz"`
	Pulses      int          `yaml:"pulses"`
	AmplitudeUA float64      `yaml:"amplitude_ua"`
	WidthUs     float64      `yaml:"width_us"`
	Phases      [][2]float64 `yaml:"phases,flow"`
}

// Plasticity configures the plasticity rules (all off by default).
type Plasticity struct {
	STP         STP         `yaml:"stp"`
	STDP        STDP        `yaml:"stdp"`
	Homeostasis Homeostasis `yaml:"homeostasis"`
	Structural  Structural  `yaml:"structural"`
}

// STP configures short-term plasticity.
type STP struct {
	Enabled     bool                 `yaml:"enabled"`
	Excitatory  STPParams            `yaml:"excitatory"`
	Inhibitory  STPParams            `yaml:"inhibitory"`
	Projections map[string]STPParams `yaml:"projections,omitempty"`
}

// STPParams are Tsodyks-Markram parameters.
type STPParams struct {
	U        float64 `yaml:"u"`
	TauRecMs float64 `yaml:"tau_rec_ms"`
	TauFacMs float64 `yaml:"tau_fac_ms"`
}

// STDP configures spike-timing-dependent plasticity.
type STDP struct {
	Enabled     bool    `yaml:"enabled"`
	APlus       float64 `yaml:"a_plus"`
	AMinus      float64 `yaml:"a_minus"`
	TauPlusMs   float64 `yaml:"tau_plus_ms"`
	TauMinusMs  float64 `yaml:"tau_minus_ms"`
	WMax        float64 `yaml:"w_max"`
	Bounds      string  `yaml:"bounds"`
	Presynaptic string  `yaml:"presynaptic"`
	FreezeAtS   float64 `yaml:"freeze_at_s"`
}

// Homeostasis configures homeostatic synaptic scaling.
type Homeostasis struct {
	Enabled     bool    `yaml:"enabled"`
	TargetHz    float64 `yaml:"target_hz"`
	TauRateS    float64 `yaml:"tau_rate_s"`
	IntervalMs  float64 `yaml:"interval_ms"`
	TauScalingS float64 `yaml:"tau_scaling_s"`
	GainMin     float64 `yaml:"gain_min"`
	GainMax     float64 `yaml:"gain_max"`
}

// Structural configures structural plasticity.
type Structural struct {
	Enabled          bool    `yaml:"enabled"`
	IntervalS        float64 `yaml:"interval_s"`
	PruneBelow       float64 `yaml:"prune_below"`
	PruneProbability float64 `yaml:"prune_probability"`
	GrowthPerS       float64 `yaml:"growth_per_s"`
	TargetHz         float64 `yaml:"target_hz"`
	WNew             float64 `yaml:"w_new"`
}

// Culture configures placement and wiring.
type Culture struct {
	NNeurons    int       `yaml:"n_neurons"`
	SubstrateUm []float64 `yaml:"substrate_um,flow"`
	ThicknessUm float64   `yaml:"thickness_um"`
	Types       Fractions `yaml:"types"`
	PMax        float64   `yaml:"p_max"`
	LambdaUm    float64   `yaml:"lambda_um"`
	CutoffUm    float64   `yaml:"cutoff_um"`
	GExc        float64   `yaml:"g_exc"`
	GInh        float64   `yaml:"g_inh"`
	Weights     Weights   `yaml:"weights"`
	Clusters    Clusters  `yaml:"clusters"`
	VelocityUm  float64   `yaml:"conduction_velocity_um_per_ms"`
}

// Clusters configures clustered placement.
type Clusters struct {
	Count    int     `yaml:"count"`
	SDUm     float64 `yaml:"sd_um"`
	Fraction float64 `yaml:"fraction"`
}

// Weights configures the weight jitter distribution.
type Weights struct {
	Dist           string  `yaml:"dist"`
	Spread         float64 `yaml:"spread"`
	Sigma          float64 `yaml:"sigma"`
	StrongFraction float64 `yaml:"strong_fraction"`
	StrongFactor   float64 `yaml:"strong_factor"`
}

// NeuronType defines or overrides a cell type. Unset parameters come from
// Base (a built-in type) or, when the name is itself built in, from it.
type NeuronType struct {
	Base       string   `yaml:"base,omitempty"`
	Model      string   `yaml:"model,omitempty"`
	Excitatory *bool    `yaml:"excitatory,omitempty"`
	A          *float64 `yaml:"a,omitempty"`
	B          *float64 `yaml:"b,omitempty"`
	C          *float64 `yaml:"c,omitempty"`
	D          *float64 `yaml:"d,omitempty"`
	CPf        *float64 `yaml:"c_pf,omitempty"`
	GLNs       *float64 `yaml:"g_l_ns,omitempty"`
	ELMv       *float64 `yaml:"e_l_mv,omitempty"`
	VTMv       *float64 `yaml:"v_t_mv,omitempty"`
	DeltaTMv   *float64 `yaml:"delta_t_mv,omitempty"`
	ANs        *float64 `yaml:"a_ns,omitempty"`
	TauWMs     *float64 `yaml:"tau_w_ms,omitempty"`
	BPa        *float64 `yaml:"b_pa,omitempty"`
	VResetMv   *float64 `yaml:"v_reset_mv,omitempty"`
	VPeakMv    *float64 `yaml:"v_peak_mv,omitempty"`
}

// Synapses configures receptor routing and kinetics.
type Synapses struct {
	NMDAFraction  float64  `yaml:"nmda_fraction"`
	GABABFraction float64  `yaml:"gaba_b_fraction"`
	TonicGABAA    float64  `yaml:"tonic_gaba_a"`
	MgMM          float64  `yaml:"mg_mm"`
	AMPA          Receptor `yaml:"ampa"`
	NMDA          Receptor `yaml:"nmda"`
	GABAA         Receptor `yaml:"gaba_a"`
	GABAB         Receptor `yaml:"gaba_b"`
}

// Receptor configures one receptor's kinetics.
type Receptor struct {
	TauRiseMs  float64 `yaml:"tau_rise_ms"`
	TauDecayMs float64 `yaml:"tau_decay_ms"`
	ERevMv     float64 `yaml:"e_rev_mv"`
}

// Drive configures the background current.
type Drive struct {
	Mean float64 `yaml:"mean"`
	Std  float64 `yaml:"std"`
}

// Simulation configures time stepping.
type Simulation struct {
	DtMs             float64 `yaml:"dt_ms"`
	Integrator       string  `yaml:"integrator"`
	DurationS        float64 `yaml:"duration_s"`
	Seed             uint64  `yaml:"seed"`
	Workers          int     `yaml:"workers"`
	CheckpointEveryS float64 `yaml:"checkpoint_every_s"`
}

// Outputs configures what a run writes.
type Outputs struct {
	Spikes           bool    `yaml:"spikes"`
	Plots            bool    `yaml:"plots"`
	RateBinMs        float64 `yaml:"rate_bin_ms"`
	Probes           []int   `yaml:"probes,flow"`
	SaveConnectivity bool    `yaml:"save_connectivity"`
	RasterNeurons    int     `yaml:"raster_neurons"`
	WeightsEveryS    float64 `yaml:"weights_every_s"`
}

// Fraction is one entry of an ordered name → fraction mapping.
type Fraction struct {
	Name  string
	Value float64
}

// Fractions is a YAML mapping that keeps its order (the order fixes how
// rounding ties are broken, so it must not depend on Go's map order).
type Fractions []Fraction

// UnmarshalYAML replaces the list with the mapping's entries.
func (f *Fractions) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: types must be a mapping of cell type to fraction, e.g. {RS: 0.8, FS: 0.2}", n.Line)
	}
	out := Fractions{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		var v float64
		if err := n.Content[i+1].Decode(&v); err != nil {
			return fmt.Errorf("line %d: fraction of %s: %w", n.Content[i+1].Line, n.Content[i].Value, err)
		}
		out = append(out, Fraction{Name: n.Content[i].Value, Value: v})
	}
	*f = out
	return nil
}

// MarshalYAML writes the mapping in order.
func (f Fractions) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, e := range f {
		var v yaml.Node
		if err := v.Encode(e.Value); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: e.Name}, &v)
	}
	return n, nil
}
