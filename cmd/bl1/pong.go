package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/games"
	"github.com/bl1-go/bl1/internal/atomicfile"
	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/monitor"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/plot"
	"github.com/bl1-go/bl1/sim"
)

// pongFiles are the files of a pong session folder.
var pongFiles = []string{"config.yaml", "pong.npz", "pong.json", "pong_rallies.png", "pong_raster.png",
	"spikes.npz", "mea_layout.npz", "mea_spikes.npz", "mea_counts.npz", "mea_stims.npz", "lfp.npy"}

func cmdPong(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bl1 pong", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output folder (default runs/pong-YYYYMMDD-HHMMSS)")
	seed := fs.String("seed", "", "random seed: culture, drive and game (overrides simulation.seed)")
	workers := fs.String("workers", "", "worker goroutines, 0 = automatic (overrides simulation.workers)")
	duration := fs.String("duration", "", "simulated seconds (overrides simulation.duration_s)")
	mode := fs.String("mode", "", "feedback mode: fep, open_loop or silent (overrides pong.mode)")
	evalTicks := fs.Int("eval-ticks", 1500, "with -train: ticks played per held-out seed to measure the hit rate")
	mon := fs.String("monitor", "", "serve a live dashboard at [HOST]:PORT during a session (with the game's statistics), e.g. -monitor :8080")
	quiet := fs.Bool("quiet", false, "no progress output")
	experiment := fs.Bool("experiment", false, "run the learning experiment: every mode of pong.experiment.modes with seeds 1..pong.experiment.seeds")
	seeds := fs.String("seeds", "", "experiment: number of seeds (overrides pong.experiment.seeds)")
	parallel := fs.Int("parallel", 0, "experiment: sessions at once, each on one worker (0: the number of CPUs)")
	train := fs.Int("train", 0, "train a policy by BPTT through the culture for this many iterations instead of playing (policy.json)")
	trainTicks := fs.Int("train-ticks", 300, "with -train: game ticks per iteration")
	lr := fs.Float64("lr", 0.02, "with -train: Adam's learning rate")
	readAll := fs.Bool("read-all", false, "with -train: the decoder reads every recorded channel (default: the motor regions)")
	var sets setList
	fs.Var(&sets, "set", "override a config key, e.g. -set pong.ball_speed=0.4 (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bl1 pong [CONFIG] [flags]\n\n"+
			"Plays closed-loop Pong with a culture through a virtual CL1 (after Kagan et al. 2022, DishBrain).\n"+
			"CONFIG is a YAML file with a pong section or an embedded config (default dishbrain.yaml).\n"+
			"With -experiment, plays every mode with every seed and tests for learning.\n"+
			"With -train N, trains a policy (encoder -> culture -> decoder) by BPTT instead.\n\nflags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return badInput("pong takes at most one config, got %d: %v", len(pos), pos)
	}
	name := "dishbrain.yaml"
	if len(pos) == 1 {
		name = pos[0]
	}
	if err := overrideFlags(&sets, flagSet{"-seed", *seed, "simulation.seed"}, flagSet{"-workers", *workers, "simulation.workers"},
		flagSet{"-duration", *duration, "simulation.duration_s"}, flagSet{"-seeds", *seeds, "pong.experiment.seeds"}); err != nil {
		return err
	}
	if *mode != "" {
		sets = append(sets, "pong.mode="+*mode)
	}
	cfg, err := configs.Load(name, sets)
	if err != nil {
		return err
	}
	if cfg.Pong == nil {
		return badInput("%s has no pong section (start from: bl1 config dishbrain.yaml)", name)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", "pong-"+time.Now().Format("20060102-150405"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var progress io.Writer = stderr
	if *quiet {
		progress = io.Discard
	}
	if *train > 0 {
		if *experiment {
			return badInput("-train and -experiment are separate jobs; give one")
		}
		if *trainTicks < 1 || *evalTicks < 1 || !(*lr > 0) {
			return badInput("-train-ticks = %d, -eval-ticks = %d and -lr = %g, must be >= 1, >= 1 and > 0", *trainTicks, *evalTicks, *lr)
		}
		if err := prepareOutput(dir, []string{"policy.json", "policy_loss.png"}); err != nil {
			return err
		}
		return trainPolicy(ctx, cfg, name, dir, policyJob{Iters: *train, Ticks: *trainTicks, EvalTicks: *evalTicks, LR: *lr, ReadAll: *readAll}, stdout, progress)
	}
	if *train < 0 {
		return badInput("-train = %d, must be >= 0", *train)
	}
	if *experiment {
		if *parallel < 0 {
			return badInput("-parallel = %d, must be >= 0", *parallel)
		}
		if err := prepareOutput(dir, []string{"experiment.json", "experiment.png", "experiment.md"}); err != nil {
			return err
		}
		return pongExperiment(ctx, name, sets, cfg, dir, *parallel, stdout, progress)
	}
	if err := prepareOutput(dir, pongFiles); err != nil {
		return err
	}
	res, err := playPong(ctx, cfg, pongOptions{Name: name, Dir: dir, Progress: progress, Full: true, Monitor: *mon})
	if res != nil {
		printPong(stdout, dir, res)
	}
	return err
}

