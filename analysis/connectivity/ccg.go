package connectivity

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"

	"github.com/bl1-go/bl1/analysis"
)

// ErrOption marks an invalid option (a bin, window, lag or count out of
// range), as opposed to unusable data.
var ErrOption = errors.New("invalid option")

// CCGOptions set the cross-correlograms. Zero fields take the defaults.
type CCGOptions struct {
	BinMs    float64 // correlogram bin, ms (default 1)
	MaxLagMs float64 // lags from −MaxLagMs to +MaxLagMs, ms (default 50)
	JitterMs float64 // interval-jitter window, ms, a multiple of BinMs of at least two bins (default 25)
	Workers  int     // goroutines (default 1); results do not depend on it
}

func (o CCGOptions) withDefaults() CCGOptions {
	if o.BinMs == 0 {
		o.BinMs = 1
	}
	if o.MaxLagMs == 0 {
		o.MaxLagMs = 50
	}
	if o.JitterMs == 0 {
		o.JitterMs = 25
	}
	o.Workers = max(o.Workers, 1)
	return o
}

// Correlograms are the cross-correlograms of every pair of units with
// their interval-jitter expectation, and the directed links they show.
type Correlograms struct {
	N        int     // units
	Lags     int     // L: lags −L..L bins, 2L+1 per pair
	BinMs    float64 // bin width, ms
	JitterMs float64 // jitter window, ms
	// Count[(i*N+j)*(2L+1) + L+ℓ] is the number of event pairs with
	// bin(j) − bin(i) = ℓ; Expected is its mean when the events of the
	// pair's higher-numbered unit are jittered (so Count and Expected of
	// (j, i) are those of (i, j) reversed).
	Count    []int32
	Expected []float32
	// Directed links, [i*N+j] for i → j, from the lags 1..L at which j's
	// events follow i's: P is the smallest Poisson tail probability of the
	// count over the lags, times L (Bonferroni), at most 1; DelayMs is that
	// lag in ms; Efficacy is the excess (count − expected) at that lag per
	// event of i: the probability that an event of i is followed by one of
	// j at that lag beyond chance (NaN when i has no events).
	P        []float64
	DelayMs  []float64
	Efficacy []float64
}

