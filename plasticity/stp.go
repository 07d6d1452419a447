package plasticity

import (
	"fmt"
	"math"
)

// STP holds Tsodyks-Markram parameters.
type STP struct {
	U      float64 // utilisation increment, (0, 1]
	TauRec float64 // recovery of resources, ms (> 0)
	TauFac float64 // decay of facilitation, ms (0: none)
}

// Default STP parameters of excitatory and inhibitory presynaptic neurons
// (as in BL-1: depressing excitation, facilitating inhibition, after
// Markram et al. 1998 and Gupta, Wang & Markram 2000, Science 287:273).
var (
	DefaultSTPExc = STP{U: 0.5, TauRec: 800, TauFac: 0}
	DefaultSTPInh = STP{U: 0.04, TauRec: 100, TauFac: 1000}
)

// Validate checks the parameters; messages start with the config key.
func (p STP) Validate() error {
	switch {
	case !(p.U > 0 && p.U <= 1):
		return fmt.Errorf("u = %g, must be in (0, 1]", p.U)
	case !(p.TauRec > 0) || math.IsInf(p.TauRec, 0):
		return fmt.Errorf("tau_rec_ms = %g, must be > 0", p.TauRec)
	case !(p.TauFac >= 0) || math.IsInf(p.TauFac, 0):
		return fmt.Errorf("tau_fac_ms = %g, must be >= 0", p.TauFac)
	}
	return nil
}

// STPState is the state of one presynaptic neuron (or projection) between
// spikes: u and x just after its last spike. Its zero value is wrong: use
// Fresh.
type STPState struct {
	U, X float64
}

// Fresh returns the state of a neuron that has not spiked: u = 0, x = 1.
func Fresh() STPState { return STPState{U: 0, X: 1} }

// Release applies a spike that comes dt ms after the previous one (+Inf
// for the first) and returns the released fraction A.
func (p STP) Release(s *STPState, dt float64) float64 {
	u, x := s.U, s.X
	if dt > 0 {
		if p.TauFac > 0 {
			u *= math.Exp(-dt / p.TauFac)
		} else {
			u = 0
		}
		x = 1 - (1-x)*math.Exp(-dt/p.TauRec)
	}
	u += p.U * (1 - u)
	a := u * x
	s.U, s.X = u, x-a
	return a
}

// SteadyState returns u* (after the jump), x* (before release) and the
// steady released fraction A* = u* x* for a regular train at rate hz.
func (p STP) SteadyState(hz float64) (u, x, a float64) {
	d := 1000 / hz
	ef := 0.0
	if p.TauFac > 0 {
		ef = math.Exp(-d / p.TauFac)
	}
	u = p.U / (1 - (1-p.U)*ef)
	er := math.Exp(-d / p.TauRec)
	x = (1 - er) / (1 - (1-u)*er)
	return u, x, u * x
}

// PairedPulse returns the ratio of the second release to the first for
// two spikes interval ms apart, from rest.
func (p STP) PairedPulse(interval float64) float64 {
	ef := 0.0
	if p.TauFac > 0 {
		ef = math.Exp(-interval / p.TauFac)
	}
	u2 := p.U*ef + p.U*(1-p.U*ef)
	x2 := 1 - p.U*math.Exp(-interval/p.TauRec)
	return u2 * x2 / p.U
}
