package configs

import (
	"fmt"
	"math"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/bl1-go/bl1/games"
)

// Pong configures the closed-loop Pong game of `bl1 pong` (package games).
// It is absent (nil) unless a config has a pong section; keys the section
// leaves out take the values of DefaultPong (those of dishbrain.yaml).
type Pong struct {
	Mode         string         `yaml:"mode"`
	TickMs       float64        `yaml:"tick_ms"`
	PaddleHeight float64        `yaml:"paddle_height"`
	PaddleSpeed  float64        `yaml:"paddle_speed"`
	BallSpeed    float64        `yaml:"ball_speed"`
	MaxAngleDeg  float64        `yaml:"max_angle_deg"`
	Sensory      PongSensory    `yaml:"sensory"`
	Motor        PongMotor      `yaml:"motor"`
	Feedback     PongFeedback   `yaml:"feedback"`
	Experiment   PongExperiment `yaml:"experiment"`
}

// PongSensory configures the encoding of the ball.
type PongSensory struct {
	Channels    []int   `yaml:"channels,flow"`
	MinHz       float64 `yaml:"min_hz"`
	MaxHz       float64 `yaml:"max_hz"`
	AmplitudeUA float64 `yaml:"amplitude_ua"`
	WidthUs     float64 `yaml:"width_us"`
}

// PongMotor configures the decoding of the paddle's moves.
type PongMotor struct {
	Up        []int   `yaml:"up,flow"`
	Down      []int   `yaml:"down,flow"`
	BaselineS float64 `yaml:"baseline_s"`
	Deadband  float64 `yaml:"deadband"`
}

// PongFeedback configures the feedback stimulation.
type PongFeedback struct {
	PauseS float64   `yaml:"pause_s"`
	Hit    PongBurst `yaml:"hit"`
	Miss   PongBurst `yaml:"miss"`
}

// PongBurst is a feedback stimulation: a train (hit) or random pulses
// (miss).
type PongBurst struct {
	FrequencyHz float64 `yaml:"frequency_hz,omitempty"`
	Pulses      int     `yaml:"pulses,omitempty"`
	RateHz      float64 `yaml:"rate_hz,omitempty"`
	AmplitudeUA float64 `yaml:"amplitude_ua"`
	WidthUs     float64 `yaml:"width_us"`
}

// PongExperiment configures `bl1 pong -experiment`.
type PongExperiment struct {
	Seeds   int      `yaml:"seeds"`
	Modes   []string `yaml:"modes,flow"`
	WindowS float64  `yaml:"window_s"`
}

// DefaultPong returns the pong section's defaults: games.DefaultConfig
// and the experiment of dishbrain.yaml.
func DefaultPong() Pong {
	d := games.DefaultConfig()
	pulse := func(p games.Pulse) (float64, float64) { return p.AmplitudeUA, p.WidthUs }
	p := Pong{
		Mode: d.Mode.String(), TickMs: d.Game.TickS * 1000, PaddleHeight: d.Game.PaddleHeight, PaddleSpeed: d.Game.PaddleSpeed,
		BallSpeed: d.Game.BallSpeed, MaxAngleDeg: d.Game.MaxAngle * 180 / math.Pi,
		Sensory: PongSensory{Channels: d.Sensory, MinHz: d.MinHz, MaxHz: d.MaxHz},
		Motor:   PongMotor{Up: d.Up, Down: d.Down, BaselineS: d.BaselineS, Deadband: d.Deadband},
		Feedback: PongFeedback{PauseS: d.PauseS,
			Hit:  PongBurst{FrequencyHz: d.HitHz, Pulses: d.HitPulses},
			Miss: PongBurst{RateHz: d.MissRateHz}},
		Experiment: PongExperiment{Seeds: 10, Modes: []string{"fep", "open_loop", "silent"}, WindowS: 300},
	}
	p.Sensory.AmplitudeUA, p.Sensory.WidthUs = pulse(d.SensoryPulse)
	p.Feedback.Hit.AmplitudeUA, p.Feedback.Hit.WidthUs = pulse(d.HitPulse)
	p.Feedback.Miss.AmplitudeUA, p.Feedback.Miss.WidthUs = pulse(d.MissPulse)
	return p
}

