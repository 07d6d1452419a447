package mea

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bl1-go/bl1/internal/npy"
)

// recorderFixture: two electrodes 300 µm apart and neurons at known
// distances from electrode 0 (and one under both radii of electrode 1).
func recorderFixture(t *testing.T, p Recording) (*Recorder, string) {
	t.Helper()
	l, err := Custom([]float64{0, 300}, []float64{0, 0})
	if err != nil {
		t.Fatal(err)
	}
	// Neurons 0-3 at 5, 50, 90 and 120 µm from electrode 0; neuron 4 at
	// 40 µm from electrode 1.
	x := []float32{5, 50, 90, 120, 260}
	y := make([]float32, 5)
	z := make([]float32, 5)
	m := NewMap(l, []int32{0, 1}, x, y, z, 100)
	dir := t.TempDir()
	r, err := NewRecorder(m, 5, p, 0.5, 1, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r, dir
}

type events struct {
	t       []float64
	ch, src []int32
	amp     []float32
	counts  []int32
	shape   []int
	windowT []float64
}

func readEvents(t *testing.T, r *Recorder, dir string) events {
	t.Helper()
	sp, co := filepath.Join(dir, "s.npz"), filepath.Join(dir, "c.npz")
	if err := r.WriteNPZ(sp, co); err != nil {
		t.Fatal(err)
	}
	z, err := npy.ReadNPZ(sp)
	if err != nil {
		t.Fatal(err)
	}
	var ev events
	ev.t, _ = z["t_ms"].Float64()
	ev.ch, _ = z["channel"].Int32()
	ev.src, _ = z["neuron"].Int32()
	ev.amp, _ = z["amplitude_uv"].Float32()
	c, err := npy.ReadNPZ(co)
	if err != nil {
		t.Fatal(err)
	}
	ev.counts, _ = c["counts"].Int32()
	ev.shape = c["counts"].Shape
	ev.windowT, _ = c["t_ms"].Float64()
	return ev
}

// Without noise: amplitude A·d_ref/max(d, soma) (60 µV at 50 µm, point
// source), the 25 µV threshold (reached up to 120 µm, but the detection
// radius is 100 µm), merging within a step and the dead time.
func TestRecorderDetection(t *testing.T) {
	p := DefaultRecording
	p.NoiseUV, p.WindowMs = 0, 5
	r, dir := recorderFixture(t, p)
	r.Spikes(0, []int32{1})       // 50 µm: 60 µV
	r.Spikes(1, []int32{0})       // within the dead time (1 ms = 2 steps): lost
	r.Spikes(2, []int32{2})       // 90 µm: 33.3 µV
	r.Spikes(3, []int32{3})       // 120 µm: outside the detection radius
	r.Spikes(6, []int32{0, 1, 2}) // one event: the 5 µm neuron, 300 µV (clamped at 10 µm)
	r.Spikes(12, []int32{4})      // electrode 1 at 40 µm: 75 µV
	for s := int64(13); s < 25; s++ {
		r.Spikes(s, nil)
	}
	ev := readEvents(t, r, dir)
	wantT := []float64{0, 1, 3, 6}
	wantCh := []int32{0, 0, 0, 1}
	wantSrc := []int32{1, 2, 0, 4}
	wantAmp := []float64{60, 60 * 50 / 90.0, 300, 75}
	if !slices.Equal(ev.t, wantT) || !slices.Equal(ev.ch, wantCh) || !slices.Equal(ev.src, wantSrc) {
		t.Fatalf("events t %v ch %v neuron %v; want %v %v %v", ev.t, ev.ch, ev.src, wantT, wantCh, wantSrc)
	}
	for k, a := range ev.amp {
		if math.Abs(float64(a)-wantAmp[k]) > 1e-4 {
			t.Errorf("event %d amplitude %g µV, want %g", k, a, wantAmp[k])
		}
	}
	// 5 ms windows = 10 steps: steps 0-24 make windows [0,10), [10,20),
	// [20,25).
	if !slices.Equal(ev.shape, []int{3, 2}) || !slices.Equal(ev.counts, []int32{3, 0, 0, 1, 0, 0}) {
		t.Errorf("counts %v shape %v", ev.counts, ev.shape)
	}
	if !slices.Equal(ev.windowT, []float64{0, 5, 10}) {
		t.Errorf("window starts %v", ev.windowT)
	}
}

// With noise, a spike of amplitude A is detected with probability
// Φ((A − threshold)/σ); the draws depend only on (seed, step, neuron,
// electrode).
func TestRecorderNoise(t *testing.T) {
	p := DefaultRecording
	p.NoiseUV, p.DeadTimeMs = 10, 0
	p.ThresholdUV = 60 * 50 / 90.0 // neuron 2's amplitude: detected half the time
	const n = 20000
	var counts [2]int
	for rep := range 2 {
		r, dir := recorderFixture(t, p)
		for s := range int64(n) {
			r.Spikes(s, []int32{2})
		}
		ev := readEvents(t, r, dir)
		counts[rep] = len(ev.t)
	}
	if counts[0] != counts[1] {
		t.Errorf("two identical recordings detected %d and %d events", counts[0], counts[1])
	}
	// Binomial(20000, 0.5): sd 70.7.
	if d := math.Abs(float64(counts[0]) - n/2); d > 4*70.7 {
		t.Errorf("%d of %d detected, want about %d", counts[0], n, n/2)
	}
}

func TestRecordingValidate(t *testing.T) {
	for _, f := range []func(*Recording){
		func(p *Recording) { p.AmplitudeUV = 0 },
		func(p *Recording) { p.RefDistUm = -1 },
		func(p *Recording) { p.SomaUm = math.NaN() },
		func(p *Recording) { p.ThresholdUV = -1 },
		func(p *Recording) { p.NoiseUV = math.Inf(1) },
		func(p *Recording) { p.DeadTimeMs = -1 },
		func(p *Recording) { p.WindowMs = 0 },
	} {
		p := DefaultRecording
		f(&p)
		if p.Validate() == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}

// StepEvents names the slots that had an event at the last step, the same
// events WriteNPZ writes.
func TestStepEvents(t *testing.T) {
	r, dir := recorderFixture(t, Recording{AmplitudeUV: 60, RefDistUm: 50, SomaUm: 10, ThresholdUV: 25, DeadTimeMs: 1, WindowMs: 10})
	var got [][2]int64 // (step, channel)
	for step, ids := range [][]int32{{0}, {}, {1, 4}, {0, 1}, {3}, {2, 4}} {
		r.Spikes(int64(step), ids)
		for _, k := range r.StepEvents() {
			got = append(got, [2]int64{int64(step), int64(r.Channels()[k])})
		}
	}
	ev := readEvents(t, r, dir)
	var want [][2]int64
	for i := range ev.t {
		want = append(want, [2]int64{int64(ev.t[i] / 0.5), int64(ev.ch[i])})
	}
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("StepEvents gave %v, the recording %v", got, want)
	}
}
