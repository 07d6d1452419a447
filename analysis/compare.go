package analysis

import (
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TTest is the result of Welch's two-sample t-test.
type TTest struct {
	MeanA, MeanB float64
	T            float64 // (mean A - mean B) / standard error
	DF           float64 // Welch-Satterthwaite degrees of freedom
	P            float64 // two-sided
}

// WelchT tests whether two samples have the same mean without assuming
// equal variances (Welch 1947, Biometrika 34:28): t = (ā - b̄)/√(s²_a/n_a
// + s²_b/n_b), with ν = (s²_a/n_a + s²_b/n_b)² / ((s²_a/n_a)²/(n_a-1) +
// (s²_b/n_b)²/(n_b-1)) degrees of freedom and the two-sided p-value of
// Student's t with ν. Each sample needs at least two values; if both have
// zero variance, t is ±Inf (p 0) for different means and NaN (p 1) for
// equal ones.
func WelchT(a, b []float64) (TTest, error) {
	if len(a) < 2 || len(b) < 2 {
		return TTest{}, errors.New("analysis: Welch's t-test needs at least two values per sample")
	}
	ma, va := stat.MeanVariance(a, nil)
	mb, vb := stat.MeanVariance(b, nil)
	r := TTest{MeanA: ma, MeanB: mb}
	qa, qb := va/float64(len(a)), vb/float64(len(b))
	se2 := qa + qb
	if se2 == 0 {
		r.DF = float64(len(a) + len(b) - 2)
		switch {
		case ma == mb:
			r.T, r.P = math.NaN(), 1
		default:
			r.T, r.P = math.Inf(int(math.Copysign(1, ma-mb))), 0
		}
		return r, nil
	}
	r.T = (ma - mb) / math.Sqrt(se2)
	r.DF = se2 * se2 / (qa*qa/float64(len(a)-1) + qb*qb/float64(len(b)-1))
	r.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: r.DF}.CDF(-math.Abs(r.T))
	return r, nil
}

// UTest is the result of the Mann-Whitney U test.
type UTest struct {
	U float64 // of sample A: pairs (a, b) with a > b, ties counting half
	Z float64 // normal approximation with tie and continuity corrections
	P float64 // two-sided
}

// MannWhitney tests whether values of one sample tend to be larger than
// those of the other (Mann & Whitney 1947, Ann Math Stat 18:50): U_A
// counts the pairs with a > b (ties ½), and under the null hypothesis U
// is approximately normal with mean n_a n_b/2 and variance
// n_a n_b/12 · (n + 1 − Σ(t³ − t)/(n(n − 1))) over tie groups of size t
// (n = n_a + n_b); z includes a continuity correction of ½. The
// approximation is good from about 8 values per sample (p within ~0.01
// of the exact permutation p-value, see the tests).
func MannWhitney(a, b []float64) (UTest, error) {
	na, nb := len(a), len(b)
	if na == 0 || nb == 0 {
		return UTest{}, errors.New("analysis: the Mann-Whitney test needs values in both samples")
	}
	type item struct {
		v   float64
		inA bool
	}
	all := make([]item, 0, na+nb)
	for _, v := range a {
		all = append(all, item{v, true})
	}
	for _, v := range b {
		all = append(all, item{v, false})
	}
	for _, x := range all {
		if math.IsNaN(x.v) {
			return UTest{}, errors.New("analysis: the Mann-Whitney test got a NaN")
		}
	}
	slices.SortFunc(all, func(x, y item) int {
		switch {
		case x.v < y.v:
			return -1
		case x.v > y.v:
			return 1
		}
		return 0
	})
	n := float64(na + nb)
	var rankA, ties float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of ranks i+1 .. j
		for k := i; k < j; k++ {
			if all[k].inA {
				rankA += rank
			}
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	fa, fb := float64(na), float64(nb)
	r := UTest{U: rankA - fa*(fa+1)/2}
	mu := fa * fb / 2
	sd := math.Sqrt(fa * fb / 12 * (n + 1 - ties/(n*(n-1))))
	if sd == 0 {
		r.Z, r.P = 0, 1
		return r, nil
	}
	d := r.U - mu
	d = math.Copysign(math.Max(math.Abs(d)-0.5, 0), d)
	r.Z = d / sd
	r.P = math.Min(1, 2*distuv.UnitNormal.CDF(-math.Abs(r.Z)))
	return r, nil
}
