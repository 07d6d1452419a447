// Package kernel holds the engine's per-neuron inner loops over float32
// structure-of-arrays state: the synaptic conductance step, the background
// drive, the Izhikevich step, the exponential-Euler factor Phi and the
// small helpers Leak and Mul. Each has a
// portable Go version (generic.go) that defines its arithmetic, one float32
// operation at a time in a fixed order (explicit conversions prevent fused
// multiply-adds), and on amd64 with AVX2 an assembly version that processes
// 8 neurons per instruction and produces exactly the same bits. Tests
// compare the two on random and extreme inputs. Set BL1_NOSIMD=1 to force
// the portable code.
//
// The equations are documented in packages synapses (conductances, Mg2+
// block), models (Izhikevich) and sim (drive).
package kernel

import (
	"math/bits"
	"os"

	"github.com/bl1-go/bl1/internal/rng"
)

// SIMD reports whether the AVX2 kernels are in use.
var SIMD = haveAVX2() && os.Getenv("BL1_NOSIMD") == ""

// Syn holds the per-step constants of the conductance step. Set the
// fields, then call Prepare before the first SynStep.
type Syn struct {
	DAMPA, DNMDAr, DNMDAd, DGABAA, DGABABr, DGABABd       float32 // decay per step, e^(-dt/τ)
	InAMPA, InNMDAr, InNMDAd, InGABAA, InGABABr, InGABABd float32 // arrival gains (fraction × peak norm)
	EAMPA, ENMDA, EGABAA, EGABAB                          float32 // reversal potentials, mV
	MgK                                                   float32 // [Mg2+] / 3.57 mM

	// vec holds the fields above in order, 8 copies each: the assembly
	// uses them as 256-bit memory operands.
	vec *[17][8]float32
}

// Prepare derives the kernel's internal form of the constants; call it
// again after changing a field (it does not allocate then).
func (k *Syn) Prepare() {
	f := [17]float32{k.DAMPA, k.DNMDAr, k.DNMDAd, k.DGABAA, k.DGABABr, k.DGABABd,
		k.InAMPA, k.InNMDAr, k.InNMDAd, k.InGABAA, k.InGABABr, k.InGABABd,
		k.EAMPA, k.ENMDA, k.EGABAA, k.EGABAB, k.MgK}
	if k.vec == nil {
		k.vec = new([17][8]float32)
	}
	for i, x := range f {
		for j := range 8 {
			k.vec[i][j] = x
		}
	}
}

// Tiny is the flush-to-zero level of decaying conductances.
const Tiny = 1e-30

// MgSlope is the voltage slope of the Mg2+ block, 1/mV (Jahr & Stevens 1990).
const MgSlope = float32(0.062)

// Conductances are the six receptor state variables of a block of neurons.
type Conductances struct {
	AMPA, NMDARise, NMDADecay, GABAA, GABABRise, GABABDecay []float32
}

const badLength = "kernel: slice lengths differ"

// SynStep advances the conductances of len(v) neurons by one step: decay,
// then the summed arrivals exc and inh (which it zeroes) split across
// receptors; it writes the synaptic current at potentials v to iSyn and,
// when gTot is not nil, the total conductance (with the NMDA receptors'
// Mg2+ block at v) to gTot.
func SynStep(k *Syn, g Conductances, exc, inh, v, iSyn, gTot []float32) {
	n := len(v)
	if len(g.AMPA) != n || len(g.NMDARise) != n || len(g.NMDADecay) != n || len(g.GABAA) != n ||
		len(g.GABABRise) != n || len(g.GABABDecay) != n || len(exc) != n || len(inh) != n || len(iSyn) != n ||
		(gTot != nil && len(gTot) != n) {
		panic(badLength)
	}
	done := 0
	if SIMD && n >= 8 {
		if k.vec == nil {
			panic("kernel: Syn used before Prepare")
		}
		done = n &^ 7
		var gt *float32
		if gTot != nil {
			gt = &gTot[0]
		}
		synAVX2(k.vec, &g.AMPA[0], &g.NMDARise[0], &g.NMDADecay[0], &g.GABAA[0], &g.GABABRise[0], &g.GABABDecay[0],
			&exc[0], &inh[0], &v[0], &iSyn[0], gt, done)
	}
	if gTot != nil {
		gTot = gTot[done:]
	}
	synGeneric(k, g.AMPA[done:], g.NMDARise[done:], g.NMDADecay[done:], g.GABAA[done:], g.GABABRise[done:],
		g.GABABDecay[done:], exc[done:], inh[done:], v[done:], iSyn[done:], gTot)
}

