package graph

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/models"
	"github.com/bl1-go/bl1/surrogate"
)

// MaxUnrolledNodes bounds the forward graph that Unroll builds. Gorgonia's
// TapeMachine compiles in time quadratic in the node count and merges
// nodes by a 32-bit hash (spec/gorgonia.md §6), so the reference is for
// small windows: about 60 nodes per step, and gorgonia.Grad roughly
// triples the count.
const MaxUnrolledNodes = 6000

// Reference is the fully unrolled Gorgonia graph of a window of the model
// of package adjoint: every step is built from Gorgonia's own operations
// (matrix-vector products for delivery and routing, elementwise arithmetic
// for the receptors, the Mg2+ block, the neuron models and STP) and the
// spike Op of package surrogate, so that gorgonia.Grad differentiates it
// independently of the native adjoint.
//
// Every parameter, input and initial-state variable is a leaf of the graph
// that can be passed to gorgonia.Grad.
type Reference struct {
	G *G.ExprGraph
	T int

	W, Scale                    *G.Node // per synapse; per population
	NMDAFraction, GABABFraction *G.Node // scalars
	STPU, STPTauRec, STPTauFac  *G.Node // per population (nil without STP)
	// Izhikevich parameters per population (nil without Izhikevich
	// neurons).
	IzhA, IzhB, IzhC, IzhD *G.Node
	// AdEx parameters per population (nil without AdEx neurons).
	AdExC, AdExGL, AdExEL, AdExVT, AdExDeltaT, AdExA, AdExTauW, AdExB, AdExVReset *G.Node
	Bias                                                                          *G.Node // per neuron
	Current                                                                       *G.Node // T × N (nil when the input has no Current)
	// Initial state: V, R, the six receptor variables, STP x and u (nil
	// without STP), and the pending arrivals (2N each).
	V0, R0, X0, U0 *G.Node
	G0             [6]*G.Node
	Pending        []*G.Node

	// Spikes holds the spikes of every step in one T·N vector (step-major);
	// read it with gorgonia.Read (intermediate values are not valid after
	// a TapeMachine run, spec/gorgonia.md §6).
	Spikes *G.Node
	// Counts is the sum of the spikes over the window, per neuron.
	Counts *G.Node

	nodes int
}

// Nodes returns the number of operation nodes Unroll built.
func (r *Reference) Nodes() int { return r.nodes }

// HashConsError reports that Gorgonia returned an existing node where a new
// one was built: its hash-consing merged two different expressions (their
// 32-bit hashes collided), which would silently corrupt the graph.
type HashConsError struct{ Node string }

func (e *HashConsError) Error() string {
	return fmt.Sprintf("graph: Gorgonia merged a new node with an existing one (%s): a hash collision that would corrupt the graph", e.Node)
}

// builder builds a graph, checking every new operation node against the
// ones built before.
type builder struct {
	g    *G.ExprGraph
	seen map[*G.Node]bool
	leaf int
}

// op records the result of an operation; Gorgonia returns an old node
// only when hash-consing merged two expressions, since the builder never
// builds the same expression twice.
func (b *builder) op(n *G.Node, err error) *G.Node {
	if err != nil {
		panic(err)
	}
	if b.seen[n] {
		panic(&HashConsError{Node: n.String()})
	}
	b.seen[n] = true
	return n
}

// vec, mat and scalar add named leaves with values; names are unique, and
// Gorgonia compares leaves by name.
func (b *builder) vec(name string, x []float64) *G.Node {
	b.leaf++
	return G.NewVector(b.g, G.Float64, G.WithShape(len(x)), G.WithName(fmt.Sprintf("%s#%d", name, b.leaf)),
		G.WithValue(tensor.New(tensor.WithShape(len(x)), tensor.WithBacking(append([]float64(nil), x...)))))
}

func (b *builder) mat(name string, r, c int, x []float64) *G.Node {
	b.leaf++
	return G.NewMatrix(b.g, G.Float64, G.WithShape(r, c), G.WithName(fmt.Sprintf("%s#%d", name, b.leaf)),
		G.WithValue(tensor.New(tensor.WithShape(r, c), tensor.WithBacking(append([]float64(nil), x...)))))
}

