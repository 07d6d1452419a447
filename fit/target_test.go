package fit_test

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bl1-go/bl1/fit"
	"github.com/bl1-go/bl1/internal/adjtest"
	"github.com/bl1-go/bl1/internal/npy"
)

func TestParseStats(t *testing.T) {
	s, err := fit.ParseStats("t.yaml", []byte("rate_hz: 2.5\nfano: 3\nweights: {fano: 0.5}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if *s.RateHz != 2.5 || *s.Fano != 3 || s.Weights.Fano != 0.5 || s.RateExcHz != nil {
		t.Errorf("parsed %+v", s)
	}
	for _, tc := range []struct{ text, want string }{
		{"rate_hz: 2\nrates: 3\n", "t.yaml:2: field rates not found"},
		{"rate_hz: -1\n", "rate_hz = -1 is out of range"},
		{"rate_hz: abc\n", "t.yaml:1:"},
		{"fano_bin_ms: 5\n", "no target statistic"},
		{"", "empty statistics file"},
		{"channel_rates_hz: [1, .inf]\n", "channel_rates_hz[1]"},
		{"rate_hz: 1\nweights: {trace: -2}\n", "weights.trace = -2"},
	} {
		_, err := fit.ParseStats("t.yaml", []byte(tc.text))
		var se *fit.StatsError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want a StatsError containing %q", tc.text, err, tc.want)
		}
	}
}

func writeSpikes(t *testing.T, path string, tms []float64, ids []int32) {
	t.Helper()
	z, err := npy.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if tms != nil {
		if err := z.Float64("t_ms", tms); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Int32("neuron", ids); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
}

// A recording is binned into steps; spikes at or after the duration are
// dropped, a neuron's second spike in one step counts once.
func TestReadSpikes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "spikes.npz")
	writeSpikes(t, path, []float64{0, 0.5, 0.6, 1.0, 3.0, 9.0}, []int32{2, 0, 0, 1, 2, 1})
	rec, err := fit.ReadSpikes(path, 3, 0.5, 5)
	if err != nil {
		t.Fatal(err)
	}
	if rec.T != 10 || len(rec.IDs) != 4 {
		t.Fatalf("record of %d steps and %d spikes, want 10 and 4", rec.T, len(rec.IDs))
	}
	for st, want := range map[int][]int32{0: {2}, 1: {0}, 2: {1}, 6: {2}} {
		ids, _ := rec.Step(st)
		if len(ids) != len(want) || ids[0] != want[0] {
			t.Errorf("step %d: %v, want %v", st, ids, want)
		}
	}
	for _, tc := range []struct {
		name string
		tms  []float64
		ids  []int32
		want string
	}{
		{"missing", nil, []int32{1}, `no array "t_ms"`},
		{"neuron", []float64{1}, []int32{7}, "neuron 7, outside"},
		{"time", []float64{math.NaN()}, []int32{0}, "t_ms = NaN"},
		{"lengths", []float64{1, 2}, []int32{0}, "2 spike times but 1 neuron"},
	} {
		p := filepath.Join(dir, tc.name+".npz")
		writeSpikes(t, p, tc.tms, tc.ids)
		if _, err := fit.ReadSpikes(p, 3, 0.5, 5); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := fit.ReadSpikes(filepath.Join(dir, "none.npz"), 3, 0.5, 5); err == nil {
		t.Error("read a file that does not exist")
	}
}

func TestStatsLoss(t *testing.T) {
	m, _, _ := adjtest.Network(adjtest.Spec{Seed: 1, NIzh: 10})
	two := 2.0
	s := &fit.Stats{RateHz: &two, BurstsPerMin: &two, ChannelRatesHz: []float64{1, 2}}
	l, err := fit.StatsLoss(s, m, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Terms) != 3 {
		t.Errorf("%d terms, want rate, bursts and channels", len(l.Terms))
	}
	s.ChannelRatesHz = []float64{1, 2, 3}
	if _, err := fit.StatsLoss(s, m, 5); err == nil {
		t.Error("accepted 3 channel rates for 2 channels")
	}
	if _, err := fit.StatsLoss(&fit.Stats{BurstsPerMin: &two}, m, 5); err == nil {
		t.Error("accepted bursts_per_min without a threshold or rate")
	}
}
