package culture

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/bl1-go/bl1/internal/rng"
	"github.com/bl1-go/bl1/models"
)

// WeightDist is the distribution of the multiplicative factor of a weight.
type WeightDist struct {
	Kind   string  // "uniform", "lognormal" or "constant"
	Spread float64 // uniform: half-width s of U(1 - s, 1 + s), in [0, 1]
	Sigma  float64 // lognormal: standard deviation of ln(factor); mean factor 1
	// StrongFraction of the excitatory neurons, drawn at random, have
	// every outgoing weight multiplied by StrongFactor: the bimodal
	// strengths with which Gritsun et al. (2011, Biol Cybern 105:197,
	// doi:10.1007/s00422-011-0457-3) reproduce irregular inter-burst
	// intervals of cortical cultures.
	StrongFraction float64 // weights.strong_fraction, in [0, 1]
	StrongFactor   float64 // weights.strong_factor, >= 0
}

// Clusters describe a clustered placement: a fraction of the neurons in
// Count Gaussian clusters of standard deviation SD (µm) around centres
// drawn uniformly on the substrate, the rest uniform. Count 0 places every
// neuron uniformly.
type Clusters struct {
	Count    int     // clusters.count
	SD       float64 // clusters.sd_um, µm
	Fraction float64 // clusters.fraction, in [0, 1]
}

// Share is one cell type and its fraction of the neurons.
type Share struct {
	Type     models.Type
	Fraction float64
}

// Spec describes a culture. Field comments give the config key.
type Spec struct {
	N         int     // n_neurons
	Width     float64 // substrate_um[0], µm
	Height    float64 // substrate_um[1], µm
	Thickness float64 // thickness_um, µm; 0 for a flat culture
	Types     []Share // types
	PMax      float64 // p_max
	Lambda    float64 // lambda_um, µm
	Cutoff    float64 // cutoff_um, µm
	GExc      float64 // g_exc, per unit capacitance (1/ms)
	GInh      float64 // g_inh
	Weights   WeightDist
	Clusters  Clusters
	Velocity  float64 // conduction_velocity_um_per_ms
	Seed      uint64
}

// Default returns BL-1's culture: 10,000 neurons on 3 × 3 mm.
func Default() Spec {
	var shares []Share
	for _, name := range []string{"RS", "IB", "CH", "FS", "LTS"} {
		t, _ := models.Builtin(name)
		shares = append(shares, Share{Type: t, Fraction: models.DefaultFractions[name]})
	}
	return Spec{
		N: 10000, Width: 3000, Height: 3000, Types: shares,
		PMax: 0.21, Lambda: 200, Cutoff: 600, GExc: 0.05, GInh: 0.20,
		Weights:  WeightDist{Kind: "uniform", Spread: 0.1},
		Velocity: 300, Seed: 42,
	}
}

// MaxNeurons is the largest culture the builder accepts (indices are int32).
const MaxNeurons = 1 << 30

