package culture_test

import (
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/bl1-go/bl1/culture"
)

// Build times at BL-1's density (10,000 neurons on 3 × 3 mm, BL-1 spec
// §4.3): 100,000 neurons on 9487 × 9487 µm, 1,000,000 on 30,000 × 30,000 µm.
// The target for 100,000 is under 5 s on 2 cores.

func BenchmarkBuild10k(b *testing.B) { benchBuild(b, 10_000) }

func BenchmarkBuild100k(b *testing.B) {
	if testing.Short() {
		b.Skip("100,000 neurons take seconds")
	}
	benchBuild(b, 100_000)
}

// BenchmarkBuild1M needs BL1_BENCH_1M=1 (about a minute and 1-2 GiB):
//
//	BL1_BENCH_1M=1 go test -run '^$' -bench Build1M -benchtime 1x ./culture
//
// It reports the peak heap in use (sampled every 10 ms) and the memory
// obtained from the OS (MemStats.Sys), the requirement being that a
// million-neuron culture fits in memory.
func BenchmarkBuild1M(b *testing.B) {
	if os.Getenv("BL1_BENCH_1M") != "1" {
		b.Skip("set BL1_BENCH_1M=1 to build 1,000,000 neurons")
	}
	benchBuild(b, 1_000_000)
}

func benchBuild(b *testing.B, n int) {
	s := atDensity(n)
	runtime.GC()
	peak := sampleHeap()
	b.ReportAllocs()
	var c *culture.Culture
	for b.Loop() {
		c = nil // let the previous culture go before building the next
		var err error
		if c, err = culture.Build(s, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	heapPeak := peak()
	syn := float64(c.NSynapses())
	b.ReportMetric(syn, "synapses")
	b.ReportMetric(syn/float64(n), "synapses/neuron")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/syn, "ns/synapse")
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	const mib = 1 << 20
	b.ReportMetric(float64(heapPeak)/mib, "peak-heap-MiB")
	b.ReportMetric(float64(ms.HeapInuse)/mib, "culture-heap-MiB") // the culture is still live
	b.ReportMetric(float64(ms.Sys)/mib, "sys-MiB")
	runtime.KeepAlive(c)
}

// sampleHeap samples HeapInuse every 10 ms until the returned function is
// called, which returns the largest value seen.
func sampleHeap() func() uint64 {
	var (
		mu   sync.Mutex
		peak uint64
		wg   sync.WaitGroup
	)
	done := make(chan struct{})
	read := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, ms.HeapInuse)
		mu.Unlock()
	}
	wg.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				read()
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		read()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
