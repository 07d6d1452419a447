package connectivity

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/stat"
)

func edgesGraph(n int, edges [][2]int) *simple.UndirectedGraph {
	g := simple.NewUndirectedGraph()
	for i := range n {
		g.AddNode(simple.Node(i))
	}
	for _, e := range edges {
		g.SetEdge(simple.Edge{F: simple.Node(e[0]), T: simple.Node(e[1])})
	}
	return g
}

// zachary is Zachary's karate club (Zachary 1977, J Anthropol Res 33:452),
// 34 members and 78 ties, numbered from 0 as in networkx and in gonum's
// community tests.
var zachary = [][]int{
	1: {0, 2}, 2: {0, 32}, 3: {0, 1, 2}, 4: {0, 6, 10}, 5: {0, 6}, 6: {0, 5},
	7: {0, 1, 2, 3}, 8: {0, 2, 32, 33}, 9: {2, 33}, 10: {0, 5}, 11: {0},
	12: {0, 3}, 13: {0, 1, 2, 3, 33}, 14: {32, 33}, 15: {32, 33}, 16: {5, 6},
	17: {0, 1}, 18: {32, 33}, 19: {0, 1, 33}, 20: {32, 33}, 21: {0, 1},
	22: {32, 33}, 23: {25, 27, 29, 32, 33}, 24: {25, 27, 31}, 25: {23, 24, 31},
	26: {29, 33}, 27: {2, 23, 24, 33}, 28: {2, 31, 33}, 29: {23, 26, 32, 33},
	30: {1, 8, 32, 33}, 31: {0, 24, 25, 28, 32, 33}, 32: {2, 8, 14, 15, 18, 20, 22, 23, 29, 30, 31, 33},
	33: {8, 9, 13, 14, 15, 18, 19, 20, 22, 23, 26, 27, 28, 29, 30, 31, 32},
}

func karate() *simple.UndirectedGraph {
	var e [][2]int
	for i, to := range zachary {
		for _, j := range to {
			e = append(e, [2]int{i, j})
		}
	}
	return edgesGraph(34, e)
}

// Mean clustering and characteristic path length of the karate club, as
// networkx's average_clustering and average_shortest_path_length give them
// (0.5706384782076823 and 2.408199643493761).
func TestKarate(t *testing.T) {
	g := karate()
	if m := g.Edges().Len(); m != 78 {
		t.Fatalf("%d ties, want 78", m)
	}
	c, local, err := Clustering(g)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c-0.5706384782076823) > 1e-12 {
		t.Errorf("clustering %.16g, want 0.5706384782076823", c)
	}
	// Node 0 has 16 neighbours with 18 ties among them: 2·18/(16·15) = 0.15.
	if math.Abs(local[0]-0.15) > 1e-15 {
		t.Errorf("clustering of node 0: %g, want 0.15", local[0])
	}
	l, comp, eff, err := PathLength(g)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l-2.408199643493761) > 1e-12 || comp != 34 {
		t.Errorf("path length %.16g over %d nodes, want 2.408199643493761 over 34", l, comp)
	}
	if !(eff > 1/l && eff < 1) { // Jensen: mean(1/d) > 1/mean(d)
		t.Errorf("efficiency %g with L %g", eff, l)
	}
}

// ringLattice connects every node to its k/2 nearest neighbours on each
// side; ws rewires the far end of each edge with probability p (Watts &
// Strogatz 1998), avoiding self-loops and double edges.
func ringLattice(n, k int) [][2]int {
	var e [][2]int
	for i := range n {
		for s := 1; s <= k/2; s++ {
			e = append(e, [2]int{i, (i + s) % n})
		}
	}
	return e
}

func ws(n, k int, p float64, seed uint64) *simple.UndirectedGraph {
	rng := rand.New(rand.NewPCG(seed, 1))
	e := ringLattice(n, k)
	has := map[[2]int]bool{}
	key := func(a, b int) [2]int { return [2]int{min(a, b), max(a, b)} }
	for _, x := range e {
		has[key(x[0], x[1])] = true
	}
	for i, x := range e {
		if rng.Float64() >= p {
			continue
		}
		for {
			j := rng.IntN(n)
			if j != x[0] && !has[key(x[0], j)] {
				delete(has, key(x[0], x[1]))
				has[key(x[0], j)] = true
				e[i] = [2]int{x[0], j}
				break
			}
		}
	}
	return edgesGraph(n, e)
}

