package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// grid returns the positions (µm) of a rows x cols grid of pitch pitch,
// electrode k at row k/cols counted from the top, column k%cols.
func grid(rows, cols int, pitch float64) (x, y []float64) {
	x, y = make([]float64, rows*cols), make([]float64, rows*cols)
	for k := range x {
		x[k] = float64(k%cols) * pitch
		y[k] = float64(rows-1-k/cols) * pitch
	}
	return x, y
}

// rgbAt returns the 8-bit colour of img at (x, y).
func rgbAt(img image.Image, x, y int) [3]uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

// near reports whether two colours differ by at most tol in each channel.
func near(a, b [3]uint8, tol int) bool {
	for i := range a {
		if d := int(a[i]) - int(b[i]); d > tol || d < -tol {
			return false
		}
	}
	return true
}

// solid returns the bounding box of the pixels whose 3 x 3 neighbourhood
// is all near c, so that the anti-aliased edges of text, which take any
// shade, do not count.
func solid(img image.Image, c [3]uint8, tol int, within image.Rectangle) image.Rectangle {
	var box image.Rectangle
	b := within.Intersect(img.Bounds())
	for y := b.Min.Y + 1; y < b.Max.Y-1; y++ {
	pixel:
		for x := b.Min.X + 1; x < b.Max.X-1; x++ {
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if !near(rgbAt(img, x+dx, y+dy), c, tol) {
						continue pixel
					}
				}
			}
			box = box.Union(image.Rect(x, y, x+1, y+1))
		}
	}
	return box
}

var (
	grey   = [3]uint8{UnshownColor.R, UnshownColor.G, UnshownColor.B}
	yellow = [3]uint8{0xfd, 0xe7, 0x25} // top of viridis, viridisAnchors[4]
)

// The Cortical Labs CL1 array: 8 x 8 electrodes at 200 µm, channels 0, 4,
// 7, 56 and 63 not recorded. The grey cells span the grid's corners, the
// highest value is yellow in its own cell, and the value of an unrecorded
// channel does not enter the colour scale.
func TestElectrodeMapCL1(t *testing.T) {
	x, y := grid(8, 8, 200)
	value := make([]float64, 64)
	shown := make([]bool, 64)
	for k := range value {
		value[k] = float64(k % 5) // 0 to 4 Hz
		shown[k] = true
	}
	value[18] = 20 // row 2, column 2: the only yellow cell
	for _, k := range []int{0, 4, 7, 56, 63} {
		shown[k] = false
	}
	value[0] = 1e9 // ignored: not recorded
	value[4] = math.NaN()
	path := filepath.Join(t.TempDir(), "cl1.png")
	if err := ElectrodeMap(path, "CL1", x, y, value, shown, 8, 8, 200, "rate (Hz)"); err != nil {
		t.Fatal(err)
	}
	img := decode(t, path)
	b := img.Bounds()
	if b.Dx() < 500 || b.Dy() < 500 || b.Dx() > 2*b.Dy() {
		t.Fatalf("cl1.png is %v, want a roughly square figure of at least 500 x 500", b)
	}
	cells := solid(img, grey, 0, b)
	if cells.Dx() < 300 || math.Abs(float64(cells.Dx())/float64(cells.Dy())-1) > 0.05 {
		t.Fatalf("grey cells span %v, want a square grid (equal aspect) at least 300 pixels wide", cells)
	}
	// at returns the pixel at fraction (fx, fy) of the grid from its top
	// left, in cell units.
	at := func(fx, fy float64) [3]uint8 {
		return rgbAt(img, cells.Min.X+int(fx/8*float64(cells.Dx())), cells.Min.Y+int(fy/8*float64(cells.Dy())))
	}
	// Off the cell centres, where the channel numbers are.
	if c := at(4.2, 0.2); c != grey {
		t.Errorf("unrecorded channel 4 is %v, want grey %v", c, grey)
	}
	if c := at(2.2, 2.2); !near(c, yellow, 8) {
		t.Errorf("channel 18, the highest value, is %v, want yellow %v", c, yellow)
	}
	if c := at(3.2, 2.2); near(c, yellow, 40) || c == grey { // channel 19, 4 Hz of 20
		t.Errorf("channel 19 is %v, want a colour of the low end of the scale", c)
	}
	hot := solid(img, yellow, 8, cells)
	cx := float64(hot.Min.X+hot.Max.X)/2 - float64(cells.Min.X)
	cy := float64(hot.Min.Y+hot.Max.Y)/2 - float64(cells.Min.Y)
	if hot.Empty() || math.Abs(cx/float64(cells.Dx())*8-2.5) > 0.2 || math.Abs(cy/float64(cells.Dy())*8-2.5) > 0.2 {
		t.Errorf("yellow pixels span %v in the grid %v, want the cell of channel 18 (row 2, column 2)", hot, cells)
	}
}

