package connectivity

import (
	"syscall"
	"testing"
	"time"

	"github.com/bl1-go/bl1/analysis/information"
)

// cpuTime is the process's user + system time: on a shared machine it
// tells the work from the waiting.
func cpuTime() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// loop runs f for b.Loop and reports its CPU seconds per op.
func loop(b *testing.B, f func() error) {
	c0 := cpuTime()
	n := 0
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric((cpuTime()-c0).Seconds()/float64(n), "cpu-s/op")
}

func benchParts(b *testing.B, workers int) {
	e := bursting(1, 64, 600, 8, 600, link{From: 3, To: 40, DelayMs: 5, Prob: 0.2})
	b.ReportMetric(float64(len(e.T))/64/600, "Hz/channel")
	b.Run("CCG", func(b *testing.B) {
		loop(b, func() error { _, err := CrossCorrelograms(e, CCGOptions{Workers: workers}); return err })
	})
	b.Run("STTC", func(b *testing.B) {
		loop(b, func() error { _, err := STTC(e, 10); return err })
	})
	var te *TE
	b.Run("TE", func(b *testing.B) {
		loop(b, func() (err error) { te, err = TransferEntropy(e, TEOptions{Workers: workers, Seed: 1}); return err })
		var s float64
		for _, v := range te.Surrogates {
			s += float64(v)
		}
		b.ReportMetric(s/64/63, "surrogates/pair")
	})
	b.Run("Graph", func(b *testing.B) {
		if te == nil {
			var err error
			if te, err = TransferEntropy(e, TEOptions{Workers: workers, Seed: 1}); err != nil {
				b.Fatal(err)
			}
		}
		n := 64
		r := &Result{Graph: Undirected(n, func(i, j int) bool { return te.P[i*n+j] <= 0.01 })}
		loop(b, func() error { return r.measure(Options{Seed: 1}) })
		b.ReportMetric(float64(r.Graph.Edges().Len()), "edges")
	})
}

// BenchmarkMEA64x10min times each part, and All the whole set that
// bl1 analyze runs (connectivity.Analyze and information.Analyze), on a
// 64-channel MEA over 10 minutes at ~30 Hz per channel with a network
// burst every ~4 s (wagenaar.yaml's channels fire at ~30 Hz, 16 bursts a
// minute): the speed target of issue 15 is All < 30 s on the 2-core
// development machine.
func BenchmarkMEA64x10min(b *testing.B) {
	benchParts(b, 2)
	e := bursting(1, 64, 600, 8, 600, link{From: 3, To: 40, DelayMs: 5, Prob: 0.2})
	b.Run("All", func(b *testing.B) {
		loop(b, func() error {
			o := Options{Seed: 1, TE: TEOptions{Workers: 2}, CCG: CCGOptions{Workers: 2}}
			if _, err := Analyze(e, o); err != nil {
				return err
			}
			_, err := information.Analyze(e, information.Options{Seed: 1})
			return err
		})
	})
}
