package connectivity

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bl1-go/bl1/analysis"
)

// A planted coupling 0 → 2 at 8 ms is significant in its direction only,
// with the delay of the bins it falls in.
func TestTEFindsPlantedLink(t *testing.T) {
	e := synth(3, 4, 5, 300, link{From: 0, To: 2, DelayMs: 8, Prob: 0.2, JitterMs: 0.5})
	te, err := TransferEntropy(e, TEOptions{Workers: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	n := te.N
	if p := te.P[0*n+2]; p > 0.01 {
		t.Errorf("0 → 2: p = %g, want ≤ 0.01", p)
	}
	// 8 ± 0.5 ms at 5 ms bins is 1 or 2 bins later, depending on where in
	// its bin the source event falls.
	if d := te.DelayMs[0*n+2]; d != 5 && d != 10 {
		t.Errorf("0 → 2: delay %g ms, want 5 or 10", d)
	}
	if te.TE[0*n+2] <= te.NullMean[0*n+2] {
		t.Errorf("0 → 2: TE %g not above its null mean %g", te.TE[0*n+2], te.NullMean[0*n+2])
	}
	for i := range n {
		for j := range n {
			if i != j && !(i == 0 && j == 2) && te.P[i*n+j] <= 0.01 {
				t.Errorf("%d → %d: p = %g, a false link", i, j, te.P[i*n+j])
			}
		}
	}
}

// On independent Poisson trains the surrogate test holds its level: about
// α of the pairs reach p ≤ α, and the sequential test stops early.
func TestTEFalsePositives(t *testing.T) {
	const n = 20
	e := synth(5, n, 8, 200)
	te, err := TransferEntropy(e, TEOptions{Seed: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	found, drawn := 0, 0
	for p := range te.P {
		if p/n != p%n {
			drawn += int(te.Surrogates[p])
			if te.P[p] <= 0.01 {
				found++
			}
		}
	}
	// 380 ordered pairs at α = 0.01 (the surrogate test is exact): 3.8
	// expected; P(Binomial(380, 0.01) > 10) ≈ 0.0005.
	if found > 10 {
		t.Errorf("%d false links of 380 at α = 0.01", found)
	}
	// Under the null a pair stops after about StopAfter/p ≈ 20 surrogates
	// (Besag & Clifford 1991), far fewer than 99.
	if mean := float64(drawn) / 380; mean > 40 {
		t.Errorf("%.1f surrogates per pair on average, want early stopping", mean)
	}
	t.Logf("%d of 380 pairs at p ≤ 0.01; %.1f surrogates per pair", found, float64(drawn)/380)
}

// The bitset counts give the plug-in TE of its definition, computed here
// from a table of the bins' joint states.
func TestTEMatchesDefinition(t *testing.T) {
	e := synth(7, 2, 40, 30, link{From: 1, To: 0, DelayMs: 12, Prob: 0.4})
	for _, k := range []int{1, 2, 3} {
		opt := TEOptions{BinMs: 4, History: k, MaxDelayMs: 16, JitterMs: 8, Surrogates: 1}
		te, err := TransferEntropy(e, opt)
		if err != nil {
			t.Fatal(err)
		}
		bins, nb, _ := e.UnitBins(4)
		bit := make([][]int, 2)
		for u := range 2 {
			bit[u] = make([]int, nb)
			for _, b := range bins[u] {
				bit[u][b] = 1
			}
		}
		U := 4
		t0 := max(k, U)
		for _, pr := range [][2]int{{1, 0}, {0, 1}} {
			x, y := pr[0], pr[1]
			best := math.Inf(-1)
			for u := 1; u <= U; u++ {
				joint := map[[3]int]float64{}
				for tt := t0; tt < nb; tt++ {
					past := 0
					for s := 1; s <= k; s++ {
						past = past<<1 | bit[y][tt-s]
					}
					joint[[3]int{bit[y][tt], past, bit[x][tt-u]}]++
				}
				N := float64(nb - t0)
				marg := func(f func(key [3]int) [3]int) map[[3]int]float64 {
					m := map[[3]int]float64{}
					for key, v := range joint {
						m[f(key)] += v
					}
					return m
				}
				fp := marg(func(q [3]int) [3]int { return [3]int{q[0], q[1], -1} })
				px := marg(func(q [3]int) [3]int { return [3]int{-1, q[1], q[2]} })
				pp := marg(func(q [3]int) [3]int { return [3]int{-1, q[1], -1} })
				var s float64
				for key, v := range joint {
					s += v / N * math.Log2(v*pp[[3]int{-1, key[1], -1}]/(px[[3]int{-1, key[1], key[2]}]*fp[[3]int{key[0], key[1], -1}]))
				}
				best = math.Max(best, s)
			}
			if got := te.TE[x*2+y]; math.Abs(got-best) > 1e-12 {
				t.Errorf("k=%d %d → %d: TE %.15g, definition %.15g", k, x, y, got, best)
			}
		}
	}
}

// Same seed, same result, whatever the number of workers.
func TestTEDeterministic(t *testing.T) {
	e := synth(8, 6, 10, 60, link{From: 1, To: 4, DelayMs: 6, Prob: 0.3})
	a, err := TransferEntropy(e, TEOptions{Seed: 3, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := TransferEntropy(e, TEOptions{Seed: 3, Workers: 3})
	for p := range a.P {
		if a.P[p] != b.P[p] || a.TE[p] != b.TE[p] || a.Surrogates[p] != b.Surrogates[p] || a.NullMean[p] != b.NullMean[p] {
			t.Fatalf("pair %d differs with 3 workers", p)
		}
	}
}

func TestTEInvalid(t *testing.T) {
	e := synth(1, 2, 5, 1)
	for _, o := range []TEOptions{{History: 7}, {MaxDelayMs: 400}, {JitterMs: 7}, {Surrogates: -1}, {BinMs: math.Inf(1)}} {
		if _, err := TransferEntropy(e, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if _, err := TransferEntropy(analysis.Events{N: 1, T1: 10}, TEOptions{}); err == nil {
		t.Error("2 bins: no error")
	}
	_ = rand.New
}
