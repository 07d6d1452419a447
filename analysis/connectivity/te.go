package connectivity

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/bl1-go/bl1/analysis"
)

// TEOptions set the transfer entropy. Zero fields take the defaults.
type TEOptions struct {
	BinMs      float64 // bin of the binary trains, ms (default 5)
	History    int     // k: bins of the target's own past, 1..6 (default 1, the delayed TE of Ito et al. 2011)
	MaxDelayMs float64 // source delays of 1..U bins, U = MaxDelayMs/BinMs ≤ 63 (default 20)
	JitterMs   float64 // surrogates jitter the source in windows of this, a multiple of BinMs of at least two bins (default 25)
	Surrogates int     // at most this many surrogates per pair (default 99)
	StopAfter  int     // a pair's test stops once this many surrogates reach its TE (default 10)
	Seed       uint64  // of the surrogates
	Workers    int     // goroutines (default 1); results do not depend on it
	// Progress, if set, is called after each round of surrogates with the
	// rounds done and the most there can be.
	Progress func(done, total int)
}

func (o TEOptions) withDefaults() TEOptions {
	if o.BinMs == 0 {
		o.BinMs = 5
	}
	if o.History == 0 {
		o.History = 1
	}
	if o.MaxDelayMs == 0 {
		o.MaxDelayMs = 20
	}
	if o.JitterMs == 0 {
		o.JitterMs = 25
	}
	if o.Surrogates == 0 {
		o.Surrogates = 99
	}
	if o.StopAfter == 0 {
		o.StopAfter = 10
	}
	o.Workers = max(o.Workers, 1)
	return o
}

// TE is the transfer entropy between every ordered pair of units, [i*N+j]
// for i → j (the diagonal is 0, P 1).
type TE struct {
	N          int
	BinMs      float64
	History    int
	TE         []float64 // bits per bin, at the delay that maximizes it
	DelayMs    []float64 // that delay
	P          []float64 // surrogate p-value of the maximum over delays
	Surrogates []int32   // surrogates drawn for the pair
	NullMean   []float64 // mean of their maxima: TE − NullMean is the excess over jitter
}

