package plot

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func decode(t *testing.T, path string) image.Image {
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

// The raster colours each spike by its neuron's sign and places it by time
// and neuron; unshown neurons leave no mark.
func TestRaster(t *testing.T) {
	exc := []bool{true, false, true, false}
	r := NewRaster(exc, 2, 0, 1000, 0.5) // shows neurons 0 and 2
	r.Spikes(100, []int32{0, 1})
	r.Spikes(900, []int32{2, 3})
	count := func(c [4]uint8) int {
		n := 0
		b := r.img.Bounds()
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				o := r.img.PixOffset(x, y)
				if [4]uint8(r.img.Pix[o:o+4]) == c {
					n++
				}
			}
		}
		return n
	}
	e := [4]uint8{ExcColor.R, ExcColor.G, ExcColor.B, ExcColor.A}
	i := [4]uint8{InhColor.R, InhColor.G, InhColor.B, InhColor.A}
	if count(e) != 8 || count(i) != 0 { // two spikes of shown excitatory neurons, 2x2 dots
		t.Fatalf("%d excitatory and %d inhibitory pixels, want 8 and 0", count(e), count(i))
	}
	// The first spike is in the first tenth of the image, the second near the end.
	o := r.img.PixOffset(int(100*int64(r.img.Bounds().Dx())/1000), r.img.Bounds().Dy()-1)
	if [4]uint8(r.img.Pix[o:o+4]) != e {
		t.Fatal("spike of neuron 0 at step 100 not where expected")
	}
	path := filepath.Join(t.TempDir(), "raster.png")
	if err := r.Save(path, "test"); err != nil {
		t.Fatal(err)
	}
	if b := decode(t, path).Bounds(); b.Dx() < 500 || b.Dy() < 200 {
		t.Fatalf("raster.png is %v", b)
	}
	// Spikes outside the window are ignored, not drawn out of bounds.
	r.Spikes(5000, []int32{0})
	r.Spikes(-5, []int32{0})
}

func TestRate(t *testing.T) {
	exc := make([]int32, 5000)
	inh := make([]int32, 5000)
	for k := range exc {
		exc[k] = int32(k % 7)
		inh[k] = int32(k % 3)
	}
	path := filepath.Join(t.TempDir(), "rate.png")
	if err := Rate(path, "rate", 0, 1, exc, inh, 80, 20); err != nil {
		t.Fatal(err)
	}
	decode(t, path)
	if got := rebin([]int32{1, 2, 3, 4, 5}, 2); len(got) != 2 || got[0] != 3 || got[1] != 7 {
		t.Fatalf("rebin = %v", got)
	}
	// Empty populations do not divide by zero.
	if err := Rate(path, "rate", 0, 1, exc[:10], inh[:10], 0, 0); err != nil {
		t.Fatal(err)
	}
}
