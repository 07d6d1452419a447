package plasticity

import (
	"fmt"
	"math"
)

// Bounds is how STDP keeps weights in [0, w_max].
type Bounds uint8

// Bounds.
const (
	Additive       Bounds = iota // clip to [0, w_max]
	Multiplicative               // soft bounds: potentiation ∝ w_max - w, depression ∝ w
)

// ParseBounds reads a bounds name as written in configs.
func ParseBounds(s string) (Bounds, error) {
	switch s {
	case "additive":
		return Additive, nil
	case "multiplicative":
		return Multiplicative, nil
	}
	return 0, fmt.Errorf("bounds = %q, must be additive or multiplicative", s)
}

func (b Bounds) String() string {
	if b == Multiplicative {
		return "multiplicative"
	}
	return "additive"
}

// STDP holds the parameters of pair-based STDP.
type STDP struct {
	APlus    float64 // potentiation per pair at Δt -> 0+, weight units (additive) or fraction of w_max - w
	AMinus   float64 // depression per pair at Δt -> 0-, weight units (additive) or fraction of w
	TauPlus  float64 // ms
	TauMinus float64 // ms
	WMax     float64 // upper bound of weights
	Bounds   Bounds
}

// DefaultSTDP are BL-1's constants (A+ 0.005, A- 0.00525, τ+ 20 ms,
// τ- 50 ms) with w_max at twice the default excitatory weight.
var DefaultSTDP = STDP{APlus: 0.005, AMinus: 0.00525, TauPlus: 20, TauMinus: 50, WMax: 0.14, Bounds: Additive}

// Validate checks the parameters; messages start with the config key.
func (p STDP) Validate() error {
	switch {
	case !(p.APlus >= 0) || math.IsInf(p.APlus, 0):
		return fmt.Errorf("a_plus = %g, must be >= 0", p.APlus)
	case !(p.AMinus >= 0) || math.IsInf(p.AMinus, 0):
		return fmt.Errorf("a_minus = %g, must be >= 0", p.AMinus)
	case !(p.TauPlus > 0) || math.IsInf(p.TauPlus, 0):
		return fmt.Errorf("tau_plus_ms = %g, must be > 0", p.TauPlus)
	case !(p.TauMinus > 0) || math.IsInf(p.TauMinus, 0):
		return fmt.Errorf("tau_minus_ms = %g, must be > 0", p.TauMinus)
	case !(p.WMax > 0) || math.IsInf(p.WMax, 0):
		return fmt.Errorf("w_max = %g, must be > 0", p.WMax)
	}
	return nil
}

// Potentiate returns w after a postsynaptic spike with presynaptic trace
// xpre.
func (p STDP) Potentiate(w, xpre float64) float64 {
	if p.Bounds == Multiplicative {
		return w + p.APlus*xpre*(p.WMax-w)
	}
	return min(w+p.APlus*xpre, p.WMax)
}

// Depress returns w after a presynaptic spike with postsynaptic trace
// xpost.
func (p STDP) Depress(w, xpost float64) float64 {
	if p.Bounds == Multiplicative {
		return w - p.AMinus*xpost*w
	}
	return max(w-p.AMinus*xpost, 0)
}

// Window returns the weight change of one additive pair at Δt = t_post -
// t_pre (ms): A+ e^(-Δt/τ+) for Δt > 0, -A- e^(Δt/τ-) for Δt < 0, 0 at 0.
func (p STDP) Window(dt float64) float64 {
	switch {
	case dt > 0:
		return p.APlus * math.Exp(-dt/p.TauPlus)
	case dt < 0:
		return -p.AMinus * math.Exp(dt/p.TauMinus)
	}
	return 0
}

// Drift returns the expected additive weight change per ms under
// independent Poisson trains at rates pre and post (Hz), away from the
// bounds: r_pre r_post (A+ τ+ - A- τ-).
func (p STDP) Drift(pre, post float64) float64 {
	return pre / 1000 * post / 1000 * (p.APlus*p.TauPlus - p.AMinus*p.TauMinus)
}

// Decay tabulates e^(-k dt/τ) for whole numbers of steps k, down to 1e-12
// (beyond which a trace counts as 0): a lookup instead of an exponential
// for every synapse of a spiking neuron.
type Decay struct {
	pow []float64
}

// NewDecay returns the table for time constant tau and step dt (ms).
func NewDecay(tau, dt float64) *Decay {
	n := int(math.Ceil(tau*math.Log(1e12)/dt)) + 1
	d := &Decay{pow: make([]float64, n)}
	for k := range d.pow {
		d.pow[k] = math.Exp(-float64(k) * dt / tau)
	}
	return d
}

// Factor returns e^(-k dt/τ) for k >= 0 steps.
func (d *Decay) Factor(k int64) float64 {
	if k < int64(len(d.pow)) {
		return d.pow[k]
	}
	return 0
}

// Trace is an exponentially decaying spike trace stored at its last spike.
type Trace struct {
	V    float64 // value just after the last increment
	Last int64   // step of the last increment; meaningless while V == 0
}

// At returns the trace at step t, excluding an increment made at step t
// itself.
func (tr Trace) At(t int64, d *Decay) float64 {
	if tr.V == 0 {
		return 0
	}
	if tr.Last == t {
		return tr.V - 1
	}
	return tr.V * d.Factor(t-tr.Last)
}

// Spike adds 1 to the trace at step t.
func (tr *Trace) Spike(t int64, d *Decay) {
	tr.V = tr.At(t, d) + 1
	tr.Last = t
}
