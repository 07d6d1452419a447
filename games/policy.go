package games

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/graph"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/optim"
)

// PolicyConfig configures a Pong policy trained through the culture.
type PolicyConfig struct {
	Game       Params
	Stim       []int   // electrodes the encoder drives (the sensory channels)
	Read       []int   // channels the decoder reads (the motor channels)
	AmpMVPerMs float64 // the encoder's bound on an electrode's current, mV/ms at full coupling
	Options    adjoint.Options
	// GapScale is the paddle-ball gap (court heights) at which the target
	// command saturates.
	GapScale float64
	// CountNorm divides the read channels' counts (so that tanh does not
	// saturate when many neurons fire).
	CountNorm float64
}

// Policy plays Pong through a differentiable culture (package adjoint):
// each tick a Gorgonia encoder maps the game state u = (2(y_ball − ½),
// 2(y_paddle − ½)) to currents on the stimulation electrodes,
// I = K · Amp·tanh(M u + b), the culture runs one tick as a graph.Window
// (native forward, native adjoint backward) from its state at the end of
// the previous tick, and a decoder reads the counts of the recording
// channels' neurons, v = tanh(D · A counts / CountNorm + d); the paddle moves up if
// v > 0, down if v < 0. K is the activation geometry of the electrodes
// (1 − d/r within the activation radius), A the detection map (1 within
// the detection radius).
//
// The training loss is a differentiable surrogate of the hit rate: each
// tick, (v − c)² with c = clip((y_ball − y_paddle)/GapScale, −1, 1), the
// command that closes the gap between paddle and ball. A paddle that
// closes the gap never misses (TestTrackingNeverMisses), so lowering the
// loss raises the hit rate. Gradients reach M, b, D and d by BPTT through
// each tick's window; the culture's state carries over between ticks but
// its gradient does not (truncated BPTT, one tick).
type Policy struct {
	cfg   PolicyConfig
	m     *adjoint.Model
	p     *adjoint.Params
	win   *adjoint.Window
	n     int
	kCoup []float64 // N × E
	aRead []float64 // C × N
	// Learnable values: encoder M (E × 2), b (E); decoder D (1 × C), d (1).
	M, B, D, Bd []float64
	params      []*optim.Param
	state       *adjoint.State
}

// NewPolicy prepares a policy over culture c (with the model of
// adjoint.FromCulture from syn, drive and no STP) under layout l, with
// the tick of cfg.Game and encoder and decoder drawn from seed.
func NewPolicy(c *culture.Culture, m *adjoint.Model, p *adjoint.Params, l *mea.Layout, cfg PolicyConfig, seed uint64) (*Policy, error) {
	if err := cfg.Game.Validate(); err != nil {
		return nil, err
	}
	if len(cfg.Stim) == 0 || len(cfg.Read) == 0 {
		return nil, errors.New("games: a policy needs stimulation electrodes and read channels")
	}
	if !(cfg.AmpMVPerMs > 0) || !(cfg.GapScale > 0) || !(cfg.CountNorm > 0) {
		return nil, fmt.Errorf("games: policy amplitude %g, gap scale %g and count norm %g, want > 0", cfg.AmpMVPerMs, cfg.GapScale, cfg.CountNorm)
	}
	for _, k := range slices.Concat(cfg.Stim, cfg.Read) {
		if !l.Usable(k) {
			return nil, fmt.Errorf("games: policy electrode %d is not usable on %s", k, l.Name)
		}
	}
	steps := int(math.Round(cfg.Game.TickS * 1000 / m.Dt))
	win, err := adjoint.NewWindow(m, steps, cfg.Options)
	if err != nil {
		return nil, err
	}
	n := m.N()
	pol := &Policy{cfg: cfg, m: m, p: p, win: win, n: n, state: m.Rest(p)}
	e := len(cfg.Stim)
	pol.kCoup = make([]float64, n*e)
	stim := make([]int32, e)
	for k, x := range cfg.Stim {
		stim[k] = int32(x)
	}
	act := mea.NewMap(l, stim, c.X, c.Y, c.Z, l.ActivateRadius)
	for k := range stim {
		ids, d := act.Neurons(k)
		for j, i := range ids {
			pol.kCoup[int(i)*e+k] = 1 - float64(d[j])/l.ActivateRadius
		}
	}
	read := make([]int32, len(cfg.Read))
	for k, x := range cfg.Read {
		read[k] = int32(x)
	}
	det := mea.NewMap(l, read, c.X, c.Y, c.Z, l.DetectRadius)
	pol.aRead = make([]float64, len(read)*n)
	for k := range read {
		ids, _ := det.Neurons(k)
		for _, i := range ids {
			pol.aRead[k*n+int(i)] = 1
		}
	}
	// The heads' initial values: graph's initialisation.
	g := G.NewGraph()
	enc, err := graph.NewEncoder(g, 2, pol.kCoup, n, e, cfg.AmpMVPerMs, seed)
	if err != nil {
		return nil, err
	}
	dec, err := graph.NewDecoder(g, pol.aRead, len(read), n, 1, cfg.CountNorm, seed)
	if err != nil {
		return nil, err
	}
	val := func(x *G.Node) []float64 { return slices.Clone(x.Value().Data().([]float64)) }
	pol.M, pol.B, pol.D, pol.Bd = val(enc.M), val(enc.B), val(dec.D), val(dec.B)
	for _, x := range []struct {
		name string
		v    []float64
	}{{"encoder.M", pol.M}, {"encoder.b", pol.B}, {"decoder.D", pol.D}, {"decoder.d", pol.Bd}} {
		pol.params = append(pol.params, &optim.Param{Name: x.name, Value: x.v, Grad: make([]float64, len(x.v))})
	}
	return pol, nil
}

