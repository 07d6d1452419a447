package monitor

import (
	"context"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/bl1-go/bl1/configs"
	"github.com/bl1-go/bl1/culture"
	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/sim"
)

// rig builds a small culture of n neurons (default density) under a CL1.
func rig(t testing.TB, n int) (*sim.Engine, *mea.Rig) {
	t.Helper()
	side := 3000 * math.Sqrt(float64(n)/10000)
	cfg, err := configs.Load("cl1.yaml", []string{"culture.n_neurons=" + itoa(n), "culture.substrate_um=[" + ftoa(side) + "," + ftoa(side) + "]"})
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := cfg.CultureSpec()
	c, err := culture.Build(spec, 0)
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(c, cfg.SimConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	mc, _ := cfg.MEAConfig()
	r, err := mea.New(e, *mc, 1, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return e, r
}

func itoa(n int) string     { return strconv.Itoa(n) }
func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// The window holds exactly the last bins: population counts per bin and
// the raster's shown neurons, checked against a count made here from the
// same synthetic spikes; older spikes leave the window.
func TestWindow(t *testing.T) {
	exc := make([]bool, 100)
	for i := range 80 {
		exc[i] = true
	}
	// dt 1 ms, bins of 10 ms, a 100 ms window: 10 bins; 10 neurons shown.
	m, err := NewActivityMonitor(exc, 1, nil, Options{WindowMs: 100, HeatmapMs: 50, BinMs: 10, RasterNeurons: 10})
	if err != nil {
		t.Fatal(err)
	}
	type spike struct {
		step int64
		id   int32
	}
	var all []spike
	for step := int64(0); step < 537; step++ {
		var ids []int32
		for id := int32(0); id < 100; id++ {
			if (int64(id)*7+step*3)%29 == 0 {
				ids = append(ids, id)
				all = append(all, spike{step, id})
			}
		}
		m.Spikes(step, ids)
	}
	var s Snapshot
	m.Snapshot(&s)
	if s.Step != 536 || len(s.Exc) != 10 || s.FirstBin != 44 || s.Shown != 10 {
		t.Fatalf("snapshot: step %d, %d bins from %d, %d shown", s.Step, len(s.Exc), s.FirstBin, s.Shown)
	}
	for b := range 10 {
		var e, i int32
		for _, sp := range all {
			if sp.step/10 == s.FirstBin+int64(b) {
				if exc[sp.id] {
					e++
				} else {
					i++
				}
			}
		}
		if s.Exc[b] != e || s.Inh[b] != i {
			t.Errorf("bin %d: %d/%d, want %d/%d", b, s.Exc[b], s.Inh[b], e, i)
		}
	}
	var want []int64
	for _, sp := range all {
		if sp.id%10 == 0 && sp.step >= 440 { // neurons k·100/10 are shown
			want = append(want, sp.step)
		}
	}
	if !slices.Equal(s.RasterStep, want) {
		t.Errorf("raster steps %v, want %v", s.RasterStep, want)
	}
	for _, r := range s.RasterRow {
		if s.RowExc[r] != (r < 8) { // row k shows neuron 10k; the first 80 are excitatory
			t.Errorf("raster row %d: excitatory %v", r, s.RowExc[r])
		}
	}
	st := m.Stats()
	if st.Spikes != int64(len(all)) || st.Neurons != 100 || math.Abs(st.TimeS-0.537) > 1e-12 {
		t.Errorf("stats %+v", st)
	}
	// A jump longer than the window empties it.
	m.Spikes(5000, nil)
	m.Snapshot(&s)
	for b := range s.Exc {
		if s.Exc[b]+s.Inh[b] != 0 {
			t.Fatalf("bin %d holds %d spikes after a jump", b, s.Exc[b]+s.Inh[b])
		}
	}
}

// With an array, the electrode events in the window are the recorder's own
// (its per-channel totals over the run), and the mountain plot's layers
// are the layout's rows or the groups set.
func TestElectrodeEvents(t *testing.T) {
	e, r := rig(t, 2000)
	m, err := NewActivityMonitor(e.Culture().Excitatory, e.Config().Dt, r, Options{WindowMs: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Run(context.Background(), 1600, append(r.Observers(), m)...); err != nil { // 800 ms
		t.Fatal(err)
	}
	var s Snapshot
	m.Snapshot(&s)
	nch := len(s.Channels)
	var total int64
	for k := range nch {
		var sum int64
		for b := range len(s.Exc) {
			sum += int64(s.Events[b*nch+k])
		}
		if sum != r.Rec.Total[k] {
			t.Errorf("channel %d: %d events in the window, the recorder counted %d", s.Channels[k], sum, r.Rec.Total[k])
		}
		total += sum
	}
	if total == 0 || total != s.ElectrodeEvs {
		t.Fatalf("%d events, %d counted", total, s.ElectrodeEvs)
	}
	if len(s.Groups) != 8 || s.GroupNames[0] != "row 0" || len(s.Groups[0]) != 5 { // row 0 of a CL1 (channels 0-7): 0 and 7 grounded, 4 the reference
		t.Errorf("default groups %v %v", s.GroupNames, s.Groups)
	}
	if err := m.SetGroups([][]int{{8, 9}, {0, 27}}, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	m.Snapshot(&s)
	if len(s.Groups) != 2 || len(s.Groups[1]) != 1 { // electrode 0 is grounded: not recorded
		t.Errorf("groups %v", s.Groups)
	}
	for _, bad := range []struct {
		g [][]int
		n []string
	}{{[][]int{{64}}, []string{"x"}}, {[][]int{{1}}, nil}, {nil, nil}} {
		if err := m.SetGroups(bad.g, bad.n); err == nil {
			t.Errorf("groups %v %v accepted", bad.g, bad.n)
		}
	}
}

// The observer does not allocate.
func TestObserverAllocations(t *testing.T) {
	e, r := rig(t, 2000)
	m, _ := NewActivityMonitor(e.Culture().Excitatory, e.Config().Dt, r, Options{})
	ids := []int32{1, 5, 17, 400, 1999}
	step := int64(0)
	if a := testing.AllocsPerRun(10000, func() { m.Spikes(step, ids); step++ }); a != 0 {
		t.Fatalf("%g allocations per step", a)
	}
}
