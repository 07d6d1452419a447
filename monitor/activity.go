package monitor

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/bl1-go/bl1/mea"
)

// Options configure a monitor; zero fields take the defaults.
type Options struct {
	Title         string  // shown on the dashboard
	WindowMs      float64 // the raster, rate and mountain window (2000)
	HeatmapMs     float64 // the heat map's window (1000)
	BinMs         float64 // bins of the rate and mountain plots (10)
	RasterNeurons int     // neurons in the raster, evenly spaced by index (400)
	FPS           float64 // frames per second of the streams (5)
	Width, Height int     // pixels of a panel (640 × 360)

	// Groups stack the mountain plot: the channels of each layer. Without
	// groups the layers are the layout's rows (or the excitatory and
	// inhibitory populations when there is no array).
	Groups     [][]int
	GroupNames []string
}

func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if !(*v > 0) {
			*v = d
		}
	}
	def(&o.WindowMs, 2000)
	def(&o.HeatmapMs, 1000)
	def(&o.BinMs, 10)
	def(&o.FPS, 5)
	if o.RasterNeurons <= 0 {
		o.RasterNeurons = 400
	}
	if o.Width <= 0 {
		o.Width = 640
	}
	if o.Height <= 0 {
		o.Height = 360
	}
	return o
}

// rasterCap bounds the raster's spikes in the window; beyond it the oldest
// are overwritten (400 neurons at 100 Hz for 2 s need 80,000).
const rasterCap = 1 << 17

// ActivityMonitor keeps the last window of a culture's activity: the
// spikes of a subset of neurons (raster), the population rate, and the
// events of the electrodes per bin (heat map, mountain plot). It is an
// observer of the engine that does not allocate; with an array it must
// come after the rig's observers, whose events it reads. Snapshot copies
// the window for drawing from another goroutine.
type ActivityMonitor struct {
	opt        Options
	dt         float64
	exc        []bool
	row        []int32 // raster row of each neuron, -1 if not shown
	shown      int
	nExc, nInh int

	rowExc []bool // excitatory flag of each raster row

	rec    *mea.Recorder // nil without an array
	nch    int           // its channels
	layout *mea.Layout
	slot   []int32 // layout electrode → recorder slot (-1)
	groups [][]int32
	names  []string

	binSteps int64
	nBins    int // bins in the window
	winSteps int64

	mu       sync.Mutex
	rStep    []int64 // raster ring
	rRow     []int32
	rHead    int
	rLen     int
	binExc   []int32 // [bin] population spikes
	binInh   []int32
	binChan  []int32 // [bin][slot] electrode events
	curBin   int64   // absolute index of the newest bin
	first    int64
	last     int64
	started  bool
	spikes   int64
	events   int64
	wall0    time.Time
	wallLast time.Time
}

