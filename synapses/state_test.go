package synapses

import (
	"math"
	"testing"
)

// u is the unit round-off of float32, 2^-24: the relative error of one
// rounding of the state (IEEE 754 binary32).
const u = 0x1p-24

// stepBound is the relative error of a float32 state variable k steps after
// an arrival, against the exact exponential it samples: the gain is rounded
// once and the product with the weight once, then each step multiplies by a
// decay factor rounded once to float32 (a systematic error of at most u per
// step) and rounds the product (at most u more). Hence (2k+2)·u, plus one u
// of slack for the float64 reference.
func stepBound(k int) float64 { return float64(2*k+3) * u }

// sample is what Advance leaves in one neuron after a step, widened to
// float64.
type sample struct {
	ampa, nmdaR, nmdaD, gabaA, gabaBR, gabaBD, cur float64
}

// advance1 runs a one-neuron State for steps steps at potential v, with the
// arrivals ex[k], in[k] (if k is in range) landing at step k, and records
// each step.
func advance1(p Params, dt float64, v float32, ex, in []float32, steps int) []sample {
	s := NewState(1, p, dt)
	exc, inh := make([]float32, 1), make([]float32, 1)
	cur := make([]float32, 1)
	vv := []float32{v}
	out := make([]sample, steps)
	for k := range steps {
		if k < len(ex) {
			exc[0] = ex[k]
		}
		if k < len(in) {
			inh[0] = in[k]
		}
		s.Advance(0, 1, exc, inh, vv, cur, nil)
		out[k] = sample{
			float64(s.AMPA[0]), float64(s.NMDARise[0]), float64(s.NMDADecay[0]),
			float64(s.GABAA[0]), float64(s.GABABRise[0]), float64(s.GABABDecay[0]),
			float64(cur[0]),
		}
	}
	return out
}

// component is one exponential state variable of the reference solution:
// amplitude · e^(-t/τ), or nothing when τ = 0 (no rise state).
func component(amp, tau, t float64) float64 {
	if tau == 0 {
		return 0
	}
	return amp * math.Exp(-t/tau)
}

