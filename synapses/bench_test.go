package synapses

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkAdvance10k(b *testing.B) {
	const n = 10000
	s := NewState(n, Default(), 0.5)
	r := rand.New(rand.NewPCG(1, 2))
	v := make([]float32, n)
	for i := range n {
		s.AMPA[i], s.NMDADecay[i], s.NMDARise[i] = r.Float32(), r.Float32(), r.Float32()*0.5
		s.GABAA[i], s.GABABDecay[i], s.GABABRise[i] = r.Float32(), r.Float32(), r.Float32()*0.5
		v[i] = -70 + 10*r.Float32()
	}
	arrive := make([]float32, 2*n)
	cur := make([]float32, n)
	for b.Loop() {
		s.Advance(0, n, arrive, v, cur)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/neuron")
}
