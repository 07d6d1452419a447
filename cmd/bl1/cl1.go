package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/bl1-go/bl1/cl1"
	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/monitor"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/sim"
)

// cl1Files are the files a cl1 session adds to the run folder.
var cl1Files = []string{"cl1_stims.npz", "cl1_replies.npz", "events.jsonl", "cl1.json", "loadtest.json"}

func cmdCL1(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bl1 cl1", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := cl1.DefaultServerConfig()
	out := fs.String("o", "", "output folder (default runs/cl1-YYYYMMDD-HHMMSS)")
	seed := fs.String("seed", "", "random seed (overrides simulation.seed)")
	workers := fs.String("workers", "", "worker goroutines, 0 = automatic (overrides simulation.workers)")
	duration := fs.Float64("duration", 0, "stop after S simulated seconds (0: at training_complete or Ctrl-C)")
	quiet := fs.Bool("quiet", false, "no progress output")
	mon := fs.String("monitor", "", "serve a live dashboard at [HOST]:PORT, e.g. -monitor :8080 (loopback unless HOST says otherwise)")
	listen := fs.String("listen", def.Listen, "address the stim, event and feedback ports bind to")
	host := fs.String("training-host", def.TrainingHost, "host the spike replies go to")
	stimPort := fs.Int("stim-port", def.StimPort, "UDP port of stimulation commands")
	spikePort := fs.Int("spike-port", def.SpikePort, "UDP port on the training host that receives spike replies")
	eventPort := fs.Int("event-port", def.EventPort, "UDP port of event metadata")
	fbPort := fs.Int("feedback-port", def.FeedbackPort, "UDP port of feedback commands")
	tick := fs.Float64("tick-frequency", def.TickHz, "loop ticks per second")
	artifact := fs.Float64("artifact-wait-ms", def.ArtifactMs, "after a stim, skip ceil(ms x ticks/s / 1000) ticks")
	collect := fs.Float64("collect-window-ms", def.CollectMs, "then count spikes for max(1, ceil(ms x ticks/s / 1000)) ticks")
	ablation := fs.String("spike-ablation", "none", "none, random (Poisson counts that ignore the culture) or zero")
	rate := fs.Float64("random-spike-rate-hz", def.AblationRateHz, "per-channel rate of -spike-ablation random")
	ablSeed := fs.Uint64("spike-ablation-seed", 0, "seed of -spike-ablation random")
	everyTick := fs.Bool("every-tick", false, "send the counts of every tick, stim or not (BL-1's bridge; the protocol before 2026-03-24)")
	loadN := fs.Int("loadtest", 0, "run a loopback trainer that sends N stims, one after each reply, and report lost and late replies (loadtest.json)")
	loadWait := fs.Float64("loadtest-wait-ms", 0, "the load test's pause between sending a stim and reading its reply (the trainer's is 50)")
	var sets setList
	fs.Var(&sets, "set", "override a config key, e.g. -set culture.n_neurons=5000 (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: bl1 cl1 [CONFIG] [flags]

A virtual Cortical Labs CL1 speaking doom-neuron's UDP protocol: stimulation
commands on -stim-port, spike counts of the 8 channel groups to
-training-host:-spike-port, events and feedback on their ports. CONFIG is a
YAML file or an embedded config (default cl1.yaml: 10,000 neurons under a CL1).

flags:`)
		fs.PrintDefaults()
	}
	name, _, err := configArg(fs, args, "cl1.yaml")
	if err != nil {
		return err
	}
	if err := overrideFlags(&sets, flagSet{"-seed", *seed, "simulation.seed"}, flagSet{"-workers", *workers, "simulation.workers"}); err != nil {
		return err
	}
	cfg, err := configs.Load(name, sets)
	if err != nil {
		return err
	}
	if *duration > 0 {
		cfg.Simulation.DurationS = *duration
	}
	if cfg.MEA.Layout != "cl1" {
		return badInput("%s: bl1 cl1 needs mea.layout: cl1 (the config has %q)", name, cfg.MEA.Layout)
	}
	sc := def
	sc.Listen, sc.TrainingHost = *listen, *host
	sc.StimPort, sc.SpikePort, sc.EventPort, sc.FeedbackPort = *stimPort, *spikePort, *eventPort, *fbPort
	sc.TickHz, sc.ArtifactMs, sc.CollectMs = *tick, *artifact, *collect
	sc.Ablation = cl1.Ablation(*ablation)
	if *ablation == "none" {
		sc.Ablation = cl1.NoAblation
	}
	sc.AblationRateHz, sc.AblationSeed, sc.EveryTick, sc.StopAfterS = *rate, *ablSeed, *everyTick, *duration
	if *loadN < 0 || !(*loadWait >= 0) {
		return badInput("-loadtest %d -loadtest-wait-ms %g: want N >= 0 and a wait >= 0", *loadN, *loadWait)
	}
	if err := sc.Validate(); err != nil {
		return badInput("%v", err)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", "cl1-"+time.Now().Format("20060102-150405"))
	}
	files := slices.Concat(outputFiles, cl1Files)
	if err := prepareOutput(dir, files); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var progress io.Writer = stderr
	if *quiet {
		progress = io.Discard
	}
	sc.Log = progress
	s := session{cfg: sc, dir: dir, progress: progress, load: *loadN, wait: time.Duration(*loadWait * float64(time.Millisecond))}
	sum, err := Simulate(ctx, cfg, Options{Name: name, Dir: dir, Progress: progress, Monitor: *mon, Drive: s.drive})
	if sum != nil {
		printSummary(stdout, dir, sum)
	}
	if err == nil && s.result != nil {
		r := s.result
		fmt.Fprintf(stdout, "load test: %d stims, %d replies, %d lost, %d late (> %.1f ms), %d stale; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; %.0f stims/s\n",
			r.Sent, r.Replies, r.Lost, r.Late, r.LateAfterMs, r.Stale, r.P50Ms, r.P99Ms, r.MaxMs, r.RatePerS)
	}
	return err
}

// session runs the server inside Simulate.
type session struct {
	cfg      cl1.ServerConfig
	dir      string
	progress io.Writer
	load     int
	wait     time.Duration
	result   *cl1.LoadResult
}

func (s *session) drive(ctx context.Context, e *sim.Engine, rig *mea.Rig, obs []sim.Observer, mon *monitor.Monitor) error {
	var client *net.UDPConn
	if s.load > 0 {
		var err error
		if client, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); err != nil {
			return err
		}
		defer client.Close()
		s.cfg.Listen, s.cfg.TrainingHost = "127.0.0.1", "127.0.0.1"
		s.cfg.StimPort, s.cfg.EventPort, s.cfg.FeedbackPort = 0, 0, 0
		s.cfg.SpikePort = client.LocalAddr().(*net.UDPAddr).Port
	}
	n := cl1.New(e, rig, obs...)
	srv, err := cl1.NewServer(n, s.cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	if mon != nil {
		mon.SetStats("cl1", func() any { return srv.Stats() })
		if err := mon.SetGroups(cl1.GroupChannels[:], cl1.GroupNames[:]); err != nil {
			return err
		}
	}
	fmt.Fprintf(s.progress, "virtual CL1: %s\n", srv)
	srvCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var loadErr error
	done := make(chan struct{})
	if s.load > 0 {
		stim, _, _ := srv.Addrs()
		go func() {
			defer close(done)
			defer cancel()
			tick := counter(s.progress, s.load, "load test")
			r, err := cl1.LoadTest(srvCtx, cl1.LoadConfig{Stim: stim, Replies: client, Packets: s.load, Wait: s.wait,
				Timeout: 5 * time.Second, LateAfter: s.cfg.ReplyBound(), Seed: 1, Progress: tick})
			s.result, loadErr = &r, err
		}()
	} else {
		close(done)
	}
	err = srv.Serve(srvCtx)
	cancel()
	<-done
	if werr := srv.Write(s.dir); werr != nil {
		return werr
	}
	switch {
	case s.result != nil:
		if err := output.WriteJSON(filepath.Join(s.dir, "loadtest.json"), struct {
			*cl1.LoadResult
			Server cl1.Stats `json:"server"`
		}{s.result, srv.Stats()}); err != nil {
			return err
		}
		if loadErr != nil && !errors.Is(loadErr, context.Canceled) {
			return loadErr
		}
		return ctx.Err()
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		// Ctrl-C is how a server is stopped: the session is complete.
		fmt.Fprintln(s.progress, "stopped")
		return nil
	case err == nil && srv.Stats().TrainingDone:
		fmt.Fprintln(s.progress, "training_complete: the session is over")
	}
	return err
}

// counter reports progress through n items: a bar on a terminal, a line
// every 10 % otherwise. Call the result with the items done.
func counter(w io.Writer, n int, what string) func(done int) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions(n, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
			progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionShowCount(), progressbar.OptionSetWidth(30),
			progressbar.OptionSetPredictTime(true), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
		return func(done int) { bar.Set(done) }
	}
	next := 10
	return func(done int) {
		if pct := done * 100 / max(n, 1); pct >= next {
			fmt.Fprintf(w, "%s: %d of %d (%d%%)\n", what, done, n, pct)
			next = pct/10*10 + 10
		}
	}
}
