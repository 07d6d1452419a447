package cl1

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/bl1-go/bl1/mea"
)

// BenchmarkTick10k: one 100 ms tick of the 10,000-neuron default culture
// under a CL1 (cl1.yaml), as fast as possible, with 8 encoding pulses per
// tick. tick_load is the simulation's share of the tick's wall time when
// the loop keeps real time: below 1, the server keeps up.
func BenchmarkTick10k(b *testing.B) {
	n := small(b, 10000)
	l, _ := n.Loop(10, false)
	ctx := context.Background()
	l.Next(ctx) // the first chunk warms the caches
	for b.Loop() {
		if _, err := l.Next(ctx); err != nil {
			b.Fatal(err)
		}
		n.Interrupt(n.Usable())
		for i, e := range Encoding {
			n.Stim([]int{e}, stimPhases(1+0.2*float64(i)), Burst{Count: 1, Hz: 10})
		}
	}
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(per*1000, "ms/tick")
	b.ReportMetric(per*10, "tick_load")
}

func stimPhases(a float64) []mea.Phase {
	return []mea.Phase{{WidthUs: PhaseUs, CurrentUA: -a}, {WidthUs: PhaseUs, CurrentUA: a}}
}

// benchServer runs the server in real time over the 10,000-neuron culture
// and a client that plays the trainer over loopback UDP: each operation is
// one stim and its reply. It reports the client's latency percentiles,
// replies lost (none within 5 s) and late (after ServerConfig.ReplyBound),
// and the server's late ticks and load.
func benchServer(b *testing.B, tickHz, artifactMs, collectMs float64, wait time.Duration) {
	n := small(b, 10000)
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	cfg := testConfig(conn.LocalAddr().(*net.UDPAddr).Port)
	cfg.TickHz, cfg.ArtifactMs, cfg.CollectMs = tickHz, artifactMs, collectMs
	s, err := NewServer(n, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	stim, _, _ := s.Addrs()
	c, err := NewClient(LoadConfig{Stim: stim, Replies: conn, Wait: wait, Timeout: 5 * time.Second, LateAfter: cfg.ReplyBound(), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for b.Loop() {
		if err := c.Exchange(); err != nil {
			b.Fatal(err)
		}
	}
	cancel()
	<-done
	r, st := c.Result(), s.Stats()
	b.ReportMetric(r.P50Ms, "p50_ms")
	b.ReportMetric(r.P99Ms, "p99_ms")
	b.ReportMetric(r.MaxMs, "max_ms")
	b.ReportMetric(float64(r.Lost), "lost")
	b.ReportMetric(float64(r.Late), "late")
	b.ReportMetric(float64(st.LateTicks), "late_ticks")
	b.ReportMetric(st.TickLoad, "tick_load")
	b.ReportMetric(0, "ns/op") // the latencies are the measure
}

// The protocol's defaults: 10 ticks a second, 50 ms artifact and
// collection windows, the trainer's 50 ms wait (spec §1.6). A reply
// comes 200-300 ms after its stim by design.
func BenchmarkServer10k(b *testing.B) { benchServer(b, 10, 50, 50, 50*time.Millisecond) }

// doom-neuron's high-rate recipe (USAGE.md, spec §1.6): 240 ticks a
// second, no artifact window, 4 ms collection; the client reads at once.
func BenchmarkServer10k240Hz(b *testing.B) { benchServer(b, 240, 0, 4, 0) }
