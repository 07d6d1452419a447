package plot_test

import (
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/bl1-go/bl1/plot"
)

// decodePNG returns the image of the PNG file at path.
func decodePNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// rgb returns the 8-bit colour of img at (x, y).
func rgb(img image.Image, x, y int) [3]uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

func close3(a, b [3]uint8, tol int) bool {
	for i := range a {
		if d := int(a[i]) - int(b[i]); d > tol || d < -tol {
			return false
		}
	}
	return true
}

var (
	white = [3]uint8{0xff, 0xff, 0xff}
	// faint is the shading of a burst behind spikes or the rate, BurstColor
	// at about 30 % over white (burstFaint in validation.go).
	faint = [3]uint8{0xc7, 0xe9, 0xc0}
	band  = [3]uint8{plot.BurstColor.R, plot.BurstColor.G, plot.BurstColor.B}
)

// size checks that the image at path is w x h pixels: inches at gonum/plot's
// 96 dpi.
func size(t *testing.T, path string, w, h int) image.Image {
	t.Helper()
	img := decodePNG(t, path)
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("%s is %v, want %d x %d", filepath.Base(path), b, w, h)
	}
	return img
}

// A burst over the middle fifth of the recording shades the middle of the
// figure and nothing a quarter of the width to either side.
func TestBurstRate(t *testing.T) {
	dir := t.TempDir()
	rate := make([]float64, 10_000) // 10 s of 1 ms bins
	for i := range rate {
		rate[i] = 1
	}
	path := filepath.Join(dir, "rate.png")
	if err := plot.BurstRate(path, "rate", 0, 1, rate, [][2]float64{{4000, 6000}}, 0); err != nil {
		t.Fatal(err)
	}
	img := size(t, path, 960, 384) // 10 x 4 inches
	y := img.Bounds().Dy() / 2     // under the rate line, at 1/1.4 of the axis
	if c := rgb(img, 480, y); c != faint {
		t.Errorf("middle of the burst is %v, want the burst shading %v", c, faint)
	}
	for _, x := range []int{240, 720} {
		if c := rgb(img, x, y); c != white {
			t.Errorf("pixel (%d, %d) outside the burst is %v, want white", x, y, c)
		}
	}

	// One bin of 1e6 at 100 Hz survives the merging into 2,000 points (the
	// maximum of each group of 500 bins, not their mean of 0.2 Hz): the
	// line reaches the upper half of the figure.
	rate = make([]float64, 1_000_000)
	rate[500_123] = 100
	if err := plot.BurstRate(path, "peak", 0, 0.5, rate, nil, 20); err != nil {
		t.Fatal(err)
	}
	img = decodePNG(t, path)
	b := img.Bounds()
	dark := 0
	for y := b.Dy() * 3 / 10; y < b.Dy()/2; y++ {
		for x := b.Dx() / 5; x < b.Dx()*4/5; x++ {
			if c := rgb(img, x, y); c[0] < 0x80 && c[1] < 0x80 && c[2] < 0x80 {
				dark++
			}
		}
	}
	if dark == 0 {
		t.Error("a one-bin peak in 1e6 bins was lost in the merging")
	}

	// Empty, overlapping, unsorted and out-of-window bursts are fine.
	for _, bursts := range [][][2]float64{nil, {{9000, 9500}, {100, 900}, {800, 1200}, {-50, -10}, {2e4, 3e4}, {3000, 3000}}} {
		if err := plot.BurstRate(path, "bursts", 0, 1, rate[:10_000], bursts, 0.5); err != nil {
			t.Fatal(err)
		}
	}
}

