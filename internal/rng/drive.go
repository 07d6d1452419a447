package rng

import (
	"math"

	"github.com/bl1-go/bl1/internal/fastmath"
)

// The background drive needs one normal deviate per neuron per step, so its
// generator is built for 8-lane SIMD (internal/kernel) and has no
// rejection step: 32-bit hashing and the Box-Muller transform (Box &
// Muller 1958, Ann Math Stat 29:610, doi:10.1214/aoms/1177706645) on
// pairs of neurons. The scalar functions here define the stream; the
// kernels reproduce them bit for bit.
//
// Neurons are paired within aligned groups of 16: neuron n = 16g + l pairs
// lane p = l mod 8 with lane p + 8. With a = DriveBits(16g + p) and
// b = DriveBits(16g + p + 8),
//
//	u = ((a >> 8) + 1)·2^-24 in (0, 1],  θ = 2π·(b >> 8)·2^-24,
//	ξ_{16g+p} = sqrt(-2 ln u)·cos θ,  ξ_{16g+p+8} = sqrt(-2 ln u)·sin θ,
//
// two independent N(0,1) deviates. With 24-bit uniforms the largest
// deviate is sqrt(48 ln 2) = 5.77: the tail beyond is cut, a probability of
// 8e-9 per deviate.

// Hash32 is the "lowbias32" integer hash (C. Wellons, hash-prospector,
// 2018): a bijection of uint32 with near-ideal avalanche (bias 0.17).
func Hash32(x uint32) uint32 {
	x ^= x >> 16
	x *= 0x7feb352d
	x ^= x >> 15
	x *= 0x846ca68b
	x ^= x >> 16
	return x
}

// DriveBits returns 32 random bits for counter i at a step whose key is k
// (k.Sub(step) of the run's Drive key): two rounds of Hash32 keyed by the
// two halves of k.
func DriveBits(k Key, i uint32) uint32 {
	return Hash32(Hash32(i+uint32(k)) ^ uint32(k>>32))
}

// Constants of the Box-Muller transform, shared with the SIMD kernel.
const (
	// AngleScale turns a signed 22-bit offset within a quadrant into
	// radians: (π/2)·2^-22.
	AngleScale = float32(math.Pi / (1 << 23))
	sinC3      = float32(-1.0 / 6)
	sinC5      = float32(1.0 / 120)
	sinC7      = float32(-1.0 / 5040)
	sinC9      = float32(1.0 / 362880)
	cosC2      = float32(-1.0 / 2)
	cosC4      = float32(1.0 / 24)
	cosC6      = float32(-1.0 / 720)
	cosC8      = float32(1.0 / 40320)
	cosC10     = float32(-1.0 / 3628800)
)

// Radius returns sqrt(-2 ln u) for u = ((a >> 8) + 1)·2^-24.
func Radius(a uint32) float32 {
	u := float32((a>>8)+1) * 0x1p-24
	return float32(math.Sqrt(float64(-2 * fastmath.Log32(u))))
}

// SinCos returns sin θ and cos θ for θ = 2π·(b >> 8)·2^-24 - π/4 (a uniform
// angle: the offset only rotates it). The top two bits of b >> 8 give the
// quadrant q, the other 22 an angle φ in [-π/4, π/4) where Taylor
// polynomials of degree 9 (sin) and 10 (cos) are accurate to 2e-9; then
// sin(qπ/2 + φ) and cos(qπ/2 + φ) are sin φ and cos φ swapped and negated
// by quadrant.
func SinCos(b uint32) (sin, cos float32) {
	m := b >> 8
	q := m >> 22
	phi := float32(int32(m&(1<<22-1))-1<<21) * AngleScale
	z := phi * phi
	p := float32(sinC9*z) + sinC7
	p = float32(p*z) + sinC5
	p = float32(p*z) + sinC3
	s := phi + float32(float32(phi*z)*p)
	c := float32(cosC10*z) + cosC8
	c = float32(c*z) + cosC6
	c = float32(c*z) + cosC4
	c = float32(c*z) + cosC2
	c = float32(c*z) + 1
	if q&1 != 0 {
		s, c = c, s
	}
	if q&2 != 0 {
		s = -s
	}
	if (q^q>>1)&1 != 0 {
		c = -c
	}
	return s, c
}

// Norm32 returns the standard normal deviate of neuron i at the step with
// key k.
func Norm32(k Key, i uint32) float32 {
	base := i &^ 15
	p := i & 7
	r := Radius(DriveBits(k, base+p))
	s, c := SinCos(DriveBits(k, base+p+8))
	if i&8 == 0 {
		return r * c
	}
	return r * s
}