// TransferEntropy estimates, for every ordered pair of units X → Y, the
// transfer entropy (Schreiber 2000, PRL 85:461) from X's state u bins ago
// to Y's next bin, given Y's own past of k bins, on binary trains (1 when a
// bin of BinMs holds an event):
//
//	TE_u = Σ p(y_t, y⁽ᵏ⁾, x_{t−u}) log₂ [ p(y_t | y⁽ᵏ⁾, x_{t−u}) / p(y_t | y⁽ᵏ⁾) ],
//
// y⁽ᵏ⁾ = (y_{t−1} … y_{t−k}), with plug-in probabilities over the bins t
// that have a full past; the reported TE is the maximum over the delays
// u = 1..U, and its argmax estimates the interaction delay (Wibral et al.
// 2013, PLoS One 8:e55809; the delayed TE of Ito et al. 2011, PLoS One
// 6:e27431).
//
// Significance: each surrogate jitters the source's events uniformly
// within fixed windows of JitterMs (interval jitter, as for the
// correlograms) and takes the same maximum over delays; under the null
// that Y depends on X's timing only through X's rate on that timescale
// (network bursts included), the surrogates are exchangeable with the
// data, so P = (1 + #{surrogate ≥ TE})/(1 + surrogates). Surrogates are
// drawn in rounds and a pair stops once StopAfter of them reach its TE,
// the sequential Monte Carlo test of Besag & Clifford (1991, Biometrika
// 78:301), whose p-value is then StopAfter/surrogates; clear non-links
// thus cost few surrogates. Surrogate r of unit x comes from its own seeded
// stream, so the result depends on Seed only.
//
// The counts come from bitsets: each target's bins are split by the
// pattern of (y_t, y⁽ᵏ⁾) into 2^(k+1) disjoint sets, and the counts with
// x_{t−u} = 1 are popcounts of their intersection with the shifted source,
// 64 bins per instruction.
func TransferEntropy(e analysis.Events, opt TEOptions) (*TE, error) {
	opt = opt.withDefaults()
	if opt.History < 1 || opt.History > 6 {
		return nil, fmt.Errorf("connectivity: TE history of %d bins, need 1 to 6: %w", opt.History, ErrOption)
	}
	if !(opt.BinMs > 0) || math.IsInf(opt.BinMs, 0) {
		return nil, fmt.Errorf("connectivity: TE bin %g ms, need a finite value > 0: %w", opt.BinMs, ErrOption)
	}
	du := math.Round(opt.MaxDelayMs / opt.BinMs)
	if !(du >= 1 && du <= 63) {
		return nil, fmt.Errorf("connectivity: TE maximum delay %g ms is %g bins of %g ms, need 1 to 63: %w", opt.MaxDelayMs, du, opt.BinMs, ErrOption)
	}
	dj, err := binsOf("TE jitter window", opt.JitterMs, opt.BinMs)
	if err != nil {
		return nil, err
	}
	if opt.Surrogates < 1 || opt.StopAfter < 1 {
		return nil, fmt.Errorf("connectivity: TE with %d surrogates stopping after %d exceedances, need both ≥ 1: %w", opt.Surrogates, opt.StopAfter, ErrOption)
	}
	bins, nb, err := e.UnitBins(opt.BinMs)
	if err != nil {
		return nil, err
	}
	n, k, U := e.N, opt.History, int(du)
	t0 := max(k, U)
	if nb-t0 < 2 {
		return nil, fmt.Errorf("connectivity: %d bins of %g ms, need more than the history and delay (%d bins)", nb, opt.BinMs, t0)
	}
	est := newTEEstimator(bins, nb, k, U, t0)
	out := &TE{N: n, BinMs: opt.BinMs, History: k, TE: make([]float64, n*n), DelayMs: make([]float64, n*n),
		P: make([]float64, n*n), Surrogates: make([]int32, n*n), NullMean: make([]float64, n*n)}
	// Observed TE.
	src := make([][]uint64, n)
	for x := range n {
		src[x] = est.bitset(bins[x])
	}
	shifted := est.shiftAll(src, nil)
	parallel(n, opt.Workers, func(y int) {
		sc := est.scratch()
		for x := range n {
			if x == y {
				continue
			}
			te, u := est.pair(y, x, shifted[x], sc)
			out.TE[x*n+y], out.DelayMs[x*n+y] = te, float64(u)*opt.BinMs
		}
	})
	// Surrogates, in rounds, while any pair is still undecided.
	exceed := make([]int32, n*n)
	sum := make([]float64, n*n)
	active := func(x, y int) bool {
		return x != y && int(exceed[x*n+y]) < opt.StopAfter && int(out.Surrogates[x*n+y]) < opt.Surrogates
	}
	jit, cur := make([][]uint64, n), make([][]uint64, n)
	windows := make([][]window, n)
	for x := range n {
		windows[x] = windowsOf(bins[x], dj)
	}
	for r := range opt.Surrogates {
		need := make([]bool, n)
		any := false
		for x := range n {
			for y := range n {
				if active(x, y) {
					need[x], any = true, true
				}
			}
		}
		if !any {
			break
		}
		parallel(n, opt.Workers, func(x int) {
			cur[x] = nil
			if need[x] {
				rng := rand.New(rand.NewPCG(opt.Seed, uint64(r)<<32|uint64(x)))
				jit[x] = est.jittered(windows[x], dj, rng, jit[x])
				cur[x] = jit[x]
			}
		})
		shifted = est.shiftAll(cur, shifted)
		parallel(n, opt.Workers, func(y int) {
			sc := est.scratch()
			for x := range n {
				if !active(x, y) {
					continue
				}
				te, _ := est.pair(y, x, shifted[x], sc)
				p := x*n + y
				out.Surrogates[p]++
				sum[p] += te
				if te >= out.TE[p]-1e-12 {
					exceed[p]++
				}
			}
		})
		if opt.Progress != nil {
			opt.Progress(r+1, opt.Surrogates)
		}
	}
	for p := range out.P {
		out.P[p] = 1
		if s := out.Surrogates[p]; s > 0 {
			out.NullMean[p] = sum[p] / float64(s)
			if int(exceed[p]) >= opt.StopAfter {
				out.P[p] = float64(exceed[p]) / float64(s)
			} else {
				out.P[p] = float64(exceed[p]+1) / float64(s+1)
			}
		}
	}
	return out, nil
}