// A burst over the middle fifth of the window shades its columns and
// marks the burst row; columns away from it stay white.
func TestBurstRaster(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "raster.png")
	// One event on each row at 100 ms, away from the middle of the figure.
	tMs := []float64{100, 100, 100, 100}
	row := []int32{0, 1, 2, 3}
	if err := plot.BurstRaster(path, "raster", tMs, row, 4, []string{"a", "b", "c", "d"}, 0, 1000, [][2]float64{{400, 600}}); err != nil {
		t.Fatal(err)
	}
	img := size(t, path, 960, 288) // 10 x 3 inches: few rows take the minimum height
	b := img.Bounds()
	y := b.Dy() / 2
	if c := rgb(img, 480, y); c != faint {
		t.Errorf("middle of the burst is %v, want the burst shading %v", c, faint)
	}
	for _, x := range []int{300, 700} {
		if c := rgb(img, x, y); c != white {
			t.Errorf("pixel (%d, %d) outside the burst is %v, want white", x, y, c)
		}
	}
	marked := false
	for y := range b.Dy() / 4 {
		marked = marked || close3(rgb(img, 480, y), band, 8)
	}
	if !marked {
		t.Error("no burst mark in the top quarter of the figure above the burst")
	}

	// Many rows, many events, nil labels, bursts outside the window.
	n := 100_000
	tMs, row = make([]float64, n), make([]int32, n)
	for k := range tMs {
		tMs[k] = float64(k) / float64(n) * 60_000
		row[k] = int32(k * 7919 % 500)
	}
	if err := plot.BurstRaster(path, "500 units", tMs, row, 500, nil, 0, 60_000, [][2]float64{{-10, -5}, {1000, 1000}, {59_990, 70_000}}); err != nil {
		t.Fatal(err)
	}
	size(t, path, 960, 576) // 6 inches, the maximum height
}

func TestISIDistribution(t *testing.T) {
	dir := t.TempDir()
	nan := math.NaN()
	for _, c := range []struct {
		name string
		isi  []float64
		cv   []float64
	}{
		{"full", []float64{1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 0}, []float64{0.5, 1, 1.5, nan, 3}},
		{"one interval", []float64{7}, []float64{1}},
		{"equal intervals", []float64{7, 7, 7}, []float64{1, 1}},
		{"only zeros", []float64{0, 0}, nil},
		{"empty", nil, []float64{nan}},
	} {
		path := filepath.Join(dir, c.name+".png")
		if err := plot.ISIDistribution(path, c.name, c.isi, c.cv); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		size(t, path, 960, 384) // 10 x 4 inches
	}
}

func TestBurstStats(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name           string
		dur, ibi, recr []float64
	}{
		{"full", []float64{120, 300, 250, 410}, []float64{4.2, 6.1, 3.3}, []float64{0.4, 0.9, 1, 0}},
		{"one burst", []float64{200}, nil, []float64{0.5}},
		{"equal", []float64{200, 200}, []float64{5}, []float64{0.5, 0.5}},
		{"zeros", []float64{0, 0}, []float64{0}, []float64{0, 0}},
		{"intervals only", nil, []float64{1, 2}, nil},
		{"empty", nil, nil, nil},
	} {
		path := filepath.Join(dir, c.name+".png")
		if err := plot.BurstStats(path, c.name, c.dur, c.ibi, c.recr); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		size(t, path, 960, 720) // 10 x 7.5 inches
	}
}

func TestAvalanches(t *testing.T) {
	dir := t.TempDir()
	sizes := []int{1, 1, 1, 1, 2, 2, 3, 5, 8, 40}
	durs := []int{1, 1, 2, 2, 3, 4}
	for _, c := range []struct {
		name         string
		sizes, durs  []int
		sa           float64
		smin         int
		da           float64
		dmin         int
		wantFitLines bool
	}{
		{"fits", sizes, durs, 1.5, 1, 2, 2, true},
		{"no fits", sizes, durs, math.NaN(), 0, 0, 0, false},
		{"negative alpha", sizes, durs, -1, 0, -3, 0, false},
		{"single value", []int{1, 1, 1}, []int{3}, 2.5, 1, 2, 3, true},
		{"empty", nil, nil, 1.5, 1, math.NaN(), 0, false},
	} {
		path := filepath.Join(dir, c.name+".png")
		if err := plot.Avalanches(path, c.name, c.sizes, c.durs, c.sa, c.smin, c.da, c.dmin); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		size(t, path, 960, 432) // 10 x 4.5 inches
	}
}

