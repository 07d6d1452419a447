package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/fit"
	"github.com/bl1-go/bl1/internal/atomicfile"
	"github.com/bl1-go/bl1/optim"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/plot"
	"github.com/bl1-go/bl1/surrogate"
)

// fitFiles are the files bl1 fit writes, removed before a fit so that no
// stale file can pass for part of the new one.
var fitFiles = []string{"config.yaml", "fit.json", "loss.csv", "loss.png"}

// fitReport is fit.json.
type fitReport struct {
	Config     string          `json:"config"`
	Target     string          `json:"target"`
	TargetKind string          `json:"target_kind"` // "recording" or "statistics"
	Params     []string        `json:"params"`
	Start      []float64       `json:"start"`
	Final      []float64       `json:"final"`
	FinalLoss  float64         `json:"final_loss"`
	Iterations []fit.Iteration `json:"iterations"`
	Options    fitOptions      `json:"options"`
	Version    string          `json:"version"`
	WallS      float64         `json:"wall_s"`
	Error      string          `json:"error,omitempty"`
}

type fitOptions struct {
	Iterations  int     `json:"iterations"`
	LearnRate   float64 `json:"learn_rate"`
	WindowMs    float64 `json:"window_ms"`
	DurationMs  float64 `json:"duration_ms"`
	ChannelSize int     `json:"channel_size"`
	Trace       bool    `json:"trace"`
	Surrogate   string  `json:"surrogate"`
	Beta        float64 `json:"beta"`
	ClipAdjoint float64 `json:"clip_adjoint"`
}

