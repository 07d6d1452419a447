package culture

import (
	"math"
	"testing"
)

// TestCountsFractionsAboveOne: Validate accepts fractions summing to 1 within
// 1e-6, so for N >= 10^6 the floors f·N alone can exceed N. The counts must
// still sum to N and each stay within 1 of its (normalised) share.
func TestCountsFractionsAboveOne(t *testing.T) {
	const n = 10_000_000
	shares := []Share{{Fraction: 0.5000004}, {Fraction: 0.5000004}} // sum 1 + 8e-7
	checkCounts(t, n, shares, counts(n, shares))
}

func checkCounts(t *testing.T, n int, shares []Share, got []int) {
	t.Helper()
	total, sum := 0, 0.0
	var fr []float64
	for _, sh := range shares {
		sum += sh.Fraction
		fr = append(fr, sh.Fraction)
	}
	for k, c := range got {
		total += c
		if want := shares[k].Fraction / sum * float64(n); math.Abs(float64(c)-want) >= 1 {
			t.Errorf("N %d, fractions %v: type %d gets %d, share %g", n, fr, k, c, want)
		}
	}
	if total != n {
		t.Errorf("N %d, fractions %v: counts %v sum to %d", n, fr, got, total)
	}
}

// FuzzCounts: largest-remainder counts sum to N and each is within 1 of
// f·N, for any fractions that pass Validate's sum check.
func FuzzCounts(f *testing.F) {
	f.Add(uint32(1000), 0.64, 0.08, 0.08, 0.16)
	f.Add(uint32(999), 0.25, 0.25, 0.25, 0.25)
	f.Add(uint32(7), 0.5, 0.5, 0.0, 0.0)
	f.Add(uint32(1<<30), 0.1, 0.2, 0.3, 0.4)
	f.Fuzz(func(t *testing.T, n uint32, a, b, c, d float64) {
		if n == 0 || n > MaxNeurons {
			return
		}
		var shares []Share
		sum := 0.0
		for _, x := range []float64{a, b, c, d} {
			if !(x >= 0 && x <= 1) {
				return
			}
			shares = append(shares, Share{Fraction: x})
			sum += x
		}
		if math.Abs(sum-1) > 1e-6 {
			return
		}
		checkCounts(t, int(n), shares, counts(int(n), shares))
	})
}

// TestGridOrder: within each model, neurons are ordered by grid cell (the
// package doc's promise that targets lie close in memory).
func TestGridOrder(t *testing.T) {
	s := Default()
	s.N = 3000
	s.Thickness = 700 // a 3-D box: cells ordered by (z, y, x)
	c, err := Build(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := newGrid(s, c.X, c.Y, c.Z)
	if g.nz < 2 {
		t.Fatalf("grid has %d layers, want a 3-D grid", g.nz)
	}
	for i := 1; i < c.N(); i++ {
		if i == c.NIzh {
			continue
		}
		if a, b := g.cellOf(c.X[i-1], c.Y[i-1], c.Z[i-1]), g.cellOf(c.X[i], c.Y[i], c.Z[i]); a > b {
			t.Fatalf("neuron %d in cell %d after neuron %d in cell %d", i, b, i-1, a)
		}
	}
}

// TestGridCells: a huge sparse substrate gets larger cells (at most 4N + 64
// of them) that still cover the cutoff.
func TestGridCells(t *testing.T) {
	s := Default()
	s.N, s.Width, s.Height = 100, 1e6, 1e6
	g := newGrid(s, nil, nil, nil)
	if cells := g.nx * g.ny * g.nz; cells > 4*s.N+64 {
		t.Errorf("%d cells for %d neurons", cells, s.N)
	}
	if float64(g.span)*g.side < s.Cutoff {
		t.Errorf("span %d × side %g µm < cutoff %g µm", g.span, g.side, s.Cutoff)
	}
}
