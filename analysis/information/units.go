package information

import (
	"errors"
	"fmt"
	"math"
	"math/bits"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/bl1-go/bl1/analysis"
)

// ErrOption marks an invalid option of Analyze.
var ErrOption = errors.New("invalid option")

// Options set Analyze. Zero fields take the defaults.
type Options struct {
	BinMs     float64 // bin of the activity, ms (default 5)
	History   int     // AIS history, bins (default 2)
	ExactUpTo int     // complexity by all subsets up to this many units (default 12, at most 20)
	Samples   int     // otherwise random subsets per size (default 100)
	Seed      uint64  // of the subsets
}

func (o Options) withDefaults() Options {
	if o.BinMs == 0 {
		o.BinMs = 5
	}
	if o.History == 0 {
		o.History = 2
	}
	if o.ExactUpTo == 0 {
		o.ExactUpTo = 12
	}
	if o.Samples == 0 {
		o.Samples = 100
	}
	return o
}

// Summary is the information content of a recording's units.
type Summary struct {
	Units, Bins int
	BinMs       float64
	History     int // of the AIS, bins
	// Of the binary activity (1 when a bin holds an event), bits per bin,
	// Miller-Madow corrected:
	Entropy []float64 // H of each unit
	AIS     []float64 // active information storage of each unit
	MI      []float64 // mutual information, Units × Units (diagonal: Entropy)
	// Of the event counts per bin, as jointly Gaussian variables (bits),
	// over the units whose count varies:
	Gaussian     []bool
	Integration  float64
	Complexity   float64
	ComplexitySE float64 // 0 when every subset was enumerated
}

// Analyze bins every unit's events in bins of opt.BinMs and returns the
// entropy, active information storage (history opt.History) and pairwise
// mutual information of the binary activity by plug-in estimates with the
// Miller-Madow correction, and the integration and neural complexity of
// Tononi, Sporns & Edelman (1994) of the event counts as Gaussian
// variables (their covariance over the bins; NaN if it is singular): the
// discrete joint entropy
// of tens of channels would need far more bins than a recording has
// (2^64 states for 64 channels), the Gaussian one only their covariance.
func Analyze(e analysis.Events, opt Options) (*Summary, error) {
	opt = opt.withDefaults()
	if !(opt.BinMs > 0) || math.IsInf(opt.BinMs, 0) || opt.History < 1 || opt.History > 30 || opt.ExactUpTo < 1 || opt.ExactUpTo > 20 || opt.Samples < 2 {
		return nil, fmt.Errorf("information: bin %g ms, history %d, exact up to %d units, %d subsets per size: need a bin > 0, history 1-30, exact 1-20, subsets ≥ 2: %w",
			opt.BinMs, opt.History, opt.ExactUpTo, opt.Samples, ErrOption)
	}
	bins, nb, err := e.UnitBins(opt.BinMs)
	if err != nil {
		return nil, err
	}
	if nb <= opt.History+1 {
		return nil, fmt.Errorf("information: %d bins of %g ms, need more than the history of %d", nb, opt.BinMs, opt.History)
	}
	n := e.N
	s := &Summary{Units: n, Bins: nb, BinMs: opt.BinMs, History: opt.History, Entropy: make([]float64, n), AIS: make([]float64, n),
		MI: make([]float64, n*n), Gaussian: make([]bool, n), Integration: math.NaN(), Complexity: math.NaN()}
	act := make([][]int32, n)
	counts := make([][]float64, n)
	for u, b := range bins {
		act[u] = make([]int32, nb)
		counts[u] = make([]float64, nb)
		for _, k := range b {
			act[u][k] = 1
			counts[u][k]++
		}
		s.Entropy[u] = Entropy(act[u], true)
		if s.AIS[u], err = ActiveInformationStorage(act[u], opt.History, true); err != nil {
			return nil, err
		}
	}
	// Pairs of binary trains: the joint counts from popcounts of bitsets.
	words := (nb + 63) / 64
	bits1 := make([][]uint64, n)
	ones := make([]int, n)
	for u, b := range bins {
		bits1[u] = make([]uint64, words)
		for _, k := range b {
			bits1[u][k/64] |= 1 << (k % 64)
		}
		for _, w := range bits1[u] {
			ones[u] += bits.OnesCount64(w)
		}
	}
	for i := range n {
		s.MI[i*n+i] = s.Entropy[i]
		for j := i + 1; j < n; j++ {
			n11 := 0
			for w, v := range bits1[i] {
				n11 += bits.OnesCount64(v & bits1[j][w])
			}
			cells := [4]int{nb - ones[i] - ones[j] + n11, ones[i] - n11, ones[j] - n11, n11}
			v := s.Entropy[i] + s.Entropy[j] - cellEntropy(cells[:], nb, true)
			s.MI[i*n+j], s.MI[j*n+i] = v, v
		}
	}
	var cols []int
	for u, c := range counts {
		if stat.Variance(c, nil) > 0 {
			s.Gaussian[u] = true
			cols = append(cols, u)
		}
	}
	if len(cols) < 2 {
		return s, nil
	}
	x := mat.NewDense(nb, len(cols), nil)
	for k, u := range cols {
		x.SetCol(k, counts[u])
	}
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, x, nil)
	// A singular covariance (units whose counts are linearly dependent)
	// leaves both NaN rather than failing the other measures.
	if v, err := GaussianIntegration(&cov); err == nil {
		s.Integration = v
		s.Complexity, s.ComplexitySE, _ = GaussianComplexity(&cov, opt.ExactUpTo, opt.Samples, opt.Seed)
	}
	return s, nil
}
