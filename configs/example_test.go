package configs_test

import (
	"fmt"

	"github.com/bl1-go/bl1/configs"
)

// Load the embedded default with an override and convert it.
func ExampleLoad() {
	cfg, err := configs.Load("default.yaml", []string{"culture.n_neurons=5000"})
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, _ := cfg.CultureSpec()
	fmt.Println(spec.N, "neurons,", len(spec.Types), "cell types,", cfg.Steps(), "steps of", cfg.Simulation.DtMs, "ms")
	// Output:
	// 5000 neurons, 5 cell types, 20000 steps of 0.5 ms
}

// Errors name the file, the line and the key, and say what is allowed.
func ExampleParse() {
	_, err := configs.Parse("my.yaml", []byte("culture:\n  n_neurons: 100\n  p_max: 1.5\n"), nil)
	fmt.Println(err)
	_, err = configs.Parse("my.yaml", []byte("simulation:\n  dt: 0.1\n"), nil)
	fmt.Println(err)
	// Output:
	// my.yaml:3: culture.p_max = 1.5, must be in [0, 1]
	// my.yaml:2: simulation.dt: unknown key "dt" in simulation (known: checkpoint_every_s, dt_ms, duration_s, integrator, seed, workers)
}