// Invalid input is an error that names what is wrong, and no file is
// written.
func TestValidationInvalid(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	rate := []float64{1, 2, 3}
	tMs := []float64{1, 2}
	row := []int32{0, 1}
	for _, c := range []struct {
		name string
		draw func(path string) error
		want string
	}{
		{"rate: no bins", func(p string) error { return plot.BurstRate(p, "", 0, 1, nil, nil, 0) }, "no rate bins"},
		{"rate: zero bin width", func(p string) error { return plot.BurstRate(p, "", 0, 0, rate, nil, 0) }, "positive width"},
		{"rate: NaN start", func(p string) error { return plot.BurstRate(p, "", nan, 1, rate, nil, 0) }, "finite start"},
		{"rate: NaN rate", func(p string) error { return plot.BurstRate(p, "", 0, 1, []float64{1, nan}, nil, 0) }, "rate bin 1"},
		{"rate: negative rate", func(p string) error { return plot.BurstRate(p, "", 0, 1, []float64{-1, 0}, nil, 0) }, "rate bin 0"},
		{"rate: NaN threshold", func(p string) error { return plot.BurstRate(p, "", 0, 1, rate, nil, nan) }, "threshold"},
		{"rate: burst ends before it starts", func(p string) error {
			return plot.BurstRate(p, "", 0, 1, rate, [][2]float64{{0, 1}, {2, 1}}, 0)
		}, "burst 1 is [2, 1] ms"},
		{"rate: infinite burst", func(p string) error { return plot.BurstRate(p, "", 0, 1, rate, [][2]float64{{0, inf}}, 0) }, "burst 0"},
		{"raster: short rows", func(p string) error { return plot.BurstRaster(p, "", tMs, row[:1], 2, nil, 0, 10, nil) }, "equal lengths"},
		{"raster: no rows", func(p string) error { return plot.BurstRaster(p, "", tMs, row, 0, nil, 0, 10, nil) }, "at least 1"},
		{"raster: labels", func(p string) error { return plot.BurstRaster(p, "", tMs, row, 2, []string{"a"}, 0, 10, nil) }, "1 labels for 2 rows"},
		{"raster: empty window", func(p string) error { return plot.BurstRaster(p, "", tMs, row, 2, nil, 10, 10, nil) }, "window"},
		{"raster: row out of range", func(p string) error { return plot.BurstRaster(p, "", tMs, []int32{0, 2}, 2, nil, 0, 10, nil) }, "event 1 on row 2"},
		{"raster: negative row", func(p string) error { return plot.BurstRaster(p, "", tMs, []int32{-1, 0}, 2, nil, 0, 10, nil) }, "event 0 on row -1"},
		{"raster: NaN time", func(p string) error { return plot.BurstRaster(p, "", []float64{nan, 1}, row, 2, nil, 0, 10, nil) }, "event 0"},
		{"raster: burst ends before it starts", func(p string) error {
			return plot.BurstRaster(p, "", tMs, row, 2, nil, 0, 10, [][2]float64{{5, 4}})
		}, "burst 0 is [5, 4] ms"},
		{"raster: NaN burst", func(p string) error { return plot.BurstRaster(p, "", tMs, row, 2, nil, 0, 10, [][2]float64{{nan, 4}}) }, "burst 0"},
		{"ISI: negative", func(p string) error { return plot.ISIDistribution(p, "", []float64{1, -2}, nil) }, "ISI 1 is -2 ms"},
		{"ISI: NaN", func(p string) error { return plot.ISIDistribution(p, "", []float64{nan}, nil) }, "ISI 0"},
		{"ISI: infinite", func(p string) error { return plot.ISIDistribution(p, "", []float64{inf}, nil) }, "ISI 0"},
		{"ISI: negative CV", func(p string) error { return plot.ISIDistribution(p, "", nil, []float64{1, nan, -1}) }, "CV of unit 2"},
		{"ISI: infinite CV", func(p string) error { return plot.ISIDistribution(p, "", nil, []float64{inf}) }, "CV of unit 0"},
		{"stats: negative duration", func(p string) error { return plot.BurstStats(p, "", []float64{1, -1}, nil, nil) }, "burst duration 1"},
		{"stats: NaN interval", func(p string) error { return plot.BurstStats(p, "", nil, []float64{nan}, nil) }, "inter-burst interval 0"},
		{"stats: recruitment above 1", func(p string) error { return plot.BurstStats(p, "", nil, nil, []float64{0.5, 1.5}) }, "recruitment 1 is 1.5"},
		{"stats: negative recruitment", func(p string) error { return plot.BurstStats(p, "", nil, nil, []float64{-0.1}) }, "recruitment 0"},
		{"avalanches: size 0", func(p string) error { return plot.Avalanches(p, "", []int{1, 0}, nil, 0, 0, 0, 0) }, "avalanche size 1 is 0"},
		{"avalanches: negative duration", func(p string) error { return plot.Avalanches(p, "", nil, []int{-2}, 0, 0, 0, 0) }, "avalanche duration 0 is -2"},
		{"avalanches: exponent 1", func(p string) error { return plot.Avalanches(p, "", []int{1, 2}, nil, 1, 1, 0, 0) }, "exponent > 1"},
		{"avalanches: infinite exponent", func(p string) error { return plot.Avalanches(p, "", nil, []int{1, 2}, 0, 0, inf, 1) }, "duration exponent"},
		{"avalanches: xmin 0", func(p string) error { return plot.Avalanches(p, "", []int{1, 2}, nil, 1.5, 0, 0, 0) }, "xmin 0"},
		{"avalanches: xmin above data", func(p string) error { return plot.Avalanches(p, "", []int{1, 2}, nil, 1.5, 3, 0, 0) }, "xmin 3"},
	} {
		path := filepath.Join(t.TempDir(), "fig.png")
		err := c.draw(path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s: wrote %s despite the error", c.name, path)
		}
	}
}

