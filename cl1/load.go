package cl1

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"os"
	"slices"
	"time"

	"github.com/bl1-go/bl1/internal/rng"
)

// LoadConfig configures a load test: a client that plays doom-neuron's
// trainer (spec §1.6): it sends a stimulation command, waits Wait, then
// blocks for the reply up to Timeout, never resending, and sends the next.
type LoadConfig struct {
	Stim    netip.AddrPort // the server's stim port
	Replies *net.UDPConn   // bound to the server's reply address
	Packets int
	Wait    time.Duration // between sending and reading (the trainer's spike_artifact_wait_s, 50 ms)
	Timeout time.Duration // the trainer's udp_timeout_s, 5 s
	// LateAfter is the protocol's bound on a reply: a later one is late.
	LateAfter time.Duration
	Seed      uint64
	Progress  func(done int) // called after each packet, or nil
}

// LoadResult is what a load test measured.
type LoadResult struct {
	Sent    int `json:"sent"`
	Replies int `json:"replies"`
	Lost    int `json:"lost"`  // no reply within the timeout (the trainer would use zeros)
	Late    int `json:"late"`  // replies after LateAfter
	Stale   int `json:"stale"` // replies packed before their stim was sent (a previous stim's)

	LateAfterMs float64 `json:"late_after_ms"`
	P50Ms       float64 `json:"p50_ms"` // send to reply
	P90Ms       float64 `json:"p90_ms"`
	P99Ms       float64 `json:"p99_ms"`
	MaxMs       float64 `json:"max_ms"`
	MeanMs      float64 `json:"mean_ms"`
	WallS       float64 `json:"wall_s"`
	RatePerS    float64 `json:"packets_per_s"`
}

// Client plays doom-neuron's trainer: Exchange sends one stimulation
// command and waits for its reply. LoadTest and the benchmarks use it.
type Client struct {
	cfg LoadConfig
	out *net.UDPConn
	src rng.Source
	buf []byte
	pkt []byte
	lat []float64 // ms, of every reply
	res LoadResult
	t0  time.Time
}

// NewClient opens the client's sending socket.
func NewClient(cfg LoadConfig) (*Client, error) {
	out, err := net.ListenUDP("udp", nil)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, out: out, src: rng.NewKey(cfg.Seed, rng.Ablation).Sub(1 << 40).Source(),
		buf: make([]byte, 2048), lat: make([]float64, 0, cfg.Packets), t0: time.Now()}, nil
}

// Close closes the sending socket.
func (c *Client) Close() { c.out.Close() }

// Exchange sends a stimulation command with frequencies and amplitudes
// drawn uniformly from the trainer's ranges, [4, 40] Hz and [1, 2.5] µA,
// waits cfg.Wait, then reads until its reply (skipping stale ones) or the
// timeout, as the trainer does.
func (c *Client) Exchange() error {
	var cmd StimCommand
	for g := range Groups {
		cmd.FrequencyHz[g] = float32(4 + 36*c.src.Float64())
		cmd.AmplitudeUA[g] = float32(1 + 1.5*c.src.Float64())
	}
	sent := time.Now()
	cmd.TimestampUs = uint64(sent.UnixMicro())
	c.pkt, _ = cmd.AppendBinary(c.pkt[:0])
	if _, err := c.out.WriteToUDPAddrPort(c.pkt, c.cfg.Stim); err != nil {
		return fmt.Errorf("cl1: client: send: %w", err)
	}
	c.res.Sent++
	if c.cfg.Wait > 0 {
		time.Sleep(c.cfg.Wait)
	}
	deadline := sent.Add(c.cfg.Timeout)
	for {
		c.cfg.Replies.SetReadDeadline(deadline)
		n, _, err := c.cfg.Replies.ReadFromUDPAddrPort(c.buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			c.res.Lost++
			return nil
		}
		if err != nil {
			return fmt.Errorf("cl1: client: receive: %w", err)
		}
		got := time.Now()
		d, err := DecodeSpikeData(c.buf[:n])
		if err != nil {
			return fmt.Errorf("cl1: client: reply: %w", err)
		}
		if d.TimestampUs < cmd.TimestampUs {
			c.res.Stale++
			continue
		}
		c.res.Replies++
		l := got.Sub(sent)
		if l > c.cfg.LateAfter {
			c.res.Late++
		}
		c.lat = append(c.lat, ms(l))
		return nil
	}
}

// Result returns what the exchanges so far measured.
func (c *Client) Result() LoadResult {
	r := c.res
	r.WallS = time.Since(c.t0).Seconds()
	r.RatePerS = float64(r.Sent) / r.WallS
	r.LateAfterMs = ms(c.cfg.LateAfter)
	if len(c.lat) > 0 {
		lat := slices.Sorted(slices.Values(c.lat))
		q := func(p float64) float64 { return lat[min(len(lat)-1, int(math.Ceil(p*float64(len(lat))))-1)] }
		r.P50Ms, r.P90Ms, r.P99Ms, r.MaxMs = q(0.5), q(0.9), q(0.99), lat[len(lat)-1]
		var sum float64
		for _, v := range lat {
			sum += v
		}
		r.MeanMs = sum / float64(len(lat))
	}
	return r
}

// LoadTest runs a client until cfg.Packets exchanges are done or ctx ends.
func LoadTest(ctx context.Context, cfg LoadConfig) (LoadResult, error) {
	c, err := NewClient(cfg)
	if err != nil {
		return LoadResult{}, err
	}
	defer c.Close()
	for i := 0; i < cfg.Packets && ctx.Err() == nil; i++ {
		if err := c.Exchange(); err != nil {
			return c.Result(), err
		}
		if cfg.Progress != nil {
			cfg.Progress(i + 1)
		}
	}
	return c.Result(), ctx.Err()
}

// ReplyBound returns the latest the protocol answers a stim: up to one
// tick until the loop reads it, artifact + collect ticks, and 5 ms for the
// operating system to schedule and deliver the datagrams.
func (c ServerConfig) ReplyBound() time.Duration {
	a, k := c.Ticks()
	return time.Duration(float64(a+k+1)/c.TickHz*float64(time.Second)) + 5*time.Millisecond
}
