package plot

// The figures of bl1 validate: a culture's spontaneous activity (network
// bursts, inter-spike intervals, neuronal avalanches) drawn for comparison
// with published ranges. Each draws a bounded number of marks whatever the
// length of the recording.

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/bl1-go/bl1/internal/atomicfile"
)

// BurstColor marks a network burst in the band above a burst raster
// (ColorBrewer Greens).
var BurstColor = color.RGBA{0x31, 0xa3, 0x54, 0xff}

// burstFaint is BurstColor at about 30 % over white: the shading of a
// burst behind the spikes or the population rate.
var burstFaint = color.RGBA{0xc7, 0xe9, 0xc0, 0xff}

// Colours of the validation figures' other marks.
var (
	lineColor = color.Gray{0x30}                        // the population rate
	barColor  = color.RGBA{0x6b, 0xae, 0xd6, 0xff}      // histogram bars (ColorBrewer Blues)
	barEdge   = color.RGBA{0x21, 0x71, 0xb5, 0xff}      // their outline
	refColor  = color.RGBA{0xb2, 0x18, 0x2b, 0xff}      // reference lines: threshold, CV = 1, fits
	dashes    = []vg.Length{vg.Points(5), vg.Points(3)} // of reference lines
)

// Bounds on what a figure draws, whatever the size of its input.
const (
	maxRatePoints    = 2000 // points of the population rate line
	maxSpans         = 2000 // burst spans per time axis width (closer ones merge)
	maxScatterPoints = 5000 // points of a scatter plot
	maxCCDFPoints    = 1000 // points of a complementary cumulative distribution
	isiBins          = 50   // log-spaced bins of the ISI histogram
)

// BurstRate plots the population rate (Hz per neuron; rate[i] is the rate
// in the bin of binMs ms starting at t0Ms + i*binMs) over time in seconds,
// with each network burst (bursts[k] = [start, end] in ms) shaded behind
// it and, if threshold > 0, the detection threshold (Hz per neuron) as a
// dashed line.
//
// A long recording is drawn with at most 2,000 points: groups of
// ceil(len(rate)/2000) consecutive bins are merged and each point is the
// maximum of its group, so that the peaks of short bursts survive (the
// legend gives the merged width). Bursts closer than 1/2,000 of the time
// axis merge into one shaded span, and a span narrower than a pixel is
// widened to one.
//
// Rates must be finite and not negative, binMs finite and positive, and
// each burst finite with end >= start; bursts may overlap or come in any
// order, and those outside the time axis are left out.
func BurstRate(path, title string, t0Ms, binMs float64, rate []float64, bursts [][2]float64, threshold float64) error {
	if len(rate) == 0 {
		return fmt.Errorf("plot: burst rate %q has no rate bins", path)
	}
	if !finite(t0Ms) || !finite(binMs) || binMs <= 0 {
		return fmt.Errorf("plot: burst rate bins of %g ms from %g ms: want a finite start and a finite positive width", binMs, t0Ms)
	}
	if !finite(threshold) {
		return fmt.Errorf("plot: burst rate threshold %g Hz: want a finite threshold (<= 0 for none)", threshold)
	}
	ymax := 0.0
	for i, r := range rate {
		if !finite(r) || r < 0 {
			return fmt.Errorf("plot: rate bin %d is %g Hz: want a finite rate >= 0", i, r)
		}
		ymax = max(ymax, r)
	}
	if err := checkBursts(bursts); err != nil {
		return err
	}
	t1Ms := t0Ms + float64(len(rate))*binMs

	merge := (len(rate) + maxRatePoints - 1) / maxRatePoints
	pts := make(plotter.XYs, 0, (len(rate)+merge-1)/merge)
	for i := 0; i < len(rate); i += merge {
		g := rate[i:min(i+merge, len(rate))]
		pts = append(pts, plotter.XY{
			X: (t0Ms + (float64(i)+float64(len(g))/2)*binMs) / 1000,
			Y: slices.Max(g),
		})
	}

	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (s)"
	p.X.Tick.Marker = trimmedTicks{}
	p.Y.Label.Text = "population rate (Hz per neuron)"
	p.Y.Tick.Marker = trimmedTicks{}
	sp, shown := newSpans(bursts, t0Ms, t1Ms)
	p.Add(sp)
	pl, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	pl.Color = lineColor
	pl.Width = vg.Points(0.8)
	l := chunkedLine{pl}
	p.Add(l)
	var lg boxedLegend
	name := "population rate"
	if merge > 1 {
		name += " (max per " + formatMs(float64(merge)*binMs) + ")"
	}
	lg.add(name, l)
	lg.add(count(shown, "network burst"), sp)
	if threshold > 0 {
		th := &vhLine{y: threshold, style: refStyle()}
		p.Add(th)
		lg.add("threshold "+sig3(threshold)+" Hz", th)
		ymax = max(ymax, threshold)
	}
	if ymax == 0 {
		ymax = 1
	}
	p.Add(&lg)
	p.X.Min, p.X.Max = t0Ms/1000, t1Ms/1000
	// Headroom above the highest peak for the legend.
	p.Y.Min, p.Y.Max = 0, headroom(len(lg.names))*ymax
	return save(p, 10*vg.Inch, 4*vg.Inch, path)
}