// window is a jitter window of a train: its index and its events.
type window struct{ w, m int32 }

func windowsOf(b []int32, d int) []window {
	var out []window
	for _, k := range b {
		w := k / int32(d)
		if len(out) > 0 && out[len(out)-1].w == w {
			out[len(out)-1].m++
		} else {
			out = append(out, window{w, 1})
		}
	}
	return out
}

// teEstimator holds the targets' pattern bitsets.
type teEstimator struct {
	nb, k, U, t0, words int
	np                  int // patterns other than 0: 2^(k+1) − 1
	// pattern[y][w*np + c−1] is word w of the bins t in [t0, nb) where
	// (y_t, y_{t−1}, …, y_{t−k}) spells c (y_t the lowest bit), c ≥ 1;
	// interleaved so that one pass over the words reads them all.
	pattern [][]uint64
	count   [][]int64   // bins of each pattern c = 0 … 2^(k+1) − 1
	valid   []uint64    // bits t0..nb−1
	nlogn   []float64   // n·log2(n) for n up to the bins
	tot     [][]float64 // [x][u]: bins t ≥ t0 with x_{t−u} = 1, set by shiftAll
}

func newTEEstimator(bins [][]int32, nb, k, U, t0 int) *teEstimator {
	e := &teEstimator{nb: nb, k: k, U: U, t0: t0, words: (nb + 63) / 64, np: 1<<(k+1) - 1}
	e.valid = make([]uint64, e.words)
	for t := t0; t < nb; t++ {
		e.valid[t/64] |= 1 << (t % 64)
	}
	e.nlogn = make([]float64, nb-t0+1)
	for i := 2; i < len(e.nlogn); i++ {
		e.nlogn[i] = float64(i) * math.Log2(float64(i))
	}
	e.pattern = make([][]uint64, len(bins))
	e.count = make([][]int64, len(bins))
	code := make([]uint8, nb)
	for y, b := range bins {
		clear(code)
		for _, t := range b {
			for s := 0; s <= k && int(t)+s < nb; s++ {
				code[int(t)+s] |= 1 << s // bin t is y_{t'−s} of bin t' = t+s
			}
		}
		e.pattern[y] = make([]uint64, e.words*e.np)
		e.count[y] = make([]int64, e.np+1)
		for t := t0; t < nb; t++ {
			c := int(code[t])
			e.count[y][c]++
			if c > 0 {
				e.pattern[y][(t/64)*e.np+c-1] |= 1 << (t % 64)
			}
		}
	}
	return e
}

// bitset returns the binary train of the bins b.
func (e *teEstimator) bitset(b []int32) []uint64 {
	s := make([]uint64, e.words)
	for _, t := range b {
		s[t/64] |= 1 << (t % 64)
	}
	return s
}

// jittered returns a surrogate of the train with windows ws: each event
// moved to a uniform bin of its window of d bins (the last cut at nb).
func (e *teEstimator) jittered(ws []window, d int, rng *rand.Rand, dst []uint64) []uint64 {
	if len(dst) != e.words {
		dst = make([]uint64, e.words)
	}
	clear(dst)
	for _, w := range ws {
		a := int(w.w) * d
		dw := min(d, e.nb-a)
		for range w.m {
			t := a + rng.IntN(dw)
			dst[t/64] |= 1 << (t % 64)
		}
	}
	return dst
}

// shiftAll returns, for every source with a train, its trains delayed by
// u = 1..U bins (bit t = x_{t−u}), reusing dst, and sets tot to their
// events in the bins t0..nb−1.
func (e *teEstimator) shiftAll(src [][]uint64, dst [][][]uint64) [][][]uint64 {
	if dst == nil {
		dst = make([][][]uint64, len(src))
		e.tot = make([][]float64, len(src))
	}
	for x, s := range src {
		if s == nil {
			continue
		}
		if dst[x] == nil {
			dst[x] = make([][]uint64, e.U+1)
			for u := 1; u <= e.U; u++ {
				dst[x][u] = make([]uint64, e.words)
			}
			e.tot[x] = make([]float64, e.U+1)
		}
		for u := 1; u <= e.U; u++ {
			d := dst[x][u]
			var carry uint64
			var n int
			for w, v := range s {
				d[w] = (v << u) | carry
				carry = v >> (64 - u)
				n += bits.OnesCount64(d[w] & e.valid[w])
			}
			e.tot[x][u] = float64(n)
		}
	}
	return dst
}

