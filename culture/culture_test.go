package culture_test

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/models"
)

// Statistical tests fail when a statistic is more than zMax standard errors
// from its expectation. All seeds are fixed, so the tests are deterministic;
// 5 SE makes a false alarm (two-sided, normal) a 6e-7 event for any seed.
const zMax = 5

// bl1Density is BL-1's default density: 10,000 neurons on 3 × 3 mm
// (BL-1 spec §4.1, §4.3), in neurons per µm².
const bl1Density = 10000.0 / (3000 * 3000)

// atDensity returns the default spec with n neurons on a square substrate
// of BL-1's default density.
func atDensity(n int) culture.Spec {
	s := culture.Default()
	s.N = n
	s.Width = math.Sqrt(float64(n) / bl1Density)
	s.Height = s.Width
	return s
}

func build(t testing.TB, s culture.Spec) *culture.Culture {
	t.Helper()
	c, err := culture.Build(s, 0)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	checkStructure(t, c)
	return c
}

func builtin(t testing.TB, name string) models.Type {
	t.Helper()
	ty, ok := models.Builtin(name)
	if !ok {
		t.Fatalf("no built-in type %s", name)
	}
	return ty
}

// dist2 is the squared distance between neurons i and j computed exactly as
// the builder computes it (float64 differences of the float32 positions),
// so that comparisons with cutoff² agree bit for bit.
func dist2(c *culture.Culture, i, j int) float64 {
	dx := float64(c.X[i]) - float64(c.X[j])
	dy := float64(c.Y[i]) - float64(c.Y[j])
	dz := float64(c.Z[i]) - float64(c.Z[j])
	return dx*dx + dy*dy + dz*dz
}

// prob is the connection probability of a pair at squared distance d2
// (package doc: p(d) = p_max e^(-d/λ) for d <= cutoff, 0 beyond).
func prob(s culture.Spec, d2 float64) float64 {
	if d2 > s.Cutoff*s.Cutoff {
		return 0
	}
	return s.PMax * math.Exp(-math.Sqrt(d2)/s.Lambda)
}

// checkStructure checks the invariants every culture must satisfy (package
// doc and the Culture field comments).
func checkStructure(t testing.TB, c *culture.Culture) {
	t.Helper()
	s := c.Spec
	n := c.N()
	if n != s.N {
		t.Fatalf("N() = %d, spec says %d", n, s.N)
	}
	for name, l := range map[string]int{"Y": len(c.Y), "Z": len(c.Z), "Type": len(c.Type), "Excitatory": len(c.Excitatory)} {
		if l != n {
			t.Fatalf("len(%s) = %d, want %d", name, l, n)
		}
	}
	// Positions inside the substrate (float32 rounding may land on the far
	// side exactly, hence <=).
	for i := range n {
		x, y, z := float64(c.X[i]), float64(c.Y[i]), float64(c.Z[i])
		if !(x >= 0 && x <= s.Width && y >= 0 && y <= s.Height && z >= 0 && z <= s.Thickness) {
			t.Fatalf("neuron %d at (%g, %g, %g) outside %g × %g × %g", i, x, y, z, s.Width, s.Height, s.Thickness)
		}
	}
	// Types, Dale flags, and the model ordering: Izhikevich first.
	if len(c.Types) != len(s.Types) {
		t.Fatalf("len(Types) = %d, spec has %d", len(c.Types), len(s.Types))
	}
	for i := range n {
		ty := c.Types[c.Type[i]]
		if c.Excitatory[i] != ty.Excitatory {
			t.Fatalf("neuron %d (%s): Excitatory = %v, type says %v", i, ty.Name, c.Excitatory[i], ty.Excitatory)
		}
		if izh := ty.Kind == models.KindIzhikevich; izh != (i < c.NIzh) {
			t.Fatalf("neuron %d (%s, %v) on the wrong side of NIzh = %d", i, ty.Name, ty.Kind, c.NIzh)
		}
	}
	// CSR.
	if len(c.RowPtr) != n+1 || c.RowPtr[0] != 0 || c.RowPtr[n] != int64(len(c.Post)) {
		t.Fatalf("RowPtr: len %d (want %d), first %d, last %d (want %d)",
			len(c.RowPtr), n+1, c.RowPtr[0], c.RowPtr[len(c.RowPtr)-1], len(c.Post))
	}
	if len(c.Weight) != len(c.Post) || len(c.DelayMs) != len(c.Post) || c.NSynapses() != len(c.Post) {
		t.Fatalf("len(Post) %d, len(Weight) %d, len(DelayMs) %d, NSynapses %d",
			len(c.Post), len(c.Weight), len(c.DelayMs), c.NSynapses())
	}
	r2 := s.Cutoff * s.Cutoff
	for j := range n {
		lo, hi := c.RowPtr[j], c.RowPtr[j+1]
		if hi < lo {
			t.Fatalf("RowPtr decreases at row %d: %d > %d", j, lo, hi)
		}
		for k := lo; k < hi; k++ {
			i := int(c.Post[k])
			switch {
			case i < 0 || i >= n:
				t.Fatalf("synapse %d of row %d: post %d outside [0, %d)", k, j, i, n)
			case i == j:
				t.Fatalf("autapse on neuron %d", j)
			case k > lo && c.Post[k-1] >= c.Post[k]:
				t.Fatalf("row %d: posts not strictly ascending (%d then %d)", j, c.Post[k-1], c.Post[k])
			case !(c.Weight[k] >= 0) || math.IsInf(float64(c.Weight[k]), 0):
				t.Fatalf("synapse %d -> %d: weight %g", j, i, c.Weight[k])
			case dist2(c, i, j) > r2:
				t.Fatalf("synapse %d -> %d at %g µm, beyond the %g µm cutoff", j, i, c.Distance(i, j), s.Cutoff)
			}
			// Delay = d / v (package doc), computed in float64 and rounded once.
			if want := float32(c.Distance(i, j) / s.Velocity); c.DelayMs[k] != want {
				t.Fatalf("synapse %d -> %d: delay %g ms, want d/v = %g ms", j, i, c.DelayMs[k], want)
			}
		}
	}
}

// inDegrees counts the synapses onto each neuron.
func inDegrees(c *culture.Culture) []int {
	in := make([]int, c.N())
	for _, i := range c.Post {
		in[i]++
	}
	return in
}

