package models

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Kind is a neuron model.
type Kind uint8

// Neuron models.
const (
	KindIzhikevich Kind = iota
	KindAdEx
)

func (k Kind) String() string {
	switch k {
	case KindIzhikevich:
		return "izhikevich"
	case KindAdEx:
		return "adex"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind reads a model name as written in configs.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(s) {
	case "izhikevich":
		return KindIzhikevich, nil
	case "adex":
		return KindAdEx, nil
	}
	return 0, fmt.Errorf("unknown neuron model %q (known: izhikevich, adex)", s)
}

// Izhikevich holds the parameters of the Izhikevich (2003) model.
type Izhikevich struct {
	A float64 // recovery rate, 1/ms
	B float64 // sensitivity of u to v, dimensionless
	C float64 // after-spike reset of v, mV
	D float64 // after-spike increment of u, mV/ms
}

// Spike peak of the Izhikevich model (Izhikevich 2003, eq. 3), mV.
const IzhikevichPeak = 30.0

// Rest is the initial state of an Izhikevich neuron: v = -65 mV and u = b·v
// (as in Izhikevich 2003, net.m).
func (p Izhikevich) Rest() (v, u float64) { return -65, p.B * -65 }

// RestingPotential returns the stable fixed point of v with u = bv, the
// lower root of 0.04v² + (5 - b)v + 140 = 0 (-70 mV for RS); when there is
// none (b > 5 - √22.4 ≈ 0.267) the minimum of the v-nullcline,
// -(5 - b)/0.08.
func (p Izhikevich) RestingPotential() float64 {
	q := 5 - p.B
	if disc := q*q - 4*0.04*140; disc >= 0 {
		return (-q - math.Sqrt(disc)) / 0.08
	}
	return -q / 0.08
}

// Validate reports parameters outside the model's sensible domain.
func (p Izhikevich) Validate() error {
	switch {
	case !(p.A > 0):
		return fmt.Errorf("a = %g, must be > 0", p.A)
	case !(p.C < IzhikevichPeak):
		return fmt.Errorf("c = %g mV, must be below the 30 mV peak", p.C)
	case !finite(p.A) || !finite(p.B) || !finite(p.C) || !finite(p.D):
		return fmt.Errorf("a, b, c and d must be finite")
	}
	return nil
}

// AdEx holds the parameters of the adaptive exponential integrate-and-fire
// model (Brette & Gerstner 2005).
type AdEx struct {
	C      float64 // membrane capacitance, pF
	GL     float64 // leak conductance, nS
	EL     float64 // leak reversal, mV
	VT     float64 // threshold slope factor position, mV
	DeltaT float64 // slope factor, mV
	A      float64 // subthreshold adaptation, nS
	TauW   float64 // adaptation time constant, ms
	B      float64 // spike-triggered adaptation, pA
	VReset float64 // reset potential, mV
	VPeak  float64 // spike cut-off, mV
}

// Rest is the initial state of an AdEx neuron: V = E_L, w = 0.
func (p AdEx) Rest() (v, w float64) { return p.EL, 0 }

// Validate reports parameters outside the model's domain.
func (p AdEx) Validate() error {
	switch {
	case !(p.C > 0):
		return fmt.Errorf("capacitance C = %g pF, must be > 0", p.C)
	case !(p.GL > 0):
		return fmt.Errorf("g_L = %g nS, must be > 0", p.GL)
	case !(p.DeltaT > 0):
		return fmt.Errorf("delta_T = %g mV, must be > 0", p.DeltaT)
	case !(p.TauW > 0):
		return fmt.Errorf("tau_w = %g ms, must be > 0", p.TauW)
	case !(p.VReset < p.VPeak):
		return fmt.Errorf("reset V_reset = %g mV must be below V_peak = %g mV", p.VReset, p.VPeak)
	case !finite(p.C) || !finite(p.GL) || !finite(p.EL) || !finite(p.VT) || !finite(p.DeltaT) ||
		!finite(p.A) || !finite(p.TauW) || !finite(p.B) || !finite(p.VReset) || !finite(p.VPeak):
		return fmt.Errorf("all AdEx parameters must be finite")
	}
	return nil
}

// Type is a cell type: a model with its parameters and a transmitter sign.
type Type struct {
	Name       string
	Kind       Kind
	Izhikevich Izhikevich // used when Kind == KindIzhikevich
	AdEx       AdEx       // used when Kind == KindAdEx
	Excitatory bool       // glutamatergic (true) or GABAergic (false); Dale's law
	Source     string     // citation of the parameter set
}

// Validate checks the type's parameters.
func (t Type) Validate() error {
	var err error
	switch t.Kind {
	case KindIzhikevich:
		err = t.Izhikevich.Validate()
	case KindAdEx:
		err = t.AdEx.Validate()
	default:
		err = fmt.Errorf("unknown model %v", t.Kind)
	}
	if err != nil {
		return fmt.Errorf("type %s: %w", t.Name, err)
	}
	return nil
}

const (
	izh2003  = "Izhikevich 2003, IEEE TNN 14:1569, Fig. 2"
	naud2008 = "Naud et al. 2008, Biol Cybern 99:335, Table 1"
	bg2005   = "Brette & Gerstner 2005, J Neurophysiol 94:3637"
)

// builtin is the library of named cell types. AdEx firing patterns of Naud
// et al. (2008) carry no transmitter sign in the paper; the sign given here
// follows the cell classes they are usually taken to describe (tonic and
// adapting pyramidal-like cells are excitatory, the others can be redefined
// in the config's neurons section).
var builtin = map[string]Type{
	"RS":  {Name: "RS", Kind: KindIzhikevich, Izhikevich: Izhikevich{A: 0.02, B: 0.2, C: -65, D: 8}, Excitatory: true, Source: izh2003},
	"IB":  {Name: "IB", Kind: KindIzhikevich, Izhikevich: Izhikevich{A: 0.02, B: 0.2, C: -55, D: 4}, Excitatory: true, Source: izh2003},
	"CH":  {Name: "CH", Kind: KindIzhikevich, Izhikevich: Izhikevich{A: 0.02, B: 0.2, C: -50, D: 2}, Excitatory: true, Source: izh2003},
	"FS":  {Name: "FS", Kind: KindIzhikevich, Izhikevich: Izhikevich{A: 0.1, B: 0.2, C: -65, D: 2}, Excitatory: false, Source: izh2003},
	"LTS": {Name: "LTS", Kind: KindIzhikevich, Izhikevich: Izhikevich{A: 0.02, B: 0.25, C: -65, D: 2}, Excitatory: false, Source: izh2003},

	// Brette & Gerstner (2005), the regular-spiking pyramidal cell of their
	// Table 1 (b = 0.0805 nA); V_peak = 20 mV as in BL-1.
	"AdEx_RS": {Name: "AdEx_RS", Kind: KindAdEx, Excitatory: true, Source: bg2005, AdEx: AdEx{
		C: 281, GL: 30, EL: -70.6, VT: -50.4, DeltaT: 2, A: 4, TauW: 144, B: 80.5, VReset: -70.6, VPeak: 20}},

	// Naud et al. (2008), Table 1 (as tabulated in Brian2's example
	// Naud_et_al_2008_adex_firing_patterns.py), with the spike cut at
	// V_peak = 0 mV as there: the upstroke diverges within a fraction of a
	// millisecond above V_T, so the cut-off moves spike times by less than dt.
	"AdEx_tonic": {Name: "AdEx_tonic", Kind: KindAdEx, Excitatory: true, Source: naud2008, AdEx: AdEx{
		C: 200, GL: 10, EL: -70, VT: -50, DeltaT: 2, A: 2, TauW: 30, B: 0, VReset: -58, VPeak: 0}},
	"AdEx_adapting": {Name: "AdEx_adapting", Kind: KindAdEx, Excitatory: true, Source: naud2008, AdEx: AdEx{
		C: 200, GL: 12, EL: -70, VT: -50, DeltaT: 2, A: 2, TauW: 300, B: 60, VReset: -58, VPeak: 0}},
	"AdEx_initial_burst": {Name: "AdEx_initial_burst", Kind: KindAdEx, Excitatory: true, Source: naud2008, AdEx: AdEx{
		C: 130, GL: 18, EL: -58, VT: -50, DeltaT: 2, A: 4, TauW: 150, B: 120, VReset: -50, VPeak: 0}},
	"AdEx_bursting": {Name: "AdEx_bursting", Kind: KindAdEx, Excitatory: true, Source: naud2008, AdEx: AdEx{
		C: 200, GL: 10, EL: -58, VT: -50, DeltaT: 2, A: 2, TauW: 120, B: 100, VReset: -46, VPeak: 0}},
	"AdEx_delayed_accelerating": {Name: "AdEx_delayed_accelerating", Kind: KindAdEx, Excitatory: false, Source: naud2008, AdEx: AdEx{
		C: 200, GL: 12, EL: -70, VT: -50, DeltaT: 2, A: -10, TauW: 300, B: 0, VReset: -58, VPeak: 0}},
	"AdEx_delayed_bursting": {Name: "AdEx_delayed_bursting", Kind: KindAdEx, Excitatory: false, Source: naud2008, AdEx: AdEx{
		C: 100, GL: 10, EL: -65, VT: -50, DeltaT: 2, A: -10, TauW: 90, B: 30, VReset: -47, VPeak: 0}},
	"AdEx_transient": {Name: "AdEx_transient", Kind: KindAdEx, Excitatory: false, Source: naud2008, AdEx: AdEx{
		C: 100, GL: 10, EL: -65, VT: -50, DeltaT: 2, A: 10, TauW: 90, B: 100, VReset: -47, VPeak: 0}},
	"AdEx_irregular": {Name: "AdEx_irregular", Kind: KindAdEx, Excitatory: false, Source: naud2008, AdEx: AdEx{
		C: 100, GL: 12, EL: -60, VT: -50, DeltaT: 2, A: -11, TauW: 130, B: 30, VReset: -48, VPeak: 0}},
}

// Builtin returns the named built-in cell type.
func Builtin(name string) (Type, bool) {
	t, ok := builtin[name]
	return t, ok
}

// BuiltinNames lists the built-in cell types in a stable order.
func BuiltinNames() []string {
	names := make([]string, 0, len(builtin))
	for n := range builtin {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DefaultFractions is the default composition of a culture (BL-1's, after
// the cortical proportions used by Izhikevich 2003): 80 % excitatory.
var DefaultFractions = map[string]float64{"RS": 0.64, "IB": 0.08, "CH": 0.08, "FS": 0.16, "LTS": 0.04}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Integrator is a membrane integration scheme (see the package doc).
type Integrator uint8

// Integration schemes. The zero value is BL-1's forward Euler.
const (
	ForwardEuler     Integrator = iota // both derivatives at the old state
	ExponentialEuler                   // exact in the synaptic conductances at the old state
)

func (i Integrator) String() string {
	switch i {
	case ForwardEuler:
		return "euler"
	case ExponentialEuler:
		return "exponential"
	}
	return fmt.Sprintf("Integrator(%d)", uint8(i))
}

// ParseIntegrator reads a scheme's name as written in configs: euler or
// exponential.
func ParseIntegrator(s string) (Integrator, error) {
	switch strings.ToLower(s) {
	case "euler":
		return ForwardEuler, nil
	case "exponential":
		return ExponentialEuler, nil
	}
	return 0, fmt.Errorf("unknown integrator %q (known: euler, exponential)", s)
}