// The MaxWell MaxOne array: 120 x 220 electrodes at 17.5 µm, of which
// 1,024 are routed. It takes the layout's aspect ratio and stays a small
// file.
func TestElectrodeMapMaxOne(t *testing.T) {
	const rows, cols = 120, 220
	x, y := grid(rows, cols, 17.5)
	value := make([]float64, rows*cols)
	shown := make([]bool, rows*cols)
	for i := range 1024 {
		k := i * 25 // spread over the whole array
		shown[k] = true
		value[k] = float64(i % 17)
	}
	path := filepath.Join(t.TempDir(), "maxone.png")
	if err := ElectrodeMap(path, "MaxOne", x, y, value, shown, rows, cols, 17.5, "rate (Hz)"); err != nil {
		t.Fatal(err)
	}
	img := decode(t, path)
	b := img.Bounds()
	if b.Dx() < 600 || b.Dx() < 3*b.Dy()/2 {
		t.Fatalf("maxone.png is %v, want a wide figure (the array is 220 x 120) at least 600 wide", b)
	}
	cells := solid(img, grey, 0, b)
	if r := float64(cells.Dx()) / float64(cells.Dy()); math.Abs(r-220.0/120) > 0.05 {
		t.Errorf("the array spans %v, aspect %.3f, want 220/120 = 1.833", cells, r)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() > 300<<10 {
		t.Errorf("maxone.png: %v, want a file under 300 KiB", err)
	}
}

// An irregular layout draws discs; all-zero values still give a scale.
func TestElectrodeMapIrregular(t *testing.T) {
	x := []float64{0, 100, 50, 150, 300}
	y := []float64{0, 0, 87, 87, 10}
	value := []float64{0, 0, 0, 0, math.Inf(1)}
	shown := []bool{true, true, true, true, false}
	dir := t.TempDir()
	for _, pitch := range []float64{0, 100} {
		path := filepath.Join(dir, fmt.Sprintf("irregular%g.png", pitch))
		if err := ElectrodeMap(path, "irregular", x, y, value, shown, 0, 0, pitch, "Hz"); err != nil {
			t.Fatal(err)
		}
		if b := decode(t, path).Bounds(); b.Dx() < 400 || b.Dy() < 200 {
			t.Fatalf("%s is %v", path, b)
		}
	}
	// One electrode has no spacing to take a disc size from.
	path := filepath.Join(dir, "one.png")
	if err := ElectrodeMap(path, "one", []float64{5}, []float64{5}, []float64{2}, []bool{true}, 0, 0, 0, "Hz"); err != nil {
		t.Fatal(err)
	}
	decode(t, path)
}

func TestElectrodeMapInvalid(t *testing.T) {
	x, y := grid(2, 2, 10)
	v := []float64{1, 2, 3, 4}
	s := []bool{true, true, true, true}
	nan := math.NaN()
	for _, c := range []struct {
		name       string
		x, y, v    []float64
		s          []bool
		rows, cols int
		pitch      float64
		want       string
	}{
		{"no electrodes", nil, nil, nil, nil, 0, 0, 0, "no electrodes"},
		{"short y", x, y[:3], v, s, 2, 2, 10, "equal lengths"},
		{"short shown", x, y, v, s[:2], 2, 2, 10, "equal lengths"},
		{"rows only", x, y, v, s, 2, 0, 10, "both"},
		{"negative rows", x, y, v, s, -2, -2, 10, "both"},
		{"grid without pitch", x, y, v, s, 2, 2, 0, "pitch"},
		{"NaN pitch", x, y, v, s, 2, 2, nan, "pitch"},
		{"wrong grid size", x, y, v, s, 1, 2, 10, "rows*cols"},
		{"NaN position", []float64{0, 10, nan, 10}, y, v, s, 2, 2, 10, "position not finite"},
		{"NaN value", x, y, []float64{1, nan, 3, 4}, s, 2, 2, 10, "electrode 1"},
		{"negative value", x, y, []float64{1, 2, -3, 4}, s, 2, 2, 10, "electrode 2"},
		{"off grid", []float64{0, 10, 0, 14}, y, v, s, 2, 2, 10, "off the 2 x 2 grid"},
		{"beyond grid", []float64{0, 10, 0, 20}, y, v, s, 2, 2, 10, "off the 2 x 2 grid"},
		{"shared cell", []float64{0, 10, 0, 0}, []float64{10, 10, 0, 0}, v, s, 2, 2, 10, "share the grid cell"},
		{"shared position", []float64{0, 1, 0}, []float64{0, 1, 0}, v[:3], s[:3], 0, 0, 0, "share the position"},
	} {
		path := filepath.Join(t.TempDir(), "map.png")
		err := ElectrodeMap(path, c.name, c.x, c.y, c.v, c.s, c.rows, c.cols, c.pitch, "Hz")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s: wrote %s despite the error", c.name, path)
		}
	}
}

