#include "textflag.h"

// AVX2 versions of the kernels in generic.go. Each instruction performs the
// float32 operation the Go code performs, in the same order, so results are
// bit-identical. Go assembler operand order: OP src2, src1, dst means
// dst = src1 OP src2.

DATA c_tiny<>+0(SB)/4, $1e-30
GLOBL c_tiny<>(SB), RODATA|NOPTR, $4
DATA c_negslope<>+0(SB)/4, $-0.062
GLOBL c_negslope<>(SB), RODATA|NOPTR, $4
DATA c_one<>+0(SB)/4, $1.0
GLOBL c_one<>(SB), RODATA|NOPTR, $4
DATA c_explo<>+0(SB)/4, $-87.0
GLOBL c_explo<>(SB), RODATA|NOPTR, $4
DATA c_exphi<>+0(SB)/4, $88.0
GLOBL c_exphi<>(SB), RODATA|NOPTR, $4
DATA c_log2e<>+0(SB)/4, $1.442695041
GLOBL c_log2e<>(SB), RODATA|NOPTR, $4
DATA c_magic<>+0(SB)/4, $12582912.0
GLOBL c_magic<>(SB), RODATA|NOPTR, $4
DATA c_ln2hi<>+0(SB)/4, $0.693359375
GLOBL c_ln2hi<>(SB), RODATA|NOPTR, $4
DATA c_ln2lo<>+0(SB)/4, $-2.12194440e-4
GLOBL c_ln2lo<>(SB), RODATA|NOPTR, $4
DATA c_bias<>+0(SB)/4, $127
GLOBL c_bias<>(SB), RODATA|NOPTR, $4
DATA c_p004<>+0(SB)/4, $0.04
GLOBL c_p004<>(SB), RODATA|NOPTR, $4
DATA c_five<>+0(SB)/4, $5.0
GLOBL c_five<>(SB), RODATA|NOPTR, $4
DATA c_140<>+0(SB)/4, $140.0
GLOBL c_140<>(SB), RODATA|NOPTR, $4
DATA c_peak<>+0(SB)/4, $30.0
GLOBL c_peak<>(SB), RODATA|NOPTR, $4
DATA c_h1<>+0(SB)/4, $0x7feb352d
GLOBL c_h1<>(SB), RODATA|NOPTR, $4
DATA c_h2<>+0(SB)/4, $0x846ca68b
GLOBL c_h2<>(SB), RODATA|NOPTR, $4
DATA c_m255<>+0(SB)/4, $255
GLOBL c_m255<>(SB), RODATA|NOPTR, $4
DATA c_m256<>+0(SB)/4, $256
GLOBL c_m256<>(SB), RODATA|NOPTR, $4
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

// Taylor coefficients of fastmath.Exp32: 1/7!, 1/6!, 1/5!, 1/4!, 1/3!, 1/2!.
DATA c_e7<>+0(SB)/4, $0.0001984127
GLOBL c_e7<>(SB), RODATA|NOPTR, $4
DATA c_e6<>+0(SB)/4, $0.0013888889
GLOBL c_e6<>(SB), RODATA|NOPTR, $4
DATA c_e5<>+0(SB)/4, $0.008333334
GLOBL c_e5<>(SB), RODATA|NOPTR, $4
DATA c_e4<>+0(SB)/4, $0.041666668
GLOBL c_e4<>(SB), RODATA|NOPTR, $4
DATA c_e3<>+0(SB)/4, $0.16666667
GLOBL c_e3<>(SB), RODATA|NOPTR, $4
DATA c_e2<>+0(SB)/4, $0.5
GLOBL c_e2<>(SB), RODATA|NOPTR, $4

// decay computes dst = flush(mem(g)*broadcast(k+off)); Y15 holds Tiny.
#define DECAY(g, off, dst, tmp) \
	VBROADCASTSS off(AX), dst \
	VMULPS (g)(R13*1), dst, dst \
	VCMPPS $1, Y15, dst, tmp \
	VANDNPS dst, tmp, dst

// func synAVX2(k *Syn, gA, nR, nD, gG, bR, bD, exc, inh, v, iSyn *float32, n int)
TEXT ·synAVX2(SB), NOSPLIT, $0-96
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
	MOVQ n+88(FP), R14
	SHLQ $2, R14 // byte length
	XORQ R13, R13
	VBROADCASTSS c_tiny<>(SB), Y15

