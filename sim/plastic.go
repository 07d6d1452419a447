package sim

import (
	"math"
	"slices"

	"github.com/bl1-go/bl1/internal/rng"
	"github.com/bl1-go/bl1/plasticity"
)

// plastic is the engine's plasticity state (package plasticity has the
// rules and their equations). Who touches what, so that workers never
// race and results do not depend on their number:
//   - STP state and spike traces belong to the presynaptic (spiking)
//     neuron's worker; released fractions travel with the spike lists.
//   - A synapse's weight belongs to its postsynaptic neuron's worker, which
//     delivers it, depresses it (STDP, presynaptic spike) and potentiates it
//     (STDP, postsynaptic spike); homeostasis scales a neuron's gain,
//     which multiplies its arriving excitatory conductance.
//   - Traces are read during delivery and incremented after a second
//     barrier, so every read at step t sees the spikes before step t.
//   - Structural rewiring runs between chunks on the calling goroutine.
type plastic struct {
	rules plasticity.Rules

	// STP
	stpP    [2][2]plasticity.STP  // [pre inhibitory][post inhibitory]
	stpS    []plasticity.STPState // [neuron·2 + post inhibitory]
	stpLast []int64               // step of each neuron's last spike, -1 before the first

	// STDP
	stdpP         plasticity.STDP
	stdpAll       bool  // also inhibitory presynaptic neurons
	stdpUntil     int64 // first step without STDP
	dPlus, dMinus *plasticity.Decay
	xpre, xpost   []plasticity.Trace

	// Incoming synapses by postsynaptic neuron (STDP, scaling).
	needIncoming bool
	inPtr        []int64
	inSyn        []int64
	inPre        []int32

	// Homeostatic scaling.
	scaleSteps int64
	rate       []float64 // rate estimate per neuron, Hz
	gain       []float32 // factor of each neuron's excitatory inputs
	cntScale   []int32   // spikes since the last scaling tick

	// Structural plasticity.
	structSteps  int64
	cntStruct    []int32 // spikes since the last structural tick
	structKey    rng.Key
	structTick   int64
	pruned, grew int64
	spare        plasticity.Wiring // the previous wiring's arrays, reused by the next tick
	rates        []float64         // scratch of structuralTick
}

// initPlasticity prepares the state of the configured rules.
func (e *Engine) initPlasticity() {
	r := e.cfg.Plasticity
	e.rules = r
	n := e.n
	dt := e.cfg.Dt
	if r.STP != nil {
		for i, pre := range []bool{true, false} {
			for j, post := range []bool{true, false} {
				e.stpP[i][j] = r.STP.Params(pre, post)
			}
		}
		e.stpS = make([]plasticity.STPState, 2*n)
		for i := range e.stpS {
			e.stpS[i] = plasticity.Fresh()
		}
		e.stpLast = make([]int64, n)
		for i := range e.stpLast {
			e.stpLast[i] = -1
		}
	}
	if s := r.STDP; s != nil {
		e.stdpP, e.stdpAll = s.STDP, s.AllPresynaptic
		e.stdpUntil = math.MaxInt64
		if s.FreezeAt > 0 {
			e.stdpUntil = int64(math.Round(s.FreezeAt / dt))
		}
		e.dPlus, e.dMinus = plasticity.NewDecay(s.TauPlus, dt), plasticity.NewDecay(s.TauMinus, dt)
		e.xpre, e.xpost = make([]plasticity.Trace, n), make([]plasticity.Trace, n)
		e.needIncoming = true
	}
	if s := r.Scaling; s != nil {
		e.scaleSteps = max(1, int64(math.Round(s.Interval/dt)))
		e.rate = make([]float64, n)
		for i := range e.rate {
			e.rate[i] = s.Target
		}
		e.cntScale = make([]int32, n)
		e.gain = make([]float32, n)
		for i := range e.gain {
			e.gain[i] = 1
		}
	}
	if s := r.Structural; s != nil {
		e.structSteps = max(1, int64(math.Round(s.Interval/dt)))
		e.cntStruct = make([]int32, n)
		e.structKey = rng.NewKey(e.cfg.Seed, rng.Structural)
	}
}

// stdpAt reports whether STDP changes weights at step t.
func (e *Engine) stdpAt(t int64) bool { return e.rules.STDP != nil && t < e.stdpUntil }

// eligible reports whether STDP applies to synapses from neuron j.
func (e *Engine) eligible(j int32) bool { return e.stdpAll || e.exc[j] }

// class is 1 for inhibitory neurons.
func class(exc bool) int {
	if exc {
		return 0
	}
	return 1
}

// onSpikes updates the spiking neurons' own plasticity state (counters and
// STP) at step t and appends the released fractions for their excitatory
// and inhibitory targets to amps.
func (e *Engine) onSpikes(t int64, spikes []int32, amps []float32) []float32 {
	if e.cntScale != nil {
		for _, j := range spikes {
			e.cntScale[j]++
		}
	}
	if e.cntStruct != nil {
		for _, j := range spikes {
			e.cntStruct[j]++
		}
	}
	if e.rules.STP == nil {
		return amps
	}
	dt := e.cfg.Dt
	for _, j := range spikes {
		since := math.Inf(1)
		if last := e.stpLast[j]; last >= 0 {
			since = float64(t-last) * dt
		}
		e.stpLast[j] = t
		pre := class(e.exc[j])
		p := &e.stpP[pre]
		s := e.stpS[2*j : 2*j+2]
		aE := p[0].Release(&s[0], since)
		aI := aE
		if p[0] != p[1] {
			aI = p[1].Release(&s[1], since)
		} else {
			s[1] = s[0]
		}
		amps = append(amps, float32(aE), float32(aI))
	}
	return amps
}