// BurstRaster draws events (spikes), at times tMs (ms) on rows row (in [0,
// rows)), as a raster like ChannelRaster, with each network burst
// (bursts[k] = [start, end] in ms) shaded behind the events and marked in
// a "burst" row above them. labels (len rows, or nil for the row numbers)
// name the units on the y axis, at most about 16 of them. The time axis is
// in seconds from t0Ms to t1Ms; events and bursts outside are left out. A
// burst shorter than a pixel takes one. The events are rasterised into a
// fixed image, so the cost stays bounded for millions of events and
// bursts.
func BurstRaster(path, title string, tMs []float64, row []int32, rows int, labels []string, t0Ms, t1Ms float64, bursts [][2]float64) error {
	if err := checkRaster("burst raster", tMs, row, rows, labels, t0Ms, t1Ms); err != nil {
		return err
	}
	if err := checkBursts(bursts); err != nil {
		return err
	}
	events, _, err := channelImage(tMs, row, rows, t0Ms, t1Ms, nil)
	if err != nil {
		return err
	}
	img, band := shadeBursts(events, bursts, t0Ms, t1Ms)
	return saveRaster(path, title, "unit", img, band, "burst", rows, labels, t0Ms, t1Ms)
}

// shadeBursts returns the event image of a raster with a band of band
// pixel rows on top, BurstColor in the columns of bursts, and the white
// of those columns under the band turned to burstFaint.
func shadeBursts(events *image.RGBA, bursts [][2]float64, t0Ms, t1Ms float64) (img *image.RGBA, band int) {
	w, h := events.Bounds().Dx(), events.Bounds().Dy()
	band = max(8, h/25)
	img = image.NewRGBA(image.Rect(0, 0, w, h+band))
	for i := range img.Pix[:img.PixOffset(0, band)] {
		img.Pix[i] = 0xff
	}
	copy(img.Pix[img.PixOffset(0, band):], events.Pix)
	// depth[x] counts the bursts over column x, from a difference array:
	// O(bursts + width) however long the bursts.
	depth := make([]int, w+1)
	col := func(t float64) int { return int(math.Floor((t - t0Ms) / (t1Ms - t0Ms) * float64(w))) }
	for _, b := range bursts {
		x0, x1 := max(col(b[0]), 0), min(col(b[1]), w-1)
		if x0 > x1 {
			continue // outside the window
		}
		depth[x0]++
		depth[x1+1]--
	}
	set := func(x, y int, c color.RGBA) {
		o := img.PixOffset(x, y)
		img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c.R, c.G, c.B, c.A
	}
	n := 0
	for x := range w {
		n += depth[x]
		if n == 0 {
			continue
		}
		for y := range band - 2 { // two white rows under the burst row
			set(x, y, BurstColor)
		}
		for y := band; y < band+h; y++ {
			if o := img.PixOffset(x, y); [4]uint8(img.Pix[o:o+4]) == [4]uint8{0xff, 0xff, 0xff, 0xff} {
				set(x, y, burstFaint)
			}
		}
	}
	return img, band
}