// TestAdvanceMatchesKernel injects one arrival of weight w at step 0 into a
// neuron held at v and compares every state variable, the receptor
// conductances and the current with the continuous kernel sampled at
// t = k·dt. Decay is exact (g <- g e^(-dt/τ), doc.go), so the samples equal
// the kernel up to float32 rounding (stepBound).
func TestAdvanceMatchesKernel(t *testing.T) {
	const w = 0.12 // BL-1 spec §0 item 9: calibrated g_exc
	const dur = 300.0
	for _, dt := range []float64{0.5, 0.1} {
		for _, c := range []struct {
			name    string
			ex, in  float32
			v       float32
			fN, fB  float64
			singleN bool
		}{
			{"exc at rest", w, 0, -65, 0.3, 0.1, false},
			{"exc depolarised", w, 0, -40, 0.37, 0.1, false},
			{"inh at rest", 0, 4 * w, -65, 0.3, 0.1, false},
			{"inh, much GABA_B", 0, 4 * w, -50, 0.3, 0.6, false},
			{"both, single-exp NMDA", w, 4 * w, -55, 0.5, 0.2, true},
		} {
			p := Default()
			p.NMDAFraction, p.GABABFraction = c.fN, c.fB
			if c.singleN {
				p.NMDA.TauRise = 0
			}
			steps := int(math.Round(dur / dt))
			got := advance1(p, dt, c.v, []float32{c.ex}, []float32{c.in}, steps)

			ex, in, v := float64(c.ex), float64(c.in), float64(c.v)
			block := mgBlockRef(v, p.Mg)
			var worstG, worstI float64
			for k, g := range got {
				tt := float64(k) * dt
				bound := stepBound(k)
				nN, nB := p.NMDA.Norm(), p.GABAB.Norm()
				want := sample{
					ampa:   (1 - c.fN) * ex * p.AMPA.Kernel(tt),
					nmdaR:  component(c.fN*nN*ex, p.NMDA.TauRise, tt),
					nmdaD:  c.fN * nN * ex * math.Exp(-tt/p.NMDA.TauDecay),
					gabaA:  (1 - c.fB) * in * p.GABAA.Kernel(tt),
					gabaBR: component(c.fB*nB*in, p.GABAB.TauRise, tt),
					gabaBD: c.fB * nB * in * math.Exp(-tt/p.GABAB.TauDecay),
				}
				for _, x := range []struct {
					name      string
					got, want float64
				}{
					{"AMPA", g.ampa, want.ampa},
					{"NMDARise", g.nmdaR, want.nmdaR},
					{"NMDADecay", g.nmdaD, want.nmdaD},
					{"GABAA", g.gabaA, want.gabaA},
					{"GABABRise", g.gabaBR, want.gabaBR},
					{"GABABDecay", g.gabaBD, want.gabaBD},
				} {
					err := math.Abs(x.got - x.want)
					// Flush-to-zero (state.go) adds an absolute error below
					// tiny.
					if err > bound*x.want+tiny {
						t.Fatalf("dt %g, %s: %s at t = %g ms = %.9g, want %.9g (rel. error %.3g > %.3g)",
							dt, c.name, x.name, tt, x.got, x.want, err/x.want, bound)
					}
					if x.want > 1e3*tiny { // measured away from the flush level
						worstG = max(worstG, err/x.want)
					}
				}

				// Receptor conductances against the kernels: the
				// difference of two state variables has the absolute error
				// of both plus one rounding.
				nmda, gabaB := g.nmdaD-g.nmdaR, g.gabaBD-g.gabaBR
				wantN := c.fN * ex * p.NMDA.Kernel(tt)
				wantB := c.fB * in * p.GABAB.Kernel(tt)
				tolN := bound*(want.nmdaD+want.nmdaR) + u*wantN + 2*tiny
				tolB := bound*(want.gabaBD+want.gabaBR) + u*wantB + 2*tiny
				if math.Abs(nmda-wantN) > tolN {
					t.Fatalf("dt %g, %s: NMDA at t = %g ms = %.9g, want %.9g ± %.3g", dt, c.name, tt, nmda, wantN, tolN)
				}
				if math.Abs(gabaB-wantB) > tolB {
					t.Fatalf("dt %g, %s: GABA_B at t = %g ms = %.9g, want %.9g ± %.3g", dt, c.name, tt, gabaB, wantB, tolB)
				}

				// Current (doc.go): the conductance errors times their
				// driving forces, plus a few float32 roundings (block,
				// products, sums: 8u) of every term.
				terms := []struct{ g, e, tol float64 }{
					{want.ampa, p.AMPA.ERev, bound*want.ampa + tiny},
					{wantN * block, p.NMDA.ERev, tolN * block},
					{want.gabaA, p.GABAA.ERev, bound*want.gabaA + tiny},
					{wantB, p.GABAB.ERev, tolB},
				}
				var wantI, tolI, sumAbs float64
				for _, x := range terms {
					wantI += x.g * (x.e - v)
					tolI += x.tol * math.Abs(x.e-v)
					sumAbs += math.Abs(x.g * (x.e - v))
				}
				tolI += 8 * u * sumAbs
				if math.Abs(g.cur-wantI) > tolI {
					t.Fatalf("dt %g, %s: current at t = %g ms = %.9g, want %.9g ± %.3g", dt, c.name, tt, g.cur, wantI, tolI)
				}
				if sumAbs > 0 {
					worstI = max(worstI, math.Abs(g.cur-wantI)/sumAbs)
				}
			}
			t.Logf("dt %g, %s: %d steps, worst rel. error of a state variable %.3g (bound at the end %.3g), of the current %.3g",
				dt, c.name, steps, worstG, stepBound(steps-1), worstI)
		}
	}
}

