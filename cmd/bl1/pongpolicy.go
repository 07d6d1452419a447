package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/games"
	"github.com/bl1-go/bl1/optim"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/plot"
	"github.com/bl1-go/bl1/surrogate"
)

// policyResult is policy.json.
type policyResult struct {
	Config        string               `json:"config"`
	NNeurons      int                  `json:"n_neurons"`
	Iterations    int                  `json:"iterations"`
	TicksPerIter  int                  `json:"ticks_per_iteration"`
	Batch         int                  `json:"batch_ticks"`
	LearnRate     float64              `json:"learn_rate"`
	HeldOutSeeds  []uint64             `json:"held_out_seeds"`
	EvalTicks     int                  `json:"eval_ticks_per_seed"`
	HitRateBefore float64              `json:"hit_rate_untrained"`
	HitRateAfter  float64              `json:"hit_rate_trained"`
	EventsBefore  int                  `json:"events_untrained"`
	EventsAfter   int                  `json:"events_trained"`
	Loss          []float64            `json:"loss"`           // mean surrogate loss per tick, per iteration
	TrainHitRate  []float64            `json:"train_hit_rate"` // per iteration
	Params        map[string][]float64 `json:"params"`
	Stim          []int                `json:"stim_channels"`
	Read          []int                `json:"read_channels"`
	WallS         float64              `json:"wall_s"`
	Version       string               `json:"version"`
}

// Constants of the policy's heads and surrogate (games.PolicyConfig).
const (
	policyAmp       = 10   // mV/ms: drives a neuron under an electrode to ~40 Hz
	policyGapScale  = 0.05 // court heights: the command saturates at a quarter paddle
	policyCountNorm = 10
	policyBatch     = 10 // ticks per optimizer step
)

// policyJob is what -train asks for.
type policyJob struct {
	Iters, Ticks, EvalTicks int
	LR                      float64
	ReadAll                 bool // read every recorded channel, not only the motor regions
}

// trainPolicy trains a Pong policy by BPTT through cfg's culture and
// writes policy.json and policy_loss.png.
func trainPolicy(ctx context.Context, cfg *configs.Config, name, dir string, job policyJob, stdout, progress io.Writer) error {
	iters, ticks, lr := job.Iters, job.Ticks, job.LR
	gc, err := cfg.PongConfig()
	if err != nil {
		return err
	}
	if cfg.Synapses.TonicGABAA != 0 {
		return badInput("-train: the gradient paths do not model synapses.tonic_gaba_a; set it to 0")
	}
	spec, err := cfg.CultureSpec()
	if err != nil {
		return err
	}
	c, err := culture.Build(spec, cfg.Simulation.Workers)
	if err != nil {
		return err
	}
	sc := cfg.SimConfig()
	m, p, err := adjoint.FromCulture(c, sc.Dt, sc.Synapses, adjoint.Drive{Mean: sc.DriveMean, Std: sc.DriveStd, Seed: sc.Seed}, sc.Plasticity.STP)
	if err != nil {
		return badInput("-train: %v", err)
	}
	mcfg, err := cfg.MEAConfig()
	if err != nil {
		return err
	}
	l, err := mcfg.NewLayout(spec.Width/2, spec.Height/2)
	if err != nil {
		return err
	}
	read := append(append([]int(nil), gc.Up...), gc.Down...)
	if job.ReadAll {
		route := mcfg.Routing
		route.Seed = cfg.Simulation.Seed
		rec, err := l.Route(route)
		if err != nil {
			return err
		}
		read = read[:0]
		for _, k := range rec {
			read = append(read, int(k))
		}
	}
	pcfg := games.PolicyConfig{Game: gc.Game, Stim: gc.Sensory, Read: read, AmpMVPerMs: policyAmp, GapScale: policyGapScale,
		CountNorm: policyCountNorm, Options: adjoint.Options{Surrogate: surrogate.Func{Kind: surrogate.SuperSpike, Beta: 0.1},
			DetachReset: true, ClipAdjoint: 1, Workers: cfg.Simulation.Workers}}
	pol, err := games.NewPolicy(c, m, p, l, pcfg, cfg.Simulation.Seed)
	if err != nil {
		return err
	}
	res := policyResult{Config: name, NNeurons: c.N(), Iterations: iters, TicksPerIter: ticks, Batch: policyBatch, LearnRate: lr,
		HeldOutSeeds: []uint64{1001, 1002, 1003}, EvalTicks: job.EvalTicks, Stim: gc.Sensory, Read: read, Version: output.VersionString()}
	t0 := time.Now()
	eval := func() (float64, int, error) {
		var h, ms int
		for _, s := range res.HeldOutSeeds {
			if err := ctx.Err(); err != nil {
				return 0, 0, err
			}
			pol.Reset()
			st, err := pol.Play(ctx, s, job.EvalTicks)
			if err != nil {
				return 0, 0, err
			}
			h, ms = h+st.Hits, ms+st.Misses
		}
		if h+ms == 0 {
			return 0, 0, nil
		}
		return float64(h) / float64(h+ms), h + ms, nil
	}
	fmt.Fprintf(progress, "policy: %d neurons, %d stimulation electrodes, %d read channels; evaluating the untrained policy...\n", c.N(), len(gc.Sensory), len(read))
	if res.HitRateBefore, res.EventsBefore, err = eval(); err != nil {
		return err
	}
	fmt.Fprintf(progress, "untrained: hit rate %.3f (%d events)\n", res.HitRateBefore, res.EventsBefore)
	adam := &optim.Adam{}
	for it := range iters {
		if err := ctx.Err(); err != nil {
			return err
		}
		pol.Reset()
		st, err := pol.Train(ctx, uint64(it+1), ticks, policyBatch, adam, lr)
		if err != nil {
			return err
		}
		res.Loss = append(res.Loss, st.Loss)
		res.TrainHitRate = append(res.TrainHitRate, st.HitRate())
		fmt.Fprintf(progress, "iteration %d/%d: loss %.4f, hit rate %.3f (%d events), %.0f s\n", it+1, iters, st.Loss, st.HitRate(), st.Hits+st.Misses, time.Since(t0).Seconds())
	}
	if res.HitRateAfter, res.EventsAfter, err = eval(); err != nil {
		return err
	}
	res.WallS = time.Since(t0).Seconds()
	res.Params = map[string][]float64{}
	for _, x := range pol.Params() {
		res.Params[x.Name] = x.Value
	}
	if err := output.WriteJSON(filepath.Join(dir, "policy.json"), res); err != nil {
		return err
	}
	if iters > 0 {
		rows := make([][]float64, len(res.Loss))
		for k, h := range res.TrainHitRate {
			rows[k] = []float64{h}
		}
		title := fmt.Sprintf("Pong policy by BPTT: held-out hit rate %.2f -> %.2f", res.HitRateBefore, res.HitRateAfter)
		if err := plot.Loss(filepath.Join(dir, "policy_loss.png"), title, res.Loss, []string{"training hit rate"}, rows); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "policy trained in %.0f s: held-out hit rate %.3f (%d events) untrained, %.3f (%d events) trained -> %s\n",
		res.WallS, res.HitRateBefore, res.EventsBefore, res.HitRateAfter, res.EventsAfter, dir)
	return nil
}
