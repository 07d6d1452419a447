package analysis

import (
	"fmt"
	"math"
)

// Synchrony returns Golomb's synchrony measure χ of the units that fire
// (Golomb & Rinzel 1993, Physica D 72:259; Golomb 2007, Scholarpedia
// 2(1):1347): with c_i(t) the events of unit i in bins of binMs and
// C(t) = (1/N) Σ_i c_i(t) their mean over the N units with any event,
//
//	χ² = Var_t[C] / ((1/N) Σ_i Var_t[c_i]).
//
// χ is 1 when the units fire together (identical counts) and falls as
// 1/√N for independent units: it measures the synchrony of the culture
// regardless of its rate. NaN with fewer than two whole bins or when no
// unit's count varies. Time O(events + bins + units), memory O(units).
func Synchrony(e Events, binMs float64) (float64, error) {
	if !(binMs > 0) || math.IsInf(binMs, 0) {
		return 0, fmt.Errorf("analysis: Synchrony: bin %g ms, need a finite value > 0", binMs)
	}
	if err := e.Validate(); err != nil {
		return 0, err
	}
	nb := int(math.Floor((e.T1 - e.T0) / binMs)) // whole bins only
	if nb < 2 {
		return math.NaN(), nil
	}
	count := make([]float64, e.N) // this bin's events per unit
	sum2 := make([]float64, e.N)  // Σ_t c_i(t)²
	total := make([]float64, e.N) // Σ_t c_i(t)
	var touched []int32           // units with events in this bin
	var popSum2 float64           // Σ_t S(t)² of the bins' totals S
	flush := func() {
		var s float64
		for _, u := range touched {
			c := count[u]
			s += c
			sum2[u] += c * c
			total[u] += c
			count[u] = 0
		}
		touched = touched[:0]
		popSum2 += s * s
	}
	bin := 0
	for k, t := range e.T {
		b := int((t - e.T0) / binMs)
		if b >= nb {
			break
		}
		if b != bin {
			flush()
			bin = b
		}
		u := e.ID[k]
		if count[u] == 0 {
			touched = append(touched, u)
		}
		count[u]++
	}
	flush()
	n, fb := 0, float64(nb)
	var varUnits, popSum float64 // popSum = Σ_t S(t)
	for i := range total {
		if total[i] > 0 {
			n++
			popSum += total[i]
			m := total[i] / fb
			varUnits += sum2[i]/fb - m*m
		}
	}
	if n == 0 || !(varUnits > 0) {
		return math.NaN(), nil
	}
	fn := float64(n)
	m := popSum / fb / fn
	varPop := popSum2/fb/(fn*fn) - m*m
	chi2 := varPop / (varUnits / fn)
	return math.Sqrt(math.Max(chi2, 0)), nil
}