// Events land in their channel's rows at their time; stimulation pulses
// mark the stim band and draw a faint line; events outside the window
// leave no mark.
func TestChannelImage(t *testing.T) {
	// 4 channels over 0-1000 ms: 100 pixel rows each (400 / 4), 70 with a
	// mark; 900 columns, so t ms is at column floor(0.9 t).
	img, band, err := channelImage([]float64{100, 900, -5, 1000}, []int32{0, 3, 1, 1}, 4, 0, 1000, []float64{500})
	if err != nil {
		t.Fatal(err)
	}
	if band != 16 || img.Bounds() != image.Rect(0, 0, 900, 416) { // band max(8, 400/25)
		t.Fatalf("image %v with a band of %d rows, want 900 x 416 and 16", img.Bounds(), band)
	}
	px := func(x, y int) color.RGBA { return img.RGBAAt(x, y) }
	count := func(c color.RGBA) int {
		n := 0
		for i := 0; i < len(img.Pix); i += 4 {
			if [4]uint8(img.Pix[i:i+4]) == [4]uint8{c.R, c.G, c.B, c.A} {
				n++
			}
		}
		return n
	}
	if n := count(EventColor); n != 2*2*70 { // two events in the window, 2 x 70 each
		t.Errorf("%d event pixels, want 280", n)
	}
	// Channel 0 fills rows 316-415 (at the bottom), channel 3 rows 16-115.
	if px(90, 416-50) != EventColor || px(91, 416-50) != EventColor {
		t.Error("event of channel 0 at 100 ms not at column 90 in the middle of its rows")
	}
	if px(90, 416-100-1) == EventColor || px(90, 416-1) == EventColor {
		t.Error("event of channel 0 spills over its rows' margins")
	}
	if px(810, 16+50) != EventColor {
		t.Error("event of channel 3 at 900 ms not at column 810")
	}
	if px(450, 2) != StimColor || px(450, 200) != stimFaint || px(449, 200) != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
		t.Error("stimulation pulse at 500 ms not marked at column 450")
	}
	// Many channels share pixel rows, and no pulses means no band.
	img, band, err = channelImage([]float64{1, 2}, []int32{0, 1023}, 1024, 0, 10, nil)
	if err != nil || band != 0 || img.Bounds().Dy() != 400 {
		t.Fatalf("1,024 channels: %v, band %d, err %v", img.Bounds(), band, err)
	}
	if px(90, 399) != EventColor || px(180, 0) != EventColor {
		t.Error("events of the first and last of 1,024 channels not at the bottom and top")
	}
}

func TestChannelRaster(t *testing.T) {
	const rows, n = 60, 200_000
	tMs := make([]float64, n)
	row := make([]int32, n)
	for k := range tMs {
		tMs[k] = float64(k%10_000) + float64(k%7)/7
		row[k] = int32(k % rows)
	}
	labels := make([]string, rows)
	for i := range labels {
		labels[i] = fmt.Sprintf("e%d", i)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name   string
		labels []string
		stim   []float64
	}{{"labels", labels, []float64{1000, 2000, 2000.1}}, {"numbers", nil, nil}} {
		path := filepath.Join(dir, c.name+".png")
		if err := ChannelRaster(path, c.name, tMs, row, rows, c.labels, 0, 10_000, c.stim); err != nil {
			t.Fatal(err)
		}
		if b := decode(t, path).Bounds(); b.Dx() < 800 || b.Dy() < 250 {
			t.Fatalf("%s is %v", path, b)
		}
	}
	var got []string
	for _, tick := range (trimmedTicks{}).Ticks(0, 5) {
		if tick.Label != "" {
			got = append(got, tick.Label)
		}
	}
	if strings.Join(got, " ") != "0 2.5 5" { // gonum labels them 0.00 2.50 5.00
		t.Errorf("ticks of 0-5 are labelled %q, want 0 2.5 5", got)
	}
}

