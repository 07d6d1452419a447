#include "textflag.h"

// AVX2 versions of the kernels in generic.go. Each instruction performs the
// float32 operation the Go code performs, in the same order, so results are
// bit-identical. Float constants are written as the bits of Go's float32
// conversion of the same expression (the assembler's own decimal parsing
// could round differently). Go assembler operand order: OP src2, src1, dst
// means dst = src1 OP src2.

DATA c_one<>+0(SB)/4, $0x3f800000
GLOBL c_one<>(SB), RODATA|NOPTR, $4
DATA c_ln2hi<>+0(SB)/4, $0x3f318000
GLOBL c_ln2hi<>(SB), RODATA|NOPTR, $4
DATA c_ln2lo<>+0(SB)/4, $0xb95e8083
GLOBL c_ln2lo<>(SB), RODATA|NOPTR, $4
DATA c_bias<>+0(SB)/4, $127
GLOBL c_bias<>(SB), RODATA|NOPTR, $4
DATA c_p004<>+0(SB)/4, $0x3d23d70a
GLOBL c_p004<>(SB), RODATA|NOPTR, $4
DATA c_five<>+0(SB)/4, $0x40a00000
GLOBL c_five<>(SB), RODATA|NOPTR, $4
DATA c_140<>+0(SB)/4, $0x430c0000
GLOBL c_140<>(SB), RODATA|NOPTR, $4
DATA c_peak<>+0(SB)/4, $0x41f00000
GLOBL c_peak<>(SB), RODATA|NOPTR, $4
DATA c_h1<>+0(SB)/4, $0x7feb352d
GLOBL c_h1<>(SB), RODATA|NOPTR, $4
DATA c_h2<>+0(SB)/4, $0x846ca68b
GLOBL c_h2<>(SB), RODATA|NOPTR, $4
DATA c_eight<>+0(SB)/4, $8
GLOBL c_eight<>(SB), RODATA|NOPTR, $4
DATA c_lanes<>+0(SB)/4, $0
DATA c_lanes<>+4(SB)/4, $1
DATA c_lanes<>+8(SB)/4, $2
DATA c_lanes<>+12(SB)/4, $3
DATA c_lanes<>+16(SB)/4, $4
DATA c_lanes<>+20(SB)/4, $5
DATA c_lanes<>+24(SB)/4, $6
DATA c_lanes<>+28(SB)/4, $7
GLOBL c_lanes<>(SB), RODATA|NOPTR, $32

DATA c_ione<>+0(SB)/4, $1
GLOBL c_ione<>(SB), RODATA|NOPTR, $4
DATA c_itwo<>+0(SB)/4, $2
GLOBL c_itwo<>(SB), RODATA|NOPTR, $4
DATA c_2m24<>+0(SB)/4, $0x33800000
GLOBL c_2m24<>(SB), RODATA|NOPTR, $4
DATA c_mantmask<>+0(SB)/4, $0x7fffff
GLOBL c_mantmask<>(SB), RODATA|NOPTR, $4
DATA c_onebits<>+0(SB)/4, $0x3f800000
GLOBL c_onebits<>(SB), RODATA|NOPTR, $4
DATA c_sqrt2<>+0(SB)/4, $0x3fb504f3
GLOBL c_sqrt2<>(SB), RODATA|NOPTR, $4
DATA c_half<>+0(SB)/4, $0x3f000000
GLOBL c_half<>(SB), RODATA|NOPTR, $4
DATA c_mtwo<>+0(SB)/4, $0xc0000000
GLOBL c_mtwo<>(SB), RODATA|NOPTR, $4
DATA c_m22<>+0(SB)/4, $0x3fffff
GLOBL c_m22<>(SB), RODATA|NOPTR, $4
DATA c_i2p21<>+0(SB)/4, $0x200000
GLOBL c_i2p21<>(SB), RODATA|NOPTR, $4

// Coefficients of fastmath.Log32 (1/11, 1/9, 1/7, 1/5, 1/3), of the angle
// scale (π/2^23) and of the sine and cosine polynomials of rng.SinCos
// (Taylor: -1/3!, 1/5!, -1/7!, 1/9!; -1/2!, 1/4!, -1/6!, 1/8!, -1/10!),
// each the nearest float32, as in Go.
DATA c_l11<>+0(SB)/4, $0x3dba2e8c
GLOBL c_l11<>(SB), RODATA|NOPTR, $4
DATA c_l9<>+0(SB)/4, $0x3de38e39
GLOBL c_l9<>(SB), RODATA|NOPTR, $4
DATA c_l7<>+0(SB)/4, $0x3e124925
GLOBL c_l7<>(SB), RODATA|NOPTR, $4
DATA c_l5<>+0(SB)/4, $0x3e4ccccd
GLOBL c_l5<>(SB), RODATA|NOPTR, $4
DATA c_l3<>+0(SB)/4, $0x3eaaaaab
GLOBL c_l3<>(SB), RODATA|NOPTR, $4
DATA c_angle<>+0(SB)/4, $0x34c90fdb
GLOBL c_angle<>(SB), RODATA|NOPTR, $4
DATA c_s3<>+0(SB)/4, $0xbe2aaaab
GLOBL c_s3<>(SB), RODATA|NOPTR, $4
DATA c_s5<>+0(SB)/4, $0x3c088889
GLOBL c_s5<>(SB), RODATA|NOPTR, $4
DATA c_s7<>+0(SB)/4, $0xb9500d01
GLOBL c_s7<>(SB), RODATA|NOPTR, $4
DATA c_s9<>+0(SB)/4, $0x3638ef1d
GLOBL c_s9<>(SB), RODATA|NOPTR, $4
DATA c_c2<>+0(SB)/4, $0xbf000000
GLOBL c_c2<>(SB), RODATA|NOPTR, $4
DATA c_c4<>+0(SB)/4, $0x3d2aaaab
GLOBL c_c4<>(SB), RODATA|NOPTR, $4
DATA c_c6<>+0(SB)/4, $0xbab60b61
GLOBL c_c6<>(SB), RODATA|NOPTR, $4
DATA c_c8<>+0(SB)/4, $0x37d00d01
GLOBL c_c8<>(SB), RODATA|NOPTR, $4
DATA c_c10<>+0(SB)/4, $0xb493f27e
GLOBL c_c10<>(SB), RODATA|NOPTR, $4

