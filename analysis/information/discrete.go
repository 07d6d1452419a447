package information

import (
	"fmt"
	"math"
)

// Entropy returns the entropy in bits of the symbols x (any int32 values)
// from their frequencies: the plug-in estimate −Σ p̂ log₂ p̂, plus with
// millerMadow the first-order bias correction (m − 1)/(2N ln 2), m the
// number of distinct symbols seen and N = len(x) (Miller 1955; Panzeri &
// Treves 1996, Network 7:87). NaN for no samples.
func Entropy(x []int32, millerMadow bool) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return joint([][]int32{x}, millerMadow)
}

func entropyOf[K comparable](h map[K]int, n int, millerMadow bool) float64 {
	var s float64
	for _, c := range h {
		s += float64(c) * math.Log2(float64(c))
	}
	return finish(s, n, len(h), millerMadow)
}

// finish turns s = Σ c log₂ c over m non-empty cells of n samples into the
// entropy.
func finish(s float64, n, m int, millerMadow bool) float64 {
	H := math.Log2(float64(n)) - s/float64(n)
	if millerMadow {
		H += float64(m-1) / (2 * float64(n) * math.Ln2)
	}
	return H
}

// joint returns the entropy of the tuples (x[0][t], x[1][t], …): counted
// in a dense table when the symbols are small non-negative integers (the
// usual case: binned trains, histories), else in a map.
func joint(xs [][]int32, millerMadow bool) float64 {
	n := len(xs[0])
	size := 1
	stride := make([]int, len(xs))
	for i, x := range xs {
		lo, hi := x[0], x[0]
		for _, v := range x {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo < 0 || size*(int(hi)+1) > 1<<22 {
			size = -1
			break
		}
		stride[i] = size
		size *= int(hi) + 1
	}
	if size < 0 {
		h := map[string]int{}
		key := make([]byte, 4*len(xs))
		for t := range n {
			for i, x := range xs {
				v := uint32(x[t])
				key[4*i], key[4*i+1], key[4*i+2], key[4*i+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
			}
			h[string(key)]++
		}
		return entropyOf(h, n, millerMadow)
	}
	counts := make([]int32, size)
	for t := range n {
		k := 0
		for i, x := range xs {
			k += int(x[t]) * stride[i]
		}
		counts[k]++
	}
	c := make([]int, len(counts))
	for i, v := range counts {
		c[i] = int(v)
	}
	return cellEntropy(c, n, millerMadow)
}

// cellEntropy returns the entropy of the counts of n samples in cells.
func cellEntropy(counts []int, n int, millerMadow bool) float64 {
	var s float64
	m := 0
	for _, c := range counts {
		if c > 0 {
			s += float64(c) * math.Log2(float64(c))
			m++
		}
	}
	return finish(s, n, m, millerMadow)
}

func checkLengths(xs [][]int32) error {
	if len(xs) == 0 || len(xs[0]) == 0 {
		return fmt.Errorf("information: no variables or no samples")
	}
	for i, x := range xs {
		if len(x) != len(xs[0]) {
			return fmt.Errorf("information: variable %d has %d samples, variable 0 has %d", i, len(x), len(xs[0]))
		}
	}
	return nil
}

// MutualInformation returns I(X; Y) = H(X) + H(Y) − H(X, Y) in bits of two
// paired symbol sequences, each entropy estimated by Entropy (so the
// Miller-Madow correction removes the plug-in bias of (m_xy − m_x − m_y +
// 1)/(2N ln 2), which for independent variables is the mean of the
// plug-in estimate's χ² distribution; Panzeri & Treves 1996).
func MutualInformation(x, y []int32, millerMadow bool) (float64, error) {
	if err := checkLengths([][]int32{x, y}); err != nil {
		return 0, err
	}
	return Entropy(x, millerMadow) + Entropy(y, millerMadow) - joint([][]int32{x, y}, millerMadow), nil
}

// ActiveInformationStorage returns the active information storage of a
// binary (0/1) sequence with history k, in bits (Lizier, Prokopenko &
// Zomaya 2012, Inf Sci 208:39): the information that the past k samples
// hold about the next one, A = I(x_t; x_{t−1} … x_{t−k}), over the samples
// t ≥ k. It is 0 for an independent sequence and H(x_t) − H(x_t | past)
// for a Markov chain of order ≤ k.
func ActiveInformationStorage(x []int32, k int, millerMadow bool) (float64, error) {
	if k < 1 || k > 30 {
		return 0, fmt.Errorf("information: AIS history %d, need 1 to 30", k)
	}
	if len(x) <= k {
		return 0, fmt.Errorf("information: AIS of %d samples with history %d", len(x), k)
	}
	future := make([]int32, 0, len(x)-k)
	past := make([]int32, 0, len(x)-k)
	var code int32
	mask := int32(1)<<k - 1
	for t, v := range x {
		if v != 0 && v != 1 {
			return 0, fmt.Errorf("information: AIS sample %d is %d, want 0 or 1", t, v)
		}
		if t >= k {
			future = append(future, v)
			past = append(past, code)
		}
		code = (code<<1 | v) & mask
	}
	return MutualInformation(future, past, millerMadow)
}

// MultiInformation returns the integration (multi-information, total
// correlation) of n discrete variables, I(X) = Σ_i H(X_i) − H(X_1 … X_n)
// in bits (Watanabe 1960; Tononi, Sporns & Edelman 1994, PNAS 91:5033,
// eq. 1), by plug-in entropies (Miller-Madow corrected if asked). The joint
// entropy needs many more samples than joint states: use it for a few
// variables, and GaussianIntegration for many.
func MultiInformation(xs [][]int32, millerMadow bool) (float64, error) {
	if err := checkLengths(xs); err != nil {
		return 0, err
	}
	var s float64
	for _, x := range xs {
		s += Entropy(x, millerMadow)
	}
	return s - joint(xs, millerMadow), nil
}

// Complexity returns the neural complexity of Tononi, Sporns & Edelman
// (1994, PNAS 91:5033, eq. 2) of n discrete variables, in bits,
//
//	C_N(X) = Σ_{k=1}^{n} [ ⟨H(X_j^k)⟩_j − (k/n) H(X) ],
//
// the mean over every subset X_j^k of k variables, by plug-in entropies
// (Miller-Madow corrected if asked) over all 2^n − 1 subsets, so n ≤ 16.
// It is 0 for independent and for identical variables, and large when the
// system integrates specialised parts.
func Complexity(xs [][]int32, millerMadow bool) (float64, error) {
	if err := checkLengths(xs); err != nil {
		return 0, err
	}
	n := len(xs)
	if n > 16 {
		return 0, fmt.Errorf("information: discrete complexity of %d variables: at most 16 (use GaussianComplexity)", n)
	}
	return complexity(n, func(sub []int) float64 {
		s := make([][]int32, len(sub))
		for i, j := range sub {
			s[i] = xs[j]
		}
		return joint(s, millerMadow)
	}), nil
}

// complexity sums Tononi's C_N over every subset with the entropy H.
func complexity(n int, H func(sub []int) float64) float64 {
	mean := make([]float64, n+1)
	count := make([]float64, n+1)
	sub := make([]int, 0, n)
	for m := 1; m < 1<<n; m++ {
		sub = sub[:0]
		for i := range n {
			if m&(1<<i) != 0 {
				sub = append(sub, i)
			}
		}
		mean[len(sub)] += H(sub)
		count[len(sub)]++
	}
	full := mean[n]
	var c float64
	for k := 1; k <= n; k++ {
		c += mean[k]/count[k] - float64(k)/float64(n)*full
	}
	return c
}
