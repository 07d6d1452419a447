package games_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/games"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/sim"
	"github.com/bl1-go/bl1/synapses"
)

// rigged is a small culture under a CL1 with a loop.
type rigged struct {
	e    *sim.Engine
	rig  *mea.Rig
	loop *games.Loop
}

// newRigged builds 1,200 neurons at the default density on 1.04 mm² under
// a CL1, with the default drive, and a loop of cfg.
func newRigged(t testing.TB, cfg games.Config, seed uint64, workers int) *rigged {
	t.Helper()
	c := testCulture(t, 1200, 1040, seed)
	e, err := sim.New(c, sim.Config{Dt: 0.5, Seed: seed, Workers: workers, DriveMean: 2, DriveStd: 3, Synapses: synapses.Default()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	rig, err := mea.New(e, mea.Config{Layout: "cl1", Recording: mea.DefaultRecording, CouplingMVPerNC: mea.DefaultCouplingMVPerNC}, seed, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rig.Close)
	l, err := games.NewLoop(e, rig, cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	return &rigged{e, rig, l}
}

// testCulture builds n neurons of the default culture on a square of
// side µm.
func testCulture(t testing.TB, n int, side float64, seed uint64) *culture.Culture {
	t.Helper()
	s := culture.Default()
	s.N, s.Width, s.Height, s.Seed = n, side, side, seed
	c, err := culture.Build(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (r *rigged) run(t testing.TB, ticks int64) {
	t.Helper()
	if err := r.loop.Run(context.Background(), ticks, r.rig.Observers()...); err != nil {
		t.Fatal(err)
	}
}

// pulses returns the scheduled pulses from step from on, by electrode.
func (r *rigged) pulses(from int64) map[int32][]int64 {
	out := map[int32][]int64{}
	for _, p := range r.rig.Stim.Pulses() {
		if p.Step >= from {
			out[p.Electrode] = append(out[p.Electrode], p.Step)
		}
	}
	return out
}

// With the ball held at x = 0.5, height 0.3, the sensory pulses go to the
// third place-code electrode (0.3 × 8 = 2.4) at 4 + 36 × 0.5 = 22 Hz
// (the rate code), evenly spaced.
func TestEncoding(t *testing.T) {
	cfg := games.DefaultConfig()
	r := newRigged(t, cfg, 1, 1)
	r.loop.Game().Set(games.State{BallX: 0.5, BallY: 0.3, VX: 1e-9, PaddleY: 0.5, InPlay: true})
	r.run(t, 100) // 2 s
	got := r.pulses(0)
	if len(got) != 1 || got[int32(cfg.Sensory[2])] == nil {
		t.Fatalf("pulses on %v, want only electrode %d", slices.Collect(mapKeys(got)), cfg.Sensory[2])
	}
	steps := got[int32(cfg.Sensory[2])]
	if n := len(steps); n < 43 || n > 45 {
		t.Errorf("%d pulses in 2 s, want 44 (22 Hz)", n)
	}
	for i := 1; i < len(steps); i++ {
		// 1/22 Hz = 45.45 ms = 90.9 steps, floored to steps.
		if d := steps[i] - steps[i-1]; d < 90 || d > 91 {
			t.Fatalf("pulses %d steps apart, want 90-91", d)
		}
	}
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// A hit gets, in fep, 10 pulses at 100 Hz on all 8 sensory electrodes; a
// miss a pause of 4 s (200 ticks) with random pulses at 5 Hz on the
// sensory electrodes and no sensory encoding; silent gives the pause
// without pulses.
func TestFeedback(t *testing.T) {
	for _, mode := range []games.Mode{games.FEP, games.Silent} {
		cfg := games.DefaultConfig()
		cfg.Mode = mode
		r := newRigged(t, cfg, 2, 1)
		g := r.loop.Game()
		// A hit at the end of the first tick: the ball 0.005 before the
		// paddle's line at the paddle's height.
		g.Set(games.State{BallX: 0.995, BallY: 0.5, VX: 0.5, PaddleY: 0.5, InPlay: true})
		r.run(t, 1)
		if st := r.loop.Stats(); st.Tick != 1 || st.Event != games.Hit || st.Hits != 1 {
			t.Errorf("%v: stats after the hit %+v", mode, st)
		}
		if len(r.loop.Events) != 1 || r.loop.Events[0].Event != games.Hit {
			t.Fatalf("%v: events %v, want one hit", mode, r.loop.Events)
		}
		now := r.e.Step()
		fb := r.pulses(now)
		if mode == games.Silent {
			if len(fb) != 0 {
				t.Errorf("silent: feedback pulses %v", fb)
			}
		} else {
			for _, k := range cfg.Sensory {
				st := fb[int32(k)]
				if len(st) != 10 || st[0] != now || st[9]-st[0] != 9*20 { // 10 ms = 20 steps apart
					t.Errorf("fep hit: electrode %d pulses at %v, want 10 from %d, 20 steps apart", k, st, now)
				}
			}
		}
		r.run(t, 10) // the hit's feedback is over
		// A miss: the paddle far from the ball.
		g.Set(games.State{BallX: 0.995, BallY: 0.1, VX: 0.5, PaddleY: 0.9, InPlay: true})
		r.run(t, 1)
		missAt := r.e.Step()
		if len(r.loop.Rallies) != 1 || r.loop.Rallies[0].Hits != 0 {
			t.Fatalf("%v: rallies %v, want one of 0 hits", mode, r.loop.Rallies)
		}
		before := r.loop.Pulses
		r.run(t, 199)
		if r.loop.Pulses[0] != before[0] || g.State().InPlay {
			t.Errorf("%v: sensory pulses or a ball in play during the pause", mode)
		}
		r.run(t, 1)
		if !g.State().InPlay {
			t.Errorf("%v: no serve after 200 ticks (4 s)", mode)
		}
		n := 0
		for k, st := range r.pulses(missAt) {
			if !slices.Contains(cfg.Sensory, int(k)) {
				t.Errorf("%v: a feedback pulse on electrode %d, not sensory", mode, k)
			}
			for _, s := range st {
				if s < missAt+8000 { // the 4 s pause
					n++
				}
			}
		}
		n -= r.loop.Pulses[0] - before[0] // sensory pulses after the serve
		switch {
		case mode == games.Silent && n != 0:
			t.Errorf("silent: %d pulses after a miss", n)
		case mode == games.FEP && (n < 8 || n > 35): // Poisson with mean 20: P(outside) < 1e-3
			t.Errorf("fep: %d random pulses in the 4 s pause, want about 20", n)
		}
	}
}

// Open loop: the kind of feedback is a coin flip, blind to the event.
func TestOpenLoopIsBlind(t *testing.T) {
	cfg := games.DefaultConfig()
	cfg.Mode = games.OpenLoop
	cfg.PauseS = 0.02
	r := newRigged(t, cfg, 3, 1)
	g := r.loop.Game()
	var predictable, hits int
	for i := range 40 {
		y := 0.5
		if i%2 == 1 {
			y = 0.05 // a miss
		}
		g.Set(games.State{BallX: 0.995, BallY: y, VX: 0.5, PaddleY: 0.5, InPlay: true})
		before := r.loop.Pulses
		r.run(t, 1)
		if r.loop.Events[len(r.loop.Events)-1].Event == games.Hit {
			hits++
			if r.loop.Pulses[1] > before[1] {
				predictable++
			}
		}
		r.run(t, 1)
	}
	if hits != 20 || predictable == 0 || predictable == 20 {
		t.Errorf("%d hits, %d with predictable feedback: want 20 hits, some of each kind", hits, predictable)
	}
}

// The decoder compares each region with its own baseline.
func TestDecoder(t *testing.T) {
	d := games.Decoder{Alpha: 0.01}
	for range 2000 { // baselines: up 20, down 5 events per tick
		d.Decide(20, 5, true)
	}
	for _, tc := range []struct {
		up, down float64
		want     games.Action
	}{{20, 5, games.Stay}, {30, 5, games.Up}, {20, 8, games.Down}, {0, 0, games.Stay}, {40, 10, games.Stay}, {25, 6.25, games.Stay}} {
		d.Deadband = 0.05
		if a, s := d.Decide(tc.up, tc.down, false); a != tc.want {
			t.Errorf("counts %g, %g: %v (score %g), want %v", tc.up, tc.down, a, s, tc.want)
		}
	}
}

// Against its running median, the decoder moves up and down equally often
// however skewed the activity: here the up region is bursty (100 events
// in 10 % of ticks, else 2) and the down region steady (10 ± 3). Centred
// on the running means alone, the sign of the score would say down in
// about 90 % of ticks.
func TestDecoderBalanced(t *testing.T) {
	d := games.Decoder{Alpha: 0.01}
	r := rand.New(rand.NewPCG(1, 2))
	draw := func() (float64, float64) {
		up := 2.0
		if r.Float64() < 0.1 {
			up = 100
		}
		return up, 10 + float64(r.IntN(7)-3)
	}
	for range 20000 {
		up, down := draw()
		d.Decide(up, down, true)
	}
	var n [3]int
	for range 20000 {
		up, down := draw()
		a, _ := d.Decide(up, down, true)
		n[a+1]++
	}
	if pu, pd := float64(n[2])/20000, float64(n[0])/20000; math.Abs(pu-pd) > 0.03 {
		t.Errorf("up %.3f, down %.3f of the ticks; want equal", pu, pd)
	}
}

// The same seed gives the same game, for 1 or 2 workers.
func TestLoopDeterministic(t *testing.T) {
	play := func(workers int) ([]games.Rally, []games.GameEvent, [3]int) {
		r := newRigged(t, games.DefaultConfig(), 5, workers)
		r.run(t, 1500) // 30 s
		return r.loop.Rallies, r.loop.Events, r.loop.Pulses
	}
	r1, e1, p1 := play(1)
	r2, e2, p2 := play(2)
	if !slices.Equal(r1, r2) || !slices.Equal(e1, e2) || p1 != p2 || len(e1) == 0 {
		t.Errorf("1 worker: %d rallies, %d events, pulses %v; 2 workers: %d, %d, %v", len(r1), len(e1), p1, len(r2), len(e2), p2)
	}
}

// Bad configurations are errors naming the key.
func TestConfigErrors(t *testing.T) {
	l := mea.CL1(0, 0)
	all := make([]int32, 0, 64)
	for k := range 64 {
		if l.Usable(k) {
			all = append(all, int32(k))
		}
	}
	for _, tc := range []struct {
		mod  func(*games.Config)
		want string
	}{
		{func(c *games.Config) { c.Sensory[3] = 64 }, "sensory.channels[3] = 64"},
		{func(c *games.Config) { c.Sensory[0] = 4 }, "sensory.channels[0] = 4"},
		{func(c *games.Config) { c.Up = append(c.Up, 63) }, "motor.up[12] = 63"},
		{func(c *games.Config) { c.Down[0] = c.Up[0] }, "motor.down[0] = 8: already used in motor.up[0]"},
		{func(c *games.Config) { c.Up = nil }, "motor.up: no channels"},
		{func(c *games.Config) { c.SensoryPulse.AmplitudeUA = 3.5 }, "sensory.amplitude_ua = 3.5 exceeds the CL1's limit"},
		{func(c *games.Config) { c.HitPulse.WidthUs = 150 }, "feedback.hit: phases[0]: width 150 µs"},
		{func(c *games.Config) { c.MissPulse = games.Pulse{AmplitudeUA: 3, WidthUs: 2000} }, "feedback.miss: phases[0]: charge 6000 pC"},
		{func(c *games.Config) { c.HitHz = 300 }, "feedback.hit.frequency_hz = 300 exceeds"},
		{func(c *games.Config) { c.MaxHz = 250 }, "sensory.max_hz = 250 exceeds"},
		{func(c *games.Config) { c.MinHz = 0 }, "sensory.min_hz = 0"},
		{func(c *games.Config) { c.BaselineS = 0 }, "motor.baseline_s = 0"},
		{func(c *games.Config) { c.Game.PaddleHeight = 2 }, "paddle_height = 2"},
		{func(c *games.Config) { c.Mode = 7 }, "mode = 7"},
	} {
		c := games.DefaultConfig()
		tc.mod(&c)
		err := c.Validate(l, all)
		if err == nil || !startsWith(err.Error(), tc.want) {
			t.Errorf("error %v, want one starting with %q", err, tc.want)
		}
	}
	c := games.DefaultConfig()
	if err := c.Validate(l, []int32{1, 2}); err == nil || !startsWith(err.Error(), "motor.up[0] = 8: the MEA does not record") {
		t.Errorf("unrecorded motor channel: %v", err)
	}
	if err := games.DefaultConfig().Validate(l, all); err != nil {
		t.Errorf("the default config is invalid: %v", err)
	}
}
