package monitor

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"image/jpeg"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/sim"
)

//go:embed dashboard.html
var dashboardHTML string

var dashboard = template.Must(template.New("dashboard").Parse(dashboardHTML))

// Monitor is an ActivityMonitor served over HTTP: a dashboard page, an
// MJPEG stream per panel and the statistics as JSON. Frames are drawn on a
// ticker in the monitor's own goroutine, and only while someone watches.
type Monitor struct {
	*ActivityMonitor
	opt  Options
	ln   net.Listener
	srv  *http.Server
	done chan struct{}
	wg   sync.WaitGroup

	watchers [numPanels]atomic.Int32

	mu      sync.Mutex
	frames  [numPanels][]byte
	seq     [numPanels]uint64
	ready   chan struct{} // closed and replaced when frames are published
	sources []source
	frameN  int64
}

type source struct {
	name string
	f    func() any
}

// Attach starts a monitor of an engine's culture and its rig (nil for
// none) at addr; pass it to the engine's Run after the rig's observers:
//
//	mon, err := monitor.Attach(":8080", e, rig, monitor.Options{Title: "pong"})
//	defer mon.Close()
//	mon.SetStats("game", func() any { return game.Stats() })
//	e.Run(ctx, steps, append(rig.Observers(), mon)...)
func Attach(addr string, e *sim.Engine, rig *mea.Rig, opt Options) (*Monitor, error) {
	a, err := NewActivityMonitor(e.Culture().Excitatory, e.Config().Dt, rig, opt)
	if err != nil {
		return nil, err
	}
	return Serve(addr, a, opt)
}

// Serve serves a at addr. A missing host means loopback (":8080" is
// 127.0.0.1:8080; say 0.0.0.0:8080 to serve other machines); port 0 picks
// a free port (see URL).
func Serve(addr string, a *ActivityMonitor, opt Options) (*Monitor, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("monitor: address %q: want [HOST]:PORT, e.g. :8080", addr)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	m := &Monitor{ActivityMonitor: a, opt: a.opt, ln: ln, done: make(chan struct{}), ready: make(chan struct{})}
	if opt.Title != "" {
		m.opt.Title = opt.Title
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", m.page)
	mux.HandleFunc("GET /stream/{panel}", m.stream)
	mux.HandleFunc("GET /frame/{panel}", m.frame)
	mux.HandleFunc("GET /stats.json", m.statsJSON)
	m.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	m.SetStats("culture", m.cultureStats)
	m.wg.Add(2)
	go func() {
		defer m.wg.Done()
		m.srv.Serve(ln) // returns when Close shuts it down
	}()
	go m.render()
	return m, nil
}

// URL returns the dashboard's address.
func (m *Monitor) URL() string { return "http://" + m.ln.Addr().String() + "/" }

// SetStats adds (or replaces) a section of the statistics panel: f returns
// a value that marshals to JSON (a struct or map of numbers, strings,
// booleans and arrays of numbers). f is called from the monitor's
// goroutines while the simulation runs, so it must be safe for that.
func (m *Monitor) SetStats(name string, f func() any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.sources {
		if m.sources[i].name == name {
			m.sources[i].f = f
			return
		}
	}
	m.sources = append(m.sources, source{name, f})
}

// Close stops the server and the drawing.
func (m *Monitor) Close() error {
	select {
	case <-m.done:
		return nil
	default:
	}
	close(m.done)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := m.srv.Shutdown(ctx)
	m.wg.Wait()
	return err
}

// render draws the watched panels FPS times a second.
func (m *Monitor) render() {
	defer m.wg.Done()
	r := NewRenderer(m.opt)
	var snap Snapshot
	var buf bytes.Buffer
	t := time.NewTicker(time.Duration(float64(time.Second) / m.opt.FPS))
	defer t.Stop()
	for {
		select {
		case <-m.done:
			return
		case <-t.C:
		}
		var want [numPanels]bool
		any := false
		for p := range numPanels {
			want[p] = m.watchers[p].Load() > 0
			any = any || want[p]
		}
		if !any {
			continue
		}
		m.Snapshot(&snap)
		var lines []string
		if want[All] {
			lines = m.statLines()
		}
		var out [numPanels][]byte
		for p := range numPanels {
			if !want[p] {
				continue
			}
			buf.Reset()
			if err := jpeg.Encode(&buf, r.Draw(p, &snap, lines), &jpeg.Options{Quality: 85}); err != nil {
				continue
			}
			out[p] = bytes.Clone(buf.Bytes())
		}
		m.mu.Lock()
		for p := range numPanels {
			if out[p] != nil {
				m.frames[p] = out[p]
				m.seq[p]++
			}
		}
		m.frameN++
		close(m.ready)
		m.ready = make(chan struct{})
		m.mu.Unlock()
	}
}

func panelOf(name string) (Panel, bool) {
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".mjpeg"), ".jpg")
	for p, n := range panelNames {
		if n == name {
			return Panel(p), true
		}
	}
	return 0, false
}

