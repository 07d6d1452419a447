package fit

import (
	"fmt"
	"math"

	"github.com/bl1-go/bl1/adjoint"
)

// Loss is a differentiable function of the spikes of a window.
type Loss interface {
	// Value returns the loss of the spikes of rec and prepares the
	// gradient.
	Value(rec *adjoint.Record) float64
	// AddSpikeGrad adds ∂L/∂s_i(t) to ds for the record of the last Value
	// (adjoint.SpikeGrad).
	AddSpikeGrad(t int, ds []float64)
}

var (
	_ Loss = (*LogRate)(nil)
	_ Loss = (*BurstRate)(nil)
	_ Loss = (*Fano)(nil)
	_ Loss = (*VanRossum)(nil)
	_ Loss = (*ChannelRates)(nil)
	_ Loss = (*Sum)(nil)
)

// hz converts a spike count of n neurons over T steps of dt ms into Hz.
func hz(n, T int, dt float64) float64 { return 1000 / (float64(n) * float64(T) * dt) }

// subset returns the neurons of a loss: all of n when ids is nil.
func subset(ids []int32, n int) []int32 {
	if ids != nil {
		return ids
	}
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i)
	}
	return out
}

// LogRate is the squared difference of log mean rates:
//
//	L = (ln(r + ε) - ln(r* + ε))²,  r = Σ_{i∈S} Σ_t s_i(t) / (|S| T dt),
//
// a scale-free match of the population rate r (Hz) of the neurons S to
// the target r* (BL-1's trainer, spec/bl1.md §9).
type LogRate struct {
	TargetHz float64
	Neurons  []int32 // S; nil for all neurons
	Dt       float64 // ms
	Eps      float64 // Hz; 0 means 0.01

	g float64 // ∂L/∂s for every neuron of S and step
	n int
	s []int32
}

// Value implements Loss.
func (l *LogRate) Value(rec *adjoint.Record) float64 {
	l.s = subset(l.Neurons, rec.N)
	l.n = rec.N
	counts := rec.Counts()
	sum := 0.0
	for _, i := range l.s {
		sum += counts[i]
	}
	k := hz(len(l.s), rec.T, l.Dt)
	r := sum * k
	eps := or(l.Eps, 0.01)
	d := math.Log(r+eps) - math.Log(l.TargetHz+eps)
	l.g = 2 * d / (r + eps) * k
	return d * d
}

// AddSpikeGrad implements Loss.
func (l *LogRate) AddSpikeGrad(_ int, ds []float64) {
	for _, i := range l.s {
		ds[i] += l.g
	}
}

func or(x, def float64) float64 {
	if x == 0 {
		return def
	}
	return x
}

// BurstRate matches the rate of network bursts, made differentiable: the
// population rate of the neurons S is smoothed with a Gaussian of SigmaMs
// (truncated at 3σ), a logistic gate marks where it exceeds ThresholdHz,
//
//	r(t) = Σ_k K(k) p(t - k) / (|S| dt),  g(t) = 1/(1 + e^(-(r(t) - θ)/w)),
//
// and bursts are counted as the gate's rises, B = Σ_t max(0, g(t) -
// g(t-1)), so that L = ((B/T_min - b*)/max(b*, 1))² with b* bursts per
// minute. As w → 0 B counts the threshold crossings of the smoothed rate
// (Measure). BL-1's burst loss (spec/bl1.md §9) smooths the same way but
// sets the threshold from the trace's own mean and deviation.
type BurstRate struct {
	TargetPerMin float64
	ThresholdHz  float64 // θ, population rate per neuron
	WidthHz      float64 // w; 0 means θ/10
	SigmaMs      float64 // smoothing; 0 means 10 ms
	Neurons      []int32
	Dt           float64

	gp []float64 // ∂L/∂p(t)
	s  []int32
}

