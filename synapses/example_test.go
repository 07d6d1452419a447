package synapses_test

import (
	"fmt"

	"github.com/bl1-go/bl1/synapses"
)

// The fraction of NMDA conductance left unblocked by 1 mM Mg2+ rises with
// depolarisation (Jahr & Stevens 1990).
func ExampleMgBlock() {
	for _, v := range []float64{-80, -65, -40, 0} {
		fmt.Printf("B(%3.0f mV) = %.3f\n", v, synapses.MgBlock(v, 1))
	}
	// Output:
	// B(-80 mV) = 0.024
	// B(-65 mV) = 0.060
	// B(-40 mV) = 0.230
	// B(  0 mV) = 0.781
}

func ExampleReceptor_PeakTime() {
	p := synapses.Default()
	fmt.Printf("NMDA peaks at %.2f ms (norm %.6f)\n", p.NMDA.PeakTime(), p.NMDA.Norm())
	fmt.Printf("GABA_B peaks at %.2f ms (norm %.6f)\n", p.GABAB.PeakTime(), p.GABAB.Norm())
	fmt.Printf("AMPA peaks at %.2f ms (norm %.6f)\n", p.AMPA.PeakTime(), p.AMPA.Norm())
	// Output:
	// NMDA peaks at 7.98 ms (norm 1.105215)
	// GABA_B peaks at 81.34 ms (norm 2.194543)
	// AMPA peaks at 0.00 ms (norm 1.000000)
}

// Kernels are peak-normalised: a unit weight gives a peak conductance of 1.
func ExampleReceptor_Kernel() {
	nmda := synapses.Default().NMDA
	for _, t := range []float64{0, 2, nmda.PeakTime(), 100} {
		fmt.Printf("g(%6.2f ms) = %.4f\n", t, nmda.Kernel(t))
	}
	// Output:
	// g(  0.00 ms) = 0.0000
	// g(  2.00 ms) = 0.6767
	// g(  7.98 ms) = 1.0000
	// g(100.00 ms) = 0.4066
}

func ExampleDefault() {
	p := synapses.Default()
	fmt.Printf("NMDA: rise %g ms, decay %g ms, E %g mV, %g of excitation\n",
		p.NMDA.TauRise, p.NMDA.TauDecay, p.NMDA.ERev, p.NMDAFraction)
	fmt.Printf("GABA_B: rise %g ms, decay %g ms, E %g mV, %g of inhibition\n",
		p.GABAB.TauRise, p.GABAB.TauDecay, p.GABAB.ERev, p.GABABFraction)
	fmt.Println("AMPA dual:", p.AMPA.Dual(), "NMDA dual:", p.NMDA.Dual())
	// Output:
	// NMDA: rise 2 ms, decay 100 ms, E 0 mV, 0.3 of excitation
	// GABA_B: rise 45 ms, decay 170 ms, E -95 mV, 0.1 of inhibition
	// AMPA dual: false NMDA dual: true
}

func ExampleDelaySteps() {
	// 1 mm at 300 µm/ms is 3.33 ms: 7 steps of 0.5 ms.
	fmt.Println(synapses.DelaySteps(1000, 300, 0.5))
	// Neighbours are at least one step apart.
	fmt.Println(synapses.DelaySteps(10, 300, 0.5))
	// Output:
	// 7
	// 1
}

func ExampleParams_Validate() {
	p := synapses.Default()
	fmt.Println(p.Validate())
	p.NMDAFraction = 1.2
	fmt.Println(p.Validate())
	p = synapses.Default()
	p.GABAB.TauRise = 200
	fmt.Println(p.Validate())
	// Output:
	// <nil>
	// nmda_fraction = 1.2, must be in [0, 1]
	// gaba_b: tau_rise_ms = 200 must be below tau_decay_ms = 170
}

// One excitatory arrival of weight 0.05 at step 0 into a neuron held at
// -65 mV: AMPA carries 70 % of it and decays within milliseconds, NMDA the
// other 30 %, peaking near 8 ms.
func ExampleNewState() {
	const dt = 0.5 // ms
	s := synapses.NewState(1, synapses.Default(), dt)
	exc, inh := []float32{0.05}, []float32{0} // weights arriving at neuron 0
	v := []float32{-65}
	iSyn := make([]float32, 1)
	for k := range 201 {
		s.Advance(0, 1, exc, inh, v, iSyn, nil) // the arrivals are zeroed
		if k == 0 || k == 4 || k == 16 || k == 200 {
			fmt.Printf("t = %5.1f ms: AMPA %.5f NMDA %.5f I %.5f\n", float64(k)*dt, s.AMPA[0], s.NMDA(0), iSyn[0])
		}
	}
	// Output:
	// t =   0.0 ms: AMPA 0.03500 NMDA 0.00000 I 2.27500
	// t =   2.0 ms: AMPA 0.01288 NMDA 0.01015 I 0.87630
	// t =   8.0 ms: AMPA 0.00064 NMDA 0.01500 I 0.09984
	// t = 100.0 ms: AMPA 0.00000 NMDA 0.00610 I 0.02365
}

// Inhibition: GABA_A (90 %) and GABA_B (10 %) pull the neuron toward their
// reversal potentials, -75 and -95 mV.
func ExampleState_Advance() {
	s := synapses.NewState(2, synapses.Default(), 0.5)
	exc := []float32{0, 0}
	inh := []float32{0.2, 0.2} // neurons 0 and 1 each receive inhibitory 0.2
	v := []float32{-65, -75}
	iSyn := make([]float32, 2)
	s.Advance(0, 2, exc, inh, v, iSyn, nil)
	fmt.Printf("GABA_A %.3f, GABA_B %.3f\n", s.GABAA[0], s.GABAB(0))
	fmt.Printf("I at -65 mV: %.3f, at -75 mV: %.3f\n", iSyn[0], iSyn[1])
	fmt.Println(inh)
	// Output:
	// GABA_A 0.180, GABA_B 0.000
	// I at -65 mV: -1.800, at -75 mV: 0.000
	// [0 0]
}
