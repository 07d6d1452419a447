package synapses

import (
	"fmt"
	"math"
)

// Receptor is the kinetics of one receptor type. TauRise = 0 makes it a
// single exponential.
type Receptor struct {
	TauRise  float64 // rise time constant, ms (0: instantaneous rise)
	TauDecay float64 // decay time constant, ms
	ERev     float64 // reversal potential, mV
}

// Dual reports whether the receptor is a difference of exponentials.
func (r Receptor) Dual() bool { return r.TauRise > 0 }

// PeakTime returns the time of the kernel's peak after an arrival, ms.
func (r Receptor) PeakTime() float64 {
	if !r.Dual() {
		return 0
	}
	return r.TauDecay * r.TauRise / (r.TauDecay - r.TauRise) * math.Log(r.TauDecay/r.TauRise)
}

// Norm returns the factor that makes the kernel's peak equal to 1.
func (r Receptor) Norm() float64 {
	if !r.Dual() {
		return 1
	}
	tp := r.PeakTime()
	return 1 / (math.Exp(-tp/r.TauDecay) - math.Exp(-tp/r.TauRise))
}

// Kernel returns the conductance at time t (ms) after the arrival of a unit
// weight: the continuous-time response, peak 1.
func (r Receptor) Kernel(t float64) float64 {
	if t < 0 {
		return 0
	}
	if !r.Dual() {
		return math.Exp(-t / r.TauDecay)
	}
	return r.Norm() * (math.Exp(-t/r.TauDecay) - math.Exp(-t/r.TauRise))
}

// Validate checks the time constants.
func (r Receptor) Validate() error {
	switch {
	case !(r.TauDecay > 0) || math.IsInf(r.TauDecay, 0):
		return fmt.Errorf("tau_decay_ms = %g, must be > 0", r.TauDecay)
	case !(r.TauRise >= 0) || math.IsInf(r.TauRise, 0):
		return fmt.Errorf("tau_rise_ms = %g, must be >= 0", r.TauRise)
	case r.Dual() && !(r.TauRise < r.TauDecay):
		return fmt.Errorf("tau_rise_ms = %g must be below tau_decay_ms = %g", r.TauRise, r.TauDecay)
	case math.IsNaN(r.ERev) || math.IsInf(r.ERev, 0):
		return fmt.Errorf("e_rev_mv must be finite")
	}
	return nil
}

// Params is the full synaptic configuration of a culture.
type Params struct {
	AMPA, NMDA, GABAA, GABAB Receptor
	Mg                       float64 // extracellular [Mg2+], mM
	NMDAFraction             float64 // share of an excitatory weight on NMDA receptors, [0, 1]
	GABABFraction            float64 // share of an inhibitory weight on GABA_B receptors, [0, 1]

	// TonicGABAA is the tonic (extrasynaptic) GABA_A conductance of every
	// neuron, per unit capacitance (1/ms), at E_GABA_A; 0 by default.
	TonicGABAA float64
}

// Default returns the default kinetics (BL-1's constants) with 30 % NMDA
// and 10 % GABA_B.
func Default() Params {
	return Params{
		AMPA:          Receptor{TauDecay: 2, ERev: 0},
		NMDA:          Receptor{TauRise: 2, TauDecay: 100, ERev: 0},
		GABAA:         Receptor{TauDecay: 6, ERev: -75},
		GABAB:         Receptor{TauRise: 45, TauDecay: 170, ERev: -95},
		Mg:            1,
		NMDAFraction:  0.3,
		GABABFraction: 0.1,
	}
}

// Validate checks every field.
func (p Params) Validate() error {
	for _, r := range []struct {
		name string
		r    Receptor
	}{{"ampa", p.AMPA}, {"nmda", p.NMDA}, {"gaba_a", p.GABAA}, {"gaba_b", p.GABAB}} {
		if err := r.r.Validate(); err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
	}
	switch {
	case !(p.Mg >= 0) || math.IsInf(p.Mg, 0):
		return fmt.Errorf("mg_mm = %g, must be >= 0", p.Mg)
	case !(p.NMDAFraction >= 0 && p.NMDAFraction <= 1):
		return fmt.Errorf("nmda_fraction = %g, must be in [0, 1]", p.NMDAFraction)
	case !(p.GABABFraction >= 0 && p.GABABFraction <= 1):
		return fmt.Errorf("gaba_b_fraction = %g, must be in [0, 1]", p.GABABFraction)
	case !(p.TonicGABAA >= 0) || math.IsInf(p.TonicGABAA, 0):
		return fmt.Errorf("tonic_gaba_a = %g, must be >= 0 and finite", p.TonicGABAA)
	}
	return nil
}

// MgBlock returns the fraction of NMDA conductance not blocked by Mg2+ at
// membrane potential v (mV) and [Mg2+] = mg (mM): Jahr & Stevens (1990).
func MgBlock(v, mg float64) float64 { return 1 / (1 + mg/3.57*math.Exp(-0.062*v)) }

// DelaySteps converts a distance (µm) into a whole number of steps of dt
// (ms) at conduction velocity vel (µm/ms): round(d/vel/dt), at least 1.
func DelaySteps(distance, vel, dt float64) int {
	return max(1, int(math.Round(distance/vel/dt)))
}