// pongOptions are playPong's settings beyond the config.
type pongOptions struct {
	Name     string
	Dir      string
	Progress io.Writer
	Full     bool   // write spikes, MEA files and plots (not in experiments)
	Monitor  string // serve a live dashboard at this address ("": none)
}

// pongWindow is the play in a span of time.
type pongWindow struct {
	StartS    float64    `json:"start_s"`
	EndS      float64    `json:"end_s"`
	Rallies   int        `json:"rallies"` // completed, started in the window
	Hits      int        `json:"hits"`
	MeanRally output.Num `json:"mean_rally"` // hits per rally; null without rallies
}

// pongResult is pong.json.
type pongResult struct {
	Mode           string     `json:"mode"`
	Seed           uint64     `json:"seed"`
	Config         string     `json:"config"`
	NNeurons       int        `json:"n_neurons"`
	NSynapses      int        `json:"n_synapses"`
	SimS           float64    `json:"sim_s"`
	TickMs         float64    `json:"tick_ms"`
	Rallies        int        `json:"rallies"`
	Hits           int        `json:"hits"`
	Misses         int        `json:"misses"`
	HitRate        float64    `json:"hit_rate"`   // hits / (hits + misses)
	MeanRally      output.Num `json:"mean_rally"` // hits per completed rally; null without
	AcesPct        float64    `json:"aces_pct"`   // rallies without a hit
	LongPct        float64    `json:"long_rallies_pct"`
	First          pongWindow `json:"first_window"`
	Last           pongWindow `json:"last_window"`
	SensoryPulses  int        `json:"sensory_pulses"`
	HitPulses      int        `json:"predictable_pulses"`
	MissPulses     int        `json:"unpredictable_pulses"`
	UpEventsHz     float64    `json:"up_events_hz"` // motor channel events per second, summed over the region
	DownEventsHz   float64    `json:"down_events_hz"`
	MeanRateHz     float64    `json:"mean_rate_hz"`
	WeightExcStart float64    `json:"mean_weight_exc_start"`
	WeightExcEnd   float64    `json:"mean_weight_exc_end"`
	WallS          float64    `json:"wall_s"`
	BuildS         float64    `json:"build_s"`
	RealtimeFactor float64    `json:"realtime_factor"`
	Version        string     `json:"version"`
	Partial        bool       `json:"partial"`
	Error          string     `json:"error,omitempty"`
	rallies        []games.Rally
}

// longRally is the hits from which a rally counts as long (DishBrain's
// "long rallies", ≥ 3 consecutive hits; spec/cl1-protocol.md §5.2 [M]).
const longRally = 3

// spikeCount counts spikes: the mean rate without recording them.
type spikeCount struct{ n int64 }

func (s *spikeCount) Spikes(_ int64, ids []int32) { s.n += int64(len(ids)) }

// tickLog keeps every tick's game and decoder state for pong.npz.
type tickLog struct {
	t, ballX, ballY, paddle []float32
	up, down, action        []int32
}

func (l *tickLog) add(s games.TickStats) {
	l.t = append(l.t, float32(s.TimeMs))
	l.ballX, l.ballY, l.paddle = append(l.ballX, float32(s.BallX)), append(l.ballY, float32(s.BallY)), append(l.paddle, float32(s.PaddleY))
	l.up, l.down, l.action = append(l.up, int32(s.Up)), append(l.down, int32(s.Down)), append(l.action, int32(s.Action))
}