// ISIDistribution plots, on the left, the distribution of the
// inter-spike intervals isiMs (ms, all units pooled) as a histogram of 50
// bins evenly spaced in log ISI from the smallest to the largest positive
// interval, as a density per decade (the fraction of intervals in a bin
// over its width in decades of ISI, so that the bars' area on the log
// axis is 1), and on the right the histogram of the units' coefficients
// of variation of the ISI, cv, with a dashed line at CV = 1, the value of
// a Poisson process.
//
// Intervals must be finite and not negative; zero intervals (two events
// of a unit in one step) are left out of the log axis. CVs must not be
// negative or infinite; NaN CVs (units with too few spikes) are ignored.
// Either slice may be empty; its panel then says so.
func ISIDistribution(path, title string, isiMs []float64, cv []float64) error {
	lo, hi := math.Inf(1), 0.0
	n := 0
	for i, v := range isiMs {
		if !finite(v) || v < 0 {
			return fmt.Errorf("plot: ISI %d is %g ms: want a finite interval >= 0", i, v)
		}
		if v > 0 {
			lo, hi = min(lo, v), max(hi, v)
			n++
		}
	}
	cmax, nc := 0.0, 0
	for i, v := range cv {
		if math.IsNaN(v) {
			continue
		}
		if math.IsInf(v, 0) || v < 0 {
			return fmt.Errorf("plot: CV of unit %d is %g: want a finite CV >= 0 (or NaN to leave it out)", i, v)
		}
		cmax = max(cmax, v)
		nc++
	}

	left := panel("ISI distribution", "inter-spike interval (ms)", "density (per decade)")
	if n == 0 {
		empty(left, "no positive inter-spike intervals")
	} else {
		if lo == hi {
			lo, hi = lo/1.25, hi*1.25
		}
		bins := make([]plotter.HistogramBin, isiBins)
		r := math.Log(hi / lo)
		for k := range bins {
			bins[k].Min = lo * math.Exp(r*float64(k)/isiBins)
			bins[k].Max = lo * math.Exp(r*float64(k+1)/isiBins)
		}
		for _, v := range isiMs {
			if v > 0 {
				bins[min(int(math.Log(v/lo)/r*isiBins), isiBins-1)].Weight++
			}
		}
		decades := math.Log10(hi/lo) / isiBins
		for k := range bins {
			bins[k].Weight /= float64(n) * decades
		}
		h := histogram(bins)
		left.Add(h)
		left.Add(newLegend(count(n, "interval"), h))
		left.X.Scale = plot.LogScale{}
		left.X.Tick.Marker = logTicks{}
		left.X.Min, left.X.Max = lo, hi
		left.Y.Min = 0
		left.Y.Max *= headroom(1)
	}

	right := panel("ISI variability", "CV of the ISI per unit", "units")
	if nc == 0 {
		empty(right, "no unit with a defined CV")
	} else {
		right.Y.Tick.Marker = countTicks{}
		h := histogram(linearBins(cv, 0, max(2, cmax), 30))
		v := &vhLine{x: 1, vertical: true, style: refStyle()}
		right.Add(h, v, newLegend(count(nc, "unit"), h).add("Poisson (CV = 1)", v))
		right.X.Min = 0
		right.Y.Min = 0
		right.Y.Max *= headroom(2)
	}
	return figure(path, title, 10*vg.Inch, 4*vg.Inch, [][]*plot.Plot{{left, right}})
}

