package games_test

import (
	"context"
	"testing"
	"time"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/games"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/sim"
)

// benchSession plays dishbrain.yaml's session (fep, STDP, a CL1 recording
// all 59 channels) with n neurons at its density, 1 s of game per
// iteration after a 1 s warm-up, and reports the realtime factor of the
// whole loop: engine, recording, stimulation, decoding and game.
func benchSession(b *testing.B, n, workers string) {
	cfg, err := configs.Load("dishbrain.yaml", []string{"culture.n_neurons=" + n, "simulation.workers=" + workers})
	if err != nil {
		b.Fatal(err)
	}
	spec, err := cfg.CultureSpec()
	if err != nil {
		b.Fatal(err)
	}
	c, err := culture.Build(spec, 0)
	if err != nil {
		b.Fatal(err)
	}
	e, err := sim.New(c, cfg.SimConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	mcfg, err := cfg.MEAConfig()
	if err != nil {
		b.Fatal(err)
	}
	rig, err := mea.New(e, *mcfg, 1, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer rig.Close()
	gc, err := cfg.PongConfig()
	if err != nil {
		b.Fatal(err)
	}
	loop, err := games.NewLoop(e, rig, *gc, 1)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	obs := rig.Observers()
	ticks := int64(1 / gc.Game.TickS) // 1 s
	if err := loop.Run(ctx, ticks, obs...); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		if err := loop.Run(ctx, ticks, obs...); err != nil {
			b.Fatal(err)
		}
	}
	wall := time.Since(start).Seconds()
	b.ReportMetric(float64(b.N)/wall, "realtime")
	b.ReportMetric(float64(ticks)*float64(b.N)/wall, "ticks/s")
}

func BenchmarkSession10k(b *testing.B) { benchSession(b, "10000", "0") }

// BenchmarkSession4kOneWorker is a session of the learning experiment
// (dishbrain.yaml as is, one worker per session).
func BenchmarkSession4kOneWorker(b *testing.B) { benchSession(b, "4000", "1") }
