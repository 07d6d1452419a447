package sim

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/plasticity"
)

// checkpointVersion is bumped when the layout of checkpoints changes.
const checkpointVersion = 1

// checkpointMeta describes a checkpoint; Restore checks it against the
// engine.
type checkpointMeta struct {
	Version   int     `json:"version"`
	Step      int64   `json:"step"`
	Neurons   int     `json:"n_neurons"`
	DtMs      float64 `json:"dt_ms"`
	Slots     int64   `json:"ring_slots"`
	Seed      uint64  `json:"seed"`
	STP       bool    `json:"stp"`
	STDP      bool    `json:"stdp"`
	Scaling   bool    `json:"scaling"`
	Structure bool    `json:"structural"`
	// Extra is the caller's (for example the run's resolved config).
	Extra json.RawMessage `json:"extra,omitempty"`
}

// Save writes the engine's full state at the current step to an .npz
// file (atomically): neuron and receptor state, the delay ring with the
// spikes in flight, the wiring and weights, and the plasticity state. The
// random streams are counter-based, so nothing else is needed to continue
// exactly. extra (JSON, may be nil) is stored with it.
func (e *Engine) Save(path string, extra json.RawMessage) error {
	meta := checkpointMeta{
		Version: checkpointVersion, Step: e.step, Neurons: e.n, DtMs: e.cfg.Dt, Slots: e.slots, Seed: e.cfg.Seed,
		STP: e.rules.STP != nil, STDP: e.rules.STDP != nil, Scaling: e.rules.Scaling != nil, Structure: e.rules.Structural != nil,
		Extra: extra,
	}
	mj, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	f32 := map[string][]float32{
		"v": e.Pop.V, "r": e.Pop.R,
		"g_ampa": e.Syn.AMPA, "g_nmda_rise": e.Syn.NMDARise, "g_nmda_decay": e.Syn.NMDADecay,
		"g_gaba_a": e.Syn.GABAA, "g_gaba_b_rise": e.Syn.GABABRise, "g_gaba_b_decay": e.Syn.GABABDecay,
		"ring": e.ring, "weight": e.weight, "delay_ms": e.delayMs,
	}
	if e.gain != nil {
		f32["gain"] = e.gain
	}
	f64 := map[string][]float64{}
	i64 := map[string][]int64{"row_ptr": e.rowPtr}
	i32 := map[string][]int32{"post": e.post}
	if e.stpS != nil {
		u, x := make([]float64, len(e.stpS)), make([]float64, len(e.stpS))
		for i, s := range e.stpS {
			u[i], x[i] = s.U, s.X
		}
		f64["stp_u"], f64["stp_x"], i64["stp_last"] = u, x, e.stpLast
	}
	if e.xpre != nil {
		for name, tr := range map[string][]plasticity.Trace{"trace_pre": e.xpre, "trace_post": e.xpost} {
			v, last := make([]float64, len(tr)), make([]int64, len(tr))
			for i, t := range tr {
				v[i], last[i] = t.V, t.Last
			}
			f64[name+"_v"], i64[name+"_last"] = v, last
		}
	}
	if e.rate != nil {
		f64["rate"], i32["count_scaling"] = e.rate, e.cntScale
	}
	if e.cntStruct != nil {
		i32["count_structural"] = e.cntStruct
		i64["structural"] = []int64{e.structTick, e.pruned, e.grew}
	}
	err = z.Bytes("meta", mj)
	for _, name := range sortedKeys(f32) {
		if err == nil {
			err = z.Float32(name, f32[name])
		}
	}
	for _, name := range sortedKeys(f64) {
		if err == nil {
			err = z.Float64(name, f64[name])
		}
	}
	for _, name := range sortedKeys(i64) {
		if err == nil {
			err = z.Int64(name, i64[name])
		}
	}
	for _, name := range sortedKeys(i32) {
		if err == nil {
			err = z.Int32(name, i32[name])
		}
	}
	if err != nil {
		z.Abort()
		return fmt.Errorf("sim: checkpoint %s: %w", path, err)
	}
	return z.Close()
}

func sortedKeys[V any](m map[string]V) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	slices.Sort(k)
	return k
}

// CheckpointExtra returns the caller's data stored in a checkpoint.
func CheckpointExtra(path string) (json.RawMessage, error) {
	m, err := npy.ReadNPZ(path)
	if err != nil {
		return nil, err
	}
	meta, err := readMeta(m)
	if err != nil {
		return nil, fmt.Errorf("sim: checkpoint %s: %w", path, err)
	}
	return meta.Extra, nil
}

func readMeta(m map[string]npy.Array) (checkpointMeta, error) {
	var meta checkpointMeta
	a, ok := m["meta"]
	if !ok {
		return meta, fmt.Errorf("not a checkpoint (no meta)")
	}
	b, err := a.Bytes()
	if err != nil {
		return meta, err
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		return meta, fmt.Errorf("meta: %w", err)
	}
	if meta.Version != checkpointVersion {
		return meta, fmt.Errorf("version %d, this build reads %d", meta.Version, checkpointVersion)
	}
	return meta, nil
}

// Restore loads a checkpoint written by Save of an engine built from the
// same culture and configuration (the number of workers may differ), so
// that running on gives the same spikes as the run that was saved.
func (e *Engine) Restore(path string) error {
	m, err := npy.ReadNPZ(path)
	if err != nil {
		return err
	}
	if err := e.restore(m); err != nil {
		return fmt.Errorf("sim: checkpoint %s: %w", path, err)
	}
	return nil
}