// BurstStats draws four panels: the histograms of the burst durations
// durationsMs (ms), of the inter-burst intervals ibiS (s) and of the
// recruitment fractions (the fraction of units taking part in a burst, in
// [0, 1]), and a scatter plot of each burst's duration against the
// interval that follows it, durationsMs[k] against ibiS[k] (ibiS[k] is the
// interval between bursts k and k+1, so len(ibiS) is normally
// len(durationsMs)-1; pairs run to the shorter slice). Any slice may be
// short or empty; an empty panel says so. Values must be finite and not
// negative. At most 5,000 evenly spread pairs are drawn.
func BurstStats(path, title string, durationsMs, ibiS, recruitment []float64) error {
	for _, s := range []struct {
		name string
		v    []float64
		hi   float64
	}{
		{"burst duration", durationsMs, math.Inf(1)},
		{"inter-burst interval", ibiS, math.Inf(1)},
		{"recruitment", recruitment, 1},
	} {
		for i, v := range s.v {
			if !finite(v) || v < 0 || v > s.hi {
				want := "finite and >= 0"
				if s.hi == 1 {
					want = "in [0, 1]"
				}
				return fmt.Errorf("plot: %s %d is %g: want a value %s", s.name, i, v, want)
			}
		}
	}
	hist := func(title, xlabel string, v []float64, lo, hi float64, unit string) *plot.Plot {
		p := panel(title, xlabel, "bursts")
		if len(v) == 0 {
			empty(p, "no bursts")
			return p
		}
		p.Y.Tick.Marker = countTicks{}
		if hi <= lo {
			hi = slices.Max(v)
			if hi <= lo {
				hi = lo + 1 // all values 0: a unit range
			}
		}
		h := histogram(linearBins(v, lo, hi, 25))
		p.Add(h, newLegend(fmt.Sprintf("n = %s, median %s%s", thousands(len(v)), sig3(median(v)), unit), h))
		p.X.Min, p.Y.Min = lo, 0
		p.Y.Max *= headroom(1)
		return p
	}
	dur := hist("burst duration", "duration (ms)", durationsMs, 0, 0, " ms")
	ibi := hist("inter-burst interval", "interval (s)", ibiS, 0, 0, " s")
	rec := hist("recruitment", "fraction of units in the burst", recruitment, 0, 1, "")
	rec.X.Max = 1

	sc := panel("duration and next interval", "burst duration (ms)", "following interval (s)")
	n := min(len(durationsMs), len(ibiS))
	if n == 0 {
		empty(sc, "no burst with a following interval")
	} else {
		step := (n + maxScatterPoints - 1) / maxScatterPoints
		pts := make(plotter.XYs, 0, (n+step-1)/step)
		for k := 0; k < n; k += step {
			pts = append(pts, plotter.XY{X: durationsMs[k], Y: ibiS[k]})
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: barEdge, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
		name := count(n, "burst")
		if step > 1 {
			name = fmt.Sprintf("every %s of %s bursts", ordinal(step), thousands(n))
		}
		sc.Add(s, newLegend(name, s))
		sc.X.Min, sc.Y.Min = 0, 0
		sc.X.Max *= 1.05
		sc.Y.Max *= headroom(1)
	}
	return figure(path, title, 10*vg.Inch, 7.5*vg.Inch, [][]*plot.Plot{{dur, ibi}, {rec, sc}})
}

// Avalanches plots the complementary cumulative distributions P(X >= x)
// of neuronal avalanche sizes (events) and durations (time bins), on two
// log-log panels of points, each with its fitted discrete power law
// P(X = x) ∝ x^-α for x >= xmin drawn as a line: P(X >= x) =
// ζ(α, x)/ζ(α, xmin) (ζ the Hurwitz zeta function) times the fraction of
// the data at or above xmin, so that the line meets the data at xmin. The
// exponent is given in the legend. An alpha <= 0 or NaN means no fit: the
// panel shows the data only. A fitted alpha must be finite and above 1
// (the power law is not normalisable below) and its xmin in [1, largest
// value].
//
// Sizes and durations must be at least 1; either may be empty, and its
// panel then says so. Distinct values closer than 1/1,000 of the panel's
// log range share one point, so that at most about 1,000 are drawn.
func Avalanches(path, title string, sizes, durations []int, sizeAlpha float64, sizeXmin int, durAlpha float64, durXmin int) error {
	size, err := ccdfPanel("avalanche sizes", "size s (events)", "P(S ≥ s)", "s", "avalanche size", sizes, sizeAlpha, sizeXmin)
	if err != nil {
		return err
	}
	dur, err := ccdfPanel("avalanche durations", "duration T (time bins)", "P(D ≥ T)", "T", "avalanche duration", durations, durAlpha, durXmin)
	if err != nil {
		return err
	}
	return figure(path, title, 10*vg.Inch, 4.5*vg.Inch, [][]*plot.Plot{{size, dur}})
}

// ccdfPanel returns the log-log panel of the complementary cumulative
// distribution of v with its power-law fit, if alpha > 0.
func ccdfPanel(title, xlabel, ylabel, sym, what string, v []int, alpha float64, xmin int) (*plot.Plot, error) {
	for i, x := range v {
		if x < 1 {
			return nil, fmt.Errorf("plot: %s %d is %d: want at least 1", what, i, x)
		}
	}
	fit := alpha > 0 // false for NaN
	if fit && (math.IsInf(alpha, 0) || alpha <= 1) {
		return nil, fmt.Errorf("plot: %s exponent %g: want a finite exponent > 1 (or <= 0 or NaN for no fit)", what, alpha)
	}
	p := panel(title, xlabel, ylabel)
	if len(v) == 0 {
		empty(p, "no avalanches")
		return p, nil
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := float64(len(s))
	xmax := s[len(s)-1]
	if fit && (xmin < 1 || xmin > xmax) {
		return nil, fmt.Errorf("plot: %s fit from xmin %d: want 1 <= xmin <= %d, the largest %s", what, xmin, xmax, what)
	}
	// Points at the distinct values x: P(X >= x) = (values >= x)/n.
	gap := math.Log(float64(xmax)/float64(s[0])) / maxCCDFPoints
	var pts plotter.XYs
	last := math.Inf(-1)
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if lx := math.Log(float64(s[i])); lx-last >= gap || j == len(s) {
			pts = append(pts, plotter.XY{X: float64(s[i]), Y: float64(len(s)-i) / n})
			last = lx
		}
		i = j
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: barEdge, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	lg := newLegend(count(len(s), "avalanche"), sc)
	if fit {
		tail := float64(len(s)-countBelow(s, xmin)) / n
		z0 := mathext.Zeta(alpha, float64(xmin))
		var line plotter.XYs
		const k = 200 // points of the fitted line, evenly spaced in log x
		prev := 0
		for i := range k + 1 {
			x := int(math.Round(float64(xmin) * math.Pow(float64(xmax)/float64(xmin), float64(i)/k)))
			if x == prev {
				continue
			}
			prev = x
			line = append(line, plotter.XY{X: float64(x), Y: tail * mathext.Zeta(alpha, float64(x)) / z0})
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			return nil, err
		}
		l.LineStyle = refStyle()
		l.Dashes = nil
		l.Width = vg.Points(1.5)
		p.Add(l)
		lg.add(fmt.Sprintf("power law α = %.2f (%s ≥ %d)", alpha, sym, xmin), l)
	}
	p.Add(lg)
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = logTicks{}, logTicks{}
	p.X.Min, p.X.Max = float64(s[0])/1.3, float64(xmax)*1.3
	p.Y.Min, p.Y.Max = 0.5/n, 1.3
	return p, nil
}

// countBelow returns the number of values of the sorted s below x.
func countBelow(s []int, x int) int {
	i, _ := slices.BinarySearch(s, x)
	return i
}

// checkBursts returns an error naming the first burst that is not a finite
// interval [start, end] with end >= start.
func checkBursts(bursts [][2]float64) error {
	for k, b := range bursts {
		if !finite(b[0]) || !finite(b[1]) || b[1] < b[0] {
			return fmt.Errorf("plot: burst %d is [%g, %g] ms: want finite times with end >= start", k, b[0], b[1])
		}
	}
	return nil
}

// spans shades intervals of the x axis (s) over the full height of the
// data area; it draws its colour as a legend thumbnail.
type spans struct {
	iv    [][2]float64
	color color.Color
}

// newSpans returns the spans of the bursts (ms) within [t0Ms, t1Ms], in
// seconds, merging those closer than 1/maxSpans of the window, so that
// there are at most about maxSpans of them, and the number of bursts in
// the window.
func newSpans(bursts [][2]float64, t0Ms, t1Ms float64) (s *spans, shown int) {
	s = &spans{color: burstFaint}
	in := make([][2]float64, 0, len(bursts))
	for _, b := range bursts {
		if b[1] >= t0Ms && b[0] <= t1Ms {
			in = append(in, [2]float64{max(b[0], t0Ms), min(b[1], t1Ms)})
		}
	}
	slices.SortFunc(in, func(a, b [2]float64) int { return cmpFloat(a[0], b[0]) })
	gap := (t1Ms - t0Ms) / maxSpans
	for _, b := range in {
		if k := len(s.iv) - 1; k >= 0 && b[0] <= s.iv[k][1]+gap {
			s.iv[k][1] = max(s.iv[k][1], b[1])
			continue
		}
		s.iv = append(s.iv, b)
	}
	for k := range s.iv {
		s.iv[k][0] /= 1000
		s.iv[k][1] /= 1000
	}
	return s, len(in)
}

// Plot implements plot.Plotter.
func (s *spans) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	px := vg.Inch / 96 // a pixel at gonum/plot's 96 dpi
	for _, v := range s.iv {
		x0, x1 := trX(v[0]), trX(v[1])
		if d := px - (x1 - x0); d > 0 {
			x0, x1 = x0-d/2, x1+d/2
		}
		c.FillPolygon(s.color, c.ClipPolygonX([]vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}}))
	}
}

