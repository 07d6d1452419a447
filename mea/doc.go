// Package mea is the virtual multi-electrode array (MEA): electrode
// layouts, the maps between electrodes and the neurons near them, spike
// recording, the local field potential (LFP) and pulse-train stimulation.
//
// # Layouts
//
// CL1 is the Cortical Labs CL1 (8 × 8, 200 µm pitch, channel k at column
// k mod 8 and row k div 8; channels 0, 7, 56 and 63 grounded, 4 the
// reference; ../shared/spec/cl1-protocol.md §4). MaxOne is the MaxWell
// MaxOne HD-MEA (120 × 220 = 26,400 electrodes at 17.5 µm), of which at
// most 1,024 record at once (Layout.Route chooses them). MCS60 is the
// 60-electrode Multi Channel Systems array of Wagenaar et al. (2006). Custom
// takes any positions. Electrodes lie in the culture's plane (z = 0).
//
// # Recording
//
// NewMap finds the neurons within a radius of each electrode with a grid
// of the electrodes, in O(N + E): the 26,400 electrodes of a MaxOne cost
// nothing where no neuron is near. A spike of neuron i at distance d from a
// recorded electrode has amplitude A(d) = A_ref · d_ref / max(d, r_soma)
// (the 1/d fall-off of a point source; 60 µV at 50 µm by default, after
// Henze et al. 2000); Gaussian noise is added and the event is detected if
// it reaches the threshold and the channel is outside its dead time (the
// Recorder). The LFP at electrode e is φ_e = Σ_n I_n / (4π σ |r_e − r_n|)
// over the neurons within a radius, with I_n = −C_n · I_syn,n the membrane
// current of a point neuron's synaptic input (the LFP type).
//
// # Stimulation
//
// A Train is a series of identical pulses (biphasic or up to three phases,
// widths in µs, currents in µA) at a frequency. The Stimulator checks it
// against the device's Limits (CL1: phase widths multiples of 20 µs, at most
// 3 µA and 3 nC per phase, alternating polarity, at most 200 Hz) and turns
// each pulse into a depolarisation Δv = k · Q · max(0, 1 − d / r_act) of
// the neurons near the electrode in the pulse's step, where Q is the
// pulse's cathodic charge (nC) and k the coupling (mV/nC). It is the
// engine's input (sim.Input); a closed loop schedules trains between runs.
//
// Rig puts the parts together over an engine, as `bl1 run` does with the
// config's mea section.
package mea