// 8-lane copies of the constants the conductance loop folds into its
// arithmetic as 256-bit memory operands.
DATA v_tiny<>+0(SB)/4, $0x0da24260
DATA v_tiny<>+4(SB)/4, $0x0da24260
DATA v_tiny<>+8(SB)/4, $0x0da24260
DATA v_tiny<>+12(SB)/4, $0x0da24260
DATA v_tiny<>+16(SB)/4, $0x0da24260
DATA v_tiny<>+20(SB)/4, $0x0da24260
DATA v_tiny<>+24(SB)/4, $0x0da24260
DATA v_tiny<>+28(SB)/4, $0x0da24260
GLOBL v_tiny<>(SB), RODATA|NOPTR, $32
DATA v_negslope<>+0(SB)/4, $0xbd7df3b6
DATA v_negslope<>+4(SB)/4, $0xbd7df3b6
DATA v_negslope<>+8(SB)/4, $0xbd7df3b6
DATA v_negslope<>+12(SB)/4, $0xbd7df3b6
DATA v_negslope<>+16(SB)/4, $0xbd7df3b6
DATA v_negslope<>+20(SB)/4, $0xbd7df3b6
DATA v_negslope<>+24(SB)/4, $0xbd7df3b6
DATA v_negslope<>+28(SB)/4, $0xbd7df3b6
GLOBL v_negslope<>(SB), RODATA|NOPTR, $32
DATA v_explo<>+0(SB)/4, $0xc2ae0000
DATA v_explo<>+4(SB)/4, $0xc2ae0000
DATA v_explo<>+8(SB)/4, $0xc2ae0000
DATA v_explo<>+12(SB)/4, $0xc2ae0000
DATA v_explo<>+16(SB)/4, $0xc2ae0000
DATA v_explo<>+20(SB)/4, $0xc2ae0000
DATA v_explo<>+24(SB)/4, $0xc2ae0000
DATA v_explo<>+28(SB)/4, $0xc2ae0000
GLOBL v_explo<>(SB), RODATA|NOPTR, $32
DATA v_exphi<>+0(SB)/4, $0x42b00000
DATA v_exphi<>+4(SB)/4, $0x42b00000
DATA v_exphi<>+8(SB)/4, $0x42b00000
DATA v_exphi<>+12(SB)/4, $0x42b00000
DATA v_exphi<>+16(SB)/4, $0x42b00000
DATA v_exphi<>+20(SB)/4, $0x42b00000
DATA v_exphi<>+24(SB)/4, $0x42b00000
DATA v_exphi<>+28(SB)/4, $0x42b00000
GLOBL v_exphi<>(SB), RODATA|NOPTR, $32
DATA v_log2e<>+0(SB)/4, $0x3fb8aa3b
DATA v_log2e<>+4(SB)/4, $0x3fb8aa3b
DATA v_log2e<>+8(SB)/4, $0x3fb8aa3b
DATA v_log2e<>+12(SB)/4, $0x3fb8aa3b
DATA v_log2e<>+16(SB)/4, $0x3fb8aa3b
DATA v_log2e<>+20(SB)/4, $0x3fb8aa3b
DATA v_log2e<>+24(SB)/4, $0x3fb8aa3b
DATA v_log2e<>+28(SB)/4, $0x3fb8aa3b
GLOBL v_log2e<>(SB), RODATA|NOPTR, $32
DATA v_magic<>+0(SB)/4, $0x4b400000
DATA v_magic<>+4(SB)/4, $0x4b400000
DATA v_magic<>+8(SB)/4, $0x4b400000
DATA v_magic<>+12(SB)/4, $0x4b400000
DATA v_magic<>+16(SB)/4, $0x4b400000
DATA v_magic<>+20(SB)/4, $0x4b400000
DATA v_magic<>+24(SB)/4, $0x4b400000
DATA v_magic<>+28(SB)/4, $0x4b400000
GLOBL v_magic<>(SB), RODATA|NOPTR, $32
DATA v_ln2hi<>+0(SB)/4, $0x3f318000
DATA v_ln2hi<>+4(SB)/4, $0x3f318000
DATA v_ln2hi<>+8(SB)/4, $0x3f318000
DATA v_ln2hi<>+12(SB)/4, $0x3f318000
DATA v_ln2hi<>+16(SB)/4, $0x3f318000
DATA v_ln2hi<>+20(SB)/4, $0x3f318000
DATA v_ln2hi<>+24(SB)/4, $0x3f318000
DATA v_ln2hi<>+28(SB)/4, $0x3f318000
GLOBL v_ln2hi<>(SB), RODATA|NOPTR, $32
DATA v_ln2lo<>+0(SB)/4, $0xb95e8083
DATA v_ln2lo<>+4(SB)/4, $0xb95e8083
DATA v_ln2lo<>+8(SB)/4, $0xb95e8083
DATA v_ln2lo<>+12(SB)/4, $0xb95e8083
DATA v_ln2lo<>+16(SB)/4, $0xb95e8083
DATA v_ln2lo<>+20(SB)/4, $0xb95e8083
DATA v_ln2lo<>+24(SB)/4, $0xb95e8083
DATA v_ln2lo<>+28(SB)/4, $0xb95e8083
GLOBL v_ln2lo<>(SB), RODATA|NOPTR, $32
DATA v_e7<>+0(SB)/4, $0x39500d01
DATA v_e7<>+4(SB)/4, $0x39500d01
DATA v_e7<>+8(SB)/4, $0x39500d01
DATA v_e7<>+12(SB)/4, $0x39500d01
DATA v_e7<>+16(SB)/4, $0x39500d01
DATA v_e7<>+20(SB)/4, $0x39500d01
DATA v_e7<>+24(SB)/4, $0x39500d01
DATA v_e7<>+28(SB)/4, $0x39500d01
GLOBL v_e7<>(SB), RODATA|NOPTR, $32
DATA v_e6<>+0(SB)/4, $0x3ab60b61
DATA v_e6<>+4(SB)/4, $0x3ab60b61
DATA v_e6<>+8(SB)/4, $0x3ab60b61
DATA v_e6<>+12(SB)/4, $0x3ab60b61
DATA v_e6<>+16(SB)/4, $0x3ab60b61
DATA v_e6<>+20(SB)/4, $0x3ab60b61
DATA v_e6<>+24(SB)/4, $0x3ab60b61
DATA v_e6<>+28(SB)/4, $0x3ab60b61
GLOBL v_e6<>(SB), RODATA|NOPTR, $32
DATA v_e5<>+0(SB)/4, $0x3c088889
DATA v_e5<>+4(SB)/4, $0x3c088889
DATA v_e5<>+8(SB)/4, $0x3c088889
DATA v_e5<>+12(SB)/4, $0x3c088889
DATA v_e5<>+16(SB)/4, $0x3c088889
DATA v_e5<>+20(SB)/4, $0x3c088889
DATA v_e5<>+24(SB)/4, $0x3c088889
DATA v_e5<>+28(SB)/4, $0x3c088889
GLOBL v_e5<>(SB), RODATA|NOPTR, $32
DATA v_e4<>+0(SB)/4, $0x3d2aaaab
DATA v_e4<>+4(SB)/4, $0x3d2aaaab
DATA v_e4<>+8(SB)/4, $0x3d2aaaab
DATA v_e4<>+12(SB)/4, $0x3d2aaaab
DATA v_e4<>+16(SB)/4, $0x3d2aaaab
DATA v_e4<>+20(SB)/4, $0x3d2aaaab
DATA v_e4<>+24(SB)/4, $0x3d2aaaab
DATA v_e4<>+28(SB)/4, $0x3d2aaaab
GLOBL v_e4<>(SB), RODATA|NOPTR, $32
DATA v_e3<>+0(SB)/4, $0x3e2aaaab
DATA v_e3<>+4(SB)/4, $0x3e2aaaab
DATA v_e3<>+8(SB)/4, $0x3e2aaaab
DATA v_e3<>+12(SB)/4, $0x3e2aaaab
DATA v_e3<>+16(SB)/4, $0x3e2aaaab
DATA v_e3<>+20(SB)/4, $0x3e2aaaab
DATA v_e3<>+24(SB)/4, $0x3e2aaaab
DATA v_e3<>+28(SB)/4, $0x3e2aaaab
GLOBL v_e3<>(SB), RODATA|NOPTR, $32
DATA v_e2<>+0(SB)/4, $0x3f000000
DATA v_e2<>+4(SB)/4, $0x3f000000
DATA v_e2<>+8(SB)/4, $0x3f000000
DATA v_e2<>+12(SB)/4, $0x3f000000
DATA v_e2<>+16(SB)/4, $0x3f000000
DATA v_e2<>+20(SB)/4, $0x3f000000
DATA v_e2<>+24(SB)/4, $0x3f000000
DATA v_e2<>+28(SB)/4, $0x3f000000
GLOBL v_e2<>(SB), RODATA|NOPTR, $32
DATA v_one<>+0(SB)/4, $0x3f800000
DATA v_one<>+4(SB)/4, $0x3f800000
DATA v_one<>+8(SB)/4, $0x3f800000
DATA v_one<>+12(SB)/4, $0x3f800000
DATA v_one<>+16(SB)/4, $0x3f800000
DATA v_one<>+20(SB)/4, $0x3f800000
DATA v_one<>+24(SB)/4, $0x3f800000
DATA v_one<>+28(SB)/4, $0x3f800000
GLOBL v_one<>(SB), RODATA|NOPTR, $32
DATA v_bias<>+0(SB)/4, $127
DATA v_bias<>+4(SB)/4, $127
DATA v_bias<>+8(SB)/4, $127
DATA v_bias<>+12(SB)/4, $127
DATA v_bias<>+16(SB)/4, $127
DATA v_bias<>+20(SB)/4, $127
DATA v_bias<>+24(SB)/4, $127
DATA v_bias<>+28(SB)/4, $127
GLOBL v_bias<>(SB), RODATA|NOPTR, $32

