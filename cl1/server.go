package cl1

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/bl1-go/bl1/internal/rng"
	"github.com/bl1-go/bl1/mea"
)

// Ablation replaces the culture's spike counts in the replies (the
// culture is still stimulated): doom-neuron's controls.
type Ablation string

// Ablation modes.
const (
	NoAblation Ablation = ""
	Random     Ablation = "random" // Poisson counts that ignore stimulation (cl1_neural_interface.py --spike-ablation random)
	Zero       Ablation = "zero"   // all counts 0
)

// ServerConfig configures the UDP server. Zero ports pick free ports (for
// tests); DefaultServerConfig has the protocol's.
type ServerConfig struct {
	Listen       string // address the trainer→CL1 ports bind to
	TrainingHost string // where spike replies go
	StimPort     int
	SpikePort    int
	EventPort    int
	FeedbackPort int

	TickHz     float64 // the loop's rate
	ArtifactMs float64 // ticks skipped after a stim: ceil(ArtifactMs·TickHz/1000)
	CollectMs  float64 // ticks counted: max(1, ceil(CollectMs·TickHz/1000))

	Ablation       Ablation
	AblationRateHz float64 // per channel, for Random
	AblationSeed   uint64

	// EveryTick sends the counts of every tick whether or not a stim came
	// (BL-1's bridge, the protocol before 2026-03-24); off, exactly one
	// reply answers each stim.
	EveryTick bool

	// StopAfterS ends Serve after this many simulated seconds (0: never).
	StopAfterS float64

	Log io.Writer // first bad packet of each kind, a status line every 10 s; nil: none
}

// DefaultServerConfig returns the protocol's defaults (cl1_neural_interface.py's
// command line, spec §1.6): loopback, ports 12345-12348, 10 ticks a second,
// 50 ms artifact and 50 ms collection windows, random ablation at 5 Hz.
func DefaultServerConfig() ServerConfig {
	return ServerConfig{Listen: "127.0.0.1", TrainingHost: "127.0.0.1",
		StimPort: StimPort, SpikePort: SpikePort, EventPort: EventPort, FeedbackPort: FeedbackPort,
		TickHz: 10, ArtifactMs: 50, CollectMs: 50, AblationRateHz: 5}
}

// Ticks returns the artifact and collection windows in ticks, as the CL1
// side computes them.
func (c ServerConfig) Ticks() (artifact, collect int) {
	artifact = int(math.Ceil(c.ArtifactMs*c.TickHz/1000 - 1e-9))
	collect = max(1, int(math.Ceil(c.CollectMs*c.TickHz/1000-1e-9)))
	return artifact, collect
}

// Validate checks the configuration; messages name the flag.
func (c ServerConfig) Validate() error {
	for _, p := range []struct {
		name string
		v    int
	}{{"stim-port", c.StimPort}, {"spike-port", c.SpikePort}, {"event-port", c.EventPort}, {"feedback-port", c.FeedbackPort}} {
		if p.v < 0 || p.v > 65535 {
			return fmt.Errorf("-%s = %d, want a port in 0..65535", p.name, p.v)
		}
	}
	switch {
	case !(c.TickHz > 0) || c.TickHz > MaxTicksPerSecond:
		return fmt.Errorf("-tick-frequency = %g, want (0, %d]", c.TickHz, MaxTicksPerSecond)
	case !(c.ArtifactMs >= 0) || math.IsInf(c.ArtifactMs, 0):
		return fmt.Errorf("-artifact-wait-ms = %g, want >= 0", c.ArtifactMs)
	case !(c.CollectMs >= 0) || math.IsInf(c.CollectMs, 0):
		return fmt.Errorf("-collect-window-ms = %g, want >= 0", c.CollectMs)
	case c.Ablation != NoAblation && c.Ablation != Random && c.Ablation != Zero:
		return fmt.Errorf("-spike-ablation = %q, want none, random or zero", c.Ablation)
	case !(c.StopAfterS >= 0) || math.IsInf(c.StopAfterS, 0):
		return fmt.Errorf("-duration = %g s, want >= 0", c.StopAfterS)
	case c.Ablation == Random && (!(c.AblationRateHz >= 0) || c.lambda(8) > 500):
		return fmt.Errorf("-random-spike-rate-hz = %g, want >= 0 and a mean count per group of at most 500", c.AblationRateHz)
	}
	return nil
}

