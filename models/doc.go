// Package models holds the point-neuron models of the simulator and their
// published parameter sets.
//
// # Izhikevich (2003)
//
// Izhikevich, E. M. (2003). Simple model of spiking neurons. IEEE Trans
// Neural Netw 14(6):1569-1572, doi:10.1109/TNN.2003.820440, eqs. 1-3:
//
//	v' = 0.04 v² + 5 v + 140 - u + I
//	u' = a (b v - u)
//	if v >= 30 mV: v <- c, u <- u + d
//
// v is in mV, t in ms, and I is a current per unit capacitance (mV/ms). The
// cortical types of Fig. 2 of the paper are built in: RS (regular spiking),
// IB (intrinsically bursting), CH (chattering), FS (fast spiking) and LTS
// (low-threshold spiking); RS, IB and CH are excitatory, FS and LTS
// inhibitory.
//
// # AdEx (Brette & Gerstner 2005)
//
// Brette, R. & Gerstner, W. (2005). Adaptive exponential integrate-and-fire
// model as an effective description of neuronal activity. J Neurophysiol
// 94:3637-3642, doi:10.1152/jn.00686.2005, eqs. 1-2:
//
//	C V' = -g_L (V - E_L) + g_L Δ_T exp((V - V_T)/Δ_T) - w + C·I
//	τ_w w' = a (V - E_L) - w
//	if V >= V_peak: V <- V_r, w <- w + b
//
// with C in pF, conductances in nS, potentials in mV, w in pA. The engine
// expresses every input current per unit capacitance (mV/ms, the unit of
// Izhikevich's I), so an AdEx neuron receives C·I pA: synaptic conductances
// and drive have the same effect on the membrane of both models, and
// Izhikevich and AdEx neurons mix in one culture (a hybrid population)
// without rescaling. The firing-pattern parameter sets of Naud, Marcille,
// Clopath & Gerstner (2008), Firing patterns in the adaptive exponential
// integrate-and-fire model, Biol Cybern 99:335-347,
// doi:10.1007/s00422-008-0264-7, Table 1, are built in.
//
// # Integration scheme
//
// Both models advance by one forward-Euler step per dt, both derivatives
// evaluated at the old state (the scheme of BL-1, so dt = 0.5 ms is the
// BL-1-compatible default; dt = 0.1 ms is five times more accurate in
// spike timing). The spike test uses the new membrane potential; reset
// happens in the same step. The AdEx exponential's argument is capped at 20
// (e^20 ≈ 4.9e8) so that a spike upstroke can never overflow: by then V has
// crossed V_peak in any case.
package models
