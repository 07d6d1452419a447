package graph_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/bl1-go/bl1/adjoint"
	"github.com/bl1-go/bl1/graph"
	"github.com/bl1-go/bl1/internal/adjtest"
	"github.com/bl1-go/bl1/surrogate"
)

// refLoss adds adjtest.Loss to the reference graph: Σ C ⊙ S + Σ (counts -
// target)².
func refLoss(t *testing.T, ref *graph.Reference, l *adjtest.Loss) *G.Node {
	t.Helper()
	g := ref.G
	c := G.NewVector(g, G.Float64, G.WithShape(len(l.C)), G.WithName("lossC"),
		G.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), l.C...)))))
	tg := G.NewVector(g, G.Float64, G.WithShape(len(l.Target)), G.WithName("lossTarget"),
		G.WithValue(tensor.New(tensor.WithBacking(append([]float64(nil), l.Target...)))))
	lin := G.Must(G.Sum(G.Must(G.HadamardProd(c, ref.Spikes))))
	sq := G.Must(G.Sum(G.Must(G.Square(G.Must(G.Sub(ref.Counts, tg))))))
	return G.Must(G.Add(lin, sq))
}

// leaf pairs a leaf of the reference graph with the native gradient.
type leaf struct {
	name string
	node *G.Node
	grad []float64
}

func leaves(ref *graph.Reference, g *adjoint.Grads, m *adjoint.Model) []leaf {
	np := len(g.Scale)
	pop := func(f func(k int) float64) []float64 {
		x := make([]float64, np)
		for k := range x {
			x[k] = f(k)
		}
		return x
	}
	ls := []leaf{
		{"W", ref.W, g.W}, {"Scale", ref.Scale, g.Scale},
		{"NMDAFraction", ref.NMDAFraction, []float64{g.NMDAFraction}}, {"GABABFraction", ref.GABABFraction, []float64{g.GABABFraction}},
		{"Izh.A", ref.IzhA, pop(func(k int) float64 { return g.Izh[k].A })},
		{"Izh.B", ref.IzhB, pop(func(k int) float64 { return g.Izh[k].B })},
		{"Izh.C", ref.IzhC, pop(func(k int) float64 { return g.Izh[k].C })},
		{"Izh.D", ref.IzhD, pop(func(k int) float64 { return g.Izh[k].D })},
		{"AdEx.C", ref.AdExC, pop(func(k int) float64 { return g.AdEx[k].C })},
		{"AdEx.GL", ref.AdExGL, pop(func(k int) float64 { return g.AdEx[k].GL })},
		{"AdEx.EL", ref.AdExEL, pop(func(k int) float64 { return g.AdEx[k].EL })},
		{"AdEx.VT", ref.AdExVT, pop(func(k int) float64 { return g.AdEx[k].VT })},
		{"AdEx.DeltaT", ref.AdExDeltaT, pop(func(k int) float64 { return g.AdEx[k].DeltaT })},
		{"AdEx.A", ref.AdExA, pop(func(k int) float64 { return g.AdEx[k].A })},
		{"AdEx.TauW", ref.AdExTauW, pop(func(k int) float64 { return g.AdEx[k].TauW })},
		{"AdEx.B", ref.AdExB, pop(func(k int) float64 { return g.AdEx[k].B })},
		{"AdEx.VReset", ref.AdExVReset, pop(func(k int) float64 { return g.AdEx[k].VReset })},
		{"Bias", ref.Bias, g.Bias}, {"Current", ref.Current, g.Current},
		{"V0", ref.V0, g.Init.V}, {"R0", ref.R0, g.Init.R},
		{"AMPA0", ref.G0[0], g.Init.AMPA}, {"NMDARise0", ref.G0[1], g.Init.NMDARise}, {"NMDADecay0", ref.G0[2], g.Init.NMDADecay},
		{"GABAA0", ref.G0[3], g.Init.GABAA}, {"GABABRise0", ref.G0[4], g.Init.GABABRise}, {"GABABDecay0", ref.G0[5], g.Init.GABABDecay},
	}
	if m.STP {
		ls = append(ls,
			leaf{"STP.U", ref.STPU, pop(func(k int) float64 { return g.STP[k].U })},
			leaf{"STP.TauRec", ref.STPTauRec, pop(func(k int) float64 { return g.STP[k].TauRec })},
			leaf{"STP.TauFac", ref.STPTauFac, pop(func(k int) float64 { return g.STP[k].TauFac })},
			leaf{"X0", ref.X0, g.Init.X}, leaf{"U0", ref.U0, g.Init.U})
	}
	for k, p := range ref.Pending {
		ls = append(ls, leaf{fmt.Sprint("Pending", k), p, g.Init.Pending[k]})
	}
	// Leaves the graph does not have (neuron models that are absent, no
	// current) must have zero native gradients.
	var out []leaf
	for _, l := range ls {
		if l.node != nil {
			out = append(out, l)
			continue
		}
		for _, x := range l.grad {
			if x != 0 {
				panic("native gradient of " + l.name + " is not zero, but the graph has no such leaf")
			}
		}
	}
	return out
}

