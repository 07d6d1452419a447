// Package output writes and reads the run folder, the documented output
// contract of `bl1 run`:
//
//	config.yaml      the fully resolved configuration
//	spikes.npz       t_ms (float64, ms), neuron (int32), sorted by time
//	neurons.npz      x_um, y_um, z_um (float32), type (str), excitatory (bool)
//	rate.npz         t_ms (bin centres), rate_hz, rate_exc_hz, rate_inh_hz (float64)
//	probes.npz       t_ms (float64), neuron (int32), v_mv (float32 [steps, probes])  (if probes are set)
//	synapses.npz     pre, post (int32), weight, delay_ms (float32), excitatory (bool)  (with -save-connectivity)
//	summary.json     sizes, rates, timing, seed, version; "partial": true if interrupted
//	raster.png       spike raster, excitatory blue, inhibitory red
//	rate.png         population rate
//
// Every file is written atomically; summary.json is written last, so a
// folder without it is an unfinished run. Python loads everything with
// numpy: np.load("spikes.npz")["t_ms"], json.load(open("summary.json")).
package output

import (
	"encoding/json"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/atomicfile"
	"github.com/bl1-go/bl1/internal/npy"
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
	SimS              float64 `json:"sim_s"`
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
	Partial           bool    `json:"partial"`
	Error             string  `json:"error,omitempty"`
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

// WriteSynapses writes synapses.npz, one entry per synapse in CSR order (by
// presynaptic neuron). delayMs holds the delays the engine uses (quantised
// to whole steps); nil writes the culture's exact delays.
func WriteSynapses(path string, c *culture.Culture, delayMs []float32) error {
	if delayMs == nil {
		delayMs = c.DelayMs
	}
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	n := c.NSynapses()
	err = firstErr(
		func() error {
			return z.Array("pre", "<i4", []int{n}, func(w io.Writer) error {
				row := make([]int32, 0, 1024)
				for j := range c.N() {
					row = row[:0]
					for range c.RowPtr[j+1] - c.RowPtr[j] {
						row = append(row, int32(j))
					}
					if err := npy.PutInt32(w, row); err != nil {
						return err
					}
				}
				return nil
			})
		},
		func() error { return z.Int32("post", c.Post) },
		func() error { return z.Float32("weight", c.Weight) },
		func() error { return z.Float32("delay_ms", delayMs) },
		func() error {
			exc := make([]bool, n)
			for j := range c.N() {
				for s := c.RowPtr[j]; s < c.RowPtr[j+1]; s++ {
					exc[s] = c.Excitatory[j]
				}
			}
			return z.Bool("excitatory", exc)
		},
	)
	if err != nil {
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
