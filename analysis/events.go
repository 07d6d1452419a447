package analysis

import (
	"fmt"
	"math"
)

// Events is a list of events sorted by time: the spikes of neurons, or the
// detections on MEA channels. Every statistic of this package takes it.
type Events struct {
	T      []float64 // ms, ascending
	ID     []int32   // the unit (neuron or channel) of each event, in [0, N)
	N      int       // number of units
	T0, T1 float64   // observation window [T0, T1), ms
}

// Validate checks the invariants the statistics rely on.
func (e Events) Validate() error {
	if len(e.T) != len(e.ID) {
		return fmt.Errorf("analysis: %d times but %d ids", len(e.T), len(e.ID))
	}
	if e.N < 1 {
		return fmt.Errorf("analysis: %d units, need at least 1", e.N)
	}
	if !(e.T1 > e.T0) || math.IsInf(e.T0, 0) || math.IsInf(e.T1, 0) {
		return fmt.Errorf("analysis: window [%g, %g) ms is empty", e.T0, e.T1)
	}
	for k, t := range e.T {
		if !(t >= e.T0 && t < e.T1) {
			return fmt.Errorf("analysis: event %d at %g ms outside the window [%g, %g)", k, t, e.T0, e.T1)
		}
		if k > 0 && t < e.T[k-1] {
			return fmt.Errorf("analysis: event %d at %g ms before event %d at %g ms", k, t, k-1, e.T[k-1])
		}
		if id := e.ID[k]; id < 0 || int(id) >= e.N {
			return fmt.Errorf("analysis: event %d has unit %d outside [0, %d)", k, id, e.N)
		}
	}
	return nil
}

// DurationS returns the length of the window in seconds.
func (e Events) DurationS() float64 { return (e.T1 - e.T0) / 1000 }

// Bin returns the number of events in consecutive bins of binMs from T0
// (the last bin may be partial).
func (e Events) Bin(binMs float64) []int32 {
	if !(binMs > 0) {
		panic("analysis: Bin: bin width must be > 0")
	}
	n := int(math.Ceil((e.T1 - e.T0) / binMs))
	out := make([]int32, n)
	for _, t := range e.T {
		out[min(int((t-e.T0)/binMs), n-1)]++
	}
	return out
}