// playPong plays one session of cfg's pong section and writes its folder.
func playPong(ctx context.Context, cfg *configs.Config, opt pongOptions) (*pongResult, error) {
	dir, progress := opt.Dir, opt.Progress
	resolved, err := cfg.YAML()
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "config.yaml"), resolved); err != nil {
		return nil, err
	}
	gc, err := cfg.PongConfig()
	if err != nil {
		return nil, err
	}
	c, build, err := buildCulture(cfg, progress)
	if err != nil {
		return nil, err
	}
	e, err := sim.New(c, cfg.SimConfig())
	if err != nil {
		return nil, err
	}
	defer e.Close()
	mcfg, err := cfg.MEAConfig()
	if err != nil {
		return nil, err
	}
	seed := cfg.Simulation.Seed
	rig, err := mea.New(e, *mcfg, seed, dir)
	if err != nil {
		return nil, err
	}
	defer rig.Close()
	loop, err := games.NewLoop(e, rig, *gc, seed)
	if err != nil {
		return nil, err
	}
	obs := rig.Observers()
	if opt.Monitor != "" {
		mon, err := monitor.Attach(opt.Monitor, e, rig, monitor.Options{Title: "pong: " + opt.Name})
		if err != nil {
			return nil, badInput("-monitor: %v", err)
		}
		defer mon.Close()
		mon.SetStats("pong", func() any { return loop.Stats() })
		obs = append(obs, mon)
		fmt.Fprintf(progress, "monitor: %s\n", mon.URL())
	}
	count := &spikeCount{}
	obs = append(obs, count)
	var spikes *sim.SpikeRecorder
	if opt.Full && cfg.Outputs.Spikes {
		if spikes, err = sim.NewSpikeRecorder(dir, c.N(), e.Config().Dt); err != nil {
			return nil, err
		}
		defer spikes.Close()
		obs = append(obs, spikes)
	}
	var ticks tickLog
	if opt.Full {
		loop.OnTick = ticks.add
	}
	nTicks := int64(math.Round(cfg.Simulation.DurationS / gc.Game.TickS))
	pr := newProgress(progress, nTicks*loop.TickSteps(), e.Config().Dt)
	obs = append(obs, pr)
	fmt.Fprintf(progress, "playing Pong (%s) for %g s: %d ticks of %g ms\n", gc.Mode, cfg.Simulation.DurationS, nTicks, gc.Game.TickS*1000)
	w0 := e.Stats().MeanWeightExc
	t1 := time.Now()
	runErr := loop.Run(ctx, nTicks, obs...)
	wall := time.Since(t1).Seconds()
	pr.finish()

	simS := e.TimeMs() / 1000
	res := summarizePong(loop.Rallies, simS, cfg.Pong.Experiment.WindowS)
	res.Mode, res.Seed, res.Config = gc.Mode.String(), seed, opt.Name
	res.NNeurons, res.NSynapses, res.TickMs = c.N(), c.NSynapses(), gc.Game.TickS*1000
	st := loop.Game().State()
	res.Hits, res.Misses = st.Hits, st.Misses
	if st.Hits+st.Misses > 0 {
		res.HitRate = float64(st.Hits) / float64(st.Hits+st.Misses)
	}
	res.SensoryPulses, res.HitPulses, res.MissPulses = loop.Pulses[0], loop.Pulses[1], loop.Pulses[2]
	if simS > 0 {
		var up, down int64
		for _, k := range gc.Up {
			i, _ := slices.BinarySearch(rig.Detect.Electrodes, int32(k))
			up += rig.Rec.Total[i]
		}
		for _, k := range gc.Down {
			i, _ := slices.BinarySearch(rig.Detect.Electrodes, int32(k))
			down += rig.Rec.Total[i]
		}
		res.UpEventsHz, res.DownEventsHz = float64(up)/simS, float64(down)/simS
		res.MeanRateHz = float64(count.n) / float64(c.N()) / simS
	}
	res.WeightExcStart, res.WeightExcEnd = w0, e.Stats().MeanWeightExc
	res.WallS, res.BuildS = wall, build
	if wall > 0 {
		res.RealtimeFactor = simS / wall
	}
	res.Version = output.VersionString()
	if runErr != nil {
		res.Partial, res.Error = true, runErr.Error()
		if errors.Is(runErr, context.Canceled) {
			res.Error = "interrupted"
		}
	}

	var writeErr error
	keep := func(err error) {
		if err != nil && writeErr == nil {
			writeErr = err
		}
	}
	keep(writePongNPZ(filepath.Join(dir, "pong.npz"), loop, &ticks))
	if opt.Full {
		if spikes != nil {
			keep(spikes.WriteNPZ(filepath.Join(dir, "spikes.npz")))
		}
		_, _, err := rig.Write(dir, e.Step())
		keep(err)
		if cfg.Outputs.Plots {
			keep(pongPlots(dir, res, loop, rig, *gc, cfg.Pong.Experiment.WindowS, e.Config().Dt))
		}
	}
	keep(output.WriteJSON(filepath.Join(dir, "pong.json"), res))
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			return res, fmt.Errorf("interrupted at t = %.3f s; partial results in %s", simS, dir)
		}
		return res, runErr
	}
	return res, writeErr
}

