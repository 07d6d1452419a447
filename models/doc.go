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
// # Integration schemes
//
// Forward Euler (BL-1's scheme): both models advance by one step per dt,
// both derivatives evaluated at the old state (dt = 0.5 ms is the
// BL-1-compatible default; dt = 0.1 ms is five times more accurate in
// spike timing).
//
// Exponential Euler in the synaptic conductances (the default of new
// configs): the synaptic current is affine in v at the old state's Mg2+
// block, I_syn = A - G v with G the total synaptic conductance, so the
// membrane equation is v' = c - G v with c = F(v_n) + A + I_ext frozen at
// the old state (F the neuron's own terms). Its exact solution over dt is
//
//	v_{n+1} = v_n + dt (c - G v_n) φ(G dt),  φ(y) = (1 - e^-y)/y,
//
// that is the forward-Euler step times φ ∈ (0, 1]: identical when no
// synapse is open (φ(0) = 1), and unable to overshoot the conductances'
// reversal potentials however large G dt grows. Forward Euler turns
// unstable for G dt > 2 (the membrane then overshoots E_AMPA and oscillates
// with growing amplitude: neurons fire on every other step, ~1000 Hz at
// dt = 0.5 ms); exponential Euler gives depolarisation block instead, as a
// real membrane would. This is the exponential time differencing of the
// stiff linear part (Hochbruck & Ostermann 2010, Acta Numerica 19:209,
// doi:10.1017/S0962492910000048; Brian2's exponential_euler for equations
// linear in v); the recovery variable u (w) keeps its forward-Euler step.
//
// The spike test uses the new membrane potential; reset happens in the
// same step. The AdEx exponential's argument is capped at 20 (e^20 ≈ 4.9e8)
// so that a spike upstroke can never overflow: by then V has crossed V_peak
// in any case.
package models
