// Package graph connects the differentiable culture of package adjoint to
// Gorgonia (gorgonia.org/gorgonia), the project's autodiff framework.
//
// # Window
//
// Window wraps a whole simulation window as one Gorgonia operation
// (DESIGN.md, architecture point 3): its forward pass runs the native
// model, its backward pass the native adjoint. Its inputs are the synaptic
// weights w (one per synapse), the conductance scales of the populations
// and an injected current I (per neuron, or per step and neuron); its
// output the spike counts c_i = Σ_t s_i(t) or the spikes s_i(t). One
// gorgonia.Grad then differentiates dense Gorgonia parts and the
// simulation together:
//
//	∂L/∂w = adjoint(∂L/∂c),  ∂L/∂I = adjoint(∂L/∂c),  ∂L/∂θ_encoder = (∂I/∂θ)ᵀ ∂L/∂I.
//
// The node's backward pass is one operation that returns the gradients of
// all inputs, which slices hand to each; a LispMachine uses DoDiff
// instead. The graph of an encoder, a window, a decoder and a loss has
// about 30 nodes.
//
// # Heads
//
// Encoder maps task variables u to per-electrode stimulation and to
// neurons, I = K · Amp·tanh(M u + b); Decoder reads channel activity
// c = A counts / norm out to y = D c + d. M, b, D and d are learnable; the
// coupling K and the assignment A describe the electrodes (package mea).
//
// # Reference
//
// Unroll builds the same window as a fully unrolled graph of Gorgonia's
// own operations, step by step, from the same Model and Params: receptors
// as a stacked state G' = G ⊙ d + R(f, f_b)·[E; H], delivery as a dense
// matrix-vector product over the spike history of the last D steps,
// currents, neurons and STP elementwise, spikes through the surrogate Op.
// gorgonia.Grad of it is the reference the native adjoint is tested
// against (DESIGN.md, architecture point 4): identical spikes and
// gradients equal to about 1e-15 relative.
//
// # Gorgonia hazards (spec/gorgonia.md §6)
//
//   - Hash-consing: Gorgonia merges a new node into an existing one whose
//     32-bit hash collides, without comparing children. Unroll builds
//     every expression once and fails with a HashConsError if Gorgonia
//     hands back an existing node; its leaves have unique names (leaves
//     are compared by name), and big constant matrices are leaves, since
//     constants hash by their printed value, which is abbreviated for large
//     tensors.
//   - Quadratic compile: the TapeMachine compiles in time quadratic in the
//     node count (about 1 s for 8,000 nodes here). Unroll refuses windows
//     beyond MaxUnrolledNodes; the Window op keeps training graphs tiny.
//   - Aliased children: ApplyOp keeps the caller's slice of children, so a
//     variadic slice (Concat's) must not be reused after the call.
//   - Intermediate values: Node.Value of a non-root node is not valid after
//     a TapeMachine run; Reference.Spikes must be read with gorgonia.Read.
//   - gorgonia.Grad fails for a parameter that does not influence the loss
//     ("Non Differentiable WRTs"); Unroll leaves out the parameters of
//     neuron models that are absent.
package graph
