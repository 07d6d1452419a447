package monitor

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/bl1-go/bl1/plot"
)

// Panel names a picture of the dashboard.
type Panel int

// The panels.
const (
	Activity Panel = iota // raster over the mountain plot
	Heatmap               // events per second per electrode
	Rate                  // population rate
	All                   // the three and the statistics, 2 × 2
	numPanels
)

var panelNames = [numPanels]string{"activity", "heatmap", "rate", "all"}

func (p Panel) String() string { return panelNames[p] }

// Colours: the run figures' (package plot) and ColorBrewer Dark2 for the
// mountain plot's layers.
var (
	white  = color.RGBA{0xff, 0xff, 0xff, 0xff}
	black  = color.RGBA{0x20, 0x20, 0x20, 0xff}
	grey   = color.RGBA{0x80, 0x80, 0x80, 0xff}
	frame  = color.RGBA{0xc0, 0xc0, 0xc0, 0xff}
	layers = []color.RGBA{
		{0x1b, 0x9e, 0x77, 0xff}, {0xd9, 0x5f, 0x02, 0xff}, {0x75, 0x70, 0xb3, 0xff}, {0xe7, 0x29, 0x8a, 0xff},
		{0x66, 0xa6, 0x1e, 0xff}, {0xe6, 0xab, 0x02, 0xff}, {0xa6, 0x76, 0x1d, 0xff}, {0x66, 0x66, 0x66, 0xff},
	}
	viridis = plot.Viridis(256)
)

// Renderer draws panels from snapshots; it reuses its images.
type Renderer struct {
	W, H int // a panel's size
	opt  Options
	img  [numPanels]*image.RGBA
	col  []float64 // scratch
}