// EXP32 sets x = fastmath.Exp32(x), instruction for instruction: clamp to
// [Exp32Lo, Exp32Hi], n = round(x log2 e), Cody-Waite reduction r, the
// degree-7 polynomial p by Horner's rule, then p·2^n. one, n, r and p are
// scratch registers; one is left holding 1.0 in every lane.
#define EXP32(x, one, n, r, p) \
	VMOVUPS v_explo<>(SB), one \
	VMAXPS x, one, x \
	VMOVUPS v_exphi<>(SB), one \
	VMINPS x, one, x \
	VMULPS v_log2e<>(SB), x, n \
	VADDPS v_magic<>(SB), n, n \
	VSUBPS v_magic<>(SB), n, n \
	VMULPS v_ln2hi<>(SB), n, r \
	VSUBPS r, x, r \
	VMULPS v_ln2lo<>(SB), n, p \
	VSUBPS p, r, r \
	VMULPS v_e7<>(SB), r, p \
	VADDPS v_e6<>(SB), p, p \
	VMULPS r, p, p \
	VADDPS v_e5<>(SB), p, p \
	VMULPS r, p, p \
	VADDPS v_e4<>(SB), p, p \
	VMULPS r, p, p \
	VADDPS v_e3<>(SB), p, p \
	VMULPS r, p, p \
	VADDPS v_e2<>(SB), p, p \
	VMOVUPS v_one<>(SB), one \
	VMULPS r, p, p \
	VADDPS one, p, p \
	VMULPS r, p, p \
	VADDPS one, p, p \
	VCVTPS2DQ n, n \
	VPADDD v_bias<>(SB), n, n \
	VPSLLD $23, n, n \
	VMULPS n, p, x

