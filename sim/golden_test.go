package sim

import (
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"

	"github.com/bl1-go/bl1/models"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden is the fingerprint of a reference run.
type golden struct {
	Spikes int     `json:"spikes"`
	FNV64a string  `json:"fnv64a"` // of the (step, neuron) pairs, little-endian
	First  []int64 `json:"first_neurons"`
}

// TestSeedStability pins the spikes of a reference run (the pattern of
// math/rand/v2's regress_test.go): the same seed must give the same spikes
// from release to release. Run with -update after a deliberate change of
// the model or the random streams, and say so in the commit message. The
// golden assumes Go's default GOAMD64=v1 (no FMA contraction).
func TestSeedStability(t *testing.T) {
	for _, integ := range []models.Integrator{models.ForwardEuler, models.ExponentialEuler} {
		t.Run(integ.String(), func(t *testing.T) { seedStability(t, integ) })
	}
}

func seedStability(t *testing.T, integ models.Integrator) {
	cfg := testConfig(2)
	cfg.Integrator = integ
	l := run(t, testCulture(t, 11), cfg, 1000)
	h := fnv.New64a()
	var b [16]byte
	for k := range l.ids {
		for i := range 8 {
			b[i] = byte(l.steps[k] >> (8 * i))
			b[8+i] = byte(l.ids[k] >> (8 * i))
		}
		h.Write(b[:])
	}
	got := golden{Spikes: len(l.ids), FNV64a: fmt.Sprintf("%016x", h.Sum64()), First: l.ids[:min(10, len(l.ids))]}
	path := filepath.Join("testdata", "seed_stability.json")
	if integ != models.ForwardEuler {
		path = filepath.Join("testdata", "seed_stability_"+integ.String()+".json")
	}
	if *update {
		os.MkdirAll("testdata", 0o755)
		js, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(js, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	js, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./sim -run SeedStability -update to create it)", err)
	}
	var want golden
	if err := json.Unmarshal(js, &want); err != nil {
		t.Fatal(err)
	}
	if got.Spikes != want.Spikes || got.FNV64a != want.FNV64a {
		t.Fatalf("reference run changed: %d spikes (hash %s, first %v), golden %d (hash %s, first %v)",
			got.Spikes, got.FNV64a, got.First, want.Spikes, want.FNV64a, want.First)
	}
}
