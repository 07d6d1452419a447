// Package fastmath holds the few transcendental functions that sit in the
// per-neuron inner loop, computed faster than package math at the accuracy
// float32 state needs.
package fastmath

import "math"

const (
	log2e = 1.4426950408889634
	ln2   = 0.6931471805599453
	// round is 1.5·2^52: adding it to |t| < 2^51 rounds t to an integer held
	// in the low mantissa bits.
	round = 0x1.8p52
)

// Exp returns e^x with a relative error below 1e-8 (float32 resolution is
// 6e-8). Outside [-708, 709] it saturates instead of returning 0 or +Inf,
// which is what the membrane equations want. NaN in gives NaN out.
//
// e^x = 2^n · e^y with n = round(x·log2 e) and |y| <= ln2/2; e^y is a
// degree-7 Taylor polynomial evaluated by Estrin's scheme for instruction
// parallelism (remainder (ln2/2)^8/8! < 6e-9).
func Exp(x float64) float64 {
	if x < -708 {
		x = -708
	} else if x > 709 {
		x = 709
	}
	t := x * log2e
	r := t + round
	n := int64(math.Float64bits(r)&(1<<52-1)) - 1<<51
	y := (t - (r - round)) * ln2
	y2 := y * y
	p := (1 + y) + y2*(1.0/2+y*(1.0/6)) + y2*y2*((1.0/24+y*(1.0/120))+y2*(1.0/720+y*(1.0/5040)))
	return p * math.Float64frombits(uint64(n+1023)<<52)
}