// DECAY computes dst = flush(mem(g)·k.vec[off]); Y15 holds Tiny.
#define DECAY(g, off, dst, tmp) \
	VMOVUPS (g)(R13*1), dst \
	VMULPS off(AX), dst, dst \
	VCMPPS $1, Y15, dst, tmp \
	VANDNPS dst, tmp, dst

// GAIN computes dst += k.vec[off]·arrivals.
#define GAIN(arr, off, dst, tmp) \
	VMULPS off(AX), arr, tmp \
	VADDPS tmp, dst, dst

// func synAVX2(k *[17][8]float32, gA, nR, nD, gG, bR, bD, exc, inh, v, iSyn, gTot *float32, n int)
//
// k holds the fields of Syn, in order, 8 copies each (Syn.vec). R15 holds
// gTot (0: not written).
TEXT ·synAVX2(SB), NOSPLIT, $0-104
	MOVQ k+0(FP), AX
	MOVQ gA+8(FP), BX
	MOVQ nR+16(FP), CX
	MOVQ nD+24(FP), DX
	MOVQ gG+32(FP), SI
	MOVQ bR+40(FP), DI
	MOVQ bD+48(FP), R8
	MOVQ exc+56(FP), R9
	MOVQ inh+64(FP), R10
	MOVQ v+72(FP), R11
	MOVQ iSyn+80(FP), R12
	MOVQ gTot+88(FP), R15
	MOVQ n+96(FP), R14
	SHLQ $2, R14 // byte length
	XORQ R13, R13
	VMOVUPS v_tiny<>(SB), Y15

synloop:
	VMOVUPS (R9)(R13*1), Y0  // excitatory arrivals
	VMOVUPS (R10)(R13*1), Y1 // inhibitory arrivals
	VXORPS Y2, Y2, Y2
	VMOVUPS Y2, (R9)(R13*1)
	VMOVUPS Y2, (R10)(R13*1)

	// a = flush(gA·dA) + inA·ex, and likewise for the five others.
	DECAY(BX, 0, Y3, Y4)
	GAIN(Y0, 192, Y3, Y4)
	VMOVUPS Y3, (BX)(R13*1)
	DECAY(CX, 32, Y5, Y4)
	GAIN(Y0, 224, Y5, Y4)
	VMOVUPS Y5, (CX)(R13*1)
	DECAY(DX, 64, Y6, Y4)
	GAIN(Y0, 256, Y6, Y4)
	VMOVUPS Y6, (DX)(R13*1)
	DECAY(SI, 96, Y7, Y4)
	GAIN(Y1, 288, Y7, Y4)
	VMOVUPS Y7, (SI)(R13*1)
	DECAY(DI, 128, Y8, Y4)
	GAIN(Y1, 320, Y8, Y4)
	VMOVUPS Y8, (DI)(R13*1)
	DECAY(R8, 160, Y9, Y4)
	GAIN(Y1, 352, Y9, Y4)
	VMOVUPS Y9, (R8)(R13*1)

	// cur = a(eA - v) + g(eG - v) + (bd - br)(eB - v)
	VMOVUPS (R11)(R13*1), Y11
	VMOVUPS 384(AX), Y4
	VSUBPS Y11, Y4, Y4
	VMULPS Y4, Y3, Y12
	VMOVUPS 448(AX), Y4
	VSUBPS Y11, Y4, Y4
	VMULPS Y4, Y7, Y4
	VADDPS Y4, Y12, Y12
	VSUBPS Y8, Y9, Y4
	VADDPS Y7, Y3, Y2 // total conductance: (a + g) + (bd - br), then + nb below
	VADDPS Y4, Y2, Y2
	VMOVUPS 480(AX), Y10
	VSUBPS Y11, Y10, Y10
	VMULPS Y10, Y4, Y4
	VADDPS Y4, Y12, Y12

	// e = Exp32(-0.062 v), as fastmath.Exp32.
	VMULPS v_negslope<>(SB), Y11, Y4
	EXP32(Y4, Y13, Y0, Y1, Y14)

	// block = 1 / (MgK·e + 1); cur += (d - r)·block·(eN - v)
	VMULPS 512(AX), Y4, Y4
	VADDPS Y13, Y4, Y4
	VDIVPS Y4, Y13, Y4
	VSUBPS Y5, Y6, Y10
	VMULPS Y4, Y10, Y10 // nb = (d - r)·block
	TESTQ R15, R15
	JZ nogtot
	VADDPS Y10, Y2, Y2
	VMOVUPS Y2, (R15)(R13*1)