// Thumbnail implements plot.Thumbnailer.
func (s *spans) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// chunkedLine is a line drawn as strokes of at most 32 segments. The
// rasteriser (golang/freetype) keeps the cells of a stroke in a sorted
// list per pixel row, so a stroke costs the square of its crossings of a
// row, and a noisy rate of 2,000 points crosses most rows a thousand
// times: as one stroke it took 1.8 s, in chunks 35 ms. The joins between
// chunks are not drawn, which shows little at thin widths.
type chunkedLine struct{ *plotter.Line }

// Plot implements plot.Plotter.
func (l chunkedLine) Plot(c draw.Canvas, p *plot.Plot) {
	const k = 32
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, 0, k+1)
	for i := 0; i+1 < len(l.XYs); i += k {
		pts = pts[:0]
		for _, xy := range l.XYs[i:min(i+k+1, len(l.XYs))] {
			pts = append(pts, vg.Point{X: trX(xy.X), Y: trY(xy.Y)})
		}
		c.StrokeLines(l.LineStyle, c.ClipLinesXY(pts)...)
	}
}

// vhLine is a horizontal line at y, or a vertical one at x, across the
// data area.
type vhLine struct {
	x, y     float64
	vertical bool
	style    draw.LineStyle
}

// Plot implements plot.Plotter.
func (l *vhLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pts := []vg.Point{{X: c.Min.X, Y: trY(l.y)}, {X: c.Max.X, Y: trY(l.y)}}
	if l.vertical {
		pts = []vg.Point{{X: trX(l.x), Y: c.Min.Y}, {X: trX(l.x), Y: c.Max.Y}}
	}
	c.StrokeLines(l.style, c.ClipLinesXY(pts)...)
}

