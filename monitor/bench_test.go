package monitor

import (
	"bytes"
	"context"
	"image/jpeg"
	"testing"

	"github.com/bl1-go/bl1/sim"
)

// spikeLog records the spikes of each step.
type spikeLog struct{ ids [][]int32 }

func (l *spikeLog) Spikes(_ int64, ids []int32) { l.ids = append(l.ids, append([]int32(nil), ids...)) }

// BenchmarkObserve10k: the monitor's cost per step, apart from the
// engine's: 2,000 recorded steps (1 s) of the 10,000-neuron culture under
// a CL1 replayed into the rig's recorder alone, then into the recorder and
// the monitor; the difference of ns/step is the monitor's. Compare with
// the engine's ns/step (sim BenchmarkCulture10k).
func BenchmarkObserve10k(b *testing.B) {
	e, r := rig(b, 10000)
	log := &spikeLog{}
	e.Run(context.Background(), 2000, log)
	m, err := NewActivityMonitor(e.Culture().Excitatory, e.Config().Dt, r, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var spikes int
	for _, ids := range log.ids {
		spikes += len(ids)
	}
	for _, c := range []struct {
		name string
		obs  []sim.Observer
	}{{"recorder", []sim.Observer{r.Rec}}, {"recorder+monitor", []sim.Observer{r.Rec, m}}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			step := int64(1 << 20)
			for b.Loop() {
				for _, ids := range log.ids {
					for _, o := range c.obs {
						o.Spikes(step, ids)
					}
					step++
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(log.ids)), "ns/step")
			b.ReportMetric(float64(spikes)/float64(len(log.ids)), "spikes/step")
		})
	}
}

// BenchmarkFrame: a panel of the 10,000-neuron culture drawn and encoded
// as JPEG, as the monitor's ticker does.
func BenchmarkFrame(b *testing.B) {
	e, r := rig(b, 10000)
	m, _ := NewActivityMonitor(e.Culture().Excitatory, e.Config().Dt, r, Options{})
	e.Run(context.Background(), 4000, append(r.Observers(), m)...)
	var s Snapshot
	m.Snapshot(&s)
	rd := NewRenderer(Options{})
	var buf bytes.Buffer
	for p := range numPanels {
		b.Run(p.String(), func(b *testing.B) {
			for b.Loop() {
				m.Snapshot(&s)
				buf.Reset()
				if err := jpeg.Encode(&buf, rd.Draw(p, &s, []string{"a: 1", "b: 2"}), &jpeg.Options{Quality: 85}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/frame")
		})
	}
}