// TestAdvanceSuperposition checks linearity: arrivals at several steps give
// the sum of shifted kernels (computed analytically), each arrival counted
// from the step in which it lands.
func TestAdvanceSuperposition(t *testing.T) {
	const dt = 0.5
	p := Default()
	ex := make([]float32, 41)
	in := make([]float32, 41)
	ex[0], ex[3], ex[40] = 0.05, 0.1, 0.02 // BL-1 spec §4.2: g_exc 0.05 ± 10 %, arbitrary multiples
	in[2], in[17] = 0.2, 0.22              // BL-1 spec §4.2: g_inh 0.20 ± 10 %
	const steps = 400
	got := advance1(p, dt, -65, ex, in, steps)
	for k, g := range got {
		var wantA, wantN, wantG, wantB, scaleN, scaleB float64
		for j := range ex {
			if j > k {
				break
			}
			tt := float64(k-j) * dt
			e, i := float64(ex[j]), float64(in[j])
			wantA += (1 - p.NMDAFraction) * e * p.AMPA.Kernel(tt)
			wantN += p.NMDAFraction * e * p.NMDA.Kernel(tt)
			scaleN += p.NMDAFraction * p.NMDA.Norm() * e * (math.Exp(-tt/p.NMDA.TauDecay) + math.Exp(-tt/p.NMDA.TauRise))
			wantG += (1 - p.GABABFraction) * i * p.GABAA.Kernel(tt)
			wantB += p.GABABFraction * i * p.GABAB.Kernel(tt)
			scaleB += p.GABABFraction * p.GABAB.Norm() * i * (math.Exp(-tt/p.GABAB.TauDecay) + math.Exp(-tt/p.GABAB.TauRise))
		}
		// One more rounding per addition of an arrival (5 arrivals);
		// flush-to-zero (state.go) adds an absolute error below tiny.
		bound := stepBound(k) + 5*u
		for _, x := range []struct {
			name           string
			got, want, tol float64
		}{
			{"AMPA", g.ampa, wantA, bound*wantA + tiny},
			{"NMDA", g.nmdaD - g.nmdaR, wantN, bound*scaleN + u*wantN + 2*tiny},
			{"GABA_A", g.gabaA, wantG, bound*wantG + tiny},
			{"GABA_B", g.gabaBD - g.gabaBR, wantB, bound*scaleB + u*wantB + 2*tiny},
		} {
			if math.Abs(x.got-x.want) > x.tol {
				t.Fatalf("step %d: %s = %.9g, want %.9g ± %.3g", k, x.name, x.got, x.want, x.tol)
			}
		}
	}
}

// curvature returns |d²g/dt²| at t_peak of a peak-normalised difference of
// exponentials (computed analytically).
func curvature(r Receptor) float64 {
	tp := r.PeakTime()
	return math.Abs(r.Norm() * (math.Exp(-tp/r.TauDecay)/(r.TauDecay*r.TauDecay) -
		math.Exp(-tp/r.TauRise)/(r.TauRise*r.TauRise)))
}

// TestReceptorFractions checks the routing of doc.go: an excitatory weight w
// gives an AMPA peak of (1-f)w and an NMDA peak of f w, an inhibitory one a
// GABA_A peak of (1-f)w and a GABA_B peak of f w; the peaks add up to w
// (BL-1's simulate() drives both receptors with w, giving 2w: BL-1 spec §2).
// The sampled dual-exponential peak lies below the continuous one by at most
// |d²g/dt²| (dt/2)²/2 (Taylor expansion about t_peak, computed analytically).
func TestReceptorFractions(t *testing.T) {
	const dt = 0.1
	const w = 0.12 // BL-1 spec §0 item 9: calibrated g_exc
	// 0.37: BL-1's calibrated NMDA share (spec §2); 0 and 1 are the edges.
	for _, f := range []float64{0, 0.1, 0.3, 0.37, 0.5, 1} {
		p := Default()
		p.NMDAFraction, p.GABABFraction = f, f
		steps := int(2 * p.GABAB.PeakTime() / dt)
		got := advance1(p, dt, -65, []float32{w}, []float32{w}, steps)

		var peakN, peakB float64
		var kN, kB int
		for k, g := range got {
			if n := g.nmdaD - g.nmdaR; n > peakN {
				peakN, kN = n, k
			}
			if b := g.gabaBD - g.gabaBR; b > peakB {
				peakB, kB = b, k
			}
		}
		// AMPA and GABA_A peak in the arrival's step (three roundings:
		// gain, product, none from decay). A dual exponential's two state
		// variables are each below f w N, so their difference carries at
		// most 2 stepBound f w N of error.
		peakA, peakG := got[0].ampa, got[0].gabaA
		type peak struct {
			name      string
			got, want float64
			low, tol  float64 // allowed sampling shortfall, float32 error (relative to the peak)
			kPeak     int
			tPeak     float64
		}
		peaks := []peak{
			{"AMPA", peakA, (1 - f) * w, 0, 3 * u, 0, 0},
			{"GABA_A", peakG, (1 - f) * w, 0, 3 * u, 0, 0},
			{"NMDA", peakN, f * w, curvature(p.NMDA) * dt * dt / 8, 2 * stepBound(kN) * p.NMDA.Norm(), kN, p.NMDA.PeakTime()},
			{"GABA_B", peakB, f * w, curvature(p.GABAB) * dt * dt / 8, 2 * stepBound(kB) * p.GABAB.Norm(), kB, p.GABAB.PeakTime()},
		}
		for _, x := range peaks {
			lo := x.want * (1 - x.low - x.tol)
			hi := x.want * (1 + x.tol)
			if x.got < lo || x.got > hi {
				t.Errorf("f = %g: %s peak %.9g, want %.9g (in [%.9g, %.9g])", f, x.name, x.got, x.want, lo, hi)
			}
			if x.want > 0 && x.tPeak > 0 && math.Abs(float64(x.kPeak)*dt-x.tPeak) > dt {
				t.Errorf("f = %g: %s peaks at %g ms, want t_peak = %.3f ms", f, x.name, float64(x.kPeak)*dt, x.tPeak)
			}
		}
		// No double counting: the peaks add up to w (within the margins
		// above), not 2w.
		for _, pair := range [][2]peak{{peaks[0], peaks[2]}, {peaks[1], peaks[3]}} {
			a, b := pair[0], pair[1]
			sum := a.got + b.got
			tol := a.want*(a.low+a.tol) + b.want*(b.low+b.tol)
			if math.Abs(sum-w) > tol {
				t.Errorf("f = %g: %s + %s peaks = %.9g, want w = %g ± %.3g", f, a.name, b.name, sum, w, tol)
			}
		}
	}
}