// NewActivityMonitor monitors neurons with excitatory flags exc simulated
// at step dt (ms), and the array of rig (nil for none).
func NewActivityMonitor(exc []bool, dt float64, rig *mea.Rig, opt Options) (*ActivityMonitor, error) {
	opt = opt.withDefaults()
	m := &ActivityMonitor{opt: opt, dt: dt, exc: exc, row: make([]int32, len(exc))}
	for _, x := range exc {
		if x {
			m.nExc++
		} else {
			m.nInh++
		}
	}
	n := len(exc)
	m.shown = min(n, opt.RasterNeurons)
	for i := range m.row {
		m.row[i] = -1
	}
	m.rowExc = make([]bool, m.shown)
	for k := range m.shown {
		m.row[k*n/m.shown] = int32(k)
		m.rowExc[k] = exc[k*n/m.shown]
	}
	m.binSteps = max(1, int64(opt.BinMs/dt+0.5))
	m.nBins = int(max(2, int64(max(opt.WindowMs, opt.HeatmapMs)/dt+0.5)/m.binSteps))
	m.winSteps = int64(m.nBins) * m.binSteps
	m.rStep, m.rRow = make([]int64, rasterCap), make([]int32, rasterCap)
	m.binExc, m.binInh = make([]int32, m.nBins), make([]int32, m.nBins)
	if rig != nil {
		m.rec, m.layout, m.nch = rig.Rec, rig.Layout, len(rig.Rec.Channels())
		m.slot = make([]int32, rig.Layout.Len())
		for k := range m.slot {
			m.slot[k] = -1
		}
		for s, e := range rig.Rec.Channels() {
			m.slot[e] = int32(s)
		}
		m.binChan = make([]int32, m.nBins*len(rig.Rec.Channels()))
		if err := m.setGroups(opt.Groups, opt.GroupNames); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// SetGroups sets the mountain plot's layers: the electrodes of each group,
// named. It may be called while the engine runs.
func (m *ActivityMonitor) SetGroups(groups [][]int, names []string) error {
	if m.layout == nil {
		return fmt.Errorf("monitor: groups of electrodes need an electrode array")
	}
	if len(groups) == 0 {
		return fmt.Errorf("monitor: no groups")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.setGroups(groups, names)
}

// setGroups maps the mountain plot's layers to recorder slots; m.mu is
// held or the monitor is not yet shared.
func (m *ActivityMonitor) setGroups(groups [][]int, names []string) error {
	l := m.layout
	if len(groups) == 0 && l.Rows > 0 {
		for r := range l.Rows {
			var g []int
			for c := range l.Cols {
				g = append(g, r*l.Cols+c)
			}
			groups = append(groups, g)
			names = append(names, fmt.Sprintf("row %d", r))
		}
	}
	if len(names) != len(groups) {
		return fmt.Errorf("monitor: %d group names for %d groups", len(names), len(groups))
	}
	var out [][]int32
	for j, g := range groups {
		var slots []int32
		for _, e := range g {
			if e < 0 || e >= l.Len() {
				return fmt.Errorf("monitor: group %s: electrode %d is not on the %s array", names[j], e, l.Name)
			}
			if s := m.slot[e]; s >= 0 {
				slots = append(slots, s)
			}
		}
		out = append(out, slots)
	}
	m.groups, m.names = out, slices.Clone(names)
	return nil
}

// Spikes implements sim.Observer.
func (m *ActivityMonitor) Spikes(step int64, ids []int32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.started {
		m.started, m.first, m.curBin = true, step, step/m.binSteps
		m.wall0 = time.Now()
	}
	m.last = step
	if b := step / m.binSteps; b != m.curBin {
		for m.curBin < b {
			m.curBin++
			k := int(m.curBin % int64(m.nBins))
			m.binExc[k], m.binInh[k] = 0, 0
			if m.rec != nil {
				clear(m.binChan[k*m.nch : (k+1)*m.nch])
			}
			if b-m.curBin > int64(m.nBins) { // a jump longer than the window clears it all at once
				m.curBin = b - int64(m.nBins)
			}
		}
	}
	k := int(m.curBin % int64(m.nBins))
	var e, i int32
	for _, id := range ids {
		if m.exc[id] {
			e++
		} else {
			i++
		}
		if r := m.row[id]; r >= 0 {
			m.rStep[m.rHead], m.rRow[m.rHead] = step, r
			m.rHead = (m.rHead + 1) % rasterCap
			m.rLen = min(m.rLen+1, rasterCap)
		}
	}
	m.binExc[k] += e
	m.binInh[k] += i
	m.spikes += int64(len(ids))
	if m.rec != nil {
		for _, s := range m.rec.StepEvents() {
			m.binChan[k*m.nch+int(s)]++
		}
		m.events += int64(len(m.rec.StepEvents()))
	}
	if step%m.binSteps == 0 {
		m.wallLast = time.Now()
	}
}

// Snapshot is a copy of the monitor's window, oldest first.
type Snapshot struct {
	Step         int64   // the newest step observed (-1: none yet)
	DtMs         float64 //
	BinSteps     int64
	FirstBin     int64   // absolute index of Exc[0]
	Exc, Inh     []int32 // population spikes per bin
	NExc, NInh   int
	Shown        int     // raster rows
	RowExc       []bool  // whether each row's neuron is excitatory
	RasterStep   []int64 // spikes of the shown neurons
	RasterRow    []int32
	Channels     []int32 // recorded electrodes
	Events       []int32 // [bin][channel] events
	Groups       [][]int32
	GroupNames   []string
	Layout       *mea.Layout
	Spikes       int64 // since the start
	ElectrodeEvs int64
	SimMs        float64 // simulated since the first observed step
	WallS        float64 // wall time since then
}

// Snapshot copies the window into s, reusing its slices.
func (m *ActivityMonitor) Snapshot(s *Snapshot) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s.DtMs, s.BinSteps, s.NExc, s.NInh, s.Shown, s.RowExc = m.dt, m.binSteps, m.nExc, m.nInh, m.shown, m.rowExc
	s.Layout, s.Groups, s.GroupNames = m.layout, m.groups, m.names
	s.Spikes, s.ElectrodeEvs = m.spikes, m.events
	s.Exc, s.Inh, s.RasterStep, s.RasterRow, s.Events = s.Exc[:0], s.Inh[:0], s.RasterStep[:0], s.RasterRow[:0], s.Events[:0]
	if m.rec != nil {
		s.Channels = m.rec.Channels()
	}
	if !m.started {
		s.Step, s.FirstBin, s.SimMs, s.WallS = -1, 0, 0, 0
		return
	}
	s.Step = m.last
	s.SimMs = float64(m.last+1-m.first) * m.dt
	s.WallS = m.wallLast.Sub(m.wall0).Seconds()
	nb := int64(m.nBins)
	s.FirstBin = m.curBin - nb + 1
	nch := len(s.Channels)
	for b := s.FirstBin; b <= m.curBin; b++ {
		if b < m.first/m.binSteps {
			s.Exc, s.Inh = append(s.Exc, 0), append(s.Inh, 0)
			for range nch {
				s.Events = append(s.Events, 0)
			}
			continue
		}
		k := int(b % nb)
		s.Exc, s.Inh = append(s.Exc, m.binExc[k]), append(s.Inh, m.binInh[k])
		s.Events = append(s.Events, m.binChan[k*nch:(k+1)*nch]...)
	}
	from := s.FirstBin * m.binSteps
	for j := range m.rLen {
		p := (m.rHead - m.rLen + j + rasterCap) % rasterCap
		if m.rStep[p] >= from {
			s.RasterStep = append(s.RasterStep, m.rStep[p])
			s.RasterRow = append(s.RasterRow, m.rRow[p])
		}
	}
}

// Stats are the monitor's running statistics.
type Stats struct {
	TimeS    float64 `json:"t_s"`             // simulated since the first step observed
	Realtime float64 `json:"realtime_factor"` // simulated / wall time
	RateHz   float64 `json:"rate_hz"`         // per neuron, over the window
	Spikes   int64   `json:"spikes"`
	Events   int64   `json:"electrode_events"`
	Neurons  int     `json:"neurons"`
}

// Stats returns the running statistics; it may be called from any
// goroutine.
func (m *ActivityMonitor) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := Stats{Spikes: m.spikes, Events: m.events, Neurons: m.nExc + m.nInh}
	if !m.started {
		return st
	}
	st.TimeS = float64(m.last+1-m.first) * m.dt / 1000
	if w := m.wallLast.Sub(m.wall0).Seconds(); w > 0 {
		st.Realtime = st.TimeS / w
	}
	n := min(int64(m.nBins), max(1, int64(m.opt.WindowMs/(float64(m.binSteps)*m.dt)+0.5)))
	var spikes int64
	b := m.curBin
	for ; b > m.curBin-n && b >= m.first/m.binSteps; b-- {
		k := int(b % int64(m.nBins))
		spikes += int64(m.binExc[k] + m.binInh[k])
	}
	if secs := float64((m.curBin-b)*m.binSteps) * m.dt / 1000; secs > 0 && st.Neurons > 0 {
		st.RateHz = float64(spikes) / float64(st.Neurons) / secs
	}
	return st
}
