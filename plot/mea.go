package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colours of the multi-electrode array figures.
var (
	// UnshownColor fills electrodes that were not recorded (grounded,
	// reference or not routed); it is lighter than any colour of the
	// value scale, whose brightest colour is yellow.
	UnshownColor = color.RGBA{0xd9, 0xd9, 0xd9, 0xff}
	// EventColor marks a detected event in a channel raster.
	EventColor = color.RGBA{0x20, 0x20, 0x20, 0xff}
	// StimColor marks a stimulation pulse (ColorBrewer Oranges).
	StimColor = color.RGBA{0xe6, 0x55, 0x0d, 0xff}
)

// stimFaint is StimColor at about 25 % over white: the line a pulse draws
// across all channels, behind the events.
var stimFaint = color.RGBA{0xf9, 0xd4, 0xc2, 0xff}

// viridisAnchors are five colours of the viridis colour map (van der Walt
// and Smith, matplotlib 1.5, 2015), from dark purple to yellow; moreland
// interpolates between them at linear luminance.
var viridisAnchors = []color.Color{
	color.RGBA{0x44, 0x01, 0x54, 0xff},
	color.RGBA{0x3b, 0x52, 0x8b, 0xff},
	color.RGBA{0x21, 0x91, 0x8c, 0xff},
	color.RGBA{0x5e, 0xc9, 0x62, 0xff},
	color.RGBA{0xfd, 0xe7, 0x25, 0xff},
}

// ElectrodeMap draws one value per electrode (a firing rate in Hz, say)
// at the electrode positions, coloured on a scale from 0 to the largest
// value of the recorded electrodes (1 if they are all 0), with a colour
// bar labelled unit. Both axes are in µm at the same scale, and the figure
// takes the aspect ratio of the layout.
//
// x, y (µm), value and shown have one entry per electrode. An electrode
// with shown[i] false was not recorded (grounded, reference, not routed):
// it is drawn in UnshownColor and its value is ignored. Values of recorded
// electrodes must be finite and not negative.
//
// With rows, cols > 0 the electrodes form a regular grid of pitch pitchUm
// (µm), len(x) == rows*cols, drawn as an image with one cell per electrode
// (electrode k usually sits at row k/cols, column k%cols, but the cells
// follow the positions, so either row direction works). On grids of at
// most 256 electrodes each cell carries its channel number k. With rows ==
// cols == 0 the layout is irregular and each electrode is a disc, of
// diameter 0.8*pitchUm, or 0.8 times the smallest distance between two
// electrodes when pitchUm is 0.
func ElectrodeMap(path, title string, x, y, value []float64, shown []bool, rows, cols int, pitchUm float64, unit string) error {
	n := len(x)
	if n == 0 {
		return fmt.Errorf("plot: electrode map %q has no electrodes", path)
	}
	if len(y) != n || len(value) != n || len(shown) != n {
		return fmt.Errorf("plot: electrode map has %d x, %d y, %d values and %d shown flags, want equal lengths", n, len(y), len(value), len(shown))
	}
	if rows < 0 || cols < 0 || (rows == 0) != (cols == 0) {
		return fmt.Errorf("plot: electrode map grid of %d x %d: rows and cols must both be positive (regular grid) or both 0 (irregular layout)", rows, cols)
	}
	if math.IsNaN(pitchUm) || math.IsInf(pitchUm, 0) || pitchUm < 0 || (rows > 0 && pitchUm == 0) {
		return fmt.Errorf("plot: electrode map pitch %g µm: want a finite positive pitch (or 0 for an irregular layout)", pitchUm)
	}
	vmax := 0.0
	for i := range n {
		if !finite(x[i]) || !finite(y[i]) {
			return fmt.Errorf("plot: electrode %d at (%g, %g) µm: position not finite", i, x[i], y[i])
		}
		if !shown[i] {
			continue
		}
		if !finite(value[i]) || value[i] < 0 {
			return fmt.Errorf("plot: electrode %d has value %g: want a finite value >= 0", i, value[i])
		}
		vmax = max(vmax, value[i])
	}
	if vmax == 0 {
		vmax = 1 // all recorded electrodes at 0 (or none recorded): a scale still shows that
	}
	cm, lut, err := viridis(vmax)
	if err != nil {
		return err
	}
	colorOf := func(i int) color.RGBA {
		if !shown[i] {
			return UnshownColor
		}
		return lut.at(value[i])
	}

	p := plot.New()
	p.X.Label.Text = "x (µm)"
	p.Y.Label.Text = "y (µm)"
	p.X.Tick.Marker, p.Y.Tick.Marker = trimmedTicks{}, trimmedTicks{}
	if rows > 0 {
		if err := addGrid(p, x, y, rows, cols, pitchUm, colorOf); err != nil {
			return err
		}
	} else {
		d := pitchUm
		if d == 0 {
			d, err = minDistance(x, y)
			if err != nil {
				return err
			}
		}
		p.Add(discs(x, y, 0.4*d, shown, colorOf))
	}

	bar := colorBar(cm, unit)

	return saveWithBar(path, title, p, bar)
}

