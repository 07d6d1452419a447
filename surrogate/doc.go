// Package surrogate holds spike nonlinearities with surrogate derivatives,
// the device that makes spiking networks trainable by gradient descent
// (Neftci, Mostafa & Zenke 2019, Surrogate gradient learning in spiking
// neural networks, IEEE Signal Process Mag 36(6):51-63,
// doi:10.1109/MSP.2019.2931595).
//
// # Forward and backward
//
// A neuron spikes when its potential v crosses a threshold θ. With
// x = v - θ the spike is the Heaviside step
//
//	s(x) = 1 if x >= 0, else 0,
//
// whose derivative is zero almost everywhere. The backward pass replaces it
// by a smooth surrogate σ'(x) with slope parameter β (the formulas of BL-1,
// src/bl1/core/surrogate.py, with their default β):
//
//	SuperSpike  σ'(x) = 1 / (1 + β|x|)²               β = 10
//	            (Zenke & Ganguli 2018, Neural Comput 30:1514,
//	            doi:10.1162/neco_a_01086, eq. 8, without the β numerator)
//	Sigmoid     σ'(x) = β s(βx) (1 - s(βx)), s(y) = 1/(1+e^(-y))   β = 5
//	Arctan      σ'(x) = 1 / (1 + (βx)²)               β = 10
//
// There is no gradient with respect to θ or β.
//
// # Smooth forms
//
// Each surrogate is the exact derivative of a smooth increasing function,
// its antiderivative taken to be 0 at x = -∞ (Func.Smooth):
//
//	SuperSpike  S(x) = (1 + βx/(1 + β|x|)) / β       ∈ (0, 2/β)
//	Sigmoid     S(x) = s(βx)                          ∈ (0, 1)
//	Arctan      S(x) = (π/2 + arctan(βx)) / β         ∈ (0, π/β)
//
// A network whose spikes are S instead of s is differentiable, and its
// exact gradient is what the surrogate gradient computes; tests use it to
// check adjoints against finite differences.
//
// # Gorgonia
//
// Op puts the spike function into a Gorgonia expression graph, in float32
// and float64: forward the step (or S when Smooth is set), backward the
// surrogate, both through gorgonia.Grad (SymDiff) and the LispMachine
// (DoDiff). Detached spikes pass no gradient at all, which is how a reset
// is detached from the graph.
package surrogate
