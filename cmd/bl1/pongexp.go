package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/bl1-go/bl1/analysis"
	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/internal/atomicfile"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/plot"
)

// pongSession is one session of an experiment, in experiment.json.
type pongSession struct {
	Mode      string     `json:"mode"`
	Seed      uint64     `json:"seed"`
	Rallies   int        `json:"rallies"`
	MeanRally output.Num `json:"mean_rally"`
	HitRate   float64    `json:"hit_rate"`
	First     output.Num `json:"first_window_mean_rally"`
	Last      output.Num `json:"last_window_mean_rally"`
	Dir       string     `json:"dir"`
	WallS     float64    `json:"wall_s"`
	res       *pongResult
}

// pongTest is a test of one mode or one comparison, in experiment.json.
type pongTest struct {
	What      string     `json:"what"`
	MeanA     output.Num `json:"mean_a"`
	MeanB     output.Num `json:"mean_b"`
	N         [2]int     `json:"n"`
	WelchT    output.Num `json:"welch_t"`
	WelchDF   output.Num `json:"welch_df"`
	WelchP    output.Num `json:"welch_p"`
	MannU     output.Num `json:"mann_whitney_u"`
	MannP     output.Num `json:"mann_whitney_p"`
	Verdict   string     `json:"verdict"`
	Alpha     float64    `json:"alpha"`
	Direction string     `json:"direction"`
}

// pongExperimentResult is experiment.json.
type pongExperimentResult struct {
	Config   string        `json:"config"`
	NNeurons int           `json:"n_neurons"`
	SimS     float64       `json:"sim_s_per_session"`
	WindowS  float64       `json:"window_s"`
	Seeds    []uint64      `json:"seeds"`
	Modes    []string      `json:"modes"`
	Sessions []pongSession `json:"sessions"`
	// Learning: per mode, last window against first window (per-seed
	// means); Between: per pair of modes, the change (last - first) and
	// the last window.
	Learning []pongTest `json:"learning"`
	Between  []pongTest `json:"between_modes"`
	WallS    float64    `json:"wall_s"`
	Version  string     `json:"version"`
}

// pongAlpha is the significance level of the experiment's tests.
const pongAlpha = 0.05

// pongExperiment plays every mode with seeds 1..n, each session on one
// worker, several at once, and tests for learning.
func pongExperiment(ctx context.Context, name string, sets []string, cfg *configs.Config, dir string, parallel int, stdout, progress io.Writer) error {
	x := cfg.Pong.Experiment
	if parallel == 0 {
		parallel = runtime.GOMAXPROCS(0)
	}
	type job struct {
		mode string
		seed uint64
	}
	var jobs []job
	var seeds []uint64
	for s := 1; s <= x.Seeds; s++ {
		seeds = append(seeds, uint64(s))
	}
	for _, s := range seeds {
		for _, m := range x.Modes {
			jobs = append(jobs, job{m, s})
		}
	}
	fmt.Fprintf(progress, "Pong experiment: %d modes x %d seeds = %d sessions of %g s, %d at once\n",
		len(x.Modes), len(seeds), len(jobs), cfg.Simulation.DurationS, parallel)
	sessions := make([]pongSession, len(jobs))
	errs := make([]error, len(jobs))
	start := time.Now()
	var mu sync.Mutex
	done := 0
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(parallel, len(jobs)) {
		wg.Go(func() {
			for i := range next {
				j := jobs[i]
				sub := filepath.Join(dir, j.mode, fmt.Sprintf("seed-%02d", j.seed))
				s := pongSession{Mode: j.mode, Seed: j.seed, Dir: sub}
				c, err := configs.Load(name, append(append([]string(nil), sets...),
					"pong.mode="+j.mode, fmt.Sprintf("simulation.seed=%d", j.seed), "simulation.workers=1"))
				if err == nil {
					err = prepareOutput(sub, pongFiles)
				}
				var res *pongResult
				if err == nil {
					res, err = playPong(ctx, c, pongOptions{Name: name, Dir: sub, Progress: io.Discard})
				}
				if res != nil {
					s.res, s.Rallies, s.MeanRally, s.HitRate = res, res.Rallies, res.MeanRally, res.HitRate
					s.First, s.Last, s.WallS = res.First.MeanRally, res.Last.MeanRally, res.WallS
				}
				sessions[i], errs[i] = s, err
				mu.Lock()
				done++
				el := time.Since(start)
				eta := time.Duration(float64(el) / float64(done) * float64(len(jobs)-done))
				if err != nil {
					fmt.Fprintf(progress, "[%d/%d] %s seed %d: %v\n", done, len(jobs), j.mode, j.seed, err)
				} else {
					fmt.Fprintf(progress, "[%d/%d] %s seed %d: %d rallies, %.3f hits per rally; first %.3f, last %.3f (%.0f s, %.0fx realtime; ETA %s)\n",
						done, len(jobs), j.mode, j.seed, res.Rallies, res.MeanRally, res.First.MeanRally, res.Last.MeanRally,
						res.WallS, res.RealtimeFactor, eta.Round(time.Second))
				}
				mu.Unlock()
			}
		})
	}
feed:
	for i := range jobs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("session %s seed %d: %w", jobs[i].mode, jobs[i].seed, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("experiment interrupted: %w", err)
	}
	res := pongExperimentResult{Config: name, SimS: cfg.Simulation.DurationS, WindowS: x.WindowS, Seeds: seeds, Modes: x.Modes,
		Sessions: sessions, WallS: time.Since(start).Seconds(), Version: output.VersionString()}
	if len(sessions) > 0 && sessions[0].res != nil {
		res.NNeurons = sessions[0].res.NNeurons
	}
	byMode := map[string][]pongSession{}
	for _, s := range sessions {
		byMode[s.Mode] = append(byMode[s.Mode], s)
	}
	vals := func(ss []pongSession, f func(pongSession) float64) []float64 {
		var out []float64
		for _, s := range ss {
			if v := f(s); !math.IsNaN(v) {
				out = append(out, v)
			}
		}
		return out
	}
	first := func(s pongSession) float64 { return float64(s.First) }
	last := func(s pongSession) float64 { return float64(s.Last) }
	change := func(s pongSession) float64 { return float64(s.Last - s.First) }
	for _, m := range x.Modes {
		res.Learning = append(res.Learning, pongCompare(fmt.Sprintf("%s: last %g s vs first %g s", m, x.WindowS, x.WindowS),
			vals(byMode[m], last), vals(byMode[m], first)))
	}
	for i, a := range x.Modes {
		for _, b := range x.Modes[i+1:] {
			res.Between = append(res.Between,
				pongCompare(fmt.Sprintf("change (last - first): %s vs %s", a, b), vals(byMode[a], change), vals(byMode[b], change)),
				pongCompare(fmt.Sprintf("last %g s: %s vs %s", x.WindowS, a, b), vals(byMode[a], last), vals(byMode[b], last)))
		}
	}
	if err := output.WriteJSON(filepath.Join(dir, "experiment.json"), res); err != nil {
		return err
	}
	report := pongReport(&res)
	if err := atomicfile.WriteFile(filepath.Join(dir, "experiment.md"), []byte(report)); err != nil {
		return err
	}
	fmt.Fprint(stdout, report)
	// The curves: per mode, the mean over seeds of each minute's mean
	// rally length, ± SE.
	var series []plot.RallySeries
	for _, m := range x.Modes {
		var bins [][]float64
		var t []float64
		for _, s := range byMode[m] {
			var mean []float64
			t, mean = rallyBins(s.res.rallies, s.res.SimS, rallyBinS)
			bins = append(bins, mean)
		}
		rs := plot.RallySeries{Name: fmt.Sprintf("%s (%d seeds)", m, len(bins)), T: t, Mean: make([]float64, len(t)), SE: make([]float64, len(t))}
		for k := range t {
			var v []float64
			for _, b := range bins {
				if k < len(b) && !math.IsNaN(b[k]) {
					v = append(v, b[k])
				}
			}
			rs.Mean[k], rs.SE[k] = math.NaN(), math.NaN()
			if len(v) > 0 {
				rs.Mean[k] = stat.Mean(v, nil)
			}
			if len(v) > 1 {
				rs.SE[k] = stat.StdDev(v, nil) / math.Sqrt(float64(len(v)))
			}
		}
		series = append(series, rs)
	}
	w := min(x.WindowS, res.SimS)
	title := fmt.Sprintf("Pong learning: %d neurons, %d seeds, mean ± SE over seeds of each minute", res.NNeurons, len(seeds))
	return plot.Rallies(filepath.Join(dir, "experiment.png"), title, series, [][2]float64{{0, w}, {res.SimS - w, res.SimS}})
}

