// Package cl1 is a virtual Cortical Labs CL1: a simulated culture on a
// multi-electrode array driven in closed loop the way the CL SDK drives
// the device, and a server of doom-neuron's UDP protocol built on it, so
// that doom-neuron's PPO trainer (or any client of the protocol) can train
// against the simulation in place of the hardware.
//
// Sources: ../shared/spec/cl1-protocol.md, which records doom-neuron
// (SeanCole02/doom-neuron @ c1190ab: udp_protocol.py,
// cl1_neural_interface.py, training_server.py) and the CL SDK
// (Cortical-Labs/cl-sdk 1.0.0). No code of either is used; the package is
// written from those facts.
//
// # The closed-loop API
//
// Open builds a culture and its array from a config (New wraps an engine
// and rig built elsewhere). Stim schedules pulses, a phase list (widths in
// µs, currents in µA; mea.Biphasic gives the CL1's symmetric
// cathodic-first pulse) repeated as a Burst, from the current time, with
// the device's limits enforced (mea.CL1Limits: at most 3 µA and 3 nC per
// phase, widths multiples of 20 µs, alternating polarity, at most 200 Hz).
// Interrupt cancels pulses not yet delivered. Read advances the culture and
// returns what the electrodes detected (DetectionResult). Loop ticks at a
// fixed rate, in wall-clock time or as fast as possible: tick k covers
// steps [B(k), B(k+1)) with B(k) = B(0) + ⌊k·1000/(rate·dt)⌋, so ticks of
// a rate that is not a whole number of steps alternate lengths without
// drifting, and its analysis is the period just ended (the SDK's
// tick.analysis); stimulation issued in the body starts at the boundary
// that ended it. Timestamps count frames of 20 µs (25 kHz) as the SDK's
// do: the step s that starts at s·dt ms is frame ⌊25·s·dt⌋.
//
// # The UDP protocol
//
// Four ports, little-endian, no sequence numbers (spec §1): stimulation
// commands arrive on 12345 (72 bytes, <Q16f: a Unix-µs timestamp, 8
// frequencies in Hz, 8 amplitudes in µA), spike replies go to the training
// host's 12346 (40 bytes, <Q8f: timestamp, 8 counts as float32), event
// metadata arrives on 12347 (a <QI header, timestamp and length, then JSON)
// and feedback on 12348 (120 bytes, <QBB64BIfIB32sx). Each tick the server
// reads at most one datagram per port, stimulation first.
//
// A stimulation command interrupts all 59 usable channels, then gives
// encoding electrode i ∈ (8, 9, 10, 17, 18, 25, 27, 28) one biphasic pulse
// of 120 µs per phase, −A_i then +A_i; the frequency only has to pass the
// SDK's check of BurstDesign(1, ⌊f_i⌋). It arms one reply: with a =
// ⌈artifact·rate⌉ and c = max(1, ⌈collect·rate⌉) ticks, the ticks k … k+a−1
// are skipped (tick k, the one that read the stim, holds the period before
// it), ticks k+a … k+a+c−1 are counted per channel group (encoding,
// move_forward, move_backward, move_left, move_right, turn_left,
// turn_right, attack; spec §1.3), and the reply leaves in tick k+a+c. At 10
// ticks a second with 50 ms windows (a = c = 1) it counts the 100 ms after
// the stim and leaves 200-300 ms after the stim was sent. A new stim
// before the reply cancels it: exactly one reply per answered stim, no
// unsolicited packets (ServerConfig.EveryTick restores BL-1's reply every
// tick).
//
// Feedback type 0 interrupts its channels; types 1 (event) and 2 (reward)
// deliver `pulses` pulses of the same shape at `frequency` on all listed
// channels at once, unless there is no channel or the frequency or
// amplitude is not positive (the CL1 side skips those). The unpredictable
// flag is counted only, as on the CL1 side. The next stimulation command
// cuts a burst short. An episode_end event is appended to the session's
// data stream (events.jsonl); training_complete ends the session.
//
// A datagram that does not decode (too short or long, a non-finite float,
// an amplitude the SDK refuses (0, or more than 3 µA in size), a
// frequency outside 1-200 Hz, an unknown feedback type, a channel outside
// 0-63 or one that cannot stimulate, more than MaxPulses pulses, an event
// whose length or JSON is wrong) is dropped unanswered, as the CL1 side
// does, counted by kind and logged the first time its kind is seen; the
// server keeps answering.
//
// The ablations replace the replies' counts while the culture is still
// stimulated: Zero sends zeros; Random sends Poisson counts of mean
// λ_j = rate·max(collect, 1/tick rate)·n_j for a group of n_j channels
// (cl1_neural_interface.py --spike-ablation random; at the defaults 4.0
// for the 8 encoding channels).
package cl1