nogtot:
	VMOVUPS 416(AX), Y4
	VSUBPS Y11, Y4, Y4
	VMULPS Y4, Y10, Y10
	VADDPS Y10, Y12, Y12
	VMOVUPS Y12, (R12)(R13*1)

	ADDQ $32, R13
	CMPQ R13, R14
	JLT synloop
	VZEROUPPER
	RET

// HASH applies lowbias32 to x using tmp; Y13 and Y12 hold its multipliers.
#define HASH(x, tmp) \
	VPSRLD $16, x, tmp \
	VPXOR tmp, x, x \
	VPMULLD Y13, x, x \
	VPSRLD $15, x, tmp \
	VPXOR tmp, x, x \
	VPMULLD Y12, x, x \
	VPSRLD $16, x, tmp \
	VPXOR tmp, x, x

// DRIVEBITS turns counters x into rng.DriveBits; Y15, Y14 hold the key halves.
#define DRIVEBITS(x, tmp) \
	VPADDD Y15, x, x \
	HASH(x, tmp) \
	VPXOR Y14, x, x \
	HASH(x, tmp)

// func driveBitsAVX2(bits *uint32, base uint32, key uint64, n int)
//
// bits[i] = rng.DriveBits(key, base+i) for i < n (a multiple of 8).
TEXT ·driveBitsAVX2(SB), NOSPLIT, $0-32
	MOVQ bits+0(FP), DI
	MOVL base+8(FP), R10
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	MOVQ key+16(FP), AX
	VMOVQ AX, X15
	VPBROADCASTD X15, Y15 // low half of the key
	SHRQ $32, AX
	VMOVQ AX, X14
	VPBROADCASTD X14, Y14 // high half
	VPBROADCASTD c_h1<>(SB), Y13
	VPBROADCASTD c_h2<>(SB), Y12
	VPBROADCASTD c_eight<>(SB), Y11
	VMOVD R10, X0
	VPBROADCASTD X0, Y0
	VMOVDQU c_lanes<>(SB), Y9
	VPADDD Y9, Y0, Y0 // counters of the first 8 lanes

bitsloop:
	VMOVDQA Y0, Y1
	DRIVEBITS(Y1, Y2)
	VMOVDQU Y1, (DI)
	VPADDD Y11, Y0, Y0
	ADDQ $32, DI
	DECQ CX
	JNZ bitsloop
	VZEROUPPER
	RET

// func radiusAVX2(bits *uint32, groups int)
//
// For each group of 16 DriveBits, replaces the first 8 (a) by the radius
// sqrt(-2 ln u) of rng.Radius, as float32 bits.
TEXT ·radiusAVX2(SB), NOSPLIT, $0-16
	MOVQ bits+0(FP), SI
	MOVQ groups+8(FP), CX

radiusloop:
	VMOVDQU (SI), Y1        // a
	// r = sqrt(-2 ln u), u = ((a >> 8) + 1)·2^-24; ln as fastmath.Log32.
	VPSRLD $8, Y1, Y1
	VPBROADCASTD c_ione<>(SB), Y2
	VPADDD Y2, Y1, Y1
	VCVTDQ2PS Y1, Y1
	VBROADCASTSS c_2m24<>(SB), Y2
	VMULPS Y2, Y1, Y1       // u
	VPSRLD $23, Y1, Y4
	VPBROADCASTD c_bias<>(SB), Y2
	VPSUBD Y2, Y4, Y4       // e
	VPBROADCASTD c_mantmask<>(SB), Y2
	VPAND Y2, Y1, Y1
	VPBROADCASTD c_onebits<>(SB), Y2
	VPOR Y2, Y1, Y1         // m in [1, 2)
	VBROADCASTSS c_sqrt2<>(SB), Y2
	VCMPPS $0x1e, Y2, Y1, Y5 // m > √2
	VBROADCASTSS c_half<>(SB), Y2
	VMULPS Y2, Y1, Y6
	VBLENDVPS Y5, Y6, Y1, Y1 // m/2 where m > √2
	VPSUBD Y5, Y4, Y4       // e + 1 there
	VBROADCASTSS c_one<>(SB), Y2
	VSUBPS Y2, Y1, Y5
	VADDPS Y2, Y1, Y6
	VDIVPS Y6, Y5, Y5       // s = (m - 1)/(m + 1)
	VMULPS Y5, Y5, Y6       // z
	VBROADCASTSS c_l11<>(SB), Y7
	VMULPS Y6, Y7, Y7
	VBROADCASTSS c_l9<>(SB), Y8
	VADDPS Y8, Y7, Y7
	VMULPS Y6, Y7, Y7
	VBROADCASTSS c_l7<>(SB), Y8
	VADDPS Y8, Y7, Y7
	VMULPS Y6, Y7, Y7
	VBROADCASTSS c_l5<>(SB), Y8
	VADDPS Y8, Y7, Y7
	VMULPS Y6, Y7, Y7
	VBROADCASTSS c_l3<>(SB), Y8
	VADDPS Y8, Y7, Y7
	VMULPS Y6, Y7, Y7
	VADDPS Y2, Y7, Y7       // p
	VMULPS Y7, Y5, Y5       // t = s·p
	VADDPS Y5, Y5, Y5       // ln m
	VCVTDQ2PS Y4, Y4        // e as float
	VBROADCASTSS c_ln2lo<>(SB), Y2
	VMULPS Y2, Y4, Y6
	VADDPS Y5, Y6, Y6       // e·lo + ln m
	VBROADCASTSS c_ln2hi<>(SB), Y2
	VMULPS Y2, Y4, Y4
	VADDPS Y6, Y4, Y4       // ln u
	VBROADCASTSS c_mtwo<>(SB), Y2
	VMULPS Y2, Y4, Y4
	VSQRTPS Y4, Y1          // r

	VMOVUPS Y1, (SI)
	ADDQ $64, SI
	DECQ CX
	JNZ radiusloop
	VZEROUPPER
	RET

