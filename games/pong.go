package games

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Params are the rules of a Pong court of unit width and height.
type Params struct {
	PaddleHeight float64 // fraction of the court's height
	PaddleSpeed  float64 // court heights per second at full command
	BallSpeed    float64 // court widths per second along x
	MaxAngle     float64 // serves and returns leave at an angle in U(-MaxAngle, MaxAngle) from the x axis, rad
	TickS        float64 // game time per Step, s
}

// DefaultParams are this package's defaults: a 0.2-high paddle (BL-1's,
// spec/bl1.md §6.5) moving at 1 court height per second, a ball crossing
// the court in 2 s, angles within ±45° (BL-1's serve) and 20 ms ticks
// (BL-1's game_dt_ms). DishBrain's paddle and ball speeds were not
// published in what the spec could verify (spec/cl1-protocol.md §9).
var DefaultParams = Params{PaddleHeight: 0.2, PaddleSpeed: 1, BallSpeed: 0.5, MaxAngle: math.Pi / 4, TickS: 0.02}

// Validate checks the parameters; messages start with the config key.
func (p Params) Validate() error {
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
	switch {
	case !(p.PaddleHeight > 0 && p.PaddleHeight <= 1):
		return fmt.Errorf("paddle_height = %g, must be in (0, 1] (a fraction of the court)", p.PaddleHeight)
	case !(p.PaddleSpeed >= 0) || math.IsInf(p.PaddleSpeed, 0):
		return fmt.Errorf("paddle_speed = %g, must be >= 0 (court heights per second)", p.PaddleSpeed)
	case !pos(p.BallSpeed):
		return fmt.Errorf("ball_speed = %g, must be > 0 (court widths per second)", p.BallSpeed)
	case !(p.MaxAngle >= 0 && p.MaxAngle < math.Pi/2):
		return fmt.Errorf("max_angle_deg = %g, must be in [0, 90)", p.MaxAngle*180/math.Pi)
	case !pos(p.TickS):
		return fmt.Errorf("tick_ms = %g, must be > 0", p.TickS*1000)
	case p.BallSpeed*p.TickS > 0.5:
		return fmt.Errorf("ball_speed = %g: the ball would cross half the court in one %g ms tick; lower it or the tick", p.BallSpeed, p.TickS*1000)
	}
	return nil
}

// Action is a paddle command.
type Action int8

// Actions: the paddle moves towards y = 1 (Up) or y = 0 (Down) at its
// speed, or stays.
const (
	Stay Action = 0
	Up   Action = 1
	Down Action = -1
)

func (a Action) String() string {
	switch a {
	case Up:
		return "up"
	case Down:
		return "down"
	}
	return "stay"
}

// Event is what happened during a step.
type Event uint8

// Events.
const (
	None Event = iota
	Hit        // the paddle returned the ball
	Miss       // the ball passed the paddle: the rally ends
)

func (e Event) String() string {
	switch e {
	case Hit:
		return "hit"
	case Miss:
		return "miss"
	}
	return "none"
}

// State is the court at a moment.
type State struct {
	BallX, BallY float64 // the paddle's line is x = 1, the back wall x = 0
	VX, VY       float64 // court units per second
	PaddleY      float64 // centre of the paddle
	InPlay       bool    // false after a miss until the next serve
	Rally        int     // hits in the current rally
	Hits, Misses int     // totals
}

// Pong is the game: a ball bounces between the back wall (x = 0), the top
// and bottom walls (y = 0, 1) and the paddle's line (x = 1), where the
// paddle, PaddleHeight high, returns it if the ball's centre crosses the
// line within the paddle's extent; otherwise it is a miss and the rally
// (the hits since the serve) ends. A serve starts from the back wall at a
// uniformly random height; the ball leaves the back wall, serve or
// return, at a random angle, so rallies are not periodic. Collisions are
// found exactly within a tick (the walls by reflection, the paddle's line
// by interpolation). Random numbers come from a PCG stream of the seed:
// a game is the same for the same seed and actions. Step does not
// allocate.
type Pong struct {
	p   Params
	s   State
	rng *rand.Rand
	pcg *rand.PCG
}

// New returns a game with a ball served and the paddle in the middle.
func New(p Params, seed uint64) (*Pong, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	pcg := rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	g := &Pong{p: p, pcg: pcg, rng: rand.New(pcg)}
	g.s.PaddleY = 0.5
	g.Serve()
	return g, nil
}

// Params returns the game's rules.
func (g *Pong) Params() Params { return g.p }

// State returns the current state.
func (g *Pong) State() State { return g.s }

// Set replaces the state (for tests and custom starts); the ball moves
// at the state's velocity until the next bounce off the back wall or
// paddle gives it a random angle at BallSpeed.
func (g *Pong) Set(s State) { g.s = s }

// Serve puts a new ball in play from the back wall.
func (g *Pong) Serve() {
	g.s.BallX, g.s.BallY = 0, g.rng.Float64()
	g.launch(1)
	g.s.InPlay, g.s.Rally = true, 0
}

// launch gives the ball a random angle, moving along x in direction dir
// at BallSpeed.
func (g *Pong) launch(dir float64) {
	a := (2*g.rng.Float64() - 1) * g.p.MaxAngle
	g.s.VX = dir * g.p.BallSpeed
	g.s.VY = g.p.BallSpeed * math.Tan(a)
}

// Step moves the paddle by the action, then the ball by one tick, and
// returns the event. Out of play (after a miss) only the paddle moves;
// call Serve to continue.
func (g *Pong) Step(a Action) Event {
	s := &g.s
	h := g.p.PaddleHeight / 2
	s.PaddleY = min(max(s.PaddleY+float64(a)*g.p.PaddleSpeed*g.p.TickS, h), 1-h)
	if !s.InPlay {
		return None
	}
	dt := g.p.TickS
	x := s.BallX + s.VX*dt
	switch {
	case x >= 1: // reaches the paddle's line within the tick
		tc := (1 - s.BallX) / s.VX
		yc, _ := fold(s.BallY + s.VY*tc)
		if math.Abs(yc-s.PaddleY) <= h {
			s.Hits++
			s.Rally++
			s.BallX, s.BallY = 1, yc
			g.launch(-1)
			g.advance(dt - tc)
			return Hit
		}
		s.Misses++
		s.InPlay = false
		s.BallX, s.BallY = 1, yc
		return Miss
	case x <= 0: // reaches the back wall: reflect and go on
		tb := -s.BallX / s.VX
		s.BallY, s.VY = g.foldV(s.BallY+s.VY*tb, s.VY)
		s.BallX = 0
		s.VX = -s.VX
		g.advance(dt - tb)
		return None
	}
	g.advance(dt)
	return None
}

// advance moves the ball freely (no x boundary crossed) for t seconds,
// reflecting off the top and bottom walls.
func (g *Pong) advance(t float64) {
	s := &g.s
	s.BallX += s.VX * t
	s.BallY, s.VY = g.foldV(s.BallY+s.VY*t, s.VY)
}

// foldV maps an unfolded height into the court, flipping the vertical
// velocity once per wall bounce.
func (g *Pong) foldV(y, vy float64) (float64, float64) {
	yf, flips := fold(y)
	if flips%2 != 0 {
		vy = -vy
	}
	return yf, vy
}

// fold reflects an unfolded height into [0, 1] (a triangle wave of
// period 2) and counts the wall bounces.
func fold(y float64) (float64, int) {
	k := math.Floor(y)
	f := y - k
	n := int(k)
	if n%2 != 0 {
		f = 1 - f
	}
	if n < 0 {
		n = -n
	}
	return f, n
}
