package mea

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/bl1-go/bl1/internal/rng"
)

// Layout is an electrode array: where its electrodes are, which of them can
// never record or stimulate, and the device's defaults and limits. The
// electrode number (the index into X and Y) is the channel number users see.
type Layout struct {
	Name string
	X, Y []float64 // electrode centres, µm (electrodes lie at z = 0)

	// Rows and Cols describe a regular grid (electrode k at row k / Cols,
	// column k mod Cols, Pitch apart); both are 0 for irregular layouts.
	Rows, Cols int
	Pitch      float64 // µm

	Labels   []string // per electrode, for plots (nil: the electrode numbers)
	Excluded []bool   // per electrode: grounded or reference, never used
	Routable int      // most electrodes recorded at once (0: no limit)

	DetectRadius   float64 // default detection radius, µm
	ActivateRadius float64 // default activation radius, µm
	Limits         Limits  // stimulation limits of the device
}

// Len returns the number of electrodes.
func (l *Layout) Len() int { return len(l.X) }

// Label returns electrode k's label.
func (l *Layout) Label(k int) string {
	if l.Labels != nil {
		return l.Labels[k]
	}
	return strconv.Itoa(k)
}

// Usable reports whether electrode k exists and may record or stimulate.
func (l *Layout) Usable(k int) bool {
	return k >= 0 && k < len(l.X) && !l.Excluded[k]
}

// grid places a rows × cols grid of pitch p centred on (cx, cy).
func grid(name string, rows, cols int, p, cx, cy float64) *Layout {
	l := &Layout{Name: name, Rows: rows, Cols: cols, Pitch: p,
		X: make([]float64, rows*cols), Y: make([]float64, rows*cols), Excluded: make([]bool, rows*cols)}
	for k := range l.X {
		l.X[k] = cx + (float64(k%cols)-float64(cols-1)/2)*p
		l.Y[k] = cy + (float64(k/cols)-float64(rows-1)/2)*p
	}
	return l
}

// CL1 channels that are grounded, and the reference channel (Cortical Labs
// CL1; ../shared/spec/cl1-protocol.md §4).
var (
	CL1Grounded  = []int{0, 7, 56, 63}
	CL1Reference = 4
)

// CL1 returns the Cortical Labs CL1 array centred on (cx, cy): 8 × 8
// electrodes 200 µm apart, channel k at column k mod 8 and row k div 8;
// channels 0, 7, 56 and 63 are grounded and 4 is the reference. Detection
// radius 100 µm, activation radius 75 µm; the CL1's stimulation limits.
func CL1(cx, cy float64) *Layout {
	l := grid("cl1", 8, 8, 200, cx, cy)
	for _, k := range CL1Grounded {
		l.Excluded[k] = true
	}
	l.Excluded[CL1Reference] = true
	l.DetectRadius, l.ActivateRadius = 100, 75
	l.Limits = CL1Limits
	return l
}

// MaxOne returns the MaxWell MaxOne high-density array centred on (cx, cy):
// 120 rows × 220 columns = 26,400 electrodes 17.5 µm apart (electrode
// k = row·220 + column), of which at most 1,024 are routed to recording
// channels at once. Detection radius 17.5 µm, activation radius 12 µm.
func MaxOne(cx, cy float64) *Layout {
	l := grid("maxone", 120, 220, 17.5, cx, cy)
	l.Routable = 1024
	l.DetectRadius, l.ActivateRadius = 17.5, 12
	l.Limits = Limits{Name: "MaxOne"}
	return l
}

// MCS60 returns the 60-electrode Multi Channel Systems layout used by
// Wagenaar et al. (2006, BMC Neurosci 7:11): an 8 × 8 grid 200 µm apart
// without its corners, centred on (cx, cy). Electrodes are numbered 0-59
// row by row; labels are MCS's column-row names ("12" ... "87"), and
// electrode "15" is the reference, so 59 record, as in the paper.
func MCS60(cx, cy float64) *Layout {
	full := grid("", 8, 8, 200, cx, cy)
	l := &Layout{Name: "mcs60", Pitch: 200}
	for k := range 64 {
		r, c := k/8, k%8
		if (r == 0 || r == 7) && (c == 0 || c == 7) {
			continue
		}
		l.X = append(l.X, full.X[k])
		l.Y = append(l.Y, full.Y[k])
		label := strconv.Itoa((c+1)*10 + r + 1)
		l.Labels = append(l.Labels, label)
		l.Excluded = append(l.Excluded, label == "15")
	}
	l.DetectRadius, l.ActivateRadius = 100, 75
	l.Limits = Limits{Name: "MCS"}
	return l
}

