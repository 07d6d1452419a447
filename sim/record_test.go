package sim

import (
	"context"
	"math"
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
	rate, err := NewRateRecorder(dir, c.Excitatory, 20, 1000)
	if err != nil {
		t.Fatal(err)
	}
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
	// Rate bins of 20 steps (10 ms): 50 bins whose rates add up to all
	// spikes; the coarse copy (at most ~2,000 bins) holds them too.
	ratePath := filepath.Join(dir, "rate.npz")
	if err := rate.WriteNPZ(ratePath, 0.5); err != nil {
		t.Fatal(err)
	}
	rf, err := npz.Open(ratePath)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	var rt, rall, rexc, rinh []float64
	for name, p := range map[string]*[]float64{"t_ms.npy": &rt, "rate_hz.npy": &rall, "rate_exc_hz.npy": &rexc, "rate_inh_hz.npy": &rinh} {
		if err := rf.Read(name, p); err != nil {
			t.Fatal(err)
		}
	}
	if len(rt) != 50 || rt[0] != 5 || rt[49] != 495 || len(rall) != 50 {
		t.Fatalf("rate.npz: %d bins, t %v..%v", len(rt), rt[0], rt[len(rt)-1])
	}
	nE := 0
	for _, x := range c.Excitatory {
		if x {
			nE++
		}
	}
	var fromRates, coarse float64
	for k := range rall {
		// rate = count / neurons / 0.01 s
		fromRates += rexc[k]*float64(nE)*0.01 + rinh[k]*float64(c.N()-nE)*0.01
		if d := rall[k]*float64(c.N()) - rexc[k]*float64(nE) - rinh[k]*float64(c.N()-nE); math.Abs(d) > 1e-6 {
			t.Fatalf("bin %d: total rate disagrees with E and I", k)
		}
	}
	for k := range rate.CoarseExc {
		coarse += float64(rate.CoarseExc[k] + rate.CoarseInh[k])
	}
	if math.Abs(fromRates-float64(len(ids))) > 1e-6 || int(coarse) != len(ids) {
		t.Fatalf("rate bins hold %.1f spikes (coarse %.0f), want %d", fromRates, coarse, len(ids))
	}
	// The spool files are gone after Close.
	rec.Close()
	rate.Close()
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"rate.npz", "spikes.npz"}) {
		t.Fatalf("folder holds %v, want only rate.npz and spikes.npz", names)
	}
}