// TestCurrentFormula sets arbitrary conductances, advances one step with no
// arrival and checks the current against doc.go's formula evaluated in
// float64 from the state Advance leaves, with Jahr & Stevens' block.
func TestCurrentFormula(t *testing.T) {
	p := Default()
	vs := []float32{-95, -80, -75, -65, -40, -10, 0, 20}
	n := len(vs)
	s := NewState(n, p, 0.5)
	for i := range n {
		// Arbitrary positive values, decay above rise (as after any
		// arrival history).
		s.AMPA[i] = 0.03 + 0.01*float32(i)
		s.NMDARise[i], s.NMDADecay[i] = 0.02, 0.05+0.003*float32(i)
		s.GABAA[i] = 0.1 - 0.004*float32(i)
		s.GABABRise[i], s.GABABDecay[i] = 0.01, 0.04
	}
	cur := make([]float32, n)
	s.Advance(0, n, make([]float32, n), make([]float32, n), vs, cur, nil)
	for i, vf := range vs {
		v := float64(vf)
		block := mgBlockRef(v, p.Mg)
		terms := []float64{
			float64(s.AMPA[i]) * (p.AMPA.ERev - v),
			float64(s.NMDA(i)) * block * (p.NMDA.ERev - v),
			float64(s.GABAA[i]) * (p.GABAA.ERev - v),
			float64(s.GABAB(i)) * (p.GABAB.ERev - v),
		}
		var want, sumAbs float64
		for _, x := range terms {
			want += x
			sumAbs += math.Abs(x)
		}
		// float32 products and sums, the block rounded to float32 after a
		// fastmath.Exp accurate to 1e-8: 8u of the terms.
		if got := float64(cur[i]); math.Abs(got-want) > 8*u*sumAbs {
			t.Errorf("v = %g: current %.9g, want %.9g", v, got, want)
		}
	}
	// NMDA alone: I / g_NMDA = B(v) (E - v), so the block shows as a
	// voltage-dependent ratio (Jahr & Stevens 1990; values computed here).
	p.NMDAFraction = 1
	for _, v := range []float32{-80, -40, -10} {
		got := advance1(p, 0.5, v, []float32{1}, nil, 20)[19]
		g := got.nmdaD - got.nmdaR
		want := g * mgBlockRef(float64(v), 1) * (0 - float64(v))
		if math.Abs(got.cur-want) > 8*u*math.Abs(want) {
			t.Errorf("NMDA only, v = %g: current %.9g, want g B(v) (E - v) = %.9g", v, got.cur, want)
		}
	}
}

