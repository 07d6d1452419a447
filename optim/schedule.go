package optim

import "math"

// Schedule gives the learning rate of each step (from 0).
type Schedule interface {
	Rate(step int) float64
}

// Constant is a fixed learning rate.
type Constant float64

// Rate implements Schedule.
func (c Constant) Rate(int) float64 { return float64(c) }

// Exponential decays the rate by Gamma every step: Initial·Gammaᵗ.
type Exponential struct{ Initial, Gamma float64 }

// Rate implements Schedule.
func (e Exponential) Rate(step int) float64 { return e.Initial * math.Pow(e.Gamma, float64(step)) }

// StepDecay multiplies the rate by Factor every Every steps.
type StepDecay struct {
	Initial, Factor float64
	Every           int
}

// Rate implements Schedule.
func (s StepDecay) Rate(step int) float64 {
	if s.Every <= 0 {
		return s.Initial
	}
	return s.Initial * math.Pow(s.Factor, float64(step/s.Every))
}

// Cosine warms up linearly over Warmup steps from Initial/Warmup to
// Initial, then anneals to Final at step Steps along half a cosine, and
// stays at Final.
type Cosine struct {
	Initial, Final float64
	Steps, Warmup  int
}

// Rate implements Schedule.
func (c Cosine) Rate(step int) float64 {
	if step < c.Warmup {
		return c.Initial * float64(step+1) / float64(c.Warmup)
	}
	span := c.Steps - c.Warmup
	if span <= 0 || step >= c.Steps {
		return c.Final
	}
	x := float64(step-c.Warmup) / float64(span)
	return c.Final + (c.Initial-c.Final)*(1+math.Cos(math.Pi*x))/2
}
