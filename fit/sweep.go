package fit

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// A sweep is the search without gradients: run a config at many settings
// of some keys (a grid, or random samples of ranges) and tabulate
// statistics of each run. Settings are config overrides in the -set form
// (dotted.key=value), so anything a config holds can be swept.

// Axis is one swept key of a grid and its values (YAML, as for -set).
type Axis struct {
	Key    string
	Values []string
}

// ParseAxis reads "key=v1,v2,...".
func ParseAxis(s string) (Axis, error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" || v == "" {
		return Axis{}, fmt.Errorf("grid %q: want key=v1,v2,…", s)
	}
	return Axis{Key: k, Values: strings.Split(v, ",")}, nil
}

// Range is one randomly sampled key: uniform in [Lo, Hi], log-uniform, or
// a uniform integer in [Lo, Hi].
type Range struct {
	Key    string
	Lo, Hi float64
	Log    bool
	Int    bool
}

// ParseRange reads "key=lo:hi", "key=lo:hi:log" or "key=lo:hi:int".
func ParseRange(s string) (Range, error) {
	k, v, ok := strings.Cut(s, "=")
	parts := strings.Split(v, ":")
	if !ok || k == "" || len(parts) < 2 || len(parts) > 3 || len(parts) == 3 && parts[2] != "log" && parts[2] != "int" {
		return Range{}, fmt.Errorf("random %q: want key=lo:hi, key=lo:hi:log or key=lo:hi:int", s)
	}
	lo, err1 := strconv.ParseFloat(parts[0], 64)
	hi, err2 := strconv.ParseFloat(parts[1], 64)
	r := Range{Key: k, Lo: lo, Hi: hi, Log: len(parts) == 3 && parts[2] == "log", Int: len(parts) == 3 && parts[2] == "int"}
	switch {
	case err1 != nil || err2 != nil || !(hi >= lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0):
		return Range{}, fmt.Errorf("random %q: lo and hi must be numbers with lo <= hi", s)
	case r.Log && !(lo > 0):
		return Range{}, fmt.Errorf("random %q: a log range needs lo > 0", s)
	case r.Int && (lo != math.Trunc(lo) || hi != math.Trunc(hi)):
		return Range{}, fmt.Errorf("random %q: an int range needs whole numbers", s)
	}
	return r, nil
}

// Point is one setting: the overrides, in axis order.
type Point struct {
	Sets []string
}

// Value returns the value a point gives key ("" if none).
func (p Point) Value(key string) string {
	for _, s := range p.Sets {
		if k, v, _ := strings.Cut(s, "="); k == key {
			return v
		}
	}
	return ""
}

// Grid returns every combination of the axes' values, the last axis
// varying fastest.
func Grid(axes []Axis) []Point {
	pts := []Point{{}}
	for _, a := range axes {
		var next []Point
		for _, p := range pts {
			for _, v := range a.Values {
				next = append(next, Point{Sets: append(slices.Clone(p.Sets), a.Key+"="+v)})
			}
		}
		pts = next
	}
	return pts
}

// Random returns n points sampled from the ranges, reproducibly from seed.
func Random(ranges []Range, n int, seed uint64) []Point {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	pts := make([]Point, n)
	for i := range pts {
		for _, g := range ranges {
			u := r.Float64()
			x := g.Lo + u*(g.Hi-g.Lo)
			if g.Log {
				x = math.Exp(math.Log(g.Lo) + u*(math.Log(g.Hi)-math.Log(g.Lo)))
			}
			if g.Int {
				x = math.Min(math.Floor(g.Lo+u*(g.Hi-g.Lo+1)), g.Hi)
			}
			pts[i].Sets = append(pts[i].Sets, g.Key+"="+strconv.FormatFloat(x, 'g', 4, 64))
		}
	}
	return pts
}

// Run is one evaluated point with one seed.
type Run struct {
	Point Point
	Seed  uint64
	Stats map[string]float64
	Err   error
}

// Sweep evaluates every point with every seed, parallel at a time, in a
// deterministic order of results (points, then seeds); done is called after
// each run (from one goroutine at a time). Cancelling ctx stops starting
// runs; those not run have ctx's error.
func Sweep(ctx context.Context, points []Point, seeds []uint64, parallel int,
	eval func(ctx context.Context, p Point, seed uint64) (map[string]float64, error), done func(Run)) []Run {
	runs := make([]Run, 0, len(points)*len(seeds))
	for _, p := range points {
		for _, s := range seeds {
			runs = append(runs, Run{Point: p, Seed: s})
		}
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range max(1, parallel) {
		wg.Go(func() {
			for i := range jobs {
				r := &runs[i]
				if err := ctx.Err(); err != nil {
					r.Err = err
				} else {
					r.Stats, r.Err = eval(ctx, r.Point, r.Seed)
				}
				if done != nil {
					mu.Lock()
					done(*r)
					mu.Unlock()
				}
			}
		})
	}
	for i := range runs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return runs
}

// WriteCSV writes one row per run: the swept keys, the seed, the statistics
// (in the order of stats) and the error, if any.
func WriteCSV(w io.Writer, runs []Run, stats []string) error {
	cw := csv.NewWriter(w)
	var keys []string
	if len(runs) > 0 {
		for _, s := range runs[0].Point.Sets {
			k, _, _ := strings.Cut(s, "=")
			keys = append(keys, k)
		}
	}
	head := append(append(slices.Clone(keys), "seed"), stats...)
	if err := cw.Write(append(head, "error")); err != nil {
		return err
	}
	for _, r := range runs {
		row := make([]string, 0, len(head)+1)
		for _, k := range keys {
			row = append(row, r.Point.Value(k))
		}
		row = append(row, strconv.FormatUint(r.Seed, 10))
		for _, s := range stats {
			v, ok := r.Stats[s]
			if !ok {
				row = append(row, "")
				continue
			}
			row = append(row, strconv.FormatFloat(v, 'g', 6, 64))
		}
		e := ""
		if r.Err != nil {
			e = r.Err.Error()
		}
		if err := cw.Write(append(row, e)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