// interior returns the neurons farther than the cutoff from every face of
// the substrate, and the fraction q of the substrate they occupy.
func interior(c *culture.Culture) (idx []int, q float64) {
	s := c.Spec
	R := s.Cutoff
	inside := func(v float32, side float64) bool { return float64(v) > R && float64(v) < side-R }
	for i := range c.N() {
		if inside(c.X[i], s.Width) && inside(c.Y[i], s.Height) && (s.Thickness == 0 || inside(c.Z[i], s.Thickness)) {
			idx = append(idx, i)
		}
	}
	q = (s.Width - 2*R) / s.Width * (s.Height - 2*R) / s.Height
	if s.Thickness > 0 {
		q *= (s.Thickness - 2*R) / s.Thickness
	}
	return idx, q
}

// expectedGivenPositions returns, for each neuron of idx, the sum over all
// other neurons of p(d) and of p(d)(1 - p(d)): the mean and variance of its
// in-degree (and out-degree, p being symmetric) given the positions. It is
// a brute-force sweep over neurons sorted by x, independent of the
// builder's grid.
func expectedGivenPositions(c *culture.Culture, idx []int) (mean, variance []float64) {
	s := c.Spec
	byX := make([]int, c.N())
	for i := range byX {
		byX[i] = i
	}
	sort.Slice(byX, func(a, b int) bool { return c.X[byX[a]] < c.X[byX[b]] })
	xs := make([]float64, len(byX))
	for k, i := range byX {
		xs[k] = float64(c.X[i])
	}
	mean, variance = make([]float64, len(idx)), make([]float64, len(idx))
	for a, i := range idx {
		x := float64(c.X[i])
		lo := sort.SearchFloat64s(xs, x-s.Cutoff-1)
		for k := lo; k < len(xs) && xs[k] <= x+s.Cutoff+1; k++ {
			j := byX[k]
			if j == i {
				continue
			}
			p := prob(s, dist2(c, i, j))
			mean[a] += p
			variance[a] += p * (1 - p)
		}
	}
	return mean, variance
}

// TestExpectedDegreeFormula checks Spec.ExpectedDegree against a numerical
// quadrature of ρ ∫ p(r) dA over the disc (2-D) or ball (3-D) of radius
// cutoff (composite Simpson rule, 2000 intervals).
func TestExpectedDegreeFormula(t *testing.T) {
	simpson := func(f func(r float64) float64, b float64) float64 {
		const m = 2000
		h := b / m
		sum := f(0) + f(b)
		for k := 1; k < m; k++ {
			w := 2.0
			if k%2 == 1 {
				w = 4
			}
			sum += w * f(float64(k)*h)
		}
		return sum * h / 3
	}
	flat := culture.Default()
	slab := culture.Default()
	slab.Thickness = 1500
	huge := culture.Default()
	huge.Cutoff = 1e5 // cutoff -> ∞: k -> 2π ρ p_max λ² (BL-1 spec §4.2)
	for _, tc := range []struct {
		name string
		s    culture.Spec
	}{{"2-D default", flat}, {"3-D slab", slab}, {"2-D no cutoff", huge}} {
		s := tc.s
		p := func(r float64) float64 { return s.PMax * math.Exp(-r/s.Lambda) }
		var want float64
		if s.Thickness > 0 {
			rho := float64(s.N) / (s.Width * s.Height * s.Thickness)
			want = rho * simpson(func(r float64) float64 { return 4 * math.Pi * r * r * p(r) }, s.Cutoff)
		} else {
			rho := float64(s.N) / (s.Width * s.Height)
			want = rho * simpson(func(r float64) float64 { return 2 * math.Pi * r * p(r) }, min(s.Cutoff, 50*s.Lambda))
		}
		if got := s.ExpectedDegree(); math.Abs(got-want) > 1e-7*want { // Simpson error ~ (h/λ)⁴/180
			t.Errorf("%s: ExpectedDegree = %.12g, quadrature gives %.12g", tc.name, got, want)
		}
	}
	// BL-1 spec §4.2: "expected out-degree in an infinite plane 2π p_max λ² ρ",
	// N 5000 on 3 × 3 mm -> 29.
	huge.N = 5000
	if got := huge.ExpectedDegree(); math.Round(got) != 29 {
		t.Errorf("N 5000 without cutoff: ExpectedDegree = %.2f, BL-1 spec §4.2 says 29", got)
	}
}

// TestDegree compares the in- and out-degrees of neurons farther than the
// cutoff from every face with the analytic expectation, in BL-1's default
// flat culture and in a 3-D slab.
//
// Two statistics are tested. (1) The wiring: the total degree of the
// interior neurons against the sum of p(d) over their actual neighbours, a
// sum of independent Bernoulli trials whose variance Σ p(1 - p) is known
// exactly. (2) The analytic formula: the mean degree against
// Spec.ExpectedDegree · (N - 1)/N (each neuron sees N - 1 others). Its
// standard error has two parts: the Poisson part k/M of M interior
// degrees, and the binomial fluctuation of the number of neurons in and
// around the interior region, which scales every interior degree together:
// by the delta method its variance is Var(φ(X)) k²/(q² N), with φ <= 1 the
// kernel-weighted share of the interior seen from a uniform point X and
// q = E φ the interior fraction, so at most k² (1 - q)/(q N). This second
// part dominates (0.6 against 0.11 for the default culture): a tolerance of
// 5 Poisson SEs alone would be 1 true SE.
func TestDegree(t *testing.T) {
	slab := culture.Default()
	// A slab thicker than twice the cutoff so that some neurons are far from
	// both faces; λ and the cutoff halved from BL-1's (§4.2) to keep the box
	// small, 30,000 neurons for ~45 synapses per neuron.
	slab.N = 30000
	slab.Width, slab.Height, slab.Thickness = 1500, 1500, 900
	slab.Lambda, slab.Cutoff = 100, 300
	for _, tc := range []struct {
		name string
		s    culture.Spec
	}{
		{"2-D BL-1 default", culture.Default()},
		{"3-D slab", slab},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := build(t, tc.s)
			s := c.Spec
			idx, q := interior(c)
			M := float64(len(idx))
			mean, variance := expectedGivenPositions(c, idx)
			in := inDegrees(c)
			var sumIn, sumOut, sumMean, sumVar float64
			for a, i := range idx {
				sumIn += float64(in[i])
				sumOut += float64(c.RowPtr[i+1] - c.RowPtr[i])
				sumMean += mean[a]
				sumVar += variance[a]
			}
			// (1) Wiring given the positions.
			for _, d := range []struct {
				name string
				sum  float64
			}{{"in", sumIn}, {"out", sumOut}} {
				z := (d.sum - sumMean) / math.Sqrt(sumVar)
				t.Logf("%s-degree of %d interior neurons: %.0f synapses, Σp = %.1f, z = %+.2f", d.name, len(idx), d.sum, sumMean, z)
				if math.Abs(z) > zMax {
					t.Errorf("%s-degree: total %.0f, expected %.1f given the positions (z = %.2f)", d.name, d.sum, sumMean, z)
				}
			}
			// (2) The analytic expectation.
			k := s.ExpectedDegree() * float64(s.N-1) / float64(s.N)
			se := math.Sqrt(k/M + k*k*(1-q)/(q*float64(s.N)))
			t.Logf("analytic k = %.3f; mean Σp given positions %.3f; mean in %.3f, out %.3f; SE %.3f (M = %d, q = %.3f)",
				k, sumMean/M, sumIn/M, sumOut/M, se, len(idx), q)
			for _, d := range []struct {
				name string
				mean float64
			}{{"in", sumIn / M}, {"out", sumOut / M}} {
				if z := (d.mean - k) / se; math.Abs(z) > zMax {
					t.Errorf("mean %s-degree %.3f, analytic %.3f ± %.3f (z = %.2f)", d.name, d.mean, k, se, z)
				}
			}
		})
	}
}

