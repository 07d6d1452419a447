// Package configs defines the YAML configuration of a simulation run, reads
// it strictly (an unknown key is an error naming the file and line), applies
// dotted-key overrides (-set culture.n_neurons=5000), validates every value
// and converts it into the inputs of packages culture and sim.
//
// The reference configs are embedded in the binary: default.yaml (10,000
// neurons, 10 s, the main job) and culture_100k.yaml. Each key is documented
// in default.yaml itself and in the README's config reference.
package configs