// Validate checks the spec; messages name the config keys.
func (s Spec) Validate() error {
	switch {
	case s.N < 1 || s.N > MaxNeurons:
		return fmt.Errorf("n_neurons = %d, must be in [1, %d]", s.N, MaxNeurons)
	case !(s.Width > 0) || !(s.Height > 0) || math.IsInf(s.Width+s.Height, 0):
		return fmt.Errorf("substrate_um = [%g, %g], both sides must be > 0", s.Width, s.Height)
	case !(s.Thickness >= 0) || math.IsInf(s.Thickness, 0):
		return fmt.Errorf("thickness_um = %g, must be >= 0", s.Thickness)
	case !(s.PMax >= 0 && s.PMax <= 1):
		return fmt.Errorf("p_max = %g, must be in [0, 1]", s.PMax)
	case !(s.Lambda > 0) || math.IsInf(s.Lambda, 0):
		return fmt.Errorf("lambda_um = %g, must be > 0", s.Lambda)
	case !(s.Cutoff > 0) || math.IsInf(s.Cutoff, 0):
		return fmt.Errorf("cutoff_um = %g, must be > 0", s.Cutoff)
	case !(s.GExc >= 0) || math.IsInf(s.GExc, 0):
		return fmt.Errorf("g_exc = %g, must be >= 0", s.GExc)
	case !(s.GInh >= 0) || math.IsInf(s.GInh, 0):
		return fmt.Errorf("g_inh = %g, must be >= 0", s.GInh)
	case !(s.Velocity > 0) || math.IsInf(s.Velocity, 0):
		return fmt.Errorf("conduction_velocity_um_per_ms = %g, must be > 0", s.Velocity)
	case len(s.Types) == 0:
		return fmt.Errorf("types: at least one cell type is needed")
	case s.Clusters.Count < 0 || s.Clusters.Count > s.N:
		return fmt.Errorf("clusters.count = %d, must be in [0, n_neurons]", s.Clusters.Count)
	case s.Clusters.Count > 0 && (!(s.Clusters.SD > 0) || math.IsInf(s.Clusters.SD, 0)):
		return fmt.Errorf("clusters.sd_um = %g, must be > 0", s.Clusters.SD)
	case !(s.Clusters.Fraction >= 0 && s.Clusters.Fraction <= 1):
		return fmt.Errorf("clusters.fraction = %g, must be in [0, 1]", s.Clusters.Fraction)
	}
	switch s.Weights.Kind {
	case "uniform":
		if !(s.Weights.Spread >= 0 && s.Weights.Spread <= 1) {
			return fmt.Errorf("weights.spread = %g, must be in [0, 1]", s.Weights.Spread)
		}
	case "lognormal":
		if !(s.Weights.Sigma >= 0 && s.Weights.Sigma <= 5) {
			return fmt.Errorf("weights.sigma = %g, must be in [0, 5]", s.Weights.Sigma)
		}
	case "constant":
	default:
		return fmt.Errorf("weights.dist = %q, must be uniform, lognormal or constant", s.Weights.Kind)
	}
	if w := s.Weights; !(w.StrongFraction >= 0 && w.StrongFraction <= 1) {
		return fmt.Errorf("weights.strong_fraction = %g, must be in [0, 1]", w.StrongFraction)
	} else if w.StrongFraction > 0 && (!(w.StrongFactor >= 0) || math.IsInf(w.StrongFactor, 0)) {
		return fmt.Errorf("weights.strong_factor = %g, must be >= 0", w.StrongFactor)
	}
	sum := 0.0
	for _, sh := range s.Types {
		if !(sh.Fraction >= 0 && sh.Fraction <= 1) {
			return fmt.Errorf("types.%s = %g, fractions must be in [0, 1]", sh.Type.Name, sh.Fraction)
		}
		if err := sh.Type.Validate(); err != nil {
			return fmt.Errorf("types.%s: %w", sh.Type.Name, err)
		}
		sum += sh.Fraction
	}
	if math.Abs(sum-1) > 1e-6 {
		return fmt.Errorf("types: fractions sum to %g, must sum to 1", sum)
	}
	return nil
}

// Culture is a built culture: neurons and their outgoing synapses in
// compressed sparse rows (CSR) by presynaptic neuron.
type Culture struct {
	Spec Spec

	X, Y, Z    []float32     // positions, µm
	Type       []uint8       // index into Types, per neuron
	Types      []models.Type // the cell types present, in config order
	Excitatory []bool        // per neuron, from its type
	NIzh       int           // Izhikevich neurons come first: [0, NIzh)

	// Synapses of presynaptic neuron j are [RowPtr[j], RowPtr[j+1]); their
	// postsynaptic neurons ascend within a row.
	RowPtr  []int64
	Post    []int32
	Weight  []float32 // >= 0; the sign is the presynaptic neuron's (Excitatory)
	DelayMs []float32 // axonal delay, ms

	grid *grid // spatial index of the neurons, built on demand
}