// lambda is the mean random count of a group of n channels:
// rate·max(collect, 1/tick)·n (spec §1.6).
func (c ServerConfig) lambda(n int) float64 {
	return c.AblationRateHz * max(c.CollectMs/1000, 1/c.TickHz) * float64(n)
}

// Stats are a server's counters.
type Stats struct {
	Ticks         int64            `json:"ticks"`
	LateTicks     int64            `json:"late_ticks"`  // ticks the simulation could not finish in time
	MaxLateMs     float64          `json:"max_late_ms"` // the worst of them
	TickLoad      float64          `json:"tick_load"`   // simulation time / wall time of the ticks
	MaxComputeMs  float64          `json:"max_tick_compute_ms"`
	Stims         int64            `json:"stims"`          // stimulation commands applied
	Replies       int64            `json:"replies"`        // spike packets sent
	Superseded    int64            `json:"superseded"`     // stims whose reply a newer stim cancelled
	MeanReplyMs   float64          `json:"mean_reply_ms"`  // from a stim's arrival to its reply's sending
	MaxReplyMs    float64          `json:"max_reply_ms"`   //
	Interrupts    int64            `json:"interrupts"`     // feedback interrupts applied
	Bursts        int64            `json:"bursts"`         // feedback bursts applied
	SkippedBursts int64            `json:"skipped_bursts"` // feedback bursts the CL1 side skips (no channel, f or A <= 0)
	Unpredictable int64            `json:"unpredictable"`  // bursts flagged unpredictable (only counted, as on the CL1 side)
	Events        int64            `json:"events"`         // event packets
	Bad           int64            `json:"bad"`            // dropped packets, all kinds
	BadByKind     map[string]int64 `json:"bad_by_kind"`    // "stim/short": count
	Overflow      int64            `json:"overflow"`       // datagrams dropped because the loop fell behind
	SocketErrors  int64            `json:"socket_errors"`  // failed reads and sends
	LastCounts    [Groups]float32  `json:"last_counts"`    // the last reply
	TrainingDone  bool             `json:"training_complete"`
}

// datagram is a packet as received.
type datagram struct {
	at   time.Time
	from netip.AddrPort
	b    []byte
}

// Server is the virtual CL1 of doom-neuron's UDP protocol (spec §1): it
// applies stimulation and feedback commands to a culture at tick
// boundaries and answers each stimulation command with the spike counts of
// the channel groups after the artifact window.
type Server struct {
	cfg      ServerConfig
	n        *Neurons
	loop     *Loop
	conns    [3]*net.UDPConn // stim, event, feedback
	in       [3]chan datagram
	out      *net.UDPConn
	dst      netip.AddrPort
	usable   []int
	artifact int
	collect  int
	wg       sync.WaitGroup

	// the pending reply
	armed      bool
	left       [2]int // artifact, collect ticks to go
	counts     [Groups]float32
	armedAt    time.Time
	replyIndex uint64
	ablKey     rng.Key

	stream   DataStream
	stimLog  stimLog
	replyLog replyLog
	buf      []byte

	mu       sync.Mutex
	stats    Stats
	replySum float64
	logged   map[string]bool
	lastLog  time.Time
}

var packetNames = [3]string{"stim", "event", "feedback"}

