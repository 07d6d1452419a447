package sim

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bl1-go/bl1/models"
)

// Serial chunks (one goroutine doing every worker's part) give the spikes,
// weights and wiring of parallel ones, with every plasticity rule on and
// with either integrator; so does a run that switches between the modes.
func TestSerialMatchesParallel(t *testing.T) {
	c := testCulture(t, 41)
	const steps = 3*chunk*7 + 5
	for _, integ := range []models.Integrator{models.ForwardEuler, models.ExponentialEuler} {
		runMode := func(force func(s *sched)) (*spikeLog, []float32) {
			cfg := testConfig(3)
			cfg.Integrator = integ
			cfg.Plasticity = allRules()
			e, err := New(c, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			l := &spikeLog{}
			for e.Step() < steps {
				force(&e.sched)
				if err := e.Run(context.Background(), min(chunk, steps-e.Step()), l); err != nil {
					t.Fatal(err)
				}
			}
			_, _, w, _ := e.Wiring()
			return l, w
		}
		never := 1 << 40
		par, wPar := runMode(func(s *sched) { *s = sched{interval: maxProbe, wait: never} })
		ser, wSer := runMode(func(s *sched) { *s = sched{serial: true, interval: maxProbe, wait: never} })
		flip := false
		alt, wAlt := runMode(func(s *sched) { flip = !flip; *s = sched{serial: flip, interval: maxProbe, wait: never} })
		if len(par.ids) < 1000 {
			t.Fatalf("%v: only %d spikes", integ, len(par.ids))
		}
		for name, got := range map[string]*spikeLog{"serial": ser, "alternating": alt} {
			if !slices.Equal(got.steps, par.steps) || !slices.Equal(got.ids, par.ids) {
				t.Errorf("%v, %s chunks: %d spikes differ from parallel's %d", integ, name, len(got.ids), len(par.ids))
			}
		}
		if !slices.Equal(wSer, wPar) || !slices.Equal(wAlt, wPar) {
			t.Errorf("%v: weights after serial or alternating chunks differ from parallel", integ)
		}
	}
}

// The scheduler leaves a collapsing parallel mode within a chunk or two,
// probes it again at growing intervals and returns when it is fast again.
func TestSchedulerFollowsSpeed(t *testing.T) {
	var s sched
	run := func(par, ser time.Duration, chunks int) (serialChunks int) {
		for range chunks {
			p, k := s.next(ChunkSteps)
			if p {
				s.done(par*time.Duration(k), k)
			} else {
				s.done(ser*time.Duration(k), k)
				serialChunks++
			}
		}
		return serialChunks
	}
	// Idle machine: parallel twice as fast; serial is only probed.
	if n := run(10*time.Microsecond, 20*time.Microsecond, 2000); n > 12 || s.serial {
		t.Fatalf("idle: %d of 2000 chunks serial (want only probes, <= 12), serial now %v", n, s.serial)
	}
	// A core taken by another process: a parallel step takes 1 ms.
	n := run(time.Millisecond, 20*time.Microsecond, 1000)
	if n < 990 || !s.serial {
		t.Fatalf("contention: %d of 1000 chunks serial, serial now %v", n, s.serial)
	}
	// The core is free again: back to parallel after a probe, at most
	// maxProbe chunks later.
	if n := run(10*time.Microsecond, 20*time.Microsecond, 1000); n > maxProbe+1 || s.serial {
		t.Fatalf("free again: %d of 1000 chunks serial, serial now %v", n, s.serial)
	}
}