// A ring lattice's clustering is 3(k − 2)/(4(k − 1)) (Barrat & Weigt 2000,
// Eur Phys J B 13:547) and its path length follows from the ring: nodes m
// steps apart are ⌈m/(k/2)⌉ hops apart.
func TestRingLattice(t *testing.T) {
	for _, tc := range []struct{ n, k int }{{30, 4}, {101, 10}, {64, 6}} {
		g := edgesGraph(tc.n, ringLattice(tc.n, tc.k))
		c, _, _ := Clustering(g)
		if want := 3 * float64(tc.k-2) / (4 * float64(tc.k-1)); math.Abs(c-want) > 1e-12 {
			t.Errorf("n %d k %d: clustering %g, want %g", tc.n, tc.k, c, want)
		}
		var sum float64
		for m := 1; m < tc.n; m++ {
			sep := min(m, tc.n-m)
			sum += math.Ceil(float64(sep) / float64(tc.k/2))
		}
		l, _, _, _ := PathLength(g)
		if want := sum / float64(tc.n-1); math.Abs(l-want) > 1e-12 {
			t.Errorf("n %d k %d: path length %g, want %g", tc.n, tc.k, l, want)
		}
	}
}

// The rich-club coefficient of networkx's documented example: φ(0) = 0.4
// (networkx rich_club_coefficient docstring), φ(1) = 4 ties among the 4
// nodes of degree > 1, 8/12.
func TestRichClubExample(t *testing.T) {
	g := edgesGraph(6, [][2]int{{0, 1}, {0, 2}, {1, 2}, {1, 3}, {1, 4}, {4, 5}})
	rc, err := RichClubCoefficient(g, NullOptions{Random: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Phi) != 2 || math.Abs(rc.Phi[0]-0.4) > 1e-15 || math.Abs(rc.Phi[1]-8.0/12) > 1e-15 || rc.Members[0] != 6 || rc.Members[1] != 4 {
		t.Fatalf("rich club %+v", rc)
	}
}

// Degree-preserving references keep every degree (and connectivity when
// asked); the random ones reach the clustering and path length of random
// graphs with those degrees: the configuration model's
// C = (⟨k²⟩ − ⟨k⟩)²/(n⟨k⟩³) (Newman 2003, SIAM Rev 45:167, eq. 3.5 with
// Poisson-free degrees) and, for n = 500 regular graphs of degree 10, the
// path length of random regular graphs, ln(n)/ln(k − 1) + O(1) ≈ 3.0
// (Bollobás & Fernandez de la Vega 1982); a lattice reference of a
// random graph is far more clustered.
func TestReferences(t *testing.T) {
	g := ws(500, 10, 0.05, 1)
	a, _ := toAdj(g)
	for _, lattice := range []bool{false, true} {
		refs := a.references(3, 10, 7, 1, true, lattice)
		for _, r := range refs {
			for i := range a.n {
				if r.degree(i) != a.degree(i) {
					t.Fatalf("lattice %v: node %d degree %d, was %d", lattice, i, r.degree(i), a.degree(i))
				}
			}
			if !r.connected() {
				t.Fatalf("lattice %v: reference disconnected", lattice)
			}
		}
		if !lattice {
			var c, l float64
			for _, r := range refs {
				s, p, _ := r.distances()
				c += stat.Mean(r.clustering(), nil) / 3
				l += s / p / 3
			}
			k := 10.0
			want := (k*k - k) * (k*k - k) / (500 * k * k * k) // 0.0162
			if math.Abs(c-want) > 0.005 {
				t.Errorf("random references: clustering %g, configuration model %g", c, want)
			}
			if l < 2.8 || l > 3.2 {
				t.Errorf("random references: path length %g, want ≈ 3.0", l)
			}
		}
	}
}

// Watts-Strogatz graphs (n 300, k 10) run from lattice through small world
// to random: ω near −1, near 0 (within Telesford et al.'s small-world band
// −0.5..0.5) and near +1; σ ≫ 1 for the small world; the clustering
// follows C(p) ≈ C(0)(1 − p)³ (Barrat & Weigt 2000).
func TestSmallWorldWattsStrogatz(t *testing.T) {
	opt := NullOptions{Random: 5, Lattice: 5, Seed: 1}
	lat, err := SmallWorldness(ws(300, 10, 0, 2), opt)
	if err != nil {
		t.Fatal(err)
	}
	sw, _ := SmallWorldness(ws(300, 10, 0.1, 2), opt)
	rnd, _ := SmallWorldness(ws(300, 10, 1, 2), opt)
	t.Logf("lattice %+v\nsmall world %+v\nrandom %+v", lat, sw, rnd)
	if !(lat.Omega < -0.8) {
		t.Errorf("lattice ω %g, want < −0.8", lat.Omega)
	}
	if !(math.Abs(sw.Omega) < 0.5) || !(sw.Sigma > 5) {
		t.Errorf("small world ω %g, σ %g; want |ω| < 0.5, σ > 5", sw.Omega, sw.Sigma)
	}
	if !(rnd.Omega > 0.8) || math.Abs(rnd.Sigma-1) > 0.3 {
		t.Errorf("random ω %g, σ %g; want ω > 0.8, σ ≈ 1", rnd.Omega, rnd.Sigma)
	}
	c0 := 3.0 * 8 / (4 * 9)
	if want := c0 * math.Pow(0.9, 3); math.Abs(sw.C-want) > 0.04 {
		t.Errorf("small world C %g, Barrat-Weigt %g", sw.C, want)
	}
}

// A complete graph admits no swap: its references are itself, so σ = 1 and
// ω = 0 (up to the rounding of the means).
func TestSmallWorldComplete(t *testing.T) {
	var e [][2]int
	for i := range 8 {
		for j := i + 1; j < 8; j++ {
			e = append(e, [2]int{i, j})
		}
	}
	sw, err := SmallWorldness(edgesGraph(8, e), NullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(sw.Sigma-1) > 1e-12 || math.Abs(sw.Omega) > 1e-12 || sw.C != 1 || sw.L != 1 {
		t.Errorf("%+v", sw)
	}
}

// A planted rich club (8 hubs, fully linked, among 60 nodes of a sparse
// random graph) has ρ > 1 with a small p-value at the hubs' degrees; a
// random graph's ρ stays near 1.
func TestRichClubPlanted(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var e, r [][2]int
	for i := range 60 {
		for j := i + 1; j < 60; j++ {
			if i < 8 && j < 8 {
				e = append(e, [2]int{i, j})
			} else if i < 8 && rng.Float64() < 0.15 {
				e = append(e, [2]int{i, j})
			} else if rng.Float64() < 0.06 {
				e = append(e, [2]int{i, j})
			}
			if rng.Float64() < 0.1 {
				r = append(r, [2]int{i, j})
			}
		}
	}
	opt := NullOptions{Random: 50, Seed: 3}
	rc, err := RichClubCoefficient(edgesGraph(60, e), opt)
	if err != nil {
		t.Fatal(err)
	}
	// Hubs have degree ~7 + 0.15·52 ≈ 15, the others ~0.06·51 + 1.2 ≈ 4:
	// the club of the 8 hubs is fully linked where random wiring of the
	// same degrees links ~2/3 of its pairs (k_i k_j / 2E ≈ 225/340).
	k := slices.Index(rc.Members, 8)
	if k < 0 || !(rc.Rho[k] > 1.3) || rc.P[k] > 0.05 {
		t.Errorf("planted club: %+v", rc)
	}
	rr, _ := RichClubCoefficient(edgesGraph(60, r), opt)
	for i, rho := range rr.Rho {
		if rr.Members[i] >= 10 && math.Abs(rho-1) > 0.25 {
			t.Errorf("random graph k=%d (%d members): ρ %g", rr.K[i], rr.Members[i], rho)
		}
	}
}
