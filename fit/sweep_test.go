package fit

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestGridAndRandom(t *testing.T) {
	a, err := ParseAxis("culture.g_exc=0.1,0.2")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ParseAxis("drive.mean=1,2,3")
	pts := Grid([]Axis{a, b})
	if len(pts) != 6 || strings.Join(pts[1].Sets, " ") != "culture.g_exc=0.1 drive.mean=2" || pts[5].Value("culture.g_exc") != "0.2" {
		t.Fatalf("grid %v", pts)
	}
	r, err := ParseRange("culture.g_exc=0.01:1:log")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ParseRange("drive.mean=1:3")
	rp := Random([]Range{r, u}, 200, 7)
	var logs float64
	for _, p := range rp {
		g, _ := strconv.ParseFloat(p.Value("culture.g_exc"), 64)
		m, _ := strconv.ParseFloat(p.Value("drive.mean"), 64)
		if g < 0.01 || g > 1 || m < 1 || m > 3 {
			t.Fatalf("sample out of range: %v", p.Sets)
		}
		logs += math.Log10(g)
	}
	// Log-uniform on [0.01, 1]: mean log10 = -1 (sd of the mean 0.04).
	if m := logs / 200; math.Abs(m+1) > 0.16 {
		t.Errorf("mean log10 g = %g, want -1", m)
	}
	if again := Random([]Range{r, u}, 200, 7); strings.Join(again[9].Sets, " ") != strings.Join(rp[9].Sets, " ") {
		t.Error("random points depend on more than the seed")
	}
	// Integers: uniform on {2, ..., 5}, each about 1/4 of 400 draws (SD 8.7).
	ir, err := ParseRange("culture.clusters.count=2:5:int")
	if err != nil {
		t.Fatal(err)
	}
	hist := map[string]int{}
	for _, p := range Random([]Range{ir}, 400, 3) {
		hist[p.Value("culture.clusters.count")]++
	}
	for _, v := range []string{"2", "3", "4", "5"} {
		if k := hist[v]; k < 100-35 || k > 100+35 {
			t.Errorf("int range: %s drawn %d times of 400, want ~100 (%v)", v, k, hist)
		}
	}
	if len(hist) != 4 {
		t.Errorf("int range drew %v, want only 2..5", hist)
	}
	for _, bad := range []string{"x", "=1", "x=", "x=1", "x=2:1", "x=a:b", "x=0:1:log", "x=1:2:lin", "x=0.5:3:int"} {
		if _, err := ParseRange(bad); err == nil {
			t.Errorf("ParseRange(%q) accepted", bad)
		}
	}
	if _, err := ParseAxis("x"); err == nil {
		t.Error("ParseAxis(x) accepted")
	}
}

// Runs come back in (point, seed) order whatever the parallelism; errors
// are kept per run; the CSV has one row per run.
func TestSweepOrderAndCSV(t *testing.T) {
	a, _ := ParseAxis("k=1,2,3")
	pts := Grid([]Axis{a})
	eval := func(_ context.Context, p Point, seed uint64) (map[string]float64, error) {
		v, _ := strconv.ParseFloat(p.Value("k"), 64)
		if v == 2 && seed == 5 {
			return nil, errors.New("boom")
		}
		return map[string]float64{"x": v*10 + float64(seed)}, nil
	}
	var done int
	runs := Sweep(context.Background(), pts, []uint64{4, 5}, 3, eval, func(Run) { done++ })
	if len(runs) != 6 || done != 6 {
		t.Fatalf("%d runs, %d reported", len(runs), done)
	}
	for i, r := range runs {
		if r.Point.Value("k") != strconv.Itoa(i/2+1) || r.Seed != uint64(4+i%2) {
			t.Fatalf("run %d is %v seed %d", i, r.Point.Sets, r.Seed)
		}
	}
	if runs[3].Err == nil || runs[2].Stats["x"] != 24 {
		t.Errorf("runs %+v", runs[2:4])
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, runs, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	want := "k,seed,x,error\n1,4,14,\n1,5,15,\n2,4,24,\n2,5,,boom\n3,4,34,\n3,5,35,\n"
	if b.String() != want {
		t.Errorf("csv:\n%s\nwant\n%s", b.String(), want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, r := range Sweep(ctx, pts, []uint64{1}, 2, eval, nil) {
		if !errors.Is(r.Err, context.Canceled) {
			t.Fatalf("cancelled sweep ran %v", r.Point.Sets)
		}
	}
}