// TestCurrentSign checks the driving forces of doc.go: excitation
// depolarises at rest (-65 mV, Izhikevich 2003), inhibition hyperpolarises,
// and a receptor carries no current at its reversal potential (BL-1 spec §2:
// E_AMPA = E_NMDA = 0, E_GABA_A = -75, E_GABA_B = -95 mV).
func TestCurrentSign(t *testing.T) {
	const steps = 400
	for _, c := range []struct {
		name   string
		fB     float64
		v      float32
		ex, in float32
		sign   int
	}{
		{"excitation at rest", 0.1, -65, 0.05, 0, +1},
		{"inhibition at rest", 0.1, -65, 0, 0.2, -1},
		{"excitation at E_AMPA = E_NMDA", 0.1, 0, 0.05, 0, 0},
		{"GABA_A only at E_GABA_A", 0, -75, 0, 0.2, 0},
		{"GABA_B only at E_GABA_B", 1, -95, 0, 0.2, 0},
		{"excitation above reversal", 0.1, 20, 0.05, 0, -1},
		{"GABA_A only below reversal", 0, -85, 0, 0.2, +1},
	} {
		p := Default()
		p.GABABFraction = c.fB
		for k, g := range advance1(p, 0.5, c.v, []float32{c.ex}, []float32{c.in}, steps) {
			var ok bool
			switch c.sign {
			case +1:
				ok = g.cur > 0
			case -1:
				ok = g.cur < 0
			default:
				ok = g.cur == 0
			}
			// The sign holds for the whole 200 ms, also once AMPA and
			// GABA_A have decayed and only NMDA and GABA_B remain.
			if !ok {
				t.Fatalf("%s: current at step %d = %g, want sign %+d", c.name, k, g.cur, c.sign)
			}
		}
	}
}

// TestAdvanceRange checks the indexing contract of Advance: state and v by
// neuron index, arrive and iSyn from lo; neurons outside [lo, hi) are left
// alone; arrive is zeroed.
func TestAdvanceRange(t *testing.T) {
	const n = 6
	p := Default()
	s := NewState(n, p, 0.5)
	if s.Len() != n {
		t.Fatalf("Len() = %d, want %d", s.Len(), n)
	}
	v := []float32{-70, -65, -60, -55, -50, -45}
	lo, hi := 2, 5
	exc := []float32{0.1, 0.3, 0.5} // neurons 2, 3, 4
	inh := []float32{0.2, 0.4, 0.6}
	arrive := [][]float32{exc, inh}
	cur := []float32{9, 9, 9}
	s.Advance(lo, hi, exc, inh, v, cur, nil)
	for _, plane := range arrive {
		for j, a := range plane {
			if a != 0 {
				t.Errorf("arrival %d = %g after Advance, want 0", j, a)
			}
		}
	}
	for i := range n {
		in := i >= lo && i < hi
		gotA, gotG := s.AMPA[i], s.GABAA[i]
		var wantA, wantG float32
		if in {
			j := i - lo
			wantA = float32(1-p.NMDAFraction) * []float32{0.1, 0.3, 0.5}[j]
			wantG = float32(1-p.GABABFraction) * []float32{0.2, 0.4, 0.6}[j]
		}
		if gotA != wantA || gotG != wantG {
			t.Errorf("neuron %d: AMPA, GABA_A = %g, %g, want %g, %g", i, gotA, gotG, wantA, wantG)
		}
		if in {
			// Step 0: the dual exponentials are still 0, so only AMPA
			// and GABA_A carry current, at this neuron's own v.
			vi := v[i]
			want := gotA*(0-vi) + gotG*(-75-vi)
			if got := cur[i-lo]; math.Abs(float64(got-want)) > 4*u*float64(abs32(gotA*vi)+abs32(gotG*(-75-vi))) {
				t.Errorf("neuron %d: current %g, want %g", i, got, want)
			}
		}
	}
	// An empty range touches nothing, even with empty slices.
	s.Advance(3, 3, nil, nil, nil, nil, nil)
	s.Advance(4, 2, nil, nil, nil, nil, nil)
}

func abs32(x float32) float32 { return float32(math.Abs(float64(x))) }