// saveWithBar writes p, at equal scale on both axes, with the colour bar
// on its right and the title above.
func saveWithBar(path, title string, p, bar *plot.Plot) error {
	// The data area's longer side is 7 inches, the shorter at least 2; the
	// axes, the title and the colour bar come around it.
	sx, sy := p.X.Max-p.X.Min, p.Y.Max-p.Y.Min
	long := max(sx, sy)
	dw := max(7*vg.Inch*vg.Length(sx/long), 2*vg.Inch)
	dh := max(7*vg.Inch*vg.Length(sy/long), 2*vg.Inch)
	big := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 100 * vg.Inch, Y: 100 * vg.Inch}}}
	dc := p.DataCanvas(big)
	mw := big.Max.X - (dc.Max.X - dc.Min.X)
	mh := big.Max.Y - (dc.Max.Y - dc.Min.Y)

	outer := plot.New()
	outer.Title.Text = title
	outer.HideAxes()
	outer.X.Padding, outer.Y.Padding = 0, 0
	f := &withColorBar{main: p, bar: bar}
	outer.Add(f)
	th := outer.Title.TextStyle.Height(title) + outer.Title.Padding + figTop
	return save(outer, dw+mw+f.width(), dh+mh+th, path)
}

// viridis returns the viridis colour map from 0 to vmax and a table of
// 256 of its colours (more than the eye tells apart; they spare a CIELAB
// conversion per value).
func viridis(vmax float64) (palette.ColorMap, lut, error) {
	cm, err := moreland.NewLuminance(viridisAnchors)
	if err != nil {
		return nil, lut{}, err
	}
	cm.SetMin(0)
	cm.SetMax(vmax)
	// 256 colours are more than the eye tells apart, and they spare a
	// CIELAB conversion per electrode.
	return cm, lut{c: Viridis(256), vmax: vmax}, nil
}

// lut is a colour table over [0, vmax].
type lut struct {
	c    []color.RGBA
	vmax float64
}

// at returns the colour of v, clamped to [0, vmax].
func (l lut) at(v float64) color.RGBA {
	return l.c[int(math.Round(math.Min(1, math.Max(0, v/l.vmax))*float64(len(l.c)-1)))]
}

// colorBar returns a vertical colour bar of cm labelled unit.
func colorBar(cm palette.ColorMap, unit string) *plot.Plot {
	bar := plot.New()
	bar.HideX()
	bar.X.Padding = 0
	bar.Y.Padding = 0
	bar.Y.Label.Text = unit
	bar.Y.Tick.Marker = trimmedTicks{}
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	return bar
}

