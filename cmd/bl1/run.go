package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/atomicfile"
	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/monitor"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/plot"
	"github.com/bl1-go/bl1/sim"
)

var errHelp = flag.ErrHelp

// setList collects repeated -set flags.
type setList []string

func (s *setList) String() string     { return fmt.Sprint(*s) }
func (s *setList) Set(v string) error { *s = append(*s, v); return nil }

// parseInterleaved parses flags that may come before or after positional
// arguments (bl1 run my.yaml -o out); errors are usage errors (exit 2).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usageError{err}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// configArg parses a command's flags and its one optional config (def
// when none is given).
func configArg(fs *flag.FlagSet, args []string, def string) (name string, given bool, err error) {
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return "", false, err
	}
	if len(pos) > 1 {
		return "", false, badInput("%s takes at most one config, got %d: %v", strings.TrimPrefix(fs.Name(), "bl1 "), len(pos), pos)
	}
	if len(pos) == 1 {
		return pos[0], true, nil
	}
	return def, false, nil
}

func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bl1 run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output folder (default runs/run-YYYYMMDD-HHMMSS)")
	seed := fs.String("seed", "", "random seed (overrides simulation.seed)")
	workers := fs.String("workers", "", "worker goroutines, 0 = automatic (overrides simulation.workers)")
	duration := fs.String("duration", "", "simulated seconds (overrides simulation.duration_s)")
	saveConn := fs.Bool("save-connectivity", false, "also write synapses.npz")
	quiet := fs.Bool("quiet", false, "no progress output")
	ckptEvery := fs.String("checkpoint-every", "", "write checkpoint.npz every S simulated seconds and at the end (overrides simulation.checkpoint_every_s)")
	resume := fs.String("resume", "", "continue the run saved in this checkpoint.npz (its config; -set may change all but the culture)")
	mon := fs.String("monitor", "", "serve a live dashboard at [HOST]:PORT while running, e.g. -monitor :8080 (loopback unless HOST says otherwise)")
	var sets setList
	fs.Var(&sets, "set", "override a config key, e.g. -set culture.n_neurons=5000 (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bl1 run [CONFIG] [flags]\n\nCONFIG is a YAML file or an embedded config name (default default.yaml).\n\nflags:")
		fs.PrintDefaults()
	}
	name, given, err := configArg(fs, args, "default.yaml")
	if err != nil {
		return err
	}
	if *resume != "" && given {
		return badInput("-resume takes the config from the checkpoint; do not also give %s", name)
	}
	if err := overrideFlags(&sets, flagSet{"-seed", *seed, "simulation.seed"}, flagSet{"-workers", *workers, "simulation.workers"},
		flagSet{"-duration", *duration, "simulation.duration_s"}, flagSet{"-checkpoint-every", *ckptEvery, "simulation.checkpoint_every_s"}); err != nil {
		return err
	}
	var cfg *configs.Config
	if *resume != "" {
		cfg, name, err = resumeConfig(*resume, sets)
	} else {
		cfg, err = configs.Load(name, sets)
	}
	if err != nil {
		return err
	}
	if *saveConn {
		cfg.Outputs.SaveConnectivity = true
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", "run-"+time.Now().Format("20060102-150405"))
	}
	if err := prepareDir(dir); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var progress io.Writer = stderr
	if *quiet {
		progress = io.Discard
	}
	sum, err := Simulate(ctx, cfg, Options{Name: name, Dir: dir, Progress: progress, Resume: *resume, Monitor: *mon})
	if sum != nil {
		printSummary(stdout, dir, sum)
	}
	return err
}

// outputFiles are the names of the run-folder contract, removed before a
// run so that no stale file can pass for part of the new run.
var outputFiles = []string{"config.yaml", "spikes.npz", "neurons.npz", "rate.npz", "probes.npz",
	"synapses.npz", "summary.json", "raster.png", "rate.png", "weights.png", "checkpoint.npz",
	"mea_layout.npz", "mea_spikes.npz", "mea_counts.npz", "mea_stims.npz", "lfp.npy", "mea_heatmap.png", "mea_raster.png",
	"validation.json", "bursts.png", "burst_raster.png", "burst_stats.png", "isi.png", "avalanches.png"}

