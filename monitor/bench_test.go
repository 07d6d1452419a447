package monitor

import (
	"bytes"
	"context"
	"image/jpeg"
	"testing"

	"github.com/bl1-go/bl1/sim"
)

// BenchmarkCulture10k: 100 ms (200 steps) of the 10,000-neuron culture
// under a CL1, without and with a monitor attached; compare ns/step of
// the two in one run.
func BenchmarkCulture10k(b *testing.B) {
	e, r := rig(b, 10000)
	m, err := NewActivityMonitor(e.Culture().Excitatory, e.Config().Dt, r, Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	e.Run(ctx, 400, r.Observers()...) // past the start
	for _, c := range []struct {
		name string
		obs  []sim.Observer
	}{{"bare", r.Observers()}, {"monitor", append(r.Observers(), m)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := e.Run(ctx, 200, c.obs...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*200), "ns/step")
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
