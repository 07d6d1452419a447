package culture_test

import (
	"fmt"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/models"
)

// Build BL-1's default culture with 1,000 neurons: the cell types come in
// exact proportions, whatever the seed.
func ExampleBuild() {
	s := culture.Default()
	s.N = 1000
	c, err := culture.Build(s, 0) // 0: all cores; the culture does not depend on it
	if err != nil {
		fmt.Println(err)
		return
	}
	for k, n := range c.Counts() {
		t := c.Types[k]
		fmt.Printf("%-3s %3d excitatory %v\n", t.Name, n, t.Excitatory)
	}
	fmt.Println("Izhikevich neurons:", c.NIzh)
	// Output:
	// RS  640 excitatory true
	// IB   80 excitatory true
	// CH   80 excitatory true
	// FS  160 excitatory false
	// LTS  40 excitatory false
	// Izhikevich neurons: 1000
}

// Walk the synapses of a culture, stored by presynaptic neuron: the weight
// of a synapse has its presynaptic neuron's sign (Dale's law), so
// excitatory neurons receive inhibition too.
func ExampleCulture() {
	s := culture.Default()
	s.N = 2000
	c, _ := culture.Build(s, 0)
	inhOntoExc := 0
	for pre := range c.N() {
		for k := c.RowPtr[pre]; k < c.RowPtr[pre+1]; k++ {
			post := c.Post[k]
			g := s.GInh
			if c.Excitatory[pre] {
				g = s.GExc
			}
			if w := float64(c.Weight[k]); w < 0.9*g || w > 1.1*g {
				fmt.Println("weight out of its presynaptic band:", w)
			}
			if !c.Excitatory[pre] && c.Excitatory[post] {
				inhOntoExc++
			}
		}
	}
	fmt.Println("excitatory neurons receive inhibitory synapses:", inhOntoExc > 0)
	// Output:
	// excitatory neurons receive inhibitory synapses: true
}

// A hybrid culture: Izhikevich neurons first, then AdEx ones. 999 × (0.5,
// 0.3, 0.2) = 499.5, 299.7, 199.8: the two units left after the floors go
// to the largest remainders, FS then RS.
func ExampleCulture_Counts() {
	rs, _ := models.Builtin("RS")
	fs, _ := models.Builtin("FS")
	adex, _ := models.Builtin("AdEx_RS")
	s := culture.Default()
	s.N = 999
	s.Types = []culture.Share{{Type: adex, Fraction: 0.5}, {Type: rs, Fraction: 0.3}, {Type: fs, Fraction: 0.2}}
	c, _ := culture.Build(s, 0)
	fmt.Println("counts:", c.Counts())
	fmt.Println("Izhikevich [0, NIzh):", c.NIzh)
	fmt.Println("model of neuron NIzh:", c.Types[c.Type[c.NIzh]].Kind)
	fmt.Println("population:", c.Population(0.5).Len())
	// Output:
	// counts: [499 300 200]
	// Izhikevich [0, NIzh): 500
	// model of neuron NIzh: adex
	// population: 999
}

// The analytic mean degree of a neuron far from the edges, for BL-1's
// culture, for 100,000 neurons at the same density, and in a 3-D slab.
func ExampleSpec_ExpectedDegree() {
	s := culture.Default()
	fmt.Printf("10,000 on 3 x 3 mm: %.1f\n", s.ExpectedDegree())
	s.N, s.Width, s.Height = 100000, 9487, 9487
	fmt.Printf("100,000 on 9.5 x 9.5 mm: %.1f\n", s.ExpectedDegree())
	s = culture.Default()
	s.N, s.Thickness = 50000, 1500
	fmt.Printf("50,000 in 3 x 3 x 1.5 mm: %.1f\n", s.ExpectedDegree())
	// Output:
	// 10,000 on 3 x 3 mm: 47.0
	// 100,000 on 9.5 x 9.5 mm: 47.0
	// 50,000 in 3 x 3 x 1.5 mm: 90.2
}

// Validate names the config key at fault.
func ExampleSpec_Validate() {
	s := culture.Default()
	s.PMax = 1.5
	fmt.Println(s.Validate())
	s = culture.Default()
	s.Weights.Kind = "gamma"
	fmt.Println(s.Validate())
	// Output:
	// p_max = 1.5, must be in [0, 1]
	// weights.dist = "gamma", must be uniform, lognormal or constant
}

// The default culture is BL-1's.
func ExampleDefault() {
	s := culture.Default()
	fmt.Printf("%d neurons on %g x %g µm, p(d) = %g exp(-d/%g µm) up to %g µm\n",
		s.N, s.Width, s.Height, s.PMax, s.Lambda, s.Cutoff)
	fmt.Printf("g_exc %g, g_inh %g, weights %s ±%g, %g µm/ms\n",
		s.GExc, s.GInh, s.Weights.Kind, s.Weights.Spread, s.Velocity)
	// Output:
	// 10000 neurons on 3000 x 3000 µm, p(d) = 0.21 exp(-d/200 µm) up to 600 µm
	// g_exc 0.05, g_inh 0.2, weights uniform ±0.1, 300 µm/ms
}
