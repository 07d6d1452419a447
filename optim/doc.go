// Package optim updates learnable parameters from their gradients:
// optimizers behind one interface, learning-rate schedules, gradient
// clipping and parameter constraints.
//
// # Optimizers
//
// A Param is a vector of values with its gradient g. With learning rate η
// at step t:
//
//	SGD       θ ← θ - η g
//	Momentum  v ← μ v - η g,  θ ← θ + v           (Polyak 1964; Sutskever et al. 2013, ICML, eq. 1)
//	RMSProp   r ← ρ r + (1-ρ) g²,  θ ← θ - η g / √(r + ε)   (Tieleman & Hinton 2012, lecture 6.5)
//	Adam      m ← β₁ m + (1-β₁) g,  v ← β₂ v + (1-β₂) g²,
//	          θ ← θ - η m̂ / (√v̂ + ε), m̂ = m/(1-β₁ᵗ), v̂ = v/(1-β₂ᵗ)
//	          (Kingma & Ba 2015, ICLR, arXiv:1412.6980, Algorithm 1)
//	AdamW     Adam with decoupled weight decay: θ ← θ - η (m̂/(√v̂ + ε) + λ θ)
//	          (Loshchilov & Hutter 2019, ICLR, arXiv:1711.05101, Algorithm 2)
//
// SGD, Momentum, RMSProp and Adam are Gorgonia's solvers
// (gorgonia.NewVanillaSolver, NewMomentum, NewRMSPropSolver,
// NewAdamSolver) working in place on the parameters' slices. AdamW is
// implemented here: Gorgonia v0.9.18's NewAdamW only accepts graph nodes
// and adds its update to a copy of the weights (tensor.Mul without
// UseUnsafe), so the weights never change. Defaults are the papers':
// μ = 0.9, ρ = 0.9, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0.01.
//
// # Clipping
//
// ClipNorm rescales all gradients together when their global Euclidean
// norm exceeds a bound, g ← g · c/‖g‖ (Pascanu, Mikolov & Bengio 2013,
// ICML, Algorithm 1); ClipValue clamps each component.
//
// # Schedules
//
// Exponential η₀ γᵗ, StepDecay η₀ f^⌊t/k⌋, and Cosine: a linear warm-up
// then η_min + (η₀ - η_min)(1 + cos(π t'/T'))/2 (Loshchilov & Hutter 2017,
// ICLR, arXiv:1608.03983, eq. 5, without restarts).
//
// # Constraints
//
// After each step the optimizer projects every parameter with its
// Constraint (projected gradient descent): NonNegative, Bounds, Sign
// (Dale's law: each entry keeps a sign), Mask (a fixed sparsity pattern)
// and All (several in order).
package optim