// relErr is max |a - b| / max |b|: the error relative to the largest
// gradient of a parameter group.
func relErr(a, b []float64) float64 {
	d, s := 0.0, 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
		s = math.Max(s, math.Abs(b[i]))
	}
	if s == 0 {
		return d
	}
	return d / s
}

func TestNativeMatchesUnrolledGraph(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec adjtest.Spec
		T    int
		opt  adjoint.Options
	}{
		{"izh+adex/stp/superspike", adjtest.Spec{Seed: 11, NIzh: 10, NAdEx: 4, STP: true}, 30, adjoint.Options{Surrogate: surrogate.New(surrogate.SuperSpike)}},
		{"izh/sigmoid/detached/checkpointed", adjtest.Spec{Seed: 12, NIzh: 14, MaxDelay: 4}, 30,
			adjoint.Options{Surrogate: surrogate.New(surrogate.Sigmoid), DetachReset: true, Checkpoint: 7}},
		{"adex/stp/arctan/detached/single-exp-nmda", adjtest.Spec{Seed: 13, NAdEx: 12, STP: true, SingleExpN: true}, 30,
			adjoint.Options{Surrogate: surrogate.New(surrogate.Arctan), DetachReset: true}},
		{"izh+adex/stp/smooth-sigmoid", adjtest.Spec{Seed: 14, NIzh: 8, NAdEx: 4, STP: true, MaxDelay: 1}, 25,
			adjoint.Options{Surrogate: surrogate.New(surrogate.Sigmoid), Smooth: true}},
		{"izh+adex/stp/superspike/exponential-euler", adjtest.Spec{Seed: 15, NIzh: 10, NAdEx: 4, STP: true, Exponential: true}, 30,
			adjoint.Options{Surrogate: surrogate.New(surrogate.SuperSpike)}},
		{"izh+adex/smooth-sigmoid/detached/exponential-euler", adjtest.Spec{Seed: 16, NIzh: 8, NAdEx: 4, MaxDelay: 2, Exponential: true}, 25,
			adjoint.Options{Surrogate: surrogate.New(surrogate.Sigmoid), Smooth: true, DetachReset: true, Checkpoint: 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, p, s0 := adjtest.Network(tc.spec)
			n := m.N()
			in := adjtest.Input(tc.spec.Seed, tc.T, n)
			loss := adjtest.NewLoss(tc.spec.Seed, tc.T, n)
			opt := tc.opt
			opt.NeuronGrads = true
			w, err := adjoint.NewWindow(m, tc.T, opt)
			if err != nil {
				t.Fatal(err)
			}
			rec, _, err := w.Forward(p, s0, in)
			if err != nil {
				t.Fatal(err)
			}
			lNative := loss.Value(rec)
			g, err := w.Backward(loss)
			if err != nil {
				t.Fatal(err)
			}

			t0 := time.Now()
			ref, err := graph.Unroll(m, p, s0, in, tc.T, opt, nil)
			if err != nil {
				t.Fatal(err)
			}
			L := refLoss(t, ref, loss)
			ls := leaves(ref, g, m)
			var nodes G.Nodes
			for _, l := range ls {
				nodes = append(nodes, l.node)
			}
			t1 := time.Now()
			grads, err := G.Grad(L, nodes...)
			if err != nil {
				t.Fatal(err)
			}
			var sv G.Value
			G.Read(ref.Spikes, &sv)
			t2 := time.Now()
			vm := G.NewTapeMachine(ref.G)
			defer vm.Close()
			t3 := time.Now()
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			t.Logf("%d forward nodes, %d with gradients; build %v, Grad %v, compile %v, run %v",
				ref.Nodes(), ref.G.AllNodes().Len(), t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), time.Since(t3))
			got := sv.Data().([]float64)
			want := rec.Dense()
			spikes := 0.0
			for k := range want {
				spikes += want[k]
				// Hard spikes must be identical; smooth ones differ by the
				// rounding of sums taken in another order.
				if got[k] != want[k] && !(opt.Smooth && math.Abs(got[k]-want[k]) <= 1e-12) {
					t.Fatalf("spike of neuron %d at step %d: graph %g, native %g", k%n, k/n, got[k], want[k])
				}
			}
			if spikes == 0 {
				t.Fatal("no spikes: the comparison tests nothing")
			}
			lGraph := L.Value().Data().(float64)
			if math.Abs(lGraph-lNative) > 1e-12*math.Abs(lNative) {
				t.Errorf("loss: graph %.17g, native %.17g", lGraph, lNative)
			}
			worst := 0.0
			for k, l := range ls {
				var gv []float64
				switch d := grads[k].Value().Data().(type) {
				case float64:
					gv = []float64{d}
				case []float64:
					gv = d
				}
				e := relErr(l.grad, gv)
				worst = math.Max(worst, e)
				if e > 1e-9 {
					t.Errorf("∂L/∂%s: relative error %.3g\n native %.10g\n graph  %.10g", l.name, e, l.grad, gv)
				}
			}
			t.Logf("%g spikes; largest relative gradient error %.3g", spikes, worst)
		})
	}
}
