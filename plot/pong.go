package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colours of Pong's events and feedback modes.
var (
	HitColor  = color.RGBA{0x1b, 0x9e, 0x77, 0xff} // ColorBrewer Dark2
	MissColor = color.RGBA{0xd9, 0x5f, 0x02, 0xff}
	// ModeColors are the colours of the Pong feedback modes, in the order
	// fep, open_loop, silent (and further series).
	ModeColors = []color.RGBA{{0x75, 0x70, 0xb3, 0xff}, {0xe7, 0x29, 0x8a, 0xff}, {0x66, 0x66, 0x66, 0xff}, {0xe6, 0xab, 0x02, 0xff}}
)

// RallySeries is the rally length of one condition over time.
type RallySeries struct {
	Name string
	T    []float64 // bin centres, s
	Mean []float64 // mean hits per rally in the bin (NaN: no rally ended)
	SE   []float64 // standard error, drawn as a band (nil: none)
	// Rallies, if given, are drawn as faint points: start time (s) and
	// hits of each rally.
	RallyT, RallyHits []float64
}

// Rallies plots the rally length (hits per rally) over time of each
// series: a line through the bin means with an optional ±SE band and the
// single rallies as points; windows ([start, end] in s) are shaded, for
// example the first and last minutes that a learning test compares.
func Rallies(path, title string, series []RallySeries, windows [][2]float64) error {
	if len(series) == 0 {
		return fmt.Errorf("plot: no rally series")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = "hits per rally"
	p.X.Tick.Marker = trimmedTicks{}
	p.Y.Min = 0
	for k, s := range series {
		if len(s.T) != len(s.Mean) || (s.SE != nil && len(s.SE) != len(s.T)) || len(s.RallyT) != len(s.RallyHits) {
			return fmt.Errorf("plot: rally series %q has %d times, %d means, %d SEs, %d rally times and %d rally lengths",
				s.Name, len(s.T), len(s.Mean), len(s.SE), len(s.RallyT), len(s.RallyHits))
		}
		c := ModeColors[k%len(ModeColors)]
		if len(s.RallyT) > 0 {
			pts := make(plotter.XYs, len(s.RallyT))
			for i := range pts {
				pts[i] = plotter.XY{X: s.RallyT[i], Y: s.RallyHits[i]}
			}
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: color.NRGBA{c.R, c.G, c.B, 0x50}, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
			p.Add(sc)
		}
		var line, lo, hi plotter.XYs
		for i, t := range s.T {
			m := s.Mean[i]
			if !finite(m) || !finite(t) {
				continue
			}
			line = append(line, plotter.XY{X: t, Y: m})
			if s.SE != nil && finite(s.SE[i]) {
				lo = append(lo, plotter.XY{X: t, Y: math.Max(0, m-s.SE[i])})
				hi = append(hi, plotter.XY{X: t, Y: m + s.SE[i]})
			}
		}
		if len(lo) > 1 {
			poly := append(plotter.XYs{}, lo...)
			for i := len(hi) - 1; i >= 0; i-- {
				poly = append(poly, hi[i])
			}
			band, err := plotter.NewPolygon(poly)
			if err != nil {
				return err
			}
			band.Color = color.NRGBA{c.R, c.G, c.B, 0x40}
			band.LineStyle.Width = 0
			p.Add(band)
		}
		if len(line) > 0 {
			l, err := plotter.NewLine(line)
			if err != nil {
				return err
			}
			l.Color, l.Width = c, vg.Points(1.5)
			p.Add(l)
			p.Legend.Add(s.Name, l)
		}
	}
	for _, w := range windows {
		if !finite(w[0]) || !finite(w[1]) || w[1] <= w[0] {
			return fmt.Errorf("plot: window [%g, %g] s: want finite start < end", w[0], w[1])
		}
		p.Add(&spans{iv: [][2]float64{{w[0], w[1]}}, color: color.RGBA{0, 0, 0, 0x14}})
	}
	p.Legend.Top = true
	return save(p, 9*vg.Inch, 4.5*vg.Inch, path)
}

// GameRaster draws events on channels like ChannelRaster (stimulation
// pulses in a "stim" row) with a "game" row on top marking hits (green)
// and misses (orange), each also drawn as a faint line across the
// channels.
func GameRaster(path, title string, tMs []float64, row []int32, rows int, labels []string, t0Ms, t1Ms float64, stimMs, hitMs, missMs []float64) error {
	if err := checkRaster("game raster", tMs, row, rows, labels, t0Ms, t1Ms); err != nil {
		return err
	}
	events, band, err := channelImage(tMs, row, rows, t0Ms, t1Ms, stimMs)
	if err != nil {
		return err
	}
	w, h := events.Bounds().Dx(), events.Bounds().Dy()
	top := max(8, (h-band)/25)
	img := image.NewRGBA(image.Rect(0, 0, w, h+top))
	for i := range img.Pix[:img.PixOffset(0, top)] {
		img.Pix[i] = 0xff
	}
	copy(img.Pix[img.PixOffset(0, top):], events.Pix)
	set := func(x, y int, c color.RGBA) {
		o := img.PixOffset(x, y)
		img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c.R, c.G, c.B, c.A
	}
	for _, ev := range []struct {
		t []float64
		c color.RGBA
	}{{hitMs, HitColor}, {missMs, MissColor}} {
		faint := color.RGBA{0xff - (0xff-ev.c.R)/3, 0xff - (0xff-ev.c.G)/3, 0xff - (0xff-ev.c.B)/3, 0xff}
		for k, t := range ev.t {
			if !finite(t) {
				return fmt.Errorf("plot: game event %d at %g ms: time not finite", k, t)
			}
			x := int(math.Floor((t - t0Ms) / (t1Ms - t0Ms) * float64(w)))
			if x < 0 || x >= w {
				continue
			}
			for xx := x; xx <= min(x+1, w-1); xx++ {
				for y := range top - 2 {
					set(xx, y, ev.c)
				}
			}
			for y := top; y < top+h; y++ {
				if o := img.PixOffset(x, y); [4]uint8(img.Pix[o:o+4]) == [4]uint8{0xff, 0xff, 0xff, 0xff} {
					set(x, y, faint)
				}
			}
		}
	}
	return saveBanded(path, title, "channel", img, []rasterBand{{band, "stim"}, {top, "game"}}, rows, labels, t0Ms, t1Ms)
}

// rasterBand is a labelled band of pixel rows above a raster's rows.
type rasterBand struct {
	px    int // 0: none
	label string
}

// saveBanded frames a rasterised image of rows, under bands listed from
// the rows upwards, with a time axis in seconds and at most 16 row
// labels.
func saveBanded(path, title, ylabel string, img *image.RGBA, bands []rasterBand, rows int, labels []string, t0Ms, t1Ms float64) error {
	h := img.Bounds().Dy()
	for _, b := range bands {
		h -= b.px
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (s)"
	p.X.Tick.Marker = trimmedTicks{}
	p.Y.Label.Text = ylabel
	unit := float64(rows) / float64(h) // data units per pixel row
	step := (rows + 15) / 16
	var ticks []plot.Tick
	for k := 0; k < rows; k += step {
		l := strconv.Itoa(k)
		if labels != nil {
			l = labels[k]
		}
		ticks = append(ticks, plot.Tick{Value: float64(k) + 0.5, Label: l})
	}
	top := float64(rows)
	for _, b := range bands {
		if b.px > 0 {
			ticks = append(ticks, plot.Tick{Value: top + float64(b.px)*unit/2, Label: b.label})
			top += float64(b.px) * unit
		}
	}
	p.Add(plotter.NewImage(img, t0Ms/1000, 0, t1Ms/1000, top))
	p.X.Min, p.X.Max = t0Ms/1000, t1Ms/1000
	p.Y.Min, p.Y.Max = 0, top
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	height := min(max(3*vg.Inch, 1.5*vg.Inch+vg.Length(rows)*0.12*vg.Inch), 6*vg.Inch)
	return save(p, 10*vg.Inch, height, path)
}
