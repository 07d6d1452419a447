package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
	"gonum.org/v1/gonum/stat"

	"github.com/bl1-go/bl1/analysis"
	"github.com/bl1-go/bl1/analysis/connectivity"
	"github.com/bl1-go/bl1/analysis/information"
	"github.com/bl1-go/bl1/internal/npy"
	"github.com/bl1-go/bl1/output"
	"github.com/bl1-go/bl1/plot"
)

// ConnectivityJSON is connectivity.json: what was analysed and the
// measures of the functional graph.
type ConnectivityJSON struct {
	Run       string     `json:"run"`
	Config    string     `json:"config"`
	SimS      output.Num `json:"sim_s"`
	Of        string     `json:"of"` // "channels" or "neurons"
	Units     int        `json:"units"`
	Selection string     `json:"selection"`
	Params    struct {
		CCGBinMs       output.Num `json:"ccg_bin_ms"`
		CCGMaxLagMs    output.Num `json:"ccg_max_lag_ms"`
		JitterMs       output.Num `json:"jitter_ms"`
		STTCMs         output.Num `json:"sttc_dt_ms"`
		TEBinMs        output.Num `json:"te_bin_ms"`
		TEHistory      int        `json:"te_history_bins"`
		TEMaxDelayMs   output.Num `json:"te_max_delay_ms"`
		TESurrogates   int        `json:"te_max_surrogates"`
		LinksBy        string     `json:"links_by"`
		Alpha          output.Num `json:"alpha"`
		References     int        `json:"random_references"`
		LatticeRefs    int        `json:"lattice_references"`
		SwapsPerEdge   int        `json:"swaps_per_edge"`
		Seed           uint64     `json:"seed"`
		MeanSurrogates output.Num `json:"te_mean_surrogates"`
	} `json:"params"`
	Links struct {
		TE    int `json:"te"`    // directed links with TE p ≤ α
		CCG   int `json:"ccg"`   // directed links with correlogram p ≤ α
		Both  int `json:"both"`  // by both
		Pairs int `json:"pairs"` // ordered pairs tested
	} `json:"links"`
	Graph struct {
		Nodes       int        `json:"nodes"`
		Edges       int        `json:"edges"`
		Density     output.Num `json:"density"`
		MeanDegree  output.Num `json:"mean_degree"`
		Clustering  output.Num `json:"clustering"`
		PathLength  output.Num `json:"path_length"`
		Component   int        `json:"largest_component"`
		Efficiency  output.Num `json:"efficiency"`
		Cr          output.Num `json:"clustering_random"`
		Lr          output.Num `json:"path_length_random"`
		Cl          output.Num `json:"clustering_lattice"`
		Sigma       output.Num `json:"small_world_sigma"`
		Omega       output.Num `json:"small_world_omega"`
		RichClubK   int        `json:"rich_club_k"` // the k of the largest normalized coefficient with ≥ 3 members
		RichClubRho output.Num `json:"rich_club_rho"`
		RichClubP   output.Num `json:"rich_club_p"`
		RichClubN   int        `json:"rich_club_members"`
		Modularity  output.Num `json:"modularity"`
		Modules     int        `json:"modules"`
	} `json:"graph"`
	// With synapses.npz and neurons: the functional links against the
	// wiring among the analysed neurons.
	Structure *StructureJSON `json:"structure,omitempty"`
	WallS     output.Num     `json:"wall_s"`
}

// StructureJSON compares the links with the synapses among the analysed
// neurons.
type StructureJSON struct {
	Synapses  int        `json:"synapses"`  // directed synapses among the analysed neurons
	Found     int        `json:"found"`     // of them, linked by the chosen statistic
	Links     int        `json:"links"`     // links by the chosen statistic
	Precision output.Num `json:"precision"` // links that are synapses
	Chance    output.Num `json:"chance"`    // synapses / ordered pairs: a random link's precision
	Recall    output.Num `json:"recall"`    // synapses that are linked
	Reversed  int        `json:"reversed"`  // links not synapses whose reverse is
}