// NewRenderer draws panels of opt's size.
func NewRenderer(opt Options) *Renderer {
	opt = opt.withDefaults()
	r := &Renderer{W: opt.Width, H: opt.Height, opt: opt}
	for p := range numPanels {
		w, h := r.W, r.H
		if p == All {
			w, h = 2*w, 2*h
		}
		r.img[p] = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	return r
}

// Draw draws panel p of snapshot s (stats are the statistics' lines, for
// All) and returns the image, which the next Draw of p overwrites.
func (r *Renderer) Draw(p Panel, s *Snapshot, stats []string) *image.RGBA {
	img := r.img[p]
	draw.Draw(img, img.Bounds(), image.NewUniform(white), image.Point{}, draw.Src)
	switch p {
	case Activity:
		r.activity(img, s)
	case Heatmap:
		r.heatmap(img, s)
	case Rate:
		r.rate(img, s)
	case All:
		for k, q := range []Panel{Activity, Heatmap, Rate} {
			sub := r.Draw(q, s, nil)
			at := image.Pt((k%2)*r.W, (k/2)*r.H)
			draw.Draw(img, sub.Bounds().Add(at), sub, image.Point{}, draw.Src)
		}
		r.text(img, r.W+12, r.H+20, black, "statistics")
		for i, line := range stats {
			y := r.H + 40 + 15*i
			if y > 2*r.H-6 {
				break
			}
			r.text(img, r.W+12, y, black, line)
		}
	}
	return img
}

// window returns the bins of the snapshot in the monitor's window.
func (r *Renderer) window(s *Snapshot) (first int, n int) {
	n = min(len(s.Exc), max(1, int(math.Round(r.opt.WindowMs/(float64(s.BinSteps)*s.DtMs)))))
	return len(s.Exc) - n, n
}

// timeAxis labels the window's ends under the plot area [x0, x1).
func (r *Renderer) timeAxis(img *image.RGBA, s *Snapshot, x0, x1, y int) {
	first, n := r.window(s)
	binMs := float64(s.BinSteps) * s.DtMs
	t0 := float64(s.FirstBin+int64(first)) * binMs / 1000
	t1 := t0 + float64(n)*binMs/1000
	r.text(img, x0, y, grey, fmt.Sprintf("%.2f s", max(0, t0)))
	l := fmt.Sprintf("%.2f s", t1)
	r.text(img, x1-7*len(l), y, grey, l)
}

// activity draws the raster (top) and the mountain plot (bottom).
func (r *Renderer) activity(img *image.RGBA, s *Snapshot) {
	x0, x1 := 48, r.W-8
	top, mid, bot := 22, 22+(r.H-56)*3/5, r.H-22
	r.text(img, 8, 15, black, fmt.Sprintf("activity: %d of %d neurons, t = %.2f s", s.Shown, s.NExc+s.NInh, s.SimMs/1000))
	box(img, x0-1, top-1, x1+1, mid+1, frame)
	box(img, x0-1, mid+5, x1+1, bot+1, frame)
	r.text(img, 4, (top+mid)/2, grey, "neur.")
	if s.Step >= 0 && s.Shown > 0 {
		first, n := r.window(s)
		from := (s.FirstBin + int64(first)) * s.BinSteps
		span := float64(int64(n) * s.BinSteps)
		h := mid - top
		for k, st := range s.RasterStep {
			if st < from {
				continue
			}
			x := x0 + int(float64(st-from)/span*float64(x1-x0))
			row := int(s.RasterRow[k])
			y := mid - 1 - row*h/s.Shown
			c := plot.InhColor
			if s.RowExc[row] {
				c = plot.ExcColor
			}
			img.SetRGBA(x, y, c)
			img.SetRGBA(x+1, y, c)
			img.SetRGBA(x, y-1, c)
			img.SetRGBA(x+1, y-1, c)
		}
	}
	r.mountain(img, s, x0, x1, mid+6, bot)
	r.timeAxis(img, s, x0, x1, r.H-6)
}

// mountain stacks the layers' events per bin as filled areas.
func (r *Renderer) mountain(img *image.RGBA, s *Snapshot, x0, x1, top, bot int) {
	first, n := r.window(s)
	var layer func(j, b int) float64
	var names []string
	nch := len(s.Channels)
	if s.Layout != nil && len(s.Groups) > 0 {
		names = s.GroupNames
		layer = func(j, b int) float64 {
			var v int32
			for _, sl := range s.Groups[j] {
				v += s.Events[(first+b)*nch+int(sl)]
			}
			return float64(v)
		}
	} else {
		names = []string{"excitatory", "inhibitory"}
		layer = func(j, b int) float64 {
			if j == 0 {
				return float64(s.Exc[first+b])
			}
			return float64(s.Inh[first+b])
		}
	}
	if s.Step < 0 || n == 0 {
		return
	}
	peak := 1.0
	for b := range n {
		var sum float64
		for j := range names {
			sum += layer(j, b)
		}
		peak = max(peak, sum)
	}
	h := float64(bot - top)
	for x := x0; x < x1; x++ {
		b := (x - x0) * n / (x1 - x0)
		y := float64(bot)
		for j := range names {
			v := layer(j, b)
			if v == 0 {
				continue
			}
			y2 := y - v/peak*h
			fill(img, x, int(math.Round(y2)), x+1, int(math.Round(y)), layers[j%len(layers)])
			y = y2
		}
	}
	unit := "events"
	if s.Layout == nil {
		unit = "spikes"
	}
	r.text(img, 4, top+10, grey, strconv.Itoa(int(peak)))
	r.text(img, 4, top+24, grey, unit)
	// Legend along the top of the area, in as many rows as it needs.
	x, y := x0+4, top+3
	for j, name := range names {
		w := 10 + 7*len(name) + 8
		if x+w > x1 && x > x0+4 {
			x, y = x0+4, y+13
		}
		fill(img, x, y, x+8, y+8, layers[j%len(layers)])
		r.text(img, x+10, y+9, black, name)
		x += w
	}
}

// heatmap draws the events per second of each electrode over the heat
// map's window.
func (r *Renderer) heatmap(img *image.RGBA, s *Snapshot) {
	l := s.Layout
	if l == nil {
		r.text(img, 8, 15, black, "heat map: no electrode array in this config (set mea.layout)")
		return
	}
	nch := len(s.Channels)
	nb := min(len(s.Exc), max(1, int(math.Round(r.opt.HeatmapMs/(float64(s.BinSteps)*s.DtMs)))))
	secs := float64(int64(nb)*s.BinSteps) * s.DtMs / 1000
	rate := r.scratch(l.Len()) // events per second; -1 where not recorded
	for k := range rate {
		rate[k] = -1
	}
	peak := 0.0
	for k, e := range s.Channels {
		var v int32
		for b := len(s.Exc) - nb; b < len(s.Exc); b++ {
			v += s.Events[b*nch+k]
		}
		rate[e] = float64(v) / secs
		peak = max(peak, rate[e])
	}
	r.text(img, 8, 15, black, fmt.Sprintf("%s: events per second per electrode, last %.1f s", l.Name, secs))
	scale := max(peak, 1)
	colorOf := func(v float64) color.RGBA { return viridis[int(math.Round(v/scale*float64(len(viridis)-1)))] }
	areaW, areaH := r.W-90, r.H-34
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for k := range l.Len() {
		minX, maxX = min(minX, l.X[k]), max(maxX, l.X[k])
		minY, maxY = min(minY, l.Y[k]), max(maxY, l.Y[k])
	}
	// The array as seen from above, y up as in the run's mea_heatmap.png.
	var rows, cols int
	if l.Pitch > 0 {
		cols = int(math.Round((maxX-minX)/l.Pitch)) + 1
		rows = int(math.Round((maxY-minY)/l.Pitch)) + 1
	}
	if l.Pitch > 0 && rows*cols <= 4096 {
		cell := min(areaW/cols, areaH/rows)
		ox, oy := 8+(areaW-cell*cols)/2, 24
		for k := range l.Len() {
			c := int(math.Round((l.X[k] - minX) / l.Pitch))
			rw := int(math.Round((maxY - l.Y[k]) / l.Pitch))
			x, y := ox+c*cell, oy+rw*cell
			col := plot.UnshownColor
			if rate[k] >= 0 {
				col = colorOf(rate[k])
			}
			fill(img, x+1, y+1, x+cell-1, y+cell-1, col)
			if cell >= 24 {
				tc := white
				if rate[k] < 0 || rate[k] > 0.6*scale {
					tc = black
				}
				r.text(img, x+3, y+13, tc, l.Label(k))
			}
		}
	} else {
		sc := min(float64(areaW-4)/max(maxX-minX, 1), float64(areaH-4)/max(maxY-minY, 1))
		for _, e := range s.Channels {
			x := 10 + int((l.X[e]-minX)*sc)
			y := 26 + int((maxY-l.Y[e])*sc)
			fill(img, x-1, y-1, x+2, y+2, colorOf(rate[e]))
		}
	}
	// Colour bar.
	bx, by0, by1 := r.W-70, 30, r.H-30
	for y := by0; y < by1; y++ {
		fill(img, bx, y, bx+14, y+1, viridis[(by1-1-y)*(len(viridis)-1)/(by1-by0-1)])
	}
	r.text(img, bx+18, by0+8, black, fmt.Sprintf("%.3g", scale))
	r.text(img, bx+18, by1, black, "0 Hz")
}

// rate draws the population rate of all, excitatory and inhibitory
// neurons, Hz per neuron in each bin.
func (r *Renderer) rate(img *image.RGBA, s *Snapshot) {
	x0, x1, top, bot := 48, r.W-8, 40, r.H-22
	first, n := r.window(s)
	binS := float64(s.BinSteps) * s.DtMs / 1000
	hz := func(c int32, k int) float64 {
		if k == 0 {
			return 0
		}
		return float64(c) / float64(k) / binS
	}
	var mean float64
	peak := 1.0
	for b := first; b < first+n; b++ {
		all := hz(s.Exc[b]+s.Inh[b], s.NExc+s.NInh)
		peak = max(peak, all, hz(s.Exc[b], s.NExc), hz(s.Inh[b], s.NInh))
		mean += all / float64(n)
	}
	peak *= 1.1
	r.text(img, 8, 15, black, fmt.Sprintf("population rate: %.3g Hz per neuron over the window", mean))
	box(img, x0-1, top-1, x1+1, bot+1, frame)
	r.text(img, 4, top+10, grey, fmt.Sprintf("%.3g", peak))
	r.text(img, 4, bot, grey, "0 Hz")
	x := x0 + 4
	for _, l := range []struct {
		name string
		c    color.RGBA
	}{{"all", black}, {"excitatory", plot.ExcColor}, {"inhibitory", plot.InhColor}} {
		fill(img, x, 25, x+10, 27, l.c)
		r.text(img, x+13, 31, black, l.name)
		x += 13 + 7*len(l.name) + 10
	}
	if s.Step < 0 || n == 0 {
		return
	}
	y := func(v float64) int { return bot - int(v/peak*float64(bot-top)) }
	for _, l := range []struct {
		c   color.RGBA
		val func(b int) float64
	}{
		{plot.InhColor, func(b int) float64 { return hz(s.Inh[b], s.NInh) }},
		{plot.ExcColor, func(b int) float64 { return hz(s.Exc[b], s.NExc) }},
		{black, func(b int) float64 { return hz(s.Exc[b]+s.Inh[b], s.NExc+s.NInh) }},
	} {
		px, py := -1, 0
		for b := range n {
			qx := x0 + int((float64(b)+0.5)*float64(x1-x0)/float64(n))
			qy := y(l.val(first + b))
			if px >= 0 {
				line(img, px, py, qx, qy, l.c)
			}
			px, py = qx, qy
		}
	}
	r.timeAxis(img, s, x0, x1, r.H-6)
}

// scratch returns r.col resized to n.
func (r *Renderer) scratch(n int) []float64 {
	if cap(r.col) < n {
		r.col = make([]float64, n)
	}
	r.col = r.col[:n]
	return r.col
}

// text draws s with its baseline at y.
func (r *Renderer) text(img *image.RGBA, x, y int, c color.RGBA, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// fill paints [x0, x1) × [y0, y1).
func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{}, draw.Src)
}

// box outlines [x0, x1] × [y0, y1].
func box(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	fill(img, x0, y0, x1+1, y0+1, c)
	fill(img, x0, y1, x1+1, y1+1, c)
	fill(img, x0, y0, x0+1, y1+1, c)
	fill(img, x1, y0, x1+1, y1+1, c)
}

// line draws a segment (Bresenham).
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		img.SetRGBA(x0, y0, c)
		img.SetRGBA(x0, y0+1, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}
