package kernel

import "golang.org/x/sys/cpu"

func haveAVX2() bool { return cpu.X86.HasAVX2 }

// synAVX2 is synGeneric on n neurons (a multiple of 8).
//
//go:noescape
func synAVX2(k *Syn, gA, nR, nD, gG, bR, bD, exc, inh, v, iSyn *float32, n int)

// driveAVX2 is driveGeneric on 8·groups neurons, except that lanes outside
// the ziggurat's fast path are left unchanged and flagged in rejected (one
// byte of lane bits per group). zigK and zigXs are rng.Zig32K and
// rng.Zig32Xs.
//
//go:noescape
func driveAVX2(cur *float32, first uint32, key uint64, mean, std float32, groups int, rejected *uint8, zigK *uint32, zigXs *float32)

// izhAVX2 is izhGeneric on 8·groups neurons, writing the spikes as one byte
// of lane bits per group to masks and the lanes whose new state is NaN or
// infinite (before the reset) to nonFinite; it returns nonzero if any is.
//
//go:noescape
func izhAVX2(v, u, aDt, b, c, d, I *float32, groups int, dt float32, masks, nonFinite *uint8) uint8
