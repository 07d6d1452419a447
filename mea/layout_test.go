package mea

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// CL1 geometry: ../shared/spec/bl1.md §5.1 and cl1-protocol.md §4 (8 × 8,
// 200 µm, centred, channel k at column k mod 8 and row k div 8, x and y in
// 800 ... 2200 on a 3 mm substrate; 0, 7, 56, 63 grounded, 4 reference).
func TestCL1Geometry(t *testing.T) {
	l := CL1(1500, 1500)
	if l.Len() != 64 || l.Rows != 8 || l.Cols != 8 || l.Pitch != 200 {
		t.Fatalf("CL1: %d electrodes, %d x %d, pitch %g", l.Len(), l.Rows, l.Cols, l.Pitch)
	}
	for k := range 64 {
		wantX := 800 + 200*float64(k%8)
		wantY := 800 + 200*float64(k/8)
		if l.X[k] != wantX || l.Y[k] != wantY {
			t.Errorf("channel %d at (%g, %g), want (%g, %g)", k, l.X[k], l.Y[k], wantX, wantY)
		}
		excluded := slices.Contains([]int{0, 4, 7, 56, 63}, k)
		if l.Excluded[k] != excluded || l.Usable(k) == excluded {
			t.Errorf("channel %d excluded = %v, want %v", k, l.Excluded[k], excluded)
		}
	}
	if l.DetectRadius != 100 || l.ActivateRadius != 75 {
		t.Errorf("radii %g, %g; want 100, 75", l.DetectRadius, l.ActivateRadius)
	}
	ch, err := l.Route(Routing{})
	if err != nil || len(ch) != 59 {
		t.Fatalf("CL1 records %d channels (%v), want 59", len(ch), err)
	}
}

// MaxOne geometry: 120 × 220 at 17.5 µm centred on (1500, 1500), so
// x ∈ [−416.25, 3416.25] and y ∈ [458.75, 2541.25] (bl1.md §5.1).
func TestMaxOneGeometry(t *testing.T) {
	l := MaxOne(1500, 1500)
	if l.Len() != 26400 || l.Routable != 1024 {
		t.Fatalf("MaxOne: %d electrodes, routable %d", l.Len(), l.Routable)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(slices.Min(l.X), -416.25) || !near(slices.Max(l.X), 3416.25) || !near(slices.Min(l.Y), 458.75) || !near(slices.Max(l.Y), 2541.25) {
		t.Errorf("extent x [%g, %g], y [%g, %g]", slices.Min(l.X), slices.Max(l.X), slices.Min(l.Y), slices.Max(l.Y))
	}
	k := 57*220 + 131
	if !near(l.X[k+1]-l.X[k], 17.5) || !near(l.Y[k+220]-l.Y[k], 17.5) {
		t.Errorf("pitch %g, %g", l.X[k+1]-l.X[k], l.Y[k+220]-l.Y[k])
	}
	if _, err := l.Route(Routing{Select: "all"}); err == nil || !strings.Contains(err.Error(), "at most 1024") {
		t.Errorf("routing all 26,400: %v", err)
	}
	auto, err := l.Route(Routing{})
	center, _ := l.Route(Routing{Select: "center", N: 1024})
	if err != nil || !slices.Equal(auto, center) {
		t.Errorf("auto routing on MaxOne: %d electrodes, %v; want the 1,024 nearest the centre", len(auto), err)
	}
	for _, sel := range []string{"center", "random", "grid"} {
		ch, err := l.Route(Routing{Select: sel, N: 1024, Seed: 1})
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		if len(ch) != 1024 || !slices.IsSorted(ch) || len(slices.Compact(slices.Clone(ch))) != 1024 {
			t.Errorf("%s: %d channels, sorted %v", sel, len(ch), slices.IsSorted(ch))
		}
		if sel == "center" { // a 32 × 32 block around the centre
			var xs []float64
			for _, e := range ch {
				xs = append(xs, l.X[e])
			}
			if w := slices.Max(xs) - slices.Min(xs); w > 40*17.5 {
				t.Errorf("center routing spans %g µm", w)
			}
		}
		if sel == "grid" { // stride floor(sqrt(26400/1024)) = 5
			for _, e := range ch {
				if e/220%5 != 0 || e%220%5 != 0 {
					t.Fatalf("grid routing took electrode %d off the stride-5 grid", e)
				}
			}
		}
	}
	ch, err := l.Route(Routing{Select: "list", Electrodes: []int{26399, 0, 500}})
	if err != nil || !slices.Equal(ch, []int32{0, 500, 26399}) {
		t.Errorf("list routing: %v %v", ch, err)
	}
}

// MCS 60MEA200/30: 8 × 8 without corners, 200 µm, labels column-row,
// reference "15"; 59 recording electrodes (Wagenaar et al. 2006).
func TestMCS60Geometry(t *testing.T) {
	l := MCS60(1500, 1500)
	if l.Len() != 60 {
		t.Fatalf("%d electrodes", l.Len())
	}
	ch, _ := l.Route(Routing{})
	if len(ch) != 59 {
		t.Errorf("%d recording electrodes, want 59", len(ch))
	}
	labels := map[string]bool{}
	for k := range 60 {
		lab := l.Label(k)
		labels[lab] = true
		col, row := int(lab[0]-'0'), int(lab[1]-'0')
		if l.X[k] != 800+200*float64(col-1) || l.Y[k] != 800+200*float64(row-1) {
			t.Errorf("electrode %s at (%g, %g)", lab, l.X[k], l.Y[k])
		}
	}
	for _, corner := range []string{"11", "18", "81", "88"} {
		if labels[corner] {
			t.Errorf("corner %s present", corner)
		}
	}
	if len(labels) != 60 {
		t.Errorf("%d distinct labels", len(labels))
	}
}

func TestRoutingErrors(t *testing.T) {
	cl1 := CL1(1500, 1500)
	maxone := MaxOne(1500, 1500)
	for _, c := range []struct {
		l    *Layout
		r    Routing
		want string
	}{
		{cl1, Routing{Select: "list", Electrodes: []int{4}}, "reference"},
		{cl1, Routing{Select: "list", Electrodes: []int{63}}, "grounded"},
		{cl1, Routing{Select: "list", Electrodes: []int{64}}, "no such electrode"},
		{cl1, Routing{Select: "list", Electrodes: []int{5, 5}}, "twice"},
		{cl1, Routing{Select: "center", N: 60}, "routing.n = 60"},
		{maxone, Routing{Select: "center", N: 0}, "routing.n = 0"},
		{maxone, Routing{Select: "nearest"}, "must be auto"},
		{MCS60(0, 0), Routing{Select: "list", Electrodes: []int{}}, "no electrode"},
	} {
		_, err := c.l.Route(c.r)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: error %v, want %q", c.l.Name, c.r, err, c.want)
		}
	}
	if _, err := Custom([]float64{1, math.NaN()}, []float64{0, 0}); err == nil {
		t.Error("NaN electrode accepted")
	}
}

