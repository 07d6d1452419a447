package plasticity

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/internal/rng"
)

// Structural holds the parameters of structural plasticity.
type Structural struct {
	Interval   float64 // slow clock, ms
	PruneBelow float64 // excitatory synapses weaker than this may be pruned
	PruneProb  float64 // probability that such a synapse is pruned at a tick, [0, 1]
	GrowthRate float64 // new excitatory inputs per neuron per second at full rate deficit
	Target     float64 // target rate, Hz
	WNew       float64 // weight of a new synapse
}

// DefaultStructural checks every 10 s (synapses turn over in hours to days
// in cultures; this is already fast), prunes synapses below 0.005 with
// probability 0.1 and grows up to 0.1 synapse per second per silent neuron
// toward a 2 Hz target. A tick costs O(synapses) (about 10 ms at 10,000
// neurons and 600,000 synapses on the development machine).
var DefaultStructural = Structural{Interval: 10000, PruneBelow: 0.005, PruneProb: 0.1, GrowthRate: 0.1, Target: 2, WNew: 0.02}

// Validate checks the parameters; messages start with the config key.
func (p Structural) Validate() error {
	switch {
	case !(p.Interval > 0) || math.IsInf(p.Interval, 0):
		return fmt.Errorf("interval_s = %g, must be > 0", p.Interval/1000)
	case !(p.PruneBelow >= 0) || math.IsInf(p.PruneBelow, 0):
		return fmt.Errorf("prune_below = %g, must be >= 0", p.PruneBelow)
	case !(p.PruneProb >= 0 && p.PruneProb <= 1):
		return fmt.Errorf("prune_probability = %g, must be in [0, 1]", p.PruneProb)
	case !(p.GrowthRate >= 0) || math.IsInf(p.GrowthRate, 0):
		return fmt.Errorf("growth_per_s = %g, must be >= 0", p.GrowthRate)
	case !(p.Target > 0) || math.IsInf(p.Target, 0):
		return fmt.Errorf("target_hz = %g, must be > 0", p.Target)
	case !(p.WNew > 0) || math.IsInf(p.WNew, 0):
		return fmt.Errorf("w_new = %g, must be > 0", p.WNew)
	}
	return nil
}

// Wiring is a culture's synapses in CSR form by presynaptic neuron: the
// part structural plasticity changes.
type Wiring struct {
	RowPtr  []int64
	Post    []int32
	Weight  []float32
	DelayMs []float32
}

// Rewire performs one tick of structural plasticity on w, for a culture c
// (positions, Dale's signs, λ, cutoff and conduction velocity) whose
// neurons have the estimated rates (Hz). Random draws come from key and
// the tick number, so the result is deterministic. It returns the number of
// synapses pruned and grown; rows stay sorted by postsynaptic neuron.
// The new wiring is built in spare (whose arrays are reused) and swapped
// with w; spare then holds the old wiring.
func (p Structural) Rewire(w, spare *Wiring, c *culture.Culture, rates []float64, key rng.Key, tick int64) (pruned, grown int) {
	n := c.N()
	tk := key.Sub(uint64(tick))
	// Growth: for each neuron below target, a Poisson number of new inputs.
	type syn struct {
		pre, post int32
		w, d      float32
	}
	var add []syn
	lambda := c.Spec.Lambda
	r2 := c.Spec.Cutoff * c.Spec.Cutoff
	var cand [][]int32
	for i := range n {
		def := (p.Target - rates[i]) / p.Target
		if def <= 0 || p.GrowthRate == 0 {
			continue
		}
		src := tk.Sub(uint64(i)).Source()
		k := poisson(&src, p.GrowthRate*def*p.Interval/1000)
		if k == 0 {
			continue
		}
		cand = c.Near(i, cand[:0])
		total := 0
		for _, cl := range cand {
			total += len(cl)
		}
		if total == 0 {
			continue
		}
		// Draw partners with prior ∝ e^(-d/λ) within the cutoff by
		// rejection; give up after many failures (an isolated neuron).
		mine := len(add) // this neuron's new inputs start here
		for tries := 0; k > 0 && tries < 1000*k; tries++ {
			at := src.Intn(total)
			var j int32
			for _, cl := range cand {
				if at < len(cl) {
					j = cl[at]
					break
				}
				at -= len(cl)
			}
			if int(j) == i || !c.Excitatory[j] {
				continue
			}
			d2 := dist2(c, int(j), i)
			if d2 > r2 || src.Float64() >= math.Exp(-math.Sqrt(d2)/lambda) {
				continue
			}
			if connected(w, int(j), int32(i)) || slices.ContainsFunc(add[mine:], func(s syn) bool { return s.pre == j }) {
				continue
			}
			add = append(add, syn{j, int32(i), float32(p.WNew), float32(math.Sqrt(d2) / c.Spec.Velocity)})
			k--
		}
	}
	slices.SortFunc(add, func(a, b syn) int {
		if a.pre != b.pre {
			return cmp.Compare(a.pre, b.pre)
		}
		return cmp.Compare(a.post, b.post)
	})
	// Rebuild: keep what is not pruned, merge the new synapses in order.
	out := *spare
	out.RowPtr = slices.Grow(out.RowPtr[:0], n+1)[:n+1]
	out.RowPtr[0] = 0
	m := len(w.Post) + len(add)
	out.Post = slices.Grow(out.Post[:0], m)
	out.Weight = slices.Grow(out.Weight[:0], m)
	out.DelayMs = slices.Grow(out.DelayMs[:0], m)
	a := 0
	pk := key.Sub(uint64(tick) ^ 1<<63)
	for j := range n {
		row := w.Post[w.RowPtr[j]:w.RowPtr[j+1]]
		for k, i := range row {
			s := w.RowPtr[j] + int64(k)
			for a < len(add) && add[a].pre == int32(j) && add[a].post < i {
				out.Post, out.Weight, out.DelayMs = append(out.Post, add[a].post), append(out.Weight, add[a].w), append(out.DelayMs, add[a].d)
				a++
				grown++
			}
			if c.Excitatory[j] && float64(w.Weight[s]) < p.PruneBelow &&
				rng.Float64(pk.At(uint64(s))) < p.PruneProb {
				pruned++
				continue
			}
			out.Post, out.Weight, out.DelayMs = append(out.Post, i), append(out.Weight, w.Weight[s]), append(out.DelayMs, w.DelayMs[s])
		}
		for a < len(add) && add[a].pre == int32(j) {
			out.Post, out.Weight, out.DelayMs = append(out.Post, add[a].post), append(out.Weight, add[a].w), append(out.DelayMs, add[a].d)
			a++
			grown++
		}
		out.RowPtr[j+1] = int64(len(out.Post))
	}
	*spare = *w
	*w = out
	return pruned, grown
}

func dist2(c *culture.Culture, i, j int) float64 {
	dx := float64(c.X[i]) - float64(c.X[j])
	dy := float64(c.Y[i]) - float64(c.Y[j])
	dz := float64(c.Z[i]) - float64(c.Z[j])
	return dx*dx + dy*dy + dz*dz
}

// connected reports whether pre already projects to post.
func connected(w *Wiring, pre int, post int32) bool {
	_, ok := slices.BinarySearch(w.Post[w.RowPtr[pre]:w.RowPtr[pre+1]], post)
	return ok
}

// poisson draws a Poisson number with mean m (Knuth's method; m is small).
func poisson(src *rng.Source, m float64) int {
	if m <= 0 {
		return 0
	}
	l := math.Exp(-m)
	k, prod := 0, src.Float64()
	for prod > l {
		k++
		prod *= src.Float64()
	}
	return k
}
