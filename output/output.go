// Package output writes and reads the run folder, the documented output
// contract of `bl1 run`:
//
//	config.yaml      the fully resolved configuration
//	spikes.npz       t_ms (float64, ms), neuron (int32), sorted by time
//	neurons.npz      x_um, y_um, z_um (float32), type (str), excitatory (bool)
//	rate.npz         t_ms (bin centres), rate_hz, rate_exc_hz, rate_inh_hz (float64)
//	probes.npz       t_ms (float64), neuron (int32), v_mv (float32 [steps, probes])  (if probes are set)
//	synapses.npz     pre, post (int32), weight, delay_ms (float32), excitatory (bool)  (with -save-connectivity; the wiring at the end)
//	weights_NNNN.npz the same and effective_weight, t_ms: weight snapshots (outputs.weights_every_s)
//	weights.png      percentiles of the excitatory effective weights over the snapshots
//	checkpoint.npz   the engine's full state (simulation.checkpoint_every_s or -checkpoint-every); resume with -resume
//	summary.json     sizes, rates, timing, seed, version; "partial": true if interrupted
//	raster.png       spike raster, excitatory blue, inhibitory red
//	rate.png         population rate
//
// Every file is written atomically; summary.json is written last, so a
// folder without it is an unfinished run. Python loads everything with
// numpy: np.load("spikes.npz")["t_ms"], json.load(open("summary.json")).
package output

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"runtime"
	"runtime/debug"
	"slices"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/atomicfile"
	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/mea"
)

// Version is the simulator's version.
const Version = "0.1.0"

// VersionString returns the version with the VCS revision when the binary
// carries one.
func VersionString() string {
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

// Summary is summary.json.
type Summary struct {
	NNeurons          int     `json:"n_neurons"`
	NSynapses         int     `json:"n_synapses"`
	SynapsesPerNeuron float64 `json:"synapses_per_neuron"`
	NExcitatory       int     `json:"n_excitatory"`
	NInhibitory       int     `json:"n_inhibitory"`
	DtMs              float64 `json:"dt_ms"`
	Steps             int64   `json:"steps"`
	SimS              float64 `json:"sim_s"` // simulated in this run (from start_s)
	WallS             float64 `json:"wall_s"`
	BuildS            float64 `json:"build_s"`
	RealtimeFactor    float64 `json:"realtime_factor"`
	NSpikes           int64   `json:"n_spikes"`
	MeanRateHz        float64 `json:"mean_rate_hz"`
	RateExcHz         float64 `json:"rate_exc_hz"`
	RateInhHz         float64 `json:"rate_inh_hz"`
	Seed              uint64  `json:"seed"`
	Workers           int     `json:"workers"`
	Version           string  `json:"version"`
	GoVersion         string  `json:"go_version"`
	Config            string  `json:"config"`
	StartS            float64 `json:"start_s"`
	ResumedFrom       string  `json:"resumed_from,omitempty"`
	Partial           bool    `json:"partial"`
	Error             string  `json:"error,omitempty"`

	Plasticity *PlasticitySummary `json:"plasticity,omitempty"`
	MEA        *mea.Summary       `json:"mea,omitempty"`
}

// PlasticitySummary is the plastic state at the end of a run.
type PlasticitySummary struct {
	Rules         []string `json:"rules"`
	Synapses      int      `json:"n_synapses_end"`
	MeanWeightExc float64  `json:"mean_weight_exc"` // effective (with homeostatic gains)
	MeanWeightInh float64  `json:"mean_weight_inh"`
	Pruned        int64    `json:"pruned"`
	Grown         int64    `json:"grown"`
}

// NewSummary fills the fields that describe the build.
func NewSummary() Summary {
	return Summary{Version: VersionString(), GoVersion: runtime.Version()}
}

// WriteJSON writes v as indented JSON, atomically.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'))
}

// Num is a float in JSON that writes NaN and infinities as null (json
// rejects them): an undefined statistic, such as σ of a graph without
// triangles, reads as None in Python.
type Num float64

// MarshalJSON implements json.Marshaler.
func (v Num) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// UnmarshalJSON implements json.Unmarshaler: null is NaN.
func (v *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = Num(math.NaN())
		return nil
	}
	var f float64
	err := json.Unmarshal(b, &f)
	*v = Num(f)
	return err
}

// WriteNeurons writes neurons.npz.
func WriteNeurons(path string, c *culture.Culture) error {
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	types := make([]string, c.N())
	for i, t := range c.Type {
		types[i] = c.Types[t].Name
	}
	err = firstErr(
		func() error { return z.Float32("x_um", c.X) },
		func() error { return z.Float32("y_um", c.Y) },
		func() error { return z.Float32("z_um", c.Z) },
		func() error { return z.Strings("type", types) },
		func() error { return z.Bool("excitatory", c.Excitatory) },
	)
	if err != nil {
		z.Abort()
		return err
	}
	return z.Close()
}

// Synapses is a wiring to write, CSR by presynaptic neuron.
type Synapses struct {
	RowPtr     []int64
	Post       []int32
	Weight     []float32
	DelayMs    []float32
	Excitatory []bool // per neuron

	Effective []float32 // optional: the weights as transmitted (times homeostatic gains)
	TimeMs    float64   // written as t_ms when Snapshot is set
	Snapshot  bool
}

// WriteSynapses writes synapses.npz (or a weights snapshot): pre, post
// (int32), weight, delay_ms (float32) and excitatory (bool) per synapse in
// CSR order, plus effective_weight when given and t_ms for a snapshot.
func WriteSynapses(path string, s Synapses) error {
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	n := len(s.Post)
	neurons := len(s.RowPtr) - 1
	perSynapse := func(name, dtype string, put func(w io.Writer, j, k int64) error) func() error {
		return func() error {
			return z.Array(name, dtype, []int{n}, func(w io.Writer) error {
				for j := range int64(neurons) {
					if err := put(w, j, s.RowPtr[j+1]-s.RowPtr[j]); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
	steps := []func() error{
		perSynapse("pre", "<i4", func(w io.Writer, j, k int64) error {
			return npy.PutInt32(w, slices.Repeat([]int32{int32(j)}, int(k)))
		}),
		func() error { return z.Int32("post", s.Post) },
		func() error { return z.Float32("weight", s.Weight) },
		func() error { return z.Float32("delay_ms", s.DelayMs) },
		perSynapse("excitatory", "|b1", func(w io.Writer, j, k int64) error {
			b := byte(0)
			if s.Excitatory[j] {
				b = 1
			}
			_, err := w.Write(bytes.Repeat([]byte{b}, int(k)))
			return err
		}),
	}
	if s.Effective != nil {
		steps = append(steps, func() error { return z.Float32("effective_weight", s.Effective) })
	}
	if s.Snapshot {
		steps = append(steps, func() error { return z.Float64("t_ms", []float64{s.TimeMs}) })
	}
	if err := firstErr(steps...); err != nil {
		z.Abort()
		return err
	}
	return z.Close()
}

func firstErr(fs ...func() error) error {
	for _, f := range fs {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}
