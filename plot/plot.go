// Package plot draws the figures of a run with gonum/plot: the spike raster
// (excitatory neurons blue, inhibitory red) and the population rate. The
// raster is rasterised while the run goes, so it costs a fixed image
// whatever the number of spikes.
package plot

import (
	"fmt"
	"image"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/bl1-go/bl1/internal/atomicfile"
)

// Colours of excitatory and inhibitory neurons (ColorBrewer RdBu).
var (
	ExcColor = color.RGBA{0x21, 0x66, 0xac, 0xff}
	InhColor = color.RGBA{0xb2, 0x18, 0x2b, 0xff}
)

// Raster accumulates a spike raster image; it is an observer of a run.
type Raster struct {
	exc   []bool
	row   []int32 // image row of each neuron, -1 if not shown
	shown int
	img   *image.RGBA
	first int64
	steps int64
	dt    float64
}

// NewRaster prepares a raster of at most maxNeurons evenly spaced neurons
// (by index) over steps steps of dt ms starting at step first.
func NewRaster(exc []bool, maxNeurons int, first, steps int64, dt float64) *Raster {
	n := len(exc)
	shown := min(n, max(1, maxNeurons))
	r := &Raster{exc: exc, row: make([]int32, n), shown: shown, first: first, steps: max(steps, 1), dt: dt}
	for i := range r.row {
		r.row[i] = -1
	}
	for k := range shown {
		r.row[k*n/shown] = int32(k)
	}
	// About the plot area of a 10 x 5 inch figure at 96 dpi, so that a
	// spike stays visible after scaling.
	const w, h = 900, 400
	r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range r.img.Pix {
		r.img.Pix[i] = 0xff
	}
	return r
}

// Spikes implements the engine's observer.
func (r *Raster) Spikes(step int64, ids []int32) {
	b := r.img.Bounds()
	x := int((step - r.first) * int64(b.Dx()) / r.steps)
	if x < 0 || x >= b.Dx() {
		return
	}
	for _, i := range ids {
		k := r.row[i]
		if k < 0 {
			continue
		}
		y := b.Dy() - 1 - int(k)*b.Dy()/r.shown
		c := InhColor
		if r.exc[i] {
			c = ExcColor
		}
		// A 2 x 2 dot: single pixels vanish when the image is scaled.
		r.img.SetRGBA(x, y, c)
		r.img.SetRGBA(x+1, y, c)
		r.img.SetRGBA(x, y-1, c)
		r.img.SetRGBA(x+1, y-1, c)
	}
}

// Save writes the raster as a PNG.
func (r *Raster) Save(path, title string) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = fmt.Sprintf("neuron (%d of %d shown)", r.shown, len(r.exc))
	t0 := float64(r.first) * r.dt / 1000
	t1 := float64(r.first+r.steps) * r.dt / 1000
	p.Add(plotter.NewImage(r.img, t0, 0, t1, float64(len(r.exc))))
	p.X.Min, p.X.Max = t0, t1
	p.Y.Min, p.Y.Max = 0, float64(len(r.exc))
	p.Legend.Top = true
	for _, l := range []struct {
		name string
		c    color.Color
	}{{"excitatory", ExcColor}, {"inhibitory", InhColor}} {
		s, _ := plotter.NewScatter(plotter.XYs{})
		s.GlyphStyle = draw.GlyphStyle{Color: l.c, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Legend.Add(l.name, s)
	}
	return save(p, 10*vg.Inch, 5*vg.Inch, path)
}

// Rate plots the population rate in Hz of excitatory, inhibitory and all
// neurons from per-bin spike counts. Bins are merged so that the figure
// shows at most about 1,000 points (at least 5 ms each).
func Rate(path, title string, t0Ms, binMs float64, exc, inh []int32, nExc, nInh int) error {
	merge := max(1, len(exc)/1000, int(5/binMs))
	if merge > 1 {
		exc, inh = rebin(exc, merge), rebin(inh, merge)
		binMs *= float64(merge)
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = "rate (Hz)"
	line := func(name string, c color.Color, f func(i int) float64) error {
		pts := make(plotter.XYs, len(exc))
		for i := range pts {
			pts[i].X = (t0Ms + (float64(i)+0.5)*binMs) / 1000
			pts[i].Y = f(i)
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color = c
		l.Width = vg.Points(0.8)
		p.Add(l)
		p.Legend.Add(name, l)
		return nil
	}
	hz := func(count int32, n int) float64 {
		if n == 0 {
			return 0
		}
		return float64(count) / float64(n) / (binMs / 1000)
	}
	if err := line("all", color.Gray{0x30}, func(i int) float64 { return hz(exc[i]+inh[i], nExc+nInh) }); err != nil {
		return err
	}
	if nExc > 0 {
		if err := line("excitatory", ExcColor, func(i int) float64 { return hz(exc[i], nExc) }); err != nil {
			return err
		}
	}
	if nInh > 0 {
		if err := line("inhibitory", InhColor, func(i int) float64 { return hz(inh[i], nInh) }); err != nil {
			return err
		}
	}
	p.Legend.Top = true
	p.Y.Min = 0
	p.X.Min, p.X.Max = t0Ms/1000, (t0Ms+float64(len(exc))*binMs)/1000
	return save(p, 10*vg.Inch, 4*vg.Inch, path)
}

func save(p *plot.Plot, w, h vg.Length, path string) error {
	wt, err := p.WriterTo(w, h, "png")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(f io.Writer) error {
		_, err := wt.WriteTo(f)
		return err
	})
}

// rebin sums groups of k bins (a trailing partial group is dropped).
func rebin(x []int32, k int) []int32 {
	out := make([]int32, len(x)/k)
	for i := range out {
		for _, v := range x[i*k : (i+1)*k] {
			out[i] += v
		}
	}
	return out
}

// Weights plots how the distribution of weights moves over time: the 5th,
// 25th, 50th, 75th and 95th percentiles at each snapshot time (s).
func Weights(path, title string, t []float64, pct [][5]float64) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = "weight"
	names := [5]string{"5 %", "25 %", "median", "75 %", "95 %"}
	// Light blue for the outer percentiles, dark for the median
	// (ColorBrewer Blues).
	shades := [5]color.RGBA{{0x9e, 0xca, 0xe1, 0xff}, {0x42, 0x92, 0xc6, 0xff}, {0x08, 0x30, 0x6b, 0xff}, {0x42, 0x92, 0xc6, 0xff}, {0x9e, 0xca, 0xe1, 0xff}}
	for k := range 5 {
		pts := make(plotter.XYs, len(t))
		for i := range t {
			pts[i].X, pts[i].Y = t[i], pct[i][k]
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color = shades[k]
		l.Width = vg.Points(1.5)
		if k == 2 {
			l.Width = vg.Points(2.5)
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.Color = l.Color
		p.Add(l, s)
		p.Legend.Add(names[k], l)
	}
	p.Legend.Top = true
	return save(p, 8*vg.Inch, 4*vg.Inch, path)
}
