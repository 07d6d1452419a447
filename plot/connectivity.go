package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LinkColor draws the links of a functional graph (ColorBrewer Reds).
var LinkColor = color.RGBA{0xcb, 0x18, 0x1d, 0xff}

// Links draws a directed functional graph on the units' positions (x, y in
// µm, equal scale): every unit a disc coloured by value (its degree, say)
// on the viridis scale with a colour bar labelled unit, units with shown
// false grey (not analysed, e.g. unrecorded electrodes); every link
// from[k] → to[k] an arrow under the discs, its width and opacity growing
// with weight[k] (relative to the largest). Discs are 0.8 times the
// smallest distance between two units across.
func Links(path, title string, x, y, value []float64, shown []bool, from, to []int, weight []float64, unit string) error {
	n := len(x)
	if n == 0 || len(y) != n || len(value) != n || len(shown) != n {
		return fmt.Errorf("plot: links map has %d x, %d y, %d values and %d shown flags, want equal lengths > 0", n, len(y), len(value), len(shown))
	}
	if len(to) != len(from) || len(weight) != len(from) {
		return fmt.Errorf("plot: links map has %d sources, %d targets and %d weights", len(from), len(to), len(weight))
	}
	vmax, wmax := 0.0, 0.0
	for i := range n {
		if !finite(x[i]) || !finite(y[i]) {
			return fmt.Errorf("plot: unit %d at (%g, %g) µm: position not finite", i, x[i], y[i])
		}
		if shown[i] {
			if !finite(value[i]) || value[i] < 0 {
				return fmt.Errorf("plot: unit %d has value %g: want a finite value >= 0", i, value[i])
			}
			vmax = max(vmax, value[i])
		}
	}
	for k := range from {
		if from[k] < 0 || from[k] >= n || to[k] < 0 || to[k] >= n || from[k] == to[k] {
			return fmt.Errorf("plot: link %d from %d to %d: need distinct units in [0, %d)", k, from[k], to[k], n)
		}
		if !finite(weight[k]) || weight[k] < 0 {
			return fmt.Errorf("plot: link %d has weight %g: want a finite value >= 0", k, weight[k])
		}
		wmax = max(wmax, weight[k])
	}
	if vmax == 0 {
		vmax = 1
	}
	cm, lut, err := viridis(vmax)
	if err != nil {
		return err
	}
	d, err := minDistance(x, y)
	if err != nil {
		return err
	}
	r := 0.4 * d
	p := plot.New()
	p.X.Label.Text = "x (µm)"
	p.Y.Label.Text = "y (µm)"
	p.X.Tick.Marker, p.Y.Tick.Marker = trimmedTicks{}, trimmedTicks{}
	// Weakest links first, so that the strong ones stay on top.
	order := make([]int, len(from))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(weight[a], weight[b]) })
	arrows := &arrowPlotter{r: r}
	for _, k := range order {
		f := 1.0
		if wmax > 0 {
			f = weight[k] / wmax
		}
		arrows.a = append(arrows.a, arrow{x[from[k]], y[from[k]], x[to[k]], y[to[k]], f})
	}
	p.Add(arrows)
	p.Add(discs(x, y, r, shown, func(i int) color.RGBA {
		if !shown[i] {
			return UnshownColor
		}
		return lut.at(value[i])
	}))
	return saveWithBar(path, title, p, colorBar(cm, unit))
}

type arrow struct{ x0, y0, x1, y1, f float64 }

// arrowPlotter draws arrows between disc centres, ending at the target's
// rim (r µm from its centre), in LinkColor with opacity and width by f.
type arrowPlotter struct {
	a []arrow
	r float64
}

// Plot implements plot.Plotter.
func (ap *arrowPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	rPt := trX(ap.r) - trX(0)
	for _, a := range ap.a {
		x0, y0 := trX(a.x0), trY(a.y0)
		x1, y1 := trX(a.x1), trY(a.y1)
		dx, dy := x1-x0, y1-y0
		l := vg.Length(math.Hypot(float64(dx), float64(dy)))
		if l <= 2*rPt {
			continue
		}
		ux, uy := dx/l, dy/l
		tip := vg.Point{X: x1 - ux*rPt, Y: y1 - uy*rPt}
		col := LinkColor
		col.A = uint8(60 + 195*a.f)
		// Premultiplied alpha, as image/color wants.
		col.R, col.G, col.B = uint8(float64(col.R)*float64(col.A)/255), uint8(float64(col.G)*float64(col.A)/255), uint8(float64(col.B)*float64(col.A)/255)
		w := vg.Points(0.4 + 1.6*a.f)
		c.StrokeLine2(draw.LineStyle{Color: col, Width: w}, x0+ux*rPt, y0+uy*rPt, tip.X, tip.Y)
		head := min(vg.Points(6), l/4)
		var path vg.Path
		path.Move(tip)
		path.Line(vg.Point{X: tip.X - ux*head - uy*head/2, Y: tip.Y - uy*head + ux*head/2})
		path.Line(vg.Point{X: tip.X - ux*head + uy*head/2, Y: tip.Y - uy*head - ux*head/2})
		path.Close()
		c.SetColor(col)
		c.Fill(path)
	}
}

