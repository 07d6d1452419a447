package mea

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/bl1-go/bl1/internal/atomicfile"
	"github.com/bl1-go/bl1/internal/npy"
)

// LFPParams configure the local field potential.
type LFPParams struct {
	SampleHz float64 // sampling rate
	RadiusUm float64 // neurons farther from an electrode are left out
	Sigma    float64 // extracellular conductivity, S/m
	IzhCapPF float64 // capacitance that turns an Izhikevich neuron's current (mV/ms) into pA
}

// DefaultLFP: 1 kHz, 200 µm, σ = 0.3 S/m (cortical grey matter; Logothetis
// et al. 2007, Neuron 55:809), 100 pF (Izhikevich 2007, Dynamical Systems in
// Neuroscience, ch. 8: the regular-spiking neuron's C).
var DefaultLFP = LFPParams{SampleHz: 1000, RadiusUm: 200, Sigma: 0.3, IzhCapPF: 100}

// Validate checks the parameters at step dt (ms).
func (p LFPParams) Validate(dt float64) error {
	switch {
	case !(p.SampleHz > 0) || p.SampleHz > 1000/dt*(1+1e-9):
		return fmt.Errorf("sample_hz = %g, must be in (0, %g] (one sample per step of %g ms at most)", p.SampleHz, 1000/dt, dt)
	case !(p.RadiusUm > 0) || math.IsInf(p.RadiusUm, 0):
		return fmt.Errorf("radius_um = %g, must be > 0", p.RadiusUm)
	case !(p.Sigma > 0) || math.IsInf(p.Sigma, 0):
		return fmt.Errorf("sigma_s_per_m = %g, must be > 0", p.Sigma)
	case !(p.IzhCapPF > 0) || math.IsInf(p.IzhCapPF, 0):
		return fmt.Errorf("izhikevich_capacitance_pf = %g, must be > 0", p.IzhCapPF)
	}
	return nil
}

// lfpScale is the fixed-point resolution of the sums, per µV: integer sums
// do not depend on the order of their terms, so the LFP is the same for
// any number of workers. Terms are rounded to 2^-24 µV, far below
// float32's resolution; sums reach 2^63 only beyond 5e11 µV.
const lfpScale = 1 << 24

// LFP computes the extracellular potential at the electrodes from the
// neurons' synaptic currents, each neuron a point source in an infinite
// homogeneous medium: φ_e = Σ_n I_n / (4π σ |r_e − r_n|), with I_n the
// membrane current (outward positive, so an inward synaptic current is a
// sink and makes φ negative) and distances clamped at 1 µm (BL-1's
// compute_lfp, ../shared/spec/bl1.md §5.4). A point neuron's return
// currents are not modelled: this is the usual current-sum proxy of the
// LFP, not a multicompartment field. It is an engine Sampler (the workers
// add each neuron's terms) and an Observer (the sums of a sampled step are
// written when its spikes are reported).
type LFP struct {
	every   int64
	src     []int32 // neurons near at least one electrode, ascending
	start   []int32 // their pairs: slot[start[k]:start[k+1]], weight likewise
	slot    []int32
	weight  []float32 // µV per mV/ms of synaptic current
	ne      int
	workers int
	acc     [][]int64 // [ring slot][worker·ne + electrode slot]
	first   int64     // first sampled step, -1 before it
	out     *npy.Spool
	row     []float32
}

// NewLFP samples every `every` steps the potential at the electrodes of m
// (whose radius bounds the sum) from neurons with capacitances capPF (pF),
// for an engine with the given number of workers; chunk is the most steps
// the engine runs between observer calls.
func NewLFP(m *Map, capPF []float64, sigma float64, every int64, workers, chunk int, dir string) (*LFP, error) {
	out, err := npy.NewSpool(dir, 4)
	if err != nil {
		return nil, fmt.Errorf("mea: lfp spool: %w", err)
	}
	ne := len(m.Electrodes)
	l := &LFP{every: max(1, every), ne: ne, workers: workers, first: -1, out: out, row: make([]float32, ne)}
	l.acc = make([][]int64, int64(chunk)/l.every+2)
	for r := range l.acc {
		l.acc[r] = make([]int64, workers*ne)
	}
	by := m.transpose(len(capPF), func(d float64) float64 { return -1 / (4 * math.Pi * sigma * math.Max(d, 1)) })
	l.start = []int32{0}
	for i, c := range capPF {
		a, b := by.start[i], by.start[i+1]
		if a == b {
			continue
		}
		l.src = append(l.src, int32(i))
		for q := a; q < b; q++ {
			l.slot = append(l.slot, by.slot[q])
			l.weight = append(l.weight, float32(float64(by.val[q])*c))
		}
		l.start = append(l.start, int32(len(l.slot)))
	}
	return l, nil
}

// Potential returns φ (µV) at a point of the medium at distances d (µm) from
// point sources of currents i (pA, outward positive): the formula the LFP
// applies, for checks and for users who bring their own currents.
func Potential(i, d []float64, sigma float64) float64 {
	var phi float64
	for k := range i {
		// pA / (S/m · µm) = 1e-12 A / 1e-6 S = 1e-6 V = 1 µV.
		phi += i[k] / (4 * math.Pi * sigma * math.Max(d[k], 1))
	}
	return phi
}

// Every implements sim.Sampler.
func (l *LFP) Every() int64 { return l.every }

// Sample implements sim.Sampler.
func (l *LFP) Sample(step int64, w, lo int, cur []float32) {
	acc := l.acc[(step/l.every)%int64(len(l.acc))][w*l.ne : (w+1)*l.ne]
	k, _ := slices.BinarySearch(l.src, int32(lo))
	hi := int32(lo + len(cur))
	for ; k < len(l.src) && l.src[k] < hi; k++ {
		c := cur[l.src[k]-int32(lo)]
		for q := l.start[k]; q < l.start[k+1]; q++ {
			acc[l.slot[q]] += int64(float64(c*l.weight[q]) * lfpScale)
		}
	}
}

// Spikes implements sim.Observer: it writes the potential of sampled steps.
func (l *LFP) Spikes(step int64, _ []int32) {
	if step%l.every != 0 {
		return
	}
	if l.first < 0 {
		l.first = step
	}
	acc := l.acc[(step/l.every)%int64(len(l.acc))]
	for k := range l.row {
		var s int64
		for w := range l.workers {
			s += acc[w*l.ne+k]
			acc[w*l.ne+k] = 0
		}
		l.row[k] = float32(float64(s) / lfpScale)
		l.out.Float32(l.row[k])
	}
}

// Last returns the potentials of the last sample, µV.
func (l *LFP) Last() []float32 { return l.row }

// Samples returns the number of samples written.
func (l *LFP) Samples() int64 {
	if l.ne == 0 {
		return 0
	}
	return l.out.Len() / int64(l.ne)
}

// FirstStep returns the step of the first sample (-1 if none).
func (l *LFP) FirstStep() int64 { return l.first }

// WriteNPY writes lfp.npy: float32 [sample, electrode slot], µV.
func (l *LFP) WriteNPY(path string) error {
	if err := l.out.Err(); err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		if _, err := w.Write(npy.Header("<f4", []int{int(l.Samples()), l.ne})); err != nil {
			return err
		}
		_, err := l.out.WriteTo(w)
		return err
	})
}

// Close removes the spool file.
func (l *LFP) Close() { l.out.Close() }
