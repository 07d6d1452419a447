package information

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// logDet returns ln det of the principal submatrix of c on the indices
// sub, by Cholesky in the scratch buf (len ≥ len(sub)²); ok is false if it
// is not positive definite.
func logDet(c mat.Symmetric, sub []int, buf []float64, ch *mat.Cholesky) (float64, bool) {
	k := len(sub)
	s := mat.NewSymDense(k, buf[:k*k])
	for i, a := range sub {
		for j := i; j < k; j++ {
			s.SetSym(i, j, c.At(a, sub[j]))
		}
	}
	if !ch.Factorize(s) {
		return 0, false
	}
	return ch.LogDet(), true
}

func checkCov(c mat.Symmetric) error {
	n := c.SymmetricDim()
	if n < 1 {
		return fmt.Errorf("information: empty covariance")
	}
	var ch mat.Cholesky
	if !ch.Factorize(c) {
		return fmt.Errorf("information: the %d×%d covariance is not positive definite (a constant or linearly dependent variable?)", n, n)
	}
	return nil
}

// GaussianIntegration returns the integration of n jointly Gaussian
// variables with covariance c, in bits (Tononi, Sporns & Edelman 1994,
// PNAS 91:5033):
//
//	I(X) = Σ_i H(X_i) − H(X) = ½ log₂( Π_i c_ii / det c ) = −½ log₂ det R,
//
// R the correlation matrix. It is 0 for uncorrelated variables.
func GaussianIntegration(c mat.Symmetric) (float64, error) {
	if err := checkCov(c); err != nil {
		return 0, err
	}
	n := c.SymmetricDim()
	all := make([]int, n)
	var s float64
	for i := range all {
		all[i] = i
		s += math.Log(c.At(i, i))
	}
	ld, _ := logDet(c, all, make([]float64, n*n), &mat.Cholesky{})
	return (s - ld) / 2 / math.Ln2, nil
}

// GaussianComplexity returns the neural complexity C_N of Tononi, Sporns &
// Edelman (1994, eq. 2) of n jointly Gaussian variables with covariance c,
// in bits, with H(X_S) = ½ log₂((2πe)^|S| det c_S):
//
//	C_N = Σ_{k=1}^{n} [ ⟨H(X_j^k)⟩_j − (k/n) H(X) ]
//	    = ½ Σ_{k=1}^{n} [ ⟨log₂ det c_{S_j^k}⟩_j − (k/n) log₂ det c ]
//
// The mean over the subsets of size k is exact (all 2^n − 1 subsets) for
// n ≤ exactUpTo (at most 20), and otherwise estimated from samples random
// subsets of each size (seeded by seed; sizes 1 and n − 1 use all their n
// subsets, size n the set itself). The second return is the standard
// error of the estimate from the spread of the sampled subsets (0 when
// exact).
func GaussianComplexity(c mat.Symmetric, exactUpTo, samples int, seed uint64) (cn, se float64, err error) {
	if err := checkCov(c); err != nil {
		return 0, 0, err
	}
	n := c.SymmetricDim()
	exactUpTo = min(exactUpTo, 20)
	buf := make([]float64, n*n)
	var ch mat.Cholesky
	ld := func(sub []int) float64 {
		v, ok := logDet(c, sub, buf, &ch)
		if !ok {
			return math.NaN()
		}
		return v / math.Ln2
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	full := ld(all)
	if n <= exactUpTo {
		return complexity(n, func(sub []int) float64 { return ld(sub) / 2 }), 0, nil
	}
	if samples < 2 {
		return 0, 0, fmt.Errorf("information: sampled complexity needs at least 2 subsets per size, got %d", samples)
	}
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	perm := make([]int, n)
	var variance float64
	for k := 1; k <= n; k++ {
		var m, m2 float64
		var count int
		switch {
		case k == 1 || k == n-1: // all n subsets
			for i := range n {
				sub := make([]int, 0, k)
				for j := range n {
					if (k == 1) == (j == i) {
						sub = append(sub, j)
					}
				}
				v := ld(sub)
				m += v
				count++
			}
		case k == n:
			m, count = full, 1
		default:
			for range samples {
				for i := range perm {
					perm[i] = i
				}
				for i := range k { // partial Fisher-Yates: the first k are a uniform k-subset
					j := i + rng.IntN(n-i)
					perm[i], perm[j] = perm[j], perm[i]
				}
				v := ld(perm[:k])
				m += v
				m2 += v * v
				count++
			}
			mu := m / float64(count)
			variance += (m2/float64(count) - mu*mu) / float64(count-1) / 4 // of ½⟨log det⟩
		}
		cn += (m/float64(count) - float64(k)/float64(n)*full) / 2
	}
	return cn, math.Sqrt(variance), nil
}