// UnmarshalYAML fills the section over DefaultPong.
func (p *Pong) UnmarshalYAML(n *yaml.Node) error {
	type plain Pong
	d := plain(DefaultPong())
	if err := n.Decode(&d); err != nil {
		return err
	}
	*p = Pong(d)
	return nil
}

// PongConfig converts and checks the pong section against the MEA (which
// it needs: the channels must exist, the motor channels be recorded, the
// stimulation be within the device's limits). It returns nil without a
// pong section.
func (c *Config) PongConfig() (*games.Config, error) {
	p := c.Pong
	if p == nil {
		return nil, nil
	}
	mode, err := games.ParseMode(p.Mode)
	if err != nil {
		return nil, at("pong", err)
	}
	gc := &games.Config{
		Mode: mode,
		Game: games.Params{PaddleHeight: p.PaddleHeight, PaddleSpeed: p.PaddleSpeed, BallSpeed: p.BallSpeed,
			MaxAngle: p.MaxAngleDeg * math.Pi / 180, TickS: p.TickMs / 1000},
		Sensory: p.Sensory.Channels, MinHz: p.Sensory.MinHz, MaxHz: p.Sensory.MaxHz,
		SensoryPulse: games.Pulse{AmplitudeUA: p.Sensory.AmplitudeUA, WidthUs: p.Sensory.WidthUs},
		Up:           p.Motor.Up, Down: p.Motor.Down, BaselineS: p.Motor.BaselineS, Deadband: p.Motor.Deadband,
		HitHz: p.Feedback.Hit.FrequencyHz, HitPulses: p.Feedback.Hit.Pulses,
		HitPulse: games.Pulse{AmplitudeUA: p.Feedback.Hit.AmplitudeUA, WidthUs: p.Feedback.Hit.WidthUs},
		PauseS:   p.Feedback.PauseS, MissRateHz: p.Feedback.Miss.RateHz,
		MissPulse: games.Pulse{AmplitudeUA: p.Feedback.Miss.AmplitudeUA, WidthUs: p.Feedback.Miss.WidthUs},
	}
	if steps := p.TickMs / c.Simulation.DtMs; !(p.TickMs > 0) || math.Abs(steps-math.Round(steps)) > 1e-6 {
		return nil, &pathError{"pong.tick_ms", fmt.Sprintf("tick_ms = %g, must be a positive whole number of simulation.dt_ms (%g) steps", p.TickMs, c.Simulation.DtMs)}
	}
	if p.Experiment.Seeds < 1 {
		return nil, &pathError{"pong.experiment.seeds", fmt.Sprintf("seeds = %d, must be >= 1", p.Experiment.Seeds)}
	}
	if len(p.Experiment.Modes) == 0 {
		return nil, &pathError{"pong.experiment.modes", "modes: give at least one of fep, open_loop, silent"}
	}
	for i, m := range p.Experiment.Modes {
		if _, err := games.ParseMode(m); err != nil {
			return nil, &pathError{fmt.Sprintf("pong.experiment.modes[%d]", i), err.Error()}
		}
	}
	if w := p.Experiment.WindowS; !(w > 0) || math.IsInf(w, 0) {
		return nil, &pathError{"pong.experiment.window_s", fmt.Sprintf("window_s = %g, must be > 0", w)}
	}
	mc, err := c.MEAConfig()
	if err != nil {
		return nil, err
	}
	if mc == nil {
		return nil, &pathError{"pong", "pong: the game needs an MEA; set mea.layout (cl1, as in dishbrain.yaml)"}
	}
	sub := c.Culture.SubstrateUm
	l, err := mc.NewLayout(sub[0]/2, sub[1]/2)
	if err != nil {
		return nil, at("mea", err)
	}
	route := mc.Routing
	route.Seed = c.Simulation.Seed // as mea.New routes
	rec, err := l.Route(route)
	if err != nil {
		return nil, at("mea", err)
	}
	if err := gc.Validate(l, rec); err != nil {
		return nil, at("pong", err)
	}
	return gc, nil
}

func (p Pong) clone() Pong {
	p.Sensory.Channels = slices.Clone(p.Sensory.Channels)
	p.Motor.Up, p.Motor.Down = slices.Clone(p.Motor.Up), slices.Clone(p.Motor.Down)
	p.Experiment.Modes = slices.Clone(p.Experiment.Modes)
	return p
}