// large returns inputs of a million values each: rate bins, spikes, ISIs
// and avalanches; a day of a 1,000-unit culture at a few Hz makes more
// spikes, but the figures' cost is set by the number of values.
func large() (rate, tMs []float64, row []int32, bursts [][2]float64, isi []float64, sizes []int) {
	const n = 1_000_000
	rate, tMs, row, isi, sizes = make([]float64, n), make([]float64, n), make([]int32, n), make([]float64, n), make([]int, n)
	for k := range n {
		rate[k] = float64(k%1000) / 100
		tMs[k] = float64(k) / n * 600_000 // 10 minutes
		row[k] = int32(k * 7919 % 1024)
		isi[k] = 0.5 + float64(k*7919%n)/100
		sizes[k] = 1 + int(1e5/float64(1+k*7919%n))
	}
	for t := 0.0; t < 600_000; t += 5000 {
		bursts = append(bursts, [2]float64{t + 1000, t + 1300})
	}
	return rate, tMs, row, bursts, isi, sizes
}

// Each figure of a million values takes well under a second (0.03 to
// 0.2 s on one core of a 2020s Xeon; see the benchmarks), ten under the
// race detector, which slows the drawing about tenfold.
func TestValidationLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	limit := time.Second
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" && s.Value == "true" {
				limit *= 10
			}
		}
	}
	rate, tMs, row, bursts, isi, sizes := large()
	cv := isi[:1000]
	frac := make([]float64, 1000)
	for k := range frac {
		frac[k] = float64(k) / 1000
	}
	path := filepath.Join(t.TempDir(), "large.png")
	for _, c := range []struct {
		name string
		draw func() error
	}{
		{"BurstRate", func() error { return plot.BurstRate(path, "", 0, 0.6, rate, bursts, 5) }},
		{"BurstRaster", func() error { return plot.BurstRaster(path, "", tMs, row, 1024, nil, 0, 600_000, bursts) }},
		{"ISIDistribution", func() error { return plot.ISIDistribution(path, "", isi, cv) }},
		{"BurstStats", func() error { return plot.BurstStats(path, "", isi, isi, frac) }},
		{"Avalanches", func() error { return plot.Avalanches(path, "", sizes, sizes, 1.5, 1, 2, 1) }},
	} {
		start := time.Now()
		if err := c.draw(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if d := time.Since(start); d > limit {
			t.Errorf("%s of 1e6 values took %v, want under %v", c.name, d, limit)
		}
	}
}