// Near appends to dst the runs of indices of the neurons in the grid cells
// around neuron i that can lie within the cutoff distance (a superset of
// them, i included), and returns it.
func (c *Culture) Near(i int, dst [][]int32) [][]int32 {
	if c.grid == nil {
		c.grid = newGrid(c.Spec, c.X, c.Y, c.Z)
		c.grid.fill(c.X, c.Y, c.Z)
	}
	c.grid.neighbours(c.X[i], c.Y[i], c.Z[i], func(cell []int32) { dst = append(dst, cell) })
	return dst
}

// N returns the number of neurons.
func (c *Culture) N() int { return len(c.X) }

// NSynapses returns the number of synapses.
func (c *Culture) NSynapses() int { return len(c.Post) }

// Counts returns the number of neurons of each type (indexed like Types).
func (c *Culture) Counts() []int {
	n := make([]int, len(c.Types))
	for _, t := range c.Type {
		n[t]++
	}
	return n
}

// Population returns the neurons' model state at rest, for step dt (ms).
func (c *Culture) Population(dt float64) *models.Population {
	p := models.NewPopulation(c.N(), c.NIzh, dt)
	for i, ti := range c.Type {
		t := c.Types[ti]
		if t.Kind == models.KindIzhikevich {
			p.SetIzhikevich(i, t.Izhikevich)
		} else {
			p.SetAdEx(i, t.AdEx)
		}
	}
	return p
}

// Distance returns the distance between neurons i and j, µm.
func (c *Culture) Distance(i, j int) float64 {
	dx := float64(c.X[i]) - float64(c.X[j])
	dy := float64(c.Y[i]) - float64(c.Y[j])
	dz := float64(c.Z[i]) - float64(c.Z[j])
	return math.Sqrt(dx*dx + dy*dy + dz*dz)
}

// ExpectedDegree returns the analytic mean in-degree (= out-degree) of a
// neuron far from the substrate's edges (see the package doc; in 3-D the
// spherical integral 4π ρ p_max ∫ r² e^(-r/λ) dr with ρ per µm³).
func (s Spec) ExpectedDegree() float64 {
	R, l := s.Cutoff, s.Lambda
	x := R / l
	if s.Thickness > 0 {
		rho := float64(s.N) / (s.Width * s.Height * s.Thickness)
		// ∫0^R r² e^(-r/λ) dr = λ³ [2 - e^(-x)(x² + 2x + 2)]
		return 4 * math.Pi * rho * s.PMax * l * l * l * (2 - math.Exp(-x)*(x*x+2*x+2))
	}
	rho := float64(s.N) / (s.Width * s.Height)
	return 2 * math.Pi * rho * s.PMax * l * l * (1 - math.Exp(-x)*(1+x))
}

// Build places and wires a culture. workers <= 0 uses all cores; the result
// does not depend on it.
func Build(s Spec, workers int) (*Culture, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if len(s.Types) > 255 {
		return nil, fmt.Errorf("types: at most 255 cell types, got %d", len(s.Types))
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	c := &Culture{Spec: s}
	for _, sh := range s.Types {
		c.Types = append(c.Types, sh.Type)
	}
	c.grid = c.place()
	c.wire(c.grid, workers)
	return c, nil
}

// counts splits n by fractions with largest-remainder rounding (ties to the
// earlier type). The fractions are normalised by their sum: Validate allows
// it to miss 1 by 1e-6, and above 1 the floors alone could exceed n.
func counts(n int, shares []Share) []int {
	out := make([]int, len(shares))
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(shares))
	sum := 0.0
	for _, sh := range shares {
		sum += sh.Fraction
	}
	left := n
	for i, sh := range shares {
		x := sh.Fraction / sum * float64(n)
		out[i] = int(math.Floor(x))
		left -= out[i]
		rems[i] = rem{i, x - math.Floor(x)}
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.r, a.r) })
	for k := 0; left > 0; k = (k + 1) % len(rems) {
		out[rems[k].i]++
		left--
	}
	return out
}