// addGrid adds to p the image of a rows x cols grid of electrodes of pitch
// pitchUm and, on small grids, the channel numbers.
func addGrid(p *plot.Plot, x, y []float64, rows, cols int, pitchUm float64, colorOf func(int) color.RGBA) error {
	n := len(x)
	if rows > n || cols > n || rows*cols != n {
		return fmt.Errorf("plot: electrode map has %d electrodes, want rows*cols = %d*%d = %d", n, rows, cols, rows*cols)
	}
	x0, y0 := slices.Min(x), slices.Min(y)
	// The image is drawn scaled with bilinear interpolation; cells of a few
	// pixels each keep their edges sharp.
	s := max(1, (1000+max(rows, cols)-1)/max(rows, cols))
	img := image.NewRGBA(image.Rect(0, 0, cols*s, rows*s))
	taken := make([]int32, n) // 1 + electrode in each cell, 0 if none yet
	for k := range n {
		fc, fr := (x[k]-x0)/pitchUm, (y[k]-y0)/pitchUm
		c, r := int(math.Round(fc)), int(math.Round(fr))
		if c < 0 || r < 0 || c >= cols || r >= rows || math.Abs(fc-float64(c)) > 0.25 || math.Abs(fr-float64(r)) > 0.25 {
			return fmt.Errorf("plot: electrode %d at (%g, %g) µm is off the %d x %d grid of pitch %g µm from (%g, %g) µm", k, x[k], y[k], rows, cols, pitchUm, x0, y0)
		}
		if j := taken[r*cols+c]; j != 0 {
			return fmt.Errorf("plot: electrodes %d and %d share the grid cell at (%g, %g) µm", j-1, k, x[k], y[k])
		}
		taken[r*cols+c] = int32(k + 1)
		col := colorOf(k)
		top := (rows - 1 - r) * s // image rows go down, y goes up
		for py := top; py < top+s; py++ {
			o := img.PixOffset(c*s, py)
			for px := range s {
				copy(img.Pix[o+4*px:], []uint8{col.R, col.G, col.B, col.A})
			}
		}
	}
	half := pitchUm / 2
	p.Add(plotter.NewImage(img, x0-half, y0-half, x0+float64(cols-1)*pitchUm+half, y0+float64(rows-1)*pitchUm+half))
	if n > 256 {
		return nil
	}
	// Channel numbers, black on light cells and white on dark ones, at a
	// size that fits three digits in a cell of a 7-inch-wide map.
	size := min(vg.Points(9), 7*vg.Inch/vg.Length(max(rows, cols))*0.3)
	fnt := font.From(plot.DefaultFont, size)
	lab := &plotter.Labels{XYs: make(plotter.XYs, n), Labels: make([]string, n), TextStyle: make([]text.Style, n)}
	for k := range n {
		lab.XYs[k] = plotter.XY{X: x[k], Y: y[k]}
		lab.Labels[k] = strconv.Itoa(k)
		ink := color.Color(color.Black)
		if c := colorOf(k); 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B) < 128 {
			ink = color.White
		}
		lab.TextStyle[k] = text.Style{Color: ink, Font: fnt, XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	}
	p.Add(lab)
	return nil
}

// discPlotter draws filled discs of a radius in data units (µm).
type discPlotter struct {
	xy     plotter.XYs
	r      float64
	colors []color.RGBA
}

// discs returns the discs of radius r (µm) of the electrodes at x, y,
// unrecorded ones first so that recorded ones are drawn over them.
func discs(x, y []float64, r float64, shown []bool, colorOf func(int) color.RGBA) *discPlotter {
	d := &discPlotter{r: r}
	for _, want := range []bool{false, true} {
		for i := range x {
			if shown[i] == want {
				d.xy = append(d.xy, plotter.XY{X: x[i], Y: y[i]})
				d.colors = append(d.colors, colorOf(i))
			}
		}
	}
	return d
}

// Plot implements plot.Plotter.
func (d *discPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, pt := range d.xy {
		r := trX(pt.X+d.r) - trX(pt.X)
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: d.colors[i], Radius: r, Shape: draw.CircleGlyph{}}, vg.Point{X: trX(pt.X), Y: trY(pt.Y)})
	}
}

// DataRange implements plot.DataRanger: the discs and a margin of one radius.
func (d *discPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = plotter.XYRange(d.xy)
	m := 2 * d.r
	return xmin - m, xmax + m, ymin - m, ymax + m
}

// minDistance returns the smallest distance between two of the points,
// by a sweep along x, or an error if two share a position.
func minDistance(x, y []float64) (float64, error) {
	if len(x) < 2 {
		return 20, nil // a lone electrode: a 16 µm disc, about an electrode's size
	}
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(x[a], x[b]) })
	best := math.Inf(1)
	for a, i := range idx {
		for _, j := range idx[a+1:] {
			if x[j]-x[i] >= best {
				break
			}
			d := math.Hypot(x[j]-x[i], y[j]-y[i])
			if d == 0 {
				return 0, fmt.Errorf("plot: electrodes %d and %d share the position (%g, %g) µm", min(i, j), max(i, j), x[i], y[i])
			}
			best = min(best, d)
		}
	}
	return best, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// withColorBar is a plotter that fills the data area of an outer plot (axes
