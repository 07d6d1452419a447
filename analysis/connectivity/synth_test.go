package connectivity

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/analysis"
)

// link plants a coupling: each event of From is followed, with probability
// Prob, by an event of To DelayMs later (± JitterMs, uniform).
type link struct {
	From, To      int
	DelayMs, Prob float64
	JitterMs      float64
}

// synth returns n independent Poisson trains of rateHz over durS seconds
// (times on a 0.5 ms grid, like the simulator's) with the planted links
// added, sorted by time.
func synth(seed uint64, n int, rateHz, durS float64, links ...link) analysis.Events {
	rng := rand.New(rand.NewPCG(seed, 7))
	T1 := durS * 1000
	own := make([][]float64, n)
	for u := range n {
		for t := rng.ExpFloat64() / rateHz * 1000; t < T1; t += rng.ExpFloat64() / rateHz * 1000 {
			own[u] = append(own[u], t)
		}
	}
	addLinks(rng, own, T1, links)
	return eventsOf(own, T1)
}

// addLinks adds the planted links' events to the trains (in place).
func addLinks(rng *rand.Rand, trains [][]float64, T1 float64, links []link) {
	for _, l := range links {
		src := slices.Clone(trains[l.From])
		for _, t := range src {
			if rng.Float64() < l.Prob {
				if tt := t + l.DelayMs + (rng.Float64()*2-1)*l.JitterMs; tt >= 0 && tt < T1 {
					trains[l.To] = append(trains[l.To], tt)
				}
			}
		}
	}
}

// eventsOf merges the trains (times in ms, any order) into Events over
// [0, T1), each time rounded down to the 0.5 ms grid of the simulator.
func eventsOf(trains [][]float64, T1 float64) analysis.Events {
	type ev struct {
		t  float64
		id int32
	}
	var evs []ev
	for u, ts := range trains {
		for _, t := range ts {
			evs = append(evs, ev{math.Floor(t*2) / 2, int32(u)})
		}
	}
	slices.SortFunc(evs, func(a, b ev) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.id, b.id)) })
	e := analysis.Events{N: len(trains), T1: T1}
	for _, v := range evs {
		e.T, e.ID = append(e.T, v.t), append(e.ID, v.id)
	}
	return e
}

func TestSynthSanity(t *testing.T) {
	e := synth(1, 3, 10, 100, link{From: 0, To: 1, DelayMs: 8, Prob: 0.5})
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	r, _ := analysis.FiringRates(e)
	// 10 Hz own events; unit 1 gets 0.5 × 10 Hz more.
	if math.Abs(r[0]-10) > 1.5 || math.Abs(r[1]-15) > 2 {
		t.Fatalf("rates %v", r)
	}
}