// histogram bins every ordered pair (pre j, post i), i ≠ j, by distance,
// brute force, and compares the connected share of each bin with
// p_max e^(-d/λ). Given the positions the pairs are independent Bernoulli
// trials, so each bin's count has mean Σ p and variance Σ p(1 - p), and the
// sum of the squared z-scores is χ² with as many degrees of freedom as bins.
func histogram(t *testing.T, c *culture.Culture, binUm float64) {
	s := c.Spec
	n := c.N()
	nb := int(math.Ceil(s.Cutoff / binUm))
	pairs := make([]int, nb)
	conn := make([]int, nb)
	mean := make([]float64, nb)
	variance := make([]float64, nb)
	var beyondPairs, beyondConn int
	// The same statistic against p with λ 10 % too long, to show the test
	// has the power to see such an error.
	wrong := s
	wrong.Lambda *= 1.1
	altMean := make([]float64, nb)
	altVar := make([]float64, nb)
	r2 := s.Cutoff * s.Cutoff
	connected := make([]bool, n)
	for j := range n {
		row := c.Post[c.RowPtr[j]:c.RowPtr[j+1]]
		for _, i := range row {
			connected[i] = true
		}
		for i := range n {
			if i == j {
				continue
			}
			d2 := dist2(c, i, j)
			if d2 > r2 {
				beyondPairs++
				if connected[i] {
					beyondConn++
				}
				continue
			}
			b := min(int(math.Sqrt(d2)/binUm), nb-1)
			pairs[b]++
			p := prob(s, d2)
			mean[b] += p
			variance[b] += p * (1 - p)
			pa := prob(wrong, d2)
			altMean[b] += pa
			altVar[b] += pa * (1 - pa)
			if connected[i] {
				conn[b]++
			}
		}
		for _, i := range row {
			connected[i] = false
		}
	}
	if beyondConn != 0 {
		t.Errorf("%d synapses among the %d pairs beyond the %g µm cutoff", beyondConn, beyondPairs, s.Cutoff)
	}
	chi2, alt, dof := 0.0, 0.0, 0
	for b := range nb {
		if variance[b] == 0 {
			continue
		}
		z := (float64(conn[b]) - mean[b]) / math.Sqrt(variance[b])
		chi2 += z * z
		za := (float64(conn[b]) - altMean[b]) / math.Sqrt(altVar[b])
		alt += za * za
		dof++
		d := (float64(b) + 0.5) * binUm
		t.Logf("d %4.0f-%4.0f µm: %6d/%8d = %.4f, p_max e^(-d/λ) at the centre %.4f, z %+.2f",
			float64(b)*binUm, float64(b+1)*binUm, conn[b], pairs[b], float64(conn[b])/float64(pairs[b]),
			s.PMax*math.Exp(-d/s.Lambda), z)
		if math.Abs(z) > zMax {
			t.Errorf("bin %.0f-%.0f µm: %d synapses, expected %.1f (z = %.2f)", float64(b)*binUm, float64(b+1)*binUm, conn[b], mean[b], z)
		}
	}
	crit := chi2Quantile(dof, 3.719) // upper 1e-4 point (z = 3.719)
	t.Logf("χ² = %.1f with %d degrees of freedom (1e-4 critical value %.1f); %d pairs beyond the cutoff, none connected",
		chi2, dof, crit, beyondPairs)
	if chi2 > crit {
		t.Errorf("χ² = %.1f > %.1f (%d dof): connection probability does not follow p_max e^(-d/λ)", chi2, crit, dof)
	}
	t.Logf("against λ × 1.1: χ² = %.1f", alt)
	if alt <= crit {
		t.Errorf("χ² against λ × 1.1 is %.1f <= %.1f: the test cannot see a 10 %% error in λ", alt, crit)
	}
}

// chi2Quantile is the Wilson–Hilferty (1931) approximation of the χ²
// quantile with k degrees of freedom at the standard normal quantile z.
func chi2Quantile(k int, z float64) float64 {
	v := 2 / (9 * float64(k))
	return float64(k) * math.Pow(1-v+z*math.Sqrt(v), 3)
}

