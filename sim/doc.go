// Package sim is the native simulation engine: it advances a culture's
// neurons and synapses step by step, delivers spikes through axonal delays,
// injects background drive and external input, and reports spikes to
// recorders.
//
// # Step
//
// One step of dt (ms) does, for every neuron i:
//
//  1. receptor conductances decay exactly and the synaptic weights that
//     arrive at step t are added (package synapses);
//  2. I_i = I_syn,i(v_i) + μ + σ ξ_i,t + I_input,i(t), with ξ_i,t a standard
//     normal deviate drawn from a counter-based stream keyed by
//     (seed, neuron, step) (rng.Norm32: two rounds of a 32-bit hash and a
//     256-layer ziggurat); μ and σ are per step, as in BL-1, so the
//     drive's effect depends on dt;
//  3. the neuron model advances by one step (package models): forward
//     Euler (BL-1's scheme) or, with Config.Integrator, exponential Euler
//     in the synaptic conductances, which the kernel of step 1 also sums;
//     a neuron whose potential crosses its peak spikes at time t·dt;
//  4. each spike of presynaptic neuron j adds w_ij to the ring-buffer slot
//     t + delay_ij of postsynaptic neuron i, in its excitatory or inhibitory
//     channel (Dale's law: the channel is j's).
//
// A spike therefore reaches its target's conductances delay_ij steps later
// (at least one).
//
// # Parallelism and determinism
//
// Persistent worker goroutines own contiguous blocks of neurons. A step is
// phase 1-3 on the worker's own neurons, one barrier, then phase 4 for the
// spikes of all workers, restricted to the worker's own postsynaptic
// neurons (each row of the sparse matrix is split at the block boundaries
// once, when the engine starts). Every postsynaptic neuron thus receives its
// inputs in the same order, by step and then by presynaptic index, whatever
// the number of workers: spikes are bit-identical for any worker count.
//
// # Numerics
//
// State is float32. Conductances below 1e-30 are set to zero (a software
// flush-to-zero: subnormal arithmetic is ~100x slower on x86 and Go cannot
// set the FPU's FTZ mode). A non-finite neuron state stops the run with an
// error naming the neuron and the step. The per-neuron loops are the
// kernels of internal/kernel: AVX2 on amd64 when the CPU has it, portable
// Go otherwise, with bit-identical results (BL1_NOSIMD=1 forces the
// portable code).
package sim
