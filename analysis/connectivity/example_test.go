package connectivity_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph/simple"

	"github.com/bl1-go/bl1/analysis"
	"github.com/bl1-go/bl1/analysis/connectivity"
)

// coupled returns two units over 200 s: unit 0 fires at 5 Hz, and unit 1
// follows each of its events 6 ms later with probability 0.3, besides
// firing at 5 Hz on its own.
func coupled() analysis.Events {
	rng := rand.New(rand.NewPCG(1, 2))
	var t0, t1 []float64
	for t := rng.ExpFloat64() * 200; t < 200000; t += rng.ExpFloat64() * 200 {
		t0 = append(t0, float64(int(t)))
		if rng.Float64() < 0.3 {
			t1 = append(t1, float64(int(t))+6)
		}
	}
	for t := rng.ExpFloat64() * 200; t < 199990; t += rng.ExpFloat64() * 200 {
		t1 = append(t1, float64(int(t))+0.5)
	}
	type ev struct {
		t  float64
		id int32
	}
	var evs []ev
	for _, t := range t0 {
		evs = append(evs, ev{t, 0})
	}
	for _, t := range t1 {
		evs = append(evs, ev{t, 1})
	}
	slices.SortFunc(evs, func(a, b ev) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.id, b.id)) })
	e := analysis.Events{N: 2, T1: 200000}
	for _, v := range evs {
		e.T, e.ID = append(e.T, v.t), append(e.ID, v.id)
	}
	return e
}

// The correlograms find the planted link 0 → 1 with its delay and
// efficacy, and nothing in the other direction.
func ExampleCrossCorrelograms() {
	c, err := connectivity.CrossCorrelograms(coupled(), connectivity.CCGOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("0 → 1: p < 1e-9: %v, delay %g ms, efficacy %.1f\n", c.P[0*2+1] < 1e-9, c.DelayMs[0*2+1], c.Efficacy[0*2+1])
	fmt.Printf("1 → 0: p > 0.01: %v\n", c.P[1*2+0] > 0.01)
	// Output:
	// 0 → 1: p < 1e-9: true, delay 6 ms, efficacy 0.3
	// 1 → 0: p > 0.01: true
}

// Transfer entropy with jitter surrogates points the same way.
func ExampleTransferEntropy() {
	te, err := connectivity.TransferEntropy(coupled(), connectivity.TEOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("0 → 1: p = %.2f, delay %g ms\n", te.P[0*2+1], te.DelayMs[0*2+1])
	fmt.Printf("1 → 0: significant: %v\n", te.P[1*2+0] <= 0.01)
	// Output:
	// 0 → 1: p = 0.01, delay 5 ms
	// 1 → 0: significant: false
}

// Identical trains tile perfectly.
func ExampleSTTC() {
	e := analysis.Events{T: []float64{10, 10, 500, 500}, ID: []int32{0, 1, 0, 1}, N: 2, T1: 1000}
	s, err := connectivity.STTC(e, 10)
	if err != nil {
		panic(err)
	}
	fmt.Println(s[0*2+1])
	// Output: 1
}

// A ring of 12 nodes, each linked to its two nearest neighbours on either
// side: clustering 3(k−2)/(4(k−1)) = 0.5, and a path length of
// (2·(1+1+2+2+3) + 3)/11 = 21/11.
func ExampleClustering() {
	g := connectivity.Undirected(12, func(i, j int) bool { d := (j - i + 12) % 12; return d == 1 || d == 2 })
	c, _, err := connectivity.Clustering(g)
	if err != nil {
		panic(err)
	}
	l, component, _, _ := connectivity.PathLength(g)
	fmt.Printf("C = %.2f, L = %.4f over %d nodes\n", c, l, component)
	// Output: C = 0.50, L = 1.9091 over 12 nodes
}

// A ring lattice is far from a small world: ω near −1.
func ExampleSmallWorldness() {
	g := connectivity.Undirected(60, func(i, j int) bool { d := (j - i + 60) % 60; return d >= 1 && d <= 3 })
	sw, err := connectivity.SmallWorldness(g, connectivity.NullOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("C %.2f, ω < −0.5: %v\n", sw.C, sw.Omega < -0.5)
	// Output: C 0.60, ω < −0.5: true
}

// The example of networkx's rich_club_coefficient: φ(0) = 0.4.
func ExampleRichClubCoefficient() {
	g := simple.NewUndirectedGraph()
	for _, e := range [][2]int64{{0, 1}, {0, 2}, {1, 2}, {1, 3}, {1, 4}, {4, 5}} {
		g.SetEdge(simple.Edge{F: simple.Node(e[0]), T: simple.Node(e[1])})
	}
	rc, err := connectivity.RichClubCoefficient(g, connectivity.NullOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("φ(0) = %.1f over %d nodes, φ(1) = %.3f over %d\n", rc.Phi[0], rc.Members[0], rc.Phi[1], rc.Members[1])
	// Output: φ(0) = 0.4 over 6 nodes, φ(1) = 0.667 over 4
}

// Everything at once: the planted link is the graph's only edge.
func ExampleAnalyze() {
	r, err := connectivity.Analyze(coupled(), connectivity.Options{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println("links:", r.Links, "edges:", r.Graph.Edges().Len())
	// Output: links: [false true false false] edges: 1
}