func (b *builder) scalar(name string, x float64) *G.Node {
	b.leaf++
	return G.NewScalar(b.g, G.Float64, G.WithName(fmt.Sprintf("%s#%d", name, b.leaf)), G.WithValue(x))
}

func (b *builder) add(x, y *G.Node) *G.Node { return b.op(G.Add(x, y)) }
func (b *builder) sub(x, y *G.Node) *G.Node { return b.op(G.Sub(x, y)) }
func (b *builder) had(x, y *G.Node) *G.Node { return b.op(G.HadamardProd(x, y)) }
func (b *builder) mul(x, y *G.Node) *G.Node { return b.op(G.Mul(x, y)) }
func (b *builder) div(x, y *G.Node) *G.Node { return b.op(G.Div(x, y)) }
func (b *builder) exp(x *G.Node) *G.Node    { return b.op(G.Exp(x)) }

// selection returns the rows × cols 0/1 matrix with a 1 at (i, col(i)).
func selection(rows, cols int, col func(i int) int) []float64 {
	m := make([]float64, rows*cols)
	for i := range rows {
		if c := col(i); c >= 0 {
			m[i*cols+c] = 1
		}
	}
	return m
}

// On holds nodes of an existing graph that Unroll uses instead of making
// its own leaves: the unrolled window then continues a graph, for example
// after a stimulation encoder.
type On struct {
	Graph *G.ExprGraph
	// Optional replacements of the weight, scale and bias leaves; Bias is
	// added to the input's Bias.
	W, Scale, Bias *G.Node
}