// Drive adds mean + std·ξ to cur[i], where ξ = rng.Norm32(key, first+i) is
// the standard normal deviate of neuron first+i at the step whose key is
// key.
func Drive(cur []float32, first uint32, key rng.Key, mean, std float32) {
	if !SIMD {
		driveGeneric(cur, first, key, mean, std)
		return
	}
	// The SIMD kernel works on aligned groups of 16 neurons (the pairs of
	// the Box-Muller transform); the ragged ends take the portable path.
	head := min(len(cur), int((16-first%16)%16))
	driveGeneric(cur[:head], first, key, mean, std)
	groups := (len(cur) - head) / 16
	// Hashing, radii, then angles and the update: three loops with short
	// dependency chains overlap across iterations far better than one.
	var bits [2048]uint32
	for g0 := 0; g0 < groups; g0 += len(bits) / 16 {
		k := min(groups-g0, len(bits)/16)
		at := head + 16*g0
		driveBitsAVX2(&bits[0], first+uint32(at), uint64(key), 16*k)
		radiusAVX2(&bits[0], k)
		driveAVX2(&cur[at], &bits[0], mean, std, k)
	}
	tail := head + 16*groups
	driveGeneric(cur[tail:], first+uint32(tail), key, mean, std)
}

// Izhikevich is a block of Izhikevich neurons: state and per-neuron
// parameters (ADt = a·dt).
type Izhikevich struct {
	V, U, ADt, B, C, D []float32
}

// IzhStep advances the neurons by one forward-Euler step under input I
// (mV/ms) and appends the indices (first + i) of those that spiked. With
// phi not nil, the step of v is multiplied by phi[i] (exponential Euler:
// phi from Phi). It returns the index of the first neuron whose state
// became NaN or infinite, or -1.
func IzhStep(p Izhikevich, I, phi []float32, dt float32, first int32, spikes []int32) ([]int32, int) {
	n := len(p.V)
	if len(p.U) != n || len(p.ADt) != n || len(p.B) != n || len(p.C) != n || len(p.D) != n || len(I) != n ||
		(phi != nil && len(phi) != n) {
		panic(badLength)
	}
	done, bad := 0, -1
	if SIMD && n >= 8 {
		done = n &^ 7
		var masks, nonFinite [256]uint8
		for g0 := 0; g0 < done; g0 += 8 * len(masks) {
			groups := min(len(masks), (done-g0)/8)
			var ph *float32
			if phi != nil {
				ph = &phi[g0]
			}
			if izhAVX2(&p.V[g0], &p.U[g0], &p.ADt[g0], &p.B[g0], &p.C[g0], &p.D[g0], &I[g0], ph, groups, dt, &masks[0], &nonFinite[0]) != 0 && bad < 0 {
				for gi, m := range nonFinite[:groups] {
					if m != 0 {
						bad = int(first) + g0 + 8*gi + bits.TrailingZeros8(m)
						break
					}
				}
			}
			for gi, m := range masks[:groups] {
				for lane := 0; m != 0; lane++ {
					if m&1 != 0 {
						spikes = append(spikes, first+int32(g0+8*gi+lane))
					}
					m >>= 1
				}
			}
		}
	}
	if phi != nil {
		phi = phi[done:]
	}
	var b int
	spikes, b = izhGeneric(p.V[done:], p.U[done:], p.ADt[done:], p.B[done:], p.C[done:], p.D[done:], I[done:], phi, dt, first+int32(done), spikes)
	if bad < 0 {
		bad = b
	}
	return spikes, bad
}

// Phi replaces each conductance x[i] (1/ms) by the exponential-Euler factor
// φ(x[i]·dt), φ(y) = (1 - e^-y)/y (φ(0) = 1): the exact step of
// v' = c - G v over dt is dt·(c - G v)·φ(G dt). |y| < 1 takes a Taylor
// polynomial (Σ (-y)^k/(k+1)!, k <= 10), the rest Exp32; relative error
// below 2e-6.
func Phi(x []float32, dt float32) {
	done := 0
	if SIMD && len(x) >= 8 {
		done = len(x) &^ 7
		phiAVX2(&x[0], dt, done)
	}
	phiGeneric(x[done:], dt)
}

// Leak adds the current of a constant conductance g with reversal
// potential e, g·(e - v[i]), to iSyn[i] (the tonic GABA_A current), and g
// to gTot[i] when gTot is not nil.
func Leak(iSyn, v, gTot []float32, g, e float32) {
	if len(iSyn) != len(v) || (gTot != nil && len(gTot) != len(v)) {
		panic(badLength)
	}
	done := 0
	if SIMD && len(v) >= 8 {
		done = len(v) &^ 7
		var gt *float32
		if gTot != nil {
			gt = &gTot[0]
		}
		leakAVX2(&iSyn[0], &v[0], gt, g, e, done)
	}
	if gTot != nil {
		gTot = gTot[done:]
	}
	leakGeneric(iSyn[done:], v[done:], gTot, g, e)
}

// Mul sets x[i] = x[i]·y[i] (used to apply per-neuron gains to arrivals).
func Mul(x, y []float32) {
	if len(x) != len(y) {
		panic(badLength)
	}
	done := 0
	if SIMD && len(x) >= 8 {
		done = len(x) &^ 7
		mulAVX2(&x[0], &y[0], done)
	}
	mulGeneric(x[done:], y[done:])
}
