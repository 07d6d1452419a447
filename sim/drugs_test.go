package sim

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/pharmacology"
)

// TTX at 100 × IC50 silences the culture from the first tick of the drug
// clock after it is added, drive or not (BL-1 only zeroes the weights, so
// driven neurons keep firing).
func TestTTXSilences(t *testing.T) {
	c := testCulture(t, 5)
	cfg := testConfig(2)
	cfg.Drugs = pharmacology.Schedule{{Drug: pharmacology.TTX, Conc: 1, AtMs: 100}}
	l := run(t, c, cfg, 600)
	var before, after int
	for _, s := range l.steps {
		if s < 200 {
			before++
		} else {
			after++
		}
	}
	if before < 100 || after != 0 {
		t.Fatalf("%d spikes before TTX (want many), %d after (want 0)", before, after)
	}
}

// Drug effects follow a clock aligned to absolute time: runs split into odd
// pieces, or saved and resumed in the middle of a wash-in, give the spikes
// of one uninterrupted run (with a tonic GABA_A conductance, which
// bicuculline scales).
func TestDrugsDeterministic(t *testing.T) {
	c := testCulture(t, 6)
	cfg := testConfig(2)
	cfg.Synapses.TonicGABAA = 0.02
	cfg.Drugs = pharmacology.Schedule{
		{Drug: pharmacology.CNQX, Conc: 0.5, AtMs: 40, WashMs: 60},
		{Drug: pharmacology.Bicuculline, Conc: 1, AtMs: 90, WashMs: 30, OutMs: 200},
		{Drug: pharmacology.Carbamazepine, Conc: 10, AtMs: 30},
	}
	ref := run(t, c, cfg, 800)
	if len(ref.ids) < 100 {
		t.Fatalf("%d spikes", len(ref.ids))
	}
	e, err := New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := &spikeLog{}
	for e.Step() < 333 {
		if err := e.Run(context.Background(), 37, got); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "ckpt.npz")
	if err := e.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	e.Close()
	f, err := New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Restore(path); err != nil {
		t.Fatal(err)
	}
	if err := f.Run(context.Background(), 800-f.Step(), got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.steps, ref.steps) || !slices.Equal(got.ids, ref.ids) {
		t.Fatalf("split and resumed: %d spikes, uninterrupted %d", len(got.ids), len(ref.ids))
	}
	// And the drugs did something.
	plain := testConfig(2)
	l := run(t, c, plain, 800)
	if slices.Equal(l.ids, ref.ids) {
		t.Fatal("the drugs changed nothing")
	}
	// The tonic conductance (at -75 mV, below every neuron's rest) inhibits.
	tonic := testConfig(2)
	tonic.Synapses.TonicGABAA = 0.05
	if n := len(run(t, c, tonic, 800).ids); n >= len(l.ids) {
		t.Errorf("%d spikes with a tonic GABA_A conductance, %d without", n, len(l.ids))
	}
}