// TestDistanceHistogram checks p(d) bin by bin, for a few thousand neurons
// (all ~10^7 ordered pairs, brute force).
func TestDistanceHistogram(t *testing.T) {
	slab := culture.Default()
	slab.N = 3000
	slab.Width, slab.Height, slab.Thickness = 1000, 1000, 400
	// p_max = 1 exercises the builder's path without geometric skipping.
	dense := culture.Default()
	dense.N = 1000
	dense.Width, dense.Height = 1000, 1000
	dense.PMax = 1
	for _, tc := range []struct {
		name string
		s    culture.Spec
	}{
		{"2-D BL-1 density", atDensity(3000)},
		{"3-D slab", slab},
		{"p_max 1", dense},
	} {
		t.Run(tc.name, func(t *testing.T) {
			histogram(t, build(t, tc.s), 20) // 20 µm bins: 30 bins up to the 600 µm cutoff
		})
	}
}

// TestNeighbourSearch checks that the grid finds every pair within the
// cutoff and no other: with p_max = 1 and λ = 1e300 µm, e^(-d/λ) rounds to
// 1 and every pair within the cutoff must be connected. The geometries
// cover a substrate that is not a whole number of cells, a huge sparse
// substrate (where the builder enlarges its cells), thin and thick slabs,
// and a cutoff larger than the substrate.
func TestNeighbourSearch(t *testing.T) {
	spec := func(n int, w, h, th, cutoff float64) culture.Spec {
		s := culture.Default()
		s.N, s.Width, s.Height, s.Thickness, s.Cutoff = n, w, h, th, cutoff
		s.PMax, s.Lambda = 1, 1e300
		return s
	}
	for _, tc := range []struct {
		name string
		s    culture.Spec
	}{
		{"plane", spec(1500, 3000, 3000, 0, 600)},
		{"odd substrate", spec(1500, 1234.5, 2777.7, 0, 333.3)},
		{"sparse huge substrate", spec(300, 1e5, 1e5, 0, 4000)},
		{"thin slab", spec(1500, 2000, 2000, 100, 500)},
		{"thick slab", spec(1500, 1200, 1200, 1200, 300)},
		{"cutoff beyond substrate", spec(300, 400, 300, 200, 600)},
		{"single neuron", spec(1, 3000, 3000, 0, 600)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := build(t, tc.s)
			r2 := tc.s.Cutoff * tc.s.Cutoff
			var want []int32
			for j := range c.N() {
				want = want[:0]
				for i := range c.N() {
					if i != j && dist2(c, i, j) <= r2 {
						want = append(want, int32(i))
					}
				}
				if got := c.Post[c.RowPtr[j]:c.RowPtr[j+1]]; !slices.Equal(got, want) {
					t.Fatalf("row %d: %d targets, %d pairs within the cutoff", j, len(got), len(want))
				}
			}
			t.Logf("%d synapses = all pairs within the cutoff", c.NSynapses())
		})
	}
}

// TestTypeCounts checks exact type counts by largest-remainder rounding.
func TestTypeCounts(t *testing.T) {
	def := culture.Default().Types
	share := func(fr ...float64) []culture.Share {
		names := []string{"RS", "FS", "IB", "LTS"}
		var sh []culture.Share
		for k, f := range fr {
			sh = append(sh, culture.Share{Type: builtin(t, names[k]), Fraction: f})
		}
		return sh
	}
	for _, tc := range []struct {
		name  string
		n     int
		types []culture.Share
		want  []int // computed by hand: floor(f·N), then +1 by largest remainder (ties to the earlier type)
	}{
		{"BL-1 default, N 1000", 1000, def, []int{640, 80, 80, 160, 40}},
		{"BL-1 default, N 10000", 10000, def, []int{6400, 800, 800, 1600, 400}},
		// 639.36, 79.92, 79.92, 159.84, 39.96: four units go to LTS, IB, CH, FS.
		{"BL-1 default, N 999", 999, def, []int{639, 80, 80, 160, 40}},
		// 0.64, 0.08, 0.08, 0.16, 0.04: RS has the largest remainder.
		{"BL-1 default, N 1", 1, def, []int{1, 0, 0, 0, 0}},
		{"thirds, N 100", 100, share(1.0/3, 1.0/3, 1.0/3), []int{34, 33, 33}},
		{"halves, N 7", 7, share(0.5, 0.5), []int{4, 3}},
		// 0.29·100 = 28.999999999999996 in float64: rounding must still give 29.
		{"0.29/0.71, N 100", 100, share(0.29, 0.71), []int{29, 71}},
		{"zero share, N 50", 50, share(0, 0.75, 0.25), []int{0, 38, 12}},
		{"N 13", 13, share(0.1, 0.2, 0.3, 0.4), []int{1, 3, 4, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := culture.Default()
			s.N, s.Types, s.PMax = tc.n, tc.types, 0
			c := build(t, s)
			if got := c.Counts(); !slices.Equal(got, tc.want) {
				t.Errorf("Counts() = %v, want %v", got, tc.want)
			}
			nExc := 0
			for k, cnt := range tc.want {
				if tc.types[k].Type.Excitatory {
					nExc += cnt
				}
			}
			got := 0
			for _, e := range c.Excitatory {
				if e {
					got++
				}
			}
			if got != nExc {
				t.Errorf("%d excitatory neurons, types say %d", got, nExc)
			}
		})
	}
}

// TestHybridOrdering checks that Izhikevich neurons come first in a culture
// mixing Izhikevich and AdEx types, and that Population agrees.
func TestHybridOrdering(t *testing.T) {
	s := atDensity(3000)
	s.Types = []culture.Share{
		{Type: builtin(t, "AdEx_RS"), Fraction: 0.3},
		{Type: builtin(t, "RS"), Fraction: 0.4},
		{Type: builtin(t, "AdEx_transient"), Fraction: 0.1},
		{Type: builtin(t, "FS"), Fraction: 0.2},
	}
	c := build(t, s) // checkStructure checks the kind of every neuron against NIzh
	if want := 1200 + 600; c.NIzh != want {
		t.Errorf("NIzh = %d, want RS + FS = %d", c.NIzh, want)
	}
	if want := []int{900, 1200, 300, 600}; !slices.Equal(c.Counts(), want) {
		t.Errorf("Counts() = %v, want %v", c.Counts(), want)
	}
	p := c.Population(0.5)
	if p.Len() != c.N() {
		t.Errorf("Population has %d neurons, culture %d", p.Len(), c.N())
	}
	// Within each model, neurons are ordered by grid cell, row by row: the
	// mean y of consecutive quarters of the Izhikevich block increases.
	quarter := c.NIzh / 4
	prev := -1.0
	for q := range 4 {
		sum := 0.0
		for i := q * quarter; i < (q+1)*quarter; i++ {
			sum += float64(c.Y[i])
		}
		if m := sum / float64(quarter); m <= prev {
			t.Errorf("Izhikevich quarter %d: mean y %.0f µm not above the previous %.0f µm", q, m, prev)
		} else {
			prev = m
		}
	}
}

