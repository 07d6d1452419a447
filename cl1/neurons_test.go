package cl1

import (
	"context"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/bl1-go/bl1/mea"
)

// Ticks cover whole steps that add up to the rate with no drift: at 240
// Hz and dt = 0.5 ms a tick is 25/3 steps, so tick k starts at step
// floor(25k/3) (exact integer arithmetic here), and timestamps are frames
// of 20 µs: step s is frame floor(12.5 s).
func TestLoopBoundaries(t *testing.T) {
	n := small(t, 500)
	l, err := n.Loop(240, false)
	if err != nil {
		t.Fatal(err)
	}
	for k := int64(0); k < 1000; k++ {
		tk, err := l.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		start, stop := 25*k/3, 25*(k+1)/3
		if tk.Iteration != k || tk.Analysis.Start != start*25/2 || tk.Analysis.Stop != stop*25/2 || tk.Timestamp != tk.Analysis.Stop ||
			tk.NextTimestamp != (25*(k+2)/3)*25/2 || n.e.Step() != stop {
			t.Fatalf("tick %d: %+v, frames [%d, %d), engine at step %d", k, tk, start*25/2, stop*25/2, n.e.Step())
		}
		for _, s := range tk.Analysis.Spikes {
			if s.Timestamp < tk.Analysis.Start || s.Timestamp >= tk.Analysis.Stop {
				t.Fatalf("tick %d: spike at frame %d", k, s.Timestamp)
			}
		}
	}
	for _, hz := range []float64{0, -1, 25001, 2001} { // 2001 Hz: a tick shorter than a 0.5 ms step
		if _, err := n.Loop(hz, false); err == nil {
			t.Errorf("%g ticks/s accepted", hz)
		}
	}
}

// Pulses issued after a tick start at its end: they are delivered in the
// next tick (its first step), repeat at the burst's rate, and an
// interrupt cancels the rest.
func TestStimAndInterrupt(t *testing.T) {
	n := small(t, 500)
	l, _ := n.Loop(100, false) // 10 ms ticks, 20 steps
	ctx := context.Background()
	if tk, _ := l.Next(ctx); len(tk.Analysis.Stims) != 0 {
		t.Fatalf("pulses before any stim: %v", tk.Analysis.Stims)
	}
	if err := n.Stim([]int{27}, mea.Biphasic(160, 2), Burst{Count: 20, Hz: 200}); err != nil {
		t.Fatal(err)
	}
	var tk *Tick
	var frames []int64
	for range 3 {
		tk, _ = l.Next(ctx)
		for _, s := range tk.Analysis.Stims {
			if s.Channel != 27 {
				t.Fatalf("pulse on %d", s.Channel)
			}
			frames = append(frames, s.Timestamp)
		}
	}
	// 200 Hz: every 5 ms = 125 frames, from frame 250 (step 20).
	want := []int64{250, 375, 500, 625, 750, 875}
	if !slices.Equal(frames, want) {
		t.Fatalf("pulses at frames %v, want %v", frames, want)
	}
	n.Interrupt([]int{27})
	for range 3 {
		if tk, _ = l.Next(ctx); len(tk.Analysis.Stims) != 0 {
			t.Fatalf("pulses after the interrupt: %v", tk.Analysis.Stims)
		}
	}
	// The device's limits apply.
	for _, c := range []struct {
		ch    []int
		ph    []mea.Phase
		burst Burst
	}{
		{[]int{27}, mea.Biphasic(160, 3.5), Burst{}},                                                             // over 3 µA
		{[]int{0}, mea.Biphasic(160, 1), Burst{}},                                                                // grounded
		{[]int{27}, mea.Biphasic(150, 1), Burst{}},                                                               // not 20 µs steps
		{[]int{27}, []mea.Phase{{WidthUs: 160, CurrentUA: -1}, {WidthUs: 160, CurrentUA: -1}}, Burst{}},          // same polarity
		{[]int{27}, mea.Biphasic(160, 1), Burst{Count: 5, Hz: 250}},                                              // over 200 Hz
		{[]int{27}, mea.Biphasic(160, 1), Burst{Count: -1, Hz: 10}},                                              // negative count
		{[]int{64}, mea.Biphasic(160, 1), Burst{}},                                                               // no such channel
		{[]int{27}, []mea.Phase{{WidthUs: 1200, CurrentUA: -3}, {WidthUs: 1200, CurrentUA: 3}}, Burst{Count: 1}}, // 3.6 nC
		{[]int{27}, mea.Biphasic(160, 1), Burst{Count: 2, Hz: 0}},                                                // no rate
		{[]int{27}, mea.Biphasic(160, 1), Burst{Count: 2, Hz: -4}},                                               // negative rate
		{nil, mea.Biphasic(160, 1), Burst{}},                                                                     // no channel
		{[]int{27}, nil, Burst{}},                                                                                // no phase
		{[]int{27}, []mea.Phase{{WidthUs: 160, CurrentUA: -1}, {WidthUs: 160, CurrentUA: 1}, {WidthUs: 160, CurrentUA: -1}, {WidthUs: 160, CurrentUA: 1}}, Burst{}}, // 4 phases
	} {
		if err := n.Stim(c.ch, c.ph, c.burst); err == nil {
			t.Errorf("%v %v %+v accepted", c.ch, c.ph, c.burst)
		}
	}
	if r, err := n.Read(ctx, 7.3); err != nil || r.Stop-r.Start != 15*25/2 { // 7.3 ms rounds to 15 steps
		t.Errorf("Read(7.3 ms): %+v, %v", r, err)
	}
	if _, err := n.Read(ctx, 0); err == nil {
		t.Error("Read(0) accepted")
	}
}

