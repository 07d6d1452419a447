package connectivity

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/stat"
)

// Undirected returns the functional graph of n units: nodes 0..n−1 (every
// unit, linked or not) and an edge between i and j when link(i, j) or
// link(j, i), the usual symmetrisation of directed functional links for
// graph measures (e.g. MEA-NAP; Rubinov & Sporns 2010, NeuroImage 52:1059).
func Undirected(n int, link func(i, j int) bool) *simple.UndirectedGraph {
	g := simple.NewUndirectedGraph()
	for i := range n {
		g.AddNode(simple.Node(i))
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			if link(i, j) || link(j, i) {
				g.SetEdge(simple.Edge{F: simple.Node(i), T: simple.Node(j)})
			}
		}
	}
	return g
}

// adj is an undirected simple graph as rows of bitsets, for the measures
// and the rewiring of null models; node i is the i-th smallest ID.
type adj struct {
	n, words int
	row      []uint64 // n × words
	ids      []int64
}

func newAdj(n int) *adj {
	w := (n + 63) / 64
	return &adj{n: n, words: w, row: make([]uint64, n*w)}
}

// toAdj copies g, checking that it is simple.
func toAdj(g graph.Undirected) (*adj, error) {
	nodes := graph.NodesOf(g.Nodes())
	ids := make([]int64, len(nodes))
	for i, v := range nodes {
		ids[i] = v.ID()
	}
	slices.Sort(ids)
	a := newAdj(len(ids))
	a.ids = ids
	for i, id := range ids {
		for _, v := range graph.NodesOf(g.From(id)) {
			j, ok := slices.BinarySearch(ids, v.ID())
			if !ok || j == i {
				return nil, fmt.Errorf("connectivity: node %d has a self-loop or an edge to an unknown node", id)
			}
			a.set(i, j)
		}
	}
	return a, nil
}

func (a *adj) r(i int) []uint64 { return a.row[i*a.words : (i+1)*a.words] }
func (a *adj) has(i, j int) bool {
	return a.row[i*a.words+j/64]&(1<<(j%64)) != 0
}
func (a *adj) set(i, j int) {
	a.row[i*a.words+j/64] |= 1 << (j % 64)
	a.row[j*a.words+i/64] |= 1 << (i % 64)
}
func (a *adj) unset(i, j int) {
	a.row[i*a.words+j/64] &^= 1 << (j % 64)
	a.row[j*a.words+i/64] &^= 1 << (i % 64)
}
func (a *adj) degree(i int) int {
	d := 0
	for _, v := range a.r(i) {
		d += bits.OnesCount64(v)
	}
	return d
}

func (a *adj) clone() *adj {
	b := *a
	b.row = slices.Clone(a.row)
	return &b
}

// edges lists the edges i < j.
func (a *adj) edges() [][2]int32 {
	var e [][2]int32
	for i := range a.n {
		for j := i + 1; j < a.n; j++ {
			if a.has(i, j) {
				e = append(e, [2]int32{int32(i), int32(j)})
			}
		}
	}
	return e
}

// sub returns the subgraph induced by the nodes keep (ascending).
func (a *adj) sub(keep []int) *adj {
	b := newAdj(len(keep))
	b.ids = make([]int64, len(keep))
	for x, i := range keep {
		b.ids[x] = a.id(i)
		for y := x + 1; y < len(keep); y++ {
			if a.has(i, keep[y]) {
				b.set(x, y)
			}
		}
	}
	return b
}

func (a *adj) id(i int) int64 {
	if a.ids == nil {
		return int64(i)
	}
	return a.ids[i]
}

// clustering returns the local clustering coefficient of every node,
// 2T_i/(k_i(k_i − 1)) with T_i the triangles through i, 0 when k_i < 2
// (Watts & Strogatz 1998, Nature 393:440; as networkx's clustering).
func (a *adj) clustering() []float64 {
	c := make([]float64, a.n)
	for i := range a.n {
		ri := a.r(i)
		k, t := 0, 0
		for w, v := range ri {
			for v != 0 {
				j := w*64 + bits.TrailingZeros64(v)
				v &= v - 1
				k++
				for x, u := range a.r(j) {
					t += bits.OnesCount64(u & ri[x])
				}
			}
		}
		if k >= 2 {
			c[i] = float64(t) / float64(k*(k-1)) // each triangle counted twice
		}
	}
	return c
}

