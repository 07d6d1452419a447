package fastmath

import "math"

// Constants of Exp32, shared with the SIMD kernels (internal/kernel), which
// must reproduce it bit for bit.
const (
	Exp32Lo    = -87.0                   // inputs are clamped to [Exp32Lo, Exp32Hi]
	Exp32Hi    = 88.0                    //
	Log2E32    = float32(1.442695041)    // log2(e) rounded to float32
	Ln2Hi32    = float32(0.693359375)    // ln 2 split for Cody-Waite reduction:
	Ln2Lo32    = float32(-2.12194440e-4) // Ln2Hi32 + Ln2Lo32 ≈ ln 2, Ln2Hi32·n exact
	expC2      = float32(1.0 / 2)
	expC3      = float32(1.0 / 6)
	expC4      = float32(1.0 / 24)
	expC5      = float32(1.0 / 120)
	expC6      = float32(1.0 / 720)
	expC7      = float32(1.0 / 5040)
	roundMagic = float32(12582912) // 1.5·2^23
	floatBias  = 127
	mantissaSz = 23
)

// Exp32Coeffs are the Taylor coefficients 1/k! (k = 2..7) of e^y used by
// Exp32, in order.
var Exp32Coeffs = [6]float32{expC2, expC3, expC4, expC5, expC6, expC7}

// Exp32 returns e^x in float32 with a relative error below 3e-7 on the
// clamped range [-87, 88]. Every operation is a single float32 operation in
// a fixed order (explicit conversions prevent fused multiply-adds), so the
// AVX2 kernels compute exactly the same bits:
//
//	n = round-half-even(x·log2 e), y = (x - n·Ln2Hi) - n·Ln2Lo,
//	e^y = 1 + y(1 + y(1/2 + y(1/6 + y(1/24 + y(1/120 + y(1/720 + y/5040)))))),
//	e^x = e^y · 2^n.
func Exp32(x float32) float32 {
	if x < Exp32Lo {
		x = Exp32Lo
	}
	if x > Exp32Hi {
		x = Exp32Hi
	}
	// Adding and subtracting 1.5·2^23 rounds |t| < 2^22 to the nearest
	// integer, ties to even, exactly as the SIMD round instruction does.
	t := float32(x * Log2E32)
	n := float32(t+roundMagic) - roundMagic
	y := float32(x-float32(n*Ln2Hi32)) - float32(n*Ln2Lo32)
	p := float32(expC7*y) + expC6
	p = float32(p*y) + expC5
	p = float32(p*y) + expC4
	p = float32(p*y) + expC3
	p = float32(p*y) + expC2
	p = float32(p*y) + 1
	p = float32(p*y) + 1
	return p * math.Float32frombits(uint32(int32(n)+floatBias)<<mantissaSz)
}
