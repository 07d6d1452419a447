package graph

import (
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Encoder is a dense learnable map from task variables to per-electrode
// stimulation currents and on to the neurons:
//
//	stim = Amp · tanh(M u + b)   (Amp > 0: bounded, as a stimulator is)
//	stim = M u + b               (Amp = 0: linear)
//	I    = K stim
//
// u holds the K task variables, M (E × K) and b (E) are learnable, and the
// fixed coupling K (N × E) says how much of electrode e's current reaches
// neuron i (from the MEA's geometry; an identity-like assignment
// otherwise). I is a current per neuron (mV/ms), the input of a Window.
type Encoder struct {
	M, B     *G.Node // learnable
	Coupling *G.Node // N × E, fixed
	Amp      float64
}

// NewEncoder adds an encoder for nTask task variables and the electrodes
// of coupling (n neurons × e electrodes, row-major) to g, with M drawn
// from U(-1/√K, 1/√K) (seeded) and b = 0.
func NewEncoder(g *G.ExprGraph, nTask int, coupling []float64, n, e int, amp float64, seed uint64) (*Encoder, error) {
	if nTask < 1 || n < 1 || e < 1 || len(coupling) != n*e {
		return nil, fmt.Errorf("graph: encoder of %d task variables, %d neurons and %d electrodes with a coupling of %d entries", nTask, n, e, len(coupling))
	}
	if !(amp >= 0) || math.IsInf(amp, 0) {
		return nil, fmt.Errorf("graph: encoder amplitude %g, must be >= 0", amp)
	}
	r := rand.New(rand.NewPCG(seed, 0xe5c))
	m := make([]float64, e*nTask)
	lim := 1 / math.Sqrt(float64(nTask))
	for i := range m {
		m[i] = lim * (2*r.Float64() - 1)
	}
	id := windowID.Add(1)
	enc := &Encoder{
		M: G.NewMatrix(g, G.Float64, G.WithShape(e, nTask), G.WithName(fmt.Sprintf("encoderM#%d", id)),
			G.WithValue(tensor.New(tensor.WithShape(e, nTask), tensor.WithBacking(m)))),
		B: G.NewVector(g, G.Float64, G.WithShape(e), G.WithName(fmt.Sprintf("encoderB#%d", id)),
			G.WithValue(tensor.New(tensor.WithShape(e), tensor.WithBacking(make([]float64, e))))),
		Coupling: G.NewMatrix(g, G.Float64, G.WithShape(n, e), G.WithName(fmt.Sprintf("encoderK#%d", id)),
			G.WithValue(tensor.New(tensor.WithShape(n, e), tensor.WithBacking(append([]float64(nil), coupling...))))),
		Amp: amp,
	}
	return enc, nil
}

// Apply returns the per-electrode stimulation and the per-neuron current
// for the task variables u (a vector of K).
func (e *Encoder) Apply(u *G.Node) (stim, current *G.Node, err error) {
	z, err := G.Mul(e.M, u)
	if err != nil {
		return nil, nil, err
	}
	if z, err = G.Add(z, e.B); err != nil {
		return nil, nil, err
	}
	stim = z
	if e.Amp > 0 {
		if stim, err = G.Tanh(z); err != nil {
			return nil, nil, err
		}
		if stim, err = G.Mul(stim, G.NewConstant(e.Amp)); err != nil {
			return nil, nil, err
		}
	}
	current, err = G.Mul(e.Coupling, stim)
	return stim, current, err
}

// Learnables returns M and b.
func (e *Encoder) Learnables() G.Nodes { return G.Nodes{e.M, e.B} }

// Decoder is a dense learnable readout of per-channel spike counts:
//
//	c = A counts / Norm,  y = D c + d
//
// with the fixed assignment A (C × N: neuron i's weight on channel c, as a
// recording electrode sees it), Norm the channel normalisation (for
// example the window in seconds, to give rates) and D (O × C), d (O)
// learnable. y are the outputs (scores of actions, decoded variables).
type Decoder struct {
	D, B       *G.Node // learnable
	Assignment *G.Node // C × N, fixed
	Norm       float64
}

// NewDecoder adds a decoder of the channels of assignment (c channels × n
// neurons, row-major) with nOut outputs to g, with D drawn from
// U(-1/√C, 1/√C) (seeded) and d = 0.
func NewDecoder(g *G.ExprGraph, assignment []float64, c, n, nOut int, norm float64, seed uint64) (*Decoder, error) {
	if c < 1 || n < 1 || nOut < 1 || len(assignment) != c*n {
		return nil, fmt.Errorf("graph: decoder of %d channels, %d neurons and %d outputs with an assignment of %d entries", c, n, nOut, len(assignment))
	}
	if !(norm > 0) || math.IsInf(norm, 0) {
		return nil, fmt.Errorf("graph: decoder normalisation %g, must be > 0", norm)
	}
	r := rand.New(rand.NewPCG(seed, 0xdec))
	d := make([]float64, nOut*c)
	lim := 1 / math.Sqrt(float64(c))
	for i := range d {
		d[i] = lim * (2*r.Float64() - 1)
	}
	id := windowID.Add(1)
	return &Decoder{
		D: G.NewMatrix(g, G.Float64, G.WithShape(nOut, c), G.WithName(fmt.Sprintf("decoderD#%d", id)),
			G.WithValue(tensor.New(tensor.WithShape(nOut, c), tensor.WithBacking(d)))),
		B: G.NewVector(g, G.Float64, G.WithShape(nOut), G.WithName(fmt.Sprintf("decoderB#%d", id)),
			G.WithValue(tensor.New(tensor.WithShape(nOut), tensor.WithBacking(make([]float64, nOut))))),
		Assignment: G.NewMatrix(g, G.Float64, G.WithShape(c, n), G.WithName(fmt.Sprintf("decoderA#%d", id)),
			G.WithValue(tensor.New(tensor.WithShape(c, n), tensor.WithBacking(append([]float64(nil), assignment...))))),
		Norm: norm,
	}, nil
}

// Apply returns the channel activity and the outputs for spike counts per
// neuron (a vector of N, for example a Window's Counts output).
func (d *Decoder) Apply(counts *G.Node) (channels, out *G.Node, err error) {
	if channels, err = G.Mul(d.Assignment, counts); err != nil {
		return nil, nil, err
	}
	if d.Norm != 1 {
		if channels, err = G.Mul(channels, G.NewConstant(1/d.Norm)); err != nil {
			return nil, nil, err
		}
	}
	if out, err = G.Mul(d.D, channels); err != nil {
		return nil, nil, err
	}
	out, err = G.Add(out, d.B)
	return channels, out, err
}

// Learnables returns D and d.
func (d *Decoder) Learnables() G.Nodes { return G.Nodes{d.D, d.B} }