// DataRange implements plot.DataRanger: the line's coordinate on its axis,
// nothing on the other.
func (l *vhLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	if l.vertical {
		return l.x, l.x, math.Inf(1), math.Inf(-1)
	}
	return math.Inf(1), math.Inf(-1), l.y, l.y
}

// Thumbnail implements plot.Thumbnailer.
func (l *vhLine) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

// refStyle is the style of reference lines: a dashed red.
func refStyle() draw.LineStyle {
	return draw.LineStyle{Color: refColor, Width: vg.Points(1.2), Dashes: dashes}
}

// panel returns a plot with a title and axis labels, with trimmed ticks.
func panel(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.X.Tick.Marker, p.Y.Tick.Marker = trimmedTicks{}, trimmedTicks{}
	return p
}

// headroom returns the factor by which to raise the top of a linear y
// axis starting at 0 so that the data stay under a legend of n entries:
// an entry takes about 9 % of the height of the figures' panels, and the
// box's margins 6 %.
func headroom(n int) float64 { return 1 / (1 - 0.06 - 0.09*float64(n)) }

// boxedLegend is a legend drawn in the top right corner of the data area
// on a white box, so that it stays readable over shading; added last, it
// is drawn over the data. (gonum/plot's own legend has no background and
// overhangs the data area by the axis' padding.)
type boxedLegend struct {
	names  []string
	thumbs []plot.Thumbnailer
}

// newLegend returns a legend of one entry; add adds more.
func newLegend(name string, t plot.Thumbnailer) *boxedLegend {
	return new(boxedLegend).add(name, t)
}

// add adds an entry to l and returns l.
func (l *boxedLegend) add(name string, t plot.Thumbnailer) *boxedLegend {
	l.names = append(l.names, name)
	l.thumbs = append(l.thumbs, t)
	return l
}

