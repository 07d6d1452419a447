package kernel

import (
	"github.com/bl1-go/bl1/internal/fastmath"
	"github.com/bl1-go/bl1/internal/rng"
)

// The portable kernels. Every arithmetic step is one float32 operation,
// written in the order the assembly performs it; float32(...) around each
// product stops the compiler from fusing it with the following addition
// (Go spec, Arithmetic operators), which would change the last bit.

func flush(g float32) float32 {
	if g < Tiny {
		return 0
	}
	return g
}

func synGeneric(k *Syn, gA, nR, nD, gG, bR, bD, exc, inh, v, iSyn, gTot []float32) {
	n := len(v)
	if n == 0 {
		return
	}
	if gTot != nil {
		gTot = gTot[:n]
	}
	_, _, _, _, _, _ = gA[n-1], nR[n-1], nD[n-1], gG[n-1], bR[n-1], bD[n-1]
	_, _, _ = exc[n-1], inh[n-1], iSyn[n-1]
	for i, vi := range v {
		ex, in := exc[i], inh[i]
		exc[i], inh[i] = 0, 0
		a := flush(float32(gA[i]*k.DAMPA)) + float32(k.InAMPA*ex)
		r := flush(float32(nR[i]*k.DNMDAr)) + float32(k.InNMDAr*ex)
		d := flush(float32(nD[i]*k.DNMDAd)) + float32(k.InNMDAd*ex)
		g := flush(float32(gG[i]*k.DGABAA)) + float32(k.InGABAA*in)
		br := flush(float32(bR[i]*k.DGABABr)) + float32(k.InGABABr*in)
		bd := flush(float32(bD[i]*k.DGABABd)) + float32(k.InGABABd*in)
		gA[i], nR[i], nD[i], gG[i], bR[i], bD[i] = a, r, d, g, br, bd
		cur := float32(a*(k.EAMPA-vi)) + float32(g*(k.EGABAA-vi))
		cur = cur + float32((bd-br)*(k.EGABAB-vi))
		e := fastmath.Exp32(-MgSlope * vi)
		block := 1 / (float32(k.MgK*e) + 1)
		nb := float32((d - r) * block)
		cur = cur + float32(nb*(k.ENMDA-vi))
		iSyn[i] = cur
		if gTot != nil {
			gTot[i] = ((a + g) + (bd - br)) + nb
		}
	}
}

func driveGeneric(cur []float32, first uint32, key rng.Key, mean, std float32) {
	for i := range cur {
		x := rng.Norm32(key, first+uint32(i))
		cur[i] = cur[i] + (float32(std*x) + mean)
	}
}

// izhGeneric is Izhikevich (2003) eqs. 1-3 by forward Euler, both
// derivatives at the old state:
//
//	v' = v + dt((0.04v + 5)v + 140 - u + I),  u' = u + a·dt(bv - u),
//	if v' >= 30: v' = c, u' = u' + d.
//
// With phi (not nil) the step of v is multiplied by phi[k] (exponential
// Euler; see Phi).
func izhGeneric(V, U, ADt, B, C, D, I, phi []float32, dt float32, first int32, spikes []int32) ([]int32, int) {
	n := len(V)
	if n == 0 {
		return spikes, -1
	}
	_, _, _, _, _, _ = U[n-1], ADt[n-1], B[n-1], C[n-1], D[n-1], I[n-1]
	bad := -1
	for k, v := range V {
		u := U[k]
		t := float32(0.04*v) + 5
		t = float32(t*v) + 140
		t = (t - u) + I[k]
		dv := float32(dt * t)
		if phi != nil {
			dv = float32(dv * phi[k])
		}
		vn := v + dv
		un := u + float32(ADt[k]*(float32(B[k]*v)-u))
		// Tested before the reset, which would turn v = +Inf into c.
		if (vn-vn != 0 || un-un != 0) && bad < 0 {
			bad = int(first) + k
		}
		if vn >= 30 {
			vn = C[k]
			un = un + D[k]
			spikes = append(spikes, first+int32(k))
		}
		V[k], U[k] = vn, un
	}
	return spikes, bad
}

func mulGeneric(x, y []float32) {
	y = y[:len(x)]
	for i := range x {
		x[i] = x[i] * y[i]
	}
}

func leakGeneric(iSyn, v, gTot []float32, g, e float32) {
	v = v[:len(iSyn)]
	for i, vi := range v {
		iSyn[i] = iSyn[i] + float32(g*(e-vi))
	}
	if gTot != nil {
		gTot = gTot[:len(iSyn)]
		for i, x := range gTot {
			gTot[i] = x + g
		}
	}
}

// Coefficients a_k = (-1)^k/(k+1)! of the Taylor polynomial of
// φ(x) = (1 - e^-x)/x, k = 0..10; its truncation error for |x| < 1 is below
// 1/12! = 2e-9. Conductances rarely reach 2/ms (x = 1 at dt = 0.5 ms), so
// most groups of 8 neurons never need the exponential.
var phiA = [11]float32{1, -1.0 / 2, 1.0 / 6, -1.0 / 24, 1.0 / 120, -1.0 / 720, 1.0 / 5040,
	-1.0 / 40320, 1.0 / 362880, -1.0 / 3628800, 1.0 / 39916800}

// phiSmall2 bounds x² on the polynomial's side: |x| < 1.
const phiSmall2 = 1

// phiPoly evaluates the polynomial by Estrin's scheme (a shorter chain of
// dependent operations than Horner's, so the SIMD version overlaps them).
func phiPoly(y float32) float32 {
	a := &phiA
	y2 := float32(y * y)
	y4 := float32(y2 * y2)
	y8 := float32(y4 * y4)
	q0 := float32(a[1]*y) + a[0]
	q1 := float32(a[3]*y) + a[2]
	q2 := float32(a[5]*y) + a[4]
	q3 := float32(a[7]*y) + a[6]
	q4 := float32(a[9]*y) + a[8]
	r0 := float32(q1*y2) + q0
	r1 := float32(q3*y2) + q2
	r2 := float32(a[10]*y2) + q4
	s0 := float32(r1*y4) + r0
	return float32(r2*y8) + s0
}

func phiGeneric(x []float32, dt float32) {
	for i, g := range x {
		y := float32(g * dt)
		var p float32
		if float32(y*y) < phiSmall2 {
			p = phiPoly(y)
		} else {
			p = (1 - fastmath.Exp32(-y)) / y
		}
		x[i] = p
	}
}
