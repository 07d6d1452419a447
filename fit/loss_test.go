package fit_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/fit"
)

// dense returns a record whose every neuron has a value in [0, 1) at every
// step (a smooth forward pass), so that the losses are differentiable in
// each value.
func dense(seed uint64, n, T int, p float64) *adjoint.Record {
	r := rand.New(rand.NewPCG(seed, 3))
	rec := &adjoint.Record{T: T, N: n, Off: make([]int, T+1)}
	for t := range T {
		for i := range n {
			v := 0.05 * r.Float64()
			if r.Float64() < p {
				v = 0.5 + 0.5*r.Float64()
			}
			rec.IDs = append(rec.IDs, int32(i))
			rec.Vals = append(rec.Vals, v)
		}
		rec.Off[t+1] = len(rec.IDs)
	}
	return rec
}

// Every loss's AddSpikeGrad is the derivative of its Value: central
// differences (h = 1e-6, error O(h²) + 1e-16 L/h) agree to 1e-6 relative
// (or 1e-9 absolute, for entries with no influence).
func TestLossGradients(t *testing.T) {
	const n, T, dt = 6, 240, 0.5
	target := dense(9, n, T, 0.05)
	assign := fit.Channels(n, 2)
	trace := &fit.RateTrace{Neurons: []int32{0, 2, 4}, Dt: dt, SigmaMs: 3}
	trace.Target = trace.Trace(target)
	losses := []struct {
		name string
		l    fit.Loss
	}{
		{"log rate", &fit.LogRate{TargetHz: 40, Neurons: []int32{1, 3, 5}, Dt: dt}},
		// A burst threshold near the smoothed rate, so that the gate is
		// neither saturated nor off.
		{"burst rate", &fit.BurstRate{TargetPerMin: 600, ThresholdHz: 90, WidthHz: 20, SigmaMs: 2, Dt: dt}},
		{"fano", &fit.Fano{Target: 0.5, BinMs: 5, Dt: dt}},
		{"van Rossum", &fit.VanRossum{TauMs: 4, Target: target, Dt: dt}},
		{"channel rates", &fit.ChannelRates{Assign: assign, TargetHz: []float64{10, 50, 100}, Dt: dt}},
		{"rate trace", trace},
		{"sum", &fit.Sum{Terms: []fit.Term{{Name: "a", Weight: 2, Loss: &fit.LogRate{TargetHz: 40, Dt: dt}}, {Name: "b", Weight: 0.5, Loss: &fit.Fano{Target: 1, Dt: dt}}}}},
	}
	for _, tc := range losses {
		rec := dense(1, n, T, 0.05)
		L := tc.l.Value(rec)
		grad := make([]float64, n*T)
		for t := T - 1; t >= 0; t-- {
			tc.l.AddSpikeGrad(t, grad[t*n:(t+1)*n])
		}
		r := rand.New(rand.NewPCG(2, 2))
		nonzero := 0
		for range 40 {
			k := r.IntN(n * T) // value k of the dense record is neuron k%n at step k/n
			const h = 1e-6
			rec.Vals[k] += h
			lp := tc.l.Value(rec)
			rec.Vals[k] -= 2 * h
			lm := tc.l.Value(rec)
			rec.Vals[k] += h
			fd := (lp - lm) / (2 * h)
			if fd != 0 {
				nonzero++
			}
			if d := math.Abs(fd - grad[k]); d > 1e-6*math.Max(math.Abs(fd), math.Abs(grad[k])) && d > 1e-9 {
				t.Errorf("%s: ∂L/∂s[%d](%d) = %.10g, finite difference %.10g (L = %g)", tc.name, k%n, k/n, grad[k], fd, L)
			}
		}
		if nonzero < 10 {
			t.Errorf("%s: only %d of 40 sampled spikes move the loss: the test sees too little", tc.name, nonzero)
		}
	}
}

// Measured statistics of hand-made spike trains.
func TestMeasures(t *testing.T) {
	const dt = 0.5
	// 4 neurons, 2000 steps (1 s); neuron i spikes every 100·(i+1) steps.
	rec := &adjoint.Record{T: 2000, N: 4, Off: make([]int, 2001)}
	for st := range 2000 {
		for i := range 4 {
			if st%(100*(i+1)) == 0 {
				rec.IDs = append(rec.IDs, int32(i))
				rec.Vals = append(rec.Vals, 1)
			}
		}
		rec.Off[st+1] = len(rec.IDs)
	}
	// 20 + 10 + 7 + 5 spikes in 1 s (steps 0, 300, ..., 1800 for neuron 2).
	if r := fit.Rate(rec, nil, dt); math.Abs(r-42.0/4) > 1e-12 {
		t.Errorf("rate %g Hz, want 10.5", r)
	}
	if r := fit.Rate(rec, []int32{0}, dt); r != 20 {
		t.Errorf("rate of neuron 0 %g Hz, want 20", r)
	}
	ch := fit.ChannelRate(rec, fit.Channels(4, 2), dt)
	if ch[0] != 30 || ch[1] != 12 {
		t.Errorf("channel rates %v, want [30 12]", ch)
	}
	// Bins of 50 ms = 100 steps: every bin holds neuron 0's spike, plus
	// the others at their multiples; counts of the 20 bins.
	counts := make([]float64, 20)
	for k := range counts {
		counts[k] = 1
		for i := 1; i < 4; i++ {
			if k%(i+1) == 0 {
				counts[k]++
			}
		}
	}
	mean, v := 0.0, 0.0
	for _, c := range counts {
		mean += c / 20
	}
	for _, c := range counts {
		v += (c - mean) * (c - mean) / 20
	}
	if F := fit.FanoFactor(rec, nil, 50, dt); math.Abs(F-v/mean) > 1e-12 {
		t.Errorf("Fano factor %g, want %g", F, v/mean)
	}
	// The burst count of a population that rises above the threshold
	// twice: steps 400-440 and 1200-1240 with all 4 neurons firing.
	b := &adjoint.Record{T: 2000, N: 4, Off: make([]int, 2001)}
	for st := range 2000 {
		if st >= 400 && st < 440 || st >= 1200 && st < 1240 {
			for i := range 4 {
				b.IDs = append(b.IDs, int32(i))
				b.Vals = append(b.Vals, 1)
			}
		}
		b.Off[st+1] = len(b.IDs)
	}
	br := &fit.BurstRate{ThresholdHz: 100, Dt: dt}
	if got := br.Measure(b); got != 2*60 {
		t.Errorf("bursts per minute %g, want 120 (2 in 1 s)", got)
	}
}

func ExampleLogRate() {
	// 10 neurons, 1000 steps of 0.5 ms, neuron i spikes 5 times: 10 Hz.
	rec := &adjoint.Record{T: 1000, N: 10, Off: make([]int, 1001)}
	for st := range 1000 {
		if st%200 == 0 {
			for i := range 10 {
				rec.IDs = append(rec.IDs, int32(i))
				rec.Vals = append(rec.Vals, 1)
			}
		}
		rec.Off[st+1] = len(rec.IDs)
	}
	l := &fit.LogRate{TargetHz: 5, Dt: 0.5}
	fmt.Printf("rate %.1f Hz, loss %.4f\n", fit.Rate(rec, nil, 0.5), l.Value(rec))
	ds := make([]float64, 10)
	l.AddSpikeGrad(0, ds)
	fmt.Printf("dL/ds = %.4f for every neuron and step\n", ds[0])
	// Output:
	// rate 10.0 Hz, loss 0.4791
	// dL/ds = 0.0277 for every neuron and step
}