synloop:
	VMOVUPS (R9)(R13*1), Y0  // excitatory arrivals
	VMOVUPS (R10)(R13*1), Y1 // inhibitory arrivals
	VXORPS Y2, Y2, Y2
	VMOVUPS Y2, (R9)(R13*1)
	VMOVUPS Y2, (R10)(R13*1)

	// a = flush(gA·dA) + inA·ex, and likewise for the five others.
	DECAY(BX, 0, Y3, Y4)
	VBROADCASTSS 24(AX), Y4
	VMULPS Y0, Y4, Y4
	VADDPS Y4, Y3, Y3
	VMOVUPS Y3, (BX)(R13*1)

	DECAY(CX, 4, Y5, Y4)
	VBROADCASTSS 28(AX), Y4
	VMULPS Y0, Y4, Y4
	VADDPS Y4, Y5, Y5
	VMOVUPS Y5, (CX)(R13*1)

	DECAY(DX, 8, Y6, Y4)
	VBROADCASTSS 32(AX), Y4
	VMULPS Y0, Y4, Y4
	VADDPS Y4, Y6, Y6
	VMOVUPS Y6, (DX)(R13*1)

	DECAY(SI, 12, Y7, Y4)
	VBROADCASTSS 36(AX), Y4
	VMULPS Y1, Y4, Y4
	VADDPS Y4, Y7, Y7
	VMOVUPS Y7, (SI)(R13*1)

	DECAY(DI, 16, Y8, Y4)
	VBROADCASTSS 40(AX), Y4
	VMULPS Y1, Y4, Y4
	VADDPS Y4, Y8, Y8
	VMOVUPS Y8, (DI)(R13*1)

	DECAY(R8, 20, Y9, Y4)
	VBROADCASTSS 44(AX), Y4
	VMULPS Y1, Y4, Y4
	VADDPS Y4, Y9, Y9
	VMOVUPS Y9, (R8)(R13*1)

	// cur = a(eA - v) + g(eG - v) + (bd - br)(eB - v)
	VMOVUPS (R11)(R13*1), Y11
	VBROADCASTSS 48(AX), Y4
	VSUBPS Y11, Y4, Y4
	VMULPS Y4, Y3, Y12
	VBROADCASTSS 56(AX), Y4
	VSUBPS Y11, Y4, Y4
	VMULPS Y4, Y7, Y4
	VADDPS Y4, Y12, Y12
	VSUBPS Y8, Y9, Y4
	VBROADCASTSS 60(AX), Y10
	VSUBPS Y11, Y10, Y10
	VMULPS Y10, Y4, Y4
	VADDPS Y4, Y12, Y12

	// e = Exp32(-0.062 v), as fastmath.Exp32.
	VBROADCASTSS c_negslope<>(SB), Y4
	VMULPS Y11, Y4, Y4
	VBROADCASTSS c_explo<>(SB), Y13
	VMAXPS Y4, Y13, Y4
	VBROADCASTSS c_exphi<>(SB), Y13
	VMINPS Y4, Y13, Y4
	VBROADCASTSS c_log2e<>(SB), Y13
	VMULPS Y13, Y4, Y0
	VBROADCASTSS c_magic<>(SB), Y13
	VADDPS Y13, Y0, Y0
	VSUBPS Y13, Y0, Y0 // n
	VBROADCASTSS c_ln2hi<>(SB), Y13
	VMULPS Y13, Y0, Y1
	VSUBPS Y1, Y4, Y1
	VBROADCASTSS c_ln2lo<>(SB), Y13
	VMULPS Y13, Y0, Y14
	VSUBPS Y14, Y1, Y1 // y
	VBROADCASTSS c_e7<>(SB), Y14
	VMULPS Y1, Y14, Y14
	VBROADCASTSS c_e6<>(SB), Y13
	VADDPS Y13, Y14, Y14
	VMULPS Y1, Y14, Y14
	VBROADCASTSS c_e5<>(SB), Y13
	VADDPS Y13, Y14, Y14
	VMULPS Y1, Y14, Y14
	VBROADCASTSS c_e4<>(SB), Y13
	VADDPS Y13, Y14, Y14
	VMULPS Y1, Y14, Y14
	VBROADCASTSS c_e3<>(SB), Y13
	VADDPS Y13, Y14, Y14
	VMULPS Y1, Y14, Y14
	VBROADCASTSS c_e2<>(SB), Y13
	VADDPS Y13, Y14, Y14
	VBROADCASTSS c_one<>(SB), Y13
	VMULPS Y1, Y14, Y14
	VADDPS Y13, Y14, Y14
	VMULPS Y1, Y14, Y14
	VADDPS Y13, Y14, Y14
	VCVTPS2DQ Y0, Y0
	VPBROADCASTD c_bias<>(SB), Y1
	VPADDD Y1, Y0, Y0
	VPSLLD $23, Y0, Y0
	VMULPS Y0, Y14, Y4 // e

	// block = 1 / (MgK·e + 1); cur += (d - r)·block·(eN - v)
	VBROADCASTSS 64(AX), Y10
	VMULPS Y4, Y10, Y4
	VADDPS Y13, Y4, Y4
	VDIVPS Y4, Y13, Y4
	VSUBPS Y5, Y6, Y10
	VMULPS Y4, Y10, Y10
	VBROADCASTSS 52(AX), Y4
	VSUBPS Y11, Y4, Y4
	VMULPS Y4, Y10, Y10
	VADDPS Y10, Y12, Y12
	VMOVUPS Y12, (R12)(R13*1)

	ADDQ $32, R13
	CMPQ R13, R14
	JLT synloop
	VZEROUPPER
	RET

