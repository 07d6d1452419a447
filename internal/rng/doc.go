// Package rng provides counter-based random numbers: every value is a pure
// function of a key (derived from the run's seed and a stream name) and a
// counter, so results do not depend on the order in which goroutines ask for
// them. This is what makes a simulation bit-identical for any worker count.
//
// The mixing function is the SplitMix64 finaliser (Steele, Lea & Flood 2014,
// "Fast splittable pseudorandom number generators", OOPSLA,
// doi:10.1145/2660193.2660195). Value i of a stream with key k is
// mix(k + (i+1)·γ), which is exactly the i-th output of SplitMix64 seeded
// with k, a generator that passes BigCrush. Per-step streams derive a fresh
// key from (key, step) so that no two (neuron, step) pairs share a counter.
//
// Normal deviates use the ziggurat method of Marsaglia & Tsang (2000,
// "The Ziggurat Method for Generating Random Variables", J Stat Softw 5(8),
// doi:10.18637/jss.v005.i08) with 256 layers; the layer index, the sign and
// the uniform come from disjoint bits of one 64-bit value, avoiding the
// correlation Doornik (2005) found in the original 32-bit RNOR.
package rng