// prepareDir creates the output folder of a run, checks that it is
// writable and removes a previous run's files.
func prepareDir(dir string) error {
	files := slices.Clone(outputFiles)
	old, _ := filepath.Glob(filepath.Join(dir, "weights_*.npz"))
	for _, p := range old {
		files = append(files, filepath.Base(p))
	}
	return prepareOutput(dir, files)
}

// prepareOutput creates an output folder, checks that it is writable and
// removes the files (names in dir) that a previous command left, so that
// none can pass for part of the new output.
func prepareOutput(dir string, files []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return badInput("output folder %s: %v", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return badInput("output folder %s is not writable: %v", dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	for _, n := range files {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return badInput("output folder %s: %v", dir, err)
		}
	}
	return nil
}

// checkpointExtra is what a checkpoint carries for the CLI.
type checkpointExtra struct {
	Config string `json:"config"` // resolved YAML
	Name   string `json:"config_name"`
}

// resumeConfig reads the config saved in a checkpoint, applies sets and
// checks that the culture is unchanged.
func resumeConfig(path string, sets []string) (*configs.Config, string, error) {
	raw, err := sim.CheckpointExtra(path)
	if err != nil {
		return nil, "", badInput("-resume: %v", err)
	}
	var x checkpointExtra
	if err := json.Unmarshal(raw, &x); err != nil || x.Config == "" {
		return nil, "", badInput("-resume %s: the checkpoint holds no run config (was it written by bl1 run?)", path)
	}
	orig, err := configs.Parse(path+" (config)", []byte(x.Config), nil)
	if err != nil {
		return nil, "", err
	}
	cfg, err := configs.Parse(path+" (config)", []byte(x.Config), sets)
	if err != nil {
		return nil, "", err
	}
	a, _ := orig.CultureSpec()
	b, _ := cfg.CultureSpec()
	if !reflect.DeepEqual(a, b) || orig.Simulation.Seed != cfg.Simulation.Seed || orig.Simulation.DtMs != cfg.Simulation.DtMs {
		return nil, "", badInput("-resume: -set may not change the culture, the seed or dt of a checkpointed run")
	}
	return cfg, x.Name, nil
}

// Options are Simulate's settings beyond the config.
type Options struct {
	Name     string    // the config's name, for the summary
	Dir      string    // the run folder (prepared)
	Progress io.Writer // progress and messages
	Resume   string    // a checkpoint to continue from, or ""
	Monitor  string    // serve a live dashboard at this address, or ""

	// Drive, when set, advances the engine instead of the fixed-duration
	// loop (bl1 cl1): it passes obs to every Run and returns when its
	// session ends. mon is the live monitor, or nil. There is no raster.png
	// or rate.png then, since the length is not known in advance.
	Drive func(ctx context.Context, e *sim.Engine, rig *mea.Rig, obs []sim.Observer, mon *monitor.Monitor) error
}

// buildCulture builds cfg's culture, saying what it builds (size, density,
// integrator) and how long it took on progress.
func buildCulture(cfg *configs.Config, progress io.Writer) (*culture.Culture, float64, error) {
	spec, err := cfg.CultureSpec()
	if err != nil {
		return nil, 0, err
	}
	fmt.Fprintf(progress, "building a culture of %d neurons on %.3g x %.3g mm (%.0f/mm²; %v integration)...\n",
		spec.N, spec.Width/1000, spec.Height/1000, float64(spec.N)/(spec.Width*spec.Height)*1e6, cfg.SimConfig().Integrator)
	t0 := time.Now()
	c, err := culture.Build(spec, cfg.Simulation.Workers)
	if err != nil {
		return nil, 0, err
	}
	build := time.Since(t0).Seconds()
	fmt.Fprintf(progress, "built in %.2f s: %d synapses (%.1f per neuron)\n", build, c.NSynapses(), float64(c.NSynapses())/float64(c.N()))
	return c, build, nil
}

// Simulate runs a config and writes the run folder. On cancellation or a
// numerical fault it writes what was simulated, marks the summary partial
// and returns the error with the summary.
func Simulate(ctx context.Context, cfg *configs.Config, opt Options) (*output.Summary, error) {
	name, dir, progress := opt.Name, opt.Dir, opt.Progress
	resolved, err := cfg.YAML()
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "config.yaml"), resolved); err != nil {
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
	dt := cfg.Simulation.DtMs
	extra, err := json.Marshal(checkpointExtra{Config: string(resolved), Name: name})
	if err != nil {
		return nil, err
	}
	if opt.Resume != "" {
		if err := e.Restore(opt.Resume); err != nil {
			return nil, badInput("-resume: %v", err)
		}
		fmt.Fprintf(progress, "resumed at t = %.3f s from %s\n", e.TimeMs()/1000, opt.Resume)
	}
	start := e.Step()
	if start >= cfg.Steps() {
		return nil, badInput("the run ends at %g s but the checkpoint is already at %g s: raise -duration", cfg.Simulation.DurationS, e.TimeMs()/1000)
	}
	steps := cfg.Steps() - start

	spikes, err := sim.NewSpikeRecorder(dir, c.N(), dt)
	if err != nil {
		return nil, err
	}
	defer spikes.Close()
	binSteps := max(1, int(cfg.Outputs.RateBinMs/dt+0.5))
	rate, err := sim.NewRateRecorder(dir, c.Excitatory, binSteps, steps)
	if err != nil {
		return nil, err
	}
	defer rate.Close()
	obs := []sim.Observer{spikes, rate}
	var raster *plot.Raster
	if cfg.Outputs.Plots && opt.Drive == nil {
		raster = plot.NewRaster(c.Excitatory, cfg.Outputs.RasterNeurons, start, steps, dt)
		obs = append(obs, raster)
	}
	var probes *sim.ProbeRecorder
	if len(cfg.Outputs.Probes) > 0 {
		ids := make([]int32, len(cfg.Outputs.Probes))
		for i, p := range cfg.Outputs.Probes {
			ids[i] = int32(p)
		}
		if err := e.SetProbes(ids); err != nil {
			return nil, err
		}
		if probes, err = sim.NewProbeRecorder(dir, len(ids)); err != nil {
			return nil, err
		}
		defer probes.Close()
		obs = append(obs, probes)
	}
	mcfg, err := cfg.MEAConfig()
	if err != nil {
		return nil, err
	}
	var rig *mea.Rig
	if mcfg != nil {
		if rig, err = mea.New(e, *mcfg, cfg.Simulation.Seed, dir); err != nil {
			return nil, err
		}
		defer rig.Close()
		obs = append(obs, rig.Observers()...)
		fmt.Fprintf(progress, "MEA %s: %d channels recording (%.1f neurons each), %d stimulation pulses scheduled\n",
			rig.Layout.Name, len(rig.Detect.Electrodes), float64(len(rig.Detect.Neuron))/float64(len(rig.Detect.Electrodes)), len(rig.Stim.Pulses()))
	}
	var mon *monitor.Monitor
	if opt.Monitor != "" {
		if mon, err = monitor.Attach(opt.Monitor, e, rig, monitor.Options{Title: name}); err != nil {
			return nil, badInput("-monitor: %v", err)
		}
		defer mon.Close()
		obs = append(obs, mon)
		fmt.Fprintf(progress, "monitor: %s\n", mon.URL())
	}
	prw := progress
	if opt.Drive != nil {
		prw = io.Discard // a session reports its own progress
	}
	pr := newProgress(prw, steps, dt)

	ev := newEvents(cfg, start)
	var snaps weightHistory
	t1 := time.Now()
	var runErr error
	if opt.Drive != nil {
		runErr = opt.Drive(ctx, e, rig, obs, mon)
	}
	obs = append(obs, pr)
	for opt.Drive == nil && e.Step() < start+steps && runErr == nil {
		if ev.snapshot(e.Step()) {
			if err := snaps.take(e, dir); err != nil {
				return nil, err
			}
		}
		runErr = e.Run(ctx, ev.next(e.Step(), start+steps)-e.Step(), obs...)
		if runErr == nil && ev.checkpoint(e.Step()) && e.Step() < start+steps {
			if err := e.Save(filepath.Join(dir, "checkpoint.npz"), extra); err != nil {
				return nil, err
			}
		}
	}
	wall := time.Since(t1).Seconds()
	pr.finish()
	if ev.snapEvery > 0 && e.Step() > snaps.lastStep {
		if err := snaps.take(e, dir); err != nil {
			return nil, err
		}
	}

	done := e.Step()
	sum := output.NewSummary()
	sum.NNeurons, sum.NSynapses = c.N(), c.NSynapses()
	sum.SynapsesPerNeuron = float64(c.NSynapses()) / float64(c.N())
	sum.DtMs, sum.Steps = dt, done
	sum.StartS, sum.ResumedFrom = float64(start)*dt/1000, opt.Resume
	sum.SimS = float64(done-start) * dt / 1000
	sum.WallS, sum.BuildS = wall, build
	if wall > 0 {
		sum.RealtimeFactor = sum.SimS / wall
	}
	sum.Seed, sum.Workers, sum.Config = cfg.Simulation.Seed, e.Workers(), name
	if rules := cfg.SimConfig().Plasticity; rules.STP != nil || rules.ChangesWeights() {
		st := e.Stats()
		sum.Plasticity = &output.PlasticitySummary{
			Rules: ruleNames(rules), Synapses: st.Synapses, MeanWeightExc: st.MeanWeightExc, MeanWeightInh: st.MeanWeightInh,
			Pruned: st.Pruned, Grown: st.Grown,
		}
	}
	var nE, nI int
	var sE, sI int64
	for i, x := range c.Excitatory {
		if x {
			nE++
			sE += spikes.Counts[i]
		} else {
			nI++
			sI += spikes.Counts[i]
		}
	}
	sum.NExcitatory, sum.NInhibitory = nE, nI
	sum.NSpikes = sE + sI
	if sum.SimS > 0 {
		sum.MeanRateHz = float64(sE+sI) / float64(c.N()) / sum.SimS
		if nE > 0 {
			sum.RateExcHz = float64(sE) / float64(nE) / sum.SimS
		}
		if nI > 0 {
			sum.RateInhHz = float64(sI) / float64(nI) / sum.SimS
		}
	}
	if runErr != nil {
		sum.Partial = true
		sum.Error = runErr.Error()
		if errors.Is(runErr, context.Canceled) {
			sum.Error = "interrupted"
		}
	}

	var writeErr error
	keep := func(err error) {
		if err != nil && writeErr == nil {
			writeErr = err
		}
	}
	if cfg.Outputs.Spikes {
		keep(spikes.WriteNPZ(filepath.Join(dir, "spikes.npz")))
	}
	keep(output.WriteNeurons(filepath.Join(dir, "neurons.npz"), c))
	keep(rate.WriteNPZ(filepath.Join(dir, "rate.npz"), dt))
	if probes != nil {
		keep(writeProbes(filepath.Join(dir, "probes.npz"), probes, cfg.Outputs.Probes, dt))
	}
	if cfg.Outputs.SaveConnectivity {
		rowPtr, post, weight, _ := e.Wiring()
		keep(output.WriteSynapses(filepath.Join(dir, "synapses.npz"), output.Synapses{
			RowPtr: rowPtr, Post: post, Weight: weight, DelayMs: e.DelaysMs(), Excitatory: c.Excitatory}))
	}
	if len(snaps.t) > 1 {
		keep(plot.Weights(filepath.Join(dir, "weights.png"), "excitatory weights (effective)", snaps.t, snaps.pct))
	}
	if cfg.Simulation.CheckpointEveryS > 0 {
		keep(e.Save(filepath.Join(dir, "checkpoint.npz"), extra))
	}
	if rig != nil {
		ms, rates, err := rig.Write(dir, done)
		keep(err)
		sum.MEA = &ms
		if err == nil && cfg.Outputs.Plots {
			keep(meaPlots(dir, rig, rates, start, done, dt))
		}
	}
	if raster != nil {
		title := fmt.Sprintf("%d neurons, %.3g Hz", c.N(), sum.MeanRateHz)
		keep(raster.Save(filepath.Join(dir, "raster.png"), title))
		keep(plot.Rate(filepath.Join(dir, "rate.png"), "population rate", 0, float64(rate.CoarseSteps)*dt, rate.CoarseExc, rate.CoarseInh, nE, nI))
	}
	keep(output.WriteJSON(filepath.Join(dir, "summary.json"), sum))
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			return &sum, fmt.Errorf("interrupted at t = %.3f s; partial results in %s", e.TimeMs()/1000, dir)
		}
		return &sum, runErr
	}
	return &sum, writeErr
}