// TestArrivalsZeroed checks that every arrival slot is emptied in every
// step, so a delay-ring slot can be reused.
func TestArrivalsZeroed(t *testing.T) {
	const n = 4
	s := NewState(n, Default(), 0.5)
	exc, inh := make([]float32, n), make([]float32, n)
	v := make([]float32, n)
	cur := make([]float32, n)
	for k := range 10 {
		for j := range n {
			exc[j] = float32(k+j) * 0.01
			inh[j] = float32(k+j) * 0.02
		}
		s.Advance(0, n, exc, inh, v, cur, nil)
		for j := range n {
			if exc[j] != 0 || inh[j] != 0 {
				t.Fatalf("step %d: arrivals of neuron %d = %g, %g, want 0", k, j, exc[j], inh[j])
			}
		}
	}
}

// TestFlushToZero follows one arrival until every state variable is zero:
// each stays either 0 or at least tiny (never subnormal, below 2^-126), and
// reaches exactly 0 no later than the step at which its exact decay crosses
// tiny, τ ln(A/tiny)/dt (computed analytically), plus two steps of float32
// slack.
func TestFlushToZero(t *testing.T) {
	const dt = 0.5
	p := Default()
	p.NMDAFraction, p.GABABFraction = 0.5, 0.5
	s := NewState(1, p, dt)
	exc, inh := []float32{1}, []float32{1}
	v, cur := []float32{-65}, []float32{0}
	last := func(amp, tau float64) int { return int(math.Ceil(tau*math.Log(amp/tiny)/dt)) + 2 }
	vars := []struct {
		name string
		g    []float32
		zero int // step by which it must be 0
	}{
		{"AMPA", s.AMPA, last(0.5, p.AMPA.TauDecay)},
		{"NMDARise", s.NMDARise, last(0.5*p.NMDA.Norm(), p.NMDA.TauRise)},
		{"NMDADecay", s.NMDADecay, last(0.5*p.NMDA.Norm(), p.NMDA.TauDecay)},
		{"GABAA", s.GABAA, last(0.5, p.GABAA.TauDecay)},
		{"GABABRise", s.GABABRise, last(0.5*p.GABAB.Norm(), p.GABAB.TauRise)},
		{"GABABDecay", s.GABABDecay, last(0.5*p.GABAB.Norm(), p.GABAB.TauDecay)},
	}
	end := 0
	for _, x := range vars {
		end = max(end, x.zero)
	}
	zeroAt := make([]int, len(vars))
	for k := 0; k <= end+10; k++ {
		s.Advance(0, 1, exc, inh, v, cur, nil)
		for j, x := range vars {
			g := x.g[0]
			if g != 0 && g < tiny {
				t.Fatalf("step %d: %s = %g, below the flush level %g but not 0", k, x.name, g, tiny)
			}
			if g != 0 && zeroAt[j] > 0 {
				t.Fatalf("step %d: %s = %g came back after reaching 0 at step %d", k, x.name, g, zeroAt[j])
			}
			if g == 0 && zeroAt[j] == 0 {
				zeroAt[j] = k
			}
		}
		if c := cur[0]; c != 0 && math.Abs(float64(c)) < 0x1p-126 {
			t.Fatalf("step %d: current %g is subnormal", k, c)
		}
	}
	for j, x := range vars {
		if zeroAt[j] == 0 || zeroAt[j] > x.zero {
			t.Errorf("%s reached 0 at step %d, want by step %d", x.name, zeroAt[j], x.zero)
		}
	}
	if cur[0] != 0 {
		t.Errorf("current after every conductance is flushed = %g, want 0", cur[0])
	}
	t.Logf("flushed to 0 at steps %v (of %d)", zeroAt, end)
}