// InfoJSON is info.json.
type InfoJSON struct {
	Run             string         `json:"run"`
	Of              string         `json:"of"`
	Units           []int32        `json:"units"`
	BinMs           output.Num     `json:"bin_ms"`
	Bins            int            `json:"bins"`
	History         int            `json:"ais_history_bins"`
	EntropyBits     []output.Num   `json:"entropy_bits"`
	AISBits         []output.Num   `json:"ais_bits"`
	MeanEntropy     output.Num     `json:"mean_entropy_bits"`
	MeanAIS         output.Num     `json:"mean_ais_bits"`
	MeanMI          output.Num     `json:"mean_mi_bits"` // over pairs of distinct units
	MI              [][]output.Num `json:"mi_bits"`
	GaussianUnits   int            `json:"gaussian_units"`
	IntegrationBits output.Num     `json:"integration_bits"`
	ComplexityBits  output.Num     `json:"complexity_bits"`
	ComplexitySE    output.Num     `json:"complexity_se_bits"`
	Note            string         `json:"note"`
}

func nums(x []float64) []output.Num {
	out := make([]output.Num, len(x))
	for i, v := range x {
		out[i] = output.Num(v)
	}
	return out
}

func cmdAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bl1 analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output folder (default: the run folder)")
	unitsKind := fs.String("units", "auto", "what to analyse: auto (channels with an MEA, else neurons), channels or neurons")
	maxUnits := fs.Int("max-units", 64, "analyse at most this many channels or neurons (those nearest the nodes of a grid over the active ones)")
	links := fs.String("links", "te", "which significant links make the graph: te or ccg")
	alpha := fs.Float64("alpha", 0.01, "significance level of a link")
	bin := fs.Float64("bin", 5, "bin of transfer entropy and information, ms")
	history := fs.Int("history", 1, "target history of TE, bins")
	aisHistory := fs.Int("ais-history", 2, "history of the active information storage, bins")
	maxDelay := fs.Float64("max-delay", 20, "TE source delays up to this, ms")
	jitter := fs.Float64("jitter", 25, "jitter window of the correlogram null and the TE surrogates, ms")
	surrogates := fs.Int("surrogates", 99, "at most this many TE surrogates per pair")
	ccgBin := fs.Float64("ccg-bin", 1, "correlogram bin, ms")
	ccgLag := fs.Float64("ccg-lag", 50, "correlogram lags up to ±this, ms")
	sttc := fs.Float64("sttc", 10, "STTC window Δt, ms")
	refs := fs.Int("refs", 20, "degree-preserving random references of the graph")
	seed := fs.Uint64("seed", 1, "seed of the surrogates, references and subsets")
	workers := fs.Int("workers", 0, "goroutines (default: all CPUs); results do not depend on it")
	quiet := fs.Bool("quiet", false, "no progress output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bl1 analyze RUN-FOLDER [flags]\n\n"+
			"Functional connectivity and information of a finished run: cross-correlograms with a jitter null,\n"+
			"STTC, transfer entropy with jitter surrogates, the graph of the significant links (clustering, path\n"+
			"length, small-world sigma and omega, rich club, modules), entropy, active information storage,\n"+
			"mutual information, integration and neural complexity. Writes connectivity.npz, connectivity.json,\n"+
			"info.json, connectivity.png and te.png.\n\nflags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badInput("analyze takes one run folder, got %d", len(pos))
	}
	dir := pos[0]
	if *unitsKind != "auto" && *unitsKind != "channels" && *unitsKind != "neurons" {
		return badInput("-units %q: want auto, channels or neurons", *unitsKind)
	}
	if *maxUnits < 2 {
		return badInput("-max-units %d: need at least 2", *maxUnits)
	}
	if *workers <= 0 {
		*workers = runtime.NumCPU()
	}
	start := time.Now()
	progress := stderr
	if *quiet {
		progress = io.Discard
	}
	rec, sum, err := loadRecording(dir)
	if err != nil {
		return err
	}
	u, err := chooseUnits(dir, rec, *unitsKind, *maxUnits)
	if err != nil {
		return err
	}
	dst := dir
	if *out != "" {
		dst = *out
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return badInput("output folder %s: %v", dst, err)
		}
	}
	fmt.Fprintf(progress, "analysing %d %s of %s: %s\n", u.events.N, u.of, dir, u.selection)

	opt := connectivity.Options{
		CCG:    connectivity.CCGOptions{BinMs: *ccgBin, MaxLagMs: *ccgLag, JitterMs: *jitter, Workers: *workers},
		TE:     connectivity.TEOptions{BinMs: *bin, History: *history, MaxDelayMs: *maxDelay, JitterMs: *jitter, Surrogates: *surrogates, Workers: *workers},
		STTCMs: *sttc, Links: *links, Alpha: *alpha, Seed: *seed,
		Null: connectivity.NullOptions{Random: *refs, Lattice: 10, SwapsPerEdge: 10},
	}
	bar := newRounds(progress, *surrogates)
	opt.TE.Progress = bar.set
	res, err := connectivity.Analyze(u.events, opt)
	bar.finish()
	if err != nil {
		if errors.Is(err, connectivity.ErrOption) {
			return usageError{err}
		}
		return fmt.Errorf("%s: %w", dir, err)
	}
	info, err := information.Analyze(u.events, information.Options{BinMs: *bin, History: *aisHistory, Seed: *seed})
	if err != nil {
		if errors.Is(err, information.ErrOption) {
			return usageError{err}
		}
		return fmt.Errorf("%s: %w", dir, err)
	}

	cj := connectivitySummary(res, u, sum, opt)
	cj.Run = dir
	if u.of == "neurons" {
		if cj.Structure, err = structure(dir, u.ids, res.Links); err != nil {
			return err
		}
	}
	ij := infoSummary(info, u)
	ij.Run = dir
	if err := writeConnectivity(filepath.Join(dst, "connectivity.npz"), res, u); err != nil {
		return err
	}
	if err := analyzePlots(dst, res, u, *links, *alpha); err != nil {
		return err
	}
	cj.WallS = output.Num(time.Since(start).Seconds())
	if err := output.WriteJSON(filepath.Join(dst, "info.json"), ij); err != nil {
		return err
	}
	if err := output.WriteJSON(filepath.Join(dst, "connectivity.json"), cj); err != nil {
		return err
	}
	printAnalysis(stdout, dst, cj, ij)
	return nil
}

