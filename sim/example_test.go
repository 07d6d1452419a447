package sim_test

import (
	"context"
	"fmt"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/sim"
	"github.com/bl1-go/bl1/synapses"
)

// counter counts spikes.
type counter struct{ n int }

func (c *counter) Spikes(_ int64, ids []int32) { c.n += len(ids) }

// Simulate a small culture for 100 ms and count its spikes.
func ExampleEngine_Run() {
	spec := culture.Default()
	spec.N, spec.Width, spec.Height = 1000, 950, 950 // the default density
	c, err := culture.Build(spec, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := sim.New(c, sim.Config{Dt: 0.5, Seed: 1, DriveMean: 2, DriveStd: 3, Synapses: synapses.Default()})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer e.Close()
	cnt := &counter{}
	if err := e.Run(context.Background(), 200, cnt); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.0f ms simulated, spikes: %v\n", e.TimeMs(), cnt.n > 0)
	// Output:
	// 100 ms simulated, spikes: true
}

// stimulus injects a current into one neuron for 5 ms.
type stimulus struct{ neuron int }

func (s stimulus) Inject(step int64, lo int, dst []float32) {
	if step < 10 && s.neuron >= lo && s.neuron < lo+len(dst) {
		dst[s.neuron-lo] += 50 // mV/ms
	}
}

// An Input adds current to chosen neurons at chosen steps: here a silent
// culture (no drive) where only the stimulated neuron fires.
func ExampleEngine_SetInput() {
	spec := culture.Default()
	spec.N, spec.Width, spec.Height, spec.GExc = 200, 420, 420, 0
	c, _ := culture.Build(spec, 0)
	e, _ := sim.New(c, sim.Config{Dt: 0.5, Synapses: synapses.Default()})
	defer e.Close()
	e.SetInput(stimulus{neuron: 17})
	first := &firstSpike{step: -1}
	e.Run(context.Background(), 100, first)
	fmt.Printf("first spike: neuron %d at %.1f ms\n", first.neuron, float64(first.step)*0.5)
	// Output:
	// first spike: neuron 17 at 1.0 ms
}

type firstSpike struct {
	step   int64
	neuron int32
}

func (f *firstSpike) Spikes(step int64, ids []int32) {
	if f.step < 0 && len(ids) > 0 {
		f.step, f.neuron = step, ids[0]
	}
}