// pongCompare tests a against b with Welch's t-test and the Mann-Whitney
// U test.
func pongCompare(what string, a, b []float64) pongTest {
	t := pongTest{What: what, N: [2]int{len(a), len(b)}, Alpha: pongAlpha,
		MeanA: output.Num(math.NaN()), MeanB: output.Num(math.NaN()), WelchT: output.Num(math.NaN()), WelchDF: output.Num(math.NaN()),
		WelchP: output.Num(math.NaN()), MannU: output.Num(math.NaN()), MannP: output.Num(math.NaN())}
	if len(a) > 0 {
		t.MeanA = output.Num(stat.Mean(a, nil))
	}
	if len(b) > 0 {
		t.MeanB = output.Num(stat.Mean(b, nil))
	}
	w, err := analysis.WelchT(a, b)
	if err != nil {
		t.Verdict = "not tested: " + err.Error()
		return t
	}
	t.WelchT, t.WelchDF, t.WelchP = output.Num(w.T), output.Num(w.DF), output.Num(w.P)
	if u, err := analysis.MannWhitney(a, b); err == nil {
		t.MannU, t.MannP = output.Num(u.U), output.Num(u.P)
	}
	t.Direction = "higher"
	if w.MeanA < w.MeanB {
		t.Direction = "lower"
	}
	t.Verdict = "no significant difference"
	if w.P < pongAlpha {
		t.Verdict = "significantly " + t.Direction
	}
	return t
}

// pongReport is the experiment's result as Markdown.
func pongReport(r *pongExperimentResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Pong learning experiment\n\n%s, %d neurons, %d seeds per mode, %g s per session; windows of %g s.\n\n",
		r.Config, r.NNeurons, len(r.Seeds), r.SimS, r.WindowS)
	b.WriteString("Rally length = hits per rally (completed rallies that started in the window), per session; tests over seeds: Welch's t and Mann-Whitney U, two-sided, alpha 0.05.\n\n")
	b.WriteString("| test | mean A | mean B | n | Welch t | df | p | Mann-Whitney p | verdict |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, t := range append(append([]pongTest(nil), r.Learning...), r.Between...) {
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %d, %d | %.2f | %.1f | %.3g | %.3g | %s |\n", t.What, float64(t.MeanA), float64(t.MeanB),
			t.N[0], t.N[1], float64(t.WelchT), float64(t.WelchDF), float64(t.WelchP), float64(t.MannP), t.Verdict)
	}
	fmt.Fprintf(&b, "\n%d sessions in %.0f s of wall time.\n", len(r.Sessions), r.WallS)
	return b.String()
}
