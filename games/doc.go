// Package games plays closed-loop games with a simulated culture through
// a virtual MEA: Pong after DishBrain (Kagan et al. 2022, Neuron
// 110:3952-3969, doi:10.1016/j.neuron.2022.09.001), its feedback modes,
// and a Pong policy trained end to end by backpropagation through the
// culture.
//
// # Pong
//
// The court is the unit square. The ball moves at BallSpeed along x and
// bounces off the back wall (x = 0) and the side walls (y = 0, 1); the
// paddle, PaddleHeight high, moves along the line x = 1 at PaddleSpeed
// when commanded up or down. When the ball's centre reaches the line it
// is a hit if |y_ball − y_paddle| ≤ PaddleHeight/2, else a miss, which
// ends the rally; the rally's length is its number of hits (DishBrain's
// "average rally length"). Serves start at the back wall at a uniform
// height, and the ball leaves the back wall or the paddle at an angle in
// U(−MaxAngle, MaxAngle). Collisions are exact within a tick. A game is
// the same for the same seed and commands, and Step does not allocate.
//
// # Closed loop (Loop)
//
// Every tick of TickS seconds:
//
//  1. Sensory encoding. Place code: the ball's height picks electrode
//     k = min(⌊8 y⌋, 7) of the 8 sensory channels. Rate code: pulses at
//     f = f_min + (f_max − f_min) x, 4 Hz at the back wall to 40 Hz at
//     the paddle; a phase carried over ticks keeps the intervals 1/f.
//     Each pulse is a biphasic, cathodic-first train of one pulse
//     scheduled on the rig's stimulator (mea.Stimulator), which enforces
//     the CL1's limits.
//  2. The engine runs the tick's steps.
//  3. Motor decoding (Decoder): the events that the rig's recorder
//     detected on the up and down channels in the tick, each relative to
//     its running mean, score = (up − μ_up)/(μ_up + ε) − (down −
//     μ_down)/(μ_down + ε); the paddle moves up if the score exceeds its
//     running median by Deadband, down if it falls below by as much (so an
//     untrained culture moves the paddle as an unbiased random walk).
//  4. The game steps. On a hit or miss the feedback of the mode is
//     scheduled from the current step:
//     fep: a hit gets predictable stimulation (HitPulses pulses at HitHz
//     on all sensory channels at once), a miss unpredictable stimulation
//     (a Poisson process of MissRateHz over PauseS seconds, each pulse on
//     a random sensory channel); open_loop: the same two kinds, chosen by
//     a coin flip at every event, blind to its outcome; silent: none.
//     After a miss the game pauses for PauseS in every mode (no sensory
//     encoding), then serves.
//
// Feedback is stimulation through electrodes, lasting what the protocol
// says; BL-1's controller instead adds one step (0.5 ms) of current to
// every neuron (spec/bl1.md §6.1), which this package does not copy.
// What is verified of DishBrain's protocol and what is recollection is in
// spec/cl1-protocol.md §5.2: the 8 sensory electrodes, the place and rate
// codes, up and down motor regions, predictable versus unpredictable
// feedback and the 4 s after a miss are corroborated; amplitudes, the
// 100 Hz hit burst and the 5 Hz random pulses are recollections.
//
// # Policy
//
// Policy replaces the free culture's motor output by a trained one: an
// encoder (package graph) maps u = (2(y_ball − ½), 2(y_paddle − ½)) to
// currents I = K · A·tanh(M u + b) injected around stimulation
// electrodes (K: 1 − d/r within the activation radius), the culture runs
// one tick as a graph.Window (native forward, native adjoint backward:
// package adjoint), and a decoder reads the spike counts of the neurons
// under the read channels: v = tanh(D · A counts / norm + d). The loss,
// a differentiable surrogate of the hit rate, is (v − c)² per tick with
// c = clip((y_ball − y_paddle)/s, −1, 1), the command that closes the gap
// (a paddle that closes it never misses). One gorgonia.Grad gives the
// gradients of M, b, D and d through the window (truncated BPTT over one
// tick; the culture's state carries over between ticks); optim.Adam
// updates them every few ticks.
package games
