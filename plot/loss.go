package plot

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/bl1-go/bl1/internal/atomicfile"
)

// Loss plots the loss of each iteration of a fit on a logarithmic axis
// (non-positive values are left out) with, on a second panel, each fitted
// parameter relative to its starting value. values[k] holds the
// parameters of iteration k, in the order of names.
func Loss(path, title string, loss []float64, names []string, values [][]float64) error {
	if len(loss) == 0 {
		return errors.New("plot: no iterations to plot")
	}
	if len(values) != len(loss) {
		return fmt.Errorf("plot: %d loss values and %d parameter rows", len(loss), len(values))
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "iteration"
	p.Y.Label.Text = "loss"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	var pts plotter.XYs
	for k, l := range loss {
		if l > 0 && !math.IsInf(l, 0) {
			pts = append(pts, plotter.XY{X: float64(k), Y: l})
		}
	}
	if len(pts) > 0 {
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color = color.Gray{0x20}
		l.Width = vg.Points(1)
		p.Add(l)
	}

	q := plot.New()
	q.X.Label.Text = "iteration"
	q.Y.Label.Text = "value / start"
	palette := []color.Color{ExcColor, InhColor, color.RGBA{0x1b, 0x9e, 0x77, 0xff}, color.RGBA{0xd9, 0x5f, 0x02, 0xff}, color.RGBA{0x75, 0x70, 0xb3, 0xff}}
	for j, name := range names {
		start := values[0][j]
		if start == 0 {
			start = 1
		}
		pts := make(plotter.XYs, len(values))
		for k, v := range values {
			if len(v) != len(names) {
				return fmt.Errorf("plot: iteration %d has %d parameters, want %d", k, len(v), len(names))
			}
			pts[k] = plotter.XY{X: float64(k), Y: v[j] / start}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color = palette[j%len(palette)]
		l.Width = vg.Points(1)
		q.Add(l)
		q.Legend.Add(name, l)
	}
	q.Legend.Top = true
	img := vgimg.New(8*vg.Inch, 6*vg.Inch)
	dc := draw.New(img)
	cs := plot.Align([][]*plot.Plot{{p}, {q}}, draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(6)}, dc)
	p.Draw(cs[0][0])
	q.Draw(cs[1][0])
	return atomicfile.Write(path, func(f io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(f)
		return err
	})
}
