// Package culture builds a dissociated cortical culture: neurons of given
// cell types placed uniformly on a substrate and wired by distance.
//
// # Placement
//
// Neurons are placed independently and uniformly on a W × H µm substrate
// (default 3 × 3 mm), or in a W × H × T box when a thickness T is given.
// Cell types are assigned in exact proportions (largest-remainder rounding),
// independently of position. Neuron indices are then ordered by model and
// by spatial grid cell, so that a neuron's targets lie close in memory and a
// raster sorted by index is sorted by position (row by row).
//
// # Wiring
//
// Every ordered pair (pre j, post i), i ≠ j, at distance d is connected
// independently with probability
//
//	p(d) = p_max · e^(-d/λ) for d <= cutoff, 0 beyond
//
// (defaults p_max 0.21, λ 200 µm, cutoff 600 µm = 3λ, as in BL-1 at
// N >= 10,000). The builder enumerates only the neighbours within the
// cutoff through a spatial grid and skips between candidates by geometric
// jumps of rate p_max, accepting a landed candidate with probability
// e^(-d/λ): each pair is still an independent Bernoulli(p(d)) trial, at a
// cost proportional to the number of synapses. In the plane, far from the
// edges, the expected in- and out-degree is
//
//	k = 2π ρ p_max λ² [1 - e^(-R/λ)(1 + R/λ)],  ρ = N / (W H),  R = cutoff.
//
// # Weights and Dale's law
//
// Weights are W[post, pre] >= 0 with the sign of the presynaptic neuron's
// transmitter: a synapse from an excitatory neuron is excitatory, one from
// an inhibitory neuron inhibitory (Dale's law; BL-1 decides by the
// postsynaptic row below 10,000 neurons, which leaves excitatory cells
// without inhibition). A weight is g_exc or g_inh times a factor drawn from
// the configured distribution: uniform on [1 - s, 1 + s] (default s = 0.1,
// BL-1's U(0.9, 1.1)), log-normal with mean 1 and a given σ of log w, or
// constant.
//
// Axonal delays are d / v_axon (default 300 µm/ms).
//
// All randomness comes from counter-based streams (internal/rng) keyed by
// the seed and the neuron, so a culture is the same whatever the number of
// goroutines that build it.
package culture
