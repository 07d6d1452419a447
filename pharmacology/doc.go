// Package pharmacology models drugs added to a culture's bath as
// antagonists with Hill dose-response curves on their targets: the blocked
// fraction at concentration c is c^n / (c^n + IC50^n) (Hill 1910; e.g.
// Neubig et al. 2003, Pharmacol Rev 55:597, for the IUPHAR terms).
//
// The built-in drugs and their targets: TTX and carbamazepine block
// voltage-gated sodium channels, CNQX AMPA receptors, APV (D-AP5) NMDA
// receptors, bicuculline GABA_A receptors. Each Drug cites where its IC50
// and Hill coefficient come from.
//
// The engine (package sim) applies a Schedule every 10 ms while
// concentrations change:
//
//   - a receptor antagonist scales what arrives at its receptor by the free
//     fraction (competitive antagonists keep transmitter from opening
//     channels; open channels close with their own kinetics); a GABA_A
//     antagonist also scales the tonic GABA_A conductance
//     (synapses.Params.TonicGABAA) at once;
//   - a sodium blocker scales the spike-initiating term of the neuron
//     models by the free fraction s: AdEx's exponential term
//     g_L Δ_T e^((V−V_T)/Δ_T) (Brette & Gerstner 2005), and the
//     regenerative part of Izhikevich's 0.04v² + 5v + 140 above rest,
//     0.04 (v − v_rest)², so that the resting potential and subthreshold
//     leak stay and the upswing weakens: at s → 0 synaptic input (bounded
//     by the reversal potentials) and the background drive no longer fire
//     neurons, so TTX silences a culture. A current strong enough to push
//     the passive membrane past the spike cut-off still counts as a spike:
//     these point models have no other notion of one. AdEx's exponential
//     has no complete block: scaling it by s moves V_T up by Δ_T ln(1/s)
//     (9 mV at 99 % block with Δ_T = 2 mV), so AdEx neurons under strong
//     depolarisation keep firing.
//
// Concentrations follow wash-in and wash-out exponentials
// (Application.Concentration); the same drug given twice adds up, and drugs
// on one target act at independent sites (free fractions multiply).
package pharmacology