// TestDale checks that the sign of a synapse is its presynaptic neuron's
// (Dale's law), below 10,000 neurons where BL-1 splits E/I by the
// postsynaptic row instead (BL-1 spec §4.2, §16): excitatory neurons must
// receive inhibitory synapses, inhibitory neurons excitatory ones, and every
// weight must lie in the band of its presynaptic neuron's g.
func TestDale(t *testing.T) {
	s := culture.Default() // BL-1's 3 × 3 mm substrate
	s.N = 2000
	c := build(t, s)
	sp := s.Weights.Spread
	bands := map[bool][2]float32{ // uniform weights: g·[1 - s, 1 + s] (package doc)
		true:  {float32(s.GExc * (1 - sp)), float32(s.GExc * (1 + sp))},
		false: {float32(s.GInh * (1 - sp)), float32(s.GInh * (1 + sp))},
	}
	if bands[true][1] >= bands[false][0] {
		t.Fatalf("weight bands %v overlap: the test cannot tell E from I", bands)
	}
	var onto [2][2]int // onto[post excitatory][pre excitatory] synapse counts
	// Per presynaptic neuron: synapses onto excitatory neurons, and their
	// number if the pre is inhibitory (for the cluster-robust SE below).
	var a, b []float64
	nInh := 0
	for j := range c.N() {
		ej := c.Excitatory[j]
		if !ej {
			nInh++
		}
		var toE float64
		for k := c.RowPtr[j]; k < c.RowPtr[j+1]; k++ {
			i := c.Post[k]
			if w, band := c.Weight[k], bands[ej]; w < band[0] || w > band[1] {
				t.Fatalf("synapse %d -> %d (pre excitatory %v, post excitatory %v): weight %g outside %v",
					j, i, ej, c.Excitatory[i], w, band)
			}
			onto[b2i(c.Excitatory[i])][b2i(ej)]++
			if c.Excitatory[i] {
				toE++
			}
		}
		b = append(b, toE)
		if ej {
			a = append(a, 0)
		} else {
			a = append(a, toE)
		}
	}
	t.Logf("synapses E->E %d, I->E %d, E->I %d, I->I %d", onto[1][1], onto[1][0], onto[0][1], onto[0][0])
	if onto[1][0] == 0 || onto[0][1] == 0 {
		t.Fatalf("I->E %d, E->I %d synapses: the E/I split follows the postsynaptic neuron (BL-1's bug)", onto[1][0], onto[0][1])
	}
	// Types are shuffled independently of position, so a synapse onto an
	// excitatory neuron comes from an inhibitory one with probability
	// nInh/(N - 1). Synapses of one presynaptic neuron share its type: the
	// SE is the ratio estimator's, clustered by presynaptic neuron.
	A, B := sum(a), sum(b)
	f := A / B
	var v float64
	for j := range a {
		r := a[j] - f*b[j]
		v += r * r
	}
	se := math.Sqrt(v) / B
	want := float64(nInh) / float64(c.N()-1)
	t.Logf("inhibitory share of the inputs of excitatory neurons: %.4f ± %.4f, expected %.4f", f, se, want)
	if math.Abs(f-want) > zMax*se {
		t.Errorf("inhibitory share of inputs to excitatory neurons %.4f, expected %.4f ± %.4f", f, want, se)
	}
	// For the log: per excitatory neuron, inhibitory inputs against all
	// inputs (their ratio is the share tested above).
	in := inDegrees(c)
	var nE, withInh int
	var inhIn, allIn float64
	inhOnto := make([]int, c.N())
	for j := range c.N() {
		if !c.Excitatory[j] {
			for _, i := range c.Post[c.RowPtr[j]:c.RowPtr[j+1]] {
				inhOnto[i]++
			}
		}
	}
	for i := range c.N() {
		if c.Excitatory[i] {
			nE++
			inhIn += float64(inhOnto[i])
			allIn += float64(in[i])
			if inhOnto[i] > 0 {
				withInh++
			}
		}
	}
	t.Logf("%d of %d excitatory neurons receive inhibition; mean %.2f inhibitory of %.2f inputs",
		withInh, nE, inhIn/float64(nE), allIn/float64(nE))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// TestWeights checks the weight distributions (package doc): the factor
// w/g is U(1 - s, 1 + s), log-normal with mean 1 and σ of ln w, or 1.
func TestWeights(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    culture.WeightDist
	}{
		{"uniform 0.1 (BL-1)", culture.WeightDist{Kind: "uniform", Spread: 0.1}},
		{"uniform 0.5", culture.WeightDist{Kind: "uniform", Spread: 0.5}},
		{"uniform 0", culture.WeightDist{Kind: "uniform"}},
		{"lognormal 0.5", culture.WeightDist{Kind: "lognormal", Sigma: 0.5}},
		{"lognormal 1", culture.WeightDist{Kind: "lognormal", Sigma: 1}},
		{"lognormal 0", culture.WeightDist{Kind: "lognormal"}},
		{"constant", culture.WeightDist{Kind: "constant", Spread: 0.3, Sigma: 0.7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := atDensity(2000)
			s.Weights = tc.w
			c := build(t, s)
			for _, exc := range []bool{true, false} {
				g := s.GInh
				if exc {
					g = s.GExc
				}
				var f []float64 // factors w/g
				for j := range c.N() {
					if c.Excitatory[j] != exc {
						continue
					}
					for k := c.RowPtr[j]; k < c.RowPtr[j+1]; k++ {
						f = append(f, float64(c.Weight[k])/g)
					}
				}
				checkFactors(t, tc.w, exc, g, f)
			}
		})
	}
}

