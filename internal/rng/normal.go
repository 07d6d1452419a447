package rng

import "math"

// Ziggurat tables for the standard normal density f(x) = exp(-x²/2) with 256
// layers of equal area v (Marsaglia & Tsang 2000, section 2). x[0] is the
// pseudo-edge of the base layer (v / f(r)), x[1] = r is where the tail
// begins, x[i] decreases to x[256] = 0.
const (
	zigR = 3.6541528853610088
	zigV = 0.00492867323399
)

var (
	zigX     [257]float64
	zigF     [257]float64                    // f(zigX[i])
	zigLayer [256]struct{ ratio, x float64 } // zigX[i+1]/zigX[i] (fast-path bound) and zigX[i]
)

func init() {
	f := func(x float64) float64 { return math.Exp(-0.5 * x * x) }
	zigX[0] = zigV / f(zigR)
	zigX[1] = zigR
	for i := 2; i < 256; i++ {
		zigX[i] = math.Sqrt(-2 * math.Log(zigV/zigX[i-1]+f(zigX[i-1])))
	}
	zigX[256] = 0
	for i := range zigX {
		zigF[i] = f(zigX[i])
	}
	for i := range zigLayer {
		zigLayer[i].ratio = zigX[i+1] / zigX[i]
		zigLayer[i].x = zigX[i]
	}
}

// Norm maps 64 random bits to a standard normal deviate. The result is a
// pure function of u: the rare rejections draw further bits from the chain
// u, Mix(u+γ), ... so Norm stays counter-based. The fast path (98.8 % of
// calls) is small enough to be inlined into the drive loop.
func Norm(u uint64) float64 {
	l := &zigLayer[uint8(u)]
	if w := float64(u>>11) * 0x1p-53; w < l.ratio {
		// Bit 8 of u becomes the sign bit.
		return math.Float64frombits(math.Float64bits(w*l.x) ^ (u&0x100)<<55)
	}
	return normSlow(u)
}

func normSlow(u uint64) float64 {
	for {
		i := u & 0xff
		neg := u&0x100 != 0
		w := float64(u>>11) * 0x1p-53 // uniform in [0, 1), independent of i and sign
		x := w * zigX[i]
		if w < zigLayer[i].ratio { // inside the rectangle below layer i+1: accept
			if neg {
				return -x
			}
			return x
		}
		u = Mix(u + gamma)
		if i == 0 { // base layer beyond r: sample the tail (Marsaglia 1964)
			for {
				a := -math.Log(Open(u)) / zigR
				u = Mix(u + gamma)
				b := -math.Log(Open(u))
				u = Mix(u + gamma)
				if 2*b > a*a {
					if neg {
						return -(zigR + a)
					}
					return zigR + a
				}
			}
		}
		// Wedge between f(x[i]) and f(x[i+1]).
		y := zigF[i] + Float64(u)*(zigF[i+1]-zigF[i])
		if y < math.Exp(-0.5*x*x) {
			if neg {
				return -x
			}
			return x
		}
		u = Mix(u + gamma)
	}
}