// DataRange implements plot.DataRanger.
func (ap *arrowPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, a := range ap.a {
		xmin, xmax = min(xmin, a.x0, a.x1), max(xmax, a.x0, a.x1)
		ymin, ymax = min(ymin, a.y0, a.y1), max(ymax, a.y0, a.y1)
	}
	if len(ap.a) == 0 {
		return 0, 0, 0, 0
	}
	return xmin, xmax, ymin, ymax
}

// Matrix draws an n × n matrix (row-major, m[i*n+j] in row i, column j) as
// a heat map on the viridis scale from 0 to its largest finite value, with
// a colour bar labelled unit: rows are sources (ylabel), columns targets
// (xlabel), row 0 at the top. NaN cells (the diagonal, say) are grey;
// cells with mark set carry a white dot (significant links). labels (n, or
// nil for the indices) name the units on both axes, at most about 16 of
// them.
func Matrix(path, title, xlabel, ylabel string, m []float64, n int, labels []string, mark []bool, unit string) error {
	if n < 1 || len(m) != n*n {
		return fmt.Errorf("plot: matrix of %d values for %d × %d units", len(m), n, n)
	}
	if mark != nil && len(mark) != n*n {
		return fmt.Errorf("plot: matrix has %d marks for %d cells", len(mark), n*n)
	}
	if labels != nil && len(labels) != n {
		return fmt.Errorf("plot: matrix has %d labels for %d units", len(labels), n)
	}
	vmax := 0.0
	for k, v := range m {
		if math.IsInf(v, 0) || v < 0 {
			return fmt.Errorf("plot: matrix cell (%d, %d) is %g: want a finite value >= 0 or NaN", k/n, k%n, v)
		}
		if !math.IsNaN(v) {
			vmax = max(vmax, v)
		}
	}
	if vmax == 0 {
		vmax = 1
	}
	cm, lut, err := viridis(vmax)
	if err != nil {
		return err
	}
	s := max(1, (800+n-1)/n) // pixels per cell
	img := image.NewRGBA(image.Rect(0, 0, n*s, n*s))
	for i := range n {
		for j := range n {
			col := UnshownColor
			if v := m[i*n+j]; !math.IsNaN(v) {
				col = lut.at(v)
			}
			for py := i * s; py < (i+1)*s; py++ {
				o := img.PixOffset(j*s, py)
				for px := range s {
					copy(img.Pix[o+4*px:], []uint8{col.R, col.G, col.B, col.A})
				}
			}
			if mark != nil && mark[i*n+j] && s >= 3 {
				c := s / 2
				for dy := -s / 6; dy <= s/6; dy++ {
					for dx := -s / 6; dx <= s/6; dx++ {
						img.SetRGBA(j*s+c+dx, i*s+c+dy, color.RGBA{0xff, 0xff, 0xff, 0xff})
					}
				}
			}
		}
	}
	p := plot.New()
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	// Cell (i, j) spans x ∈ [j, j+1), y ∈ [n−i−1, n−i): row 0 on top.
	p.Add(plotter.NewImage(img, 0, 0, float64(n), float64(n)))
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, float64(n), 0, float64(n)
	name := func(i int) string {
		if labels != nil {
			return labels[i]
		}
		return strconv.Itoa(i)
	}
	step := max(1, (n+15)/16)
	var xt, yt []plot.Tick
	for i := 0; i < n; i += step {
		xt = append(xt, plot.Tick{Value: float64(i) + 0.5, Label: name(i)})
		yt = append(yt, plot.Tick{Value: float64(n-i) - 0.5, Label: name(i)})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
	return saveWithBar(path, title, p, colorBar(cm, unit))
}