func BenchmarkBurstRate1M(b *testing.B) {
	rate, _, _, bursts, _, _ := large()
	path := filepath.Join(b.TempDir(), "rate.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := plot.BurstRate(path, "1M bins", 0, 0.6, rate, bursts, 5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBurstRaster1M(b *testing.B) {
	_, tMs, row, bursts, _, _ := large()
	path := filepath.Join(b.TempDir(), "raster.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := plot.BurstRaster(path, "1M spikes", tMs, row, 1024, nil, 0, 600_000, bursts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkISIDistribution1M(b *testing.B) {
	_, _, _, _, isi, _ := large()
	path := filepath.Join(b.TempDir(), "isi.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := plot.ISIDistribution(path, "1M ISIs", isi, isi[:1000]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBurstStats1M(b *testing.B) {
	_, _, _, _, isi, _ := large()
	frac := make([]float64, len(isi))
	for k := range frac {
		frac[k] = float64(k) / float64(len(frac))
	}
	path := filepath.Join(b.TempDir(), "stats.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := plot.BurstStats(path, "1M bursts", isi, isi, frac); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAvalanches1M(b *testing.B) {
	_, _, _, _, _, sizes := large()
	path := filepath.Join(b.TempDir(), "avalanches.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := plot.Avalanches(path, "1M avalanches", sizes, sizes, 1.5, 1, 2, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// The population rate of 20 s in 5 ms bins, with two network bursts and
// the detection threshold.
func ExampleBurstRate() {
	dir, err := os.MkdirTemp("", "validate")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	rate := make([]float64, 4000) // Hz per neuron, 5 ms bins
	for i := range rate {
		rate[i] = 0.5
		if i >= 1000 && i < 1060 || i >= 2600 && i < 2680 {
			rate[i] = 20
		}
	}
	bursts := [][2]float64{{5000, 5300}, {13_000, 13_400}} // ms
	err = plot.BurstRate(filepath.Join(dir, "rate.png"), "population rate", 0, 5, rate, bursts, 3)
	fmt.Println("error:", err)
	// Output: error: <nil>
}

// A raster of three units over two seconds with one network burst.
func ExampleBurstRaster() {
	dir, err := os.MkdirTemp("", "validate")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	tMs := []float64{150, 900, 910, 915, 920, 1700} // spike times, ms
	row := []int32{0, 0, 1, 2, 1, 2}                // unit of each spike
	bursts := [][2]float64{{895, 930}}              // ms
	err = plot.BurstRaster(filepath.Join(dir, "raster.png"), "spikes", tMs, row, 3, nil, 0, 2000, bursts)
	fmt.Println("error:", err)
	// Output: error: <nil>
}

// Inter-spike intervals of two units and their CVs; a unit with too few
// spikes has a NaN CV and is left out.
func ExampleISIDistribution() {
	dir, err := os.MkdirTemp("", "validate")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	isi := []float64{4, 6, 5, 250, 900, 5, 7, 1200, 30, 45} // ms
	cv := []float64{1.4, 0.9, math.NaN()}
	err = plot.ISIDistribution(filepath.Join(dir, "isi.png"), "inter-spike intervals", isi, cv)
	fmt.Println("error:", err)
	// Output: error: <nil>
}

// The statistics of four bursts: three intervals follow them.
func ExampleBurstStats() {
	dir, err := os.MkdirTemp("", "validate")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	durations := []float64{310, 280, 450, 390} // ms
	ibi := []float64{6.2, 4.8, 9.5}            // s
	recruitment := []float64{0.8, 0.7, 0.95, 0.9}
	err = plot.BurstStats(filepath.Join(dir, "bursts.png"), "network bursts", durations, ibi, recruitment)
	fmt.Println("error:", err)
	// Output: error: <nil>
}

// Avalanche sizes with a power-law fit of exponent 1.5 (the critical
// value of Beggs & Plenz 2003) and durations without a fit.
func ExampleAvalanches() {
	dir, err := os.MkdirTemp("", "validate")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	sizes := []int{1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 6, 9, 15, 40} // events
	durations := []int{1, 1, 1, 2, 2, 3, 5}                       // time bins
	err = plot.Avalanches(filepath.Join(dir, "avalanches.png"), "avalanches", sizes, durations, 1.5, 1, math.NaN(), 0)
	fmt.Println("error:", err)
	// Output: error: <nil>
}
