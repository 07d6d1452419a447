package synapses

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkAdvance10k times one step of 10 000 neurons. Every step a
// tenth of the arrival slots are refilled (copied from a fixed pattern), so
// the conductances stay away from the flush level and the NMDA block is
// evaluated for every neuron, as in an active culture; the copy is included
// in the time. Tonic adds a tonic GABA_A conductance.
func BenchmarkAdvance10k(b *testing.B) {
	b.Run("Phasic", func(b *testing.B) { benchAdvance(b, 0) })
	b.Run("Tonic", func(b *testing.B) { benchAdvance(b, 0.02) })
}

func benchAdvance(b *testing.B, tonic float64) {
	const n = 10000
	p := Default()
	p.TonicGABAA = tonic
	s := NewState(n, p, 0.5)
	r := rand.New(rand.NewPCG(1, 2))
	v := make([]float32, n)
	for i := range n {
		s.AMPA[i], s.NMDADecay[i], s.NMDARise[i] = r.Float32(), r.Float32(), r.Float32()*0.5
		s.GABAA[i], s.GABABDecay[i], s.GABABRise[i] = r.Float32(), r.Float32(), r.Float32()*0.5
		v[i] = -70 + 10*r.Float32()
	}
	pattern := make([]float32, 2*n)
	for j := range pattern {
		if r.IntN(10) == 0 {
			pattern[j] = 0.05 * r.Float32() // BL-1 spec §4.2: g_exc 0.05
		}
	}
	exc, inh := make([]float32, n), make([]float32, n)
	cur := make([]float32, n)
	b.ReportAllocs()
	for b.Loop() {
		copy(exc, pattern[:n])
		copy(inh, pattern[n:])
		s.Advance(0, n, exc, inh, v, cur, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/neuron")
}
