package mea_test

import (
	"context"
	"testing"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/sim"
)

// benchMEA runs an embedded config's culture without an MEA and then with
// each set of overrides, 0.5 s simulated per iteration after 100 ms of
// warm-up, and reports the realtime factor: the ratio of the sub-benchmarks'
// ns/op is the recording's cost (issue targets: CL1 at 10,000 neurons at
// most +5 %, MaxOne with 1,024 channels at 100,000 at most +20 %).
func benchMEA(b *testing.B, config string, variants map[string][]string, order []string) {
	base, err := configs.Load(config, nil)
	if err != nil {
		b.Fatal(err)
	}
	spec, err := base.CultureSpec()
	if err != nil {
		b.Fatal(err)
	}
	c, err := culture.Build(spec, 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range order {
		b.Run(name, func(b *testing.B) {
			cfg, err := configs.Load(config, variants[name])
			if err != nil {
				b.Fatal(err)
			}
			e, err := sim.New(c, cfg.SimConfig())
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			obs := []sim.Observer{}
			mc, err := cfg.MEAConfig()
			if err != nil {
				b.Fatal(err)
			}
			if mc != nil {
				r, err := mea.New(e, *mc, 1, b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				defer r.Close()
				obs = r.Observers()
			}
			ctx := context.Background()
			dt := cfg.Simulation.DtMs
			if err := e.Run(ctx, int64(100/dt), obs...); err != nil {
				b.Fatal(err)
			}
			steps := int64(500 / dt)
			b.ReportAllocs()
			for b.Loop() {
				if err := e.Run(ctx, steps, obs...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*float64(steps)*dt/1000/b.Elapsed().Seconds(), "x_realtime")
		})
	}
}

func BenchmarkCulture10kCL1(b *testing.B) {
	benchMEA(b, "default.yaml", map[string][]string{
		"none":    nil,
		"cl1":     {"mea.layout=cl1"},
		"cl1+lfp": {"mea.layout=cl1", "mea.lfp.enabled=true"},
	}, []string{"none", "cl1", "cl1+lfp"})
}

func BenchmarkCulture100kMaxOne(b *testing.B) {
	benchMEA(b, "culture_100k.yaml", map[string][]string{
		"none":       nil,
		"maxone":     {"mea.layout=maxone", "mea.routing.select=center", "mea.routing.n=1024"},
		"maxone+lfp": {"mea.layout=maxone", "mea.routing.select=center", "mea.routing.n=1024", "mea.lfp.enabled=true"},
	}, []string{"none", "maxone", "maxone+lfp"})
}
