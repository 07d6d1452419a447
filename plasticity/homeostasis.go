package plasticity

import (
	"fmt"
	"math"
)

// Scaling holds the parameters of homeostatic synaptic scaling.
type Scaling struct {
	Target   float64 // target rate, Hz (> 0)
	TauRate  float64 // time constant of the rate estimate, ms
	Interval float64 // slow clock, ms
	TauScale float64 // scaling time constant, ms
	GainMin  float64 // bounds of a neuron's scaling factor (its gain)
	GainMax  float64
}

// DefaultScaling has a 2 Hz target, a 10 s rate estimate, a 100 ms clock,
// a 100 s scaling time constant (scaling in cultures takes hours to days,
// Turrigiano et al. 1998; experiments shorten it) and gains in [0.1, 10].
var DefaultScaling = Scaling{Target: 2, TauRate: 10000, Interval: 100, TauScale: 100000, GainMin: 0.1, GainMax: 10}

// Validate checks the parameters; messages start with the config key.
func (p Scaling) Validate() error {
	switch {
	case !(p.Target > 0) || math.IsInf(p.Target, 0):
		return fmt.Errorf("target_hz = %g, must be > 0", p.Target)
	case !(p.TauRate > 0) || math.IsInf(p.TauRate, 0):
		return fmt.Errorf("tau_rate_s = %g, must be > 0", p.TauRate/1000)
	case !(p.Interval > 0) || math.IsInf(p.Interval, 0):
		return fmt.Errorf("interval_ms = %g, must be > 0", p.Interval)
	case !(p.TauScale > 0) || math.IsInf(p.TauScale, 0):
		return fmt.Errorf("tau_scaling_s = %g, must be > 0", p.TauScale/1000)
	case !(p.GainMin > 0 && p.GainMin <= 1 && p.GainMax >= 1) || math.IsInf(p.GainMax, 0):
		return fmt.Errorf("gain_min = %g, gain_max = %g: need 0 < gain_min <= 1 <= gain_max", p.GainMin, p.GainMax)
	}
	return nil
}

// Rate returns the rate estimate after an interval of the slow clock in
// which the neuron fired n spikes.
func (p Scaling) Rate(r float64, n int) float64 { return p.RateWith(r, n, p.Decay()) }

// Decay returns e^(-T/τ_r), the estimate's decay over one interval.
func (p Scaling) Decay() float64 { return math.Exp(-p.Interval / p.TauRate) }

// RateWith is Rate with the decay precomputed.
func (p Scaling) RateWith(r float64, n int, decay float64) float64 {
	return r*decay + float64(n)/(p.Interval/1000)*(1-decay)
}

// Factor returns the multiplicative change of a neuron's excitatory input
// weights over one interval at estimated rate r.
func (p Scaling) Factor(r float64) float64 {
	f := 1 + p.Interval/p.TauScale*(p.Target-r)/p.Target
	return min(max(f, 0.5), 2)
}

// Scale applies factor f to gain g within the bounds.
func (p Scaling) Scale(g, f float64) float64 {
	return min(max(g*f, p.GainMin), p.GainMax)
}
