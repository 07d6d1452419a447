package fastmath

import "math"

// Constants of Log32, shared with the SIMD kernels (internal/kernel).
const (
	Sqrt2F32 = float32(1.4142135) // mantissas above it are halved
	logC3    = float32(1.0 / 3)
	logC5    = float32(1.0 / 5)
	logC7    = float32(1.0 / 7)
	logC9    = float32(1.0 / 9)
	logC11   = float32(1.0 / 11)
)

// Log32 returns ln x for a normal positive float32 x with an absolute error
// below 2e-7 (relative error below 3e-7 away from x = 1), computed in
// single float32 operations in a fixed order so that the AVX2 kernels
// reproduce it exactly:
//
//	x = m·2^e with m in [√2/2, √2],  s = (m - 1)/(m + 1),
//	ln m = 2s(1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9 + s¹⁰/11)   (atanh series, |s| <= 0.172),
//	ln x = e·ln2_hi + (e·ln2_lo + ln m).
//
// Zero, negative, subnormal, infinite and NaN inputs are outside its domain.
func Log32(x float32) float32 {
	b := math.Float32bits(x)
	e := int32(b>>mantissaSz) - floatBias
	m := math.Float32frombits(b&(1<<mantissaSz-1) | floatBias<<mantissaSz) // [1, 2)
	if m > Sqrt2F32 {
		m = m * 0.5
		e++
	}
	s := (m - 1) / (m + 1)
	z := s * s
	p := float32(logC11*z) + logC9
	p = float32(p*z) + logC7
	p = float32(p*z) + logC5
	p = float32(p*z) + logC3
	p = float32(p*z) + 1
	t := float32(s * p)
	lnm := t + t
	fe := float32(e)
	return float32(fe*Ln2Hi32) + (float32(fe*Ln2Lo32) + lnm)
}
