// Package synapses models conductance-based synaptic transmission: the AMPA,
// NMDA, GABA_A and GABA_B receptor kinetics, the voltage-dependent Mg2+ block
// of NMDA receptors, and axonal conduction delays.
//
// # Kinetics
//
// AMPA and GABA_A are single exponentials, g(t) = w e^(-t/τ). NMDA and
// GABA_B are differences of exponentials normalised to a peak of w:
//
//	g(t) = w · N · (e^(-t/τ_d) - e^(-t/τ_r)),
//	t_peak = τ_d τ_r / (τ_d - τ_r) · ln(τ_d / τ_r),
//	N = 1 / (e^(-t_peak/τ_d) - e^(-t_peak/τ_r)).
//
// Defaults (as in BL-1 and CARLsim): AMPA τ 2 ms, E 0 mV; NMDA τ_r 2 ms,
// τ_d 100 ms, E 0 mV; GABA_A τ 6 ms, E -75 mV; GABA_B τ_r 45 ms,
// τ_d 170 ms, E -95 mV. Between arrivals every state variable decays
// exactly, g <- g e^(-dt/τ); an arrival adds its weight to the state at the
// start of the step in which it lands.
//
// The current into a neuron at potential v, per unit capacitance (mV/ms,
// the unit of the Izhikevich model), is
//
//	I = g_AMPA (E_AMPA - v) + g_NMDA B(v) (E_NMDA - v)
//	  + g_GABA_A (E_GABA_A - v) + g_GABA_B (E_GABA_B - v),
//
// with the Mg2+ block of Jahr & Stevens (1990, J Neurosci 10:3178,
// doi:10.1523/JNEUROSCI.10-09-03178.1990, eq. 4 with the constants of
// their Fig. 8): B(v) = 1 / (1 + [Mg2+]/3.57 mM · e^(-0.062 v)).
//
// # Tonic inhibition
//
// Ambient GABA holds extrasynaptic GABA_A receptors open (Farrant & Nusser
// 2005, Nat Rev Neurosci 6:215, doi:10.1038/nrn1625); in cultured
// hippocampal neurons this tonic current is blocked by bicuculline (Bai et
// al. 2001, Mol Pharmacol 59:814). Params.TonicGABAA (1/ms, 0 by default)
// adds g_tonic (E_GABA_A - v) to the current of every neuron, scaled by the
// free fraction of GABA_A receptors like the phasic arrivals.
//
// # Receptor routing
//
// Whether a synapse is excitatory or inhibitory is decided by its
// presynaptic neuron (Dale's law). An excitatory synapse of weight w drives
// AMPA with (1 - f_NMDA) w and NMDA with f_NMDA w; an inhibitory one drives
// GABA_A with (1 - f_GABA_B) w and GABA_B with f_GABA_B w. Each weight is
// counted once (BL-1's simulate() drives both receptors of a pair with the
// full weight).
//
// # Delays
//
// A spike reaches a synapse at distance d after d / v_axon (default
// 300 µm/ms = 0.3 m/s, unmyelinated cortical axons), rounded to whole steps
// and at least one step.
package synapses