// Unroll builds the reference graph of T steps of model m from state s0
// with parameters p and input in, in a new graph or, when on is not nil,
// in on.Graph. Options.Surrogate, Smooth and DetachReset have the meaning
// they have for adjoint.Window; the other options concern the native
// adjoint only.
func Unroll(m *adjoint.Model, p *adjoint.Params, s0 *adjoint.State, in adjoint.Input, T int, opt adjoint.Options, on *On) (ref *Reference, err error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(m); err != nil {
		return nil, err
	}
	if opt.Surrogate == (surrogate.Func{}) {
		opt.Surrogate = surrogate.New(surrogate.SuperSpike)
	}
	n, nIzh := m.N(), m.NIzh
	nAd := n - nIzh
	if in.Current != nil && len(in.Current) != T*n {
		return nil, fmt.Errorf("graph: input current of length %d, want T·N = %d", len(in.Current), T*n)
	}
	if in.Bias != nil && len(in.Bias) != n {
		return nil, fmt.Errorf("graph: input bias of length %d for %d neurons", len(in.Bias), n)
	}
	if est := 70 * T; est > MaxUnrolledNodes {
		return nil, fmt.Errorf("graph: an unrolled window of %d steps has about %d nodes, more than %d; the reference is for small windows", T, est, MaxUnrolledNodes)
	}
	if on == nil {
		on = &On{Graph: G.NewGraph()}
	}
	b := &builder{g: on.Graph, seen: map[*G.Node]bool{}}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("graph: building the unrolled window: %w", e)
				return
			}
			panic(r)
		}
	}()
	ref = &Reference{G: b.g, T: T}
	np := len(p.Types)
	dt := m.Dt
	c := func(x float64) *G.Node { return G.NewConstant(x) }
	one := c(1.0)

	// Leaves: parameters, input, initial state.
	ref.W, ref.Scale = on.W, on.Scale
	if ref.W == nil {
		ref.W = b.vec("W", p.W)
	}
	if ref.Scale == nil {
		ref.Scale = b.vec("Scale", p.Scale)
	}
	ref.NMDAFraction = b.scalar("NMDAFraction", p.NMDAFraction)
	ref.GABABFraction = b.scalar("GABABFraction", p.GABABFraction)
	perPop := func(name string, f func(k int) float64) *G.Node {
		x := make([]float64, np)
		for k := range x {
			x[k] = f(k)
		}
		return b.vec(name, x)
	}
	if nIzh > 0 {
		ref.IzhA = perPop("IzhA", func(k int) float64 { return p.Types[k].Izhikevich.A })
		ref.IzhB = perPop("IzhB", func(k int) float64 { return p.Types[k].Izhikevich.B })
		ref.IzhC = perPop("IzhC", func(k int) float64 { return p.Types[k].Izhikevich.C })
		ref.IzhD = perPop("IzhD", func(k int) float64 { return p.Types[k].Izhikevich.D })
	}
	if nAd > 0 {
		ref.AdExC = perPop("AdExC", func(k int) float64 { return p.Types[k].AdEx.C })
		ref.AdExGL = perPop("AdExGL", func(k int) float64 { return p.Types[k].AdEx.GL })
		ref.AdExEL = perPop("AdExEL", func(k int) float64 { return p.Types[k].AdEx.EL })
		ref.AdExVT = perPop("AdExVT", func(k int) float64 { return p.Types[k].AdEx.VT })
		ref.AdExDeltaT = perPop("AdExDeltaT", func(k int) float64 { return p.Types[k].AdEx.DeltaT })
		ref.AdExA = perPop("AdExA", func(k int) float64 { return p.Types[k].AdEx.A })
		ref.AdExTauW = perPop("AdExTauW", func(k int) float64 { return p.Types[k].AdEx.TauW })
		ref.AdExB = perPop("AdExB", func(k int) float64 { return p.Types[k].AdEx.B })
		ref.AdExVReset = perPop("AdExVReset", func(k int) float64 { return p.Types[k].AdEx.VReset })
	}
	bias := in.Bias
	if bias == nil {
		bias = make([]float64, n)
	}
	if on.Bias != nil {
		ref.Bias = on.Bias
		if in.Bias != nil {
			ref.Bias = b.add(b.vec("inBias", in.Bias), on.Bias)
		}
	} else {
		ref.Bias = b.vec("Bias", bias)
	}
	if in.Current != nil {
		ref.Current = b.mat("Current", T, n, in.Current)
	}
	ref.V0, ref.R0 = b.vec("V0", s0.V), b.vec("R0", s0.R)
	for k, x := range [6][]float64{s0.AMPA, s0.NMDARise, s0.NMDADecay, s0.GABAA, s0.GABABRise, s0.GABABDecay} {
		ref.G0[k] = b.vec(fmt.Sprint("G0_", k), x)
	}
	for k, x := range s0.Pending {
		ref.Pending = append(ref.Pending, b.vec(fmt.Sprint("Pending", k), x))
	}

	// Per-neuron parameters from per-population ones: selection matrices.
	popOf := func(i int) int { return int(m.Pop[i]) }
	qAll := b.mat("Qall", n, np, selection(n, np, popOf))
	var qI, qA *G.Node
	if nIzh > 0 {
		qI = b.mat("Qizh", nIzh, np, selection(nIzh, np, popOf))
	}
	if nAd > 0 {
		qA = b.mat("Qadex", nAd, np, selection(nAd, np, func(i int) int { return popOf(nIzh + i) }))
	}

	// Effective weights ŵ = W ⊙ Scale[pop(pre)], then the delivery matrix
	// Wall (2N × N·D): row plane·N + i, column (d-1)·N + j holds the
	// weight of synapse j → i with delay d (plane 0 excitatory, 1
	// inhibitory, from j).
	nnz := m.NSynapses()
	D := m.MaxDelay()
	var wall *G.Node
	if nnz > 0 {
		pre := make([]int, nnz)
		for j := range n {
			for s := m.RowPtr[j]; s < m.RowPtr[j+1]; s++ {
				pre[s] = j
			}
		}
		qs := b.mat("Qsyn", nnz, np, selection(nnz, np, func(s int) int { return popOf(pre[s]) }))
		wEff := b.had(ref.W, b.mul(qs, ref.Scale))
		rows, cols := 2*n, n*D
		P := make([]float64, rows*cols*nnz)
		for s := range nnz {
			j := pre[s]
			plane := 1
			if m.Excitatory[j] {
				plane = 0
			}
			r := plane*n + int(m.Post[s])
			col := int(m.Delay[s]-1)*n + j
			P[(r*cols+col)*nnz+s] = 1
		}
		pm := b.mat("Pdeliver", rows*cols, nnz, P)
		wall = b.op(G.Reshape(b.mul(pm, wEff), tensor.Shape{rows, cols}))
	}

	// Receptor routing: G' = G ⊙ dec + Rout · [E; H], Rout = R0 + f R1 + fb R2.
	sp := m.Synapses
	dec := [6]float64{math.Exp(-dt / sp.AMPA.TauDecay), 0, math.Exp(-dt / sp.NMDA.TauDecay), math.Exp(-dt / sp.GABAA.TauDecay), 0, math.Exp(-dt / sp.GABAB.TauDecay)}
	normN, normB := sp.NMDA.Norm(), sp.GABAB.Norm()
	riseN, riseB := 0.0, 0.0
	if sp.NMDA.Dual() {
		dec[1], riseN = math.Exp(-dt/sp.NMDA.TauRise), normN
	}
	if sp.GABAB.Dual() {
		dec[4], riseB = math.Exp(-dt/sp.GABAB.TauRise), normB
	}
	dvec := make([]float64, 6*n)
	r0, r1, r2 := make([]float64, 12*n*n), make([]float64, 12*n*n), make([]float64, 12*n*n)
	for i := range n {
		for k := range 6 {
			dvec[k*n+i] = dec[k]
		}
		set := func(m []float64, rec, plane int, x float64) { m[(rec*n+i)*2*n+plane*n+i] = x }
		set(r0, 0, 0, 1)
		set(r1, 0, 0, -1)
		set(r1, 1, 0, riseN)
		set(r1, 2, 0, normN)
		set(r0, 3, 1, 1)
		set(r2, 3, 1, -1)
		set(r2, 4, 1, riseB)
		set(r2, 5, 1, normB)
	}
	decay := b.vec("decay", dvec)
	rout := b.add(b.mat("R0", 6*n, 2*n, r0), b.add(b.mul(ref.NMDAFraction, b.mat("R1", 6*n, 2*n, r1)), b.mul(ref.GABABFraction, b.mat("R2", 6*n, 2*n, r2))))

	// Synaptic current: rows A, G, B, N of the stacked current terms.
	cm := make([]float64, 4*n*6*n)
	rep4 := make([]float64, 4*n*n)
	repN := make([]float64, 4*n*n)
	sum4 := make([]float64, n*4*n)
	e4 := make([]float64, 4*n)
	notN := make([]float64, 4*n)
	for i := range n {
		set := func(row, rec int, x float64) { cm[(row*n+i)*6*n+rec*n+i] = x }
		set(0, 0, 1)  // g_AMPA
		set(1, 3, 1)  // g_GABA_A
		set(2, 5, 1)  // g_GABA_B = decay - rise
		set(2, 4, -1) //
		set(3, 2, 1)  // g_NMDA = decay - rise
		set(3, 1, -1) //
		for row, e := range [4]float64{sp.AMPA.ERev, sp.GABAA.ERev, sp.GABAB.ERev, sp.NMDA.ERev} {
			rep4[(row*n+i)*n+i] = 1
			sum4[i*4*n+row*n+i] = 1
			e4[row*n+i] = e
			if row < 3 {
				notN[row*n+i] = 1
			}
		}
		repN[(3*n+i)*n+i] = 1
	}
	cmN, rep4N, repNN, sum4N := b.mat("Cm", 4*n, 6*n, cm), b.mat("Rep4", 4*n, n, rep4), b.mat("RepN", 4*n, n, repN), b.mat("Sum4", n, 4*n, sum4)
	e4N, notNN := b.vec("E4", e4), b.vec("notN", notN)
	mgK := c(sp.Mg / adjoint.MgHalf)
	negSlope := c(-adjoint.MgSlope)

	// Drive: the fixed realization of the engine's noise, one leaf per step.
	drive := adjoint.DriveRealization(m, s0.Step, T)

	// Neuron parameters per neuron.
	dtN := c(dt)
	var izhAdt, izhB, izhC, izhD *G.Node
	if nIzh > 0 {
		izhAdt = b.mul(b.mul(qI, ref.IzhA), dtN)
		izhB, izhC, izhD = b.mul(qI, ref.IzhB), b.mul(qI, ref.IzhC), b.mul(qI, ref.IzhD)
	}
	var aEL, aVT, aGL, aGLDT, aInvDT, aDtOverC, aA, aDtOverTau, aB, aVR, aTheta *G.Node
	if nAd > 0 {
		aC := b.mul(qA, ref.AdExC)
		aGL = b.mul(qA, ref.AdExGL)
		aEL = b.mul(qA, ref.AdExEL)
		aVT = b.mul(qA, ref.AdExVT)
		aDT := b.mul(qA, ref.AdExDeltaT)
		aA = b.mul(qA, ref.AdExA)
		aTau := b.mul(qA, ref.AdExTauW)
		aB = b.mul(qA, ref.AdExB)
		aVR = b.mul(qA, ref.AdExVReset)
		aGLDT = b.had(aGL, aDT)
		aInvDT = b.op(G.Inverse(aDT))
		aDtOverC = b.div(dtN, aC)
		aDtOverTau = b.div(dtN, aTau)
		th := make([]float64, nAd)
		for i := range th {
			th[i] = p.Types[m.Pop[nIzh+i]].AdEx.VPeak
		}
		aTheta = b.vec("thetaAdEx", th)
	}

	// STP per neuron: ρ = e^(-dt/τ_rec), φ = e^(-dt/τ_fac) (0 where
	// τ_fac = 0; the mask keeps that entry's gradient at 0).
	var stpU, rho, phi *G.Node
	if m.STP {
		u, tr, tf := make([]float64, np), make([]float64, np), make([]float64, np)
		mask, pad := make([]float64, np), make([]float64, np)
		for k, s := range p.STP {
			u[k], tr[k], tf[k] = s.U, s.TauRec, s.TauFac
			if s.TauFac > 0 {
				mask[k] = 1
			} else {
				pad[k] = 1
			}
		}
		ref.STPU, ref.STPTauRec, ref.STPTauFac = b.vec("STPU", u), b.vec("STPTauRec", tr), b.vec("STPTauFac", tf)
		negDt := c(-dt)
		rhoPop := b.exp(b.div(negDt, ref.STPTauRec))
		phiPop := b.had(b.exp(b.div(negDt, b.add(ref.STPTauFac, b.vec("tauFacPad", pad)))), b.vec("tauFacMask", mask))
		stpU, rho, phi = b.mul(qAll, ref.STPU), b.mul(qAll, rhoPop), b.mul(qAll, phiPop)
		ref.X0, ref.U0 = b.vec("X0", s0.X), b.vec("U0", s0.U)
	}

	spikeOp := surrogate.Op{F: opt.Surrogate, Smooth: opt.Smooth}
	resetOp := spikeOp
	resetOp.Detach = opt.DetachReset

	// Time loop.
	v, r := ref.V0, ref.R0
	gst := b.op(G.Concat(0, ref.G0[:]...))
	x, u := ref.X0, ref.U0
	zero := b.vec("zeroN", make([]float64, n))
	hist := make([]*G.Node, D) // q(t-1), ..., q(t-D)
	for k := range hist {
		hist[k] = zero
	}
	spikes := make([]*G.Node, T)
	thirty := c(adjoint.IzhikevichPeak)
	for t := range T {
		// 1. Arrivals and receptors.
		var arr *G.Node
		if t > 0 && wall != nil {
			h := hist[0]
			if D > 1 {
				// A copy: Gorgonia keeps the variadic slice as the node's
				// children, and hist changes every step.
				h = b.op(G.Concat(0, append([]*G.Node(nil), hist...)...))
			}
			arr = b.mul(wall, h)
		}
		if t < len(ref.Pending) {
			if arr == nil {
				arr = ref.Pending[t]
			} else {
				arr = b.add(ref.Pending[t], arr)
			}
		}
		gst = b.had(gst, decay)
		if arr != nil {
			gst = b.add(gst, b.mul(rout, arr))
		}
		// 2. Current at the old potential.
		gc := b.mul(cmN, gst)
		drv := b.sub(e4N, b.mul(rep4N, v))
		block := b.op(G.Inverse(b.add(one, b.mul(mgK, b.exp(b.mul(v, negSlope))))))
		blk := b.add(notNN, b.mul(repNN, block))
		gb := b.had(gc, blk)
		I := b.mul(sum4N, b.had(gb, drv))
		// Exponential Euler: φ(G dt) of the total conductance G.
		var phiV *G.Node
		if m.Integrator == models.ExponentialEuler {
			phiV = b.op(G.ApplyOp(phiOp{}, b.mul(b.mul(sum4N, gb), dtN)))
		}
		I = b.add(I, b.vec(fmt.Sprint("drive", t), drive[t*n:(t+1)*n]))
		I = b.add(I, ref.Bias)
		if ref.Current != nil {
			I = b.add(I, b.op(G.Slice(ref.Current, G.S(t))))
		}
		// 3. Neurons.
		var vn, rn, s []*G.Node
		slice := func(x *G.Node, lo, hi int) *G.Node {
			if lo == 0 && hi == n {
				return x
			}
			return b.op(G.Slice(x, G.S(lo, hi)))
		}
		if nIzh > 0 {
			vi, ui, Ii := slice(v, 0, nIzh), slice(r, 0, nIzh), slice(I, 0, nIzh)
			f := b.add(b.had(b.add(b.mul(vi, c(0.04)), c(5.0)), vi), c(140.0))
			delta := b.mul(b.add(b.sub(f, ui), Ii), dtN)
			if phiV != nil {
				delta = b.had(delta, slice(phiV, 0, nIzh))
			}
			vs := b.add(vi, delta)
			us := b.add(ui, b.had(izhAdt, b.sub(b.had(izhB, vi), ui)))
			xs := b.sub(vs, thirty)
			si := b.op(surrogate.Apply(xs, spikeOp))
			sr := si
			if opt.DetachReset {
				sr = b.op(surrogate.Apply(xs, resetOp))
			}
			vn = append(vn, b.add(b.had(vs, b.sub(one, sr)), b.had(izhC, sr)))
			rn = append(rn, b.add(us, b.had(izhD, sr)))
			s = append(s, si)
		}
		if nAd > 0 {
			va, wa, Ia := slice(v, nIzh, n), slice(r, nIzh, n), slice(I, nIzh, n)
			arg := b.had(b.sub(va, aVT), aInvDT)
			capped := b.sub(arg, b.op(G.Rectify(b.sub(arg, c(float64(adjoint.AdExCap))))))
			dEL := b.sub(va, aEL)
			F := b.sub(b.sub(b.had(aGLDT, b.exp(capped)), b.had(aGL, dEL)), wa)
			delta := b.add(b.had(aDtOverC, F), b.mul(Ia, dtN))
			if phiV != nil {
				delta = b.had(delta, slice(phiV, nIzh, n))
			}
			vs := b.add(va, delta)
			ws := b.add(wa, b.had(aDtOverTau, b.sub(b.had(aA, dEL), wa)))
			xs := b.sub(vs, aTheta)
			sa := b.op(surrogate.Apply(xs, spikeOp))
			sr := sa
			if opt.DetachReset {
				sr = b.op(surrogate.Apply(xs, resetOp))
			}
			vn = append(vn, b.add(b.had(vs, b.sub(one, sr)), b.had(aVR, sr)))
			rn = append(rn, b.add(ws, b.had(aB, sr)))
			s = append(s, sa)
		}
		cat := func(xs []*G.Node) *G.Node {
			if len(xs) == 1 {
				return xs[0]
			}
			return b.op(G.Concat(0, xs...))
		}
		v, r = cat(vn), cat(rn)
		st := cat(s)
		spikes[t] = st
		// STP: recovery, then the spike; q = s·A is what is transmitted.
		q := st
		if m.STP {
			xt := b.sub(one, b.had(b.sub(one, x), rho))
			ut := b.had(u, phi)
			up := b.add(ut, b.had(b.had(st, stpU), b.sub(one, ut)))
			q = b.had(st, b.had(up, xt))
			x, u = b.sub(xt, q), up
		}
		if D > 0 {
			copy(hist[1:], hist[:D-1])
			hist[0] = q
		}
	}
	ref.Spikes = spikes[0]
	if T > 1 {
		ref.Spikes = b.op(G.Concat(0, spikes...))
	}
	ref.Counts = b.op(G.Sum(b.op(G.Reshape(ref.Spikes, tensor.Shape{T, n})), 0))
	ref.nodes = len(b.seen)
	return ref, nil
}