// NewMap equals a brute-force search over every (electrode, neuron) pair,
// for flat and 3-D cultures, dense and sparse electrodes, and radii from
// below the pitch to many pitches.
func TestMapBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 3000
	x, y, z := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range n {
		x[i], y[i] = float32(r.Float64()*3000), float32(r.Float64()*3000)
		if i%2 == 1 {
			z[i] = float32(r.Float64() * 60)
		}
	}
	far, _ := Custom([]float64{10, 2990, 1500, -500, 8000}, []float64{10, 2990, 20, 1500, 8000})
	maxone := MaxOne(1500, 1500)
	center, _ := maxone.Route(Routing{Select: "center", N: 1024})
	random, _ := maxone.Route(Routing{Select: "random", N: 1024, Seed: 3})
	all := func(l *Layout) []int32 { c, _ := l.Route(Routing{}); return c }
	for _, c := range []struct {
		name string
		l    *Layout
		el   []int32
		r    float64
	}{
		{"cl1 100", CL1(1500, 1500), all(CL1(1500, 1500)), 100},
		{"cl1 450", CL1(1500, 1500), all(CL1(1500, 1500)), 450},
		{"maxone center", maxone, center, 17.5},
		{"maxone random", maxone, random, 30},
		{"far custom", far, all(far), 80},
	} {
		m := NewMap(c.l, c.el, x, y, z, c.r)
		for k, e := range c.el {
			var want []int32
			for i := range n {
				dx, dy, dz := float64(x[i])-c.l.X[e], float64(y[i])-c.l.Y[e], float64(z[i])
				if math.Sqrt(dx*dx+dy*dy+dz*dz) < c.r {
					want = append(want, int32(i))
				}
			}
			got, d := m.Neurons(k)
			if !slices.Equal(got, want) {
				t.Fatalf("%s electrode %d: %d neurons, brute force %d", c.name, e, len(got), len(want))
			}
			for j, i := range got {
				dx, dy, dz := float64(x[i])-c.l.X[e], float64(y[i])-c.l.Y[e], float64(z[i])
				if math.Abs(float64(d[j])-math.Sqrt(dx*dx+dy*dy+dz*dz)) > 1e-3 {
					t.Fatalf("%s: distance %g", c.name, d[j])
				}
			}
		}
	}
}

// The expected number of neurons per CL1 electrode is π r² ρ: ~349 for
// 100,000 neurons on 3 × 3 mm (bl1.md §5.2); at 10,000, ~34.9.
func TestNeuronsPerElectrode(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	n := 10000
	x, y, z := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range n {
		x[i], y[i] = float32(r.Float64()*3000), float32(r.Float64()*3000)
	}
	l := CL1(1500, 1500)
	ch, _ := l.Route(Routing{})
	m := NewMap(l, ch, x, y, z, 100)
	mean := float64(len(m.Neuron)) / float64(len(ch))
	want := math.Pi * 100 * 100 * float64(n) / 9e6
	// Poisson: the mean of 59 counts has sd sqrt(want/59) ≈ 0.77.
	if math.Abs(mean-want) > 4*math.Sqrt(want/59) {
		t.Errorf("%.2f neurons per electrode, want %.2f", mean, want)
	}
}
