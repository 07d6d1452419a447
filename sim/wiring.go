package sim

import (
	"fmt"
	"slices"
)

// postClassBit marks, in a synapse's ring offset, an inhibitory
// postsynaptic neuron: STP may release differently to the two populations.
const postClassBit = 1 << 31

// setWiring installs the synapses (CSR by presynaptic neuron) and derives
// what the workers use: delays in steps, ring offsets, each row's split at
// the workers' block boundaries and, for rules that update a neuron's
// inputs, the incoming synapses of every neuron.
func (e *Engine) setWiring(rowPtr []int64, post []int32, weight, delayMs []float32) error {
	n := e.n
	e.rowPtr, e.post, e.weight, e.delayMs = rowPtr, post, weight, delayMs
	if cap(e.delay) >= len(delayMs) {
		e.delay = e.delay[:len(delayMs)]
	} else {
		e.delay = make([]uint16, len(delayMs))
	}
	for s, d := range delayMs {
		k := e.delaySteps(float64(d))
		if k > e.maxDel {
			return fmt.Errorf("sim: a delay of %g ms is %d steps, beyond the ring's %d", d, k, e.maxDel)
		}
		e.delay[s] = uint16(k)
	}
	if cap(e.off) >= len(post) {
		e.off = e.off[:len(post)]
	} else {
		e.off = make([]uint32, len(post))
	}
	for j := range n {
		plane := uint32(n) // inhibitory plane
		if e.exc[j] {
			plane = 0
		}
		for s := rowPtr[j]; s < rowPtr[j+1]; s++ {
			i := post[s]
			x := uint32(e.delay[s])*2*uint32(n) + plane + uint32(i)
			if !e.exc[i] {
				x |= postClassBit
			}
			e.off[s] = x
		}
	}
	if w := len(e.workers); w > 1 {
		if len(e.split) != n*(w+1) {
			e.split = make([]uint32, n*(w+1))
		}
		for j := range n {
			row := post[rowPtr[j]:rowPtr[j+1]]
			for k, wk := range e.workers {
				at, _ := slices.BinarySearch(row, int32(wk.lo))
				e.split[j*(w+1)+k] = uint32(at)
			}
			e.split[j*(w+1)+w] = uint32(len(row))
		}
	}
	if e.needIncoming {
		e.buildIncoming()
	}
	return nil
}

// delaySteps converts a delay to whole steps (rounded, ties away from zero
// like math.Round), at least one.
func (e *Engine) delaySteps(ms float64) int {
	return max(1, int(ms/e.cfg.Dt+0.5))
}

// buildIncoming indexes the synapses by postsynaptic neuron: inSyn[inPtr[i]:
// inPtr[i+1]] are the synapses onto neuron i, by ascending presynaptic
// neuron, and inPre their presynaptic neurons.
func (e *Engine) buildIncoming() {
	n := e.n
	e.inPtr = slices.Grow(e.inPtr[:0], n+1)[:n+1]
	clear(e.inPtr)
	for _, i := range e.post {
		e.inPtr[i+1]++
	}
	for i := range n {
		e.inPtr[i+1] += e.inPtr[i]
	}
	m := len(e.post)
	e.inSyn = slices.Grow(e.inSyn[:0], m)[:m]
	e.inPre = slices.Grow(e.inPre[:0], m)[:m]
	fill := make([]int64, n)
	copy(fill, e.inPtr[:n])
	for j := range n {
		for s := e.rowPtr[j]; s < e.rowPtr[j+1]; s++ {
			i := e.post[s]
			e.inSyn[fill[i]] = s
			e.inPre[fill[i]] = int32(j)
			fill[i]++
		}
	}
}