// Same config, seed and stimulation: the same spikes and pulses in every
// tick, whatever the number of workers.
func TestLoopDeterministic(t *testing.T) {
	run := func(workers string) (out []DetectionResult) {
		n := small(t, 4096, "simulation.workers="+workers)
		l, _ := n.Loop(50, false)
		for k := range 30 {
			tk, err := l.Next(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			r := *tk.Analysis
			r.Spikes, r.Stims = slices.Clone(r.Spikes), slices.Clone(r.Stims)
			out = append(out, r)
			if k%7 == 3 {
				if err := n.Stim(Encoding, mea.Biphasic(120, 2.5), Burst{Count: 3, Hz: 40}); err != nil {
					t.Fatal(err)
				}
			}
			if k%7 == 5 {
				n.Interrupt(n.Usable())
			}
		}
		return out
	}
	a, b := run("1"), run("2")
	var spikes int
	for k := range a {
		if a[k].Start != b[k].Start || !slices.Equal(a[k].Spikes, b[k].Spikes) || !slices.Equal(a[k].Stims, b[k].Stims) {
			t.Fatalf("tick %d differs between 1 and 2 workers", k)
		}
		spikes += len(a[k].Spikes)
	}
	if spikes == 0 {
		t.Fatal("no spikes: the comparison is empty")
	}
}

// In real time, tick k is returned at start + (k+1)/rate (checked on
// synctest's fake clock, which only moves while every goroutine waits).
func TestLoopRealtime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := small(t, 300, "simulation.workers=1")
		l, _ := n.Loop(10, true)
		t0 := time.Now()
		for k := range 5 {
			tk, err := l.Next(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if el, want := time.Since(t0), time.Duration(k+1)*100*time.Millisecond; el != want || tk.Late != 0 {
				t.Fatalf("tick %d returned at %v (late %v), want %v", k, el, tk.Late, want)
			}
		}
		if l.LateTicks != 0 {
			t.Fatalf("%d late ticks", l.LateTicks)
		}
		// Cancelling stops the wait.
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(30 * time.Millisecond); cancel() }()
		if _, err := l.Next(ctx); err != context.Canceled {
			t.Fatalf("cancelled Next: %v", err)
		}
		// Run stops cleanly on ErrStop.
		calls := 0
		err := l.Run(context.Background(), func(*Tick) error {
			calls++
			if calls == 3 {
				return ErrStop
			}
			return nil
		})
		if err != nil || calls != 3 {
			t.Fatalf("Run: %v after %d ticks", err, calls)
		}
	})
}

// The data stream keeps ascending records.
func TestDataStream(t *testing.T) {
	var d DataStream
	if err := d.Append(10, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	if err := d.Append(10, nil); err == nil {
		t.Error("equal timestamp accepted")
	}
	if err := d.Append(11, func() {}); err == nil {
		t.Error("a value JSON cannot hold accepted")
	}
	if d.Len() != 1 {
		t.Errorf("%d records", d.Len())
	}
}