// func driveAVX2(cur *float32, bits *uint32, mean, std float32, groups int)
//
// For each group of 16 neurons, given the radius (first 8 words, float32)
// and the DriveBits b of lanes 8-15: the two Box-Muller deviates of
// rng.Norm32, cur += std·ξ + mean.
TEXT ·driveAVX2(SB), NOSPLIT, $0-32
	MOVQ cur+0(FP), DI
	MOVQ bits+8(FP), SI
	MOVQ groups+24(FP), CX
	VBROADCASTSS std+20(FP), Y11
	VBROADCASTSS mean+16(FP), Y10

driveloop:
	VMOVUPS (SI), Y1        // r
	VMOVDQU 32(SI), Y3      // b

	// sin and cos of the angle of b, as rng.SinCos.
	VPSRLD $8, Y3, Y3       // m
	VPSRLD $22, Y3, Y0      // quadrant q
	VPBROADCASTD c_m22<>(SB), Y2
	VPAND Y2, Y3, Y3
	VPBROADCASTD c_i2p21<>(SB), Y2
	VPSUBD Y2, Y3, Y3
	VCVTDQ2PS Y3, Y3
	VBROADCASTSS c_angle<>(SB), Y2
	VMULPS Y2, Y3, Y3       // φ
	VMULPS Y3, Y3, Y4       // z
	VBROADCASTSS c_s9<>(SB), Y5
	VMULPS Y4, Y5, Y5
	VBROADCASTSS c_s7<>(SB), Y2
	VADDPS Y2, Y5, Y5
	VMULPS Y4, Y5, Y5
	VBROADCASTSS c_s5<>(SB), Y2
	VADDPS Y2, Y5, Y5
	VMULPS Y4, Y5, Y5
	VBROADCASTSS c_s3<>(SB), Y2
	VADDPS Y2, Y5, Y5       // p
	VMULPS Y4, Y3, Y6       // φz
	VMULPS Y5, Y6, Y6       // φz·p
	VADDPS Y6, Y3, Y5       // sin φ
	VBROADCASTSS c_c10<>(SB), Y6
	VMULPS Y4, Y6, Y6
	VBROADCASTSS c_c8<>(SB), Y2
	VADDPS Y2, Y6, Y6
	VMULPS Y4, Y6, Y6
	VBROADCASTSS c_c6<>(SB), Y2
	VADDPS Y2, Y6, Y6
	VMULPS Y4, Y6, Y6
	VBROADCASTSS c_c4<>(SB), Y2
	VADDPS Y2, Y6, Y6
	VMULPS Y4, Y6, Y6
	VBROADCASTSS c_c2<>(SB), Y2
	VADDPS Y2, Y6, Y6
	VMULPS Y4, Y6, Y6
	VBROADCASTSS c_one<>(SB), Y2
	VADDPS Y2, Y6, Y6       // cos φ
	VPBROADCASTD c_ione<>(SB), Y2
	VPAND Y2, Y0, Y7
	VPCMPEQD Y2, Y7, Y7     // odd quadrant: swap
	VBLENDVPS Y7, Y6, Y5, Y3 // sin θ before signs
	VBLENDVPS Y7, Y5, Y6, Y4 // cos θ before signs
	VPBROADCASTD c_itwo<>(SB), Y2
	VPAND Y2, Y0, Y7
	VPSLLD $30, Y7, Y7
	VPXOR Y7, Y3, Y3        // sin θ
	VPSRLD $1, Y0, Y7
	VPXOR Y0, Y7, Y7
	VPBROADCASTD c_ione<>(SB), Y2
	VPAND Y2, Y7, Y7
	VPSLLD $31, Y7, Y7
	VPXOR Y7, Y4, Y4        // cos θ

	// cur += std·(r cos θ) + mean (lanes 0-7), std·(r sin θ) + mean (8-15).
	VMULPS Y4, Y1, Y4
	VMULPS Y4, Y11, Y4
	VADDPS Y10, Y4, Y4
	VMOVUPS (DI), Y5
	VADDPS Y4, Y5, Y5
	VMOVUPS Y5, (DI)
	VMULPS Y3, Y1, Y3
	VMULPS Y3, Y11, Y3
	VADDPS Y10, Y3, Y3
	VMOVUPS 32(DI), Y5
	VADDPS Y3, Y5, Y5
	VMOVUPS Y5, 32(DI)

	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ driveloop
	VZEROUPPER
	RET

// func izhAVX2(v, u, aDt, b, c, d, I *float32, groups int, dt float32, masks, nonFinite *uint8) uint8
TEXT ·izhAVX2(SB), NOSPLIT, $0-97
	MOVQ v+0(FP), AX
	MOVQ u+8(FP), BX
	MOVQ aDt+16(FP), CX
	MOVQ b+24(FP), DX
	MOVQ c+32(FP), SI
	MOVQ d+40(FP), DI
	MOVQ I+48(FP), R8
	MOVQ phi+56(FP), R14
	MOVQ groups+64(FP), R9
	MOVQ masks+80(FP), R10
	MOVQ nonFinite+88(FP), R13
	VBROADCASTSS dt+72(FP), Y15
	VBROADCASTSS c_p004<>(SB), Y14
	VBROADCASTSS c_five<>(SB), Y13
	VBROADCASTSS c_140<>(SB), Y12
	VBROADCASTSS c_peak<>(SB), Y11
	VXORPS Y10, Y10, Y10 // non-finite lanes seen
	XORQ R11, R11