func checkFactors(t *testing.T, w culture.WeightDist, exc bool, g float64, f []float64) {
	t.Helper()
	n := float64(len(f))
	if n < 1000 {
		t.Fatalf("only %d weights", len(f))
	}
	mean := sum(f) / n
	var v float64
	for _, x := range f {
		v += (x - mean) * (x - mean)
	}
	sd := math.Sqrt(v / (n - 1))
	lo, hi := slices.Min(f), slices.Max(f)
	t.Logf("excitatory pre %v: %d weights, factor mean %.5f sd %.5f range [%.5f, %.5f]", exc, len(f), mean, sd, lo, hi)
	// Weights are float32: factors are exact to ~1e-7.
	const eps = 1e-6
	switch {
	case w.Kind == "constant" || w.Kind == "uniform" && w.Spread == 0 || w.Kind == "lognormal" && w.Sigma == 0:
		if lo != hi || math.Abs(lo-1) > eps {
			t.Errorf("factors in [%g, %g], want all 1", lo, hi)
		}
	case w.Kind == "uniform":
		sp := w.Spread
		// U(1-s, 1+s): mean 1, variance s²/3; the sample variance of a
		// uniform has variance (s²/3)² (2 - 6/5)/n (excess kurtosis -6/5).
		if lo < 1-sp-eps || hi > 1+sp+eps {
			t.Errorf("factors in [%g, %g], outside [%g, %g]", lo, hi, 1-sp, 1+sp)
		}
		// The extremes of n uniforms lie within O(1/n) of the bounds.
		if lo > 1-sp+20*sp/n || hi < 1+sp-20*sp/n {
			t.Errorf("factors in [%g, %g], do not fill [%g, %g]", lo, hi, 1-sp, 1+sp)
		}
		v0 := sp * sp / 3
		if z := (mean - 1) / math.Sqrt(v0/n); math.Abs(z) > zMax {
			t.Errorf("mean factor %.5f, want 1 (z = %.2f)", mean, z)
		}
		if z := (sd*sd - v0) / (v0 * math.Sqrt(0.8/n)); math.Abs(z) > zMax {
			t.Errorf("factor variance %.5g, want s²/3 = %.5g (z = %.2f)", sd*sd, v0, z)
		}
	case w.Kind == "lognormal":
		sg := w.Sigma
		// ln f ~ N(-σ²/2, σ²), so E f = 1 and Var f = e^(σ²) - 1.
		if lo <= 0 {
			t.Errorf("log-normal factor %g <= 0", lo)
		}
		if z := (mean - 1) / math.Sqrt((math.Exp(sg*sg)-1)/n); math.Abs(z) > zMax {
			t.Errorf("mean factor %.5f, want 1 (z = %.2f)", mean, z)
		}
		var ml, vl float64
		for _, x := range f {
			ml += math.Log(x)
		}
		ml /= n
		for _, x := range f {
			vl += (math.Log(x) - ml) * (math.Log(x) - ml)
		}
		sl := math.Sqrt(vl / (n - 1))
		t.Logf("ln factor: mean %.5f (want %.5f), sd %.5f (want %.5f)", ml, -sg*sg/2, sl, sg)
		if z := (ml + sg*sg/2) / (sg / math.Sqrt(n)); math.Abs(z) > zMax {
			t.Errorf("mean ln factor %.5f, want -σ²/2 = %.5f (z = %.2f)", ml, -sg*sg/2, z)
		}
		// The sample sd of a normal has SE σ/√(2n).
		if z := (sl - sg) / (sg / math.Sqrt(2*n)); math.Abs(z) > zMax {
			t.Errorf("sd of ln factor %.5f, want σ = %.5f (z = %.2f)", sl, sg, z)
		}
	}
}