// NewServer binds the server's sockets over n. The layout must be a CL1
// recording every channel of the groups.
func NewServer(n *Neurons, cfg ServerConfig) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if n.rig.Layout.Name != "cl1" {
		return nil, fmt.Errorf("cl1: the protocol's channel groups need a CL1 array; the config has mea.layout %s", n.rig.Layout.Name)
	}
	for j, chans := range GroupChannels {
		for _, c := range chans {
			if !slices.Contains(n.rig.Rec.Channels(), int32(c)) {
				return nil, fmt.Errorf("cl1: channel %d of group %s is not recorded; record every usable channel (mea.routing.select: all)", c, GroupNames[j])
			}
		}
	}
	loop, err := n.Loop(cfg.TickHz, true)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, n: n, loop: loop, usable: n.Usable(), logged: map[string]bool{},
		ablKey: rng.NewKey(cfg.AblationSeed, rng.Ablation), stream: DataStream{Name: "cl1_neural_interface"}}
	s.stats.BadByKind = map[string]int64{}
	s.artifact, s.collect = cfg.Ticks()
	host, err := netip.ParseAddr(cfg.TrainingHost)
	if err != nil {
		ips, lerr := net.LookupIP(cfg.TrainingHost)
		if lerr != nil || len(ips) == 0 {
			return nil, fmt.Errorf("-training-host %q: %v", cfg.TrainingHost, lerr)
		}
		host, _ = netip.AddrFromSlice(ips[0])
	}
	s.dst = netip.AddrPortFrom(host.Unmap(), uint16(cfg.SpikePort))
	// A host name resolves here: an unparsed one must not bind every
	// interface.
	listen, err := net.ResolveUDPAddr("udp", net.JoinHostPort(cfg.Listen, "0"))
	if err != nil || cfg.Listen == "" {
		return nil, fmt.Errorf("-listen %q: %v", cfg.Listen, err)
	}
	for k, port := range []int{cfg.StimPort, cfg.EventPort, cfg.FeedbackPort} {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: listen.IP, Port: port})
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("cl1: %s port: %w", packetNames[k], err)
		}
		s.conns[k] = c
		s.in[k] = make(chan datagram, 256)
	}
	// Replies leave from an unbound socket, as on the CL1 side, so that
	// any route to the training host works.
	if s.out, err = net.ListenUDP("udp", nil); err != nil {
		s.Close()
		return nil, fmt.Errorf("cl1: reply socket: %w", err)
	}
	for k := range s.conns {
		s.wg.Add(1)
		go s.read(k)
	}
	return s, nil
}

// Addrs returns the bound addresses of the stim, event and feedback ports
// (a port configured as 0 has been given a free one).
func (s *Server) Addrs() (stim, event, feedback netip.AddrPort) {
	a := func(k int) netip.AddrPort { return s.conns[k].LocalAddr().(*net.UDPAddr).AddrPort() }
	return a(0), a(1), a(2)
}

// read moves one socket's datagrams to its channel; it reads the whole
// datagram so that long packets are seen as such.
func (s *Server) read(k int) {
	defer s.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, from, err := s.conns[k].ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			s.count(func(st *Stats) { st.SocketErrors++ })
			continue
		}
		select {
		case s.in[k] <- datagram{at: time.Now(), from: from, b: slices.Clone(buf[:n])}:
		default:
			s.count(func(st *Stats) { st.Overflow++ })
		}
	}
}

// Close closes the sockets.
func (s *Server) Close() {
	for _, c := range s.conns {
		if c != nil {
			c.Close()
		}
	}
	if s.out != nil {
		s.out.Close()
	}
	s.wg.Wait()
}

// Stats returns a copy of the counters; it may be called from any
// goroutine.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.BadByKind = make(map[string]int64, len(s.stats.BadByKind))
	for k, v := range s.stats.BadByKind {
		st.BadByKind[k] = v
	}
	return st
}

func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// Serve runs the loop until ctx is cancelled (it returns ctx's error), a
// training_complete event arrives or StopAfterS have been simulated (it
// returns nil).
func (s *Server) Serve(ctx context.Context) error {
	end := s.n.e.TimeMs() + s.cfg.StopAfterS*1000
	return s.loop.Run(ctx, func(t *Tick) error {
		if err := s.tick(t); err != nil {
			return err
		}
		if s.cfg.StopAfterS > 0 && s.n.e.TimeMs() >= end-1e-9 {
			return ErrStop
		}
		return nil
	})
}