// hidden, title kept) with a main plot, kept at equal scale on both axes,
// and a vertical colour bar on its right: a figure of two plots that save
// still writes.
type withColorBar struct {
	main, bar *plot.Plot
}

// Layout of a figure with a colour bar: the width of the bar itself, the
// space between the main plot and the bar's axis, the margins right of the
// bar and under the title.
const (
	barData  = 0.25 * vg.Inch
	barGap   = 0.15 * vg.Inch
	barRight = 0.1 * vg.Inch
	figTop   = 0.08 * vg.Inch
)

// width returns the width that the colour bar and its axis take.
func (f *withColorBar) width() vg.Length {
	big := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 10 * vg.Inch, Y: 10 * vg.Inch}}}
	dc := f.bar.DataCanvas(big)
	return barGap + (big.Max.X - (dc.Max.X - dc.Min.X)) + barData + barRight
}

// Plot implements plot.Plotter.
func (f *withColorBar) Plot(c draw.Canvas, _ *plot.Plot) {
	c.Max.Y -= figTop
	mc := c
	mc.Max.X -= f.width()
	equalAspect(f.main, mc)
	f.main.Draw(mc)
	dc := f.main.DataCanvas(mc)
	bc := c
	bc.Min.X = mc.Max.X + barGap
	bc.Max.X -= barRight
	bc.Min.Y, bc.Max.Y = dc.Min.Y, dc.Max.Y
	f.bar.Draw(bc)
}

// equalAspect widens the x or y range of p so that one data unit takes
// the same length on both axes when p is drawn on c. The axes' sizes
// depend on their tick labels and so on the ranges; a few rounds settle.
func equalAspect(p *plot.Plot, c draw.Canvas) {
	x0, x1, y0, y1 := p.X.Min, p.X.Max, p.Y.Min, p.Y.Max
	for range 4 {
		dc := p.DataCanvas(c)
		w, h := float64(dc.Max.X-dc.Min.X), float64(dc.Max.Y-dc.Min.Y)
		if w <= 0 || h <= 0 {
			return
		}
		per := max((x1-x0)/w, (y1-y0)/h) // µm per point
		mx, my := (x0+x1)/2, (y0+y1)/2
		p.X.Min, p.X.Max = mx-per*w/2, mx+per*w/2
		p.Y.Min, p.Y.Max = my-per*h/2, my+per*h/2
	}
}

// ChannelRaster draws events, at times tMs (ms) on channels row (in [0,
// rows)), as a raster with one row per recorded channel, channel 0 at the
// bottom. labels (len rows, or nil for the row numbers) name the channels
// on the y axis, at most about 16 of them. The time axis is in seconds
// from t0Ms to t1Ms; events outside are left out. stimMs (may be nil) are
// the times of stimulation pulses, drawn as orange marks in a "stim" row
// above the channels and as faint lines across them. The events are
// rasterised into a fixed image, so the cost stays bounded for millions of
// events.
func ChannelRaster(path, title string, tMs []float64, row []int32, rows int, labels []string, t0Ms, t1Ms float64, stimMs []float64) error {
	if err := checkRaster("channel raster", tMs, row, rows, labels, t0Ms, t1Ms); err != nil {
		return err
	}
	img, band, err := channelImage(tMs, row, rows, t0Ms, t1Ms, stimMs)
	if err != nil {
		return err
	}
	return saveRaster(path, title, "channel", img, band, "stim", rows, labels, t0Ms, t1Ms)
}