// Custom returns a layout with electrodes at the given positions (µm).
// Detection radius 100 µm, activation radius 75 µm.
func Custom(x, y []float64) (*Layout, error) {
	if len(x) != len(y) {
		panic("mea: Custom: x and y differ in length")
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("electrodes_um: a custom layout needs at least one electrode")
	}
	for k := range x {
		if !finite(x[k]) || !finite(y[k]) {
			return nil, fmt.Errorf("electrodes_um[%d] = [%g, %g], must be finite", k, x[k], y[k])
		}
	}
	return &Layout{Name: "custom", X: slices.Clone(x), Y: slices.Clone(y), Excluded: make([]bool, len(x)),
		DetectRadius: 100, ActivateRadius: 75, Limits: Limits{Name: "custom"}}, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Routing chooses the electrodes that record on a layout with more
// electrodes than channels (MaxOne).
type Routing struct {
	Select     string // "auto" (or ""), "all", "center", "random", "grid" or "list"
	N          int    // electrodes to route (center, random, grid)
	Electrodes []int  // the electrodes (list)
	Seed       uint64 // for random
}

// Route returns the ascending electrodes that record: the usable ones
// chosen by r, at most l.Routable of them. "center" takes the N nearest
// to the array's centre, "random" N at random, "grid" a strided sub-grid
// of about N near the centre; "all" every usable electrode; "auto" all of
// them if the device can route them, else "center".
func (l *Layout) Route(r Routing) ([]int32, error) {
	usable := func() []int32 {
		var out []int32
		for k := range l.X {
			if !l.Excluded[k] {
				out = append(out, int32(k))
			}
		}
		return out
	}
	if r.Select == "auto" || r.Select == "" {
		r.Select = "all"
		if n := len(usable()); l.Routable > 0 && n > l.Routable {
			r.Select = "center"
			if r.N == 0 {
				r.N = l.Routable
			}
		}
	}
	var out []int32
	switch r.Select {
	case "all":
		out = usable()
	case "list":
		seen := map[int]bool{}
		for i, k := range r.Electrodes {
			if !l.Usable(k) {
				return nil, fmt.Errorf("routing.electrodes[%d] = %d: %s", i, k, l.why(k))
			}
			if seen[k] {
				return nil, fmt.Errorf("routing.electrodes[%d] = %d is listed twice", i, k)
			}
			seen[k] = true
			out = append(out, int32(k))
		}
	case "center", "random", "grid":
		all := usable()
		if r.N < 1 || r.N > len(all) {
			return nil, fmt.Errorf("routing.n = %d, must be in [1, %d] (usable electrodes of %s)", r.N, len(all), l.Name)
		}
		cx, cy := l.centre()
		d2 := func(k int32) float64 {
			dx, dy := l.X[k]-cx, l.Y[k]-cy
			return dx*dx + dy*dy
		}
		near := func(c []int32) []int32 { // by distance, ties by number
			slices.SortStableFunc(c, func(a, b int32) int { return cmp.Compare(d2(a), d2(b)) })
			return c[:r.N]
		}
		switch r.Select {
		case "center":
			out = near(all)
		case "random":
			src := rng.NewKey(r.Seed, rng.Routing).Source()
			for i := range r.N { // partial Fisher-Yates
				j := i + src.Intn(len(all)-i)
				all[i], all[j] = all[j], all[i]
			}
			out = all[:r.N]
		case "grid":
			if l.Rows == 0 {
				return nil, fmt.Errorf("routing.select = grid needs a grid layout; %s is irregular", l.Name)
			}
			stride := max(1, int(math.Floor(math.Sqrt(float64(len(all))/float64(r.N)))))
			var sub []int32
			for _, k := range all {
				if int(k)/l.Cols%stride == 0 && int(k)%l.Cols%stride == 0 {
					sub = append(sub, k)
				}
			}
			if len(sub) < r.N {
				return nil, fmt.Errorf("routing.n = %d: a grid of stride %d has only %d usable electrodes", r.N, stride, len(sub))
			}
			out = near(sub)
		}
	default:
		return nil, fmt.Errorf("routing.select = %q, must be auto, all, center, random, grid or list", r.Select)
	}
	if l.Routable > 0 && len(out) > l.Routable {
		return nil, fmt.Errorf("routing: %d electrodes selected, %s routes at most %d (choose select: center, random, grid or list)", len(out), l.Name, l.Routable)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("routing: no electrode selected")
	}
	slices.Sort(out)
	return out, nil
}

// why says why electrode k is not usable.
func (l *Layout) why(k int) string {
	if k < 0 || k >= len(l.X) {
		return fmt.Sprintf("no such electrode on %s (0 to %d)", l.Name, len(l.X)-1)
	}
	if l.Name == "cl1" && k == CL1Reference {
		return "channel 4 is the CL1's reference"
	}
	if l.Name == "cl1" {
		return fmt.Sprintf("channel %d is grounded on the CL1 (0, 7, 56, 63)", k)
	}
	return fmt.Sprintf("electrode %s is the reference", l.Label(k))
}

// centre returns the middle of the electrodes' bounding box.
func (l *Layout) centre() (x, y float64) {
	return (slices.Min(l.X) + slices.Max(l.X)) / 2, (slices.Min(l.Y) + slices.Max(l.Y)) / 2
}
