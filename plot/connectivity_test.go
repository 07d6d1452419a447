package plot_test

import (
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/bl1-go/bl1/plot"
)

// count returns the pixels of img within tol of c.
func count(img image.Image, c [3]uint8, tol int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if close3(rgb(img, x, y), c, tol) {
				n++
			}
		}
	}
	return n
}

// viridis ends: dark purple at 0, yellow at the maximum.
var (
	viridis0 = [3]uint8{0x44, 0x01, 0x54}
	viridis1 = [3]uint8{0xfd, 0xe7, 0x25}
	grey     = [3]uint8{plot.UnshownColor.R, plot.UnshownColor.G, plot.UnshownColor.B}
)

// The heat map shows the largest cell in yellow, zeros in purple, NaN in
// grey.
func TestMatrix(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.png")
	nan := math.NaN()
	m := []float64{
		nan, 0, 0, 0,
		0, nan, 0.5, 0,
		0, 0, nan, 0,
		2, 0, 0, nan,
	}
	mark := make([]bool, 16)
	mark[3*4+0] = true
	if err := plot.Matrix(path, "TE", "target", "source", m, 4, []string{"a", "b", "c", "d"}, mark, "bits"); err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, path)
	yellow, purple, nanPx := count(img, viridis1, 8), count(img, viridis0, 8), count(img, grey, 4)
	// One yellow cell (less its dot) and its colour bar end; four grey
	// cells; ten purple cells.
	if yellow == 0 || purple < 5*yellow || nanPx < 3*yellow {
		t.Errorf("pixels: %d yellow, %d purple, %d grey", yellow, purple, nanPx)
	}
	for _, bad := range []struct {
		m    []float64
		n    int
		mark []bool
	}{{m[:15], 4, nil}, {[]float64{math.Inf(1)}, 1, nil}, {[]float64{-1}, 1, nil}, {m, 4, mark[:3]}} {
		if err := plot.Matrix(path, "", "", "", bad.m, bad.n, nil, bad.mark, ""); err == nil {
			t.Errorf("%v: no error", bad.m)
		}
	}
}

// The links map draws arrows in the link colour between the discs, and
// discs in the value colours (the unit of the largest value yellow).
func TestLinks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.png")
	x := []float64{0, 1000, 0, 1000}
	y := []float64{0, 0, 1000, 1000}
	deg := []float64{1, 2, 0, 0}
	shown := []bool{true, true, true, false}
	err := plot.Links(path, "links", x, y, deg, shown, []int{0, 1}, []int{1, 0}, []float64{0.1, 0.2}, "degree")
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, path)
	red := [3]uint8{plot.LinkColor.R, plot.LinkColor.G, plot.LinkColor.B}
	if n := count(img, red, 40); n < 50 {
		t.Errorf("%d link pixels", n)
	}
	if count(img, viridis1, 8) == 0 || count(img, grey, 4) == 0 {
		t.Error("no yellow or grey disc")
	}
	for _, bad := range [][]int{{0, 4}, {2, 2}} {
		if err := plot.Links(path, "", x, y, deg, shown, bad[:1], bad[1:], []float64{1}, ""); err == nil {
			t.Errorf("link %v: no error", bad)
		}
	}
	if err := plot.Links(path, "", x[:3], y, deg, shown, nil, nil, nil, ""); err == nil {
		t.Error("unequal lengths: no error")
	}
}

// A transfer-entropy matrix of three channels, the significant link 0 → 2
// marked.
func ExampleMatrix() {
	dir, err := os.MkdirTemp("", "matrix")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	nan := math.NaN()
	te := []float64{nan, 0.001, 0.02, 0.002, nan, 0.001, 0, 0.003, nan} // bits, [source*3 + target]
	mark := []bool{false, false, true, false, false, false, false, false, false}
	err = plot.Matrix(filepath.Join(dir, "te.png"), "transfer entropy", "target", "source", te, 3, []string{"ch 3", "ch 17", "ch 42"}, mark, "TE (bits)")
	fmt.Println("error:", err)
	// Output: error: <nil>
}

// Two significant links between three electrodes 200 µm apart, coloured by
// degree.
func ExampleLinks() {
	dir, err := os.MkdirTemp("", "links")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	x, y := []float64{0, 200, 400}, []float64{0, 0, 0} // µm
	degree := []float64{1, 2, 1}
	shown := []bool{true, true, true}
	err = plot.Links(filepath.Join(dir, "links.png"), "functional links", x, y, degree, shown, []int{0, 1}, []int{1, 2}, []float64{0.02, 0.01}, "degree")
	fmt.Println("error:", err)
	// Output: error: <nil>
}
