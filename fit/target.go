package fit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"codeberg.org/sbinet/npyio/npz"
	"gopkg.in/yaml.v3"

	"github.com/bl1-go/bl1/adjoint"
)

// Stats are target statistics of a culture's activity, the YAML file that
// `bl1 fit -target` accepts. Every statistic is optional; at least one must
// be given.
type Stats struct {
	RateHz           *float64  `yaml:"rate_hz"`            // mean rate of all neurons
	RateExcHz        *float64  `yaml:"rate_exc_hz"`        // of the excitatory neurons
	RateInhHz        *float64  `yaml:"rate_inh_hz"`        // of the inhibitory neurons
	Fano             *float64  `yaml:"fano"`               // of the population count in bins of fano_bin_ms
	FanoBinMs        float64   `yaml:"fano_bin_ms"`        // default 10
	BurstsPerMin     *float64  `yaml:"bursts_per_min"`     // network bursts per minute
	BurstThresholdHz float64   `yaml:"burst_threshold_hz"` // smoothed population rate that marks a burst; default 4 × rate
	ChannelRatesHz   []float64 `yaml:"channel_rates_hz"`   // rates of channels of consecutive neurons
	Weights          Weights   `yaml:"weights"`
}

// Weights of the terms of a fit's loss.
type Weights struct {
	Rate     float64 `yaml:"rate"`     // default 1
	Fano     float64 `yaml:"fano"`     // default 0.01
	Bursts   float64 `yaml:"bursts"`   // default 0.1
	Channels float64 `yaml:"channels"` // default 1
	Trace    float64 `yaml:"trace"`    // default 0.1
}

func (w Weights) withDefaults() Weights {
	w.Rate, w.Fano, w.Bursts = or(w.Rate, 1), or(w.Fano, 0.01), or(w.Bursts, 0.1)
	w.Channels, w.Trace = or(w.Channels, 1), or(w.Trace, 0.1)
	return w
}

// StatsError is a problem with a statistics file, at a line when known.
type StatsError struct {
	File string
	Line int
	Msg  string
}

func (e *StatsError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ParseStats reads target statistics; unknown keys and values out of
// their domain are errors that name the file, the line and the key.
func ParseStats(name string, data []byte) (*Stats, error) {
	var s Stats
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &StatsError{File: name, Msg: "empty statistics file"}
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = te.Errors[0]
		}
		var line int
		if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
			msg = strings.TrimSpace(msg[strings.IndexByte(msg, ':')+1:])
		}
		return nil, &StatsError{File: name, Line: line, Msg: msg}
	}
	bad := func(key string, v float64, cond bool) error {
		if cond {
			return nil
		}
		return &StatsError{File: name, Msg: fmt.Sprintf("%s = %g is out of range", key, v)}
	}
	pos := func(key string, p *float64) error {
		if p == nil {
			return nil
		}
		return bad(key, *p, *p >= 0 && !math.IsInf(*p, 0))
	}
	for _, c := range []struct {
		k string
		p *float64
	}{{"rate_hz", s.RateHz}, {"rate_exc_hz", s.RateExcHz}, {"rate_inh_hz", s.RateInhHz}, {"fano", s.Fano}, {"bursts_per_min", s.BurstsPerMin}} {
		if err := pos(c.k, c.p); err != nil {
			return nil, err
		}
	}
	for k, r := range s.ChannelRatesHz {
		if err := bad(fmt.Sprintf("channel_rates_hz[%d]", k), r, r >= 0 && !math.IsInf(r, 0)); err != nil {
			return nil, err
		}
	}
	for _, c := range []struct {
		k string
		v float64
	}{{"fano_bin_ms", s.FanoBinMs}, {"burst_threshold_hz", s.BurstThresholdHz}, {"weights.rate", s.Weights.Rate},
		{"weights.fano", s.Weights.Fano}, {"weights.bursts", s.Weights.Bursts}, {"weights.channels", s.Weights.Channels}, {"weights.trace", s.Weights.Trace}} {
		if err := bad(c.k, c.v, c.v >= 0 && !math.IsInf(c.v, 0)); err != nil {
			return nil, err
		}
	}
	if s.RateHz == nil && s.RateExcHz == nil && s.RateInhHz == nil && s.Fano == nil && s.BurstsPerMin == nil && len(s.ChannelRatesHz) == 0 {
		return nil, &StatsError{File: name, Msg: "no target statistic (rate_hz, rate_exc_hz, rate_inh_hz, fano, bursts_per_min, channel_rates_hz)"}
	}
	return &s, nil
}

// ReadStats reads a statistics file.
func ReadStats(path string) (*Stats, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &StatsError{File: path, Msg: err.Error()}
	}
	return ParseStats(path, data)
}