// meaPlots draws mea_heatmap.png (event rate per electrode) and
// mea_raster.png (events per recorded channel, with the stimulation
// pulses) from the files the rig wrote.
func meaPlots(dir string, rig *mea.Rig, rates []float64, start, end int64, dt float64) error {
	l := rig.Layout
	shown := make([]bool, l.Len())
	value := make([]float64, l.Len())
	for k, r := range rates {
		if !math.IsNaN(r) {
			shown[k], value[k] = true, r
		}
	}
	title := fmt.Sprintf("%s: events per second per electrode", l.Name)
	if err := plot.ElectrodeMap(filepath.Join(dir, "mea_heatmap.png"), title, l.X, l.Y, value, shown, l.Rows, l.Cols, l.Pitch, "rate (Hz)"); err != nil {
		return err
	}
	t, ch, err := readMEAEvents(dir)
	if err != nil {
		return err
	}
	chans := rig.Detect.Electrodes
	row := make([]int32, len(ch))
	for k, e := range ch {
		i, _ := slices.BinarySearch(chans, e)
		row[k] = int32(i)
	}
	labels := make([]string, len(chans))
	for i, e := range chans {
		labels[i] = l.Label(int(e))
	}
	var stim []float64
	for _, p := range rig.Delivered(end) {
		stim = append(stim, float64(p.Step)*dt)
	}
	title = fmt.Sprintf("%s: %d channels, %d events", l.Name, len(chans), len(t))
	return plot.ChannelRaster(filepath.Join(dir, "mea_raster.png"), title, t, row, len(chans), labels, float64(start)*dt, float64(end)*dt, stim)
}