izhloop:
	VMOVUPS (AX)(R11*1), Y0 // v
	VMOVUPS (BX)(R11*1), Y1 // u
	VMULPS Y14, Y0, Y2      // 0.04 v
	VADDPS Y13, Y2, Y2      // + 5
	VMULPS Y0, Y2, Y2       // · v
	VADDPS Y12, Y2, Y2      // + 140
	VSUBPS Y1, Y2, Y2       // - u
	VADDPS (R8)(R11*1), Y2, Y2 // + I
	VMULPS Y2, Y15, Y2      // dt ·
	TESTQ R14, R14
	JZ izheuler
	VMULPS (R14)(R11*1), Y2, Y2 // · φ (exponential Euler)

izheuler:
	VADDPS Y2, Y0, Y3       // vn
	VMULPS (DX)(R11*1), Y0, Y4 // b v
	VSUBPS Y1, Y4, Y4       // - u
	VMULPS (CX)(R11*1), Y4, Y4 // a dt ·
	VADDPS Y4, Y1, Y5       // un
	VSUBPS Y3, Y3, Y8       // 0 if finite, NaN if NaN or ±Inf (before the reset)
	VSUBPS Y5, Y5, Y9
	VADDPS Y9, Y8, Y8
	VCMPPS $3, Y8, Y8, Y9   // unordered: non-finite lanes
	VORPS Y9, Y10, Y10
	VMOVMSKPS Y9, R12
	MOVB R12B, (R13)
	INCQ R13
	VCMPPS $0x0d, Y11, Y3, Y6 // spiked: vn >= 30
	VMOVUPS (SI)(R11*1), Y7
	VBLENDVPS Y6, Y7, Y3, Y3 // vn = c where spiked
	VADDPS (DI)(R11*1), Y5, Y8
	VBLENDVPS Y6, Y8, Y5, Y5 // un += d where spiked
	VMOVUPS Y3, (AX)(R11*1)
	VMOVUPS Y5, (BX)(R11*1)
	VMOVMSKPS Y6, R12
	MOVB R12B, (R10)
	INCQ R10
	ADDQ $32, R11
	DECQ R9
	JNZ izhloop
	VMOVMSKPS Y10, R12
	MOVB R12B, ret+96(FP)
	VZEROUPPER
	RET

// func mulAVX2(x, y *float32, n int)
TEXT ·mulAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX

mulloop:
	VMOVUPS (DI), Y0
	VMULPS (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	DECQ CX
	JNZ mulloop
	VZEROUPPER
	RET

// func leakAVX2(iSyn, v, gTot *float32, gt, e float32, n int)
TEXT ·leakAVX2(SB), NOSPLIT, $0-40
	MOVQ iSyn+0(FP), DI
	MOVQ v+8(FP), SI
	MOVQ gTot+16(FP), R8
	VBROADCASTSS gt+24(FP), Y2
	VBROADCASTSS e+28(FP), Y3
	MOVQ n+32(FP), CX
	SHRQ $3, CX

leakloop:
	VSUBPS (SI), Y3, Y0     // e - v
	VMULPS Y2, Y0, Y0       // gt (e - v)
	VADDPS (DI), Y0, Y0     // iSyn + gt (e - v)
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	TESTQ R8, R8
	JZ leaknext
	VADDPS (R8), Y2, Y1     // gTot + gt
	VMOVUPS Y1, (R8)
	ADDQ $32, R8

leaknext:
	DECQ CX
	JNZ leakloop
	VZEROUPPER
	RET

// 8-lane constants of phiGeneric: the Taylor coefficients of φ that
// Exp32 does not share (1/11!, -1/10!, 1/9!, -1/8!, -1/6!, -1/4!, -1/2),
// 1 (the bound on y² of the polynomial's side) and the sign bit.
DATA v_p11<>+0(SB)/4, $0x32d7322b
DATA v_p11<>+4(SB)/4, $0x32d7322b
DATA v_p11<>+8(SB)/4, $0x32d7322b
DATA v_p11<>+12(SB)/4, $0x32d7322b
DATA v_p11<>+16(SB)/4, $0x32d7322b
DATA v_p11<>+20(SB)/4, $0x32d7322b
DATA v_p11<>+24(SB)/4, $0x32d7322b
DATA v_p11<>+28(SB)/4, $0x32d7322b
GLOBL v_p11<>(SB), RODATA|NOPTR, $32
DATA v_pm10<>+0(SB)/4, $0xb493f27e
DATA v_pm10<>+4(SB)/4, $0xb493f27e
DATA v_pm10<>+8(SB)/4, $0xb493f27e
DATA v_pm10<>+12(SB)/4, $0xb493f27e
DATA v_pm10<>+16(SB)/4, $0xb493f27e
DATA v_pm10<>+20(SB)/4, $0xb493f27e
DATA v_pm10<>+24(SB)/4, $0xb493f27e
DATA v_pm10<>+28(SB)/4, $0xb493f27e
GLOBL v_pm10<>(SB), RODATA|NOPTR, $32
DATA v_p9<>+0(SB)/4, $0x3638ef1d
DATA v_p9<>+4(SB)/4, $0x3638ef1d
DATA v_p9<>+8(SB)/4, $0x3638ef1d
DATA v_p9<>+12(SB)/4, $0x3638ef1d
DATA v_p9<>+16(SB)/4, $0x3638ef1d
DATA v_p9<>+20(SB)/4, $0x3638ef1d
DATA v_p9<>+24(SB)/4, $0x3638ef1d
DATA v_p9<>+28(SB)/4, $0x3638ef1d
GLOBL v_p9<>(SB), RODATA|NOPTR, $32
DATA v_pm8<>+0(SB)/4, $0xb7d00d01
DATA v_pm8<>+4(SB)/4, $0xb7d00d01
DATA v_pm8<>+8(SB)/4, $0xb7d00d01
DATA v_pm8<>+12(SB)/4, $0xb7d00d01
DATA v_pm8<>+16(SB)/4, $0xb7d00d01
DATA v_pm8<>+20(SB)/4, $0xb7d00d01
DATA v_pm8<>+24(SB)/4, $0xb7d00d01
DATA v_pm8<>+28(SB)/4, $0xb7d00d01
GLOBL v_pm8<>(SB), RODATA|NOPTR, $32
DATA v_pm720<>+0(SB)/4, $0xbab60b61
DATA v_pm720<>+4(SB)/4, $0xbab60b61
DATA v_pm720<>+8(SB)/4, $0xbab60b61
DATA v_pm720<>+12(SB)/4, $0xbab60b61
DATA v_pm720<>+16(SB)/4, $0xbab60b61
DATA v_pm720<>+20(SB)/4, $0xbab60b61
DATA v_pm720<>+24(SB)/4, $0xbab60b61
DATA v_pm720<>+28(SB)/4, $0xbab60b61
GLOBL v_pm720<>(SB), RODATA|NOPTR, $32
DATA v_pm24<>+0(SB)/4, $0xbd2aaaab
DATA v_pm24<>+4(SB)/4, $0xbd2aaaab
DATA v_pm24<>+8(SB)/4, $0xbd2aaaab
DATA v_pm24<>+12(SB)/4, $0xbd2aaaab
DATA v_pm24<>+16(SB)/4, $0xbd2aaaab
DATA v_pm24<>+20(SB)/4, $0xbd2aaaab
DATA v_pm24<>+24(SB)/4, $0xbd2aaaab
DATA v_pm24<>+28(SB)/4, $0xbd2aaaab
GLOBL v_pm24<>(SB), RODATA|NOPTR, $32
DATA v_pm2<>+0(SB)/4, $0xbf000000
DATA v_pm2<>+4(SB)/4, $0xbf000000
DATA v_pm2<>+8(SB)/4, $0xbf000000
DATA v_pm2<>+12(SB)/4, $0xbf000000
DATA v_pm2<>+16(SB)/4, $0xbf000000
DATA v_pm2<>+20(SB)/4, $0xbf000000
DATA v_pm2<>+24(SB)/4, $0xbf000000
DATA v_pm2<>+28(SB)/4, $0xbf000000
GLOBL v_pm2<>(SB), RODATA|NOPTR, $32
DATA v_sign<>+0(SB)/4, $0x80000000
DATA v_sign<>+4(SB)/4, $0x80000000
DATA v_sign<>+8(SB)/4, $0x80000000
DATA v_sign<>+12(SB)/4, $0x80000000
DATA v_sign<>+16(SB)/4, $0x80000000
DATA v_sign<>+20(SB)/4, $0x80000000
DATA v_sign<>+24(SB)/4, $0x80000000
DATA v_sign<>+28(SB)/4, $0x80000000
GLOBL v_sign<>(SB), RODATA|NOPTR, $32

// func phiAVX2(x *float32, dt float32, n int)
TEXT ·phiAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), AX
	VBROADCASTSS dt+8(FP), Y15
	MOVQ n+16(FP), CX
	SHLQ $2, CX
	XORQ DX, DX