// Params returns the learnable parameters (M, b, D, d) as optim
// parameters that share the policy's slices.
func (pol *Policy) Params() []*optim.Param { return pol.params }

// Reset puts the culture at rest at step 0 of its drive.
func (pol *Policy) Reset() { pol.state = pol.m.Rest(pol.p) }

// target is the surrogate's command for a state.
func (pol *Policy) target(s State) float64 {
	return min(max((s.BallY-s.PaddleY)/pol.cfg.GapScale, -1), 1)
}

func features(s State) []float64 { return []float64{2 * (s.BallY - 0.5), 2 * (s.PaddleY - 0.5)} }

// Step runs one tick of the culture for game state s and returns the
// command v in (-1, 1) and the surrogate loss; with grads (from Params)
// it adds the loss's gradients to them.
func (pol *Policy) Step(s State, grads []*optim.Param) (v, loss float64, err error) {
	g := G.NewGraph()
	e, c, n := len(pol.cfg.Stim), len(pol.cfg.Read), pol.n
	vec := func(name string, x []float64) *G.Node {
		return G.NewVector(g, G.Float64, G.WithShape(len(x)), G.WithName(name), G.WithValue(tensor.New(tensor.WithShape(len(x)), tensor.WithBacking(x))))
	}
	mat := func(name string, r, k int, x []float64) *G.Node {
		return G.NewMatrix(g, G.Float64, G.WithShape(r, k), G.WithName(name), G.WithValue(tensor.New(tensor.WithShape(r, k), tensor.WithBacking(x))))
	}
	enc := &graph.Encoder{M: mat("M", e, 2, pol.M), B: vec("b", pol.B), Coupling: mat("K", n, e, pol.kCoup), Amp: pol.cfg.AmpMVPerMs}
	dec := &graph.Decoder{D: mat("D", 1, c, pol.D), B: vec("d", pol.Bd), Assignment: mat("A", c, n, pol.aRead), Norm: pol.cfg.CountNorm}
	u := vec("u", features(s))
	_, cur, err := enc.Apply(u)
	if err != nil {
		return 0, 0, err
	}
	op := graph.NewWindow(pol.win, pol.p, pol.state, adjoint.Input{}, graph.Counts)
	counts, err := op.Apply(vec("w", pol.p.W), vec("scale", pol.p.Scale), cur)
	if err != nil {
		return 0, 0, err
	}
	_, out, err := dec.Apply(counts)
	if err != nil {
		return 0, 0, err
	}
	vn, err := G.Tanh(out)
	if err != nil {
		return 0, 0, err
	}
	diff, err := G.Sub(vn, G.NewConstant(pol.target(s)))
	if err != nil {
		return 0, 0, err
	}
	ln, err := G.Sum(G.Must(G.Square(diff)))
	if err != nil {
		return 0, 0, err
	}
	var vv G.Value
	G.Read(vn, &vv)
	var gn G.Nodes
	if grads != nil {
		if gn, err = G.Grad(ln, enc.M, enc.B, dec.D, dec.B); err != nil {
			return 0, 0, err
		}
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return 0, 0, err
	}
	for k, x := range gn {
		for i, d := range x.Value().Data().([]float64) {
			grads[k].Grad[i] += d
		}
	}
	pol.state = op.Final()
	return vv.Data().([]float64)[0], ln.Value().Data().(float64), nil
}

// Command is the paddle command of a policy output v.
func Command(v float64) Action {
	switch {
	case v > 0:
		return Up
	case v < 0:
		return Down
	}
	return Stay
}

// PlayStats summarise ticks played by a policy.
type PlayStats struct {
	Hits, Misses int
	Loss         float64 // mean surrogate loss per tick
}

// HitRate returns hits / (hits + misses), or 0 without events.
func (s PlayStats) HitRate() float64 {
	if s.Hits+s.Misses == 0 {
		return 0
	}
	return float64(s.Hits) / float64(s.Hits+s.Misses)
}

// Play plays ticks ticks of a game of seed, from the culture's current
// state, serving again at once after a miss, without learning; it stops
// early with ctx's error.
func (pol *Policy) Play(ctx context.Context, seed uint64, ticks int) (PlayStats, error) {
	return pol.play(ctx, seed, ticks, 0, nil, 0)
}

// Train plays like Play and learns: every batch ticks the optimizer
// updates the parameters from the gradients of the batch's summed loss,
// with learning rate lr.
func (pol *Policy) Train(ctx context.Context, seed uint64, ticks, batch int, opt optim.Optimizer, lr float64) (PlayStats, error) {
	if batch < 1 || opt == nil {
		return PlayStats{}, errors.New("games: training needs a batch of at least one tick and an optimizer")
	}
	return pol.play(ctx, seed, ticks, batch, opt, lr)
}

func (pol *Policy) play(ctx context.Context, seed uint64, ticks, batch int, opt optim.Optimizer, lr float64) (PlayStats, error) {
	g, err := New(pol.cfg.Game, seed)
	if err != nil {
		return PlayStats{}, err
	}
	var ps []*optim.Param
	if opt != nil {
		ps = pol.params
	}
	var st PlayStats
	for k := range ticks {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		v, loss, err := pol.Step(g.State(), ps)
		if err != nil {
			return st, err
		}
		st.Loss += loss / float64(ticks)
		switch g.Step(Command(v)) {
		case Hit:
			st.Hits++
		case Miss:
			st.Misses++
			g.Serve()
		}
		if opt != nil && ((k+1)%batch == 0 || k == ticks-1) {
			if err := opt.Step(ps, lr); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}