// readMEAEvents reads the event times (ms) and channels of a run
// folder's mea_spikes.npz.
func readMEAEvents(dir string) ([]float64, []int32, error) {
	ev, err := npy.ReadNPZ(filepath.Join(dir, "mea_spikes.npz"))
	if err != nil {
		return nil, nil, err
	}
	t, err := ev["t_ms"].Float64()
	if err != nil {
		return nil, nil, err
	}
	ch, err := ev["channel"].Int32()
	return t, ch, err
}

func writeProbes(path string, p *sim.ProbeRecorder, ids []int, dt float64) error {
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	t := make([]float64, p.Steps)
	for i := range t {
		t[i] = float64(p.First+int64(i)) * dt
	}
	neuron := make([]int32, len(ids))
	for i, id := range ids {
		neuron[i] = int32(id)
	}
	if err := z.Float64("t_ms", t); err != nil {
		z.Abort()
		return err
	}
	if err := z.Int32("neuron", neuron); err != nil {
		z.Abort()
		return err
	}
	if err := z.Array("v_mv", "<f4", []int{int(p.Steps), len(ids)}, func(w io.Writer) error { _, err := p.WriteTo(w); return err }); err != nil {
		z.Abort()
		return err
	}
	return z.Close()
}

func printSummary(w io.Writer, dir string, s *output.Summary) {
	state := "done"
	if s.Partial {
		state = "PARTIAL"
	}
	fmt.Fprintf(w, "%s: %d neurons, %d synapses, %.3g s simulated in %.3g s (%.1fx realtime)\n",
		state, s.NNeurons, s.NSynapses, s.SimS, s.WallS, s.RealtimeFactor)
	fmt.Fprintf(w, "rate %.3g Hz (excitatory %.3g, inhibitory %.3g), %d spikes -> %s\n",
		s.MeanRateHz, s.RateExcHz, s.RateInhHz, s.NSpikes, dir)
}

