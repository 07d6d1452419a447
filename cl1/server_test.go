package cl1

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/internal/rng"
)

// small opens a culture of n neurons (at the default density) under a CL1.
func small(t testing.TB, n int, sets ...string) *Neurons {
	t.Helper()
	side := 3000 * math.Sqrt(float64(n)/10000)
	sets = append([]string{fmt.Sprintf("culture.n_neurons=%d", n), fmt.Sprintf("culture.substrate_um=[%g,%g]", side, side)}, sets...)
	cfg, err := configs.Load("cl1.yaml", sets)
	if err != nil {
		t.Fatal(err)
	}
	nr, err := Open(cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nr.Close)
	return nr
}

// syncBuffer is a log written by the server's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testConfig is a server on free loopback ports replying to port.
func testConfig(port int) ServerConfig {
	c := DefaultServerConfig()
	c.StimPort, c.EventPort, c.FeedbackPort, c.SpikePort = 0, 0, 0, port
	return c
}

// A trainer written in Python from the spec (testdata/trainer.py) runs the
// protocol against the server over loopback UDP: one reply per stim, in
// the protocol's time, counts that are whole and finite; feedback applied
// and cut short by the next stim; bad packets unanswered while the
// server keeps answering; episode_end recorded; training_complete ends
// the session within a second.
func TestServerAgainstPythonTrainer(t *testing.T) {
	py := python3(t)
	n := small(t, 1000)
	const hz = 20 // 50 ms ticks; 50 ms artifact and collection windows are one tick each
	cmd := exec.Command(py, "testdata/trainer.py", fmt.Sprint(hz), "1", "1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := bufio.NewScanner(stdout)
	out.Buffer(nil, 1<<20)
	var port int
	if !out.Scan() {
		t.Fatal("trainer.py printed nothing")
	}
	if _, err := fmt.Sscanf(out.Text(), "PORT %d", &port); err != nil {
		t.Fatalf("%q: %v", out.Text(), err)
	}
	var log syncBuffer
	cfg := testConfig(port)
	cfg.TickHz, cfg.Log = hz, &log
	s, err := NewServer(n, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	type end struct {
		err error
		at  time.Time
	}
	done := make(chan end, 1)
	go func() {
		err := s.Serve(context.Background())
		done <- end{err, time.Now()}
	}()
	stim, event, feedback := s.Addrs()
	fmt.Fprintf(stdin, "%d %d %d\n", stim.Port(), event.Port(), feedback.Port())
	if !out.Scan() {
		t.Fatal("trainer.py ended without a result")
	}
	var res struct {
		Replies      [][Groups]float64 `json:"replies"`
		Latency      []float64         `json:"latency_s"`
		Problems     []string          `json:"problems"`
		Extra        int               `json:"extra"`
		AnsweredBad  []string          `json:"answered_bad"`
		SentComplete float64           `json:"sent_complete"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%s: %v", out.Bytes(), err)
	}
	var e end
	select {
	case e = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("training_complete did not end the session")
	}
	if e.err != nil {
		t.Fatalf("Serve: %v", e.err)
	}
	if lag := e.at.Sub(time.UnixMicro(int64(res.SentComplete * 1e6))); lag > time.Second {
		t.Errorf("the session ended %v after training_complete was sent, want <= 1 s", lag)
	}
	for _, p := range res.Problems {
		t.Error(p)
	}
	if res.Extra != 0 || len(res.AnsweredBad) != 0 {
		t.Errorf("%d extra datagrams; bad packets answered: %v", res.Extra, res.AnsweredBad)
	}
	// 8 steps, 3 rounds, 1 after the feedback, 1 after the bad packets.
	if len(res.Replies) != 13 {
		t.Fatalf("%d replies, want 13", len(res.Replies))
	}
	// A stim waits up to a tick to be read, then artifact + collect ticks
	// (spec §1.6; the spec's trainer test allows one tick less to two more).
	tick := 1.0 / hz
	for i, l := range res.Latency {
		if l < 1*tick || l > 4*tick {
			t.Errorf("reply %d after %.1f ms, want %.0f-%.0f ms", i, 1000*l, 1000*tick, 4000*tick)
		}
	}
	st := s.Stats()
	want := map[string]int64{"stim/short": 1, "feedback/type": 1, "stim/amplitude": 1, "stim/frequency": 1}
	for k, v := range want {
		if st.BadByKind[k] != v {
			t.Errorf("bad %s: %d, want %d", k, st.BadByKind[k], v)
		}
		if c := strings.Count(log.String(), "further "+k+" packets"); c != 1 {
			t.Errorf("%s logged %d times, want once:\n%s", k, c, log.String())
		}
	}
	if st.Stims != 13 || st.Replies != 13 || st.Bad != 4 || st.Interrupts != 1 || st.Bursts != 1 || st.Unpredictable != 1 ||
		st.Events != 2 || !st.TrainingDone || st.Superseded != 0 {
		t.Errorf("stats %+v", st)
	}
	// The burst on channel 23 (90 pulses at 40 Hz, 2.25 s) started and the
	// next stim's interrupt cut it short (the trainer waited 8 ticks).
	var on23 int
	for _, p := range n.rig.Stim.Pulses() {
		if p.Electrode == 23 {
			on23++
		}
	}
	if on23 < 4 || on23 > 20 {
		t.Errorf("%d pulses on channel 23, want those of 8-10 ticks at 40 Hz (cut short)", on23)
	}
	// The session's files hold what the trainer received.
	dir := t.TempDir()
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	z, err := npy.ReadNPZ(filepath.Join(dir, "cl1_replies.npz"))
	if err != nil {
		t.Fatal(err)
	}
	counts, _ := z["counts"].Float32()
	for i, r := range res.Replies {
		for j := range Groups {
			if float64(counts[i*Groups+j]) != r[j] {
				t.Fatalf("reply %d: cl1_replies.npz %v, the trainer got %v", i, counts[i*Groups:(i+1)*Groups], r)
			}
		}
	}
	ev, err := os.ReadFile(filepath.Join(dir, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(ev)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"event_type":"episode_end"`) || !strings.Contains(lines[0], `"episode_length":57`) ||
		!strings.Contains(lines[1], "training_complete") {
		t.Errorf("events.jsonl:\n%s", ev)
	}
}

// groupsOf counts a tick's spikes per group with the table of spec §1.3,
// written out again here.
func groupsOf(r *DetectionResult) [Groups]float32 {
	table := map[int32]int{8: 0, 9: 0, 10: 0, 17: 0, 18: 0, 25: 0, 27: 0, 28: 0, 41: 1, 42: 1, 49: 1, 50: 2, 51: 2, 58: 2,
		13: 3, 14: 3, 21: 3, 45: 4, 46: 4, 53: 4, 29: 5, 30: 5, 31: 5, 37: 5, 59: 6, 60: 6, 61: 6, 62: 6, 32: 7, 33: 7, 34: 7}
	var c [Groups]float32
	for _, s := range r.Spikes {
		if g, ok := table[s.Channel]; ok {
			c[g]++
		}
	}
	return c
}

// replies reads what arrived on conn within wait.
func replies(t *testing.T, conn *net.UDPConn, wait time.Duration) []SpikeData {
	t.Helper()
	var out []SpikeData
	buf := make([]byte, 100)
	for {
		conn.SetReadDeadline(time.Now().Add(wait))
		k, _, err := conn.ReadFromUDP(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		d, err := DecodeSpikeData(buf[:k])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
}

// drive runs a server's loop in accelerated time, handing it stims before
// the ticks of stimAt, and returns the replies sent in each tick and each
// tick's group counts.
func drive(t *testing.T, cfg ServerConfig, ticks int, stimAt map[int]bool) (sent map[int]SpikeData, counts [][Groups]float32, s *Server) {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cfg.StimPort, cfg.EventPort, cfg.FeedbackPort, cfg.SpikePort = 0, 0, 0, conn.LocalAddr().(*net.UDPAddr).Port
	s, err = NewServer(small(t, 2000), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	s.loop.realtime = false
	good, _ := StimCommand{FrequencyHz: [8]float32{10, 10, 10, 10, 10, 10, 10, 10}, AmplitudeUA: [8]float32{3, 3, 3, 3, 3, 3, 3, 3}}.AppendBinary(nil)
	sent = map[int]SpikeData{}
	for k := range ticks {
		tk, err := s.loop.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		counts = append(counts, groupsOf(tk.Analysis))
		if stimAt[k] {
			s.in[0] <- datagram{at: time.Now(), b: good}
		}
		if err := s.tick(tk); err != nil {
			t.Fatal(err)
		}
		got := replies(t, conn, 15*time.Millisecond)
		if len(got) > 1 {
			t.Fatalf("tick %d: %d replies", k, len(got))
		}
		if len(got) == 1 {
			sent[k] = got[0]
		}
	}
	return sent, counts, s
}

// The reply rule of spec §1.6: a stim read in tick k skips ticks k ..
// k+a-1 (the first holds the period before the stim), counts ticks k+a ..
// k+a+c-1 and is answered in tick k+a+c; a stim before the reply cancels
// it.
func TestReplyRule(t *testing.T) {
	cfg := DefaultServerConfig()
	cfg.TickHz, cfg.ArtifactMs, cfg.CollectMs = 100, 20, 30 // a = 2, c = 3
	if a, c := cfg.Ticks(); a != 2 || c != 3 {
		t.Fatalf("ticks %d, %d", a, c)
	}
	sent, counts, s := drive(t, cfg, 60, map[int]bool{5: true, 20: true, 22: true, 40: true})
	want := map[int]int{10: 5, 27: 22, 45: 40} // reply tick: stim tick (the stim of 20 is superseded by 22's)
	if len(sent) != len(want) {
		t.Fatalf("replies in ticks %v, want %v", keys(sent), want)
	}
	for at, k := range want {
		d, ok := sent[at]
		if !ok {
			t.Fatalf("no reply in tick %d (replies in %v)", at, keys(sent))
		}
		var sum [Groups]float32
		for j := k + 2; j < k+5; j++ {
			for g := range Groups {
				sum[g] += counts[j][g]
			}
		}
		if d.Counts != sum {
			t.Errorf("reply in tick %d: %v, want the sum of ticks %d-%d: %v", at, d.Counts, k+2, k+4, sum)
		}
	}
	if st := s.Stats(); st.Stims != 4 || st.Replies != 3 || st.Superseded != 1 {
		t.Errorf("stats %+v", st)
	}
	// The stimulation reaches the culture: 3 µA on the encoding electrodes
	// fires their neighbours, so the encoding group counts more in the
	// collection window than in the same ticks before the stim.
	var before, after float32
	for _, k := range []int{5, 22, 40} {
		for j := range 3 {
			before += counts[k-3+j][0]
			after += counts[k+1+j][0]
		}
	}
	if !(after > before) {
		t.Errorf("encoding group: %g events after the stims, %g before", after, before)
	}
}

func keys(m map[int]SpikeData) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Every-tick mode (BL-1's bridge) sends each tick's counts, stim or not;
// a zero ablation sends zeros.
func TestEveryTickAndZeroAblation(t *testing.T) {
	cfg := DefaultServerConfig()
	cfg.TickHz, cfg.EveryTick = 100, true
	sent, counts, _ := drive(t, cfg, 12, map[int]bool{3: true})
	if len(sent) != 12 {
		t.Fatalf("%d replies in 12 ticks", len(sent))
	}
	for k, d := range sent {
		if d.Counts != counts[k] {
			t.Errorf("tick %d: %v, want %v", k, d.Counts, counts[k])
		}
	}
	cfg.EveryTick, cfg.Ablation, cfg.ArtifactMs, cfg.CollectMs = false, Zero, 10, 10 // a = c = 1
	sent, _, _ = drive(t, cfg, 12, map[int]bool{3: true})
	if d, ok := sent[3+1+1]; len(sent) != 1 || !ok || d.Counts != [Groups]float32{} {
		t.Errorf("zero ablation: %v", sent)
	}
}

// The random ablation's counts: Poisson with λ = rate·max(collect,
// 1/tick)·channels. Spec §1.6 gives λ = 4.0, 1.5 and 2.0 for 8, 3 and 4
// channels at the defaults (10 Hz, 50 ms collection, 5 Hz) and 0.167 for 8
// channels at 240 Hz with 4 ms. The draws match the Poisson distribution
// (chi-square against the exact probabilities).
func TestRandomAblation(t *testing.T) {
	c := DefaultServerConfig()
	for _, x := range []struct {
		n    int
		want float64
	}{{8, 4.0}, {3, 1.5}, {4, 2.0}} {
		if got := c.lambda(x.n); math.Abs(got-x.want) > 1e-12 {
			t.Errorf("λ(%d) = %g, want %g", x.n, got, x.want)
		}
	}
	c.TickHz, c.CollectMs = 240, 4
	if got := c.lambda(8); math.Abs(got-0.1667) > 1e-4 {
		t.Errorf("λ at 240 Hz = %g, want 0.167", got)
	}
	for _, lambda := range []float64{0.167, 1.5, 4} {
		src := rng.NewKey(1, rng.Ablation).Source()
		const n = 200000
		hist := make([]float64, 40)
		for range n {
			hist[min(poisson(&src, lambda), len(hist)-1)]++
		}
		// Bins with an expected count of at least 5, the rest pooled.
		var chi2, pooledObs, pooledExp float64
		dof := -1
		p := math.Exp(-lambda)
		for k := range len(hist) - 1 {
			exp := n * p
			if exp >= 5 {
				chi2 += (hist[k] - exp) * (hist[k] - exp) / exp
				dof++
			} else {
				pooledObs += hist[k]
				pooledExp += exp
			}
			p *= lambda / float64(k+1)
		}
		if pooledExp >= 5 {
			chi2 += (pooledObs - pooledExp) * (pooledObs - pooledExp) / pooledExp
			dof++
		}
		// The 0.1 % critical values of chi-square with 2, 6 and 11 degrees
		// of freedom are 13.8, 22.5 and 31.3 (Abramowitz & Stegun, Table
		// 26.8); 32 bounds them all.
		if chi2 > 32 {
			t.Errorf("λ = %g: chi-square %.1f with %d degrees of freedom", lambda, chi2, dof)
		}
	}
}

// Bad datagrams over real UDP: each kind is counted and logged once, and
// the good stims among them are still answered.
func TestServerDropsBadPackets(t *testing.T) {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var log syncBuffer
	cfg := testConfig(conn.LocalAddr().(*net.UDPAddr).Port)
	cfg.TickHz, cfg.ArtifactMs, cfg.CollectMs, cfg.Log = 200, 0, 5, &log
	s, err := NewServer(small(t, 1000), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	stim, event, fb := s.Addrs()
	out, _ := net.ListenUDP("udp", nil)
	defer out.Close()
	good, _ := StimCommand{FrequencyHz: [8]float32{10, 10, 10, 10, 10, 10, 10, 10}, AmplitudeUA: [8]float32{2, 2, 2, 2, 2, 2, 2, 2}}.AppendBinary(nil)
	nan := bytes.Clone(good)
	le.PutUint32(nan[12:], math.Float32bits(float32(math.NaN())))
	fbBad := make([]byte, FeedbackSize)
	fbBad[8] = 9
	bad := []struct {
		to  int
		b   []byte
		key string
	}{
		{0, good[:10], "stim/short"}, {0, append(bytes.Clone(good), 1, 2), "stim/long"}, {0, nan, "stim/nan"},
		{2, fbBad, "feedback/type"}, {2, fbBad[:3], "feedback/short"}, {1, []byte("{}"), "event/short"},
	}
	addr := []*net.UDPAddr{net.UDPAddrFromAddrPort(stim), net.UDPAddrFromAddrPort(event), net.UDPAddrFromAddrPort(fb)}
	answered := 0
	for round := range 3 {
		for _, b := range bad {
			out.WriteToUDP(b.b, addr[b.to])
			time.Sleep(6 * time.Millisecond) // a tick, so that one datagram per socket is read each time
		}
		out.WriteToUDP(good, addr[0])
		if got := replies(t, conn, 100*time.Millisecond); len(got) == 1 {
			answered++
		} else {
			t.Errorf("round %d: %d replies to the good stim", round, len(got))
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Serve: %v", err)
	}
	st := s.Stats()
	for _, b := range bad {
		if st.BadByKind[b.key] != 3 {
			t.Errorf("%s: %d, want 3", b.key, st.BadByKind[b.key])
		}
		if c := strings.Count(log.String(), "further "+b.key+" packets"); c != 1 {
			t.Errorf("%s logged %d times", b.key, c)
		}
	}
	if answered != 3 || st.Bad != int64(3*len(bad)) {
		t.Errorf("%d answered, %d bad; log:\n%s", answered, st.Bad, log.String())
	}
}

func TestServerConfigErrors(t *testing.T) {
	for _, c := range []struct {
		set  func(*ServerConfig)
		want string
	}{
		{func(c *ServerConfig) { c.TickHz = 0 }, "-tick-frequency"},
		{func(c *ServerConfig) { c.TickHz = 30000 }, "-tick-frequency"},
		{func(c *ServerConfig) { c.ArtifactMs = -1 }, "-artifact-wait-ms"},
		{func(c *ServerConfig) { c.CollectMs = math.NaN() }, "-collect-window-ms"},
		{func(c *ServerConfig) { c.StimPort = 70000 }, "-stim-port"},
		{func(c *ServerConfig) { c.Ablation = "noise" }, "-spike-ablation"},
		{func(c *ServerConfig) { c.Ablation, c.AblationRateHz = Random, 1e6 }, "-random-spike-rate-hz"},
		{func(c *ServerConfig) { c.StopAfterS = -1 }, "-duration"},
	} {
		cfg := DefaultServerConfig()
		c.set(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.want, err)
		}
	}
	// Host names resolve: localhost binds loopback only; an unknown host is
	// an error, not every interface.
	n := small(t, 500)
	cfg := testConfig(0)
	cfg.Listen = "localhost"
	s, err := NewServer(n, cfg)
	if err != nil {
		t.Fatal(err)
	}
	stim, _, _ := s.Addrs()
	s.Close()
	if !stim.Addr().IsLoopback() {
		t.Errorf("-listen localhost bound %v", stim)
	}
	cfg.Listen = "no-such-host.invalid"
	if s, err := NewServer(n, cfg); err == nil {
		s.Close()
		t.Error("-listen no-such-host.invalid accepted")
	}
	// The protocol's channel groups need a CL1 that records them.
	for _, set := range []string{"mea.layout=mcs60", "mea.routing={select: list, electrodes: [8, 9]}"} {
		if s, err := NewServer(small(t, 500, set), testConfig(0)); err == nil {
			s.Close()
			t.Errorf("%s: accepted", set)
		}
	}
}