// kernel returns the normalised Gaussian smoothing kernel, index k for
// lag k - len/2.
func gaussian(sigmaMs, dt float64) []float64 {
	h := max(1, int(math.Ceil(3*sigmaMs/dt)))
	k := make([]float64, 2*h+1)
	sum := 0.0
	for i := range k {
		x := float64(i-h) * dt / sigmaMs
		k[i] = math.Exp(-x * x / 2)
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	return k
}

// smooth returns the smoothed population rate per neuron (Hz) of the
// per-step population counts p.
func smooth(p, k []float64, n int, dt float64) []float64 {
	h := len(k) / 2
	r := make([]float64, len(p))
	f := 1000 / (float64(n) * dt)
	for t := range p {
		s := 0.0
		for j, w := range k {
			if u := t - (j - h); u >= 0 && u < len(p) {
				s += w * p[u]
			}
		}
		r[t] = s * f
	}
	return r
}

// population returns the per-step spike count of the neurons in S.
func population(rec *adjoint.Record, in []bool) []float64 {
	p := make([]float64, rec.T)
	for t := range rec.T {
		ids, vals := rec.Step(t)
		for k, id := range ids {
			if in == nil || in[id] {
				p[t] += vals[k]
			}
		}
	}
	return p
}

func membership(ids []int32, n int) []bool {
	if ids == nil {
		return nil
	}
	in := make([]bool, n)
	for _, i := range ids {
		in[i] = true
	}
	return in
}

// Value implements Loss.
func (b *BurstRate) Value(rec *adjoint.Record) float64 {
	b.s = subset(b.Neurons, rec.N)
	p := population(rec, membership(b.Neurons, rec.N))
	k := gaussian(or(b.SigmaMs, 10), b.Dt)
	r := smooth(p, k, len(b.s), b.Dt)
	w := or(b.WidthHz, b.ThresholdHz/10)
	g := make([]float64, len(r))
	for t, x := range r {
		g[t] = 1 / (1 + math.Exp(-(x-b.ThresholdHz)/w))
	}
	onsets := 0.0
	for t := 1; t < len(g); t++ {
		onsets += max(0, g[t]-g[t-1])
	}
	minutes := float64(rec.T) * b.Dt / 60000
	scale := max(b.TargetPerMin, 1)
	d := (onsets/minutes - b.TargetPerMin) / scale
	dOn := 2 * d / scale / minutes
	// ∂L/∂g(t): +1 where g rises into t, -1 where it rises out of t.
	gg := make([]float64, len(g))
	for t := 1; t < len(g); t++ {
		if g[t] > g[t-1] {
			gg[t] += dOn
			gg[t-1] -= dOn
		}
	}
	// Through the gate and the smoothing (K is symmetric).
	gr := make([]float64, len(g))
	for t := range g {
		gr[t] = gg[t] * g[t] * (1 - g[t]) / w
	}
	b.gp = smooth(gr, k, len(b.s), b.Dt)
	return d * d
}

// AddSpikeGrad implements Loss.
func (b *BurstRate) AddSpikeGrad(t int, ds []float64) {
	for _, i := range b.s {
		ds[i] += b.gp[t]
	}
}

// Measure returns the bursts per minute of rec by the hard version of the
// loss's count: rises of the smoothed rate through ThresholdHz.
func (b *BurstRate) Measure(rec *adjoint.Record) float64 {
	s := subset(b.Neurons, rec.N)
	r := smooth(population(rec, membership(b.Neurons, rec.N)), gaussian(or(b.SigmaMs, 10), b.Dt), len(s), b.Dt)
	n := 0
	for t := 1; t < len(r); t++ {
		if r[t] > b.ThresholdHz && r[t-1] <= b.ThresholdHz {
			n++
		}
	}
	return float64(n) / (float64(rec.T) * b.Dt / 60000)
}

// Fano matches the Fano factor of the population count in bins of BinMs,
// a measure of synchrony (1 for independent Poisson neurons, larger when
// neurons fire together):
//
//	F = Var(c) / mean(c),  c_k = Σ_{t∈bin k} Σ_{i∈S} s_i(t),  L = (F - F*)²,
//	∂F/∂c_k = (2(c_k - mean) - F) / (K mean)
//
// (population variance over the K whole bins; BL-1's synchrony loss,
// spec/bl1.md §9, with 10 ms bins). A window without spikes has F = 0 and
// no gradient.
type Fano struct {
	Target  float64
	BinMs   float64 // 0 means 10 ms
	Neurons []int32
	Dt      float64

	g    []float64 // ∂L/∂c_k
	bin  int
	s    []int32
	last float64
}

// Value implements Loss.
func (f *Fano) Value(rec *adjoint.Record) float64 {
	f.s = subset(f.Neurons, rec.N)
	f.bin = max(1, int(math.Round(or(f.BinMs, 10)/f.Dt)))
	c := bins(population(rec, membership(f.Neurons, rec.N)), f.bin)
	F, grad := fano(c)
	f.last = F
	d := F - f.Target
	f.g = make([]float64, len(c))
	for k := range c {
		f.g[k] = 2 * d * grad[k]
	}
	return d * d
}

// bins sums p over whole bins of b steps.
func bins(p []float64, b int) []float64 {
	c := make([]float64, len(p)/b)
	for k := range c {
		for _, x := range p[k*b : (k+1)*b] {
			c[k] += x
		}
	}
	return c
}

// fano returns Var(c)/mean(c) and its gradient.
func fano(c []float64) (float64, []float64) {
	K := float64(len(c))
	g := make([]float64, len(c))
	mean := 0.0
	for _, x := range c {
		mean += x
	}
	mean /= K
	if len(c) == 0 || mean == 0 {
		return 0, g
	}
	v := 0.0
	for _, x := range c {
		v += (x - mean) * (x - mean)
	}
	v /= K
	F := v / mean
	for k, x := range c {
		g[k] = (2*(x-mean) - F) / (K * mean)
	}
	return F, g
}

// AddSpikeGrad implements Loss.
func (f *Fano) AddSpikeGrad(t int, ds []float64) {
	k := t / f.bin
	if k >= len(f.g) {
		return // a partial last bin is not counted
	}
	for _, i := range f.s {
		ds[i] += f.g[k]
	}
}

// VanRossum is the van Rossum distance between the spike trains of a
// window and target trains of the same neurons and steps (van Rossum
// 2001, Neural Comput 13:751, doi:10.1162/089976601300014321, eq. 2-3):
// each train is filtered by an exponential of time constant τ and
//
//	L = Σ_i Σ_t (f_i(t) - g_i(t))² dt/τ,  f_i(t) = e^(-dt/τ) f_i(t-1) + s_i(t)
//
// (g likewise from the target). Its gradient runs the filter backward,
// a_i(t) = 2 (f_i - g_i)(t) dt/τ + e^(-dt/τ) a_i(t+1), ∂L/∂s_i(t) =
// a_i(t); f - g is recomputed in segments of √T steps from checkpoints,
// so memory is O(N √T).
type VanRossum struct {
	TauMs  float64
	Target *adjoint.Record
	Dt     float64

	rec  *adjoint.Record
	seg  int
	chk  [][]float64 // f - g at the start of each segment
	cur  []float64   // f - g of the segment being differentiated, [row][i]
	curS int         // its index
	a    []float64
	next int // the step AddSpikeGrad expects
}

// Value implements Loss; it panics if the target does not match the
// record's size.
func (v *VanRossum) Value(rec *adjoint.Record) float64 {
	if v.Target.N != rec.N || v.Target.T != rec.T {
		panic(fmt.Sprintf("fit: van Rossum target of %d neurons × %d steps for a record of %d × %d", v.Target.N, v.Target.T, rec.N, rec.T))
	}
	v.rec = rec
	n, T := rec.N, rec.T
	v.seg = max(1, int(math.Ceil(math.Sqrt(float64(T)))))
	lam := math.Exp(-v.Dt / v.TauMs)
	c := v.Dt / v.TauMs
	d := make([]float64, n)
	v.chk = v.chk[:0]
	L := 0.0
	for t := range T {
		if t%v.seg == 0 {
			v.chk = append(v.chk, append([]float64(nil), d...))
		}
		v.advance(d, t, lam)
		for _, x := range d {
			L += x * x * c
		}
	}
	v.a = make([]float64, n)
	v.cur, v.curS, v.next = nil, -1, T-1
	return L
}

// advance takes d = f - g from step t-1 to step t.
func (v *VanRossum) advance(d []float64, t int, lam float64) {
	for i := range d {
		d[i] *= lam
	}
	ids, vals := v.rec.Step(t)
	for k, id := range ids {
		d[id] += vals[k]
	}
	ids, vals = v.Target.Step(t)
	for k, id := range ids {
		d[id] -= vals[k]
	}
}

// AddSpikeGrad implements Loss; steps must come in descending order, as
// adjoint.Window.Backward asks for them.
func (v *VanRossum) AddSpikeGrad(t int, ds []float64) {
	if t != v.next {
		panic(fmt.Sprintf("fit: van Rossum gradient asked for step %d, expected %d (descending order)", t, v.next))
	}
	v.next--
	n := v.rec.N
	lam := math.Exp(-v.Dt / v.TauMs)
	c := 2 * v.Dt / v.TauMs
	sg := t / v.seg
	if sg != v.curS {
		start := sg * v.seg
		end := min(v.rec.T, start+v.seg)
		v.cur = make([]float64, (end-start)*n)
		d := append([]float64(nil), v.chk[sg]...)
		for u := start; u < end; u++ {
			v.advance(d, u, lam)
			copy(v.cur[(u-start)*n:], d)
		}
		v.curS = sg
	}
	d := v.cur[(t-sg*v.seg)*n:][:n]
	for i := range ds {
		v.a[i] = c*d[i] + lam*v.a[i]
		ds[i] += v.a[i]
	}
}

// ChannelRates matches the rates recorded by the channels of a
// multi-electrode array: neuron i contributes A[c][i] of its spikes to
// channel c (the assignment, from package mea's geometry), and
//
//	r_c = Σ_i A_ci Σ_t s_i(t) / (T dt),  L = (1/C) Σ_c (ln(r_c + ε) - ln(r*_c + ε))².
type ChannelRates struct {
	Assign   [][]float64 // C × N
	TargetHz []float64   // C
	Dt       float64
	Eps      float64 // Hz; 0 means 0.01

	g []float64 // ∂L/∂s_i, the same at every step
}

// Value implements Loss; it panics if the assignment does not match.
func (c *ChannelRates) Value(rec *adjoint.Record) float64 {
	if len(c.Assign) != len(c.TargetHz) {
		panic("fit: channel assignment and targets differ in length")
	}
	counts := rec.Counts()
	k := hz(1, rec.T, c.Dt)
	eps := or(c.Eps, 0.01)
	C := float64(len(c.Assign))
	c.g = make([]float64, rec.N)
	L := 0.0
	for ch, row := range c.Assign {
		if len(row) != rec.N {
			panic(fmt.Sprintf("fit: channel %d assigns %d neurons, the record has %d", ch, len(row), rec.N))
		}
		r := 0.0
		for i, a := range row {
			r += a * counts[i]
		}
		r *= k
		d := math.Log(r+eps) - math.Log(c.TargetHz[ch]+eps)
		L += d * d / C
		f := 2 * d / (r + eps) * k / C
		for i, a := range row {
			c.g[i] += f * a
		}
	}
	return L
}

// AddSpikeGrad implements Loss.
func (c *ChannelRates) AddSpikeGrad(_ int, ds []float64) {
	for i, g := range c.g {
		ds[i] += g
	}
}

// Term is a weighted loss.
type Term struct {
	Name   string
	Weight float64
	Loss   Loss
}

// Sum is a weighted sum of losses.
type Sum struct {
	Terms []Term
	// Last holds each term's (unweighted) value at the last Value.
	Last []float64
	tmp  []float64
}

// Value implements Loss.
func (s *Sum) Value(rec *adjoint.Record) float64 {
	v := 0.0
	s.Last = s.Last[:0]
	for _, t := range s.Terms {
		x := t.Loss.Value(rec)
		s.Last = append(s.Last, x)
		v += t.Weight * x
	}
	return v
}

// AddSpikeGrad implements Loss.
func (s *Sum) AddSpikeGrad(t int, ds []float64) {
	if len(s.tmp) != len(ds) {
		s.tmp = make([]float64, len(ds))
	}
	for _, term := range s.Terms {
		clear(s.tmp)
		term.Loss.AddSpikeGrad(t, s.tmp)
		for i, x := range s.tmp {
			ds[i] += term.Weight * x
		}
	}
}

// RateTrace matches the time course of the population rate: the rates of
// the neurons S, smoothed with a Gaussian of SigmaMs (as BurstRate), are
// compared step by step with the target's,
//
//	L = Σ_t (r(t) - r*(t))² / Σ_t (r*(t) - mean r*)²,
//
// the squared error relative to the target's variance (1 for a flat
// trace at the target's mean). It sees bursts, their shape and the
// depression that ends them.
type RateTrace struct {
	Target  []float64 // r*(t), Hz per neuron; see Trace
	SigmaMs float64   // 0 means 10 ms
	Neurons []int32
	Dt      float64

	gp []float64
	s  []int32
}

// Trace returns the smoothed population rate of rec (Hz per neuron), the
// target of a RateTrace.
func (l *RateTrace) Trace(rec *adjoint.Record) []float64 {
	s := subset(l.Neurons, rec.N)
	return smooth(population(rec, membership(l.Neurons, rec.N)), gaussian(or(l.SigmaMs, 10), l.Dt), len(s), l.Dt)
}

// Value implements Loss; it panics if the target trace has another length.
func (l *RateTrace) Value(rec *adjoint.Record) float64 {
	if len(l.Target) != rec.T {
		panic(fmt.Sprintf("fit: rate trace target of %d steps for a record of %d", len(l.Target), rec.T))
	}
	l.s = subset(l.Neurons, rec.N)
	r := l.Trace(rec)
	mean := 0.0
	for _, x := range l.Target {
		mean += x
	}
	mean /= float64(len(l.Target))
	v := 0.0
	for _, x := range l.Target {
		v += (x - mean) * (x - mean)
	}
	v = max(v, 1e-12)
	L := 0.0
	gr := make([]float64, len(r))
	for t := range r {
		d := r[t] - l.Target[t]
		L += d * d / v
		gr[t] = 2 * d / v
	}
	l.gp = smooth(gr, gaussian(or(l.SigmaMs, 10), l.Dt), len(l.s), l.Dt)
	return L
}

// AddSpikeGrad implements Loss.
func (l *RateTrace) AddSpikeGrad(t int, ds []float64) {
	for _, i := range l.s {
		ds[i] += l.gp[t]
	}
}
