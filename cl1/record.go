package cl1

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/bl1-go/bl1/internal/atomicfile"
	"github.com/bl1-go/bl1/internal/npy"
)

// DataStream is a named series of timestamped records (the CL SDK's
// DataStream): timestamps in frames, strictly ascending. WriteJSONL saves
// it one JSON object per line.
type DataStream struct {
	Name string
	buf  bytes.Buffer
	n    int
	last int64
}

// Append adds a record; data must marshal to JSON.
func (d *DataStream) Append(timestamp int64, data any) error {
	if d.n > 0 && timestamp <= d.last {
		return fmt.Errorf("data stream %s: timestamp %d after %d; timestamps must ascend", d.Name, timestamp, d.last)
	}
	b, err := json.Marshal(struct {
		Timestamp int64 `json:"timestamp"`
		Data      any   `json:"data"`
	}{timestamp, data})
	if err != nil {
		return fmt.Errorf("data stream %s: %w", d.Name, err)
	}
	d.buf.Write(b)
	d.buf.WriteByte('\n')
	d.n++
	d.last = timestamp
	return nil
}

// Len returns the number of records.
func (d *DataStream) Len() int { return d.n }

// WriteJSONL writes the records, one JSON object per line, atomically.
func (d *DataStream) WriteJSONL(path string) error {
	return atomicfile.WriteFile(path, d.buf.Bytes())
}

// stimLog keeps every applied stimulation command.
type stimLog struct {
	tMs       []float64
	received  []int64
	sent      []int64
	freq, amp []float32
}

func (l *stimLog) add(tMs float64, at time.Time, c StimCommand) {
	l.tMs = append(l.tMs, tMs)
	l.received = append(l.received, at.UnixMicro())
	l.sent = append(l.sent, int64(c.TimestampUs))
	l.freq = append(l.freq, c.FrequencyHz[:]...)
	l.amp = append(l.amp, c.AmplitudeUA[:]...)
}

// replyLog keeps every reply.
type replyLog struct {
	tMs     []float64
	unixUs  []int64
	counts  []float32
	latency []float64
}

func (l *replyLog) add(tMs float64, d SpikeData, lat time.Duration) {
	l.tMs = append(l.tMs, tMs)
	l.unixUs = append(l.unixUs, int64(d.TimestampUs))
	l.counts = append(l.counts, d.Counts[:]...)
	v := math.NaN()
	if lat > 0 {
		v = ms(lat)
	}
	l.latency = append(l.latency, v)
}

// Write saves the session in dir:
//
//	cl1_stims.npz    t_ms (simulated time applied), received_unix_us, sent_unix_us (the packet's), frequency_hz, amplitude_ua [n, 8]
//	cl1_replies.npz  t_ms (simulated time sent), unix_us, counts [n, 8] float32, latency_ms (stim arrival to reply; NaN in every-tick mode)
//	events.jsonl     the event packets: {"timestamp": frame, "data": {"unix_us", "event_type", "data"}} per line
//	cl1.json         the server's settings and counters
func (s *Server) Write(dir string) error {
	st, rp := &s.stimLog, &s.replyLog
	n := len(st.tMs)
	if err := writeNPZ(filepath.Join(dir, "cl1_stims.npz"),
		func(z *npy.NPZ) error { return z.Float64("t_ms", st.tMs) },
		func(z *npy.NPZ) error { return z.Int64("received_unix_us", st.received) },
		func(z *npy.NPZ) error { return z.Int64("sent_unix_us", st.sent) },
		func(z *npy.NPZ) error { return z.Float32("frequency_hz", st.freq, n, Groups) },
		func(z *npy.NPZ) error { return z.Float32("amplitude_ua", st.amp, n, Groups) },
	); err != nil {
		return err
	}
	if err := writeNPZ(filepath.Join(dir, "cl1_replies.npz"),
		func(z *npy.NPZ) error { return z.Float64("t_ms", rp.tMs) },
		func(z *npy.NPZ) error { return z.Int64("unix_us", rp.unixUs) },
		func(z *npy.NPZ) error { return z.Float32("counts", rp.counts, len(rp.tMs), Groups) },
		func(z *npy.NPZ) error { return z.Float64("latency_ms", rp.latency) },
	); err != nil {
		return err
	}
	if err := s.stream.WriteJSONL(filepath.Join(dir, "events.jsonl")); err != nil {
		return err
	}
	a, c := s.cfg.Ticks()
	stim, event, feedback := s.Addrs()
	info := struct {
		Stim          string   `json:"stim_addr"`
		Event         string   `json:"event_addr"`
		Feedback      string   `json:"feedback_addr"`
		Replies       string   `json:"reply_addr"`
		TickHz        float64  `json:"tick_hz"`
		ArtifactTicks int      `json:"artifact_ticks"`
		CollectTicks  int      `json:"collect_ticks"`
		Ablation      string   `json:"spike_ablation"`
		EveryTick     bool     `json:"every_tick"`
		Groups        []string `json:"groups"`
		Stats         Stats    `json:"stats"`
	}{stim.String(), event.String(), feedback.String(), s.dst.String(), s.cfg.TickHz, a, c, string(s.cfg.Ablation), s.cfg.EveryTick, GroupNames[:], s.Stats()}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, "cl1.json"), append(b, '\n'))
}

// writeNPZ writes the arrays that arrays add, or nothing on an error.
func writeNPZ(path string, arrays ...func(z *npy.NPZ) error) error {
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	for _, add := range arrays {
		if err := add(z); err != nil {
			z.Abort()
			return err
		}
	}
	return z.Close()
}
