// Package adjoint is the differentiable model of a culture: the engine's
// model (package sim) in float64, run forward over a window of T steps,
// and its hand-written adjoint, which computes the gradient of a loss on
// the window's spikes by reverse-mode differentiation through time (the
// discrete adjoint method; Griewank & Walther 2008, Evaluating Derivatives,
// 2nd ed., SIAM, ch. 3). Spikes pass gradients through a surrogate
// derivative (package surrogate).
//
// # Forward model
//
// Step t of dt ms takes every neuron i through (Model, Params):
//
//  1. Receptors decay exactly and this step's arrivals E_i(t)
//     (excitatory) and H_i(t) (inhibitory) are added, with f = NMDA
//     fraction, f_b = GABA_B fraction, N_N, N_B the peak normalisations
//     and d_r = e^(-dt/τ_r):
//     g_A' = d_A g_A + (1-f) E,  n_r' = d_nr n_r + f N_N E,  n_d' = d_nd n_d + f N_N E,
//     g_G' = d_G g_G + (1-f_b) H, b_r' = d_br b_r + f_b N_B H, b_d' = d_bd b_d + f_b N_B H
//     (a single-exponential receptor has no rise variable).
//  2. The current at the old potential v, with g_N = n_d' - n_r',
//     g_B = b_d' - b_r' and B(v) = 1/(1 + [Mg]/3.57 e^(-0.062 v)):
//     I = g_A'(E_A - v) + g_G'(E_G - v) + g_B(E_B - v) + g_N B(v)(E_N - v)
//     + μ + σ ξ_i,t + bias_i + I_i(t).
//  3. The neuron, forward Euler at the old state (package models):
//     Izhikevich v* = v + Δ, Δ = dt((0.04v + 5)v + 140 - u + I),
//     u* = u + a dt(b v - u);
//     AdEx V* = V + Δ, Δ = dt/C (g_L Δ_T e^m - g_L(V - E_L) - w) + dt I,
//     m = min((V - V_T)/Δ_T, 20), w* = w + dt/τ_w (a(V - E_L) - w).
//     With exponential Euler (Model.Integrator) v* = v + Δ φ(G dt),
//     φ(y) = (1 - e^-y)/y, G = g_A' + g_G' + g_B + g_N B(v).
//     The spike is s = H(v* - θ) (θ = 30 mV or V_peak), the reset
//     v' = v*(1 - s) + c s, u' = u* + d s (AdEx: V_r and b).
//  4. Short-term plasticity of neuron i's synapses (Tsodyks & Markram
//     1997; Markram et al. 1998; the form of package plasticity, one step
//     at a time): x̃ = 1 - (1 - x)ρ, ũ = uφ with ρ = e^(-dt/τ_rec),
//     φ = e^(-dt/τ_fac) (0 when τ_fac = 0); u⁺ = ũ + s U(1 - ũ), A = u⁺x̃,
//     x' = x̃ - sA, u' = u⁺; at rest x = 1, u = 0, so a first spike
//     releases U. The neuron transmits q = sA (q = s without STP).
//  5. Delivery: q_j(t) ŵ_s reaches neuron i = post(s) at step t + d_s,
//     in E or H by the sign of j (Dale's law), ŵ_s = W_s Scale_pop(j).
//
// # Adjoint
//
// With λ the adjoint (the gradient of the loss L with respect to a state
// variable) and σ'(x) the surrogate derivative, the backward pass runs
// t = T-1, ..., 0. Per neuron, given λ_v, λ_u of v', u', λ_x, λ_u of the
// STP state after the step, λ_g of the receptors after the step and the
// adjoint ring λE, λH of the arrivals of later steps:
//
//	λq_j(t) = Σ_s ŵ_s λE|H_post(s)(t + d_s)                       (delivery)
//	λ_s    = ∂L/∂s_j(t) + (λq - λ_x')A + λ_u⁺ U(1 - ũ)          (STP)
//	λ_u⁺   = λ_u' + (λq - λ_x') s x̃,  λ_x̃ = λ_x' + (λq - λ_x') s u⁺
//	λ_ũ    = λ_u⁺(1 - sU),  λ_x = λ_x̃ ρ,  λ_u = λ_ũ φ
//	λ_s   += λ_v'(c - v*) + λ_u' d                               (reset; not with DetachReset)
//	λ_v*   = λ_v'(1 - s) + λ_s σ'(v* - θ),  λ_u* = λ_u'
//	λ_Δ    = λ_v* φ(G dt),  λ_G = λ_v* Δ φ'(G dt) dt   (forward Euler: λ_Δ = λ_v*, λ_G = 0)
//	Izhikevich: λ_v = λ_v* + λ_Δ dt(0.08v + 5) + λ_u* a dt b,
//	            λ_u = -λ_Δ dt + λ_u*(1 - a dt),  λ_I = λ_Δ dt
//	AdEx:       λ_V = λ_V* + λ_Δ dt/C g_L(e^m [m < 20] - 1) + λ_w* dt a/τ_w,
//	            λ_w = -λ_Δ dt/C + λ_w*(1 - dt/τ_w),  λ_I = λ_Δ dt
//	λ_v   += λ_I ∂I/∂v + λ_G g_N B'(v),  ∂I/∂v = -g_A' - g_G' - g_B + g_N(B'(v)(E_N - v) - B(v)),
//	         B'(v) = 0.062 B(1 - B)
//	λ_gA' = λ_gA + λ_I(E_A - v) + λ_G,  λ_nd' = λ_nd + (λ_I(E_N - v) + λ_G)B,  λ_nr' = λ_nr - (λ_I(E_N - v) + λ_G)B
//	(likewise GABA_A and GABA_B), then λE_i(t) = (1-f)λ_gA' + f N_N(λ_nr' + λ_nd'),
//	λH_i(t) = (1-f_b)λ_gG' + f_b N_B(λ_br' + λ_bd'), and λ_g = d_r λ_g'.
//
// The parameter gradients accumulate along the way:
//
//	∂L/∂ŵ_s = Σ_t q_j(t) λE|H_post(s)(t + d_s)        (only at spikes: event-driven)
//	∂L/∂W_s = Scale_pop(j) ∂L/∂ŵ_s,  ∂L/∂Scale_p = Σ_{s from p} W_s ∂L/∂ŵ_s
//	∂L/∂f   = Σ_t Σ_i E_i(t)(-λ_gA' + N_N(λ_nr' + λ_nd')),  likewise f_b with H
//	∂L/∂U   = Σ λ_u⁺ s(1 - ũ),  ∂L/∂τ_rec = Σ -λ_x̃(1 - x) ρ dt/τ_rec²,
//	∂L/∂τ_fac = Σ λ_ũ u φ dt/τ_fac²
//	∂L/∂bias_i = Σ_t λ_I,  ∂L/∂I_i(t) = λ_I
//	Izhikevich: ∂L/∂a = Σ λ_u* dt(bv - u), ∂L/∂b = Σ λ_u* a dt v,
//	            ∂L/∂c = Σ λ_v' s, ∂L/∂d = Σ λ_u' s
//	AdEx (F = g_L Δ_T e^m - g_L(V - E_L) - w):
//	            ∂L/∂C = -Σ λ_Δ dt F/C², ∂L/∂g_L = Σ λ_Δ dt/C (Δ_T e^m - (V - E_L)),
//	            ∂L/∂E_L = Σ λ_Δ dt g_L/C - λ_w* dt a/τ_w, ∂L/∂V_T = -Σ λ_Δ dt g_L e^m/C [m < 20],
//	            ∂L/∂Δ_T = Σ λ_Δ dt g_L e^m (1 - m [m < 20])/C, ∂L/∂a = Σ λ_w* dt(V - E_L)/τ_w,
//	            ∂L/∂τ_w = -Σ λ_w* dt (a(V - E_L) - w)/τ_w², ∂L/∂b = Σ λ_w' s, ∂L/∂V_r = Σ λ_V' s
//
// The arrivals E_i(t) in the fraction gradients are never stored: the sum
// is regrouped by synapse, ∂L/∂f = Σ_j Σ_t q_j(t) Σ_s ŵ_s C_post(s)(t + d_s)
// with C = -λ_gA' + N_N(λ_nr' + λ_nd'), a second plane of the adjoint ring
// read at spikes only. At the start of the window the adjoint state is the
// gradient with respect to the initial state (Grads.Init), pending
// arrivals included.
//
// # Cost and memory
//
// The forward pass is event-driven (a spike costs its out-degree). The
// backward pass needs λq_j for every neuron and step, since σ' is never
// zero: one pass over all synapses per step, the dominant cost. Per
// neuron and step the forward pass stores v, v*, ∂I/∂v and, with STP, x
// and u: 5 floats, or 6 with neuron-parameter gradients. With
// Options.Checkpoint = K it stores instead the full state every K steps
// and keeps one segment of K steps at a time, recomputing it from its
// checkpoint (Griewank 1992, Optim Methods Softw 1:35,
// doi:10.1080/10556789208805505): memory ~ (T/K)(10 + 2D)N + 5KN floats
// for delays of up to D steps, for one extra forward pass.
//
// Results do not depend on Options.Workers or Options.Checkpoint: every
// sum is taken in a fixed order.
//
// # Agreement
//
// Package graph builds the same model as a fully unrolled Gorgonia graph;
// its tests pin the forward pass (identical spikes) and every gradient
// here (relative error ~1e-15) to gorgonia.Grad, and this package's tests
// pin the gradients of the smooth forward pass (Options.Smooth) to finite
// differences and its spikes to the float32 engine.
package adjoint
