package plot

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestRalliesAndGameRaster(t *testing.T) {
	dir := t.TempDir()
	s := RallySeries{Name: "fep", T: []float64{30, 90, 150}, Mean: []float64{0.2, math.NaN(), 0.4}, SE: []float64{0.05, math.NaN(), 0.1},
		RallyT: []float64{1, 70, 130}, RallyHits: []float64{0, 1, 2}}
	if err := Rallies(filepath.Join(dir, "r.png"), "rallies", []RallySeries{s}, [][2]float64{{0, 60}, {120, 180}}); err != nil {
		t.Fatal(err)
	}
	if err := GameRaster(filepath.Join(dir, "g.png"), "game", []float64{10, 500, 900}, []int32{0, 1, 2}, 3, []string{"D1", "U2", "S3"},
		0, 1000, []float64{100, 200}, []float64{300}, []float64{800}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"r.png", "g.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written", f)
		}
	}
	bad := s
	bad.Mean = bad.Mean[:2]
	if err := Rallies(filepath.Join(dir, "x.png"), "", []RallySeries{bad}, nil); err == nil {
		t.Error("mismatched series accepted")
	}
	if err := Rallies(filepath.Join(dir, "x.png"), "", []RallySeries{s}, [][2]float64{{5, 1}}); err == nil {
		t.Error("reversed window accepted")
	}
	if err := GameRaster(filepath.Join(dir, "x.png"), "", []float64{1}, []int32{0}, 1, nil, 0, 10, nil, []float64{math.NaN()}, nil); err == nil {
		t.Error("NaN hit time accepted")
	}
}