// ReadSpikes reads a recording in the run-folder format, spikes.npz with
// t_ms (float64, ms) and neuron (int32), into a record of n neurons and
// the steps of dt that cover its first durMs (every spike at or after
// durMs is dropped). Errors name the file and what is wrong.
func ReadSpikes(path string, n int, dt, durMs float64) (*adjoint.Record, error) {
	f, err := npz.Open(path)
	if err != nil {
		return nil, fmt.Errorf("recording %s: %w", path, err)
	}
	defer f.Close()
	var keys []string
	for _, k := range f.Keys() {
		keys = append(keys, strings.TrimSuffix(k, ".npy"))
	}
	for _, k := range []string{"t_ms", "neuron"} {
		if !slices.Contains(keys, k) {
			return nil, fmt.Errorf("recording %s: no array %q (have %v; spikes.npz has t_ms and neuron)", path, k, keys)
		}
	}
	var tms []float64
	var ids []int32
	if err := f.Read("t_ms.npy", &tms); err != nil {
		return nil, fmt.Errorf("recording %s: t_ms: %w (want float64)", path, err)
	}
	if err := f.Read("neuron.npy", &ids); err != nil {
		return nil, fmt.Errorf("recording %s: neuron: %w (want int32)", path, err)
	}
	if len(tms) != len(ids) {
		return nil, fmt.Errorf("recording %s: %d spike times but %d neuron indices", path, len(tms), len(ids))
	}
	T := int(math.Round(durMs / dt))
	if T < 1 {
		return nil, fmt.Errorf("recording %s: a duration of %g ms is less than one step", path, durMs)
	}
	type ev struct {
		t  int
		id int32
	}
	var evs []ev
	for k, t := range tms {
		if math.IsNaN(t) || t < 0 || math.IsInf(t, 0) {
			return nil, fmt.Errorf("recording %s: spike %d at t_ms = %g", path, k, t)
		}
		if id := ids[k]; id < 0 || int(id) >= n {
			return nil, fmt.Errorf("recording %s: spike %d of neuron %d, outside the culture's [0, %d)", path, k, id, n)
		}
		step := int(math.Round(t / dt))
		if step >= T {
			continue
		}
		evs = append(evs, ev{step, ids[k]})
	}
	slices.SortStableFunc(evs, func(a, b ev) int {
		if a.t != b.t {
			return a.t - b.t
		}
		return int(a.id) - int(b.id)
	})
	rec := &adjoint.Record{T: T, N: n, Off: make([]int, T+1)}
	k := 0
	for t := range T {
		for ; k < len(evs) && evs[k].t == t; k++ {
			if j := len(rec.IDs) - 1; j >= 0 && rec.Off[t] <= j && rec.IDs[j] == evs[k].id {
				continue // two spikes of one neuron in one step count once
			}
			rec.IDs = append(rec.IDs, evs[k].id)
			rec.Vals = append(rec.Vals, 1)
		}
		rec.Off[t+1] = len(rec.IDs)
	}
	return rec, nil
}

// Slice returns steps [t0, t0+T) of rec.
func Slice(rec *adjoint.Record, t0, T int) *adjoint.Record {
	out := &adjoint.Record{T: T, N: rec.N, Off: make([]int, T+1)}
	base := rec.Off[t0]
	for t := range T {
		out.Off[t+1] = rec.Off[t0+t+1] - base
	}
	out.IDs = rec.IDs[base:rec.Off[t0+T]]
	out.Vals = rec.Vals[base:rec.Off[t0+T]]
	return out
}

// Rate returns the mean rate (Hz) of the neurons ids (nil: all) in rec.
func Rate(rec *adjoint.Record, ids []int32, dt float64) float64 {
	c := rec.Counts()
	s := subset(ids, rec.N)
	sum := 0.0
	for _, i := range s {
		sum += c[i]
	}
	return sum * hz(len(s), rec.T, dt)
}

// FanoFactor returns the Fano factor of the population count of the
// neurons ids (nil: all) in bins of binMs.
func FanoFactor(rec *adjoint.Record, ids []int32, binMs, dt float64) float64 {
	b := max(1, int(math.Round(binMs/dt)))
	F, _ := fano(bins(population(rec, membership(ids, rec.N)), b))
	return F
}

// Channels returns the assignment of n neurons to channels of perChannel
// consecutive neurons (the culture orders neurons by position, so a
// channel is a patch of the substrate; a virtual MEA gives real ones).
func Channels(n, perChannel int) [][]float64 {
	var a [][]float64
	for lo := 0; lo < n; lo += perChannel {
		row := make([]float64, n)
		for i := lo; i < min(n, lo+perChannel); i++ {
			row[i] = 1
		}
		a = append(a, row)
	}
	return a
}

