package cl1_test

import (
	"context"
	"fmt"
	"log"

	"github.com/bl1-go/bl1/cl1"
	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/mea"
)

// A closed loop in the CL SDK's style: open a culture under a CL1, loop at
// 10 ticks a second (as fast as the machine allows here; true makes it
// keep wall-clock time), read each tick's spikes and stimulate from its
// end on.
func Example() {
	cfg, err := configs.Load("cl1.yaml", []string{"culture.n_neurons=1000", "culture.substrate_um=[950, 950]"})
	if err != nil {
		log.Fatal(err)
	}
	neurons, err := cl1.Open(cfg, "")
	if err != nil {
		log.Fatal(err)
	}
	defer neurons.Close()
	loop, err := neurons.Loop(10, false)
	if err != nil {
		log.Fatal(err)
	}
	err = loop.Run(context.Background(), func(t *cl1.Tick) error {
		a := t.Analysis
		fmt.Printf("tick %d: frames %d-%d, %d pulses\n", t.Iteration, a.Start, a.Stop, len(a.Stims))
		if t.Iteration == 0 {
			// 5 pulses at 100 Hz on electrode 27: 2 µA, 160 µs per phase.
			return neurons.Stim([]int{27}, mea.Biphasic(160, 2), cl1.Burst{Count: 5, Hz: 100})
		}
		if t.Iteration == 2 {
			return cl1.ErrStop
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// tick 0: frames 0-2500, 0 pulses
	// tick 1: frames 2500-5000, 5 pulses
	// tick 2: frames 5000-7500, 0 pulses
}
