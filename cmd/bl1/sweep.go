package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/bl1-go/bl1/analysis"
	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/fit"
	"github.com/bl1-go/bl1/internal/atomicfile"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func cmdSweep(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bl1 sweep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output folder (default sweeps/sweep-YYYYMMDD-HHMMSS)")
	n := fs.Int("n", 20, "random points (with -random)")
	seedList := fs.String("seeds", "1", "comma-separated simulation seeds run at every point")
	parallel := fs.Int("parallel", runtime.GOMAXPROCS(0), "runs at once (each on one worker)")
	duration := fs.String("duration", "", "simulated seconds per run (overrides simulation.duration_s)")
	sampleSeed := fs.Uint64("sample-seed", 1, "seed of the random points")
	quiet := fs.Bool("quiet", false, "no progress output")
	var grid, random multiFlag
	var sets setList
	fs.Var(&grid, "grid", "a grid axis, key=v1,v2,... (repeatable; all combinations)")
	fs.Var(&random, "random", "a random axis, key=lo:hi, key=lo:hi:log or key=lo:hi:int (repeatable; -n points)")
	fs.Var(&sets, "set", "override a config key in every run (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bl1 sweep CONFIG (-grid key=v1,v2,... | -random key=lo:hi[:log|:int])... [flags]\n\n"+
			"Runs CONFIG at every point of a grid or at random points, each with every seed, in parallel,\n"+
			"and grades each run's spontaneous activity like bl1 validate. Writes sweep.csv (one row per\n"+
			"run) and sweep.md (per point: means over seeds and the number of seeds passing).\n\nflags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badInput("sweep takes one config, got %d", len(pos))
	}
	if (len(grid) == 0) == (len(random) == 0) {
		return badInput("give -grid axes or -random axes (not both)")
	}
	var points []fit.Point
	if len(grid) > 0 {
		var axes []fit.Axis
		for _, g := range grid {
			a, err := fit.ParseAxis(g)
			if err != nil {
				return badInput("-grid: %v", err)
			}
			axes = append(axes, a)
		}
		points = fit.Grid(axes)
	} else {
		if *n < 1 {
			return badInput("-n %d: need at least 1 point", *n)
		}
		var rs []fit.Range
		for _, r := range random {
			g, err := fit.ParseRange(r)
			if err != nil {
				return badInput("-random: %v", err)
			}
			rs = append(rs, g)
		}
		points = fit.Random(rs, *n, *sampleSeed)
	}
	var seeds []uint64
	for _, s := range strings.Split(*seedList, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return badInput("-seeds %q: %v", *seedList, err)
		}
		seeds = append(seeds, v)
	}
	if err := overrideFlags(&sets, flagSet{"-duration", *duration, "simulation.duration_s"}); err != nil {
		return err
	}
	// Check every point's config before running any.
	for _, p := range points {
		if _, err := configs.Load(pos[0], append(slices.Clone(sets), p.Sets...)); err != nil {
			return err
		}
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("sweeps", "sweep-"+time.Now().Format("20060102-150405"))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return badInput("output folder %s: %v", dir, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	total := len(points) * len(seeds)
	var done int
	t0 := time.Now()
	eval := func(ctx context.Context, p fit.Point, seed uint64) (map[string]float64, error) {
		s := append(slices.Clone(sets), p.Sets...)
		s = append(s, "simulation.seed="+strconv.FormatUint(seed, 10), "simulation.workers=1", "outputs.plots=false", "outputs.spikes=true")
		cfg, err := configs.Load(pos[0], s)
		if err != nil {
			return nil, err
		}
		tmp, err := os.MkdirTemp(dir, ".run-*")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		if _, err := Simulate(ctx, cfg, Options{Name: pos[0], Dir: tmp, Progress: io.Discard}); err != nil {
			return nil, err
		}
		v, _, err := validateRun(tmp, 0)
		if err != nil {
			return nil, err
		}
		st := map[string]float64{"pass": 0}
		if v.Pass {
			st["pass"] = 1
		}
		for k, x := range v.Stats {
			st[k] = float64(x)
		}
		return st, nil
	}
	runs := fit.Sweep(ctx, points, seeds, *parallel, eval, func(r fit.Run) {
		done++
		if !*quiet {
			status := "ok"
			if r.Err != nil {
				status = r.Err.Error()
			} else if r.Stats["pass"] == 1 {
				status = "PASS"
			}
			fmt.Fprintf(stderr, "[%d/%d %.0fs] %s seed %d: %s\n", done, total, time.Since(t0).Seconds(), strings.Join(r.Point.Sets, " "), r.Seed, status)
		}
	})
	keys := []string{"pass"}
	for _, c := range analysis.Wagenaar2006Ranges {
		keys = append(keys, c.Key)
	}
	keys = append(keys, "active_fraction", "isi_cv_median", "burstiness_index", "synchrony", "ibi_mean_s", "fraction_in_bursts",
		"avalanche_size_alpha", "avalanche_duration_alpha", "branching_mr")
	if err := atomicfile.Write(filepath.Join(dir, "sweep.csv"), func(w io.Writer) error { return fit.WriteCSV(w, runs, keys) }); err != nil {
		return err
	}
	table := sweepTable(points, seeds, runs, keys)
	if err := atomicfile.WriteFile(filepath.Join(dir, "sweep.md"), []byte(table)); err != nil {
		return err
	}
	fmt.Fprint(stdout, table)
	fmt.Fprintf(stdout, "\n%d runs in %.0f s -> %s\n", len(runs), time.Since(t0).Seconds(), dir)
	return ctx.Err()
}

// sweepTable is a Markdown table: one row per point, the mean of each
// statistic over its seeds, and how many seeds pass.
func sweepTable(points []fit.Point, seeds []uint64, runs []fit.Run, keys []string) string {
	var b strings.Builder
	b.WriteString("| point | seeds passing |")
	for _, k := range keys[1:] {
		b.WriteString(" " + k + " |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(keys)-1) + "\n")
	for i, p := range points {
		rs := runs[i*len(seeds) : (i+1)*len(seeds)]
		pass := 0
		for _, r := range rs {
			if r.Err == nil && r.Stats["pass"] == 1 {
				pass++
			}
		}
		fmt.Fprintf(&b, "| %s | %d/%d |", strings.Join(p.Sets, " "), pass, len(rs))
		for _, k := range keys[1:] {
			var sum float64
			var m int
			for _, r := range rs {
				if v, ok := r.Stats[k]; ok && !math.IsNaN(v) {
					sum += v
					m++
				}
			}
			if m == 0 {
				b.WriteString(" – |")
				continue
			}
			fmt.Fprintf(&b, " %.3g |", sum/float64(m))
		}
		b.WriteString("\n")
	}
	return b.String()
}
