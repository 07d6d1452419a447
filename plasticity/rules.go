package plasticity

import (
	"fmt"
	"math"
)

// Rules is the plasticity of a run; a nil rule is off.
type Rules struct {
	STP        *STPRule
	STDP       *STDPRule
	Scaling    *Scaling
	Structural *Structural
}

// STPRule gives the short-term plasticity of each projection.
type STPRule struct {
	Exc, Inh STP // by presynaptic population
	// Override, when set, replaces the parameters of one projection,
	// indexed [presynaptic inhibitory][postsynaptic inhibitory] (0 is
	// excitatory): STP is then tracked per presynaptic neuron and target
	// population.
	Override [2][2]*STP
}

// Params returns the parameters of the projection from a presynaptic
// population to a postsynaptic one.
func (r *STPRule) Params(preExc, postExc bool) STP {
	i, j := index(preExc), index(postExc)
	if p := r.Override[i][j]; p != nil {
		return *p
	}
	if preExc {
		return r.Exc
	}
	return r.Inh
}

// Split reports whether neurons of a presynaptic population need separate
// STP states for their excitatory and inhibitory targets.
func (r *STPRule) Split(preExc bool) bool {
	return r.Params(preExc, true) != r.Params(preExc, false)
}

func index(exc bool) int {
	if exc {
		return 0
	}
	return 1
}

// STDPRule is STDP as the engine applies it.
type STDPRule struct {
	STDP
	AllPresynaptic bool    // also synapses from inhibitory neurons (default: excitatory only)
	FreezeAt       float64 // simulated time (ms) after which weights stay fixed; 0: never
}

// Validate checks every rule; messages start with the config key.
func (r Rules) Validate() error {
	if s := r.STP; s != nil {
		for name, p := range map[string]STP{"excitatory": s.Exc, "inhibitory": s.Inh} {
			if err := p.Validate(); err != nil {
				return fmt.Errorf("stp.%s.%w", name, err)
			}
		}
		for i, row := range s.Override {
			for j, p := range row {
				if p != nil {
					if err := p.Validate(); err != nil {
						return fmt.Errorf("stp.projections.%s.%w", ProjectionName(i == 0, j == 0), err)
					}
				}
			}
		}
	}
	if s := r.STDP; s != nil {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("stdp.%w", err)
		}
		if !(s.FreezeAt >= 0) || math.IsInf(s.FreezeAt, 0) {
			return fmt.Errorf("stdp.freeze_at_s = %g, must be >= 0 (0: never)", s.FreezeAt/1000)
		}
	}
	if s := r.Scaling; s != nil {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("homeostasis.%w", err)
		}
	}
	if s := r.Structural; s != nil {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("structural.%w", err)
		}
	}
	return nil
}

// ProjectionName is the config name of a projection: "E->E", "E->I",
// "I->E" or "I->I".
func ProjectionName(preExc, postExc bool) string {
	c := func(e bool) string {
		if e {
			return "E"
		}
		return "I"
	}
	return c(preExc) + "->" + c(postExc)
}

// ChangesWeights reports whether any rule changes synaptic weights or
// wiring (so that the engine needs its own copy of them).
func (r Rules) ChangesWeights() bool {
	return r.STDP != nil || r.Scaling != nil || r.Structural != nil
}
