package sim

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

// The spike recorder's spikes.npz, read back with an independent NPZ
// reader (npyio), holds exactly the spikes the engine reported.
func TestSpikeRecorderNPZ(t *testing.T) {
	c := testCulture(t, 12)
	dir := t.TempDir()
	e, err := New(c, testConfig(2))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	rec, err := NewSpikeRecorder(dir, c.N(), 0.5)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	rate := NewRateRecorder(c.Excitatory, 20)
	l := &spikeLog{}
	if err := e.Run(context.Background(), 1000, rec, rate, l); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "spikes.npz")
	if err := rec.WriteNPZ(path); err != nil {
		t.Fatal(err)
	}
	f, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var tms []float64
	var ids []int32
	if err := f.Read("t_ms.npy", &tms); err != nil {
		t.Fatal(err)
	}
	if err := f.Read("neuron.npy", &ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(l.ids) || len(tms) != len(ids) || int64(len(ids)) != rec.N() {
		t.Fatalf("npz has %d/%d spikes, engine reported %d", len(tms), len(ids), len(l.ids))
	}
	var total int64
	for k := range ids {
		if int64(ids[k]) != l.ids[k] || tms[k] != float64(l.steps[k])*0.5 {
			t.Fatalf("spike %d: (%g ms, %d), want (%g, %d)", k, tms[k], ids[k], float64(l.steps[k])*0.5, l.ids[k])
		}
	}
	for _, n := range rec.Counts {
		total += n
	}
	if total != int64(len(ids)) {
		t.Fatalf("per-neuron counts sum to %d, want %d", total, len(ids))
	}
	// Rate bins of 20 steps: 50 bins, summing to all spikes.
	if len(rate.Exc) != 50 {
		t.Fatalf("%d rate bins, want 50", len(rate.Exc))
	}
	var binned int32
	for i := range rate.Exc {
		binned += rate.Exc[i] + rate.Inh[i]
	}
	if int(binned) != len(ids) {
		t.Fatalf("rate bins hold %d spikes, want %d", binned, len(ids))
	}
	// The spool files are gone after Close.
	rec.Close()
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"spikes.npz"}) {
		t.Fatalf("folder holds %v, want only spikes.npz", names)
	}
}
