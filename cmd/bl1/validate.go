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
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/bl1-go/bl1/analysis"
	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/plot"
)

// Validation is validation.json.
type Validation struct {
	Run    string                `json:"run"`
	Config string                `json:"config"`
	SimS   float64               `json:"sim_s"`
	Stats  map[string]output.Num `json:"stats"` // NaN (undefined) as null
	Checks []CheckJSON           `json:"checks"`
	Pass   bool                  `json:"pass"` // every check passes
}

// CheckJSON is one graded statistic.
type CheckJSON struct {
	Key    string     `json:"key"`
	Value  output.Num `json:"value"`
	Lo     float64    `json:"lo"`
	Hi     float64    `json:"hi"`
	Pass   bool       `json:"pass"`
	Of     string     `json:"of"`
	Source string     `json:"source"`
}

func cmdValidate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bl1 validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output folder of the run (default runs/validate-YYYYMMDD-HHMMSS); with a run folder, where to write (default: that folder)")
	seed := fs.String("seed", "", "random seed (overrides simulation.seed)")
	duration := fs.String("duration", "", "simulated seconds (overrides simulation.duration_s)")
	quiet := fs.Bool("quiet", false, "no progress output")
	var sets setList
	fs.Var(&sets, "set", "override a config key (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bl1 validate [CONFIG | RUN-FOLDER] [flags]\n\n"+
			"Runs CONFIG (default wagenaar.yaml) or reads a finished run folder, and grades its\n"+
			"spontaneous activity against published ranges (Wagenaar et al. 2006): prints the table,\n"+
			"writes validation.json and plots. Exit status 0 when every statistic is in range, 1 if not.\n\nflags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return badInput("validate takes at most one config or run folder, got %d", len(pos))
	}
	target := "wagenaar.yaml"
	if len(pos) == 1 {
		target = pos[0]
	}
	var progress io.Writer = stderr
	if *quiet {
		progress = io.Discard
	}
	dir := target
	if st, err := os.Stat(filepath.Join(target, "summary.json")); err == nil && !st.IsDir() {
		if len(sets) > 0 || *seed != "" || *duration != "" {
			return badInput("%s is a run folder: -set, -seed and -duration apply only when validate runs a config", target)
		}
	} else {
		if err := overrideFlags(&sets, flagSet{"-seed", *seed, "simulation.seed"}, flagSet{"-duration", *duration, "simulation.duration_s"}); err != nil {
			return err
		}
		cfg, err := configs.Load(target, sets)
		if err != nil {
			return err
		}
		dir = *out
		if dir == "" {
			dir = filepath.Join("runs", "validate-"+time.Now().Format("20060102-150405"))
		}
		if err := prepareDir(dir); err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		sum, err := Simulate(ctx, cfg, Options{Name: target, Dir: dir, Progress: progress})
		if sum != nil {
			printSummary(stdout, dir, sum)
		}
		if err != nil {
			return err
		}
		*out = ""
	}
	dst := dir
	if *out != "" {
		dst = *out
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return badInput("output folder %s: %v", dst, err)
		}
	}
	v, rep, err := validateRun(dir, 100)
	if err != nil {
		return err
	}
	printValidation(stdout, v)
	if err := output.WriteJSON(filepath.Join(dst, "validation.json"), v); err != nil {
		return err
	}
	if err := validationPlots(dst, rep); err != nil {
		return err
	}
	if !v.Pass {
		return errValidationFailed
	}
	return nil
}

// errValidationFailed makes the exit status 1 without another message.
var errValidationFailed = errors.New("some statistics are out of range")

// flagSet is a numeric flag that overrides a config key.
type flagSet struct{ flag, val, key string }

// overrideFlags turns the numeric flags that were given into -set
// overrides.
func overrideFlags(sets *setList, flags ...flagSet) error {
	for _, f := range flags {
		if f.val == "" {
			continue
		}
		if _, err := strconv.ParseFloat(f.val, 64); err != nil {
			return badInput("%s %q: not a number", f.flag, f.val)
		}
		*sets = append(*sets, f.key+"="+f.val)
	}
	return nil
}