// summarizePong computes the rally statistics of a session of simS
// seconds, with windows of windowS at its start and end.
func summarizePong(rallies []games.Rally, simS, windowS float64) *pongResult {
	res := &pongResult{SimS: simS, Rallies: len(rallies), rallies: rallies}
	var hits, aces, long int
	for _, r := range rallies {
		hits += r.Hits
		if r.Hits == 0 {
			aces++
		}
		if r.Hits >= longRally {
			long++
		}
	}
	res.MeanRally = output.Num(math.NaN())
	if n := len(rallies); n > 0 {
		res.MeanRally = output.Num(float64(hits) / float64(n))
		res.AcesPct = 100 * float64(aces) / float64(n)
		res.LongPct = 100 * float64(long) / float64(n)
	}
	w := min(windowS, simS)
	res.First = rallyWindow(rallies, 0, w)
	res.Last = rallyWindow(rallies, simS-w, simS)
	return res
}

// rallyWindow summarises the completed rallies that started in [t0, t1).
func rallyWindow(rallies []games.Rally, t0, t1 float64) pongWindow {
	w := pongWindow{StartS: t0, EndS: t1, MeanRally: output.Num(math.NaN())}
	for _, r := range rallies {
		if r.StartS >= t0 && r.StartS < t1 {
			w.Rallies++
			w.Hits += r.Hits
		}
	}
	if w.Rallies > 0 {
		w.MeanRally = output.Num(float64(w.Hits) / float64(w.Rallies))
	}
	return w
}

// writePongNPZ writes pong.npz: the rallies (start_s, duration_s, hits),
// the hits and misses (event_t_ms, event: 1 hit, 2 miss) and, when
// logged, every tick (tick_t_ms, ball_x, ball_y, paddle_y, up, down,
// action: 1 up, -1 down, 0 stay).
func writePongNPZ(path string, loop *games.Loop, ticks *tickLog) error {
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	r := loop.Rallies
	start, dur, hits := make([]float64, len(r)), make([]float64, len(r)), make([]int32, len(r))
	for i, x := range r {
		start[i], dur[i], hits[i] = x.StartS, x.DurationS, int32(x.Hits)
	}
	et, ev := make([]float64, len(loop.Events)), make([]int32, len(loop.Events))
	for i, x := range loop.Events {
		et[i], ev[i] = x.TimeMs, int32(x.Event)
	}
	for _, f := range []func() error{
		func() error { return z.Float64("start_s", start) },
		func() error { return z.Float64("duration_s", dur) },
		func() error { return z.Int32("hits", hits) },
		func() error { return z.Float64("event_t_ms", et) },
		func() error { return z.Int32("event", ev) },
		func() error { return z.Float32("tick_t_ms", ticks.t) },
		func() error { return z.Float32("ball_x", ticks.ballX) },
		func() error { return z.Float32("ball_y", ticks.ballY) },
		func() error { return z.Float32("paddle_y", ticks.paddle) },
		func() error { return z.Int32("up", ticks.up) },
		func() error { return z.Int32("down", ticks.down) },
		func() error { return z.Int32("action", ticks.action) },
	} {
		if err := f(); err != nil {
			z.Abort()
			return err
		}
	}
	return z.Close()
}

// rallyBins returns the mean hits per rally of the rallies starting in
// each bin of binS over [0, simS) (NaN for bins without a rally).
func rallyBins(rallies []games.Rally, simS, binS float64) (t, mean []float64) {
	n := max(1, int(math.Ceil(simS/binS-1e-9)))
	sum, cnt := make([]float64, n), make([]float64, n)
	for _, r := range rallies {
		if k := int(r.StartS / binS); k >= 0 && k < n {
			sum[k] += float64(r.Hits)
			cnt[k]++
		}
	}
	t, mean = make([]float64, n), make([]float64, n)
	for k := range n {
		t[k] = (float64(k) + 0.5) * binS
		mean[k] = math.NaN()
		if cnt[k] > 0 {
			mean[k] = sum[k] / cnt[k]
		}
	}
	return t, mean
}

