package monitor

import (
	"image"
	"image/color"
	"testing"

	"github.com/bl1-go/bl1/mea"
	"github.com/bl1-go/bl1/plot"
)

// bbox returns the bounding box of the pixels of img within r that are
// within tol of c, and how many there are.
func bbox(img *image.RGBA, r image.Rectangle, c color.RGBA, tol int) (image.Rectangle, int) {
	var box image.Rectangle
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.RGBAAt(x, y)
			if abs(int(p.R)-int(c.R)) <= tol && abs(int(p.G)-int(c.G)) <= tol && abs(int(p.B)-int(c.B)) <= tol {
				box = box.Union(image.Rect(x, y, x+1, y+1))
				n++
			}
		}
	}
	return box, n
}

// cl1Snapshot is a window of 10 bins in which channel hot has 50 events in
// every bin, channel warm 20 and the others none.
func cl1Snapshot(hot, warm int32) *Snapshot {
	l := mea.CL1(1500, 1500)
	s := &Snapshot{Step: 199, DtMs: 0.5, BinSteps: 20, Layout: l, NExc: 80, NInh: 20, Shown: 2, RowExc: []bool{true, false}}
	for k := range l.Len() {
		if l.Usable(k) {
			s.Channels = append(s.Channels, int32(k))
		}
	}
	for b := range 10 {
		s.Exc, s.Inh = append(s.Exc, int32(8*b)), append(s.Inh, int32(5*b))
		for _, c := range s.Channels {
			v := int32(0)
			switch c {
			case hot:
				v = 50
			case warm:
				v = 20
			}
			s.Events = append(s.Events, v)
		}
	}
	s.RasterStep, s.RasterRow = []int64{100, 150}, []int32{0, 1}
	return s
}

// The heat map shows the array from above with y up, as mea_heatmap.png:
// channel 8 (column 0, row 1) is the hottest, yellow, at the bottom left;
// channel 62 (column 6, row 7) is darker, at the top right; the 5 grounded
// and reference electrodes are grey cells of the same size.
func TestHeatmap(t *testing.T) {
	r := NewRenderer(Options{WindowMs: 100, HeatmapMs: 100})
	img := r.Draw(Heatmap, cl1Snapshot(8, 62), nil)
	yellow := plot.Viridis(256)[255]
	mid := plot.Viridis(256)[102] // round(20/50·255)
	area := image.Rect(0, 20, r.W-80, r.H)
	hot, nHot := bbox(img, area, yellow, 2)
	warm, nWarm := bbox(img, area, mid, 2)
	if nHot == 0 || nWarm == 0 {
		t.Fatalf("hot %d px, warm %d px", nHot, nWarm)
	}
	if !(hot.Min.X < warm.Min.X && hot.Min.Y > warm.Min.Y) {
		t.Errorf("channel 8 at %v, channel 62 at %v: want 8 left of and below 62", hot, warm)
	}
	cell := hot.Dx() + 2 // cells are 2 pixels apart
	if hot.Dy()+2 != cell || abs(warm.Min.X-hot.Min.X-6*cell) > 1 || abs(hot.Min.Y-warm.Min.Y-6*cell) > 1 {
		t.Errorf("cells of %d px: 8 at %v, 62 at %v, want 6 cells apart each way", cell, hot, warm)
	}
	if _, n := bbox(img, area, plot.UnshownColor, 0); n < 5*(cell-6)*(cell-6) || n > 5*cell*cell {
		t.Errorf("%d grey pixels, want 5 cells of %d²", n, cell-2)
	}
	// No array: a message, not a panic.
	s := cl1Snapshot(8, 62)
	s.Layout = nil
	r.Draw(Heatmap, s, nil)
}

// The raster puts an excitatory (blue) and an inhibitory (red) dot; the
// rate plot draws its lines; the mountain plot fills its layers; the
// composite has all of them and the statistics.
func TestPanels(t *testing.T) {
	r := NewRenderer(Options{WindowMs: 100, HeatmapMs: 100})
	s := cl1Snapshot(27, 28)
	s.Groups, s.GroupNames = [][]int32{{0, 1}, {20, 21}}, []string{"a", "b"}
	img := r.Draw(Activity, s, nil)
	if _, n := bbox(img, img.Bounds(), plot.ExcColor, 0); n != 4 {
		t.Errorf("%d excitatory raster pixels, want one 2x2 dot", n)
	}
	if _, n := bbox(img, img.Bounds(), plot.InhColor, 0); n != 4 {
		t.Errorf("%d inhibitory raster pixels, want one 2x2 dot", n)
	}
	img = r.Draw(Rate, s, nil)
	for _, c := range []color.RGBA{black, plot.ExcColor, plot.InhColor} {
		if _, n := bbox(img, image.Rect(48, 41, r.W-8, r.H-22), c, 0); n < 50 {
			t.Errorf("rate line %v: %d pixels", c, n)
		}
	}
	img = r.Draw(All, s, []string{"cl1.replies: 7"})
	if img.Bounds().Size() != image.Pt(2*r.W, 2*r.H) {
		t.Fatalf("composite %v", img.Bounds())
	}
	if _, n := bbox(img, image.Rect(r.W, r.H, 2*r.W, 2*r.H), black, 40); n < 100 {
		t.Errorf("statistics quadrant: %d dark pixels", n)
	}
	// Before the first step the panels are empty frames.
	empty := &Snapshot{Step: -1, DtMs: 0.5, BinSteps: 20}
	for p := range numPanels {
		r.Draw(p, empty, nil)
	}
}