// validateRun computes and grades the statistics of a run folder, with
// bootstraps for the avalanche power-law p-values.
func validateRun(dir string, bootstraps int) (*Validation, *analysis.Report, error) {
	rec, sum, err := loadRecording(dir)
	if err != nil {
		return nil, nil, err
	}
	rep, err := analysis.Analyze(rec, analysis.Options{Bootstraps: bootstraps})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	v := &Validation{Run: dir, Config: sum.Config, SimS: sum.SimS, Stats: map[string]output.Num{}, Pass: true}
	for _, s := range rep.Stats {
		v.Stats[s.Key] = output.Num(s.Value)
	}
	for _, c := range analysis.Grade(rep.Stats, analysis.Wagenaar2006Ranges) {
		v.Checks = append(v.Checks, CheckJSON{Key: c.Criterion.Key, Value: output.Num(c.Value), Lo: c.Lo, Hi: c.Hi, Pass: c.Pass, Of: c.Of, Source: c.Source})
		v.Pass = v.Pass && c.Pass
	}
	return v, rep, nil
}

// loadRecording reads a run folder's spikes and, if present, its MEA events.
func loadRecording(dir string) (analysis.Recording, *output.Summary, error) {
	var rec analysis.Recording
	var sum output.Summary
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return rec, nil, badInput("%s: not a run folder (%v)", dir, err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		return rec, nil, fmt.Errorf("%s/summary.json: %w", dir, err)
	}
	t0 := sum.StartS * 1000
	t1 := t0 + sum.SimS*1000
	if !(t1 > t0) {
		return rec, nil, fmt.Errorf("%s: the run simulated no time", dir)
	}
	sp, err := npy.ReadNPZ(filepath.Join(dir, "spikes.npz"))
	if err != nil {
		return rec, nil, fmt.Errorf("%s: %w (validation needs outputs.spikes)", dir, err)
	}
	t, err1 := sp["t_ms"].Float64()
	id, err2 := sp["neuron"].Int32()
	if err := errors.Join(err1, err2); err != nil {
		return rec, nil, fmt.Errorf("%s/spikes.npz: %w", dir, err)
	}
	rec.Neurons = analysis.Events{T: t, ID: id, N: sum.NNeurons, T0: t0, T1: t1}
	rec.DtMs = sum.DtMs
	if sum.MEA == nil {
		return rec, &sum, nil
	}
	ev, err := npy.ReadNPZ(filepath.Join(dir, "mea_spikes.npz"))
	if err != nil {
		return rec, nil, fmt.Errorf("%s: %w", dir, err)
	}
	lay, err := npy.ReadNPZ(filepath.Join(dir, "mea_layout.npz"))
	if err != nil {
		return rec, nil, fmt.Errorf("%s: %w", dir, err)
	}
	ct, err1 := ev["t_ms"].Float64()
	ch, err2 := ev["channel"].Int32()
	recd, err3 := lay["recorded"].Bool()
	if err := errors.Join(err1, err2, err3); err != nil {
		return rec, nil, fmt.Errorf("%s: MEA files: %w", dir, err)
	}
	slot := make([]int32, len(recd)) // electrode → recorded channel index
	n := 0
	for e, r := range recd {
		slot[e] = -1
		if r {
			slot[e] = int32(n)
			n++
		}
	}
	ids := make([]int32, len(ch))
	for k, e := range ch {
		if e < 0 || int(e) >= len(slot) || slot[e] < 0 {
			return rec, nil, fmt.Errorf("%s/mea_spikes.npz: event %d on electrode %d, which does not record", dir, k, e)
		}
		ids[k] = slot[e]
	}
	rec.Channels = &analysis.Events{T: ct, ID: ids, N: n, T0: t0, T1: t1}
	return rec, &sum, nil
}

