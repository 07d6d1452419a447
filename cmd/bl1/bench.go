package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/sim"
)

// BenchResult is one row of `bl1 bench` (and of bench.json).
type BenchResult struct {
	N                 int     `json:"n_neurons"`
	NSynapses         int     `json:"n_synapses"`
	SynapsesPerNeuron float64 `json:"synapses_per_neuron"`
	SimS              float64 `json:"sim_s"`
	BuildS            float64 `json:"build_s"`
	WallS             float64 `json:"wall_s"`
	RealtimeFactor    float64 `json:"realtime_factor"`
	MeanRateHz        float64 `json:"mean_rate_hz"`
	NsPerNeuronStep   float64 `json:"ns_per_neuron_step"`
	NsPerEvent        float64 `json:"ns_per_synaptic_event"`
	Events            int64   `json:"synaptic_events"`
	AllocsPerStep     float64 `json:"allocs_per_step"`
	PeakRSSMB         float64 `json:"peak_rss_mb"`
	Workers           int     `json:"workers"`
	ParallelFraction  float64 `json:"parallel_fraction"` // of the steps, workers in parallel rather than serial (contention)
}

func cmdBench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bl1 bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", "1000,10000,100000", "comma-separated culture sizes")
	duration := fs.Float64("duration", 2, "simulated seconds per size")
	cfgName := fs.String("config", "default.yaml", "config whose culture is scaled (density kept constant)")
	out := fs.String("o", "bench.json", "JSON output file")
	workers := fs.Int("workers", 0, "worker goroutines (0 = automatic)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return badInput("bench takes no positional arguments, got %v", fs.Args())
	}
	if !(*duration > 0) {
		return badInput("-duration %g: must be > 0", *duration)
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return badInput("-sizes: %q is not a positive integer", s)
		}
		ns = append(ns, n)
	}
	if _, err := configs.Load(*cfgName, nil); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var rows []BenchResult
	for _, n := range ns {
		fmt.Fprintf(stderr, "bench: %d neurons, %g s simulated...\n", n, *duration)
		// Each size runs in a fresh process so that its peak memory is its own.
		cmd := exec.Command(self, "bench-one", strconv.Itoa(n), strconv.FormatFloat(*duration, 'g', -1, 64), *cfgName, strconv.Itoa(*workers))
		cmd.Stderr = stderr
		b, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("bench at %d neurons: %w", n, err)
		}
		var r BenchResult
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("bench at %d neurons: %w", n, err)
		}
		rows = append(rows, r)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "neurons\tsyn/neuron\trate Hz\trealtime x\tns/neuron-step\tns/event\tallocs/step\tpeak MB\tbuild s\tworkers\tparallel\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%.3f\t%.0f\t%.2f\t%d\t%.0f%%\t\n", r.N, r.SynapsesPerNeuron, r.MeanRateHz,
			r.RealtimeFactor, r.NsPerNeuronStep, r.NsPerEvent, r.AllocsPerStep, r.PeakRSSMB, r.BuildS, r.Workers, 100*r.ParallelFraction)
	}
	tw.Flush()
	return output.WriteJSON(*out, map[string]any{"version": output.VersionString(), "go": runtime.Version(),
		"cpus": runtime.NumCPU(), "config": *cfgName, "results": rows})
}

// eventCounter counts synaptic events (spikes times out-degree).
type eventCounter struct {
	rowPtr []int64
	spikes int64
	events int64
}

func (c *eventCounter) Spikes(_ int64, ids []int32) {
	c.spikes += int64(len(ids))
	for _, j := range ids {
		c.events += c.rowPtr[j+1] - c.rowPtr[j]
	}
}

func cmdBenchOne(args []string, stdout io.Writer) error {
	if len(args) != 4 {
		return badInput("bench-one N DURATION CONFIG WORKERS")
	}
	n, _ := strconv.Atoi(args[0])
	dur, _ := strconv.ParseFloat(args[1], 64)
	workers, _ := strconv.Atoi(args[3])
	cfg, err := configs.Load(args[2], nil)
	if err != nil {
		return err
	}
	cfg.Resize(n)
	spec, err := cfg.CultureSpec()
	if err != nil {
		return err
	}
	t0 := time.Now()
	c, err := culture.Build(spec, 0)
	if err != nil {
		return err
	}
	build := time.Since(t0).Seconds()
	sc := cfg.SimConfig()
	sc.Workers = workers
	e, err := sim.New(c, sc)
	if err != nil {
		return err
	}
	defer e.Close()
	ctx := context.Background()
	// Warm up to steady state: buffers grown, the build's garbage collected
	// (a collection empties the runtime's caches, which then refill).
	warm := int64(200 / sc.Dt)
	cnt := &eventCounter{rowPtr: c.RowPtr}
	if err := e.Run(ctx, warm, cnt); err != nil {
		return err
	}
	runtime.GC()
	if err := e.Run(ctx, warm, cnt); err != nil {
		return err
	}
	*cnt = eventCounter{rowPtr: c.RowPtr}
	steps := int64(dur * 1000 / sc.Dt)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	t1 := time.Now()
	if err := e.Run(ctx, steps, cnt); err != nil {
		return err
	}
	wall := time.Since(t1).Seconds()
	runtime.ReadMemStats(&m1)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	r := BenchResult{
		N: n, NSynapses: c.NSynapses(), SynapsesPerNeuron: float64(c.NSynapses()) / float64(n),
		SimS: dur, BuildS: build, WallS: wall, RealtimeFactor: dur / wall,
		MeanRateHz:      float64(cnt.spikes) / float64(n) / dur,
		NsPerNeuronStep: wall * 1e9 / float64(steps) / float64(n),
		Events:          cnt.events,
		AllocsPerStep:   float64(m1.Mallocs-m0.Mallocs) / float64(steps),
		PeakRSSMB:       float64(ru.Maxrss) / 1024,
		Workers:         e.Workers(),
		// The warm-up's chunks count too; they are a small share.
		ParallelFraction: e.ParallelFraction(),
	}
	if cnt.events > 0 {
		r.NsPerEvent = wall * 1e9 / float64(cnt.events)
	}
	return json.NewEncoder(stdout).Encode(r)
}
