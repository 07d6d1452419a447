package games_test

import (
	"math"
	"testing"

	"github.com/bl1-go/bl1/games"
)

func newGame(t *testing.T, p games.Params, seed uint64) *games.Pong {
	t.Helper()
	g, err := games.New(p, seed)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// The ball's path between bounces is a straight line folded by the walls
// (computed by hand): from (0.5, 0.9) at (0.5, 0.25) court units/s it
// bounces off the top wall after 0.4 s and reaches the paddle's line at
// t = 1 s, at y = 2 - (0.9 + 0.25) = 0.85.
func TestBallPathAndPaddle(t *testing.T) {
	p := games.DefaultParams
	for _, tc := range []struct {
		paddle float64
		want   games.Event
	}{{0.85, games.Hit}, {0.76, games.Hit}, {0.5, games.Miss}, {0.74, games.Miss}} {
		g := newGame(t, p, 1)
		g.Set(games.State{BallX: 0.5, BallY: 0.9, VX: 0.5, VY: 0.25, PaddleY: tc.paddle, InPlay: true})
		var ev games.Event
		steps := 0
		for ev == games.None && steps < 100 {
			s := g.State()
			tm := float64(steps) * p.TickS
			wantX := 0.5 + 0.5*tm
			wantY := 0.9 + 0.25*tm
			if wantY > 1 {
				wantY = 2 - wantY
			}
			if math.Abs(s.BallX-wantX) > 1e-12 || math.Abs(s.BallY-wantY) > 1e-12 {
				t.Fatalf("t = %g s: ball at (%g, %g), want (%g, %g)", tm, s.BallX, s.BallY, wantX, wantY)
			}
			ev = g.Step(games.Stay)
			steps++
		}
		if ev != tc.want || steps != 50 {
			t.Errorf("paddle at %g: %v after %d ticks, want %v after 50", tc.paddle, ev, steps, tc.want)
		}
		s := g.State()
		if tc.want == games.Hit && (s.VX >= 0 || s.Rally != 1 || s.Hits != 1 || !s.InPlay) {
			t.Errorf("after a hit: %+v, want the ball going back, rally 1", s)
		}
		if tc.want == games.Miss && (s.InPlay || s.Misses != 1 || s.Rally != 0) {
			t.Errorf("after a miss: %+v, want the ball out of play", s)
		}
	}
}

// A paddle that follows the ball (fast enough to reach it: 1 court
// height per second against a ball that needs 2 s across) never misses,
// and the ball stays in the court at its speed along x.
func TestTrackingNeverMisses(t *testing.T) {
	p := games.DefaultParams
	g := newGame(t, p, 7)
	for range 100000 {
		s := g.State()
		a := games.Stay
		switch {
		case s.BallY > s.PaddleY+0.01:
			a = games.Up
		case s.BallY < s.PaddleY-0.01:
			a = games.Down
		}
		g.Step(a)
		s = g.State()
		if s.BallX < 0 || s.BallX > 1 || s.BallY < 0 || s.BallY > 1 || math.Abs(math.Abs(s.VX)-p.BallSpeed) > 1e-12 {
			t.Fatalf("ball at (%g, %g) with v (%g, %g)", s.BallX, s.BallY, s.VX, s.VY)
		}
		if math.Abs(s.VY) > p.BallSpeed*math.Tan(p.MaxAngle)+1e-12 {
			t.Fatalf("vertical speed %g beyond the maximum angle", s.VY)
		}
	}
	// 100,000 ticks of 20 ms = 2,000 s; a return trip takes 4 s.
	if s := g.State(); s.Misses != 0 || s.Hits < 490 {
		t.Errorf("tracking: %d hits, %d misses; want about 500 hits, no miss", s.Hits, s.Misses)
	}
}

// The same seed and actions give the same game; another seed another.
func TestDeterministic(t *testing.T) {
	play := func(seed uint64) []games.State {
		g := newGame(t, games.DefaultParams, seed)
		var out []games.State
		for i := range 5000 {
			a := games.Action(i%3 - 1)
			if g.Step(a) == games.Miss {
				g.Serve()
			}
			out = append(out, g.State())
		}
		return out
	}
	a, b, c := play(3), play(3), play(4)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("tick %d: %+v and %+v with the same seed", i, a[i], b[i])
		}
	}
	if a[len(a)-1] == c[len(c)-1] {
		t.Error("seeds 3 and 4 gave the same game")
	}
}

func TestStepDoesNotAllocate(t *testing.T) {
	g := newGame(t, games.DefaultParams, 1)
	i := 0
	allocs := testing.AllocsPerRun(10000, func() {
		if g.Step(games.Action(i%3-1)) == games.Miss {
			g.Serve()
		}
		i++
	})
	if allocs != 0 {
		t.Errorf("Step allocates %g times per call", allocs)
	}
}

func TestParamsValidate(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*games.Params)
		want string
	}{
		{func(p *games.Params) { p.PaddleHeight = 0 }, "paddle_height"},
		{func(p *games.Params) { p.PaddleHeight = 1.5 }, "paddle_height"},
		{func(p *games.Params) { p.PaddleSpeed = math.NaN() }, "paddle_speed"},
		{func(p *games.Params) { p.BallSpeed = -1 }, "ball_speed"},
		{func(p *games.Params) { p.BallSpeed = 100 }, "ball_speed"},
		{func(p *games.Params) { p.MaxAngle = math.Pi / 2 }, "max_angle_deg"},
		{func(p *games.Params) { p.TickS = 0 }, "tick_ms"},
	} {
		p := games.DefaultParams
		tc.mod(&p)
		_, err := games.New(p, 1)
		if err == nil || !startsWith(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one starting with %s", p, err, tc.want)
		}
	}
}

func startsWith(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func BenchmarkStep(b *testing.B) {
	g, _ := games.New(games.DefaultParams, 1)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if g.Step(games.Action(i%3-1)) == games.Miss {
			g.Serve()
		}
		i++
	}
}
