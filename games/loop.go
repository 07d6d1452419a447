package games

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/sim"
)

// Mode is a feedback protocol.
type Mode uint8

// Feedback modes (Kagan et al. 2022; spec/cl1-protocol.md §5.2).
const (
	// FEP: predictable stimulation after a hit (all sensory electrodes
	// together at a fixed frequency), unpredictable stimulation after a
	// miss (random sensory electrodes at random times) while the game
	// pauses, then a new serve.
	FEP Mode = iota
	// OpenLoop: the same two kinds of stimulation, but which one follows
	// an event (hit or miss) is a coin flip: timed by the game, blind to
	// its outcome. The game pauses after misses as with FEP.
	OpenLoop
	// Silent: no feedback stimulation; the game pauses after a miss
	// (DishBrain's "silent" condition).
	Silent
)

// Modes lists the modes in order.
var Modes = []Mode{FEP, OpenLoop, Silent}

func (m Mode) String() string {
	switch m {
	case FEP:
		return "fep"
	case OpenLoop:
		return "open_loop"
	case Silent:
		return "silent"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// ParseMode reads a mode's name as written in configs.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("mode = %q, must be fep, open_loop or silent", s)
}

// Pulse is a cathodic-first biphasic pulse.
type Pulse struct {
	AmplitudeUA float64 // per phase
	WidthUs     float64 // per phase
}

func (p Pulse) phases() []mea.Phase { return mea.Biphasic(p.WidthUs, p.AmplitudeUA) }

// Config configures the closed loop.
type Config struct {
	Mode Mode
	Game Params

	// Sensory encoding: the ball's height picks one of Sensory (place
	// code; Sensory[0] for y near 0), its distance from the back wall the
	// pulse rate, MinHz at x = 0 to MaxHz at the paddle (rate code).
	Sensory      []int
	MinHz, MaxHz float64
	SensoryPulse Pulse

	// Motor decoding (Decoder): the recorded events of the Up and Down
	// channels in each tick, each relative to its running mean (time
	// constant BaselineS, over ticks in play); the paddle moves towards
	// the larger if the difference, less its running median, exceeds
	// Deadband.
	Up, Down  []int
	BaselineS float64
	Deadband  float64

	// Feedback. Predictable: HitPulses pulses at HitHz on every sensory
	// electrode at once. Unpredictable: pulses at random times (a Poisson
	// process of MissRateHz) on random sensory electrodes for PauseS.
	// After a miss the game pauses for PauseS in every mode.
	HitHz      float64
	HitPulses  int
	HitPulse   Pulse
	PauseS     float64
	MissRateHz float64
	MissPulse  Pulse
}

// DefaultConfig returns the loop of dishbrain.yaml on a CL1: DefaultParams;
// sensory channels 3, 11, ..., 59 (column 3, rows 0-7: the place code
// runs along the array), 4-40 Hz, 1.5 µA × 200 µs per phase; up regions
// columns 0-1 and down columns 5-6, rows 1-6, mirror images about the
// sensory column so that the geometry favours neither move; a 2 s motor
// baseline; after a hit 10 pulses at 100 Hz on all sensory channels (a
// recollection of DishBrain's, spec/cl1-protocol.md §5.2 [M]); after a
// miss a 4 s pause ([S]) with random pulses at 5 Hz ([M]) of 3 µA.
func DefaultConfig() Config {
	return Config{
		Mode: FEP, Game: DefaultParams,
		Sensory: []int{3, 11, 19, 27, 35, 43, 51, 59}, MinHz: 4, MaxHz: 40,
		SensoryPulse: Pulse{AmplitudeUA: 1.5, WidthUs: 200},
		Up:           []int{8, 9, 16, 17, 24, 25, 32, 33, 40, 41, 48, 49},
		Down:         []int{13, 14, 21, 22, 29, 30, 37, 38, 45, 46, 53, 54},
		BaselineS:    2,
		HitHz:        100, HitPulses: 10, HitPulse: Pulse{AmplitudeUA: 1.5, WidthUs: 200},
		PauseS: 4, MissRateHz: 5, MissPulse: Pulse{AmplitudeUA: 3, WidthUs: 200},
	}
}

// Validate checks the configuration against a layout (electrodes usable,
// stimulation within its limits) and the recorded channels; messages
// start with the config key relative to the pong section.
func (c Config) Validate(l *mea.Layout, recorded []int32) error {
	if err := c.Game.Validate(); err != nil {
		return err
	}
	if c.Mode > Silent {
		return fmt.Errorf("mode = %d, must be fep, open_loop or silent", c.Mode)
	}
	seen := map[int]string{}
	check := func(key string, chans []int, want int, rec bool) error {
		if len(chans) == 0 {
			return fmt.Errorf("%s: no channels; give at least one", key)
		}
		if want > 0 && len(chans) != want {
			return fmt.Errorf("%s: %d channels, the place code needs %d", key, len(chans), want)
		}
		for i, k := range chans {
			if !l.Usable(k) {
				return fmt.Errorf("%s[%d] = %d: not a usable electrode of the %s layout (0 to %d, without grounded and reference electrodes)", key, i, k, l.Name, l.Len()-1)
			}
			if rec {
				if _, ok := slices.BinarySearch(recorded, int32(k)); !ok {
					return fmt.Errorf("%s[%d] = %d: the MEA does not record this channel (see mea.routing)", key, i, k)
				}
			}
			if prev, ok := seen[k]; ok {
				return fmt.Errorf("%s[%d] = %d: already used in %s; sensory and motor channels must be distinct", key, i, k, prev)
			}
			seen[k] = fmt.Sprintf("%s[%d]", key, i)
		}
		return nil
	}
	if err := check("sensory.channels", c.Sensory, 0, false); err != nil {
		return err
	}
	if err := check("motor.up", c.Up, 0, true); err != nil {
		return err
	}
	if err := check("motor.down", c.Down, 0, true); err != nil {
		return err
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case !(c.MinHz > 0) || !finite(c.MinHz):
		return fmt.Errorf("sensory.min_hz = %g, must be > 0", c.MinHz)
	case !(c.MaxHz >= c.MinHz) || !finite(c.MaxHz):
		return fmt.Errorf("sensory.max_hz = %g, must be >= min_hz (%g)", c.MaxHz, c.MinHz)
	case l.Limits.MaxFrequencyHz > 0 && c.MaxHz > l.Limits.MaxFrequencyHz:
		return fmt.Errorf("sensory.max_hz = %g exceeds the %s's limit of %g Hz", c.MaxHz, l.Limits.Name, l.Limits.MaxFrequencyHz)
	case !(c.BaselineS > 0) || !finite(c.BaselineS):
		return fmt.Errorf("motor.baseline_s = %g, must be > 0", c.BaselineS)
	case !(c.Deadband >= 0) || !finite(c.Deadband):
		return fmt.Errorf("motor.deadband = %g, must be >= 0", c.Deadband)
	case c.HitPulses < 1:
		return fmt.Errorf("feedback.hit.pulses = %d, must be >= 1", c.HitPulses)
	case !(c.PauseS >= 0) || !finite(c.PauseS):
		return fmt.Errorf("feedback.pause_s = %g, must be >= 0", c.PauseS)
	case !(c.MissRateHz >= 0) || !finite(c.MissRateHz):
		return fmt.Errorf("feedback.miss.rate_hz = %g, must be >= 0", c.MissRateHz)
	}
	for _, s := range []struct {
		key    string
		p      Pulse
		hz     float64
		pulses int
	}{{"sensory", c.SensoryPulse, c.MaxHz, 2}, {"feedback.hit", c.HitPulse, c.HitHz, c.HitPulses}, {"feedback.miss", c.MissPulse, 0, 1}} {
		if err := checkPulse(l.Limits, s.key, s.p, s.hz, s.pulses); err != nil {
			return err
		}
	}
	return nil
}

// checkPulse names the key of the first limit a pulse design breaks.
func checkPulse(lim mea.Limits, key string, p Pulse, hz float64, pulses int) error {
	switch {
	case !(p.AmplitudeUA > 0) || math.IsInf(p.AmplitudeUA, 0):
		return fmt.Errorf("%s.amplitude_ua = %g, must be > 0", key, p.AmplitudeUA)
	case lim.MaxCurrentUA > 0 && p.AmplitudeUA > lim.MaxCurrentUA:
		return fmt.Errorf("%s.amplitude_ua = %g exceeds the %s's limit of %g µA per phase", key, p.AmplitudeUA, lim.Name, lim.MaxCurrentUA)
	case !(p.WidthUs > 0) || math.IsInf(p.WidthUs, 0):
		return fmt.Errorf("%s.width_us = %g, must be > 0", key, p.WidthUs)
	}
	if pulses > 1 && lim.MaxFrequencyHz > 0 && hz > lim.MaxFrequencyHz {
		return fmt.Errorf("%s.frequency_hz = %g exceeds the %s's limit of %g Hz", key, hz, lim.Name, lim.MaxFrequencyHz)
	}
	t := mea.Train{Electrodes: []int{0}, Phases: p.phases(), Pulses: pulses, FrequencyHz: hz}
	if err := lim.Check(t); err != nil {
		return fmt.Errorf("%s: %w (amplitude_ua %g, width_us %g)", key, err, p.AmplitudeUA, p.WidthUs)
	}
	return nil
}

// Decoder turns the events of the up and down motor regions in a tick
// into a paddle command. Each count is compared with its region's running
// mean, relative to it, so that a region with more neurons under its
// electrodes or a higher baseline rate does not dominate (DishBrain
// normalised the motor gain to each culture's activity;
// spec/cl1-protocol.md §5.2 [M]; doom-neuron centres its features on a
// running mean, §6):
//
//	score = (up − μ_up)/(μ_up + ε) − (down − μ_down)/(μ_down + ε),
//	μ ← μ + α (count − μ),  ε = 0.1 events per tick,
//
// and the paddle moves up if score − m > Deadband, down if score − m <
// −Deadband, where m is the running median of the score (m ← m + α
// sign(score − m), the stochastic-approximation median of Robbins & Monro
// 1951, Ann Math Stat 22:400). Centring on the median rather than the
// mean matters: bursty activity makes the score's distribution skewed,
// and a sign decision against its mean would favour one move (the paddle
// would drift to a wall); against the median, up and down are equally
// likely whatever the regions' statistics, so an untrained culture moves
// the paddle as an unbiased random walk.
type Decoder struct {
	Alpha      float64 // weight of a tick in the running means: tick / baseline time
	Deadband   float64
	MuUp, MuDn float64 // running means of the counts
	Median     float64 // running median of the score
}

// Decide returns the command for a tick's counts and its score relative
// to the median, and updates the running statistics if learn is set
// (ticks in play).
func (d *Decoder) Decide(up, down float64, learn bool) (Action, float64) {
	const eps = 0.1
	score := (up-d.MuUp)/(d.MuUp+eps) - (down-d.MuDn)/(d.MuDn+eps)
	x := score - d.Median
	if learn {
		d.MuUp += d.Alpha * (up - d.MuUp)
		d.MuDn += d.Alpha * (down - d.MuDn)
		switch {
		case x > 0:
			d.Median += d.Alpha
		case x < 0:
			d.Median -= d.Alpha
		}
	}
	switch {
	case x > d.Deadband:
		return Up, x
	case x < -d.Deadband:
		return Down, x
	}
	return Stay, x
}

// Rally is one rally: from a serve to the miss that ended it.
type Rally struct {
	StartS    float64 // time of the serve, s
	DurationS float64
	Hits      int // the rally's length
}

// GameEvent is a hit or a miss at a time.
type GameEvent struct {
	TimeMs float64
	Event  Event
}

// TickStats describe one tick of the loop, for monitors.
type TickStats struct {
	Tick                  int64
	TimeMs                float64 // at the end of the tick
	BallX, BallY, PaddleY float64 // after the tick's game step
	Up, Down              int     // motor events recorded during the tick
	Score                 float64 // the decoder's up-minus-down score, less its median
	Action                Action
	Event                 Event
	Paused                bool // no ball in play (after a miss)
	Rally, Hits, Misses   int
}

// Loop plays Pong with a culture through a virtual MEA: each tick it
// schedules the sensory pulses that encode the ball, runs the engine for
// the tick, reads the motor channels' events from the rig's recorder,
// moves the paddle and steps the game, then schedules the feedback of a
// hit or miss. Stimulation goes only through the rig's stimulator, within
// its layout's limits.
type Loop struct {
	cfg       Config
	e         *sim.Engine
	rig       *mea.Rig
	game      *Pong
	rng       *rand.Rand
	tickSteps int64

	sensory          [][]int // one-electrode slices, preallocated
	sensoryPhases    []mea.Phase
	hitPhases        []mea.Phase
	missPhases       []mea.Phase
	upSlots, dnSlots []int
	lastUp, lastDn   int64
	dec              Decoder
	phase            float64 // of the rate code: 1 means a pulse is due
	pauseLeft        int64   // ticks
	tick             int64
	rallyStart       float64

	// OnTick, if set, receives every tick's statistics.
	OnTick func(TickStats)

	mu   sync.Mutex
	last TickStats

	Rallies []Rally     // completed rallies
	Events  []GameEvent // hits and misses
	Pulses  [3]int      // scheduled sensory, predictable and unpredictable pulses
}

// NewLoop prepares a loop over engine e with rig attached (mea.New), the
// game seeded with seed (the feedback's random choices too). The tick
// must be a whole number of engine steps.
func NewLoop(e *sim.Engine, rig *mea.Rig, cfg Config, seed uint64) (*Loop, error) {
	if err := cfg.Validate(rig.Layout, rig.Detect.Electrodes); err != nil {
		return nil, err
	}
	dt := e.Config().Dt
	ts := cfg.Game.TickS * 1000 / dt
	steps := int64(math.Round(ts))
	if steps < 1 || math.Abs(ts-float64(steps)) > 1e-6 {
		return nil, fmt.Errorf("tick_ms = %g is not a whole number of %g ms steps", cfg.Game.TickS*1000, dt)
	}
	g, err := New(cfg.Game, seed)
	if err != nil {
		return nil, err
	}
	l := &Loop{cfg: cfg, e: e, rig: rig, game: g, rng: rand.New(rand.NewPCG(seed, 0xfeed)),
		tickSteps: steps, dec: Decoder{Alpha: min(1, cfg.Game.TickS/cfg.BaselineS), Deadband: cfg.Deadband}, phase: 1,
		sensoryPhases: cfg.SensoryPulse.phases(), hitPhases: cfg.HitPulse.phases(), missPhases: cfg.MissPulse.phases()}
	for _, k := range cfg.Sensory {
		l.sensory = append(l.sensory, []int{k})
	}
	slot := func(chans []int) []int {
		out := make([]int, len(chans))
		for i, k := range chans {
			out[i], _ = slices.BinarySearch(rig.Detect.Electrodes, int32(k))
		}
		return out
	}
	l.upSlots, l.dnSlots = slot(cfg.Up), slot(cfg.Down)
	l.lastUp, l.lastDn = l.totals()
	l.rallyStart = e.TimeMs() / 1000
	return l, nil
}

// Game returns the game.
func (l *Loop) Game() *Pong { return l.game }

// TickSteps returns the engine steps per tick.
func (l *Loop) TickSteps() int64 { return l.tickSteps }

func (l *Loop) totals() (up, dn int64) {
	for _, k := range l.upSlots {
		up += l.rig.Rec.Total[k]
	}
	for _, k := range l.dnSlots {
		dn += l.rig.Rec.Total[k]
	}
	return up, dn
}

// Run plays ticks ticks, passing obs (with the rig's observers, which
// the loop needs) to the engine.
func (l *Loop) Run(ctx context.Context, ticks int64, obs ...sim.Observer) error {
	for range ticks {
		if err := l.Tick(ctx, obs...); err != nil {
			return err
		}
	}
	return nil
}

// Tick plays one tick.
func (l *Loop) Tick(ctx context.Context, obs ...sim.Observer) error {
	now := l.e.Step()
	dt := l.e.Config().Dt
	paused := l.pauseLeft > 0
	if !paused {
		if err := l.encode(now, dt); err != nil {
			return err
		}
	}
	if err := l.e.Run(ctx, l.tickSteps, obs...); err != nil {
		return err
	}
	l.rig.Stim.Forget(l.e.Step())
	l.tick++
	up, dn := l.totals()
	cu, cd := float64(up-l.lastUp), float64(dn-l.lastDn)
	l.lastUp, l.lastDn = up, dn
	act, score := l.dec.Decide(cu, cd, !paused)
	tMs := l.e.TimeMs()
	ev := l.game.Step(act)
	if paused {
		l.pauseLeft--
		if l.pauseLeft == 0 {
			l.game.Serve()
			l.rallyStart = tMs / 1000
		}
	}
	if ev != None {
		if err := l.event(ev, tMs); err != nil {
			return err
		}
	}
	s := l.game.State()
	ts := TickStats{Tick: l.tick, TimeMs: tMs, BallX: s.BallX, BallY: s.BallY, PaddleY: s.PaddleY,
		Up: int(cu), Down: int(cd), Score: score, Action: act, Event: ev, Paused: !s.InPlay,
		Rally: s.Rally, Hits: s.Hits, Misses: s.Misses}
	l.mu.Lock()
	l.last = ts
	l.mu.Unlock()
	if l.OnTick != nil {
		l.OnTick(ts)
	}
	return nil
}

// Stats returns the statistics of the last tick. It may be called from
// other goroutines while the loop runs (a live monitor's, for example:
// monitor.SetStats("game", func() any { return loop.Stats() })).
func (l *Loop) Stats() TickStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

// encode schedules this tick's sensory pulses: on the electrode of the
// ball's height, at the rate of its distance, continuing the phase of
// the previous ticks so that the intervals follow the rate.
func (l *Loop) encode(now int64, dt float64) error {
	s := l.game.State()
	if !s.InPlay {
		return nil
	}
	n := len(l.sensory)
	k := min(int(s.BallY*float64(n)), n-1)
	f := l.cfg.MinHz + (l.cfg.MaxHz-l.cfg.MinHz)*min(max(s.BallX, 0), 1)
	T := l.cfg.Game.TickS
	t := (1 - l.phase) / f // s to the next pulse
	for ; t < T; t += 1 / f {
		tr := mea.Train{Electrodes: l.sensory[k], Phases: l.sensoryPhases, StartMs: float64(now)*dt + t*1000, Pulses: 1}
		if err := l.rig.Stim.Schedule(tr, now); err != nil {
			return fmt.Errorf("games: sensory pulse: %w", err)
		}
		l.Pulses[0]++
	}
	l.phase = 1 - (t-T)*f
	return nil
}

// event records a hit or miss and schedules its feedback from the
// current step.
func (l *Loop) event(ev Event, tMs float64) error {
	l.Events = append(l.Events, GameEvent{TimeMs: tMs, Event: ev})
	if ev == Miss {
		s := l.game.State()
		l.Rallies = append(l.Rallies, Rally{StartS: l.rallyStart, DurationS: tMs/1000 - l.rallyStart, Hits: s.Rally})
		l.pauseLeft = int64(math.Round(l.cfg.PauseS / l.cfg.Game.TickS))
		l.phase = 1
		if l.pauseLeft == 0 {
			l.game.Serve()
			l.rallyStart = tMs / 1000
		}
	}
	predictable := ev == Hit
	switch l.cfg.Mode {
	case Silent:
		return nil
	case OpenLoop:
		predictable = l.rng.IntN(2) == 0
	}
	now := l.e.Step()
	if predictable {
		tr := mea.Train{Electrodes: l.cfg.Sensory, Phases: l.hitPhases, StartMs: tMs, FrequencyHz: l.cfg.HitHz, Pulses: l.cfg.HitPulses}
		if err := l.rig.Stim.Schedule(tr, now); err != nil {
			return fmt.Errorf("games: hit feedback: %w", err)
		}
		l.Pulses[1] += l.cfg.HitPulses * len(l.cfg.Sensory)
		return nil
	}
	if l.cfg.MissRateHz <= 0 {
		return nil
	}
	// A Poisson process of MissRateHz over the pause, each pulse on a
	// random sensory electrode.
	for t := l.rng.ExpFloat64() / l.cfg.MissRateHz; t < l.cfg.PauseS; t += l.rng.ExpFloat64() / l.cfg.MissRateHz {
		k := l.rng.IntN(len(l.sensory))
		tr := mea.Train{Electrodes: l.sensory[k], Phases: l.missPhases, StartMs: tMs + t*1000, Pulses: 1}
		if err := l.rig.Stim.Schedule(tr, now); err != nil {
			return fmt.Errorf("games: miss feedback: %w", err)
		}
		l.Pulses[2]++
	}
	return nil
}