func cmdFit(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bl1 fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("target", "", "target: statistics (.yaml) or a recording (spikes.npz: t_ms, neuron)")
	out := fs.String("o", "", "output folder (default fits/fit-YYYYMMDD-HHMMSS)")
	params := fs.String("params", "", "fitted parameters, comma-separated: g_exc, g_inh, stp_u_exc, stp_u_inh, nmda_fraction, gaba_b_fraction (default g_exc,g_inh and stp_u_exc with STP)")
	iters := fs.Int("iters", 60, "iterations of gradient descent")
	lr := fs.Float64("lr", 0.03, "initial learning rate (relative change per iteration; cosine decay to lr/30)")
	windowMs := fs.Float64("window-ms", 200, "length of a simulation window, ms (gradients are truncated at window boundaries)")
	durationMs := fs.Float64("duration-ms", 1000, "simulated time per iteration, ms (the recording must cover it)")
	channelSize := fs.Int("channel-size", 20, "neurons per channel for channel rates (consecutive, spatially sorted neurons)")
	trace := fs.Bool("trace", false, "also match the time course of the recording's population rates (for recordings of the same config and seed)")
	kind := fs.String("surrogate", "superspike", "surrogate derivative: superspike, sigmoid or arctan")
	beta := fs.Float64("beta", 0.1, "surrogate slope, 1/mV (0.1 suits Izhikevich neurons at dt = 0.5 ms)")
	clip := fs.Float64("clip-adjoint", 1, "clip of the adjoints of v and u per step (0: none)")
	quiet := fs.Bool("quiet", false, "no progress output")
	var sets setList
	fs.Var(&sets, "set", "override a config key, e.g. -set culture.g_exc=0.08 (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bl1 fit CONFIG -target TARGET [flags]\n\nFits parameters of CONFIG (a YAML file or an embedded config) by gradient descent\nthrough simulation windows, to target statistics (YAML) or a recording (spikes.npz).\nWrites the fitted config.yaml, fit.json, loss.csv and loss.png.\n\nflags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1:
		return badInput("fit takes one config, got %d: %v", len(pos), pos)
	case *target == "":
		return badInput("fit needs -target (statistics .yaml or recording .npz)")
	case *iters < 1:
		return badInput("-iters %d, must be >= 1", *iters)
	case !(*lr > 0) || math.IsInf(*lr, 0):
		return badInput("-lr %g, must be > 0", *lr)
	case !(*windowMs > 0) || !(*durationMs >= *windowMs) || math.IsInf(*durationMs, 0):
		return badInput("-window-ms %g and -duration-ms %g: need 0 < window <= duration", *windowMs, *durationMs)
	case *channelSize < 1:
		return badInput("-channel-size %d, must be >= 1", *channelSize)
	case !(*clip >= 0):
		return badInput("-clip-adjoint %g, must be >= 0", *clip)
	}
	sk, err := surrogate.ParseKind(*kind)
	if err != nil {
		return badInput("-surrogate: %v", err)
	}
	sf := surrogate.Func{Kind: sk, Beta: *beta}
	if err := sf.Validate(); err != nil {
		return badInput("-beta: %v", err)
	}
	name := pos[0]
	cfg, err := configs.Load(name, sets)
	if err != nil {
		return err
	}
	simCfg := cfg.SimConfig()
	rules := simCfg.Plasticity
	if rules.STDP != nil || rules.Scaling != nil || rules.Structural != nil {
		return badInput("%s: bl1 fit models short-term plasticity only; disable plasticity.stdp, homeostasis and structural", name)
	}
	dt := cfg.Simulation.DtMs
	W := int(math.Round(*windowMs / dt))
	K := int(*durationMs / *windowMs)
	if W < 1 || K < 1 {
		return badInput("-window-ms %g is less than one step of %g ms", *windowMs, dt)
	}

	progress := stderr
	if *quiet {
		progress = io.Discard
	}
	c, _, err := buildCulture(cfg, progress)
	if err != nil {
		return err
	}
	m, p, err := adjoint.FromCulture(c, dt, simCfg.Synapses, adjoint.Drive{Mean: simCfg.DriveMean, Std: simCfg.DriveStd, Seed: simCfg.Seed}, rules.STP)
	if err != nil {
		return badInput("%s: %v", name, err)
	}
	m.Integrator = simCfg.Integrator

	// The target and the loss of each window.
	var loss func(k int) fit.Loss
	targetKind := "statistics"
	switch ext := strings.ToLower(filepath.Ext(*target)); ext {
	case ".yaml", ".yml":
		st, err := fit.ReadStats(*target)
		if err != nil {
			return usageError{err}
		}
		sum, err := fit.StatsLoss(st, m, *channelSize)
		if err != nil {
			return badInput("%s: %v", *target, err)
		}
		loss = func(int) fit.Loss { return sum }
	case ".npz":
		targetKind = "recording"
		rec, err := fit.ReadSpikes(*target, m.N(), dt, float64(K*W)*dt)
		if err != nil {
			return usageError{err}
		}
		if len(rec.IDs) == 0 {
			return badInput("recording %s: no spikes in the first %g ms", *target, float64(K*W)*dt)
		}
		losses := make([]fit.Loss, K)
		for k := range K {
			losses[k] = fit.RecordingLoss(fit.Slice(rec, k*W, W), m, *channelSize, *trace, fit.Weights{})
		}
		loss = func(k int) fit.Loss { return losses[k] }
	default:
		return badInput("-target %s: want statistics (.yaml) or a recording (.npz)", *target)
	}

	knobs, err := fitKnobs(*params, m, p, cfg)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("fits", "fit-"+time.Now().Format("20060102-150405"))
	}
	if err := prepareOutput(dir, fitFiles); err != nil {
		return err
	}
	opt := adjoint.Options{Surrogate: sf, DetachReset: true, ClipAdjoint: *clip}
	f := &fit.Fitter{
		Model: m, Params: p, State: m.Rest(p), Knobs: knobs, Window: W, Windows: K, Loss: loss,
		Options: opt, Optimizer: &optim.Adam{},
		Schedule: optim.Cosine{Initial: *lr, Final: *lr / 30, Steps: *iters},
	}
	fmt.Fprintf(progress, "fitting %s: %d iterations of %d windows of %g ms (%d neurons, %d synapses)\n",
		strings.Join(names(knobs), ", "), *iters, K, float64(W)*dt, m.N(), m.NSynapses())
	t0 := time.Now()
	res, runErr := f.Run(*iters, func(k int, it fit.Iteration) {
		if k%10 == 0 || k == *iters-1 {
			fmt.Fprintf(progress, "iteration %3d: loss %.4g, %s\n", k, it.Loss, show(names(knobs), it.Values))
		}
	})
	if res == nil {
		return runErr
	}
	rep := fitReport{
		Config: name, Target: *target, TargetKind: targetKind, Params: res.Names, Start: res.Start, Final: res.Final,
		Iterations: res.Iterations, Version: output.VersionString(), WallS: time.Since(t0).Seconds(),
		Options: fitOptions{Iterations: *iters, LearnRate: *lr, WindowMs: float64(W) * dt, DurationMs: float64(K*W) * dt,
			ChannelSize: *channelSize, Trace: *trace, Surrogate: sk.String(), Beta: *beta, ClipAdjoint: *clip},
	}
	if n := len(res.Iterations); n > 0 {
		rep.FinalLoss = res.Iterations[n-1].Loss
	}
	if runErr != nil {
		rep.Error = runErr.Error()
	}
	if err := writeFit(dir, cfg, res, &rep); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "fitted %s in %.3g s -> %s\n", show(res.Names, res.Final), rep.WallS, dir)
	return runErr
}