func (e *Engine) restore(m map[string]npy.Array) error {
	meta, err := readMeta(m)
	if err != nil {
		return err
	}
	switch {
	case meta.Neurons != e.n:
		return fmt.Errorf("%d neurons, the engine has %d", meta.Neurons, e.n)
	case meta.DtMs != e.cfg.Dt:
		return fmt.Errorf("dt %g ms, the engine's is %g", meta.DtMs, e.cfg.Dt)
	case meta.Slots != e.slots:
		return fmt.Errorf("a delay ring of %d slots, the engine's has %d", meta.Slots, e.slots)
	case meta.Seed != e.cfg.Seed:
		return fmt.Errorf("seed %d, the engine's is %d", meta.Seed, e.cfg.Seed)
	case meta.STP != (e.rules.STP != nil) || meta.STDP != (e.rules.STDP != nil) ||
		meta.Scaling != (e.rules.Scaling != nil) || meta.Structure != (e.rules.Structural != nil):
		return fmt.Errorf("plasticity rules differ from the engine's")
	}
	get := func(name string, n int) (npy.Array, error) {
		a, ok := m[name]
		if !ok {
			return a, fmt.Errorf("array %s missing", name)
		}
		if n >= 0 && a.Len() != n {
			return a, fmt.Errorf("array %s has %d values, want %d", name, a.Len(), n)
		}
		return a, nil
	}
	f32 := func(name string, dst []float32) error {
		a, err := get(name, len(dst))
		if err != nil {
			return err
		}
		v, err := a.Float32()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		copy(dst, v)
		return nil
	}
	n := e.n
	for name, dst := range map[string][]float32{
		"v": e.Pop.V, "r": e.Pop.R, "g_ampa": e.Syn.AMPA, "g_nmda_rise": e.Syn.NMDARise, "g_nmda_decay": e.Syn.NMDADecay,
		"g_gaba_a": e.Syn.GABAA, "g_gaba_b_rise": e.Syn.GABABRise, "g_gaba_b_decay": e.Syn.GABABDecay, "ring": e.ring,
	} {
		if err := f32(name, dst); err != nil {
			return err
		}
	}
	// Wiring: the engine takes its own arrays (the culture's may be shared).
	a, err := get("row_ptr", n+1)
	if err != nil {
		return err
	}
	rowPtr, err := a.Int64()
	if err != nil {
		return err
	}
	m2 := int(rowPtr[n])
	if rowPtr[0] != 0 || !slices.IsSorted(rowPtr) {
		return fmt.Errorf("row_ptr is not a valid CSR index")
	}
	a, err = get("post", m2)
	if err != nil {
		return err
	}
	post, err := a.Int32()
	if err != nil {
		return err
	}
	for _, i := range post {
		if i < 0 || int(i) >= n {
			return fmt.Errorf("post holds neuron %d outside [0, %d)", i, n)
		}
	}
	weight, delay := make([]float32, m2), make([]float32, m2)
	if err := f32("weight", weight); err != nil {
		return err
	}
	if err := f32("delay_ms", delay); err != nil {
		return err
	}
	if !e.rules.ChangesWeights() {
		// The engine shares the culture's arrays; they must be equal.
		if !slices.Equal(rowPtr, e.rowPtr) || !slices.Equal(post, e.post) || !slices.Equal(weight, e.weight) {
			return fmt.Errorf("wiring differs from the culture's (another culture or seed?)")
		}
	} else if err := e.setWiring(rowPtr, post, weight, delay); err != nil {
		return err
	}
	if e.stpS != nil {
		var u, x []float64
		var last []int64
		if a, err = get("stp_u", 2*n); err == nil {
			u, err = a.Float64()
		}
		if err == nil {
			if a, err = get("stp_x", 2*n); err == nil {
				x, err = a.Float64()
			}
		}
		if err == nil {
			if a, err = get("stp_last", n); err == nil {
				last, err = a.Int64()
			}
		}
		if err != nil {
			return err
		}
		for i := range e.stpS {
			e.stpS[i] = plasticity.STPState{U: u[i], X: x[i]}
		}
		copy(e.stpLast, last)
	}
	if e.xpre != nil {
		for name, tr := range map[string][]plasticity.Trace{"trace_pre": e.xpre, "trace_post": e.xpost} {
			var v []float64
			var last []int64
			if a, err = get(name+"_v", n); err == nil {
				v, err = a.Float64()
			}
			if err == nil {
				if a, err = get(name+"_last", n); err == nil {
					last, err = a.Int64()
				}
			}
			if err != nil {
				return err
			}
			for i := range tr {
				tr[i] = plasticity.Trace{V: v[i], Last: last[i]}
			}
		}
	}
	if e.rate != nil {
		var r []float64
		var c []int32
		if a, err = get("rate", n); err == nil {
			r, err = a.Float64()
		}
		if err == nil {
			if a, err = get("count_scaling", n); err == nil {
				c, err = a.Int32()
			}
		}
		if err == nil {
			err = f32("gain", e.gain)
		}
		if err != nil {
			return err
		}
		copy(e.rate, r)
		copy(e.cntScale, c)
	}
	if e.cntStruct != nil {
		var c []int32
		var st []int64
		if a, err = get("count_structural", n); err == nil {
			c, err = a.Int32()
		}
		if err == nil {
			if a, err = get("structural", 3); err == nil {
				st, err = a.Int64()
			}
		}
		if err != nil {
			return err
		}
		copy(e.cntStruct, c)
		e.structTick, e.pruned, e.grew = st[0], st[1], st[2]
	}
	e.step = meta.Step
	if e.drugSteps > 0 {
		e.applyDrugs(e.step)
	}
	return nil
}
