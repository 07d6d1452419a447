// Package gorgoniapin holds the test that Gorgonia, the project's autodiff
// framework (DESIGN.md), starts and differentiates on the project's Go
// version. Gorgonia's tensor package imports
// go4.org/unsafe/assume-no-moving-gc, whose versions before
// v0.0.0-20231121144256-b99613f794b6 panic at init on Go >= 1.22 ("hasn't
// been updated to assert that it's safe against the go1.26 runtime"); go.mod
// pins that version. If the pin is lost, this package's test binary panics
// before any test runs.
package gorgoniapin
