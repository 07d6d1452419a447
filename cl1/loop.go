package cl1

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// MaxTicksPerSecond is the CL SDK's highest loop rate.
const MaxTicksPerSecond = 25000

// Loop ticks at a fixed rate. Tick k covers the period from the k-th tick
// boundary to the next; its analysis is what the electrodes detected then
// (the CL SDK's tick.analysis: the period just ended), and stimulation
// issued after Next returns starts at the boundary that ended it. Real
// time pacing returns tick k at start + (k+1)/rate of wall time, as a
// device does; the simulation of a period takes a fraction of that, so a
// tick is late only when the simulator cannot keep up.
type Loop struct {
	n        *Neurons
	hz       float64
	stepsPer float64 // steps per tick (not always whole: 240 Hz at 0.5 ms)
	realtime bool
	first    int64 // engine step at the first boundary
	wall0    time.Time
	tick     Tick
	started  bool

	// Statistics, for monitors.
	LateTicks  int64         // ticks whose simulation ended after their deadline
	MaxLate    time.Duration // the latest such ending
	Compute    time.Duration // total time spent simulating
	MaxCompute time.Duration // the longest tick's simulation
}

// Tick is one iteration of a loop.
type Tick struct {
	Iteration     int64
	Timestamp     int64            // frame of the tick's end (= Analysis.Stop)
	NextTimestamp int64            // frame of the next tick's end
	Analysis      *DetectionResult // reused by the next tick
	Late          time.Duration    // how long after its deadline the tick was returned (0 when on time)
}

// Loop returns a loop at ticksPerSecond; with realtime it keeps wall-clock
// time, otherwise it runs as fast as it can (the CL SDK simulator's
// accelerated time). A tick must span at least one simulation step.
func (n *Neurons) Loop(ticksPerSecond float64, realtime bool) (*Loop, error) {
	dt := n.e.Config().Dt
	if !(ticksPerSecond > 0) || ticksPerSecond > MaxTicksPerSecond {
		return nil, fmt.Errorf("cl1: loop at %g ticks per second, want (0, %d]", ticksPerSecond, MaxTicksPerSecond)
	}
	if 1000/ticksPerSecond < dt*(1-1e-9) {
		return nil, fmt.Errorf("cl1: loop at %g ticks per second: a tick of %.4g ms is shorter than a simulation step of %g ms", ticksPerSecond, 1000/ticksPerSecond, dt)
	}
	return &Loop{n: n, hz: ticksPerSecond, stepsPer: 1000 / ticksPerSecond / dt, realtime: realtime}, nil
}

// boundary returns the engine step at which tick k starts.
func (l *Loop) boundary(k int64) int64 {
	return l.first + int64(math.Floor(float64(k)*l.stepsPer+1e-9))
}

// Next simulates the next tick's period and returns the tick, waiting for
// its deadline in real time. Cancelling ctx stops the wait and the
// simulation (after its current chunk); the error is ctx's.
func (l *Loop) Next(ctx context.Context) (*Tick, error) {
	if !l.started {
		l.started = true
		l.first = l.n.e.Step()
		l.wall0 = time.Now()
		l.tick.Iteration = -1
	}
	k := l.tick.Iteration + 1
	t0 := time.Now()
	res, err := l.n.advance(ctx, l.boundary(k+1)-l.n.e.Step())
	if err != nil {
		return nil, err
	}
	done := time.Now()
	c := done.Sub(t0)
	l.Compute += c
	l.MaxCompute = max(l.MaxCompute, c)
	l.tick = Tick{Iteration: k, Timestamp: res.Stop, NextTimestamp: l.n.col.frame(l.boundary(k + 2)), Analysis: res}
	if !l.realtime {
		return &l.tick, nil
	}
	deadline := l.wall0.Add(time.Duration(float64(k+1) / l.hz * float64(time.Second)))
	if late := done.Sub(deadline); late > 0 {
		l.LateTicks++
		l.MaxLate = max(l.MaxLate, late)
		l.tick.Late = late
		return &l.tick, nil
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &l.tick, nil
}

// ErrStop ends Run without an error.
var ErrStop = errors.New("cl1: stop the loop")

// Run calls body after every tick until it returns an error (ErrStop ends
// the loop cleanly) or ctx is cancelled.
func (l *Loop) Run(ctx context.Context, body func(*Tick) error) error {
	for {
		t, err := l.Next(ctx)
		if err != nil {
			return err
		}
		if err := body(t); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
}

// TicksPerSecond returns the loop's rate.
func (l *Loop) TicksPerSecond() float64 { return l.hz }