// CrossCorrelograms counts, for every pair of units i < j, the pairs of
// events at each lag ℓ = bin(t_j) − bin(t_i) within ±MaxLagMs, and compares
// the counts with interval jitter (Date, Bienenstock & Geman 1998;
// Amarasingham et al. 2012, J Neurophysiol 107:517): the events of j are
// moved independently and uniformly within fixed windows of JitterMs,
// which keeps j's rate on every timescale longer than the window (network
// bursts, slow co-modulation) and destroys its timing within the window.
// The jitter expectation is computed exactly instead of by resampling:
// with n_i(k) the events of i in bin k, D the bins of a window and m_w the
// events of j in window w,
//
//	E[C(ℓ)] = Σ_w m_w · (1/D) Σ_{k ∈ w} n_i(k − ℓ)
//
// (the jitter-corrected correlogram of Smith & Kohn 2008, J Neurosci
// 28:12591, is C − E). Under the null the count at a lag is a sum of
// independent Bernoulli variables (one per event of j, when no bin holds
// two events of i), whose upper tail is bounded by the Poisson tail of the
// same mean for counts above the mean plus one (Hoeffding 1956, Ann Math
// Stat 27:713, Thm 4; Anderson & Samuels 1967, Proc. 5th Berkeley Symp.),
// so the Poisson tail P(X ≥ C | E) is a conservative p-value per lag, as
// in Stark & Abeles (2009, J Neurosci Methods 179:90) and English et al.
// (2017, Neuron 96:505). A directed link i → j takes the most significant
// of the lags 1..L with a Bonferroni correction over them; lag 0 (same
// bin, no direction) is left out. Time O(events within ±MaxLagMs of each
// other + windows × lags) per pair.
func CrossCorrelograms(e analysis.Events, opt CCGOptions) (*Correlograms, error) {
	opt = opt.withDefaults()
	if !(opt.BinMs > 0) || math.IsInf(opt.BinMs, 0) {
		return nil, fmt.Errorf("connectivity: correlogram bin %g ms, need a finite value > 0: %w", opt.BinMs, ErrOption)
	}
	lag := math.Round(opt.MaxLagMs / opt.BinMs)
	if !(lag >= 1) || lag > 10000 {
		return nil, fmt.Errorf("connectivity: maximum lag %g ms is %g bins of %g ms, need 1 to 10000: %w", opt.MaxLagMs, lag, opt.BinMs, ErrOption)
	}
	d, err := binsOf("jitter window", opt.JitterMs, opt.BinMs)
	if err != nil {
		return nil, err
	}
	bins, nb, err := e.UnitBins(opt.BinMs)
	if err != nil {
		return nil, err
	}
	n, L := e.N, int(lag)
	w := 2*L + 1
	c := &Correlograms{N: n, Lags: L, BinMs: opt.BinMs, JitterMs: opt.JitterMs,
		Count: make([]int32, n*n*w), Expected: make([]float32, n*n*w),
		P: make([]float64, n*n), DelayMs: make([]float64, n*n), Efficacy: make([]float64, n*n)}
	// Row j builds the dense counts of j and of its jitter windows once and
	// goes through every i < j.
	parallel(n, opt.Workers, func(j int) {
		cnt := make([]int32, w)
		exp := make([]float64, w)
		h := make([]int32, d+2*L)
		sw := newSWAR(bins[j], nb, d, L)
		for i := range j {
			clear(cnt)
			clear(exp)
			if sw != nil {
				sw.add(bins[i], cnt, exp)
			} else {
				correlogram(bins[i], bins[j], L, cnt)
				jitterExpectation(bins[i], bins[j], nb, d, L, exp, h)
			}
			for k := range w {
				c.Count[(i*n+j)*w+k] = cnt[k]
				c.Expected[(i*n+j)*w+k] = float32(exp[k])
				c.Count[(j*n+i)*w+w-1-k] = cnt[k]
				c.Expected[(j*n+i)*w+w-1-k] = float32(exp[k])
			}
		}
	})
	for i := range n {
		for j := range n {
			k := i*n + j
			c.P[k], c.DelayMs[k], c.Efficacy[k] = 1, math.NaN(), math.NaN()
			if i == j {
				continue
			}
			ni := float64(len(bins[i]))
			best, bestEx := 1.0, math.Inf(-1)
			for l := 1; l <= L; l++ {
				cc := float64(c.Count[k*w+L+l])
				mu := float64(c.Expected[k*w+L+l])
				p := PoissonTail(cc, mu)
				if ex := cc - mu; p < best || (p == best && ex > bestEx) {
					best, bestEx = p, ex
					c.DelayMs[k] = float64(l) * opt.BinMs
				}
			}
			c.P[k] = math.Min(1, best*float64(L))
			if ni > 0 {
				c.Efficacy[k] = bestEx / ni
			}
		}
	}
	return c, nil
}

// binsOf converts a window in ms to a whole number (≥ 2) of bins.
func binsOf(what string, ms, binMs float64) (int, error) {
	k := math.Round(ms / binMs)
	if !(k >= 2) || k > 1e6 || math.Abs(k*binMs-ms) > 1e-9*ms {
		return 0, fmt.Errorf("connectivity: %s %g ms must be a whole number (at least 2, at most 10^6) of %g ms bins: %w", what, ms, binMs, ErrOption)
	}
	return int(k), nil
}

// swar holds the dense counts of one train j, padded by L bins on each
// side, for correlograms of byte lanes eight lags at a time: n[k+L] is the
// number of events of j in bin k, m[k+L] the number in k's jitter window.
type swar struct {
	n, m       []byte
	nb, d, L   int
	maxN, maxM int
	lastA      int     // first bin of the last window
	lastFix    float64 // m_last (1/dw − 1/d): the last window is short
}

// newSWAR returns nil when a bin or a window holds more than 255 events.
func newSWAR(bj []int32, nb, d, L int) *swar {
	words := (2*L + 1 + 7) / 8
	size := nb + 2*L + 8*words
	s := &swar{n: make([]byte, size), m: make([]byte, size), nb: nb, d: d, L: L}
	cnt := make([]int32, (nb+d-1)/d)
	for _, k := range bj {
		cnt[int(k)/d]++
	}
	for _, k := range bj {
		if v := int(s.n[int(k)+L]) + 1; v > 255 {
			return nil
		}
		s.n[int(k)+L]++
	}
	for w, c := range cnt {
		if c > 255 {
			return nil
		}
		for k := w * d; k < min(w*d+d, nb); k++ {
			s.m[k+L] = byte(c)
		}
		s.maxM = max(s.maxM, int(c))
	}
	for _, v := range s.n {
		s.maxN = max(s.maxN, int(v))
	}
	s.lastA = (nb - 1) / d * d
	if dw := nb - s.lastA; dw < d {
		s.lastFix = float64(cnt[len(cnt)-1]) * (1/float64(dw) - 1/float64(d))
	}
	return s
}

