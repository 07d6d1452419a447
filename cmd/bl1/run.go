package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/atomicfile"
	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/plot"
	"github.com/bl1-go/bl1/sim"
)

var errHelp = flag.ErrHelp

// setList collects repeated -set flags.
type setList []string

func (s *setList) String() string     { return fmt.Sprint(*s) }
func (s *setList) Set(v string) error { *s = append(*s, v); return nil }

// parseInterleaved parses flags that may come before or after positional
// arguments (bl1 run my.yaml -o out).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
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
	var sets setList
	fs.Var(&sets, "set", "override a config key, e.g. -set culture.n_neurons=5000 (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bl1 run [CONFIG] [flags]\n\nCONFIG is a YAML file or an embedded config name (default default.yaml).\n\nflags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err}
	}
	if len(pos) > 1 {
		return badInput("run takes at most one config, got %d: %v", len(pos), pos)
	}
	name := "default.yaml"
	if len(pos) == 1 {
		name = pos[0]
	}
	for _, f := range []struct{ flag, val, key string }{
		{"-seed", *seed, "simulation.seed"}, {"-workers", *workers, "simulation.workers"}, {"-duration", *duration, "simulation.duration_s"},
	} {
		if f.val == "" {
			continue
		}
		if _, err := strconv.ParseFloat(f.val, 64); err != nil {
			return badInput("%s %q: not a number", f.flag, f.val)
		}
		sets = append(sets, f.key+"="+f.val)
	}
	cfg, err := configs.Load(name, sets)
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
	sum, err := Simulate(ctx, cfg, name, dir, progress)
	if sum != nil {
		printSummary(stdout, dir, sum)
	}
	return err
}

// outputFiles are the names of the run-folder contract, removed before a
// run so that no stale file can pass for part of the new run.
var outputFiles = []string{"config.yaml", "spikes.npz", "neurons.npz", "rate.npz", "probes.npz",
	"synapses.npz", "summary.json", "raster.png", "rate.png"}

// prepareDir creates the output folder, checks that it is writable and
// removes a previous run's files.
func prepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return badInput("output folder %s: %v", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return badInput("output folder %s is not writable: %v", dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	for _, n := range outputFiles {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return badInput("output folder %s: %v", dir, err)
		}
	}
	return nil
}

// Simulate runs a config and writes the run folder dir. On cancellation or
// a numerical fault it writes what was simulated, marks the summary partial
// and returns the error with the summary.
func Simulate(ctx context.Context, cfg *configs.Config, name, dir string, progress io.Writer) (*output.Summary, error) {
	resolved, err := cfg.YAML()
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "config.yaml"), resolved); err != nil {
		return nil, err
	}
	spec, err := cfg.CultureSpec()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "building a culture of %d neurons...\n", spec.N)
	t0 := time.Now()
	c, err := culture.Build(spec, cfg.Simulation.Workers)
	if err != nil {
		return nil, err
	}
	build := time.Since(t0).Seconds()
	fmt.Fprintf(progress, "built in %.2f s: %d synapses (%.1f per neuron)\n", build, c.NSynapses(), float64(c.NSynapses())/float64(c.N()))
	e, err := sim.New(c, cfg.SimConfig())
	if err != nil {
		return nil, err
	}
	defer e.Close()
	dt := cfg.Simulation.DtMs
	steps := cfg.Steps()

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
	if cfg.Outputs.Plots {
		raster = plot.NewRaster(c.Excitatory, cfg.Outputs.RasterNeurons, 0, steps, dt)
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
	pr := newProgress(progress, steps, dt)
	obs = append(obs, pr)

	t1 := time.Now()
	runErr := e.Run(ctx, steps, obs...)
	wall := time.Since(t1).Seconds()
	pr.finish()

	done := e.Step()
	sum := output.NewSummary()
	sum.NNeurons, sum.NSynapses = c.N(), c.NSynapses()
	sum.SynapsesPerNeuron = float64(c.NSynapses()) / float64(c.N())
	sum.DtMs, sum.Steps = dt, done
	sum.SimS = float64(done) * dt / 1000
	sum.WallS, sum.BuildS = wall, build
	if wall > 0 {
		sum.RealtimeFactor = sum.SimS / wall
	}
	sum.Seed, sum.Workers, sum.Config = cfg.Simulation.Seed, e.Workers(), name
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
		keep(output.WriteSynapses(filepath.Join(dir, "synapses.npz"), c, e.DelaysMs()))
	}
	if raster != nil {
		title := fmt.Sprintf("%d neurons, %.3g Hz", c.N(), sum.MeanRateHz)
		keep(raster.Save(filepath.Join(dir, "raster.png"), title))
		keep(plot.Rate(filepath.Join(dir, "rate.png"), "population rate", 0, float64(rate.CoarseSteps)*dt, rate.CoarseExc, rate.CoarseInh, nE, nI))
	}
	keep(output.WriteJSON(filepath.Join(dir, "summary.json"), sum))
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			return &sum, fmt.Errorf("interrupted at t = %.3f s; partial results in %s", sum.SimS, dir)
		}
		return &sum, runErr
	}
	return &sum, writeErr
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