// tick is the CL1 side's loop body (spec §1.6): at most one datagram per
// socket, stim first; the pending reply's countdown; event; feedback.
func (s *Server) tick(t *Tick) error {
	select {
	case d := <-s.in[0]:
		s.onStim(d)
	default:
	}
	if s.cfg.EveryTick {
		s.counts = [Groups]float32{}
		s.add(t.Analysis)
		s.send(time.Time{})
	} else if s.armed {
		switch {
		case s.left[0] > 0:
			s.left[0]--
		case s.left[1] > 0:
			s.add(t.Analysis)
			s.left[1]--
		default:
			s.send(s.armedAt)
			s.armed = false
		}
	}
	stop := false
	select {
	case d := <-s.in[1]:
		stop = s.onEvent(d, t)
	default:
	}
	select {
	case d := <-s.in[2]:
		s.onFeedback(d)
	default:
	}
	s.mu.Lock()
	st := &s.stats
	st.Ticks = t.Iteration + 1
	st.LateTicks, st.MaxLateMs = s.loop.LateTicks, ms(s.loop.MaxLate)
	st.MaxComputeMs = ms(s.loop.MaxCompute)
	st.TickLoad = s.loop.Compute.Seconds() * s.loop.hz / float64(st.Ticks)
	st.TrainingDone = st.TrainingDone || stop
	s.mu.Unlock()
	s.status(t)
	if stop {
		return ErrStop
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// onStim applies a stimulation command: interrupt every usable channel,
// then one pulse per encoding electrode, and arms the reply.
func (s *Server) onStim(d datagram) {
	c, err := DecodeStimCommand(d.b)
	if err != nil {
		s.drop(d, "stim", err)
		return
	}
	s.n.Interrupt(s.usable)
	for i, e := range Encoding {
		a := float64(c.AmplitudeUA[i])
		burst := Burst{Count: 1, Hz: math.Trunc(float64(c.FrequencyHz[i]))}
		if err := s.n.Stim([]int{e}, []mea.Phase{{WidthUs: PhaseUs, CurrentUA: -a}, {WidthUs: PhaseUs, CurrentUA: a}}, burst); err != nil {
			s.drop(d, "stim", err) // DecodeStimCommand checked what the device checks; this is a guard
			return
		}
	}
	s.stimLog.add(s.n.e.TimeMs(), d.at, c)
	s.count(func(st *Stats) {
		st.Stims++
		if s.armed && !s.cfg.EveryTick {
			st.Superseded++
		}
	})
	if s.cfg.EveryTick {
		return
	}
	s.armed, s.armedAt = true, d.at
	s.left = [2]int{s.artifact, s.collect}
	s.counts = [Groups]float32{}
}

// add counts a tick's spikes per group.
func (s *Server) add(r *DetectionResult) {
	for _, sp := range r.Spikes {
		if sp.Channel >= 0 && sp.Channel < 64 {
			if g := groupOf[sp.Channel]; g >= 0 {
				s.counts[g]++
			}
		}
	}
}

// send sends the reply (counts replaced under an ablation).
func (s *Server) send(armedAt time.Time) {
	switch s.cfg.Ablation {
	case Zero:
		s.counts = [Groups]float32{}
	case Random:
		src := s.ablKey.Sub(s.replyIndex).Source()
		for j, chans := range GroupChannels {
			s.counts[j] = float32(poisson(&src, s.cfg.lambda(len(chans))))
		}
	}
	s.replyIndex++
	now := time.Now()
	pkt := SpikeData{TimestampUs: uint64(now.UnixMicro()), Counts: s.counts}
	s.buf, _ = pkt.AppendBinary(s.buf[:0])
	_, err := s.out.WriteToUDPAddrPort(s.buf, s.dst)
	var lat time.Duration
	if !armedAt.IsZero() {
		lat = now.Sub(armedAt)
	}
	s.replyLog.add(s.n.e.TimeMs(), pkt, lat)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.stats.SocketErrors++
		s.logOnce("send", fmt.Sprintf("cl1: sending a reply to %s failed: %v", s.dst, err))
		return
	}
	s.stats.Replies++
	s.stats.LastCounts = s.counts
	if !armedAt.IsZero() {
		s.replySum += ms(lat)
		s.stats.MeanReplyMs = s.replySum / float64(s.stats.Replies)
		s.stats.MaxReplyMs = max(s.stats.MaxReplyMs, ms(lat))
	}
}

// poisson draws a Poisson deviate of mean lambda by inversion (Knuth, TAOCP
// vol. 2, 3.4.1); lambda <= 500 keeps e^-lambda a normal float64.
func poisson(src *rng.Source, lambda float64) int {
	u := src.Float64()
	p := math.Exp(-lambda)
	f := p
	k := 0
	for u > f && p > 0 {
		k++
		p *= lambda / float64(k)
		f += p
	}
	return k
}

// onFeedback applies a feedback command.
func (s *Server) onFeedback(d datagram) {
	f, err := DecodeFeedback(d.b)
	if err != nil {
		s.drop(d, "feedback", err)
		return
	}
	switch {
	case f.Type == Interrupt:
		s.n.Interrupt(f.Channels)
		s.count(func(st *Stats) { st.Interrupts++ })
	case f.Skipped():
		s.count(func(st *Stats) { st.SkippedBursts++ })
	default:
		a := float64(f.AmplitudeUA)
		err := s.n.Stim(f.Channels, []mea.Phase{{WidthUs: PhaseUs, CurrentUA: -a}, {WidthUs: PhaseUs, CurrentUA: a}},
			Burst{Count: int(f.Pulses), Hz: float64(f.FrequencyHz)})
		if err != nil {
			s.drop(d, "feedback", err) // DecodeFeedback checked what the device checks; this is a guard
			return
		}
		s.count(func(st *Stats) {
			st.Bursts++
			if f.Unpredictable {
				st.Unpredictable++
			}
		})
	}
}

// onEvent records an event in the data stream; it reports whether the
// event ends the session.
func (s *Server) onEvent(d datagram, t *Tick) bool {
	e, err := DecodeEvent(d.b)
	if err != nil {
		s.drop(d, "event", err)
		return false
	}
	s.count(func(st *Stats) { st.Events++ })
	rec := struct {
		UnixUs uint64          `json:"unix_us"`
		Type   string          `json:"event_type"`
		Data   json.RawMessage `json:"data,omitempty"`
	}{e.TimestampUs, e.Type, e.Data}
	if err := s.stream.Append(t.Timestamp, rec); err != nil {
		s.mu.Lock()
		s.logOnce("stream", "cl1: "+err.Error())
		s.mu.Unlock()
	}
	return e.Type == "training_complete"
}

// drop counts a bad packet and logs the first of its kind.
func (s *Server) drop(d datagram, packet string, err error) {
	var pe *PacketError
	key := packet + "/other"
	if errors.As(err, &pe) {
		key = packet + "/" + pe.Kind.String()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Bad++
	s.stats.BadByKind[key]++
	s.logOnce(key, fmt.Sprintf("%v (a %d-byte datagram from %s); dropped; further %s packets are only counted", err, len(d.b), d.from, key))
}

// logOnce writes msg the first time key is seen; s.mu is held.
func (s *Server) logOnce(key, msg string) {
	if s.logged[key] {
		return
	}
	s.logged[key] = true
	if s.cfg.Log != nil {
		fmt.Fprintln(s.cfg.Log, msg)
	}
}

// status writes a line every 10 s of wall time.
func (s *Server) status(t *Tick) {
	if s.cfg.Log == nil {
		return
	}
	now := time.Now()
	if s.lastLog.IsZero() {
		s.lastLog = now
		return
	}
	if now.Sub(s.lastLog) < 10*time.Second {
		return
	}
	s.lastLog = now
	st := s.Stats()
	fmt.Fprintf(s.cfg.Log, "cl1: t = %.1f s: %d stims, %d replies (%.0f ms after the stim on average), %d feedback, %d events, %d bad packets, %d late ticks, load %.1f %%\n",
		s.n.e.TimeMs()/1000, st.Stims, st.Replies, st.MeanReplyMs, st.Interrupts+st.Bursts+st.SkippedBursts, st.Events, st.Bad, st.LateTicks, 100*st.TickLoad)
}

// Stream returns the session's data stream (events).
func (s *Server) Stream() *DataStream { return &s.stream }

// String describes the server's endpoints and timing.
func (s *Server) String() string {
	a, c := s.cfg.Ticks()
	stim, event, feedback := s.Addrs()
	return fmt.Sprintf("stim %s, event %s, feedback %s; replies to %s, %d+%d ticks after a stim, %g ticks/s",
		stim, event, feedback, s.dst, a, c, s.cfg.TickHz)
}