// checkRaster validates the inputs of a raster of events on rows.
func checkRaster(what string, tMs []float64, row []int32, rows int, labels []string, t0Ms, t1Ms float64) error {
	switch {
	case len(tMs) != len(row):
		return fmt.Errorf("plot: %s has %d times and %d rows, want equal lengths", what, len(tMs), len(row))
	case rows <= 0:
		return fmt.Errorf("plot: %s has %d rows, want at least 1", what, rows)
	case labels != nil && len(labels) != rows:
		return fmt.Errorf("plot: %s has %d labels for %d rows", what, len(labels), rows)
	case !finite(t0Ms) || !finite(t1Ms) || t1Ms <= t0Ms:
		return fmt.Errorf("plot: %s window [%g, %g] ms: want finite t0 < t1", what, t0Ms, t1Ms)
	}
	return nil
}

// saveRaster frames a rasterised image of rows (band pixel rows on top
// for a row named bandLabel, when band > 0) with a time axis in seconds and
// at most 16 row labels.
func saveRaster(path, title, ylabel string, img *image.RGBA, band int, bandLabel string, rows int, labels []string, t0Ms, t1Ms float64) error {
	return saveBanded(path, title, ylabel, img, []rasterBand{{band, bandLabel}}, rows, labels, t0Ms, t1Ms)
}

// channelImage rasterises the events and stimulation pulses of a channel
// raster: band pixel rows of stim marks at the top, when there are pulses,
// and under them the channels, channel 0 at the bottom.
func channelImage(tMs []float64, row []int32, rows int, t0Ms, t1Ms float64, stimMs []float64) (img *image.RGBA, band int, err error) {
	// About the plot area of a 10-inch-wide figure at 96 dpi. With up to
	// 400 channels each gets the same whole number of pixel rows; beyond,
	// channels share pixel rows.
	const w, maxH = 900, 400
	per := max(1, maxH/rows)
	h := min(rows*per, maxH)
	tick := max(1, per*7/10) // pixel rows a mark takes in its channel
	// band: pixel rows of the stim row
	if len(stimMs) > 0 {
		band = max(8, h/25)
	}
	img = image.NewRGBA(image.Rect(0, 0, w, h+band))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	col := func(t float64) int { return int(math.Floor((t - t0Ms) / (t1Ms - t0Ms) * w)) }
	set := func(x, y int, c color.RGBA) {
		o := img.PixOffset(x, y)
		img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c.R, c.G, c.B, c.A
	}
	if band > 0 {
		hit := make([]bool, w)
		for k, t := range stimMs {
			if !finite(t) {
				return nil, 0, fmt.Errorf("plot: stimulation pulse %d at %g ms: time not finite", k, t)
			}
			if x := col(t); x >= 0 && x < w {
				hit[x] = true
			}
		}
		for x, ok := range hit {
			if !ok {
				continue
			}
			for y := range band - 2 { // two white rows under the stim row
				set(x, y, StimColor)
			}
			for y := band; y < band+h; y++ {
				set(x, y, stimFaint)
			}
		}
	}
	for k, t := range tMs {
		r := row[k]
		if r < 0 || int(r) >= rows {
			return nil, 0, fmt.Errorf("plot: event %d on row %d: want a row in [0, %d)", k, r, rows)
		}
		if !finite(t) {
			return nil, 0, fmt.Errorf("plot: event %d on row %d at %g ms: time not finite", k, r, t)
		}
		x := col(t)
		if x < 0 || x >= w {
			continue
		}
		// The mark is centred in its channel's pixel rows; two pixels wide,
		// as single pixels vanish when the image is scaled.
		bottom := band + h - 1 - int(r)*h/rows - (per-tick)/2
		for y := bottom; y > bottom-tick; y-- {
			set(x, y, EventColor)
			if x+1 < w {
				set(x+1, y, EventColor)
			}
		}
	}
	return img, band, nil
}

// trimmedTicks are gonum's default ticks with the trailing zeros cut from
// their labels: "2.5" rather than "2.50", "500" rather than "500.00".
type trimmedTicks struct{}

// Ticks implements plot.Ticker.
func (trimmedTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		l := t.Label
		if !strings.Contains(l, ".") || strings.ContainsAny(l, "eE") {
			continue
		}
		l = strings.TrimSuffix(strings.TrimRight(l, "0"), ".")
		if l == "-0" {
			l = "0"
		}
		ticks[i].Label = l
	}
	return ticks
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

var (
	_ plot.Plotter    = (*withColorBar)(nil)
	_ plot.DataRanger = (*discPlotter)(nil)
)
