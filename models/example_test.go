package models_test

import (
	"fmt"
	"math"

	"github.com/bl1-go/bl1/models"
)

func ExampleBuiltin() {
	rs, _ := models.Builtin("RS")
	fmt.Println(rs.Kind, rs.Izhikevich, rs.Excitatory)
	fmt.Println(rs.Source)

	tonic, _ := models.Builtin("AdEx_tonic")
	fmt.Printf("%s: C = %g pF, g_L = %g nS, tau_w = %g ms\n", tonic.Kind, tonic.AdEx.C, tonic.AdEx.GL, tonic.AdEx.TauW)

	_, ok := models.Builtin("TC")
	fmt.Println(ok)
	// Output:
	// izhikevich {0.02 0.2 -65 8} true
	// Izhikevich 2003, IEEE TNN 14:1569, Fig. 2
	// adex: C = 200 pF, g_L = 10 nS, tau_w = 30 ms
	// false
}

func ExampleBuiltinNames() {
	for _, name := range models.BuiltinNames() {
		t, _ := models.Builtin(name)
		fmt.Println(name, t.Kind)
	}
	// Output:
	// AdEx_RS adex
	// AdEx_adapting adex
	// AdEx_bursting adex
	// AdEx_delayed_accelerating adex
	// AdEx_delayed_bursting adex
	// AdEx_initial_burst adex
	// AdEx_irregular adex
	// AdEx_tonic adex
	// AdEx_transient adex
	// CH izhikevich
	// FS izhikevich
	// IB izhikevich
	// LTS izhikevich
	// RS izhikevich
}

func ExampleParseKind() {
	k, err := models.ParseKind("AdEx")
	fmt.Println(k, err)
	_, err = models.ParseKind("lif")
	fmt.Println(err)
	// Output:
	// adex <nil>
	// unknown neuron model "lif" (known: izhikevich, adex)
}

func ExampleIzhikevich_Validate() {
	p := models.Izhikevich{A: 0.02, B: 0.2, C: 35, D: 8}
	fmt.Println(p.Validate())
	// Output:
	// c = 35 mV, must be below the 30 mV peak
}

func ExampleIzhikevich_Rest() {
	lts, _ := models.Builtin("LTS")
	fmt.Println(lts.Izhikevich.Rest())
	// Output:
	// -65 -16.25
}

func ExampleAdEx_Validate() {
	p, _ := models.Builtin("AdEx_tonic")
	p.AdEx.TauW = 0
	fmt.Println(p.AdEx.Validate())
	// Output:
	// tau_w = 0 ms, must be > 0
}

func ExampleAdEx_Rest() {
	tonic, _ := models.Builtin("AdEx_tonic")
	fmt.Println(tonic.AdEx.Rest())
	// Output:
	// -70 0
}

func ExampleType_Validate() {
	t := models.Type{Name: "broken", Kind: models.KindIzhikevich, Izhikevich: models.Izhikevich{A: 0, B: 0.2, C: -65, D: 8}}
	fmt.Println(t.Validate())
	// Output:
	// type broken: a = 0, must be > 0
}

// A hybrid population: an Izhikevich RS neuron at index 0 and an AdEx
// tonic neuron at index 1. Inputs are per unit capacitance, so a current
// in pA is divided by the neuron's capacitance.
func ExampleNewPopulation() {
	rs, _ := models.Builtin("RS")
	tonic, _ := models.Builtin("AdEx_tonic")
	pop := models.NewPopulation(2, 1, 0.1)
	pop.SetIzhikevich(0, rs.Izhikevich)
	pop.SetAdEx(1, tonic.AdEx)
	fmt.Println(pop.Len(), pop.NIzh)
	fmt.Printf("C = %.4g pF and %.4g pF\n", pop.Capacitance(0), pop.Capacitance(1))
	fmt.Println(pop.V, pop.R)
	// Output:
	// 2 1
	// C = 1 pF and 200 pF
	// [-65 -70] [-13 0]
}

// One RS neuron under the step of Izhikevich 2003, Fig. 2 (I = 10) for 1 s
// at BL-1's dt of 0.5 ms.
func ExamplePopulation_Step() {
	rs, _ := models.Builtin("RS")
	pop := models.NewPopulation(1, 1, 0.5)
	pop.SetIzhikevich(0, rs.Izhikevich)
	I := []float32{10}
	var spikes []int32
	n := 0
	for range 2000 {
		var bad int
		spikes, bad = pop.Step(0, pop.Len(), I, nil, spikes[:0])
		if bad >= 0 {
			fmt.Println("neuron", bad, "became non-finite")
			return
		}
		n += len(spikes)
	}
	fmt.Println(n, "spikes in 1 s")

	// A non-finite input is reported with the neuron's index.
	I[0] = float32(math.NaN())
	_, bad := pop.Step(0, 1, I, nil, spikes[:0])
	fmt.Println("bad neuron:", bad)
	// Output:
	// 23 spikes in 1 s
	// bad neuron: 0
}

// An AdEx neuron of Naud et al. 2008 (tonic spiking) under its Table 1
// current of 500 pA, given per unit capacitance.
func ExamplePopulation_SetAdEx() {
	tonic, _ := models.Builtin("AdEx_tonic")
	pop := models.NewPopulation(1, 0, 0.1)
	pop.SetAdEx(0, tonic.AdEx)
	I := []float32{float32(500 / pop.Capacitance(0))} // 500 pA / 200 pF = 2.5 mV/ms
	var spikes []int32
	n := 0
	for range 5000 { // 500 ms
		spikes, _ = pop.Step(0, 1, I, nil, spikes[:0])
		n += len(spikes)
	}
	fmt.Println(n, "spikes in 500 ms")
	// Output:
	// 50 spikes in 500 ms
}

func ExamplePopulation_SetIzhikevich() {
	fs, _ := models.Builtin("FS")
	pop := models.NewPopulation(3, 3, 0.5)
	for i := range pop.Len() {
		pop.SetIzhikevich(i, fs.Izhikevich)
	}
	fmt.Println(pop.V, pop.R, pop.Dt())
	// Output:
	// [-65 -65 -65] [-13 -13 -13] 0.5
}
