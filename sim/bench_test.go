package sim_test

import (
	"context"
	"testing"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/plasticity"
	"github.com/bl1-go/bl1/sim"
)

// events counts synaptic events: spikes times out-degree.
type events struct {
	rowPtr         []int64
	spikes, events int64
}

func (c *events) Spikes(_ int64, ids []int32) {
	c.spikes += int64(len(ids))
	for _, j := range ids {
		c.events += c.rowPtr[j+1] - c.rowPtr[j]
	}
}

// benchCulture runs an embedded config's culture 0.5 s of simulated time
// per iteration, after a 100 ms warm-up, and reports the realtime factor
// (simulated s per wall s), ns per neuron-step and per synaptic event.
func benchCulture(b *testing.B, config string, sets ...string) {
	benchPlastic(b, config, plasticity.Rules{}, sets...)
}

func benchPlastic(b *testing.B, config string, rules plasticity.Rules, sets ...string) {
	cfg, err := configs.Load(config, sets)
	if err != nil {
		b.Fatal(err)
	}
	spec, err := cfg.CultureSpec()
	if err != nil {
		b.Fatal(err)
	}
	c, err := culture.Build(spec, 0)
	if err != nil {
		b.Fatal(err)
	}
	sc := cfg.SimConfig()
	sc.Plasticity = rules
	e, err := sim.New(c, sc)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	dt := cfg.Simulation.DtMs
	if err := e.Run(ctx, int64(100/dt)); err != nil {
		b.Fatal(err)
	}
	steps := int64(500 / dt)
	cnt := &events{rowPtr: c.RowPtr}
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Run(ctx, steps, cnt); err != nil {
			b.Fatal(err)
		}
	}
	wall := b.Elapsed().Seconds()
	total := float64(b.N) * float64(steps)
	b.ReportMetric(total*dt/1000/wall, "x_realtime")
	b.ReportMetric(wall*1e9/total/float64(c.N()), "ns/neuron-step")
	if cnt.events > 0 {
		b.ReportMetric(wall*1e9/float64(cnt.events), "ns/event")
	}
	b.ReportMetric(float64(cnt.spikes)/float64(c.N())/(total*dt/1000), "rate_Hz")
	b.ReportMetric(float64(c.NSynapses())/float64(c.N()), "syn/neuron")
}

// BenchmarkCulture10k is the main job's culture (configs/default.yaml).
func BenchmarkCulture10k(b *testing.B) { benchCulture(b, "default.yaml") }

// BenchmarkCulture10kEuler is the same culture by forward Euler: the
// ratio to BenchmarkCulture10k is the cost of exponential Euler (its
// kernel Phi and the total conductance), less the rate difference.
func BenchmarkCulture10kEuler(b *testing.B) {
	benchCulture(b, "default.yaml", "simulation.integrator=euler")
}

// BenchmarkCulture100k is configs/culture_100k.yaml.
func BenchmarkCulture100k(b *testing.B) { benchCulture(b, "culture_100k.yaml") }

// The default culture with each plasticity rule (issue targets at 10k
// neurons: STP at most 1.2x, STDP 2x, homeostatic and structural rules 1.1x
// the step time without them).
func BenchmarkCulture10kSTP(b *testing.B) {
	benchPlastic(b, "default.yaml", plasticity.Rules{STP: &plasticity.STPRule{Exc: plasticity.DefaultSTPExc, Inh: plasticity.DefaultSTPInh}})
}

func BenchmarkCulture10kSTDP(b *testing.B) {
	benchPlastic(b, "default.yaml", plasticity.Rules{STDP: &plasticity.STDPRule{STDP: plasticity.DefaultSTDP}})
}

func BenchmarkCulture10kScaling(b *testing.B) {
	sc := plasticity.DefaultScaling
	benchPlastic(b, "default.yaml", plasticity.Rules{Scaling: &sc})
}

func BenchmarkCulture10kStructural(b *testing.B) {
	st := plasticity.DefaultStructural
	benchPlastic(b, "default.yaml", plasticity.Rules{Structural: &st})
}
