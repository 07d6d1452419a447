package games_test

import (
	"context"
	"fmt"
	"math"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/games"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/sim"
	"github.com/bl1-go/bl1/synapses"
)

// A paddle that follows the ball never misses.
func ExampleNew() {
	g, err := games.New(games.DefaultParams, 1)
	if err != nil {
		panic(err)
	}
	for range 5000 { // 100 s of 20 ms ticks
		s := g.State()
		a := games.Stay
		if d := s.BallY - s.PaddleY; math.Abs(d) > 0.01 {
			a = games.Up
			if d < 0 {
				a = games.Down
			}
		}
		g.Step(a)
	}
	s := g.State()
	fmt.Println("hits:", s.Hits, "misses:", s.Misses)
	// Output:
	// hits: 25 misses: 0
}

// The decoder compares each motor region with its own running mean: a
// region with fewer events can still win.
func ExampleDecoder() {
	d := games.Decoder{Alpha: 0.02, Deadband: 0.1}
	for range 1000 {
		d.Decide(20, 5, true) // baselines: 20 up, 5 down events per tick
	}
	a, score := d.Decide(20, 8, false)
	fmt.Printf("%v (score %.2f)\n", a, score)
	// Output:
	// down (score -0.59)
}

// Invalid settings are errors that name the key.
func ExampleConfig_Validate() {
	cfg := games.DefaultConfig()
	cfg.SensoryPulse.AmplitudeUA = 4
	l := mea.CL1(0, 0)
	rec, _ := l.Route(mea.Routing{})
	fmt.Println(cfg.Validate(l, rec))
	// Output:
	// sensory.amplitude_ua = 4 exceeds the CL1's limit of 3 µA per phase
}

// The closed loop encodes the ball on the sensory electrodes: held at
// x = 0.4 and height 0.3, it is stimulated on the third place-code
// electrode (channel 19) at 4 + 36 × 0.4 = 18.4 Hz: 19 pulses in 1 s.
func ExampleNewLoop() {
	s := culture.Default()
	s.N, s.Width, s.Height = 1200, 1040, 1040
	c, err := culture.Build(s, 1)
	if err != nil {
		panic(err)
	}
	e, err := sim.New(c, sim.Config{Dt: 0.5, Seed: 1, Workers: 1, DriveMean: 2, DriveStd: 3, Synapses: synapses.Default()})
	if err != nil {
		panic(err)
	}
	defer e.Close()
	rig, err := mea.New(e, mea.Config{Layout: "cl1", Recording: mea.DefaultRecording, CouplingMVPerNC: mea.DefaultCouplingMVPerNC}, 1, "")
	if err != nil {
		panic(err)
	}
	defer rig.Close()
	loop, err := games.NewLoop(e, rig, games.DefaultConfig(), 1)
	if err != nil {
		panic(err)
	}
	loop.Game().Set(games.State{BallX: 0.4, BallY: 0.3, VX: 1e-9, PaddleY: 0.5, InPlay: true})
	if err := loop.Run(context.Background(), 50, rig.Observers()...); err != nil { // 1 s
		panic(err)
	}
	electrodes := map[int32]int{}
	for _, p := range rig.Stim.Pulses() {
		electrodes[p.Electrode]++
	}
	fmt.Println("pulses per electrode in 1 s:", electrodes)
	// Output:
	// pulses per electrode in 1 s: map[19:19]
}
