package kernel

import "golang.org/x/sys/cpu"

func haveAVX2() bool { return cpu.X86.HasAVX2 }

// synAVX2 is synGeneric on n neurons (a multiple of 8); gTot may be nil.
//
//go:noescape
func synAVX2(k *[17][8]float32, gA, nR, nD, gG, bR, bD, exc, inh, v, iSyn, gTot *float32, n int)

// driveBitsAVX2 sets bits[i] = rng.DriveBits(key, base+i) for i < n, a
// multiple of 8.
//
//go:noescape
func driveBitsAVX2(bits *uint32, base uint32, key uint64, n int)

// radiusAVX2 replaces the first 8 words of each group of 16 DriveBits by
// rng.Radius of them (float32 bits).
//
//go:noescape
func radiusAVX2(bits *uint32, groups int)

// driveAVX2 is driveGeneric on 16·groups neurons from a multiple of 16
// (the Box-Muller pairing of rng.Norm32), given their radii and DriveBits
// (as radiusAVX2 leaves them).
//
//go:noescape
func driveAVX2(cur *float32, bits *uint32, mean, std float32, groups int)

// izhAVX2 is izhGeneric on 8·groups neurons, writing the spikes as one byte
// of lane bits per group to masks and the lanes whose new state is NaN or
// infinite (before the reset) to nonFinite; it returns nonzero if any is.
// phi may be nil (forward Euler).
//
//go:noescape
func izhAVX2(v, u, aDt, b, c, d, I, phi *float32, groups int, dt float32, masks, nonFinite *uint8) uint8

// phiAVX2 is phiGeneric on n values (a multiple of 8).
//
//go:noescape
func phiAVX2(x *float32, dt float32, n int)

// mulAVX2 is mulGeneric on n values (a multiple of 8).
//
//go:noescape
func mulAVX2(x, y *float32, n int)

// leakAVX2 is leakGeneric on n neurons (a multiple of 8); gTot may be nil.
//
//go:noescape
func leakAVX2(iSyn, v, gTot *float32, gt, e float32, n int)
