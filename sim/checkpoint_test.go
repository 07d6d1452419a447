package sim

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A run checkpointed and resumed (in a new engine, with another number of
// workers) gives the same spikes and the same final wiring and weights as
// one uninterrupted run, bit for bit, with every plasticity rule on.
func TestCheckpointResume(t *testing.T) {
	c := testCulture(t, 31)
	cfg := testConfig(2)
	cfg.Plasticity = allRules()
	const first, second = 777, 1100 // the checkpoint falls between structural ticks and mid-chunk
	whole, err := New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ref := &spikeLog{}
	if err := whole.Run(context.Background(), first+second, ref); err != nil {
		t.Fatal(err)
	}
	rRow, rPost, rW, _ := whole.Wiring()
	whole.Close()

	a, err := New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := &spikeLog{}
	if err := a.Run(context.Background(), first, got); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ckpt.npz")
	if err := a.Save(path, json.RawMessage(`{"note":"x"}`)); err != nil {
		t.Fatal(err)
	}
	a.Close()

	cfg.Workers = 3
	b, err := New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Restore(path); err != nil {
		t.Fatal(err)
	}
	if b.Step() != first {
		t.Fatalf("restored at step %d, want %d", b.Step(), first)
	}
	if err := b.Run(context.Background(), second, got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.steps, ref.steps) || !slices.Equal(got.ids, ref.ids) {
		t.Fatalf("resumed run: %d spikes, uninterrupted %d", len(got.ids), len(ref.ids))
	}
	row, post, w, _ := b.Wiring()
	if !slices.Equal(row, rRow) || !slices.Equal(post, rPost) || !slices.Equal(w, rW) {
		t.Fatal("resumed wiring or weights differ")
	}
	if b.Stats().Grown == 0 {
		t.Fatal("no rewiring happened: the test does not cover structural state")
	}
	extra, err := CheckpointExtra(path)
	if err != nil || string(extra) != `{"note":"x"}` {
		t.Fatalf("extra %s, %v", extra, err)
	}
}

// A checkpoint does not load into an engine it does not fit.
func TestCheckpointMismatch(t *testing.T) {
	c := testCulture(t, 32)
	e, err := New(c, testConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	e.Run(context.Background(), 10)
	path := filepath.Join(t.TempDir(), "ckpt.npz")
	if err := e.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	e.Close()
	cfg := testConfig(1)
	cfg.Seed = 99
	f, _ := New(c, cfg)
	defer f.Close()
	if err := f.Restore(path); err == nil || !strings.Contains(err.Error(), "seed") {
		t.Fatalf("seed mismatch: %v", err)
	}
	cfg = testConfig(1)
	cfg.Plasticity = allRules()
	g, _ := New(c, cfg)
	defer g.Close()
	if err := g.Restore(path); err == nil || !strings.Contains(err.Error(), "plasticity") {
		t.Fatalf("rules mismatch: %v", err)
	}
	other := testCulture(t, 33)
	h, _ := New(other, testConfig(1))
	defer h.Close()
	if err := h.Restore(path); err == nil {
		t.Fatal("checkpoint of another culture accepted")
	}
	if err := h.Restore(filepath.Join(t.TempDir(), "missing.npz")); err == nil {
		t.Fatal("missing file accepted")
	}
}