// ChannelRate returns the rate each channel of assign records in rec, Hz.
func ChannelRate(rec *adjoint.Record, assign [][]float64, dt float64) []float64 {
	c := rec.Counts()
	out := make([]float64, len(assign))
	for ch, row := range assign {
		for i, a := range row {
			out[ch] += a * c[i]
		}
		out[ch] *= hz(1, rec.T, dt)
	}
	return out
}

// Split returns the excitatory and inhibitory neurons of m.
func Split(m *adjoint.Model) (exc, inh []int32) {
	for i, e := range m.Excitatory {
		if e {
			exc = append(exc, int32(i))
		} else {
			inh = append(inh, int32(i))
		}
	}
	return exc, inh
}

// StatsLoss returns the loss of matching statistics s in a window of the
// model m: a weighted sum of log-rate, Fano, burst-rate and channel-rate
// terms for the statistics s gives.
func StatsLoss(s *Stats, m *adjoint.Model, perChannel int) (*Sum, error) {
	w := s.Weights.withDefaults()
	exc, inh := Split(m)
	dt := m.Dt
	sum := &Sum{}
	add := func(name string, weight float64, l Loss) { sum.Terms = append(sum.Terms, Term{name, weight, l}) }
	if s.RateHz != nil {
		add("rate", w.Rate, &LogRate{TargetHz: *s.RateHz, Dt: dt})
	}
	if s.RateExcHz != nil {
		if len(exc) == 0 {
			return nil, errors.New("fit: rate_exc_hz given, but the culture has no excitatory neurons")
		}
		add("rate_exc", w.Rate, &LogRate{TargetHz: *s.RateExcHz, Neurons: exc, Dt: dt})
	}
	if s.RateInhHz != nil {
		if len(inh) == 0 {
			return nil, errors.New("fit: rate_inh_hz given, but the culture has no inhibitory neurons")
		}
		add("rate_inh", w.Rate, &LogRate{TargetHz: *s.RateInhHz, Neurons: inh, Dt: dt})
	}
	if s.Fano != nil {
		add("fano", w.Fano, &Fano{Target: *s.Fano, BinMs: s.FanoBinMs, Dt: dt})
	}
	if s.BurstsPerMin != nil {
		th := s.BurstThresholdHz
		if th == 0 {
			switch {
			case s.RateHz != nil && *s.RateHz > 0:
				th = 4 * *s.RateHz
			default:
				return nil, errors.New("fit: bursts_per_min needs burst_threshold_hz or rate_hz (the threshold defaults to 4 × rate_hz)")
			}
		}
		add("bursts", w.Bursts, &BurstRate{TargetPerMin: *s.BurstsPerMin, ThresholdHz: th, Dt: dt})
	}
	if len(s.ChannelRatesHz) > 0 {
		assign := Channels(m.N(), perChannel)
		if len(assign) != len(s.ChannelRatesHz) {
			return nil, fmt.Errorf("fit: %d channel rates, but %d neurons in channels of %d make %d channels", len(s.ChannelRatesHz), m.N(), perChannel, len(assign))
		}
		add("channels", w.Channels, &ChannelRates{Assign: assign, TargetHz: s.ChannelRatesHz, Dt: dt})
	}
	return sum, nil
}

// RecordingLoss returns the loss of matching a window of a recording: the
// rates of its excitatory and inhibitory neurons and of its channels, the
// Fano factor of its population count and, with trace set, the time
// course of its excitatory and inhibitory population rates (meaningful
// when the recording was made with the same drive realization, as a
// simulation with the same seed).
func RecordingLoss(target *adjoint.Record, m *adjoint.Model, perChannel int, trace bool, w Weights) *Sum {
	w = w.withDefaults()
	exc, inh := Split(m)
	dt := m.Dt
	sum := &Sum{}
	add := func(name string, weight float64, l Loss) { sum.Terms = append(sum.Terms, Term{name, weight, l}) }
	if len(exc) > 0 {
		add("rate_exc", w.Rate, &LogRate{TargetHz: Rate(target, exc, dt), Neurons: exc, Dt: dt})
	}
	if len(inh) > 0 {
		add("rate_inh", w.Rate, &LogRate{TargetHz: Rate(target, inh, dt), Neurons: inh, Dt: dt})
	}
	assign := Channels(m.N(), perChannel)
	add("channels", w.Channels, &ChannelRates{Assign: assign, TargetHz: ChannelRate(target, assign, dt), Dt: dt})
	add("fano", w.Fano, &Fano{Target: FanoFactor(target, nil, 10, dt), BinMs: 10, Dt: dt})
	if trace {
		for _, g := range []struct {
			name string
			ids  []int32
		}{{"trace_exc", exc}, {"trace_inh", inh}} {
			if len(g.ids) == 0 {
				continue
			}
			l := &RateTrace{Neurons: g.ids, Dt: dt}
			l.Target = l.Trace(target)
			add(g.name, w.Trace, l)
		}
	}
	return sum
}
