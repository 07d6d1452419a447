// Package plasticity holds the four timescales of synaptic plasticity the
// engine runs: short-term plasticity of release, spike-timing-dependent
// plasticity of weights, homeostatic scaling of a neuron's inputs and
// structural rewiring. Times are in ms, rates in Hz, weights in the
// culture's units (per unit capacitance, 1/ms).
//
// # Short-term plasticity (STP)
//
// Tsodyks & Markram (1997), PNAS 94:719, doi:10.1073/pnas.94.2.719, with
// facilitation as in Markram, Wang & Tsodyks (1998), PNAS 95:5323,
// doi:10.1073/pnas.95.9.5323, eqs. 1-2. Each presynaptic neuron (per
// projection when projections are configured) has a utilisation u and a
// fraction of available resources x. Between spikes both recover exactly,
//
//	u(t) = u⁺ e^(-Δ/τ_fac),   x(t) = 1 - (1 - x⁺) e^(-Δ/τ_rec),
//
// and at a spike
//
//	u⁺ = u⁻ + U(1 - u⁻),   A = u⁺ x⁻,   x⁺ = x⁻ - A,
//
// where A, the fraction of the synaptic weight released, scales every
// outgoing synapse of the neuron. u starts at 0 and x at 1, so the first
// spike releases U. With τ_fac = 0 the synapse only depresses (u⁺ = U at
// every spike). For a regular train at interval Δ the steady state is
//
//	u* = U / (1 - (1 - U) e^(-Δ/τ_fac)),
//	x* = (1 - e^(-Δ/τ_rec)) / (1 - (1 - u*) e^(-Δ/τ_rec)),   A* = u* x*.
//
// # STDP
//
// Pair-based STDP with all-to-all interactions computed from traces
// (Song, Miller & Abbott 2000, Nat Neurosci 3:919, doi:10.1038/78829;
// Morrison, Diesmann & Gerstner 2008, Biol Cybern 98:459,
// doi:10.1007/s00422-008-0233-1). Each neuron has a presynaptic trace
// x_pre (time constant τ+) and a postsynaptic trace x_post (τ-), both
// incremented by 1 at each of its spikes. When the postsynaptic neuron of a
// synapse spikes, its weight grows by A+·x_pre; when the presynaptic neuron
// spikes, it shrinks by A-·x_post; traces are read before the increments
// of the current step, so a pair at Δt = t_post - t_pre contributes
// A+ e^(-Δt/τ+) for Δt > 0, -A- e^(Δt/τ-) for Δt < 0 and nothing at 0.
// Bounds are additive (the change is clipped to [0, w_max]) or
// multiplicative (A+ is scaled by w_max - w and A- by w, Gütig et al. 2003,
// J Neurosci 23:3697). Spike times are somatic. Under independent Poisson
// pre- and postsynaptic trains at rates r_pre, r_post, additive STDP drifts
// by r_pre r_post (A+ τ+ - A- τ-) per ms.
//
// # Homeostatic scaling
//
// Turrigiano et al. (1998), Nature 391:892, doi:10.1038/36103: every
// neuron keeps a slow estimate of its rate, r <- r e^(-T/τ_r) +
// (n/T)(1 - e^(-T/τ_r)) over each interval T of the slow clock (n spikes),
// and multiplies all its incoming excitatory weights by
//
//	1 + (T/τ_s)(r_target - r)/r_target,
//
// clipped to [1/2, 2] per interval. τ_s is the scaling time constant, which
// experiments may shorten to see the effect within a simulation. Scaling
// every input of a neuron by the same factor is the same as multiplying
// the excitatory input it receives by a gain: the engine keeps one gain per
// neuron, bounded to [gain_min, gain_max], and applies it to the arriving
// excitatory conductance, so a tick costs one update per neuron instead of
// one per synapse. A synapse's effective weight is its weight times its
// target's gain.
//
// # Structural plasticity
//
// In the spirit of Butz & van Ooyen (2013), PLoS Comput Biol 9:e1003259,
// doi:10.1371/journal.pcbi.1003259: on a slow clock, excitatory synapses
// weaker than a threshold are pruned with a probability, and a neuron whose
// rate r falls below its target r_target grows new excitatory inputs at a
// rate g·(r_target - r)/r_target per second (g at full deficit), from
// presynaptic partners drawn with the culture's distance-dependent prior
// p(d) ∝ e^(-d/λ) within the cutoff, never from itself, from an inhibitory
// neuron or from a neuron already connected.
package plasticity
