package mea_test

import (
	"fmt"

	"github.com/bl1-go/bl1/mea"
)

func ExampleCL1() {
	l := mea.CL1(1500, 1500) // centred on a 3 × 3 mm substrate
	chans, _ := l.Route(mea.Routing{})
	fmt.Println(l.Len(), "electrodes,", len(chans), "recording")
	fmt.Printf("channel 27 at (%g, %g) µm\n", l.X[27], l.Y[27])
	fmt.Println("channel 4 usable:", l.Usable(4))
	// Output:
	// 64 electrodes, 59 recording
	// channel 27 at (1400, 1400) µm
	// channel 4 usable: false
}

func ExampleLayout_Route() {
	l := mea.MaxOne(1500, 1500)
	chans, _ := l.Route(mea.Routing{Select: "grid", N: 1024})
	fmt.Println(len(chans), "of", l.Len(), "electrodes routed")
	_, err := l.Route(mea.Routing{Select: "all"})
	fmt.Println(err)
	// Output:
	// 1024 of 26400 electrodes routed
	// routing: 26400 electrodes selected, maxone routes at most 1024 (choose select: center, random, grid or list)
}

func ExampleLimits_Check() {
	t := mea.Train{Electrodes: []int{27}, Phases: mea.Biphasic(200, 2), Pulses: 10, FrequencyHz: 20}
	fmt.Println(mea.CL1Limits.Check(t))
	t.Phases = mea.Biphasic(1200, 3)
	fmt.Println(mea.CL1Limits.Check(t))
	// Output:
	// <nil>
	// phases[0]: charge 3600 pC (1200 µs × -3 µA) exceeds the CL1's limit of 3000 pC per phase
}

func ExampleNewMap() {
	l := mea.CL1(1500, 1500)
	// Three neurons: under channel 27, 60 µm from it, and far away.
	x := []float32{1400, 1460, 100}
	y := []float32{1400, 1400, 100}
	z := []float32{0, 0, 0}
	m := mea.NewMap(l, []int32{27}, x, y, z, 100)
	ids, d := m.Neurons(0)
	fmt.Println(ids, d)
	// Output:
	// [0 1] [0 60]
}

func ExamplePotential() {
	// 1 nA leaving a point 100 µm away, in cortex-like tissue (0.3 S/m).
	fmt.Printf("%.3f µV\n", mea.Potential([]float64{1000}, []float64{100}, 0.3))
	// Output:
	// 2.653 µV
}