func names(ks []*fit.Knob) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.Name
	}
	return out
}

func show(names []string, v []float64) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.5g", n, v[i])
	}
	return b.String()
}

// fitKnobs parses -params.
func fitKnobs(list string, m *adjoint.Model, p *adjoint.Params, cfg *configs.Config) ([]*fit.Knob, error) {
	if list == "" {
		list = "g_exc,g_inh"
		if m.STP {
			list += ",stp_u_exc"
		}
	}
	var ks []*fit.Knob
	seen := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if seen[n] {
			return nil, badInput("-params: %s listed twice", n)
		}
		seen[n] = true
		switch n {
		case "g_exc":
			ks = append(ks, fit.Conductance(m, p, true, cfg.Culture.GExc))
		case "g_inh":
			ks = append(ks, fit.Conductance(m, p, false, cfg.Culture.GInh))
		case "stp_u_exc", "stp_u_inh":
			if !m.STP {
				return nil, badInput("-params: %s needs plasticity.stp.enabled: true in the config", n)
			}
			ks = append(ks, fit.STPU(m, p, n == "stp_u_exc"))
		case "nmda_fraction", "gaba_b_fraction":
			ks = append(ks, fit.Fraction(p, n == "nmda_fraction"))
		default:
			return nil, badInput("-params: unknown parameter %q (known: g_exc, g_inh, stp_u_exc, stp_u_inh, nmda_fraction, gaba_b_fraction)", n)
		}
		if k := ks[len(ks)-1]; k.Value == 0 && (n == "g_exc" || n == "g_inh") {
			return nil, badInput("-params: %s starts at 0; give it a positive value in the config", n)
		}
	}
	return ks, nil
}

// writeFit writes the fitted config, fit.json and the loss curves.
func writeFit(dir string, cfg *configs.Config, res *fit.Result, rep *fitReport) error {
	fitted := *cfg
	for i, n := range res.Names {
		v := res.Final[i]
		switch n {
		case "g_exc":
			fitted.Culture.GExc = v
		case "g_inh":
			fitted.Culture.GInh = v
		case "stp_u_exc":
			fitted.Plasticity.STP.Excitatory.U = v
		case "stp_u_inh":
			fitted.Plasticity.STP.Inhibitory.U = v
		case "nmda_fraction":
			fitted.Synapses.NMDAFraction = v
		case "gaba_b_fraction":
			fitted.Synapses.GABABFraction = v
		}
	}
	y, err := fitted.YAML()
	if err != nil {
		return err
	}
	header := fmt.Sprintf("# Fitted by bl1 fit from %s to %s: %s\n", rep.Config, rep.Target, show(res.Names, res.Final))
	if err := atomicfile.WriteFile(filepath.Join(dir, "config.yaml"), append([]byte(header), y...)); err != nil {
		return err
	}
	if err := output.WriteJSON(filepath.Join(dir, "fit.json"), rep); err != nil {
		return err
	}
	var csv strings.Builder
	csv.WriteString("iteration,loss,learn_rate")
	for _, n := range res.Names {
		csv.WriteString("," + n)
	}
	csv.WriteString("\n")
	losses := make([]float64, len(res.Iterations))
	values := make([][]float64, len(res.Iterations))
	for k, it := range res.Iterations {
		csv.WriteString(strconv.Itoa(k) + "," + strconv.FormatFloat(it.Loss, 'g', -1, 64) + "," + strconv.FormatFloat(it.LearnRate, 'g', -1, 64))
		for _, v := range it.Values {
			csv.WriteString("," + strconv.FormatFloat(v, 'g', -1, 64))
		}
		csv.WriteString("\n")
		losses[k], values[k] = it.Loss, it.Values
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "loss.csv"), []byte(csv.String())); err != nil {
		return err
	}
	if len(losses) == 0 {
		return nil
	}
	return plot.Loss(filepath.Join(dir, "loss.png"), "bl1 fit: "+strings.Join(res.Names, ", "), losses, res.Names, values)
}
