// Package fit fits a culture's parameters to recordings and statistics by
// gradient descent through simulation windows (package adjoint), the job
// of `bl1 fit`.
//
// # Losses
//
// Every loss is a differentiable function L(s) of the spikes s_i(t) of a
// window and supplies ∂L/∂s_i(t) to the adjoint (package doc of each type
// has its equation):
//
//	LogRate       (ln(r + ε) - ln(r* + ε))², r the population rate (BL-1's trainer)
//	BurstRate     ((B/T - b*)/max(b*, 1))², B = Σ_t max(0, g(t) - g(t-1)) the rises of a
//	              logistic gate on the Gaussian-smoothed population rate
//	Fano          (Var c / mean c - F*)², c the population count in bins (synchrony)
//	VanRossum     Σ_i Σ_t (f_i - g_i)² dt/τ, f, g exponentially filtered trains
//	              (van Rossum 2001, Neural Comput 13:751)
//	ChannelRates  (1/C) Σ_c (ln(r_c + ε) - ln(r*_c + ε))², r_c = Σ_i A_ci r_i the rate
//	              electrode c records through the assignment A (package mea)
//	RateTrace     Σ_t (r(t) - r*(t))² / Σ_t (r*(t) - mean r*)², the time course of the
//	              smoothed population rate
//	Sum           a weighted sum
//
// Measures (Rate, FanoFactor, ChannelRate, BurstRate.Measure) compute the
// same statistics from a recording, the targets of the losses.
//
// # Fitting
//
// A Knob is one fitted scalar (Conductance: g_exc or g_inh; STPU: the
// utilisation U of a population; Fraction: the NMDA or GABA_B share) with
// the chain rule from the model's gradient (∂L/∂g_exc = Σ_p ∂L/∂Scale_p /
// g_exc⁰ over the excitatory populations). Fitter runs, every iteration,
// the same windows from the same state and drive realization, averages
// the knobs' gradients over them and takes an optimizer step (package
// optim) on the knobs divided by their starting values, within bounds.
//
// # Surrogate width
//
// An Izhikevich neuron at dt = 0.5 ms crosses its 30 mV peak by tens of mV
// in one step, so a surrogate 0.1 mV wide (BL-1's β = 10/mV) passes almost
// no gradient; fits use β = 0.1/mV (the width of the upstroke), with the
// reset detached and the adjoint clipped, which recovers g_exc, g_inh and
// the excitatory U of a simulated culture to within 3 % from a start 15 %
// away (TestParameterRecovery).
package fit