philoop:
	VMOVUPS (AX)(DX*1), Y0
	VMULPS Y15, Y0, Y0 // y = g·dt
	// Taylor polynomial of φ(y) by Estrin's scheme, as phiPoly.
	VMULPS Y0, Y0, Y2 // y²
	VCMPPS $1, v_one<>(SB), Y2, Y3 // y² < 1: the polynomial's side
	VMULPS Y2, Y2, Y4 // y⁴
	VMULPS Y4, Y4, Y5 // y⁸
	VMULPS v_pm2<>(SB), Y0, Y6
	VADDPS v_one<>(SB), Y6, Y6 // q0
	VMULPS v_pm24<>(SB), Y0, Y7
	VADDPS v_e3<>(SB), Y7, Y7 // q1
	VMULPS v_pm720<>(SB), Y0, Y8
	VADDPS v_e5<>(SB), Y8, Y8 // q2
	VMULPS v_pm8<>(SB), Y0, Y9
	VADDPS v_e7<>(SB), Y9, Y9 // q3
	VMULPS v_pm10<>(SB), Y0, Y10
	VADDPS v_p9<>(SB), Y10, Y10 // q4
	VMULPS Y2, Y7, Y7
	VADDPS Y6, Y7, Y7 // r0
	VMULPS Y2, Y9, Y9
	VADDPS Y8, Y9, Y9 // r1
	VMULPS v_p11<>(SB), Y2, Y11
	VADDPS Y10, Y11, Y11 // r2
	VMULPS Y4, Y9, Y9
	VADDPS Y7, Y9, Y9 // s0
	VMULPS Y5, Y11, Y11
	VADDPS Y9, Y11, Y1 // p
	VMOVMSKPS Y3, BX
	CMPQ BX, $0xff
	JEQ phistore

	// (1 - Exp32(-y)) / y.
	VXORPS v_sign<>(SB), Y0, Y4
	EXP32(Y4, Y9, Y6, Y7, Y8)
	VSUBPS Y4, Y9, Y8 // 1 - e^-y (Y9 holds 1)
	VDIVPS Y0, Y8, Y8
	VBLENDVPS Y3, Y1, Y8, Y1

phistore:
	VMOVUPS Y1, (AX)(DX*1)
	ADDQ $32, DX
	CMPQ DX, CX
	JLT philoop
	VZEROUPPER
	RET