// add adds to cnt[L+ℓ] the events of j at bin(i) + ℓ, and to exp[L+ℓ] their
// jitter expectation, for the events bi of i: Σ_i n_j(k+ℓ) and
// Σ_i m_j(k+ℓ)/d, each sum eight lags per 64-bit add in byte lanes,
// flushed before a lane can overflow.
func (s *swar) add(bi []int32, cnt []int32, exp []float64) {
	L := s.L
	words := (2*L + 1 + 7) / 8
	accN, accM := make([]uint64, words), make([]uint64, words)
	everyN, everyM := 255/max(s.maxN, 1), 255/max(s.maxM, 1)
	sumM := make([]int64, 2*L+1)
	flush := func(acc []uint64, f func(lag int, v uint64)) {
		for w := range words {
			a := acc[w]
			for b := 0; b < 8 && 8*w+b <= 2*L; b++ {
				f(8*w+b, (a>>(8*b))&0xff)
			}
			acc[w] = 0
		}
	}
	addN := func(lag int, v uint64) { cnt[lag] += int32(v) }
	addM := func(lag int, v uint64) { sumM[lag] += int64(v) }
	nN, nM := 0, 0
	for _, k := range bi {
		n, m := s.n[k:], s.m[k:]
		for w := range words {
			accN[w] += binary.LittleEndian.Uint64(n[8*w:])
			accM[w] += binary.LittleEndian.Uint64(m[8*w:])
		}
		if nN++; nN == everyN {
			flush(accN, addN)
			nN = 0
		}
		if nM++; nM == everyM {
			flush(accM, addM)
			nM = 0
		}
	}
	flush(accN, addN)
	flush(accM, addM)
	for l, v := range sumM {
		exp[l] += float64(v) / float64(s.d)
	}
	if s.lastFix == 0 {
		return
	}
	// Events of i whose lags reach the short last window.
	from, _ := slices.BinarySearch(bi, int32(s.lastA-L))
	for _, k := range bi[from:] {
		for l := -L; l <= L; l++ {
			if kk := int(k) + l; kk >= s.lastA && kk < s.nb {
				exp[L+l] += s.lastFix
			}
		}
	}
}

// correlogram adds to cnt[L+ℓ] the pairs with bj − bi = ℓ, |ℓ| ≤ L.
func correlogram(bi, bj []int32, L int, cnt []int32) {
	lo := 0
	for _, k := range bj {
		for lo < len(bi) && int(bi[lo]) < int(k)-L {
			lo++
		}
		for x := lo; x < len(bi) && int(bi[x]) <= int(k)+L; x++ {
			cnt[L+int(k)-int(bi[x])]++
		}
	}
}

// jitterExpectation adds to exp[L+ℓ] the expected correlogram when the
// events bj are jittered in windows of d bins (the last one cut at nb).
// h is scratch of length d+2L.
func jitterExpectation(bi, bj []int32, nb, d, L int, exp []float64, h []int32) {
	lo := 0
	for s := 0; s < len(bj); {
		win := int(bj[s]) / d
		m := 0
		for s < len(bj) && int(bj[s])/d == win {
			m++
			s++
		}
		a := win * d
		dw := min(d, nb-a)
		// Events of i in [a−L, a+dw+L), at h[k − (a−L)].
		for lo < len(bi) && int(bi[lo]) < a-L {
			lo++
		}
		if lo == len(bi) || int(bi[lo]) >= a+dw+L {
			continue
		}
		clear(h[:dw+2*L])
		for x := lo; x < len(bi) && int(bi[x]) < a+dw+L; x++ {
			h[int(bi[x])-(a-L)]++
		}
		// S(ℓ) = Σ_{k∈[a−ℓ, a+dw−ℓ)} n_i(k): r ∈ [L−ℓ, L−ℓ+dw), from ℓ = −L.
		var sum int32
		for r := 2 * L; r < 2*L+dw; r++ {
			sum += h[r]
		}
		f := float64(m) / float64(dw)
		for l := -L; ; l++ {
			exp[L+l] += f * float64(sum)
			if l == L {
				break
			}
			sum += h[L-l-1] - h[L-l-1+dw]
		}
	}
}

// PoissonTail returns P(X ≥ c) for X ~ Poisson(mu): the regularized lower
// incomplete gamma function P(c, mu) for c ≥ 1, and 1 for c ≤ 0.
func PoissonTail(c, mu float64) float64 {
	if c <= 0 {
		return 1
	}
	if mu <= 0 {
		return 0
	}
	return mathext.GammaIncReg(c, mu)
}
