//go:build !amd64

package kernel

func haveAVX2() bool { return false }

func synAVX2(k *[17][8]float32, gA, nR, nD, gG, bR, bD, exc, inh, v, iSyn, gTot *float32, n int) {
	panic("kernel: no SIMD on this architecture")
}

func driveBitsAVX2(bits *uint32, base uint32, key uint64, n int) {
	panic("kernel: no SIMD on this architecture")
}

func radiusAVX2(bits *uint32, groups int) {
	panic("kernel: no SIMD on this architecture")
}

func driveAVX2(cur *float32, bits *uint32, mean, std float32, groups int) {
	panic("kernel: no SIMD on this architecture")
}

func izhAVX2(v, u, aDt, b, c, d, I, phi *float32, groups int, dt float32, masks, nonFinite *uint8) uint8 {
	panic("kernel: no SIMD on this architecture")
}

func mulAVX2(x, y *float32, n int) {
	panic("kernel: no SIMD on this architecture")
}

func leakAVX2(iSyn, v, gTot *float32, gt, e float32, n int) {
	panic("kernel: no SIMD on this architecture")
}

func phiAVX2(x *float32, dt float32, n int) {
	panic("kernel: no SIMD on this architecture")
}