// watch finds the panel a request names and counts a watcher of it, so
// that it is drawn (the caller subtracts it when done); it answers 404
// with the hint if there is no such panel.
func (m *Monitor) watch(w http.ResponseWriter, r *http.Request, hint string) (Panel, bool) {
	p, ok := panelOf(r.PathValue("panel"))
	if !ok {
		http.Error(w, "no such panel; "+hint, http.StatusNotFound)
		return 0, false
	}
	m.watchers[p].Add(1)
	return p, true
}

// next waits for a frame of p newer than seq; ok is false when the client
// left or the monitor closed.
func (m *Monitor) next(ctx context.Context, p Panel, seq uint64) (frame []byte, now uint64, ok bool) {
	for {
		m.mu.Lock()
		f, s, ready := m.frames[p], m.seq[p], m.ready
		m.mu.Unlock()
		if s != seq && f != nil {
			return f, s, true
		}
		select {
		case <-ready:
		case <-ctx.Done():
			return nil, seq, false
		case <-m.done:
			return nil, seq, false
		}
	}
}

// stream serves a panel as MJPEG: multipart/x-mixed-replace with the
// boundary "frame", one image/jpeg part per frame (the framing of
// doom-neuron's mjpeg_server.py, spec §7).
func (m *Monitor) stream(w http.ResponseWriter, r *http.Request) {
	p, ok := m.watch(w, r, "streams are /stream/{activity,heatmap,rate,all}.mjpeg")
	if !ok {
		return
	}
	defer m.watchers[p].Add(-1)
	w.Header().Set("Content-Type", "multipart/x-mixed-replace; boundary=frame")
	w.Header().Set("Cache-Control", "no-cache, no-store")
	fl := http.NewResponseController(w)
	var seq uint64
	for {
		f, s, ok := m.next(r.Context(), p, seq)
		if !ok {
			return
		}
		seq = s
		if _, err := fmt.Fprintf(w, "--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n", len(f)); err != nil {
			return
		}
		if _, err := w.Write(f); err != nil {
			return
		}
		if _, err := io.WriteString(w, "\r\n"); err != nil {
			return
		}
		if fl.Flush() != nil {
			return
		}
	}
}

// frame serves the next frame of a panel as one JPEG.
func (m *Monitor) frame(w http.ResponseWriter, r *http.Request) {
	p, ok := m.watch(w, r, "frames are /frame/{activity,heatmap,rate,all}.jpg")
	if !ok {
		return
	}
	defer m.watchers[p].Add(-1)
	m.mu.Lock()
	seq := m.seq[p]
	m.mu.Unlock()
	f, _, ok := m.next(r.Context(), p, seq)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "no-cache, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(f)))
	w.Write(f)
}

func (m *Monitor) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	title := m.opt.Title
	if title == "" {
		title = "bl1"
	}
	dashboard.Execute(w, struct{ Title string }{title})
}

// section is one source's statistics.
type section struct {
	Name   string          `json:"name"`
	Values json.RawMessage `json:"values"`
}

func (m *Monitor) sections() []section {
	m.mu.Lock()
	src := append([]source(nil), m.sources...)
	m.mu.Unlock()
	out := make([]section, 0, len(src))
	for _, s := range src {
		b, err := json.Marshal(s.f())
		if err != nil {
			b, _ = json.Marshal(map[string]string{"error": err.Error()})
		}
		out = append(out, section{s.name, b})
	}
	return out
}

func (m *Monitor) statsJSON(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache, no-store")
	json.NewEncoder(w).Encode(m.sections())
}

// cultureStats are the monitor's own statistics, with the frame count.
func (m *Monitor) cultureStats() any {
	st := m.ActivityMonitor.Stats()
	m.mu.Lock()
	defer m.mu.Unlock()
	return struct {
		Stats
		Frames int64 `json:"frames"`
	}{st, m.frameN}
}

// statLines flattens the statistics into "section.key: value" lines, in
// the order the sources give them.
func (m *Monitor) statLines() []string {
	var out []string
	for _, s := range m.sections() {
		out = flatten(out, s.Name, s.Values)
	}
	return out
}

// flatten appends the lines of a JSON value, keeping object key order.
func flatten(out []string, prefix string, v json.RawMessage) []string {
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	tok, err := d.Token()
	if err != nil {
		return out
	}
	if delim, ok := tok.(json.Delim); ok && delim == '{' {
		for d.More() {
			k, _ := d.Token()
			var raw json.RawMessage
			if d.Decode(&raw) != nil {
				return out
			}
			out = flatten(out, prefix+"."+fmt.Sprint(k), raw)
		}
		return out
	}
	var val any
	if json.Unmarshal(v, &val) != nil {
		return out
	}
	return append(out, prefix+": "+format(val))
}

// format writes numbers with 4 significant digits, arrays compactly.
func format(v any) string {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', 0, 64)
		}
		return strconv.FormatFloat(x, 'g', 4, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = format(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return fmt.Sprint(v)
}
