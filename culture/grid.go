package culture

import "math"

// grid bins neurons into cubic cells of side cutoff/2 for neighbour search;
// a neuron's neighbours within the cutoff lie in the 5 × 5 (× 5) cells
// around its own.
type grid struct {
	side       float64
	nx, ny, nz int
	span       int     // cells searched on each side
	start      []int32 // neurons of cell k: cells[start[k]:start[k+1]]
	cells      []int32
}

func newGrid(s Spec, x, y, z []float32) *grid {
	side := s.Cutoff / 2
	// Keep the number of cells within a few per neuron for huge sparse
	// substrates.
	maxCells := float64(4*len(x) + 64)
	for {
		cells := math.Ceil(s.Width/side) * math.Ceil(s.Height/side) * math.Max(1, math.Ceil(s.Thickness/side))
		if cells <= maxCells {
			break
		}
		side *= 1.5
	}
	g := &grid{side: side, span: int(math.Ceil(s.Cutoff / side))}
	g.nx = max(1, int(math.Ceil(s.Width/side)))
	g.ny = max(1, int(math.Ceil(s.Height/side)))
	g.nz = max(1, int(math.Ceil(s.Thickness/side)))
	return g
}

func (g *grid) coord(v float32, n int) int {
	c := int(float64(v) / g.side)
	return min(max(c, 0), n-1)
}

// cellOf returns the row-major (z, y, x) index of the cell holding a point.
func (g *grid) cellOf(x, y, z float32) int {
	return (g.coord(z, g.nz)*g.ny+g.coord(y, g.ny))*g.nx + g.coord(x, g.nx)
}

// fill bins the (already cell-ordered) neurons.
func (g *grid) fill(x, y, z []float32) {
	nc := g.nx * g.ny * g.nz
	g.start = make([]int32, nc+1)
	for i := range x {
		g.start[g.cellOf(x[i], y[i], z[i])+1]++
	}
	for k := range nc {
		g.start[k+1] += g.start[k]
	}
	g.cells = make([]int32, len(x))
	fill := make([]int32, nc)
	copy(fill, g.start[:nc])
	for i := range x {
		k := g.cellOf(x[i], y[i], z[i])
		g.cells[fill[k]] = int32(i)
		fill[k]++
	}
}

// neighbours calls f with the neurons of each cell near a point, in a fixed
// order.
func (g *grid) neighbours(x, y, z float32, f func(cell []int32)) {
	cx, cy, cz := g.coord(x, g.nx), g.coord(y, g.ny), g.coord(z, g.nz)
	for kz := max(0, cz-g.span); kz <= min(g.nz-1, cz+g.span); kz++ {
		for ky := max(0, cy-g.span); ky <= min(g.ny-1, cy+g.span); ky++ {
			row := (kz*g.ny + ky) * g.nx
			lo, hi := row+max(0, cx-g.span), row+min(g.nx-1, cx+g.span)
			f(g.cells[g.start[lo]:g.start[hi+1]])
		}
	}
}