// place draws positions and types, orders neurons by (model, grid cell) and
// returns the grid.
func (c *Culture) place() *grid {
	s := c.Spec
	n := s.N
	// Types in exact proportions, shuffled (Fisher-Yates).
	typ := make([]uint8, 0, n)
	for t, k := range counts(n, s.Types) {
		for range k {
			typ = append(typ, uint8(t))
		}
	}
	src := rng.NewKey(s.Seed, rng.Types).Source()
	for i := n - 1; i > 0; i-- {
		j := src.Intn(i + 1)
		typ[i], typ[j] = typ[j], typ[i]
	}
	// Positions: uniform, or around cluster centres.
	key := rng.NewKey(s.Seed, rng.Placement)
	x, y, z := make([]float32, n), make([]float32, n), make([]float32, n)
	cl := s.Clusters
	ckey := rng.NewKey(s.Seed, rng.Clusters)
	cx, cy := make([]float64, cl.Count), make([]float64, cl.Count)
	if cl.Count > 0 {
		src := ckey.Sub(0).Source()
		for k := range cl.Count {
			cx[k], cy[k] = s.Width*src.Float64(), s.Height*src.Float64()
		}
	}
	for i := range n {
		x[i] = float32(s.Width * rng.Float64(key.At(3*uint64(i))))
		y[i] = float32(s.Height * rng.Float64(key.At(3*uint64(i)+1)))
		if s.Thickness > 0 {
			z[i] = float32(s.Thickness * rng.Float64(key.At(3*uint64(i)+2)))
		}
		if cl.Count == 0 {
			continue
		}
		src := ckey.Sub(1 + uint64(i)).Source()
		if src.Float64() >= cl.Fraction {
			continue
		}
		k := src.Intn(cl.Count)
		x[i] = float32(mirror(cx[k]+cl.SD*src.Norm(), s.Width))
		y[i] = float32(mirror(cy[k]+cl.SD*src.Norm(), s.Height))
	}
	g := newGrid(s, x, y, z)
	// Order: Izhikevich before AdEx, then by grid cell, then by draw order.
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	kind := func(i int32) models.Kind { return c.Types[typ[i]].Kind }
	slices.SortFunc(order, func(a, b int32) int {
		if ka, kb := kind(a), kind(b); ka != kb {
			return cmp.Compare(ka, kb)
		}
		if ca, cb := g.cellOf(x[a], y[a], z[a]), g.cellOf(x[b], y[b], z[b]); ca != cb {
			return cmp.Compare(ca, cb)
		}
		return cmp.Compare(a, b)
	})
	c.X, c.Y, c.Z = make([]float32, n), make([]float32, n), make([]float32, n)
	c.Type, c.Excitatory = make([]uint8, n), make([]bool, n)
	for i, o := range order {
		c.X[i], c.Y[i], c.Z[i], c.Type[i] = x[o], y[o], z[o], typ[o]
		c.Excitatory[i] = c.Types[typ[o]].Excitatory
		if c.Types[typ[o]].Kind == models.KindIzhikevich {
			c.NIzh = i + 1
		}
	}
	g.fill(c.X, c.Y, c.Z)
	return g
}

// mirror folds v into [0, w) by mirroring at the edges (a cluster near an
// edge keeps its neurons on the substrate).
func mirror(v, w float64) float64 {
	v = math.Mod(v, 2*w)
	if v < 0 {
		v += 2 * w
	}
	if v >= w {
		v = 2*w - v
	}
	return min(v, math.Nextafter(w, 0))
}

