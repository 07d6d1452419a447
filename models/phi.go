package models

import "math"

// Phi is the factor of exponential Euler, φ(y) = (1 - e^-y)/y with φ(0) = 1,
// at y = G dt (package doc), in float64: the gradient paths (packages
// adjoint and graph) use it; the engine's float32 kernel agrees within 2e-6.
func Phi(y float64) float64 {
	if y == 0 {
		return 1
	}
	return -math.Expm1(-y) / y
}

// PhiDeriv is dφ/dy = (e^-y (1 + y) - 1)/y², by its Taylor series
// Σ_{k>=1} (-1)^k k y^(k-1)/(k+1)! where |y| < 1/2 (the closed form cancels
// there), which converges to within 1e-17 in 20 terms.
func PhiDeriv(y float64) float64 {
	if math.Abs(y) >= 0.5 {
		return (math.Exp(-y)*(1+y) - 1) / (y * y)
	}
	s, term := 0.0, 1.0 // term = (-1)^k y^(k-1)/(k+1)!
	for k := 1; k <= 20; k++ {
		term *= -1 / float64(k+1)
		if k > 1 {
			term *= y
		}
		s += float64(k) * term
	}
	return s
}
