//go:build !amd64

package kernel

func haveAVX2() bool { return false }

func synAVX2(k *Syn, gA, nR, nD, gG, bR, bD, exc, inh, v, iSyn *float32, n int) {
	panic("kernel: no SIMD on this architecture")
}

func driveAVX2(cur *float32, first uint32, key uint64, mean, std float32, groups int, rejected *uint8, zigK *uint32, zigXs *float32) {
	panic("kernel: no SIMD on this architecture")
}

func izhAVX2(v, u, aDt, b, c, d, I *float32, groups int, dt float32, masks, nonFinite *uint8) uint8 {
	panic("kernel: no SIMD on this architecture")
}