// potentiate applies STDP potentiation to the inputs of the worker's
// neurons that spiked at step t.
func (w *worker) potentiate(t int64, spikes []int32) {
	e := w.e
	for _, i := range spikes {
		for k := e.inPtr[i]; k < e.inPtr[i+1]; k++ {
			j := e.inPre[k]
			if !e.eligible(j) {
				continue
			}
			s := e.inSyn[k]
			e.weight[s] = float32(e.stdpP.Potentiate(float64(e.weight[s]), e.xpre[j].At(t, e.dPlus)))
		}
	}
}

// traces adds the worker's spikes of step t to their traces.
func (w *worker) traces(t int64, spikes []int32) {
	e := w.e
	for _, j := range spikes {
		e.xpre[j].Spike(t, e.dPlus)
		e.xpost[j].Spike(t, e.dMinus)
	}
}

// scaleTick updates the rate estimates and the gains of the worker's
// neurons.
func (w *worker) scaleTick() {
	e := w.e
	p := e.rules.Scaling
	decay := p.Decay()
	for i := w.lo; i < w.hi; i++ {
		e.rate[i] = p.RateWith(e.rate[i], int(e.cntScale[i]), decay)
		e.cntScale[i] = 0
		e.gain[i] = float32(p.Scale(float64(e.gain[i]), p.Factor(e.rate[i])))
	}
}

// structuralTick rewires the culture (between chunks, on the calling
// goroutine).
func (e *Engine) structuralTick() error {
	p := e.rules.Structural
	if e.rates == nil {
		e.rates = make([]float64, e.n)
	}
	for i, c := range e.cntStruct {
		e.rates[i] = float64(c) / (p.Interval / 1000)
		e.cntStruct[i] = 0
	}
	w := plasticity.Wiring{RowPtr: e.rowPtr, Post: e.post, Weight: e.weight, DelayMs: e.delayMs}
	pr, gr := p.Rewire(&w, &e.spare, e.cult, e.rates, e.structKey, e.structTick)
	e.structTick++
	e.pruned += int64(pr)
	e.grew += int64(gr)
	return e.setWiring(w.RowPtr, w.Post, w.Weight, w.DelayMs)
}

// PlasticityStats summarises the plastic state.
type PlasticityStats struct {
	Synapses         int     // current number of synapses
	MeanWeightExc    float64 // mean weight of synapses from excitatory neurons
	MeanWeightInh    float64 // mean weight of synapses from inhibitory neurons
	Pruned, Grown    int64   // structural changes so far
	MeanRateEstimate float64 // mean of the homeostatic rate estimates, Hz (0 if off)
	ExcSynapses      int     // synapses from excitatory neurons
	InhSynapses      int     // synapses from inhibitory neurons
}

// Stats returns the current synapse counts, mean weights and structural
// changes.
func (e *Engine) Stats() PlasticityStats {
	st := PlasticityStats{Synapses: len(e.post), Pruned: e.pruned, Grown: e.grew}
	var we, wi float64
	for j := range e.n {
		for s := e.rowPtr[j]; s < e.rowPtr[j+1]; s++ {
			if e.exc[j] {
				we += float64(e.EffectiveWeight(s))
				st.ExcSynapses++
			} else {
				wi += float64(e.weight[s])
				st.InhSynapses++
			}
		}
	}
	if st.ExcSynapses > 0 {
		st.MeanWeightExc = we / float64(st.ExcSynapses)
	}
	if st.InhSynapses > 0 {
		st.MeanWeightInh = wi / float64(st.InhSynapses)
	}
	if e.rate != nil {
		var r float64
		for _, x := range e.rate {
			r += x
		}
		st.MeanRateEstimate = r / float64(e.n)
	}
	return st
}

// Wiring returns the current synapses (CSR by presynaptic neuron: row
// pointers, postsynaptic neurons, weights, delays in ms). The slices are
// the engine's: read them between runs only.
func (e *Engine) Wiring() (rowPtr []int64, post []int32, weight, delayMs []float32) {
	return e.rowPtr, e.post, e.weight, e.delayMs
}

// RateEstimates returns the homeostatic rate estimate of each neuron (Hz),
// or nil when homeostasis is off.
func (e *Engine) RateEstimates() []float64 { return slices.Clone(e.rate) }

// Gains returns each neuron's homeostatic gain, or nil when homeostasis is
// off.
func (e *Engine) Gains() []float32 { return slices.Clone(e.gain) }

// EffectiveWeight returns the weight synapse s (in Wiring order) transmits:
// its weight times its target's homeostatic gain if it is excitatory.
func (e *Engine) EffectiveWeight(s int64) float32 {
	w := e.weight[s]
	if e.gain == nil {
		return w
	}
	if j := e.preOf(s); e.exc[j] {
		return w * e.gain[e.post[s]]
	}
	return w
}

// preOf returns the presynaptic neuron of synapse s.
func (e *Engine) preOf(s int64) int {
	j, _ := slices.BinarySearch(e.rowPtr, s+1)
	return j - 1
}
