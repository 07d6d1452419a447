package output

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/bl1-go/bl1/culture"
)

func smallCulture(t *testing.T) *culture.Culture {
	t.Helper()
	s := culture.Default()
	s.N, s.Width, s.Height = 400, 600, 600
	c, err := culture.Build(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// neurons.npz and synapses.npz read back (with the independent npyio
// reader) to the culture's arrays.
func TestNeuronsAndSynapses(t *testing.T) {
	c := smallCulture(t)
	dir := t.TempDir()
	np := filepath.Join(dir, "neurons.npz")
	if err := WriteNeurons(np, c); err != nil {
		t.Fatal(err)
	}
	r, err := npz.Open(np)
	if err != nil {
		t.Fatal(err)
	}
	var x, y []float32
	var exc []bool
	r.Read("x_um.npy", &x)
	r.Read("y_um.npy", &y)
	r.Read("excitatory.npy", &exc)
	if !slices.Equal(x, c.X) || !slices.Equal(y, c.Y) || !slices.Equal(exc, c.Excitatory) {
		t.Fatal("neurons.npz differs from the culture")
	}
	if h := r.Header("type.npy"); h == nil || !strings.Contains(h.Descr.Type, "<U") {
		t.Fatalf("type is not a unicode string array: %+v", h)
	}
	r.Close()

	sp := filepath.Join(dir, "synapses.npz")
	if err := WriteSynapses(sp, Synapses{RowPtr: c.RowPtr, Post: c.Post, Weight: c.Weight, DelayMs: c.DelayMs, Excitatory: c.Excitatory}); err != nil {
		t.Fatal(err)
	}
	r, err = npz.Open(sp)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var pre, post []int32
	var w, d []float32
	var sexc []bool
	r.Read("pre.npy", &pre)
	r.Read("post.npy", &post)
	r.Read("weight.npy", &w)
	r.Read("delay_ms.npy", &d)
	r.Read("excitatory.npy", &sexc)
	if len(pre) != c.NSynapses() || !slices.Equal(post, c.Post) || !slices.Equal(w, c.Weight) || !slices.Equal(d, c.DelayMs) {
		t.Fatal("synapses.npz differs from the culture")
	}
	for s := range pre {
		j := pre[s]
		if int64(s) < c.RowPtr[j] || int64(s) >= c.RowPtr[j+1] || sexc[s] != c.Excitatory[j] {
			t.Fatalf("synapse %d: pre %d, excitatory %v", s, j, sexc[s])
		}
	}
}

func TestWriteJSONAndSummary(t *testing.T) {
	s := NewSummary()
	if s.Version == "" || s.GoVersion == "" {
		t.Fatalf("summary %+v", s)
	}
	s.NNeurons, s.Partial = 5, true
	p := filepath.Join(t.TempDir(), "summary.json")
	if err := WriteJSON(p, s); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"n_neurons", "n_synapses", "sim_s", "wall_s", "realtime_factor", "mean_rate_hz",
		"rate_exc_hz", "rate_inh_hz", "seed", "workers", "version", "partial"} {
		if _, ok := m[k]; !ok {
			t.Errorf("summary.json lacks %q", k)
		}
	}
	if m["partial"] != true {
		t.Fatal("partial not written")
	}
}

// Num writes NaN and infinities as null (encoding/json rejects them) and
// reads null back as NaN; finite values round-trip exactly.
func TestNumJSON(t *testing.T) {
	b, err := json.Marshal(map[string]Num{"a": Num(math.NaN()), "b": Num(math.Inf(1)), "c": 0.1})
	if err != nil || string(b) != `{"a":null,"b":null,"c":0.1}` {
		t.Fatalf("%s, %v", b, err)
	}
	var back map[string]Num
	if err := json.Unmarshal(b, &back); err != nil || !math.IsNaN(float64(back["a"])) || back["c"] != 0.1 {
		t.Fatalf("%v, %v", back, err)
	}
}