// TestSingleExpNMDA checks that tau_rise_ms = 0 gives a single exponential:
// the rise state stays exactly 0, the conductance jumps to f w in the
// arrival's step and then decays with τd (computed analytically).
func TestSingleExpNMDA(t *testing.T) {
	const dt = 0.5
	p := Default()
	p.NMDA.TauRise, p.GABAB.TauRise = 0, 0
	if p.NMDA.Dual() || p.GABAB.Dual() {
		t.Fatal("Dual() with tau_rise_ms = 0")
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	got := advance1(p, dt, -65, []float32{1, 0, 0, 0, 0, 1}, []float32{1}, 600)
	for k, g := range got {
		if g.nmdaR != 0 || g.gabaBR != 0 {
			t.Fatalf("step %d: rise states %g, %g, want 0", k, g.nmdaR, g.gabaBR)
		}
		tt := float64(k) * dt
		wantN := p.NMDAFraction * math.Exp(-tt/p.NMDA.TauDecay)
		if k >= 5 {
			wantN += p.NMDAFraction * math.Exp(-(tt-5*dt)/p.NMDA.TauDecay)
		}
		wantB := p.GABABFraction * math.Exp(-tt/p.GABAB.TauDecay)
		if e := math.Abs(g.nmdaD - wantN); e > (stepBound(k)+u)*wantN {
			t.Fatalf("step %d: NMDA = %.9g, want %.9g", k, g.nmdaD, wantN)
		}
		if e := math.Abs(g.gabaBD - wantB); e > stepBound(k)*wantB {
			t.Fatalf("step %d: GABA_B = %.9g, want %.9g", k, g.gabaBD, wantB)
		}
	}
	// Peak in the arrival's step, equal to f w (not f w N with a stale N).
	if got[0].nmdaD != float64(float32(p.NMDAFraction)) {
		t.Errorf("NMDA at step 0 = %.9g, want f = %g", got[0].nmdaD, p.NMDAFraction)
	}
}

// TestDecayFactors checks the per-step decay factors at dt = 0.5 ms against
// the BL-1 spec §2 (AMPA 0.7788, GABA_A 0.9200, NMDA rise 0.7788 / decay
// 0.99501, GABA_B rise 0.98895 / decay 0.99706), to their printed precision.
func TestDecayFactors(t *testing.T) {
	k := NewState(1, Default(), 0.5).k
	for _, c := range []struct {
		name      string
		got       float32
		want, tol float64
	}{
		{"AMPA", k.DAMPA, 0.7788, 5e-5},
		{"GABA_A", k.DGABAA, 0.9200, 5e-5},
		{"NMDA rise", k.DNMDAr, 0.7788, 5e-5},
		{"NMDA decay", k.DNMDAd, 0.99501, 5e-6},
		{"GABA_B rise", k.DGABABr, 0.98895, 5e-6},
		{"GABA_B decay", k.DGABABd, 0.99706, 5e-6},
	} {
		if math.Abs(float64(c.got)-c.want) > c.tol {
			t.Errorf("%s decay per step = %.7f, BL-1 spec says %g", c.name, c.got, c.want)
		}
	}
}

// SetAvailable scales each receptor's arrivals by its free fraction and
// leaves conductances already open alone.
func TestSetAvailable(t *testing.T) {
	p := Default()
	s := NewState(1, p, 0.5)
	v := []float32{-65}
	cur := make([]float32, 1)
	s.Advance(0, 1, []float32{1}, []float32{1}, v, cur, nil)
	full := [4]float32{s.AMPA[0], s.NMDA(0), s.GABAA[0], s.GABAB(0)}
	s.SetAvailable(0.5, 0.25, 0, 1)
	s2 := NewState(1, p, 0.5)
	s2.SetAvailable(0.5, 0.25, 0, 1)
	s2.Advance(0, 1, []float32{1}, []float32{1}, v, cur, nil)
	got := [4]float32{s2.AMPA[0], s2.NMDA(0), s2.GABAA[0], s2.GABAB(0)}
	want := [4]float32{full[0] * 0.5, full[1] * 0.25, 0, full[3]}
	for k := range got {
		if diff := got[k] - want[k]; diff > 1e-6 || diff < -1e-6 {
			t.Errorf("receptor %d: %g, want %g", k, got[k], want[k])
		}
	}
	// The first state's open AMPA conductance only decays.
	before := s.AMPA[0]
	s.Advance(0, 1, []float32{0}, []float32{0}, v, cur, nil)
	if d := float64(s.AMPA[0]) - float64(before)*math.Exp(-0.5/p.AMPA.TauDecay); d > 1e-6 || d < -1e-6 {
		t.Errorf("open AMPA conductance %g after a step, want %g", s.AMPA[0], float64(before)*math.Exp(-0.5/p.AMPA.TauDecay))
	}
}

// The tonic GABA_A current is g_tonic (E_GABA_A - v), added to the phasic
// current and scaled, like GABA_A arrivals, by the free fraction of GABA_A
// receptors; it carries no current at E_GABA_A and leaves the conductance
// state alone.
func TestTonicGABAA(t *testing.T) {
	p := Default()
	p.TonicGABAA = 0.02
	vs := []float32{-95, -75, -65, -40, 0, 20}
	n := len(vs)
	zero := func() []float32 { return make([]float32, n) }
	check := func(name string, avail float64) {
		t.Helper()
		s := NewState(n, p, 0.5)
		s.SetAvailable(1, 1, avail, 1)
		cur := zero()
		s.Advance(0, n, zero(), zero(), vs, cur, nil)
		for i, v := range vs {
			want := avail * p.TonicGABAA * (p.GABAA.ERev - float64(v))
			if math.Abs(float64(cur[i])-want) > 4*u*math.Abs(want) {
				t.Errorf("%s, v = %g: current %.9g, want g_tonic (E - v) = %.9g", name, v, cur[i], want)
			}
			if s.GABAA[i] != 0 {
				t.Errorf("%s: the tonic conductance entered the phasic state (%g)", name, s.GABAA[i])
			}
		}
	}
	check("no antagonist", 1)
	check("70 % blocked", 0.3)
	check("blocked", 0)
	// Phasic and tonic currents add.
	s, q := NewState(n, p, 0.5), NewState(n, Default(), 0.5)
	a, b := zero(), zero()
	s.Advance(0, n, []float32{1, 1, 1, 1, 1, 1}, []float32{2, 2, 2, 2, 2, 2}, vs, a, nil)
	q.Advance(0, n, []float32{1, 1, 1, 1, 1, 1}, []float32{2, 2, 2, 2, 2, 2}, vs, b, nil)
	for i, v := range vs {
		tonic := p.TonicGABAA * (p.GABAA.ERev - float64(v))
		if d := float64(a[i]) - float64(b[i]) - tonic; math.Abs(d) > 8*u*(math.Abs(float64(b[i]))+math.Abs(tonic)) {
			t.Errorf("v = %g: current %g, phasic %g + tonic %g", v, a[i], b[i], tonic)
		}
	}
	p.TonicGABAA = -1
	if p.Validate() == nil {
		t.Error("a negative tonic conductance was accepted")
	}
}

// The total conductance is the sum of the open conductances, NMDA's times
// its Mg2+ block at v, plus the tonic one (all computed from the state in
// float64), and with it the current is Σ g E - G v at every potential.
func TestTotalConductance(t *testing.T) {
	p := Default()
	p.TonicGABAA = 0.02
	vs := []float32{-95, -75, -65, -40, 0, 20, -70, -50, -30}
	n := len(vs)
	s := NewState(n, p, 0.5)
	cur, gt := make([]float32, n), make([]float32, n)
	for range 3 { // a few steps of arrivals, so every receptor is open
		exc, inh := make([]float32, n), make([]float32, n)
		for i := range n {
			exc[i], inh[i] = 0.1*float32(i+1), 0.05*float32(n-i)
		}
		s.Advance(0, n, exc, inh, vs, cur, gt)
	}
	for i, v := range vs {
		vv := float64(v)
		B := MgBlock(vv, p.Mg)
		gA, gN, gG, gB := float64(s.AMPA[i]), float64(s.NMDA(i)), float64(s.GABAA[i]), float64(s.GABAB(i))
		G := gA + gN*B + gG + gB + p.TonicGABAA
		if math.Abs(float64(gt[i])-G) > 8*u*G {
			t.Errorf("v = %g: total conductance %.9g, want %.9g", v, gt[i], G)
		}
		sumGE := gA*p.AMPA.ERev + gN*B*p.NMDA.ERev + gG*p.GABAA.ERev + gB*p.GABAB.ERev + p.TonicGABAA*p.GABAA.ERev
		if want := sumGE - G*vv; math.Abs(float64(cur[i])-want) > 1e-5*(math.Abs(sumGE)+G*math.Abs(vv)) {
			t.Errorf("v = %g: current %.9g, want sum g E - G v = %.9g", v, cur[i], want)
		}
	}
}