// Plot implements plot.Plotter.
func (l *boxedLegend) Plot(c draw.Canvas, p *plot.Plot) {
	if len(l.names) == 0 {
		return
	}
	sty := p.Legend.TextStyle
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	pad := vg.Points(4)
	thumb := p.Legend.ThumbnailWidth
	gap := sty.Width(" ")
	row := sty.FontExtents().Height
	var text vg.Length
	for _, n := range l.names {
		text = max(text, sty.Width(n))
	}
	w := 2*pad + thumb + gap + text
	h := 2*pad + vg.Length(len(l.names))*row
	x1, y1 := c.Max.X-pad, c.Max.Y-pad
	x0, y0 := x1-w, y1-h
	box := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
	c.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xe6}, box)
	c.StrokeLines(draw.LineStyle{Color: color.Gray{0xbb}, Width: vg.Points(0.5)}, append(box, box[0]))
	for i, name := range l.names {
		top := y1 - pad - vg.Length(i)*row
		icon := &draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x0 + pad, Y: top - 0.85*row},
			Max: vg.Point{X: x0 + pad + thumb, Y: top - 0.15*row},
		}}
		l.thumbs[i].Thumbnail(icon)
		c.FillText(sty, vg.Point{X: x0 + pad + thumb + gap, Y: top - row/2}, name)
	}
}

// empty writes note in the middle of an otherwise blank panel.
func empty(p *plot.Plot, note string) {
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: 0.5, Y: 0.5}}, Labels: []string{note}})
	if err != nil {
		panic(err) // one point and one label: cannot happen
	}
	l.TextStyle[0].XAlign, l.TextStyle[0].YAlign = draw.XCenter, draw.YCenter
	l.TextStyle[0].Color = color.Gray{0x60}
	p.Add(l)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks{}, plot.ConstantTicks{}
}

// histogram returns the histogram of bins in the figures' bar colours.
func histogram(bins []plotter.HistogramBin) *plotter.Histogram {
	return &plotter.Histogram{
		Bins:      bins,
		Width:     1, // unused by Plot; documents that the bins carry their own widths
		FillColor: barColor,
		LineStyle: draw.LineStyle{Color: barEdge, Width: vg.Points(0.5)},
	}
}

// linearBins counts v (NaNs left out) in equal bins of a round width (1,
// 2 or 5 times a power of ten) from lo, about n of them up to hi, the last
// one holding hi.
func linearBins(v []float64, lo, hi float64, n int) []plotter.HistogramBin {
	w := roundUp((hi - lo) / float64(n))
	nb := int(math.Floor((hi-lo)/w)) + 1
	bins := make([]plotter.HistogramBin, nb)
	for k := range bins {
		bins[k].Min, bins[k].Max = lo+float64(k)*w, lo+float64(k+1)*w
	}
	for _, x := range v {
		if !math.IsNaN(x) {
			bins[min(max(int((x-lo)/w), 0), nb-1)].Weight++
		}
	}
	return bins
}

// roundUp returns the smallest of 1, 2 and 5 times a power of ten at or
// above x > 0.
func roundUp(x float64) float64 {
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*e >= x*(1-1e-12) {
			return m * e
		}
	}
	return 10 * e
}

// median returns the median of v (not empty, no NaN), leaving v
// unchanged.
func median(v []float64) float64 {
	s := slices.Clone(v)
	m := len(s) / 2
	upper := nth(s, m)
	if len(s)%2 == 1 {
		return upper
	}
	return (slices.Max(s[:m]) + upper) / 2 // s[:m] holds the m smallest
}