func printValidation(w io.Writer, v *Validation) {
	fmt.Fprintf(w, "\n%-20s %12s  %-16s %s\n", "statistic", "value", "published range", "")
	graded := map[string]bool{}
	for _, c := range v.Checks {
		graded[c.Key] = true
		verdict := "PASS"
		if !c.Pass {
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "%-20s %12.4g  %-16s %s  (%s)\n", c.Key, c.Value, fmt.Sprintf("[%g, %g]", c.Lo, c.Hi), verdict, c.Of)
	}
	keys := make([]string, 0, len(v.Stats))
	for k := range v.Stats {
		if !graded[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%-20s %12.4g\n", k, float64(v.Stats[k]))
	}
	n := 0
	for _, c := range v.Checks {
		if c.Pass {
			n++
		}
	}
	fmt.Fprintf(w, "\n%d of %d statistics in range: %s\n", n, len(v.Checks), map[bool]string{true: "PASS", false: "FAIL"}[v.Pass])
}

// validationPlots draws bursts.png (population rate with the detected
// bursts), burst_raster.png (the channels' or neurons' events with the
// bursts), burst_stats.png, isi.png and avalanches.png.
func validationPlots(dir string, rep *analysis.Report) error {
	units, of, bursts := rep.Units, rep.Of, rep.Bursts
	spans := make([][2]float64, len(bursts))
	var durs, ibis, recr []float64
	for k, b := range bursts {
		spans[k] = [2]float64{b.StartMs, b.EndMs}
		durs = append(durs, b.DurationMs())
		recr = append(recr, b.Fraction)
		if k > 0 {
			ibis = append(ibis, (b.StartMs-bursts[k-1].StartMs)/1000)
		}
	}
	const binMs = 5
	n := units
	rate, err := analysis.PopulationRate(n, binMs, 0)
	if err != nil {
		return err
	}
	for i := range rate {
		rate[i] /= float64(n.N) // Hz per unit
	}
	title := fmt.Sprintf("%s rate; %d network bursts", of[:len(of)-1], len(bursts))
	if err := plot.BurstRate(filepath.Join(dir, "bursts.png"), title, n.T0, binMs, rate, spans, 0); err != nil {
		return err
	}
	if err := plot.BurstRaster(filepath.Join(dir, "burst_raster.png"), fmt.Sprintf("%d %s with the bursts", units.N, of),
		units.T, units.ID, units.N, nil, units.T0, units.T1, spans); err != nil {
		return err
	}
	if err := plot.BurstStats(filepath.Join(dir, "burst_stats.png"), "network bursts", durs, ibis, recr); err != nil {
		return err
	}
	cv, err := analysis.ISICV(n, 10)
	if err != nil {
		return err
	}
	if err := plot.ISIDistribution(filepath.Join(dir, "isi.png"), "inter-spike intervals of the "+of, isis(n), cv); err != nil {
		return err
	}
	a := rep.Avalanche
	if a == nil || len(a.Sizes) == 0 {
		return nil
	}
	title = fmt.Sprintf("%d avalanches (%s, bin %.3g ms); branching ratio %.3f (MR)", len(a.Sizes), of, a.BinMs, a.MR.M)
	return plot.Avalanches(filepath.Join(dir, "avalanches.png"), title, a.Sizes, a.Durations, a.Size.Alpha, a.Size.XMin, a.Duration.Alpha, a.Duration.XMin)
}

// isis returns every neuron's inter-spike intervals, ms, pooled.
func isis(e analysis.Events) []float64 {
	last := make([]float64, e.N)
	for i := range last {
		last[i] = math.NaN()
	}
	out := make([]float64, 0, len(e.T))
	for k, t := range e.T {
		i := e.ID[k]
		if !math.IsNaN(last[i]) {
			out = append(out, t-last[i])
		}
		last[i] = t
	}
	return out
}