// units are what analyze looks at: channels or chosen neurons.
type units struct {
	of        string
	events    analysis.Events
	ids       []int32   // channel numbers or neuron indices
	x, y      []float64 // µm
	selection string
	// For the map: every electrode (channels) or the chosen neurons.
	mapX, mapY []float64
	mapShown   []bool
	mapUnit    []int // map entry → unit, -1 if none
}

// chooseUnits picks the MEA's recorded channels or the neurons, at most
// maxUnits of them (subsample).
func chooseUnits(dir string, rec analysis.Recording, kind string, maxUnits int) (*units, error) {
	if kind == "channels" && rec.Channels == nil {
		return nil, badInput("%s: -units channels, but the run recorded no MEA", dir)
	}
	if kind != "neurons" && rec.Channels != nil {
		lay, err := npy.ReadNPZ(filepath.Join(dir, "mea_layout.npz"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		ch, err1 := lay["channel"].Int32()
		x, err2 := lay["x_um"].Float64()
		y, err3 := lay["y_um"].Float64()
		recd, err4 := lay["recorded"].Bool()
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, fmt.Errorf("%s/mea_layout.npz: %w", dir, err)
		}
		if len(ch) != len(recd) || len(x) != len(recd) || len(y) != len(recd) {
			return nil, fmt.Errorf("%s/mea_layout.npz: %d channels, %d x, %d y, %d recorded flags", dir, len(ch), len(x), len(y), len(recd))
		}
		var ids []int32
		var rx, ry []float64
		for e, r := range recd {
			if r {
				ids, rx, ry = append(ids, ch[e]), append(rx, x[e]), append(ry, y[e])
			}
		}
		u, err := subsample(*rec.Channels, ids, rx, ry, maxUnits, "recorded channels")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		u.of = "channels"
		// The map shows every electrode, the unused ones grey.
		slot := make(map[int32]int, len(u.ids))
		for k, id := range u.ids {
			slot[id] = k
		}
		u.mapX, u.mapY, u.mapShown, u.mapUnit = x, y, make([]bool, len(ch)), make([]int, len(ch))
		for e := range ch {
			u.mapUnit[e] = -1
			if k, ok := slot[ch[e]]; ok && recd[e] {
				u.mapShown[e], u.mapUnit[e] = true, k
			}
		}
		return u, nil
	}
	nz, err := npy.ReadNPZ(filepath.Join(dir, "neurons.npz"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	x32, err1 := nz["x_um"].Float32()
	y32, err2 := nz["y_um"].Float32()
	if err := errors.Join(err1, err2); err != nil || len(x32) != rec.Neurons.N || len(y32) != rec.Neurons.N {
		return nil, fmt.Errorf("%s/neurons.npz: positions of %d and %d neurons for %d (%v)", dir, len(x32), len(y32), rec.Neurons.N, err)
	}
	ids := make([]int32, rec.Neurons.N)
	x, y := make([]float64, len(x32)), make([]float64, len(y32))
	for i := range x32 {
		ids[i], x[i], y[i] = int32(i), float64(x32[i]), float64(y32[i])
	}
	u, err := subsample(rec.Neurons, ids, x, y, maxUnits, "neurons")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	u.of = "neurons"
	u.mapX, u.mapY = u.x, u.y
	u.mapShown = make([]bool, len(u.ids))
	u.mapUnit = make([]int, len(u.ids))
	for k := range u.ids {
		u.mapShown[k], u.mapUnit[k] = true, k
	}
	return u, nil
}

// subsample keeps the units of e (named ids, at x, y µm) that fire above
// analysis.DefaultActiveHz, all of them if there are at most max, else the
// active unit nearest each node of a grid of max nodes (rows × cols as
// square as possible) over their bounding box, row by row: a virtual array
// that samples the culture evenly, as an MEA does, rather than the most
// active cells. The events are renumbered in ascending order of the units.
func subsample(e analysis.Events, ids []int32, x, y []float64, max int, what string) (*units, error) {
	rates, err := analysis.FiringRates(e)
	if err != nil {
		return nil, err
	}
	var active []int
	for i, r := range rates {
		if r > analysis.DefaultActiveHz {
			active = append(active, i)
		}
	}
	if len(active) < 2 {
		return nil, fmt.Errorf("%d of %d %s fire above %g Hz, need at least 2 to analyse", len(active), e.N, what, analysis.DefaultActiveHz)
	}
	sel := active
	how := fmt.Sprintf("the %d of %d %s that fire above %g Hz", len(active), e.N, what, analysis.DefaultActiveHz)
	if len(active) > max {
		x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, i := range active {
			x0, x1 = math.Min(x0, x[i]), math.Max(x1, x[i])
			y0, y1 = math.Min(y0, y[i]), math.Max(y1, y[i])
		}
		rows := int(math.Sqrt(float64(max)))
		cols := (max + rows - 1) / rows
		taken := make(map[int]bool, max)
		sel = nil
		for r := 0; r < rows && len(sel) < max; r++ {
			for c := 0; c < cols && len(sel) < max; c++ {
				gx := x0 + (float64(c)+0.5)/float64(cols)*(x1-x0)
				gy := y0 + (float64(r)+0.5)/float64(rows)*(y1-y0)
				best, bd := -1, math.Inf(1)
				for _, i := range active {
					if d := math.Hypot(x[i]-gx, y[i]-gy); d < bd && !taken[i] {
						best, bd = i, d
					}
				}
				taken[best] = true
				sel = append(sel, best)
			}
		}
		slices.Sort(sel)
		how = fmt.Sprintf("%d of the %d of %d %s that fire above %g Hz, the nearest to the nodes of a %d×%d grid over them",
			len(sel), len(active), e.N, what, analysis.DefaultActiveHz, rows, cols)
	}
	u := &units{selection: how}
	slot := make([]int32, e.N)
	for i := range slot {
		slot[i] = -1
	}
	for k, i := range sel {
		slot[i] = int32(k)
		u.ids = append(u.ids, ids[i])
		u.x, u.y = append(u.x, x[i]), append(u.y, y[i])
	}
	u.events = analysis.Events{N: len(sel), T0: e.T0, T1: e.T1}
	for k, id := range e.ID {
		if s := slot[id]; s >= 0 {
			u.events.T = append(u.events.T, e.T[k])
			u.events.ID = append(u.events.ID, s)
		}
	}
	return u, nil
}

func connectivitySummary(r *connectivity.Result, u *units, sum *output.Summary, opt connectivity.Options) *ConnectivityJSON {
	n := u.events.N
	cj := &ConnectivityJSON{Config: sum.Config, SimS: output.Num(sum.SimS), Of: u.of, Units: n, Selection: u.selection}
	p := &cj.Params
	p.CCGBinMs, p.CCGMaxLagMs, p.JitterMs, p.STTCMs = output.Num(r.CCG.BinMs), output.Num(float64(r.CCG.Lags)*r.CCG.BinMs), output.Num(r.CCG.JitterMs), output.Num(opt.STTCMs)
	p.TEBinMs, p.TEHistory, p.TEMaxDelayMs, p.TESurrogates = output.Num(r.TE.BinMs), r.TE.History, output.Num(opt.TE.MaxDelayMs), opt.TE.Surrogates
	p.LinksBy, p.Alpha, p.References, p.Seed = opt.Links, output.Num(opt.Alpha), opt.Null.Random, opt.Seed
	p.LatticeRefs, p.SwapsPerEdge = opt.Null.Lattice, opt.Null.SwapsPerEdge
	var drawn float64
	for k := range r.TE.P {
		if k/n == k%n {
			continue
		}
		cj.Links.Pairs++
		drawn += float64(r.TE.Surrogates[k])
		te, cc := r.TE.P[k] <= opt.Alpha, r.CCG.P[k] <= opt.Alpha
		if te {
			cj.Links.TE++
		}
		if cc {
			cj.Links.CCG++
		}
		if te && cc {
			cj.Links.Both++
		}
	}
	p.MeanSurrogates = output.Num(drawn / float64(max(cj.Links.Pairs, 1)))
	g := &cj.Graph
	g.Nodes, g.Edges = n, r.Graph.Edges().Len()
	if n > 1 {
		g.Density = output.Num(2 * float64(g.Edges) / float64(n*(n-1)))
	}
	g.MeanDegree = output.Num(2 * float64(g.Edges) / float64(n))
	g.Clustering, g.PathLength, g.Component, g.Efficiency = output.Num(r.C), output.Num(r.L), r.Component, output.Num(r.Efficiency)
	sw := r.SmallWorld
	g.Cr, g.Lr, g.Cl, g.Sigma, g.Omega = output.Num(sw.Cr), output.Num(sw.Lr), output.Num(sw.Cl), output.Num(sw.Sigma), output.Num(sw.Omega)
	best := -1
	for i, rho := range r.RichClub.Rho {
		if r.RichClub.Members[i] >= 3 && !math.IsNaN(rho) && (best < 0 || rho > r.RichClub.Rho[best]) {
			best = i
		}
	}
	g.RichClubRho, g.RichClubP, g.RichClubK = output.Num(math.NaN()), output.Num(math.NaN()), -1
	if best >= 0 {
		rc := r.RichClub
		g.RichClubRho, g.RichClubP, g.RichClubK, g.RichClubN = output.Num(rc.Rho[best]), output.Num(rc.P[best]), rc.K[best], rc.Members[best]
	}
	g.Modularity = output.Num(r.Modularity)
	g.Modules = slices.Max(r.Module) + 1
	return cj
}

func infoSummary(s *information.Summary, u *units) *InfoJSON {
	n := s.Units
	ij := &InfoJSON{Of: u.of, Units: u.ids, BinMs: output.Num(s.BinMs), Bins: s.Bins, History: s.History, EntropyBits: nums(s.Entropy), AISBits: nums(s.AIS),
		IntegrationBits: output.Num(s.Integration), ComplexityBits: output.Num(s.Complexity), ComplexitySE: output.Num(s.ComplexitySE),
		Note: "entropy, AIS and MI of the binary activity (1 when a bin holds an event), plug-in with the Miller-Madow correction; " +
			"integration and neural complexity (Tononi, Sporns & Edelman 1994) of the counts per bin as Gaussian variables"}
	ij.MeanEntropy = output.Num(stat.Mean(s.Entropy, nil))
	ij.MeanAIS = output.Num(stat.Mean(s.AIS, nil))
	var sum float64
	for i := range n {
		row := s.MI[i*n : (i+1)*n]
		ij.MI = append(ij.MI, nums(row))
		for j, v := range row {
			if j != i {
				sum += v
			}
		}
	}
	if n > 1 {
		ij.MeanMI = output.Num(sum / float64(n*(n-1)))
	}
	for _, g := range s.Gaussian {
		if g {
			ij.GaussianUnits++
		}
	}
	return ij
}

// structure compares the links with the synapses among the analysed
// neurons, when the run saved them (synapses.npz).
func structure(dir string, ids []int32, links []bool) (*StructureJSON, error) {
	path := filepath.Join(dir, "synapses.npz")
	if _, err := os.Stat(path); err != nil {
		return nil, nil
	}
	z, err := npy.ReadNPZ(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	pre, err1 := z["pre"].Int32()
	post, err2 := z["post"].Int32()
	if err := errors.Join(err1, err2); err != nil || len(pre) != len(post) {
		return nil, fmt.Errorf("%s/synapses.npz: %d pre, %d post (%v)", dir, len(pre), len(post), err)
	}
	n := len(ids)
	slot := make(map[int32]int, n)
	for k, id := range ids {
		slot[id] = k
	}
	syn := make([]bool, n*n)
	for k := range pre {
		a, okA := slot[pre[k]]
		b, okB := slot[post[k]]
		if okA && okB && a != b {
			syn[a*n+b] = true
		}
	}
	s := &StructureJSON{Precision: output.Num(math.NaN()), Recall: output.Num(math.NaN())}
	for k := range syn {
		i, j := k/n, k%n
		if syn[k] {
			s.Synapses++
		}
		if links[k] {
			s.Links++
			if syn[k] {
				s.Found++
			} else if syn[j*n+i] {
				s.Reversed++
			}
		}
	}
	s.Chance = output.Num(float64(s.Synapses) / float64(n*(n-1)))
	if s.Links > 0 {
		s.Precision = output.Num(float64(s.Found) / float64(s.Links))
	}
	if s.Synapses > 0 {
		s.Recall = output.Num(float64(s.Found) / float64(s.Synapses))
	}
	return s, nil
}

// writeConnectivity writes connectivity.npz.
func writeConnectivity(path string, r *connectivity.Result, u *units) error {
	z, err := npy.Create(path)
	if err != nil {
		return err
	}
	n := u.events.N
	w := 2*r.CCG.Lags + 1
	f64 := func(name string, x []float64, shape ...int) error {
		return z.Array(name, "<f8", shape, func(wr io.Writer) error { return npy.PutFloat64(wr, x) })
	}
	nn := []int{n, n}
	lags := make([]float64, w)
	for k := range lags {
		lags[k] = float64(k-r.CCG.Lags) * r.CCG.BinMs
	}
	deg := make([]int32, n)
	mod := make([]int32, n)
	for i := range n {
		deg[i], mod[i] = int32(r.Degree[i]), int32(r.Module[i])
	}
	rcK := make([]int32, len(r.RichClub.K))
	rcN := make([]int32, len(r.RichClub.K))
	for i := range rcK {
		rcK[i], rcN[i] = int32(r.RichClub.K[i]), int32(r.RichClub.Members[i])
	}
	for _, f := range []func() error{
		func() error { return z.Int32("unit", u.ids) },
		func() error { return z.Float64("x_um", u.x) },
		func() error { return z.Float64("y_um", u.y) },
		func() error { return f64("te_bits", r.TE.TE, nn...) },
		func() error { return f64("te_p", r.TE.P, nn...) },
		func() error { return f64("te_delay_ms", r.TE.DelayMs, nn...) },
		func() error { return f64("te_null_bits", r.TE.NullMean, nn...) },
		func() error {
			return z.Array("te_surrogates", "<i4", nn, func(wr io.Writer) error { return npy.PutInt32(wr, r.TE.Surrogates) })
		},
		func() error { return f64("ccg_p", r.CCG.P, nn...) },
		func() error { return f64("ccg_delay_ms", r.CCG.DelayMs, nn...) },
		func() error { return f64("ccg_efficacy", r.CCG.Efficacy, nn...) },
		func() error {
			return z.Array("ccg_counts", "<i4", []int{n, n, w}, func(wr io.Writer) error { return npy.PutInt32(wr, r.CCG.Count) })
		},
		func() error { return z.Float32("ccg_expected", r.CCG.Expected, n, n, w) },
		func() error { return z.Float64("ccg_lag_ms", lags) },
		func() error { return f64("sttc", r.STTC, nn...) },
		func() error {
			b := make([]byte, len(r.Links))
			for k, l := range r.Links {
				if l {
					b[k] = 1
				}
			}
			return z.Array("links", "|b1", nn, func(wr io.Writer) error { _, err := wr.Write(b); return err })
		},
		func() error { return z.Int32("degree", deg) },
		func() error { return f64("clustering", r.Clustering, n) },
		func() error { return z.Int32("module", mod) },
		func() error { return z.Int32("rich_club_k", rcK) },
		func() error { return z.Int32("rich_club_members", rcN) },
		func() error { return f64("rich_club_phi", r.RichClub.Phi, len(rcK)) },
		func() error { return f64("rich_club_rho", r.RichClub.Rho, len(rcK)) },
		func() error { return f64("rich_club_p", r.RichClub.P, len(rcK)) },
	} {
		if err := f(); err != nil {
			z.Abort()
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return z.Close()
}

// analyzePlots draws connectivity.png (the links on the units' positions,
// units coloured by degree) and te.png (the TE matrix, significant links
// marked).
func analyzePlots(dir string, r *connectivity.Result, u *units, by string, alpha float64) error {
	n := u.events.N
	var from, to []int
	var w []float64
	for k, l := range r.Links {
		if l {
			from, to = append(from, u.mapIndex(k/n)), append(to, u.mapIndex(k%n))
			if by == "ccg" {
				w = append(w, math.Max(0, r.CCG.Efficacy[k]))
			} else {
				w = append(w, r.TE.TE[k])
			}
		}
	}
	deg := make([]float64, len(u.mapX))
	for e, k := range u.mapUnit {
		if k >= 0 {
			deg[e] = float64(r.Degree[k])
		}
	}
	stat := map[string]string{"te": "transfer entropy", "ccg": "correlogram"}[by]
	title := fmt.Sprintf("%d links of %d %s (%s p ≤ %g)", len(from), n, u.of, stat, alpha)
	if err := plot.Links(filepath.Join(dir, "connectivity.png"), title, u.mapX, u.mapY, deg, u.mapShown, from, to, w, "degree"); err != nil {
		return err
	}
	m := slices.Clone(r.TE.TE)
	for i := range n {
		m[i*n+i] = math.NaN()
	}
	mark := make([]bool, n*n)
	for k := range mark {
		mark[k] = r.TE.P[k] <= alpha
	}
	labels := make([]string, n)
	for k, id := range u.ids {
		labels[k] = strconv.Itoa(int(id))
	}
	name := map[string]string{"channels": "channel", "neurons": "neuron"}[u.of]
	return plot.Matrix(filepath.Join(dir, "te.png"), fmt.Sprintf("transfer entropy, %g ms bins (dots: p ≤ %g)", r.TE.BinMs, alpha),
		"target "+name, "source "+name, m, n, labels, mark, "TE (bits/bin)")
}

// mapIndex returns the map entry of unit k.
func (u *units) mapIndex(k int) int {
	return slices.Index(u.mapUnit, k)
}

func printAnalysis(w io.Writer, dir string, c *ConnectivityJSON, in *InfoJSON) {
	g := c.Graph
	fmt.Fprintf(w, "\n%d %s over %.4g s (%s)\n", c.Units, c.Of, c.SimS, c.Selection)
	fmt.Fprintf(w, "links (p ≤ %g of %d ordered pairs): transfer entropy %d, correlograms %d, both %d; graph by %s\n",
		c.Params.Alpha, c.Links.Pairs, c.Links.TE, c.Links.CCG, c.Links.Both, c.Params.LinksBy)
	fmt.Fprintf(w, "graph: %d edges, density %.3g, clustering %.3g, path length %.3g (largest component %d), efficiency %.3g\n",
		g.Edges, g.Density, g.Clustering, g.PathLength, g.Component, g.Efficiency)
	fmt.Fprintf(w, "small world: sigma %.3g, omega %.3g; rich club rho %.3g (k %d, %d members, p %.3g); modularity %.3g in %d modules\n",
		g.Sigma, g.Omega, g.RichClubRho, g.RichClubK, g.RichClubN, g.RichClubP, g.Modularity, g.Modules)
	if s := c.Structure; s != nil {
		fmt.Fprintf(w, "against the synapses: %d of %d links are synapses (precision %.3g, chance %.3g), %d of %d synapses found\n",
			s.Found, s.Links, s.Precision, s.Chance, s.Found, s.Synapses)
	}
	fmt.Fprintf(w, "information (%g ms bins): entropy %.3g, AIS %.3g, MI %.3g bits per unit or pair; integration %.3g bits, complexity %.3g ± %.2g bits (%d units)\n",
		in.BinMs, in.MeanEntropy, in.MeanAIS, in.MeanMI, in.IntegrationBits, in.ComplexityBits, in.ComplexitySE, in.GaussianUnits)
	fmt.Fprintf(w, "%.1f s -> %s (connectivity.npz, connectivity.json, info.json, connectivity.png, te.png)\n", c.WallS, dir)
}

// rounds reports the rounds of TE surrogates: a bar on a terminal, a line
// every 10 % otherwise.
type rounds struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	total int
	next  int
}

func newRounds(w io.Writer, total int) *rounds {
	r := &rounds{w: w, total: total, next: 10}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		r.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("TE surrogates"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
	}
	return r
}

func (r *rounds) set(done, total int) {
	if r.bar != nil {
		r.bar.Set(done)
		return
	}
	if pct := done * 100 / max(total, 1); pct >= r.next {
		fmt.Fprintf(r.w, "TE surrogates: round %d of at most %d (%d%%)\n", done, total, pct)
		r.next = pct/10*10 + 10
	}
}

func (r *rounds) finish() {
	if r.bar != nil {
		r.bar.Finish()
	}
}