// bfs searches breadth-first from s over bitset frontiers and calls
// level(d, nodes) with the bitset of the nodes first reached at each
// distance d ≥ 1, until it returns false or no new node is reached.
func (a *adj) bfs(s int, level func(d int, nodes []uint64) bool) {
	seen := make([]uint64, a.words)
	front := make([]uint64, a.words)
	next := make([]uint64, a.words)
	seen[s/64] |= 1 << (s % 64)
	front[s/64] |= 1 << (s % 64)
	for d := 1; ; d++ {
		clear(next)
		for w, v := range front {
			for v != 0 {
				j := w*64 + bits.TrailingZeros64(v)
				v &= v - 1
				for x, u := range a.r(j) {
					next[x] |= u
				}
			}
		}
		any := false
		for x := range next {
			next[x] &^= seen[x]
			seen[x] |= next[x]
			any = any || next[x] != 0
		}
		if !any || !level(d, next) {
			return
		}
		front, next = next, front
	}
}

func popcount(b []uint64) int {
	k := 0
	for _, v := range b {
		k += bits.OnesCount64(v)
	}
	return k
}

// distances returns the sum of the shortest-path lengths between
// connected ordered pairs, their number, and the sum of inverse lengths
// over all ordered pairs.
func (a *adj) distances() (sum, pairs, inv float64) {
	for s := range a.n {
		a.bfs(s, func(d int, nodes []uint64) bool {
			k := float64(popcount(nodes))
			sum += float64(d) * k
			pairs += k
			inv += k / float64(d)
			return true
		})
	}
	return sum, pairs, inv
}

// components returns the connected components, largest first (ties by
// smallest node), each ascending.
func (a *adj) components() [][]int {
	comp := make([]int, a.n)
	for i := range comp {
		comp[i] = -1
	}
	var out [][]int
	for s := range a.n {
		if comp[s] >= 0 {
			continue
		}
		c := len(out)
		stack := []int{s}
		comp[s] = c
		members := []int{}
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			members = append(members, i)
			for w, v := range a.r(i) {
				for v != 0 {
					j := w*64 + bits.TrailingZeros64(v)
					v &= v - 1
					if comp[j] < 0 {
						comp[j] = c
						stack = append(stack, j)
					}
				}
			}
		}
		slices.Sort(members)
		out = append(out, members)
	}
	slices.SortStableFunc(out, func(x, y []int) int { return len(y) - len(x) })
	return out
}

// connected reports whether the graph is connected.
func (a *adj) connected() bool {
	if a.n == 0 {
		return true
	}
	count := 1
	a.bfs(0, func(_ int, nodes []uint64) bool { count += popcount(nodes); return true })
	return count == a.n
}

// Clustering returns the mean local clustering coefficient of g (nodes of
// degree < 2 count as 0, as in networkx's average_clustering; Watts &
// Strogatz 1998) and each node's coefficient, by node ID.
func Clustering(g graph.Undirected) (float64, map[int64]float64, error) {
	a, err := toAdj(g)
	if err != nil {
		return 0, nil, err
	}
	if a.n == 0 {
		return math.NaN(), nil, nil
	}
	c := a.clustering()
	m := make(map[int64]float64, a.n)
	for i, v := range c {
		m[a.ids[i]] = v
	}
	return stat.Mean(c, nil), m, nil
}

// PathLength returns the characteristic path length of g, the mean
// shortest-path length over ordered pairs of distinct nodes of its largest
// connected component (Watts & Strogatz 1998), that component's size, and
// the global efficiency of the whole graph, the mean of 1/d over all
// ordered pairs with 1/∞ = 0 (Latora & Marchiori 2001, PRL 87:198701).
func PathLength(g graph.Undirected) (l float64, component int, efficiency float64, err error) {
	a, err := toAdj(g)
	if err != nil {
		return 0, 0, 0, err
	}
	if a.n < 2 {
		return math.NaN(), a.n, math.NaN(), nil
	}
	_, _, inv := a.distances()
	efficiency = inv / float64(a.n*(a.n-1))
	c := a.components()[0]
	if len(c) < 2 {
		return math.NaN(), len(c), efficiency, nil
	}
	s, p, _ := a.sub(c).distances()
	return s / p, len(c), efficiency, nil
}
