package models_test

import (
	"math"
	"testing"

	"github.com/bl1-go/bl1/models"
)

// The Izhikevich step protocol of shared/spec/anchors.md §2.1: from rest
// (v = -65 mV, u = b·v), 300 ms at I = 0, then a 1 s step of I = 10 (the DC
// step of Izhikevich 2003, Fig. 2).
const (
	izhPre  = 300.0 // ms at I = 0, anchors.md §2.1
	izhStep = 1000.0
	izhI    = 10.0 // mV/ms, Izhikevich 2003 Fig. 2
)

// The AdEx step protocol: 50 ms at rest (to check that a neuron at rest
// stays silent), then a 500 ms step: Brian2's example of Naud et al. 2008
// (examples/frompapers/Naud_et_al_2008_adex_firing_patterns.py) runs
// 600 ms; 500 ms holds the onset of every pattern and 4 to 7 bursts of the
// bursting ones.
const (
	adexPre  = 50.0
	adexStep = 500.0
)

// train is the response of one neuron to a step protocol.
type train struct {
	times  []float64 // spike times after step onset, ms (end of the spiking step)
	before int       // spikes during the pre-step period
}

// isis returns the inter-spike intervals of the train, ms.
func (tr train) isis() []float64 {
	d := make([]float64, 0, max(len(tr.times)-1, 0))
	for i := 1; i < len(tr.times); i++ {
		d = append(d, tr.times[i]-tr.times[i-1])
	}
	return d
}

// rate returns the mean firing rate over the step, Hz.
func (tr train) rate(stepMs float64) float64 { return float64(len(tr.times)) / stepMs * 1000 }

// stepProtocol runs neuron 0 of pop (a one-neuron population, already at
// rest) for pre ms at zero input and dur ms at input in (per unit
// capacitance, mV/ms), as Population.Step sees it.
func stepProtocol(t testing.TB, pop *models.Population, pre, dur float64, in float32) train {
	t.Helper()
	dt := pop.Dt()
	n0, n1 := int(math.Round(pre/dt)), int(math.Round(dur/dt))
	I := make([]float32, 1)
	var tr train
	var spikes []int32
	for s := range n0 + n1 {
		I[0] = 0
		if s >= n0 {
			I[0] = in
		}
		var bad int
		spikes, bad = pop.Step(0, 1, I, nil, spikes[:0])
		if bad >= 0 {
			t.Fatalf("neuron %d non-finite at step %d", bad, s)
		}
		if len(spikes) == 0 {
			continue
		}
		if s < n0 {
			tr.before++
		} else {
			tr.times = append(tr.times, float64(s+1)*dt-pre)
		}
	}
	return tr
}

// izhTrain runs one Izhikevich neuron through a step of current I.
func izhTrain(t testing.TB, p models.Izhikevich, dt, pre, dur, I float64) train {
	pop := models.NewPopulation(1, 1, dt)
	pop.SetIzhikevich(0, p)
	return stepProtocol(t, pop, pre, dur, float32(I))
}

// adexTrain runs one AdEx neuron through a step of iPA pA, which
// Population.Step takes per unit capacitance: iPA / C (models/doc.go).
func adexTrain(t testing.TB, p models.AdEx, dt, pre, dur, iPA float64) train {
	pop := models.NewPopulation(1, 0, dt)
	pop.SetAdEx(0, p)
	return stepProtocol(t, pop, pre, dur, float32(iPA/p.C))
}

// refIzhikevich counts the spikes during the step of a float64
// forward-Euler integration of Izhikevich 2003, eqs. 1-3, written from the
// paper: both derivatives at the old (v, u), the spike test on the new v,
// reset in the same step.
func refIzhikevich(p models.Izhikevich, dt, pre, dur, I float64) int {
	v, u := -65.0, p.B*-65 // rest as in Izhikevich 2003, net.m
	n0, n1 := int(math.Round(pre/dt)), int(math.Round(dur/dt))
	n := 0
	for s := range n0 + n1 {
		in := 0.0
		if s >= n0 {
			in = I
		}
		vn := v + dt*(0.04*v*v+5*v+140-u+in) // eq. 1
		un := u + dt*p.A*(p.B*v-u)           // eq. 2
		if vn >= 30 {                        // eq. 3
			vn, un = p.C, un+p.D
			if s >= n0 {
				n++
			}
		}
		v, u = vn, un
	}
	return n
}

// refAdEx counts the spikes during the step of a float64 forward-Euler
// integration of Brette & Gerstner 2005, eqs. 1-2, with the input iPA in pA
// and the exponent capped at 20 as models/doc.go states.
func refAdEx(p models.AdEx, dt, pre, dur, iPA float64) int {
	v, w := p.EL, 0.0
	n0, n1 := int(math.Round(pre/dt)), int(math.Round(dur/dt))
	n := 0
	for s := range n0 + n1 {
		in := 0.0
		if s >= n0 {
			in = iPA
		}
		ex := math.Exp(math.Min((v-p.VT)/p.DeltaT, 20))
		vn := v + dt/p.C*(-p.GL*(v-p.EL)+p.GL*p.DeltaT*ex-w+in) // eq. 1
		wn := w + dt/p.TauW*(p.A*(v-p.EL)-w)                    // eq. 2
		if vn >= p.VPeak {
			vn, wn = p.VReset, wn+p.B
			if s >= n0 {
				n++
			}
		}
		v, w = vn, wn
	}
	return n
}

// float32Family returns the spike counts of ref for inputs perturbed by
// k·2^-24 relative, k = ±1, ±2, ±4, ±8: perturbations at the resolution of
// float32 (2^-24 is its unit roundoff), which a float32 engine incurs at
// every operation.
func float32Family(ref func(in float64) int, in float64) []int {
	var counts []int
	for _, k := range []float64{-8, -4, -2, -1, 1, 2, 4, 8} {
		counts = append(counts, ref(in*(1+k*0x1p-24)))
	}
	return counts
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// cv is the coefficient of variation (population standard deviation over
// mean) of x.
func cv(x []float64) float64 {
	m := mean(x)
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s/float64(len(x))) / m
}

// split partitions ISIs at threshold ms into short and long ones.
func split(isis []float64, threshold float64) (short, long []float64) {
	for _, d := range isis {
		if d < threshold {
			short = append(short, d)
		} else {
			long = append(long, d)
		}
	}
	return short, long
}

// leadingShort counts the ISIs below threshold at the start of the train.
func leadingShort(isis []float64, threshold float64) int {
	n := 0
	for n < len(isis) && isis[n] < threshold {
		n++
	}
	return n
}

func minOf(x []float64) float64 {
	m := math.Inf(1)
	for _, v := range x {
		m = math.Min(m, v)
	}
	return m
}

func maxOf(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	return m
}

func builtin(t testing.TB, name string) models.Type {
	t.Helper()
	ty, ok := models.Builtin(name)
	if !ok {
		t.Fatalf("Builtin(%q) not found", name)
	}
	return ty
}
