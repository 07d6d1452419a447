package connectivity

import (
	"sync"
	"sync/atomic"
)

// parallel calls f(i) for every i in [0, n) on up to workers goroutines,
// handing out indices one at a time so that uneven rows balance. Each f(i)
// must write only its own results, so the outcome does not depend on the
// number of workers.
func parallel(n, workers int, f func(i int)) {
	workers = min(max(workers, 1), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}
