package connectivity

import (
	"fmt"
	"math"

	"github.com/bl1-go/bl1/analysis"
)

// STTC returns the spike time tiling coefficient of every pair of units
// (Cutts & Eglen 2014, J Neurosci 34:14288, eq. 1), n×n row-major, with
// dtMs the coincidence window Δt:
//
//	STTC = ½ [ (P_A − T_B)/(1 − P_A T_B) + (P_B − T_A)/(1 − P_B T_A) ]
//
// where T_A is the fraction of the window [T0, T1) within ±Δt of an event
// of A, and P_A the fraction of A's events within ±Δt of an event of B.
// It is 1 for identical trains, about 0 for independent ones whatever
// their rates, and −1 for trains that avoid each other. The diagonal is 1;
// pairs with a silent unit get NaN, as in Elephant's
// spike_time_tiling_coefficient. A term whose denominator is 0 (P = T = 1)
// counts as 1. Time O(events) per pair.
func STTC(e analysis.Events, dtMs float64) ([]float64, error) {
	if !(dtMs > 0) || math.IsInf(dtMs, 0) {
		return nil, fmt.Errorf("connectivity: STTC window %g ms, need a finite value > 0: %w", dtMs, ErrOption)
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	n := e.N
	t := make([][]float64, n)
	for k, id := range e.ID {
		t[id] = append(t[id], e.T[k])
	}
	tile := make([]float64, n)
	for u := range n {
		tile[u] = tiled(t[u], dtMs, e.T0, e.T1) / (e.T1 - e.T0)
	}
	out := make([]float64, n*n)
	for a := range n {
		out[a*n+a] = 1
		if len(t[a]) == 0 {
			out[a*n+a] = math.NaN()
		}
		for b := a + 1; b < n; b++ {
			v := math.NaN()
			if len(t[a]) > 0 && len(t[b]) > 0 {
				pa := near(t[a], t[b], dtMs)
				pb := near(t[b], t[a], dtMs)
				v = (term(pa, tile[b]) + term(pb, tile[a])) / 2
			}
			out[a*n+b], out[b*n+a] = v, v
		}
	}
	return out, nil
}

func term(p, t float64) float64 {
	if p*t == 1 {
		return 1
	}
	return (p - t) / (1 - p*t)
}

// tiled returns the length of [t0, t1) within dt of an event of ts.
func tiled(ts []float64, dt, t0, t1 float64) float64 {
	var total float64
	end := math.Inf(-1)
	for _, t := range ts {
		lo, hi := math.Max(t-dt, t0), math.Min(t+dt, t1)
		lo = math.Max(lo, end)
		if hi > lo {
			total += hi - lo
		}
		end = math.Max(end, hi)
	}
	return total
}

// near returns the fraction of a's events within dt of an event of b (both
// ascending).
func near(a, b []float64, dt float64) float64 {
	k, hit := 0, 0
	for _, t := range a {
		for k < len(b) && b[k] < t-dt {
			k++
		}
		if k < len(b) && b[k] <= t+dt {
			hit++
		}
	}
	return float64(hit) / float64(len(a))
}