type teScratch struct {
	acc []int64 // [u−1][c−1]
	n1  []float64
}

func (e *teEstimator) scratch() *teScratch {
	return &teScratch{acc: make([]int64, e.U*e.np), n1: make([]float64, e.np+1)}
}

// pair returns the largest TE over the delays from source x, shifted as
// xs, to target y, and its delay. One pass over the words counts, for
// every delay u and pattern c ≥ 1, the bins with x_{t−u} = 1.
func (e *teEstimator) pair(y, x int, xs [][]uint64, sc *teScratch) (float64, int) {
	pat, np, acc := e.pattern[y], e.np, sc.acc
	clear(acc)
	for u := 1; u <= e.U; u++ {
		countPatterns(pat, np, xs[u][:e.words], acc[(u-1)*np:u*np])
	}
	best, bu := math.Inf(-1), 1
	for u := 1; u <= e.U; u++ {
		rest := e.tot[x][u]
		for c := 1; c <= np; c++ {
			v := float64(acc[(u-1)*np+c-1])
			sc.n1[c] = v
			rest -= v
		}
		sc.n1[0] = rest
		if te := e.te(e.count[y], sc.n1); te > best {
			best, bu = te, u
		}
	}
	return best, bu
}

// countPatterns adds to a[c−1] the bins of pattern c ≥ 1 where the
// shifted source xu is on; the common history lengths have unrolled
// loops with the counts in registers.
func countPatterns(pat []uint64, np int, xu []uint64, a []int64) {
	switch np {
	case 3:
		var a0, a1, a2 int
		for w, v := range xu {
			p := pat[3*w : 3*w+3 : 3*w+3]
			a0 += bits.OnesCount64(p[0] & v)
			a1 += bits.OnesCount64(p[1] & v)
			a2 += bits.OnesCount64(p[2] & v)
		}
		a[0], a[1], a[2] = int64(a0), int64(a1), int64(a2)
	case 7:
		var a0, a1, a2, a3, a4, a5, a6 int
		for w, v := range xu {
			if v == 0 {
				continue
			}
			p := pat[7*w : 7*w+7 : 7*w+7]
			a0 += bits.OnesCount64(p[0] & v)
			a1 += bits.OnesCount64(p[1] & v)
			a2 += bits.OnesCount64(p[2] & v)
			a3 += bits.OnesCount64(p[3] & v)
			a4 += bits.OnesCount64(p[4] & v)
			a5 += bits.OnesCount64(p[5] & v)
			a6 += bits.OnesCount64(p[6] & v)
		}
		a[0], a[1], a[2], a[3], a[4], a[5], a[6] = int64(a0), int64(a1), int64(a2), int64(a3), int64(a4), int64(a5), int64(a6)
	default:
		for w, v := range xu {
			if v == 0 {
				continue
			}
			for c, p := range pat[w*np : w*np+np] {
				a[c] += int64(bits.OnesCount64(p & v))
			}
		}
	}
}

// te is the plug-in TE in bits from the pattern counts cnt[c] and those
// with the source on, n1[c] (c = y_t | past<<1).
func (e *teEstimator) te(cnt []int64, n1 []float64) float64 {
	nl := func(v float64) float64 { return e.nlogn[int(v)] }
	var s float64
	for p := 0; p < len(cnt)/2; p++ {
		c0, c1 := 2*p, 2*p+1
		a1, b1 := n1[c0], n1[c1] // y_t = 0, 1 with x on
		a0, b0 := float64(cnt[c0])-a1, float64(cnt[c1])-b1
		np := float64(cnt[c0] + cnt[c1])
		// Σ n(f,p,x) log n(f,p,x) + n(p) log n(p) − Σ_x n(p,x) log n(p,x) − Σ_f n(f,p) log n(f,p)
		s += nl(a0) + nl(b0) + nl(a1) + nl(b1) + nl(np) - nl(a0+b0) - nl(a1+b1) - nl(float64(cnt[c0])) - nl(float64(cnt[c1]))
	}
	return math.Max(0, s/float64(e.nb-e.t0))
}