func TestChannelRasterInvalid(t *testing.T) {
	tMs := []float64{1, 2}
	row := []int32{0, 1}
	nan := math.NaN()
	for _, c := range []struct {
		name   string
		tMs    []float64
		row    []int32
		rows   int
		labels []string
		t0, t1 float64
		stim   []float64
		want   string
	}{
		{"short rows", tMs, row[:1], 2, nil, 0, 10, nil, "equal lengths"},
		{"no rows", tMs, row, 0, nil, 0, 10, nil, "at least 1"},
		{"labels", tMs, row, 2, []string{"a"}, 0, 10, nil, "1 labels for 2 rows"},
		{"empty window", tMs, row, 2, nil, 10, 10, nil, "window"},
		{"NaN window", tMs, row, 2, nil, nan, 10, nil, "window"},
		{"row too large", tMs, []int32{0, 2}, 2, nil, 0, 10, nil, "event 1 on row 2"},
		{"negative row", tMs, []int32{-1, 0}, 2, nil, 0, 10, nil, "event 0 on row -1"},
		{"NaN time", []float64{1, nan}, row, 2, nil, 0, 10, nil, "event 1"},
		{"infinite stim", tMs, row, 2, nil, 0, 10, []float64{math.Inf(1)}, "pulse 0"},
	} {
		path := filepath.Join(t.TempDir(), "raster.png")
		err := ChannelRaster(path, c.name, c.tMs, c.row, c.rows, c.labels, c.t0, c.t1, c.stim)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s: wrote %s despite the error", c.name, path)
		}
	}
}

// A firing-rate map of a Cortical Labs CL1 array: 8 x 8 electrodes 200 µm
// apart, the grounded channels 0, 7, 56, 63 and the reference 4 in grey.
func ExampleElectrodeMap() {
	dir, err := os.MkdirTemp("", "mea")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	var x, y, rate []float64
	var shown []bool
	for k := range 64 {
		x = append(x, float64(k%8)*200)
		y = append(y, float64(k/8)*200)
		rate = append(rate, float64(k%9)) // Hz
		shown = append(shown, k != 0 && k != 4 && k != 7 && k != 56 && k != 63)
	}
	err = ElectrodeMap(filepath.Join(dir, "cl1.png"), "CL1 firing rate", x, y, rate, shown, 8, 8, 200, "rate (Hz)")
	fmt.Println("error:", err)
	// Output: error: <nil>
}

// A raster of three channels over one second with two stimulation pulses.
func ExampleChannelRaster() {
	dir, err := os.MkdirTemp("", "mea")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	tMs := []float64{12, 250, 251, 600, 640, 980} // event times, ms
	row := []int32{0, 1, 2, 0, 1, 2}              // channel of each event
	labels := []string{"ch 3", "ch 17", "ch 42"}
	err = ChannelRaster(filepath.Join(dir, "raster.png"), "events", tMs, row, 3, labels, 0, 1000, []float64{240, 590})
	fmt.Println("error:", err)
	// Output: error: <nil>
}

func BenchmarkElectrodeMapMaxOne(b *testing.B) {
	const rows, cols = 120, 220
	x, y := grid(rows, cols, 17.5)
	value := make([]float64, rows*cols)
	shown := make([]bool, rows*cols)
	for i := range 1024 {
		shown[i*25], value[i*25] = true, float64(i%17)
	}
	path := filepath.Join(b.TempDir(), "maxone.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := ElectrodeMap(path, "MaxOne", x, y, value, shown, rows, cols, 17.5, "Hz"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChannelRaster1M(b *testing.B) {
	const rows, n = 1024, 1_000_000
	tMs := make([]float64, n)
	row := make([]int32, n)
	for k := range tMs {
		tMs[k] = float64(k) / n * 60_000
		row[k] = int32(k * 7919 % rows)
	}
	path := filepath.Join(b.TempDir(), "raster.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := ChannelRaster(path, "1M events", tMs, row, rows, nil, 0, 60_000, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/event")
}
