package mea

import (
	"math"
	"slices"
)

// Map links a set of electrodes to the neurons within a radius of each: the
// neurons of electrode Electrodes[k] are Neuron[Start[k]:Start[k+1]],
// ascending, at distances Dist (µm, in 3-D with the electrodes at z = 0;
// strictly less than Radius).
type Map struct {
	Radius     float64
	Electrodes []int32
	Start      []int64
	Neuron     []int32
	Dist       []float32
}

// NewMap maps the electrodes (of l) to the neurons at x, y, z within
// radius r. It bins the electrodes in square cells of side >= r, so each
// neuron is tested against the electrodes of the 3 × 3 cells around it:
// O(N + E + pairs) whatever the number of electrodes, and electrodes far
// from every neuron cost nothing.
func NewMap(l *Layout, electrodes []int32, x, y, z []float32, r float64) *Map {
	if len(x) != len(y) || len(x) != len(z) {
		panic("mea: NewMap: position slices differ in length")
	}
	m := &Map{Radius: r, Electrodes: slices.Clone(electrodes), Start: make([]int64, len(electrodes)+1)}
	if len(electrodes) == 0 || !(r > 0) {
		return m
	}
	ex, ey := make([]float64, len(electrodes)), make([]float64, len(electrodes))
	for k, e := range electrodes {
		ex[k], ey[k] = l.X[e], l.Y[e]
	}
	x0, x1 := slices.Min(ex), slices.Max(ex)
	y0, y1 := slices.Min(ey), slices.Max(ey)
	// Cells of side r, made larger if that would be many more cells than
	// electrodes (a few electrodes far apart).
	side := r
	for (math.Floor((x1-x0)/side)+1)*(math.Floor((y1-y0)/side)+1) > float64(4*len(electrodes)+64) {
		side *= 1.5
	}
	nx, ny := int((x1-x0)/side)+1, int((y1-y0)/side)+1
	cell := func(v, v0 float64, n int) int { return min(max(int(math.Floor((v-v0)/side)), 0), n-1) }
	start := make([]int32, nx*ny+1)
	for k := range electrodes {
		start[cell(ey[k], y0, ny)*nx+cell(ex[k], x0, nx)+1]++
	}
	for c := range nx * ny {
		start[c+1] += start[c]
	}
	bin := make([]int32, len(electrodes)) // electrode slots by cell
	fill := slices.Clone(start[:nx*ny])
	for k := range electrodes {
		c := cell(ey[k], y0, ny)*nx + cell(ex[k], x0, nx)
		bin[fill[c]] = int32(k)
		fill[c]++
	}

	// Pairs in neuron order, then a counting sort by electrode keeps each
	// electrode's neurons ascending.
	type pair struct {
		k int32
		i int32
		d float32
	}
	var pairs []pair
	r2 := r * r
	for i := range x {
		px, py, pz := float64(x[i]), float64(y[i]), float64(z[i])
		if px < x0-r || px > x1+r || py < y0-r || py > y1+r || math.Abs(pz) >= r {
			continue
		}
		cx, cy := cell(px, x0, nx), cell(py, y0, ny)
		for gy := max(cy-1, 0); gy <= min(cy+1, ny-1); gy++ {
			for gx := max(cx-1, 0); gx <= min(cx+1, nx-1); gx++ {
				c := gy*nx + gx
				for _, k := range bin[start[c]:start[c+1]] {
					dx, dy := px-ex[k], py-ey[k]
					if d2 := dx*dx + dy*dy + pz*pz; d2 < r2 {
						pairs = append(pairs, pair{k, int32(i), float32(math.Sqrt(d2))})
					}
				}
			}
		}
	}
	for _, p := range pairs {
		m.Start[p.k+1]++
	}
	for k := range electrodes {
		m.Start[k+1] += m.Start[k]
	}
	m.Neuron, m.Dist = make([]int32, len(pairs)), make([]float32, len(pairs))
	pos := slices.Clone(m.Start[:len(electrodes)])
	for _, p := range pairs {
		m.Neuron[pos[p.k]], m.Dist[pos[p.k]] = p.i, p.d
		pos[p.k]++
	}
	return m
}

// Neurons returns the neurons of the k-th electrode of the map and their
// distances.
func (m *Map) Neurons(k int) ([]int32, []float32) {
	return m.Neuron[m.Start[k]:m.Start[k+1]], m.Dist[m.Start[k]:m.Start[k+1]]
}

// byNeuron is a map transposed: the electrode slots of neuron i are
// slot[start[i]:start[i+1]] (ascending), with a value per pair.
type byNeuron struct {
	start []int64
	slot  []int32
	val   []float32
}

// transpose returns the map by neuron for n neurons, with f(distance) as
// each pair's value.
func (m *Map) transpose(n int, f func(d float64) float64) byNeuron {
	t := byNeuron{start: make([]int64, n+1), slot: make([]int32, len(m.Neuron)), val: make([]float32, len(m.Neuron))}
	for _, i := range m.Neuron {
		t.start[i+1]++
	}
	for i := range n {
		t.start[i+1] += t.start[i]
	}
	pos := slices.Clone(t.start[:n])
	for k := range m.Electrodes {
		for p := m.Start[k]; p < m.Start[k+1]; p++ {
			i := m.Neuron[p]
			t.slot[pos[i]], t.val[pos[i]] = int32(k), float32(f(float64(m.Dist[p])))
			pos[i]++
		}
	}
	return t
}