// TestDeterminism checks that the culture does not depend on the number of
// goroutines (N = 5000 spans 5 of the builder's row blocks) and that the
// seed matters.
func TestDeterminism(t *testing.T) {
	s := atDensity(5000)
	ref, err := culture.Build(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 4, 0, -1} {
		c, err := culture.Build(s, w)
		if err != nil {
			t.Fatal(err)
		}
		if d := diff(ref, c); d != "" {
			t.Errorf("workers %d differ from workers 1: %s", w, d)
		}
	}
	s.Seed++
	other, err := culture.Build(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	if diff(ref, other) == "" {
		t.Errorf("seeds %d and %d give the same culture", s.Seed-1, s.Seed)
	}
	if slices.Equal(ref.X, other.X) || slices.Equal(ref.Post, other.Post) {
		t.Errorf("seeds %d and %d share positions or targets", s.Seed-1, s.Seed)
	}
}

func diff(a, b *culture.Culture) string {
	switch {
	case a.NIzh != b.NIzh:
		return "NIzh"
	case !slices.Equal(a.X, b.X) || !slices.Equal(a.Y, b.Y) || !slices.Equal(a.Z, b.Z):
		return "positions"
	case !slices.Equal(a.Type, b.Type) || !slices.Equal(a.Excitatory, b.Excitatory):
		return "types"
	case !slices.Equal(a.RowPtr, b.RowPtr) || !slices.Equal(a.Post, b.Post):
		return "synapses"
	case !slices.Equal(a.Weight, b.Weight):
		return "weights"
	case !slices.Equal(a.DelayMs, b.DelayMs):
		return "delays"
	}
	return ""
}

// cultureHash is FNV-1a over every array of a culture.
func cultureHash(c *culture.Culture) uint64 {
	h := fnv.New64a()
	for _, v := range []any{c.X, c.Y, c.Z, c.Type, c.Excitatory, c.RowPtr, c.Post, c.Weight, c.DelayMs, int64(c.NIzh)} {
		if err := binary.Write(h, binary.LittleEndian, v); err != nil {
			panic(err)
		}
	}
	return h.Sum64()
}

// TestSeedStability pins the culture of a seed from release to release (the
// pattern of math/rand/v2's regress_test.go). If a change to placement,
// wiring, weights or the random streams is intended, update the hashes
// below from the test's failure message and say so in the commit message:
// every published culture of that seed changes.
func TestSeedStability(t *testing.T) {
	hybrid := atDensity(600)
	hybrid.Types = []culture.Share{
		{Type: builtin(t, "RS"), Fraction: 0.5},
		{Type: builtin(t, "AdEx_RS"), Fraction: 0.3},
		{Type: builtin(t, "FS"), Fraction: 0.2},
	}
	hybrid.Weights = culture.WeightDist{Kind: "lognormal", Sigma: 0.5}
	hybrid.Thickness = 300
	small := culture.Default()
	small.N = 1000
	for _, tc := range []struct {
		name string
		s    culture.Spec
		want uint64
	}{
		{"default N 1000", small, 0xca1c4f8a56829a36},
		{"hybrid 3-D lognormal", hybrid, 0x90d2d1c2cf6f07dd},
	} {
		c := build(t, tc.s)
		if got := cultureHash(c); got != tc.want {
			t.Errorf("%s: culture hash %#x, pinned %#x (%d synapses)", tc.name, got, tc.want, c.NSynapses())
		}
	}
}

// TestValidate checks that bad values are rejected with a message starting
// with the config key (configs.at relies on it to name the field).
func TestValidate(t *testing.T) {
	if err := culture.Default().Validate(); err != nil {
		t.Fatalf("Default: %v", err)
	}
	bad := builtin(t, "RS")
	bad.Izhikevich.A = 0
	rs := builtin(t, "RS")
	for _, tc := range []struct {
		key string
		mod func(*culture.Spec)
	}{
		{"n_neurons", func(s *culture.Spec) { s.N = 0 }},
		{"n_neurons", func(s *culture.Spec) { s.N = -5 }},
		{"n_neurons", func(s *culture.Spec) { s.N = culture.MaxNeurons + 1 }},
		{"substrate_um", func(s *culture.Spec) { s.Width = 0 }},
		{"substrate_um", func(s *culture.Spec) { s.Height = -1 }},
		{"substrate_um", func(s *culture.Spec) { s.Width = math.NaN() }},
		{"substrate_um", func(s *culture.Spec) { s.Height = math.Inf(1) }},
		{"thickness_um", func(s *culture.Spec) { s.Thickness = -1 }},
		{"thickness_um", func(s *culture.Spec) { s.Thickness = math.NaN() }},
		{"thickness_um", func(s *culture.Spec) { s.Thickness = math.Inf(1) }},
		{"p_max", func(s *culture.Spec) { s.PMax = -0.1 }},
		{"p_max", func(s *culture.Spec) { s.PMax = 1.5 }},
		{"p_max", func(s *culture.Spec) { s.PMax = math.NaN() }},
		{"lambda_um", func(s *culture.Spec) { s.Lambda = 0 }},
		{"lambda_um", func(s *culture.Spec) { s.Lambda = math.Inf(1) }},
		{"lambda_um", func(s *culture.Spec) { s.Lambda = math.NaN() }},
		{"cutoff_um", func(s *culture.Spec) { s.Cutoff = 0 }},
		{"cutoff_um", func(s *culture.Spec) { s.Cutoff = math.Inf(1) }},
		{"g_exc", func(s *culture.Spec) { s.GExc = -0.05 }},
		{"g_exc", func(s *culture.Spec) { s.GExc = math.NaN() }},
		{"g_inh", func(s *culture.Spec) { s.GInh = math.Inf(1) }},
		{"conduction_velocity_um_per_ms", func(s *culture.Spec) { s.Velocity = 0 }},
		{"conduction_velocity_um_per_ms", func(s *culture.Spec) { s.Velocity = math.NaN() }},
		{"types", func(s *culture.Spec) { s.Types = nil }},
		{"types", func(s *culture.Spec) { s.Types = []culture.Share{{Type: rs, Fraction: 0.9}} }},
		{"types", func(s *culture.Spec) { s.Types = []culture.Share{{Type: rs, Fraction: 0.6}, {Type: rs, Fraction: 0.6}} }},
		{"types.RS", func(s *culture.Spec) { s.Types = []culture.Share{{Type: rs, Fraction: 1.5}} }},
		{"types.RS", func(s *culture.Spec) { s.Types = []culture.Share{{Type: rs, Fraction: math.NaN()}} }},
		{"types.RS", func(s *culture.Spec) { s.Types = []culture.Share{{Type: bad, Fraction: 1}} }},
		{"weights.dist", func(s *culture.Spec) { s.Weights.Kind = "gamma" }},
		{"weights.dist", func(s *culture.Spec) { s.Weights.Kind = "" }},
		{"weights.spread", func(s *culture.Spec) { s.Weights.Spread = 1.5 }},
		{"weights.spread", func(s *culture.Spec) { s.Weights.Spread = -0.1 }},
		{"weights.sigma", func(s *culture.Spec) { s.Weights = culture.WeightDist{Kind: "lognormal", Sigma: -1} }},
		{"weights.sigma", func(s *culture.Spec) { s.Weights = culture.WeightDist{Kind: "lognormal", Sigma: math.NaN()} }},
	} {
		s := culture.Default()
		tc.mod(&s)
		err := s.Validate()
		if err == nil {
			t.Errorf("%s: bad spec accepted", tc.key)
			continue
		}
		// The key is followed by " =" or ":" (configs.at cuts at the first
		// character that cannot be part of a key).
		if msg := err.Error(); !strings.HasPrefix(msg, tc.key+" ") && !strings.HasPrefix(msg, tc.key+":") {
			t.Errorf("error %q does not start with the key %s", msg, tc.key)
		}
		if c, err2 := culture.Build(s, 1); err2 == nil || c != nil {
			t.Errorf("%s: Build accepted a spec Validate rejects", tc.key)
		}
	}
	// Edge values that are valid.
	for name, mod := range map[string]func(*culture.Spec){
		"p_max 0":         func(s *culture.Spec) { s.PMax = 0 },
		"p_max 1":         func(s *culture.Spec) { s.PMax = 1 },
		"g 0":             func(s *culture.Spec) { s.GExc, s.GInh = 0, 0 },
		"spread 1":        func(s *culture.Spec) { s.Weights.Spread = 1 },
		"1 neuron":        func(s *culture.Spec) { s.N = 1 },
		"sum within 1e-6": func(s *culture.Spec) { s.Types[0].Fraction += 5e-7 },
	} {
		s := culture.Default()
		s.Types = slices.Clone(s.Types)
		mod(&s)
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// More types than a uint8 can index.
	s := culture.Default()
	s.N = 1000
	s.Types = nil
	for range 256 {
		s.Types = append(s.Types, culture.Share{Type: rs, Fraction: 1.0 / 256})
	}
	if _, err := culture.Build(s, 1); err == nil || !strings.HasPrefix(err.Error(), "types:") {
		t.Errorf("256 types: err = %v, want a types: error", err)
	}
}

// TestNoSynapses covers p_max = 0 and a single neuron: empty rows.
func TestNoSynapses(t *testing.T) {
	s := culture.Default()
	s.N = 500
	s.PMax = 0
	c := build(t, s)
	if c.NSynapses() != 0 {
		t.Errorf("p_max 0: %d synapses", c.NSynapses())
	}
	s.PMax, s.N = 1, 1
	c = build(t, s)
	if c.NSynapses() != 0 || len(c.RowPtr) != 2 {
		t.Errorf("1 neuron: %d synapses, RowPtr %v", c.NSynapses(), c.RowPtr)
	}
}

// Clustered placement: with one cluster of SD σ far from the edges, the
// clustered neurons' distances from its centre follow the Rayleigh law
// P(r < kσ) = 1 - e^(-k²/2) (0.393 at σ, 0.865 at 2σ); the rest are
// uniform; everything stays on the substrate; Count 0 is the uniform
// placement, neuron for neuron.
func TestClusteredPlacement(t *testing.T) {
	s := culture.Default()
	s.N, s.Width, s.Height, s.PMax = 20000, 4000, 4000, 0.01
	u, err := culture.Build(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	s.Clusters = culture.Clusters{Count: 1, SD: 150, Fraction: 0.8}
	c, err := culture.Build(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	// The centre: the densest 50-µm cell holds it within a few µm; take the
	// mean of the neurons within 300 µm of the densest cell.
	const cell = 50.0
	hist := map[[2]int]int{}
	best, bk := 0, [2]int{}
	for i := range c.N() {
		k := [2]int{int(float64(c.X[i]) / cell), int(float64(c.Y[i]) / cell)}
		hist[k]++
		if hist[k] > best {
			best, bk = hist[k], k
		}
	}
	cx, cy := (float64(bk[0])+0.5)*cell, (float64(bk[1])+0.5)*cell
	var sx, sy float64
	var m int
	for i := range c.N() {
		if dx, dy := float64(c.X[i])-cx, float64(c.Y[i])-cy; dx*dx+dy*dy < 300*300 {
			sx, sy, m = sx+float64(c.X[i]), sy+float64(c.Y[i]), m+1
		}
	}
	cx, cy = sx/float64(m), sy/float64(m)
	if cx < 600 || cx > 3400 || cy < 600 || cy > 3400 {
		t.Skipf("the seed's cluster centre (%.0f, %.0f) is near an edge; pick another seed", cx, cy)
	}
	within := func(cc *culture.Culture, r float64) float64 {
		k := 0
		for i := range cc.N() {
			if dx, dy := float64(cc.X[i])-cx, float64(cc.Y[i])-cy; dx*dx+dy*dy < r*r {
				k++
			}
			if cc.X[i] < 0 || cc.X[i] >= 4000 || cc.Y[i] < 0 || cc.Y[i] >= 4000 {
				t.Fatalf("neuron %d at (%g, %g) off the substrate", i, cc.X[i], cc.Y[i])
			}
		}
		return float64(k) / float64(cc.N())
	}
	for _, k := range []float64{1, 2} {
		area := math.Pi * k * k * 150 * 150 / (4000 * 4000)
		want := 0.8*(1-math.Exp(-k*k/2)) + 0.2*area
		got := within(c, k*150)
		// Binomial SD of the fraction: sqrt(p(1-p)/N) < 0.0036; allow 5 SD
		// plus 0.01 for the centre's estimate.
		if math.Abs(got-want) > 0.028 {
			t.Errorf("fraction within %gσ: %.4f, want %.4f", k, got, want)
		}
	}
	if s0 := s; true {
		s0.Clusters = culture.Clusters{}
		z, _ := culture.Build(s0, 1)
		if !slices.Equal(z.X, u.X) || !slices.Equal(z.Y, u.Y) {
			t.Error("count 0 does not place neurons as the uniform placement does")
		}
	}
	for _, bad := range []culture.Clusters{{Count: -1}, {Count: 2, SD: 0, Fraction: 0.5}, {Count: 2, SD: 10, Fraction: 1.5}} {
		s.Clusters = bad
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "clusters.") {
			t.Errorf("clusters %+v: %v", bad, err)
		}
	}
}

// Strong subset: about strong_fraction of the excitatory neurons (binomial
// SD) have every outgoing weight strong_factor times g_exc (times the
// uniform jitter, whose range 1 ± spread separates the two classes here);
// inhibitory rows are untouched.
func TestStrongSubset(t *testing.T) {
	s := culture.Default()
	s.N, s.Width, s.Height = 4000, 1900, 1900
	s.Weights.StrongFraction, s.Weights.StrongFactor = 0.1, 3
	c, err := culture.Build(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	strong, exc := 0, 0
	for j := range c.N() {
		row := c.Weight[c.RowPtr[j]:c.RowPtr[j+1]]
		if len(row) == 0 {
			continue
		}
		g := s.GInh
		if c.Excitatory[j] {
			exc++
			g = s.GExc
		}
		lo, hi := float32(g*(1-s.Weights.Spread)), float32(g*(1+s.Weights.Spread))
		slo, shi := float32(3*g*(1-s.Weights.Spread)), float32(3*g*(1+s.Weights.Spread))
		isStrong := row[0] >= slo
		if isStrong {
			strong++
			if !c.Excitatory[j] {
				t.Fatalf("inhibitory neuron %d has strong weights", j)
			}
		}
		for _, w := range row {
			if isStrong && (w < slo || w > shi) || !isStrong && (w < lo || w > hi) {
				t.Fatalf("neuron %d: weight %g outside its class (strong %v)", j, w, isStrong)
			}
		}
	}
	p := float64(strong) / float64(exc)
	if sd := math.Sqrt(0.1 * 0.9 / float64(exc)); math.Abs(p-0.1) > 5*sd {
		t.Errorf("strong fraction %.4f of %d excitatory neurons, want 0.1 ± %.4f", p, exc, 5*sd)
	}
	s.Weights.StrongFraction = 1.5
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "weights.strong_fraction") {
		t.Errorf("bad strong_fraction: %v", err)
	}
}