// HASH applies lowbias32 to x using tmp; Y4 and Y5 hold its multipliers.
#define HASH(x, tmp) \
	VPSRLD $16, x, tmp \
	VPXOR tmp, x, x \
	VPMULLD Y4, x, x \
	VPSRLD $15, x, tmp \
	VPXOR tmp, x, x \
	VPMULLD Y5, x, x \
	VPSRLD $16, x, tmp \
	VPXOR tmp, x, x

// func driveAVX2(cur *float32, first uint32, key uint64, mean, std float32, groups int, rejected *uint8, zigK *uint32, zigXs *float32)
TEXT ·driveAVX2(SB), NOSPLIT, $0-64
	MOVQ cur+0(FP), DI
	MOVQ groups+32(FP), CX
	MOVQ rejected+40(FP), SI
	MOVQ zigK+48(FP), R8
	MOVQ zigXs+56(FP), R9
	MOVL first+8(FP), AX
	MOVQ AX, X0
	VPBROADCASTD X0, Y0
	VMOVDQU c_lanes<>(SB), Y1
	VPADDD Y1, Y0, Y0 // neuron indices of the group
	MOVQ key+16(FP), AX
	MOVQ AX, X2
	VPBROADCASTD X2, Y2 // low half of the key
	SHRQ $32, AX
	MOVQ AX, X3
	VPBROADCASTD X3, Y3 // high half
	VPBROADCASTD c_h1<>(SB), Y4
	VPBROADCASTD c_h2<>(SB), Y5
	VPBROADCASTD c_m255<>(SB), Y6
	VPBROADCASTD c_m256<>(SB), Y7
	VPBROADCASTD c_eight<>(SB), Y8
	VBROADCASTSS mean+24(FP), Y9
	VBROADCASTSS std+28(FP), Y10

driveloop:
	VPADDD Y2, Y0, Y11
	HASH(Y11, Y12)
	VPXOR Y3, Y11, Y11
	HASH(Y11, Y12)          // r = DriveBits
	VPAND Y6, Y11, Y12      // layer
	VPCMPEQD Y13, Y13, Y13
	VPGATHERDD Y13, (R8)(Y12*4), Y14 // K[layer]
	VPCMPEQD Y13, Y13, Y13
	VGATHERDPS Y13, (R9)(Y12*4), Y15 // Xs[layer]
	VPSRLD $9, Y11, Y12     // u
	VPCMPGTD Y12, Y14, Y14  // accepted: K > u
	VCVTDQ2PS Y12, Y12
	VMULPS Y15, Y12, Y12    // float32(u)·Xs
	VPAND Y7, Y11, Y13
	VPSLLD $23, Y13, Y13
	VPXOR Y13, Y12, Y12     // sign from bit 8
	VMULPS Y12, Y10, Y12    // std·x
	VADDPS Y9, Y12, Y12     // + mean
	VMOVUPS (DI), Y13
	VADDPS Y12, Y13, Y12    // cur + d
	VBLENDVPS Y14, Y12, Y13, Y13
	VMOVUPS Y13, (DI)
	VMOVMSKPS Y14, AX
	NOTL AX
	MOVB AL, (SI)
	VPADDD Y8, Y0, Y0
	ADDQ $32, DI
	INCQ SI
	DECQ CX
	JNZ driveloop
	VZEROUPPER
	RET

// func izhAVX2(v, u, aDt, b, c, d, I *float32, groups int, dt float32, masks, nonFinite *uint8) uint8
TEXT ·izhAVX2(SB), NOSPLIT, $0-89
	MOVQ v+0(FP), AX
	MOVQ u+8(FP), BX
	MOVQ aDt+16(FP), CX
	MOVQ b+24(FP), DX
	MOVQ c+32(FP), SI
	MOVQ d+40(FP), DI
	MOVQ I+48(FP), R8
	MOVQ groups+56(FP), R9
	MOVQ masks+72(FP), R10
	MOVQ nonFinite+80(FP), R13
	VBROADCASTSS dt+64(FP), Y15
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
	MOVB R12B, ret+88(FP)
	VZEROUPPER
	RET
