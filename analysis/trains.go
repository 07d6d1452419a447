package analysis

import (
	"fmt"
	"math"
)

// UnitBins returns, for every unit, the bin index of each of its events in
// bins of binMs from T0 (ascending, one entry per event, so a bin with two
// events appears twice), and the number of bins: ceil((T1 − T0)/binMs),
// the last one possibly partial. It is the discrete spike train that the
// correlogram, transfer-entropy and information estimators start from.
func (e Events) UnitBins(binMs float64) (bins [][]int32, nBins int, err error) {
	if !(binMs > 0) || math.IsInf(binMs, 0) {
		return nil, 0, fmt.Errorf("analysis: bin %g ms, need a finite value > 0", binMs)
	}
	if err := e.Validate(); err != nil {
		return nil, 0, err
	}
	nb := math.Ceil((e.T1 - e.T0) / binMs)
	if nb > math.MaxInt32 {
		return nil, 0, fmt.Errorf("analysis: %g bins of %g ms in [%g, %g) ms, more than %d", nb, binMs, e.T0, e.T1, math.MaxInt32)
	}
	nBins = int(nb)
	n := make([]int, e.N)
	for _, id := range e.ID {
		n[id]++
	}
	bins = make([][]int32, e.N)
	for u := range bins {
		bins[u] = make([]int32, 0, n[u])
	}
	for k, t := range e.T {
		b := min(int((t-e.T0)/binMs), nBins-1)
		bins[e.ID[k]] = append(bins[e.ID[k]], int32(b))
	}
	return bins, nBins, nil
}