// progress reports simulated time, realtime factor and ETA: a bar on a
// terminal, a line every 10 % otherwise.
type progress struct {
	w       io.Writer
	bar     *progressbar.ProgressBar
	steps   int64
	dt      float64
	start   time.Time
	done    int64
	nextPct int64
}

func newProgress(w io.Writer, steps int64, dt float64) *progress {
	p := &progress{w: w, steps: steps, dt: dt, start: time.Now(), nextPct: 10}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(steps,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("simulating"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
		)
	}
	return p
}

// Spikes implements sim.Observer.
func (p *progress) Spikes(step int64, _ []int32) {
	p.done++
	if p.done%256 != 0 && p.done != p.steps {
		return
	}
	el := time.Since(p.start).Seconds()
	simS := float64(p.done) * p.dt / 1000
	rt := simS / max(el, 1e-9)
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("t %.1f/%.1f s, %.1fx realtime", simS, float64(p.steps)*p.dt/1000, rt))
		p.bar.Set64(p.done)
		return
	}
	if pct := p.done * 100 / max(p.steps, 1); pct >= p.nextPct {
		eta := time.Duration(float64(p.steps-p.done) * p.dt / 1000 / rt * float64(time.Second))
		fmt.Fprintf(p.w, "t = %.1f/%.1f s (%d%%), %.1fx realtime, ETA %s\n",
			simS, float64(p.steps)*p.dt/1000, pct, rt, eta.Round(time.Second))
		p.nextPct = pct/10*10 + 10
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// events schedules weight snapshots and checkpoints in steps.
type events struct {
	snapEvery, ckptEvery int64
	start                int64
}

func newEvents(cfg *configs.Config, start int64) events {
	every := func(s float64) int64 {
		if s <= 0 {
			return 0
		}
		return max(1, int64(s*1000/cfg.Simulation.DtMs+0.5))
	}
	return events{snapEvery: every(cfg.Outputs.WeightsEveryS), ckptEvery: every(cfg.Simulation.CheckpointEveryS), start: start}
}

// next returns the step to run to: the next snapshot or checkpoint, or end.
func (ev events) next(step, end int64) int64 {
	n := end
	for _, every := range []int64{ev.snapEvery, ev.ckptEvery} {
		if every > 0 {
			n = min(n, (step/every+1)*every)
		}
	}
	return n
}

func (ev events) snapshot(step int64) bool { return ev.snapEvery > 0 && step%ev.snapEvery == 0 }

func (ev events) checkpoint(step int64) bool { return ev.ckptEvery > 0 && step%ev.ckptEvery == 0 }

// weightHistory writes weight snapshots and keeps the percentiles of the
// excitatory effective weights for weights.png.
type weightHistory struct {
	n        int
	lastStep int64
	t        []float64
	pct      [][5]float64
}

func (h *weightHistory) take(e *sim.Engine, dir string) error {
	rowPtr, post, weight, delayMs := e.Wiring()
	c := e.Culture()
	eff := make([]float32, len(weight))
	var exc []float64
	for j := range c.N() {
		for s := rowPtr[j]; s < rowPtr[j+1]; s++ {
			eff[s] = e.EffectiveWeight(s)
			if c.Excitatory[j] {
				exc = append(exc, float64(eff[s]))
			}
		}
	}
	path := filepath.Join(dir, fmt.Sprintf("weights_%04d.npz", h.n))
	err := output.WriteSynapses(path, output.Synapses{RowPtr: rowPtr, Post: post, Weight: weight, DelayMs: delayMs,
		Excitatory: c.Excitatory, Effective: eff, TimeMs: e.TimeMs(), Snapshot: true})
	if err != nil {
		return err
	}
	slices.Sort(exc)
	var p [5]float64
	if len(exc) > 0 {
		for k, q := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
			p[k] = exc[int(q*float64(len(exc)-1))]
		}
	}
	h.t = append(h.t, e.TimeMs()/1000)
	h.pct = append(h.pct, p)
	h.n++
	h.lastStep = e.Step()
	return nil
}

func ruleNames(r plasticity.Rules) []string {
	var out []string
	if r.STP != nil {
		out = append(out, "stp")
	}
	if r.STDP != nil {
		out = append(out, "stdp")
	}
	if r.Scaling != nil {
		out = append(out, "homeostasis")
	}
	if r.Structural != nil {
		out = append(out, "structural")
	}
	return out
}