// nth reorders s (no NaN) so that s[k] is its k-th smallest value (from 0),
// with no larger value before it and no smaller one after, and returns
// it: a quickselect with three-way partitions around a median of three,
// O(len(s)) on average, that sorts what remains after 2·log2(len(s))
// rounds so that it stays O(n log n) at worst.
func nth(s []float64, k int) float64 {
	lo, hi := 0, len(s) // s[k] is in s[lo:hi]; s[:lo] <= s[lo:hi] <= s[hi:]
	for rounds := 2 * bits.Len(uint(len(s))); hi-lo > 16 && rounds > 0; rounds-- {
		a, b, c := s[lo], s[lo+(hi-lo)/2], s[hi-1]
		p := max(min(a, b), min(max(a, b), c))
		// s[lo:lt] < p, s[lt:i] == p, s[gt:hi] > p
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch {
			case s[i] < p:
				s[lt], s[i] = s[i], s[lt]
				lt++
				i++
			case s[i] > p:
				gt--
				s[gt], s[i] = s[i], s[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return p
		}
	}
	slices.Sort(s[lo:hi])
	return s[k]
}

// figure draws a grid of panels (rows of equal length) under a title on a
// w x h figure and writes it as a PNG.
func figure(path, title string, w, h vg.Length, panels [][]*plot.Plot) error {
	img := vgimg.New(w, h)
	dc := draw.New(img)
	if title != "" {
		sty := plot.New().Title.TextStyle
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		pad := 0.08 * vg.Inch
		dc.FillText(sty, vg.Point{X: w / 2, Y: h - pad}, title)
		dc.Max.Y -= sty.Height(title) + 2*pad
	}
	cs := plot.Align(panels, draw.Tiles{
		Rows: len(panels), Cols: len(panels[0]),
		PadX: 0.3 * vg.Inch, PadY: 0.2 * vg.Inch,
		PadTop: 0.05 * vg.Inch, PadBottom: 0.05 * vg.Inch, PadLeft: 0.05 * vg.Inch, PadRight: 0.15 * vg.Inch,
	}, dc)
	for i, row := range panels {
		for j, p := range row {
			p.Draw(cs[i][j])
		}
	}
	return atomicfile.Write(path, func(f io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(f)
		return err
	})
}

// countTicks are trimmedTicks on an axis of counts: labels at fractions
// ("0.5 bursts") are dropped, their ticks kept as minor ones.
type countTicks struct{}

// Ticks implements plot.Ticker.
func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := trimmedTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Value != math.Trunc(t.Value) {
			ticks[i].Label = ""
		}
	}
	return ticks
}

// logTicks label a log axis at the powers of ten, and at 2 and 5 times
// them when the axis spans less than three decades, with minor ticks at
// the other multiples; on an axis of more than eight decades only every
// few powers of ten are labelled.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= lo {
		return nil
	}
	decades := math.Log10(hi / lo)
	every := max(1, int(math.Ceil(decades/8)))
	var ticks []plot.Tick
	for e := int(math.Floor(math.Log10(lo))); e <= int(math.Ceil(math.Log10(hi))); e++ {
		base := math.Pow(10, float64(e))
		for m := 1; m < 10; m++ {
			v := float64(m) * base
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if (m == 1 && e%every == 0) || (decades < 3 && (m == 2 || m == 5)) || decades < 0.7 {
				t.Label = logLabel(m, e)
			}
			if m > 1 && decades > 8 {
				continue // no minor ticks on a crowded axis
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// logLabel formats m·10^e as a plain number ("0.0002", "500", "10000")
// within 4 decades of 1, and beyond with a power of ten ("10⁵", "2×10⁶")
// or, below 1, in e notation ("1e-5"): the fonts have no superscript minus.
func logLabel(m, e int) string {
	switch {
	case e < -4:
		return strconv.Itoa(m) + "e" + strconv.Itoa(e)
	case e <= 4:
		return strconv.FormatFloat(float64(m)*math.Pow(10, float64(e)), 'f', max(0, -e), 64)
	}
	const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	var b []rune
	if m != 1 {
		b = append(b, rune('0'+m), '×')
	}
	b = append(b, '1', '0')
	for _, d := range strconv.Itoa(e) {
		b = append(b, []rune(sup)[d-'0'])
	}
	return string(b)
}

// count returns n and the noun, plural unless n is 1: "1 burst",
// "12,000 bursts".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

// thousands formats n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ordinal returns "2nd", "3rd", "11th" and so on.
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// sig3 formats v rounded to 3 significant digits without an exponent:
// "0.00731", "4.56", "5000".
func sig3(v float64) string {
	if v == 0 || !finite(v) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(v))))
	return strconv.FormatFloat(math.Round(v*p)/p, 'f', -1, 64)
}

// formatMs formats a duration in ms as "50 ms" or, from a second, "1.5 s".
func formatMs(ms float64) string {
	if ms >= 1000 {
		return sig3(ms/1000) + " s"
	}
	return sig3(ms) + " ms"
}

var (
	_ plot.Thumbnailer = (*spans)(nil)
	_ plot.Plotter     = (*boxedLegend)(nil)
	_ plot.DataRanger  = (*vhLine)(nil)
	_ plot.Thumbnailer = (*vhLine)(nil)
)
