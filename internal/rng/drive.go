package rng

import "math"

// The background drive needs one normal deviate per neuron per step, so its
// generator is built for 8-lane SIMD (internal/kernel): 32-bit hashing and
// the 256-layer ziggurat of Norm, whose fast path is an integer compare and
// one multiply.
// The scalar functions here define the stream; the kernels reproduce them
// bit for bit.

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

// DriveBits returns the 32 random bits of neuron i at a step whose key is
// k (k.Sub(step) of the run's Drive key): two rounds of Hash32 keyed by the
// two halves of k.
func DriveBits(k Key, i uint32) uint32 {
	return Hash32(Hash32(i+uint32(k)) ^ uint32(k>>32))
}

var (
	// Zig32K and Zig32Xs drive the fast path: with layer i = r & 255 and
	// u = r >> 9 (23 bits), the deviate is ±float32(u)·Zig32Xs[i], accepted
	// when u < Zig32K[i]; bit 8 of r is the sign.
	Zig32K  [256]uint32
	Zig32Xs [256]float32
)

// initZig32 derives the fast-path tables; it runs after the ziggurat's
// (init functions run in file-name order, so normal.go's init calls it).
func initZig32() {
	for i := range 256 {
		// Conservative: u < K[i] implies u·2^-23·X[i] < X[i+1].
		Zig32K[i] = uint32(math.Floor(zigX[i+1] / zigX[i] * (1 << 23)))
		Zig32Xs[i] = float32(zigX[i] * 0x1p-23)
	}
}

// NormFast32 is the fast path of Norm32: the deviate and true, or false
// when r falls outside the layer's inner rectangle (1.5 % of values).
func NormFast32(r uint32) (float32, bool) {
	i := r & 255
	u := r >> 9
	if u >= Zig32K[i] {
		return 0, false
	}
	x := float32(u) * Zig32Xs[i]
	return math.Float32frombits(math.Float32bits(x) ^ (r&0x100)<<23), true
}

// NormSlow32 completes Norm32 for values NormFast32 rejects: the wedge and
// tail tests of the ziggurat, with further bits from a SplitMix64 chain
// seeded by (k, i, r); on rejection a fresh deviate comes from Norm, an
// exact sampler, which keeps the result exactly normal.
func NormSlow32(k Key, i, r uint32) float32 {
	layer := r & 255
	neg := r&0x100 != 0
	x := float64(r>>9) * 0x1p-23 * zigX[layer]
	chain := Mix(uint64(k) ^ (uint64(i)<<32 | uint64(r)))
	sign := func(v float64) float32 {
		if neg {
			return float32(-v)
		}
		return float32(v)
	}
	if x < zigX[layer+1] {
		return sign(x)
	}
	if layer == 0 { // tail beyond r (Marsaglia 1964)
		for {
			a := -math.Log(Open(chain)) / zigR
			chain = Mix(chain + gamma)
			b := -math.Log(Open(chain))
			chain = Mix(chain + gamma)
			if 2*b > a*a {
				return sign(zigR + a)
			}
		}
	}
	y := zigF[layer] + Float64(chain)*(zigF[layer+1]-zigF[layer])
	if y < math.Exp(-0.5*x*x) {
		return sign(x)
	}
	return float32(Norm(Mix(chain + gamma)))
}

// Norm32 returns the standard normal deviate of neuron i at the step with
// key k.
func Norm32(k Key, i uint32) float32 {
	r := DriveBits(k, i)
	if x, ok := NormFast32(r); ok {
		return x
	}
	return NormSlow32(k, i, r)
}