// rallyBinS is the bin of the rally-length curves; rasterS the span of
// pong_raster.png, at the end of the session (a few rallies).
const (
	rallyBinS = 60
	rasterS   = 20
)

// pongPlots draws pong_rallies.png (rally length over time) and
// pong_raster.png (the sensory and motor channels' events over the last
// rasterS seconds, with stimulation pulses, hits and misses).
func pongPlots(dir string, res *pongResult, loop *games.Loop, rig *mea.Rig, gc games.Config, windowS, dt float64) error {
	t, mean := rallyBins(loop.Rallies, res.SimS, min(rallyBinS, max(res.SimS, dt/1000)))
	s := plot.RallySeries{Name: res.Mode, T: t, Mean: mean}
	for _, r := range loop.Rallies {
		s.RallyT = append(s.RallyT, r.StartS)
		s.RallyHits = append(s.RallyHits, float64(r.Hits))
	}
	var windows [][2]float64
	if res.SimS > 0 {
		windows = [][2]float64{{res.First.StartS, res.First.EndS}, {res.Last.StartS, res.Last.EndS}}
	}
	title := fmt.Sprintf("Pong (%s): %d rallies, %.2f hits per rally, %d neurons", res.Mode, res.Rallies, res.MeanRally, res.NNeurons)
	if err := plot.Rallies(filepath.Join(dir, "pong_rallies.png"), title, []plot.RallySeries{s}, windows); err != nil {
		return err
	}
	tm, ch, err := readMEAEvents(dir)
	if err != nil {
		return err
	}
	// Rows: down channels at the bottom, then up, then sensory.
	var chans []int
	var labels []string
	for _, g := range []struct {
		prefix string
		chans  []int
	}{{"D", gc.Down}, {"U", gc.Up}, {"S", gc.Sensory}} {
		for _, k := range g.chans {
			chans = append(chans, k)
			labels = append(labels, fmt.Sprintf("%s%d", g.prefix, k))
		}
	}
	rowOf := map[int32]int32{}
	for i, k := range chans {
		rowOf[int32(k)] = int32(i)
	}
	endMs := res.SimS * 1000
	startMs := math.Max(0, endMs-rasterS*1000)
	var et []float64
	var row []int32
	for i, k := range ch {
		if r, ok := rowOf[k]; ok && tm[i] >= startMs {
			et = append(et, tm[i])
			row = append(row, r)
		}
	}
	var stim, hits, misses []float64
	for _, p := range rig.Delivered(int64(math.Round(endMs / dt))) {
		if t := float64(p.Step) * dt; t >= startMs {
			stim = append(stim, t)
		}
	}
	for _, x := range loop.Events {
		if x.Event == games.Hit {
			hits = append(hits, x.TimeMs)
		} else {
			misses = append(misses, x.TimeMs)
		}
	}
	if endMs <= startMs {
		return nil
	}
	title = fmt.Sprintf("Pong (%s): motor and sensory channels, hits (green) and misses (orange)", res.Mode)
	return plot.GameRaster(filepath.Join(dir, "pong_raster.png"), title, et, row, len(chans), labels, startMs, endMs, stim, hits, misses)
}

func printPong(w io.Writer, dir string, r *pongResult) {
	state := "done"
	if r.Partial {
		state = "PARTIAL"
	}
	fmt.Fprintf(w, "%s: Pong (%s), %d neurons, %.4g s in %.3g s (%.1fx realtime)\n", state, r.Mode, r.NNeurons, r.SimS, r.WallS, r.RealtimeFactor)
	fmt.Fprintf(w, "%d rallies, %d hits, %d misses: %.3f hits per rally, hit rate %.3f, aces %.0f %%, long rallies %.0f %%\n",
		r.Rallies, r.Hits, r.Misses, r.MeanRally, r.HitRate, r.AcesPct, r.LongPct)
	fmt.Fprintf(w, "first %g s: %.3f hits per rally (%d rallies); last %g s: %.3f (%d) -> %s\n",
		r.First.EndS-r.First.StartS, r.First.MeanRally, r.First.Rallies, r.Last.EndS-r.Last.StartS, r.Last.MeanRally, r.Last.Rallies, dir)
}
