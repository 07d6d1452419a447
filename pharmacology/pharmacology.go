package pharmacology

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Target is what a drug blocks.
type Target int

// Targets.
const (
	Sodium Target = iota // voltage-gated Na+ channels: spike initiation
	AMPA
	NMDA
	GABAA
	GABAB
	NTargets
)

var targetNames = [NTargets]string{"sodium", "AMPA", "NMDA", "GABA_A", "GABA_B"}

func (t Target) String() string {
	if t >= 0 && t < NTargets {
		return targetNames[t]
	}
	return fmt.Sprintf("Target(%d)", int(t))
}

// Drug is an antagonist with a Hill dose-response curve on one target:
// the blocked fraction at concentration c is c^n / (c^n + IC50^n).
type Drug struct {
	Name   string
	Target Target
	IC50   float64 // µM
	Hill   float64 // Hill coefficient n
	Source string  // where IC50 and n come from
}

// Block returns the fraction of the target blocked at concentration c (µM).
func (d Drug) Block(c float64) float64 {
	if !(c > 0) {
		return 0
	}
	x := math.Pow(c/d.IC50, d.Hill)
	if math.IsInf(x, 1) {
		return 1
	}
	return x / (1 + x)
}

// The built-in drugs. Carbamazepine's block of Na+ channels is
// use-dependent; a tonic block at its inactivated-state affinity is a
// simplification that overstates its effect on slow firing.
var (
	TTX = Drug{Name: "TTX", Target: Sodium, IC50: 0.01, Hill: 1,
		Source: "Catterall, Goldin & Waxman 2005, Pharmacol Rev 57:397 (IUPHAR Nav1.1-1.3, 1.6: TTX-sensitive, IC50 ~1-10 nM)"}
	Carbamazepine = Drug{Name: "carbamazepine", Target: Sodium, IC50: 25, Hill: 1,
		Source: "Kuo, Chen, Lu & Chen 1997, Mol Pharmacol 51:1077 (Kd ~25 µM for inactivated Na+ channels of hippocampal neurons)"}
	Bicuculline = Drug{Name: "bicuculline", Target: GABAA, IC50: 2, Hill: 1,
		Source: "Johnston 2013, Br J Pharmacol 169:328 (competitive GABA_A antagonist, IC50 1-3 µM)"}
	APV = Drug{Name: "APV", Target: NMDA, IC50: 3.7, Hill: 1,
		Source: "Lodge et al. 1988, Br J Pharmacol 95:957 (D-AP5 against 40 µM NMDA in cortical wedges, IC50 3.7 µM)"}
	CNQX = Drug{Name: "CNQX", Target: AMPA, IC50: 0.3, Hill: 1,
		Source: "Honoré et al. 1988, Science 241:701 (AMPA receptors, IC50 0.3 µM)"}
)

// Builtin returns a built-in drug by name (case-insensitive; D-AP5 and AP5
// are APV).
func Builtin(name string) (Drug, bool) {
	switch strings.ToLower(name) {
	case "ttx", "tetrodotoxin":
		return TTX, true
	case "carbamazepine", "cbz":
		return Carbamazepine, true
	case "bicuculline", "bic":
		return Bicuculline, true
	case "apv", "ap5", "d-ap5", "d-apv":
		return APV, true
	case "cnqx":
		return CNQX, true
	}
	return Drug{}, false
}

// Names lists the built-in drugs.
func Names() []string { return []string{"TTX", "carbamazepine", "bicuculline", "APV", "CNQX"} }

// Application is a drug added to the bath at a time, reaching its
// concentration exponentially with a wash-in time constant, and optionally
// washed out from a later time with the same time constant.
type Application struct {
	Drug   Drug
	Conc   float64 // µM, final bath concentration
	AtMs   float64 // ms
	WashMs float64 // wash-in (and wash-out) time constant, ms; 0: a step
	OutMs  float64 // wash-out starts; 0: never
}

// Validate checks an application; messages start with the config key.
func (a Application) Validate() error {
	switch {
	case !(a.Conc >= 0) || math.IsInf(a.Conc, 0):
		return fmt.Errorf("concentration_um = %g, must be >= 0", a.Conc)
	case !(a.AtMs >= 0) || math.IsInf(a.AtMs, 0):
		return fmt.Errorf("at_s = %g, must be >= 0", a.AtMs/1000)
	case !(a.WashMs >= 0) || math.IsInf(a.WashMs, 0):
		return fmt.Errorf("wash_in_s = %g, must be >= 0", a.WashMs/1000)
	case a.OutMs != 0 && !(a.OutMs > a.AtMs) || math.IsInf(a.OutMs, 0):
		return fmt.Errorf("wash_out_s = %g, must be after at_s (%g) or 0 for never", a.OutMs/1000, a.AtMs/1000)
	case !(a.Drug.IC50 > 0) || !(a.Drug.Hill > 0):
		return fmt.Errorf("%s: IC50 and Hill coefficient must be > 0", a.Drug.Name)
	}
	return nil
}

// Concentration returns the bath concentration (µM) at time t (ms).
func (a Application) Concentration(t float64) float64 {
	if t < a.AtMs {
		return 0
	}
	rise := func(dt float64) float64 {
		if a.WashMs == 0 {
			return 1
		}
		return -math.Expm1(-dt / a.WashMs)
	}
	if a.OutMs == 0 || t < a.OutMs {
		return a.Conc * rise(t-a.AtMs)
	}
	peak := a.Conc * rise(a.OutMs-a.AtMs)
	if a.WashMs == 0 {
		return 0
	}
	return peak * math.Exp(-(t-a.OutMs)/a.WashMs)
}

// Schedule is the drugs of a run.
type Schedule []Application

// Availability returns, for each target, the fraction not blocked at time t
// (ms): concentrations of the same drug add; different drugs on one target
// act at independent sites, so their unblocked fractions multiply.
func (s Schedule) Availability(t float64) [NTargets]float64 {
	var out [NTargets]float64
	for i := range out {
		out[i] = 1
	}
	// Each drug at its first application, in schedule order (the product
	// is then deterministic), with the concentrations of all of its
	// applications. Schedules are short: quadratic and allocation-free, as
	// the engine calls this while it runs.
	for i, a := range s {
		first := true
		for _, b := range s[:i] {
			first = first && b.Drug.Name != a.Drug.Name
		}
		if !first {
			continue
		}
		var c float64
		for _, b := range s[i:] {
			if b.Drug.Name == a.Drug.Name {
				c += b.Concentration(t)
			}
		}
		out[a.Drug.Target] *= 1 - a.Drug.Block(c)
	}
	return out
}

// SettledAfter returns a time (ms) after which the availabilities change by
// less than 1e-6 (relative concentration), or 0 for an empty schedule.
func (s Schedule) SettledAfter() float64 {
	var end float64
	for _, a := range s {
		tail := 14 * a.WashMs // e^-14 < 1e-6
		end = max(end, a.AtMs+tail)
		if a.OutMs > 0 {
			end = max(end, a.OutMs+tail)
		}
	}
	return end
}

// Targets lists the targets a schedule touches, ascending.
func (s Schedule) Targets() []Target {
	var out []Target
	for _, a := range s {
		if !slices.Contains(out, a.Drug.Target) {
			out = append(out, a.Drug.Target)
		}
	}
	slices.Sort(out)
	return out
}
