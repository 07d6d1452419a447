package mea

import (
	"math"
	"testing"
)

// A synthetic current dipole: two neurons 20 µm apart with opposite
// synaptic currents. Far away (r = 400 µm = 20 separations) the LFP must
// match the dipole potential φ = p·r̂ / (4π σ r²) (e.g. Nunez &
// Srinivasan 2006, Electric Fields of the Brain, eq. 1.3) to O((a/r)²),
// and everywhere the exact sum of two point sources.
func TestLFPDipole(t *testing.T) {
	const a, R, sigma, capPF, c = 20.0, 400.0, 0.3, 100.0, 2.0 // µm, µm, S/m, pF, mV/ms
	var ex, ey []float64
	for k := range 12 {
		th := float64(k) * math.Pi / 6
		ex, ey = append(ex, 1000+R*math.Cos(th)), append(ey, 1000+R*math.Sin(th))
	}
	// A near electrode, where the dipole approximation fails.
	ex, ey = append(ex, 1000+15), append(ey, 1000+5)
	l, err := Custom(ex, ey)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := l.Route(Routing{})
	x := []float32{1000 + a/2, 1000 - a/2}
	y := []float32{1000, 1000}
	z := []float32{0, 0}
	m := NewMap(l, all, x, y, z, 500)
	lfp, err := NewLFP(m, []float64{capPF, capPF}, sigma, 1, 2, 64, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer lfp.Close()
	// Neuron 0 receives inward current (a sink: I_m = −C·c pA), neuron 1
	// outward (a source). Two workers own one neuron each.
	lfp.Sample(0, 0, 0, []float32{c})
	lfp.Sample(0, 1, 1, []float32{-c})
	lfp.Spikes(0, nil)
	got := lfp.Last()
	im := capPF * c // pA
	px := -im * a   // dipole moment, pA·µm: (−im)(+a/2) + (+im)(−a/2)
	for k := range ex {
		dx, dy := ex[k]-1000, ey[k]-1000
		r := math.Hypot(dx, dy)
		exact := Potential([]float64{-im, im},
			[]float64{math.Hypot(dx-a/2, dy), math.Hypot(dx+a/2, dy)}, sigma)
		if math.Abs(float64(got[k])-exact) > 1e-5*math.Abs(exact)+1e-6 {
			t.Errorf("electrode %d: LFP %g µV, two point sources %g µV", k, got[k], exact)
		}
		if k < 12 {
			dipole := px * (dx / r) / (4 * math.Pi * sigma * r * r)
			if math.Abs(exact-dipole) > 0.01*math.Abs(px)/(4*math.Pi*sigma*r*r) {
				t.Errorf("electrode %d at %.0f°: %g µV, dipole %g µV", k, float64(k)*30, got[k], dipole)
			}
		}
	}
	// On the axis, on the sink's side, φ is negative: p points to −x.
	if got[0] >= 0 || got[6] <= 0 || math.Abs(float64(got[3])) > 1e-6 {
		t.Errorf("signs: φ(0°) = %g, φ(180°) = %g, φ(90°) = %g", got[0], got[6], got[3])
	}
	// A point source of 1 nA at 100 µm in 0.3 S/m: 1e-9 / (4π 0.3 1e-4) V
	// = 2.65258 µV (computed by hand).
	if v := Potential([]float64{1000}, []float64{100}, 0.3); math.Abs(v-2.65258) > 1e-5 {
		t.Errorf("1 nA at 100 µm: %g µV", v)
	}
}

// The fixed-point sums make the LFP independent of how neurons are split
// among workers.
func TestLFPWorkerSplit(t *testing.T) {
	l := CL1(500, 500)
	chans, _ := l.Route(Routing{})
	n := 997
	x, y, z := make([]float32, n), make([]float32, n), make([]float32, n)
	cur := make([]float32, n)
	caps := make([]float64, n)
	for i := range n {
		x[i], y[i] = float32((i*37)%1000), float32((i*91)%1000)
		cur[i] = float32(math.Sin(float64(i)*1.7)) * 3
		caps[i] = 100 + float64(i%3)*50
	}
	m := NewMap(l, chans, x, y, z, 300)
	var ref []float32
	for _, split := range [][]int{{0, n}, {0, 500, n}, {0, 16, 32, 600, 900, n}} {
		lfp, err := NewLFP(m, caps, 0.3, 2, len(split)-1, 64, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		for w := 0; w+1 < len(split); w++ {
			lfp.Sample(4, w, split[w], cur[split[w]:split[w+1]])
		}
		lfp.Spikes(4, nil)
		got := append([]float32(nil), lfp.Last()...)
		lfp.Close()
		if ref == nil {
			ref = got
			continue
		}
		for k := range got {
			if math.Float32bits(got[k]) != math.Float32bits(ref[k]) {
				t.Fatalf("split %v: channel %d %g µV, one worker %g µV", split, chans[k], got[k], ref[k])
			}
		}
	}
	// And it equals the float64 sum.
	for k, e := range chans {
		var sum float64
		for i := range n {
			d := math.Hypot(float64(x[i])-l.X[e], float64(y[i])-l.Y[e])
			if d < 300 {
				sum += Potential([]float64{-caps[i] * float64(cur[i])}, []float64{d}, 0.3)
			}
		}
		if math.Abs(float64(ref[k])-sum) > 1e-4*math.Abs(sum)+1e-3 {
			t.Errorf("channel %d: %g µV, float64 sum %g µV", e, ref[k], sum)
		}
	}
}
