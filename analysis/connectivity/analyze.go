package connectivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/bl1-go/bl1/analysis"
)

// Options set Analyze. Zero fields take the defaults of each part.
type Options struct {
	CCG    CCGOptions
	TE     TEOptions
	STTCMs float64     // STTC window Δt, ms (default 10)
	Links  string      // which significant links make the graph: "te" (default) or "ccg"
	Alpha  float64     // significance level of a link (default 0.01)
	Null   NullOptions // reference graphs
	Seed   uint64      // of the TE surrogates, the references and the modules
}

// Result is the connectivity of a recording's units.
type Result struct {
	CCG   *Correlograms
	TE    *TE
	STTC  []float64 // N × N
	Links []bool    // N × N, [i*N+j] for a significant i → j
	Graph *simple.UndirectedGraph
	// Measures of Graph.
	Degree     []int
	Clustering []float64 // local, per unit
	C          float64   // mean clustering
	L          float64   // characteristic path length of the largest component
	Component  int       // its size
	Efficiency float64
	SmallWorld SmallWorld
	RichClub   RichClub
	Module     []int // Louvain community of each unit (Blondel et al. 2008), by size
	Modularity float64
}

// Analyze computes the correlograms, STTC and transfer entropy of every
// pair of units, makes the graph of the links significant at opt.Alpha by
// the chosen statistic (TE surrogate p-values, or the correlograms'
// Bonferroni-corrected jitter p-values), and measures it.
func Analyze(e analysis.Events, opt Options) (*Result, error) {
	if opt.STTCMs == 0 {
		opt.STTCMs = 10
	}
	if opt.Alpha == 0 {
		opt.Alpha = 0.01
	}
	if opt.Links == "" {
		opt.Links = "te"
	}
	if opt.Links != "te" && opt.Links != "ccg" {
		return nil, fmt.Errorf("connectivity: links from %q, want te or ccg: %w", opt.Links, ErrOption)
	}
	if !(opt.Alpha > 0 && opt.Alpha < 1) {
		return nil, fmt.Errorf("connectivity: significance level %g, need 0 < α < 1: %w", opt.Alpha, ErrOption)
	}
	// The smallest surrogate p-value is 1/(1 + surrogates).
	if s := opt.TE.withDefaults().Surrogates; 1/float64(s+1) > opt.Alpha {
		return nil, fmt.Errorf("connectivity: with %d TE surrogates no p-value reaches α = %g (the smallest is 1/%d); use at least %d: %w",
			s, opt.Alpha, s+1, int(math.Ceil(1/opt.Alpha))-1, ErrOption)
	}
	opt.TE.Seed = opt.Seed
	opt.Null.Seed = opt.Seed
	r := &Result{}
	var err error
	if r.CCG, err = CrossCorrelograms(e, opt.CCG); err != nil {
		return nil, err
	}
	if r.STTC, err = STTC(e, opt.STTCMs); err != nil {
		return nil, err
	}
	if r.TE, err = TransferEntropy(e, opt.TE); err != nil {
		return nil, err
	}
	n := e.N
	p := r.TE.P
	if opt.Links == "ccg" {
		p = r.CCG.P
	}
	r.Links = make([]bool, n*n)
	for k := range r.Links {
		r.Links[k] = k/n != k%n && p[k] <= opt.Alpha
	}
	r.Graph = Undirected(n, func(i, j int) bool { return r.Links[i*n+j] })
	if err := r.measure(opt); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Result) measure(opt Options) error {
	g := r.Graph
	n := g.Nodes().Len()
	r.Degree = make([]int, n)
	for i := range n {
		r.Degree[i] = g.From(int64(i)).Len()
	}
	var local map[int64]float64
	var err error
	if r.C, local, err = Clustering(g); err != nil {
		return err
	}
	r.Clustering = make([]float64, n)
	for i := range n {
		r.Clustering[i] = local[int64(i)]
	}
	if r.L, r.Component, r.Efficiency, err = PathLength(g); err != nil {
		return err
	}
	if r.SmallWorld, err = SmallWorldness(g, opt.Null); err != nil {
		return err
	}
	if r.RichClub, err = RichClubCoefficient(g, opt.Null); err != nil {
		return err
	}
	r.Module, r.Modularity = modules(g, opt.Seed)
	return nil
}

// modules returns the Louvain communities of g (gonum's Modularize at
// resolution 1), numbered by decreasing size (ties by smallest unit), and
// their modularity Q (Newman 2006); NaN without edges.
func modules(g *simple.UndirectedGraph, seed uint64) ([]int, float64) {
	n := g.Nodes().Len()
	m := make([]int, n)
	if g.Edges().Len() == 0 {
		for i := range m {
			m[i] = i
		}
		return m, math.NaN()
	}
	comm := community.Modularize(g, 1, rand.NewPCG(seed, 4)).Communities()
	for _, c := range comm {
		slices.SortFunc(c, func(a, b graph.Node) int { return int(a.ID() - b.ID()) })
	}
	slices.SortStableFunc(comm, func(a, b []graph.Node) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return int(a[0].ID() - b[0].ID())
	})
	for k, c := range comm {
		for _, v := range c {
			m[v.ID()] = k
		}
	}
	return m, community.Q(g, comm, 1)
}