// wire draws the synapses, rows in parallel blocks.
func (c *Culture) wire(g *grid, workers int) {
	n := c.N()
	type part struct {
		rowLen []int32
		post   []int32
		weight []float32
		delay  []float32
	}
	const block = 1024
	nb := (n + block - 1) / block
	parts := make([]part, nb)
	var wg sync.WaitGroup
	next := make(chan int, nb)
	for b := range nb {
		next <- b
	}
	close(next)
	for range min(workers, nb) {
		wg.Go(func() {
			w := newWirer(c, g)
			for b := range next {
				lo, hi := b*block, min((b+1)*block, n)
				p := &parts[b]
				p.rowLen = make([]int32, hi-lo)
				for j := lo; j < hi; j++ {
					row := w.row(j)
					p.rowLen[j-lo] = int32(len(row))
					for _, i := range row {
						p.post = append(p.post, i)
						p.weight = append(p.weight, w.weight(j))
						p.delay = append(p.delay, float32(c.Distance(int(i), j)/c.Spec.Velocity))
					}
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p.post)
	}
	c.RowPtr = make([]int64, n+1)
	c.Post = make([]int32, 0, total)
	c.Weight = make([]float32, 0, total)
	c.DelayMs = make([]float32, 0, total)
	j := 0
	for b := range parts {
		p := &parts[b]
		for _, l := range p.rowLen {
			c.RowPtr[j+1] = c.RowPtr[j] + int64(l)
			j++
		}
		c.Post = append(c.Post, p.post...)
		c.Weight = append(c.Weight, p.weight...)
		c.DelayMs = append(c.DelayMs, p.delay...)
		*p = part{}
	}
}

// wirer draws one row at a time; it holds per-goroutine scratch.
type wirer struct {
	c       *Culture
	g       *grid
	lnq     float64 // ln(1 - p_max)
	conn    rng.Key
	weights rng.Key
	strong  rng.Key
	wsrc    rng.Source
	row0    []int32
}

func newWirer(c *Culture, g *grid) *wirer {
	return &wirer{
		c: c, g: g, lnq: math.Log1p(-c.Spec.PMax),
		conn:    rng.NewKey(c.Spec.Seed, rng.Connect),
		weights: rng.NewKey(c.Spec.Seed, rng.Weights),
		strong:  rng.NewKey(c.Spec.Seed, rng.Parameters),
	}
}

// row returns the ascending postsynaptic targets of neuron j (valid until
// the next call).
func (w *wirer) row(j int) []int32 {
	s := w.c.Spec
	w.row0 = w.row0[:0]
	w.wsrc = w.weights.Sub(uint64(j)).Source()
	if s.PMax == 0 {
		return w.row0
	}
	src := w.conn.Sub(uint64(j)).Source()
	xj, yj, zj := float64(w.c.X[j]), float64(w.c.Y[j]), float64(w.c.Z[j])
	r2 := s.Cutoff * s.Cutoff
	invL := 1 / s.Lambda
	skip := src.Geometric(w.lnq)
	w.g.neighbours(w.c.X[j], w.c.Y[j], w.c.Z[j], func(cell []int32) {
		for skip < len(cell) {
			i := cell[skip]
			cell = cell[skip+1:]
			skip = src.Geometric(w.lnq)
			if int(i) == j {
				continue
			}
			dx, dy, dz := float64(w.c.X[i])-xj, float64(w.c.Y[i])-yj, float64(w.c.Z[i])-zj
			d2 := dx*dx + dy*dy + dz*dz
			if d2 > r2 {
				continue
			}
			if src.Float64() < math.Exp(-math.Sqrt(d2)*invL) {
				w.row0 = append(w.row0, i)
			}
		}
		skip -= len(cell)
	})
	slices.Sort(w.row0)
	return w.row0
}

// weight draws the next weight of the current row's presynaptic neuron j.
func (w *wirer) weight(j int) float32 {
	s := w.c.Spec
	g := s.GInh
	if w.c.Excitatory[j] {
		g = s.GExc
		if f := s.Weights.StrongFraction; f > 0 && rng.Float64(w.strong.At(uint64(j))) < f {
			g *= s.Weights.StrongFactor
		}
	}
	switch s.Weights.Kind {
	case "uniform":
		g *= 1 + s.Weights.Spread*(2*w.wsrc.Float64()-1)
	case "lognormal":
		sg := s.Weights.Sigma
		g *= math.Exp(sg*w.wsrc.Norm() - sg*sg/2)
	}
	return float32(g)
}
