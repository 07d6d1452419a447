package sim

import "time"

// sched chooses, chunk by chunk, whether an engine with several workers
// runs them in parallel or serially on one goroutine (runSerial), by the
// wall time per step each mode took recently. Parallel workers meet at a
// barrier several times per step (tens of microseconds apart at 10,000
// neurons); when another process holds a core, one worker's thread waits
// for the scheduler while the other spins or sleeps at the barrier, and a
// step can take milliseconds instead of microseconds. Serial execution of
// the same blocks never waits. Both modes give the same spikes, so the
// choice affects speed only.
//
// The current mode's estimate is updated after every chunk; the other
// mode is measured again, on a short chunk of probeSteps, after an
// interval of chunks that doubles (to maxProbe) while the choice stands
// and starts again at minProbe when it changes. A probe of a collapsed
// mode costs a few milliseconds every few hundred chunks (a few per cent);
// a machine that frees up is noticed within maxProbe chunks. The current
// mode's estimate is an exponential moving average over chunks, weighted
// by their steps; a probe replaces the other's.
type sched struct {
	serial   bool
	probing  bool       // the current chunk measures the other mode
	ns       [2]float64 // ns per step: [parallel, serial]; 0 = not measured
	wait     int        // chunks until the next probe
	interval int
	steps    [2]int64 // steps run: [parallel, serial]
}

const (
	minProbe   = 4
	maxProbe   = 256
	probeSteps = 16
	// A mode must be this much faster to replace the other (hysteresis).
	switchRatio = 0.9
)

func mode(serial bool) int {
	if serial {
		return 1
	}
	return 0
}

// next reports whether the next chunk runs its workers in parallel, and
// how many of its k steps it runs.
func (s *sched) next(k int) (parallel bool, steps int) {
	if s.interval == 0 {
		s.interval, s.wait = minProbe, minProbe
	}
	s.probing = s.wait <= 0
	if s.probing {
		k = min(k, probeSteps)
	}
	return s.serial == s.probing, k
}

// done records that the chunk chosen by next took d for k steps.
func (s *sched) done(d time.Duration, k int) {
	m := mode(s.serial != s.probing)
	s.steps[m] += int64(k)
	x := float64(d.Nanoseconds()) / float64(k)
	a := 0.25 * float64(k) / ChunkSteps // a full chunk weighs 1/4
	if s.ns[m] == 0 || s.probing {      // a probe replaces a stale estimate
		s.ns[m] = x
	} else {
		s.ns[m] += a * (x - s.ns[m])
	}
	cur, other := mode(s.serial), mode(!s.serial)
	switch {
	case s.ns[other] > 0 && s.ns[other] < switchRatio*s.ns[cur]:
		s.serial = !s.serial
		s.interval, s.wait = minProbe, minProbe
	case s.probing:
		s.interval = min(2*s.interval, maxProbe)
		s.wait = s.interval
	default:
		s.wait--
	}
}

// ParallelFraction returns the fraction of the steps simulated so far that
// ran their workers in parallel (1 with one worker; see sched.go for how
// the engine chooses).
func (e *Engine) ParallelFraction() float64 {
	if len(e.workers) == 1 {
		return 1
	}
	par, ser := e.sched.steps[0], e.sched.steps[1]
	if par+ser == 0 {
		return 1
	}
	return float64(par) / float64(par+ser)
}
